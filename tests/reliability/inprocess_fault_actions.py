"""Actions that misbehave, run in-process by tests/reliability/test_inprocess_actions.py."""

from __future__ import annotations

import time
from typing import Any

from rasa_sdk import Action
from rasa_sdk.events import SlotSet
from rasa_sdk.interfaces import ActionExecutionRejection

HANG_SECONDS = 2.0


class ActionTestHang(Action):
    """A synchronous action that blocks its thread (a slow database, a stuck library)."""

    def name(self) -> str:
        return "action_test_hang"

    def run(self, dispatcher: Any, tracker: Any, domain: Any) -> list:
        time.sleep(HANG_SECONDS)
        return []


class ActionTestRaise(Action):
    def name(self) -> str:
        return "action_test_raise"

    def run(self, dispatcher: Any, tracker: Any, domain: Any) -> list:
        raise ValueError("broken on purpose")


class ActionTestReject(Action):
    def name(self) -> str:
        return "action_test_reject"

    def run(self, dispatcher: Any, tracker: Any, domain: Any) -> list:
        raise ActionExecutionRejection(self.name(), "nothing to validate")


class ActionTestMutate(Action):
    """Changes the slot value it was given in place and answers."""

    def name(self) -> str:
        return "action_test_mutate"

    def run(self, dispatcher: Any, tracker: Any, domain: Any) -> list:
        items = tracker.get_slot("food_diary") or []
        items.append({"food": "changed in place"})
        dispatcher.utter_message(text="done")
        return [SlotSet("last_food", "almonds")]


class ActionTestDomain(Action):
    """Answers with the number of responses in the domain it was given, then removes them
    all from its copy."""

    def name(self) -> str:
        return "action_test_domain"

    def run(self, dispatcher: Any, tracker: Any, domain: Any) -> list:
        responses = domain.get("responses") or {}
        dispatcher.utter_message(text=str(len(responses)))
        responses.clear()
        return []
