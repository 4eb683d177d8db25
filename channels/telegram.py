"""Telegram with replies split under Telegram's 4096-character limit, and a safer webhook.

Differences from Rasa's connector (everything else is Rasa's):
- long replies are split at paragraph/sentence boundaries (Telegram counts UTF-16 units);
- buttons whose payload exceeds Telegram's 64-byte ``callback_data`` become a numbered list;
- custom payloads Telegram can't show (the web widget's charts) are dropped;
- the bot's own identity (``getMe``) is asked once, not on every update;
- with ``secret_token`` set, updates must carry it in ``X-Telegram-Bot-Api-Secret-Token``
  (Telegram sends it once the webhook is registered with it), others get 403;
- the webhook is registered after the server starts, not while Rasa builds its channels, so
  a Telegram outage is logged instead of stopping the whole server.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from rasa.core.channels.telegram import TelegramOutput as RasaTelegramOutput
from sanic import Blueprint, response

from channels.text import (
    NUMBERED_HINT,
    is_web_only_payload,
    numbered_options,
    split_text,
    utf16_length,
)

logger = logging.getLogger(__name__)

TEXT_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64  # bytes
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class TelegramOutput(RasaTelegramOutput):
    def __init__(self, access_token: str | None, secret_token: str | None = None) -> None:
        super().__init__(access_token)
        self.secret_token = secret_token
        self._me: Any = None

    async def get_me(self) -> Any:
        if self._me is None:
            self._me = await super().get_me()
        return self._me

    async def set_webhook(self, url: str, **kwargs: Any) -> bool:
        """Register the webhook, with the secret token Telegram then sends on every update."""
        payload = {"url": url}
        if self.secret_token:
            payload["secret_token"] = self.secret_token
        return bool(await self.request("setWebhook", payload))

    def _chunks(self, text: str) -> list[str]:
        return split_text(text, TEXT_LIMIT, utf16_length)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for paragraph in text.strip().split("\n\n"):  # one message per paragraph, as Rasa does
            for chunk in self._chunks(paragraph):
                await self.send_message(recipient_id, chunk)

    async def send_text_with_buttons(
        self,
        recipient_id: str,
        text: str,
        buttons: list[dict[str, Any]],
        button_type: str | None = "inline",
        **kwargs: Any,
    ) -> None:
        too_long = any(
            len(str(b.get("payload", "")).encode()) > CALLBACK_DATA_LIMIT for b in buttons
        )
        if too_long and button_type != "reply":
            logger.warning("a button payload exceeds Telegram's 64 bytes: sending a numbered list")
            options = f"{numbered_options(buttons)}\n{NUMBERED_HINT}"
            await self.send_text_message(recipient_id, f"{text.strip()}\n{options}".strip())
            return
        chunks = self._chunks(text) or ["…"]
        for chunk in chunks[:-1]:
            await self.send_message(recipient_id, chunk)
        await super().send_text_with_buttons(
            recipient_id, chunks[-1], buttons, button_type=button_type, **kwargs
        )

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        if not isinstance(json_message, dict) or is_web_only_payload(json_message):
            logger.debug("custom payload not for Telegram; not sent")
            return
        await super().send_custom_json(recipient_id, json_message, **kwargs)


class TelegramInput(RasaTelegramInput):
    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TelegramInput:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            credentials.get("access_token"),
            credentials.get("verify"),
            credentials.get("webhook_url"),
            secret_token=credentials.get("secret_token"),
        )

    def __init__(
        self,
        access_token: str | None,
        verify: str | None,
        webhook_url: str | None,
        debug_mode: bool = True,
        secret_token: str | None = None,
    ) -> None:
        super().__init__(access_token, verify, webhook_url, debug_mode)
        self.secret_token = str(secret_token) if secret_token else None

    def get_output_channel(self) -> TelegramOutput:
        # Rasa's version also calls Telegram here (setWebhook); see register_webhook.
        return TelegramOutput(self.access_token, self.secret_token)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)

        @blueprint.middleware("request")
        async def check_secret_token(request: Any) -> Any:
            if not self.secret_token or request.method != "POST":
                return None
            if not request.path.rstrip("/").endswith("/webhook"):
                return None
            given = request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode(), self.secret_token.encode()):
                logger.warning("Telegram update without the right secret token: refused")
                return response.text("forbidden", status=403)
            return None

        @blueprint.listener("after_server_start")
        async def register_webhook(app: Any, loop: Any) -> None:
            if not self.webhook_url:
                return
            bot = self.get_output_channel()
            try:
                ok = await bot.set_webhook(self.webhook_url)
                logger.info("Telegram webhook %s", "registered" if ok else "NOT registered")
            except Exception as error:  # noqa: BLE001 - any failure is logged, not fatal
                logger.error("could not register the Telegram webhook: %s", error)
            finally:
                await bot.close()

        return blueprint
