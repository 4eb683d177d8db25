"""The nutrient table and the details each nutrient's figures need (nutrition/nutrients.py,
Profile.needs_for): read from the tables, checked against them."""

from __future__ import annotations

import pytest

from nutrition.errors import NutritionError
from nutrition.intake import band_row, details_that_matter
from nutrition.nutrients import (
    known_nutrient,
    nutrient_keys,
    nutrient_name,
    nutrient_surfaces,
    nutrient_unit,
)
from nutrition.profile import Profile
from nutrition.ratio import calcium_to_magnesium


def test_the_three_nutrients_and_their_units():
    assert nutrient_keys() == ("magnesium", "calcium", "vitamin_d")
    assert [nutrient_unit(k) for k in nutrient_keys()] == ["mg", "mg", "mcg"]
    assert nutrient_name("vitamin_d") == "vitamin D"
    assert ("cholecalciferol",) in nutrient_surfaces()["vitamin_d"]
    with pytest.raises(NutritionError):
        nutrient_name("zinc")
    assert known_nutrient("zinc") is None and known_nutrient("calcium") == "calcium"


@pytest.mark.parametrize("age", [0.5, 5, 30, 60, 80])
def test_vitamin_d_never_needs_sex_or_pregnancy(age):
    assert details_that_matter("vitamin_d", age) == (False, False)
    assert Profile(age=age).needs_for("vitamin_d") == []
    assert Profile(age=age).intake_for("vitamin_d") is not None


@pytest.mark.parametrize("age", [30, 60, 80])
def test_calcium_needs_sex_exactly_where_its_row_differs(age):
    row = band_row("calcium", age * 12)
    differs = row["male"] != row["female"]
    assert details_that_matter("calcium", age)[0] is differs
    assert ("sex" in Profile(age=age).needs_for("calcium")) is differs


def test_magnesium_needs_stay_as_before():
    assert Profile(age=40).needs_for("magnesium") == Profile(age=40).needs()


def test_ratio_of_a_day():
    assert calcium_to_magnesium(1000, 400) == 2.5
    assert calcium_to_magnesium(1000, 0) is None
