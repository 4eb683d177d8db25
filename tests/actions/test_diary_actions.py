"""The food diary over several turns, through the actions (actions/diary.py): foods added with
the running total, corrections, removals, the day's and yesterday's totals, the week's
average, clearing the day, the person's local day from the message's time zone, and what
"what do you know about me" and "start over" do with the diary. Expected figures come from the
nutrition core, never typed in."""

from __future__ import annotations

import asyncio
import re
import time
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.diary import (
    ActionDiaryClear,
    ActionDiaryCorrect,
    ActionDiaryRemove,
    ActionDiaryTotal,
    ActionFoodDiary,
)
from actions.privacy import ActionForgetProfile, ActionListStoredData
from actions.replies import mg, number, percent
from nutrition import diary_days as days
from nutrition.foods import magnesium_in_portion
from nutrition.profile import Profile
from tests.actions.computed_support import DOMAIN, PROFILE_SLOTS, extracted

WOMAN_54 = {"age": 54.0, "sex": "female", "life_stage": "none"}
NOON_UTC = "2026-11-30T12:00:00+00:00"

ACTIONS = {
    "log_food_diary": ActionFoodDiary(),
    "ask_diary_total": ActionDiaryTotal(),
    "correct_diary_item": ActionDiaryCorrect(),
    "remove_diary_item": ActionDiaryRemove(),
    "clear_diary": ActionDiaryClear(),
    "ask_stored_data": ActionListStoredData(),
    "forget_profile": ActionForgetProfile(),
}


def response(name: str) -> str:
    return DOMAIN["responses"][name][0]["text"]


def mg_of(food: str, amount: Any = None, unit: str | None = None) -> float:
    return magnesium_in_portion(food, amount, unit).magnesium_mg


class Chat:
    """One conversation: each message runs the action its intent names, with the slots the
    earlier actions set, the real extractor's entities, the time zone in the metadata and
    the message's arrival time."""

    def __init__(self, slots: dict | None = None, timezone: Any = None,
                 at: str = NOON_UTC, channel: str = "rest") -> None:
        self.slots: dict[str, Any] = {name: None for name in PROFILE_SLOTS}
        self.slots["food_diary"] = None
        self.slots.update(slots or {})
        self.timezone = timezone
        self.at = datetime.fromisoformat(at).timestamp()
        self.channel = channel
        self.messages: list[dict] = []

    def later(self, **delta: float) -> Chat:
        self.at += timedelta(**delta).total_seconds()
        return self

    def say(self, text: str, intent: str) -> str:
        entities = extracted(text)
        if entities is None:
            pytest.skip("spaCy pipeline not built (python -m nlu.build_pipeline)")
        metadata = {} if self.timezone is None else {"timezone": self.timezone}
        message = {"text": text, "intent": {"name": intent, "confidence": 1.0},
                   "entities": entities, "metadata": metadata}
        events = [{"event": "action", "name": "action_listen"},
                  {"event": "user", "text": text, "parse_data": message, "metadata": metadata,
                   "input_channel": self.channel, "timestamp": self.at}]
        tracker = Tracker(sender_id="diary", slots=dict(self.slots), latest_message=message,
                          events=events, paused=False, followup_action=None, active_loop={},
                          latest_action_name="action_listen")
        dispatcher = CollectingDispatcher()
        returned = asyncio.run(ACTIONS[intent].run(dispatcher, tracker, DOMAIN))
        for event in returned:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
        self.messages = dispatcher.messages
        return "\n".join(m.get("text") or "" for m in dispatcher.messages)

    @property
    def diary(self) -> list[dict]:
        return list(self.slots["food_diary"] or [])

    def today(self) -> date:
        return days.local_date(self.at, self.timezone)


def so_far(said: str) -> float:
    found = re.search(r"Today so far: about ([\d,.]+) mg", said)
    assert found, said
    return float(found.group(1).replace(",", ""))


def test_foods_said_over_turns_add_up_with_the_running_total():
    chat = Chat()
    first = chat.say("I had a banana", "log_food_diary")
    banana = mg_of("banana")
    assert response("utter_diary_added_today") in first
    assert "- banana, " in first and f": {mg(banana)} mg" in first
    assert so_far(first) == pytest.approx(banana, abs=0.5)
    assert "Daily Value" in first and "work out your own daily target" in first
    assert response("utter_diary_how_to") in first

    second = chat.say("and some almonds at lunch", "log_food_diary")
    almonds = mg_of("almonds")
    assert "almonds" in second and f"{mg(almonds)} mg" in second
    assert so_far(second) == pytest.approx(banana + almonds, abs=0.5)
    assert response("utter_diary_how_to") not in second  # said once a day
    assert [e["food"] for e in chat.diary] == ["banana", "almonds"]
    assert all(e["date"] == "2026-11-30" for e in chat.diary)


def test_the_personal_target_is_used_when_the_profile_is_known():
    chat = Chat(slots=WOMAN_54)
    said = chat.say("I ate 2 oz of pumpkin seeds", "log_food_diary")
    target = Profile.from_values(WOMAN_54).intake().magnesium_mg
    total = mg_of("pumpkin_seeds", 2, "oz")
    assert f"{percent(100 * total / target)}% of your {mg(target)} mg a day" in said
    assert "Daily Value" not in said and "work out your own" not in said


def test_correct_the_latest_item_and_a_named_item():
    chat = Chat()
    chat.say("I had an ounce of almonds", "log_food_diary")
    chat.say("I had a banana", "log_food_diary")
    said = chat.say("actually 2 bananas", "correct_diary_item")
    two = mg_of("banana", 2, "piece")
    assert "Changed: banana" in said and f"({mg(two)} mg)" in said
    said = chat.say("the almonds were 2 ounces, not one", "correct_diary_item")
    assert f"({mg(mg_of('almonds', 2, 'oz'))} mg)" in said
    assert so_far(said) == pytest.approx(two + mg_of("almonds", 2, "oz"), abs=0.5)
    said = chat.say("it was 3 ounces, not 2", "correct_diary_item")  # the latest: banana
    assert [e["food"] for e in chat.diary] == ["almonds", "banana"]


def test_correct_the_latest_item_by_amount_only():
    chat = Chat()
    chat.say("I had an ounce of cashews", "log_food_diary")
    said = chat.say("it was 2 ounces, not one", "correct_diary_item")
    assert chat.diary[0]["amount"] == 2 and chat.diary[0]["unit"] == "oz"
    assert so_far(said) == pytest.approx(mg_of("cashews", 2, "oz"), abs=0.5)


def test_a_correction_of_a_food_not_in_the_diary_changes_nothing():
    chat = Chat()
    chat.say("I had a banana", "log_food_diary")
    before = chat.diary
    said = chat.say("actually 2 ounces of walnuts", "correct_diary_item")
    assert said == response("utter_diary_correct_not_found").format(food="walnuts")
    assert chat.diary == before


def test_a_correction_of_an_unknown_food_changes_nothing_and_guesses_nothing():
    chat = Chat()
    chat.say("I had an ounce of almonds", "log_food_diary")
    chat.say("I had a banana", "log_food_diary")
    before = chat.diary
    said = chat.say("actually it was 2 ounces of zzqxv", "correct_diary_item")
    assert said == response("utter_diary_correct_unknown").format(text="zzqxv")
    assert chat.diary == before
    # a close misspelling is the food meant
    said = chat.say("actually it was 2 ounces of almods", "correct_diary_item")
    assert chat.diary[0]["amount"] == 2 and chat.diary[1] == before[1]


def test_a_correction_without_an_amount_asks_for_it():
    chat = Chat()
    chat.say("I had a banana", "log_food_diary")
    assert chat.say("that's wrong", "correct_diary_item") == \
        response("utter_diary_correct_which")


def test_a_correction_on_an_empty_day_says_so():
    assert Chat().say("it was 2 ounces", "correct_diary_item") == \
        response("utter_diary_correct_empty")


def test_remove_a_named_food_and_the_last_one():
    chat = Chat()
    chat.say("I had a banana, an ounce of almonds and a cup of milk", "log_food_diary")
    said = chat.say("not the banana", "remove_diary_item")
    assert "Removed from today's diary: banana" in said
    rest = [e["mg"] for e in chat.diary]
    assert so_far(said) == pytest.approx(sum(rest), abs=0.5)
    said = chat.say("remove the last one", "remove_diary_item")
    assert [e["food"] for e in chat.diary] == ["almonds"]


def test_removing_a_food_not_in_the_diary_or_an_unknown_word_changes_nothing():
    chat = Chat()
    chat.say("I had a banana", "log_food_diary")
    before = chat.diary
    said = chat.say("remove the almonds", "remove_diary_item")
    assert said == response("utter_diary_remove_not_found").format(food="almonds (dry roasted)")
    said = chat.say("remove the zzqxv", "remove_diary_item")
    assert "haven't removed anything" in said
    assert chat.diary == before


def test_removing_the_only_food_leaves_an_empty_day():
    chat = Chat()
    chat.say("I had a banana", "log_food_diary")
    said = chat.say("remove the banana", "remove_diary_item")
    assert response("utter_diary_empty_today").split(".")[0] in said
    assert chat.diary == []
    assert chat.say("remove the banana", "remove_diary_item") == \
        response("utter_diary_remove_empty")


def test_the_total_any_time_with_the_gap_and_a_chart_on_the_widget():
    chat = Chat(slots=WOMAN_54, channel="socketio")
    chat.say("I had a banana and an ounce of almonds", "log_food_diary")
    said = chat.say("did I reach my target?", "ask_diary_total")
    target = Profile.from_values(WOMAN_54).intake().magnesium_mg
    total = round(sum(e["mg"] for e in chat.diary), 1)
    assert f"Total today: about {mg(total)} mg" in said
    assert f"{percent(100 * total / target)}% of your {mg(target)} mg a day" in said
    assert f"To close the remaining {mg(round(target - total, 1))} mg" in said
    chart = next(m["custom"]["chart"] for m in chat.messages if m.get("custom"))
    assert chart["target"] == target and len(chart["items"]) == 2
    assert sum(i["value"] for i in chart["items"]) == pytest.approx(total, abs=0.1)


def test_no_chart_on_rest():
    chat = Chat()
    chat.say("I had a banana", "log_food_diary")
    chat.say("what's my total today?", "ask_diary_total")
    assert not any(m.get("custom") for m in chat.messages)


def test_an_empty_day_total():
    assert Chat().say("what's my total today?", "ask_diary_total") == \
        response("utter_diary_empty_today")


def test_yesterday_and_the_week():
    chat = Chat(at="2026-11-28T12:00:00+00:00")
    chat.say("I had 2 ounces of almonds", "log_food_diary")
    chat.later(days=1).say("I had a banana", "log_food_diary")
    chat.later(days=1).say("I had a cup of milk", "log_food_diary")
    said = chat.say("what did I eat yesterday?", "ask_diary_total")
    assert response("utter_diary_day_yesterday") in said and "banana" in said
    assert f"Total yesterday: about {mg(mg_of('banana'))} mg" in said
    week = chat.say("my average this week", "ask_diary_total")
    average = days.week_average(chat.diary, chat.today()).average_mg
    assert "logged food on 3 of them" in week
    assert f"about {mg(average)} mg of magnesium a day" in week
    assert response("utter_diary_week_gaps") in week
    assert average == pytest.approx(sum(e["mg"] for e in chat.diary) / 3, abs=0.05)
    assert mg_of("almonds", 2, "oz") in [e["mg"] for e in chat.diary]


def test_a_food_logged_for_yesterday_goes_to_yesterday():
    chat = Chat()
    said = chat.say("yesterday I ate a banana", "log_food_diary")
    assert response("utter_diary_added_yesterday") in said
    assert chat.diary[0]["date"] == "2026-11-29"
    assert chat.say("what's my total today?", "ask_diary_total") == \
        response("utter_diary_empty_today")


def test_empty_yesterday_and_empty_week():
    chat = Chat()
    assert chat.say("yesterday's total", "ask_diary_total") == \
        response("utter_diary_empty_yesterday")
    assert chat.say("my weekly average", "ask_diary_total") == \
        response("utter_diary_week_empty").format(days=7)


def test_the_day_is_the_persons_local_day():
    # 23:30 in New York is already the next day in UTC
    chat = Chat(timezone="America/New_York", at="2026-12-01T04:30:00+00:00")
    chat.say("I had a banana", "log_food_diary")
    assert chat.diary[0]["date"] == "2026-11-30"
    chat.later(hours=1)  # 00:30 in New York: a new day there
    assert chat.say("what's my total today?", "ask_diary_total") == \
        response("utter_diary_empty_today")
    assert "banana" in chat.say("what did I eat yesterday?", "ask_diary_total")


@pytest.mark.parametrize("zone", ["Mars/Olympus", "../../etc/passwd", 42, ""])
def test_an_invalid_time_zone_counts_in_utc(zone):
    chat = Chat(timezone=zone, at="2026-11-30T23:30:00+00:00")
    chat.say("I had a banana", "log_food_diary")
    assert chat.diary[0]["date"] == "2026-11-30"


def test_clear_the_day_keeps_earlier_days():
    chat = Chat()
    chat.say("yesterday I ate a banana", "log_food_diary")
    chat.say("I had an ounce of almonds and a cup of milk", "log_food_diary")
    said = chat.say("clear my diary", "clear_diary")
    assert said == response("utter_diary_cleared").format(count=2)
    assert [e["date"] for e in chat.diary] == ["2026-11-29"]
    assert chat.say("start the diary again", "clear_diary") == \
        response("utter_diary_clear_empty")


def test_stored_data_lists_the_diary_and_start_over_clears_it():
    chat = Chat()
    chat.say("I had a banana and an ounce of almonds", "log_food_diary")
    listed = chat.say("what do you know about me", "ask_stored_data")
    assert response("utter_stored_diary").format(count=2, keep_days=days.KEEP_DAYS) in listed
    assert chat.say("start over", "forget_profile") == response("utter_profile_forgotten")
    assert chat.slots["food_diary"] is None
    assert chat.say("what do you know about me", "ask_stored_data") == \
        response("utter_stored_nothing")


def test_a_broken_stored_diary_is_read_as_far_as_it_goes():
    chat = Chat(slots={"food_diary": ["junk", {"date": "2026-11-30", "food": "banana",
                                                "mg": 31.9}, 7]})
    said = chat.say("what's my total today?", "ask_diary_total")
    assert "Total today: about 32 mg" in said


def test_fifty_item_diary_stays_quick_per_turn():
    foods = ["banana", "almonds", "cashews", "spinach_raw", "black_beans_cooked"]
    day = date(2026, 11, 30)
    diary = days.add([], day, [magnesium_in_portion(foods[i % 5]) for i in range(49)])
    chat = Chat(slots={"food_diary": diary})
    started = time.perf_counter()
    said = chat.say("I had a banana", "log_food_diary")
    chat.say("what's my total today?", "ask_diary_total")
    chat.say("actually 2 bananas", "correct_diary_item")
    chat.say("remove the almonds", "remove_diary_item")
    elapsed = (time.perf_counter() - started) / 4
    assert "Foods in today's diary: 50" in said
    assert len(chat.diary) == 49
    assert elapsed < 0.25, f"{elapsed * 1000:.0f} ms a turn"


def test_the_week_gives_calcium_and_the_ratio_too():
    """The 7-day average holds calcium beside magnesium (its share of the calcium RDA when
    the profile is known) and the calcium-to-magnesium ratio, each rounded once."""
    from nutrition.intake import recommended_intake

    chat = Chat(slots={"age": 65.0, "sex": "female", "life_stage": "none"},
                at="2026-11-28T12:00:00+00:00")
    chat.say("I had 2 ounces of almonds", "log_food_diary")
    chat.later(days=2).say("I had a cup of milk and a banana", "log_food_diary")
    week = chat.say("my average this week", "ask_diary_total")
    entries = chat.diary
    calcium = sum(e["ca_mg"] for e in entries) / 2
    magnesium = sum(e["mg"] for e in entries) / 2
    target = recommended_intake(age_years=65, sex="female").calcium_mg
    assert response("utter_diary_week_calcium").format(calcium_mg=mg(calcium)) in week
    assert response("utter_food_percent_calcium").format(
        percent=percent(100 * calcium / target), target_mg=mg(target)) in week
    assert response("utter_diary_ratio").format(ratio=number(calcium / magnesium, 1)) in week
    assert response("utter_ratio_opinion_only") in week
