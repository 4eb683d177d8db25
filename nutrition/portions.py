"""Portion arithmetic shared by the food table generator and the calculations.

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

from collections.abc import Mapping, Sequence
from typing import Any

from .units import ML_PER_UNIT

Portion = Mapping[str, Any]


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
