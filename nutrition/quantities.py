"""Turn the ways people write amounts into numbers.

:func:`parse_number` understands digits ("1", "1.5", "1,200", ".5"), fractions
("1/2", "1 1/2", "½", "1½"), number words ("one", "twelve", "twenty-five",
"one hundred and twenty"), articles ("a", "an" = 1), fraction words ("half",
"half a", "a quarter", "two thirds", "one and a half") and a few vague
quantities with documented values:

=====================  ======
phrase                 value
=====================  ======
a couple (of), couple  2
a pair (of)            2
a few, few             3
several                3
a dozen, dozen         12
half a dozen           6
=====================  ======

Ranges ("2-3", "2 to 3", "two or three") give the midpoint. A comma followed
by exactly three digits is a thousands separator ("1,200" = 1200); followed by
one or two digits it is a decimal comma ("1,5" = 1.5). Leading hedges such as
"about", "around", "roughly", "approx." and a trailing "of" are ignored.

Negative numbers are not quantities and give ``None``, as does anything that
cannot be read. The function never raises.
"""

from __future__ import annotations

import math
import re
import unicodedata
from fractions import Fraction

__all__ = ["parse_number", "NUMBER_WORDS", "VAGUE_QUANTITIES"]

_SMALL: dict[str, int] = {
    "zero": 0, "nil": 0, "none": 0, "no": 0,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}
_TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES: dict[str, int] = {"hundred": 100, "thousand": 1000}

#: Number words understood on their own (word -> value).
NUMBER_WORDS: dict[str, int] = {**_SMALL, **_TENS, **_SCALES, "dozen": 12}

#: Vague quantity phrases and the value used for them.
VAGUE_QUANTITIES: dict[str, float] = {
    "a couple": 2.0,
    "couple": 2.0,
    "a pair": 2.0,
    "pair": 2.0,
    "a few": 3.0,
    "few": 3.0,
    "several": 3.0,
    "a dozen": 12.0,
    "dozen": 12.0,
    "half a dozen": 6.0,
    "half dozen": 6.0,
    "a half dozen": 6.0,
}

# Denominator words (singular and plural) -> denominator.
_DENOMINATORS: dict[str, int] = {
    "half": 2, "halves": 2, "halfs": 2,
    "third": 3, "thirds": 3,
    "quarter": 4, "quarters": 4, "fourth": 4, "fourths": 4,
    "fifth": 5, "fifths": 5,
    "sixth": 6, "sixths": 6,
    "eighth": 8, "eighths": 8,
}

_HEDGES = (
    "about", "around", "approximately", "approx", "approx.", "roughly", "almost",
    "nearly", "maybe", "like", "~", "circa", "ca.", "just", "only", "over", "under",
)

_DIGITS = re.compile(r"^\d+(?:\.\d+)?$|^\.\d+$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^\d+,\d{1,2}$")
_FRACTION = re.compile(r"^(\d+)\s*/\s*(\d+)$")
_MIXED = re.compile(r"^(\d+)\s+(\d+)\s*/\s*(\d+)$")
_RANGE = re.compile(r"^(.+?)\s*(?:-|–|—|\bto\b|\bor\b)\s*(.+)$")
_SPACE = re.compile(r"\s+")


def _replace_vulgar_fractions(text: str) -> str:
    """Replace characters such as '½' by ' 1/2' (keeping '1½' as '1 1/2')."""
    out: list[str] = []
    for char in text:
        if unicodedata.category(char) == "No":
            try:
                value = Fraction(unicodedata.numeric(char)).limit_denominator(16)
            except (TypeError, ValueError):
                out.append(char)
                continue
            if value.denominator == 1:
                out.append(str(value.numerator))
            else:
                out.append(f" {value.numerator}/{value.denominator}")
        elif char == "\u2044":  # fraction slash
            out.append("/")
        else:
            out.append(char)
    return "".join(out)


def _normalise(text: str) -> str:
    text = _replace_vulgar_fractions(text)
    text = unicodedata.normalize("NFKC", text).lower().strip()
    text = _SPACE.sub(" ", text)
    changed = True
    while changed and text:
        changed = False
        for hedge in _HEDGES:
            if text.startswith(hedge + " ") or text == hedge:
                text = text[len(hedge):].strip()
                changed = True
        for tail in (" of a", " of an", " of", "."):
            if text.endswith(tail) and len(text) > len(tail):
                text = text[: -len(tail)].strip()
                changed = True
        if text == "of":
            text = ""
    return text


def _parse_digits(text: str) -> float | None:
    if _DIGITS.match(text):
        return float(text)
    if _THOUSANDS.match(text):
        return float(text.replace(",", ""))
    if _DECIMAL_COMMA.match(text):
        return float(text.replace(",", "."))
    match = _FRACTION.match(text)
    if match:
        den = int(match.group(2))
        return int(match.group(1)) / den if den else None
    match = _MIXED.match(text)
    if match:
        den = int(match.group(3))
        return int(match.group(1)) + int(match.group(2)) / den if den else None
    return None


def _parse_integer_words(tokens: list[str]) -> float | None:
    """Read 'twenty five', 'one hundred and twenty', 'two thousand'."""
    if not tokens:
        return None
    total: float = 0
    current: float = 0
    seen = False
    previous_kind = ""
    for index, token in enumerate(tokens):
        if token == "and":
            if not seen or index == len(tokens) - 1:
                return None
            continue
        if token in _SMALL:
            if previous_kind in ("small",):
                return None
            current += _SMALL[token]
            previous_kind = "small"
        elif token in _TENS:
            if previous_kind in ("small", "tens"):
                return None
            current += _TENS[token]
            previous_kind = "tens"
        elif token == "hundred":
            current = (current or 1) * 100
            previous_kind = "scale"
        elif token == "thousand":
            total += (current or 1) * 1000
            current = 0
            previous_kind = "scale"
        else:
            number = _parse_digits(token)
            if number is None or seen:
                return None
            current += number
            previous_kind = "small"
        seen = True
    return float(total + current) if seen else None


def _parse_count(tokens: list[str]) -> float | None:
    """A count before a fraction or 'dozen' word: 'a', 'an', 'one', '2', ..."""
    if not tokens:
        return 1.0
    if tokens in (["a"], ["an"]):
        return 1.0
    joined = " ".join(tokens)
    digits = _parse_digits(joined)
    if digits is not None:
        return digits
    return _parse_integer_words(tokens)


def _parse_simple(text: str) -> float | None:
    """Parse one quantity without 'and'-joined parts or ranges."""
    if not text:
        return None
    if text in VAGUE_QUANTITIES:
        return VAGUE_QUANTITIES[text]
    digits = _parse_digits(text)
    if digits is not None:
        return digits
    if text in ("a", "an"):
        return 1.0
    tokens = text.replace("-", " ").split(" ")
    # "half a", "a quarter", "three quarters of a" (trailing article belongs to the noun)
    while len(tokens) > 1 and tokens[-1] in ("a", "an"):
        tokens = tokens[:-1]
    last = tokens[-1]
    if last in _DENOMINATORS:
        count = _parse_count(tokens[:-1])
        if count is None:
            return None
        return count / _DENOMINATORS[last]
    if last == "dozen" or last == "dozens":
        head = tokens[:-1]
        if head and head[-1] in ("a", "an") and len(head) > 1:
            head = head[:-1]  # "half a dozen"
        if len(head) == 1 and head[0] in _DENOMINATORS:
            return 12.0 / _DENOMINATORS[head[0]]
        count = _parse_count(head)
        return None if count is None else count * 12
    if tokens[0] in ("a", "an") and len(tokens) > 1 and tokens[1] in ("hundred", "thousand"):
        tokens = ["one"] + tokens[1:]
    return _parse_integer_words(tokens)


def _parse_sum(text: str) -> float | None:
    """Parse 'one and a half', '2 and 1/2', '1 1/2', 'one hundred and ten'."""
    whole = _parse_simple(text)
    if whole is not None:
        return whole
    for joiner in (" and ", " & ", " + "):
        if joiner in text:
            left, right = text.rsplit(joiner, 1)
            left_value = _parse_simple(left.strip())
            right_value = _parse_simple(right.strip())
            if left_value is not None and right_value is not None and right_value < 1:
                return left_value + right_value
    parts = text.split(" ")
    if len(parts) == 2:
        left_value = _parse_simple(parts[0])
        right_value = _parse_simple(parts[1])
        if (
            left_value is not None
            and right_value is not None
            and "/" in parts[1]
            and right_value < 1
        ):
            return left_value + right_value
    return None


def parse_number(text: object) -> float | None:
    """Read an amount written by a person and return it as a float.

    Returns ``None`` for anything that is not a non-negative quantity
    (including ``None``, empty strings, negative numbers and junk); never raises.

    >>> parse_number("1,200")
    1200.0
    >>> parse_number("one and a half")
    1.5
    >>> parse_number("½")
    0.5
    >>> parse_number("a couple of")
    2.0
    >>> parse_number("banana") is None
    True
    """
    try:
        if isinstance(text, bool):
            return None
        if isinstance(text, int | float):
            given = float(text)
            return given if math.isfinite(given) and given >= 0 else None
        if not isinstance(text, str) or len(text) > 200:
            return None
        cleaned = _normalise(text)
        if not cleaned:
            return None
        value = _parse_sum(cleaned)
        if value is None:
            match = _RANGE.match(cleaned)
            if match:
                low = _parse_sum(match.group(1).strip())
                high = _parse_sum(match.group(2).strip())
                if low is not None and high is not None and low <= high:
                    value = (low + high) / 2
        if value is None or not math.isfinite(value) or value < 0:
            return None
        return float(value)
    except Exception:  # noqa: BLE001 - the contract is "never raises"
        return None
