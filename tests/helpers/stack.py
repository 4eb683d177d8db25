"""Start the real action server and Rasa server as subprocesses for integration tests.

Each stack gets its own free ports and its own SQLite tracker file, so tests never touch
a developer's running assistant. Logs go to the stack's folder and are printed when a
server fails to come up.
"""

from __future__ import annotations

import functools
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "assistant.tar.gz"
WEB_DIST = ROOT / "web" / "dist"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method: str, url: str, body: object | None = None, headers: dict | None = None,
         timeout: float = 30.0) -> tuple[int, bytes]:
    """One HTTP request; returns (status, body) for any status instead of raising."""
    data = None
    hdrs = dict(headers or {})
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        hdrs.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def _wait_until_up(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} not up after {timeout}s:\n{log.read_text()[-4000:]}")


class _WebHandler(SimpleHTTPRequestHandler):
    """Static files of web/dist, except config.js, which points the widget at this stack."""

    config_js: bytes = b""
    log_path: Path | None = None

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path.split("?", 1)[0] == "/config.js":
            self.send_response(200)
            self.send_header("Content-Type", "text/javascript; charset=utf-8")
            self.send_header("Content-Length", str(len(self.config_js)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(self.config_js)
            return
        super().do_GET()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        if self.log_path:
            with self.log_path.open("a") as f:
                f.write(f"{self.address_string()} {format % args}\n")


class WebServer:
    """Serves the built chat widget and demo page (web/dist) on a local port, in a thread."""

    def __init__(self, directory: Path, config: dict, port: int | None = None,
                 log: Path | None = None) -> None:
        if not (directory / "widget.js").exists():
            raise RuntimeError(f"no built widget in {directory}: run `make web` first")
        config_js = f"window.BoneChatConfig = {json.dumps(config)};\n".encode()
        handler = type("Handler", (_WebHandler,), {"config_js": config_js, "log_path": log})
        self.port = port or free_port()
        self._server = ThreadingHTTPServer(
            ("127.0.0.1", self.port), functools.partial(handler, directory=str(directory))
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> WebServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@dataclass
class BotStack:
    """An action server plus a Rasa server (REST + socket.io) on free local ports.

    With ``web=True`` it also serves the chat widget's page (web/dist) on ``web_url``,
    configured to talk to this stack's Rasa server, which allows that origin (--cors).
    """

    workdir: Path
    model: Path = MODEL
    endpoints: Path = ROOT / "endpoints.yml"
    credentials: Path = ROOT / "credentials.yml"
    rasa_args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    rasa_port: int = field(default_factory=free_port)
    actions_port: int = field(default_factory=free_port)
    _rasa: subprocess.Popen | None = None
    _actions: subprocess.Popen | None = None
    web: bool = False
    web_port: int = field(default_factory=free_port)
    web_config: dict = field(default_factory=dict)
    _web: WebServer | None = None

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.actions_port}"

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            ACTION_ENDPOINT_URL=f"{self.actions_url}/webhook",
            TRACKER_DB=str(self.workdir / "tracker.db"),
            TF_CPP_MIN_LOG_LEVEL="2",
            SQLALCHEMY_SILENCE_UBER_WARNING="1",
            SANIC_HOST="127.0.0.1",
        )
        env.update(self.env)
        return env

    def start_actions(self) -> None:
        log = self.workdir / "actions.log"
        self._actions = subprocess.Popen(
            [str(VENV_BIN / "python"), "-m", "runtime.actions", "--actions", "actions",
             "--port", str(self.actions_port)],
            cwd=ROOT, env=self._env(), stdout=log.open("ab"), stderr=subprocess.STDOUT,
        )
        _wait_until_up(f"{self.actions_url}/health", self._actions, log, 60)

    def start_rasa(self) -> None:
        log = self.workdir / "rasa.log"
        cors = ["--cors", self.web_url, f"http://localhost:{self.web_port}"] if self.web else []
        self._rasa = subprocess.Popen(
            [str(VENV_BIN / "python"), "-m", "runtime", "run", "--model", str(self.model),
             "--interface", "127.0.0.1", "--port", str(self.rasa_port),
             "--endpoints", str(self.endpoints), "--credentials", str(self.credentials),
             *cors, *self.rasa_args],
            cwd=ROOT, env=self._env(), stdout=log.open("ab"), stderr=subprocess.STDOUT,
        )
        _wait_until_up(f"{self.rasa_url}/", self._rasa, log, 180)

    def start_web(self) -> None:
        config = {"serverUrl": self.rasa_url, **self.web_config}
        self._web = WebServer(WEB_DIST, config, self.web_port,
                              log=self.workdir / "web.log").start()

    def start(self) -> BotStack:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.start_actions()
        self.start_rasa()
        if self.web:
            self.start_web()
        return self

    @staticmethod
    def _stop(proc: subprocess.Popen | None) -> None:
        if proc and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def stop_rasa(self) -> None:
        self._stop(self._rasa)

    def stop_actions(self) -> None:
        self._stop(self._actions)

    def stop_web(self) -> None:
        if self._web:
            self._web.stop()
            self._web = None

    def stop(self) -> None:
        self.stop_web()
        self.stop_rasa()
        self.stop_actions()

    def say(self, text: str, sender: str = "tester", timeout: float = 30.0) -> list[dict]:
        """Send one message through the REST channel; return the bot's messages."""
        status, body = http("POST", f"{self.rasa_url}/webhooks/rest/webhook",
                            {"sender": sender, "message": text}, timeout=timeout)
        if status != 200:
            raise AssertionError(f"REST webhook answered {status}: {body[:500]!r}")
        return json.loads(body)

    def texts(self, text: str, sender: str = "tester") -> str:
        """The bot's text replies to one message, joined by newlines."""
        return "\n".join(m.get("text", "") for m in self.say(text, sender))
