"""Recommended daily intakes of magnesium, calcium and vitamin D by life stage.

Data: ``data/reference_intakes.yml`` (IOM 1997 and 2011; FDA Daily Value).

Decisions on cases the tables do not cover:

* Pregnancy and lactation figures exist for ages 14-50. The IOM tables put
  every pregnant or lactating person up to 18 in one "<= 18 y" row, so someone
  younger than 14 gets the 14-18 pregnancy/lactation figures (magnesium,
  calcium, vitamin D and their ULs; ``life_stage`` says "up to 18 years").
  The data table sets the youngest age accepted for this (9 years); younger
  or older than 50 gets :class:`InvalidProfile` (refer to a clinician).
* Pregnant *and* lactating at once: the pregnancy figures are used (they are
  equal to or higher than the lactation ones for all three nutrients).
* Sex is needed only where the tables differ by sex (14 years and older);
  younger children may omit it. Pregnancy or lactation implies female.
  The tables know only "male" and "female"; other values are rejected with a
  message asking which table to use.
* Age may be given in years, in months, or both (added: 1 year + 3 months).
  Ages must be 0 to 125 years.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from .data_files import load
from .errors import InvalidProfile

_FILE = "reference_intakes.yml"

_SEX_WORDS = {
    "male": "male", "m": "male", "man": "male", "men": "male", "boy": "male",
    "female": "female", "f": "female", "woman": "female", "women": "female",
    "girl": "female", "lady": "female",
}


def _table() -> dict[str, Any]:
    table: dict[str, Any] = load(_FILE)
    return table



def daily_value_mg() -> float:
    """The magnesium Daily Value of food labels (the comparison when no personal target is
    known)."""
    return float(load("reference_intakes.yml")["daily_value"]["magnesium_mg"])

@dataclass(frozen=True)
class RecommendedIntake:
    """Daily reference intakes for one person."""

    life_stage: str  # e.g. "31-50 years", "14-18 years, pregnancy"
    age_months: float
    sex: str | None
    pregnant: bool
    lactating: bool
    magnesium_mg: float
    magnesium_kind: str  # "RDA" or "AI"
    magnesium_supplement_ul_mg: float | None  # None: not established (infants)
    daily_value_mg: float | None  # label Daily Value, None under 4 years
    calcium_mg: float
    calcium_kind: str
    calcium_ul_mg: float
    vitamin_d_mcg: float
    vitamin_d_iu: float
    vitamin_d_kind: str
    vitamin_d_ul_mcg: float
    vitamin_d_ul_iu: float
    sources: dict[str, str]


def normalise_sex(sex: object) -> str | None:
    """Map "F", "woman", "Male", ... to "male"/"female"; None stays None.

    Raises :class:`InvalidProfile` for anything else.
    """
    if sex is None:
        return None
    if isinstance(sex, str):
        cleaned = sex.strip().lower()
        if not cleaned:
            return None
        if cleaned in _SEX_WORDS:
            return _SEX_WORDS[cleaned]
    raise InvalidProfile(
        "The reference tables are given for males and females; please tell me which "
        "of the two tables to use."
    )


def age_in_months(age_years: object = None, age_months: object = None) -> float:
    """Total age in months from years and/or months; validates the range."""
    if age_years is None and age_months is None:
        raise InvalidProfile("Please tell me the age (in years, or in months for babies).")
    total = 0.0
    for value, factor, name in ((age_years, 12.0, "years"), (age_months, 1.0, "months")):
        if value is None:
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise InvalidProfile(f"The age in {name} must be a number.")
        if value < 0:
            raise InvalidProfile("An age can't be negative.")
        total += value * factor
    if total > _table()["max_age_years"] * 12:
        raise InvalidProfile(
            f"I can only give figures for ages up to {_table()['max_age_years']} years."
        )
    return total


def _band(rows: list[dict[str, Any]], months: float) -> dict[str, Any]:
    for row in rows:
        if row["from_months"] <= months < row["to_months"]:
            return row
    raise InvalidProfile("That age is outside the reference tables.")  # pragma: no cover


def band_row(table_name: str, age_months: float) -> dict[str, Any]:
    """The row of an age-banded table (``magnesium``, ``calcium``, ``vitamin_d``,
    ``magnesium_supplement_ul``, ...) that covers an age in months."""
    return _band(_table()[table_name], age_months)


def oldest_row(table_name: str) -> dict[str, Any]:
    """The last row of an age-banded table (its oldest ages)."""
    row: dict[str, Any] = _table()[table_name][-1]
    return row


def table_source(key: str) -> str:
    """The source note of one part of the table (``magnesium``, ``magnesium_ul``, ...)."""
    return str(_table()["source"][key])


def _sexed(row: dict[str, Any], sex: str | None, state: str | None, what: str) -> float:
    figure: float
    if state is not None:
        figure = row[state]
        return figure
    if row["male"] == row["female"]:
        figure = row["male"]
        return figure
    if sex is None:
        raise InvalidProfile(
            f"For {row['label']} the {what} figure differs for males and females; "
            "please tell me which applies."
        )
    figure = row[sex]
    return figure


def recommended_intake(
    age_years: float | None = None,
    age_months: float | None = None,
    sex: str | None = None,
    pregnant: bool = False,
    lactating: bool = False,
) -> RecommendedIntake:
    """Reference intakes of magnesium, calcium and vitamin D for a person.

    >>> r = recommended_intake(age_years=40, sex="female")
    >>> (r.magnesium_mg, r.magnesium_kind, r.magnesium_supplement_ul_mg)
    (320, 'RDA', 350)

    Raises :class:`InvalidProfile` (a :class:`NutritionError`) for impossible
    or uncovered profiles; see the module docstring for the rules.
    """
    months = age_in_months(age_years, age_months)
    sex = normalise_sex(sex)
    pregnant = bool(pregnant)
    lactating = bool(lactating)
    state = "pregnancy" if pregnant else "lactation" if lactating else None
    if state is not None:
        if sex == "male":
            raise InvalidProfile("Pregnancy and breastfeeding figures apply to females only.")
        sex = "female"
    table = _table()
    young = table["pregnancy_lactation_up_to_18"]
    lookup_months = months
    if state is not None and young["accepted_from_months"] <= months < young["row_from_months"]:
        lookup_months = young["row_from_months"]
    magnesium = _band(table["magnesium"], lookup_months)
    if state is not None and state not in magnesium:
        youngest = young["accepted_from_months"] / 12
        raise InvalidProfile(
            f"I can give pregnancy and breastfeeding figures only for ages {youngest:g} "
            "to 50; please ask a doctor or midwife about other ages."
        )
    calcium = _band(table["calcium"], lookup_months)
    vitamin_d = _band(table["vitamin_d"], lookup_months)
    vitamin_d_ul = _band(table["vitamin_d_ul"], lookup_months)
    label = young["label"] if lookup_months != months else magnesium["label"]
    if state == "pregnancy":
        label += ", pregnancy"
    elif state == "lactation":
        label += ", lactation"
    daily_value = table["daily_value"]
    return RecommendedIntake(
        life_stage=label,
        age_months=months,
        sex=sex,
        pregnant=pregnant,
        lactating=lactating,
        magnesium_mg=_sexed(magnesium, sex, state, "magnesium"),
        magnesium_kind=magnesium["kind"],
        magnesium_supplement_ul_mg=_band(table["magnesium_supplement_ul"], lookup_months)["mg"],
        daily_value_mg=(
            daily_value["magnesium_mg"] if months >= daily_value["applies_from_months"] else None
        ),
        calcium_mg=_sexed(calcium, sex, state, "calcium"),
        calcium_kind=calcium["kind"],
        calcium_ul_mg=_band(table["calcium_ul"], lookup_months)["mg"],
        vitamin_d_mcg=vitamin_d["mcg"],
        vitamin_d_iu=vitamin_d["iu"],
        vitamin_d_kind=vitamin_d["kind"],
        vitamin_d_ul_mcg=vitamin_d_ul["mcg"],
        vitamin_d_ul_iu=vitamin_d_ul["iu"],
        sources=dict(table["source"]),
    )


def supplement_ul_mg(
    age_years: float | None = None, age_months: float | None = None
) -> float | None:
    """Supplemental magnesium UL for an age (``None`` = not established, infants)."""
    months = age_in_months(age_years, age_months)
    ul: float | None = _band(_table()["magnesium_supplement_ul"], months)["mg"]
    return ul


# ------------------------------------------------------------------------------ table rules
# What the tables themselves say about a profile, answered without raising: which details
# matter at an age, and whether an age is one they cover.

AgeProblem = Literal["unreadable", "negative", "too_high"]
# Adult ages probed for the adult range of the RDA (19-30, 31-50 and 51+ years).
_ADULT_BAND_AGES = (19.0, 31.0, 51.0)
# An adult age for "the adult upper limit" when the person's age isn't known (the
# supplemental upper limit is the same for every age from 9 years on).
ADULT_AGE_YEARS = 30.0


def max_age_years() -> float:
    """The oldest age the reference tables accept."""
    return float(_table()["max_age_years"])


def age_problem(value: object) -> AgeProblem | None:
    """``None`` when ``value`` is an age in years the tables cover, else what is wrong with
    it: ``"unreadable"`` (not a finite number), ``"negative"`` or ``"too_high"``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return "unreadable"
    if value < 0:
        return "negative"
    if value * 12 > max_age_years() * 12:  # in months, as age_in_months checks it
        return "too_high"
    return None


def _rows_at(age_years: float) -> dict[str, dict[str, Any]] | None:
    """The magnesium and calcium rows for an age, or ``None`` outside the tables."""
    if age_problem(age_years) is not None:
        return None
    months = age_years * 12
    table = _table()
    return {name: _band(table[name], months) for name in ("magnesium", "calcium")}


def sex_matters(age_years: float) -> bool:
    """True when the tables give females and males different figures at this age (False
    for an age outside the tables)."""
    rows = _rows_at(age_years)
    return rows is not None and any(row["male"] != row["female"] for row in rows.values())


def details_that_matter(nutrient: str, age_years: float) -> tuple[bool, bool]:
    """For one nutrient's table (``calcium``, ``vitamin_d``, ``magnesium``) at an age:
    whether its figure differs for females and males, and whether a pregnancy or
    breastfeeding changes it. ``(False, False)`` for an age outside the tables. Vitamin D
    has one figure for everyone of an age; calcium differs by sex only at 51-70 years."""
    if age_problem(age_years) is not None:
        return False, False
    row = _band(_table()[nutrient], age_years * 12)
    by_sex = "male" in row and row["male"] != row["female"]
    by_stage = any(stage in row and row[stage] != row.get("female")
                   for stage in ("pregnancy", "lactation"))
    return by_sex, by_stage


def pregnancy_figures_exist(age_years: float) -> bool:
    """True when the tables have pregnancy and breastfeeding figures for this age."""
    rows = _rows_at(age_years)
    return rows is not None and all(
        "pregnancy" in row and "lactation" in row for row in rows.values()
    )


def pregnancy_accepted(age_years: float) -> bool:
    """True when figures for a pregnancy or breastfeeding can be given at this age: where
    the tables have pregnancy rows of their own, and from ``accepted_from_months`` (9
    years) with the IOM "up to 18 years" row. The assistant asks about pregnancy only at
    the first kind of age (:func:`pregnancy_figures_exist`); at 9-13 it uses what the user
    says."""
    if pregnancy_figures_exist(age_years):
        return True
    young = _table()["pregnancy_lactation_up_to_18"]
    months = age_years * 12
    return bool(young["accepted_from_months"] <= months < young["row_from_months"])


def adult_rda_range_mg() -> tuple[float, float]:
    """Lowest and highest adult magnesium RDA (not pregnant) in the tables."""
    figures = [
        recommended_intake(age_years=age, sex=sex).magnesium_mg
        for age in _ADULT_BAND_AGES
        for sex in ("female", "male")
    ]
    return min(figures), max(figures)


def adult_supplement_ul_mg() -> float | None:
    """The supplemental upper limit for adults."""
    return supplement_ul_mg(age_years=ADULT_AGE_YEARS)
