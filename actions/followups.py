"""``action_followup``: follow-ups that lean on the last answer ("and 2 ounces?", "and at
16?", "what about me?", "is that a lot?", "where is that from?", "more foods like that").

The nutrition core resolves what the follow-up asks (:func:`nutrition.followup.resolve`)
from the message and the slots the last answer set (``last_*``, ``people``); this module
answers with the same functions as a first question would (actions/foods.py,
actions/intake.py) and words everything with domain/followups.yml. A follow-up with
nothing to refer to gets a question back, never a guess. A "what if" ("and if she were
breastfeeding?", "what about for a man?") is answered without changing anyone's stored
details.
"""

from __future__ import annotations

from dataclasses import replace

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.types import DomainDict

from actions import entities as ents
from actions.base import CURRENT_PERSON_SLOT, Answer, Turn, TurnAction
from actions.diet import diet_fits_parts, diet_for
from actions.foods import RICH_FOODS_SHOWN, food_answer, nutrient_rich_answer
from actions.intake import intake_answer
from actions.people import last_answer_events, person_ref
from actions.replies import Reply, mg, percent
from actions.topics import TOPICS
from nutrition import topic_figures
from nutrition.diet import Diet, offered
from nutrition.errors import FoodNotFound
from nutrition.followup import (
    LastAnswer,
    Resolution,
    Said,
    label_guide,
    more_foods,
    percent_of,
    resolve,
    share_level,
)
from nutrition.foods import food_info, food_source, foods_by_category, rich_foods
from nutrition.intake import age_problem, daily_value_mg, table_source
from nutrition.people import SELF, answerable, merge
from nutrition.profile import PREGNANCY_STAGES, Profile

ASKS = {"ask_is_that_a_lot": "is_that_a_lot", "ask_figure_source": "source",
        "ask_more_like_that": "more"}


def said_in(turn: Turn) -> Said:
    """What the follow-up carries: foods, an amount, facts about a person, who."""
    foods = tuple(m.food for m in ents.food_mentions(turn.entities, turn.text))
    amounts = [e for e in ents.of_type(turn.entities, "amount") if not e.get("role")]
    amount = ents.finite_number(amounts[0].get("value")) if amounts else None
    unit = str(amounts[0].get("unit")) if amounts and amounts[0].get("unit") else None
    facts = turn.facts
    if facts.age is None and not amounts:
        # "and at 16?": a bare number is an age
        number = ents.age_from_text(turn.text, turn.entities)
        years = None
        if isinstance(number, ents.AgeMention):  # "and at 6 months?"
            years = number.years
        elif number is not None and number.value is not None and not number.negative:
            years = number.value
        if years is not None and age_problem(years) is None:
            facts = replace(facts, age=years)
    if turn.subject.sex is not None and turn.subject.kind == "other":
        facts = replace(facts, sex=turn.subject.sex)
    nutrient = turn.nutrients[-1] if turn.nutrients else None
    return Said(foods, amount, unit, facts, turn.subject, ASKS.get(turn.intent or ""),
                nutrient)


class ActionFollowup(TurnAction):
    """Answers a follow-up from what the last answer was about."""

    # what the message states is kept here only when it is no "what if"
    keeps_message_facts = False

    def name(self) -> str:
        return "action_followup"

    def answer(self, turn: Turn, domain: DomainDict) -> Answer:
        said = said_in(turn)
        if said.ask == "more" and turn.last.kind == "menu":
            # "any others?" after a day's menu: another menu
            from actions.planning import ActionAnotherMenu

            return ActionAnotherMenu().answer(turn, domain)
        resolution = resolve(said, turn.last, turn.text)
        if resolution.kind == "clarify":
            if resolution.question == "who":
                return Answer(Reply().add("utter_person_who", word=turn.subject.word or ""))
            return Answer(Reply().add(f"utter_followup_clarify_{resolution.question}"))
        if resolution.kind == "is_that_a_lot":
            return Answer(is_that_a_lot(turn, resolution, domain))
        if resolution.kind == "source":
            return Answer(source(turn.last, turn, domain))
        if resolution.kind == "more":
            diet, events = diet_for(turn)
            if turn.last.kind == "rich_foods" and turn.last.nutrient not in (None, "magnesium"):
                # more calcium-rich foods: ranked by calcium again
                return nutrient_rich_answer(turn, str(turn.last.nutrient), turn.last.category,
                                            turn.last.shown, diet=diet, events=events,
                                            domain=domain)
            answer = more_like_that(turn.last, domain, diet)
            answer.events = [*events, *answer.events]
            return answer
        return changed_answer(turn, resolution, domain)


# ------------------------------------------------------------------------------ whose profile


def person_profile(turn: Turn, person: str | None) -> Profile:
    """The stored profile of ``person`` (SELF or ``None``: the user's own)."""
    if person is None or person == SELF:
        return turn.own_profile
    stored = turn.stored_people.get(person)
    return stored.profile() if stored is not None else Profile()


def changed_answer(turn: Turn, resolution: Resolution, domain: DomainDict) -> Answer:
    """The last answer again, changed: another food or amount, another person, age, sex
    or life stage. A stated fact about a named person is kept; a "what if" is not."""
    subject = turn.subject
    person = resolution.person if resolution.person != SELF else None
    events: list[EventType] = []
    if subject.generic:
        # "what about for a man?": the last person's details, changed, kept for no one
        base = person_profile(turn, turn.last.person)
        profile = answerable(merge(base, resolution.facts))
    elif resolution.hypothetical:
        profile = answerable(merge(person_profile(turn, resolution.person), resolution.facts))
    elif subject.is_other:
        profile = turn.profile  # the named person, with what this message states
        events = turn.fact_events()
    elif resolution.person == SELF or person is None:
        profile = merge(turn.own_profile, resolution.facts)
        events = turn.fact_events()
    else:
        profile = answerable(merge(person_profile(turn, person), resolution.facts))

    if resolution.kind == "food" and resolution.food is not None:
        if person is not None and subject.is_other and not subject.generic \
                and not resolution.hypothetical:
            missing = [need for need in profile.needs() if need != "life_stage"]
            if missing:
                # "and for my dad?" with no age known: ask it rather than leave out his share
                reply = Reply().add(f"utter_person_ask_{missing[0]}",
                                    person=person_ref(domain, person))
                return Answer(reply, events=[*events, SlotSet(CURRENT_PERSON_SLOT, person)])
        mention = ents.FoodMention(resolution.food, amount=resolution.amount,
                                   unit=resolution.unit)
        answer = food_answer(turn, mention, domain, intake=profile.intake(), person=person,
                             nutrients=(resolution.nutrient,))
        answer.events = events + answer.events
        return answer

    # the reference intake for the changed profile
    if person is not None and not subject.generic and not resolution.hypothetical:
        missing = [need for need in profile.needs_for(resolution.nutrient)
                   if need != "life_stage"]
        if missing:
            reply = Reply().add(f"utter_person_ask_{missing[0]}",
                                person=person_ref(domain, person))
            return Answer(reply, events=[*events, SlotSet(CURRENT_PERSON_SLOT, person)])
    if person is None and not subject.generic and not resolution.hypothetical \
            and profile.intake_for(resolution.nutrient) is None:
        return Answer(Reply().add("utter_followup_own_profile"), events=events)
    answer = intake_answer(profile, turn.caution, domain,
                           None if subject.generic else person, resolution.nutrient)
    asked_stage = resolution.facts.life_stage
    if asked_stage in PREGNANCY_STAGES and profile.life_stage != asked_stage:
        # "and if I were pregnant?" at 54: the tables have no such figures
        answer.reply.parts.insert(0, ("utter_profile_pregnancy_outside_tables", {}))
    answer.events = events + answer.events
    return answer


# ------------------------------------------------------------------------------ is that a lot


def is_that_a_lot(turn: Turn, resolution: Resolution, domain: DomainDict) -> Reply:
    last = turn.last
    reply = Reply()
    if last.kind == "intake" or last.figure_mg is None:
        if last.figure_mg is None:
            return reply.add("utter_followup_clarify_what")
        return reply.add("utter_followup_lot_intake", target_mg=mg(last.figure_mg))
    person = resolution.person if resolution.person != SELF else None
    intake = answerable(person_profile(turn, person)).intake()
    if intake is None:
        share = percent_of(last.figure_mg, daily_value_mg())
        reply.add("utter_followup_share_daily_value", percent=percent(share),
                  target_mg=mg(daily_value_mg()))
    else:
        share = percent_of(last.figure_mg, intake.magnesium_mg)
        if person is None:
            reply.add("utter_followup_share_self", percent=percent(share),
                      target_mg=mg(intake.magnesium_mg))
        else:
            reply.add("utter_followup_share_person", percent=percent(share),
                      target_mg=mg(intake.magnesium_mg), person=person_ref(domain, person))
    guide = label_guide()
    level = share_level(share, guide.low_percent, guide.high_percent)
    reply.add(f"utter_followup_level_{level}", low_percent=percent(guide.low_percent),
              high_percent=percent(guide.high_percent))
    reply.add("utter_followup_level_source", source=guide.source)
    return reply


# ------------------------------------------------------------------------------ where from


def source(last: LastAnswer, turn: Turn, domain: DomainDict) -> Reply:
    reply = Reply()
    if last.kind == "food" and last.food is not None:
        try:
            info = food_info(last.food)
        except FoodNotFound:
            return reply.add("utter_followup_clarify_what")
        reply.add("utter_followup_source_food", food=info["name"], ndb=info["ndb"],
                  description=info["usda_description"],
                  per_100g_mg=mg(info["magnesium_mg_per_100g"]))
        return reply.add("utter_followup_source_foods", source=_one_line(food_source()))
    if last.kind in ("rich_foods", "diary"):
        return reply.add("utter_followup_source_foods", source=_one_line(food_source()))
    if last.kind == "intake":
        intake = answerable(person_profile(turn, last.person)).intake()
        row = last.category or (intake.life_stage if intake else "")
        kind = last.unit or (intake.magnesium_kind if intake else "RDA")
        nutrient = last.nutrient or "magnesium"
        reply.add("utter_followup_source_intake", kind=kind, row=row,
                  source=_one_line(table_source(nutrient)))
        if nutrient != "magnesium":
            return reply
        return reply.add("utter_followup_source_intake_ul",
                         source=_one_line(table_source("magnesium_ul")))
    if last.kind == "ratio":
        return reply.add("utter_followup_source_ratio",
                         source=str(topic_figures.ratio_figures()["ratio_source"]))
    if last.kind == "supplement":
        return reply.add("utter_followup_source_supplement", absorption_source=str(
            topic_figures.form_figures()["absorption_source"]))
    chosen = TOPICS.get(last.topic or "")
    sources = [str(v) for k, v in (chosen.values.items() if chosen else [])
               if k.endswith("_source")]
    if sources:
        return reply.add("utter_followup_source_topic",
                         sources="; ".join(dict.fromkeys(sources)))
    return reply.add("utter_followup_clarify_what")


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------------------------ more like that


def more_like_that(last: LastAnswer, domain: DomainDict, diet: Diet | None = None) -> Answer:
    """More foods like those of the last answer (same category, else the richest), that
    were not shown yet and that the diet allows."""
    if last.kind == "rich_foods":
        category = last.category
        ranked = foods_by_category(category, limit=None) if category else \
            rich_foods(limit=1000, per_category=None)
    elif last.kind == "food" and last.category:
        category = last.category
        ranked = foods_by_category(category, limit=None)
    else:  # a diary: the richest foods overall
        category = None
        ranked = rich_foods(limit=1000, per_category=None)
    suggestable = offered(ranked, diet)
    shown = [*last.shown, *([last.food] if last.food else [])]
    keys = more_foods([f.key for f in suggestable], shown, RICH_FOODS_SHOWN)
    by_key = {f.key: f for f in suggestable}
    reply = Reply()
    if not keys:
        return Answer(reply.add("utter_followup_more_none"))
    reply.add("utter_followup_more_intro")
    reply.extend(diet_fits_parts(domain, diet or Diet()))
    for key in keys:
        food = by_key[key]
        reply.add("utter_rich_foods_item", food=food.name, serving=food.serving,
                  magnesium_mg=mg(food.magnesium_mg))
    reply.add("utter_food_source")
    events = last_answer_events("rich_foods", last.person if last.person != SELF else None,
                                category=category, shown=[*shown, *keys])
    return Answer(reply, events=events)

