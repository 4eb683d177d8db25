"""Rasa's socket.io channel for the website chat widget (web/), with two fixes.

1. Session persistence. Rasa 3.6 joins a client to its session's room with
   ``sio.enter_room(...)`` without ``await``; in python-socketio 5.12 (locked here) that
   method is a coroutine, so the client never joins, and with ``session_persistence: true``
   every bot reply goes to an empty room. This channel replaces the ``session_request``
   handler with one that awaits it (and leaves the previous session's room when a client
   switches to a new session).
2. Custom payloads. Rasa's ``SocketIOOutput.send_custom_json`` passes the payload to
   ``sio.emit`` as keyword arguments, so ``{"chart": {...}}`` fails with ``TypeError:
   emit() got an unexpected keyword argument 'chart'``; only ``{"data": {...}}`` works.
   This output sends any custom payload to the widget as ``{"custom": {...}}`` (Rasa's
   ``{"data": ...}`` form still works as before).
3. Signed tokens. With ``jwt_key`` (and ``jwt_method``, default HS256) in the credentials,
   Rasa's channel only lets a client connect whose socket.io ``auth`` object carries a JWT
   signed with that key, ``{"token": "<jwt>"}`` (the widget's ``authToken`` setting sends
   it; see README "Embed the chat widget"). The check happens once, when the socket
   connects. Rasa's own handler logs a stack trace for every expired token and fails on
   an ``auth`` that is not an object; this one refuses both with a one-line warning, and
   tells the client why (``connect_error`` with the message "unauthorized").
   Without ``jwt_key`` every client may connect, as before.
4. Several Sanic workers (SANIC_WORKERS > 1). A socket.io session lives in the memory of
   the worker that opened it. A WebSocket is one TCP connection, so it stays with that
   worker; socket.io's long-polling transport sends each request anew, and a request that
   the kernel hands to another worker is refused ("Invalid session"), so the chat breaks
   off half-way. With several workers this channel therefore accepts WebSocket only: the
   widget connects by WebSocket first, and where a proxy blocks WebSockets its polling
   fallback is refused at once, with the widget's "cannot reach" notice, instead of a
   session that fails later. The conversation itself is shared by all workers (tracker
   and lock store), so a reconnect that lands on the other worker continues it.
"""

from __future__ import annotations

import inspect
import logging
import os
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import jwt
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput as RasaSocketIOOutput
from sanic import Blueprint
from socketio.exceptions import ConnectionRefusedError as SocketRefused

logger = logging.getLogger(__name__)

# Keyword arguments that Rasa's own form ({"data": ..., "room": ...}) passes to emit().
_EMIT_KWARGS = {"data", "to", "room", "skip_sid", "namespace", "callback"}


class SocketIOOutput(RasaSocketIOOutput):
    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        if not isinstance(json_message, dict):
            return
        if "data" in json_message and set(json_message) <= _EMIT_KWARGS:
            await super().send_custom_json(recipient_id, dict(json_message), **kwargs)
            return
        await self._send_message(recipient_id, {"custom": json_message})


class SocketIOInput(RasaSocketIOInput):
    """``socketio`` channel whose replies go through :class:`SocketIOOutput`."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def handle(message: UserMessage) -> Any:
            out = message.output_channel
            if type(out) is RasaSocketIOOutput:
                message.output_channel = SocketIOOutput(out.sio, out.bot_message_evt)
            return await on_new_message(message)

        blueprint = super().blueprint(handle)
        sio = self.sio
        namespace = self.namespace
        if sanic_workers(os.environ) > 1:  # sessions are not shared between workers
            sio.eio.transports = ["websocket"]

        async def session_request(sid: str, data: Any) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = data.get("session_id")
            if not isinstance(session_id, str) or not session_id.strip():
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                for room in list(sio.rooms(sid, namespace=namespace)):
                    if room != sid and room != session_id:
                        await _maybe_await(sio.leave_room(sid, room, namespace=namespace))
                await _maybe_await(sio.enter_room(sid, session_id, namespace=namespace))
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)
            logger.debug("socket.io client %s joined session %s", sid, session_id)

        sio.on("session_request", session_request, namespace=namespace)
        if self.jwt_key:
            sio.on("connect", self._check_token, namespace=namespace)
        return blueprint

    async def _check_token(self, sid: str, environ: Any, auth: Any = None) -> bool:
        """Let a client connect only with a JWT signed with ``jwt_key`` in ``auth.token``."""
        token = auth.get("token") if isinstance(auth, dict) else None
        if not isinstance(token, str) or not token.strip():
            logger.warning("socket.io client %s refused: no token in its auth object", sid)
            raise SocketRefused("unauthorized")
        try:
            # as Rasa's check, with an optional "Bearer " and exactly the configured algorithm
            jwt.decode(token.strip().removeprefix("Bearer "), self.jwt_key,
                       algorithms=[self.jwt_algorithm or "HS256"])
        except jwt.PyJWTError as error:
            logger.warning("socket.io client %s refused: %s", sid, error)
            raise SocketRefused("unauthorized") from None
        logger.debug("socket.io client %s connected with a valid token", sid)
        return True

    def get_output_channel(self) -> SocketIOOutput | None:
        rasa_output = super().get_output_channel()
        if rasa_output is None:
            return None
        return SocketIOOutput(rasa_output.sio, rasa_output.bot_message_evt)


async def _maybe_await(result: Any) -> Any:
    """python-socketio made room calls coroutines in 5.x; accept either kind."""
    return await result if inspect.isawaitable(result) else result


def sanic_workers(env: Any) -> int:
    """The number of Sanic workers SANIC_WORKERS asks for (Rasa's own reading: 1 unless a
    whole number above 1)."""
    try:
        return max(1, int(env.get("SANIC_WORKERS", "1")))
    except ValueError:
        return 1
