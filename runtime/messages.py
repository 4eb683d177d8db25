"""Each user message on its way in: cleaned, limited, and slash commands restricted.

Installed by runtime/patches.py (each function below replaces the Rasa function named in
its docstring; the original is called inside). Wording: domain.yml.

- `Agent.handle_message`: control characters and broken surrogates are removed; messages
  over `MAX_MESSAGE_CHARS` get `utter_message_too_long` and are not read. The message is
  then handled as one turn of runtime/action_failures.py, and a storage outage on the way
  is answered as runtime/storage_outages.py says.
- `MessageProcessor.parse_message`: "/intent{...}" is taken literally only when it is a
  button payload the bot offers or one of PUBLIC_SLASH_MESSAGES ("/greet", the widget's
  opening message) (SLASH_COMMANDS=buttons, the default); any other slash text is read as
  ordinary words, so users can't pick intents, entities or reserved intents such as
  EXTERNAL_* themselves. When an NLU component fails on a text (the intent classifier does
  on an empty message), the message counts as not understood (nlu_fallback) instead of
  getting no answer.
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from common.payloads import buttons_as_sent
from common.settings import active
from runtime.action_failures import new_turn
from runtime.replies import collected, say
from runtime.storage_outages import STORAGE_ERRORS, tell_storage_unavailable

logger = logging.getLogger("runtime")

UTTER_MESSAGE_TOO_LONG = "utter_message_too_long"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Drop control characters (keeping tab and newlines) and broken surrogate pairs."""
    text = _CONTROL.sub("", text)
    # A lone surrogate (JSON "\ud800") cannot be stored or sent as UTF-8: make it U+FFFD.
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


_original_handle_message = Agent.handle_message


async def guarded_handle_message(self: Agent, message: UserMessage):
    """Replaces `Agent.handle_message`: cleaning, the length limit, storage outages."""
    if isinstance(message.text, str):
        message.text = clean_text(message.text)
        limit = active().max_message_chars
        if len(message.text) > limit:
            logger.info("Message of %d characters from %r not read (limit %d).",
                        len(message.text), message.sender_id, limit)
            await say(self, message, UTTER_MESSAGE_TOO_LONG, max_chars=limit)
            return collected(message)
    with new_turn():
        try:
            return await _original_handle_message(self, message)
        except STORAGE_ERRORS as error:
            return await tell_storage_unavailable(self, message, error)


# ----------------------------------------------------------------- slash commands

_original_parse_message = MessageProcessor.parse_message
_LEADING_SLASHES = re.compile(r"^[\s/]+")


def _payloads_offered(domain, tracker: DialogueStateTracker | None) -> set[str]:
    """Button payloads of the domain's responses and of the bot's latest messages."""
    payloads: set[str] = set()
    buttons: list = []
    for variations in (domain.responses or {}).values():
        for variation in variations or []:
            # as rendered and clicked: domain.yml doubles the braces of JSON payloads
            buttons += buttons_as_sent(variation.get("buttons") or [])
    if tracker is not None:
        for event in reversed(list(tracker.events)):
            if isinstance(event, UserUttered):
                break
            if isinstance(event, BotUttered):
                buttons += event.data.get("buttons") or []
    for button in buttons:
        payload = button.get("payload") if isinstance(button, dict) else None
        if isinstance(payload, str):
            payloads.add(payload.strip())
    return payloads


def slash_command_allowed(text: str, domain, tracker=None) -> bool:
    settings = active()
    if settings.slash_commands == "all":
        return True
    if settings.slash_commands == "none":
        return False
    text = text.strip()
    return text in settings.public_slash_messages or text in _payloads_offered(domain, tracker)


async def guarded_parse_message(self: MessageProcessor, message: UserMessage,
                                tracker: DialogueStateTracker | None = None,
                                only_output_properties: bool = True) -> dict[str, Any]:
    """Replaces `MessageProcessor.parse_message`: slash text as words unless offered, and a
    failing NLU component means not understood."""
    text = message.text
    try:
        if (isinstance(text, str) and text.lstrip().startswith("/")
                and not slash_command_allowed(text, self.domain, tracker)):
            logger.info("Reading slash text from %r as words, not as an intent.",
                        message.sender_id)
            plain = copy.copy(message)
            # Same length, so entity positions still match the original text.
            plain.text = _LEADING_SLASHES.sub(lambda m: " " * len(m.group()), text)
            parse_data = await _original_parse_message(self, plain, tracker,
                                                       only_output_properties)
            parse_data["text"] = text
            return parse_data
        return await _original_parse_message(self, message, tracker, only_output_properties)
    except Exception:  # an NLU component failed on this text (e.g. no features at all)
        logger.exception("The NLU pipeline failed on a message from %r; treating it as "
                         "not understood.", message.sender_id)
        intent = {"name": DEFAULT_NLU_FALLBACK_INTENT_NAME, "confidence": 1.0}
        return {"text": text, "intent": intent, "intent_ranking": [intent], "entities": []}
