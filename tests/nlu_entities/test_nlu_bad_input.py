"""Bad input never crashes extraction and never yields entities outside the text."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

STRANGE_TEXTS = [
    "",
    " ",
    "\n\t\r",
    "\x00\x01\x02\x1b[31m",
    "\u200b\u200d\ufeff",
    "\ud800 lone surrogate",
    "🙂" * 200,
    "👩‍👩‍👧 2 cups of 🍌 and almonds 🥜",
    "Привет, 2 чашки миндаля и 100 г шпината",
    "我每天吃100克杏仁 and 2 cups of milk",
    "مرحبا 54 years old",
    "İstanbul: 2 cups of almonds",  # lower-casing makes this text longer
    "e\u0301 combining accents almonds",
    "1/0 cup of milk",
    "0 mg",
    "-5 mg of magnesium",
    "9" * 400 + " mg",
    "1e308 mg",
    "NaN mg and inf cups",
    "½½½ cup",
    "1,2,3,4,5 cups",
    "a" * 10_000,
    "almonds " * 1_500,
    "I'm " * 2_000 + "54",
    ("today I had 2 slices of whole wheat bread, a banana and one ounce of almonds. " * 130)[
        :10_000
    ],
    "<script>alert(1)</script> 2 cups",
    '{"text": "54"}',
    "'; DROP TABLE foods; --",
    "%s %d {0} {text}",
]


@pytest.fixture(scope="module")
def extract(built_pipeline):
    from nlu.extract import extract as run

    return lambda text: run(text, built_pipeline)


def check_entities(text, entities):
    assert isinstance(entities, list)
    for entity in entities:
        assert 0 <= entity["start"] < entity["end"] <= len(text), entity
        assert text[entity["start"] : entity["end"]].strip(), entity
        if entity["entity"] in ("amount", "age"):
            assert isinstance(entity["value"], float) and math.isfinite(entity["value"])
            assert entity["value"] >= 0
        else:
            assert isinstance(entity["value"], str) and entity["value"]


@pytest.mark.parametrize("text", STRANGE_TEXTS, ids=range(len(STRANGE_TEXTS)))
def test_strange_text_gives_sound_entities(extract, text):
    check_entities(text, extract(text))


@pytest.mark.parametrize("value", [None, 54, 1.5, b"2 cups", ["almonds"], {"text": "54"}])
def test_non_text_gives_no_entities(extract, value):
    assert extract(value) == []


def test_offsets_stay_right_when_lower_casing_changes_the_length(extract):
    text = "İstanbul: 2 cups of almonds"
    spans = [text[e["start"] : e["end"]] for e in extract(text)]
    assert spans == ["2 cups", "almonds"]


def test_very_long_text_is_cut_not_refused(extract):
    from nlu.extract import MAX_CHARS

    text = "x " * MAX_CHARS + "2 cups of almonds"
    assert extract(text) == []  # the tail beyond MAX_CHARS is not read
    assert extract("2 cups of almonds " + "x " * MAX_CHARS)  # the head is


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text(built_pipeline, text):
    from nlu.extract import extract

    check_entities(text, extract(text, built_pipeline))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            ["2", "1/2", "½", "a", "half", "cup", "cups", "mg", "of", "and", "almonds", "I'm",
             "54", "years", "old", "in", "my", "fifties", "-", ",", "calcium", "magnesium",
             "oxide", "Fosamax", "woman", "pregnant", "F", "expecting", "whole", "large", "🙂"]
        ),
        max_size=25,
    )
)  # fmt: skip
def test_any_mix_of_pattern_words(built_pipeline, words):
    from nlu.extract import extract

    text = " ".join(words)
    check_entities(text, extract(text, built_pipeline))
