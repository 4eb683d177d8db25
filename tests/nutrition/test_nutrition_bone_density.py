"""Bone density scores in a message and the WHO T-score categories (bone_density.yml)."""

from __future__ import annotations

import math

import pytest

from nutrition.bone_density import (
    find_bone_scores,
    mentions_z_score,
    plausible_score,
    score_in_question,
    score_range,
    t_score_band,
    t_score_category,
    t_score_limits,
)


@pytest.mark.parametrize(("text", "kind", "value", "category"), [
    ("My T-score is -2.7", "t_score", -2.7, "osteoporosis"),
    ("T-score -2.5", "t_score", -2.5, "osteoporosis"),
    ("my DEXA T score was minus 1.8", "t_score", -1.8, "low_bone_mass"),
    ("my t-score came back as -1", "t_score", -1.0, "normal"),
    ("My t-score: +0.5, I am 60", "t_score", 0.5, "normal"),
    ("t score of 2.7", "t_score", 2.7, None),  # the sign may be lost: no category
    ("my z-score is -1.5", "z_score", -1.5, None),
    ("my bone density score is -2.7", "bone_density", -2.7, None),
    ("bone mineral density result was about -2.1", "bone_density", -2.1, None),
])
def test_scores_are_found_with_their_sign(text, kind, value, category):
    (score,) = find_bone_scores(text)
    assert (score.kind, score.value, t_score_category(score)) == (kind, value, category)
    # the span runs from the label to the number (so the number is never read as an age)
    assert f"{abs(value):g}" in text[score.start:score.end]


@pytest.mark.parametrize("text", ["I am 54", "my t score is low and I am 54", "54 years",
                                  "what is a T-score?", "", None, 12])
def test_no_score_where_none_is_written(text):
    assert find_bone_scores(text) == ()


def test_the_who_cut_offs_come_from_the_table():
    assert t_score_limits() == {"normal_from": -1.0, "osteoporosis_at_or_below": -2.5}


# ------------------------------------------------------------------ the band of a number


def _cut_offs() -> tuple[float, float]:
    limits = t_score_limits()
    return limits["normal_from"], limits["osteoporosis_at_or_below"]


def test_band_exactly_on_the_cut_offs():
    normal_from, osteoporosis = _cut_offs()
    assert t_score_band(normal_from) == "normal"  # -1.0 is normal (WHO: -1 and above)
    assert t_score_band(osteoporosis) == "osteoporosis"  # -2.5 is osteoporosis


@pytest.mark.parametrize(("offset_normal", "offset_osteoporosis"), [(0.01, 0.01), (0.1, 0.2)])
def test_band_just_around_the_cut_offs(offset_normal, offset_osteoporosis):
    normal_from, osteoporosis = _cut_offs()
    assert t_score_band(normal_from + offset_normal) == "normal"
    assert t_score_band(normal_from - offset_normal) == "low_bone_mass"
    assert t_score_band(osteoporosis + offset_osteoporosis) == "low_bone_mass"
    assert t_score_band(osteoporosis - offset_osteoporosis) == "osteoporosis"


@pytest.mark.parametrize(("value", "band"), [
    (-2.3, "low_bone_mass"), (-1.5, "low_bone_mass"), (-2.7, "osteoporosis"), (0.0, "normal"),
    (1.2, "normal"), (-0.5, "normal"), (-4.0, "osteoporosis"),
])
def test_band_of_ordinary_scores(value, band):
    assert t_score_band(value) == band


def test_band_agrees_with_the_category_of_a_signed_score():
    for text in ("my T-score is -2.3", "T-score -2.5", "t score of -1", "T-score: +0.5"):
        (score,) = find_bone_scores(text)
        assert t_score_category(score) == t_score_band(score.value), text


@pytest.mark.parametrize("value", [45.0, -12.0, 6.01, -6.01, math.inf, -math.inf, math.nan])
def test_band_refuses_numbers_that_are_no_scan_score(value):
    assert not plausible_score(value)
    with pytest.raises(ValueError):
        t_score_band(value)


def test_the_plausible_range_comes_from_the_table_and_includes_its_ends():
    low, high = score_range()
    assert (low, high) == (-6.0, 6.0)
    assert plausible_score(low) and plausible_score(high)
    normal_from, osteoporosis = _cut_offs()
    assert low < osteoporosis < normal_from < high


# ------------------------------------------------------------------ scores in a question


@pytest.mark.parametrize(("text", "kind", "value"), [
    ("I got -2.7 on my DXA, is that bad?", "bone_density", -2.7),
    ("-1.8 on the bone scan", "bone_density", -1.8),
    ("I scored minus 2 on my t-score test", "t_score", -2.0),
])
def test_a_number_before_its_label_is_a_score_never_an_age(text, kind, value):
    (score,) = find_bone_scores(text)
    assert (score.kind, score.value, score.signed) == (kind, value, True)


@pytest.mark.parametrize(("text", "value"), [
    ("what does a T-score of -2.3 mean?", -2.3),
    ("what does -2.3 mean?", -2.3),
    ("is 2.1 bad", 2.1),
])
def test_score_in_question_takes_the_labelled_score_else_the_first_number(text, value):
    score = score_in_question(text)
    assert score is not None and score.value == value


@pytest.mark.parametrize("text", ["what is a T-score?", "what's a z-score", "", None])
def test_score_in_question_without_a_number(text):
    assert score_in_question(text) is None


def test_z_score_is_named():
    assert mentions_z_score("what's a z-score?") and mentions_z_score("my Z score is -1")
    assert not mentions_z_score("what's a t-score?") and not mentions_z_score(None)
