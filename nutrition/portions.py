"""Portion arithmetic shared by the food table generator and the calculations.

:func:`portion_grams` turns an amount and unit of a food entry into grams
(the assumptions it makes are listed in :mod:`foods`); :func:`default_grams`
and :func:`quantity_words` word the portion used.

A food's ``portions`` are USDA household measures, each
``{"amount", "unit", "grams", "description"}`` with ``unit`` a canonical unit
name (see :mod:`units`) or ``None`` when the measure has no canonical unit
(e.g. "bunch" of a leafy vegetable whose size USDA describes in words).

Volume rule (one density per food, so that 1 cup is always exactly 16 tbsp):
the grams of any volume amount are computed from the food's *reference volume
portion*: the portion of the default serving if that is a volume measure,
otherwise the first USDA cup measure, otherwise the first other volume measure
(tbsp, tsp, fl oz, ...). Foods with no volume measure cannot be measured by
volume.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .units import GRAMS_PER_UNIT, ML_PER_UNIT

Portion = Mapping[str, Any]

#: Grams in a handful of nuts or seeds (1 oz; see :mod:`foods`).
HANDFUL_GRAMS = GRAMS_PER_UNIT["oz"]
HANDFUL_CATEGORIES = frozenset({"nuts_seeds"})

# Units that mean "a serving" when the food has no USDA measure of that name.
_SERVING_LIKE = frozenset({"serving", "bowl", "glass", "container", "scoop", "packet", "can"})
# Item-like units tried, in order, for a bare count ("2 bananas").
_ITEM_UNITS = ("medium", "piece", "large", "small", "slice", "biscuit", "bar",
               "link", "square", "extra_large", "fillet", "clove", "leaf", "stalk")


def reference_volume_index(
    portions: Sequence[Portion], preferred_index: int | None = None
) -> int | None:
    """Index of the portion that defines the food's density, or ``None``."""
    if preferred_index is not None and 0 <= preferred_index < len(portions):
        if portions[preferred_index].get("unit") in ML_PER_UNIT:
            return preferred_index
    for index, portion in enumerate(portions):
        if portion.get("unit") == "cup":
            return index
    for index, portion in enumerate(portions):
        if portion.get("unit") in ML_PER_UNIT:
            return index
    return None


def grams_per_ml(portion: Portion) -> float:
    """Density implied by one volume portion (grams per millilitre)."""
    density: float = portion["grams"] / (portion["amount"] * ML_PER_UNIT[portion["unit"]])
    return density


def volume_to_grams(
    portions: Sequence[Portion],
    amount: float,
    unit: str,
    preferred_index: int | None = None,
) -> tuple[float, int] | None:
    """Grams of ``amount`` ``unit`` (a volume unit) and the reference index used.

    Returns ``None`` when the food has no volume measure.
    """
    index = reference_volume_index(portions, preferred_index)
    if index is None:
        return None
    return amount * ML_PER_UNIT[unit] * grams_per_ml(portions[index]), index


def find_portion(portions: Sequence[Portion], unit: str, match: str = "") -> int | None:
    """Index of the first portion with ``unit`` whose description contains ``match``."""
    match = match.lower()
    for index, portion in enumerate(portions):
        if portion.get("unit") == unit and match in str(portion.get("description", "")).lower():
            return index
    return None


def scale_portion(portion: Portion, amount: float) -> float:
    """Grams of ``amount`` units of a portion that weighs ``grams`` per ``amount``."""
    grams: float = amount / portion["amount"] * portion["grams"]
    return grams


# Count nouns that lead USDA measure descriptions or unit names, with their plurals, so that
# "2 slice" reads "2 slices". Abbreviations (oz, g, tbsp) and adjectives (medium) stay as they are.
_PLURAL = {
    "bar": "bars", "biscuit": "biscuits", "bottle": "bottles", "can": "cans", "container":
    "containers", "cup": "cups", "egg": "eggs", "fillet": "fillets", "glass": "glasses",
    "handful": "handfuls", "leaf": "leaves", "link": "links", "packet": "packets", "patty":
    "patties", "piece": "pieces", "serving": "servings", "slice": "slices", "spear": "spears",
    "stalk": "stalks", "tablespoon": "tablespoons", "teaspoon": "teaspoons", "wedge": "wedges",
}


def quantity_words(qty: float, words: str) -> str:
    """``"2 slices"`` from ``(2, "slice")``; the first word is made plural when qty is not 1."""
    match = re.match(r"[a-z]+", words)
    if qty != 1 and match and match.group() in _PLURAL:
        words = _PLURAL[match.group()] + words[match.end():]
    return f"{qty:g} {words}"


def default_grams(info: dict[str, Any]) -> tuple[float, str]:
    default = info["default_portion"]
    words = quantity_words(default["amount"], default["unit"])
    if default.get("portion_index") is not None and default["basis"] == "usda_measure":
        words = quantity_words(default["amount"], default["description"])
    return default["grams"], words


def portion_grams(
    info: dict[str, Any], amount: float | None, unit: str | None
) -> tuple[float, str, bool, bool, str | None]:
    """Grams for an amount/unit of a food entry.

    Returns ``(grams, description, used_default, unit_fallback, assumption)``.
    ``unit`` must already be canonical or ``None``.
    """
    portions = info["portions"]
    default = info["default_portion"]
    whole = info.get("whole_portion_index")
    if unit is None:
        if amount is None:
            grams, words = default_grams(info)
            return grams, words, True, False, None
        if not info.get("count_unit") and whole is not None:
            # "a pomegranate": the USDA weight of one whole item
            portion = portions[whole]
            return (scale_portion(portion, amount), quantity_words(amount, portion["description"]),
                    False, False, None)
        count_unit = info.get("count_unit")
        for candidate in ([count_unit] if count_unit else []) + list(_ITEM_UNITS):
            index = find_portion(portions, candidate)
            if index is not None:
                portion = portions[index]
                return (
                    scale_portion(portion, amount),
                    quantity_words(amount, portion["description"]),
                    False,
                    False,
                    None,
                )
        grams, words = default_grams(info)
        return amount * grams, f"{amount:g} x {words}", True, False, "count_as_default_servings"
    qty = 1.0 if amount is None else amount
    if unit in GRAMS_PER_UNIT:
        return qty * GRAMS_PER_UNIT[unit], quantity_words(qty, unit), False, False, None
    if unit in ML_PER_UNIT:
        converted = volume_to_grams(portions, qty, unit, default.get("portion_index"))
        if converted is not None:
            grams, index = converted
            return grams, quantity_words(qty, unit), False, False, "volume_from_density"
        borrowed = info.get("volume_like")
        if borrowed is not None:
            # SR28 has no volume measure for this food: a similar food's density
            borrowed_grams = volume_to_grams([borrowed], qty, unit)
            if borrowed_grams is not None:
                return (borrowed_grams[0], quantity_words(qty, unit), False, False,
                        "volume_from_similar_food_density")
    elif unit == "piece" and whole is not None:
        portion = portions[whole]
        return (scale_portion(portion, qty), quantity_words(qty, portion["description"]),
                False, False, None)
    elif unit == "handful" and info["category"] in HANDFUL_CATEGORIES:
        return (qty * HANDFUL_GRAMS, quantity_words(qty, "handful"), False, False,
                "handful_is_1_oz")
    else:
        index = find_portion(portions, unit)
        if index is None and unit == "piece":
            for candidate in _ITEM_UNITS:
                index = find_portion(portions, candidate)
                if index is not None:
                    break
        if index is not None:
            portion = portions[index]
            return (
                scale_portion(portion, qty),
                quantity_words(qty, portion["description"]),
                False,
                False,
                None,
            )
        if unit in _SERVING_LIKE:
            grams, words = default_grams(info)
            return qty * grams, f"{qty:g} x {words}", True, False, "serving_is_default_portion"
    grams, words = default_grams(info)
    return grams, words, True, True, None
