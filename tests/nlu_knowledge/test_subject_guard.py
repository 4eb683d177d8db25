"""nlu/scope.py: a question about a subject with no checked answer never gets a knowledge
entry, and a topic explanation only when the subject is a health problem."""

from __future__ import annotations

from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from nlu.scope import OTHER_SUBJECT, SubjectGuard

GUARD = SubjectGuard({"guarded_intents": ["ask_bone_nutrients"]})
MAGNESIUM = [{"entity": "nutrient", "value": "magnesium"}]


def parsed(text: str, intent: str, entities: list | None = None, sure: bool = True) -> Message:
    chosen = {"name": intent, "confidence": 0.9}
    data = {"text": text, INTENT: chosen, INTENT_RANKING_KEY: [chosen], ENTITIES: entities or []}
    if intent == "knowledge":
        data["response_selector"] = {"knowledge": {"sure": sure, "response": {
            "intent_response_key": "knowledge/sleep_quality"}}}
    return Message(data=data)


def test_another_supplement_gets_no_entry():
    message = GUARD.process([parsed("is valerian good for sleep", "knowledge")])[0]
    picked = message.get("response_selector")["knowledge"]
    assert picked["sure"] is False and picked[OTHER_SUBJECT] == "valerian"
    assert message.get(INTENT)["name"] == "knowledge"


def test_a_supplement_with_magnesium_keeps_its_entry():
    message = GUARD.process([parsed("can I take valerian with magnesium", "knowledge",
                                    MAGNESIUM)])[0]
    assert message.get("response_selector")["knowledge"]["sure"] is True


def test_a_health_problem_gets_no_entry_even_with_magnesium():
    message = GUARD.process([parsed("does magnesium help sleep apnea", "knowledge",
                                    MAGNESIUM)])[0]
    assert message.get("response_selector")["knowledge"][OTHER_SUBJECT] == "sleep apnea"


def test_a_topic_intent_about_another_supplement_is_out_of_scope():
    message = GUARD.process([parsed("is boron good for bones", "ask_bone_nutrients")])[0]
    assert message.get(INTENT)["name"] == "out_of_scope"
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == [
        "out_of_scope", "ask_bone_nutrients"]
    assert message.get(OTHER_SUBJECT) == "boron"


def test_a_topic_intent_with_a_health_problem_keeps_its_intent():
    message = GUARD.process([parsed("I have arthritis, which nutrients matter for bones",
                                    "ask_bone_nutrients")])[0]
    assert message.get(INTENT)["name"] == "ask_bone_nutrients"


def test_other_intents_are_left_alone():
    message = GUARD.process([parsed("how much magnesium does my dog need",
                                    "ask_magnesium_need", MAGNESIUM)])[0]
    assert message.get(INTENT)["name"] == "ask_magnesium_need"
    assert message.get(OTHER_SUBJECT) is None


def test_messages_without_text_or_intent_pass():
    messages = [Message(data={}), Message(data={"text": None, INTENT: {"name": "knowledge"}})]
    assert GUARD.process(messages) == messages
