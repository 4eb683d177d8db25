"""nutrition/diary_days.py: the diary kept over days (local dates, changes, totals, the week)."""

from __future__ import annotations

import json
import time
from datetime import date, datetime, timedelta, timezone

import pytest

from nutrition import diary_days as days
from nutrition.errors import InvalidAmount, NutritionError
from nutrition.foods import magnesium_in_portion
from nutrition.intake import daily_value_mg

DAY = date(2026, 11, 30)


def portion(food, amount=None, unit=None):
    return magnesium_in_portion(food, amount, unit)


def moment(text):
    return datetime.fromisoformat(text).timestamp()


# ------------------------------------------------------------------------------ dates


@pytest.mark.parametrize(("utc", "zone_name", "expected"), [
    ("2026-11-30T23:30:00+00:00", "UTC", date(2026, 11, 30)),
    ("2026-11-30T23:30:00+00:00", "Europe/Paris", date(2026, 12, 1)),  # 00:30 local
    ("2026-12-01T04:30:00+00:00", "America/New_York", date(2026, 11, 30)),  # 23:30 local
    ("2026-11-30T10:30:00+00:00", "Pacific/Kiritimati", date(2026, 12, 1)),  # UTC+14
    ("2026-11-30T10:30:00+00:00", "Pacific/Pago_Pago", date(2026, 11, 29)),  # UTC-11
    ("2026-03-29T00:59:59+00:00", "Europe/London", date(2026, 3, 29)),  # spring forward
    ("2026-12-31T23:59:59+00:00", "Asia/Kolkata", date(2027, 1, 1)),  # new year, +5:30
])
def test_local_date_is_the_persons_day(utc, zone_name, expected):
    assert days.local_date(moment(utc), zone_name) == expected


@pytest.mark.parametrize("bad", [None, "", "Mars/Olympus", "../../etc/passwd", "/etc/passwd",
                                 "Europe/Paris\n", 42, ["UTC"], "x" * 200, "Europe/../UTC"])
def test_an_invalid_time_zone_counts_as_utc(bad):
    tz, valid = days.zone(bad)
    assert valid is False and str(tz) == "UTC"
    assert days.local_date(moment("2026-11-30T23:30:00+00:00"), bad) == date(2026, 11, 30)


def test_a_valid_zone_is_reported_valid():
    assert days.zone("America/Sao_Paulo")[1] is True


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "now", True, None])
def test_a_bad_moment_is_refused(bad):
    with pytest.raises(NutritionError):
        days.local_date(bad, "UTC")


def test_same_instant_two_zones_two_days():
    now = moment("2026-11-30T22:00:00+00:00")
    tokyo, lima = days.local_date(now, "Asia/Tokyo"), days.local_date(now, "America/Lima")
    assert tokyo - lima == timedelta(days=1)


# ------------------------------------------------------------------------------ adding


def test_add_keeps_the_magnesium_worked_out_and_returns_a_new_list():
    diary: list = []
    banana = portion("banana")
    after = days.add(diary, DAY, [banana])
    assert diary == []
    assert after == [{"date": "2026-11-30", "food": "banana", "name": banana.food_name,
                      "amount": banana.amount, "unit": banana.unit,
                      "portion": banana.description, "mg": banana.magnesium_mg,
                      "ca_mg": banana.calcium_mg}]
    json.dumps(after)  # the slot must hold it as JSON


def test_running_total_over_several_adds():
    banana, almonds = portion("banana"), portion("almonds", 1, "oz")
    diary = days.add([], DAY, [banana])
    diary = days.add(diary, DAY, [almonds])
    total = days.day_total(diary, DAY)
    assert total.total_mg == pytest.approx(banana.magnesium_mg + almonds.magnesium_mg)
    assert [e["food"] for e in total.items] == ["banana", "almonds"]


def test_entries_older_than_the_kept_days_are_pruned_on_add():
    old = days.add([], DAY - timedelta(days=days.KEEP_DAYS), [portion("banana")])
    kept = days.add(old, DAY - timedelta(days=days.KEEP_DAYS - 1), [portion("banana")])
    after = days.add(kept, DAY, [portion("almonds")])
    assert [e["date"] for e in after] == [
        (DAY - timedelta(days=days.KEEP_DAYS - 1)).isoformat(), DAY.isoformat()]


def test_a_full_day_is_refused():
    diary = days.add([], DAY, [portion("banana")] * days.MAX_ENTRIES_PER_DAY)
    with pytest.raises(days.DiaryFull):
        days.add(diary, DAY, [portion("banana")])
    # another day still takes foods
    assert len(days.add(diary, DAY + timedelta(days=1), [portion("banana")])) == \
        days.MAX_ENTRIES_PER_DAY + 1


def test_unreadable_stored_entries_are_left_out():
    good = days.add([], DAY, [portion("banana")])[0]
    stored = [good, "junk", None, {"food": "banana"}, {**good, "mg": float("nan")},
              {**good, "date": "yesterday"}, {**good, "mg": True}, {**good, "mg": -1}]
    assert days.entries(stored) == [good]
    assert days.entries(None) == [] and days.entries("banana") == [] and days.entries({}) == []


# ------------------------------------------------------------------------------ changes


def test_correct_a_named_food_recomputes_its_magnesium():
    diary = days.add([], DAY, [portion("almonds", 1, "oz"), portion("banana")])
    change = days.correct(diary, DAY, "almonds", 2, "oz")
    two_oz = portion("almonds", 2, "oz")
    assert change.old["mg"] == portion("almonds", 1, "oz").magnesium_mg
    assert change.new is not None and change.new["mg"] == two_oz.magnesium_mg
    assert [e["food"] for e in change.diary] == ["almonds", "banana"]  # order kept
    assert diary[0]["amount"] == 1  # the original is untouched


def test_correct_without_a_food_changes_the_latest_entry_and_keeps_its_unit():
    diary = days.add([], DAY, [portion("almonds", 1, "oz")])
    diary = days.add(diary, DAY, [portion("cashews", 1, "oz")])
    change = days.correct(diary, DAY, None, 2, None)
    assert change.old["food"] == "cashews"
    assert change.new is not None and change.new["unit"] == "oz" and change.new["amount"] == 2
    assert change.diary[0] == diary[0]


def test_correct_a_count_of_a_food():
    diary = days.add([], DAY, [portion("banana")])
    change = days.correct(diary, DAY, "banana", 2, "piece")
    assert change.new is not None
    assert change.new["mg"] == portion("banana", 2, "piece").magnesium_mg


def test_correct_only_touches_the_day_asked():
    diary = days.add([], DAY - timedelta(days=1), [portion("banana")])
    with pytest.raises(days.NotInDiary):
        days.correct(diary, DAY, "banana", 2, "piece")
    with pytest.raises(days.NotInDiary):
        days.correct(diary, DAY, None, 2, "piece")


def test_correct_a_food_that_is_not_there_changes_nothing():
    diary = days.add([], DAY, [portion("banana")])
    with pytest.raises(days.NotInDiary) as raised:
        days.correct(diary, DAY, "almonds", 2, "oz")
    assert raised.value.food == "almonds"


@pytest.mark.parametrize("amount", [0, -1, float("nan"), float("inf"), "lots"])
def test_correct_with_a_bad_amount_is_refused(amount):
    diary = days.add([], DAY, [portion("banana")])
    with pytest.raises(InvalidAmount):
        days.correct(diary, DAY, "banana", amount, "piece")


def test_remove_the_latest_entry_of_a_food():
    diary = days.add([], DAY, [portion("banana"), portion("almonds"), portion("banana", 2,
                                                                                "piece")])
    change = days.remove(diary, DAY, "banana")
    assert change.old["amount"] == 2
    assert [e["food"] for e in change.diary] == ["banana", "almonds"]


def test_remove_without_a_food_takes_the_latest_entry_of_the_day():
    diary = days.add([], DAY, [portion("banana"), portion("almonds")])
    diary = days.add(diary, DAY - timedelta(days=1), [portion("kale_raw")], today=DAY)
    change = days.remove(diary, DAY, None)
    assert change.old["food"] == "almonds"
    assert [e["food"] for e in change.diary] == ["banana", "kale_raw"]


def test_remove_a_food_that_is_not_there_or_from_an_empty_day():
    diary = days.add([], DAY, [portion("banana")])
    with pytest.raises(days.NotInDiary):
        days.remove(diary, DAY, "almonds")
    with pytest.raises(days.NotInDiary):
        days.remove([], DAY, None)


def test_clear_day_keeps_other_days():
    diary = days.add([], DAY - timedelta(days=1), [portion("banana")], today=DAY)
    diary = days.add(diary, DAY, [portion("almonds"), portion("banana")])
    kept, removed = days.clear_day(diary, DAY)
    assert removed == 2 and [e["date"] for e in kept] == [(DAY - timedelta(days=1)).isoformat()]
    assert days.clear_day(kept, DAY) == (kept, 0)


# ------------------------------------------------------------------------------ totals


def test_day_total_against_a_personal_target_and_the_daily_value():
    diary = days.add([], DAY, [portion("almonds", 1, "oz")])
    mg = diary[0]["mg"]
    personal = days.day_total(diary, DAY, 320)
    assert not personal.target_is_daily_value
    assert personal.percent_of_target == pytest.approx(100 * mg / 320)
    assert personal.remaining_mg == pytest.approx(320 - mg)
    label = days.day_total(diary, DAY)
    assert label.target_is_daily_value and label.target_mg == daily_value_mg()
    assert days.day_total([], DAY).total_mg == 0


@pytest.mark.parametrize("bad", [0, -5, float("nan"), True])
def test_day_total_refuses_a_bad_target(bad):
    with pytest.raises(NutritionError):
        days.day_total([], DAY, bad)


def test_week_average_counts_only_days_with_entries():
    diary: list = []
    for back, food in ((0, "almonds"), (2, "banana"), (6, "cashews"), (7, "spinach_raw")):
        diary = days.add(diary, DAY - timedelta(days=back), [portion(food)], today=DAY)
    week = days.week_average(diary, DAY, 400)
    in_week = [e["mg"] for e in diary if e["food"] != "spinach_raw"]  # 7 days back: outside
    assert week.days == 7 and week.days_with_entries == 3
    assert week.average_mg == pytest.approx(sum(in_week) / 3)
    assert week.percent_of_target == pytest.approx(100 * week.average_mg / 400)
    assert week.first_day == DAY - timedelta(days=6)


def test_week_average_of_an_empty_week():
    week = days.week_average([], DAY)
    assert week.days_with_entries == 0 and week.average_mg == 0 and week.target_is_daily_value


def test_fifty_item_diary_is_fast_and_exact():
    foods = ["banana", "almonds", "cashews", "spinach_raw", "black_beans_cooked"]
    portions = [portion(food) for food in foods]
    diary: list = []
    started = time.perf_counter()
    for i in range(50):
        diary = days.add(diary, DAY, [portions[i % len(portions)]])
    total = days.day_total(diary, DAY, 320)
    change = days.correct(diary, DAY, "banana", 2, "piece")
    removed = days.remove(change.diary, DAY, "almonds")
    week = days.week_average(removed.diary, DAY, 320)
    elapsed = time.perf_counter() - started
    expected = sum(portions[i % 5].magnesium_mg for i in range(50))
    assert len(total.items) == 50 and total.total_mg == pytest.approx(expected)
    assert len(removed.diary) == 49 and week.days_with_entries == 1
    assert elapsed < 0.5, f"50 adds and the totals took {elapsed:.3f} s"
    assert len(json.dumps(diary)) < 20_000


# ------------------------------------------------------------------------------ words


@pytest.mark.parametrize(("text", "expected"), [
    ("what's my total today?", "today"),
    ("did I reach my target?", "today"),
    ("what did I eat yesterday?", "yesterday"),
    ("yesterday's total", "yesterday"),
    ("my average this week", "week"),
    ("average over the last 7 days", "week"),
    ("how was my week", "week"),
])
def test_period_of_a_question(text, expected):
    assert days.period(text) == expected


def test_day_of_a_log():
    assert days.day_of("yesterday I ate a banana", DAY) == DAY - timedelta(days=1)
    assert days.day_of("I had a banana", DAY) == DAY


@pytest.mark.parametrize(("text", "expected"), [
    ("remove the last one", True), ("delete that", True), ("take it out", True),
    ("remove the almods", False), ("remove a food", False)])
def test_refers_to_last(text, expected):
    assert days.refers_to_last(text) is expected


def test_utc_midnight_boundary():
    before = datetime(2026, 11, 30, 23, 59, 59, tzinfo=timezone.utc).timestamp()
    assert days.local_date(before, None) == date(2026, 11, 30)
    assert days.local_date(before + 1, None) == date(2026, 12, 1)


# ------------------------------------------------------------------------------ exact figures


def test_day_figures_are_exact_and_shared_with_the_one_message_total():
    """The day's total, share and remainder are the exact sums of the foods (a reply rounds
    them once), worked out by the same rule as the one-message total of nutrition/diary.py."""
    from nutrition.diary import diary_total, target_share

    foods = [("salmon_wild_cooked", 3, "oz"), ("almonds_raw", 1, "oz"), ("banana", None, None)]
    portions = [portion(*food) for food in foods]
    diary = days.add([], DAY, portions)
    exact = sum(p.magnesium_mg for p in portions)
    for target in (None, 320):
        day = days.day_total(diary, DAY, target)
        message = diary_total([{"food": f, "amount": a, "unit": u} for f, a, u in foods], target)
        share = target_share(exact, day.target_mg)
        assert day.total_mg == pytest.approx(exact, abs=1e-9)
        assert day.calcium_mg == pytest.approx(sum(p.calcium_mg for p in portions), abs=1e-9)
        assert (day.percent_of_target, day.remaining_mg) == pytest.approx(
            (share.percent_of_target, share.remaining_mg), abs=1e-9)
        assert (message.total_mg, message.percent_of_target, message.remaining_mg) == \
            pytest.approx((day.total_mg, day.percent_of_target, day.remaining_mg), abs=1e-9)
    assert diary[0]["mg"] == portions[0].magnesium_mg


def test_target_share_of_a_total():
    from nutrition.diary import target_share

    share = target_share(31.468, 420.0)
    assert share.percent_of_target == pytest.approx(100 * 31.468 / 420)
    assert share.remaining_mg == pytest.approx(420 - 31.468)
    assert target_share(500.0, 420.0).remaining_mg == 0


def test_week_average_holds_calcium_and_the_ratio():
    diary: list = []
    for back, food in ((0, "milk"), (1, "almonds"), (1, "banana")):
        diary = days.add(diary, DAY - timedelta(days=back), [portion(food)], today=DAY)
    week = days.week_average(diary, DAY)
    calcium = sum(e["ca_mg"] for e in diary) / 2
    magnesium = sum(e["mg"] for e in diary) / 2
    assert week.calcium_mg == pytest.approx(calcium)
    assert week.calcium_to_magnesium == pytest.approx(calcium / magnesium)
    empty = days.week_average([], DAY)
    assert empty.calcium_mg == 0 and empty.calcium_to_magnesium is None
