"""Planning answers through the actions (actions/planning.py): how much of a food or
supplement gives an amount, foods that close the gap, a day's menu and another one, and the
diet kept in its slot. Messages go through the real extractor; calcium questions are also
asked with hand-made entities (the ``nutrient`` entity of the calcium work). Expected figures
come from the nutrition core, never typed in."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from actions.foods import ActionFoodMagnesium
from actions.planning import (
    ActionAmountForTarget,
    ActionAnotherMenu,
    ActionCloseGap,
    ActionDayMenu,
    ActionInformDiet,
)
from actions.privacy import ActionForgetProfile, ActionListStoredData
from actions.replies import mg, render
from actions.supplements import ActionSupplementElemental
from nutrition import diary_days as days
from nutrition.diary import close_gap_for_person
from nutrition.diet import AVOIDS, Diet, diet_from_slot, diet_value, make_diet
from nutrition.foods import food_info, magnesium_in_portion
from nutrition.intake import recommended_intake, supplement_ul_mg
from nutrition.inverse import compound_for_elemental, food_amount_for
from nutrition.menu import MenuRequest, menu_food_keys, plan_day
from nutrition.supplements import elemental_magnesium
from tests.actions.computed_support import (
    DOMAIN,
    ent,
    extracted,
    make_tracker,
    run,
    slot_events,
    texts,
)

WOMAN_70 = {"age": 70.0, "sex": "female", "life_stage": "none"}
MAN_40 = {"age": 40.0, "sex": "male", "life_stage": None}
NOON_UTC = 1796040000.0  # 2026-11-30 12:00 UTC


def entities_of(text: str) -> list[dict[str, Any]]:
    found = extracted(text)
    if found is None:
        pytest.skip("the spaCy pipeline is not built (make build)")
    return found


def ask(action: Any, text: str, intent: str, slots: dict[str, Any] | None = None,
        entities: list[dict[str, Any]] | None = None, channel: str = "rest"):
    tracker = make_tracker(text, intent, entities_of(text) if entities is None else entities,
                           slots=slots, channel=channel)
    messages, events = run(action, tracker)
    return texts(messages), events, messages


def contains(info: dict[str, Any], avoided: frozenset[str]) -> bool:
    return bool(avoided.intersection(info.get("contains") or ["unknown"]))


# ------------------------------------------------------------------------------ inverse: foods


@pytest.mark.parametrize("text, food, target", [
    ("how many cashews give me 150 mg?", "cashews", 150),
    ("how many almonds for 100 mg", "almonds", 100),
    ("how much spinach for 100 mg of magnesium", "spinach_raw", 100),
])
def test_a_food_amount_for_magnesium_in_household_units_and_grams(text, food, target):
    said, events, _ = ask(ActionAmountForTarget(), text, "ask_amount_for_target")
    expected = food_amount_for(food, target)
    assert expected.text in said  # "about 1 1/2 oz (43 g, 27 cashews)"
    assert f"holds {mg(expected.nutrient_mg)} mg" in said
    assert f"{target} mg of magnesium" in said
    slots = slot_events(events)
    assert slots["last_answer_kind"] == "food" and slots["last_food"] == expected.food
    # the amount shown gives back (about) the target: asking about it gives the same figure
    back = magnesium_in_portion(expected.food, expected.amount, expected.unit)
    assert mg(back.magnesium_mg) == mg(expected.nutrient_mg)


def test_calcium_target_from_the_dose_role():
    said, _, _ = ask(ActionAmountForTarget(), "how much yogurt for 300 mg calcium",
                     "ask_amount_for_target")
    expected = food_amount_for("yogurt_plain_low_fat", 300, "calcium")
    assert expected.text in said and "300 mg of calcium" in said
    assert f"holds {mg(expected.nutrient_mg)} mg" in said


def test_calcium_target_from_a_nutrient_entity():
    text = "how much yogurt for 300 mg"
    entities = [ent("food", "yogurt_plain_low_fat", "yogurt", text),
                ent("amount", 300.0, "300 mg", text, unit="mg"),
                ent("nutrient", "calcium")]
    said, _, _ = ask(ActionAmountForTarget(), text, "ask_amount_for_target", entities=entities)
    calcium = food_amount_for("yogurt_plain_low_fat", 300, "calcium")
    assert calcium.text in said and "300 mg of calcium" in said
    assert "magnesium" not in said.split("\n")[0]


def test_vitamin_d_is_not_worked_out_as_an_amount_of_food():
    text = "how much milk for 20 mg"
    entities = [ent("food", "milk_2_percent", "milk", text),
                ent("amount", 20.0, "20 mg", text, unit="mg"), ent("nutrient", "vitamin_d")]
    said, _, _ = ask(ActionAmountForTarget(), text, "ask_amount_for_target", entities=entities)
    assert said == render(DOMAIN, "utter_inverse_nutrient_only")


def test_too_much_of_one_food_is_refused_with_the_servings_it_would_take():
    said, _, _ = ask(ActionAmountForTarget(), "how many almonds for 10,000 mg",
                     "ask_amount_for_target")
    assert f"10,000 mg of magnesium from {food_info('almonds')['name']} alone" in said
    assert "far more than anyone needs" in said
    assert "eat about" not in said


def test_an_impossible_day_from_food_without_a_food_is_answered():
    said, _, _ = ask(ActionAmountForTarget(), "10,000 mg of magnesium from food",
                     "ask_amount_for_target", slots=WOMAN_70)
    need = recommended_intake(age_years=70, sex="female").magnesium_mg
    assert "far more than anyone needs" in said and f"{mg(need)} mg a day" in said
    assert render(DOMAIN, "utter_inverse_which_food") in said


@pytest.mark.parametrize("text", ["how many almonds for 0 mg", "how many almonds for -50 mg"])
def test_zero_or_negative_amounts_get_a_clear_answer(text):
    said, events, _ = ask(ActionAmountForTarget(), text, "ask_amount_for_target")
    assert "above zero" in said
    assert "about" not in said and not any(e.get("name") == "last_food" for e in events)


def test_an_unknown_food_gets_a_clear_answer():
    said, _, _ = ask(ActionAmountForTarget(), "how many zorblats give me 100 mg?",
                     "ask_amount_for_target")
    assert said and render(DOMAIN, "utter_inverse_which_food") in said


def test_a_food_without_an_amount_asks_for_one():
    said, _, _ = ask(ActionAmountForTarget(), "how much quinoa should I eat",
                     "ask_amount_for_target")
    assert said == render(DOMAIN, "utter_inverse_which_amount", {"food": "quinoa (cooked)"}) \
        or "How many milligrams" in said


def test_the_food_question_sent_to_the_food_answer_is_still_answered_the_right_way():
    text = "how many cashews give me 150 mg?"
    plain, _, _ = ask(ActionAmountForTarget(), text, "ask_amount_for_target")
    routed, _, _ = ask(ActionFoodMagnesium(), text, "ask_food_magnesium")
    assert routed == plain


# ------------------------------------------------------------------------------ inverse: compounds


def test_elemental_magnesium_is_turned_into_the_compound_mass_the_right_way_round():
    text = "how much magnesium citrate gives 100 mg of elemental magnesium?"
    said, _, _ = ask(ActionAmountForTarget(), text, "ask_amount_for_target", slots=WOMAN_70)
    right = compound_for_elemental("magnesium citrate", 100, age_years=70)
    wrong = elemental_magnesium("magnesium citrate", 100)
    assert f"{mg(right.compound_mg)} mg of {right.form_name} holds 100 mg" in said
    assert right.compound_mg > 100
    assert f"{mg(wrong.elemental_mg)} mg" not in said
    assert f"{mg(supplement_ul_mg(age_years=70))} mg a day upper limit" in said
    # asked as a supplement question, the answer is the same
    routed, _, _ = ask(ActionSupplementElemental(), text, "ask_supplement_elemental",
                       slots=WOMAN_70)
    assert routed == said


def test_no_compound_amount_above_the_upper_limit_for_the_age():
    ul_child = supplement_ul_mg(age_years=8)
    text = f"how much magnesium oxide gives {int(ul_child) + 40} mg of elemental magnesium?"
    said, _, _ = ask(ActionAmountForTarget(), text, "ask_amount_for_target",
                     slots={"age": 8.0, "sex": "male"})
    assert "won't work out a dose" in said and f"{mg(ul_child)} mg a day" in said
    assert "for your age" in said
    assert "holds" not in said


def test_no_compound_amount_above_the_adult_limit_without_an_age():
    said, _, _ = ask(ActionAmountForTarget(),
                     "how much magnesium glycinate gives 400 mg of elemental magnesium?",
                     "ask_amount_for_target")
    assert "won't work out a dose" in said and "for adults" in said


def test_no_compound_amount_under_a_medical_caution():
    said, _, _ = ask(ActionAmountForTarget(),
                     "how much magnesium citrate gives 100 mg of elemental magnesium?",
                     "ask_amount_for_target",
                     slots={**WOMAN_70, "medical_caution": "kidney disease"})
    assert "kidney disease" in said and "holds" not in said


# ------------------------------------------------------------------------------ closing the gap


def test_gap_foods_close_the_persons_own_target():
    said, events, _ = ask(ActionCloseGap(), "what could I eat to reach my target?",
                          "ask_close_gap", slots=WOMAN_70)
    plan = close_gap_for_person("magnesium", 0.0, age_years=70, sex="female")
    assert f"target is {mg(plan.target_mg)} mg" in said
    assert plan.suggestions
    for suggestion in plan.suggestions:
        assert suggestion.name in said
    assert slot_events(events)["last_answer_kind"] == "gap"


def test_gap_counts_todays_diary():
    portion = magnesium_in_portion("almonds", 2, "oz")
    today = date(2026, 11, 30)
    diary = days.add([], today, [portion])
    tracker = make_tracker("which foods would close my gap?", "ask_close_gap",
                           entities_of("which foods would close my gap?"),
                           slots={**WOMAN_70, "food_diary": diary})
    tracker.events[1]["timestamp"] = NOON_UTC
    messages, _ = run(ActionCloseGap(), tracker)
    said = texts(messages)
    eaten = days.day_total(diary, today).total_mg
    plan = close_gap_for_person("magnesium", eaten, age_years=70, sex="female")
    assert f"has {mg(eaten)} mg so far" in said and f"{mg(plan.remaining_mg)} mg is left" in said
    for suggestion in plan.suggestions:
        assert suggestion.name in said


def test_calcium_gap_counts_todays_diary_calcium():
    """The diary keeps each food's calcium, so the calcium gap starts from today's calcium."""
    today = date(2026, 11, 30)
    diary = days.add([], today, [magnesium_in_portion("yogurt_nonfat", 1, "cup")])
    text = "which foods would close my calcium gap?"
    tracker = make_tracker(text, "ask_close_gap", entities_of(text),
                           slots={**WOMAN_70, "food_diary": diary})
    tracker.events[1]["timestamp"] = NOON_UTC
    messages, _ = run(ActionCloseGap(), tracker)
    said = texts(messages)
    eaten = days.day_total(diary, today).calcium_mg
    assert eaten > 0
    plan = close_gap_for_person("calcium", eaten, age_years=70, sex="female")
    assert f"has {mg(eaten)} mg so far" in said and f"{mg(plan.remaining_mg)} mg is left" in said


def test_a_gap_too_big_for_one_food_points_to_a_menu():
    diet = make_diet(["vegan", "nut_allergy"])
    said, _, _ = ask(ActionCloseGap(), "what could I eat to reach my target?",
                     "ask_close_gap", slots={**WOMAN_70, "diet": diet_value(diet)})
    plan = close_gap_for_person("magnesium", 0.0, age_years=70, sex="female", diet=diet)
    assert plan.too_big_for_one_food
    assert "No single food closes" in said and "plan my meals" in said


def test_gap_honours_the_kept_diet():
    diet = make_diet(["vegan", "nut_allergy"])
    today = date(2026, 11, 30)
    diary = days.add([], today, [magnesium_in_portion("pumpkin_seeds", 1, "oz"),
                                 magnesium_in_portion("spinach_boiled", 1, "cup")])
    tracker = make_tracker("what could I eat to reach my target?", "ask_close_gap", [],
                           slots={**WOMAN_70, "diet": diet_value(diet), "food_diary": diary})
    tracker.events[1]["timestamp"] = NOON_UTC
    said = texts(run(ActionCloseGap(), tracker)[0])
    eaten = days.day_total(diary, today).total_mg
    plan = close_gap_for_person("magnesium", eaten, age_years=70, sex="female", diet=diet)
    assert plan.suggestions and "vegan, no nuts" in said
    for suggestion in plan.suggestions:
        assert suggestion.name in said
        assert not contains(food_info(suggestion.key), diet.avoided())


# ------------------------------------------------------------------------------ a day's menu


def menu_for(slots: dict[str, Any], diet: Diet = Diet(), variant: int = 0):
    return plan_day(MenuRequest(age_years=slots["age"], sex=slots["sex"], diet=diet,
                                variant=variant))


def test_a_days_menu_with_each_items_figures_and_the_totals():
    said, events, messages = ask(ActionDayMenu(), "plan my meals", "ask_day_menu",
                                 slots=WOMAN_70)
    menu = menu_for(WOMAN_70)
    for meal in ("Breakfast", "Lunch", "Dinner", "Snack"):
        assert f"{meal}: " in said
    for meal in menu.meals:
        for item in meal.items:
            assert f"{item.portion} {item.name} ({mg(item.magnesium_mg)} mg magnesium, " \
                f"{mg(item.calcium_mg)} mg calcium)" in said
    intake = recommended_intake(age_years=70, sex="female")
    assert menu.magnesium_mg >= intake.magnesium_mg and menu.calcium_mg >= intake.calcium_mg
    assert f"{mg(menu.magnesium_mg)} mg of magnesium (your RDA: {mg(intake.magnesium_mg)}" in said
    assert slot_events(events)["menu_variant"] == 0
    assert not any(m.get("custom") for m in messages)  # REST: text only


def test_the_same_request_gives_the_same_menu_and_another_one_differs():
    first, _, _ = ask(ActionDayMenu(), "plan my meals", "ask_day_menu", slots=WOMAN_70)
    again, _, _ = ask(ActionDayMenu(), "plan my meals", "ask_day_menu", slots=WOMAN_70)
    assert first == again
    kept = {**WOMAN_70, "last_answer_kind": "menu", "menu_variant": 0}
    other, events, _ = ask(ActionAnotherMenu(), "another one", "ask_another_menu", slots=kept)
    assert other != first
    second = menu_for(WOMAN_70, variant=1)
    for meal in second.meals:
        for item in meal.items:
            assert f"{item.portion} {item.name}" in other
    assert slot_events(events)["menu_variant"] == 1


def test_another_one_without_a_menu_before_asks_for_one():
    said, _, _ = ask(ActionAnotherMenu(), "another one", "ask_another_menu", slots=WOMAN_70)
    assert said == render(DOMAIN, "utter_menu_none_before")


def test_the_widget_gets_a_chart_of_the_menu():
    _, _, messages = ask(ActionDayMenu(), "plan my meals", "ask_day_menu", slots=WOMAN_70,
                         channel="socketio")
    charts = [m["custom"]["chart"] for m in messages if (m.get("custom") or {}).get("chart")]
    menu = menu_for(WOMAN_70)
    assert len(charts) == 1 and charts[0]["target"] == menu.magnesium_target_mg
    assert len(charts[0]["items"]) == sum(len(meal.items) for meal in menu.meals)


@pytest.mark.parametrize("text, flag", [
    ("plan a vegan day of meals for me", "vegan"),
    ("plan my meals, I'm vegetarian", "vegetarian"),
    ("I'm allergic to nuts, plan my meals", "nut_allergy"),
    ("plan my meals, I'm lactose intolerant", "lactose_free"),
    ("I have celiac disease, plan a day for me", "gluten_free"),
])
def test_a_menu_honours_the_diet_said_and_keeps_it(text, flag):
    said, events, _ = ask(ActionDayMenu(), text, "ask_day_menu", slots=MAN_40)
    kept = diet_from_slot(slot_events(events)["diet"])
    assert getattr(kept, flag)
    menu = menu_for(MAN_40, kept)
    for meal in menu.meals:
        for item in meal.items:
            assert f"{item.portion} {item.name}" in said
            assert not contains(food_info(item.key), AVOIDS[flag])


def test_dislikes_are_left_out_of_the_menu():
    said, events, _ = ask(ActionDayMenu(), "plan my meals, no fish and I don't like tofu",
                          "ask_day_menu", slots=WOMAN_70)
    kept = diet_from_slot(slot_events(events)["diet"])
    assert "fish_seafood" in kept.dislikes and "tofu_calcium" in kept.dislikes
    menu = menu_for(WOMAN_70, kept)
    for meal in menu.meals:
        for item in meal.items:
            assert "tofu" not in item.key
            assert food_info(item.key)["category"] != "fish_seafood"
            assert item.name in said


def test_an_impossible_diet_is_answered_honestly():
    # every menu food with 40 mg of calcium a serving or more left out (the core's own case)
    rich = sorted(k for k in menu_food_keys() if magnesium_in_portion(k).calcium_mg >= 40)
    slots = {"age": 15.0, "sex": "female", "life_stage": "none",
             "diet": {"restrictions": ["vegetarian"], "dislikes": rich}}
    said, _, _ = ask(ActionDayMenu(), "plan my meals", "ask_day_menu", slots=slots)
    assert "I can't plan a day with 1,300 mg of calcium" in said
    assert "The most I can fit is about" in said and "Breakfast:" not in said


# ------------------------------------------------------------------------------ the diet said


def test_a_diet_said_alone_is_kept_and_confirmed():
    said, events, _ = ask(ActionInformDiet(), "I'm vegan and I don't like tofu",
                          "inform_diet", slots=WOMAN_70)
    kept = diet_from_slot(slot_events(events)["diet"])
    assert kept.vegan and {"tofu_firm", "tofu_calcium"} <= kept.dislikes
    assert "vegan" in said and "firm tofu" in said


def test_a_diet_said_after_a_menu_plans_it_again():
    slots = {**WOMAN_70, "last_answer_kind": "menu", "menu_variant": 2}
    said, events, _ = ask(ActionInformDiet(), "I'm lactose intolerant", "inform_diet",
                          slots=slots)
    menu = menu_for(WOMAN_70, make_diet(["lactose_free"]))
    for meal in menu.meals:
        for item in meal.items:
            assert item.name in said
    assert slot_events(events)["menu_variant"] == 0


def test_a_diet_adds_to_the_one_kept():
    slots = {**WOMAN_70, "diet": diet_value(make_diet(["vegan"]))}
    _, events, _ = ask(ActionInformDiet(), "I have celiac disease", "inform_diet", slots=slots)
    kept = diet_from_slot(slot_events(events)["diet"])
    assert kept.vegan and kept.gluten_free


def test_no_diet_words_asks_which():
    said, events, _ = ask(ActionInformDiet(), "I have a special diet", "inform_diet")
    assert said == render(DOMAIN, "utter_diet_which") and "diet" not in slot_events(events)


def test_the_diet_is_listed_and_forgotten_with_the_profile():
    slots = {**WOMAN_70, "diet": diet_value(make_diet(["nut_allergy"]))}
    listed, _, _ = ask(ActionListStoredData(), "what do you know about me", "ask_stored_data",
                       slots=slots)
    assert "your diet: no nuts" in listed
    _, events, _ = ask(ActionForgetProfile(), "start over", "forget_profile", slots=slots)
    assert slot_events(events)["diet"] is None


def test_another_one_after_a_list_of_foods_gives_more_foods():
    from actions.foods import ActionRichFoods

    said, events, _ = ask(ActionRichFoods(), "which nuts have the most magnesium",
                          "ask_rich_foods", slots=WOMAN_70)
    kept = {**WOMAN_70, **slot_events(events)}
    more, _, _ = ask(ActionAnotherMenu(), "another one", "ask_another_menu", slots=kept)
    assert more and more != render(DOMAIN, "utter_menu_none_before")
    assert "Breakfast:" not in more


def test_any_others_after_a_menu_gives_another_menu():
    from actions.followups import ActionFollowup

    kept = {**WOMAN_70, "last_answer_kind": "menu", "menu_variant": 0}
    said, events, _ = ask(ActionFollowup(), "any others?", "ask_more_like_that", slots=kept)
    for meal in menu_for(WOMAN_70, variant=1).meals:
        for item in meal.items:
            assert f"{item.portion} {item.name}" in said
    assert slot_events(events)["menu_variant"] == 1


def test_a_calcium_dose_with_a_magnesium_question_gets_the_ratio_answer():
    from actions.supplements import ActionCalciumRatio

    text = "I give my son 1000 mg of calcium, how much magnesium should he take?"
    slots = {"people": {"son": {"age": 6.0, "sex": "male"}}}
    said, _, _ = ask(ActionAmountForTarget(), text, "ask_amount_for_target", slots=slots)
    ratio, _, _ = ask(ActionCalciumRatio(), text, "ask_calcium_ratio", slots=slots)
    assert said == ratio and "Which food" not in said


# ------------------------------------------------------------------------------ kept for the form


@pytest.mark.parametrize(("action", "text", "intent", "kept"), [
    (ActionDayMenu(), "plan me a day of meals", "ask_day_menu", "day_menu"),
    (ActionCloseGap(), "what could I eat to reach my target?", "ask_close_gap", "close_gap"),
    (ActionCloseGap(), "which foods would close my calcium gap?", "ask_close_gap",
     "close_gap_calcium"),
])
def test_a_request_without_a_profile_is_kept_for_the_form(action, text, intent, kept):
    said, events, _ = ask(action, text, intent)
    assert said == render(DOMAIN, "utter_plan_profile_first")
    assert slot_events(events)["pending_request"] == kept


@pytest.mark.parametrize(("action", "kept"), [
    (ActionDayMenu(), "day_menu"), (ActionCloseGap(), "close_gap"),
])
def test_the_kept_request_is_answered_after_the_form(action, kept):
    """After the form, the latest message is the last profile answer ("female"): the kept
    request is answered for the profile and then dropped."""
    said, events, _ = ask(action, "female", "inform_profile",
                          slots={**WOMAN_70, "pending_request": kept})
    intake = recommended_intake(age_years=70, sex="female")
    assert f"{mg(intake.magnesium_mg)} mg" in said
    assert slot_events(events)["pending_request"] is None


def test_a_kept_calcium_gap_stays_about_calcium_after_the_form():
    said, events, _ = ask(ActionCloseGap(), "female", "inform_profile",
                          slots={**WOMAN_70, "pending_request": "close_gap_calcium"})
    plan = close_gap_for_person("calcium", 0.0, age_years=70, sex="female")
    assert render(DOMAIN, "utter_gap_target", {"nutrient": "calcium",
                                               "target_mg": mg(plan.target_mg),
                                               "kind": "RDA"}) in said
    assert slot_events(events)["pending_request"] is None


def test_someone_elses_request_is_not_kept():
    said, events, _ = ask(ActionDayMenu(), "plan a day of meals for my husband",
                          "ask_day_menu")
    assert "pending_request" not in slot_events(events)
    assert render(DOMAIN, "utter_plan_needs_profile") in said


def test_the_intake_answer_drops_a_kept_request():
    from actions.intake import ActionRecommendedIntake

    _, events, _ = ask(ActionRecommendedIntake(), "female", "inform_profile",
                       slots={**WOMAN_70, "pending_request": "day_menu"})
    assert slot_events(events)["pending_request"] is None
