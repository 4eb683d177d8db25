"""Reading events from the tracker store Rasa writes: its table ``events`` (one row per
event: id, sender_id, type_name, timestamp, intent_name, action_name, data as JSON text),
in SQLite (``make run``) or PostgreSQL (``make run PROFILE=scaled``), through SQLAlchemy.

The store is chosen like ``make run`` chooses it: ``PROFILE=default`` is the SQLite file
``TRACKER_DB`` (``var/tracker.db``); ``PROFILE=scaled`` is PostgreSQL from ``DB_HOST``,
``DB_PORT``, ``DB_USER``, ``DB_PASSWORD`` and ``DB_NAME`` (endpoints.scaled.yml), with the
defaults scripts/run.sh gives them. The store is only read, never written.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import sqlalchemy as sa

# What the review needs; the other event types (slots, loops, featurization) are not read.
EVENT_TYPES = ("user", "bot", "action", "session_started")


class StoreError(Exception):
    """The store cannot be read; the message says why, for the person running the report."""


class Row(NamedTuple):
    id: int
    sender_id: str
    type_name: str
    timestamp: float
    intent_name: str | None
    action_name: str | None
    data: str | None


@dataclass(frozen=True)
class StoreSettings:
    url: sa.engine.URL
    description: str  # for the report and messages; never contains a password

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> StoreSettings:
        env = os.environ if env is None else env
        profile = env.get("PROFILE", "default") or "default"
        if profile == "default":
            return cls.sqlite(Path(env.get("TRACKER_DB") or "var/tracker.db"))
        if profile == "scaled":
            port = env.get("DB_PORT") or "5432"
            if not port.isdigit():
                raise StoreError(f"DB_PORT must be a number, not {port!r}")
            url = sa.engine.URL.create(
                "postgresql",
                username=env.get("DB_USER") or "postgres",
                password=env.get("DB_PASSWORD") or None,
                host=env.get("DB_HOST") or "127.0.0.1",
                port=int(port),
                database=env.get("DB_NAME") or "magnesium_bot",
            )
            return cls(url, f"PostgreSQL database {url.database!r} on {url.host}:{url.port}")
        raise StoreError(f"unknown PROFILE={profile!r}; use default or scaled")

    @classmethod
    def sqlite(cls, path: Path) -> StoreSettings:
        # read-only: a missing file is reported, not created
        url = sa.engine.URL.create(
            "sqlite", database=f"file:{path}", query={"mode": "ro", "uri": "true"})
        return cls(url, f"SQLite file {path}")

    @property
    def sqlite_path(self) -> Path | None:
        if self.url.get_backend_name() != "sqlite":
            return None
        return Path(str(self.url.database).removeprefix("file:"))


def day_bounds(since: dt.date, until: dt.date) -> tuple[float, float]:
    """Epoch seconds from the start of ``since`` to the end of ``until`` (UTC days)."""
    start = dt.datetime.combine(since, dt.time(), tzinfo=dt.timezone.utc)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tzinfo=dt.timezone.utc)
    return start.timestamp(), end.timestamp()


def read_rows(settings: StoreSettings, since: dt.date, until: dt.date) -> list[Row]:
    """The events from ``since`` to ``until`` (whole UTC days), per sender in stored order.

    An empty store (no file yet, no ``events`` table, no events) gives an empty list.
    """
    path = settings.sqlite_path
    if path is not None and not path.is_file():
        return []
    start, end = day_bounds(since, until)
    engine = sa.create_engine(settings.url)
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table("events"):
                return []
            events = sa.Table("events", sa.MetaData(), autoload_with=connection)
            query = (
                sa.select(events.c.id, events.c.sender_id, events.c.type_name,
                          events.c.timestamp, events.c.intent_name, events.c.action_name,
                          events.c.data)
                .where(events.c.timestamp >= start, events.c.timestamp < end,
                       events.c.type_name.in_(EVENT_TYPES))
                .order_by(events.c.sender_id, events.c.id)
            )
            return [Row(*row) for row in connection.execute(query)]
    except sa.exc.SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise StoreError(f"cannot read the {settings.description}: {reason}") from error
    finally:
        engine.dispose()
