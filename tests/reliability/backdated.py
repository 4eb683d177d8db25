"""Back-dated conversations written straight into a tracker store's `events` table, with
the rows Rasa's SQLTrackerStore writes, for the retention tests (runtime/retention.py)."""

from __future__ import annotations

import json
import time

import sqlalchemy as sa
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered

DAY = 86400.0
EVENTS = sa.table("events", sa.column("sender_id"), sa.column("type_name"),
                  sa.column("timestamp"), sa.column("intent_name"), sa.column("action_name"),
                  sa.column("data"))


def conversation_events(started: float) -> list:
    """A short greeting conversation whose events are stamped from `started` on."""
    events = [
        ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
        UserUttered("hello", {"name": "greet", "confidence": 1.0}),
        ActionExecuted("utter_greet"), BotUttered("Hello!"), ActionExecuted("action_listen"),
    ]
    for i, event in enumerate(events):
        event.timestamp = started + i
    return events


def insert_conversation(engine: sa.engine.Engine, sender: str, days_ago: float) -> int:
    """Store one conversation whose last event is `days_ago` days old; returns its rows."""
    events = conversation_events(time.time() - days_ago * DAY - 60)
    rows = []
    for event in events:
        data = event.as_dict()
        rows.append({"sender_id": sender, "type_name": event.type_name,
                     "timestamp": data["timestamp"],
                     "intent_name": (data.get("parse_data") or {}).get("intent", {}).get("name"),
                     "action_name": data.get("name"), "data": json.dumps(data)})
    with engine.begin() as conn:
        conn.execute(EVENTS.insert(), rows)
    return len(rows)


def senders(engine: sa.engine.Engine) -> dict[str, int]:
    """Every stored conversation and its number of events."""
    with engine.connect() as conn:
        return dict(conn.execute(sa.select(EVENTS.c.sender_id, sa.func.count())
                                 .group_by(EVENTS.c.sender_id)).all())
