"""A Redis lock store whose ticket operations are atomic across processes.

Rasa 3.6's RedisLockStore keeps each conversation's ticket lock as one JSON value and
changes it by read, modify, write. Two Rasa processes that receive messages of the same
conversation at the same moment can both read "no lock", both take ticket 0 and process
the two turns at once; the SQL tracker store then keeps only one of the two turns (it
saves "the events after the number already stored"). The scale-out tests showed exactly
that: of six simultaneous messages to two servers, two were lost.

Here every change of a lock runs in a Redis transaction (WATCH/MULTI/EXEC, retried when
another process changed the lock in between), so tickets are unique and turns of one
conversation never overlap. Selected in endpoints.scaled.yml with
`type: runtime.lock_store.AtomicRedisLockStore`; settings are those of Rasa's Redis lock
store (url, port, password, db, key_prefix, ...).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

MAX_ATTEMPTS = 200

# change(lock or None) -> (result, lock to store, or None to delete the key)
Change = Callable[[TicketLock | None], tuple[Any, TicketLock | None]]


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:  # how Rasa creates lock stores given by module path
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs}
        super().__init__(**kwargs)

    def _transact(self, conversation_id: str, change: Change) -> Any:
        import redis

        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            for _ in range(MAX_ATTEMPTS):
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    result, new_lock = change(lock)
                    pipe.multi()
                    if new_lock is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, new_lock.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # someone changed the lock meanwhile: read it again
        raise LockError(f"Lock for conversation '{conversation_id}' kept changing; gave up.")

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def change(lock: TicketLock | None):
            lock = lock or self.create_lock(conversation_id)
            return lock.issue_ticket(lock_lifetime), lock

        try:
            return self._transact(conversation_id, change)
        except LockError:
            raise
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        def change(lock: TicketLock | None):
            if lock is not None:
                lock.remove_expired_tickets()
            return None, lock

        self._transact(conversation_id, change)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def change(lock: TicketLock | None):
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return None, lock

        self._transact(conversation_id, change)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Give the ticket back; delete the lock when nobody else waits, in one step."""

        def change(lock: TicketLock | None):
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return None, lock if lock.is_someone_waiting() else None

        self._transact(conversation_id, change)
