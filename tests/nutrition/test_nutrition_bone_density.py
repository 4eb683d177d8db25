"""Bone density scores in a message and the WHO T-score categories (bone_density.yml)."""

from __future__ import annotations

import pytest

from nutrition.bone_density import find_bone_scores, t_score_category, t_score_limits


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
