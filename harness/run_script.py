"""scripts/run.sh (what `make run` starts) in a sandbox, for integration tests.

The sandbox links every file of the checkout except var/, so the script gets its own logs,
conversations and supervisord socket, and runs on free ports. Output (run.sh's and the
restart messages of runtime/supervision.py) goes to ``out``, opened for appending.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from harness.net import free_port
from harness.paths import ROOT

PROGRAMS = ("actions", "rasa", "web")


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (children first), from /proc."""
    found: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found += children
            todo += children
    return found


class RunScript:
    def __init__(self, sandbox: Path, env: dict[str, str] | None = None) -> None:
        self.sandbox = sandbox
        for entry in ROOT.iterdir():
            if entry.name not in {"var", ".git"} and not (sandbox / entry.name).exists():
                (sandbox / entry.name).symlink_to(entry)
        self.ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port(),
                      "WEB_PORT": free_port()}
        # (scripts/run.sh as a user starts it: its own defaults, the actions inside the Rasa
        # server; pass ACTIONS_MODULE="" in `env` for the action server)
        base = {k: v for k, v in os.environ.items()
                if k not in {"JWT_SECRET", "RASA_AUTH_TOKEN", "PROFILE", "ACTION_ENDPOINT_URL",
                             "TRACKER_DB", "ACTIONS_MODULE"}}
        self.env = {**base, **{k: str(v) for k, v in self.ports.items()}, **(env or {})}
        self.out = sandbox / "run.out"
        self.proc: subprocess.Popen | None = None
        self._seen: set[int] = set()

    @property
    def logs(self) -> Path:
        return self.sandbox / "var" / "log"

    def url(self, port_name: str) -> str:
        return f"http://127.0.0.1:{self.ports[port_name]}"

    def output(self) -> str:
        return self.out.read_text(errors="replace") if self.out.exists() else ""

    def start(self, timeout: float = 300) -> RunScript:
        self.proc = subprocess.Popen(
            ["bash", str(self.sandbox / "scripts" / "run.sh")], cwd=self.sandbox, env=self.env,
            stdout=self.out.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
            # Ctrl-C must reach run.sh even when this test run ignores SIGINT (started in
            # the background by a shell): a shell cannot trap a signal ignored at its start.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "Press Ctrl-C to stop" in self.output():
                self._remember()
                return self
            if self.proc.poll() is not None:
                break
            time.sleep(1)
        raise RuntimeError(f"run.sh did not start:\n{self.output()[-3000:]}\n"
                           f"{self.log_tail('rasa')}")

    def log_tail(self, program: str, chars: int = 3000) -> str:
        path = self.logs / f"{program}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    def _remember(self) -> None:
        if self.proc is not None:
            self._seen.update(descendants(self.proc.pid))

    def pid(self, program: str) -> int:
        """The pid of one server, as supervisord reports it (0 while it is not running)."""
        assert program in PROGRAMS, program
        done = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "supervisorctl"), "-c",
             str(self.sandbox / "scripts" / "supervisord.conf"), "pid", f"assistant:{program}"],
            env={**self.env, "RUN_ROOT": str(self.sandbox)}, capture_output=True, text=True,
            timeout=30)
        self._remember()
        try:
            return int(done.stdout.strip())
        except ValueError:
            return 0

    def interrupt(self, timeout: float = 60) -> tuple[int | None, float]:
        """Ctrl-C (SIGINT to run.sh); returns its exit code (None when it did not stop
        within `timeout`) and the seconds it took."""
        assert self.proc is not None
        self._remember()
        started = time.monotonic()
        os.kill(self.proc.pid, signal.SIGINT)
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            code = None
        return code, time.monotonic() - started

    def close(self) -> None:
        """Stop whatever is still running (after a failed test), by pid."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.interrupt(60)
        self._remember()
        for pid in [self.proc.pid, *self._seen]:
            try:
                if Path(f"/proc/{pid}/cwd").resolve() == self.sandbox.resolve():
                    os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if self.proc.poll() is None:
            self.proc.wait(timeout=30)
