"""Calcium and vitamin D in the chat (issue 14): needs per life stage and amounts in foods,
asked with the magnesium intents and the ``nutrient`` entity; follow-ups keep the nutrient;
the diary totals calcium beside magnesium with the day's ratio. Every expected figure is
read from the cited tables (reference_intakes.yml, foods.json), never typed here."""

from __future__ import annotations

import pytest

from actions.diary import ActionDiaryTotal, ActionFoodDiary
from actions.followups import ActionFollowup
from actions.foods import ActionFoodMagnesium
from actions.intake import ActionRecommendedIntake
from actions.replies import mg, number
from nutrition.foods import magnesium_in_portion, vitamin_d_iu
from nutrition.intake import recommended_intake
from tests.actions.computed_support import extracted, make_tracker, run, slot_events, texts

INTAKE = ActionRecommendedIntake()
FOOD = ActionFoodMagnesium()
FOLLOWUP = ActionFollowup()
DIARY = ActionFoodDiary()
TOTAL = ActionDiaryTotal()


def entities(msg):
    found = extracted(msg)
    if found is None:
        pytest.skip("spaCy pipeline not built (python -m nlu.build_pipeline)")
    return found


def ask(action, msg, intent, slots=None):
    messages, events = run(action, make_tracker(msg, intent, entities(msg), slots=slots))
    return texts(messages), slot_events(events)


# ------------------------------------------------------------------------------ needs


def test_vitamin_d_for_someone_of_80_in_mcg_and_iu_with_the_upper_limit():
    said, slots = ask(INTAKE, "how much vitamin D for someone of 80?", "ask_magnesium_need")
    need = recommended_intake(age_years=80, sex="female")  # vitamin D: one row for both
    assert f"{number(need.vitamin_d_mcg)} mcg ({number(need.vitamin_d_iu)} IU)" in said
    assert f"{number(need.vitamin_d_ul_mcg)} mcg ({number(need.vitamin_d_ul_iu)} IU)" in said
    assert "recommended magnesium intake" not in said  # not the magnesium answer
    assert slots["last_nutrient"] == "vitamin_d" and slots["last_answer_kind"] == "intake"
    assert slots["asked_nutrient"] is None


def test_calcium_with_a_stored_profile_uses_her_row():
    slots = {"age": 62.0, "sex": "female", "life_stage": "none"}
    said, events = ask(INTAKE, "how much calcium do I need?", "ask_magnesium_need", slots)
    need = recommended_intake(age_years=62, sex="female")
    assert f"For a woman aged 62, the recommended calcium intake is {mg(need.calcium_mg)} mg" \
        in said
    assert f"no more than {mg(need.calcium_ul_mg)} mg of calcium" in said
    assert f"{mg(need.magnesium_mg)} mg a day" in said  # magnesium stays in view
    assert events["last_nutrient"] == "calcium" and events["last_figure_mg"] == need.calcium_mg


def test_the_nutrient_asked_before_the_form_is_answered_after_it():
    """The form asked for the age: the answer ("70") names no nutrient, the slot kept it."""
    messages, events = run(INTAKE, make_tracker(
        "70", "inform_profile", entities("70"),
        slots={"age": 70.0, "sex": "male", "life_stage": "none",
               "asked_nutrient": "vitamin_d"}))
    need = recommended_intake(age_years=70, sex="male")
    assert f"{number(need.vitamin_d_mcg)} mcg" in texts(messages)
    assert slot_events(events)["asked_nutrient"] is None


def test_a_magnesium_question_still_gets_the_magnesium_answer():
    said, slots = ask(INTAKE, "how much magnesium do I need?", "ask_magnesium_need",
                      {"age": 40.0, "sex": "female", "life_stage": "none"})
    assert "recommended magnesium intake is 320 mg" in said
    assert slots["last_nutrient"] == "magnesium"


def test_and_vitamin_d_after_a_calcium_answer_is_the_same_person():
    last = {"age": 62.0, "sex": "female", "life_stage": "none", "last_answer_kind": "intake",
            "last_person": "me", "last_nutrient": "calcium", "last_category": "51+ years",
            "last_unit": "RDA"}
    said, slots = ask(FOLLOWUP, "and vitamin D?", "ask_followup", last)
    need = recommended_intake(age_years=62, sex="female")
    assert f"For a woman aged 62, the recommended vitamin D intake is " \
        f"{number(need.vitamin_d_mcg)} mcg" in said
    assert slots["last_nutrient"] == "vitamin_d"


def test_calcium_for_someone_else_keeps_the_users_details():
    said, slots = ask(INTAKE, "how much calcium does my 75 year old mother need?",
                      "ask_magnesium_need", {"age": 40.0, "sex": "male", "life_stage": "none"})
    need = recommended_intake(age_years=75, sex="female")
    assert "your mother" in said and f"{mg(need.calcium_mg)} mg" in said
    assert slots.get("age") is None  # the user's own age is not touched


def test_a_follow_up_for_another_person_keeps_the_nutrient():
    last = {"age": 62.0, "sex": "female", "life_stage": "none", "last_answer_kind": "intake",
            "last_person": "me", "last_nutrient": "vitamin_d"}
    said, _ = ask(FOLLOWUP, "and for a 5 year old?", "ask_followup", last)
    assert f"{number(recommended_intake(age_years=5).vitamin_d_mcg)} mcg" in said
    assert "recommended magnesium intake" not in said


# ------------------------------------------------------------------------------ foods


def test_calcium_in_a_yogurt_is_calcium_not_magnesium():
    said, slots = ask(FOOD, "how much calcium is in a yogurt?", "ask_food_magnesium")
    portion = magnesium_in_portion("yogurt")
    assert f"about {mg(portion.calcium_mg)} mg of calcium" in said
    assert "mg of magnesium" not in said
    assert slots["last_nutrient"] == "calcium" and slots["last_food"] == portion.food


def test_and_vitamin_d_after_the_yogurt_is_the_same_food():
    last = {"last_answer_kind": "food", "last_person": "me", "last_food": "milk_2_percent",
            "last_nutrient": "calcium"}
    said, slots = ask(FOLLOWUP, "and vitamin D?", "ask_followup", last)
    portion = magnesium_in_portion("milk_2_percent")
    assert portion.vitamin_d_mcg is not None
    assert f"about {number(portion.vitamin_d_mcg)} mcg " \
        f"({number(vitamin_d_iu(portion), 0)} IU) of vitamin D" in said
    assert slots["last_nutrient"] == "vitamin_d"


def test_share_of_her_calcium_target():
    slots = {"age": 75.0, "sex": "female", "life_stage": "none"}
    said, _ = ask(FOOD, "how much calcium in 3 oz of sardines", "ask_food_magnesium", slots)
    portion = magnesium_in_portion("sardines", 3, "oz")
    target = recommended_intake(age_years=75, sex="female").calcium_mg
    assert f"{number(100 * portion.calcium_mg / target, 0)}% of your {mg(target)} mg of " \
        "calcium" in said


@pytest.mark.parametrize("msg, key", [
    ("how much calcium in fortified orange juice", "orange_juice_calcium"),
    ("calcium in fortified soy milk", "soymilk_fortified"),
    ("how much calcium in almond milk", "almond_milk"),
    ("calcium in calcium-set tofu", "tofu_firm_calcium"),
    ("calcium in canned salmon with bones", "salmon_canned"),
    ("calcium in sardines with bones", "sardines"),
    ("how much calcium in bok choy", "bok_choy_raw"),
    ("how much calcium in collards", "collard_greens_raw"),
    ("how much calcium in cheddar", "cheddar"),
    ("how much calcium in skim milk", "milk_skim"),
    ("how much calcium in greek yogurt", "greek_yogurt"),
])
def test_foods_people_name_for_calcium_are_found(msg, key):
    said, slots = ask(FOOD, msg, "ask_food_magnesium")
    assert slots["last_food"] == key
    assert f"about {mg(magnesium_in_portion(key).calcium_mg)} mg of calcium" in said


def test_fortified_drinks_say_brands_differ():
    said, _ = ask(FOOD, "how much calcium in fortified orange juice", "ask_food_magnesium")
    assert "label on yours" in said


def test_oat_milk_has_no_figure_and_says_so():
    said, slots = ask(FOOD, "how much calcium is in oat milk", "ask_food_magnesium")
    assert "has no entry for oat drink (oat milk)" in said
    assert "mg of calcium" not in said and "goat" not in said.lower()
    assert "last_food" not in slots


def test_a_food_without_a_vitamin_d_figure_says_so():
    said, _ = ask(FOOD, "how much vitamin D in wild salmon", "ask_food_magnesium")
    assert magnesium_in_portion("salmon_wild_cooked").vitamin_d_mcg is None
    assert "no vitamin D figure" in said and "mcg" not in said


# ------------------------------------------------------------------------------ diary


def test_the_diary_totals_calcium_and_shows_the_ratio_as_an_opinion():
    msg = "I had a cup of skim milk and an ounce of almonds"
    messages, events = run(DIARY, make_tracker(msg, "log_food_diary", entities(msg)))
    said = texts(messages)
    milk = magnesium_in_portion("milk_skim", 1, "cup")
    almonds = magnesium_in_portion("almonds", 1, "oz")
    calcium = milk.calcium_mg + almonds.calcium_mg
    magnesium = round(milk.magnesium_mg, 1) + round(almonds.magnesium_mg, 1)
    assert f"Calcium from these foods: {mg(calcium)} mg." in said
    ratio = round(calcium / magnesium, 2)
    assert f"about {number(ratio, 1)}:1" in said
    assert "opinion" in said
    diary = slot_events(events)["food_diary"]
    assert all("ca_mg" in entry for entry in diary)
    messages, _ = run(TOTAL, make_tracker("what have I had today", "ask_diary_total",
                                          [], slots={"food_diary": diary}))
    assert f"Calcium from these foods: {mg(calcium)} mg." in texts(messages)


# ------------------------------------------------------------------------------ rich foods


def test_foods_high_in_calcium_are_ranked_by_calcium_not_magnesium():
    from actions.foods import ActionRichFoods
    from nutrition.foods import food_info, richest_in

    said, slots = ask(ActionRichFoods(), "what foods are high in calcium", "ask_rich_foods")
    top = [f for f in richest_in("calcium") if food_info(f.key).get("suggest", True)][0]
    assert f"- {top.name} ({top.serving}): {mg(top.amount)} mg" in said
    assert "richest in magnesium" not in said
    assert slots["last_nutrient"] == "calcium"
    more, _ = ask(FOLLOWUP, "more like that", "ask_more_like_that", {
        "last_answer_kind": "rich_foods", "last_nutrient": "calcium",
        "last_shown": slots["last_shown"]})
    assert top.name not in more and "mg" in more and "magnesium" not in more


def test_vitamin_d_ranking_leaves_out_foods_without_a_figure():
    from nutrition.foods import richest_in

    ranked = richest_in("vitamin_d")
    assert "salmon_wild_cooked" not in [f.key for f in ranked]
    assert [f.amount for f in ranked] == sorted((f.amount for f in ranked), reverse=True)
