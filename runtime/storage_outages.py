"""Tracker store or lock store down: an error the user is told about, not a silent reset.

Rasa's `FailSafeTrackerStore` would log the error and carry on with an in-memory store:
the user loses the conversation and what is said meanwhile is never saved. Installed by
runtime/patches.py, its two error callbacks raise `StorageUnavailable` instead; the message
handler (runtime/messages.py) answers such an error, and any lock-store, Redis or SQL error,
with `utter_storage_unavailable`, and the next message after the outage works normally.
SQL connections are checked before use (`pool_pre_ping`), so recovery needs no restart.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core import tracker_store as rasa_tracker_store
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import LockError
from rasa.shared.exceptions import RasaException

from runtime.replies import collected, say

logger = logging.getLogger("runtime")

UTTER_STORAGE_UNAVAILABLE = "utter_storage_unavailable"


class StorageUnavailable(RasaException):
    """The tracker store could not be read or written."""


def _storage_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [StorageUnavailable, LockError]
    try:
        import redis.exceptions

        errors.append(redis.exceptions.RedisError)
    except ImportError:  # pragma: no cover - redis is a Rasa dependency
        pass
    try:
        import sqlalchemy.exc

        errors.append(sqlalchemy.exc.SQLAlchemyError)
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


STORAGE_ERRORS = _storage_errors()


async def tell_storage_unavailable(agent: Agent, message: UserMessage, error: BaseException):
    """Log a storage outage met while handling `message` and tell the user to try again."""
    logger.error("Conversation storage unavailable while handling a message from %r "
                 "(%s: %s); the user was told to try again.",
                 message.sender_id, type(error).__name__, error)
    await say(agent, message, UTTER_STORAGE_UNAVAILABLE)
    return collected(message)


def raise_storage_unavailable(self, error: Exception) -> None:
    """Replaces FailSafeTrackerStore's "log and fall back to memory" callbacks."""
    store = type(getattr(self, "_tracker_store", self)).__name__
    raise StorageUnavailable(f"{store} is unavailable: {error}") from error


_original_engine_kwargs = rasa_tracker_store.create_engine_kwargs


def engine_kwargs(url: Any) -> dict[str, Any]:
    """Replaces `rasa.core.tracker_store.create_engine_kwargs`: adds `pool_pre_ping`."""
    kwargs = dict(_original_engine_kwargs(url))
    kwargs.setdefault("pool_pre_ping", True)  # drop connections a database restart killed
    return kwargs
