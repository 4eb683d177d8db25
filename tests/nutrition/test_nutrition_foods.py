"""Food matching, portions and rankings."""

from __future__ import annotations

import time

import pytest
import yaml

from nutrition.errors import FoodNotFound, InvalidAmount, NutritionError
from nutrition.foods import (
    find_food,
    food_categories,
    food_info,
    food_surface_forms,
    foods_by_category,
    magnesium_in_portion,
    rich_foods,
    search_foods,
)
from nutrition.portions import HANDFUL_GRAMS
from tests.nutrition.paths import REPO_ROOT

MENTIONS = yaml.safe_load(
    (REPO_ROOT / "tests" / "nutrition" / "food_mentions.yml").read_text(encoding="utf-8")
)["mentions"]


def test_labelled_mentions_list_is_large_enough():
    assert len(MENTIONS) >= 200
    keys = set(food_surface_forms().values())
    assert all(expected in keys for _, expected in MENTIONS)


def test_top1_accuracy_on_labelled_mentions_is_at_least_95_percent():
    misses = []
    for text, expected in MENTIONS:
        try:
            got = find_food(str(text)).key
        except FoodNotFound:
            got = None
        if got != expected:
            misses.append((text, expected, got))
    accuracy = 1 - len(misses) / len(MENTIONS)
    print(f"\nfood matching top-1 accuracy: {accuracy:.1%} on {len(MENTIONS)} mentions")
    assert accuracy >= 0.95, misses


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("pumkin seeds", "pumpkin_seeds"), ("Almond", "almonds"), ("garbanzos", "chickpeas"),
        ("black eyed peas", "black_eyed_peas"), ("PEPITAS", "pumpkin_seeds"),
        ("peanut-butter", "peanut_butter"), ("grilled salmon fillet", "salmon_farmed_cooked"),
    ],
)
def test_find_food_handles_typos_plurals_case_and_hyphens(text, key):
    match = find_food(text)
    assert match.key == key
    assert 0.75 <= match.score <= 1.0


def test_exact_name_scores_one_and_key_is_accepted():
    assert find_food("banana").score == 1.0
    assert find_food("black_beans").key == "black_beans"


@pytest.mark.parametrize("text", ["xyzzy", "car", "happy", "beans", "", "   "])
def test_unknown_food_raises_with_close_matches(text):
    with pytest.raises(FoodNotFound) as caught:
        find_food(text)
    assert isinstance(caught.value, NutritionError)
    assert str(caught.value)
    if caught.value.uncertain:
        # several foods fit about equally ("beans"): a "did you mean" with candidates
        assert len(caught.value.close_matches) >= 2
    else:
        assert all(score < 0.75 for _, score in caught.value.close_matches)


def test_food_not_found_carries_close_matches_for_near_misses():
    with pytest.raises(FoodNotFound) as caught:
        find_food("beans")
    assert caught.value.close_matches  # something to offer as "did you mean"


def test_search_foods_never_raises():
    assert search_foods(None) == []
    assert search_foods("almnds")[0][0] == "almonds"


def test_surface_forms_cover_names_synonyms_and_plurals():
    forms = food_surface_forms()
    assert forms["pepitas"] == "pumpkin_seeds"
    assert forms["chickpeas"] == "chickpeas"
    assert forms["garbanzo beans"] == "chickpeas"
    assert forms["pb"] == "peanut_butter"
    assert forms["bananas"] == "banana"
    assert forms["black eyed peas"] == "black_eyed_peas"
    assert all(form == form.lower() for form in forms)


def test_lookup_speed_is_reasonable():
    # Not the benchmark (see bench/food_lookup_bench.py): a loose guard only.
    texts = [str(text) for text, _ in MENTIONS]
    start = time.perf_counter()
    for text in texts:
        try:
            find_food(text)
        except FoodNotFound:
            pass
    assert time.perf_counter() - start < 2.0


# ------------------------------------------------------------------ portions


def test_default_portion_when_nothing_given():
    result = magnesium_in_portion("banana")
    assert result.used_default and not result.unit_fallback
    assert result.grams == 118
    assert result.magnesium_mg == pytest.approx(31.86)  # 27 mg/100 g x 118 g, exact


def test_mass_units_convert_directly():
    info = food_info("almonds")
    result = magnesium_in_portion("almonds", 100, "g")
    assert result.grams == 100
    assert result.magnesium_mg == pytest.approx(info["magnesium_mg_per_100g"])
    assert magnesium_in_portion("almonds", 1, "lb").grams == pytest.approx(453.59, abs=0.01)


def test_volume_units_use_usda_weights():
    assert magnesium_in_portion("spinach boiled", "1/2", "cups").grams == pytest.approx(90)
    assert magnesium_in_portion("peanut butter", 2, "Tbsp").grams == pytest.approx(32)


def test_count_units_use_the_foods_own_measures():
    assert magnesium_in_portion("whole wheat bread", 2, "slices").grams == pytest.approx(64)
    assert magnesium_in_portion("banana", 1, "large").grams == pytest.approx(136)


def test_bare_count_uses_count_unit():
    eggs = magnesium_in_portion("eggs", 2)
    assert eggs.grams == pytest.approx(100)
    assert not eggs.used_default


def test_handful_of_nuts_is_one_ounce():
    result = magnesium_in_portion("cashews", 1, "handful")
    assert result.grams == pytest.approx(HANDFUL_GRAMS, abs=0.01)
    assert result.assumption == "handful_is_1_oz"


def test_handful_of_non_nut_falls_back_to_default():
    result = magnesium_in_portion("spinach", 1, "handful")
    assert result.unit_fallback and result.used_default


def test_unknown_unit_falls_back_to_default_serving_and_says_so():
    result = magnesium_in_portion("salmon", 2, "blorps")
    default = magnesium_in_portion("salmon")
    assert result.unit_fallback
    assert result.requested_unit == "blorps"
    assert result.grams == default.grams


def test_serving_like_units_mean_default_servings():
    result = magnesium_in_portion("oatmeal", 2, "bowls")
    assert result.grams == pytest.approx(2 * magnesium_in_portion("oatmeal").grams)
    assert result.assumption == "serving_is_default_portion"


def test_volume_on_food_without_volume_measures_falls_back():
    result = magnesium_in_portion("kefir", 1, "cup")  # SR28 lists no measure for it
    assert result.unit_fallback


@pytest.mark.parametrize("amount", [-1, "banana", float("nan"), float("inf"), True, 10**9])
def test_bad_amounts_raise_invalid_amount(amount):
    with pytest.raises(InvalidAmount):
        magnesium_in_portion("banana", amount, "g")


def test_unknown_food_in_portion_raises_food_not_found():
    with pytest.raises(FoodNotFound):
        magnesium_in_portion("unobtainium", 1, "cup")


def test_result_carries_source_and_calcium():
    result = magnesium_in_portion("milk", 1, "cup")
    assert "Release 28" in result.source
    assert result.calcium_mg > 200


# ------------------------------------------------------------------ rankings


def test_category_list_is_ranked_by_magnesium_per_serving():
    ranked = foods_by_category("nuts_seeds", limit=None)
    values = [item.magnesium_mg for item in ranked]
    assert values == sorted(values, reverse=True)
    assert {item.category for item in ranked} == {"nuts_seeds"}
    assert ranked[0].magnesium_mg >= 150


def test_every_category_can_be_listed():
    for category in food_categories():
        assert foods_by_category(category, limit=3)


def test_unknown_category_raises():
    with pytest.raises(NutritionError):
        foods_by_category("candy_floss")


def test_rich_foods_can_be_capped_per_category():
    chosen = rich_foods(limit=8, per_category=1)
    assert len({item.category for item in chosen}) == len(chosen) == 8


def test_portion_words_are_plural_for_several_items():
    from nutrition.foods import magnesium_in_portion
    from nutrition.portions import quantity_words

    assert quantity_words(2, "slice") == "2 slices"
    assert quantity_words(1, "slice") == "1 slice"
    assert quantity_words(1.5, "cup, chopped") == "1.5 cups, chopped"
    assert quantity_words(3, "oz") == "3 oz"
    assert magnesium_in_portion("whole_wheat_bread", 2, "slice").description.startswith("2 slices")


# ------------------------------------------------ whole fruits and spoon measures


@pytest.mark.parametrize(
    ("food", "amount", "unit", "grams"),
    [("avocado", "an", None, 201.0), ("pomegranate", 1, None, 282.0),
     ("pomegranate", "a", "whole", 282.0), ("honeydew", 1, None, 1000.0),
     ("prunes", 2, None, 19.0)],
)
def test_a_count_of_a_whole_fruit_is_the_usda_whole_item(food, amount, unit, grams):
    # SR28 WEIGHT.txt: avocado 201 g, pomegranate (4" dia) 282 g, honeydew (5-1/4" dia)
    # 1000 g, prune (pitted) 9.5 g; before, a count fell back to default servings
    result = magnesium_in_portion(food, amount, unit)
    assert result.grams == pytest.approx(grams)
    assert not result.used_default and not result.unit_fallback
    assert result.assumption is None


def test_a_tablespoon_of_chia_seeds_is_measured_not_an_ounce():
    # SR28 lists chia only by weight; the density of whole flaxseed (SR28 12220,
    # 1 tbsp = 10.3 g) is borrowed and flagged, instead of answering for 1 oz
    result = magnesium_in_portion("chia seeds", 1, "tbsp")
    assert not result.unit_fallback and not result.used_default
    assert result.assumption == "volume_from_similar_food_density"
    assert result.grams == pytest.approx(10.3)
    assert result.magnesium_mg == pytest.approx(34.5, abs=0.1)  # 335 mg/100 g
    assert magnesium_in_portion("chia seeds", 1, "tsp").grams == pytest.approx(10.3 / 3, abs=0.01)


@pytest.mark.parametrize(("food", "unit"), [("sesame seeds", "tbsp"), ("flaxseed", "tbsp"),
                                            ("cumin", "tsp"), ("turmeric", "tsp"),
                                            ("chia seeds", "tsp")])
def test_spoon_measures_of_seeds_and_spices_work(food, unit):
    result = magnesium_in_portion(food, 1, unit)
    assert not result.unit_fallback and result.grams < 15
