"""Foods: names people use, matching, magnesium in a portion, rich-food lists.

All figures come from ``data/foods.json`` (built from USDA SR28 by
``scripts/build_food_table.py``). Public functions:

* :func:`food_surface_forms` - every name/synonym/plural -> food key (for NLU);
* :func:`find_food` - typo-tolerant match of a mention to a food key;
* :func:`magnesium_in_portion` - mg of magnesium (and calcium, vitamin D) in an
  amount of a food (the grams of the amount come from :func:`portions.portion_grams`);
* :func:`nutrient_in_portion` - one nutrient (``magnesium``, ``calcium`` or
  ``vitamin_d``) in an amount of a food, with its unit;
* :func:`foods_by_category` / :func:`rich_foods` - foods ranked by magnesium
  per default serving.

Assumptions (documented, and flagged in results where they apply):

* A **handful** of nuts or seeds is taken as 1 oz (28.35 g), the serving size
  the NIH ODS table uses for nuts and seeds. For other foods a handful is not
  defined and the default serving is used instead (flagged).
* **Volume** amounts use one density per food (see :mod:`portions`). A food
  SR28 gives no volume measure for (chia seeds) may borrow the density of a
  similar SR28 food (``volume_like`` in the table; the result's ``assumption``
  is ``"volume_from_similar_food_density"``).
* A **count of a whole fruit** ("a pomegranate", "2 prunes") uses the USDA
  weight of one whole item (``whole_portion_index``) when no unit names it.
* A **count without a unit** ("2 eggs", "a banana") means the food's count unit
  (``count_unit`` in the table, e.g. large for eggs), else its item-like USDA
  measure (medium, piece, ...), else that many default servings (flagged).
* "serving", "portion", "bowl", "glass" mean the food's default serving unless
  USDA lists that measure for the food.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .data_files import load
from .errors import FoodNotFound, InvalidAmount, NutritionError
from .food_matching import FoodMatcher
from .portions import default_grams, portion_grams
from .quantities import parse_number
from .units import canonical_unit

_FILE = "foods.json"

#: Score at or above which :func:`find_food` accepts its best match.
MATCH_THRESHOLD = 0.75


def _table() -> dict[str, Any]:
    table: dict[str, Any] = load(_FILE)
    return table


@lru_cache(maxsize=1)
def _foods() -> dict[str, dict[str, Any]]:
    return {food["key"]: food for food in _table()["foods"]}


def food_keys() -> list[str]:
    """Every food key, sorted."""
    return sorted(_foods())


def food_info(key: str) -> dict[str, Any]:
    """The table entry of a food key (raises :class:`FoodNotFound`)."""
    try:
        return _foods()[key]
    except KeyError:
        raise FoodNotFound(f"I don't have '{key}' in my food table.", key) from None


def food_categories() -> list[str]:
    """The fixed list of food categories, in table order."""
    return list(_table()["categories"])


def food_source() -> str:
    """Citation of the food figures (USDA SR28)."""
    source: str = _table()["source"]
    return source


@lru_cache(maxsize=1)
def _surface_map() -> dict[str, str]:
    surfaces: dict[str, str] = {}
    for food in _table()["foods"]:
        for form in [food["key"].replace("_", " "), *food["synonyms"]]:
            surfaces.setdefault(form, food["key"])
    return surfaces


def food_surface_forms() -> dict[str, str]:
    """Every name, synonym and plural (lower case) -> food key.

    >>> food_surface_forms()["pepitas"]
    'pumpkin_seeds'
    """
    return dict(_surface_map())


@lru_cache(maxsize=1)
def _index() -> FoodMatcher:
    return FoodMatcher(_surface_map())


# ---------------------------------------------------------------- matching


@dataclass(frozen=True)
class FoodMatch:
    """Result of :func:`find_food`."""

    key: str
    name: str
    score: float
    matched_form: str
    close_matches: tuple[tuple[str, float], ...] = field(default_factory=tuple)


def search_foods(text: object, limit: int = 5) -> list[tuple[str, float]]:
    """Ranked ``(food_key, score)`` candidates for a mention; never raises."""
    if not isinstance(text, str):
        return []
    return [(c.key, c.score) for c in _index().lookup(text, limit=limit).candidates]


def find_food(text: str) -> FoodMatch:
    """Match a food mention (typos, plurals, casing, hyphens) to a food key.

    Only the food words of the text count, the head noun must agree and every
    food word must be explained (see :mod:`food_matching`). Returns the best
    match with its score (1.0 = exact name) and up to four runner-up
    ``(key, score)`` pairs. Raises :class:`FoodNotFound` carrying the close
    matches when nothing scores :data:`MATCH_THRESHOLD` or when two foods are
    about equally likely (``uncertain``: a reply should ask "did you mean").

    >>> find_food("pumkin seeds").key
    'pumpkin_seeds'
    """
    if not isinstance(text, str) or not text.strip():
        raise FoodNotFound("Please tell me which food you mean.", str(text or ""))
    if text in _foods():
        food = _foods()[text]
        return FoodMatch(text, food["name"], 1.0, text)
    result = _index().lookup(text, limit=5)
    best = result.best
    close = tuple((c.key, c.score) for c in result.candidates)
    if best is None or best.score < MATCH_THRESHOLD:
        raise FoodNotFound(
            f"I couldn't find '{text.strip()}' in my food table.", text, close[:3]
        )
    if result.uncertain and len(close) > 1:
        raise FoodNotFound(
            f"I'm not sure which food you mean by '{text.strip()}'.", text, close[:3],
            uncertain=True,
        )
    return FoodMatch(
        key=best.key,
        name=_foods()[best.key]["name"],
        score=best.score,
        matched_form=best.form,
        close_matches=close[1:],
    )


# ---------------------------------------------------------------- portions


@dataclass(frozen=True)
class PortionMagnesium:
    """Magnesium (and calcium) in a portion, with the portion actually used. The amounts
    are exact (never rounded here): a reply rounds them once, for reading."""

    food: str
    food_name: str
    amount: float
    unit: str | None
    grams: float
    description: str
    magnesium_mg: float
    calcium_mg: float
    vitamin_d_mcg: float | None  # None: SR28 has no vitamin D figure for this food
    used_default: bool  # the food's default serving was used
    unit_fallback: bool  # the requested unit could not be applied to this food
    requested_unit: str | None
    assumption: str | None  # e.g. "handful_is_1_oz", "volume_from_density"
    source: str


def _check_amount(amount: object) -> float | None:
    if amount is None:
        return None
    if isinstance(amount, str):
        parsed = parse_number(amount)
        if parsed is None:
            raise InvalidAmount(f"I couldn't read '{amount}' as an amount.")
        amount = parsed
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        raise InvalidAmount("The amount must be a number.")
    if not math.isfinite(amount) or amount < 0:
        raise InvalidAmount("The amount must be zero or more.")
    if amount > 100_000:
        raise InvalidAmount("That amount is too large to be a portion of food.")
    return float(amount)


def _resolve_food(food: str | dict[str, Any]) -> dict[str, Any]:
    if isinstance(food, dict) and "key" in food:
        return food_info(food["key"])
    if not isinstance(food, str):
        raise FoodNotFound("Please tell me which food you mean.", str(food))
    if food in _foods():
        return _foods()[food]
    return _foods()[find_food(food).key]


def _scaled(per_100g: float | None, grams: float) -> float | None:
    return None if per_100g is None else per_100g * grams / 100


#: Nutrients the food table holds: name -> (field per 100 g, unit of the figure).
NUTRIENTS: dict[str, tuple[str, str]] = {
    "magnesium": ("magnesium_mg_per_100g", "mg"),
    "calcium": ("calcium_mg_per_100g", "mg"),
    "vitamin_d": ("vitamin_d_mcg_per_100g", "mcg"),
}


def nutrient_per_100g(food: str | dict[str, Any], nutrient: str) -> float | None:
    """A nutrient per 100 g of a food (``None``: SR28 has no figure for it).

    Raises :class:`NutritionError` for a nutrient the table does not hold.
    """
    field_name, _ = _nutrient_field(nutrient)
    value: float | None = _resolve_food(food)[field_name]
    return value


def _nutrient_field(nutrient: str) -> tuple[str, str]:
    if nutrient not in NUTRIENTS:
        raise NutritionError(
            f"I have food figures for {', '.join(NUTRIENTS).replace('_', ' ')}, "
            f"not for '{nutrient}'."
        )
    return NUTRIENTS[nutrient]


@dataclass(frozen=True)
class PortionNutrient:
    """One nutrient in a portion (see :func:`nutrient_in_portion`)."""

    nutrient: str  # "magnesium", "calcium" or "vitamin_d"
    unit: str  # "mg" or "mcg"
    amount: float | None  # None: SR28 has no figure for this food
    portion: PortionMagnesium  # the portion used, with every figure


def nutrient_in_portion(
    food: str | dict[str, Any],
    nutrient: str,
    amount: float | str | None = None,
    unit: str | None = None,
) -> PortionNutrient:
    """One nutrient in an amount of a food: the portion rules of
    :func:`magnesium_in_portion`, the figure of ``nutrient``.

    >>> nutrient_in_portion("sardines", "calcium", 3, "oz").amount
    324.9

    Raises :class:`NutritionError` for an unknown nutrient, and what
    :func:`magnesium_in_portion` raises.
    """
    field_name, figure_unit = _nutrient_field(nutrient)
    portion = magnesium_in_portion(food, amount, unit)
    per_100g = _foods()[portion.food][field_name]
    return PortionNutrient(nutrient, figure_unit, _scaled(per_100g, portion.grams), portion)


def vitamin_d_iu(portion: PortionMagnesium) -> float | None:
    """Vitamin D in a portion in IU, from SR28's own IU figure per 100 g (SR28 lists IU
    beside mcg, each rounded on its own); ``None`` where SR28 has no vitamin D figure."""
    per_100g = _foods()[portion.food].get("vitamin_d_iu_per_100g")
    return _scaled(per_100g, portion.grams)


def resolve_food(food: str | dict[str, Any]) -> dict[str, Any]:
    """The table entry of a food key, entry or mention ("pumkin seeds").

    Raises :class:`FoodNotFound` (with close matches) for unknown foods.
    """
    return _resolve_food(food)


def magnesium_in_portion(
    food: str | dict[str, Any],
    amount: float | str | None = None,
    unit: str | None = None,
) -> PortionMagnesium:
    """Milligrams of magnesium (and calcium) in an amount of a food.

    ``food`` is a food key or free text ("pumkin seeds"); ``amount`` a number
    or text ("1/2", "two"); ``unit`` any unit surface form ("cups", "oz").

    * no amount and no unit -> the food's default serving;
    * mass units convert directly; volume units use the food's USDA density;
    * count units (slice, medium, ...) use the food's own USDA measure;
    * an unknown unit, or one that does not apply to the food, falls back to
      one default serving and sets ``unit_fallback``.

    Raises :class:`FoodNotFound` (with close matches) for unknown foods and
    :class:`InvalidAmount` for negative or unreadable amounts.
    """
    info = _resolve_food(food)
    qty = _check_amount(amount)
    canonical = canonical_unit(unit) if unit is not None else None
    if unit is not None and canonical is None:
        grams, words = default_grams(info)
        used_default, fallback, assumption = True, True, None
    else:
        grams, words, used_default, fallback, assumption = portion_grams(info, qty, canonical)
    if fallback:
        qty_used = info["default_portion"]["amount"]
        unit_used = info["default_portion"]["unit"]
    else:
        default = info["default_portion"]
        if qty is not None:
            qty_used = qty
        else:
            qty_used = 1.0 if canonical else default["amount"]
        if canonical:
            unit_used = canonical
        else:
            unit_used = None if qty is not None else default["unit"]
    return PortionMagnesium(
        food=info["key"],
        food_name=info["name"],
        amount=float(qty_used),
        unit=unit_used,
        grams=grams,
        description=words,
        magnesium_mg=info["magnesium_mg_per_100g"] * grams / 100,
        calcium_mg=info["calcium_mg_per_100g"] * grams / 100,
        vitamin_d_mcg=_scaled(info["vitamin_d_mcg_per_100g"], grams),
        used_default=used_default,
        unit_fallback=fallback,
        requested_unit=unit if isinstance(unit, str) else None,
        assumption=assumption,
        source=food_source(),
    )


def whole_item_foods() -> list[str]:
    """Keys of the foods with a USDA weight for one whole item (``whole_portion_index``):
    "an avocado" or "a pomegranate" is one whole item, not a typical serving."""
    return sorted(key for key, food in _foods().items()
                  if food.get("whole_portion_index") is not None)


@dataclass(frozen=True)
class BorrowedVolume:
    """The similar food whose spoon or cup weight a volume amount used (see
    ``volume_from_similar_food_density``): ``grams`` per ``amount`` ``unit``."""

    food_name: str
    amount: float
    unit: str
    grams: float


def borrowed_volume(key: str) -> BorrowedVolume | None:
    """Where a food's volume weight comes from when SR28 gives it none (chia seeds use the
    tablespoon weight of flaxseed); ``None`` for a food with its own volume measures."""
    like = food_info(key).get("volume_like")
    if not like:
        return None
    names = [food["name"] for food in _foods().values() if food["ndb"] == like["ndb"]]
    name = names[0] if names else str(like["usda_description"])
    return BorrowedVolume(name, float(like["amount"]), str(like["unit"]), float(like["grams"]))


# ---------------------------------------------------------------- rankings


@dataclass(frozen=True)
class RankedFood:
    """A food with its magnesium per default serving."""

    key: str
    name: str
    category: str
    magnesium_mg: float
    grams: float
    serving: str


def _ranked(infos: Iterable[dict[str, Any]]) -> list[RankedFood]:
    ranked = []
    for info in infos:
        grams, words = default_grams(info)
        ranked.append(
            RankedFood(
                key=info["key"],
                name=info["name"],
                category=info["category"],
                magnesium_mg=info["magnesium_mg_per_100g"] * grams / 100,
                grams=grams,
                serving=words,
            )
        )
    ranked.sort(key=lambda item: (-item.magnesium_mg, item.key))
    return ranked


def foods_by_category(category: str | None = None, limit: int | None = 10) -> list[RankedFood]:
    """Foods of one category (or all) ranked by magnesium per default serving.

    Raises :class:`NutritionError` for unknown categories.
    """
    if category is not None and category not in food_categories():
        raise NutritionError(
            f"'{category}' is not a food category; choose one of: "
            + ", ".join(food_categories())
        )
    infos = [f for f in _foods().values() if category is None or f["category"] == category]
    ranked = _ranked(infos)
    return ranked if limit is None else ranked[:limit]


def rich_foods(limit: int = 10, per_category: int | None = None) -> list[RankedFood]:
    """The foods richest in magnesium per default serving (optionally capped per category)."""
    ranked = _ranked(_foods().values())
    if per_category is None:
        return ranked[:limit]
    return capped_per_category(ranked, per_category, limit)


def capped_per_category(ranked: Iterable[RankedFood], per_category: int,
                        limit: int | None = None) -> list[RankedFood]:
    """The first ``per_category`` foods of each category, in the order of ``ranked`` (an
    overall list shows a range of foods, not only seeds), at most ``limit`` of them."""
    counts: dict[str, int] = {}
    chosen: list[RankedFood] = []
    for item in ranked:
        if counts.get(item.category, 0) < per_category:
            chosen.append(item)
            counts[item.category] = counts.get(item.category, 0) + 1
        if limit is not None and len(chosen) == limit:
            break
    return chosen


@dataclass(frozen=True)
class RankedNutrient:
    """A food with one nutrient (calcium, vitamin D) per default serving."""

    key: str
    name: str
    category: str
    amount: float
    unit: str  # "mg" or "mcg"
    serving: str


def richest_in(nutrient: str, category: str | None = None) -> list[RankedNutrient]:
    """Foods (of one category, or all) ranked by a nutrient per default serving; foods SR28
    gives no figure for are left out. Raises :class:`NutritionError` for an unknown
    nutrient or category."""
    field_name, unit = _nutrient_field(nutrient)
    if category is not None and category not in food_categories():
        raise NutritionError(f"'{category}' is not a food category.")
    ranked = []
    for info in _foods().values():
        per_100g = info[field_name]
        if per_100g is None or (category is not None and info["category"] != category):
            continue
        grams, words = default_grams(info)
        ranked.append(RankedNutrient(info["key"], info["name"], info["category"],
                                     per_100g * grams / 100, unit, words))
    ranked.sort(key=lambda item: (-item.amount, item.key))
    return ranked


# ---------------------------------------------------------------- foods SR28 lacks


def food_not_in_table(text: object) -> str | None:
    """The name of a food people ask about that USDA SR28 has no entry for ("oat milk" ->
    "oat drink (oat milk)"), when ``text`` names one; else ``None``. A reply says so and
    gives no figure (``not_in_sr28`` in the selection file)."""
    if not isinstance(text, str):
        return None
    words = " ".join(text.lower().replace("-", " ").split()).strip(" ?!.,")
    for entry in _table().get("not_in_sr28") or []:
        forms = [entry["key"].replace("_", " "), *entry["synonyms"]]
        if any(words == form or f" {form} " in f" {words} " for form in forms):
            return str(entry["name"])
    return None
