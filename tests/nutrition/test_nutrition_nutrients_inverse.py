"""Calcium and vitamin D in portions, and the inverse questions (food and supplement)."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nutrition import food_table
from nutrition.data_files import DATA_DIR, load
from nutrition.errors import FoodNotFound, InvalidAmount, NutritionError
from nutrition.foods import magnesium_in_portion, nutrient_in_portion, nutrient_per_100g
from nutrition.intake import supplement_ul_mg
from nutrition.inverse import (
    AboveSupplementLimit,
    NutrientAbsent,
    UnrealisticAmount,
    amount_words,
    compound_for_elemental,
    food_amount_for,
)
from nutrition.supplements import elemental_magnesium, supplement_forms
from tests.nutrition.paths import SHARED_DIR, needs_sr28

FOODS = json.loads((DATA_DIR / "foods.json").read_text(encoding="utf-8"))["foods"]
BY_KEY = {food["key"]: food for food in FOODS}
LIMIT = load("planning_limits.yml")["max_servings_inverse"]

# Foods people name for calcium (issue #14), each with the category it must have.
CALCIUM_FOODS = {
    "milk_whole": "dairy_eggs", "milk_2_percent": "dairy_eggs", "milk_skim": "dairy_eggs",
    "yogurt_plain_low_fat": "dairy_eggs", "greek_yogurt": "dairy_eggs",
    "cheddar": "dairy_eggs", "mozzarella": "dairy_eggs", "parmesan": "dairy_eggs",
    "swiss_cheese": "dairy_eggs", "cottage_cheese": "dairy_eggs",
    "orange_juice_calcium": "drinks", "soymilk_fortified": "drinks", "almond_milk": "drinks",
    "tofu_firm_calcium": "legumes", "tofu_calcium": "legumes",
    "sardines": "fish_seafood", "salmon_canned": "fish_seafood",
    "bok_choy_raw": "greens_vegetables", "bok_choy_boiled": "greens_vegetables",
    "collard_greens_raw": "greens_vegetables", "collard_greens_boiled": "greens_vegetables",
}


# ------------------------------------------------------------------ food table


@pytest.mark.parametrize("key", sorted(CALCIUM_FOODS))
def test_calcium_foods_are_in_the_table_with_a_realistic_serving(key):
    food = BY_KEY[key]
    assert food["category"] == CALCIUM_FOODS[key]
    assert food["calcium_mg_per_100g"] > 0
    assert 5 <= food["default_portion"]["grams"] <= 300


def test_calcium_set_tofu_is_the_calcium_sulfate_food():
    for key in ("tofu_firm_calcium", "tofu_calcium"):
        assert "calcium sulfate" in BY_KEY[key]["usda_description"].lower()
    assert "with bone" in BY_KEY["sardines"]["usda_description"].lower()
    assert "total can contents" in BY_KEY["salmon_canned"]["usda_description"].lower()


def test_vitamin_d_is_a_number_or_null_and_fortified_foods_have_it():
    for food in FOODS:
        for field in ("vitamin_d_mcg_per_100g", "vitamin_d_iu_per_100g"):
            value = food[field]
            assert value is None or (isinstance(value, float) and value >= 0)
    for key in ("milk_2_percent", "soymilk_fortified", "orange_juice_calcium", "sardines"):
        assert BY_KEY[key]["vitamin_d_mcg_per_100g"] > 0


@needs_sr28
def test_vitamin_d_values_equal_sr28_abbrev():
    abbrev = food_table.read_abbrev(SHARED_DIR / "data" / "usda-sr28" / "ABBREV.csv")
    for food in FOODS:
        row = abbrev[food["ndb"]]
        for field, column in (("vitamin_d_mcg_per_100g", "Vit_D_µg"),
                              ("vitamin_d_iu_per_100g", "Vit_D_IU")):
            expected = float(row[column]) if row[column].strip() else None
            assert food[field] == expected, (food["key"], field)


def test_menu_foods_say_what_they_contain_and_their_meals():
    tagged = [food for food in FOODS if food["meals"]]
    assert len(tagged) >= 60
    for food in tagged:
        assert food["contains"] is not None
        assert set(food["meals"]) <= set(food_table.MEALS)
        assert set(food["contains"]) <= set(food_table.CONTENTS)
    for meal in food_table.MEALS:
        assert sum(meal in food["meals"] for food in tagged) >= 8
    assert BY_KEY["soymilk_fortified"]["fortified"] and not BY_KEY["milk_skim"]["fortified"]
    assert "dairy" in BY_KEY["cheddar"]["contains"]
    assert "tree_nuts" in BY_KEY["almond_milk"]["contains"]
    assert "gluten" in BY_KEY["whole_wheat_bread"]["contains"]
    assert "fish" in BY_KEY["sardines"]["contains"]


def test_generator_rejects_meals_without_contains_and_unknown_tags():
    entry = {"key": "x", "meals": ["lunch"]}
    with pytest.raises(food_table.SelectionError, match="contains"):
        food_table._tags(entry)
    with pytest.raises(food_table.SelectionError, match="meals"):
        food_table._tags({"key": "x", "meals": ["brunch"], "contains": []})
    with pytest.raises(food_table.SelectionError, match="contains"):
        food_table._tags({"key": "x", "meals": ["lunch"], "contains": ["shellfish"]})


# ------------------------------------------------------------ nutrient per portion


@pytest.mark.parametrize("nutrient", ["magnesium", "calcium", "vitamin_d"])
@pytest.mark.parametrize("food, amount, unit", [
    ("sardines", 3, "oz"), ("milk", 1, "cup"), ("calcium-set tofu", None, None),
    ("almonds", 2, "oz"), ("cheddar", 30, "g"),
])
def test_nutrient_in_portion_is_per_100g_times_the_portion(nutrient, food, amount, unit):
    result = nutrient_in_portion(food, nutrient, amount, unit)
    per_100g = nutrient_per_100g(result.portion.food, nutrient)
    assert result.unit == ("mcg" if nutrient == "vitamin_d" else "mg")
    if per_100g is None:
        assert result.amount is None
    else:
        assert result.amount == pytest.approx(per_100g * result.portion.grams / 100, abs=0.051)
    portion = magnesium_in_portion(food, amount, unit)
    assert result.portion == portion
    if nutrient == "calcium":
        assert result.amount == portion.calcium_mg
    if nutrient == "magnesium":
        assert result.amount == portion.magnesium_mg


def test_nutrient_in_portion_refuses_unknown_nutrients_and_foods():
    with pytest.raises(NutritionError, match="iron"):
        nutrient_in_portion("milk", "iron")
    with pytest.raises(FoodNotFound):
        nutrient_in_portion("moon rock", "calcium")


def test_vitamin_d_is_none_where_sr28_has_no_figure():
    missing = [food["key"] for food in FOODS if food["vitamin_d_mcg_per_100g"] is None]
    assert missing, "expected SR28 to lack vitamin D for some foods"
    assert nutrient_in_portion(missing[0], "vitamin_d").amount is None


# --------------------------------------------------------------- inverse: foods


def test_almonds_for_80_mg_is_about_an_ounce_with_a_count():
    result = food_amount_for("almonds", 80)
    assert (result.amount, result.unit) == (1.0, "oz")
    assert result.count is not None and 20 <= result.count <= 25
    assert result.text == f"about 1 oz ({round(result.grams)} g, {result.count} almonds)"


def test_milk_for_calcium_is_in_cups():
    result = food_amount_for("milk", 600, "calcium")
    assert result.unit == "cup"
    assert result.amount_text == "2 cups"
    assert result.nutrient_mg == pytest.approx(600, abs=40)


@pytest.mark.parametrize("target", [10_000, 5_000])
def test_unrealistic_targets_are_refused_not_answered_in_kilograms(target):
    with pytest.raises(UnrealisticAmount) as caught:
        food_amount_for("almonds", target)
    assert caught.value.max_servings == LIMIT
    assert caught.value.servings_needed > LIMIT
    assert "several foods" in str(caught.value)


def test_inverse_refuses_bad_targets_foods_and_nutrients():
    for bad in (0, -5, float("nan"), math.inf, "lots", True):
        with pytest.raises(InvalidAmount):
            food_amount_for("almonds", bad)
    with pytest.raises(FoodNotFound):
        food_amount_for("moon rock", 50)
    with pytest.raises(NutritionError):
        food_amount_for("milk", 5, "vitamin_d")
    water = next(f["key"] for f in FOODS if f["magnesium_mg_per_100g"] == 0)
    with pytest.raises(NutrientAbsent):
        food_amount_for(water, 10)


def test_amount_words_read_as_people_say_them():
    assert amount_words(1.5, "cup") == "1 1/2 cups"
    assert amount_words(0.25, "oz") == "1/4 oz"
    assert amount_words(2, "medium") == "2 medium"
    assert amount_words(1, "cup") == "1 cup"


def _step_mg(result) -> float:
    """Nutrient in one rounding step of the household unit used. The step is chosen by the
    amount before rounding (22 g rounds in 5 g steps, to 20 g), as the answer chooses it."""
    exact = result.exact_grams * result.amount / result.grams  # in the unit, unrounded
    steps = {"oz": 0.25 if exact < 2 else 0.5, "g": 1 if exact < 20 else 5,
             "cup": 0.25, "tbsp": 0.5, "tsp": 0.5, "fl_oz": 1.0}
    step = steps.get(result.unit, 0.5 if exact < 3 else 1.0)
    portion = magnesium_in_portion(result.food, step, result.unit)
    return portion.magnesium_mg if result.nutrient == "magnesium" else portion.calcium_mg


RICH = sorted(
    food["key"] for food in FOODS
    if food["suggest"] and food["magnesium_mg_per_100g"] > 0 and food["calcium_mg_per_100g"] > 0
)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(RICH), st.sampled_from(["magnesium", "calcium"]),
       st.floats(min_value=1, max_value=1500, allow_nan=False))
def test_round_trip_the_amount_for_a_target_gives_back_the_target(key, nutrient, target):
    try:
        result = food_amount_for(key, target, nutrient)
    except UnrealisticAmount as error:
        per_serving = nutrient_in_portion(key, nutrient).amount
        assert target / per_serving > LIMIT - 0.01 or error.servings_needed > LIMIT
        return
    # the exact grams (to 0.01 g) hold the target
    per_100g = nutrient_per_100g(key, nutrient)
    assert result.exact_grams * per_100g / 100 == pytest.approx(
        target, abs=0.005 * per_100g / 100 + 1e-9
    )
    # asking about the rounded amount gives the figure the answer shows ...
    portion = magnesium_in_portion(key, result.amount, result.unit)
    shown = portion.magnesium_mg if nutrient == "magnesium" else portion.calcium_mg
    assert shown == result.nutrient_mg
    assert portion.grams == result.grams
    # ... which is the target within half a rounding step (or the smallest amount)
    half_step = _step_mg(result) / 2 + 0.15
    smallest = result.amount <= 1.0 and result.unit == "g"
    assert abs(result.nutrient_mg - target) <= half_step or smallest
    assert result.servings <= LIMIT


# ---------------------------------------------------------- inverse: supplements


def test_compound_for_elemental_is_the_reverse_of_elemental_magnesium():
    result = compound_for_elemental("magnesium oxide", 300)
    assert result.compound_mg == pytest.approx(300 / 0.603, abs=2)
    back = elemental_magnesium("oxide", result.compound_mg)
    assert back.elemental_mg == pytest.approx(300, abs=1)
    assert result.supplement_ul_mg == 350 and result.ul_age_assumed


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(supplement_forms()), st.floats(min_value=1, max_value=350))
def test_round_trip_supplement_compound_gives_back_the_elemental_amount(form, target):
    result = compound_for_elemental(form, target)
    back = elemental_magnesium(form, result.compound_mg, result.hydrate)
    # compound rounded to 1 mg: the elemental amount is off by at most the fraction of 1 mg
    tolerance = 0.5 * result.percent_elemental / 100 + 0.06
    assert back.elemental_mg == pytest.approx(target, abs=tolerance)
    assert back.percent_elemental == result.percent_elemental


@pytest.mark.parametrize("age, amount", [(None, 351), (40, 400), (6, 120), (2, 70)])
def test_amounts_above_the_supplement_upper_limit_are_refused(age, amount):
    with pytest.raises(AboveSupplementLimit) as caught:
        compound_for_elemental("citrate", amount, age_years=age)
    ul = supplement_ul_mg(age_years=30 if age is None else age)
    assert caught.value.ul_mg == ul
    assert f"{ul:g} mg" in str(caught.value)


def test_at_the_upper_limit_is_allowed_and_babies_are_refused():
    assert compound_for_elemental("citrate", 110, age_years=6).supplement_ul_mg == 110
    with pytest.raises(AboveSupplementLimit) as caught:
        compound_for_elemental("citrate", 10, age_years=0.5)
    assert caught.value.ul_mg is None and "doctor" in str(caught.value)


def test_supplement_inverse_refuses_skin_products_unknown_forms_and_bad_amounts():
    with pytest.raises(NutritionError, match="skin"):
        compound_for_elemental("magnesium oil", 100)
    with pytest.raises(NutritionError):
        compound_for_elemental("magnesium unobtainium", 100)
    for bad in (0, -1, float("nan"), "a lot"):
        with pytest.raises(InvalidAmount):
            compound_for_elemental("oxide", bad)


def test_epsom_salt_uses_the_heptahydrate():
    result = compound_for_elemental("epsom salt", 100)
    assert result.hydrate == "heptahydrate" and not result.hydrate_assumed
    assert result.compound_mg == pytest.approx(100 / 0.0986, rel=0.01)
