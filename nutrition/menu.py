"""A day's menu that meets a person's magnesium and calcium from food alone.

:func:`plan_day` picks breakfast, lunch, dinner and a snack from the foods the
food table tags with meals (``meals`` in ``data/food_selection.yml``), in whole
default servings, so that the day holds at least the person's magnesium and
calcium RDA/AI (:func:`intake.recommended_intake`) with no supplement.

It is an integer program solved with :func:`scipy.optimize.milp` (HiGHS):

* variables: one 0/1 choice ``z[f, m, k]`` per food ``f``, meal ``m`` and
  serving count ``k`` = 1 .. ``max_servings_per_food`` ("k servings of f at m"),
  at most one ``k`` per food and meal;
* constraints: magnesium and calcium at least the targets; calcium at most its
  upper limit for the age (the calcium UL counts food too); each meal holds
  between ``min_foods`` and ``max_foods`` different foods; at most
  ``max_servings_per_food`` servings of one food in the day, on at most
  ``max_meals_per_food`` meals; at most ``max_foods_per_category_per_meal``
  foods of one category on a meal (not two fish at one dinner) (all from
  ``data/planning_limits.yml``); only foods the :class:`diet.Diet` allows;
* cost: the number of servings (a small day, accepted within ``_GAP`` of the
  fewest possible), plus a penalty for each food already used by an earlier
  ``variant`` of the same request. HiGHS is deterministic, so the same request
  gets the same menu.

Speed: first a small program (each meal's richest foods, foods of earlier
variants left out), then, only if that has no answer, every allowed food.

When no menu fits, :class:`MenuInfeasible` says which target cannot be met and
the most of it the allowed foods can give (or which meal has too few foods).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from .data_files import load
from .diet import Diet
from .errors import InvalidAmount, NutritionError
from .food_table import MEALS
from .foods import food_source
from .intake import recommended_intake, table_source
from .inverse import amount_words
from .portions import default_grams

#: The highest ``variant`` a request may ask for ("another one" goes round after it).
MAX_VARIANT = 20
#: Extra cost of a food that an earlier variant of the request already used
#: (several servings' worth, so a new food wins unless none fits).
VARIANT_PENALTY = 4.0
_TOLERANCE = 1e-6
# Stop when the menu is within this share of the fewest servings possible (a day of
# 9 servings is accepted against a bound of 7). HiGHS finds such a day in a few
# milliseconds; proving that no smaller day exists can take a hundred times longer,
# and an extra serving of a rich food is no harm. Presolve is off: on programs this
# small it costs more than it saves.
_GAP = 0.3
# Foods per meal and mineral kept in the small program (see _model).
_TOP_FOODS = 3


class MenuInfeasible(NutritionError):
    """No day's menu meets the targets with the foods and limits allowed.

    ``nutrient`` is ``"magnesium"``, ``"calcium"``, ``"both"`` (each can be met,
    not together) or ``None`` when the meals can't be filled (``meal`` names the
    meal with too few different foods, or is ``None`` for the day as a whole);
    ``best_mg`` is the most of the nutrient the allowed foods can give.
    """

    def __init__(
        self,
        message: str,
        nutrient: str | None,
        target_mg: float | None = None,
        best_mg: float | None = None,
        meal: str | None = None,
        restrictions: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message)
        self.nutrient = nutrient
        self.target_mg = target_mg
        self.best_mg = best_mg
        self.meal = meal
        self.restrictions = restrictions


@dataclass(frozen=True)
class MenuRequest:
    """Who the menu is for and what they avoid; ``variant`` asks for another menu."""

    age_years: float
    sex: str | None = None
    pregnant: bool = False
    lactating: bool = False
    diet: Diet = field(default_factory=Diet)
    variant: int = 0


@dataclass(frozen=True)
class MenuItem:
    """One food on a meal."""

    key: str
    name: str
    servings: int  # default servings of the food
    portion: str  # "1 oz", "1 1/2 cups"
    grams: float
    magnesium_mg: float
    calcium_mg: float


@dataclass(frozen=True)
class Meal:
    """One meal of the day and its figures."""

    name: str  # "breakfast", "lunch", "dinner" or "snack"
    items: tuple[MenuItem, ...]
    magnesium_mg: float
    calcium_mg: float


@dataclass(frozen=True)
class DayMenu:
    """Result of :func:`plan_day`."""

    meals: tuple[Meal, ...]
    magnesium_mg: float
    calcium_mg: float
    magnesium_target_mg: float
    calcium_target_mg: float
    calcium_ul_mg: float
    life_stage: str
    restrictions: tuple[str, ...]
    variant: int
    max_servings_per_food: int
    sources: tuple[str, ...]


@dataclass(frozen=True)
class _Food:
    key: str
    name: str
    category: str
    meals: tuple[str, ...]
    magnesium: float  # per default serving, mg (to 0.1)
    calcium: float
    grams: float
    amount: float
    unit: str

    def per_serving(self, nutrient: str) -> float:
        return self.magnesium if nutrient == "magnesium" else self.calcium


@lru_cache(maxsize=1)
def _menu_foods() -> tuple[_Food, ...]:
    foods = []
    for info in load("foods.json")["foods"]:
        if not info.get("meals") or not info.get("suggest", True):
            continue
        grams, _ = default_grams(info)
        foods.append(
            _Food(
                key=info["key"],
                name=info["name"],
                category=info["category"],
                meals=tuple(info["meals"]),
                magnesium=info["magnesium_mg_per_100g"] * grams / 100,
                calcium=info["calcium_mg_per_100g"] * grams / 100,
                grams=grams,
                amount=float(info["default_portion"]["amount"]),
                unit=info["default_portion"]["unit"],
            )
        )
    return tuple(sorted(foods, key=lambda food: food.key))


@lru_cache(maxsize=1)
def _infos() -> dict[str, dict[str, Any]]:
    return {info["key"]: info for info in load("foods.json")["foods"]}


def _limits() -> dict[str, Any]:
    limits: dict[str, Any] = load("planning_limits.yml")
    return limits


def menu_food_keys() -> list[str]:
    """Keys of every food the planner may use (tagged with meals), sorted."""
    return [food.key for food in _menu_foods()]


@dataclass(frozen=True)
class _Model:
    """The integer program for one request (pairs = (food index, meal))."""

    foods: tuple[_Food, ...]
    pairs: tuple[tuple[int, str], ...]
    max_servings: int
    max_meals: int  # meals of the day one food may appear on
    max_per_category: int  # foods of one category on one meal
    meal_limits: dict[str, tuple[int, int]]


def _model(diet: Diet, exclude: frozenset[str] = frozenset(), top: int | None = None) -> _Model:
    """The program for the foods the diet allows, less ``exclude``.

    With ``top``, each meal keeps only its ``top`` foods richest in magnesium and
    its ``top`` richest in calcium per serving: a small program that HiGHS solves
    in milliseconds, and a day needs few servings of rich foods anyway. The full
    program is the fallback when the small one has no answer.
    """
    infos = _infos()
    foods = tuple(food for food in _menu_foods()
                  if food.key not in exclude and diet.allows(infos[food.key]))
    kept: dict[str, set[int]] = {}
    for meal in MEALS:
        here = [i for i, food in enumerate(foods) if meal in food.meals]
        if top is not None:
            by_mg = sorted(here, key=lambda i: (-foods[i].magnesium, foods[i].key))[:top]
            by_ca = sorted(here, key=lambda i: (-foods[i].calcium, foods[i].key))[:top]
            here = sorted(set(by_mg) | set(by_ca))
        kept[meal] = set(here)
    pairs = tuple((i, meal) for meal in MEALS for i in sorted(kept[meal]))
    limits = _limits()
    meal_limits = {
        meal: (int(rule["min_foods"]), int(rule["max_foods"]))
        for meal, rule in limits["meals"].items()
    }
    return _Model(foods, pairs, int(limits["max_servings_per_food"]),
                  int(limits["max_meals_per_food"]),
                  int(limits["max_foods_per_category_per_meal"]), meal_limits)


def _solve(
    model: _Model,
    cost: np.ndarray[Any, Any],
    nutrient_rows: Sequence[tuple[str, float, float]],
) -> np.ndarray[Any, Any] | None:
    """Solve; return the servings per pair, or None when no menu fits.

    Each pair (food, meal) has one binary per serving count k = 1..S ("k servings
    of the food on this meal"), at most one of them on: a pure 0-1 program, which
    HiGHS solves much faster than servings linked to an on/off variable.
    ``cost`` holds one cost per pair and count (pair-major). ``nutrient_rows``:
    (nutrient, lower, upper) bounds on the day's total.
    """
    s = model.max_servings
    n = len(model.pairs)
    width = n * s
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lower: list[float] = []
    upper: list[float] = []

    def add_row(entries: Sequence[tuple[int, float]], low: float, high: float) -> None:
        row = len(lower)
        for col, value in entries:
            rows.append(row)
            cols.append(col)
            vals.append(value)
        lower.append(low)
        upper.append(high)

    by_food: dict[int, list[int]] = {}
    by_meal: dict[str, list[int]] = {meal: [] for meal in MEALS}
    for j, (i, meal) in enumerate(model.pairs):
        by_food.setdefault(i, []).append(j)
        by_meal[meal].append(j)
        if s > 1:
            add_row([(j * s + k, 1.0) for k in range(s)], 0.0, 1.0)
    for columns in by_food.values():
        if len(columns) > 1:
            add_row([(j * s + k, float(k + 1)) for j in columns for k in range(s)], 0.0, float(s))
            add_row([(j * s + k, 1.0) for j in columns for k in range(s)],
                    0.0, float(model.max_meals))
    by_meal_category: dict[tuple[str, str], list[int]] = {}
    for j, (i, meal) in enumerate(model.pairs):
        by_meal_category.setdefault((meal, model.foods[i].category), []).append(j)
    for columns in by_meal_category.values():
        if len(columns) > model.max_per_category:
            add_row([(j * s + k, 1.0) for j in columns for k in range(s)],
                    0.0, float(model.max_per_category))
    for meal in MEALS:
        fewest, most = model.meal_limits[meal]
        add_row([(j * s + k, 1.0) for j in by_meal[meal] for k in range(s)],
                float(fewest), float(most))
    for nutrient, low, high in nutrient_rows:
        add_row(
            [(j * s + k, (k + 1) * model.foods[i].per_serving(nutrient))
             for j, (i, _) in enumerate(model.pairs) for k in range(s)],
            low, high,
        )
    matrix = csr_matrix((vals, (rows, cols)), shape=(len(lower), width))
    result = milp(
        c=cost,
        integrality=np.ones(width),
        bounds=Bounds(np.zeros(width), np.ones(width)),
        constraints=[LinearConstraint(matrix, np.array(lower), np.array(upper))],
        options={"presolve": False, "mip_rel_gap": _GAP},
    )
    if result.status != 0 or result.x is None:
        return None
    chosen = np.rint(result.x).astype(int).reshape(n, s)
    servings: np.ndarray[Any, Any] = chosen @ np.arange(1, s + 1)
    return servings


def _costs(model: _Model, earlier: dict[str, int]) -> np.ndarray[Any, Any]:
    """Cost per pair and serving count: the servings, plus the variant penalty."""
    s = model.max_servings
    cost = np.zeros(len(model.pairs) * s)
    for j, (i, _) in enumerate(model.pairs):
        penalty = VARIANT_PENALTY * earlier.get(model.foods[i].key, 0)
        for k in range(s):
            cost[j * s + k] = (k + 1) + penalty
    return cost


def _check_request(request: MenuRequest) -> None:
    if not isinstance(request.diet, Diet):
        raise NutritionError("The diet must be a Diet (see nutrition.diet.make_diet).")
    if (
        isinstance(request.variant, bool)
        or not isinstance(request.variant, int)
        or not 0 <= request.variant <= MAX_VARIANT
    ):
        raise InvalidAmount(f"The menu variant must be a whole number from 0 to {MAX_VARIANT}.")


def plan_day(request: MenuRequest) -> DayMenu:
    """A day's menu meeting the person's magnesium and calcium from food alone.

    The same request always gets the same menu; ``variant`` 1, 2, ... avoid the
    foods of the earlier variants where they can. Raises :class:`InvalidProfile`
    for a profile the reference tables don't cover, :class:`InvalidAmount` for a
    bad variant and :class:`MenuInfeasible` when no menu fits.
    """
    _check_request(request)
    intake = recommended_intake(
        age_years=request.age_years, sex=request.sex,
        pregnant=request.pregnant, lactating=request.lactating,
    )
    return _plan(
        request.diet, request.variant, float(intake.magnesium_mg), float(intake.calcium_mg),
        float(intake.calcium_ul_mg), intake.life_stage,
    )


@lru_cache(maxsize=512)
def _plan(
    diet: Diet, variant: int, magnesium: float, calcium: float, calcium_ul: float,
    life_stage: str,
) -> DayMenu:
    earlier: dict[str, int] = {}
    for previous in range(variant):
        menu = _plan(diet, previous, magnesium, calcium, calcium_ul, life_stage)
        for meal in menu.meals:
            for item in meal.items:
                earlier[item.key] = earlier.get(item.key, 0) + 1
    rows = [("magnesium", magnesium - _TOLERANCE, math.inf),
            ("calcium", calcium - _TOLERANCE, calcium_ul)]
    # first new foods only, from the richest of each meal; then every allowed food,
    # those of earlier variants at a penalty
    model = _model(diet, frozenset(earlier), _TOP_FOODS)
    solution = _solve(model, _costs(model, {}), rows)
    if solution is None:
        model = _model(diet)
        solution = _solve(model, _costs(model, earlier), rows)
    if solution is None:
        raise _explain(model, diet, magnesium, calcium, calcium_ul)
    return _menu(model, solution, diet, variant, magnesium, calcium, calcium_ul, life_stage)


def _menu(
    model: _Model, solution: np.ndarray[Any, Any], diet: Diet, variant: int,
    magnesium: float, calcium: float, calcium_ul: float, life_stage: str,
) -> DayMenu:
    meals = []
    for meal in MEALS:
        items = []
        for j, (i, pair_meal) in enumerate(model.pairs):
            if pair_meal != meal or solution[j] <= 0:
                continue
            food = model.foods[i]
            count = int(solution[j])
            items.append(
                MenuItem(
                    key=food.key,
                    name=food.name,
                    servings=count,
                    portion=amount_words(count * food.amount, food.unit),
                    grams=round(count * food.grams, 1),
                    magnesium_mg=count * food.magnesium,
                    calcium_mg=count * food.calcium,
                )
            )
        meals.append(
            Meal(
                name=meal,
                items=tuple(items),
                magnesium_mg=sum(item.magnesium_mg for item in items),
                calcium_mg=sum(item.calcium_mg for item in items),
            )
        )
    return DayMenu(
        meals=tuple(meals),
        magnesium_mg=sum(meal.magnesium_mg for meal in meals),
        calcium_mg=sum(meal.calcium_mg for meal in meals),
        magnesium_target_mg=magnesium,
        calcium_target_mg=calcium,
        calcium_ul_mg=calcium_ul,
        life_stage=life_stage,
        restrictions=diet.restrictions() + (
            ("dislikes",) if diet.dislikes else ()
        ),
        variant=variant,
        max_servings_per_food=model.max_servings,
        sources=(food_source(), table_source("magnesium"), table_source("calcium")),
    )


def _best(model: _Model, nutrient: str, calcium_ul: float) -> float | None:
    """The most of a nutrient a menu of the allowed foods can hold (None: no menu)."""
    s = model.max_servings
    cost = np.array([-(k + 1) * model.foods[i].per_serving(nutrient)
                     for i, _ in model.pairs for k in range(s)])
    solution = _solve(model, cost, [("calcium", -math.inf, calcium_ul)])
    if solution is None:
        return None
    return round(
        sum(int(solution[j]) * model.foods[i].per_serving(nutrient)
            for j, (i, _) in enumerate(model.pairs)),
        1,
    )


def _explain(
    model: _Model, diet: Diet, magnesium: float, calcium: float, calcium_ul: float
) -> MenuInfeasible:
    limits = diet.restrictions() + (("dislikes",) if diet.dislikes else ())
    said = ", ".join(name.replace("_", " ") for name in limits) or "no limits"
    for meal in MEALS:
        low, _ = model.meal_limits[meal]
        categories: dict[str, int] = {}
        for i, pair_meal in model.pairs:
            if pair_meal == meal:
                category = model.foods[i].category
                categories[category] = categories.get(category, 0) + 1
        fits = sum(min(count, model.max_per_category) for count in categories.values())
        if fits < low:
            return MenuInfeasible(
                f"I can't plan {meal}: with these limits ({said}) I have too few different "
                f"foods for it (it needs at least {low}).",
                None, meal=meal, restrictions=limits,
            )
    n = len(model.pairs) * model.max_servings
    if _solve(model, np.zeros(n), [("calcium", -math.inf, calcium_ul)]) is None:
        return MenuInfeasible(
            f"I can't plan a whole day: with these limits ({said}) I have too few different "
            "foods to fill all four meals.",
            None, restrictions=limits,
        )
    best = {name: _best(model, name, calcium_ul) for name in ("magnesium", "calcium")}
    targets = {"magnesium": magnesium, "calcium": calcium}
    short = [name for name in ("calcium", "magnesium")
             if best[name] is None or (best[name] or 0.0) < targets[name] - _TOLERANCE]
    servings = model.max_servings
    if short:
        name = short[0]
        most = best[name] or 0.0
        return MenuInfeasible(
            f"I can't plan a day with {targets[name]:,.0f} mg of {name} from food with "
            f"these limits ({said}). The most I can fit, with at most {servings} servings "
            f"of each food, is about {most:,.0f} mg. A doctor or dietitian can help you "
            "find a way to get the rest.",
            name, targets[name], most, restrictions=limits,
        )
    return MenuInfeasible(
        f"I can't plan a day that meets both {magnesium:,.0f} mg of magnesium and "
        f"{calcium:,.0f} mg of calcium with these limits ({said}), though each one alone "
        "can be met. A doctor or dietitian can help.",
        "both", None, None, restrictions=limits,
    )


def with_variant(request: MenuRequest, variant: int) -> MenuRequest:
    """The same request asking for another menu."""
    return replace(request, variant=variant)
