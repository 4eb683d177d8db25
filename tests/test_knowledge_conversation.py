"""The knowledge base end to end, through the running servers (REST): an answer with its
evidence and source lines, the clarify buttons and a click on one of them, and an emergency
that mentions a knowledge-base topic. Wording is taken from the domain, never typed here."""

from __future__ import annotations

import json

import pytest

from actions import replies
from actions.knowledge import entry_values
from nutrition.knowledge import source

pytestmark = pytest.mark.integration

# Two entries in one question: the selector is not sure which one is meant.
TWO_TOPICS = "does magnesium help migraines and leg cramps"


def render(name: str, **values) -> str:
    if name.startswith("utter_knowledge/"):
        values = {**entry_values(None, name), **values}
    return replies.render(None, name, values)


def test_a_clear_question_gets_the_answer_with_evidence_and_source(bot):
    messages = bot.say("I'm on warfarin, is a K2 supplement safe for me?", sender="kb-answer")
    text = "\n".join(m.get("text", "") for m in messages)
    about = replies.template(None, "utter_knowledge/vitamin_k_warfarin")["metadata"]
    assert render("utter_knowledge/vitamin_k_warfarin") in text
    assert render(f"utter_knowledge_evidence_{about['evidence']}") in text
    assert render("utter_knowledge_source", source_name=source(about["source"]).name) in text


def test_an_unclear_question_gets_buttons_and_a_click_gets_that_answer(bot):
    messages = bot.say(TWO_TOPICS, sender="kb-clarify")
    assert messages[0]["text"] == render("utter_knowledge_clarify")
    buttons = messages[0].get("buttons") or []
    assert 2 <= len(buttons) <= 3, messages
    first = buttons[0]
    assert first["payload"].startswith("/knowledge{")
    entry = json.loads(first["payload"][len("/knowledge"):])["knowledge_entry"]
    reply = "\n".join(m.get("text", "") for m in bot.say(first["payload"], sender="kb-clarify"))
    assert render(f"utter_knowledge/{entry}") in reply
    for level in ("good", "mixed", "little_or_none"):
        assert render(f"utter_knowledge_evidence_{level}") not in messages[0]["text"]


def test_an_emergency_about_a_knowledge_topic_comes_first(bot):
    messages = bot.say("I took a whole bottle of magnesium for my leg cramps and now I can't "
                       "breathe", sender="kb-emergency")
    assert messages[0]["text"] == render("utter_emergency")
