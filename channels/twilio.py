"""Twilio SMS within the 1600-character limit, with buttons as numbered options.

Differences from Rasa's connector (everything else is Rasa's):
- text over 1600 characters is split at paragraph/sentence boundaries;
- buttons become one readable message: the text, "1. Title" per option and a hint; the
  reply "1", "2", ... is turned into that option's payload (the options are read back from
  the conversation, so this survives restarts). Rasa sends every button as its own SMS
  with the raw payload in it;
- custom payloads that are not Twilio message fields (such as the web widget's charts) are
  dropped instead of raising inside ``messages.create``;
- a request without ``From`` or ``Body`` is ignored instead of raising;
- with ``webhook_url`` set (the public URL Twilio posts to), the ``X-Twilio-Signature``
  of every request is checked with the auth token; unsigned or forged requests get 403.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.twilio import TwilioInput as RasaTwilioInput
from rasa.core.channels.twilio import TwilioOutput as RasaTwilioOutput
from sanic import Blueprint, response
from twilio.request_validator import RequestValidator

from channels.choices import payload_for_number
from channels.text import NUMBERED_HINT, is_web_only_payload, numbered_options, split_text

logger = logging.getLogger(__name__)

SMS_LIMIT = 1600
# Fields of Twilio's messages.create that a custom payload may set.
_CREATE_FIELDS = {
    "to", "from_", "body", "media_url", "messaging_service_sid", "status_callback",
    "content_sid", "content_variables", "persistent_action", "send_as_mms", "validity_period",
}


class TwilioOutput(RasaTwilioOutput):
    async def _send_body(self, recipient_id: str, body: str) -> None:
        await self._send_message({"to": recipient_id, "from_": self.twilio_number, "body": body})

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for paragraph in text.strip().split("\n\n"):  # one SMS per paragraph, as Rasa does
            for chunk in split_text(paragraph, SMS_LIMIT):
                await self._send_body(recipient_id, chunk)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        options = f"{numbered_options(buttons)}\n{NUMBERED_HINT}"
        chunks = split_text(text, SMS_LIMIT)
        if chunks and len(chunks[-1]) + 2 + len(options) <= SMS_LIMIT:
            chunks[-1] = f"{chunks[-1]}\n\n{options}"
        else:
            chunks.extend(split_text(options, SMS_LIMIT))
        for chunk in chunks:
            await self._send_body(recipient_id, chunk)

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        if (
            not isinstance(json_message, dict)
            or is_web_only_payload(json_message)
            or not set(json_message) <= _CREATE_FIELDS
        ):
            logger.debug("custom payload not for Twilio; not sent")
            return
        await super().send_custom_json(recipient_id, dict(json_message), **kwargs)


class TwilioInput(RasaTwilioInput):
    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TwilioInput:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            credentials.get("account_sid"),
            credentials.get("auth_token"),
            credentials.get("twilio_number"),
            webhook_url=credentials.get("webhook_url"),
        )

    def __init__(
        self,
        account_sid: str | None,
        auth_token: str | None,
        twilio_number: str | None,
        debug_mode: bool = True,
        webhook_url: str | None = None,
    ) -> None:
        super().__init__(account_sid, auth_token, twilio_number, debug_mode)
        self.webhook_url = webhook_url or None

    def get_output_channel(self) -> TwilioOutput:
        return TwilioOutput(self.account_sid, self.auth_token, self.twilio_number)

    def _signed(self, request: Any) -> bool:
        if not self.webhook_url:
            return True
        params = {k: v[0] if isinstance(v, list) else v for k, v in request.form.items()}
        signature = request.headers.get("X-Twilio-Signature", "")
        return RequestValidator(self.auth_token or "").validate(
            self.webhook_url, params, signature
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        twilio_webhook = Blueprint("twilio_webhook", __name__)

        @twilio_webhook.route("/", methods=["GET"])
        async def health(_: Any) -> Any:
            return response.json({"status": "ok"})

        @twilio_webhook.route("/webhook", methods=["POST"])
        async def message(request: Any) -> Any:
            if not self._signed(request):
                logger.warning("Twilio request with a missing or wrong signature: refused")
                return response.text("forbidden", status=403)
            sender = request.form.get("From")
            text = request.form.get("Body")
            if self._is_location_message(request):
                text = "/locationData{{'Latitude': {lat},'Longitude': {long}}}".format(
                    lat=request.form.get("Latitude"), long=request.form.get("Longitude")
                )
            if not sender or text is None:
                logger.debug("Twilio request without sender or text: ignored")
                return response.text("", status=204)

            text = text.replace("¡", "@")  # some carriers turn @ into ¡, as Rasa notes
            agent = getattr(request.app.ctx, "agent", None)
            payload = await payload_for_number(agent, sender, text)
            if payload is not None:
                text = payload
            try:
                await on_new_message(
                    UserMessage(
                        text,
                        self.get_output_channel(),
                        sender,
                        input_channel=self.name(),
                        metadata=self.get_metadata(request),
                    )
                )
            except Exception as error:
                logger.error(f"Exception when trying to handle message.{error}")
                logger.debug(error, exc_info=True)
                if self.debug_mode:
                    raise
            return response.text("", status=204)

        return twilio_webhook
