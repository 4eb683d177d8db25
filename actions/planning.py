"""Planning answers: how much of a food or supplement gives an amount
(``action_amount_for_target``), foods that close the gap to the person's own target
(``action_close_gap``), a day's menu (``action_day_menu``, ``action_another_menu``) and the
diet kept for later answers (``action_inform_diet``).

Every figure comes from the nutrition core (:mod:`nutrition.inverse`, :mod:`nutrition.diary`,
:mod:`nutrition.menu`, :mod:`nutrition.diet`); the wording is in domain/planning.yml. The
diet a message states ("vegan", "allergic to nuts", "I don't like tofu") is added to the one
kept in the ``diet`` slot. Supplement amounts are never worked out above the upper limit for
the person's age, nor at all under a medical caution.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.types import DomainDict

from actions import diary as diary_actions
from actions import entities as ents
from actions.base import MENU_VARIANT_SLOT, PENDING_REQUEST_SLOT, Answer, Chart, Turn, TurnAction
from actions.diet import diet_fits_parts, diet_for, diet_said, diet_words
from actions.followups import ActionFollowup
from actions.foods import (
    FoodsSaid,
    diary_chart,
    food_name,
    magnesium_rich_answer,
    nutrient_rich_answer,
    unknown_food_parts,
)
from actions.people import last_answer_events, person_ref
from actions.replies import Reply, mg, number, quote, render
from actions.supplements import (
    ActionCalciumRatio,
    dose_mg,
    form_note_parts,
    same_form_words,
    ul_check_parts,
)
from nutrition import diary_days as days
from nutrition.diary import GapPlan, close_gap_for_person
from nutrition.diet import Diet
from nutrition.errors import FoodNotFound, InvalidAmount, NutritionError, UnknownSupplementForm
from nutrition.foods import food_info
from nutrition.intake import RecommendedIntake, adult_rda_range_mg
from nutrition.inverse import (
    AboveSupplementLimit,
    NutrientAbsent,
    UnrealisticAmount,
    asks_amount_for_target,
    beyond_need,
    compound_for_elemental,
    food_amount_for,
)
from nutrition.menu import MAX_VARIANT, DayMenu, MenuInfeasible, MenuRequest, plan_day
from nutrition.people import SELF, Subject
from nutrition.portions import default_grams
from nutrition.supplements import elemental_magnesium, form_info, supplement_forms

Part = tuple[str, dict[str, Any]]

#: Nutrients an amount of food can be worked out for.
TARGET_NUTRIENTS = ("magnesium", "calcium")
# ------------------------------------------------------------------------------ shared reading


def target_nutrient(turn: Turn) -> str:
    """The nutrient asked about: a ``nutrient`` entity, else a dose's role, else magnesium."""
    named = ents.first_value(turn.entities, "nutrient")
    if named is not None:
        return str(named)
    for amount in ents.mass_amounts(turn.entities):
        role = amount.get("role")
        if role is not None:
            return str(role)
    return "magnesium"


def _need(intake: RecommendedIntake, nutrient: str) -> tuple[float, str]:
    if nutrient == "calcium":
        return float(intake.calcium_mg), intake.calcium_kind
    return float(intake.magnesium_mg), intake.magnesium_kind


def _person_lead(turn: Turn, domain: DomainDict) -> list[Part]:
    if turn.person is None:
        return []
    return [("utter_person_lead", {"person": person_ref(domain, turn.person)})]


# ------------------------------------------------------------------------------ inverse questions


class ActionAmountForTarget(TurnAction):
    """How much of a food gives an amount of magnesium or calcium; how much of a supplement
    compound gives an amount of elemental magnesium."""

    def name(self) -> str:
        return "action_amount_for_target"

    def answer(self, turn: Turn, domain: DomainDict) -> Answer:
        reply = Reply()
        for number_ in turn.unreadable_amounts:
            reply.add("utter_inverse_bad_amount", text=quote(number_.text))
        doses = ents.mass_amounts(turn.entities)
        target = dose_mg(doses[0]) if doses else None
        if doses and (target is None or target <= 0):
            reply.add("utter_inverse_bad_amount", text=quote(turn.words(doses[0])))
            return Answer(reply)
        if turn.unreadable_amounts and target is None:
            return Answer(reply)
        forms = ents.of_type(turn.entities, "supplement_form")
        foods = FoodsSaid.read(turn)
        mentions = foods.found + foods.missed
        if (ents.dose(turn.entities, "calcium") is not None and not forms and not foods.found
                and not asks_amount_for_target(turn.text)):
            # "I give my son 1000 mg of calcium, how much magnesium should he take?"
            return ActionCalciumRatio().answer(turn, domain)
        if forms and not foods.found:
            return self._compound(turn, domain, reply, forms[0], target)
        nutrient = target_nutrient(turn)
        if nutrient not in TARGET_NUTRIENTS:
            return Answer(reply.add("utter_inverse_nutrient_only"))
        reply.extend(_person_lead(turn, domain))
        if target is not None:
            reply.extend(_beyond_need_parts(turn, target, nutrient))
        if not mentions:
            if foods.unknown:
                reply.extend(unknown_food_parts(foods.unknown, diary=False))
            return Answer(reply.add("utter_inverse_which_food"))
        key = mentions[0].food
        if target is None:
            return Answer(reply.add("utter_inverse_which_amount", food=food_name(key)))
        return self._food(turn, reply, key, target, nutrient)

    def _food(self, turn: Turn, reply: Reply, key: str, target: float,
              nutrient: str) -> Answer:
        try:
            found = food_amount_for(key, target, nutrient)
        except UnrealisticAmount as error:
            info_name = food_name(key)
            serving = _serving_words(key)
            reply.add("utter_inverse_food_too_much", target_mg=mg(target), nutrient=nutrient,
                      food=info_name, servings=number(error.servings_needed, 0),
                      serving=serving, max_servings=error.max_servings)
            return Answer(reply)
        except NutrientAbsent:
            return Answer(reply.add("utter_inverse_food_none", food=food_name(key).capitalize(),
                                    nutrient=nutrient))
        except FoodNotFound:
            return Answer(reply.add("utter_inverse_which_food"))
        except InvalidAmount:
            return Answer(reply.add("utter_inverse_bad_amount", text=mg(target)))
        reply.add("utter_inverse_food", target_mg=mg(target), nutrient=nutrient,
                  food=found.food_name, amount=found.text, nutrient_mg=mg(found.nutrient_mg))
        reply.add("utter_inverse_rounding").add("utter_food_source")
        events = last_answer_events("food", turn.person, food=found.food,
                                    amount=found.amount, unit=found.unit,
                                    figure_mg=found.nutrient_mg if nutrient == "magnesium"
                                    else None)
        return Answer(reply, events=events)

    def _compound(self, turn: Turn, domain: DomainDict, reply: Reply, form: ents.Entity,
                  target: float | None) -> Answer:
        words = same_form_words(turn.words(form), str(form.get("value")))
        if target is None:
            # "how much citrate do I need?": no amount; its share of magnesium instead
            try:
                result = elemental_magnesium(words, 0)
            except UnknownSupplementForm:
                return Answer(reply.add("utter_supplement_unknown_form", forms=_form_names()))
            reply.add("utter_supplement_fraction", form=result.form_name.capitalize(),
                      percent=number(result.percent_elemental))
            return Answer(reply.add("utter_supplement_label"))
        if turn.caution:
            reply.add("utter_caution_no_supplement_dose", reason=turn.caution)
            return Answer(reply)
        ul, personal = turn.profile.supplement_ul_mg()
        try:
            found = compound_for_elemental(words, target, age_years=turn.profile.age)
        except AboveSupplementLimit as error:
            if error.ul_mg is None:
                return Answer(reply.add("utter_intake_ul_not_set"))
            for_whom = render(domain, "utter_inverse_for_you" if personal
                              else "utter_inverse_for_adults")
            reply.add("utter_inverse_compound_above_ul", elemental_mg=mg(target),
                      ul_mg=mg(error.ul_mg), for_whom=for_whom)
            return Answer(reply)
        except UnknownSupplementForm:
            return Answer(reply.add("utter_supplement_unknown_form", forms=_form_names()))
        except NutritionError:
            # a product for the skin: no amount of it is swallowed
            return Answer(reply.add("utter_supplement_topical"))
        reply.add("utter_inverse_compound", compound_mg=mg(found.compound_mg),
                  form=found.form_name, elemental_mg=mg(found.elemental_mg),
                  percent=number(found.percent_elemental))
        if found.hydrate_assumed:
            result = elemental_magnesium(words, found.compound_mg)
            reply.extend(part for part in form_note_parts(result, with_dose=False)
                         if part[0] == "utter_supplement_hydrate_assumed")
        reply.extend(ul_check_parts(found.elemental_mg, ul, personal))
        reply.add("utter_supplement_label").add("utter_supplement_source")
        return Answer(reply, events=last_answer_events("supplement", turn.person))


def _form_names() -> str:
    return ", ".join(form_info(key)["name"] for key in supplement_forms())


def _serving_words(key: str) -> str:
    return default_grams(food_info(key))[1]


def _beyond_need_parts(turn: Turn, target: float, nutrient: str) -> list[Part]:
    """A daily amount far above what anyone needs, said first ("10,000 mg of magnesium")."""
    intake = turn.intake
    if intake is not None:
        need, kind = _need(intake, nutrient)
        if beyond_need(target, need):
            return [("utter_inverse_above_need", {"target_mg": mg(target), "nutrient": nutrient,
                                                  "rda_mg": mg(need), "kind": kind})]
        return []
    if nutrient == "magnesium":
        low, high = adult_rda_range_mg()
        if beyond_need(target, high):
            return [("utter_inverse_above_need_adult", {
                "target_mg": mg(target), "adult_low_mg": mg(low), "adult_high_mg": mg(high)})]
    return []


# ------------------------------------------------------------------------------ closing the gap


class ActionCloseGap(TurnAction):
    """Foods that would close the gap to the person's own target today, in their diet."""

    def name(self) -> str:
        return "action_close_gap"

    def answer(self, turn: Turn, domain: DomainDict) -> Answer:
        diet, events = diet_for(turn)
        return gap_answer(turn, domain, diet, events)


# ---------------------------------------------------------------- waiting for the profile

#: The request kept while the profile form asks (``pending_request``) for each answer.
PENDING_GAP = {"magnesium": "close_gap", "calcium": "close_gap_calcium"}
PENDING_MENU = "day_menu"


def profile_first(turn: Turn, reply: Reply, request: str,
                  events: list[EventType]) -> Answer:
    """The user's own target is needed and their profile lacks details: the request is kept
    and the profile form (started by the rules of data/rules/planning.yml) asks for them;
    the rules answer the request once the form is filled. For someone else, or a profile
    the tables have no figures for, the reply says what is needed instead."""
    if turn.person is None and turn.profile.needs():
        return Answer(reply.add("utter_plan_profile_first"),
                      events=[*events, SlotSet(PENDING_REQUEST_SLOT, request)])
    return Answer(reply.add("utter_plan_needs_profile"), events=events)


def answered(turn: Turn) -> list[EventType]:
    """A kept request is answered: it is no longer kept."""
    return [SlotSet(PENDING_REQUEST_SLOT, None)] if turn.pending_request else []


def gap_nutrient(turn: Turn) -> str:
    """The nutrient of a gap question: the one the message names, or, when the answer
    comes after the profile form, the one the kept request named."""
    if turn.intent != "ask_close_gap" and turn.pending_request == PENDING_GAP["calcium"]:
        return "calcium"
    nutrient = target_nutrient(turn)
    return nutrient if nutrient in TARGET_NUTRIENTS else "magnesium"


def gap_answer(turn: Turn, domain: DomainDict, diet: Diet, events: list[EventType]) -> Answer:
    reply = Reply().extend(_person_lead(turn, domain))
    intake = turn.intake
    nutrient = gap_nutrient(turn)
    if intake is None:
        return profile_first(turn, reply, PENDING_GAP[nutrient], events)
    events = [*events, *answered(turn)]
    eaten = 0.0
    if turn.person is None:
        diary = days.entries(turn.diary)
        day = days.day_total(diary, diary_actions.today(turn), float(intake.magnesium_mg))
        eaten = day.calcium_mg if nutrient == "calcium" else day.total_mg
    plan = close_gap_for_person(nutrient, eaten, age_years=float(turn.profile.age or 0),
                                sex=turn.profile.sex, pregnant=turn.profile.pregnant,
                                lactating=turn.profile.lactating, diet=diet)
    reply.extend(gap_parts(plan, intake, domain, diet, own_diary=turn.person is None))
    events = events + last_answer_events("gap", turn.person, figure_mg=plan.remaining_mg)
    return Answer(reply, events=events)


def gap_parts(plan: GapPlan, intake: RecommendedIntake, domain: DomainDict, diet: Diet,
              own_diary: bool) -> list[Part]:
    _, kind = _need(intake, plan.nutrient)
    parts: list[Part] = [("utter_gap_target", {"nutrient": plan.nutrient,
                                               "target_mg": mg(plan.target_mg), "kind": kind})]
    if own_diary and plan.eaten_mg > 0:
        parts.append(("utter_gap_diary", {"eaten_mg": mg(plan.eaten_mg),
                                          "remaining_mg": mg(plan.remaining_mg)}))
    elif own_diary:
        parts.append(("utter_gap_no_diary", {"remaining_mg": mg(plan.remaining_mg)}))
    if plan.closed:
        return parts + [("utter_gap_closed", {"nutrient": plan.nutrient})]
    parts.extend(diet_fits_parts(domain, diet))
    if plan.too_big_for_one_food:
        return parts + [("utter_gap_too_big", {"remaining_mg": mg(plan.remaining_mg),
                                               "max_servings": plan.max_servings})]
    parts.append(("utter_gap_foods", {}))
    for suggestion in plan.suggestions:
        per = (suggestion.magnesium_per_serving_mg if plan.nutrient == "magnesium"
               else suggestion.calcium_per_serving_mg)
        parts.append(("utter_gap_item", {
            "food": suggestion.name, "servings": suggestion.servings_needed,
            "serving": suggestion.serving, "nutrient_mg": mg(per * suggestion.servings_needed)}))
    parts.append(("utter_food_source", {}))
    return parts


# ------------------------------------------------------------------------------ a day's menu


class ActionDayMenu(TurnAction):
    """A day's menu meeting the person's magnesium and calcium from food, in their diet;
    the same request gives the same menu."""

    def name(self) -> str:
        return "action_day_menu"

    def answer(self, turn: Turn, domain: DomainDict) -> Answer:
        diet, events = diet_for(turn)
        return menu_answer(turn, domain, diet, 0, events)


class ActionAnotherMenu(TurnAction):
    """Another menu for the same person and diet ("another one")."""

    def name(self) -> str:
        return "action_another_menu"

    def answer(self, turn: Turn, domain: DomainDict) -> Answer:
        if turn.last.kind in ("food", "rich_foods", "diary"):
            # "another one" after a list of foods: more foods like those
            return ActionFollowup().answer(replace(turn, intent="ask_more_like_that"), domain)
        if turn.last.kind != "menu" or not isinstance(turn.menu_variant, int | float):
            return Answer(Reply().add("utter_menu_none_before"))
        variant = (int(turn.menu_variant) + 1) % (MAX_VARIANT + 1)
        diet, events = diet_for(turn)
        label = turn.last.person
        if label is not None and label != SELF and turn.person is None:
            # the last menu was for someone else: the next one is theirs too
            turn = _for_person(turn, label)
        return menu_answer(turn, domain, diet, variant, events)


def _for_person(turn: Turn, label: str) -> Turn:
    person = turn.people.get(label)
    if person is None:
        return turn
    return replace(turn, subject=Subject("other", label, person.sex, None),
                   profile=person.profile())


def menu_answer(turn: Turn, domain: DomainDict, diet: Diet, variant: int,
                events: list[EventType]) -> Answer:
    reply = Reply().extend(_person_lead(turn, domain))
    intake = turn.intake
    profile = turn.profile
    if intake is None or profile.age is None:
        return profile_first(turn, reply, PENDING_MENU, events)
    events = [*events, *answered(turn)]
    request = MenuRequest(age_years=profile.age, sex=profile.sex, pregnant=profile.pregnant,
                          lactating=profile.lactating, diet=diet, variant=variant)
    try:
        menu = plan_day(request)
    except MenuInfeasible as error:
        reply.extend(infeasible_parts(error, intake, domain, diet))
        return Answer(reply, events=events + last_answer_events("menu", turn.person))
    reply.extend(menu_parts(menu, intake, domain, diet))
    rows = [(item.name, item.portion, item.magnesium_mg)
            for meal in menu.meals for item in meal.items]
    chart: Chart = diary_chart(domain, "utter_chart_menu_title", rows, menu.magnesium_mg,
                               menu.magnesium_target_mg, False)
    events = events + last_answer_events("menu", turn.person, figure_mg=menu.magnesium_mg)
    events.append(SlotSet(MENU_VARIANT_SLOT, variant))
    return Answer(reply, chart=chart, events=events)


def menu_parts(menu: DayMenu, intake: RecommendedIntake, domain: DomainDict,
               diet: Diet) -> list[Part]:
    parts: list[Part] = [("utter_menu_intro", {})]
    parts.extend(diet_fits_parts(domain, diet))
    for meal in menu.meals:
        items = "; ".join(
            render(domain, "utter_menu_item", {
                "portion": item.portion, "food": item.name,
                "magnesium_mg": mg(item.magnesium_mg), "calcium_mg": mg(item.calcium_mg)})
            for item in meal.items)
        parts.append(("utter_menu_meal", {"meal": render(domain, f"utter_menu_meal_{meal.name}"),
                                          "items": items}))
    parts.append(("utter_menu_totals", {
        "magnesium_mg": mg(menu.magnesium_mg), "magnesium_kind": intake.magnesium_kind,
        "magnesium_target_mg": mg(menu.magnesium_target_mg),
        "calcium_mg": mg(menu.calcium_mg), "calcium_kind": intake.calcium_kind,
        "calcium_target_mg": mg(menu.calcium_target_mg)}))
    parts.append(("utter_menu_more", {"max_servings": menu.max_servings_per_food}))
    parts.append(("utter_menu_source", {"sources": _sources(menu.sources)}))
    return parts


def _sources(sources: tuple[str, ...]) -> str:
    return "; ".join(" ".join(source.split()).rstrip(".") for source in sources)


def infeasible_parts(error: MenuInfeasible, intake: RecommendedIntake, domain: DomainDict,
                     diet: Diet) -> list[Part]:
    """An honest answer when no menu fits: which target, and the most the foods can give."""
    said = diet_words(domain, diet) or "-"
    if error.nutrient in TARGET_NUTRIENTS and error.target_mg is not None:
        return [("utter_menu_infeasible_nutrient", {
            "target_mg": mg(error.target_mg), "nutrient": error.nutrient,
            "best_mg": mg(error.best_mg or 0.0), "diet": said})]
    if error.nutrient == "both":
        return [("utter_menu_infeasible_both", {
            "diet": said, "magnesium_mg": mg(intake.magnesium_mg),
            "calcium_mg": mg(intake.calcium_mg)})]
    if error.meal is not None:
        return [("utter_menu_infeasible_meal", {
            "meal": render(domain, f"utter_menu_meal_{error.meal}").lower(), "diet": said})]
    return [("utter_menu_infeasible_day", {"diet": said})]


# ------------------------------------------------------------------------------ the diet said


class ActionInformDiet(TurnAction):
    """Keep the diet the user states; redo the last menu or gap answer with it."""

    def name(self) -> str:
        return "action_inform_diet"

    def answer(self, turn: Turn, domain: DomainDict) -> Answer:
        said, stated = diet_said(turn)
        if not stated:
            return Answer(Reply().add("utter_diet_which"))
        diet, events = diet_for(turn)
        if turn.last.kind == "menu":
            return menu_answer(turn, domain, diet, 0, events)
        if turn.last.kind == "gap":
            return gap_answer(turn, domain, diet, events)
        if turn.last.kind == "rich_foods" and turn.last.person in (None, SELF):
            # "I'm vegan" after a list of foods: the list again, in the diet
            return rich_answer_again(turn, domain, diet, events)
        reply = Reply().add("utter_diet_kept", diet=diet_words(domain, diet))
        return Answer(reply, events=events)


def rich_answer_again(turn: Turn, domain: DomainDict, diet: Diet,
                      events: list[EventType]) -> Answer:
    """The last list of rich foods (its nutrient and category) again, in ``diet``."""
    nutrient = turn.last.nutrient
    if nutrient not in (None, "magnesium"):
        return nutrient_rich_answer(turn, str(nutrient), turn.last.category, diet=diet,
                                    events=events, domain=domain)
    return magnesium_rich_answer(turn, domain, turn.last.category, diet, events)
