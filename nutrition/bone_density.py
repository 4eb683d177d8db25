"""Bone density scores in a message ("my T-score is -2.7") and the WHO T-score categories.

A T-score or Z-score is never an age: :func:`find_bone_scores` finds them so that the number
is not read as one, and :func:`t_score_category` says which WHO category a T-score falls in
(``data/bone_density.yml``). Only a T-score written with its minus sign (or 0) is
classified: "T-score 2.7" may have lost its sign, so it gets no category.
"""

from __future__ import annotations

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


def find_bone_scores(text: object) -> tuple[BoneScore, ...]:
    """Every bone density score written in ``text``, in text order (never raises).

    >>> find_bone_scores("My T-score is -2.7")[0].value
    -2.7
    """
    if not isinstance(text, str):
        return ()
    found: list[BoneScore] = []
    for label in _LABEL.finditer(text):
        after = _AFTER.match(text[label.end():])
        if after is None:
            continue
        sign = (after.group("sign") or "").strip().lower()
        negative = sign in ("minus", "negative", "-", "\u2212", "\u2013")
        value = float(after.group("num"))
        letter = (label.group("kind") or "").lower()
        kind: ScoreKind = "t_score" if letter == "t" else "z_score" if letter == "z" else (
            "bone_density")
        found.append(BoneScore(kind, -value if negative else value, bool(sign),
                               label.start(), label.end() + after.end()))
    return tuple(found)


def t_score_category(score: BoneScore) -> Category | None:
    """The WHO category of a T-score written with its sign (or 0), else ``None``."""
    if score.kind != "t_score" or (score.value > 0 and not score.signed):
        return None
    limits = t_score_limits()
    if score.value <= limits["osteoporosis_at_or_below"]:
        return "osteoporosis"
    if score.value < limits["normal_from"]:
        return "low_bone_mass"
    return "normal"


def t_score_limits() -> dict[str, float]:
    """The WHO cut-offs: ``normal_from`` (-1.0) and ``osteoporosis_at_or_below`` (-2.5)."""
    limits: dict[str, float] = dict(_table()["t_score"])
    return limits


def bone_density_source() -> str:
    """Short citation of the WHO categories."""
    source: str = _table()["short_source"]
    return source
