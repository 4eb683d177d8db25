"""Planning dialogues through the REST channel of real running servers: an inverse question,
the elemental magnesium of a compound, a day's menu and another one, and a diet said in one
turn and used in the next. Figures are checked against the nutrition core (computed here,
never typed); the diet is checked in the stored slot.
"""

from __future__ import annotations

import pytest

from actions.replies import mg
from nutrition.diet import diet_from_slot, make_diet
from nutrition.foods import food_info
from nutrition.intake import supplement_ul_mg
from nutrition.inverse import compound_for_elemental, food_amount_for
from nutrition.menu import MenuRequest, plan_day
from tests.reliability.support import say, texts

pytestmark = pytest.mark.integration


def talk(api_bot, sender: str, *messages: str) -> list[str]:
    return [texts(say(api_bot.url, message, sender)) for message in messages]


def items_of(age: float, sex: str, diet=None, variant: int = 0) -> list[str]:
    menu = plan_day(MenuRequest(age_years=age, sex=sex, variant=variant,
                                **({"diet": diet} if diet is not None else {})))
    return [f"{item.portion} {item.name}" for meal in menu.meals for item in meal.items]


def test_how_many_cashews_give_an_amount(api_bot):
    reply = talk(api_bot, "plan-inverse", "how many cashews give me 150 mg?")[0]
    expected = food_amount_for("cashews", 150)
    assert expected.text in reply and f"holds {mg(expected.nutrient_mg)} mg" in reply


def test_elemental_magnesium_to_compound_with_the_limit_for_the_age(api_bot):
    replies = talk(api_bot, "plan-compound", "I'm a 70 year old woman",
                   "how much magnesium citrate gives 100 mg of elemental magnesium?")
    expected = compound_for_elemental("magnesium citrate", 100, age_years=70)
    assert f"{mg(expected.compound_mg)} mg of {expected.form_name} holds 100 mg" in replies[1]
    assert f"{mg(supplement_ul_mg(age_years=70))} mg a day upper limit" in replies[1]


def test_a_menu_then_another_one_then_the_same_request_again(api_bot):
    sender = "plan-menu"
    replies = talk(api_bot, sender, "I'm a 65 year old woman", "plan my meals",
                   "another one", "plan my meals")
    for item in items_of(65, "female"):
        assert item in replies[1]
    for item in items_of(65, "female", variant=1):
        assert item in replies[2]
    assert replies[2] != replies[1]
    assert replies[3] == replies[1]  # the same request gives the same menu


def test_a_diet_said_is_kept_and_used_for_the_menu(api_bot):
    sender = "plan-diet"
    replies = talk(api_bot, sender, "I'm a 50 year old man", "I'm vegan",
                   "I'm allergic to nuts", "plan a day of meals for me")
    kept = diet_from_slot(api_bot.tracker(sender)["slots"]["diet"])
    assert kept.vegan and kept.nut_allergy
    diet = make_diet(["vegan", "nut_allergy"])
    for item in items_of(50, "male", diet):
        assert item in replies[3]
    assert "vegan, no nuts" in replies[3]
    assert food_info("almonds")["name"] not in replies[3]


def test_a_menu_asked_before_the_profile_follows_the_form(api_bot):
    """The menu request starts the profile form; once it is filled the menu is planned
    (not the intake answer), and the kept request is dropped."""
    from actions.replies import render

    sender = "plan-menu-first"
    replies = talk(api_bot, sender, "plan me a day of meals", "65",
                   '/inform_profile{"sex": "male"}')
    assert render({}, "utter_plan_profile_first") in replies[0]
    for item in items_of(65, "male"):
        assert item in replies[2]
    assert render({}, "utter_menu_intro") in replies[2]
    assert api_bot.tracker(sender)["slots"]["pending_request"] is None


def test_foods_for_the_gap_asked_before_the_profile_follow_the_form(api_bot):
    from nutrition.diary import close_gap_for_person

    sender = "plan-gap-first"
    replies = talk(api_bot, sender, "what could I eat to reach my target?",
                   "I'm a 58 year old man")
    plan = close_gap_for_person("magnesium", 0.0, age_years=58, sex="male")
    assert f"{mg(plan.target_mg)} mg a day" in replies[1]
    for suggestion in plan.suggestions:
        assert suggestion.name in replies[1]


def test_calcium_rich_foods_for_a_vegan_keep_to_the_diet(api_bot):
    from nutrition.diet import offered
    from nutrition.foods import richest_in

    replies = talk(api_bot, "plan-vegan-calcium", "I'm vegan",
                   "which foods are high in calcium?")
    vegan = make_diet(["vegan"])
    for food in offered(richest_in("calcium"), vegan)[:3]:
        assert food.name in replies[1]
    for food in richest_in("calcium")[:10]:
        if "dairy" in (food_info(food.key).get("contains") or []):
            assert food.name not in replies[1]
    assert "fit your diet: vegan" in replies[1]
