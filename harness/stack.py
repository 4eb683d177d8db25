"""Start the real action server and Rasa server as subprocesses, for tests and benchmarks.

Each stack gets its own free ports and its own SQLite tracker file, so it never touches a
developer's running assistant. Logs go to the stack's folder and are printed when a server
fails to come up. By default a stack is our assistant started as `make run` starts it
(runtime guards, the guarded action server); ``shipped=False`` starts a stock Rasa project
(e.g. a `rasa init` bot in another folder) with plain `rasa run`, for comparison.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from harness.net import free_port, http, log_tail, wait_until_up
from harness.paths import MODEL, ROOT, VENV_BIN, WEB_DIST
from harness.run_script import descendants

# Where `make` runs the custom actions when ACTIONS_MODULE is not set (the Makefile's
# default, README "Actions in the server or apart"): inside the Rasa server.
DEFAULT_ACTIONS_MODULE = "actions"


def _summed_kb(pid: int, file: str, field: str) -> float:
    """A kB field of /proc/<pid>/<file>, summed over a process and all its descendants,
    in MB."""
    total = 0
    for p in (pid, *descendants(pid)):
        try:
            for line in Path(f"/proc/{p}/{file}").read_text().splitlines():
                if line.startswith(field):
                    total += int(line.split()[1])
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total / 1024


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB (Linux /proc). Pages
    that processes share (a forked worker's) count once per process."""
    return _summed_kb(pid, "status", "VmRSS:")


def pss_mb(pid: int) -> float:
    """Proportional set size of a process and all its descendants, in MB: each shared
    page split between the processes that share it, so the sum is the memory they use
    together (Linux /proc/<pid>/smaps_rollup)."""
    return _summed_kb(pid, "smaps_rollup", "Pss:")


def cpu_s(pid: int) -> float:
    """CPU time (user + system) a process and all its live descendants have used, in
    seconds (Linux /proc; a descendant that has exited is no longer counted)."""
    ticks = 0
    for p in (pid, *descendants(pid)):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        except (FileNotFoundError, ProcessLookupError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


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
    ``start()`` starts the servers one after the other, each waited for; ``launch()`` starts
    them at once and ``wait_first_answer()`` waits for the first reply (start-up timing).
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
    # The servers' working folder: our project, or a stock Rasa project elsewhere.
    project: Path = ROOT
    # True: our assistant as `make run` starts it (python -m runtime, python -m runtime.actions);
    # False: a stock project with plain `rasa run` (and `python -m rasa_sdk`).
    shipped: bool = True
    # False: no action server (a bot that answers from its domain only).
    with_actions: bool = True

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
        # endpoints.yml: "actions" (make's default) runs the actions in the Rasa server, empty
        # means the action server
        env.setdefault("ACTIONS_MODULE", DEFAULT_ACTIONS_MODULE)
        env.update(self.env)
        return env

    def start_actions(self, wait: bool = True) -> None:
        log = self.workdir / "actions.log"
        server = "runtime.actions" if self.shipped else "rasa_sdk"
        self._actions = subprocess.Popen(
            [str(VENV_BIN / "python"), "-m", server, "--actions", "actions",
             "--port", str(self.actions_port)],
            cwd=self.project, env=self._env(), stdout=log.open("ab"), stderr=subprocess.STDOUT,
        )
        if wait:
            wait_until_up(f"{self.actions_url}/health", self._actions, log, 60)

    def start_rasa(self, wait: bool = True) -> None:
        log = self.workdir / "rasa.log"
        cors = ["--cors", self.web_url, f"http://localhost:{self.web_port}"] if self.web else []
        rasa = ([str(VENV_BIN / "python"), "-m", "runtime"] if self.shipped
                else [str(VENV_BIN / "rasa")])
        self._rasa = subprocess.Popen(
            [*rasa, "run", "--model", str(self.model),
             "--interface", "127.0.0.1", "--port", str(self.rasa_port),
             "--endpoints", str(self.endpoints), "--credentials", str(self.credentials),
             *cors, *self.rasa_args],
            cwd=self.project, env=self._env(), stdout=log.open("ab"), stderr=subprocess.STDOUT,
        )
        if wait:
            wait_until_up(f"{self.rasa_url}/", self._rasa, log, 180)

    def start_web(self) -> None:
        config = {"serverUrl": self.rasa_url, **self.web_config}
        self._web = WebServer(WEB_DIST, config, self.web_port,
                              log=self.workdir / "web.log").start()

    @property
    def actions_in_process(self) -> bool:
        """Our assistant with ACTIONS_MODULE set and an endpoints file that reads it: its
        actions run in the Rasa server, so no action server is started."""
        return (self.shipped and bool(self._env().get("ACTIONS_MODULE", "").strip())
                and "${ACTIONS_MODULE}" in self.endpoints.read_text())

    def start(self) -> BotStack:
        self.workdir.mkdir(parents=True, exist_ok=True)
        if self.with_actions and not self.actions_in_process:
            self.start_actions()
        self.start_rasa()
        if self.web:
            self.start_web()
        return self

    def launch(self) -> None:
        """Start the action server (if any) and the Rasa server at once, without waiting."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        if self.with_actions and not self.actions_in_process:
            self.start_actions(wait=False)
        self.start_rasa(wait=False)

    def wait_first_answer(self, timeout: float = 300.0) -> None:
        """Wait until the REST channel answers a greeting with at least one message (the
        model loaded, the action server up); fail if a server exits first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for proc, log in ((self._rasa, "rasa.log"), (self._actions, "actions.log")):
                if proc is not None and proc.poll() is not None:
                    raise RuntimeError(f"a server exited during start-up ({proc.returncode}):\n"
                                       f"{log_tail(self.workdir / log, 4000)}")
            try:
                status, body = http("POST", f"{self.rasa_url}/webhooks/rest/webhook",
                                    {"sender": "warmup", "message": "hi"}, timeout=30)
                if status == 200 and json.loads(body):
                    return
            except (OSError, ValueError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.rasa_url}: no answer within {timeout:.0f} s")

    def memory(self) -> dict[str, float]:
        """Resident memory and proportional set size (MB) of the Rasa server and of the
        action server, if started, each with its child processes."""
        out = ({"rasa_rss_mb": rss_mb(self._rasa.pid), "rasa_pss_mb": pss_mb(self._rasa.pid)}
               if self._rasa else {})
        if self._actions:
            out["actions_rss_mb"] = rss_mb(self._actions.pid)
            out["actions_pss_mb"] = pss_mb(self._actions.pid)
        return out

    def cpu_s(self) -> float:
        """CPU time (s) the Rasa server and the action server (each with its child
        processes, e.g. Sanic workers) have used so far."""
        return sum(cpu_s(proc.pid) for proc in (self._rasa, self._actions) if proc)

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
