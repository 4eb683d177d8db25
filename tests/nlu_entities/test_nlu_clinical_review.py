"""Entities of the clinical review's messages (issue #15): "an avocado" is one whole
avocado; "oat milk" is no food of the table (not oats plus milk); a T-score holds no age."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def extract(built_pipeline):
    from nlu.extract import extract as run

    return lambda text: run(text, built_pipeline)


def simple(entities):
    return [(e["entity"], e["value"], e.get("unit")) for e in entities]


@pytest.mark.parametrize("text", ["how much magnesium in an avocado", "an avocado",
                                  "I had an Avocado for lunch"])
def test_an_avocado_is_one_whole_avocado(extract, text):
    found = [e for e in extract(text) if e["entity"] != "nutrient"]
    assert simple(found) == [("amount", 1.0, "piece"), ("food", "avocado", None)]
    assert found[0]["group"] == found[1]["group"]


def test_half_an_avocado_stays_half(extract):
    assert simple(extract("half an avocado")) == [("amount", 0.5, "piece"),
                                                  ("food", "avocado", None)]


def test_a_banana_is_still_no_amount(extract):
    # the typical serving of a banana is one medium banana already
    assert simple(extract("a banana")) == [("food", "banana", None)]


@pytest.mark.parametrize("text", ["a cup of oat milk", "a glass of oat drink",
                                  "how much magnesium is in oatmilk", "oat milk"])
def test_oat_milk_is_not_oats_and_milk(extract, text):
    foods = [e for e in extract(text) if e["entity"] == "food"]
    assert foods == []


def test_oats_and_milk_are_still_found(extract):
    found = simple(extract("a cup of oats with milk"))
    assert ("food", "rolled_oats", None) in found and ("food", "milk_2_percent", None) in found


@pytest.mark.parametrize("text", ["My T-score is -2.7", "my z-score is -1.5",
                                  "my bone density score is -2.7"])
def test_bone_density_scores_give_no_age(extract, text):
    assert [e for e in extract(text) if e["entity"] in ("age", "amount")] == []
