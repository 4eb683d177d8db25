"""Action classes: thin adapters between Rasa and the nutrition core (nutrition).

Computed answers (this file, plus validation.py for the profile form):

* ``action_recommended_intake``   the person's magnesium target (after the profile form);
* ``action_food_magnesium``       magnesium in an amount (or typical serving) of a food;
* ``action_rich_foods``           foods richest in magnesium, by category;
* ``action_food_diary``           total, breakdown and gap of what someone ate;
* ``action_calcium_ratio``        magnesium for a calcium dose at 2:1 and 1:1;
* ``action_supplement_elemental`` elemental magnesium in a supplement dose.

Each action reads entities (actions/entities.py) and slots (actions/profile.py), asks the
nutrition core for every figure, and words the answer with domain.yml responses
(actions/replies.py). Safety: no supplement amount is ever suggested above the person's
upper limit, and when the user mentioned kidney disease, a heart rhythm problem or an
interacting medicine (slot ``medical_caution``, or in the message itself) no supplement
amount is given at all, only a pointer to their clinician.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import entities as ents
from actions.profile import Profile, sex_matters
from actions.replies import Reply, mg, number, percent, quote, render, send_chart
from nutrition.diary import diary_total
from nutrition.errors import (
    FoodNotFound,
    InvalidAmount,
    UnknownSupplementForm,
)
from nutrition.foods import (
    find_food,
    food_categories,
    food_info,
    food_keys,
    foods_by_category,
    magnesium_in_portion,
    rich_foods,
)
from nutrition.intake import RecommendedIntake, recommended_intake, supplement_ul_mg
from nutrition.medications import condition_cautions
from nutrition.ratio import ratio_advice
from nutrition.supplements import (
    elemental_magnesium,
    form_info,
    resolve_form,
    supplement_forms,
)
from nutrition.text import normalise
from nutrition.units import GRAMS_PER_UNIT

CAUTION_SLOT = "medical_caution"
# An adult age for the adult upper limit when the person's age isn't known (the core's
# supplemental upper limit is the same for every age from 9 years on).
ADULT_AGE_YEARS = 30.0
RICH_FOODS_SHOWN = 8
# From this age the replies say "woman"/"man" rather than "girl"/"boy" (wording only).
ADULT_WORDING_AGE = 18
CLOSE_MATCHES_SHOWN = 3
# A word the extractor didn't tag counts as a food only when it matches this well.
LEFTOVER_MATCH_SCORE = 0.9
# Close matches below this score are not worth suggesting.
MIN_SUGGESTION_SCORE = 0.5
GLUTEN_NOTE_CATEGORIES = ("whole_grains", "grains_breads")


# ------------------------------------------------------------------------------ shared helpers


def caution_reason(tracker: Tracker) -> str | None:
    """Why no supplement amount may be given: the ``medical_caution`` slot (set by the
    knowledge answers), or kidney disease / an interacting medicine named in this message."""
    slot = tracker.get_slot(CAUTION_SLOT)
    if slot:
        return str(slot)
    entities = ents.latest_entities(tracker)
    text = ents.latest_text(tracker)
    medicines = [
        text[e["start"]:e["end"]] if isinstance(e.get("start"), int) else str(e.get("value"))
        for e in ents.of_type(entities, "medication")
    ]
    if medicines:
        return ", ".join(dict.fromkeys(m.strip() for m in medicines if m.strip()))
    words = f" {normalise(text)} "
    named = [
        name
        for condition in condition_cautions().values()
        for name in condition.get("names", [])
        if f" {normalise(name)} " in words
    ]
    if named:
        return max(named, key=len)
    if re.search(r"\b(kidney|kidneys|renal)\b", words):
        return "kidney problems"
    return None


def profile_intake(tracker: Tracker) -> tuple[Profile, RecommendedIntake | None]:
    profile = Profile.from_slots(tracker.slots)
    return profile, profile.intake()


def adult_ul_mg() -> float | None:
    return supplement_ul_mg(age_years=ADULT_AGE_YEARS)


def personal_ul_mg(profile: Profile) -> tuple[float | None, bool]:
    """The supplemental upper limit for the person (personal=True) or for adults."""
    if profile.age is not None:
        return supplement_ul_mg(age_years=profile.age), True
    return adult_ul_mg(), False


def adult_range_mg() -> tuple[float, float]:
    """Lowest and highest adult magnesium RDA (not pregnant), from the core's tables."""
    figures = [
        recommended_intake(age_years=age, sex=sex).magnesium_mg
        for age in (19.0, 31.0, 51.0)
        for sex in ("female", "male")
    ]
    return min(figures), max(figures)


def to_mg(value: Any, unit: Any) -> float | None:
    """A mass amount in milligrams (unit conversion with the core's factors)."""
    number_ = ents.finite_number(value)
    if number_ is None or unit not in GRAMS_PER_UNIT:
        return None
    return number_ * GRAMS_PER_UNIT[unit] / GRAMS_PER_UNIT["mg"]


def food_name(key: str) -> str:
    try:
        return food_info(key)["name"]
    except FoodNotFound:
        return key.replace("_", " ")


def close_match_names(matches: list[tuple[str, float]]) -> str:
    names = [food_name(key) for key, _score in matches[:CLOSE_MATCHES_SHOWN]]
    return ", ".join(dict.fromkeys(names))


def unreadable_amounts(tracker: Tracker) -> list[ents.NumberMention]:
    """Numbers in the message that no entity could read (1e309, NaN, -3, ...)."""
    text = ents.latest_text(tracker)
    entities = ents.latest_entities(tracker)
    return [
        n for n in ents.numbers_in_text(text, entities)
        if n.value is None or n.negative or n.value > 100_000
    ]


def looked_up_leftovers(tracker: Tracker) -> tuple[list[ents.FoodMention], list[ents.LeftOver]]:
    """Words the extractor didn't tag: foods it missed (typos) and unknown words.

    When the extractor found no food at all, the core's own match threshold decides (the
    words are most likely the food); beside foods it did find, only close matches count.
    """
    text = ents.latest_text(tracker)
    entities = ents.latest_entities(tracker)
    strict = bool(ents.of_type(entities, "food"))
    found: list[ents.FoodMention] = []
    unknown: list[ents.LeftOver] = []
    for chunk in ents.unrecognised_chunks(text, entities):
        try:
            match = find_food(chunk.text)
        except FoodNotFound:
            unknown.append(chunk)
            continue
        if not strict or match.score >= LEFTOVER_MATCH_SCORE:
            found.append(
                ents.FoodMention(match.key, start=chunk.start, end=chunk.end, text=chunk.text)
            )
        else:
            unknown.append(chunk)
    return found, unknown


def unknown_food_parts(
    chunks: list[ents.LeftOver], diary: bool
) -> list[tuple[str, dict[str, Any]]]:
    """Name back words that aren't in the food table, with the closest foods that are."""
    parts: list[tuple[str, dict[str, Any]]] = []
    for chunk in chunks:
        try:
            match = find_food(chunk.text)
            matches = [(match.key, match.score), *match.close_matches]
        except FoodNotFound as error:
            matches = list(error.close_matches)
        names = close_match_names([m for m in matches if m[1] >= MIN_SUGGESTION_SCORE])
        if diary:
            name = "utter_diary_unknown_item" if names else "utter_diary_unknown_item_no_match"
        else:
            name = "utter_food_unknown" if names else "utter_food_unknown_no_match"
        parts.append((name, {"text": quote(chunk.text), "matches": names}))
    return parts


def entity_text(tracker: Tracker, entity: dict[str, Any]) -> str:
    """The words of the message an entity was read from (its value for button payloads)."""
    start, end = entity.get("start"), entity.get("end")
    text = ents.latest_text(tracker)
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
        return text[start:end]
    return str(entity.get("value"))


# ------------------------------------------------------------------------------ intake


class ActionRecommendedIntake(Action):
    """The person's recommended magnesium intake, its upper limit and bone companions."""

    def name(self) -> str:
        return "action_recommended_intake"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        profile, intake = profile_intake(tracker)
        if intake is None:
            Reply().add("utter_intake_unavailable").send(dispatcher, domain)
            return []
        reason = caution_reason(tracker)
        reply = Reply()
        target = mg(intake.magnesium_mg)
        years = number(profile.age, 1)
        if profile.age is not None and profile.age < 1:
            reply.add("utter_intake_for_baby", months=number(profile.age * 12, 0), target_mg=target)
        elif intake.pregnant:
            reply.add("utter_intake_for_pregnant", years=years, target_mg=target)
        elif intake.lactating:
            reply.add("utter_intake_for_lactating", years=years, target_mg=target)
        elif profile.sex in ("female", "male") and sex_matters(profile.age):
            adult = profile.age >= ADULT_WORDING_AGE
            words = {"female": ("woman", "girl"), "male": ("man", "boy")}[profile.sex]
            reply.add(f"utter_intake_for_{words[0] if adult else words[1]}", years=years,
                      target_mg=target)
        else:
            reply.add("utter_intake_for_child", years=years, target_mg=target)
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
        if profile.life_stage == "not_stated":
            reply.add("utter_intake_offer_pregnancy")
        if intake.pregnant or intake.lactating:
            reply.add("utter_intake_clinician_pregnancy")
        elif not sex_matters(profile.age):
            reply.add("utter_intake_clinician_child")
        else:
            reply.add("utter_intake_clinician")
        reply.add("utter_intake_source")
        reply.send(dispatcher, domain)

        kind = intake.magnesium_kind
        items = [{"label": render(domain, "utter_chart_intake_target", {"kind": kind}),
                  "value": intake.magnesium_mg}]
        if ul is not None and not reason:
            items.append({"label": render(domain, "utter_chart_intake_ul"), "value": ul})
            alt = render(domain, "utter_chart_intake_alt_ul",
                         {"target_mg": target, "ul_mg": mg(ul)})
        else:
            alt = render(domain, "utter_chart_intake_alt", {"target_mg": target})
        send_chart(
            dispatcher, tracker,
            title=render(domain, "utter_chart_intake_title"),
            target=intake.magnesium_mg, items=items, alt=alt,
        )
        return []


# ------------------------------------------------------------------------------ foods


def portion_parts(result: Any, requested_unit: str | None) -> list[tuple[str, dict[str, Any]]]:
    """Notes about the portion used (typical serving, a unit that didn't apply, ...)."""
    parts: list[tuple[str, dict[str, Any]]] = []
    if result.unit_fallback and requested_unit:
        parts.append(("utter_food_unit_fallback",
                      {"food": result.food_name, "unit": requested_unit.replace("_", " ")}))
    elif result.assumption == "handful_is_1_oz":
        parts.append(("utter_food_handful", {}))
    elif result.assumption == "count_as_default_servings":
        parts.append(("utter_food_count_as_servings", {}))
    return parts


def checked_portion(mention: ents.FoodMention) -> tuple[Any, list[tuple[str, dict[str, Any]]]]:
    """Magnesium in the mentioned portion; an unusable amount falls back to a typical
    serving with a note saying so. Raises FoodNotFound for an unknown food."""
    notes: list[tuple[str, dict[str, Any]]] = []
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


def portion_text(result: Any) -> str:
    """The portion as the core describes it ("1 oz", "0.5 cup", "1 medium (7\" long)")."""
    return result.description


class ActionFoodMagnesium(Action):
    """Magnesium in a food: the amount asked, or a typical serving (saying which)."""

    def name(self) -> str:
        return "action_food_magnesium"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = ents.latest_text(tracker)
        mentions = ents.food_mentions(ents.latest_entities(tracker), text)
        missed, unknown = looked_up_leftovers(tracker)
        if len(mentions) + len(missed) > 1:
            return await ActionFoodDiary().run(dispatcher, tracker, domain)
        mentions = mentions or missed
        reply = Reply()
        for number_ in unreadable_amounts(tracker):
            reply.add("utter_amount_unreadable", text=quote(number_.text))
        if not mentions:
            if unknown:
                reply.extend(unknown_food_parts(unknown, diary=False))
            else:
                reply.add("utter_food_which")
            reply.send(dispatcher, domain)
            return []
        try:
            result, notes = checked_portion(mentions[0])
        except FoodNotFound as error:
            names = close_match_names(error.close_matches)
            reply.add("utter_food_unknown" if names else "utter_food_unknown_no_match",
                      text=quote(error.query or mentions[0].food), matches=names)
            reply.send(dispatcher, domain)
            return []
        reply.extend(notes)
        reply.add("utter_food_magnesium", portion=portion_text(result),
                  food=result.food_name[:1].upper() + result.food_name[1:],
                  magnesium_mg=mg(result.magnesium_mg))
        if result.used_default and not result.unit_fallback:
            reply.add("utter_food_default_portion")
        _profile, intake = profile_intake(tracker)
        if intake is not None:
            share = diary_total([{"food": result.food, "amount": result.amount,
                                  "unit": result.unit}], target_mg=intake.magnesium_mg)
            reply.add("utter_food_percent", percent=percent(share.percent_of_target),
                      target_mg=mg(intake.magnesium_mg))
        reply.extend(unknown_food_parts(unknown, diary=False))
        reply.add("utter_food_source")
        reply.send(dispatcher, domain)
        return []


class ActionRichFoods(Action):
    """Foods richest in magnesium per typical serving, for a category or overall."""

    def name(self) -> str:
        return "action_rich_foods"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        category = ents.food_category(ents.latest_text(tracker), food_categories())
        if category is None:
            ranked = rich_foods(limit=len(food_keys()), per_category=2)
            reply = Reply().add("utter_rich_foods_all")
        else:
            ranked = foods_by_category(category, limit=None)
            reply = Reply().add(f"utter_rich_foods_{category}")
        # only foods eaten as they are (not dry ingredients or spices)
        ranked = [food for food in ranked if food_info(food.key).get("suggest", True)]
        for food in ranked[:RICH_FOODS_SHOWN]:
            reply.add("utter_rich_foods_item", food=food.name, serving=food.serving,
                      magnesium_mg=mg(food.magnesium_mg))
        if category in GLUTEN_NOTE_CATEGORIES:
            reply.add("utter_rich_foods_gluten")
        reply.add("utter_rich_foods_more")
        reply.add("utter_food_source")
        reply.send(dispatcher, domain)
        return []


# ------------------------------------------------------------------------------ diary


class ActionFoodDiary(Action):
    """Total magnesium of what someone ate, per food, against their target, with the gap."""

    def name(self) -> str:
        return "action_food_diary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = ents.latest_text(tracker)
        mentions = ents.food_mentions(ents.latest_entities(tracker), text)
        missed, unknown = looked_up_leftovers(tracker)
        mentions = sorted(mentions + missed, key=lambda m: m.start if m.start is not None else 0)
        notes: list[tuple[str, dict[str, Any]]] = []
        for number_ in unreadable_amounts(tracker):
            notes.append(("utter_amount_unreadable", {"text": quote(number_.text)}))
        items: list[dict[str, Any]] = []
        for mention in mentions:
            try:
                result, portion_notes = checked_portion(mention)
            except FoodNotFound:
                unknown.append(ents.LeftOver(mention.text or mention.food, 0, 0))
                continue
            notes.extend(portion_notes)
            items.append({"food": result.food, "amount": result.amount, "unit": result.unit})
        reply = Reply().extend(notes)
        if not items:
            if unknown:
                reply.add("utter_diary_not_counted").extend(unknown_food_parts(unknown, diary=True))
            else:
                reply.add("utter_diary_nothing")
            reply.send(dispatcher, domain)
            return []
        profile, intake = profile_intake(tracker)
        target = intake.magnesium_mg if intake is not None else None
        total = diary_total(items, target_mg=target)
        reply.add("utter_diary_intro")
        chart_items = []
        alt_items = []
        for result in total.items:
            reply.add("utter_diary_item", food=result.food_name, portion=portion_text(result),
                      magnesium_mg=mg(result.magnesium_mg))
            label = render(domain, "utter_chart_diary_item",
                           {"food": result.food_name, "portion": portion_text(result)})
            chart_items.append({"label": label, "value": round(result.magnesium_mg, 1)})
            alt_items.append(render(domain, "utter_chart_diary_alt_item",
                                    {"label": label, "magnesium_mg": mg(result.magnesium_mg)}))
        reply.add("utter_diary_total", total_mg=mg(total.total_mg))
        if total.target_is_daily_value:
            low, high = adult_range_mg()
            reply.add("utter_diary_percent_daily_value", percent=percent(total.percent_of_target),
                      target_mg=mg(total.target_mg), adult_low_mg=mg(low), adult_high_mg=mg(high))
        else:
            reply.add("utter_diary_percent", percent=percent(total.percent_of_target),
                      target_mg=mg(total.target_mg))
        if total.remaining_mg > 0 and total.suggestions:
            reply.add("utter_diary_gap", remaining_mg=mg(total.remaining_mg))
            for suggestion in total.suggestions:
                reply.add("utter_diary_suggestion", servings=suggestion.servings_needed,
                          food=suggestion.name, serving=suggestion.serving,
                          magnesium_mg=mg(suggestion.magnesium_per_serving_mg))
        elif total.remaining_mg <= 0:
            reply.add("utter_diary_target_met")
        if unknown:
            reply.add("utter_diary_not_counted").extend(unknown_food_parts(unknown, diary=True))
        reply.add("utter_food_source")
        if total.target_is_daily_value:
            reply.add("utter_diary_personalise")
        reply.send(dispatcher, domain)
        send_chart(
            dispatcher, tracker,
            title=render(domain, "utter_chart_diary_title"),
            target=None if total.target_is_daily_value else total.target_mg,
            items=chart_items,
            alt=render(domain, "utter_chart_diary_alt", {
                "items": "; ".join(alt_items), "total_mg": mg(total.total_mg),
                "target_mg": mg(total.target_mg)}),
        )
        return []


# ------------------------------------------------------------------------------ calcium ratio


class ActionCalciumRatio(Action):
    """Magnesium that balances a calcium dose (2:1 and 1:1), capped by the upper limit."""

    def name(self) -> str:
        return "action_calcium_ratio"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        entities = ents.latest_entities(tracker)
        reply = Reply()
        calcium_entity = ents.dose(entities, "calcium")
        magnesium_entity = ents.dose(entities, "magnesium")
        bad = unreadable_amounts(tracker)
        for number_ in bad:
            reply.add("utter_ratio_bad_amount", text=quote(number_.text))
        calcium = None if calcium_entity is None else to_mg(calcium_entity.get("value"),
                                                            calcium_entity.get("unit"))
        magnesium = None if magnesium_entity is None else to_mg(magnesium_entity.get("value"),
                                                                magnesium_entity.get("unit"))
        if calcium is None:
            if calcium_entity is not None:
                shown = quote(entity_text(tracker, calcium_entity))
                reply.add("utter_ratio_bad_amount", text=shown)
            reply.add("utter_ratio_general").add("utter_ratio_source")
            reply.send(dispatcher, domain)
            return []
        profile = Profile.from_slots(tracker.slots)
        try:
            advice = ratio_advice(calcium, magnesium, age_years=profile.age,
                                  supplemental_magnesium_mg=magnesium)
        except InvalidAmount:
            shown = magnesium_entity if calcium > 0 and magnesium_entity else calcium_entity
            reply.add("utter_ratio_bad_amount", text=quote(entity_text(tracker, shown)))
            reply.add("utter_ratio_general").add("utter_ratio_source")
            reply.send(dispatcher, domain)
            return []
        reason = caution_reason(tracker)
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
        reply.send(dispatcher, domain)
        return []


# ------------------------------------------------------------------------------ supplements


def same_form_words(words: str, key: str) -> str:
    """The user's words for a supplement form when they name the extractor's form (they
    can say more: "Epsom salt" is the heptahydrate), else the form key."""
    try:
        return words if resolve_form(words)[0] == key else key
    except UnknownSupplementForm:
        return key


class ActionSupplementElemental(Action):
    """Elemental magnesium in a supplement dose, checked against the upper limit."""

    def name(self) -> str:
        return "action_supplement_elemental"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        entities = ents.latest_entities(tracker)
        forms = ents.of_type(entities, "supplement_form")
        form = forms[0].get("value") if forms else None
        # the user's own words keep what the form key loses ("Epsom salt" is the
        # heptahydrate of magnesium sulfate)
        words = entity_text(tracker, forms[0]) if forms else None
        doses = [e for e in ents.mass_amounts(entities) if e.get("role") in (None, "magnesium")]
        reply = Reply()
        for number_ in unreadable_amounts(tracker):
            reply.add("utter_amount_unreadable", text=quote(number_.text))
        if not form:
            reply.add("utter_supplement_which_form").add("utter_supplement_label")
            reply.send(dispatcher, domain)
            return []
        compound = to_mg(doses[0].get("value"), doses[0].get("unit")) if doses else None
        if doses and compound is None:
            reply.add("utter_ratio_bad_amount", text=quote(entity_text(tracker, doses[0])))
        form = same_form_words(str(words), str(form))
        try:
            if compound is None:
                fraction = elemental_magnesium(form, 0)
                hydrate = fraction.hydrate != "anhydrous"
                reply.add("utter_supplement_fraction_hydrate" if hydrate
                          else "utter_supplement_fraction",
                          form=fraction.form_name.capitalize(), hydrate=fraction.hydrate,
                          percent=number(fraction.percent_elemental))
                result = None
            else:
                result = elemental_magnesium(form, compound)
        except UnknownSupplementForm:
            names = ", ".join(form_info(key)["name"] for key in supplement_forms())
            reply.add("utter_supplement_unknown_form", forms=names)
            reply.send(dispatcher, domain)
            return []
        except InvalidAmount:
            reply.add("utter_ratio_bad_amount", text=quote(entity_text(tracker, doses[0])))
            reply.send(dispatcher, domain)
            return []
        info = form_info(result.form if result else fraction.form)
        if result is not None:
            if result.hydrate != "anhydrous":
                reply.add("utter_supplement_elemental_hydrate", compound_mg=mg(result.compound_mg),
                          form=result.form_name, hydrate=result.hydrate,
                          elemental_mg=mg(result.elemental_mg),
                          percent=number(result.percent_elemental))
            else:
                reply.add("utter_supplement_elemental", compound_mg=mg(result.compound_mg),
                          form=result.form_name, elemental_mg=mg(result.elemental_mg),
                          percent=number(result.percent_elemental))
        if info.get("absorption") == "better":
            reply.add("utter_supplement_absorption_better")
        elif info.get("absorption") == "lower":
            reply.add("utter_supplement_absorption_lower")
        reason = caution_reason(tracker)
        profile = Profile.from_slots(tracker.slots)
        ul, _personal = personal_ul_mg(profile)
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
        reply.send(dispatcher, domain)
        return []
