"""Numbered options for text-only channels: the reply "2" picks the second button offered.

The buttons come from the conversation itself (the bot's last message before the user's
reply, as Rasa stored it), so this works across restarts and with several server workers.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.shared.core.events import BotUttered, UserUttered

from channels.text import choice_from_number

logger = logging.getLogger(__name__)


def last_offered_buttons(events: Any) -> list[dict[str, Any]]:
    """Buttons of the bot's latest message, if the user has not answered since."""
    for event in reversed(list(events or [])):
        if isinstance(event, UserUttered):
            return []
        if isinstance(event, BotUttered):
            data = event.data or {}
            buttons = data.get("buttons") or data.get("quick_replies")
            if buttons:
                return list(buttons)
    return []


async def payload_for_number(agent: Any, sender_id: str, text: str | None) -> str | None:
    """The payload of the button that ``text`` (a bare number) picks, else None."""
    if not text or not text.strip().rstrip(".)").isdigit():
        return None
    store = getattr(agent, "tracker_store", None)
    if store is None:
        return None
    try:
        tracker = await store.retrieve(sender_id)
    except Exception:  # the store being down must not stop the message itself
        logger.exception("could not read the conversation to resolve a numbered reply")
        return None
    if tracker is None:
        return None
    return choice_from_number(text, last_offered_buttons(tracker.events))
