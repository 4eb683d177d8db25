"""Facebook Messenger within Messenger's limits.

Differences from Rasa's connector (everything else is Rasa's):
- text over 2000 characters is split at paragraph/sentence boundaries;
- buttons: up to 3 with short titles stay a button template (its text is limited to 640
  characters, so longer text goes first as plain messages); more buttons, or longer titles,
  become quick replies (up to 13, titles cut to 20 characters) instead of being dropped as
  Rasa does; beyond 13 they become a numbered list;
- custom payloads that are not Messenger messages (such as the web widget's charts) are
  dropped instead of being posted to the Send API;
- the ``X-Hub-Signature`` check compares in constant time and accepts only SHA-1/SHA-256;
- Messenger's SHA-256 header, ``X-Hub-Signature-256: sha256=<hex>`` (the HMAC-SHA256 of the
  raw body with the app secret), is checked as well: Rasa 3.6 reads only the SHA-1 header.
  When the SHA-256 header is present it decides: valid, the message is handled (whatever
  the SHA-1 header says); invalid, the request is refused with 403. Without it, Rasa's
  SHA-1 check applies as before (a bad signature gets Rasa's "not validated").
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fbmessenger.elements import Text as FBText
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.facebook import FacebookInput as RasaFacebookInput
from rasa.core.channels.facebook import Messenger
from rasa.core.channels.facebook import MessengerBot as RasaMessengerBot
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.text import (
    NUMBERED_HINT,
    button_title,
    is_web_only_payload,
    numbered_options,
    split_text,
)

logger = logging.getLogger(__name__)

TEXT_LIMIT = 2000
TEMPLATE_TEXT_LIMIT = 640
TITLE_LIMIT = 20
TEMPLATE_BUTTONS = 3
QUICK_REPLIES = 13
SHA256_HEADER = "X-Hub-Signature-256"
_MESSAGE_KEYS = {"text", "attachment", "quick_replies", "metadata", "sender"}


def _short(title: str) -> str:
    return title if len(title) <= TITLE_LIMIT else title[: TITLE_LIMIT - 1] + "…"


class MessengerBot(RasaMessengerBot):
    async def _send_chunks(self, recipient_id: str, chunks: list[str]) -> None:
        for chunk in chunks:
            self.send(recipient_id, FBText(text=chunk))

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for paragraph in text.strip().split("\n\n"):  # one message per paragraph, as Rasa does
            await self._send_chunks(recipient_id, split_text(paragraph, TEXT_LIMIT))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        buttons = [dict(b) for b in buttons]  # Rasa adds "type" in place; keep the tracker's
        fits_template = len(buttons) <= TEMPLATE_BUTTONS and all(
            len(button_title(b)) <= TITLE_LIMIT for b in buttons
        )
        if fits_template:
            chunks = split_text(text, TEMPLATE_TEXT_LIMIT) or ["…"]
            await self._send_chunks(recipient_id, chunks[:-1])
            await super().send_text_with_buttons(recipient_id, chunks[-1], buttons, **kwargs)
        else:
            await self.send_quick_replies(recipient_id, text, buttons, **kwargs)

    async def send_quick_replies(
        self,
        recipient_id: str,
        text: str,
        quick_replies: list[dict[str, Any]],
        **kwargs: Any,
    ) -> None:
        if len(quick_replies) > QUICK_REPLIES:
            options = f"{numbered_options(quick_replies)}\n{NUMBERED_HINT}"
            await self.send_text_message(recipient_id, f"{text.strip()}\n{options}".strip())
            return
        replies = [
            {"title": _short(button_title(b)), "payload": str(b.get("payload", "")),
             "content_type": b.get("content_type") or "text"}
            for b in quick_replies
        ]
        chunks = split_text(text, TEXT_LIMIT) or ["…"]
        await self._send_chunks(recipient_id, chunks[:-1])
        await super().send_quick_replies(recipient_id, chunks[-1], replies, **kwargs)

    async def send_custom_json(
        self, recipient_id: str, json_message: Any, **kwargs: Any
    ) -> None:
        if isinstance(json_message, dict) and (
            is_web_only_payload(json_message) or not set(json_message) & _MESSAGE_KEYS
        ):
            logger.debug("custom payload not for Messenger; not sent")
            return
        await super().send_custom_json(recipient_id, json_message, **kwargs)


class FacebookInput(RasaFacebookInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def handle(message: UserMessage) -> Any:
            out = message.output_channel
            if type(out) is RasaMessengerBot:
                message.output_channel = MessengerBot(out.messenger_client)
            return await on_new_message(message)

        blueprint = super().blueprint(handle)

        @blueprint.on_request
        async def check_sha256_signature(request: Request) -> HTTPResponse | None:
            """Decide on Messenger's SHA-256 signature before Rasa's SHA-1-only route runs."""
            if request.method != "POST" or not request.path.rstrip("/").endswith("/webhook"):
                return None
            header = request.headers.get(SHA256_HEADER)
            if header is None:
                return None  # SHA-1 only: Rasa's route checks X-Hub-Signature as before
            if not header.strip().lower().startswith("sha256=") or not (
                self.validate_hub_signature(self.fb_secret, request.body, header)
            ):
                logger.warning("Messenger request with an invalid %s refused", SHA256_HEADER)
                return response.text("not validated", status=403)
            # Valid: handle it as Rasa's route does after its own (SHA-1) check.
            messenger = Messenger(self.fb_access_token, handle)
            await messenger.handle(request.json, self.get_metadata(request))
            return response.text("success")

        return blueprint

    def get_output_channel(self) -> MessengerBot:
        return MessengerBot(super().get_output_channel().messenger_client)

    @staticmethod
    def validate_hub_signature(
        app_secret: str, request_payload: bytes, hub_signature_header: str
    ) -> bool:
        method, _, signature = (hub_signature_header or "").partition("=")
        digest = {"sha1": hashlib.sha1, "sha256": hashlib.sha256}.get(method.lower())
        if digest is None or not signature or not app_secret:
            return False
        expected = hmac.new(str(app_secret).encode(), request_payload or b"", digest).hexdigest()
        return hmac.compare_digest(expected, signature.strip().lower())
