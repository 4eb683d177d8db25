"""How replies name the person an answer is for, and the slot events that keep what the
last answer was about (for follow-ups, :mod:`nutrition.followup`).

Wording stays in the domain: "your {relation}" and "this {noun}" are responses of
domain/followups.yml; the labels come from :mod:`nutrition.people`.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.types import DomainDict

from actions.replies import render
from nutrition.people import SELF, generic_noun, is_relation


def person_ref(domain: DomainDict, label: str) -> str:
    """How a reply names someone else: "your daughter", "this man"."""
    if is_relation(label):
        return render(domain, "utter_person_ref_relation", {"relation": label})
    return render(domain, "utter_person_ref_generic", {"noun": generic_noun(label)})


def last_answer_events(kind: str, person: str | None, **about: Any) -> list[EventType]:
    """Slot events that keep what an answer was about: its kind, whom it was for (``None``:
    the user) and ``about`` (food, amount, unit, category, shown, topic, figure_mg,
    nutrient); the
    ones not given are cleared so that no stale value is reused. An answer also ends any
    question pending about someone else (``current_person``)."""
    names = ("food", "amount", "unit", "category", "shown", "topic", "figure_mg", "nutrient")
    events: list[EventType] = [SlotSet("last_answer_kind", kind),
                               SlotSet("last_person", person or SELF),
                               SlotSet("current_person", None)]
    events += [SlotSet(f"last_{name}", about.get(name)) for name in names]
    return events


#: What the last answer was about, and everyone else asked about: "start over" clears them.
FOLLOWUP_SLOTS = ("people", "current_person", "last_answer_kind", "last_person", "last_food",
                  "last_amount", "last_unit", "last_category", "last_shown", "last_topic",
                  "last_figure_mg", "last_nutrient", "asked_nutrient")
