"""The knowledge base's entries (domain/knowledge_<area>.yml, data/nlu/knowledge_<area>.yml).

Every entry has: a response with the metadata the answer action reads (a question for its
clarify button, an evidence label, a source of the sources table, an optional offer of what
can be computed); training examples (at least 10, under the same name); held-out questions
written apart; a reading grade of 8 or below once its figures are filled; and only figures
that come from the cited tables (placeholders of ``knowledge_figures``, no digits typed in
the wording). The near-topic questions expect answers that exist.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Any

import pytest
import textstat
import yaml

from actions.knowledge import entry_values
from harness.paths import DOMAIN_DIR, ROOT
from nutrition.knowledge import COMPUTABLE, EVIDENCE_LEVELS, RESPONSE_PREFIX, sources
from nutrition.topic_figures import knowledge_figures
from tests.test_readability import MIN_WORDS, as_read

GRADE_MAX = 8.0
MIN_EXAMPLES = 10
MIN_ENTRIES = 60
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# A figure typed into the wording: a digit not inside a {placeholder} (nor a name: K2, D3).
TYPED_FIGURE = re.compile(r"(?<![A-Za-z])\d")


@lru_cache(maxsize=1)
def entries() -> dict[str, dict[str, Any]]:
    """``utter_knowledge/<entry>`` -> its first variation (text and metadata)."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(DOMAIN_DIR.glob("knowledge_*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variations in (content.get("responses") or {}).items():
            if name.startswith(RESPONSE_PREFIX):
                assert name not in found, f"{name} is defined twice"
                found[name] = dict(variations[0])
    return found


@lru_cache(maxsize=1)
def training_examples() -> Counter[str]:
    """``knowledge/<entry>`` -> number of training examples."""
    from rasa.shared.nlu.training_data.loading import load_data

    counts: Counter[str] = Counter()
    for path in sorted((ROOT / "data" / "nlu").glob("knowledge_*.yml")):
        for message in load_data(str(path)).intent_examples:
            counts[str(message.get("intent_response_key"))] += 1
    return counts


def label(response: str) -> str:
    return "knowledge/" + response[len(RESPONSE_PREFIX):]


def test_the_knowledge_base_has_its_entries():
    print(f"\nknowledge base: {len(entries())} entries, {len(sources())} sources, "
          f"{sum(training_examples().values())} training examples")
    assert len(entries()) >= MIN_ENTRIES


@pytest.mark.parametrize("response", sorted(entries()))
def test_entry_metadata(response):
    about = entries()[response].get("metadata") or {}
    assert about.get("question"), f"{response}: no question for its clarify button"
    assert str(about["question"]).rstrip().endswith("?")
    assert about.get("evidence") in EVIDENCE_LEVELS, f"{response}: evidence label"
    assert about.get("source") in sources(), f"{response}: source {about.get('source')!r}"
    if "can_compute" in about:
        assert about["can_compute"] in COMPUTABLE, f"{response}: can_compute"


@pytest.mark.parametrize("response", sorted(entries()))
def test_entry_reads_at_grade_8_or_below_with_its_figures(response):
    text = str(entries()[response]["text"])
    figures = knowledge_figures()
    unknown = [n for n in PLACEHOLDER.findall(text) if n not in figures]
    assert not unknown, f"{response}: placeholders without a figure: {unknown}"
    assert not TYPED_FIGURE.search(PLACEHOLDER.sub("", text)), (
        f"{response}: a figure is typed into the wording; it must come from a cited table")
    filled = text.format(**entry_values(None, response))
    prose = as_read(filled)
    assert textstat.lexicon_count(prose) >= MIN_WORDS
    grade = textstat.flesch_kincaid_grade(prose)
    assert grade <= GRADE_MAX, f"{response}: grade {grade}: {prose}"


def test_every_entry_has_training_examples_and_every_example_an_entry():
    counts = training_examples()
    labels = {label(r) for r in entries()}
    assert not (set(counts) - labels), f"examples without an answer: {set(counts) - labels}"
    few = {name: counts[name] for name in labels if counts[name] < MIN_EXAMPLES}
    assert not few, f"entries with fewer than {MIN_EXAMPLES} training examples: {few}"


def test_every_entry_has_held_out_questions():
    from bench.quality import knowledge_holdout

    held = Counter(gold for _, gold in knowledge_holdout())
    labels = {label(r) for r in entries()}
    assert not (set(held) - labels), f"held-out questions of no entry: {set(held) - labels}"
    missing = sorted(labels - set(held))
    assert not missing, f"entries without held-out questions: {missing}"


def test_sources_are_complete():
    for key, source in sources().items():
        assert source.name and source.citation, key
        assert source.url.startswith("https://"), key
    used = {str((e.get("metadata") or {}).get("source")) for e in entries().values()}
    assert "ods_magnesium" in sources()
    assert used <= set(sources())


def test_near_topic_expectations_exist():
    from bench.quality import near_topic_questions
    from harness.domain import load_domain

    intents = set(load_domain().intents)
    labels = {label(r) for r in entries()}
    questions = near_topic_questions()
    assert questions
    for text, expected in questions:
        assert expected == "none" or expected in labels or expected in intents, (
            f"{text!r}: expects {expected!r}, which is no entry, intent or 'none'")
