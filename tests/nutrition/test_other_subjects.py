"""nutrition/other_subjects.py: subjects the assistant has no checked answer about, and the
rule that keeps their questions from getting a magnesium entry (table:
nutrition/data/other_subjects.yml)."""

from __future__ import annotations

import pytest

from nutrition.other_subjects import (
    CONDITION,
    NOT_PEOPLE,
    SUPPLEMENT,
    names,
    subjects_in,
    unanswered_subject,
)


@pytest.mark.parametrize("text,kind,key", [
    ("does valerian root help you sleep", SUPPLEMENT, "valerian"),
    ("is St John's wort good for low mood", SUPPLEMENT, "st_johns_wort"),
    ("are B12 shots good for energy", SUPPLEMENT, "vitamin_b12"),
    ("does magnesium help sleep apnoea", CONDITION, "sleep_apnea"),
    ("magnesium for PCOS?", CONDITION, "pcos"),
    ("is magnesium good for my greyhound", NOT_PEOPLE, "dogs"),
])
def test_subjects_are_found(text, kind, key):
    found = unanswered_subject(text, names_magnesium="magnesium" in text.lower())
    assert found is not None and (found.kind, found.key) == (kind, key)


def test_a_supplement_asked_about_with_magnesium_is_a_magnesium_question():
    assert unanswered_subject("can I take ashwagandha with magnesium", True) is None
    assert unanswered_subject("is ashwagandha good for sleep", False).key == "ashwagandha"


def test_a_health_problem_counts_even_with_magnesium_named():
    assert unanswered_subject("does magnesium help fibromyalgia", True).key == "fibromyalgia"


@pytest.mark.parametrize("text", [
    "does magnesium help me sleep",
    "I get a charley horse at night",  # not a horse
    "can I add magnesium to my diet",  # "add" is not ADHD
    "how much magnesium is in almonds",
    "",
])
def test_ordinary_questions_name_no_subject(text):
    assert subjects_in(text) == []


def test_longer_names_win():
    assert [s.words for s in subjects_in("is cod liver oil good")] == ["cod liver oil"]


def test_no_subject_is_one_the_assistant_answers():
    """A name that a knowledge entry's or topic intent's training example uses is covered by
    that answer, so it cannot be in the table (remove it from other_subjects.yml)."""
    from rasa.shared.nlu.training_data.loading import load_data

    from actions.topics import TOPICS
    from harness.paths import ROOT

    answered = {"knowledge", *TOPICS} - {"report_self_harm"}  # safety is never declined
    examples = [m.get("text") for m in load_data(str(ROOT / "data" / "nlu")).intent_examples
                if m.get("intent") in answered]
    assert len(examples) > 1000
    covered = {(s.kind, s.key, s.words, text) for text in examples for s in subjects_in(text)}
    assert not covered, sorted(covered)[:10]


def test_every_kind_has_names_and_names_are_lower_case():
    table = names()
    for kind in (SUPPLEMENT, CONDITION, NOT_PEOPLE):
        assert table[kind], kind
        for key, words in table[kind].items():
            assert words and all(w == w.lower().strip() for w in words), key
