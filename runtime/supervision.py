"""`python -m runtime.supervision`: supervisord's event listener for `make run`.

scripts/supervisord.conf runs it as ``[eventlistener:restarts]``. It reads supervisord's
PROCESS_STATE events and prints, on the terminal of scripts/run.sh (its stderr goes there),
each time supervisord restarts a server, with how often that server has been restarted
since `make run` started, each back-off while a server fails to start, and when
supervisord gives up on one. It only reports: restarting is supervisord's job.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from dataclasses import dataclass, field
from typing import TextIO

NAMES = {"actions": "action server", "rasa": "Rasa server", "web": "web page"}


@dataclass
class RestartLog:
    """Turns supervisord's state changes into lines for a person watching the terminal."""

    restarts: dict[str, int] = field(default_factory=dict)
    failed_starts: dict[str, int] = field(default_factory=dict)

    def line(self, event: str, headers: dict[str, str], now: float) -> str | None:
        program = headers.get("processname", "")
        name = NAMES.get(program)
        if name is None:
            return None  # this listener itself, or a program run.sh does not know
        state = event.removeprefix("PROCESS_STATE_")
        before = headers.get("from_state", "")
        clock = time.strftime("%H:%M:%S", time.localtime(now))
        if state == "EXITED" and headers.get("expected") != "1":
            return f"==> {clock} the {name} stopped unexpectedly (see var/log/{program}.log)"
        if state == "STARTING" and before in {"EXITED", "BACKOFF"}:
            self.restarts[program] = self.restarts.get(program, 0) + 1
            return (f"==> {clock} restarting the {name} "
                    f"(restarts since start: {self.restarts[program]})")
        if state == "BACKOFF":
            self.failed_starts[program] = self.failed_starts.get(program, 0) + 1
            tries = self.failed_starts[program]
            return (f"==> {clock} the {name} exited while starting (failed start {tries}); "
                    f"next try in {tries} s")
        if state == "RUNNING":
            self.failed_starts.pop(program, None)
        if state == "FATAL":
            return (f"error: {clock} the {name} keeps failing to start; gave up after "
                    f"{self.failed_starts.get(program, 0)} tries (see var/log/{program}.log)")
        return None


def exit_without_teardown(code: int = 0) -> None:
    """End the process now, after a server has stopped and closed its stores.

    Python's own teardown of a Rasa server (garbage-collecting the loaded model: TensorFlow,
    spaCy, scikit-learn objects) took about 10 s after SIGTERM here, and much longer on a
    busy machine, so a stop ran into supervisord's STOP_WAIT and ended in SIGKILL. Nothing
    is lost by skipping it: every write was committed, and the logs are flushed first.
    """
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def listen(stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout,
           stderr: TextIO = sys.stderr) -> None:
    """supervisord's event-listener protocol (supervisor.childutils), forever."""
    from supervisor import childutils

    log = RestartLog()
    while True:
        headers, payload = childutils.listener.wait(stdin, stdout)
        event = headers.get("eventname", "")
        if event.startswith("PROCESS_STATE_"):
            line = log.line(event, childutils.get_headers(payload.split("\n", 1)[0]),
                            time.time())
            if line:
                print(line, file=stderr, flush=True)
        childutils.listener.ok(stdout)


if __name__ == "__main__":
    listen()
