"""Slack within Slack's limits, and a URL-verification answer Slack accepts.

Differences from Rasa's connector (everything else is Rasa's):
- text is split at paragraph/sentence boundaries under Slack's 40,000-character message
  limit, and text shown with buttons under the 3,000-character limit of a section block;
- any number of buttons (up to 25) is shown, five per actions block, titles cut to
  Slack's 75 characters, instead of Rasa dropping all of them beyond five;
- custom payloads that are not Slack messages (such as the web widget's charts) are dropped;
- the ``url_verification`` challenge (after the signature check) is answered as
  ``{"challenge": ...}`` instead of a bare JSON string.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.slack import SlackBot as RasaSlackBot
from rasa.core.channels.slack import SlackInput as RasaSlackInput
from sanic import Blueprint, response

from channels.text import (
    NUMBERED_HINT,
    button_title,
    is_web_only_payload,
    numbered_options,
    split_text,
)

logger = logging.getLogger(__name__)

TEXT_LIMIT = 40000
SECTION_LIMIT = 3000
BUTTON_TEXT_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
BUTTONS_PER_BLOCK = 5
MAX_BUTTONS = 25
_MESSAGE_KEYS = {"text", "blocks", "attachments"}


class SlackBot(RasaSlackBot):
    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for paragraph in text.strip().split("\n\n"):  # one message per paragraph, as Rasa does
            for chunk in split_text(paragraph, TEXT_LIMIT):
                await super().send_text_message(recipient_id, chunk, **kwargs)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        recipient = self.slack_channel or recipient_id
        if len(buttons) > MAX_BUTTONS or any(
            len(str(b.get("payload", ""))) > BUTTON_VALUE_LIMIT for b in buttons
        ):
            options = f"{numbered_options(buttons)}\n{NUMBERED_HINT}"
            await self.send_text_message(recipient, f"{text.strip()}\n{options}".strip())
            return
        chunks = split_text(text, SECTION_LIMIT) or ["…"]
        for chunk in chunks[:-1]:
            await self._post_message(channel=recipient, as_user=True, text=chunk, type="mrkdwn")
        last = chunks[-1]
        blocks: list[dict[str, Any]] = [
            {"type": "section", "text": {"type": "plain_text", "text": last}}
        ]
        for start in range(0, len(buttons), BUTTONS_PER_BLOCK):
            blocks.append({
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": _short(button_title(b))},
                        "value": str(b.get("payload", "")),
                    }
                    for b in buttons[start : start + BUTTONS_PER_BLOCK]
                ],
            })
        await self._post_message(channel=recipient, as_user=True, text=last, blocks=blocks)

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        if not isinstance(json_message, dict) or is_web_only_payload(json_message) or not (
            set(json_message) & _MESSAGE_KEYS
        ):
            logger.debug("custom payload not for Slack; not sent")
            return
        await super().send_custom_json(recipient_id, dict(json_message), **kwargs)


def _short(title: str) -> str:
    return title if len(title) <= BUTTON_TEXT_LIMIT else title[: BUTTON_TEXT_LIMIT - 1] + "…"


class SlackInput(RasaSlackInput):
    def get_output_channel(
        self, channel: str | None = None, thread_id: str | None = None
    ) -> SlackBot:
        channel = channel or self.slack_channel
        return SlackBot(self.slack_token, channel, thread_id, self.proxy)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)

        @blueprint.middleware("request")
        async def url_verification(request: Any) -> Any:
            if request.method != "POST" or not request.path.rstrip("/").endswith("/webhook"):
                return None
            if request.headers.get("content-type") != "application/json":
                return None
            try:
                body = json.loads(request.body or b"null")
            except ValueError:
                return None
            if not isinstance(body, dict) or body.get("type") != "url_verification":
                return None
            if not self.is_request_from_slack_authentic(request):
                return None  # Rasa's handler answers 400 for a bad signature
            return response.json({"challenge": body.get("challenge")})

        return blueprint
