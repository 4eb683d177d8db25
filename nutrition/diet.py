"""Diet restrictions: which foods a person can be offered.

A :class:`Diet` says what a person avoids: vegan, vegetarian, a nut allergy
(tree nuts and peanuts), lactose-free, gluten-free (celiac disease), no
fortified foods, and dislikes (food keys or categories). :meth:`Diet.allows`
checks one food entry of ``foods.json``.

What a food contains comes from ``contains`` in ``data/food_selection.yml``
(regenerated into ``foods.json``). Only foods that say what they contain can
pass a restriction: a food without that information is never offered to
someone with a restricted diet. The tags are conservative: all dairy counts as
containing lactose, and oats as containing gluten (see the selection file).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import FoodNotFound, NutritionError
from .foods import find_food, food_categories

#: What each restriction avoids (values of ``contains`` in the food table).
AVOIDS: dict[str, frozenset[str]] = {
    "vegan": frozenset({"meat", "fish", "dairy", "egg", "honey"}),
    "vegetarian": frozenset({"meat", "fish"}),
    "nut_allergy": frozenset({"tree_nuts", "peanuts"}),
    "lactose_free": frozenset({"dairy"}),
    "gluten_free": frozenset({"gluten"}),
}


@dataclass(frozen=True)
class Diet:
    """What a person avoids. ``dislikes`` holds food keys and category names."""

    vegan: bool = False
    vegetarian: bool = False
    nut_allergy: bool = False
    lactose_free: bool = False
    gluten_free: bool = False
    no_fortified: bool = False
    dislikes: frozenset[str] = field(default_factory=frozenset)

    def restrictions(self) -> tuple[str, ...]:
        """The restrictions that are on, in a fixed order (``no_fortified`` last)."""
        names = [name for name in AVOIDS if getattr(self, name)]
        if self.no_fortified:
            names.append("no_fortified")
        return tuple(names)

    def avoided(self) -> frozenset[str]:
        """Every ``contains`` value this diet avoids."""
        out: set[str] = set()
        for name, avoided in AVOIDS.items():
            if getattr(self, name):
                out |= avoided
        return frozenset(out)

    def allows(self, info: Mapping[str, Any]) -> bool:
        """True when the food (an entry of ``foods.json``) fits this diet."""
        if info["key"] in self.dislikes or info["category"] in self.dislikes:
            return False
        if self.no_fortified and info.get("fortified", False):
            return False
        avoided = self.avoided()
        if not avoided:
            return True
        contains = info.get("contains")
        if contains is None:  # unknown: never offered under a restriction
            return False
        return not avoided.intersection(contains)


def make_diet(
    restrictions: Iterable[str] = (), dislikes: Iterable[str] = ()
) -> Diet:
    """A :class:`Diet` from restriction names and disliked foods or categories.

    Restriction names are ``vegan``, ``vegetarian``, ``nut_allergy``,
    ``lactose_free``, ``gluten_free`` (``celiac`` is taken as gluten-free) and
    ``no_fortified``. A dislike may be a food key, a category or a food name
    ("pumkin seeds"); names are matched like any food mention. Raises
    :class:`NutritionError` for an unknown restriction and
    :class:`FoodNotFound` for a dislike that names no food or category.
    """
    flags: dict[str, bool] = {}
    for name in restrictions:
        cleaned = str(name).strip().lower().replace("-", "_").replace(" ", "_")
        cleaned = {"celiac": "gluten_free", "coeliac": "gluten_free",
                   "nut_free": "nut_allergy", "dairy_free": "lactose_free"}.get(cleaned, cleaned)
        if cleaned not in AVOIDS and cleaned != "no_fortified":
            raise NutritionError(
                f"I don't know the diet '{name}'. I can plan for: vegan, vegetarian, "
                "nut allergy, lactose-free, gluten-free (celiac) and no fortified foods."
            )
        flags[cleaned] = True
    keys: set[str] = set()
    categories = set(food_categories())
    for dislike in dislikes:
        if not isinstance(dislike, str) or not dislike.strip():
            raise FoodNotFound("Please tell me which food you don't like.", str(dislike))
        text = dislike.strip()
        keys.add(text if text in categories else find_food(text).key)
    return Diet(**flags, dislikes=frozenset(keys))
