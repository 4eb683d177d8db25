"""Lock stores whose ticket operations are atomic across processes.

Rasa serialises the turns of one conversation with a ticket lock (rasa.core.lock): each
message takes the next ticket number, waits until that number is served, and gives it back
when its turn is saved; a ticket expires after its lifetime (TICKET_LOCK_LIFETIME, default
60 s) so a crashed holder cannot block the conversation for ever. Rasa's lock stores change
a lock by read, modify, write. Two processes that receive messages of the same conversation
at the same moment can both read "no lock", both take ticket 0 and process the two turns at
once; the SQL tracker store then keeps only one of the two turns (it saves "the events after
the number already stored"). The scale-out tests showed exactly that: of six simultaneous
messages to two servers, two were lost.

Here every change of a lock is one transaction, so tickets are unique and turns of one
conversation never overlap, whichever process or Sanic worker takes them:

- ``AtomicRedisLockStore`` (endpoints.scaled.yml): a Redis transaction (WATCH/MULTI/EXEC,
  retried when another process changed the lock in between). Settings are those of Rasa's
  Redis lock store (url, port, password, db, key_prefix, ...).
- ``SQLiteLockStore`` (endpoints.yml, the embedded default): a ``BEGIN IMMEDIATE``
  transaction in a SQLite file that every worker on the machine opens (``db``, by default
  the tracker store's file; the locks live in their own table, ``conversation_locks``).
  Because the locks live in the tracker's database, the retention purge deletes no
  conversation whose lock is held, in the same statement (runtime/retention.py).
  SQLite lets one writer in at a time and makes the others wait up to ``busy_timeout_s``
  (default 10 s); a lock store that cannot answer in that time raises ``LockError`` and the
  user gets utter_storage_unavailable (runtime/storage_outages.py). Locks are not worth a
  disk sync: the connection commits with ``synchronous=OFF`` (a power cut can lose a lock,
  which only lets a waiting turn go ahead early; a crash of the process loses nothing).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

MAX_ATTEMPTS = 200

# change(lock or None) -> (result, lock to store, or None to delete the key)
Change = Callable[[TicketLock | None], tuple[Any, TicketLock | None]]


class AtomicTickets:
    """Rasa's ticket operations, each done as one ``_transact`` (one atomic change of the
    lock): the subclass supplies ``_transact(conversation_id, change)``."""

    def _transact(self, conversation_id: str, change: Change) -> Any:
        raise NotImplementedError

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


class AtomicRedisLockStore(AtomicTickets, RedisLockStore):
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


class SQLiteLockStore(AtomicTickets, LockStore):
    """Ticket locks in a SQLite file shared by the processes (Sanic workers) of one machine.

    ``type: runtime.lock_store.SQLiteLockStore`` with ``db: <file>`` in endpoints.yml; the
    file is created when missing. Each process opens its own connection (again after a
    fork), so the store can be made before Sanic starts its workers.
    """

    TABLE = "conversation_locks"

    def __init__(self, endpoint_config: EndpointConfig | None = None, db: str = "",
                 busy_timeout_s: float | str = 10.0) -> None:
        if endpoint_config is not None:  # how Rasa creates lock stores given by module path
            db = str(endpoint_config.kwargs.get("db") or endpoint_config.url or db)
            busy_timeout_s = endpoint_config.kwargs.get("busy_timeout_s", busy_timeout_s)
        if not db:
            raise ValueError("SQLiteLockStore needs the SQLite file: `db: <path>`")
        self.path = Path(db)
        self.busy_timeout_s = float(busy_timeout_s)
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._guard = threading.Lock()  # one transaction at a time on this connection
        super().__init__()
        with self._guard:
            self._connect()  # fail at start-up, not at the first message

    def _connect(self) -> sqlite3.Connection:
        if self._connection is not None and self._pid == os.getpid():
            return self._connection
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: no implicit transactions; each change opens its own.
        connection = sqlite3.connect(self.path, timeout=self.busy_timeout_s,
                                     isolation_level=None, check_same_thread=False)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=OFF")
        # held_until: when the lock's last ticket expires (runtime/retention.py does not
        # delete a conversation whose lock is held)
        connection.execute(f"CREATE TABLE IF NOT EXISTS {self.TABLE} ("
                           "conversation_id TEXT PRIMARY KEY, lock TEXT NOT NULL, "
                           "held_until REAL NOT NULL)")
        self._connection, self._pid = connection, os.getpid()
        return connection

    def _transact(self, conversation_id: str, change: Change) -> Any:
        with self._guard:
            try:
                connection = self._connect()
                # IMMEDIATE: take the write lock before reading, so no other process can
                # change this lock between the read and the write.
                connection.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise LockError(f"Lock store {self.path} unavailable: {error}") from error
            try:
                row = connection.execute(
                    f"SELECT lock FROM {self.TABLE} WHERE conversation_id = ?",
                    (conversation_id,)).fetchone()
                lock = TicketLock.from_dict(json.loads(row[0])) if row else None
                result, new_lock = change(lock)
                if new_lock is None:
                    connection.execute(f"DELETE FROM {self.TABLE} WHERE conversation_id = ?",
                                       (conversation_id,))
                else:
                    held_until = max((t.expires for t in new_lock.tickets), default=0.0)
                    connection.execute(
                        f"INSERT INTO {self.TABLE} (conversation_id, lock, held_until) "
                        "VALUES (?, ?, ?) ON CONFLICT (conversation_id) DO UPDATE SET "
                        "lock = excluded.lock, held_until = excluded.held_until",
                        (conversation_id, new_lock.dumps(), held_until))
                connection.execute("COMMIT")
                return result
            except BaseException as error:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                if isinstance(error, sqlite3.Error):
                    raise LockError(f"Lock store {self.path}: {error}") from error
                raise

    def ping(self) -> None:
        """Read the lock table once (``GET /ready``, channels/ready.py)."""
        self.get_lock("")

    # The plain operations of Rasa's LockStore (each one statement, so atomic as well).
    def get_lock(self, conversation_id: str) -> TicketLock | None:
        with self._guard:
            try:
                row = self._connect().execute(
                    f"SELECT lock FROM {self.TABLE} WHERE conversation_id = ?",
                    (conversation_id,)).fetchone()
            except sqlite3.Error as error:
                raise LockError(f"Lock store {self.path}: {error}") from error
        return TicketLock.from_dict(json.loads(row[0])) if row else None

    def delete_lock(self, conversation_id: str) -> None:
        self._transact(conversation_id, lambda _lock: (None, None))

    def save_lock(self, lock: TicketLock) -> None:
        self._transact(lock.conversation_id, lambda _old: (None, lock))
