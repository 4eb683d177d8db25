"""nlu/safety.py: a red-flag message gets its safety intent whatever the classifiers chose;
a safety intent the classifiers chose is kept; other messages are untouched."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from nlu.safety import RED_FLAG, SafetyGuard


def parsed(text: str, intent: str, confidence: float = 0.9) -> Message:
    chosen = {"name": intent, "confidence": confidence}
    return Message(data={"text": text, INTENT: chosen,
                         INTENT_RANKING_KEY: [chosen, {"name": "greet", "confidence": 0.05}]})


def test_a_self_harm_message_gets_the_self_harm_intent_over_the_classifier():
    message = SafetyGuard().process([parsed("i want to end my life", "log_food_diary")])[0]
    assert message.get(INTENT) == {"name": "report_self_harm", "confidence": 1.0}
    names = [r["name"] for r in message.get(INTENT_RANKING_KEY)]
    assert names == ["report_self_harm", "log_food_diary", "greet"]
    assert message.get(RED_FLAG) == "self_harm"


def test_an_emergency_gets_the_emergency_intent_over_the_fallback():
    message = SafetyGuard().process([parsed("my dad collapsed", "nlu_fallback", 0.3)])[0]
    assert message.get(INTENT)["name"] == "report_emergency"


def test_a_safety_intent_the_classifier_chose_is_kept():
    message = parsed("i want to end my life and took pills", "report_emergency", 0.8)
    SafetyGuard().process([message])
    assert message.get(INTENT) == {"name": "report_emergency", "confidence": 0.8}
    assert message.get(RED_FLAG) is None


def test_ordinary_messages_are_untouched():
    message = parsed("these cramps are killing me", "knowledge", 0.7)
    SafetyGuard().process([message])
    assert message.get(INTENT) == {"name": "knowledge", "confidence": 0.7}
    assert message.get(RED_FLAG) is None


def test_messages_without_text_or_intent_pass():
    messages = [Message(data={}), Message(data={"text": None}), Message(data={"text": "x"})]
    assert SafetyGuard().process(messages) == messages
