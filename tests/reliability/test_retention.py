"""Retention (runtime/retention.py) against real databases: SQLite always, PostgreSQL
where it runs on this machine (else those cases skip and say why).

Conversations are back-dated by writing their events with old timestamps, then purged as
the server does (with the tracker store's cache) and as `make purge` does (another
process, through run.sh with the same profile settings as `make run`).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from harness.net import reachable
from harness.paths import ROOT
from runtime import retention
from runtime.supervision import RestartLog
from runtime.tracker_store import CachedSQLTrackerStore
from tests.reliability.backdated import DAY, conversation_events, insert_conversation, senders

PG_PORT = int(os.environ.get("TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("TEST_PG_USER", "postgres")
DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet]
responses:
  utter_greet: [{text: "Hello!"}]
""")


def _postgres_database():
    if not reachable(PG_PORT):
        subprocess.run([str(ROOT / "scripts" / "ensure-services.sh"), "postgres"],
                       timeout=120, check=False, capture_output=True)
    if not reachable(PG_PORT):
        pytest.skip(f"PostgreSQL not reachable on 127.0.0.1:{PG_PORT} and "
                    "scripts/ensure-services.sh could not start it")
    import psycopg2

    try:
        conn = psycopg2.connect(host="127.0.0.1", port=PG_PORT, user=PG_USER,
                                dbname="postgres", connect_timeout=5)
    except Exception as error:  # e.g. no trust authentication for this user
        pytest.skip(f"cannot log in to PostgreSQL as {PG_USER!r}: {error}")
    conn.autocommit = True
    name = f"rasa_retention_{secrets.token_hex(6)}"
    with conn.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    return conn, name


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    """A CachedSQLTrackerStore (the one endpoints*.yml use) on a fresh database."""
    if request.param == "sqlite":
        made = CachedSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
        yield made
        made.engine.dispose()
        return
    conn, name = _postgres_database()
    made = CachedSQLTrackerStore(DOMAIN, dialect="postgresql", url="127.0.0.1", port=PG_PORT,
                                 username=PG_USER, db=name)
    try:
        yield made
    finally:
        made.engine.dispose()
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


async def _save_conversation(store, sender: str, days_ago: float):
    """A conversation saved through the store (so it is cached), last event `days_ago`."""
    tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
    for event in conversation_events(time.time() - days_ago * DAY - 60):
        tracker.update(event)
    await store.save(tracker)
    return tracker


def _another_turn(tracker, text: str) -> None:
    tracker.update(UserUttered(text, {"name": "greet", "confidence": 1.0}))
    tracker.update(ActionExecuted("utter_greet"))
    tracker.update(BotUttered("Hello!"))
    tracker.update(ActionExecuted("action_listen"))


def test_purge_deletes_conversations_idle_longer_than_the_retention(store):
    engine = store.engine
    old = {f"old-{i}": insert_conversation(engine, f"old-{i}", 40) for i in range(3)}
    kept = {"new": insert_conversation(engine, "new", 0),
            "idle-29-days": insert_conversation(engine, "idle-29-days", 29)}
    # old turns, then one today: the conversation is alive and stays whole
    kept["came-back"] = (insert_conversation(engine, "came-back", 45)
                         + insert_conversation(engine, "came-back", 0))

    result = retention.purge(engine, 30)

    assert result.conversations == 3 and result.events == sum(old.values())
    assert sorted(result.sender_ids) == sorted(old)
    assert senders(engine) == kept
    assert retention.purge(engine, 30).conversations == 0, "nothing left to purge"


def test_purge_works_in_batches_and_dry_run_deletes_nothing(store):
    engine = store.engine
    for i in range(7):
        insert_conversation(engine, f"old-{i}", 31)
    insert_conversation(engine, "new", 1)
    cutoff = time.time() - 30 * DAY

    counted = list(retention.purge_batches(engine, cutoff, batch=3, dry_run=True))
    assert [part.conversations for part in counted] == [3, 3, 1]
    assert len(senders(engine)) == 8

    deleted = list(retention.purge_batches(engine, cutoff, batch=3))
    assert [part.conversations for part in deleted] == [3, 3, 1]
    assert list(senders(engine)) == ["new"]


def test_the_servers_purge_keeps_the_cache_consistent(store):
    async def scenario():
        await _save_conversation(store, "old-cached", 40)
        busy = await _save_conversation(store, "old-in-a-turn", 40)
        await _save_conversation(store, "new-cached", 0)
        assert {"old-cached", "old-in-a-turn", "new-cached"} <= set(store._cache)
        busy = await store.retrieve("old-in-a-turn")  # a turn holds this one right now
        assert store.conversations_in_turn() == {"old-in-a-turn"}

        result = await retention.purge_store(store, 30)

        assert result.sender_ids == ["old-cached"]
        assert await store.retrieve("old-cached") is None, "purged, also from the cache"
        assert "old-cached" not in store._cache
        assert (await store.retrieve("new-cached")).latest_message.text == "hello"
        # the turn finishes: its conversation is active again and stays
        _another_turn(busy, "hello again")
        await store.save(busy)
        assert (await retention.purge_store(store, 30)).conversations == 0
        assert (await store.retrieve("old-in-a-turn")).latest_message.text == "hello again"
        assert senders(store.engine) == {"new-cached": 7, "old-in-a-turn": 11}

    asyncio.run(scenario())


def test_a_purge_by_another_process_is_not_undone_by_the_cache(store):
    """`make purge` while the server runs: the server's cached tracker must not come back."""
    async def scenario():
        await _save_conversation(store, "old", 40)
        await _save_conversation(store, "new", 0)
        other = sa.create_engine(store.engine.url)  # another process's connection
        try:
            assert retention.purge(other, 30).sender_ids == ["old"]
        finally:
            other.dispose()
        assert "old" in store._cache  # the server has not been told ...
        assert await store.retrieve("old") is None  # ... and still reads it as gone
        tracker = await store.get_or_create_tracker("old", append_action_listen=False)
        assert list(tracker.events) == []
        assert (await store.retrieve("new")).latest_message.text == "hello"
        assert senders(store.engine) == {"new": 7}

    asyncio.run(scenario())


def _purge_command(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """`make purge` as the Makefile runs it: run.sh --purge with the profile settings."""
    return subprocess.run(["bash", str(ROOT / "scripts" / "run.sh"), "--purge", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)


def test_make_purge_on_the_default_profile(tmp_path):
    db = tmp_path / "tracker.db"
    made = CachedSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db))  # creates the table
    engine = made.engine
    insert_conversation(engine, "old", 31)
    insert_conversation(engine, "new", 0)
    env = {**os.environ, "PROFILE": "default", "TRACKER_DB": str(db)}
    env.pop("RETENTION_DAYS", None)

    started = time.monotonic()
    done = _purge_command(env)
    print(f"\nmake purge (SQLite) took {time.monotonic() - started:.1f} s: {done.stdout}")
    assert done.returncode == 0, done.stderr
    assert "Retention 30 days: deleted 1 conversations (7 events)" in done.stdout
    assert list(senders(engine)) == ["new"]

    shorter = _purge_command({**env, "RETENTION_DAYS": "0.5"})
    assert "deleted 0 conversations" in shorter.stdout  # "new" is about a minute old
    made.engine.dispose()


@pytest.mark.parametrize("store", ["postgresql"], indirect=True)
def test_make_purge_on_the_scaled_profile(store):
    insert_conversation(store.engine, "old", 31)
    insert_conversation(store.engine, "new", 0)
    env = {**os.environ, "PROFILE": "scaled", "DB_HOST": "127.0.0.1", "DB_PORT": str(PG_PORT),
           "DB_USER": PG_USER, "DB_PASSWORD": "", "DB_NAME": store.engine.url.database,
           "REDIS_HOST": "127.0.0.1"}
    dry = _purge_command(env, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "would delete 1 conversations (7 events) from postgresql" in dry.stdout
    assert set(senders(store.engine)) == {"old", "new"}
    done = _purge_command(env)
    assert done.returncode == 0, done.stderr
    assert "deleted 1 conversations (7 events) from postgresql" in done.stdout
    assert list(senders(store.engine)) == ["new"]


def test_bad_settings_get_a_clear_error(tmp_path):
    for value, words in (("abc", "not a number"), ("-3", "more than 0"), ("0", "more than 0")):
        with pytest.raises(SystemExit, match=words):
            retention.retention_days({"RETENTION_DAYS": value})
    assert retention.retention_days({}) == 30
    assert retention.retention_days({"RETENTION_DAYS": "OFF"}) is None
    assert retention.purge_interval({}) == 3600
    with pytest.raises(SystemExit, match="PURGE_INTERVAL_MINUTES"):
        retention.purge_interval({"PURGE_INTERVAL_MINUTES": "soon"})
    done = subprocess.run([sys.executable, "-m", "runtime.retention"], cwd=tmp_path,
                          env={**os.environ, "RETENTION_DAYS": "a month"},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "RETENTION_DAYS='a month' is not a number" in done.stderr


def test_restart_messages_count_restarts():
    log = RestartLog()
    events = [("PROCESS_STATE_EXITED", {"processname": "rasa", "expected": "0"}),
              ("PROCESS_STATE_STARTING", {"processname": "rasa", "from_state": "EXITED"}),
              ("PROCESS_STATE_BACKOFF", {"processname": "rasa", "from_state": "STARTING"}),
              ("PROCESS_STATE_STARTING", {"processname": "rasa", "from_state": "BACKOFF"}),
              ("PROCESS_STATE_RUNNING", {"processname": "rasa", "from_state": "STARTING"}),
              ("PROCESS_STATE_STOPPING", {"processname": "rasa", "from_state": "RUNNING"})]
    lines = [log.line(event, headers, 0) for event, headers in events]
    assert "Rasa server stopped unexpectedly" in lines[0]
    assert lines[1].endswith("restarting the Rasa server (restarts since start: 1)")
    assert "failed start 1); next try in 1 s" in lines[2]
    assert lines[3].endswith("(restarts since start: 2)")
    assert lines[4:] == [None, None]
