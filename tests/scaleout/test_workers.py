"""Several processes on one machine sharing the embedded default (SQLite file: tracker store
and runtime.lock_store.SQLiteLockStore), and SANIC_WORKERS=2 on both profiles.

- Two Rasa servers on one SQLite file: messages of one conversation sent to both at the
  same moment are all answered and stored, one turn after the other (the race test of
  test_scaleout.py, on the embedded default). Two servers make "different processes"
  certain; Sanic's workers are such processes too, sharing one listening socket.
- One Rasa server with SANIC_WORKERS=2, embedded and PostgreSQL + Redis (skipped, with the
  reason, without those services): the same race, repeated until both workers did part of
  the work (CPU time of each worker process, from /proc).
- "Forget me" through two servers on one SQLite file: the erasure holds in both.
- socket.io with two workers: the channel accepts WebSocket only (its sessions live in one
  worker; a long-polling request handed to the other worker would be refused mid-session),
  and a widget that reconnects, whichever worker it reaches, continues its conversation.
"""

from __future__ import annotations

import json
import os
import queue
import secrets
import sqlite3
import time
from pathlib import Path

import jwt
import pytest
import socketio

from harness.net import http, start_parallel
from harness.stack import BotStack, cpu_s
from tests.reliability.support import (
    Conversation,
    check_serialised,
    is_greeting,
    new_secret,
    response_text,
    say,
    send_at_once,
    texts,
    tracker,
)

pytestmark = pytest.mark.integration

RACE = [f"thanks {i}" for i in range(6)]
MAX_ROUNDS = 6


def _jwt(secret: str) -> str:
    return jwt.encode({"user": {"username": "tester", "role": "admin"}}, secret,
                      algorithm="HS256")


def _events(stack: BotStack, secret: str, sender: str) -> list[dict]:
    return tracker(stack.rasa_url, sender, jwt_token=_jwt(secret))["events"]


def _worker_pids(stack: BotStack) -> list[int]:
    main = stack._rasa.pid
    return [int(p) for p in Path(f"/proc/{main}/task/{main}/children").read_text().split()]


def _cpu_ticks(pid: int) -> int:
    """Clock ticks of CPU a worker has used (a worker has no child processes)."""
    return round(cpu_s(pid) * os.sysconf("SC_CLK_TCK"))


@pytest.fixture(scope="module")
def two_servers_one_file(trained_model, tmp_path_factory):
    secret = new_secret()
    shared = tmp_path_factory.mktemp("shared-sqlite") / "tracker.db"
    env = {"TRACKER_DB": str(shared), "JWT_SECRET": secret}
    a = BotStack(workdir=tmp_path_factory.mktemp("sqlite-a"), env=env)
    b = BotStack(workdir=tmp_path_factory.mktemp("sqlite-b"), env=env,
                 actions_port=a.actions_port)
    try:
        a.start_actions()
        start_parallel(a.start_rasa, b.start_rasa)
        yield a, b, secret
    finally:
        b.stop_rasa()
        a.stop()


def _two_workers(workdir: Path, extra_env: dict[str, str], **stack_args) -> tuple:
    secret = new_secret()
    stack = BotStack(workdir=workdir, env={"SANIC_WORKERS": "2", "JWT_SECRET": secret,
                                           **extra_env}, **stack_args)
    stack.start()
    return stack, secret


@pytest.fixture(scope="module")
def embedded_workers(trained_model, tmp_path_factory):
    stack, secret = _two_workers(tmp_path_factory.mktemp("workers-sqlite"), {})
    yield stack, secret
    stack.stop()


@pytest.fixture(scope="module")
def scaled_workers(trained_model, fresh_database, tmp_path_factory):
    from harness.paths import ROOT
    from tests.scaleout.conftest import PG_PORT, PG_USER, REDIS_PORT

    env = {
        "DB_HOST": "127.0.0.1", "DB_PORT": str(PG_PORT), "DB_USER": PG_USER,
        "DB_PASSWORD": "", "DB_NAME": fresh_database, "DB_LOGIN_DB": "postgres",
        "REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(REDIS_PORT), "REDIS_PASSWORD": "",
        "REDIS_DB": "1", "REDIS_KEY_PREFIX": f"workers{secrets.token_hex(6)}",
        "ACTION_SERVER_SECRET": new_secret(),
    }
    stack, secret = _two_workers(tmp_path_factory.mktemp("workers-scaled"), env,
                                 endpoints=ROOT / "endpoints.scaled.yml")
    yield stack, secret
    stack.stop()


def test_simultaneous_messages_to_two_servers_on_one_sqlite_file(two_servers_one_file):
    a, b, secret = two_servers_one_file
    sender = "sqlite-simultaneous"
    results = send_at_once([a, b], sender, RACE)
    check_serialised(_events(a, secret, sender), RACE, results)


def test_turns_alternate_between_two_servers_on_one_sqlite_file(two_servers_one_file):
    a, b, secret = two_servers_one_file
    conv = Conversation("sqlite-alternate")
    for i, text in enumerate(["hi", "what is magnesium?", "thanks", "bye"]):
        assert conv.say((a, b)[i % 2], text), f"no answer to {text!r}"
    events = _events(b, secret, conv.sender)
    assert events == _events(a, secret, conv.sender)
    conv.check_stored(events)


@pytest.mark.parametrize("profile", ["embedded", "scaled"])
def test_simultaneous_messages_to_two_workers(profile, request):
    stack, secret = request.getfixturevalue(f"{profile}_workers")
    workers = _worker_pids(stack)
    assert len(workers) == 2, "SANIC_WORKERS=2 runs two worker processes"
    before = {pid: _cpu_ticks(pid) for pid in workers}
    for round_ in range(MAX_ROUNDS):
        sender = f"workers-{profile}-{round_}"
        results = send_at_once([stack], sender, RACE)
        check_serialised(_events(stack, secret, sender), RACE, results)
        # a turn takes tens of ms of CPU; 5 ticks (50 ms) is more than an idle worker uses
        if all(_cpu_ticks(pid) - before[pid] >= 5 for pid in workers):
            return
    pytest.fail(f"after {MAX_ROUNDS} rounds one worker had done no turns: "
                f"{ {pid: _cpu_ticks(pid) - before[pid] for pid in workers} }")


# ----------------------------------------------------------------------------- socket.io
def _polling_handshake(stack: BotStack) -> int:
    return http("GET", f"{stack.rasa_url}/socket.io/?EIO=4&transport=polling")[0]


def test_one_worker_still_offers_long_polling(bot):
    assert _polling_handshake(bot) == 200


def test_two_workers_accept_websocket_only(embedded_workers):
    stack, _ = embedded_workers
    for _ in range(6):  # whichever worker takes the request
        assert _polling_handshake(stack) == 400


def _widget_turn(stack: BotStack, session_id: str, text: str) -> list[dict]:
    """What the widget does: connect by WebSocket, ask for its session, send one message,
    collect the replies until the bot is quiet for a moment, disconnect."""
    replies: queue.Queue = queue.Queue()
    confirmed: queue.Queue = queue.Queue()
    client = socketio.Client(reconnection=False)
    client.on("bot_uttered", replies.put)
    client.on("session_confirm", confirmed.put)
    client.connect(stack.rasa_url, transports=["websocket"], wait_timeout=30)
    try:
        client.emit("session_request", {"session_id": session_id})
        assert confirmed.get(timeout=30) == session_id
        client.emit("user_uttered", {"message": text, "session_id": session_id})
        received = [replies.get(timeout=60)]
        while True:
            try:
                received.append(replies.get(timeout=1.5))
            except queue.Empty:
                return received
    finally:
        client.disconnect()


def test_widget_reconnecting_to_either_worker_continues_its_conversation(embedded_workers):
    stack, secret = embedded_workers
    session = f"widget-{secrets.token_hex(4)}"
    said = ["hi", "thanks", "what is magnesium?", "thanks", "bye", "hi"]
    for text in said:  # a new WebSocket each time: the kernel picks the worker
        assert _widget_turn(stack, session, text), f"no reply to {text!r}"
        time.sleep(0.1)
    events = _events(stack, secret, session)
    assert [e["text"] for e in events if e["event"] == "user"] == said
    greet = response_text("utter_greet")
    assert [e["text"] for e in events if e["event"] == "bot"].count(greet) >= 2
    assert json.dumps(events).count('"event": "user"') == len(said)


def _rows(path: Path, sender: str) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM events WHERE sender_id = ?",
                                  (sender,)).fetchone()[0]


def test_forget_me_through_two_servers_on_one_sqlite_file(two_servers_one_file):
    """Turns alternate, so both processes have cached the conversation; the erasure by one
    must not be undone or served stale by the other's cache."""
    a, b, secret = two_servers_one_file
    db = Path(a.env["TRACKER_DB"])
    sender = "forget-me-sqlite"
    assert is_greeting(say(a, "hi", sender))
    say(b, "I'm 45 and male, how much magnesium do I need?", sender)
    assert "- age: 45 years" in texts(say(a, "what do you know about me", sender))
    say(b, "delete my data", sender)
    assert _rows(db, sender) > 0
    done = say(a, "yes", sender)
    assert texts(done).strip() == response_text("utter_data_deleted").strip()
    assert _rows(db, sender) == 0

    assert is_greeting(say(b, "hi", sender))
    events = _events(a, secret, sender)
    assert [e["text"] for e in events if e["event"] == "user"] == ["hi"]
    assert response_text("utter_stored_nothing") in texts(
        say(a, "what do you know about me", sender))
