"""action_answer_knowledge (actions/knowledge.py) with a real rasa_sdk Tracker and dispatcher.

The parse data is what nlu/knowledge.py's KnowledgeSelector writes (Rasa's
``response_selector`` output plus ``sure``); the entries and their metadata are the real
ones of domain/knowledge_<area>.yml.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import knowledge, replies
from harness.domain import load_domain
from nutrition.knowledge import RESPONSE_PREFIX, source


def entry_names() -> list[str]:
    return sorted(r[len(RESPONSE_PREFIX):] for r in load_domain().responses
                  if r.startswith(RESPONSE_PREFIX))


def selection(ranking: list[tuple[str, float]], sure: bool) -> dict[str, Any]:
    best, confidence = ranking[0]
    return {
        "response": {"responses": [], "confidence": confidence,
                     "intent_response_key": f"knowledge/{best}",
                     "utter_action": f"utter_knowledge/{best}"},
        "ranking": [{"id": i, "confidence": p, "intent_response_key": f"knowledge/{e}"}
                    for i, (e, p) in enumerate(ranking)],
        "sure": sure,
    }


def run(picked: dict[str, Any] | None = None, entities: list[dict] | None = None):
    latest: dict[str, Any] = {"text": "a question", "intent": {"name": "knowledge",
                                                              "confidence": 0.9},
                              "entities": list(entities or [])}
    if picked is not None:
        latest["response_selector"] = {"all_retrieval_intents": ["knowledge"],
                                       "knowledge": picked}
    tracker = Tracker("test-knowledge", {}, latest, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = knowledge.ActionAnswerKnowledge().run(dispatcher, tracker,
                                                   load_domain().as_dict())
    assert events == []
    assert len(dispatcher.messages) == 1, dispatcher.messages
    return dispatcher.messages[0]


def render(name: str, **values: Any) -> str:
    return replies.render(load_domain().as_dict(), name, values)


@pytest.fixture(scope="module")
def two():
    names = entry_names()
    assert len(names) >= 3
    return names[0], names[1], names[2]


def test_a_sure_entry_is_answered_with_evidence_source_and_offer(two):
    for entry in entry_names():
        message = run(selection([(entry, 0.9), (two[0] if entry != two[0] else two[1], 0.05)],
                                sure=True))
        about = knowledge.metadata(None, f"{RESPONSE_PREFIX}{entry}")
        text = message["text"]
        answer = render(f"{RESPONSE_PREFIX}{entry}",
                        **knowledge.entry_values(None, f"{RESPONSE_PREFIX}{entry}"))
        assert text.startswith(answer), entry
        assert render(f"utter_knowledge_evidence_{about['evidence']}") in text
        cited = source(about["source"])
        assert cited is not None
        assert render("utter_knowledge_source", source_name=cited.name) in text
        assert "{" not in text, f"{entry}: a placeholder left unfilled"
        if about.get("can_compute"):
            assert render(f"utter_knowledge_can_compute_{about['can_compute']}") in text
        else:
            assert "I can " not in text.replace(answer, "")


def test_an_unsure_entry_gets_two_or_three_buttons_not_an_answer(two):
    a, b, c = two
    message = run(selection([(a, 0.35), (b, 0.3), (c, 0.2), ("nothing_else", 0.01)],
                            sure=False))
    assert message["text"] == render("utter_knowledge_clarify")
    assert [button["payload"] for button in message["buttons"]] == [
        "/knowledge" + json.dumps({"knowledge_entry": name}) for name in (a, b, c)]
    titles = [button["title"] for button in message["buttons"]]
    assert titles == [knowledge.question(None, f"{RESPONSE_PREFIX}{n}") for n in (a, b, c)]
    two_only = run(selection([(a, 0.45), (b, 0.40), (c, 0.05)], sure=False))
    assert len(two_only["buttons"]) == 2


def test_a_clicked_button_is_answered():
    entry = entry_names()[-1]
    message = run(None, [{"entity": "knowledge_entry", "value": entry}])
    assert message["text"].startswith(render(
        f"{RESPONSE_PREFIX}{entry}", **knowledge.entry_values(None, f"{RESPONSE_PREFIX}{entry}")))
    assert not message["buttons"]


def test_nothing_likely_says_it_does_not_know_and_what_it_can_do(two):
    a, b, _ = two
    for picked in (selection([(a, 0.08), (b, 0.07)], sure=False), None):
        message = run(picked)
        assert message["text"] == "\n".join([render("utter_knowledge_unknown"),
                                              render("utter_capabilities")])
        assert not message["buttons"]


def test_an_unknown_entry_name_is_never_answered(two):
    message = run(selection([("no_such_entry", 0.99)], sure=True),
                  [{"entity": "knowledge_entry", "value": "no_such_entry"}])
    assert message["text"].startswith(render("utter_knowledge_unknown"))


def test_another_subject_is_named_and_never_answered_then_close_entries_offered(two):
    a, b, _ = two
    picked = selection([(a, 0.9), (b, 0.05)], sure=False)
    picked["other_subject"] = "valerian"
    message = run(picked)
    said = render("utter_knowledge_other_subject", subject="valerian")
    assert "valerian" in said
    assert message["text"] == "\n".join([said, render("utter_knowledge_related")])
    assert [button["payload"] for button in message["buttons"]] == [
        "/knowledge" + json.dumps({"knowledge_entry": a})]
    # nothing close: what the assistant can do instead
    picked = selection([(a, 0.05)], sure=False)
    picked["other_subject"] = "my greyhound"
    message = run(picked)
    assert message["text"] == "\n".join([
        render("utter_knowledge_other_subject", subject="my greyhound"),
        render("utter_capabilities")])
    assert not message["buttons"]
