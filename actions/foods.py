"""Food answers: magnesium in a food (``action_food_magnesium``, several foods get their
total, not kept) and the richest foods (``action_rich_foods``). The diary kept over turns
(``action_food_diary``) is in actions/diary.py and uses the helpers here.

Every figure comes from the food table through :mod:`nutrition.foods` and
:mod:`nutrition.diary`; the wording is in domain/computed.yml (actions/replies.py puts it together).
Nothing the user said is dropped silently: foods the extractor missed (typos) are looked up,
and words that are no food in the table are named back with the closest foods that are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from rasa_sdk.events import EventType
from rasa_sdk.types import DomainDict

from actions import entities as ents
from actions.base import Answer, Chart, Turn, TurnAction
from actions.diet import diet_fits_parts, diet_for, diet_words, is_empty, text_without_diet
from actions.people import last_answer_events, person_ref
from actions.replies import Reply, mg, number, percent, quote, render
from nutrition.diary import diary_total
from nutrition.diet import Diet, offered
from nutrition.errors import FoodNotFound, InvalidAmount
from nutrition.followup import carried_amount, is_followup_wording, percent_of
from nutrition.foods import (
    PortionMagnesium,
    borrowed_volume,
    capped_per_category,
    find_food,
    food_categories,
    food_info,
    food_keys,
    food_not_in_table,
    foods_by_category,
    magnesium_in_portion,
    rich_foods,
    richest_in,
    vitamin_d_iu,
)
from nutrition.intake import RecommendedIntake, adult_rda_range_mg
from nutrition.inverse import asks_amount_for_target
from nutrition.nutrients import DEFAULT_NUTRIENT
from nutrition.portions import quantity_words

Part = tuple[str, dict[str, Any]]

RICH_FOODS_SHOWN = 8
CLOSE_MATCHES_SHOWN = 3
# A word the extractor didn't tag counts as a food only when it matches this well.
LEFTOVER_MATCH_SCORE = 0.9
# Close matches below this score are not worth suggesting.
MIN_SUGGESTION_SCORE = 0.5
GLUTEN_NOTE_CATEGORIES = ("whole_grains", "grains_breads")


# ------------------------------------------------------------------------------ the foods said


@dataclass(frozen=True)
class UnknownWords:
    """Words that are no food of the table, with the table's closest foods (key, score)."""

    text: str
    matches: tuple[tuple[str, float], ...]
    # the words fit two or more foods about equally ("beef"): ask which, give no figure
    uncertain: bool = False


def unknown_words(text: str) -> UnknownWords:
    try:
        match = find_food(text)
        return UnknownWords(text, ((match.key, match.score), *match.close_matches))
    except FoodNotFound as error:
        return UnknownWords(text, tuple(error.close_matches), bool(error.uncertain))


@dataclass(frozen=True)
class FoodsSaid:
    """The foods of a message: those the extractor found, those it missed (looked up in the
    words it left), and words that are no food of the table."""

    found: list[ents.FoodMention]
    missed: list[ents.FoodMention]
    unknown: list[UnknownWords]

    @classmethod
    def read(cls, turn: Turn) -> FoodsSaid:
        """When the extractor found no food at all, the core's own match threshold decides
        (the words are most likely the food); beside foods it did find, only close matches
        count."""
        found = ents.food_mentions(turn.entities, turn.text)
        strict = bool(ents.of_type(turn.entities, "food"))
        missed: list[ents.FoodMention] = []
        unknown: list[UnknownWords] = []
        for chunk in ents.unrecognised_chunks(turn.text, turn.entities):
            try:
                match = find_food(chunk.text)
            except FoodNotFound as error:
                unknown.append(UnknownWords(chunk.text, tuple(error.close_matches),
                                            bool(error.uncertain)))
                continue
            if not strict or match.score >= LEFTOVER_MATCH_SCORE:
                missed.append(
                    ents.FoodMention(match.key, start=chunk.start, end=chunk.end, text=chunk.text)
                )
            else:
                unknown.append(
                    UnknownWords(chunk.text, ((match.key, match.score), *match.close_matches))
                )
        return cls(found, missed, unknown)


def food_name(key: str) -> str:
    try:
        return str(food_info(key)["name"])
    except FoodNotFound:
        return key.replace("_", " ")


def close_match_names(matches: list[tuple[str, float]]) -> str:
    names = [food_name(key) for key, _score in matches[:CLOSE_MATCHES_SHOWN]]
    return ", ".join(dict.fromkeys(names))


def unknown_food_parts(unknown: list[UnknownWords], diary: bool) -> list[Part]:
    """Name back words that aren't in the food table, with the closest foods that are."""
    parts: list[Part] = []
    for words in unknown:
        absent = food_not_in_table(words.text)
        if absent is not None:
            # "oat milk": SR28 has no such food; say so rather than offer goat milk
            parts.append(("utter_food_not_in_sr28", {"food": absent}))
            continue
        names = close_match_names([m for m in words.matches if m[1] >= MIN_SUGGESTION_SCORE])
        if diary:
            name = "utter_diary_unknown_item" if names else "utter_diary_unknown_item_no_match"
        elif words.uncertain and names:
            name = "utter_food_uncertain"
        else:
            name = "utter_food_unknown" if names else "utter_food_unknown_no_match"
        parts.append((name, {"text": quote(words.text), "matches": names}))
    return parts


def unreadable_parts(turn: Turn) -> list[Part]:
    return [("utter_amount_unreadable", {"text": quote(n.text)}) for n in turn.unreadable_amounts]


# ------------------------------------------------------------------------------ portions


def portion_parts(result: PortionMagnesium, requested_unit: str | None) -> list[Part]:
    """Notes about the portion used (typical serving, a unit that didn't apply, ...)."""
    parts: list[Part] = []
    if result.unit_fallback and requested_unit:
        parts.append(("utter_food_unit_fallback",
                      {"food": result.food_name, "unit": requested_unit.replace("_", " ")}))
    elif result.assumption == "handful_is_1_oz":
        parts.append(("utter_food_handful", {}))
    elif result.assumption == "count_as_default_servings":
        parts.append(("utter_food_count_as_servings", {}))
    elif result.assumption == "volume_from_similar_food_density":
        like = borrowed_volume(result.food)
        if like is not None:
            parts.append(("utter_food_volume_borrowed", {
                "food": result.food_name, "similar": like.food_name,
                "portion": quantity_words(like.amount, like.unit), "grams": number(like.grams)}))
    return parts


def checked_portion(mention: ents.FoodMention) -> tuple[PortionMagnesium, list[Part]]:
    """Magnesium in the mentioned portion; an unusable amount falls back to a typical
    serving with a note saying so. Raises FoodNotFound for an unknown food."""
    notes: list[Part] = []
    amount, unit = mention.amount, mention.unit
    if amount is not None and ents.finite_number(amount) == 0:
        notes.append(("utter_amount_zero", {"food": food_name(mention.food)}))
        amount, unit = None, None
    try:
        result = magnesium_in_portion(mention.food, amount, unit)
    except InvalidAmount as error:
        notes.append(("utter_amount_invalid",
                      {"food": food_name(mention.food), "reason": str(error).rstrip(".").lower()}))
        result = magnesium_in_portion(mention.food)
    notes.extend(portion_parts(result, unit))
    return result, notes


# ------------------------------------------------------------------------------ actions


class ActionFoodMagnesium(TurnAction):
    """Magnesium in a food: the amount asked, or a typical serving (saying which). Several
    foods get the diary answer (their total)."""

    def name(self) -> str:
        return "action_food_magnesium"

    def answer(self, turn: Turn, domain: DomainDict) -> Answer:
        if asks_amount_for_target(turn.text) and ents.mass_amounts(turn.entities):
            # "how many cashews give me 150 mg?": how much gives the amount, not what it holds
            from actions.planning import ActionAmountForTarget

            return ActionAmountForTarget().answer(turn, domain)
        foods = FoodsSaid.read(turn)
        if len(foods.found) + len(foods.missed) > 1:
            return diary_answer(turn, foods, domain)
        mentions = foods.found or foods.missed
        reply = Reply().extend(unreadable_parts(turn))
        if not mentions:
            if foods.unknown:
                reply.extend(unknown_food_parts(foods.unknown, diary=False))
            else:
                reply.add("utter_food_which")
            return Answer(reply)
        mention = mentions[0]
        carried = carried_amount(turn.text, mention.amount is not None, turn.last)
        if carried is not None:
            # "what about walnuts?" after "1 oz of cashews": the same amount
            mention = replace(mention, amount=carried[0], unit=carried[1])
        nutrients = turn.nutrients
        if not nutrients and is_followup_wording(turn.text) and turn.last.kind == "food" \
                and turn.last.nutrient is not None:
            # "what about cheese?" after the calcium in yogurt: calcium again
            nutrients = (turn.last.nutrient,)
        last = turn.last.person
        if (turn.subject.kind == "none" and is_followup_wording(turn.text)
                and last is not None and last in turn.people):
            # "and spinach?" after an answer for someone else: for them again
            return food_answer(turn, mention, domain, reply, foods.unknown,
                               intake=turn.people[last].profile().intake(), person=last,
                               nutrients=nutrients)
        return food_answer(turn, mention, domain, reply, foods.unknown, nutrients=nutrients)


def food_answer(
    turn: Turn,
    mention: ents.FoodMention,
    domain: DomainDict,
    reply: Reply | None = None,
    unknown: list[UnknownWords] | None = None,
    intake: RecommendedIntake | None = None,
    person: str | None = None,
    nutrients: tuple[str, ...] = (),
) -> Answer:
    """Magnesium (or the ``nutrients`` asked about: calcium, vitamin D) in one food, with
    its share of the target of whom the message is about (``intake``/``person``: someone
    else's, for a follow-up)."""
    nutrients = nutrients or (DEFAULT_NUTRIENT,)
    reply = reply if reply is not None else Reply()
    if intake is None and person is None:
        intake, person = turn.intake, turn.person
    try:
        result, notes = checked_portion(mention)
    except FoodNotFound as error:
        names = close_match_names(error.close_matches)
        name = "utter_food_unknown" if names else "utter_food_unknown_no_match"
        if names and error.uncertain:
            name = "utter_food_uncertain"
        absent = food_not_in_table(error.query or mention.food)
        if absent is not None:
            name, names = "utter_food_not_in_sr28", ""
        reply.add(name, text=quote(error.query or mention.food), matches=names,
                  food=absent or "")
        return Answer(reply)
    reply.extend(notes)
    for nutrient in nutrients:
        if nutrient == DEFAULT_NUTRIENT:
            _magnesium_parts(reply, result, intake, person, domain)
        else:
            reply.extend(companion_food_parts(result, nutrient, intake, person, domain))
    if food_info(result.food).get("fortified") and set(nutrients) - {DEFAULT_NUTRIENT}:
        reply.add("utter_food_fortified")
    reply.extend(unknown_food_parts(unknown or [], diary=False))
    reply.add("utter_food_source")
    given = not result.used_default and not result.unit_fallback
    last_nutrient = nutrients[-1]
    figure = {"magnesium": result.magnesium_mg, "calcium": result.calcium_mg}
    events = last_answer_events(
        "food", person, food=result.food, amount=result.amount if given else None,
        unit=result.unit if given else None, figure_mg=figure.get(last_nutrient),
        category=str(food_info(result.food).get("category") or "") or None,
        nutrient=last_nutrient)
    return Answer(reply, events=events)


def companion_food_parts(
    result: PortionMagnesium, nutrient: str, intake: RecommendedIntake | None,
    person: str | None, domain: DomainDict,
) -> list[Part]:
    """Calcium or vitamin D in a portion (SR28 may lack a vitamin D figure: said so), with
    its share of the person's RDA/AI."""
    food = result.food_name[:1].upper() + result.food_name[1:]
    parts: list[Part] = []
    if nutrient == "calcium":
        amount: float | None = result.calcium_mg
        parts.append(("utter_food_calcium", {"food": food, "portion": result.description,
                                             "calcium_mg": mg(result.calcium_mg)}))
        target = intake.calcium_mg if intake is not None else None
        target_values = {"target_mg": mg(target)}
    else:
        amount = result.vitamin_d_mcg
        if amount is None:
            return [("utter_food_vitamin_d_no_figure", {"food": result.food_name})]
        parts.append(("utter_food_vitamin_d", {
            "food": food, "portion": result.description, "vitamin_d_mcg": number(amount),
            "vitamin_d_iu": number(vitamin_d_iu(result) or 0, 0)}))
        target = intake.vitamin_d_mcg if intake is not None else None
        target_values = {"target_mcg": number(target)}
    if result.used_default and not result.unit_fallback:
        parts.append(("utter_food_default_portion", {}))
    if target is not None and amount is not None:
        share = percent(percent_of(amount, target))
        if person is None:
            parts.append((f"utter_food_percent_{nutrient}", {"percent": share,
                                                              **target_values}))
        else:
            parts.append((f"utter_food_percent_{nutrient}_person", {
                "percent": share, **target_values, "person": person_ref(domain, person)}))
    return parts


def _magnesium_parts(reply: Reply, result: PortionMagnesium,
                     intake: RecommendedIntake | None, person: str | None,
                     domain: DomainDict) -> None:
    reply.add("utter_food_magnesium", portion=result.description,
              food=result.food_name[:1].upper() + result.food_name[1:],
              magnesium_mg=mg(result.magnesium_mg))
    if result.used_default and not result.unit_fallback:
        reply.add("utter_food_default_portion")
    if intake is not None:
        share = diary_total([{"food": result.food, "amount": result.amount,
                              "unit": result.unit}], target_mg=intake.magnesium_mg)
        if person is None:
            reply.add("utter_food_percent", percent=percent(share.percent_of_target),
                      target_mg=mg(intake.magnesium_mg))
        else:
            reply.add("utter_food_percent_person", percent=percent(share.percent_of_target),
                      target_mg=mg(intake.magnesium_mg), person=person_ref(domain, person))


class ActionRichFoods(TurnAction):
    """Foods richest in magnesium per typical serving, for a category or overall, in the
    person's diet."""

    def name(self) -> str:
        return "action_rich_foods"

    def answer(self, turn: Turn, domain: DomainDict) -> Answer:
        category = ents.food_category(text_without_diet(turn), food_categories())
        diet, events = diet_for(turn)
        other = [n for n in turn.nutrients if n != DEFAULT_NUTRIENT]
        if other:
            # "which foods are high in calcium?": ranked by that nutrient, never magnesium
            return nutrient_rich_answer(turn, other[0], category, diet=diet, events=events,
                                        domain=domain)
        return magnesium_rich_answer(turn, domain, category, diet, events)


def magnesium_rich_answer(turn: Turn, domain: DomainDict, category: str | None, diet: Diet,
                          events: list[EventType] | None = None) -> Answer:
    """Foods richest in magnesium per typical serving (of a category, or two of each
    category), those the diet allows."""
    if category is None:
        ranked = capped_per_category(
            offered(rich_foods(limit=len(food_keys()), per_category=None), diet), 2)
        reply = Reply().add("utter_rich_foods_all")
    else:
        ranked = offered(foods_by_category(category, limit=None), diet)
        reply = Reply().add(f"utter_rich_foods_{category}")
    if not ranked:
        return Answer(Reply().extend(none_in_diet_parts(domain, diet)), events=events or [])
    reply.extend(diet_fits_parts(domain, diet))
    for food in ranked[:RICH_FOODS_SHOWN]:
        reply.add("utter_rich_foods_item", food=food.name, serving=food.serving,
                  magnesium_mg=mg(food.magnesium_mg))
    if category in GLUTEN_NOTE_CATEGORIES:
        reply.add("utter_rich_foods_gluten")
    reply.add("utter_rich_foods_more")
    reply.add("utter_food_source")
    shown = [food.key for food in ranked[:RICH_FOODS_SHOWN]]
    return Answer(reply, events=[*(events or []), *last_answer_events(
        "rich_foods", turn.person, category=category, shown=shown)])


def none_in_diet_parts(domain: DomainDict, diet: Diet) -> list[Part]:
    """No food of the list fits the diet: said so, with the diet."""
    if is_empty(diet):
        return [("utter_followup_more_none", {})]
    return [("utter_rich_foods_none_in_diet", {"diet": diet_words(domain, diet)})]


def nutrient_rich_answer(turn: Turn, nutrient: str, category: str | None,
                         shown: tuple[str, ...] = (), *, diet: Diet | None = None,
                         events: list[EventType] | None = None,
                         domain: DomainDict | None = None) -> Answer:
    """Foods richest in calcium or vitamin D per typical serving (those not ``shown`` yet
    that the diet allows), from the food table; fortified foods are said to be so."""
    diet = diet if diet is not None else Diet()
    ranked = [food for food in offered(richest_in(nutrient, category), diet)
              if food.key not in shown]
    reply = Reply()
    if not ranked:
        return Answer(reply.extend(none_in_diet_parts(domain or {}, diet)),
                      events=events or [])
    reply.add(f"utter_rich_foods_{nutrient}" if category is None
              else f"utter_rich_foods_{nutrient}_category")
    reply.extend(diet_fits_parts(domain or {}, diet))
    fortified = False
    for food in ranked[:RICH_FOODS_SHOWN]:
        reply.add(f"utter_rich_foods_{nutrient}_item", food=food.name, serving=food.serving,
                  amount=mg(food.amount) if food.unit == "mg" else number(food.amount))
        fortified = fortified or bool(food_info(food.key).get("fortified"))
    if fortified:
        reply.add("utter_rich_foods_fortified")
    reply.add("utter_rich_foods_more")
    reply.add("utter_food_source")
    keys = [*shown, *(food.key for food in ranked[:RICH_FOODS_SHOWN])]
    return Answer(reply, events=[*(events or []), *last_answer_events(
        "rich_foods", turn.person, category=category, shown=keys, nutrient=nutrient)])


def portions_said(
    turn: Turn, foods: FoodsSaid
) -> tuple[list[PortionMagnesium], list[Part], list[UnknownWords]]:
    """Each food the message names, measured, in the order said; the notes on how the
    portions were read (and numbers no entity could read); the words no food matched."""
    mentions = sorted(foods.found + foods.missed,
                      key=lambda m: m.start if m.start is not None else 0)
    unknown = list(foods.unknown)
    notes = unreadable_parts(turn)
    portions: list[PortionMagnesium] = []
    for mention in mentions:
        try:
            result, portion_notes = checked_portion(mention)
        except FoodNotFound:
            unknown.append(unknown_words(mention.text or mention.food))
            continue
        notes.extend(portion_notes)
        portions.append(result)
    return portions, notes, unknown


class Share(Protocol):
    """A total against a target: the one-message total, a diary day, a week's average."""

    @property
    def target_is_daily_value(self) -> bool: ...
    @property
    def percent_of_target(self) -> float: ...
    @property
    def target_mg(self) -> float: ...


def share_part(total: Share, person: str | None = None) -> Part:
    """The share of the target: of the label Daily Value said as such, of someone else's
    target (``person``: how the reply names them), or of the user's own."""
    values = {"percent": percent(total.percent_of_target), "target_mg": mg(total.target_mg)}
    if total.target_is_daily_value:
        low, high = adult_rda_range_mg()
        return ("utter_diary_percent_daily_value",
                {**values, "adult_low_mg": mg(low), "adult_high_mg": mg(high)})
    if person is not None:
        return ("utter_diary_percent_person", {**values, "person": person})
    return ("utter_diary_percent", values)


def calcium_parts(calcium_mg: float, ratio: float | None,
                  intake: RecommendedIntake | None, person: str | None = None,
                  lead: str = "utter_diary_calcium") -> list[Part]:
    """The calcium of a day's (or a message's) foods, or a week's daily average (``lead``:
    the response that says which), its share of the calcium RDA/AI when the person is known
    (``person``: how the reply names someone else), and the calcium-to-magnesium ratio, with
    the ratio opinions labelled as opinions."""
    parts: list[Part] = [(lead, {"calcium_mg": mg(calcium_mg)})]
    if intake is not None:
        share = percent(percent_of(calcium_mg, intake.calcium_mg))
        if person is None:
            parts.append(("utter_food_percent_calcium",
                          {"percent": share, "target_mg": mg(intake.calcium_mg)}))
        else:
            parts.append(("utter_food_percent_calcium_person", {
                "percent": share, "target_mg": mg(intake.calcium_mg), "person": person}))
    if ratio is not None:
        parts += [("utter_diary_ratio", {"ratio": number(ratio, 1)}),
                  ("utter_ratio_opinion_only", {}), ("utter_ratio_opinion", {})]
    return parts


def diary_chart(domain: DomainDict, title: str, rows: Iterable[tuple[str, str, float]],
                total_mg: float, target_mg: float, target_is_daily_value: bool) -> Chart:
    """The widget's bar chart of foods (``rows``: name, portion, magnesium in mg) with the
    target, unless it is the label Daily Value."""
    items: list[dict[str, Any]] = []
    alt_items: list[str] = []
    for food, portion, magnesium_mg in rows:
        label = render(domain, "utter_chart_diary_item", {"food": food, "portion": portion})
        items.append({"label": label, "value": round(magnesium_mg, 1)})
        alt_items.append(render(domain, "utter_chart_diary_alt_item",
                                {"label": label, "magnesium_mg": mg(magnesium_mg)}))
    return Chart(
        title=render(domain, title),
        target=None if target_is_daily_value else target_mg,
        items=items,
        alt=render(domain, "utter_chart_diary_alt", {
            "items": "; ".join(alt_items), "total_mg": mg(total_mg),
            "target_mg": mg(target_mg)}),
    )


def diary_answer(turn: Turn, foods: FoodsSaid, domain: DomainDict) -> Answer:
    """The total of several foods asked about at once: each food's magnesium, the total, its
    share of the target, the gap (nothing is added to the diary)."""
    portions, notes, unknown = portions_said(turn, foods)
    items = [{"food": p.food, "amount": p.amount, "unit": p.unit} for p in portions]
    reply = Reply().extend(notes)
    if not items:
        if unknown:
            reply.add("utter_diary_not_counted").extend(unknown_food_parts(unknown, diary=True))
        else:
            reply.add("utter_diary_nothing")
        return Answer(reply)
    intake = turn.intake
    total = diary_total(items, target_mg=intake.magnesium_mg if intake is not None else None)
    reply.add("utter_diary_intro")
    for result in total.items:
        reply.add("utter_diary_item", food=result.food_name, portion=result.description,
                  magnesium_mg=mg(result.magnesium_mg))
    reply.add("utter_diary_total", total_mg=mg(total.total_mg))
    person = person_ref(domain, turn.person) if turn.person is not None else None
    reply.extend([share_part(total, person)])
    if total.remaining_mg > 0 and total.suggestions:
        reply.add("utter_diary_gap", remaining_mg=mg(total.remaining_mg))
        for suggestion in total.suggestions:
            reply.add("utter_diary_suggestion", servings=suggestion.servings_needed,
                      food=suggestion.name, serving=suggestion.serving,
                      magnesium_mg=mg(suggestion.magnesium_per_serving_mg))
    elif total.remaining_mg <= 0:
        reply.add("utter_diary_target_met")
    reply.extend(calcium_parts(total.calcium_mg, total.calcium_to_magnesium, intake, person))
    if unknown:
        reply.add("utter_diary_not_counted").extend(unknown_food_parts(unknown, diary=True))
    reply.add("utter_food_source")
    if total.target_is_daily_value:
        reply.add("utter_diary_personalise")
    events = last_answer_events("diary", turn.person, figure_mg=total.total_mg,
                                shown=[item["food"] for item in items])
    chart = diary_chart(
        domain, "utter_chart_diary_title",
        [(r.food_name, r.description, r.magnesium_mg) for r in total.items],
        total.total_mg, total.target_mg, total.target_is_daily_value)
    return Answer(reply, chart=chart, events=events)
