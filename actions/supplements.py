"""Supplement answers: magnesium for a calcium dose (``action_calcium_ratio``) and the
elemental magnesium in a supplement dose (``action_supplement_elemental``).

Figures come from :mod:`nutrition.ratio` and :mod:`nutrition.supplements`. Safety: no
supplement amount is ever suggested above the person's upper limit, and under a medical
caution (kidney disease, a heart rhythm problem, an interacting medicine: slot
``medical_caution`` or this message; :mod:`nutrition.cautions`) no amount is given at all,
only a pointer to the person's clinician.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk.types import DomainDict

from actions import entities as ents
from actions.base import Answer, Turn, TurnAction
from actions.foods import ActionFoodMagnesium
from actions.people import person_ref
from actions.replies import Reply, mg, number, quote
from nutrition.errors import InvalidAmount, UnknownSupplementForm
from nutrition.intake import RecommendedIntake, adult_rda_range_mg
from nutrition.inverse import asks_amount_for_target
from nutrition.ratio import RatioAdvice, ratio_advice
from nutrition.supplements import (
    ElementalMagnesium,
    elemental_magnesium,
    form_info,
    resolve_form,
    supplement_forms,
)
from nutrition.units import mass_in_mg

Part = tuple[str, dict[str, Any]]


def dose_mg(entity: ents.Entity | None) -> float | None:
    """A dose entity's amount in milligrams (``None``: no entity, or not a usable mass)."""
    if entity is None:
        return None
    return mass_in_mg(ents.finite_number(entity.get("value")), entity.get("unit"))


class ActionCalciumRatio(TurnAction):
    """Calcium and magnesium against the person's own RDA (the official target), with the
    2:1 and 1:1 ratios as opinions of some experts, capped by the upper limit."""

    answer_kind = "ratio"

    def name(self) -> str:
        return "action_calcium_ratio"

    def answer(self, turn: Turn, domain: DomainDict) -> Answer:
        reply = Reply()
        calcium_entity = ents.dose(turn.entities, "calcium")
        magnesium_entity = ents.dose(turn.entities, "magnesium")
        for number_ in turn.unreadable_amounts:
            reply.add("utter_ratio_bad_amount", text=quote(number_.text))
        calcium = dose_mg(calcium_entity)
        magnesium = dose_mg(magnesium_entity)
        if calcium is None or calcium_entity is None:
            if calcium_entity is not None:
                reply.add("utter_ratio_bad_amount", text=quote(turn.words(calcium_entity)))
            reply.add("utter_ratio_general").add("utter_ratio_source")
            return Answer(reply)
        profile, intake = turn.profile, turn.intake
        try:
            advice = ratio_advice(
                calcium, magnesium, age_years=profile.age, supplemental_magnesium_mg=magnesium,
                magnesium_rda_mg=intake.magnesium_mg if intake else None,
                calcium_rda_mg=intake.calcium_mg if intake else None)
        except InvalidAmount:
            shown = magnesium_entity if calcium > 0 and magnesium_entity else calcium_entity
            reply.add("utter_ratio_bad_amount", text=quote(turn.words(shown)))
            reply.add("utter_ratio_general").add("utter_ratio_source")
            return Answer(reply)
        if turn.person is not None:
            # "I give my child 600 mg calcium": the figures are the child's, said so
            reply.add("utter_person_lead", person=person_ref(domain, turn.person))
        reply.extend(target_parts(advice, intake))
        reply.extend(ratio_parts(advice, caution=bool(turn.caution)))
        reply.extend(limit_parts(advice, turn.caution, personal=profile.age is not None))
        if intake is None:
            reply.add("utter_ratio_offer_profile")
        reply.add("utter_ratio_source")
        return Answer(reply)


def target_parts(advice: RatioAdvice, intake: RecommendedIntake | None) -> list[Part]:
    """The official targets (the person's RDA or AI) and whether the intakes meet them."""
    if intake is None or advice.magnesium_rda_mg is None:
        low, high = adult_rda_range_mg()
        return [("utter_ratio_rda_unknown", {"adult_low_mg": mg(low), "adult_high_mg": mg(high)})]
    parts: list[Part] = [("utter_ratio_rda_target", {
        "kind": intake.magnesium_kind, "magnesium_rda_mg": mg(advice.magnesium_rda_mg)})]
    if advice.magnesium_meets_rda is True:
        parts.append(("utter_ratio_magnesium_meets", {"magnesium_mg": mg(advice.magnesium_mg)}))
    elif advice.magnesium_meets_rda is False and advice.magnesium_mg:
        parts.append(("utter_ratio_magnesium_short", {
            "magnesium_mg": mg(advice.magnesium_mg),
            "short_mg": mg(advice.magnesium_short_of_rda_mg)}))
    if advice.calcium_rda_mg is not None:
        name = ("utter_ratio_calcium_meets" if advice.calcium_meets_rda
                else "utter_ratio_calcium_below")
        parts.append((name, {"calcium_mg": mg(advice.calcium_mg), "kind": intake.calcium_kind,
                             "calcium_rda_mg": mg(advice.calcium_rda_mg)}))
    return parts


def ratio_parts(advice: RatioAdvice, caution: bool) -> list[Part]:
    """The person's ratio, and the 2:1 and 1:1 ratios as opinions, never as targets: an
    amount above the RDA is not shown as one to aim for (higher doses are not needed)."""
    parts: list[Part] = []
    if "no_magnesium_intake" in advice.warnings:
        parts.append(("utter_ratio_no_magnesium", {}))
    elif advice.current_ratio is not None:
        parts.append(("utter_ratio_current", {"magnesium_mg": mg(advice.magnesium_mg),
                                              "ratio": number(advice.current_ratio, 1)}))
        if "ratio_far_above_2_to_1" in advice.warnings:
            parts.append(("utter_ratio_far_too_high", {}))
            if advice.magnesium_meets_rda is None:
                parts.append(("utter_ratio_more_from_food", {}))
    if caution or advice.ratio_amounts_above_rda:
        # under a medical caution no magnesium amount is suggested at all
        parts.append(("utter_ratio_opinion_above_rda" if advice.ratio_amounts_above_rda
                      else "utter_ratio_opinion_only", {}))
    elif advice.one_to_one_above_rda:
        parts.append(("utter_ratio_opinion_2_to_1", {
            "calcium_mg": mg(advice.calcium_mg),
            "magnesium_2_to_1_mg": mg(advice.magnesium_for_2_to_1_mg)}))
    else:
        parts.append(("utter_ratio_opinion_both", {
            "calcium_mg": mg(advice.calcium_mg),
            "magnesium_2_to_1_mg": mg(advice.magnesium_for_2_to_1_mg),
            "magnesium_1_to_1_mg": mg(advice.magnesium_for_1_to_1_mg)}))
    parts.append(("utter_ratio_opinion", {}))
    return parts


def limit_parts(advice: RatioAdvice, reason: str | None, personal: bool) -> list[Part]:
    """The upper limit for supplements (the person's own when the age is known)."""
    ul = advice.supplemental_ul_mg
    if reason:
        return [("utter_caution_no_supplement_dose", {"reason": reason})]
    if "ul_not_established" in advice.warnings or ul is None:
        return [("utter_ratio_ul_not_set", {})]
    parts: list[Part] = []
    if "supplement_above_ul" in advice.warnings:
        parts.append(("utter_ratio_supplement_above_ul",
                      {"magnesium_mg": mg(advice.magnesium_mg), "ul_mg": mg(ul)}))
    parts.append(("utter_ratio_ul_personal" if personal else "utter_ratio_ul_adult",
                  {"ul_mg": mg(ul)}))
    return parts


def same_form_words(words: str, key: str) -> str:
    """The user's words for a supplement form when they name the extractor's form (they
    can say more: "Epsom salt" is the heptahydrate), else the form key."""
    try:
        return words if resolve_form(words)[0] == key else key
    except UnknownSupplementForm:
        return key


def _result_parts(result: ElementalMagnesium) -> tuple[str, dict[str, Any]]:
    values: dict[str, Any] = {
        "compound_mg": mg(result.compound_mg), "form": result.form_name,
        "elemental_mg": mg(result.elemental_mg), "percent": number(result.percent_elemental),
    }
    if result.hydrate != "anhydrous":
        return "utter_supplement_elemental_hydrate", {**values, "hydrate": result.hydrate}
    return "utter_supplement_elemental", values


class ActionSupplementElemental(TurnAction):
    """Elemental magnesium in a supplement dose, checked against the upper limit."""

    answer_kind = "supplement"

    def name(self) -> str:
        return "action_supplement_elemental"

    def answer(self, turn: Turn, domain: DomainDict) -> Answer:
        if asks_amount_for_target(turn.text) and ents.mass_amounts(turn.entities):
            # "how much citrate gives 100 mg of elemental magnesium?": the amount asked for
            # is the elemental magnesium, not the compound
            from actions.planning import ActionAmountForTarget

            return ActionAmountForTarget().answer(turn, domain)
        forms = ents.of_type(turn.entities, "supplement_form")
        form = forms[0].get("value") if forms else None
        if not form and ents.of_type(turn.entities, "food"):
            # "how much magnesium is in 1 medjool date?" taken for a supplement question:
            # it names a food and no supplement, so it gets the food's answer
            return ActionFoodMagnesium().answer(turn, domain)
        # the user's own words keep what the form key loses ("Epsom salt" is the
        # heptahydrate of magnesium sulfate, "magnesium oil" a spray for the skin)
        words = turn.words(forms[0]) if forms else None
        doses = [e for e in ents.mass_amounts(turn.entities)
                 if e.get("role") in (None, "magnesium")]
        reply = Reply()
        for number_ in turn.unreadable_amounts:
            reply.add("utter_amount_unreadable", text=quote(number_.text))
        compound = dose_mg(doses[0]) if doses else None
        if not form:
            # "is 500 mg a day too much?": the limit first, then what is needed to check it
            if compound is not None and compound > 0:
                reply.extend(limit_first_parts(turn, compound))
                reply.add("utter_supplement_which_form_dose", dose_mg=mg(compound))
            else:
                reply.add("utter_supplement_which_form")
            reply.add("utter_supplement_label")
            return Answer(reply)
        if doses and compound is None:
            reply.add("utter_ratio_bad_amount", text=quote(turn.words(doses[0])))
        form = same_form_words(str(words), str(form))
        try:
            result = elemental_magnesium(form, compound if compound is not None else 0)
        except UnknownSupplementForm:
            names = ", ".join(form_info(key)["name"] for key in supplement_forms())
            reply.add("utter_supplement_unknown_form", forms=names)
            return Answer(reply)
        except InvalidAmount:
            reply.add("utter_ratio_bad_amount", text=quote(turn.words(doses[0])))
            return Answer(reply)
        if compound is None:
            hydrate = result.hydrate != "anhydrous"
            reply.add("utter_supplement_fraction_hydrate" if hydrate
                      else "utter_supplement_fraction",
                      form=result.form_name.capitalize(), hydrate=result.hydrate,
                      percent=number(result.percent_elemental))
        else:
            name, values = _result_parts(result)
            reply.add(name, **values)
        reply.extend(form_note_parts(result, with_dose=compound is not None))
        reason = turn.caution
        ul, personal = turn.profile.supplement_ul_mg()
        if reason:
            reply.add("utter_caution_no_supplement_dose", reason=reason)
        elif compound is not None and not result.topical:
            reply.extend(ul_check_parts(result.elemental_mg, ul, personal))
        reply.add("utter_supplement_label").add("utter_supplement_source")
        return Answer(reply)


def form_note_parts(result: ElementalMagnesium, with_dose: bool) -> list[Part]:
    """What the reply must add about the form: which hydrate a figure assumes, a product for
    the skin (no absorption claim), the laxative effect of Epsom salt, absorption."""
    parts: list[Part] = []
    if result.hydrate_assumed and result.other_hydrates:
        parts.append(("utter_supplement_hydrate_assumed",
                      {"hydrate": result.hydrate, "form": result.form_name}))
        if with_dose:
            for other, elemental in result.other_hydrates.items():
                parts.append(("utter_supplement_hydrate_other",
                              {"hydrate": other, "elemental_mg": mg(elemental)}))
    if result.topical:
        parts.append(("utter_supplement_topical", {}))
    elif result.absorption == "better":
        parts.append(("utter_supplement_absorption_better", {}))
    elif result.absorption == "lower":
        parts.append(("utter_supplement_absorption_lower", {}))
    if "laxative" in result.notes:
        parts.append(("utter_supplement_laxative", {}))
    return parts


def ul_check_parts(elemental_mg: float, ul: float | None, personal: bool) -> list[Part]:
    """The elemental amount against the upper limit: the person's own when the age is
    known, else the adult limit named as the adult one (children's limits are lower)."""
    if ul is None:
        return [("utter_intake_ul_not_set", {})]
    above = elemental_mg > ul
    if personal:
        return [("utter_supplement_above_ul" if above else "utter_supplement_within_ul",
                 {"ul_mg": mg(ul)})]
    return [("utter_supplement_above_ul_adult" if above else "utter_supplement_within_ul_adult",
             {"ul_mg": mg(ul)})]


def limit_first_parts(turn: Turn, dose: float) -> list[Part]:
    """The upper limit for supplemental magnesium, said before asking for the form."""
    if turn.caution:
        return [("utter_caution_no_supplement_dose", {"reason": turn.caution})]
    ul, personal = turn.profile.supplement_ul_mg()
    if ul is None:
        return [("utter_intake_ul_not_set", {})]
    name = "utter_supplement_ul_personal" if personal else "utter_supplement_ul_adult"
    check = "utter_supplement_dose_above_ul" if dose > ul else "utter_supplement_dose_within_ul"
    return [(name, {"ul_mg": mg(ul)}), (check, {"dose_mg": mg(dose)})]
