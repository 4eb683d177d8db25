"""Custom actions run inside the Rasa server's process, through rasa-sdk's own executor.

Selected by ``actions_module`` under ``action_endpoint`` in endpoints.yml, which reads the
``ACTIONS_MODULE`` environment variable (README: "Actions in the server or apart"): set to
``actions`` the project's actions run here; empty, Rasa calls the action server at ``url``
as before. endpoints.scaled.yml has no ``actions_module``: the scaled profile keeps the
action server.

Only the transport changes. ``EndpointConfig.request`` (installed by runtime/patches.py)
hands the call Rasa would POST to the action server to rasa-sdk's ``ActionExecutor`` and
answers as rasa-sdk's webhook does: the result, or status 400 with the rejection of a form
validation, 404 for an unknown action, 500 for an action that raised. Everything else is
Rasa's own ``RemoteAction.run``: the reply's check against its schema, the responses, the
events, the errors, and the guards of runtime/action_failures.py (time limit, apology).
The call and the result go through JSON, as over HTTP, so an action gets its own copy of the
conversation and Rasa reads back exactly what it would have received. The domain's JSON
(115 KB, the same dictionary on every call until the model changes) is written once and
kept; each call still reads it into a copy of its own.

Actions run on a small pool of threads (``ACTIONS_THREADS``, default 4), each with its own
event loop, never on the server's: a slow or hanging action does not hold up the other
conversations, and the time limit still answers the user (the thread finishes on its own).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from rasa.utils.endpoints import ClientResponseError, EndpointConfig

logger = logging.getLogger("runtime")

MODULE_KEY = "actions_module"
DEFAULT_THREADS = 4

_original_request = EndpointConfig.request
_executors: dict[str, Any] = {}
_load_lock = threading.Lock()
_local = threading.local()
_pool: ThreadPoolExecutor | None = None
# (the domain dictionary Rasa sent, its JSON): Rasa hands the same dictionary on each call
_domain_json: tuple[Any, str] | None = None


def actions_module(endpoint: EndpointConfig | None) -> str | None:
    """The module whose actions run in this process, or None for the action server."""
    module = (endpoint.kwargs.get(MODULE_KEY) if endpoint is not None else None) or ""
    return str(module).strip() or None


def _threads() -> int:
    try:
        return max(1, int(os.environ.get("ACTIONS_THREADS", "") or DEFAULT_THREADS))
    except ValueError:
        return DEFAULT_THREADS


def _executor(module: str) -> Any:
    with _load_lock:
        if module not in _executors:
            from rasa_sdk.executor import ActionExecutor

            executor = ActionExecutor()
            executor.register_package(module)
            _executors[module] = executor
        return _executors[module]


def call_parts(call: dict[str, Any]) -> tuple[str, str | None]:
    """The JSON of an action call without its domain, and the domain's JSON (kept from the
    previous call while Rasa sends the same dictionary)."""
    global _domain_json
    if "domain" not in call:
        return json.dumps(call), None
    domain = call["domain"]
    kept = _domain_json
    if kept is None or kept[0] is not domain:
        kept = _domain_json = (domain, json.dumps(domain))
    return json.dumps({k: v for k, v in call.items() if k != "domain"}), kept[1]


def run_call(module: str, call_json: str, domain_json: str | None = None) -> tuple[int, str]:
    """Run one action call (the JSON Rasa sends, its domain apart); (HTTP status, JSON body)
    as rasa-sdk's webhook would answer. Runs in a pool thread, on that thread's own event
    loop."""
    from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException

    loop = getattr(_local, "loop", None)
    if loop is None:
        loop = _local.loop = asyncio.new_event_loop()
    executor = _executor(module)
    call = json.loads(call_json)
    if domain_json is not None:
        call["domain"] = json.loads(domain_json)
    try:
        result = loop.run_until_complete(executor.run(call))
    except ActionExecutionRejection as e:
        logger.debug(e)
        return 400, json.dumps({"error": e.message, "action_name": e.action_name})
    except ActionNotFoundException as e:
        logger.error(e)
        return 404, json.dumps({"error": e.message, "action_name": e.action_name})
    except Exception:  # the action raised: rasa-sdk's server answers 500
        logger.exception("Custom action '%s' raised", call.get("next_action"))
        return 500, json.dumps({"error": "the action raised an exception"})
    return 200, json.dumps(result)


async def request(self: EndpointConfig, method: str = "post", subpath: str | None = None,
                  content_type: str | None = "application/json", compress: bool = False,
                  **kwargs: Any) -> Any:
    """Replaces ``EndpointConfig.request``: an action endpoint with ``actions_module`` runs
    the call here; every other endpoint sends its HTTP request as before."""
    module = actions_module(self)
    if module is None:
        return await _original_request(self, method, subpath, content_type, compress,
                                       **kwargs)
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=_threads(), thread_name_prefix="actions")
    call_json, domain_json = call_parts(kwargs.get("json") or {})
    status, body = await asyncio.get_running_loop().run_in_executor(
        _pool, run_call, module, call_json, domain_json)
    if status >= 400:
        raise ClientResponseError(status, "in-process action failed", body.encode())
    return json.loads(body)
