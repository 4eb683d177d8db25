"""Bone density scores in a message ("my T-score is -2.7") and the WHO T-score categories.

A T-score or Z-score is never an age: :func:`find_bone_scores` finds them so that the number
is not read as one, and :func:`t_score_category` says which WHO category a T-score falls in
(``data/bone_density.yml``). Only a T-score written with its minus sign (or 0) is
classified: "T-score 2.7" may have lost its sign, so it gets no category.
:func:`t_score_band` gives the category of a plain number, and :func:`plausible_score`
says whether a number can be a scan score at all ("-12" or "45" cannot).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Literal

from .data_files import load

_FILE = "bone_density.yml"

ScoreKind = Literal["t_score", "z_score", "bone_density"]
Category = Literal["normal", "low_bone_mass", "osteoporosis"]

_LABEL = re.compile(
    r"\b(?:(?P<kind>[tz])[\s-]?scores?"
    r"|(?:bone[\s-]+(?:mineral[\s-]+)?density|bmd|dexa|dxa)(?:[\s-]+(?:scan|test))?"
    r"[\s-]+(?:scores?|results?|readings?|numbers?))\b",
    re.IGNORECASE,
)
# the number right after the label, past a few linking words ("is", "was about", "of")
_LINK = r"(?:is|was|were|of|about|around|approximately|roughly|only|at|came|back|out|as|" \
    r"now|just|says|said|showed|shows|=|:|,|\()"
_AFTER = re.compile(
    r"^\s*(?:" + _LINK + r"\s*)*"
    r"(?P<sign>(?:minus|negative)\s+|[-\u2212\u2013+]\s?)?(?P<num>\d+(?:\.\d+)?)(?![\d.])",
    re.IGNORECASE,
)

# the number written before its label: "I got -2.7 on my DXA", "-1.8 on the bone scan"
_SIGNED = r"(?P<sign>(?:minus|negative)\s+|[-\u2212\u2013+]\s?)?(?P<num>\d+(?:\.\d+)?)"
_BEFORE = re.compile(
    r"(?<![\w.])" + _SIGNED + r"\s+(?:on|in|from|for|at)\s+(?:my|the|a|her|his|your)?\s*"
    r"(?:last\s+|latest\s+|recent\s+)?"
    r"(?P<label>(?P<kind>[tz])[\s-]?scores?|dexa|dxa|bone[\s-]+(?:mineral[\s-]+)?density"
    r"|bone[\s-]+scan|bmd)\b",
    re.IGNORECASE,
)
# any number in a question that is about a scan score ("what does -2.3 mean?")
_ANY_NUMBER = re.compile(r"(?<![\w.])" + _SIGNED + r"(?![\d.])", re.IGNORECASE)


@dataclass(frozen=True)
class BoneScore:
    """A bone density score in a message: ``value`` keeps the sign the user wrote."""

    kind: ScoreKind
    value: float
    signed: bool  # a sign was written ("-2.7", "minus 2.7", "+0.5")
    start: int  # the span from the label to the end of the number
    end: int


def _table() -> dict[str, Any]:
    table: dict[str, Any] = load(_FILE)
    return table


def _score(letter: str, sign_text: str | None, number: str, start: int, end: int
           ) -> BoneScore:
    sign = (sign_text or "").strip().lower()
    negative = sign in ("minus", "negative", "-", "\u2212", "\u2013")
    value = float(number)
    letter = letter.lower()
    kind: ScoreKind = "t_score" if letter == "t" else "z_score" if letter == "z" else (
        "bone_density")
    return BoneScore(kind, -value if negative else value, bool(sign), start, end)


def find_bone_scores(text: object) -> tuple[BoneScore, ...]:
    """Every bone density score written in ``text``, in text order (never raises): after
    its label ("my T-score is -2.7") or just before it ("-2.7 on my DXA").

    >>> find_bone_scores("My T-score is -2.7")[0].value
    -2.7
    >>> find_bone_scores("I got -2.7 on my DXA")[0].kind
    'bone_density'
    """
    if not isinstance(text, str):
        return ()
    found: list[BoneScore] = []
    for label in _LABEL.finditer(text):
        after = _AFTER.match(text[label.end():])
        if after is None:
            continue
        found.append(_score(label.group("kind") or "", after.group("sign"), after.group("num"),
                            label.start(), label.end() + after.end()))
    for before in _BEFORE.finditer(text):
        if any(s.start < before.end() and before.start() < s.end for s in found):
            continue
        found.append(_score(before.group("kind") or "", before.group("sign"),
                            before.group("num"), before.start(), before.end()))
    return tuple(sorted(found, key=lambda score: score.start))


_Z_SCORE = re.compile(r"\bz[\s-]?scores?\b", re.IGNORECASE)


def mentions_z_score(text: object) -> bool:
    """True when ``text`` names a Z-score ("what's a z-score?")."""
    return isinstance(text, str) and _Z_SCORE.search(text) is not None


def score_in_question(text: object) -> BoneScore | None:
    """The score a question about scan scores is about: the first labelled score, else the
    first number of the message as an unnamed scan score ("what does -2.3 mean?"), else
    ``None`` (a question about the scores in general)."""
    scores = find_bone_scores(text)
    if scores:
        return scores[0]
    if not isinstance(text, str):
        return None
    number = _ANY_NUMBER.search(text)
    if number is None:
        return None
    return _score("", number.group("sign"), number.group("num"), number.start(), number.end())


def t_score_category(score: BoneScore) -> Category | None:
    """The WHO category of a T-score written with its sign (or 0), else ``None``."""
    if score.kind != "t_score" or (score.value > 0 and not score.signed):
        return None
    return t_score_band(score.value)


def t_score_band(value: float) -> Category:
    """The WHO category of a T-score: ``normal`` at ``normal_from`` (-1.0) and above,
    ``osteoporosis`` at ``osteoporosis_at_or_below`` (-2.5) and below, ``low_bone_mass``
    between. Raises ``ValueError`` for a number that is no plausible score
    (:func:`plausible_score`).

    >>> t_score_band(-2.3)
    'low_bone_mass'
    """
    if not plausible_score(value):
        raise ValueError(f"{value!r} is not a plausible T-score")
    limits = t_score_limits()
    if value <= limits["osteoporosis_at_or_below"]:
        return "osteoporosis"
    if value < limits["normal_from"]:
        return "low_bone_mass"
    return "normal"


def plausible_score(value: float) -> bool:
    """True when ``value`` lies in the range of real scan scores (``plausible_score`` of
    the table, both ends included); False for NaN, infinities and typing errors."""
    low, high = score_range()
    return math.isfinite(value) and low <= value <= high


def score_range() -> tuple[float, float]:
    """The lowest and highest number read as a real T-score or Z-score."""
    plausible = _table()["plausible_score"]
    return float(plausible["low"]), float(plausible["high"])


def t_score_limits() -> dict[str, float]:
    """The WHO cut-offs: ``normal_from`` (-1.0) and ``osteoporosis_at_or_below`` (-2.5)."""
    limits: dict[str, float] = dict(_table()["t_score"])
    return limits


def bone_density_source() -> str:
    """Short citation of the WHO categories."""
    source: str = _table()["short_source"]
    return source
