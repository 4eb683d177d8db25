"""runtime.lock_store.SQLiteLockStore: the embedded default's lock store, shared by the
Sanic workers (processes) of one machine through one SQLite file.

It must keep the contract of Rasa's lock stores (rasa.core.lock_store.LockStore): unique,
increasing ticket numbers per conversation; a ticket is served in order and given back
when its turn ends; an expired ticket (its holder died) no longer blocks the others; the
lock disappears when nobody waits. And it must keep it across processes, where Rasa's own
read-modify-write lock stores can hand out one ticket twice.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import sqlite3
import time
from functools import partial
from pathlib import Path

import pytest
from rasa.core.lock_store import LockError, LockStore
from rasa.utils.endpoints import EndpointConfig, read_endpoint_config

from harness.net import start_parallel
from harness.paths import ROOT
from runtime.lock_store import SQLiteLockStore

CLIENTS = 6
TICKETS_EACH = 25


def _take_tickets(path: str, count: int, out) -> None:
    """In a child process: its own store on the shared file, ``count`` tickets."""
    store = SQLiteLockStore(db=path)
    out.put([store.issue_ticket("conv", lock_lifetime=60) for _ in range(count)])


def test_tickets_are_unique_across_processes(tmp_path):
    path = str(tmp_path / "locks.db")
    SQLiteLockStore(db=path)  # the table exists before the children race
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    children = [context.Process(target=_take_tickets, args=(path, TICKETS_EACH, out))
                for _ in range(CLIENTS)]
    for child in children:
        child.start()
    issued = [n for _ in children for n in out.get(timeout=60)]
    for child in children:
        child.join(timeout=30)
        assert child.exitcode == 0
    assert sorted(issued) == list(range(CLIENTS * TICKETS_EACH))
    lock = SQLiteLockStore(db=path).get_lock("conv")
    assert [t.number for t in lock.tickets] == list(range(CLIENTS * TICKETS_EACH))


def test_simultaneous_tickets_and_cleanup_across_connections(tmp_path):
    path = str(tmp_path / "locks.db")
    stores = [SQLiteLockStore(db=path) for _ in range(CLIENTS)]
    held: dict[int, list[int]] = {id(s): [] for s in stores}

    def take(store):
        for _ in range(TICKETS_EACH):
            held[id(store)].append(store.issue_ticket("conv2", lock_lifetime=60))

    def give_back(store):
        for ticket in held[id(store)]:
            store.cleanup("conv2", ticket)

    start_parallel(*(partial(take, s) for s in stores), together=True)
    issued = sorted(n for tickets in held.values() for n in tickets)
    assert issued == list(range(CLIENTS * TICKETS_EACH))
    start_parallel(*(partial(give_back, s) for s in stores), together=True)
    assert stores[0].get_lock("conv2") is None, "the last one out deletes the lock"


def _hold_turns(path: str, name: str, log: str, turns: int) -> None:
    """In a child process: ``turns`` turns of one conversation under Rasa's lock(), each
    writing "start"/"end" lines with a pause between, as a worker handles a message."""

    async def main() -> None:
        store = SQLiteLockStore(db=path)
        for _ in range(turns):
            async with store.lock("shared", lock_lifetime=30, wait_time_in_seconds=0.01):
                with open(log, "a") as f:
                    f.write(f"start {name}\n")
                await asyncio.sleep(0.02)
                with open(log, "a") as f:
                    f.write(f"end {name}\n")

    asyncio.run(main())


def test_rasas_lock_serialises_turns_of_two_processes(tmp_path):
    path, log = str(tmp_path / "locks.db"), tmp_path / "turns.log"
    SQLiteLockStore(db=path)
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_hold_turns, args=(path, name, str(log), 8))
               for name in ("a", "b")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    lines = log.read_text().split("\n")[:-1]
    assert len(lines) == 2 * 2 * 8
    for start, end in zip(lines[::2], lines[1::2]):
        assert start.startswith("start ") and end == "end " + start[6:], "turns overlapped"
    assert {line[-1] for line in lines} == {"a", "b"}
    assert SQLiteLockStore(db=path).get_lock("shared") is None


def test_an_expired_ticket_no_longer_blocks(tmp_path):
    store = SQLiteLockStore(db=str(tmp_path / "locks.db"))
    store.issue_ticket("crashed", lock_lifetime=0.3)  # a holder that never gives it back

    async def next_turn() -> float:
        began = time.monotonic()
        async with store.lock("crashed", lock_lifetime=30, wait_time_in_seconds=0.05):
            return time.monotonic() - began

    waited = asyncio.run(asyncio.wait_for(next_turn(), timeout=10))
    assert 0.2 < waited < 5
    assert store.get_lock("crashed") is None


def test_a_busy_database_gives_a_lock_error_not_a_hang(tmp_path):
    path = tmp_path / "locks.db"
    store = SQLiteLockStore(db=str(path), busy_timeout_s=0.3)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    try:
        began = time.monotonic()
        with pytest.raises(LockError):
            store.issue_ticket("conv")
        assert time.monotonic() - began < 3
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.issue_ticket("conv") == 0  # and it works again afterwards


def test_endpoints_yml_names_it_and_rasa_allows_several_workers(tmp_path, monkeypatch):
    from rasa.core.utils import number_of_sanic_workers

    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "tracker.db"))
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://127.0.0.1:9/webhook")
    config = read_endpoint_config(str(ROOT / "endpoints.yml"), "lock_store")
    assert config.type == "runtime.lock_store.SQLiteLockStore"
    store = LockStore.create(config)
    assert isinstance(store, SQLiteLockStore)
    assert store.path == Path(tmp_path / "tracker.db")
    store.ping()
    monkeypatch.setenv("SANIC_WORKERS", "2")
    assert number_of_sanic_workers(config) == 2


def test_made_from_an_endpoint_config_without_a_file_is_refused():
    with pytest.raises(ValueError, match="db"):
        SQLiteLockStore(EndpointConfig(type="runtime.lock_store.SQLiteLockStore"))
