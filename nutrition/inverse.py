"""Inverse questions: how much of a food, or of a supplement, gives an amount.

* :func:`food_amount_for` - how much of a food gives a target of magnesium or
  calcium, in the food's household unit (oz, cup, tbsp, or a count such as
  "medium") rounded the way people measure, with grams and, for nuts, a count
  ("about 1 oz (28 g, 22 almonds)"). A target that would take more than
  ``max_servings_inverse`` default servings (``data/planning_limits.yml``) is
  refused with :class:`UnrealisticAmount`, never answered with kilograms.
* :func:`beyond_need` - a daily amount asked for that is more than anyone needs
  (``implausible_target_factor`` times the person's RDA/AI, ``data/planning_limits.yml``);
* :func:`asks_amount_for_target` - whether a message asks how much gives an amount
  ("how much citrate gives 100 mg?"), not what an amount holds.
* :func:`compound_for_elemental` - how many milligrams of a supplement compound
  hold an amount of elemental magnesium (the reverse of
  :func:`supplements.elemental_magnesium`). An amount above the supplemental
  upper limit for the person's age (``data/reference_intakes.yml``) is refused
  with :class:`AboveSupplementLimit`.

Rounding for people: ounces to 1/4 oz (1/2 oz from 2 oz), cups to 1/4 cup, spoons
to 1/2 spoon, fluid ounces to 1 fl oz, counts (medium, slice, container ...) to
1/2 (whole from 3); at least one step. An amount below half the smallest step is
given in grams (to 1 g below 20 g, else 5 g). Grams beside a household amount are
shown to 1 g below 100 g and to 5 g above. The figures of the rounded amount are computed with
the same portion rules as :func:`foods.magnesium_in_portion`, so asking about that
amount gives back the same figure.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from .data_files import load
from .errors import InvalidAmount, NutritionError
from .foods import food_source, magnesium_in_portion, nutrient_per_100g, resolve_food
from .intake import ADULT_AGE_YEARS, supplement_ul_mg
from .portions import portion_grams
from .supplements import ANHYDROUS, elemental_fraction, find_form, form_info, supplement_source
from .units import GRAMS_PER_UNIT

#: Nutrients an inverse food question can ask about.
INVERSE_NUTRIENTS = ("magnesium", "calcium")

# Rounding step per household unit: (step below the switch, switch, step from the switch).
_STEPS: dict[str, tuple[float, float, float]] = {
    "oz": (0.25, 2.0, 0.5),
    "g": (1.0, 20.0, 5.0),
    "cup": (0.25, math.inf, 0.25),
    "tbsp": (0.5, math.inf, 0.5),
    "tsp": (0.5, math.inf, 0.5),
    "fl_oz": (1.0, math.inf, 1.0),
}
_COUNT_STEP = (0.5, 3.0, 1.0)
# USDA ounce measures that give a count: "oz (22 whole kernels)", "oz (19 halves)".
_COUNT_IN_OUNCE = re.compile(r"^oz\b[^()]*\((\d+) (whole kernels|kernels|nuts|halves|raisins)\)")
_UNIT_WORDS = {"fl_oz": "fl oz", "extra_large": "extra-large"}
_PLURAL_UNITS = {"cup": "cups", "piece": "pieces", "slice": "slices", "container": "containers",
                 "serving": "servings", "can": "cans", "bar": "bars", "square": "squares",
                 "packet": "packets", "biscuit": "biscuits", "link": "links", "clove": "cloves"}
_FRACTIONS = {0.25: "1/4", 0.5: "1/2", 0.75: "3/4"}


class UnrealisticAmount(NutritionError):
    """The target needs more of one food than anyone would eat in a day."""

    def __init__(self, message: str, servings_needed: float, max_servings: int) -> None:
        super().__init__(message)
        self.servings_needed = servings_needed
        self.max_servings = max_servings


class NutrientAbsent(NutritionError):
    """The food has none (or no figure) of the nutrient asked about."""


class AboveSupplementLimit(NutritionError):
    """An elemental magnesium amount above the supplemental upper limit for the age.

    ``ul_mg`` is ``None`` where no upper limit is set (babies): no amount is given.
    """

    def __init__(self, message: str, elemental_mg: float, ul_mg: float | None) -> None:
        super().__init__(message)
        self.elemental_mg = elemental_mg
        self.ul_mg = ul_mg


def _check_target(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidAmount(f"The {what} must be a number of milligrams.")
    if value <= 0:
        raise InvalidAmount(f"The {what} must be more than 0 mg.")
    return float(value)


def amount_words(amount: float, unit: str) -> str:
    """``"1 1/2 cups"``, ``"1/4 oz"``, ``"2 medium"``: an amount as people say it."""
    whole = math.floor(amount + 1e-9)
    part = round(amount - whole, 2)
    if part in _FRACTIONS:
        number = (f"{whole} " if whole else "") + _FRACTIONS[part]
    else:
        number = f"{amount:g}"
    word = _UNIT_WORDS.get(unit, unit)
    if amount > 1 and unit in _PLURAL_UNITS:
        word = _PLURAL_UNITS[unit]
    return f"{number} {word}"


def _round_step(value: float, steps: tuple[float, float, float]) -> float:
    low, switch, high = steps
    step = low if value < switch else high
    return max(step, round(value / step) * step)


def _grams_words(grams: float) -> str:
    shown = round(grams) if grams < 100 else 5 * round(grams / 5)
    return f"{shown:g} g"


def _household_unit(info: dict[str, Any], grams: float) -> str:
    """The unit people measure this food in: its default serving's unit (a small
    amount of a cup-measured food in tablespoons)."""
    unit: str = info["default_portion"]["unit"]
    if unit == "cup":
        quarter_cup = portion_grams(info, 0.25, "cup")[0]
        if grams < quarter_cup * 0.875:  # would round below 1/4 cup
            return "tbsp"
    return unit


def _count(info: dict[str, Any], grams: float) -> tuple[int, str] | None:
    """A count for nuts and raisins measured by the ounce, from the USDA measure."""
    for portion in info["portions"]:
        found = _COUNT_IN_OUNCE.match(portion["description"])
        if found is None or portion["unit"] != "oz":
            continue
        count = round(grams / portion["grams"] * int(found.group(1)))
        noun = found.group(2)
        if noun != "halves":
            noun = re.sub(r"\s*\([^)]*\)", "", info["name"]).strip().lower()
        return max(1, count), noun
    return None


@dataclass(frozen=True)
class FoodAmount:
    """Result of :func:`food_amount_for`."""

    food: str
    food_name: str
    nutrient: str  # "magnesium" or "calcium"
    target_mg: float
    exact_grams: float  # grams that hold exactly the target
    amount: float  # the rounded household amount ...
    unit: str  # ... in this unit (canonical: "oz", "cup", "medium", ...)
    amount_text: str  # "1 oz", "1 1/2 cups"
    grams: float  # grams of the rounded amount
    count: int | None  # items in it (nuts by the ounce), else None
    count_noun: str | None  # "almonds", "halves"
    text: str  # "about 1 oz (28 g, 22 almonds)"
    nutrient_mg: float  # what the rounded amount holds
    servings: float  # the target in default servings
    max_servings: int  # the most servings an answer may take
    source: str


def food_amount_for(
    food: str | dict[str, Any], target_mg: float, nutrient: str = "magnesium"
) -> FoodAmount:
    """How much of a food gives ``target_mg`` of magnesium or calcium.

    >>> food_amount_for("almonds", 80).text
    'about 1 oz (28 g, 22 almonds)'

    Raises :class:`FoodNotFound` for an unknown food, :class:`InvalidAmount` for a
    target that is not a positive number, :class:`NutrientAbsent` when the food
    has none of the nutrient and :class:`UnrealisticAmount` when the target needs
    more than ``max_servings_inverse`` default servings.
    """
    if nutrient not in INVERSE_NUTRIENTS:
        raise NutritionError(
            f"I can work out amounts of food for magnesium or calcium, not '{nutrient}'."
        )
    target = _check_target(target_mg, f"{nutrient} target")
    info = resolve_food(food)
    per_100g = nutrient_per_100g(info, nutrient) or 0.0
    if per_100g <= 0:
        raise NutrientAbsent(f"{info['name'].capitalize()} has no {nutrient} to speak of.")
    exact_grams = target * 100 / per_100g
    limit = int(load("planning_limits.yml")["max_servings_inverse"])
    servings = exact_grams / info["default_portion"]["grams"]
    if servings > limit:
        serving_text = amount_words(info["default_portion"]["amount"],
                                    info["default_portion"]["unit"])
        raise UnrealisticAmount(
            f"{target:g} mg of {nutrient} from {info['name']} alone would take about "
            f"{math.ceil(servings)} servings of {serving_text}. That is more than the "
            f"{limit} servings of one food I plan in a day. It is better to get it "
            "from several foods.",
            round(servings, 1),
            limit,
        )
    unit = _household_unit(info, exact_grams)
    if unit in GRAMS_PER_UNIT:
        per_unit = GRAMS_PER_UNIT[unit]
    else:
        per_unit = portion_grams(info, 1.0, unit)[0]
    steps = _STEPS.get(unit, _COUNT_STEP)
    if exact_grams / per_unit < steps[0] / 2:
        # less than half the smallest household step: say it in grams
        unit, per_unit, steps = "g", 1.0, _STEPS["g"]
    amount = _round_step(exact_grams / per_unit, steps)
    portion = magnesium_in_portion(info["key"], amount, unit)
    mineral = portion.magnesium_mg if nutrient == "magnesium" else portion.calcium_mg
    counted = _count(info, portion.grams) if unit == "oz" else None
    amount_text = amount_words(amount, unit)
    extra = _grams_words(portion.grams)
    if counted is not None:
        extra += f", {counted[0]} {counted[1]}"
    return FoodAmount(
        food=info["key"],
        food_name=info["name"],
        nutrient=nutrient,
        target_mg=target,
        exact_grams=round(exact_grams, 2),
        amount=amount,
        unit=unit,
        amount_text=amount_text,
        grams=portion.grams,
        count=counted[0] if counted else None,
        count_noun=counted[1] if counted else None,
        text=f"about {amount_text} ({extra})" if unit != "g" else f"about {extra}",
        nutrient_mg=mineral,
        servings=round(servings, 2),
        max_servings=limit,
        source=food_source(),
    )


@dataclass(frozen=True)
class CompoundAmount:
    """Result of :func:`compound_for_elemental`."""

    form: str
    form_name: str
    hydrate: str  # "anhydrous" or a hydrate name
    hydrate_assumed: bool  # neither the name nor the caller said which hydrate
    elemental_mg: float  # the elemental magnesium asked for
    compound_mg: float  # milligrams of the compound that hold it (to 1 mg)
    percent_elemental: float
    supplement_ul_mg: float  # the supplemental upper limit used
    ul_age_assumed: bool  # no age given: the adult limit was used
    source: str


def compound_for_elemental(
    form: str,
    elemental_mg: float,
    age_years: float | None = None,
    hydrate: str | None = None,
) -> CompoundAmount:
    """Milligrams of a supplement compound that hold ``elemental_mg`` of magnesium.

    The hydrate is chosen as :func:`supplements.elemental_magnesium` chooses it.
    The supplemental upper limit is the one for ``age_years`` (the adult one when
    no age is given, flagged in ``ul_age_assumed``).

    >>> compound_for_elemental("magnesium oxide", 300).compound_mg
    497.0

    Raises :class:`InvalidAmount` for an amount that is not a positive number,
    :class:`UnknownSupplementForm` for an unknown form or hydrate,
    :class:`NutritionError` for a product for the skin, and
    :class:`AboveSupplementLimit` when the amount is above the upper limit (or
    for a baby, for whom no limit is set).
    """
    target = _check_target(elemental_mg, "amount of elemental magnesium")
    found = find_form(form)
    info = form_info(found.form)
    if found.topical:
        raise NutritionError(
            f"'{form.strip()}' is put on the skin, not swallowed, so I can't say how much "
            "of it gives an amount of magnesium."
        )
    ul_age_assumed = age_years is None
    ul = supplement_ul_mg(age_years=ADULT_AGE_YEARS if age_years is None else age_years)
    if ul is None:
        raise AboveSupplementLimit(
            "No safe upper limit for magnesium supplements is set for babies. Please ask "
            "a doctor before giving a baby any magnesium supplement.",
            target,
            None,
        )
    if target > ul:
        raise AboveSupplementLimit(
            f"{target:g} mg of magnesium from a supplement is above the upper limit of "
            f"{ul:g} mg a day for {'adults' if ul_age_assumed else 'this age'}. I won't work "
            "out a dose above it. Please talk to a doctor.",
            target,
            ul,
        )
    chosen = hydrate.strip().lower() if isinstance(hydrate, str) else found.hydrate
    assumed = hydrate is None and found.hydrate is None
    if chosen is None:
        chosen = info.get("default_hydrate", ANHYDROUS)
    fraction = elemental_fraction(found.form, chosen)
    return CompoundAmount(
        form=found.form,
        form_name=info["name"],
        hydrate=chosen,
        hydrate_assumed=assumed,
        elemental_mg=target,
        compound_mg=float(round(target / fraction)),
        percent_elemental=round(100 * fraction, 1),
        supplement_ul_mg=float(ul),
        ul_age_assumed=ul_age_assumed,
        source=supplement_source(),
    )



def beyond_need(target_mg: float, need_mg: float) -> bool:
    """True when ``target_mg`` a day is more than ``implausible_target_factor`` times the
    person's RDA/AI ``need_mg`` ("10,000 mg of magnesium from food")."""
    factor = float(load("planning_limits.yml")["implausible_target_factor"])
    return target_mg > factor * need_mg


# "gives 100 mg", "give me 150 mg", "to get 300 mg", "for 100 mg", "for 1.5 g"
_FOR_AMOUNT = re.compile(
    r"\b(?:gives?|giving|provides?|would give|to get|to reach|get me|for)\s+"
    r"(?:me\s+|you\s+|us\s+|about\s+|around\s+|roughly\s+)*"
    r"-?[\d.,]+\s*(?:mg|milligrams?|g|grams?)\b",
    re.IGNORECASE,
)


def asks_amount_for_target(text: str) -> bool:
    """True when a message asks how much of something gives an amount ("how many cashews
    give me 150 mg?", "how much citrate for 100 mg of elemental magnesium?") rather than
    what an amount holds ("how much magnesium is in 500 mg of citrate?")."""
    return bool(_FOR_AMOUNT.search(text or ""))
