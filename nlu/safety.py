"""The safety net of the NLU pipeline: a message that talks of suicide or self-harm, or of
a medical emergency happening now, gets the safety intent whatever the classifiers chose.

``SafetyGuard`` runs last in ``config.yml`` (after the fallback classifier). When
:func:`nutrition.red_flags.red_flag` finds a red flag (patterns and sources in
``nutrition/data/red_flags.yml``) and the intent is not already a safety intent, it makes
``report_self_harm`` or ``report_emergency`` the intent with confidence 1.0, keeps the
classifier's own choice in the ranking below it, and records ``red_flag`` in the parse
data. It never removes a safety intent the classifier chose, and never raises.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nutrition.red_flags import EMERGENCY, SELF_HARM, red_flag

logger = logging.getLogger(__name__)

SAFETY_INTENTS = {SELF_HARM: "report_self_harm", EMERGENCY: "report_emergency"}
RED_FLAG = "red_flag"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class SafetyGuard(GraphComponent):
    """Gives a red-flag message its safety intent (see the module docstring)."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyGuard:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            try:
                self._guard(message)
            except Exception:  # noqa: BLE001 - the classifiers' own choice stands
                logger.exception("SafetyGuard failed on a message; its intent is kept")
        return messages

    @staticmethod
    def _guard(message: Message) -> None:
        kind = red_flag(str(message.get(TEXT) or ""))
        if kind is None:
            return
        current = message.get(INTENT) or {}
        if current.get("name") in SAFETY_INTENTS.values():
            return
        name = SAFETY_INTENTS[kind]
        chosen = {"name": name, "confidence": 1.0}
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
        message.set(INTENT, chosen, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)
        message.set(RED_FLAG, kind, add_to_output=True)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
