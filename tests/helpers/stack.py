"""Start the real action server and Rasa server as subprocesses for integration tests.

Each stack gets its own free ports and its own SQLite tracker file, so tests never touch
a developer's running assistant. Logs go to the stack's folder and are printed when a
server fails to come up.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "assistant.tar.gz"


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


@dataclass
class BotStack:
    """An action server plus a Rasa server (REST + socket.io) on free local ports."""

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

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://127.0.0.1:{self.actions_port}"

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
            [str(VENV_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions",
             "--port", str(self.actions_port)],
            cwd=ROOT, env=self._env(), stdout=log.open("ab"), stderr=subprocess.STDOUT,
        )
        _wait_until_up(f"{self.actions_url}/health", self._actions, log, 60)

    def start_rasa(self) -> None:
        log = self.workdir / "rasa.log"
        self._rasa = subprocess.Popen(
            [str(VENV_BIN / "rasa"), "run", "--model", str(self.model),
             "--interface", "127.0.0.1", "--port", str(self.rasa_port),
             "--endpoints", str(self.endpoints), "--credentials", str(self.credentials),
             *self.rasa_args],
            cwd=ROOT, env=self._env(), stdout=log.open("ab"), stderr=subprocess.STDOUT,
        )
        _wait_until_up(f"{self.rasa_url}/", self._rasa, log, 180)

    def start(self) -> BotStack:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.start_actions()
        self.start_rasa()
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

    def stop(self) -> None:
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
