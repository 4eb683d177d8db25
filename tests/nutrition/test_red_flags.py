"""nutrition/red_flags.py: which messages must get a safety reply, from the red-flag table.

The trained intents catch most safety messages; the table is the net under them. These
tests pin its two duties: catch (self-harm before emergency) and stay quiet on ordinary
questions, including every non-safety training and held-out example of the project."""

from __future__ import annotations

import re

import pytest

from nutrition.data_files import load
from nutrition.red_flags import EMERGENCY, SELF_HARM, red_flag
from nutrition.text import normalise


@pytest.mark.parametrize("text", [
    "I want to kill myself",
    "honestly i feel suicidal tonight",
    "I've been thinking about ending my life",
    "I wish I could go to sleep and not wake up",
    "how many magnesium tablets would it take to kill me",
    "what's the lethal dose of magnesium",
    "my family would be better off without me",
    "I've been saving up my pills",
])
def test_self_harm_is_caught(text):
    assert red_flag(text) == SELF_HARM


@pytest.mark.parametrize("text", [
    "my husband collapsed and isn't breathing",
    "Grandad won't wake up",
    "my mum is having a seizure",
    "I think I'm having a heart attack",
    "I've got chest pain",
    "her face is drooping and her speech is slurred",
    "my toddler swallowed some of my magnesium tablets",
    "I overdosed on magnesium",
    "my throat is swelling after the new supplement",
])
def test_emergencies_are_caught(text):
    assert red_flag(text) == EMERGENCY


def test_self_harm_comes_before_emergency():
    # both kinds match; the self-harm reply also tells them to call for emergency help
    text = "I took too many tablets because I want to die"
    assert red_flag(text) == SELF_HARM


@pytest.mark.parametrize("text", [
    "these leg cramps are killing me",
    "I'm dying to know how much magnesium is in spinach",
    "can I take magnesium after a stroke",
    "I had a heart attack two years ago, is magnesium safe",
    "my collapsed vertebra still hurts",
    "can you overdose on magnesium from food",
    "how much magnesium is too much",
    "how many tablets do I take for 300 mg",
    "I can't eat dairy, where else do I get calcium",
    "I don't want to be a burden on my children when I'm old, how do I keep my bones strong",
    "",
    "   ",
    "???",
])
def test_ordinary_messages_are_left_alone(text):
    assert red_flag(text) is None


def test_normalise_drops_apostrophes_and_punctuation():
    assert normalise("He WON'T  wake up!!") == "he wont wake up"
    assert normalise("I\u2019m done") == "im done"


def test_the_table_names_its_sources_and_every_pattern_compiles():
    table = load("red_flags.yml")
    assert set(table["source"]) == {SELF_HARM, EMERGENCY}
    for kind in (SELF_HARM, EMERGENCY):
        assert table[kind], kind
        for pattern in table[kind]:
            re.compile(pattern)


def test_no_ordinary_training_or_held_out_example_raises_a_red_flag():
    """Every example of a non-safety intent (training data and the held-out NLU set) passes
    without a red flag: a pattern that fires on ordinary questions fails here."""
    from rasa.shared.nlu.training_data.loading import load_data

    from bench.quality import holdout_examples
    from harness.paths import ROOT

    rows = [(m.get("text"), m.get("intent"))
            for m in load_data(str(ROOT / "data" / "nlu")).intent_examples]
    rows += holdout_examples()
    flagged = [(text, intent) for text, intent in rows
               if intent not in ("report_emergency", "report_self_harm") and red_flag(text)]
    assert len(rows) > 3000
    assert not flagged, flagged
