"""A figure is rounded once, from the exact value, half up, where a reply words it
(actions/replies.py); the core keeps exact values. Rounding first to 0.1 mg in the core and
then to whole milligrams half to even gave 32 mg for 31.47 mg of magnesium (3 oz shrimp) and
76 mg for 76.54 mg (1 oz raw almonds)."""

from __future__ import annotations

import pytest

from actions.replies import mg, number
from nutrition.foods import magnesium_in_portion
from nutrition.supplements import elemental_magnesium


@pytest.mark.parametrize(("value", "decimals", "shown"), [
    (31.46797, 0, "31"), (76.5437, 0, "77"), (0.5, 0, "1"), (2.5, 0, "3"), (1.5, 0, "2"),
    (0.25, 1, "0.3"), (0.35, 1, "0.4"), (76.54500000000002, 2, "76.55"), (1200, 0, "1,200"),
    (-2.5, 1, "-2.5"), (7.25, 1, "7.3"), (0.0, 1, "0"),
])
def test_half_up_from_the_exact_value(value, decimals, shown):
    assert number(value, decimals) == shown


@pytest.mark.parametrize(("food", "amount", "unit", "shown"), [
    ("shrimp", 3, "oz", "31"),      # SR28 15151: 37 mg/100 g x 85.05 g = 31.47 mg
    ("almonds_raw", 1, "oz", "77"),  # SR28 12061: 270 mg/100 g x 28.35 g = 76.54 mg
])
def test_food_portion_is_rounded_once(food, amount, unit, shown):
    result = magnesium_in_portion(food, amount, unit)
    assert mg(result.magnesium_mg) == shown


def test_supplement_dose_is_rounded_once():
    # 500 mg bisglycinate x 14.098 % = 70.49 mg: 70, not 70.5 rounded up to 71
    result = elemental_magnesium("bisglycinate", 500)
    assert result.elemental_mg == pytest.approx(70.49, abs=0.01)
    assert mg(result.elemental_mg) == "70"


# A diary day is worked out from the exact figures of its foods and rounded once where a
# reply words it: 3 oz of cooked wild salmon holds 31.47 mg (SR28 15209: 37 mg/100 g x
# 85.05 g), 7.49 % of the 420 mg Daily Value. Kept to 0.1 mg / 0.1 % in the core first, it
# read 32 mg and 8 % (31.5 -> 32, 7.5 -> 8).

def _salmon_day():
    from datetime import date

    from nutrition import diary_days as days

    day = date(2026, 11, 30)
    portion = magnesium_in_portion("salmon_wild_cooked", 3, "oz")
    return portion, days.day_total(days.add([], day, [portion]), day)


def test_diary_day_total_is_rounded_once():
    portion, total = _salmon_day()
    assert mg(total.total_mg) == mg(portion.magnesium_mg)
    assert mg(total.items[0]["mg"]) == mg(portion.magnesium_mg)


def test_diary_day_share_and_remainder_are_rounded_once():
    from datetime import date

    from actions.replies import percent
    from nutrition import diary_days as days

    portion, total = _salmon_day()
    assert percent(total.percent_of_target) == percent(100 * portion.magnesium_mg
                                                       / total.target_mg)
    # 1 oz raw almonds: 76.54 mg, so 343.46 mg of the 420 mg are left (343, not 343.5 -> 344)
    day = date(2026, 11, 30)
    almonds = magnesium_in_portion("almonds_raw", 1, "oz")
    left = days.day_total(days.add([], day, [almonds]), day)
    assert mg(left.remaining_mg) == mg(left.target_mg - almonds.magnesium_mg)


def test_week_average_is_rounded_once():
    from datetime import date, timedelta

    from actions.replies import percent
    from nutrition import diary_days as days

    day = date(2026, 11, 30)
    salmon = magnesium_in_portion("salmon_wild_cooked", 3, "oz")
    diary = days.add([], day, [salmon])
    diary = days.add(diary, day - timedelta(days=1), [salmon], today=day)
    week = days.week_average(diary, day)
    assert mg(week.average_mg) == mg(salmon.magnesium_mg)
    assert percent(week.percent_of_target) == percent(100 * salmon.magnesium_mg
                                                      / week.target_mg)


def test_calcium_to_magnesium_ratio_is_rounded_once():
    # 214.9 mg calcium to 100 mg magnesium is 2.149:1, read "2.1", not 2.15 -> "2.2"
    from nutrition.ratio import calcium_to_magnesium

    ratio = calcium_to_magnesium(214.9, 100)
    assert ratio is not None and number(ratio, 1) == number(214.9 / 100, 1)
