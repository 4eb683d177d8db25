"""Notice a dead Sanic worker and stop the whole Rasa server, so that it is started again.

With ``SANIC_WORKERS`` > 1, Rasa's Sanic forks that many worker processes and the main
process only waits for them: a worker that crashes (killed by the kernel's out-of-memory
killer, a segfault in a native library) is not replaced. The server then goes on with fewer
workers, or, when the socket's last listener is gone, answers nothing, and the process
manager sees nothing wrong because the main process still runs.

``watch_workers`` (started by ``python -m runtime run`` in the main process when
SANIC_WORKERS > 1) checks the main process's child processes every ``interval`` seconds. A
worker that ended other than by a stop (exit code 0, or SIGTERM / SIGINT, which is how
Sanic stops its workers) counts as dead: the watch logs it, sends the other workers
SIGTERM (SIGKILL after ``STOP_GRACE`` seconds) and ends the main process with exit code
``EXIT_CODE``. (A worker has to have been seen running, at one check, to be missed: one
that dies within its first ``interval`` is not noticed.) Under `make run`, supervisord
then starts the Rasa server again, with all its workers, and prints the restart
(runtime/supervision.py); a crash of the main process itself was already supervisord's to
notice.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

logger = logging.getLogger(__name__)

EXIT_CODE = 70  # EX_SOFTWARE: the server stopped itself because a worker died
STOP_GRACE = 5.0
STOPPED = {0, -signal.SIGTERM, -signal.SIGINT}
# Set once a worker died: Sanic's main process may return from its wait for the workers
# (and `python -m runtime` end) before the watch itself exits; it then exits with EXIT_CODE.
worker_died = threading.Event()


def dead(workers: Iterable[Any]) -> list[Any]:
    """The workers (multiprocessing.Process) that have ended other than by a stop."""
    return [w for w in workers if w.exitcode is not None and w.exitcode not in STOPPED]


def _stop_the_others(workers: Iterable[Any]) -> None:
    alive = [w for w in workers if w.exitcode is None]
    for worker in alive:
        worker.terminate()
    deadline = time.monotonic() + STOP_GRACE
    for worker in alive:
        worker.join(max(0.0, deadline - time.monotonic()))
        if worker.exitcode is None:
            worker.kill()


def watch(interval: float, exit: Callable[[int], Any] = os._exit) -> None:
    """The watch loop (runs in a daemon thread of the main process)."""
    seen: dict[int, Any] = {}
    while True:
        time.sleep(interval)
        for worker in multiprocessing.active_children():  # also reaps ended ones
            seen.setdefault(worker.pid, worker)
        gone = dead(seen.values())
        if gone:
            codes = ", ".join(f"pid {w.pid}: exit code {w.exitcode}" for w in gone)
            logger.error("a Sanic worker died (%s); stopping the Rasa server so that it is "
                         "started again with all its workers", codes)
            worker_died.set()
            _stop_the_others(seen.values())
            exit(EXIT_CODE)
            return


def exit_code() -> int:
    """The exit code for the main process once the server has stopped."""
    return EXIT_CODE if worker_died.is_set() else 0


def watch_workers(workers: int, interval: float = 1.0) -> threading.Thread | None:
    """Start the watch when there are several workers; returns its thread."""
    if workers <= 1:
        return None
    thread = threading.Thread(target=watch, args=(interval,), name="worker-watch",
                              daemon=True)
    thread.start()
    return thread
