"""runtime.tracker_store.CachedSQLTrackerStore stores and reads back exactly what Rasa's
SQLTrackerStore does, while skipping the database reads it can prove unnecessary."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
import yaml
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.utils.endpoints import read_endpoint_config

from harness.paths import ROOT
from runtime.tracker_store import CachedSQLTrackerStore

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet, ask_rda]
slots:
  age: {type: float, influence_conversation: false, mappings: [{type: custom}]}
responses:
  utter_greet: [{text: "Hello!"}]
""")


def run(coroutine):
    return asyncio.run(coroutine)


def cached(path, **kwargs) -> CachedSQLTrackerStore:
    return CachedSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(path), **kwargs)


def stock(path) -> SQLTrackerStore:
    return SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(path))


def user_turn(tracker, text: str, intent: str = "greet", age: float | None = None) -> None:
    """Events of one turn, as the processor adds them."""
    tracker.update(UserUttered(text, {"name": intent, "confidence": 1.0}))
    if age is not None:
        tracker.update(ActionExecuted("action_profile"))
        tracker.update(SlotSet("age", age))
    tracker.update(ActionExecuted("utter_greet"))
    tracker.update(BotUttered("Hello!"))
    tracker.update(ActionExecuted("action_listen"))


async def new_conversation(store, sender: str):
    """A conversation as Rasa starts one: the empty tracker is saved, then the session-start
    events are added (and stored with the first turn's save)."""
    tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    return tracker


def rows(path) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT sender_id, type_name, timestamp, intent_name, action_name, data "
            "FROM events ORDER BY id").fetchall()


def event_dicts(tracker) -> list[dict]:
    return [event.as_dict() for event in tracker.events]


async def play(store, sender: str, turns: int) -> None:
    """`turns` user turns (ages 40, 41, ...), each read from the store and saved back, as
    the processor does."""
    tracker = await new_conversation(store, sender)
    user_turn(tracker, "message 0", age=40)
    await store.save(tracker)
    for number in range(1, turns):
        tracker = await store.retrieve(sender)
        user_turn(tracker, f"message {number}", age=40 + number)
        await store.save(tracker)


def test_stores_the_same_rows_as_rasas_sql_tracker_store(tmp_path):
    ours, theirs = tmp_path / "ours.db", tmp_path / "theirs.db"
    # Identical events (timestamps included) saved turn by turn into both stores.
    tracker = run(new_conversation(stock(theirs), "alice"))
    ours_store, theirs_store = cached(ours), stock(theirs)
    for number in range(4):
        if number:  # each turn starts from the stored conversation, as in Rasa
            tracker = run(theirs_store.retrieve("alice"))
        user_turn(tracker, f"message {number}", age=50 + number)
        run(ours_store.save(tracker))
        run(theirs_store.save(tracker))
    assert rows(ours) == rows(theirs)
    assert len(rows(ours)) == 3 + 4 * 6


def test_every_read_matches_a_fresh_read_by_rasa(tmp_path):
    path = tmp_path / "t.db"
    store = cached(path)
    tracker = run(new_conversation(store, "bob"))
    user_turn(tracker, "first", age=59)
    run(store.save(tracker))
    for number in range(5):
        tracker = run(store.retrieve("bob"))
        fresh = run(stock(path).retrieve("bob"))
        assert event_dicts(tracker) == event_dicts(fresh)
        assert tracker.current_slot_values() == fresh.current_slot_values()
        user_turn(tracker, f"turn {number}", age=60 + number)
        run(store.save(tracker))
    assert run(stock(path).retrieve("bob")).get_slot("age") == 64


def test_later_turns_reuse_the_saved_tracker_without_reading_the_events(tmp_path):
    store = cached(tmp_path / "t.db")
    run(play(store, "carol", turns=1))
    first = run(store.retrieve("carol"))
    user_turn(first, "again")
    run(store.save(first))
    assert run(store.retrieve("carol")) is first  # served from memory


def test_the_second_turn_of_a_new_conversation_is_served_from_memory_as_rasa_reads_it(
        tmp_path):
    path = tmp_path / "t.db"
    store = cached(path)
    run(play(store, "kim", turns=1))
    second = run(store.retrieve("kim"))
    assert store._cache["kim"].tracker is second and store._cache["kim"].handed_out
    fresh = run(stock(path).retrieve("kim"))
    # Rasa's read leaves out action_session_start (stamped before SessionStarted)
    assert event_dicts(second) == event_dicts(fresh)
    assert [e["event"] for e in event_dicts(second)][0] == "session_started"
    user_turn(second, "second message", age=41)
    run(store.save(second))
    assert len(rows(path)) == 3 + 2 * 6  # nothing written twice
    assert event_dicts(run(store.retrieve("kim"))) == event_dicts(
        run(stock(path).retrieve("kim")))


def test_a_second_reader_never_gets_the_object_a_turn_holds(tmp_path):
    store = cached(tmp_path / "t.db")
    run(play(store, "dave", turns=2))
    held = run(store.retrieve("dave"))
    other = run(store.retrieve("dave"))
    assert other is not held
    assert event_dicts(other) == event_dicts(held)


def test_a_turn_that_failed_before_saving_is_not_served(tmp_path):
    path = tmp_path / "t.db"
    store = cached(path)
    run(play(store, "erin", turns=2))
    tracker = run(store.retrieve("erin"))
    saved = event_dicts(tracker)
    user_turn(tracker, "this turn crashes before the save", age=99)
    again = run(store.retrieve("erin"))
    assert event_dicts(again) == saved
    assert again.get_slot("age") == 41


def test_a_write_by_another_server_is_seen(tmp_path):
    path = tmp_path / "t.db"
    mine, theirs = cached(path), cached(path)
    run(play(mine, "frank", turns=2))
    run(mine.save(run(mine.retrieve("frank"))))  # cached in `mine` now
    elsewhere = run(theirs.retrieve("frank"))
    user_turn(elsewhere, "handled by the other server", age=77)
    run(theirs.save(elsewhere))
    tracker = run(mine.retrieve("frank"))
    assert tracker.get_slot("age") == 77
    assert event_dicts(tracker) == event_dicts(run(stock(path).retrieve("frank")))
    # and the next save by `mine` appends after the other server's events
    user_turn(tracker, "back here", age=78)
    run(mine.save(tracker))
    assert event_dicts(run(stock(path).retrieve("frank"))) == event_dicts(tracker)


def test_a_new_session_is_read_back_as_rasa_reads_it(tmp_path):
    path = tmp_path / "t.db"
    store = cached(path)
    run(play(store, "gina", turns=2))
    tracker = run(store.retrieve("gina"))
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    user_turn(tracker, "back after a long break", age=70)
    run(store.save(tracker))
    after = run(store.retrieve("gina"))
    assert after is not tracker  # only the new session, as Rasa reads it
    assert event_dicts(after) == event_dicts(run(stock(path).retrieve("gina")))
    assert [e["event"] for e in event_dicts(after)][:2] == ["session_started", "action"]


def test_cache_is_bounded_and_can_be_switched_off(tmp_path):
    store = cached(tmp_path / "a.db", cache_size=2)
    for sender in ("h1", "h2", "h3"):
        run(play(store, sender, turns=2))
    assert list(store._cache) == ["h2", "h3"]

    off = cached(tmp_path / "b.db", cache_size=0)
    run(play(off, "i1", turns=2))
    assert not off._cache
    assert run(off.retrieve("i1")) is not run(off.retrieve("i1"))
    assert event_dicts(run(off.retrieve("i1"))) == event_dicts(
        run(stock(tmp_path / "b.db").retrieve("i1")))


def test_cache_holds_a_bounded_number_of_events(tmp_path):
    path = tmp_path / "t.db"
    # A cached tracker holds what Rasa reads back: the session's events without the
    # action_session_start before it, so 2 + 6 per turn.
    store = cached(path, cache_events=39)
    run(play(store, "long", turns=4))  # 26 events
    assert store._cached_events == 26
    run(play(store, "short", turns=2))  # 14 events: 40 > 39, so "long" is dropped
    assert list(store._cache) == ["short"] and store._cached_events == 14
    run(play(store, "longer", turns=7))  # 44 events, more than the whole cache: not kept
    assert "longer" not in store._cache
    tracker = run(store.retrieve("longer"))  # read from the database instead
    assert event_dicts(tracker) == event_dicts(run(stock(path).retrieve("longer")))


def test_sqlite_runs_in_wal_mode(tmp_path):
    store = cached(tmp_path / "t.db")
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


@pytest.mark.parametrize("endpoints", ["endpoints.yml", "endpoints.scaled.yml"])
def test_endpoint_files_name_this_store(endpoints):
    config = yaml.safe_load((ROOT / endpoints).read_text())["tracker_store"]
    assert config["type"] == "runtime.tracker_store.CachedSQLTrackerStore"


def test_rasa_builds_it_from_the_endpoint_config(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "from-config.db"))
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://127.0.0.1:9/webhook")
    config = read_endpoint_config(str(ROOT / "endpoints.yml"), "tracker_store")
    store = TrackerStore.create(config, domain=DOMAIN)
    assert isinstance(store, CachedSQLTrackerStore)
    run(play(store, "jack", turns=2))
    assert len(rows(tmp_path / "from-config.db")) == 3 + 2 * 6
