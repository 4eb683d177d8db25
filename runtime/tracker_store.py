"""Rasa's SQL tracker store, with the same tables and behaviour, made cheaper per turn.

``type: runtime.tracker_store.CachedSQLTrackerStore`` in endpoints.yml. Measured with
cProfile on the test-story conversations, Rasa 3.6's ``SQLTrackerStore`` took about 40 % of
the server's time per message (BENCHMARKS.md): each turn it opens a new database connection
(SQLAlchemy's ``NullPool`` for SQLite files), reads and JSON-decodes every event of the
conversation, replays them into a new tracker, counts the stored events again before
saving, and makes SQLite sync the disk on every commit.

This subclass changes three things, none of which changes what is stored:

1. SQLite only: one pooled connection instead of a new one per query, the write-ahead log
   (``journal_mode=WAL``) and ``synchronous=NORMAL``. A crash of the process loses nothing
   committed; a power cut can lose the last commits (SQLite's documented trade-off for WAL
   with NORMAL). Other databases keep Rasa's engine settings.
2. The tracker a turn saved is kept in memory (at most ``cache_size`` conversations and
   ``cache_events`` events in all, least recently used dropped first; trackers of the test
   stories took about 1.9 kB per event (tracemalloc), so the defaults hold about 40 MB)
   and handed to the next ``retrieve`` of that conversation instead of being rebuilt from
   the database, when both of these hold:
   - the database still ends with the event this process wrote last for the conversation
     (one indexed query for the id and timestamp of its newest row; another server or
     Sanic worker that wrote to it since makes the tracker be read from the database as
     before). The timestamp matters on SQLite, which hands out the ids of deleted rows
     again: after another worker erased a conversation ("forget me", retention) and a new
     one of the same id was written, its newest row can have the old id, never also the
     old event's timestamp;
   - the tracker holds exactly the events that were saved (a turn that failed before saving
     leaves extra events in the object: it is dropped and read again).
   A cached tracker is handed out once: ``retrieve`` marks it as taken and only the
   ``save`` of that same object makes it available again, so two readers never share one
   object (a second reader meanwhile reads the database, as Rasa would). After a save that
   starts a session, what is kept is the tracker Rasa would read back (only the events
   from the session's start, built from the JSON just written), or nothing when that
   would need events of an earlier save.
3. ``save`` knows from the cache how many events are stored already and skips Rasa's count
   query (without a cache entry it counts as Rasa does), and writes the new events, the same
   columns as Rasa, with one multi-row INSERT instead of the ORM's row-by-row flush.

``cache_size: 0`` switches 2 and 3 off (then only 1 applies); both bounds can be set in the
endpoints file next to ``type``.

"Forget me": a turn in which ``action_delete_my_data`` set the ``delete_conversation``
slot (common/privacy.py) is not saved; :meth:`CachedSQLTrackerStore.forget_conversation`
deletes every stored event of that conversation and drops it from the cache instead, so
the next message starts a new conversation. (Rasa saves the tracker after the action has
run, so the action server could not do this itself; nor can it reach this store.)
"""

from __future__ import annotations

import itertools
import json
import logging
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from common.privacy import DELETE_CONVERSATION_SLOT

logger = logging.getLogger(__name__)

DEFAULT_CACHE_SIZE = 1000
DEFAULT_CACHE_EVENTS = 20_000


@dataclass
class _Entry:
    tracker: DialogueStateTracker
    saved_events: int  # len(tracker.events) when it was saved
    stored_in_session: int  # events of the latest session stored in the database
    last_row: tuple[int, float]  # id and timestamp of the newest row this process wrote
    handed_out: bool = False  # given to a turn by retrieve and not saved back yet


class CachedSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` with a pooled, WAL-mode SQLite engine and a write-through cache."""

    def __init__(self, *args: Any, cache_size: int | str = DEFAULT_CACHE_SIZE,
                 cache_events: int | str = DEFAULT_CACHE_EVENTS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cache_size = max(0, int(cache_size))
        self.cache_events = max(0, int(cache_events))
        self._cache: OrderedDict[str, _Entry] = OrderedDict()
        self._cached_events = 0  # sum of the entries' saved_events
        self._last_row_query: Any = None
        if self.engine.dialect.name == "sqlite":
            self._use_pooled_sqlite_engine()

    # ------------------------------------------------------------------ engine (SQLite)
    def _use_pooled_sqlite_engine(self) -> None:
        url = self.engine.url
        self.engine.dispose()
        engine = sa.create_engine(
            url,
            poolclass=sa.pool.QueuePool,
            pool_size=1,
            max_overflow=4,
            pool_pre_ping=True,
            # Rasa runs every query on the event-loop thread; a pooled connection may
            # still be closed by the pool from another thread at shutdown.
            connect_args={"check_same_thread": False},
        )

        @sa.event.listens_for(engine, "connect")
        def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        self.engine = engine
        self.sessionmaker = sa.orm.session.sessionmaker(bind=engine)

    # ------------------------------------------------------------------ cache
    def _last_row(self, session: Any, sender_id: str) -> tuple[int, float] | None:
        """Id and timestamp of the conversation's newest stored event (``max(id)`` on the
        sender_id index, then that row by its key), or None when nothing is stored."""
        if self._last_row_query is None:  # one statement, compiled once
            table = self.SQLEvent.__table__
            newest = sa.select(sa.func.max(table.c.id)).where(
                table.c.sender_id == sa.bindparam("sender_id")).scalar_subquery()
            self._last_row_query = sa.select(table.c.id, table.c.timestamp).where(
                table.c.id == newest)
        row = session.execute(self._last_row_query, {"sender_id": sender_id}).first()
        return None if row is None else (row[0], row[1])

    def _cached_entry(self, sender_id: str) -> _Entry | None:
        entry = self._cache.get(sender_id)
        if entry is None or entry.handed_out:
            return None  # not cached, or another turn holds it: read the database
        return entry

    def _take_cached(self, session: Any, sender_id: str) -> DialogueStateTracker | None:
        entry = self._cached_entry(sender_id)
        if entry is None:
            return None
        if len(entry.tracker.events) != entry.saved_events:
            self._drop(sender_id)  # changed after its last save: read it again
            return None
        if self._last_row(session, sender_id) != entry.last_row:
            self._drop(sender_id)  # someone else wrote to this conversation since
            return None
        entry.handed_out = True  # until the holder saves it, nobody else gets this object
        self._cache.move_to_end(sender_id)
        return entry.tracker

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        if self.cache_size and self._cached_entry(sender_id) is not None:
            with self.session_scope() as session:
                tracker = self._take_cached(session, sender_id)
            if tracker is not None:
                return tracker
        return await super().retrieve(sender_id)

    # ------------------------------------------------------------------ retention
    def conversations_in_turn(self) -> set[str]:
        """Conversations whose cached tracker a turn holds right now (retrieved, not yet
        saved); runtime/retention.py leaves them for its next round."""
        return {sender_id for sender_id, entry in self._cache.items() if entry.handed_out}

    def forget(self, sender_ids: Iterable[str]) -> None:
        """Drop the cached trackers of conversations deleted from the database."""
        for sender_id in sender_ids:
            self._drop(sender_id)

    # ------------------------------------------------------------------ save
    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the events Rasa would store, and remember the tracker for the next turn;
        a turn that asked to erase the conversation deletes it instead."""
        if _asks_to_forget(tracker):
            self.forget_conversation(tracker.sender_id)
            return
        if not self.cache_size:
            await super().save(tracker)
            return
        sender_id = tracker.sender_id
        entry = self._drop(sender_id)
        await self.stream_events(tracker)
        if not tracker.events:
            return  # a new, empty tracker: Rasa would count the stored events, write none
        with self.session_scope() as session:
            if entry is not None and entry.tracker is tracker:
                stored = entry.stored_in_session
            else:
                stored = self._event_query(
                    session, sender_id, fetch_events_from_all_sessions=False
                ).count()
            new_events = list(itertools.islice(tracker.events, stored, len(tracker.events)))
            rows = [self._row(sender_id, event) for event in new_events]
            if rows:
                session.execute(self.SQLEvent.__table__.insert(), rows)
            last_row = self._last_row(session, sender_id)
            session.commit()

        read_back = self._as_rasa_reads_it(tracker, stored, new_events, rows)
        if last_row is None or read_back is None:
            return  # the next retrieve reads the conversation from the database
        cached, in_session = read_back
        self._keep(sender_id, _Entry(
            tracker=cached,
            saved_events=len(cached.events),
            stored_in_session=in_session,
            last_row=last_row,
        ))

    # ------------------------------------------------------------------ forget me
    def forget_conversation(self, sender_id: str) -> int:
        """Delete every stored event of ``sender_id`` (all sessions) and its cache entry;
        returns the number of rows deleted. Nothing of the conversation is streamed."""
        self._drop(sender_id)
        table = self.SQLEvent.__table__
        with self.session_scope() as session:
            deleted = session.execute(
                table.delete().where(table.c.sender_id == sender_id)).rowcount
            session.commit()
        logger.info("erased a conversation at the user's request (%s events)", deleted)
        return int(deleted or 0)

    def _keep(self, sender_id: str, entry: _Entry) -> None:
        if entry.saved_events > self.cache_events:
            return  # a conversation longer than the whole cache is read from the database
        self._cache[sender_id] = entry
        self._cached_events += entry.saved_events
        while len(self._cache) > self.cache_size or self._cached_events > self.cache_events:
            self._drop(next(iter(self._cache)))  # the least recently used

    def _drop(self, sender_id: str) -> _Entry | None:
        entry = self._cache.pop(sender_id, None)
        if entry is not None:
            self._cached_events -= entry.saved_events
        return entry

    def _as_rasa_reads_it(
        self, tracker: DialogueStateTracker, stored: int, new_events: list[Any],
        rows: list[dict[str, Any]],
    ) -> tuple[DialogueStateTracker, int] | None:
        """The tracker Rasa's ``retrieve`` would build after this save, and its event count.

        Rasa reads back the events stamped at or after the latest ``SessionStarted``. Without
        a new session in this save that is the saved tracker itself. A save that starts a
        session keeps only the events from its start: in a new conversation Rasa's own
        ``action_session_start`` event is older than the ``SessionStarted`` it adds, so the
        next turn gets the tracker without it. That tracker is built as Rasa builds it, from
        the JSON just written; if it would need events stored by an earlier save, None (the
        next turn reads the database). ``new_events`` are the tracker's events from index
        ``stored`` on, written just now as ``rows``.
        """
        starts = [event.timestamp for event in new_events if isinstance(event, SessionStarted)]
        if not starts:
            return tracker, stored + len(new_events)
        start = starts[-1]
        kept = [i for i, event in enumerate(tracker.events) if event.timestamp >= start]
        if len(kept) == len(tracker.events):
            return tracker, len(kept)
        if not self.domain or not kept or kept[0] < stored:
            return None
        events = [json.loads(rows[i - stored]["data"]) for i in kept]
        return DialogueStateTracker.from_dict(tracker.sender_id, events, self.domain.slots), \
            len(kept)

    def _row(self, sender_id: str, event: Any) -> dict[str, Any]:
        """The columns Rasa's ``SQLTrackerStore.save`` writes for one event."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }


def _asks_to_forget(tracker: DialogueStateTracker) -> bool:
    """Whether the latest turn (the events since the last user message) set the
    ``delete_conversation`` slot to true."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, SlotSet) and event.key == DELETE_CONVERSATION_SLOT \
                and event.value is True:
            return True
    return False
