"""CachedSQLTrackerStore shared by several processes (Sanic workers) on one SQLite file:
a worker never serves a cached tracker that another worker changed or erased since."""

from __future__ import annotations

import sqlite3
import time

from tests.reliability.test_tracker_store import (
    cached,
    event_dicts,
    new_conversation,
    play,
    run,
    stock,
    user_turn,
)


def test_a_conversation_erased_and_rewritten_by_another_worker_is_not_served_stale(
        tmp_path):
    """SQLite gives the ids of deleted rows out again: after worker B erased a conversation
    ("forget me") and a new one of the same id was written with as many events, its newest
    row has the id that worker A cached. A must still read the database."""
    path = tmp_path / "t.db"
    worker_a, worker_b = cached(path), cached(path)
    run(play(worker_a, "erin", turns=1))  # A holds erin (age 40) in its cache
    with sqlite3.connect(path) as connection:
        written = connection.execute("SELECT count(*) FROM events").fetchone()[0]
    assert worker_b.forget_conversation("erin") == written
    tracker = run(new_conversation(worker_b, "erin"))
    user_turn(tracker, "a new start", age=91)
    run(worker_b.save(tracker))
    with sqlite3.connect(path) as connection:  # the very situation described above
        assert connection.execute("SELECT count(*), max(id) FROM events").fetchone() \
            == (written, written)
    seen_by_a = run(worker_a.retrieve("erin"))
    assert seen_by_a.get_slot("age") == 91, "worker A served the erased conversation"
    assert event_dicts(seen_by_a) == event_dicts(run(stock(path).retrieve("erin")))


def test_an_erased_conversation_is_not_served_by_the_other_worker(tmp_path):
    path = tmp_path / "t.db"
    worker_a, worker_b = cached(path), cached(path)
    run(play(worker_a, "gus", turns=2))
    worker_b.forget_conversation("gus")
    assert run(worker_a.retrieve("gus")) is None


def test_the_purge_of_one_worker_spares_a_conversation_another_worker_is_answering(tmp_path):
    """Each worker purges old conversations and knows only its own turns; the lock store's
    table in the same database tells it which conversations a turn holds anywhere."""
    from runtime import retention
    from runtime.lock_store import SQLiteLockStore
    from tests.reliability.backdated import insert_conversation, senders

    path = tmp_path / "t.db"
    store = cached(path)
    locks = SQLiteLockStore(db=str(path))
    for sender in ("answering", "idle", "crashed"):
        insert_conversation(store.engine, sender, 40)
    ticket = locks.issue_ticket("answering", lock_lifetime=60)  # a turn in another worker
    locks.issue_ticket("crashed", lock_lifetime=0.01)  # a holder that died long ago
    time.sleep(0.05)

    result = retention.purge(store.engine, 30)
    assert sorted(result.sender_ids) == ["crashed", "idle"]
    assert list(senders(store.engine)) == ["answering"]
    assert locks.get_lock("crashed") is None, "the dead holder's lock row is gone too"
    assert locks.get_lock("answering") is not None

    locks.cleanup("answering", ticket)  # that turn is over: the next round deletes it
    assert retention.purge(store.engine, 30).sender_ids == ["answering"]
    assert not senders(store.engine)
