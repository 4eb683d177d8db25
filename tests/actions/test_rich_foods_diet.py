"""Lists of foods rich in magnesium, calcium or vitamin D honour the diet: the kept ``diet``
slot and a diet said in the same message. Every food listed fits it, and the reply says the
list does (utter_diet_fits)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from actions.diet import diet_words
from actions.followups import ActionFollowup
from actions.foods import ActionRichFoods
from actions.planning import ActionInformDiet
from actions.replies import render
from nutrition.diet import Diet, diet_from_slot, diet_value, make_diet
from nutrition.foods import food_info, food_keys
from tests.actions.computed_support import DOMAIN, extracted, make_tracker, run, slot_events, texts

VEGAN = make_diet(["vegan"])
NUT_ALLERGY = make_diet(["nut_allergy"])


def entities_of(text: str) -> list[dict[str, Any]]:
    found = extracted(text)
    if found is None:
        pytest.skip("the spaCy pipeline is not built (make build)")
    return found


def ask(text: str, diet: Diet | None = None, intent: str = "ask_rich_foods",
        action: Any = None, slots: dict[str, Any] | None = None):
    all_slots = dict(slots or {})
    if diet is not None:
        all_slots["diet"] = diet_value(diet)
    tracker = make_tracker(text, intent, entities_of(text), slots=all_slots)
    messages, events = run(action or ActionRichFoods(), tracker)
    return texts(messages), events


def listed(said: str) -> list[str]:
    """Keys of the foods a list names (its "- name (serving): ..." lines)."""
    names = sorted(((str(food_info(key)["name"]).lower(), key) for key in food_keys()),
                   key=lambda pair: -len(pair[0]))
    found = []
    for line in said.lower().splitlines():
        for name, key in names:
            if line.startswith(f"- {name} ("):
                found.append(key)
                break
    return found


def fits_words(diet: Diet) -> str:
    return render(DOMAIN, "utter_diet_fits", {"diet": diet_words(DOMAIN, diet)})


@pytest.mark.parametrize("text", [
    "which foods are high in calcium?",
    "which foods have the most vitamin D?",
    "what foods are high in magnesium",
    "which nuts have the most magnesium",
])
@pytest.mark.parametrize("diet", [VEGAN, NUT_ALLERGY], ids=["vegan", "nut_allergy"])
def test_a_rich_food_list_keeps_to_the_kept_diet(text, diet):
    said, _ = ask(text, diet)
    foods = listed(said)
    assert foods, said
    for key in foods:
        assert diet.allows(food_info(key)), f"{key} does not fit {diet.restrictions()}"
    assert fits_words(diet) in said


def test_without_a_diet_the_lists_are_unchanged():
    said, _ = ask("which foods are high in calcium?")
    foods = listed(said)
    assert any(not VEGAN.allows(food_info(key)) for key in foods)  # dairy among the first
    assert render(DOMAIN, "utter_diet_fits", {"diet": ""}).split(":")[0] not in said


def test_calcium_rich_foods_for_a_vegan_name_no_cheese_or_milk():
    said, _ = ask("which foods are high in calcium?", VEGAN)
    foods = listed(said)
    assert foods
    assert not any("dairy" in (food_info(key).get("contains") or []) for key in foods)
    assert not re.search(r"\b(cheese|milk|yogurt)\b", said.replace("soy milk", "")
                         .replace("almond milk", "").lower())


def test_a_diet_said_in_the_question_is_used_and_kept():
    said, events = ask("I'm allergic to nuts, which foods are high in magnesium?")
    foods = listed(said)
    assert foods and all(NUT_ALLERGY.allows(food_info(key)) for key in foods)
    assert diet_from_slot(slot_events(events)["diet"]).nut_allergy


def test_more_like_that_keeps_to_the_diet():
    said, events = ask("what foods are high in magnesium", NUT_ALLERGY)
    slots = {**slot_events(events), "diet": diet_value(NUT_ALLERGY)}
    more, _ = ask("more foods like that", intent="ask_more_like_that",
                  action=ActionFollowup(), slots=slots)
    foods = listed(more)
    assert foods and all(NUT_ALLERGY.allows(food_info(key)) for key in foods)
    assert fits_words(NUT_ALLERGY) in more


def test_a_kind_of_food_the_diet_rules_out_is_said_plainly():
    said, _ = ask("which dairy foods have calcium", VEGAN)
    assert listed(said) == []
    assert said == render(DOMAIN, "utter_rich_foods_none_in_diet",
                          {"diet": diet_words(DOMAIN, VEGAN)})


def test_a_diet_said_after_a_list_gives_the_list_again_in_it():
    _, events = ask("which foods are high in calcium?")
    slots = dict(slot_events(events))
    said, kept = ask("I'm vegan", intent="inform_diet", action=ActionInformDiet(), slots=slots)
    foods = listed(said)
    assert foods and all(VEGAN.allows(food_info(key)) for key in foods)
    assert fits_words(VEGAN) in said and diet_from_slot(slot_events(kept)["diet"]).vegan


def test_the_words_of_a_diet_name_no_kind_of_food():
    """"allergic to nuts" is a diet, not a question about nuts and seeds: the list is of
    every kind of food (two of each), none of them nuts."""
    said, _ = ask("I'm allergic to nuts, which foods are high in magnesium?")
    everything, _ = ask("which foods are high in magnesium?", NUT_ALLERGY)
    assert render(DOMAIN, "utter_rich_foods_all") in said
    assert listed(said) == listed(everything)
