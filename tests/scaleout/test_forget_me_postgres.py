"""CachedSQLTrackerStore erases a conversation on a real PostgreSQL database (skipped with
the reason when PostgreSQL isn't reachable); same scenario as on SQLite."""

from __future__ import annotations

import asyncio

import pytest

from runtime.tracker_store import CachedSQLTrackerStore
from tests.reliability.forget_scenario import DOMAIN, forget_me
from tests.scaleout.conftest import PG_PORT, PG_USER, _pg

pytestmark = pytest.mark.integration


def test_forget_me_deletes_every_row_on_postgresql(fresh_database):
    store = CachedSQLTrackerStore(DOMAIN, dialect="postgresql", host="127.0.0.1",
                                  port=PG_PORT, db=fresh_database, username=PG_USER,
                                  password="")

    def count_rows(sender: str) -> int:
        conn = _pg(fresh_database)
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT count(*) FROM events WHERE sender_id = %s", (sender,))
                return int(cur.fetchone()[0])
        finally:
            conn.close()

    try:
        asyncio.run(forget_me(store, count_rows))
    finally:
        store.engine.dispose()
