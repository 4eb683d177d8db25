"""Reference intakes, calcium:magnesium ratio advice and diary totals."""

from __future__ import annotations

import pytest

from nutrition.diary import diary_total, gap_suggestions
from nutrition.errors import FoodNotFound, InvalidAmount, InvalidProfile, NutritionError
from nutrition.foods import magnesium_in_portion
from nutrition.intake import recommended_intake, supplement_ul_mg
from nutrition.ratio import ratio_advice

# (age_years, age_months, sex, pregnant, lactating) -> (mg, kind)
MAGNESIUM_TABLE = [
    ((None, 3, None, False, False), (30, "AI")),
    ((None, 9, None, False, False), (75, "AI")),
    ((2, None, None, False, False), (80, "RDA")),
    ((6, None, None, False, False), (130, "RDA")),
    ((11, None, None, False, False), (240, "RDA")),
    ((16, None, "male", False, False), (410, "RDA")),
    ((16, None, "female", False, False), (360, "RDA")),
    ((16, None, None, True, False), (400, "RDA")),
    ((16, None, None, False, True), (360, "RDA")),
    ((25, None, "male", False, False), (400, "RDA")),
    ((25, None, "female", False, False), (310, "RDA")),
    ((25, None, "female", True, False), (350, "RDA")),
    ((25, None, "female", False, True), (310, "RDA")),
    ((40, None, "M", False, False), (420, "RDA")),
    ((40, None, "woman", False, False), (320, "RDA")),
    ((40, None, None, True, False), (360, "RDA")),
    ((40, None, None, False, True), (320, "RDA")),
    ((70, None, "male", False, False), (420, "RDA")),
    ((70, None, "female", False, False), (320, "RDA")),
]


@pytest.mark.parametrize(("profile", "expected"), MAGNESIUM_TABLE)
def test_magnesium_targets_for_every_life_stage(profile, expected):
    years, months, sex, pregnant, lactating = profile
    result = recommended_intake(years, months, sex, pregnant, lactating)
    assert (result.magnesium_mg, result.magnesium_kind) == expected


@pytest.mark.parametrize(
    ("years", "months", "ul"),
    [(None, 5, None), (None, 11, None), (2, None, 65), (5, None, 110), (9, None, 350),
     (30, None, 350), (90, None, 350)],
)
def test_supplemental_ul_by_age(years, months, ul):
    assert supplement_ul_mg(years, months) == ul


@pytest.mark.parametrize(
    ("years", "pregnant", "lactating", "magnesium"),
    [(13, True, False, 400), (12, False, True, 360), (9, True, False, 400),
     (13.9, False, True, 360)],
)
def test_pregnant_or_lactating_under_14_gets_the_up_to_18_row(
    years, pregnant, lactating, magnesium
):
    # IOM: one "<= 18 y" pregnancy row and one lactation row for everyone up to 18;
    # the status must not be dropped for the 9-13 figures (240 mg, no pregnancy row).
    result = recommended_intake(years, pregnant=pregnant, lactating=lactating)
    assert result.magnesium_mg == magnesium
    assert (result.pregnant, result.lactating) == (pregnant, lactating)
    assert result.life_stage.startswith("up to 18 years")
    assert result.calcium_mg == 1300 and result.calcium_ul_mg == 3000
    assert result.vitamin_d_mcg == 15 and result.vitamin_d_ul_mcg == 100
    assert result.magnesium_supplement_ul_mg == 350


def test_under_14_without_pregnancy_keeps_the_9_to_13_figures():
    assert recommended_intake(12, sex="female").magnesium_mg == 240


def test_pregnancy_ul_is_350():
    assert recommended_intake(30, pregnant=True).magnesium_supplement_ul_mg == 350


def test_calcium_and_vitamin_d_figures():
    woman = recommended_intake(60, sex="female")
    assert woman.calcium_mg == 1200 and woman.calcium_ul_mg == 2000
    man = recommended_intake(60, sex="male")
    assert man.calcium_mg == 1000
    assert (man.vitamin_d_mcg, man.vitamin_d_iu) == (15, 600)
    old = recommended_intake(75, sex="female")
    assert (old.vitamin_d_mcg, old.vitamin_d_iu, old.calcium_mg) == (20, 800, 1200)
    baby = recommended_intake(age_months=8)
    assert (baby.calcium_mg, baby.calcium_kind, baby.vitamin_d_ul_iu) == (260, "AI", 1500)
    teen = recommended_intake(15, sex="male")
    assert (teen.calcium_mg, teen.calcium_ul_mg, teen.vitamin_d_ul_mcg) == (1300, 3000, 100)


def test_daily_value_applies_from_age_four():
    assert recommended_intake(30, sex="male").daily_value_mg == 420
    assert recommended_intake(2).daily_value_mg is None


def test_years_and_months_add_up():
    assert recommended_intake(age_years=1, age_months=3).life_stage == "1-3 years"
    assert recommended_intake(age_months=12).life_stage == "1-3 years"


def test_children_under_nine_need_no_sex():
    assert recommended_intake(5).magnesium_mg == 130


@pytest.mark.parametrize(
    "kwargs",
    [
        {"age_years": 30, "sex": "male", "pregnant": True},
        {"age_years": 30, "sex": "male", "lactating": True},
        {"age_years": 8, "pregnant": True},
        {"age_years": 55, "pregnant": True},
        {"age_years": -1},
        {"age_months": -3},
        {"age_years": 130},
        {"age_years": 30, "sex": "robot"},
        {"age_years": 30},  # sex needed: the table differs
        {},
        {"age_years": "thirty"},
        {"age_years": float("nan")},
    ],
)
def test_impossible_profiles_raise_invalid_profile(kwargs):
    with pytest.raises(InvalidProfile) as caught:
        recommended_intake(**kwargs)
    assert isinstance(caught.value, NutritionError)
    assert str(caught.value)


def test_pregnant_and_lactating_uses_pregnancy_figures():
    result = recommended_intake(25, pregnant=True, lactating=True)
    assert result.magnesium_mg == 350 and "pregnancy" in result.life_stage


def test_intake_cites_its_sources():
    sources = recommended_intake(40, sex="female").sources
    assert "10.17226/5776" in sources["magnesium"]
    assert "10.17226/13050" in sources["calcium"]


# -------------------------------------------------------------------- ratio


def test_seed_example_1200_mg_calcium_at_two_to_one():
    advice = ratio_advice(1200)
    assert advice.magnesium_for_2_to_1_mg == 600
    assert advice.magnesium_for_1_to_1_mg == 1200
    assert advice.supplemental_ul_mg == 350
    assert "target_above_supplement_ul" in advice.warnings
    assert advice.is_opinion


def test_fifteen_to_one_is_flagged():
    advice = ratio_advice(1500, 100)
    assert advice.current_ratio == 15
    assert "ratio_far_above_2_to_1" in advice.warnings
    assert advice.gap_to_2_to_1_mg == 650


def test_balanced_ratio_has_no_ratio_warning():
    advice = ratio_advice(600, 300)
    assert advice.current_ratio == 2
    assert "ratio_far_above_2_to_1" not in advice.warnings
    assert advice.gap_to_2_to_1_mg == 0


def test_supplement_above_ul_is_flagged_and_child_ul_used():
    assert "supplement_above_ul" in ratio_advice(1000, 300, supplemental_magnesium_mg=400).warnings
    child = ratio_advice(700, age_years=2, supplemental_magnesium_mg=100)
    assert child.supplemental_ul_mg == 65 and "supplement_above_ul" in child.warnings
    infant = ratio_advice(200, age_months=4)
    assert infant.supplemental_ul_mg is None and "ul_not_established" in infant.warnings


def test_zero_magnesium_gives_no_ratio_but_a_warning():
    advice = ratio_advice(1000, 0)
    assert advice.current_ratio is None and "no_magnesium_intake" in advice.warnings


@pytest.mark.parametrize(("calcium", "magnesium"), [(0, 100), (-5, 10), ("x", 1), (100, -1)])
def test_bad_ratio_inputs_raise(calcium, magnesium):
    with pytest.raises(InvalidAmount):
        ratio_advice(calcium, magnesium)


# -------------------------------------------------------------------- diary


def test_diary_adds_items_and_compares_with_target():
    items = ["banana", ("almonds", 1, "oz"), {"food": "spinach boiled", "amount": 0.5,
                                              "unit": "cup"}]
    result = diary_total(items, target_mg=320)
    expected = sum(
        magnesium_in_portion(*args).magnesium_mg
        for args in [("banana",), ("almonds", 1, "oz"), ("spinach boiled", 0.5, "cup")]
    )
    assert result.total_mg == pytest.approx(expected, abs=0.05)
    assert result.percent_of_target == pytest.approx(100 * result.total_mg / 320, abs=0.05)
    assert result.remaining_mg == pytest.approx(320 - result.total_mg, abs=0.05)
    assert len(result.items) == 3


def test_diary_suggests_three_foods_closing_the_gap_in_fewest_servings():
    result = diary_total(["banana"], target_mg=320)
    assert len(result.suggestions) == 3
    needed = [s.servings_needed for s in result.suggestions]
    assert needed == sorted(needed)
    best_possible = min(
        s.servings_needed for s in gap_suggestions(result.remaining_mg, count=1000)
    )
    assert needed[0] == best_possible
    for suggestion in result.suggestions:
        assert suggestion.servings_needed * suggestion.magnesium_per_serving_mg >= (
            result.remaining_mg - 0.05
        )


def test_diary_skips_dry_ingredients_in_suggestions():
    keys = {s.key for s in gap_suggestions(5000, count=50)}
    assert "buckwheat_dry" not in keys and "white_flour" not in keys


def test_diary_without_target_uses_daily_value():
    result = diary_total([])
    assert result.target_is_daily_value and result.target_mg == 420
    assert result.total_mg == 0 and result.percent_of_target == 0


def test_diary_with_target_met_has_no_suggestions():
    result = diary_total([("pumpkin seeds", 100, "g")], target_mg=100)
    assert result.remaining_mg == 0 and result.suggestions == ()


@pytest.mark.parametrize("target", [0, -10, "lots", float("nan")])
def test_diary_rejects_bad_targets(target):
    with pytest.raises(InvalidAmount):
        diary_total(["banana"], target_mg=target)


def test_diary_unknown_food_raises():
    with pytest.raises(FoodNotFound):
        diary_total(["banana", "unobtainium"])


def test_ratio_names_the_rda_and_never_calls_met_rdas_too_low():
    # a woman of 60 at both RDAs (magnesium 320 mg, calcium 1,200 mg): ratio 3.75:1
    advice = ratio_advice(1200, 320, age_years=60, magnesium_rda_mg=320, calcium_rda_mg=1200)
    assert advice.current_ratio == 3.75
    assert advice.magnesium_meets_rda is True and advice.calcium_meets_rda is True
    assert advice.magnesium_short_of_rda_mg == 0
    assert "ratio_far_above_2_to_1" not in advice.warnings
    assert advice.ratio_amounts_above_rda and advice.one_to_one_above_rda


def test_ratio_short_of_the_rda():
    advice = ratio_advice(1200, 200, magnesium_rda_mg=320, calcium_rda_mg=1200)
    assert advice.magnesium_meets_rda is False and advice.magnesium_short_of_rda_mg == 120
    assert "ratio_far_above_2_to_1" in advice.warnings


def test_ratio_amounts_against_the_highest_adult_rda_without_a_profile():
    assert not ratio_advice(800).ratio_amounts_above_rda  # 400 mg at 2:1 <= 420 mg
    assert ratio_advice(800).one_to_one_above_rda
    assert ratio_advice(1200).ratio_amounts_above_rda
    # 320 mg is at least the lowest adult RDA: not called too low without a profile
    assert "ratio_far_above_2_to_1" not in ratio_advice(1200, 320).warnings
