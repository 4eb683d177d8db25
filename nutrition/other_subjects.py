"""Subjects the assistant has no checked answer about: other supplements and herbs, health
problems no knowledge entry answers, animals and plants (``data/other_subjects.yml``).

:func:`unanswered_subject` tells whether a question is about one of them, so that it is
never answered with a magnesium entry that only shares its other words. A supplement
counts only when the question does not name magnesium: "can I take ashwagandha with
magnesium" is a magnesium question, "is ashwagandha good for sleep" is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .data_files import load
from .text import normalise

_FILE = "other_subjects.yml"
SUPPLEMENT = "supplements"
CONDITION = "conditions"
NOT_PEOPLE = "not_people"
KINDS = (SUPPLEMENT, CONDITION, NOT_PEOPLE)


@dataclass(frozen=True)
class Subject:
    """A subject found in a message: its kind, its key, and the words that named it."""

    kind: str
    key: str
    words: str


@cache
def _patterns() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """(kind, key, pattern) for every name, longest names first; names and messages are
    normalised alike ("St. John's wort" and "st johns wort" match)."""
    table = load(_FILE)
    rows = [(kind, str(key), normalise(str(name))) for kind in KINDS
            for key, names in (table.get(kind) or {}).items() for name in names]
    rows.sort(key=lambda row: -len(row[2]))
    return tuple((kind, key, re.compile(r"\b" + re.escape(name) + r"\b"))
                 for kind, key, name in rows)


def names() -> dict[str, dict[str, tuple[str, ...]]]:
    """kind -> key -> the names of the table (for the consistency tests)."""
    table = load(_FILE)
    return {kind: {str(k): tuple(str(n) for n in v) for k, v in (table.get(kind) or {}).items()}
            for kind in KINDS}


def subjects_in(text: str) -> list[Subject]:
    """Every subject of the table that ``text`` names, in table order of length."""
    plain = normalise(text)
    found: list[Subject] = []
    for kind, key, pattern in _patterns():
        match = pattern.search(plain)
        if match and all(s.key != key for s in found):
            found.append(Subject(kind, key, match.group(0)))
    return found


def unanswered_subject(text: str, names_magnesium: bool) -> Subject | None:
    """The subject ``text`` asks about that the assistant has no checked answer for: a
    health problem no entry answers, an animal or plant, or (when the text does not name
    magnesium) another supplement. None when there is none."""
    for subject in subjects_in(text):
        if subject.kind != SUPPLEMENT or not names_magnesium:
            return subject
    return None
