"""The diet a person keeps, read for every answer that offers foods: the ``diet`` slot (the
user's own, kept by ``action_inform_diet``) plus what this message says ("vegan",
"allergic to nuts", "I don't like tofu"). What a diet allows is the core's
(:mod:`nutrition.diet`); the words for it are in the domain (``utter_diet_word_*``,
``utter_diet_fits``). Used by the food lists (actions/foods.py, actions/followups.py) and
the planning answers (actions/planning.py).
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.types import DomainDict

from actions import entities as ents
from actions.base import DIET_SLOT, Turn
from actions.replies import render
from nutrition.diet import DISLIKE, Diet, combine, diet_from_slot, diet_from_values, diet_value
from nutrition.foods import food_categories, food_info

# A food right after one of these words is one the person avoids ("no tofu").
_NO_BEFORE = re.compile(r"\b(?:no|not|without|except)\s+$", re.IGNORECASE)


def diet_said(turn: Turn) -> tuple[Diet, bool]:
    """The diet this message states, and whether it states one: restrictions and avoided
    categories from the ``diet`` entities, and the foods after "I don't like" or "no"."""
    diet_entities = ents.of_type(turn.entities, "diet")
    values = [str(e.get("value")) for e in diet_entities]
    marks = [e.get("end") for e in diet_entities
             if e.get("value") == DISLIKE and isinstance(e.get("end"), int)]
    disliked: list[str] = []
    for food in ents.of_type(turn.entities, "food"):
        start = food.get("start")
        if not isinstance(start, int):
            continue
        after_mark = any(isinstance(end, int) and end <= start for end in marks)
        if after_mark or _NO_BEFORE.search(turn.text[:start]):
            disliked.append(turn.words(food))
    stated = bool(disliked) or any(value != DISLIKE for value in values)
    return diet_from_values(values, disliked), stated


def diet_for(turn: Turn) -> tuple[Diet, list[EventType]]:
    """The diet to plan with: the user's kept diet plus what this message says (kept in
    the ``diet`` slot); for someone else, only what this message says."""
    said, stated = diet_said(turn)
    if turn.person is not None:
        return said, []
    kept = diet_from_slot(turn.diet)
    diet = combine(kept, said)
    events: list[EventType] = []
    if stated and diet_value(diet) != diet_value(kept):
        events.append(SlotSet(DIET_SLOT, diet_value(diet)))
    return diet, events


def diet_words(domain: DomainDict, diet: Diet) -> str:
    """The diet in words: "vegan, no nuts, no firm tofu" (its dislikes are keys of the
    food table: nutrition/diet.py keeps no others)."""
    words = [render(domain, f"utter_diet_word_{name}") for name in diet.restrictions()]
    categories = set(food_categories())
    for dislike in sorted(diet.dislikes):
        if dislike in categories:
            try:
                words.append(render(domain, f"utter_diet_word_{dislike}"))
                continue
            except KeyError:
                pass
            words.append(render(domain, "utter_diet_word_dislike",
                                {"food": dislike.replace("_", " ")}))
        else:
            words.append(render(domain, "utter_diet_word_dislike",
                                {"food": food_info(dislike)["name"]}))
    return ", ".join(words)


def is_empty(diet: Diet) -> bool:
    return not diet.restrictions() and not diet.dislikes



def diet_fits_parts(domain: DomainDict, diet: Diet) -> list[tuple[str, dict[str, Any]]]:
    """The line saying the foods shown fit the diet (none for an empty diet)."""
    if is_empty(diet):
        return []
    return [("utter_diet_fits", {"diet": diet_words(domain, diet)})]


def text_without_diet(turn: Turn) -> str:
    """The message with the words of its ``diet`` entities blanked out: "allergic to nuts"
    says what the person avoids, not which kind of food they ask about."""
    text = turn.text
    for entity in ents.of_type(turn.entities, "diet"):
        start, end = entity.get("start"), entity.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            text = text[:start] + " " * (end - start) + text[end:]
    return text
