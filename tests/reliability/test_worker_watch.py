"""runtime/worker_watch.py: with several Sanic workers, a worker that dies stops the whole
Rasa server (so that supervisord starts it again); workers stopped on purpose do not."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest

from harness.net import wait_until
from harness.run_script import descendants
from harness.stack import BotStack
from runtime import worker_watch


class Ended:
    def __init__(self, exitcode):
        self.exitcode = exitcode
        self.pid = 1


@pytest.mark.parametrize("code, is_dead", [
    (None, False), (0, False), (-signal.SIGTERM, False), (-signal.SIGINT, False),
    (-signal.SIGKILL, True), (-signal.SIGSEGV, True), (1, True),
])
def test_what_counts_as_a_dead_worker(code, is_dead):
    assert (worker_watch.dead([Ended(code)]) != []) is is_dead


def _sleep() -> None:
    time.sleep(60)


def test_the_watch_stops_the_other_workers_and_exits_when_one_is_killed():
    """Real child processes of this one, as Sanic forks its workers."""
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_sleep, daemon=True) for _ in range(2)]
    for worker in workers:
        worker.start()
    exits: list[int] = []
    thread = worker_watch.threading.Thread(target=worker_watch.watch, args=(0.1, exits.append),
                                           daemon=True)
    thread.start()
    time.sleep(0.5)  # the watch has seen both running (as a server's, long before a crash)
    os.kill(workers[0].pid, signal.SIGKILL)
    thread.join(15)
    assert exits == [worker_watch.EXIT_CODE]
    assert workers[0].exitcode == -signal.SIGKILL
    assert workers[1].exitcode is not None, "the other worker was stopped"


def test_no_watch_with_one_worker():
    assert worker_watch.watch_workers(1) is None


@pytest.mark.integration
def test_a_killed_sanic_worker_stops_the_rasa_server(trained_model, tmp_path):
    stack = BotStack(workdir=tmp_path, env={"SANIC_WORKERS": "2"}).start()
    try:
        rasa = stack._rasa
        assert wait_until(lambda: len(descendants(rasa.pid)) >= 2, 60, 0.5)
        workers = descendants(rasa.pid)
        assert "mg" in stack.texts("how much magnesium is in a cup of cooked spinach?")
        os.kill(workers[0], signal.SIGKILL)
        assert wait_until(lambda: rasa.poll() is not None, 30, 0.2), "the server went on"
        assert rasa.returncode == worker_watch.EXIT_CODE
        assert wait_until(lambda: not any(os.path.exists(f"/proc/{p}") for p in workers),
                          10, 0.2)
        log = (tmp_path / "rasa.log").read_text(errors="replace")
        assert "a Sanic worker died" in log
    finally:
        stack.stop()
