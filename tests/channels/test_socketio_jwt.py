"""channels.socketio.SocketIOInput with and without a signed token (credentials `jwt_key`).

A real socket.io server (tests/channels/socketio_echo.py: the channel registered on a Sanic
app the way `rasa run` registers input channels) and python-socketio's real client. The
assistant behind the channel is an echo handler: what is checked here is who may connect
and that messages and replies still flow, not the assistant's answers (tests/browser does
that end to end).
"""

from __future__ import annotations

import queue
import secrets
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import jwt
import pytest
import socketio

from harness.net import free_port, reachable
from harness.paths import ROOT, VENV_BIN

KEY = "socketio-jwt-key-for-tests-" + "x" * 16  # a test-only secret; protects nothing


@dataclass
class SocketServer:
    """tests/channels/socketio_echo.py in a subprocess on a free port."""

    workdir: Path
    jwt_key: str | None = None
    port: int = field(default_factory=free_port)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> SocketServer:
        self.log = self.workdir / "socketio.log"
        args = [str(self.port)] + ([self.jwt_key] if self.jwt_key else [])
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "python"), "-m", "tests.channels.socketio_echo", *args],
            cwd=ROOT, stdout=self.log.open("ab"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while not reachable(self.port):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"socket.io server not up:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.2)
        return self

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="module")
def open_server(tmp_path_factory):
    server = SocketServer(tmp_path_factory.mktemp("sio-open")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def jwt_server(tmp_path_factory):
    server = SocketServer(tmp_path_factory.mktemp("sio-jwt"), jwt_key=KEY).start()
    yield server
    server.stop()


def echo(text: str, session_id: str) -> dict:
    return {"text": f"echo: {text} | sender {session_id} | channel socketio"}


def token(key: str = KEY, *, expires_in: float = 300, algorithm: str = "HS256") -> str:
    now = int(time.time())
    return jwt.encode({"sub": "user-42", "iat": now, "exp": now + int(expires_in)}, key,
                      algorithm=algorithm)


def chat(server: SocketServer, text: str, auth: object = None) -> tuple[str, dict]:
    """Connect, start a session, send one message; returns (session id, the reply)."""
    client = socketio.Client(reconnection=False)
    replies: queue.Queue = queue.Queue()
    confirmed: queue.Queue = queue.Queue()
    client.on("session_confirm", confirmed.put)
    client.on("bot_uttered", replies.put)
    client.connect(server.url, socketio_path="/socket.io", auth=auth,
                   transports=["websocket"], wait_timeout=10)
    try:
        session_id = secrets.token_hex(16)
        client.emit("session_request", {"session_id": session_id})
        assert confirmed.get(timeout=10) == session_id
        client.emit("user_uttered", {"message": text, "session_id": session_id})
        return session_id, replies.get(timeout=10)
    finally:
        client.disconnect()


def refusal(server: SocketServer, auth: object) -> str:
    """Connect with this auth object; returns the server's reason for refusing."""
    client = socketio.Client(reconnection=False)
    reasons: queue.Queue = queue.Queue()
    connected = []
    client.on("connect_error", reasons.put)
    client.on("connect", lambda: connected.append(True))
    # wait=False: return once the transport is up; the refusal arrives as connect_error
    client.connect(server.url, socketio_path="/socket.io", auth=auth,
                   transports=["websocket"], wait=False)
    try:
        reason = reasons.get(timeout=10)
    finally:
        client.disconnect()
    assert not connected
    return str(reason)


def test_without_jwt_key_anyone_connects_and_chats(open_server):
    session_id, reply = chat(open_server, "hi")
    assert reply == echo("hi", session_id)
    # a token sent to a server without jwt_key is simply not looked at
    session_id, reply = chat(open_server, "again", auth={"token": "not-a-jwt"})
    assert reply == echo("again", session_id)


@pytest.mark.parametrize("form", ["plain", "bearer"])
def test_a_valid_token_is_accepted(jwt_server, form):
    signed = token() if form == "plain" else f"Bearer {token()}"
    session_id, reply = chat(jwt_server, "how much magnesium", auth={"token": signed})
    assert reply == echo("how much magnesium", session_id)


@pytest.mark.parametrize("case", [
    "no auth", "empty token", "auth not an object", "token not a string", "not a jwt",
    "wrong key", "expired", "other algorithm", "unsigned (alg none)",
])
def test_a_missing_invalid_or_expired_token_is_refused(jwt_server, case):
    auth = {
        "no auth": None,
        "empty token": {"token": ""},
        "auth not an object": "just-a-string",
        "token not a string": {"token": 12345},
        "not a jwt": {"token": "abc.def.ghi"},
        "wrong key": {"token": token("another-key-" + "y" * 24)},
        "expired": {"token": token(expires_in=-60)},
        "other algorithm": {"token": token(algorithm="HS512")},
        "unsigned (alg none)": {"token": jwt.encode({"sub": "user-42"}, None, algorithm="none")},
    }[case]
    assert "unauthorized" in refusal(jwt_server, auth)
    # the server keeps serving clients with a valid token afterwards
    session_id, reply = chat(jwt_server, "still here", auth={"token": token()})
    assert reply == echo("still here", session_id)
