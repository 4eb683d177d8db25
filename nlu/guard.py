"""The shared frame of the pipeline's guards (``nlu/scope.py``, ``nlu/safety.py``): Rasa
components that train nothing and may change a parsed message after the classifiers.

A guard implements :meth:`MessageGuard.guard`; the frame runs it on every message and keeps
the classifiers' output when it raises, so a guard can never break a turn.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)


class MessageGuard(GraphComponent):
    """Runs :meth:`guard` on each parsed message; an error leaves the message as it was."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config = {**self.get_default_config(), **(config or {})}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageGuard:
        return cls(config)

    def guard(self, message: Message) -> None:
        """Change ``message`` in place where the guard applies."""
        raise NotImplementedError

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            try:
                self.guard(message)
            except Exception:  # noqa: BLE001 - the classifiers' own output stands
                logger.exception("%s failed on a message; it is kept as parsed",
                                 type(self).__name__)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


def put_intent_first(message: Message, name: str, confidence: float) -> None:
    """Make ``name`` the message's intent; the classifiers' ranking follows below it."""
    chosen = {"name": name, "confidence": confidence}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)
