"""Forget me on a real PostgreSQL database (skipped with the reason when PostgreSQL isn't
reachable): the tracker store's scenario (same as on SQLite), and the whole path through
two Rasa servers sharing the database, each with its own cache."""

from __future__ import annotations

import asyncio

import pytest

from runtime.tracker_store import CachedSQLTrackerStore
from tests.reliability.forget_scenario import DOMAIN, forget_me
from tests.reliability.support import is_greeting, response_text, say, texts
from tests.scaleout.conftest import PG_PORT, PG_USER, _pg

pytestmark = pytest.mark.integration


def rows_of(database: str, sender: str) -> int:
    conn = _pg(database)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM events WHERE sender_id = %s", (sender,))
            return int(cur.fetchone()[0])
    finally:
        conn.close()


def test_forget_me_deletes_every_row_on_postgresql(fresh_database):
    store = CachedSQLTrackerStore(DOMAIN, dialect="postgresql", host="127.0.0.1",
                                  port=PG_PORT, db=fresh_database, username=PG_USER,
                                  password="")

    try:
        asyncio.run(forget_me(store, lambda sender: rows_of(fresh_database, sender)))
    finally:
        store.engine.dispose()


def test_forget_me_through_two_servers(cluster):
    """Turns alternate between the servers, so both have cached the conversation; the
    deletion on one must not be undone by the other's cache."""
    sender = "forget-me-scaled"
    assert is_greeting(say(cluster.a.rasa_url, "hi", sender))
    say(cluster.b.rasa_url, "I'm 45 and male, how much magnesium do I need?", sender)
    assert "- age: 45 years" in texts(say(cluster.a.rasa_url, "what do you know about me",
                                          sender))
    say(cluster.b.rasa_url, "delete my data", sender)
    assert rows_of(cluster.database, sender) > 0
    done = say(cluster.a.rasa_url, "yes", sender)
    assert texts(done).strip() == response_text("utter_data_deleted").strip()
    assert rows_of(cluster.database, sender) == 0

    assert is_greeting(say(cluster.b.rasa_url, "hi", sender))
    events = cluster.events(sender, cluster.a)
    assert [e["text"] for e in events if e["event"] == "user"] == ["hi"]
    assert response_text("utter_stored_nothing") in texts(
        say(cluster.a.rasa_url, "what do you know about me", sender))
