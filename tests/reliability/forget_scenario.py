"""The "forget me" scenario of the tracker store, run against a real database (SQLite in
tests/reliability, PostgreSQL in tests/scaleout): a saved turn that sets the
``delete_conversation`` slot deletes every stored event of its conversation, keeps the
other conversations, and neither the cache nor a later save brings it back."""

from __future__ import annotations

from collections.abc import Callable

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered

from common.privacy import DELETE_CONVERSATION_SLOT
from runtime.tracker_store import CachedSQLTrackerStore

DOMAIN = Domain.from_yaml(f"""
version: "3.1"
intents: [greet, affirm]
slots:
  age: {{type: float, influence_conversation: false, mappings: [{{type: custom}}]}}
  {DELETE_CONVERSATION_SLOT}: {{type: bool, influence_conversation: false,
                               mappings: [{{type: custom}}]}}
responses:
  utter_greet: [{{text: "Hello!"}}]
""")


async def _turn(store: CachedSQLTrackerStore, sender: str, text: str, *events) -> None:
    tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
    if not tracker.events:
        tracker.update(ActionExecuted("action_session_start"))
        tracker.update(SessionStarted())
        tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered(text, {"name": "greet", "confidence": 1.0}))
    for event in events:
        tracker.update(event)
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)


async def forget_me(store: CachedSQLTrackerStore, count_rows: Callable[[str], int]) -> None:
    """Runs the scenario; ``count_rows(sender)`` reads the database directly."""
    await _turn(store, "keep", "hello", ActionExecuted("utter_greet"), BotUttered("Hello!"))
    await _turn(store, "erase", "hello", ActionExecuted("action_profile"), SlotSet("age", 40.0))
    await _turn(store, "erase", "what do you know", ActionExecuted("utter_greet"))
    kept_before = count_rows("keep")
    assert count_rows("erase") > 0 and kept_before > 0

    # a turn that merely mentions the slot without setting it to true is saved as usual
    await _turn(store, "erase", "no", SlotSet(DELETE_CONVERSATION_SLOT, None))
    stored = count_rows("erase")
    assert stored > 0

    await _turn(store, "erase", "yes", ActionExecuted("action_delete_my_data"),
                BotUttered("Done"), SlotSet(DELETE_CONVERSATION_SLOT, True))
    assert count_rows("erase") == 0
    assert count_rows("keep") == kept_before
    assert "erase" not in store._cache
    assert await store.retrieve("erase") is None

    # the next message starts a clean conversation: only its own events are stored
    await _turn(store, "erase", "hi again", ActionExecuted("utter_greet"))
    tracker = await store.retrieve("erase")
    assert tracker is not None
    texts = [e.text for e in tracker.events if isinstance(e, UserUttered)]
    assert texts == ["hi again"]
    assert tracker.get_slot("age") is None
    # session start (3 events) + the user message, the reply and action_listen
    assert count_rows("erase") == 6
