"""The golden table: loading its cases and matching a reply against them.

Each ``tests/golden/<area>.yml`` holds a list of cases (format: tests/golden/README.md).
``test_golden_replies.py`` sends each case to running servers and checks the reply;
``test_golden_sources.py`` checks every expected figure against the project's data tables
and USDA SR28, so that the table cannot drift from its sources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

GOLDEN_DIR = Path(__file__).resolve().parent
AREAS = ("intake", "upper_limits", "supplements", "foods", "ratio", "cautions", "topics",
         "nutrients", "planning", "bone_basics")
KEYS = {
    "id", "say", "person", "expect", "must_contain_response", "must_not_contain_response",
    "must_contain", "must_not_contain", "sr28", "dose", "ratio", "medicine_class", "source",
    "xfail",
}
FACT_KEYS = ("person", "sr28", "dose", "ratio", "medicine_class")
NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Case:
    area: str
    id: str
    say: list[Any]  # a message, or {"button": title}: the payload of that button of the last reply
    source: str
    expect: dict[str, str] = field(default_factory=dict)
    must_contain_response: list[str] = field(default_factory=list)
    must_not_contain_response: list[str] = field(default_factory=list)
    must_contain: list[str] = field(default_factory=list)
    must_not_contain: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)  # person, sr28, dose, ratio, medicine_class
    xfail: str | None = None


def load_area(area: str) -> list[Case]:
    raw = yaml.safe_load((GOLDEN_DIR / f"{area}.yml").read_text(encoding="utf-8"))
    cases = []
    for item in raw:
        unknown = set(item) - KEYS
        assert not unknown, f"{area}.yml {item.get('id')}: unknown keys {sorted(unknown)}"
        facts = {k: item[k] for k in FACT_KEYS if k in item}
        cases.append(Case(
            area=area, id=item["id"], say=list(item["say"]), source=item["source"],
            expect={k: str(v) for k, v in (item.get("expect") or {}).items()},
            must_contain_response=list(item.get("must_contain_response") or []),
            must_not_contain_response=list(item.get("must_not_contain_response") or []),
            must_contain=list(item.get("must_contain") or []),
            must_not_contain=list(item.get("must_not_contain") or []),
            facts=facts, xfail=item.get("xfail"),
        ))
    return cases


def all_cases() -> list[Case]:
    return [case for area in AREAS for case in load_area(area)]


# ------------------------------------------------------------------------------ matching


def normalise(text: str) -> str:
    """One space for any run of whitespace (replies are split into paragraphs and lines)."""
    return " ".join(text.replace("\u00a0", " ").split())


def number_value(token: str) -> float:
    return float(token.replace(",", ""))


def numbers(text: str) -> list[float]:
    return [number_value(t) for t in NUMBER.findall(text)]


def figure_pattern(expected: str) -> re.Pattern[str]:
    """``"1,200 mg"`` as a pattern: the same numbers, written with or without thousands
    separators, not part of a longer number, and the same words around them."""
    parts: list[str] = []
    last = 0
    text = normalise(expected)
    for match in NUMBER.finditer(text):
        parts.append(re.escape(text[last:match.start()]).replace(r"\ ", r"\s*"))
        digits = match.group().replace(",", "")
        whole, _, decimals = digits.partition(".")
        grouped = f"{int(whole):,}".replace(",", ",?")
        parts.append(grouped + (r"\." + decimals if decimals else ""))
        last = match.end()
    parts.append(re.escape(text[last:]).replace(r"\ ", r"\s*"))
    return re.compile(r"(?<![\d.,])" + "".join(parts) + r"(?![\d]|\.\d)", re.IGNORECASE)


def has_figure(reply: str, expected: str) -> bool:
    return bool(figure_pattern(expected).search(normalise(reply)))


def response_pattern(template: str) -> re.Pattern[str]:
    """A domain response as a pattern: its ``{placeholders}`` match any text."""
    text = normalise(template.replace("{{", "{").replace("}}", "}"))
    pieces = re.split(r"\{\w+\}", text)
    return re.compile(".+?".join(re.escape(p) for p in pieces), re.DOTALL)


def has_response(reply: str, template: str) -> bool:
    return bool(response_pattern(template).search(normalise(reply)))
