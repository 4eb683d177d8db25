"""CachedSQLTrackerStore erases a conversation on a real SQLite file (the scenario is in
tests/reliability/forget_scenario.py; tests/scaleout runs it on PostgreSQL)."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from runtime.tracker_store import CachedSQLTrackerStore
from tests.reliability.forget_scenario import DOMAIN, forget_me


@pytest.mark.parametrize("cache_size", [1000, 0], ids=["cached", "uncached"])
def test_forget_me_deletes_every_row_of_the_conversation(tmp_path, cache_size):
    path = tmp_path / "tracker.db"
    store = CachedSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(path), cache_size=cache_size)

    def count_rows(sender: str) -> int:
        with sqlite3.connect(path) as connection:
            return connection.execute(
                "SELECT count(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]

    asyncio.run(forget_me(store, count_rows))
