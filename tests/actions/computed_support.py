"""Helpers for the computed-answers action tests: real rasa_sdk trackers and dispatchers.

Entities are written the way the rule-based extractor (nlu/) produces them; ``extracted()``
runs the real extractor when its pipeline is built, so tests can also check the pairing.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from harness.domain import load_domain

# The merged domain as Rasa sends it to the action server.
DOMAIN: dict[str, Any] = load_domain().as_dict()
PROFILE_SLOTS = ("age", "sex", "life_stage", "medical_caution", "requested_slot")


def ent(entity: str, value: Any, text: str | None = None, message: str = "", **extra: Any) -> dict:
    """An entity dict; with ``text`` and ``message`` its offsets are those of ``text``."""
    found: dict[str, Any] = {"entity": entity, "value": value, **extra}
    if text is not None and message:
        start = message.index(text)
        found.update(start=start, end=start + len(text))
    return found


def make_tracker(
    text: str = "",
    intent: str = "",
    entities: list[dict] | None = None,
    slots: dict[str, Any] | None = None,
    channel: str = "rest",
    events_after_user: list[dict] | None = None,
    active_loop: str | None = None,
) -> Tracker:
    """A tracker whose latest user message is ``text`` with ``intent`` and ``entities``."""
    all_slots = {name: None for name in PROFILE_SLOTS}
    all_slots.update(slots or {})
    message = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": entities or [],
    }
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": message, "input_channel": channel},
        *(events_after_user or []),
    ]
    return Tracker(
        sender_id="test",
        slots=all_slots,
        latest_message=message,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name=events[-1].get("name"),
    )


def run(action: Any, tracker: Tracker) -> tuple[list[dict], list[dict]]:
    """Run an action; returns (messages sent, events returned)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return dispatcher.messages, events


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def slot_events(events: list[dict]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def profile_events(events: list[dict]) -> dict[str, Any]:
    """Slot events other than the follow-up memory (what the last answer was about, other
    people: actions/people.py FOLLOWUP_SLOTS)."""
    from actions.people import FOLLOWUP_SLOTS

    return {k: v for k, v in slot_events(events).items() if k not in FOLLOWUP_SLOTS}


def figures(text: str) -> list[str]:
    return re.findall(r"\d[\d,]*(?:\.\d+)?", text)


def extracted(text: str) -> list[dict] | None:
    """The real extractor's entities, or None when its pipeline isn't built."""
    try:
        from nlu.extract import PipelineMissing, extract
    except ImportError:
        return None
    try:
        return extract(text)
    except PipelineMissing:
        return None
