"""The personal magnesium answer: ``action_recommended_intake``, and the checks of the
profile the form collects (``apply_update``; the form itself is in actions/validation.py).

Slots (declared in domain/core.yml): ``age`` (years, a float:
a baby of 8 months is 0.667), ``sex`` and ``life_stage`` (values: nutrition/profile.py).
Every figure and every rule about which details matter comes from the nutrition core
(:mod:`nutrition.profile`, :mod:`nutrition.intake`); this module only asks it. No reply
wording here: the checks return the names of domain responses and their values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.types import DomainDict

from actions.base import (
    ASKED_NUTRIENT_SLOT,
    CURRENT_PERSON_SLOT,
    PENDING_REQUEST_SLOT,
    Answer,
    Chart,
    Turn,
    TurnAction,
)
from actions.entities import AgeMention, NumberMention
from actions.people import last_answer_events, person_ref
from actions.replies import Reply, mg, number, render
from nutrition.bone_density import (
    BoneScore,
    bone_density_source,
    t_score_category,
    t_score_limits,
)
from nutrition.intake import (
    AgeProblem,
    RecommendedIntake,
    age_problem,
    max_age_years,
    pregnancy_accepted,
    pregnancy_figures_exist,
)
from nutrition.nutrients import DEFAULT_NUTRIENT
from nutrition.profile import (
    FEMALE_STAGES,
    FIELDS,
    LIFE_STAGES,
    NONE,
    NOT_STATED,
    PREGNANCY_STAGES,
    SEXES,
    Profile,
)

SLOTS = FIELDS
# From this age the replies say "woman"/"man" rather than "girl"/"boy" (wording only).
ADULT_WORDING_AGE = 18

Message = tuple[str, dict[str, Any]]


class ActionRecommendedIntake(TurnAction):
    """The person's recommended magnesium intake, its upper limit and bone companions."""

    def name(self) -> str:
        return "action_recommended_intake"

    def answer(self, turn: Turn, domain: DomainDict) -> Answer:
        if turn.subject.kind == "unresolved":
            return Answer(Reply().add("utter_person_who", word=turn.subject.word or ""))
        person = turn.person
        asked = turn.nutrients or ((turn.asked_nutrient,) if turn.asked_nutrient else ())
        nutrients = asked or (DEFAULT_NUTRIENT,)
        if person is not None:
            profile = turn.people[person].profile()
            needs = [need for nutrient in nutrients for need in profile.needs_for(nutrient)
                     if need != "life_stage"]
            if needs:
                # "how much does my husband need?": ask for what his answer lacks
                return Answer(Reply().add(f"utter_person_ask_{needs[0]}",
                                          person=person_ref(domain, person)),
                              events=[SlotSet(CURRENT_PERSON_SLOT, person)])
        answer = needs_answer(turn.profile, turn.caution, domain, person, nutrients)
        answer.events = [SlotSet(CURRENT_PERSON_SLOT, None), *answer.events,
                         SlotSet(ASKED_NUTRIENT_SLOT, None)]
        if turn.pending_request:
            # the intake answer was asked for: a request kept before it is dropped
            answer.events.append(SlotSet(PENDING_REQUEST_SLOT, None))
        return answer


def needs_answer(
    profile: Profile, caution: str | None, domain: DomainDict, person: str | None,
    nutrients: tuple[str, ...],
) -> Answer:
    """The reference intakes of each nutrient asked about, in the order asked, as one
    message; follow-ups lean on the last nutrient."""
    answers = [intake_answer(profile, caution, domain, person, nutrient)
               for nutrient in nutrients]
    if len(answers) == 1:
        return answers[0]
    reply = Reply()
    for answer in answers:
        reply.extend(answer.reply.parts)
    return Answer(reply, events=answers[-1].events)


def _who(profile: Profile, intake: RecommendedIntake) -> tuple[str, dict[str, str]]:
    """Whom the figures are for, as the key of a response ending (``baby``, ``woman``,
    ``pregnant``, ...) and its values; the same rule for every nutrient."""
    age = float(profile.age or 0)
    years = number(age, 1)
    if age < 1:
        return "baby", {"months": number(age * 12, 0)}
    if intake.pregnant:
        return "pregnant", {"years": years}
    if intake.lactating:
        return "lactating", {"years": years}
    adult = age >= ADULT_WORDING_AGE
    if profile.sex in SEXES and profile.sex_matters:
        words = {"female": ("woman", "girl"), "male": ("man", "boy")}[str(profile.sex)]
        return (words[0] if adult else words[1]), {"years": years}
    if adult:
        # sex not known where the nutrient's own table doesn't ask for it (vitamin D at 80)
        return "person", {"years": years}
    return "child", {"years": years}


def intake_answer(
    profile: Profile, caution: str | None, domain: DomainDict, person: str | None = None,
    nutrient: str = DEFAULT_NUTRIENT,
) -> Answer:
    """The reference intakes of ``profile``: for the user, or for ``person`` (someone
    else, named in the reply) -- a follow-up's changed profile is answered the same way.
    ``nutrient``: magnesium (with its bone companions), calcium or vitamin D."""
    intake = profile.intake_for(nutrient)
    if intake is None or profile.age is None:
        return Answer(Reply().add("utter_intake_unavailable"))
    if nutrient != DEFAULT_NUTRIENT:
        return companion_answer(profile, intake, domain, person, nutrient)
    reason = caution
    reply = Reply()
    if person is not None:
        reply.add("utter_person_lead", person=person_ref(domain, person))
    target = mg(intake.magnesium_mg)
    who, values = _who(profile, intake)
    reply.add(f"utter_intake_for_{who}", target_mg=target, **values)
    rda = intake.magnesium_kind == "RDA"
    reply.add("utter_intake_kind_rda" if rda else "utter_intake_kind_ai")
    ul = intake.magnesium_supplement_ul_mg
    if reason:
        reply.add("utter_caution_no_supplement_dose", reason=reason)
    elif ul is None:
        reply.add("utter_intake_ul_not_set")
    else:
        reply.add("utter_intake_ul", ul_mg=mg(ul))
    reply.add(
        "utter_intake_companions",
        calcium_mg=mg(intake.calcium_mg),
        vitamin_d_mcg=number(intake.vitamin_d_mcg),
        vitamin_d_iu=number(intake.vitamin_d_iu),
    )
    if profile.life_stage == NOT_STATED:
        if person is None:
            reply.add("utter_intake_offer_pregnancy")
        else:
            reply.add("utter_person_offer_pregnancy", person=person_ref(domain, person))
    clinician_and_source(reply, profile, intake, "utter_intake_clinician_child")

    kind = intake.magnesium_kind
    items: list[dict[str, Any]] = [
        {"label": render(domain, "utter_chart_intake_target", {"kind": kind}),
         "value": intake.magnesium_mg}]
    if ul is not None and not reason:
        items.append({"label": render(domain, "utter_chart_intake_ul"), "value": ul})
        alt = render(domain, "utter_chart_intake_alt_ul",
                     {"target_mg": target, "ul_mg": mg(ul)})
    else:
        alt = render(domain, "utter_chart_intake_alt", {"target_mg": target})
    chart = Chart(render(domain, "utter_chart_intake_title"), intake.magnesium_mg, items, alt)
    # the table row and kind are kept for "why that figure?" (last_category, last_unit)
    return Answer(reply, chart=chart, events=last_answer_events(
        "intake", person, figure_mg=intake.magnesium_mg, category=intake.life_stage,
        unit=intake.magnesium_kind, nutrient=DEFAULT_NUTRIENT))


def clinician_and_source(
    reply: Reply, profile: Profile, intake: RecommendedIntake, child_response: str,
) -> None:
    """Who to ask (pregnancy, a child, an adult), then the source of the intake table."""
    if intake.pregnant or intake.lactating:
        reply.add("utter_intake_clinician_pregnancy")
    elif not profile.sex_matters:
        reply.add(child_response)
    else:
        reply.add("utter_intake_clinician")
    reply.add("utter_intake_source")


def companion_answer(
    profile: Profile, intake: RecommendedIntake, domain: DomainDict, person: str | None,
    nutrient: str,
) -> Answer:
    """Calcium or vitamin D: the RDA/AI of the person's life stage and the upper limit
    (vitamin D in mcg and IU, as the IOM table lists both), then how magnesium fits in."""
    reply = Reply()
    if person is not None:
        reply.add("utter_person_lead", person=person_ref(domain, person))
    who, values = _who(profile, intake)
    lead = render(domain, f"utter_need_who_{who}", values)
    if nutrient == "calcium":
        kind = intake.calcium_kind
        figure: float | None = intake.calcium_mg
        reply.add("utter_need_calcium", who=lead, target_mg=mg(intake.calcium_mg))
    else:
        kind = intake.vitamin_d_kind
        figure = None  # not in mg: "is that a lot?" asks what is meant
        reply.add("utter_need_vitamin_d", who=lead, target_mcg=number(intake.vitamin_d_mcg),
                  target_iu=number(intake.vitamin_d_iu))
    reply.add("utter_intake_kind_rda" if kind == "RDA" else "utter_intake_kind_ai")
    if nutrient == "calcium":
        reply.add("utter_need_calcium_ul", ul_mg=mg(intake.calcium_ul_mg))
    else:
        reply.add("utter_need_vitamin_d_ul", ul_mcg=number(intake.vitamin_d_ul_mcg),
                  ul_iu=number(intake.vitamin_d_ul_iu))
    if profile.needs():
        # the figures came without the details magnesium needs (vitamin D at 80 with no
        # sex given): no magnesium figure, only the pointer to it
        reply.add("utter_need_magnesium_link_general")
    else:
        reply.add("utter_need_magnesium_link", magnesium_mg=mg(intake.magnesium_mg))
    clinician_and_source(reply, profile, intake, "utter_need_clinician_child")
    return Answer(reply, events=last_answer_events(
        "intake", person, figure_mg=figure, category=intake.life_stage, unit=kind,
        nutrient=nutrient))



# ------------------------------------------------------------------------------ profile checks


def age_message(value: object) -> Message | None:
    """``None`` when ``value`` is a usable age in years, else the reply that explains why not."""
    problem: AgeProblem | None = age_problem(value)
    if problem is None:
        return None
    if problem == "negative":
        return ("utter_profile_age_negative", {})
    if problem == "too_high":
        return ("utter_profile_age_too_high", {"age": value, "max_age": max_age_years()})
    return ("utter_profile_age_unreadable", {"text": str(value)})


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
    # bone density scores ("my T-score is -2.7"): never read as an age
    bone_scores: tuple[BoneScore, ...] = ()
    # the form asked for this slot and got only a bone density score: the slot is set again
    # to the value it had, so that the form explains the score and asks its question again
    # (a form that sets no slot at all is rejected, and the turn would go to the fallback)
    ask_again_after_score: str | None = None

    @property
    def empty(self) -> bool:
        return (
            self.age is None and self.sex is None and self.life_stage is None
            and not self.said_neither and self.unreadable is None and self.asked_again is None
            and not self.bone_scores
        )


@dataclass
class Checked:
    """The slot values to set and the replies that explain any value not used."""

    slots: dict[str, Any] = field(default_factory=dict)
    messages: list[Message] = field(default_factory=list)


def _age_years(mention: AgeMention | NumberMention) -> tuple[float | None, Message | None]:
    years: float | None
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
    problem = age_message(years)
    return (None, problem) if problem else (years, None)


def bone_score_messages(score: BoneScore) -> list[Message]:
    """What a bone density score is (not an age), its WHO category when it is a T-score
    written with its sign, and that diet figures depend on age and sex, not on the score."""
    messages: list[Message] = [(f"utter_profile_bone_score_{score.kind}",
                                {"value": number(score.value, 1)})]
    category = t_score_category(score)
    if category is not None:
        limits = t_score_limits()
        messages.append((f"utter_profile_t_score_{category}", {
            "normal_from": number(limits["normal_from"], 1),
            "osteoporosis_at_or_below": number(limits["osteoporosis_at_or_below"], 1)}))
    messages.append(("utter_profile_bone_score_diet", {}))
    if category is not None:
        messages.append(("utter_profile_bone_score_source", {"source": bone_density_source()}))
    return messages


def apply_update(current: Profile, update: Update) -> Checked:
    """Check ``update`` against the tables and merge it into ``current``.

    The latest message wins over older answers; values that don't fit the tables are not
    used and each gets a reply naming the problem. Returns the slot values to set (only
    the ones that change, plus an explicit ``None`` for an answer that was not usable, so
    that the form asks again).
    """
    checked = Checked()
    age, sex, stage = current.age, current.sex, current.life_stage
    if update.bone_scores:
        # no age is taken from it: the age stays as it was (the form asks when it's missing)
        checked.messages.extend(bone_score_messages(update.bone_scores[0]))

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

    # pregnancy figures exist only for ages 9-50: otherwise use the usual figures
    if stage in PREGNANCY_STAGES and age is not None and not pregnancy_accepted(age):
        checked.messages.append(("utter_profile_pregnancy_outside_tables", {}))
        stage = NONE
        checked.slots["life_stage"] = NONE

    current_values = {"age": current.age, "sex": current.sex, "life_stage": current.life_stage}
    if update.unreadable in SLOTS and update.unreadable not in checked.slots:
        name = f"utter_profile_{update.unreadable}_unreadable"
        checked.messages.append((name, {"text": update.text}))
        checked.slots[update.unreadable] = current_values[update.unreadable]
    again = update.ask_again_after_score
    if again in SLOTS and again not in checked.slots:
        checked.slots[again] = current_values[again]
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
