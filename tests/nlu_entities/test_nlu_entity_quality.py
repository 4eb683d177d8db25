"""Precision and recall of the entity extractor on the labelled sentences (YAML files here).

Run: .venv/bin/python -m pytest tests/nlu_entities -q   (the figures are printed even
without -s). How entities are counted: see harness.entities.score.
"""

from __future__ import annotations

import math

import pytest

from harness.entities import ENTITY_TYPES, format_report, gold_key, labelled_items, score

MIN_PRECISION = 0.95
MIN_RECALL = 0.95
MIN_PER_TYPE = 0.90


@pytest.fixture(scope="module")
def extract(built_pipeline):
    from nlu.extract import extract as run

    return lambda text: run(text, built_pipeline)


@pytest.fixture(scope="module")
def result(extract):
    return score(labelled_items(), extract)


def test_labelled_set_is_big_and_covers_every_entity_type():
    items = labelled_items()
    assert len(items) >= 300
    kinds = {e[0] for item in items for e in item["entities"]}
    assert kinds == set(ENTITY_TYPES)
    assert sum(1 for item in items if len(item["entities"]) >= 3) >= 40  # several per sentence
    assert sum(1 for item in items if not item["entities"]) >= 40  # and none at all
    texts = [item["text"] for item in items]
    assert len(set(texts)) == len(texts), "a sentence is labelled twice"


def test_labels_use_the_project_vocabularies():
    """Every gold value is a real key, so a label cannot silently drift from the data."""
    from nutrition.diet import diet_values
    from nutrition.foods import food_keys
    from nutrition.medications import medication_surface_forms
    from nutrition.nutrients import nutrient_keys
    from nutrition.supplements import supplement_forms
    from nutrition.units import CANONICAL_UNITS

    foods = set(food_keys())
    forms = set(supplement_forms())
    medications = set(medication_surface_forms().values())
    drugs = {drug for drug, _cls in medications}
    classes = {cls for _drug, cls in medications}
    for item in labelled_items():
        for entry in item["entities"]:
            kind, value, _unit, role = gold_key(entry)
            where = f"{item['file']}: {item['text']!r}: {entry}"
            if kind == "food":
                assert value in foods, where
            elif kind == "supplement_form":
                assert value in forms, where
            elif kind == "medication":
                assert value in drugs and role in classes, where
            elif kind == "amount":
                assert entry[2] in CANONICAL_UNITS and value > 0, where
            elif kind == "age":
                assert entry[2] in ("years", "months") and value > 0, where
            elif kind == "sex":
                assert value in ("female", "male"), where
            elif kind == "nutrient":
                assert value in nutrient_keys(), where
            elif kind == "diet":
                assert value in diet_values(), where


def test_precision_and_recall_reach_the_target(result, capsys):
    report = format_report(result)
    with capsys.disabled():
        print("\n" + report)
        if result["errors"]:
            print(f"{len(result['errors'])} sentence(s) differ from their labels:")
            for line in result["errors"]:
                print("  " + line)
    overall = result["rows"]["all"]
    assert overall["precision"] >= MIN_PRECISION, report
    assert overall["recall"] >= MIN_RECALL, report
    for kind in ENTITY_TYPES:
        row = result["rows"][kind]
        for name in ("precision", "recall"):
            assert not math.isnan(row[name]) and row[name] >= MIN_PER_TYPE, (kind, name, report)


def test_offsets_cover_the_words_of_each_entity(extract):
    for item in labelled_items():
        text = item["text"]
        for entity in extract(text):
            start, end = entity["start"], entity["end"]
            assert 0 <= start < end <= len(text), (text, entity)
            surface = text[start:end]
            assert surface == surface.strip() and any(c.isalnum() for c in surface), (
                text,
                entity,
            )
