"""``GET /ready``: 200 when the model, tracker store and lock store answer, else 503.

Registered in credentials.yml as ``channels.ready.ReadyInput`` (it takes no messages).
Rasa mounts each channel under ``/webhooks/<url_prefix>``; this one's prefix is ``/``, so
the route is ``/ready`` as load balancers, Docker's HEALTHCHECK and the Helm readiness probe
expect. ``GET /`` stays Rasa's plain liveness answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response


async def _check(fn, *args) -> str:
    try:
        await asyncio.wait_for(asyncio.to_thread(fn, *args), timeout=3)
        return "ok"
    except Exception as error:  # report any failure as text
        return f"unavailable: {type(error).__name__}: {error}"[:300]


def _ping_tracker_store(store) -> None:
    inner = getattr(store, "_tracker_store", store)
    engine = getattr(inner, "engine", None)
    if engine is not None:
        import sqlalchemy

        with engine.connect() as connection:
            connection.execute(sqlalchemy.text("SELECT 1"))


def _ping_lock_store(store) -> None:
    ping = getattr(store, "ping", None) or getattr(getattr(store, "red", None), "ping", None)
    if ping is not None:  # runtime.lock_store.SQLiteLockStore, or Redis
        ping()


async def ready(request):
    agent = getattr(request.app.ctx, "agent", None)
    if agent is None or not agent.is_ready():
        return response.json({"model": "not loaded"}, status=503)
    checks = {
        "model": "ok",
        "tracker_store": await _check(_ping_tracker_store, agent.tracker_store),
        "lock_store": await _check(_ping_lock_store, agent.lock_store),
    }
    ok = all(value == "ok" for value in checks.values())
    return response.json(checks, status=200 if ok else 503)


class ReadyInput(InputChannel):
    """The readiness check, mounted the way Rasa mounts input channels."""

    @classmethod
    def name(cls) -> str:
        return "ready"

    def url_prefix(self) -> str:
        return "/"  # Rasa joins it to "/webhooks/": the route is /ready

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        checks = Blueprint("runtime_ready", __name__)
        checks.add_route(ready, "/ready", methods=["GET"])
        return checks
