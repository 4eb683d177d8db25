"""`make run` keeps its servers running (scripts/run.sh under supervisord).

Real processes on free ports: each server (action server, Rasa server, web page) is killed
with SIGKILL, like a crash, and must come back on its own, with the restart printed and
counted; while the action server is down the assistant still answers (with
utter_action_server_unavailable). Most tests run `make run ACTIONS_MODULE=` (the action
server, so there are three servers); one runs the default, actions inside the Rasa server.
A server whose restart fails is retried with back-off. At the end, no message text is in
any server's log, and Ctrl-C stops everything within a bounded time even when a server
hangs (it is killed and named).
"""

from __future__ import annotations

import os
import signal
import socket
import time

import pytest
import sqlalchemy as sa

from harness.net import http, reachable, wait_until
from harness.run_script import RunScript
from tests.reliability.backdated import insert_conversation, senders
from tests.reliability.support import response_text, say, texts

pytestmark = pytest.mark.integration

STOP_WAIT = 5
# Words that appear in the conversations below and nowhere in the servers' own output.
SECRET_WORDS = ("Quetzalcoatl", "zanzibarite")


@pytest.fixture(scope="module")
def supervised(trained_model, tmp_path_factory):
    script = RunScript(tmp_path_factory.mktemp("supervised"),
                       {"STOP_WAIT": str(STOP_WAIT), "PURGE_INTERVAL_MINUTES": "0.05",
                        "ACTIONS_MODULE": ""})
    try:
        yield script.start()
    finally:
        script.close()


def test_by_default_the_actions_run_in_the_rasa_server_which_is_restarted(tmp_path):
    """run.sh's default: no action server; computed answers come from the Rasa server,
    also after it crashed and was started again."""
    script = RunScript(tmp_path, {"STOP_WAIT": str(STOP_WAIT)})
    try:
        script.start()
        assert "the custom actions run inside the Rasa server (ACTIONS_MODULE=actions)" \
            in script.output()
        assert script.pid("actions") == 0 and not reachable(script.ports["ACTIONS_PORT"])
        rasa = script.url("RASA_PORT")
        question = "how much magnesium is in a cup of cooked spinach?"
        first = texts(say(rasa, question, "supervised-default"))
        assert "mg" in first and response_text("utter_action_server_unavailable") not in first
        pid, _ = _kill(script, "rasa")
        assert wait_until(lambda: not _answers(rasa + "/"), 10, 0.1)
        _comes_back(script, "rasa", pid, rasa + "/", 300)
        assert texts(say(rasa, question, "supervised-default-again")) == first
        assert _restarts_printed(script, "Rasa server")[-1].endswith("since start: 1)")
        assert script.pid("actions") == 0
    finally:
        script.close()


def _kill(script: RunScript, program: str) -> tuple[int, float]:
    pid = script.pid(program)
    assert pid, f"{program} is not running"
    os.kill(pid, signal.SIGKILL)
    return pid, time.monotonic()


def _answers(url: str) -> bool:
    try:
        return http("GET", url, timeout=5)[0] == 200
    except OSError:
        return False


def _comes_back(script: RunScript, program: str, old_pid: int, url: str,
                timeout: float) -> None:
    assert wait_until(lambda: _answers(url), timeout, 0.5), \
        f"{program} not back:\n{script.output()[-2000:]}"
    assert script.pid(program) not in {0, old_pid}


def _restarts_printed(script: RunScript, name: str) -> list[str]:
    return [line for line in script.output().splitlines()
            if f"restarting the {name} (restarts since start:" in line]


def test_crashed_action_server_is_restarted_and_users_get_an_answer_meanwhile(supervised):
    url = supervised.url("ACTIONS_PORT") + "/health"
    pid, killed = _kill(supervised, "actions")
    # At once, while it is down: the bot tells the user it can't work that out right now.
    meanwhile = texts(say(supervised.url("RASA_PORT"), "how much magnesium is in almonds?",
                          "supervised-actions"))
    assert response_text("utter_action_server_unavailable") in meanwhile
    _comes_back(supervised, "actions", pid, url, 60)
    print(f"\naction server back after {time.monotonic() - killed:.1f} s")
    answer = texts(say(supervised.url("RASA_PORT"), "how much magnesium is in almonds?",
                       "supervised-actions"))
    assert "mg" in answer and response_text("utter_action_server_unavailable") not in answer
    assert _restarts_printed(supervised, "action server")[-1].endswith("since start: 1)")


def test_crashed_rasa_server_is_restarted_and_keeps_the_conversation(supervised):
    rasa = supervised.url("RASA_PORT")
    first = texts(say(rasa, f"I ate 30 g of almonds, said {SECRET_WORDS[0]}", "supervised-rasa"))
    assert first
    pid, killed = _kill(supervised, "rasa")
    assert wait_until(lambda: not _answers(rasa + "/"), 10, 0.1)
    _comes_back(supervised, "rasa", pid, rasa + "/", 300)
    print(f"\nRasa server back after {time.monotonic() - killed:.1f} s")
    again = say(rasa, "hi", "supervised-rasa")
    assert texts(again)
    assert _restarts_printed(supervised, "Rasa server")[-1].endswith("since start: 1)")


def test_crashed_web_server_is_restarted(supervised):
    url = supervised.url("WEB_PORT") + "/"
    pid, killed = _kill(supervised, "web")
    _comes_back(supervised, "web", pid, url, 30)
    print(f"\nweb page back after {time.monotonic() - killed:.1f} s")
    assert _restarts_printed(supervised, "web page")[-1].endswith("since start: 1)")


def test_a_server_that_fails_to_start_is_retried_with_back_off(supervised):
    """Someone takes the web page's port just as it crashed: each restart fails, and
    supervisord tries again after 1 s, 2 s, ...; once the port is free it runs again."""
    port = supervised.ports["WEB_PORT"]
    pid, _ = _kill(supervised, "web")
    squatter = socket.socket()
    squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as http.server does
    deadline = time.monotonic() + 5
    while True:  # bind the moment the killed server has let go of the port
        try:
            squatter.bind(("127.0.0.1", port))
            break
        except OSError:
            assert time.monotonic() < deadline, "the killed web server kept its port"
            time.sleep(0.001)
    squatter.listen(1)
    try:
        assert wait_until(lambda: "web page exited while starting (failed start 2)"
                          in supervised.output(), 30, 0.5), supervised.output()[-2000:]
    finally:
        squatter.close()
    _comes_back(supervised, "web", pid, f"http://127.0.0.1:{port}/", 30)
    output = supervised.output()
    assert "failed start 1); next try in 1 s" in output
    assert "failed start 2); next try in 2 s" in output


def test_the_running_server_purges_old_conversations(supervised):
    """RETENTION_DAYS (30) applied by the Rasa server itself, every PURGE_INTERVAL_MINUTES
    (here 3 s): a conversation idle for 40 days goes, one idle for 29 days and the live
    ones stay."""
    engine = sa.create_engine(f"sqlite:///{supervised.sandbox / 'var' / 'tracker.db'}")
    try:
        say(supervised.url("RASA_PORT"), "hello", "supervised-live")
        insert_conversation(engine, "supervised-old", 40)
        insert_conversation(engine, "supervised-idle", 29)
        assert wait_until(lambda: "supervised-old" not in senders(engine), 60, 0.5)
        stored = senders(engine)
        assert {"supervised-idle", "supervised-live"} <= set(stored)
    finally:
        engine.dispose()
    assert "Retention: deleted 1 conversations (7 events)" in supervised.log_tail("rasa", 20000)
    assert "hello" in texts(say(supervised.url("RASA_PORT"), "hi", "supervised-live")).lower()


def test_no_message_text_in_the_logs(supervised):
    rasa = supervised.url("RASA_PORT")
    for text in (f"my name is {SECRET_WORDS[0]}, how much magnesium do I need?",
                 f"I had 100 g of {SECRET_WORDS[1]} and a banana", "/greet"):
        say(rasa, text, "supervised-privacy")
    logs = {path.name: path.read_text(errors="replace")
            for path in supervised.logs.glob("*.log*")}
    assert {"actions.log", "rasa.log", "web.log", "supervisord.log"} <= set(logs)
    assert "Retention: deleted" in logs["rasa.log"], "the purge ran at start"
    for name, text in logs.items():
        for word in SECRET_WORDS:
            assert word.lower() not in text.lower(), f"{word!r} logged in {name}"


def test_ctrl_c_stops_a_hung_server_within_a_bounded_time(supervised):
    """The Rasa server is frozen (SIGSTOP: it cannot act on SIGTERM); Ctrl-C still stops
    everything, kills the frozen server after STOP_WAIT seconds and says which it was."""
    servers = [supervised.pid(p) for p in ("actions", "rasa", "web")]
    assert all(servers), servers
    os.kill(servers[1], signal.SIGSTOP)
    code, seconds = supervised.interrupt(timeout=STOP_WAIT + 30)
    print(f"\nstop with a hung Rasa server took {seconds:.1f} s")
    output = supervised.output()
    assert code == 0, output[-2000:]
    assert STOP_WAIT <= seconds < STOP_WAIT + 15
    assert (f"warning: the Rasa server did not stop within {STOP_WAIT}s of SIGTERM and was "
            "killed (SIGKILL)") in output
    assert "action server did not stop" not in output
    for name in ("RASA_PORT", "ACTIONS_PORT", "WEB_PORT"):
        assert wait_until(lambda n=name: not reachable(supervised.ports[n]), 10), name
    assert wait_until(lambda: not any(os.path.exists(f"/proc/{p}") for p in servers), 10)
