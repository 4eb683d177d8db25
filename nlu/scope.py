"""Keeps a question about something else from getting a magnesium answer that only shares
its other words ("does valerian help you sleep", "does magnesium help sleep apnea",
"magnesium for my greyhound").

``SubjectGuard`` runs after the knowledge selector and before the fallback classifier in
``config.yml``. It asks the core (:func:`nutrition.other_subjects.unanswered_subject`,
table ``nutrition/data/other_subjects.yml``) whether the message is about a subject the
assistant has no checked answer for; whether it names magnesium comes from the entities
the extractor found (a ``nutrient`` magnesium or a ``supplement_form``). Then:

- intent ``knowledge``: the entry is not answered. ``sure`` becomes false and
  ``other_subject`` names the subject in the selector's output; the answer action says it
  has no checked answer about it and offers the closest entries (actions/knowledge.py);
- an intent of ``guarded_intents`` (explanations of magnesium and bone topics), when the
  subject is another supplement, an animal or a plant: the intent becomes ``out_of_scope``
  (the classifier's choice stays in the ranking). Health problems are not applied to
  these: "I have arthritis, what exercise is safe for my bones" is still a bone question.

Any other intent (computed answers, the diary, safety, medicines) is left alone. The
component never raises.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.guard import MessageGuard, put_intent_first
from nlu.knowledge import RESPONSE_SELECTOR, SURE
from nutrition.other_subjects import CONDITION, Subject, unanswered_subject

OTHER_SUBJECT = "other_subject"
OUT_OF_SCOPE = "out_of_scope"


def names_magnesium(message: Message) -> bool:
    """Whether the extractor found magnesium or a magnesium compound in the message."""
    for entity in message.get(ENTITIES) or []:
        if entity.get("entity") == "supplement_form":
            return True
        if entity.get("entity") == "nutrient" and entity.get("value") == "magnesium":
            return True
    return False


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class SubjectGuard(MessageGuard):
    """Declines a knowledge or topic answer about a subject without a checked answer."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"retrieval_intent": "knowledge", "guarded_intents": []}

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        super().__init__(config)
        self.guarded = set(self.config["guarded_intents"])

    def guard(self, message: Message) -> None:
        intent = (message.get(INTENT) or {}).get("name")
        retrieval = str(self.config["retrieval_intent"])
        if intent != retrieval and intent not in self.guarded:
            return
        subject = unanswered_subject(str(message.get(TEXT) or ""), names_magnesium(message))
        if subject is None:
            return
        if intent == retrieval:
            self._not_sure(message, retrieval, subject)
        elif subject.kind != CONDITION:
            self._out_of_scope(message, subject)

    @staticmethod
    def _not_sure(message: Message, retrieval: str, subject: Subject) -> None:
        selector = dict(message.get(RESPONSE_SELECTOR) or {})
        prediction = dict(selector.get(retrieval) or {})
        prediction[SURE] = False
        prediction[OTHER_SUBJECT] = subject.words
        selector[retrieval] = prediction
        message.set(RESPONSE_SELECTOR, selector, add_to_output=True)

    @staticmethod
    def _out_of_scope(message: Message, subject: Subject) -> None:
        confidence = float((message.get(INTENT) or {}).get("confidence") or 1.0)
        put_intent_first(message, OUT_OF_SCOPE, confidence)
        message.set(OTHER_SUBJECT, subject.words, add_to_output=True)
