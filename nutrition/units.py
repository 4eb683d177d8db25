"""Canonical unit names, the words people use for them, and fixed conversions.

This module is shared vocabulary: the spaCy pipeline builds entity patterns from
:data:`UNIT_SYNONYMS`, and the calculations convert with :data:`GRAMS_PER_UNIT`
and :data:`ML_PER_UNIT`. Keep the public names stable.

Conversion factors are the exact legal definitions:

* avoirdupois ounce = 28.349523125 g, pound = 453.59237 g;
* US customary cup = 236.5882365 ml, tablespoon = 1/16 cup, teaspoon = 1/3 tbsp,
  US fluid ounce = 1/8 cup, pint = 2 cups, quart = 4 cups.

Count units (slice, medium, handful, ...) have no fixed size; the food table
says how many grams one of them weighs for each food.
"""

from __future__ import annotations

import re
import unicodedata

# --- canonical units -------------------------------------------------------

#: Mass units and grams per one unit.
GRAMS_PER_UNIT: dict[str, float] = {
    "mcg": 0.000001,
    "mg": 0.001,
    "g": 1.0,
    "kg": 1000.0,
    "oz": 28.349523125,
    "lb": 453.59237,
}

_CUP_ML = 236.5882365

#: Volume units and millilitres per one unit (US customary measures).
ML_PER_UNIT: dict[str, float] = {
    "ml": 1.0,
    "l": 1000.0,
    "cup": _CUP_ML,
    "tbsp": _CUP_ML / 16,
    "tsp": _CUP_ML / 48,
    "fl_oz": _CUP_ML / 8,
    "pint": _CUP_ML * 2,
    "quart": _CUP_ML * 4,
}

#: Units whose size depends on the food (the food table gives grams per unit).
COUNT_UNITS: tuple[str, ...] = (
    "piece",
    "slice",
    "extra_small",
    "small",
    "medium",
    "large",
    "extra_large",
    "handful",
    "serving",
    "packet",
    "biscuit",
    "can",
    "bar",
    "square",
    "stalk",
    "stick",
    "spear",
    "leaf",
    "fillet",
    "container",
    "scoop",
    "glass",
    "bowl",
    "clove",
    "head",
    "bunch",
    "sprig",
    "link",
    "pat",
)

#: Units of a dose that are no mass: international units (vitamin D; how many micrograms
#: one IU is depends on the nutrient, see nutrition/nutrients.py).
DOSE_UNITS: tuple[str, ...] = ("iu",)

CANONICAL_UNITS: tuple[str, ...] = (
    tuple(GRAMS_PER_UNIT) + tuple(ML_PER_UNIT) + COUNT_UNITS + DOSE_UNITS
)

# --- surface forms ---------------------------------------------------------

# Canonical unit -> words people write for it (lower case; plurals included).
# Case-sensitive spellings such as "T" (tablespoon) and "t" (teaspoon) are
# deliberately left out: they are too ambiguous in chat text.
_SURFACE: dict[str, tuple[str, ...]] = {
    "mcg": ("mcg", "mcgs", "\u00b5g", "\u03bcg", "ug", "microgram", "micrograms",
            "microgramme", "microgrammes"),
    "iu": ("iu", "ius", "i.u.", "international unit", "international units"),
    "mg": ("mg", "mgs", "milligram", "milligrams", "milligramme", "milligrammes"),
    "g": ("g", "gs", "gr", "grs", "gm", "gms", "gram", "grams", "gramme", "grammes"),
    "kg": ("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramme", "kilogrammes"),
    "oz": ("oz", "ozs", "oz.", "ounce", "ounces"),
    "lb": ("lb", "lbs", "lb.", "lbs.", "pound", "pounds"),
    "ml": ("ml", "mls", "millilitre", "millilitres", "milliliter", "milliliters", "cc"),
    "l": ("l", "litre", "litres", "liter", "liters", "ltr"),
    "cup": ("cup", "cups", "c", "c.", "cupful", "cupfuls", "mug", "mugs"),
    "tbsp": (
        "tbsp", "tbsps", "tbsp.", "tbs", "tbs.", "tbl", "tbl.", "tbls",
        "tablespoon", "tablespoons", "tablespoonful", "tablespoonfuls",
    ),
    "tsp": ("tsp", "tsps", "tsp.", "teaspoon", "teaspoons", "teaspoonful", "teaspoonfuls"),
    "fl_oz": (
        "fl oz", "fl. oz", "fl. oz.", "fl.oz", "fl.oz.", "floz",
        "fluid ounce", "fluid ounces",
    ),
    "pint": ("pint", "pints", "pt"),
    "quart": ("quart", "quarts", "qt"),
    "piece": ("piece", "pieces", "pc", "pcs", "item", "items", "whole", "each"),
    "slice": ("slice", "slices", "slc"),
    "extra_small": ("extra small", "extra-small"),
    "small": ("small", "sm"),
    "medium": ("medium", "med", "regular", "medium-sized", "medium sized"),
    "large": ("large", "lg", "big"),
    "extra_large": ("extra large", "extra-large", "xl", "jumbo"),
    "handful": ("handful", "handfuls", "handfull", "handfulls"),
    "serving": ("serving", "servings", "portion", "portions", "helping", "helpings"),
    "packet": (
        "packet", "packets", "pack", "packs", "package", "packages",
        "sachet", "sachets", "envelope", "envelopes",
    ),
    "biscuit": ("biscuit", "biscuits"),
    "can": ("can", "cans", "tin", "tins"),
    "bar": ("bar", "bars"),
    "square": ("square", "squares"),
    "stalk": ("stalk", "stalks", "rib", "ribs"),
    "stick": ("stick", "sticks"),
    "spear": ("spear", "spears"),
    "leaf": ("leaf", "leaves"),
    "fillet": ("fillet", "fillets", "filet", "filets"),
    "container": ("container", "containers", "tub", "tubs", "pot", "pots", "carton", "cartons"),
    "scoop": ("scoop", "scoops"),
    "glass": ("glass", "glasses"),
    "bowl": ("bowl", "bowls", "bowlful", "bowlfuls"),
    "clove": ("clove", "cloves"),
    "head": ("head", "heads"),
    "bunch": ("bunch", "bunches"),
    "sprig": ("sprig", "sprigs"),
    "link": ("link", "links"),
    "pat": ("pat", "pats"),
}

#: Every surface form (lower case, single spaces) -> canonical unit name.
UNIT_SYNONYMS: dict[str, str] = {}
for _canonical, _forms in _SURFACE.items():
    UNIT_SYNONYMS[_canonical] = _canonical
    for _form in _forms:
        if _form in UNIT_SYNONYMS and UNIT_SYNONYMS[_form] != _canonical:
            raise RuntimeError(f"unit surface form {_form!r} is ambiguous")
        UNIT_SYNONYMS[_form] = _canonical

_SPACE = re.compile(r"\s+")


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = _SPACE.sub(" ", text)
    return text


def canonical_unit(text: object) -> str | None:
    """Return the canonical unit for a surface form, or ``None`` if unknown.

    Matching ignores case, surrounding spaces and a trailing full stop, so
    "Tbsp", "tablespoons", "c." and "Ounces" all resolve. Never raises.

    >>> canonical_unit("Tablespoons")
    'tbsp'
    >>> canonical_unit("gms")
    'g'
    >>> canonical_unit("parsec") is None
    True
    """
    if not isinstance(text, str):
        return None
    cleaned = _clean(text)
    if not cleaned:
        return None
    if cleaned in UNIT_SYNONYMS:
        return UNIT_SYNONYMS[cleaned]
    stripped = cleaned.rstrip(".")
    if stripped in UNIT_SYNONYMS:
        return UNIT_SYNONYMS[stripped]
    hyphen = stripped.replace("-", " ")
    return UNIT_SYNONYMS.get(hyphen)


def unit_kind(unit: str) -> str:
    """Return ``"mass"``, ``"volume"``, ``"count"`` or ``"dose"`` for a canonical unit.

    Raises ``KeyError`` for names that are not canonical units.
    """
    if unit in GRAMS_PER_UNIT:
        return "mass"
    if unit in ML_PER_UNIT:
        return "volume"
    if unit in COUNT_UNITS:
        return "count"
    if unit in DOSE_UNITS:
        return "dose"
    raise KeyError(unit)


def mass_in_mg(amount: float | None, unit: object) -> float | None:
    """A mass in milligrams (``None`` when there is no amount or ``unit`` is no mass unit)."""
    if amount is None or not isinstance(unit, str) or unit not in GRAMS_PER_UNIT:
        return None
    return amount * GRAMS_PER_UNIT[unit] / GRAMS_PER_UNIT["mg"]


def is_mass_unit(unit: str | None) -> bool:
    """True when ``unit`` is a canonical mass unit (mcg, g, mg, kg, oz, lb)."""
    return unit in GRAMS_PER_UNIT


def is_dose_unit(unit: str | None) -> bool:
    """True when ``unit`` can measure a dose of a nutrient: a mass unit or IU."""
    return unit in GRAMS_PER_UNIT or unit in DOSE_UNITS


