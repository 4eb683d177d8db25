"""Calcium-to-magnesium ratio arithmetic.

The official target is the person's RDA (or AI) for magnesium, and for calcium: the
results say whether the stated intakes meet them. The 1:1 and 2:1 ratios are opinions of
some experts (seed article), not a consensus and not targets; results carry
``is_opinion = True`` so replies can say so, and ``ratio_amounts_above_rda`` says when
the magnesium a ratio would ask for is more than the RDA (the reference itself says
higher doses are not needed, so replies must not present those amounts as needed).
Whatever the ratio suggests, supplemental magnesium is capped at the age's UL
(:mod:`intake`); without an age the adult UL (9 years and older) is used.

Warning codes in :attr:`RatioAdvice.warnings`:

* ``ratio_far_above_2_to_1`` - calcium/magnesium above :data:`FAR_ABOVE_RATIO` while
  the magnesium intake is below the RDA (below the lowest adult RDA when the RDA is not
  known): intake that meets the RDA is never called too low;
* ``no_magnesium_intake`` - magnesium given as 0 (ratio undefined);
* ``supplement_above_ul`` - the stated supplemental magnesium exceeds the UL;
* ``target_above_supplement_ul`` - the 2:1 magnesium amount is more than the UL,
  so at most the UL may come from supplements (the rest from food);
* ``ul_not_established`` - infants: no supplemental magnesium UL exists.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import InvalidAmount
from .intake import adult_rda_range_mg, adult_supplement_ul_mg, supplement_ul_mg

#: A calcium:magnesium ratio above this counts as "far above 2:1".
FAR_ABOVE_RATIO = 3.0


@dataclass(frozen=True)
class RatioAdvice:
    """Result of :func:`ratio_advice` (all amounts mg/day)."""

    calcium_mg: float
    magnesium_mg: float | None
    magnesium_for_1_to_1_mg: float
    magnesium_for_2_to_1_mg: float
    current_ratio: float | None  # calcium / magnesium, None if magnesium unknown or 0
    supplemental_ul_mg: float | None
    supplemental_magnesium_mg: float | None
    gap_to_2_to_1_mg: float | None
    warnings: tuple[str, ...]
    is_opinion: bool = True
    magnesium_rda_mg: float | None = None  # the person's RDA/AI; None: profile unknown
    calcium_rda_mg: float | None = None
    magnesium_meets_rda: bool | None = None  # None: intake or RDA unknown
    calcium_meets_rda: bool | None = None
    magnesium_short_of_rda_mg: float | None = None  # 0 when the RDA is met
    # the 2:1 (and so the 1:1) amount is more than the RDA (the highest adult RDA when the
    # person's is not known): such an amount is an opinion, never a need
    ratio_amounts_above_rda: bool = False
    one_to_one_above_rda: bool = False  # the same for the 1:1 amount


def calcium_to_magnesium(calcium_mg: float, magnesium_mg: float) -> float | None:
    """Calcium divided by magnesium (``None`` when there is no magnesium to divide by),
    exact: a reply rounds it once, for reading. A ratio only: whether it is "right" is an
    opinion (module docstring)."""
    if magnesium_mg <= 0:
        return None
    return calcium_mg / magnesium_mg


def _optional_amount(value: object, name: str) -> float | None:
    return None if value is None else _amount(value, name)


def _amount(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidAmount(f"The {name} amount must be a number of milligrams.")
    if value < 0:
        raise InvalidAmount(f"The {name} amount can't be negative.")
    if value > 100_000:
        raise InvalidAmount(f"{value:g} mg of {name} a day is not a plausible intake.")
    return float(value)


def ratio_advice(
    calcium_mg: float,
    magnesium_mg: float | None = None,
    age_years: float | None = None,
    age_months: float | None = None,
    supplemental_magnesium_mg: float | None = None,
    magnesium_rda_mg: float | None = None,
    calcium_rda_mg: float | None = None,
) -> RatioAdvice:
    """Magnesium amounts for 1:1 and 2:1 calcium:magnesium, and warnings.

    >>> advice = ratio_advice(1200)
    >>> advice.magnesium_for_2_to_1_mg, advice.supplemental_ul_mg
    (600.0, 350)
    >>> her = ratio_advice(1200, 320, magnesium_rda_mg=320, calcium_rda_mg=1200)
    >>> her.magnesium_meets_rda, her.calcium_meets_rda, her.ratio_amounts_above_rda
    (True, True, True)

    Raises :class:`InvalidAmount` for negative or non-numeric amounts and for
    a calcium amount of 0 (no ratio can be formed).
    """
    calcium = _amount(calcium_mg, "calcium")
    if calcium == 0:
        raise InvalidAmount("With no calcium there is no calcium-to-magnesium ratio to work out.")
    magnesium = _optional_amount(magnesium_mg, "magnesium")
    supplemental = _optional_amount(supplemental_magnesium_mg, "supplemental magnesium")
    if age_years is None and age_months is None:
        ul = adult_supplement_ul_mg()
    else:
        ul = supplement_ul_mg(age_years, age_months)
    mg_rda = _optional_amount(magnesium_rda_mg, "magnesium RDA")
    ca_rda = _optional_amount(calcium_rda_mg, "calcium RDA")
    warnings: list[str] = []
    ratio = None
    gap = None
    target_2 = calcium / 2
    meets = None if magnesium is None or mg_rda is None else magnesium >= mg_rda
    short = None if magnesium is None or mg_rda is None else max(0.0, mg_rda - magnesium)
    if magnesium is not None:
        low_bar = mg_rda if mg_rda is not None else adult_rda_range_mg()[0]
        if magnesium == 0:
            warnings.append("no_magnesium_intake")
        else:
            ratio = calcium_to_magnesium(calcium, magnesium)
            if ratio is not None and ratio > FAR_ABOVE_RATIO and magnesium < low_bar:
                warnings.append("ratio_far_above_2_to_1")
        gap = max(0.0, target_2 - magnesium)
    reference = mg_rda if mg_rda is not None else adult_rda_range_mg()[1]
    if ul is None:
        warnings.append("ul_not_established")
    else:
        if supplemental is not None and supplemental > ul:
            warnings.append("supplement_above_ul")
        if target_2 > ul:
            warnings.append("target_above_supplement_ul")
    return RatioAdvice(
        calcium_mg=calcium,
        magnesium_mg=magnesium,
        magnesium_for_1_to_1_mg=calcium,
        magnesium_for_2_to_1_mg=target_2,
        current_ratio=ratio,
        supplemental_ul_mg=ul,
        supplemental_magnesium_mg=supplemental,
        gap_to_2_to_1_mg=gap,
        warnings=tuple(warnings),
        magnesium_rda_mg=mg_rda,
        calcium_rda_mg=ca_rda,
        magnesium_meets_rda=meets,
        calcium_meets_rda=None if ca_rda is None else calcium >= ca_rda,
        magnesium_short_of_rda_mg=short,
        ratio_amounts_above_rda=target_2 > reference,
        one_to_one_above_rda=calcium > reference,
    )
