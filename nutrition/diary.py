"""A day's food diary: total magnesium, share of a target, foods to close the gap."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .data_files import load
from .errors import InvalidAmount, NutritionError
from .foods import PortionMagnesium, RankedFood, foods_by_category, magnesium_in_portion

DiaryItem = str | Mapping[str, Any] | Sequence[Any]


@dataclass(frozen=True)
class GapSuggestion:
    """A food that would close the remaining gap, and how many servings it takes."""

    key: str
    name: str
    servings_needed: int
    magnesium_per_serving_mg: float
    serving: str


@dataclass(frozen=True)
class DiaryTotal:
    """Result of :func:`diary_total`."""

    total_mg: float
    items: tuple[PortionMagnesium, ...]
    target_mg: float
    target_is_daily_value: bool
    percent_of_target: float
    remaining_mg: float
    suggestions: tuple[GapSuggestion, ...]


def _parse_item(item: DiaryItem) -> tuple[Any, Any, Any]:
    if isinstance(item, str):
        return item, None, None
    if isinstance(item, Mapping):
        if "food" not in item:
            raise NutritionError("Each diary entry needs a food.")
        return item["food"], item.get("amount"), item.get("unit")
    if isinstance(item, Sequence) and 1 <= len(item) <= 3:
        padded = list(item) + [None] * (3 - len(item))
        return padded[0], padded[1], padded[2]
    raise NutritionError("I couldn't read one of the diary entries.")


@lru_cache(maxsize=1)
def _suggestable_foods() -> tuple[RankedFood, ...]:
    """Foods that may be suggested, ranked; worked out once (the table doesn't change while
    the process runs)."""
    keys = {food["key"] for food in load("foods.json")["foods"] if food.get("suggest", True)}
    return tuple(entry for entry in foods_by_category(None, limit=None)
                 if entry.magnesium_mg > 0 and entry.key in keys)


def gap_suggestions(remaining_mg: float, count: int = 3) -> list[GapSuggestion]:
    """Foods that close ``remaining_mg`` in the fewest default servings.

    Ties are broken by more magnesium per serving, then by key. Foods marked
    ``suggest: false`` in the selection (dry ingredients, spices) are skipped.
    """
    if remaining_mg <= 0:
        return []
    suggestions = []
    for entry in _suggestable_foods():
        needed = math.ceil(round(remaining_mg / entry.magnesium_mg, 6))
        suggestions.append(
            GapSuggestion(entry.key, entry.name, needed, entry.magnesium_mg, entry.serving)
        )
    suggestions.sort(key=lambda s: (s.servings_needed, -s.magnesium_per_serving_mg, s.key))
    return suggestions[:count]


def diary_total(items: Iterable[DiaryItem], target_mg: float | None = None) -> DiaryTotal:
    """Add up the magnesium of diary items and compare with a target.

    ``items`` holds food mentions as strings ("banana"), mappings
    (``{"food": "almonds", "amount": 1, "unit": "oz"}``) or tuples
    (``("almonds", 1, "oz")``). Without ``target_mg`` the label Daily Value
    (420 mg) is used and ``target_is_daily_value`` is set.

    Raises :class:`FoodNotFound` for an unknown food and :class:`InvalidAmount`
    for a bad amount or a target that is not a positive number.
    """
    target_is_dv = target_mg is None
    if target_is_dv:
        target = float(load("reference_intakes.yml")["daily_value"]["magnesium_mg"])
    else:
        if isinstance(target_mg, bool) or not isinstance(target_mg, int | float):
            raise InvalidAmount("The magnesium target must be a number of milligrams.")
        if not math.isfinite(target_mg) or target_mg <= 0:
            raise InvalidAmount("The magnesium target must be more than 0 mg.")
        target = float(target_mg)
    if isinstance(items, str | Mapping):
        items = [items]
    results = []
    for item in items:
        food, amount, unit = _parse_item(item)
        results.append(magnesium_in_portion(food, amount, unit))
    total = round(sum(result.magnesium_mg for result in results), 1)
    remaining = round(max(0.0, target - total), 1)
    return DiaryTotal(
        total_mg=total,
        items=tuple(results),
        target_mg=target,
        target_is_daily_value=target_is_dv,
        percent_of_target=round(100 * total / target, 1),
        remaining_mg=remaining,
        suggestions=tuple(gap_suggestions(remaining)),
    )
