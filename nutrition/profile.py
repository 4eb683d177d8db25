"""A person's profile (age, sex, pregnancy/breastfeeding) and what it still needs.

The one place that answers, from the reference tables (:mod:`nutrition.intake`), which
details a personal answer needs: age always; sex only where the tables differ by sex;
pregnancy/breastfeeding is asked only of females of the ages with pregnancy rows of their
own (14-50); a pregnancy the user states at 9-13 is answered from the IOM "up to 18" row.
No caller has to probe the tables or catch :class:`~nutrition.errors.InvalidProfile`.

Values of ``life_stage``: "pregnant", "lactating", "postmenopausal", "premenopausal",
"perimenopausal" (what people say), "none" (neither pregnant nor breastfeeding) or
"not_stated" (age and sex were given in one go, nothing about pregnancy: the answer comes
at once and offers to adjust).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .errors import InvalidProfile
from .intake import (
    RecommendedIntake,
    adult_supplement_ul_mg,
    age_problem,
    details_that_matter,
    pregnancy_accepted,
    pregnancy_figures_exist,
    recommended_intake,
    sex_matters,
    supplement_ul_mg,
)
from .nutrients import DEFAULT_NUTRIENT

FIELDS = ("age", "sex", "life_stage")
SEXES = ("female", "male")
PREGNANCY_STAGES = ("pregnant", "lactating")
FEMALE_STAGES = ("pregnant", "lactating", "postmenopausal", "premenopausal", "perimenopausal")
NONE = "none"
NOT_STATED = "not_stated"
LIFE_STAGES = FEMALE_STAGES + (NONE, NOT_STATED)


@dataclass(frozen=True)
class Profile:
    """A checked profile: each field is a value the tables accept, or ``None`` (unknown)."""

    age: float | None = None
    sex: str | None = None
    life_stage: str | None = None

    @classmethod
    def from_values(cls, values: Mapping[str, object]) -> Profile:
        """The profile in ``values`` (``age``, ``sex``, ``life_stage``), dropping any value
        the tables don't accept (and pregnancy for a male)."""
        age = values.get("age")
        years = float(age) if isinstance(age, int | float) and age_problem(age) is None else None
        sex = values.get("sex")
        stage = values.get("life_stage")
        known_sex = sex if isinstance(sex, str) and sex in SEXES else None
        known_stage = stage if isinstance(stage, str) and stage in LIFE_STAGES else None
        if known_stage in PREGNANCY_STAGES and known_sex == "male":
            known_stage = None
        return cls(years, known_sex, known_stage)

    @property
    def pregnant(self) -> bool:
        return self.life_stage == "pregnant"

    @property
    def lactating(self) -> bool:
        return self.life_stage == "lactating"

    def needs(self) -> list[str]:
        """The fields still needed for a personal answer, in the order to ask for them."""
        if self.age is None:
            return ["age"]
        needed = []
        if self.sex is None and sex_matters(self.age):
            needed.append("sex")
        if (
            self.life_stage is None
            and self.sex in (None, "female")
            and pregnancy_figures_exist(self.age)
            and (self.sex == "female" or "sex" in needed)
        ):
            needed.append("life_stage")
        return needed

    def needs_for(self, nutrient: str) -> list[str]:
        """The fields still needed for the figures of one nutrient: magnesium's answer
        shows calcium and vitamin D too (:meth:`needs`); a calcium or vitamin D answer needs
        sex or pregnancy only where that nutrient's own table differs by them."""
        if nutrient == DEFAULT_NUTRIENT:
            return self.needs()
        if self.age is None:
            return ["age"]
        by_sex, by_stage = details_that_matter(nutrient, self.age)
        needed = []
        if self.sex is None and by_sex:
            needed.append("sex")
        if (self.life_stage is None and by_stage and self.sex in (None, "female")
                and pregnancy_figures_exist(self.age)
                and (self.sex == "female" or "sex" in needed)):
            needed.append("life_stage")
        return needed

    def intake_for(self, nutrient: str) -> RecommendedIntake | None:
        """The reference intakes to answer about one nutrient, ``None`` while details it
        needs are missing. Where that nutrient's table does not differ by sex and the sex
        is not known, the female row stands in: its figures of that nutrient are the ones
        for everyone (the magnesium figures of such a result must not be shown)."""
        if nutrient == DEFAULT_NUTRIENT:
            return self.intake()
        if self.age is None or self.needs_for(nutrient):
            return None
        if (self.pregnant or self.lactating) and not pregnancy_accepted(self.age):
            return None
        try:
            return recommended_intake(
                age_years=self.age, sex=self.sex or "female", pregnant=self.pregnant,
                lactating=self.lactating)
        except InvalidProfile:  # pragma: no cover - every case is ruled out above
            return None

    @property
    def complete(self) -> bool:
        return self.age is not None and not self.needs()

    @property
    def sex_matters(self) -> bool:
        """True when the tables differ by sex at this person's age (False: age unknown)."""
        return self.age is not None and sex_matters(self.age)

    def intake(self) -> RecommendedIntake | None:
        """The reference intakes for this profile; ``None`` while it is incomplete or when
        the tables have no figures for it (a pregnancy before 9 or after 50)."""
        if self.age is None or not self.complete:
            return None
        if (self.pregnant or self.lactating) and not pregnancy_accepted(self.age):
            return None
        try:
            return recommended_intake(
                age_years=self.age, sex=self.sex, pregnant=self.pregnant, lactating=self.lactating
            )
        except InvalidProfile:  # pragma: no cover - every case is ruled out above
            return None

    def supplement_ul_mg(self) -> tuple[float | None, bool]:
        """The supplemental magnesium upper limit for this person's age (``personal`` True),
        or the adult one while the age is unknown: ``(ul_mg, personal)``; ``ul_mg`` is
        ``None`` where no limit is set (infants)."""
        if self.age is not None:
            return supplement_ul_mg(age_years=self.age), True
        return adult_supplement_ul_mg(), False
