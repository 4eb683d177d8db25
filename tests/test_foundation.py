"""The assistant answers over REST and keeps a conversation across a restart."""

import json

import pytest

from harness.net import http
from harness.stack import BotStack

pytestmark = pytest.mark.integration


def test_greeting_over_rest(bot):
    reply = bot.texts("hi", sender="foundation-greet")
    assert "magnesium" in reply.lower()


def test_unknown_text_gets_an_answer_not_silence(bot):
    messages = bot.say("zxqv plorb", sender="foundation-fallback")
    assert messages and messages[0].get("text")


def test_conversation_survives_rasa_restart(trained_model, tmp_path):
    stack = BotStack(workdir=tmp_path, rasa_args=["--enable-api", "--auth-token", "t0ken"]).start()
    try:
        tracker_url = f"{stack.rasa_url}/conversations/restart-user/tracker?token=t0ken"
        stack.say("hello", sender="restart-user")
        status, body = http("GET", tracker_url)
        assert status == 200
        before = [e["event"] for e in json.loads(body)["events"]]
        stack.stop_rasa()
        stack.start_rasa()
        status, body = http("GET", tracker_url)
        assert status == 200
        after = [e["event"] for e in json.loads(body)["events"]]
        assert after[: len(before)] == before
        assert "user" in after
        assert (tmp_path / "tracker.db").exists()
    finally:
        stack.stop()
