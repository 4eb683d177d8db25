import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nutrition.quantities import parse_number
from nutrition.units import (
    GRAMS_PER_UNIT,
    ML_PER_UNIT,
    UNIT_SYNONYMS,
    canonical_unit,
    unit_kind,
)


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("cups", "cup"), ("c.", "cup"), ("Cup", "cup"), ("tablespoons", "tbsp"),
        ("tbsp", "tbsp"), ("Tbsp", "tbsp"), ("Tbsp.", "tbsp"), ("ounces", "oz"),
        ("oz", "oz"), ("grams", "g"), ("gms", "g"), ("g", "g"), ("teaspoon", "tsp"),
        ("fl oz", "fl_oz"), ("Fluid Ounces", "fl_oz"), ("lbs", "lb"), ("kilos", "kg"),
        ("ml", "ml"), ("litres", "l"), ("slices", "slice"), ("medium", "medium"),
        ("handfuls", "handful"), ("packets", "packet"), ("biscuits", "biscuit"),
        ("cans", "can"), ("pieces", "piece"), ("servings", "serving"),
        ("extra-large", "extra_large"), ("  Cups  ", "cup"),
    ],
)
def test_canonical_unit_resolves_surface_forms(text, unit):
    assert canonical_unit(text) == unit


@pytest.mark.parametrize("junk", [None, "", "parsec", 12, "banana", "   "])
def test_canonical_unit_returns_none_for_junk(junk):
    assert canonical_unit(junk) is None


def test_every_synonym_maps_to_a_known_canonical_unit():
    for surface, canonical in UNIT_SYNONYMS.items():
        assert surface == surface.lower()
        assert unit_kind(canonical) in {"mass", "volume", "count", "dose"}


def test_conversion_factors_are_the_legal_definitions():
    assert GRAMS_PER_UNIT["oz"] == pytest.approx(28.349523125)
    assert GRAMS_PER_UNIT["lb"] == pytest.approx(16 * GRAMS_PER_UNIT["oz"])
    assert ML_PER_UNIT["cup"] == pytest.approx(16 * ML_PER_UNIT["tbsp"])
    assert ML_PER_UNIT["tbsp"] == pytest.approx(3 * ML_PER_UNIT["tsp"])
    assert ML_PER_UNIT["cup"] == pytest.approx(8 * ML_PER_UNIT["fl_oz"])


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", 1), ("1.5", 1.5), ("1,200", 1200), ("½", 0.5), ("1/2", 0.5), ("one", 1),
        ("twelve", 12), ("a", 1), ("an", 1), ("half", 0.5), ("half a", 0.5),
        ("a quarter", 0.25), ("one and a half", 1.5), ("a couple of", 2), ("a few", 3),
        ("a dozen", 12), ("half a dozen", 6), ("1½", 1.5), ("1 1/2", 1.5),
        ("2 and 1/2", 2.5), ("twenty-five", 25), ("one hundred and twenty", 120),
        ("two thirds", 2 / 3), ("three quarters of a", 0.75), ("2-3", 2.5),
        ("two or three", 2.5), ("about 3", 3), ("1,5", 1.5), (".5", 0.5), ("Two", 2),
        ("several", 3), ("a pair of", 2), ("0", 0),
    ],
)
def test_parse_number_reads_everyday_amounts(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize(
    "junk", [None, "", "banana", "-1", "1/0", "one one", "nan", "inf", "and", True, [], {}, -3.0]
)
def test_parse_number_returns_none_for_junk(junk):
    assert parse_number(junk) is None


@given(st.text(max_size=40))
def test_parse_number_never_raises_and_never_goes_negative(text):
    value = parse_number(text)
    assert value is None or (value >= 0 and math.isfinite(value))


@given(st.integers(min_value=0, max_value=10**6))
def test_parse_number_round_trips_integers(number):
    assert parse_number(str(number)) == number
    assert parse_number(f"{number:,}") == number
