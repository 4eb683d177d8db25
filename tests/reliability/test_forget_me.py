"""People's data through the REST channel of real running servers (SQLite tracker store):
a profile is given, listed back, the conversation is erased on request ("forget me"),
the database holds no row of the sender afterwards, and the next "hi" starts afresh.
A "no" to the confirmation keeps everything."""

from __future__ import annotations

import sqlite3

import pytest

from tests.reliability.support import (
    FORM_ANSWERS,
    FORM_TRIGGER,
    is_greeting,
    response_text,
    say,
    texts,
)

pytestmark = pytest.mark.integration


def rows_of(api_bot, sender: str) -> int:
    with sqlite3.connect(api_bot.stack.workdir / "tracker.db") as connection:
        return connection.execute(
            "SELECT count(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]


def give_profile(api_bot, sender: str) -> None:
    assert is_greeting(say(api_bot.url, "hi", sender))
    say(api_bot.url, FORM_TRIGGER, sender)
    for slot in ("age", "sex", "life_stage"):
        say(api_bot.url, FORM_ANSWERS[slot], sender)
    slots = api_bot.tracker(sender)["slots"]
    assert (slots["age"], slots["sex"], slots["life_stage"]) == (30.0, "female", "none")


def test_profile_listed_then_the_conversation_is_erased(api_bot):
    sender = "forget-me-yes"
    give_profile(api_bot, sender)

    listed = texts(say(api_bot.url, "what do you know about me?", sender))
    assert "- age: 30 years" in listed
    assert response_text("utter_stored_sex_female") in listed
    assert response_text("utter_stored_life_stage_none") in listed

    asked = say(api_bot.url, "please delete my data", sender)
    assert response_text("utter_confirm_delete_data") in texts(asked)
    assert [b["payload"] for m in asked for b in m.get("buttons") or []] == ["/affirm", "/deny"]
    assert rows_of(api_bot, sender) > 0

    done = say(api_bot.url, "/affirm", sender)
    assert texts(done).strip() == response_text("utter_data_deleted").strip()
    assert rows_of(api_bot, sender) == 0

    # the next message starts a clean conversation: greeted, nothing remembered
    assert is_greeting(say(api_bot.url, "hi", sender))
    tracker = api_bot.tracker(sender)
    assert [e["text"] for e in tracker["events"] if e["event"] == "user"] == ["hi"]
    assert tracker["slots"]["age"] is None
    assert response_text("utter_stored_nothing") in texts(
        say(api_bot.url, "what do you know about me", sender))


def test_no_to_the_confirmation_keeps_everything(api_bot):
    sender = "forget-me-no"
    give_profile(api_bot, sender)
    say(api_bot.url, "erase everything you know about me", sender)
    stored = rows_of(api_bot, sender)
    kept = say(api_bot.url, "no", sender)
    assert texts(kept).strip() == response_text("utter_delete_data_cancelled").strip()
    assert rows_of(api_bot, sender) > stored
    assert api_bot.tracker(sender)["slots"]["age"] == 30.0
