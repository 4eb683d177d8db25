"""The Sanic app Rasa builds for `python -m runtime run`, completed for the runtime.

`configure_app` replaces `rasa.core.run.configure_app` (runtime/patches.py) and is the one
place that sees every app Rasa serves, whatever the credentials file holds:

- without the HTTP API nothing needs big bodies, so requests and websocket messages are
  limited to 1 MiB (the REST channel has its own, smaller limit: channels/rest.py);
- a `StorageUnavailable` raised while answering an HTTP API call becomes a 503 with the
  reason (runtime/storage_outages.py);
- the retention purge runs alongside the server (runtime/retention.py `schedule_purges`).

Work that should run alongside the server starts here: register it on the app, e.g.
``app.register_listener(start_job, "after_server_start")``; by then Rasa's own before-start
listener has loaded the agent (``app.ctx.agent``: model, tracker store, lock store).
"""

from __future__ import annotations

import inspect
from typing import Any

from rasa.core import run as rasa_run
from sanic import response

from runtime.retention import schedule_purges
from runtime.storage_outages import StorageUnavailable

MAX_BYTES_WITHOUT_API = 1024 * 1024

_original_configure_app = rasa_run.configure_app


async def _storage_unavailable(request, exception):
    return response.json({"error": str(exception)}, status=503)


def configure_app(*args: Any, **kwargs: Any):
    """Replaces `rasa.core.run.configure_app`: Rasa's app, then the settings above."""
    app = _original_configure_app(*args, **kwargs)
    bound = inspect.signature(_original_configure_app).bind(*args, **kwargs)
    bound.apply_defaults()
    if not bound.arguments.get("enable_api"):
        # Without the model upload API nothing needs big bodies (socket.io polls are small).
        app.config.REQUEST_MAX_SIZE = MAX_BYTES_WITHOUT_API
        app.config.WEBSOCKET_MAX_SIZE = MAX_BYTES_WITHOUT_API
    app.exception(StorageUnavailable)(_storage_unavailable)
    schedule_purges(app)  # retention: purge old conversations while the server runs
    return app
