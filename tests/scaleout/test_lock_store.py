"""runtime.lock_store.AtomicRedisLockStore against a real Redis (skips without one).

Many clients, each with its own connection like separate Rasa servers, take and give back
tickets of one conversation at the same time: every ticket must be unique and the lock
must end up empty. (Rasa's own RedisLockStore reads, changes and writes the lock in three
steps, so clients racing like this can get the same ticket; see runtime/lock_store.py.)
"""

from __future__ import annotations

import secrets
from functools import partial

import pytest

from harness.net import reachable, start_parallel
from runtime.lock_store import AtomicRedisLockStore

CLIENTS = 8
TICKETS_EACH = 25


@pytest.fixture
def stores():
    if not reachable(6379):
        pytest.skip("Redis not reachable on 127.0.0.1:6379 (make services starts it)")
    prefix = f"locktest{secrets.token_hex(6)}"
    made = [AtomicRedisLockStore(host="127.0.0.1", port=6379, db=1, key_prefix=prefix)
            for _ in range(CLIENTS)]
    yield made
    for key in made[0].red.scan_iter(f"{prefix}:*"):
        made[0].red.delete(key)


def _in_parallel(stores, work) -> None:
    """``work(store)`` for every store in its own thread, all starting at the same moment."""
    start_parallel(*(partial(work, store) for store in stores), together=True)


def test_simultaneous_tickets_are_unique(stores):
    issued: list[int] = []

    def take(store):
        for _ in range(TICKETS_EACH):
            issued.append(store.issue_ticket("conv", lock_lifetime=60))

    _in_parallel(stores, take)
    assert sorted(issued) == list(range(CLIENTS * TICKETS_EACH))
    lock = stores[0].get_lock("conv")
    assert [t.number for t in lock.tickets] == list(range(CLIENTS * TICKETS_EACH))


def test_simultaneous_cleanup_leaves_no_lock_behind(stores):
    tickets = {id(s): [s.issue_ticket("conv2", 60) for _ in range(5)] for s in stores}

    def give_back(store):
        for ticket in tickets[id(store)]:
            store.cleanup("conv2", ticket)

    _in_parallel(stores, give_back)
    assert stores[0].get_lock("conv2") is None


def test_created_from_an_endpoint_config_like_rasa_does(stores):
    from rasa.core.lock_store import LockStore
    from rasa.utils.endpoints import EndpointConfig

    config = EndpointConfig(url="127.0.0.1", port="6379", db="1", password="",
                            key_prefix="lockcfgtest",
                            type="runtime.lock_store.AtomicRedisLockStore")
    store = LockStore.create(config)
    assert isinstance(store, AtomicRedisLockStore)
    assert store.key_prefix.startswith("lockcfgtest:")
    assert store.red.ping()
