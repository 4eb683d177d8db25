"""Retention: stored conversations are deleted RETENTION_DAYS (default 30) after their
last message.

A conversation is one ``sender_id`` in the SQL tracker store's ``events`` table (Rasa's
``SQLTrackerStore``, runtime/tracker_store.py). When the newest event of a conversation is
older than the retention period, all of its events are deleted; a conversation with any
newer event is kept whole (deleting only its old turns would leave a tracker Rasa cannot
replay). Two ways run the same code:

- the Rasa server (``python -m runtime run``) purges every PURGE_INTERVAL_MINUTES (default
  60), the first time right after it starts, and drops the purged conversations from the
  tracker store's in-memory cache. Conversations a turn is working on right now are left for
  the next round;
- ``python -m runtime.retention [--endpoints FILE] [--days N] [--dry-run]`` (``make purge``)
  purges once, from the tracker store the endpoints file describes. A server that runs
  meanwhile notices through its cache check (the conversation's newest event id changed)
  and reads the database again.

``RETENTION_DAYS=off`` keeps conversations forever (then neither purges). Deletion works in
batches of conversations, each in its own short transaction, on SQLite and PostgreSQL.
Nothing here logs what a conversation said or who it was with, only counts.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import time
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

logger = logging.getLogger("runtime.retention")

DEFAULT_DAYS = 30.0
DEFAULT_INTERVAL_MINUTES = 60.0
OFF = {"off", "never", "forever"}
BATCH = 200  # conversations per transaction
DAY = 86400.0

EVENTS = sa.table("events", sa.column("id"), sa.column("sender_id"), sa.column("timestamp"))
# runtime.lock_store.SQLiteLockStore's table, when the locks share the tracker's database
LOCKS = sa.table("conversation_locks", sa.column("conversation_id"), sa.column("held_until"))


# ------------------------------------------------------------------------- settings


def retention_days(env: Mapping[str, str]) -> float | None:
    """RETENTION_DAYS: days after a conversation's last event until it is deleted; None
    for "off" (keep forever)."""
    raw = env.get("RETENTION_DAYS", "").strip().lower()
    if not raw:
        return DEFAULT_DAYS
    if raw in OFF:
        return None
    try:
        days = float(raw)
    except ValueError:
        raise SystemExit(f"error: RETENTION_DAYS={raw!r} is not a number of days "
                         "(or 'off' to keep conversations forever)") from None
    if not days > 0:  # also NaN
        raise SystemExit(f"error: RETENTION_DAYS must be more than 0, got {raw} "
                         "('off' keeps conversations forever)")
    return days


def purge_interval(env: Mapping[str, str]) -> float:
    """PURGE_INTERVAL_MINUTES, in seconds: how often the running server purges."""
    raw = env.get("PURGE_INTERVAL_MINUTES", "").strip()
    if not raw:
        return DEFAULT_INTERVAL_MINUTES * 60
    try:
        minutes = float(raw)
    except ValueError:
        raise SystemExit(f"error: PURGE_INTERVAL_MINUTES={raw!r} is not a number") from None
    if not minutes >= 0.01:
        raise SystemExit(f"error: PURGE_INTERVAL_MINUTES must be at least 0.01, got {raw}")
    return minutes * 60


# ---------------------------------------------------------------------------- purge


@dataclass
class PurgeResult:
    conversations: int = 0
    events: int = 0
    seconds: float = 0.0
    sender_ids: list[str] = field(default_factory=list)

    def add(self, other: PurgeResult) -> None:
        self.conversations += other.conversations
        self.events += other.events
        self.sender_ids += other.sender_ids


def _has_events_table(engine: sa.engine.Engine) -> bool:
    return sa.inspect(engine).has_table("events")


def _drop_expired_locks(engine: sa.engine.Engine, conn: Any) -> None:
    """Delete the lock rows whose every ticket has expired: left by a process that died in
    the middle of a turn, they would keep the conversation's id in the database."""
    if sa.inspect(engine).has_table(LOCKS.name):
        conn.execute(sa.delete(LOCKS).where(LOCKS.c.held_until < time.time()))


def _held_locks(engine: sa.engine.Engine) -> Any | None:
    """Conversations whose turn lock some process holds right now (a ticket not expired),
    as a subquery, when the lock store keeps its locks in this database; else None."""
    if not sa.inspect(engine).has_table(LOCKS.name):
        return None
    return sa.select(LOCKS.c.conversation_id).where(LOCKS.c.held_until >= time.time())


def _stale(cutoff: float, keep: Collection[str], limit: int):
    """Conversations whose newest event is older than `cutoff`, except `keep`."""
    query = (sa.select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id)
             .having(sa.func.max(EVENTS.c.timestamp) < cutoff))
    if keep:
        query = query.where(EVENTS.c.sender_id.not_in(list(keep)))
    return query.order_by(EVENTS.c.sender_id).limit(limit)


def purge_batches(engine: sa.engine.Engine, cutoff: float, *, keep: Collection[str] = (),
                  batch: int = BATCH, dry_run: bool = False) -> Iterator[PurgeResult]:
    """Delete, batch by batch, every conversation whose newest event is older than
    `cutoff` (a Unix time); yields what each batch deleted (or would delete)."""
    if not _has_events_table(engine):
        return
    seen: set[str] = set()
    while True:
        with engine.begin() as conn:
            senders = [row[0] for row in conn.execute(_stale(cutoff, [*keep, *seen], batch))]
            if not senders:
                if not dry_run:
                    _drop_expired_locks(engine, conn)
                return
            if dry_run:
                seen.update(senders)
                count = conn.execute(sa.select(sa.func.count()).select_from(EVENTS)
                                     .where(EVENTS.c.sender_id.in_(senders))).scalar()
                yield PurgeResult(len(senders), int(count or 0), sender_ids=senders)
                continue
            # Checked again in the same statement: a conversation that got a new event
            # since the query above stays whole, and so does one whose turn a Sanic worker
            # or server is taking right now (its lock is held: it may be about to save).
            fresh = (sa.select(EVENTS.c.sender_id)
                     .where(EVENTS.c.sender_id.in_(senders), EVENTS.c.timestamp >= cutoff))
            keep_now = [EVENTS.c.sender_id.not_in(fresh)]
            held = _held_locks(engine)
            if held is not None:
                keep_now.append(EVENTS.c.sender_id.not_in(held))
            deleted = conn.execute(
                sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(senders), *keep_now)
            ).rowcount
            left = {row[0] for row in conn.execute(
                sa.select(EVENTS.c.sender_id).distinct().where(EVENTS.c.sender_id.in_(senders)))}
        seen.update(left)  # kept because they became active: not asked for again
        gone = [s for s in senders if s not in left]
        yield PurgeResult(len(gone), int(deleted or 0), sender_ids=gone)


def purge(engine: sa.engine.Engine, days: float, *, now: float | None = None,
          keep: Collection[str] = (), dry_run: bool = False) -> PurgeResult:
    """Delete every conversation whose newest event is more than `days` old."""
    started = time.perf_counter()
    cutoff = (time.time() if now is None else now) - days * DAY
    result = PurgeResult()
    for part in purge_batches(engine, cutoff, keep=keep, dry_run=dry_run):
        result.add(part)
    result.seconds = time.perf_counter() - started
    return result


# ------------------------------------------------------------------ the running server


def sql_store(store: Any) -> Any | None:
    """The SQL tracker store inside Rasa's wrappers (FailSafeTrackerStore), or None."""
    inner = getattr(store, "_tracker_store", store)
    return inner if isinstance(getattr(inner, "engine", None), sa.engine.Engine) else None


async def purge_store(store: Any, days: float, *, now: float | None = None) -> PurgeResult:
    """Purge a running server's tracker store on its event loop, batch by batch, and drop
    the purged conversations from the store's cache (runtime/tracker_store.py)."""
    started = time.perf_counter()
    result = PurgeResult()
    cutoff = (time.time() if now is None else now) - days * DAY
    in_turn = getattr(store, "conversations_in_turn", lambda: set())
    forget = getattr(store, "forget", lambda _senders: None)
    batches = purge_batches(store.engine, cutoff, keep=in_turn())
    while True:
        part = next(batches, None)  # one short transaction; Rasa's turns wait meanwhile
        if part is None:
            break
        forget(part.sender_ids)
        result.add(part)
        await asyncio.sleep(0)  # let waiting turns run between batches
    result.seconds = time.perf_counter() - started
    return result


async def _purge_periodically(app: Any, days: float, interval: float) -> None:
    while True:
        agent = getattr(app.ctx, "agent", None)
        store = sql_store(getattr(agent, "tracker_store", None)) if agent else None
        if agent is not None and store is None:
            logger.warning("Retention: the tracker store is not an SQL store; conversations "
                           "are not purged by this server.")
            return
        if store is not None:
            try:
                result = await purge_store(store, days)
            except Exception as error:  # e.g. the database is down: try again next round
                logger.warning("Retention: purge failed (%s); next try in %.0f s.",
                               type(error).__name__, interval)
            else:
                logger.info("Retention: deleted %d conversations (%d events) older than %g "
                            "days in %.3f s.", result.conversations, result.events, days,
                            result.seconds)
        await asyncio.sleep(interval)


def schedule_purges(app: Any, env: Mapping[str, str] | None = None) -> None:
    """Make the Rasa server's Sanic `app` purge old conversations while it runs: a task
    started after the server starts (when the agent and its tracker store exist) and
    cancelled before it stops."""
    env = os.environ if env is None else env
    days = retention_days(env)
    if days is None:
        logger.info("Retention: RETENTION_DAYS=off; conversations are kept forever.")
        return
    interval = purge_interval(env)

    async def start(app: Any, _loop: Any) -> None:
        app.ctx.retention_task = asyncio.create_task(_purge_periodically(app, days, interval))

    async def stop(app: Any, _loop: Any) -> None:
        task = getattr(app.ctx, "retention_task", None)
        if task is not None:
            task.cancel()

    app.register_listener(start, "after_server_start")
    app.register_listener(stop, "before_server_stop")


# ------------------------------------------------------------------------------- CLI


def store_url(endpoints: str) -> Any:
    """The SQLAlchemy URL of the tracker store an endpoints file describes (its ${VARS}
    expanded from the environment, as Rasa does)."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.utils.endpoints import read_endpoint_config

    config = read_endpoint_config(endpoints, "tracker_store")
    if config is None:
        raise SystemExit(f"error: {endpoints} has no tracker_store")
    kwargs = config.kwargs
    dialect = kwargs.get("dialect", "sqlite")
    if config.type != "sql" and "SQLTrackerStore" not in str(config.type):
        raise SystemExit(f"error: the tracker store of {endpoints} ({config.type}) is not "
                         "an SQL store; nothing to purge here")
    port = kwargs.get("port")
    return SQLTrackerStore.get_db_url(
        dialect, config.url, int(port) if port else None, kwargs.get("db", "rasa.db"),
        kwargs.get("username"), kwargs.get("password"), None, kwargs.get("query"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m runtime.retention",
        description="Delete stored conversations whose last event is older than the "
                    "retention period (RETENTION_DAYS, default 30).")
    parser.add_argument("--endpoints", default="endpoints.yml",
                        help="endpoints file whose tracker_store to purge (default: %(default)s)")
    parser.add_argument("--days", type=float, default=None,
                        help="retention period in days (default: RETENTION_DAYS or 30)")
    parser.add_argument("--dry-run", action="store_true",
                        help="count what would be deleted, delete nothing")
    args = parser.parse_args(argv)
    days = args.days if args.days is not None else retention_days(os.environ)
    if days is None:
        print("RETENTION_DAYS=off: conversations are kept forever; nothing purged.")
        return 0
    if not days > 0:
        raise SystemExit("error: --days must be more than 0")
    url = store_url(args.endpoints)
    url = sa.engine.make_url(url)
    where = f"{url.get_backend_name()} {url.database}"
    if url.get_backend_name() == "sqlite" and not os.path.exists(url.database or ""):
        print(f"No conversations stored yet ({url.database} does not exist); nothing purged.")
        return 0
    engine = sa.create_engine(url)
    try:
        result = purge(engine, days, dry_run=args.dry_run)
    except sa.exc.OperationalError as error:
        print(f"error: cannot reach the tracker store ({where}): "
              f"{str(error.orig).strip().splitlines()[0]}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    verb = "would delete" if args.dry_run else "deleted"
    print(f"Retention {days:g} days: {verb} {result.conversations} conversations "
          f"({result.events} events) from {where} in {result.seconds:.3f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
