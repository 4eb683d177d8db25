"""Messaging-platform webhooks served in-process by the real trained assistant.

`channel_server` loads models/assistant.tar.gz with Rasa's own `load_agent`, builds the
input channels from a credentials file through Rasa's own `create_http_input_channels`
(so `channels.telegram.TelegramInput` etc. are found by module path, as `rasa run` does),
mounts them with `rasa.core.run.configure_app` and serves them with Sanic on a free local
port, in a background thread. Custom actions run on a real action server.

No request leaves the machine: each platform's client library is intercepted where it
would make its HTTP call (fixtures `telegram_api`, `messenger_api`, `slack_api`,
`twilio_api`), and the callback channel posts to a local receiver started here.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from harness.net import free_port
from harness.stack import BotStack

# Test-only secrets; they protect nothing.
SECRETS = {
    "telegram_token": "123456:TEST-telegram-token",
    "telegram_bot": "bone_test_bot",
    "telegram_secret": "telegram-secret-for-tests",
    "fb_verify": "fb-verify-for-tests",
    "fb_secret": "fb-app-secret-for-tests",
    "fb_token": "fb-page-token-for-tests",
    "slack_token": "xoxb-test-token",
    "slack_secret": "slack-signing-secret-for-tests",
    "twilio_sid": "AC00000000000000000000000000000000",
    "twilio_token": "twilio-auth-token-for-tests",
    "twilio_number": "+15550000000",
}


class CallbackReceiver:
    """A local HTTP server that records what the callback channel posts to it."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                received.append({"path": self.path, "json": json.loads(body or b"null"),
                                 "content_type": self.headers.get("Content-Type")})
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.port = free_port()
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot-replies"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def credentials_yaml(callback_url: str, twilio_webhook_url: str) -> str:
    s = SECRETS
    return f"""
rest:
channels.telegram.TelegramInput:
  access_token: "{s['telegram_token']}"
  verify: "{s['telegram_bot']}"
  webhook_url: ""
  secret_token: "{s['telegram_secret']}"
channels.facebook.FacebookInput:
  verify: "{s['fb_verify']}"
  secret: "{s['fb_secret']}"
  page-access-token: "{s['fb_token']}"
channels.slack.SlackInput:
  slack_token: "{s['slack_token']}"
  slack_signing_secret: "{s['slack_secret']}"
channels.twilio.TwilioInput:
  account_sid: "{s['twilio_sid']}"
  auth_token: "{s['twilio_token']}"
  twilio_number: "{s['twilio_number']}"
  webhook_url: "{twilio_webhook_url}"
callback:
  url: "{callback_url}"
"""


@dataclass
class ChannelServer:
    model: Path
    credentials: Path
    action_url: str
    port: int = field(default_factory=free_port)
    agent: Any = None
    loop: asyncio.AbstractEventLoop | None = None
    _server: Any = None
    _error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 180) -> ChannelServer:
        ready = threading.Event()

        def run() -> None:
            loop = self.loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._start())
            except BaseException as error:  # reported to the test thread below
                self._error = error
                ready.set()
                return
            ready.set()
            loop.run_forever()

        self._thread = threading.Thread(target=run, name="channel-server", daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise RuntimeError(f"channel server not up after {timeout}s")
        if self._error:
            raise RuntimeError(f"channel server failed to start: {self._error!r}") from self._error
        return self

    async def _start(self) -> None:
        from rasa.core.agent import load_agent
        from rasa.core.run import configure_app, create_http_input_channels
        from rasa.core.utils import AvailableEndpoints
        from rasa.utils.endpoints import EndpointConfig

        endpoints = AvailableEndpoints(action=EndpointConfig(url=self.action_url))
        self.agent = await load_agent(model_path=str(self.model), endpoints=endpoints)
        channels = create_http_input_channels(None, str(self.credentials))
        app = configure_app(channels, enable_api=False, port=self.port, use_uvloop=False)
        app.ctx.agent = self.agent
        server = await app.create_server(host="127.0.0.1", port=self.port,
                                         return_asyncio_server=True, access_log=False)
        await server.startup()
        await server.before_start()
        await server.after_start()
        self._server = server

    def call(self, coro: Any, timeout: float = 30) -> Any:
        """Run a coroutine on the server's loop (e.g. to read or prepare a tracker)."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def tracker(self, sender: str) -> Any:
        return self.call(self.agent.tracker_store.retrieve(sender))

    def stop(self) -> None:
        if self.loop is None:
            return

        async def shutdown() -> None:
            if self._server is not None:
                await self._server.before_stop()
                self._server.close()
                await self._server.wait_closed()
                await self._server.after_stop()

        try:
            self.call(shutdown(), timeout=20)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout=20)


@pytest.fixture(scope="session")
def callback_receiver():
    receiver = CallbackReceiver()
    yield receiver
    receiver.stop()


@pytest.fixture(scope="session")
def channel_server(trained_model, tmp_path_factory, callback_receiver):
    workdir = tmp_path_factory.mktemp("channels")
    actions = BotStack(workdir=workdir)
    actions.start_actions()
    port = free_port()
    creds = workdir / "credentials.yml"
    creds.write_text(credentials_yaml(
        callback_receiver.url, f"http://127.0.0.1:{port}/webhooks/twilio/webhook"))
    started = time.monotonic()
    server = ChannelServer(trained_model, creds, f"{actions.actions_url}/webhook", port=port)
    try:
        server.start()
        server.startup_seconds = time.monotonic() - started
        yield server
    finally:
        server.stop()
        actions.stop_actions()


# ---------------------------------------------------------------- platform API fakes


@dataclass
class Recorder:
    calls: list[dict] = field(default_factory=list)

    def wait_for(self, count: int = 1, timeout: float = 30) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(self.calls) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.calls


@pytest.fixture()
def telegram_api(monkeypatch):
    """Telegram Bot API: aiogram's `api.make_request`, the function that does the HTTP call."""
    import aiogram.bot.api

    rec = Recorder()

    async def fake_make_request(session, server, token, method, data=None, files=None, **kw):
        rec.calls.append({"method": method, "data": dict(data or {}), "token": token})
        if method == "getMe":
            return {"id": 123456, "is_bot": True, "first_name": "Bone test",
                    "username": SECRETS["telegram_bot"]}
        if method in ("sendMessage", "sendPhoto"):
            return {"message_id": len(rec.calls), "date": 0,
                    "chat": {"id": int(data["chat_id"]), "type": "private"},
                    "text": data.get("text", "")}
        return True

    monkeypatch.setattr(aiogram.bot.api, "make_request", fake_make_request)
    return rec


class _FakeResponse:
    def __init__(self, payload: dict) -> None:
        self._payload = payload
        self.status_code = 200

    def json(self) -> dict:
        return self._payload


@pytest.fixture()
def messenger_api(monkeypatch):
    """Messenger Send API: the `requests.Session.post` fbmessenger sends through."""
    import requests

    rec = Recorder()

    def fake_post(session, url, params=None, json=None, timeout=None, **kw):  # noqa: A002
        rec.calls.append({"url": url, "params": params, "json": json})
        return _FakeResponse({"recipient_id": (json or {}).get("recipient", {}).get("id"),
                              "message_id": f"mid.{len(rec.calls)}"})

    monkeypatch.setattr(requests.Session, "post", fake_post)
    return rec


@pytest.fixture()
def slack_api(monkeypatch):
    """Slack Web API: slack_sdk's `AsyncBaseClient._request`, which makes the HTTP call."""
    from slack_sdk.web.async_base_client import AsyncBaseClient

    rec = Recorder()

    async def fake_request(self, *, http_verb, api_url, req_args):
        rec.calls.append({"url": api_url, "verb": http_verb, "json": req_args.get("json"),
                          "headers": req_args.get("headers")})
        return {"data": {"ok": True, "ts": f"{len(rec.calls)}.0"}, "headers": {},
                "status_code": 200}

    monkeypatch.setattr(AsyncBaseClient, "_request", fake_request)
    return rec


@pytest.fixture()
def twilio_api(monkeypatch):
    """Twilio REST API: twilio's `TwilioHttpClient.request`, which makes the HTTP call."""
    from twilio.http.http_client import TwilioHttpClient
    from twilio.http.response import Response

    rec = Recorder()

    def fake_request(self, method, url, params=None, data=None, headers=None, auth=None,
                     timeout=None, allow_redirects=False):
        rec.calls.append({"method": method, "url": url, "data": dict(data or {}),
                          "auth": auth})
        body = {"sid": f"SM{len(rec.calls):032d}", "status": "queued",
                "to": (data or {}).get("To"), "from": (data or {}).get("From"),
                "body": (data or {}).get("Body")}
        return Response(201, json.dumps(body))

    monkeypatch.setattr(TwilioHttpClient, "request", fake_request)
    return rec
