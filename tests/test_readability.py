"""Reading grade of every reply in domain/*.yml (Flesch-Kincaid grade, textstat).

Patient materials should read at school grade 6 to 8 (NIH, AMA). Every text of every
response in every file of domain/ is measured as a reader sees it:

- ``{placeholders}`` are filled: the knowledge answers with the very values the action sends
  (actions/topics.py, read from the data tables), the computed answers with the realistic
  samples of ``SAMPLES`` below, and any other name by a plain rule on its ending (``_mg`` a
  number of milligrams and so on, ``FALLBACK`` otherwise);
- a line is a unit of reading: a list item or a line ending in ":" counts as one sentence,
  as it would if it ended with a full stop (the formula only sees ".", "!" and "?");
- "Source:" / "Sources:" lines and "(Source: ...)" notes are left out: they name reports
  and journals, which a reader doesn't need to read as prose;
- a decimal point inside a number ("16.2") is not taken for the end of a sentence.

Texts of fewer than ``MIN_WORDS`` words once filled (chart labels such as "Supplement upper
limit", list lines such as "- sex: female") are not sentences, and the formula gives them
arbitrary grades from -3 to 17; they are listed, not measured.

The requirements: knowledge answers (responses ``utter_topic_*`` and the safety answers,
domain/safety.yml) at a median grade of at most 8 and none above 10; no other response above
10. The test prints the distribution (``make test`` shows it; alone:
``.venv/bin/python -m pytest tests/test_readability.py -s``).
"""

from __future__ import annotations

import re
import statistics
from functools import lru_cache
from typing import Any, NamedTuple

import pytest
import textstat
import yaml

from harness.paths import DOMAIN_DIR

KNOWLEDGE_MEDIAN_MAX = 8.0
GRADE_MAX = 10.0
MIN_WORDS = 6
PLACEHOLDER = re.compile(r"\{(\w+)\}")
FALLBACK = "magnesium"

# Realistic values for the placeholders of the computed answers, as the actions write them.
SAMPLES: dict[str, str] = {
    "age": "62",
    "years": "62",
    "months": "8",
    "max_age": "120",
    "food": "Almonds",
    "portion": "1 ounce (28 g)",
    "serving": "1 ounce",
    "servings": "2",
    "text": "a cup of spinach",
    "matches": "almonds, almond milk, peanuts",
    "unit": "bowls",
    "reason": "kidney disease",
    "compound_mg": "1,000",
    "elemental_mg": "99",
    "form": "magnesium sulfate",
    "hydrate": "heptahydrate",
    "forms": "citrate, oxide, glycinate, chloride, lactate, malate and sulfate",
    "kind": "RDA",
    "items": "Almonds, 1 ounce 77 mg; spinach, half a cup 78 mg",
    "label": "Almonds, 1 ounce",
    "ratio": "4.8",
    "percent": "20",
    "medicine": "alendronate",
    "max_chars": "2,000",
}
# Endings of placeholder names and a realistic value for each (first match wins).
ENDINGS: tuple[tuple[str, str], ...] = (
    ("_mg", "320"),
    ("_mcg", "15"),
    ("_iu", "600"),
    ("percent", "45"),
    ("_hours", "2"),
    ("_age", "65"),
    ("_year", "2006"),
    ("_source", "NIH Office of Dietary Supplements"),
)


# A medicine of each kind, for the replies about one medicine.
MEDICINES = ("alendronate", "zoledronic_acid", "doxycycline", "omeprazole", "furosemide",
             "spironolactone", "aspirin")


@lru_cache(maxsize=1)
def topic_values() -> dict[str, dict[str, str]]:
    """response -> the values the action sends with it (real figures and sources)."""
    from actions import topics

    values = {topic.response: topic.values for topic in topics.TOPICS.values()}
    for medicine in MEDICINES:
        topic = topics.medicine_reply(medicine)[0]
        values[topic.response] = topic.values
    return values


def sample(name: str, response: str = "") -> str:
    sent = topic_values().get(response, {})
    if name in sent:
        return sent[name]
    if name in SAMPLES:
        return SAMPLES[name]
    for ending, value in ENDINGS:
        if name.endswith(ending):
            return value
    return FALLBACK


def filled(text: str, response: str = "") -> str:
    return PLACEHOLDER.sub(lambda match: sample(match.group(1), response), text)


SOURCE_LINE = re.compile(r"^\s*Sources?:.*$", re.MULTILINE)
SOURCE_NOTE = re.compile(r"\s*\(Sources?:[^()]*(\([^()]*\)[^()]*)*\)")


def as_read(text: str) -> str:
    """The prose of a filled reply, each line one unit of reading (see the module's notes)."""
    text = SOURCE_NOTE.sub("", SOURCE_LINE.sub("", text))
    text = re.sub(r"(?<=\d)\.(?=\d)", "", text)
    lines = []
    for line in text.splitlines():
        line = re.sub(r"^\s*[-*]\s+", "", line).strip()
        if not line:
            continue
        line = line[:-1] + "." if line.endswith(":") else line
        lines.append(line if line[-1] in ".!?" else line + ".")
    return " ".join(lines)


class Measured(NamedTuple):
    name: str
    file: str
    grade: float | None  # None: too short to be a sentence
    words: int


def domain_texts() -> list[tuple[str, str, str]]:
    """(response, file, text) of every text of every response in domain/*.yml."""
    found = []
    for path in sorted(DOMAIN_DIR.rglob("*.yml")):
        content: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variations in (content.get("responses") or {}).items():
            for variation in variations or []:
                if variation.get("text"):
                    found.append((name, path.stem, str(variation["text"])))
    return found


def measure(name: str, file: str, text: str) -> Measured:
    prose = as_read(filled(text, name))
    words = textstat.lexicon_count(prose)
    grade = textstat.flesch_kincaid_grade(prose) if words >= MIN_WORDS else None
    return Measured(name, file, grade, words)


@lru_cache(maxsize=1)
def measured() -> tuple[Measured, ...]:
    return tuple(measure(*found) for found in domain_texts())


def knowledge(item: Measured) -> bool:
    return item.name.startswith("utter_topic_") or item.file == "safety"


def summary(label: str, items: list[Measured]) -> str:
    grades = [item.grade for item in items if item.grade is not None]
    if not grades:
        return f"  {label:<22} no texts measured"
    top = max(items, key=lambda item: item.grade if item.grade is not None else -99)
    return (f"  {label:<22} n={len(grades):<3} median={statistics.median(grades):<5.1f}"
            f"min={min(grades):<5.1f}max={max(grades):<5.1f}({top.name})")


def report() -> str:
    items = list(measured())
    lines = ["", "Reading grade of the domain's replies (Flesch-Kincaid, textstat):",
             summary("all", items),
             summary("knowledge answers", [i for i in items if knowledge(i)])]
    for file in sorted({item.file for item in items}):
        lines.append(summary(f"domain/{file}.yml", [i for i in items if i.file == file]))
    grades = [i.grade for i in items if i.grade is not None]
    bands = [("<=6", -99.0, 6.0), ("6-8", 6.0, 8.0), ("8-10", 8.0, 10.0), (">10", 10.0, 99.0)]
    lines.append("  grade bands (all): " + ", ".join(
        f"{label}: {sum(low < g <= high for g in grades)}" for label, low, high in bands))
    sources = sorted(i.name for i in items if i.grade is None and i.words == 0)
    short = sorted(i.name for i in items if i.grade is None and i.words > 0)
    lines.append(f"  not measured, only a source line: {len(sources)}: " + ", ".join(sources))
    lines.append(f"  not measured, fewer than {MIN_WORDS} words: {len(short)}: "
                 + ", ".join(short))
    return "\n".join(lines)


# ------------------------------------------------------------------------------ the measure


def test_lines_and_lists_are_read_as_sentences_and_sources_left_out():
    text = "Here's why:\n\n- one thing\n- another one.\n\nSource: Rude et al., Osteoporos Int"
    assert as_read(text) == "Here's why. one thing. another one."
    assert as_read("Rats fed 16.2% (Sources: A (2006); B) lost bone.") == "Rats fed 162% lost bone."


def test_placeholders_are_filled_with_realistic_values():
    assert filled("{ul_mg} mg from age {ul_from_age}", "utter_topic_too_much") == (
        "350 mg from age 9")
    assert filled("About {medicine}", "utter_topic_interaction_antibiotic") == "About doxycycline"
    assert filled("{calcium_mg} mg, {vitamin_d_iu} IU, {food}") == "320 mg, 600 IU, Almonds"
    every = [name for _, _, text in domain_texts() for name in PLACEHOLDER.findall(text)]
    assert every and not PLACEHOLDER.search(filled(" ".join(f"{{{n}}}" for n in every)))


def test_the_grade_tells_plain_from_dense_writing():
    plain = "Magnesium helps build bone. Most of it is in your bones. Eat nuts, seeds and beans."
    dense = ("Magnesium insufficiency, epidemiologically associated with diminished bone "
             "mineral density, potentially compromises parathyroid hormone secretion.")
    assert textstat.flesch_kincaid_grade(as_read(plain)) <= 6
    assert textstat.flesch_kincaid_grade(as_read(dense)) > 12
    assert measure("x", "x", "Supplement upper limit").grade is None


# ------------------------------------------------------------------------------ the domain


def test_print_the_distribution(capsys):
    text = report()
    with capsys.disabled():
        print(text)
    assert [item for item in measured() if item.grade is not None]


def test_knowledge_answers_read_at_grade_8_or_below_on_median():
    grades = [item.grade for item in measured() if knowledge(item) and item.grade is not None]
    assert len(grades) >= 20, "the knowledge answers were not found"
    assert statistics.median(grades) <= KNOWLEDGE_MEDIAN_MAX, report()


@pytest.mark.parametrize("name,file,text", domain_texts(), ids=lambda v: str(v)[:40])
def test_no_reply_reads_above_grade_10(name, file, text):
    item = measure(name, file, text)
    if item.grade is None:
        assert item.words < MIN_WORDS
        return
    prose = as_read(filled(text, name))
    assert item.grade <= GRADE_MAX, f"{name} ({file}): grade {item.grade}: {prose}"
