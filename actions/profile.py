"""The person's profile (age, sex, pregnancy/breastfeeding) kept in slots, and its checks.

Slots (declared in the "# == computed answers" part of domain.yml):

* ``age``        - age in years (a float; a baby of 8 months is 0.667);
* ``sex``        - "female" or "male";
* ``life_stage`` - "pregnant", "lactating", "postmenopausal", "premenopausal",
  "perimenopausal" (extractor values), "none" (the user said neither) or "not_stated"
  (the user gave age and sex in one go and said nothing about pregnancy: the answer comes
  at once and offers to adjust).

Every figure and every rule about which details matter comes from the nutrition core
(:mod:`nutrition.intake`); this module only asks it. No reply wording here: the
checks return the names of domain responses and their placeholder values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from actions.entities import AgeMention, NumberMention
from nutrition.data_files import load
from nutrition.errors import InvalidProfile
from nutrition.intake import RecommendedIntake, recommended_intake

SLOTS = ("age", "sex", "life_stage")
SEXES = ("female", "male")
PREGNANCY_STAGES = ("pregnant", "lactating")
FEMALE_STAGES = ("pregnant", "lactating", "postmenopausal", "premenopausal", "perimenopausal")
NONE = "none"
NOT_STATED = "not_stated"
LIFE_STAGES = FEMALE_STAGES + (NONE, NOT_STATED)

Message = tuple[str, dict[str, Any]]


def max_age_years() -> float:
    """The oldest age the reference tables accept (from the core's table)."""
    return float(load("reference_intakes.yml")["max_age_years"])


@lru_cache(maxsize=512)
def _accepts(age_years: float, sex: str | None, pregnant: bool) -> bool:
    try:
        recommended_intake(age_years=age_years, sex=sex, pregnant=pregnant)
    except InvalidProfile:
        return False
    return True


def sex_matters(age_years: float) -> bool:
    """True when the tables give different figures for females and males at this age."""
    return not _accepts(round(age_years, 6), None, False)


def pregnancy_figures_exist(age_years: float) -> bool:
    """True when the tables have pregnancy/breastfeeding figures for this age."""
    return _accepts(round(age_years, 6), "female", True)


@dataclass(frozen=True)
class Profile:
    """A validated profile (any field may still be unknown)."""

    age: float | None = None
    sex: str | None = None
    life_stage: str | None = None

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> Profile:
        """Read the slots, dropping any value that doesn't pass the checks."""
        age = slots.get("age")
        age = float(age) if check_age_years(age) is None else None
        sex = slots.get("sex") if slots.get("sex") in SEXES else None
        stage = slots.get("life_stage") if slots.get("life_stage") in LIFE_STAGES else None
        if stage in PREGNANCY_STAGES and sex == "male":
            stage = None
        return cls(age, sex, stage)

    @property
    def pregnant(self) -> bool:
        return self.life_stage == "pregnant"

    @property
    def lactating(self) -> bool:
        return self.life_stage == "lactating"

    def missing(self) -> list[str]:
        """The slots still needed for a personal answer, in the order to ask for them."""
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

    @property
    def complete(self) -> bool:
        return self.age is not None and not self.missing()

    def intake(self) -> RecommendedIntake | None:
        """The reference intakes for this profile, or ``None`` while it is incomplete."""
        if not self.complete:
            return None
        try:
            return recommended_intake(
                age_years=self.age, sex=self.sex, pregnant=self.pregnant, lactating=self.lactating
            )
        except InvalidProfile:
            return None


def check_age_years(value: Any) -> Message | None:
    """``None`` when ``value`` is a usable age in years, else the reply that explains why not."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ("utter_profile_age_unreadable", {"text": str(value)})
    try:
        recommended_intake(age_years=float(value), sex="female")
    except InvalidProfile:
        if value != value or value in (float("inf"), float("-inf")):  # NaN / infinite
            return ("utter_profile_age_unreadable", {"text": str(value)})
        if value < 0:
            return ("utter_profile_age_negative", {})
        return ("utter_profile_age_too_high", {"age": value, "max_age": max_age_years()})
    return None


# ------------------------------------------------------------------------------ updates


@dataclass
class Update:
    """What the latest message says about the profile, before checking."""

    age: AgeMention | NumberMention | None = None
    sex: str | None = None
    life_stage: str | None = None
    said_neither: bool = False
    one_shot: bool = False  # age and sex given together when the form starts
    # the form asked for this slot and the answer held nothing usable for it
    unreadable: str | None = None
    text: str = ""  # the user's words, to quote back
    # the user asked for their figure again while the form still needs an answer
    asked_again: str | None = None

    @property
    def empty(self) -> bool:
        return (
            self.age is None and self.sex is None and self.life_stage is None
            and not self.said_neither and self.unreadable is None and self.asked_again is None
        )


@dataclass
class Checked:
    """The slot values to set and the replies that explain any value not used."""

    slots: dict[str, Any] = field(default_factory=dict)
    messages: list[Message] = field(default_factory=list)


def _age_years(mention: AgeMention | NumberMention) -> tuple[float | None, Message | None]:
    if isinstance(mention, AgeMention):
        if mention.value is None:
            return None, ("utter_profile_age_unreadable", {"text": str(mention.raw)})
        years = mention.years
    else:
        if mention.negative:
            return None, ("utter_profile_age_negative", {})
        if mention.value is None:
            return None, ("utter_profile_age_unreadable", {"text": mention.text})
        years = mention.value
    problem = check_age_years(years)
    return (None, problem) if problem else (years, None)


def apply_update(current: Profile, update: Update) -> Checked:
    """Check ``update`` against the tables and merge it into ``current``.

    The latest message wins over older answers; values that don't fit the tables are not
    used and each gets a reply naming the problem. Returns the slot values to set (only
    the ones that change, plus an explicit ``None`` for an answer that was not usable, so
    that the form asks again).
    """
    checked = Checked()
    age, sex, stage = current.age, current.sex, current.life_stage

    if update.age is not None:
        years, problem = _age_years(update.age)
        if problem:
            checked.messages.append(problem)
            if current.age is None:
                checked.slots["age"] = None
        else:
            age = years
            checked.slots["age"] = years
            if isinstance(update.age, AgeMention) and update.age.approximate:
                checked.messages.append(("utter_profile_age_approximate", {"age": years}))

    if update.sex is not None:
        if update.sex in SEXES:
            sex = update.sex
            checked.slots["sex"] = sex
            if sex == "male" and stage in FEMALE_STAGES:
                stage = None
                checked.slots["life_stage"] = None
        else:
            checked.messages.append(("utter_profile_sex_unreadable", {}))
            checked.slots["sex"] = current.sex

    if update.said_neither:
        stage = NONE
        checked.slots["life_stage"] = NONE
    elif update.life_stage is not None:
        new_stage = update.life_stage if update.life_stage in LIFE_STAGES else None
        if new_stage is None:
            checked.messages.append(("utter_profile_life_stage_unreadable", {}))
        elif new_stage in FEMALE_STAGES and update.sex == "male":
            checked.messages.append(("utter_profile_female_only", {}))
        else:
            stage = new_stage
            checked.slots["life_stage"] = stage
            if new_stage in FEMALE_STAGES and sex != "female":
                sex = "female"
                checked.slots["sex"] = sex

    # pregnancy figures exist only for some ages: otherwise use the usual figures
    if stage in PREGNANCY_STAGES and age is not None and not pregnancy_figures_exist(age):
        checked.messages.append(("utter_profile_pregnancy_outside_tables", {}))
        stage = NONE
        checked.slots["life_stage"] = NONE

    current_values = {"age": current.age, "sex": current.sex, "life_stage": current.life_stage}
    if update.unreadable in SLOTS and update.unreadable not in checked.slots:
        name = f"utter_profile_{update.unreadable}_unreadable"
        checked.messages.append((name, {"text": update.text}))
        checked.slots[update.unreadable] = current_values[update.unreadable]
    if update.asked_again in SLOTS and update.asked_again not in checked.slots:
        checked.messages.append(("utter_profile_needed", {}))
        checked.slots[update.asked_again] = current_values[update.asked_again]

    # answer a one-shot question ("a 45 year old woman") at once, offering to adjust
    if (
        update.one_shot
        and stage is None
        and sex == "female"
        and age is not None
        and pregnancy_figures_exist(age)
    ):
        checked.slots["life_stage"] = NOT_STATED
    return checked
