"""The conversation review of a real conversation: the running assistant (REST channel)
writes its SQLite tracker store, and the report reads it while the server still runs."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest

from ops.report.render import write_report
from ops.report.review import OUT_OF_SCOPE, review_rows
from ops.report.store import StoreSettings, read_rows

pytestmark = pytest.mark.integration


def test_report_of_a_conversation_with_the_running_assistant(bot, tmp_path):
    sender = f"report-live-{secrets.token_hex(8)}"
    said = ["hi", "how much magnesium is in dragonfruit", "what's the weather in paris",
            "today I ate a banana and some zzkrblqq", "how much magnesium is in almonds"]
    for text in said:
        assert bot.say(text, sender), text
    today = dt.datetime.now(dt.timezone.utc).date()
    since, until = today - dt.timedelta(days=1), today + dt.timedelta(days=1)
    settings = StoreSettings.sqlite(bot.workdir / "tracker.db")
    review = review_rows(read_rows(settings, since, until), since, until)

    mine = [t for t in review.turns if t.conversation[0] == sender]
    assert [t.text for t in mine] == said
    assert [t.intent for t in mine][:3] == ["greet", "ask_food_magnesium", "out_of_scope"]
    assert [t.not_answered() for t in mine] == [None, None, OUT_OF_SCOPE, None, None]
    assert all(t.replies for t in mine)
    assert mine[0].replies[0][0] == "utter_greet"  # Rasa's response name, from metadata
    assert "action_food_magnesium" in mine[1].actions

    foods = {f["food asked for"]: f for f in review.missing_foods(limit=None)}
    assert "dragonfruit" in foods and "zzkrblqq" in foods
    assert foods["dragonfruit"]["suggested instead"]  # the close matches it offered
    assert "almonds" not in foods
    messages = {m["message"] for m in review.unanswered_messages(limit=None)}
    assert "what's the weather in paris" in messages
    reasons = {r["reason"]: r["messages"] for r in review.not_answered_by_reason()}
    assert reasons[OUT_OF_SCOPE] >= 1
    kinds = {r["action"]: r["answers"] for r in review.computed_answers()}
    assert kinds["action_food_magnesium"] >= 2 and kinds["action_food_diary"] >= 1

    write_report(review, tmp_path)
    for path in tmp_path.iterdir():
        assert sender not in path.read_text(), path.name
