"""The food diary kept over turns: ``action_food_diary`` (foods eaten, added to the day),
``action_diary_total`` (today, yesterday or the week's magnesium and calcium),
``action_diary_correct``, ``action_diary_remove`` and ``action_diary_clear``.

The diary is the ``food_diary`` slot: a list of entries with the person's local date and the
magnesium worked out when each food was added (nutrition/diary_days.py does every change and
total). The day is the person's: the widget sends its time zone in the message metadata
(``{"timezone": "Europe/Paris"}``); other channels count in UTC. Wording: domain/diary.yml and
the diary responses of domain/computed.yml.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.types import DomainDict

from actions import entities as ents
from actions.base import DIARY_SLOT, Answer, Chart, Turn, TurnAction
from actions.foods import (
    LEFTOVER_MATCH_SCORE,
    FoodsSaid,
    calcium_parts,
    diary_answer,
    diary_chart,
    food_name,
    portions_said,
    share_part,
    unknown_food_parts,
    unreadable_parts,
)
from actions.people import last_answer_events
from actions.replies import Reply, mg, quote
from nutrition import diary_days as days
from nutrition.diary import gap_suggestions
from nutrition.errors import FoodNotFound, NutritionError
from nutrition.foods import find_food
from nutrition.intake import RecommendedIntake

Entry = dict[str, Any]

# "2 ounces of <words>": the words name the food the amount is for.
AFTER_AMOUNT = re.compile(r"\s+of\s+(?:the\s+|my\s+|a\s+|an\s+)?([A-Za-z][A-Za-z' -]*)")


def today(turn: Turn) -> date:
    """The person's local date when the message arrived (UTC without a valid time zone)."""
    moment = turn.sent_at if turn.sent_at is not None else time.time()
    return days.local_date(moment, turn.timezone)


def which_day(day: date, on: date) -> str:
    return "yesterday" if day == on - timedelta(days=1) else "today"


def target_mg(turn: Turn) -> float | None:
    intake = turn.intake
    return intake.magnesium_mg if intake is not None else None


def slot(diary: list[Entry]) -> list[EventType]:
    return [SlotSet(DIARY_SLOT, diary)]


def item_part(entry: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    return ("utter_diary_item", {"food": entry.get("name") or food_name(str(entry["food"])),
                                 "portion": entry.get("portion") or "",
                                 "magnesium_mg": mg(float(entry["mg"]))})


def day_chart(domain: DomainDict, total: days.DayTotal, title: str) -> Chart:
    return diary_chart(
        domain, title,
        [(e.get("name") or e["food"], e.get("portion") or "", float(e["mg"]))
         for e in total.items],
        total.total_mg, total.target_mg, total.target_is_daily_value)


def running_total(reply: Reply, total: days.DayTotal, when: str,
                  intake: RecommendedIntake | None = None) -> None:
    """The day's total so far and its share of the target; the day's calcium and its
    calcium-to-magnesium ratio."""
    reply.add(f"utter_diary_so_far_{when}", total_mg=mg(total.total_mg), count=len(total.items))
    name, values = share_part(total)
    reply.add(name, **values)
    if total.remaining_mg <= 0:
        reply.add("utter_diary_target_met")
    reply.extend(calcium_parts(total.calcium_mg, total.calcium_to_magnesium, intake))


def food_named(turn: Turn) -> str | None:
    """The food a correction or removal names: a food entity, else words that match one
    food very closely (a typo); ``None`` when no food is named."""
    mentions = ents.food_mentions(turn.entities, turn.text)
    if mentions:
        return mentions[0].food
    for chunk in ents.unrecognised_chunks(turn.text, turn.entities):
        try:
            match = find_food(chunk.text)
        except FoodNotFound:
            continue
        if match.score >= LEFTOVER_MATCH_SCORE:
            return match.key
    return None


# ------------------------------------------------------------------------------ adding


class ActionFoodDiary(TurnAction):
    """Foods someone ate, added to their diary for the day, with the running total."""

    def name(self) -> str:
        return "action_food_diary"

    def answer(self, turn: Turn, domain: DomainDict) -> Answer:
        foods = FoodsSaid.read(turn)
        if turn.person is not None:
            # "my husband had 2 bananas": his total against his target, for this message
            # only; the diary is the user's own
            return diary_answer(turn, foods, domain)
        portions, notes, unknown = portions_said(turn, foods)
        reply = Reply().extend(notes)
        if not portions:
            if unknown:
                reply.add("utter_diary_not_counted").extend(unknown_food_parts(unknown, True))
            else:
                reply.add("utter_diary_nothing")
            return Answer(reply)
        now = today(turn)
        day = days.day_of(turn.text, now)
        when = which_day(day, now)
        diary = days.entries(turn.diary)
        was_empty = not days.on_day(diary, day)
        try:
            diary = days.add(diary, day, portions, today=now)
        except days.DiaryFull:
            return Answer(reply.add("utter_diary_full", max_items=days.MAX_ENTRIES_PER_DAY))
        reply.add(f"utter_diary_added_{when}")
        for portion in portions:
            reply.extend([item_part(days.make_entry(day, portion))])
        total = days.day_total(diary, day, target_mg(turn))
        running_total(reply, total, when, turn.intake)
        if unknown:
            reply.add("utter_diary_not_counted").extend(unknown_food_parts(unknown, True))
        reply.add("utter_food_source")
        if was_empty:
            reply.add("utter_diary_how_to")
        if total.target_is_daily_value:
            reply.add("utter_diary_personalise")
        events = slot(diary) + last_answer_events(
            "diary", None, figure_mg=total.total_mg,
            shown=[portion.food for portion in portions])
        return Answer(reply, chart=day_chart(domain, total, f"utter_chart_diary_day_{when}"),
                      events=events)


# ------------------------------------------------------------------------------ totals


class ActionDiaryTotal(TurnAction):
    """Today's or yesterday's diary with its total, or the week's daily average."""

    def name(self) -> str:
        return "action_diary_total"

    def answer(self, turn: Turn, domain: DomainDict) -> Answer:
        diary = days.entries(turn.diary)
        now = today(turn)
        asked = days.period(turn.text)
        if asked == "week":
            return self.week(diary, now, turn)
        day = now - timedelta(days=1) if asked == "yesterday" else now
        total = days.day_total(diary, day, target_mg(turn))
        if not total.items:
            return Answer(Reply().add(f"utter_diary_empty_{asked}"))
        reply = Reply().add(f"utter_diary_day_{asked}")
        for entry in total.items:
            reply.extend([item_part(entry)])
        reply.add(f"utter_diary_day_total_{asked}", total_mg=mg(total.total_mg))
        name, values = share_part(total)
        reply.add(name, **values)
        if total.remaining_mg <= 0:
            reply.add("utter_diary_target_met")
        elif asked == "today":
            suggestions = gap_suggestions(total.remaining_mg)
            if suggestions:
                reply.add("utter_diary_gap", remaining_mg=mg(total.remaining_mg))
            for suggestion in suggestions:
                reply.add("utter_diary_suggestion", servings=suggestion.servings_needed,
                          food=suggestion.name, serving=suggestion.serving,
                          magnesium_mg=mg(suggestion.magnesium_per_serving_mg))
        reply.extend(calcium_parts(total.calcium_mg, total.calcium_to_magnesium, turn.intake))
        reply.add("utter_food_source")
        if total.target_is_daily_value:
            reply.add("utter_diary_personalise")
        return Answer(reply, chart=day_chart(domain, total, f"utter_chart_diary_day_{asked}"))

    @staticmethod
    def week(diary: Sequence[Entry], now: date, turn: Turn) -> Answer:
        week = days.week_average(diary, now, target_mg(turn))
        if week.days_with_entries == 0:
            return Answer(Reply().add("utter_diary_week_empty", days=week.days))
        reply = Reply().add("utter_diary_week", days=week.days,
                            days_with_entries=week.days_with_entries,
                            average_mg=mg(week.average_mg))
        if week.days_with_entries < week.days:
            reply.add("utter_diary_week_gaps")
        name, values = share_part(week)
        reply.add(name, **values)
        reply.extend(calcium_parts(week.calcium_mg, week.calcium_to_magnesium, turn.intake,
                                   lead="utter_diary_week_calcium"))
        if week.target_is_daily_value:
            reply.add("utter_diary_personalise")
        return Answer(reply)


# ------------------------------------------------------------------------------ changes


class ActionDiaryCorrect(TurnAction):
    """A new amount for a food of today's diary (the latest one when no food is named)."""

    def name(self) -> str:
        return "action_diary_correct"

    def answer(self, turn: Turn, domain: DomainDict) -> Answer:
        diary = days.entries(turn.diary)
        now = today(turn)
        reply = Reply().extend(unreadable_parts(turn))
        if not days.on_day(diary, now):
            return Answer(reply.add("utter_diary_correct_empty"))
        food = food_named(turn)
        amount, unit = self.new_amount(turn)
        unknown = None if food is not None else self.unknown_food_after_amount(turn)
        if unknown:
            return Answer(reply.add("utter_diary_correct_unknown", text=quote(unknown)))
        if amount is None:
            if food is not None and not self.holds(diary, now, food):
                return Answer(reply.add("utter_diary_correct_not_found", food=food_name(food)))
            return Answer(reply.add("utter_diary_correct_which"))
        try:
            change = days.correct(diary, now, food, amount, unit)
        except days.NotInDiary:
            return Answer(reply.add("utter_diary_correct_not_found",
                                    food=food_name(food or "")))
        except NutritionError as error:
            shown = food or str(days.on_day(diary, now)[-1]["food"])
            return Answer(reply.add("utter_diary_correct_bad_amount", food=food_name(shown),
                                    reason=str(error).rstrip(".").lower()))
        new = change.new or {}
        old = change.old
        if unit is not None and str(new.get("unit")) != unit:
            reply.add("utter_food_unit_fallback", food=str(new.get("name")),
                      unit=unit.replace("_", " "))
        reply.add("utter_diary_corrected", food=str(new.get("name")),
                  old_portion=str(old.get("portion")), old_mg=mg(float(old["mg"])),
                  new_portion=str(new.get("portion")), new_mg=mg(float(new["mg"])))
        total = days.day_total(change.diary, now, target_mg(turn))
        running_total(reply, total, "today", turn.intake)
        return Answer(reply, chart=day_chart(domain, total, "utter_chart_diary_day_today"),
                      events=slot(change.diary))

    @staticmethod
    def holds(diary: Sequence[Entry], day: date, food: str) -> bool:
        return any(e.get("food") == food for e in days.on_day(diary, day))

    @staticmethod
    def unknown_food_after_amount(turn: Turn) -> str | None:
        """Words after "<amount> of" that are no food of the table ("2 ounces of almods"):
        the correction names a food, just not one the table knows, so nothing is guessed."""
        for entity in ents.of_type(turn.entities, "amount"):
            end = entity.get("end")
            if not isinstance(end, int):
                continue
            found = AFTER_AMOUNT.match(turn.text[end:])
            if found:
                return found.group(1).strip()
        return None

    @staticmethod
    def new_amount(turn: Turn) -> tuple[Any, str | None]:
        """The amount the correction gives: the named food's own, else the first amount
        that is no nutrient dose ("it was 2 ounces, not one": 2 oz)."""
        for mention in ents.food_mentions(turn.entities, turn.text):
            if mention.amount is not None:
                return mention.amount, mention.unit
        for entity in ents.of_type(turn.entities, "amount"):
            if entity.get("role") is None and entity.get("value") is not None:
                unit = entity.get("unit")
                return entity.get("value"), str(unit) if unit else None
        return None, None


class ActionDiaryRemove(TurnAction):
    """Takes a food out of today's diary (the latest entry of it), or says it isn't there."""

    def name(self) -> str:
        return "action_diary_remove"

    def answer(self, turn: Turn, domain: DomainDict) -> Answer:
        diary = days.entries(turn.diary)
        now = today(turn)
        reply = Reply()
        if not days.on_day(diary, now):
            return Answer(reply.add("utter_diary_remove_empty"))
        food = food_named(turn)
        if food is None and not days.refers_to_last(turn.text):
            return Answer(reply.add("utter_diary_remove_unknown", text=quote(turn.text)))
        try:
            change = days.remove(diary, now, food)
        except days.NotInDiary:
            return Answer(reply.add("utter_diary_remove_not_found", food=food_name(food or "")))
        old = change.old
        reply.add("utter_diary_removed", food=str(old.get("name") or old["food"]),
                  portion=str(old.get("portion")), magnesium_mg=mg(float(old["mg"])))
        total = days.day_total(change.diary, now, target_mg(turn))
        if total.items:
            running_total(reply, total, "today", turn.intake)
            chart: Chart | None = day_chart(domain, total, "utter_chart_diary_day_today")
        else:
            reply.add("utter_diary_empty_today")
            chart = None
        return Answer(reply, chart=chart, events=slot(change.diary))


class ActionDiaryClear(TurnAction):
    """Empties today's diary; earlier days stay for the week's average."""

    def name(self) -> str:
        return "action_diary_clear"

    def answer(self, turn: Turn, domain: DomainDict) -> Answer:
        diary = days.entries(turn.diary)
        kept, removed = days.clear_day(diary, today(turn))
        if not removed:
            return Answer(Reply().add("utter_diary_clear_empty"))
        return Answer(Reply().add("utter_diary_cleared", count=removed), events=slot(kept))
