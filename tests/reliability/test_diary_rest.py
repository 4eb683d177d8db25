"""The food diary through the REST channel of real running servers: multi-turn dialogues
(adding, correcting, removing, totals, clearing, the profile's target, time zones, start over)
whose figures are checked against the nutrition core, and a diary that survives restarting
both servers (it is kept in the tracker store)."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone

import pytest

from actions.replies import mg, percent
from nutrition import diary_days as days
from nutrition.foods import magnesium_in_portion
from nutrition.profile import Profile
from tests.reliability.support import (
    FORM_ANSWERS,
    FORM_TRIGGER,
    post,
    response_text,
    texts,
)

pytestmark = pytest.mark.integration

# Zones far apart: the tests use the one whose local time is furthest from midnight, so no
# dialogue crosses a day boundary while it runs.
ZONES = ("UTC", "Asia/Tokyo", "America/New_York", "Europe/Berlin", "Asia/Kolkata")


def calm_zone() -> str:
    def distance_from_midnight(name: str) -> float:
        now = datetime.now(timezone.utc).astimezone(days.zone(name)[0])
        hours = now.hour + now.minute / 60
        return min(hours, 24 - hours)
    return max(ZONES, key=distance_from_midnight)


ZONE = calm_zone()


def say(api_bot, sender: str, text: str, zone: object = ZONE) -> str:
    body = {"sender": sender, "message": text}
    if zone is not None:
        body["metadata"] = {"timezone": zone}
    status, raw = post(api_bot.url, body)
    assert status == 200, raw[:300]
    return texts(json.loads(raw))


def stored(api_bot, sender: str) -> list[dict]:
    return list(api_bot.tracker(sender)["slots"].get("food_diary") or [])


def today(zone: object = ZONE):
    return days.local_date(time.time(), zone)


def core_mg(food: str, amount=None, unit=None) -> float:
    return round(magnesium_in_portion(food, amount, unit).magnesium_mg, 1)


def so_far(total_mg: float) -> str:
    return f"Today so far: about {mg(total_mg)} mg of magnesium."


def test_two_foods_over_two_turns_make_a_running_total(api_bot):
    sender = "diary-rest-running"
    first = say(api_bot, sender, "I had a banana")
    assert so_far(core_mg("banana")) in first
    assert "Daily Value" in first
    second = say(api_bot, sender, "and some almonds at lunch")
    assert so_far(round(core_mg("banana") + core_mg("almonds"), 1)) in second
    diary = stored(api_bot, sender)
    assert [e["food"] for e in diary] == ["banana", "almonds"]
    assert {e["date"] for e in diary} == {today().isoformat()}


def test_a_correction_of_the_amount(api_bot):
    sender = "diary-rest-correct"
    say(api_bot, sender, "I had an ounce of almonds")
    said = say(api_bot, sender, "it was 2 ounces, not one")
    assert so_far(core_mg("almonds", 2, "oz")) in said
    assert stored(api_bot, sender)[0]["amount"] == 2


def test_a_correction_of_a_count(api_bot):
    sender = "diary-rest-count"
    say(api_bot, sender, "I had a banana")
    said = say(api_bot, sender, "actually 2 bananas")
    assert so_far(core_mg("banana", 2, "piece")) in said


def test_a_removal_and_a_removal_of_a_food_not_there(api_bot):
    sender = "diary-rest-remove"
    say(api_bot, sender, "I had a banana")
    say(api_bot, sender, "and some almonds at lunch")
    said = say(api_bot, sender, "not the banana")
    assert "Removed from today's diary: banana" in said
    assert so_far(core_mg("almonds")) in said
    before = stored(api_bot, sender)
    said = say(api_bot, sender, "remove the salmon")
    assert "haven't removed anything" in said
    assert stored(api_bot, sender) == before


def test_a_correction_of_a_food_not_there_changes_nothing(api_bot):
    sender = "diary-rest-correct-missing"
    say(api_bot, sender, "I had a banana")
    before = stored(api_bot, sender)
    said = say(api_bot, sender, "change the cashews to 2 ounces")
    assert "haven't changed anything" in said
    assert stored(api_bot, sender) == before


def test_the_total_at_any_time(api_bot):
    sender = "diary-rest-total"
    assert say(api_bot, sender, "what's my total today?").strip() == \
        response_text("utter_diary_empty_today").strip()
    say(api_bot, sender, "I had a cup of spinach")
    say(api_bot, sender, "I also had a yogurt")
    diary = stored(api_bot, sender)
    total = days.day_total(diary, today())
    said = say(api_bot, sender, "did I reach my target?")
    assert f"Total today: about {mg(total.total_mg)} mg" in said
    assert f"{percent(total.percent_of_target)}% of the {mg(total.target_mg)} mg Daily Value" \
        in said
    assert total.total_mg == pytest.approx(sum(e["mg"] for e in diary), abs=0.05)


def test_the_personal_target_after_the_profile(api_bot):
    sender = "diary-rest-profile"
    say(api_bot, sender, FORM_TRIGGER)
    for slot in ("age", "sex", "life_stage"):
        say(api_bot, sender, FORM_ANSWERS[slot])
    target = Profile.from_values(api_bot.tracker(sender)["slots"]).intake().magnesium_mg
    said = say(api_bot, sender, "I ate 2 oz of pumpkin seeds")
    total = core_mg("pumpkin_seeds", 2, "oz")
    assert f"{percent(100 * total / target)}% of your {mg(target)} mg a day" in said


def test_clearing_the_day(api_bot):
    sender = "diary-rest-clear"
    say(api_bot, sender, "I had a banana")
    say(api_bot, sender, "and some almonds at lunch")
    said = say(api_bot, sender, "clear my diary")
    assert response_text("utter_diary_cleared").format(count=2).strip() in said
    assert stored(api_bot, sender) == []


def test_the_week_and_yesterday(api_bot):
    sender = "diary-rest-week"
    say(api_bot, sender, "yesterday I ate 2 oz of almonds")
    say(api_bot, sender, "I had a banana")
    said = say(api_bot, sender, "yesterday's total")
    assert f"Total yesterday: about {mg(core_mg('almonds', 2, 'oz'))} mg" in said
    week = days.week_average(stored(api_bot, sender), today())
    said = say(api_bot, sender, "my average this week")
    assert "logged food on 2 of them" in said
    assert f"about {mg(week.average_mg)} mg of magnesium a day" in said


def test_stored_data_lists_the_diary_and_start_over_clears_it(api_bot):
    sender = "diary-rest-privacy"
    say(api_bot, sender, "I had a banana")
    said = say(api_bot, sender, "what do you know about me")
    assert response_text("utter_stored_diary").format(count=1, keep_days=days.KEEP_DAYS) \
        in said
    say(api_bot, sender, "start over")
    assert stored(api_bot, sender) == []
    assert say(api_bot, sender, "what's my total today?").strip() == \
        response_text("utter_diary_empty_today").strip()


@pytest.mark.parametrize(("zone", "expected"), [
    ("Pacific/Kiritimati", "Pacific/Kiritimati"), ("Pacific/Pago_Pago", "Pacific/Pago_Pago"),
    ("Not/A_Zone", "UTC"), (None, "UTC")])
def test_the_day_follows_the_time_zone_sent(api_bot, zone, expected):
    sender = f"diary-rest-zone-{expected}-{zone is None}".replace("/", "-")
    for _attempt in range(2):  # a second try only if the day turned while asking
        before = today(expected)
        say(api_bot, sender, "I had a banana", zone=zone)
        if today(expected) == before:
            break
    assert stored(api_bot, sender)[-1]["date"] == before.isoformat()


def test_the_diary_survives_restarting_both_servers(api_bot):
    sender = "diary-rest-restart"
    say(api_bot, sender, "I had a banana")
    say(api_bot, sender, "and some almonds at lunch")
    before = stored(api_bot, sender)
    stack = api_bot.stack
    stack.stop_rasa()
    stack.stop_actions()
    stack.start_actions()
    stack.start_rasa()
    assert stored(api_bot, sender) == before
    said = say(api_bot, sender, "what's my total today?")
    total = round(core_mg("banana") + core_mg("almonds"), 1)
    assert f"Total today: about {mg(total)} mg" in said
