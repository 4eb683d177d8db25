"""Reading the rule-based extractor's entities (nlu/) from a tracker, for the computed answers.

The extractor (``nlu.normalise``) adds normalised entities to every message: ``food`` (food
key), ``amount`` (number + canonical ``unit``; a nutrient dose also has a ``role``; an amount
that measures the food right after it shares that food's ``group``), ``age`` (number +
``"years"``/``"months"``), ``sex``, ``life_stage``, ``supplement_form``, ``medication``.
Button payloads (``/inform_profile{"sex": "female"}``) give entities without offsets.

This module only *reads* entities and the text around them; it does no nutrition arithmetic.
It also finds what the extractor left out, so that nothing the user said is silently dropped:
numbers it could not read ("1e309", "-5", "NaN") and food-like words it did not recognise
("dragonfruit"), which the actions then name back to the user.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker

from nutrition.nutrients import known_nutrient
from nutrition.quantities import NUMBER_WORDS, parse_number

Entity = dict[str, Any]

MASS_DOSE_UNITS = ("mg", "g", "kg")


def latest_entities(tracker: Tracker) -> list[Entity]:
    """Entities of the latest user message, in text order (payload entities last)."""
    found = (tracker.latest_message or {}).get("entities") or []
    entities = [e for e in found if isinstance(e, dict)]
    return sorted(entities, key=lambda e: (e.get("start") is None, e.get("start") or 0))


def latest_text(tracker: Tracker) -> str:
    text = (tracker.latest_message or {}).get("text")
    return text if isinstance(text, str) else ""


def latest_intent(tracker: Tracker) -> str | None:
    intent = (tracker.latest_message or {}).get("intent") or {}
    return intent.get("name") if isinstance(intent, dict) else None


def of_type(entities: Iterable[Entity], kind: str) -> list[Entity]:
    return [e for e in entities if e.get("entity") == kind]


def first_value(entities: Iterable[Entity], kind: str) -> Any:
    for entity in of_type(entities, kind):
        return entity.get("value")
    return None


def nutrients_named(entities: Iterable[Entity]) -> tuple[str, ...]:
    """The nutrients a message names (``nutrient`` entities), each once, in text order."""
    found = (known_nutrient(e.get("value")) for e in of_type(entities, "nutrient"))
    return tuple(dict.fromkeys(n for n in found if n is not None))


def finite_number(value: Any) -> float | None:
    """``value`` as a finite float, or ``None`` (strings such as "54" are read too)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


# ------------------------------------------------------------------------------ age


@dataclass(frozen=True)
class AgeMention:
    """An age as the user gave it: ``value`` in ``unit`` ("years" or "months")."""

    raw: Any
    value: float | None  # None: not a finite number
    unit: str
    approximate: bool = False

    @property
    def years(self) -> float | None:
        if self.value is None:
            return None
        return self.value / 12 if self.unit == "months" else self.value


def age_mention(entities: Iterable[Entity]) -> AgeMention | None:
    for entity in of_type(entities, "age"):
        unit = "months" if entity.get("unit") == "months" else "years"
        return AgeMention(
            raw=entity.get("value"),
            value=finite_number(entity.get("value")),
            unit=unit,
            approximate=bool(entity.get("approximate")),
        )
    return None


# ------------------------------------------------------------- numbers the extractor could not read

_NUMBERISH = re.compile(
    r"(?<![\w.])[-\u2212+]?(?:\d[\d,]*(?:\.\d+)?(?:e[-+]?\d+)?|\.\d+|nan|inf(?:inity)?)(?![\w])",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*", re.IGNORECASE)
_NUMBER_WORD_SET = frozenset(w for w in NUMBER_WORDS if w not in ("no", "none", "nil"))


@dataclass(frozen=True)
class NumberMention:
    """A number written in the text: ``value`` is ``None`` when it can't be a quantity."""

    text: str
    start: int
    end: int
    value: float | None
    negative: bool


def _covered(start: int, end: int, entities: Iterable[Entity]) -> bool:
    for entity in entities:
        e_start, e_end = entity.get("start"), entity.get("end")
        if isinstance(e_start, int) and isinstance(e_end, int) and e_start < end and start < e_end:
            return True
    return False


def numbers_in_text(text: str, entities: Iterable[Entity] = ()) -> list[NumberMention]:
    """Numbers in ``text`` that no entity covers: digits ("130", "-5", "1e309", "NaN") and
    runs of number words ("two hundred"). ``value`` is ``None`` for unreadable or
    non-finite numbers; ``negative`` flags a leading minus sign."""
    entities = list(entities)
    found: list[NumberMention] = []
    for match in _NUMBERISH.finditer(text):
        if _covered(match.start(), match.end(), entities):
            continue
        raw = match.group(0)
        before = text[: match.start()].rstrip().lower()
        negative = raw[0] in "-\u2212" or before.endswith(("minus", "negative"))
        body = raw.lstrip("-\u2212+")
        value: float | None
        try:
            value = float(body.replace(",", "")) if "e" in body.lower() or body.lower() in (
                "nan", "inf", "infinity") else parse_number(body)
        except ValueError:
            value = None
        if value is not None and not math.isfinite(value):
            value = None
        found.append(NumberMention(raw, match.start(), match.end(), value, negative))
    # runs of number words: "two hundred", "sixty three", "one hundred and five"
    words = list(_WORD.finditer(text))
    index = 0
    while index < len(words):
        parts = words[index].group(0).lower().split("-")
        if not all(p in _NUMBER_WORD_SET for p in parts):
            index += 1
            continue
        end = index
        while end + 1 < len(words):
            nxt = words[end + 1].group(0).lower()
            if all(p in _NUMBER_WORD_SET for p in nxt.split("-")) or (
                nxt == "and" and end + 2 < len(words)
                and words[end + 2].group(0).lower().split("-")[0] in _NUMBER_WORD_SET
            ):
                end += 1
            else:
                break
        start_char, end_char = words[index].start(), words[end].end()
        if not _covered(start_char, end_char, entities):
            raw = text[start_char:end_char]
            before = text[:start_char].rstrip().lower()
            negative = before.endswith(("minus", "negative", "-"))
            found.append(NumberMention(raw, start_char, end_char, parse_number(raw), negative))
        index = end + 1
    return sorted(found, key=lambda n: n.start)


#: A time unit right after the number of a bare answer to "how old are you?" ("3 months").
_AGE_UNIT = re.compile(r"\s*(?:(months?|mos?|mths?)|(weeks?|wks?)|(years?|yrs?))\b", re.IGNORECASE)
WEEKS_PER_MONTH = 52.1775 / 12  # 365.2425 days a year / 7


def age_from_text(text: str, entities: Iterable[Entity] = ()) -> AgeMention | NumberMention | None:
    """The first number in a reply to "how old are you?" that the extractor did not read.

    A unit written after it counts: "3 months" is a baby of 3 months (an :class:`AgeMention`
    in months; weeks are turned into months), never 3 years. A bare number is years."""
    numbers = numbers_in_text(text, entities)
    if not numbers:
        return None
    first = numbers[0]
    unit = _AGE_UNIT.match(text, first.end)
    if unit is None or first.negative or first.value is None or unit.group(3):
        return first
    if unit.group(1):
        return AgeMention(raw=first.text, value=first.value, unit="months")
    return AgeMention(raw=first.text, value=first.value / WEEKS_PER_MONTH, unit="months")


# ------------------------------------------------------------------------------ foods


@dataclass(frozen=True)
class FoodMention:
    """A recognised food and the amount that measures it (if any)."""

    food: str
    amount: Any = None  # the entity's value: normally a float
    unit: str | None = None
    start: int | None = None
    end: int | None = None
    text: str = ""


def _is_dose(entity: Entity) -> bool:
    return bool(entity.get("role"))


def food_mentions(entities: list[Entity], text: str = "") -> list[FoodMention]:
    """Foods with their amounts, in text order.

    An amount pairs with a food when the extractor gave both the same ``group`` ("2 slices
    of bread"); an ungrouped amount right after an ungrouped food ("almonds, 1 oz") pairs
    with that food when nothing but punctuation lies between them. Nutrient doses (amounts
    with a ``role``) never measure a food.
    """
    by_group: dict[str, Entity] = {}
    for entity in of_type(entities, "amount"):
        if entity.get("group") is not None and not _is_dose(entity):
            by_group[str(entity["group"])] = entity
    mentions: list[FoodMention] = []
    used_amounts: set[int] = set()
    ordered = [e for e in entities if e.get("entity") in ("food", "amount")]
    for position, entity in enumerate(ordered):
        if entity.get("entity") != "food":
            continue
        amount = None
        group = entity.get("group")
        if group is not None and str(group) in by_group:
            amount = by_group[str(group)]
        elif position + 1 < len(ordered):
            nxt = ordered[position + 1]
            if (
                nxt.get("entity") == "amount"
                and nxt.get("group") is None
                and not _is_dose(nxt)
                and _only_punctuation_between(text, entity, nxt)
            ):
                amount = nxt
        if amount is not None:
            used_amounts.add(id(amount))
        start, end = entity.get("start"), entity.get("end")
        span = text[start:end] if isinstance(start, int) and isinstance(end, int) else ""
        mentions.append(
            FoodMention(
                food=str(entity.get("value")),
                amount=None if amount is None else amount.get("value"),
                unit=None if amount is None else amount.get("unit"),
                start=start,
                end=end,
                text=span,
            )
        )
    return mentions


def _only_punctuation_between(text: str, left: Entity, right: Entity) -> bool:
    start, end = left.get("end"), right.get("start")
    if not text or not isinstance(start, int) or not isinstance(end, int) or end < start:
        return False
    return not re.search(r"\w", text[start:end])


def dose(entities: Iterable[Entity], role: str) -> Entity | None:
    """The first mass amount with ``role`` ("calcium", "magnesium")."""
    for entity in of_type(entities, "amount"):
        if entity.get("role") == role:
            return entity
    return None


def mass_amounts(entities: Iterable[Entity]) -> list[Entity]:
    return [e for e in of_type(entities, "amount") if e.get("unit") in MASS_DOSE_UNITS]


# ----------------------------------------------------------------- what the extractor left out

# Words that carry no food: diary talk, question words, quantities, times of day.
_FILLER = frozenset(
    """
    a an the and or with without plus then also some any of for to in on at by from my our
    your his her their this that these those it its is are was were be been being am do does
    did done have has had having i im i'm me we you he she they also too just only about
    around approx approximately roughly nearly almost maybe like really quite very so well
    how much many what whats what's which who when where why is there any
    ate eat eaten eating eats had have drank drink drunk drinking consumed consume snacked
    snack snacks meal meals food foods diary log track total add up count counted tally
    breakfast brunch lunch dinner supper tea dessert today todays today's yesterday tonight
    morning afternoon evening night day daily so far this last
    magnesium mg calcium mineral minerals content amount amounts level levels contain
    contains containing get got give gives gave provide provides source
    enough good high rich lots lot little bit bits piece pieces portion portions serving
    servings half quarter third whole couple few several handful handfuls
    cup cups glass glasses bowl bowls slice slices spoon spoonful tbsp tsp oz ounce ounces
    gram grams g kg lb pound pounds ml litre liter small medium large big
    please thanks thank tell me let know want need check
    here's heres here it's thats that's total
    not no yes ok okay would could should can will get per each every week usually
    normally typically compared versus vs than more most less best top list which foods
    cooked raw boiled baked roasted steamed fried grilled fresh frozen canned dried plain
    homemade organic sliced chopped small large serving
    """.split()
)
_SPLIT = re.compile(r"[,;:.!?()\[\]\n]+|\s+(?:and|with|plus|then|&|\+|or)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class LeftOver:
    """A piece of text the extractor tagged nothing in: maybe a food it doesn't know."""

    text: str
    start: int
    end: int


def unrecognised_chunks(text: str, entities: Iterable[Entity]) -> list[LeftOver]:
    """Pieces of ``text`` outside every entity that still hold content words.

    The text is cut at entities, punctuation and joining words ("and", "with"); filler
    (diary talk, quantity words, question words) is trimmed from each piece. What remains,
    e.g. "dragonfruit" in "a banana and a dragonfruit", is returned for the actions to look
    up and name back. Numbers are left to :func:`numbers_in_text`.
    """
    spans = sorted(
        (e["start"], e["end"]) for e in entities
        if isinstance(e.get("start"), int) and isinstance(e.get("end"), int)
    )
    # the text between entities
    gaps: list[tuple[int, int]] = []
    cursor = 0
    for start, end in spans:
        if start > cursor:
            gaps.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < len(text):
        gaps.append((cursor, len(text)))
    chunks: list[LeftOver] = []
    for gap_start, gap_end in gaps:
        segment = text[gap_start:gap_end]
        pieces = _SPLIT.split(segment)
        offset = 0
        for piece in pieces:
            if piece is None:
                continue
            local = segment.find(piece, offset)
            if local < 0:
                continue
            offset = local + len(piece)
            words = list(re.finditer(r"[A-Za-z][A-Za-z'\u2019-]*", piece))
            content = [w for w in words if w.group(0).lower().replace("\u2019", "'") not in _FILLER]
            if not content or any(ch.isdigit() for ch in piece):
                continue
            first, last = content[0], content[-1]
            start = gap_start + local + first.start()
            end = gap_start + local + last.end()
            chunks.append(LeftOver(text[start:end], start, end))
    return chunks


# ------------------------------------------------------------------------------ food categories

# Words people use for the food table's categories (``nutrition.foods``), checked on
# the singular key form of the text; longer phrases first.
CATEGORY_WORDS: tuple[tuple[str, str], ...] = (
    ("whole grain", "whole_grains"),
    ("wholegrain", "whole_grains"),
    ("whole wheat", "whole_grains"),
    ("nut butter", "nuts_seeds"),
    ("leafy green", "greens_vegetables"),
    ("breakfast cereal", "grains_breads"),
    ("shell fish", "fish_seafood"),
    ("nut", "nuts_seeds"),
    ("seed", "nuts_seeds"),
    ("vegetable", "greens_vegetables"),
    ("veg", "greens_vegetables"),
    ("veggie", "greens_vegetables"),
    ("green", "greens_vegetables"),
    ("legume", "legumes"),
    ("bean", "legumes"),
    ("lentil", "legumes"),
    ("pulse", "legumes"),
    ("grain", "whole_grains"),
    ("bread", "grains_breads"),
    ("cereal", "grains_breads"),
    ("fish", "fish_seafood"),
    ("seafood", "fish_seafood"),
    ("shellfish", "fish_seafood"),
    ("meat", "meat_poultry"),
    ("poultry", "meat_poultry"),
    ("dairy", "dairy_eggs"),
    ("egg", "dairy_eggs"),
    ("fruit", "fruit"),
    ("drink", "drinks"),
    ("beverage", "drinks"),
    ("snack", "other"),
)


def food_category(text: str, categories: Iterable[str]) -> str | None:
    """The food-table category a question names ("which nuts ..." -> "nuts_seeds")."""
    from nutrition.text import key_form

    known = set(categories)
    words = f" {key_form(text)} "
    for phrase, category in CATEGORY_WORDS:
        if category in known and f" {phrase} " in words:
            return category
    return None
