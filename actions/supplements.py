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
from actions.replies import Reply, mg, number, quote
from nutrition.errors import InvalidAmount, UnknownSupplementForm
from nutrition.ratio import ratio_advice
from nutrition.supplements import (
    ElementalMagnesium,
    elemental_magnesium,
    form_info,
    resolve_form,
    supplement_forms,
)
from nutrition.units import mass_in_mg


def dose_mg(entity: ents.Entity | None) -> float | None:
    """A dose entity's amount in milligrams (``None``: no entity, or not a usable mass)."""
    if entity is None:
        return None
    return mass_in_mg(ents.finite_number(entity.get("value")), entity.get("unit"))


class ActionCalciumRatio(TurnAction):
    """Magnesium that balances a calcium dose (2:1 and 1:1), capped by the upper limit."""

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
        profile = turn.profile
        try:
            advice = ratio_advice(calcium, magnesium, age_years=profile.age,
                                  supplemental_magnesium_mg=magnesium)
        except InvalidAmount:
            shown = magnesium_entity if calcium > 0 and magnesium_entity else calcium_entity
            reply.add("utter_ratio_bad_amount", text=quote(turn.words(shown)))
            reply.add("utter_ratio_general").add("utter_ratio_source")
            return Answer(reply)
        reason = turn.caution
        if not reason:
            # under a medical caution no magnesium amount is suggested at all (the ratio
            # amounts are above the adult RDA and in practice mean supplements)
            reply.add("utter_ratio_targets", calcium_mg=mg(advice.calcium_mg),
                      magnesium_2_to_1_mg=mg(advice.magnesium_for_2_to_1_mg),
                      magnesium_1_to_1_mg=mg(advice.magnesium_for_1_to_1_mg))
            reply.add("utter_ratio_opinion")
        if "no_magnesium_intake" in advice.warnings:
            reply.add("utter_ratio_no_magnesium")
        elif advice.current_ratio is not None:
            reply.add("utter_ratio_current", magnesium_mg=mg(advice.magnesium_mg),
                      ratio=number(advice.current_ratio, 1))
            if "ratio_far_above_2_to_1" in advice.warnings:
                reply.add("utter_ratio_far_too_high")
            else:
                reply.add("utter_ratio_not_far")
        ul = advice.supplemental_ul_mg
        if reason:
            reply.add("utter_caution_no_supplement_dose", reason=reason)
        elif "ul_not_established" in advice.warnings or ul is None:
            reply.add("utter_ratio_ul_not_set")
        else:
            if "supplement_above_ul" in advice.warnings:
                reply.add("utter_ratio_supplement_above_ul", magnesium_mg=mg(advice.magnesium_mg),
                          ul_mg=mg(ul))
            personal = profile.age is not None
            reply.add("utter_ratio_ul_personal" if personal else "utter_ratio_ul_adult",
                      ul_mg=mg(ul))
        reply.add("utter_ratio_source")
        return Answer(reply)


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
        forms = ents.of_type(turn.entities, "supplement_form")
        form = forms[0].get("value") if forms else None
        # the user's own words keep what the form key loses ("Epsom salt" is the
        # heptahydrate of magnesium sulfate)
        words = turn.words(forms[0]) if forms else None
        doses = [e for e in ents.mass_amounts(turn.entities)
                 if e.get("role") in (None, "magnesium")]
        reply = Reply()
        for number_ in turn.unreadable_amounts:
            reply.add("utter_amount_unreadable", text=quote(number_.text))
        if not form:
            reply.add("utter_supplement_which_form").add("utter_supplement_label")
            return Answer(reply)
        compound = dose_mg(doses[0]) if doses else None
        if doses and compound is None:
            reply.add("utter_ratio_bad_amount", text=quote(turn.words(doses[0])))
        form = same_form_words(str(words), str(form))
        result: ElementalMagnesium | None = None
        try:
            if compound is None:
                fraction = elemental_magnesium(form, 0)
                hydrate = fraction.hydrate != "anhydrous"
                reply.add("utter_supplement_fraction_hydrate" if hydrate
                          else "utter_supplement_fraction",
                          form=fraction.form_name.capitalize(), hydrate=fraction.hydrate,
                          percent=number(fraction.percent_elemental))
                info = form_info(fraction.form)
            else:
                result = elemental_magnesium(form, compound)
                info = form_info(result.form)
        except UnknownSupplementForm:
            names = ", ".join(form_info(key)["name"] for key in supplement_forms())
            reply.add("utter_supplement_unknown_form", forms=names)
            return Answer(reply)
        except InvalidAmount:
            reply.add("utter_ratio_bad_amount", text=quote(turn.words(doses[0])))
            return Answer(reply)
        if result is not None:
            name, values = _result_parts(result)
            reply.add(name, **values)
        if info.get("absorption") == "better":
            reply.add("utter_supplement_absorption_better")
        elif info.get("absorption") == "lower":
            reply.add("utter_supplement_absorption_lower")
        reason = turn.caution
        ul, _personal = turn.profile.supplement_ul_mg()
        if reason:
            reply.add("utter_caution_no_supplement_dose", reason=reason)
        elif result is not None and ul is not None:
            if result.elemental_mg > ul:
                reply.add("utter_supplement_above_ul", ul_mg=mg(ul))
            else:
                reply.add("utter_supplement_within_ul", ul_mg=mg(ul))
        elif result is not None and ul is None:
            reply.add("utter_intake_ul_not_set")
        reply.add("utter_supplement_label").add("utter_supplement_source")
        return Answer(reply)
