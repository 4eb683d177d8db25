"""A day's food diary: total magnesium, share of a target, foods to close a gap
(magnesium or calcium, honouring a diet)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .data_files import load
from .diet import Diet
from .errors import InvalidAmount, NutritionError
from .foods import NUTRIENTS, PortionMagnesium, magnesium_in_portion
from .intake import daily_value_mg, recommended_intake
from .portions import default_grams
from .ratio import calcium_to_magnesium

DiaryItem = str | Mapping[str, Any] | Sequence[Any]


@dataclass(frozen=True)
class GapSuggestion:
    """A food that would close the remaining gap, and how many servings it takes.

    ``servings_needed`` counts default servings for ``nutrient`` (magnesium
    unless asked otherwise); the per-serving figures of both minerals are given.
    """

    key: str
    name: str
    servings_needed: int
    magnesium_per_serving_mg: float
    serving: str
    nutrient: str = "magnesium"
    calcium_per_serving_mg: float = 0.0


@dataclass(frozen=True)
class GapPlan:
    """Result of :func:`close_gap`."""

    nutrient: str
    target_mg: float
    eaten_mg: float
    remaining_mg: float
    max_servings: int  # most servings of one food a suggestion may take
    suggestions: tuple[GapSuggestion, ...]  # empty when the gap is closed, or too big
    closed: bool  # nothing remains
    too_big_for_one_food: bool  # no allowed food closes it within max_servings
    restrictions: tuple[str, ...]


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
    calcium_mg: float = 0.0  # the calcium of the same foods (mg)
    # calcium divided by magnesium (None: no magnesium); nutrition/ratio.py
    calcium_to_magnesium: float | None = None


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


def _per_serving(info: Mapping[str, Any], nutrient: str) -> float:
    grams, _ = default_grams(dict(info))
    field_name = NUTRIENTS[nutrient][0]
    return float(info[field_name] or 0.0) * grams / 100


@dataclass(frozen=True)
class _Suggestable:
    info: Mapping[str, Any]
    magnesium_mg: float  # per default serving
    calcium_mg: float
    serving: str


@lru_cache(maxsize=1)
def _suggestable_foods() -> tuple[_Suggestable, ...]:
    """Foods that may be suggested, with their per-serving figures; worked out once per
    process (the table doesn't change while it runs), so a long diary stays fast."""
    foods = []
    for info in load("foods.json")["foods"]:
        if not info.get("suggest", True):
            continue
        _, words = default_grams(info)
        foods.append(_Suggestable(info, _per_serving(info, "magnesium"),
                                  _per_serving(info, "calcium"), words))
    return tuple(foods)


def gap_suggestions(
    remaining_mg: float,
    count: int = 3,
    *,
    nutrient: str = "magnesium",
    diet: Diet | None = None,
    max_servings: int | None = None,
) -> list[GapSuggestion]:
    """Foods that close ``remaining_mg`` of ``nutrient`` in the fewest default servings.

    ``nutrient`` is ``"magnesium"`` or ``"calcium"``. Ties are broken by more of
    the nutrient per serving, then by key. Foods marked ``suggest: false`` in the
    selection (dry ingredients, spices) are skipped, and so are foods the
    ``diet`` does not allow and foods needing more than ``max_servings``.
    """
    if nutrient not in ("magnesium", "calcium"):
        raise NutritionError(f"I can close a gap in magnesium or calcium, not in '{nutrient}'.")
    if remaining_mg <= 0:
        return []
    suggestions = []
    for food in _suggestable_foods():
        info = food.info
        if diet is not None and not diet.allows(info):
            continue
        per_serving = food.magnesium_mg if nutrient == "magnesium" else food.calcium_mg
        if per_serving <= 0:
            continue
        needed = max(1, math.ceil(round(remaining_mg / per_serving, 6)))
        if max_servings is not None and needed > max_servings:
            continue
        suggestions.append(
            GapSuggestion(
                key=info["key"],
                name=info["name"],
                servings_needed=needed,
                magnesium_per_serving_mg=food.magnesium_mg,
                serving=food.serving,
                nutrient=nutrient,
                calcium_per_serving_mg=food.calcium_mg,
            )
        )
    per = "magnesium_per_serving_mg" if nutrient == "magnesium" else "calcium_per_serving_mg"
    suggestions.sort(key=lambda s: (s.servings_needed, -getattr(s, per), s.key))
    return suggestions[:count]


def close_gap(
    nutrient: str,
    target_mg: float,
    eaten_mg: float = 0.0,
    diet: Diet | None = None,
    count: int = 3,
) -> GapPlan:
    """Foods that would close the gap between what was eaten and a target.

    Each suggestion is one food the ``diet`` allows, in at most
    ``max_servings_per_food`` default servings (``data/planning_limits.yml``).
    When no single food can close the gap within that, ``too_big_for_one_food``
    is set and no food is suggested (a day's menu, :mod:`menu`, spreads it).

    Raises :class:`InvalidAmount` for a target or intake that is not a number
    (target above 0, intake 0 or more) and :class:`NutritionError` for a nutrient
    other than magnesium or calcium.
    """
    for value, what in ((target_mg, "target"), (eaten_mg, "amount eaten")):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(
            value
        ):
            raise InvalidAmount(f"The {what} must be a number of milligrams.")
    if target_mg <= 0:
        raise InvalidAmount("The target must be more than 0 mg.")
    if eaten_mg < 0:
        raise InvalidAmount("The amount eaten can't be below 0 mg.")
    limit = int(load("planning_limits.yml")["max_servings_per_food"])
    remaining = max(0.0, float(target_mg) - float(eaten_mg))
    suggestions = gap_suggestions(
        remaining, count, nutrient=nutrient, diet=diet, max_servings=limit
    )
    return GapPlan(
        nutrient=nutrient,
        target_mg=float(target_mg),
        eaten_mg=float(eaten_mg),
        remaining_mg=remaining,
        max_servings=limit,
        suggestions=tuple(suggestions),
        closed=remaining <= 0,
        too_big_for_one_food=remaining > 0 and not suggestions,
        restrictions=diet.restrictions() if diet is not None else (),
    )


def magnesium_target(target_mg: float | None) -> tuple[float, bool]:
    """The target to compare a day with, and whether it is the label Daily Value (used when
    ``target_mg`` is None). Raises :class:`InvalidAmount` for a target that is not a
    positive number."""
    if target_mg is None:
        return daily_value_mg(), True
    if isinstance(target_mg, bool) or not isinstance(target_mg, int | float):
        raise InvalidAmount("The magnesium target must be a number of milligrams.")
    if not math.isfinite(target_mg) or target_mg <= 0:
        raise InvalidAmount("The magnesium target must be more than 0 mg.")
    return float(target_mg), False


@dataclass(frozen=True)
class TargetShare:
    """A total as a share of a target, and what is left of it (never below 0)."""

    percent_of_target: float
    remaining_mg: float


def target_share(total_mg: float, target_mg: float) -> TargetShare:
    """``total_mg`` against ``target_mg``, exact (a reply rounds each figure once, for
    reading): the one rule for the one-message total, a diary day and a week's average."""
    return TargetShare(percent_of_target=100 * total_mg / target_mg,
                       remaining_mg=max(0.0, target_mg - total_mg))


def diary_total(items: Iterable[DiaryItem], target_mg: float | None = None) -> DiaryTotal:
    """Add up the magnesium of diary items and compare with a target.

    ``items`` holds food mentions as strings ("banana"), mappings
    (``{"food": "almonds", "amount": 1, "unit": "oz"}``) or tuples
    (``("almonds", 1, "oz")``). Without ``target_mg`` the label Daily Value
    (420 mg) is used and ``target_is_daily_value`` is set.

    Raises :class:`FoodNotFound` for an unknown food and :class:`InvalidAmount`
    for a bad amount or a target that is not a positive number.
    """
    target, target_is_dv = magnesium_target(target_mg)
    if isinstance(items, str | Mapping):
        items = [items]
    results = []
    for item in items:
        food, amount, unit = _parse_item(item)
        results.append(magnesium_in_portion(food, amount, unit))
    # exact figures: a reply rounds each once, for reading
    total = sum(result.magnesium_mg for result in results)
    calcium = sum(result.calcium_mg for result in results)
    share = target_share(total, target)
    return DiaryTotal(
        total_mg=total,
        items=tuple(results),
        target_mg=target,
        target_is_daily_value=target_is_dv,
        percent_of_target=share.percent_of_target,
        remaining_mg=share.remaining_mg,
        suggestions=tuple(gap_suggestions(share.remaining_mg)),
        calcium_mg=calcium,
        calcium_to_magnesium=calcium_to_magnesium(calcium, total),
    )


def close_gap_for_person(
    nutrient: str,
    eaten_mg: float,
    age_years: float,
    sex: str | None = None,
    pregnant: bool = False,
    lactating: bool = False,
    diet: Diet | None = None,
    count: int = 3,
) -> GapPlan:
    """:func:`close_gap` with the person's RDA/AI as the target
    (:func:`intake.recommended_intake`; raises :class:`InvalidProfile` as it does)."""
    intake = recommended_intake(
        age_years=age_years, sex=sex, pregnant=pregnant, lactating=lactating
    )
    targets = {"magnesium": intake.magnesium_mg, "calcium": intake.calcium_mg}
    if nutrient not in targets:
        raise NutritionError(f"I can close a gap in magnesium or calcium, not in '{nutrient}'.")
    return close_gap(nutrient, float(targets[nutrient]), eaten_mg, diet, count)
