"""A food diary kept over days: what someone ate, by their own local date.

The diary is a plain list of entries (JSON-ready dicts, so a chat slot can hold it):

    {"date": "2026-11-30", "food": "almonds", "name": "almonds (dry roasted)",
     "amount": 1.0, "unit": "oz", "portion": "1 oz", "mg": 79.095..., "ca_mg": 75.976...}

Each entry keeps the magnesium (and calcium) worked out when it was added, exact, so a day's
total is a sum of stored figures (no food is looked up again) and every figure here is exact:
a reply rounds each one once, for reading (actions/replies.py). Entries older than
:data:`KEEP_DAYS` days are dropped whenever the diary changes, so it stays small. Functions
here never change the list they get: they return a new one.

Dates: the day is the person's local day. :func:`local_date` turns a moment (seconds since
the epoch) and an IANA time zone name into that date; an unknown zone counts as UTC.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .diary import magnesium_target, target_share
from .errors import InvalidAmount, NutritionError
from .foods import PortionMagnesium, magnesium_in_portion
from .ratio import calcium_to_magnesium

Entry = dict[str, Any]

# Days kept: today and the 7 before it (a week's average plus yesterday), one spare.
KEEP_DAYS = 8
WEEK_DAYS = 7
# More entries than this in one day are refused (a diary is a person's meals, not a feed).
MAX_ENTRIES_PER_DAY = 100
MAX_TIMEZONE_CHARS = 64


class NotInDiary(NutritionError):
    """A correction or removal named a food (or asked for the last item) that the day
    doesn't hold."""

    def __init__(self, food: str | None) -> None:
        super().__init__("That food isn't in the diary for the day." if food else
                         "The diary for the day is empty.")
        self.food = food


class DiaryFull(NutritionError):
    """The day already holds :data:`MAX_ENTRIES_PER_DAY` entries."""


# ------------------------------------------------------------------------------ dates


def zone(name: object) -> tuple[ZoneInfo, bool]:
    """The time zone named ``name`` (an IANA name such as "Europe/Paris") and whether the
    name was valid; anything else gives UTC and ``False``."""
    if isinstance(name, str) and 0 < len(name) <= MAX_TIMEZONE_CHARS \
            and re.fullmatch(r"[A-Za-z0-9_+\-/]+", name) and ".." not in name:
        try:
            return ZoneInfo(name), True
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    return ZoneInfo("UTC"), False


def local_date(moment: float, timezone_name: object = None) -> date:
    """The date at ``moment`` (seconds since the epoch, UTC) in the named time zone."""
    if isinstance(moment, bool) or not isinstance(moment, int | float) \
            or not math.isfinite(moment):
        raise NutritionError("The time of a message must be a number of seconds.")
    tz, _valid = zone(timezone_name)
    return datetime.fromtimestamp(moment, tz=timezone.utc).astimezone(tz).date()


# ------------------------------------------------------------------------------ reading


def _valid_entry(raw: object) -> bool:
    if not isinstance(raw, Mapping):
        return False
    mg = raw.get("mg")
    try:
        date.fromisoformat(str(raw.get("date")))
    except ValueError:
        return False
    return (isinstance(raw.get("food"), str) and isinstance(mg, int | float)
            and not isinstance(mg, bool) and math.isfinite(mg) and mg >= 0)


def entries(value: object) -> list[Entry]:
    """The diary's entries from a stored value; anything unreadable is left out."""
    if not isinstance(value, Sequence) or isinstance(value, str | bytes):
        return []
    return [dict(raw) for raw in value if _valid_entry(raw)]


def entry_date(entry: Mapping[str, Any]) -> date:
    return date.fromisoformat(str(entry["date"]))


def on_day(diary: Sequence[Mapping[str, Any]], day: date) -> list[Entry]:
    """The entries of one day, in the order they were added."""
    iso = day.isoformat()
    return [dict(e) for e in diary if e.get("date") == iso]


def prune(diary: Sequence[Mapping[str, Any]], today: date) -> list[Entry]:
    """The entries of the last :data:`KEEP_DAYS` days up to ``today`` (entries dated after
    today, from a clock or zone that was ahead, are kept)."""
    oldest = today - timedelta(days=KEEP_DAYS - 1)
    return [dict(e) for e in diary if entry_date(e) >= oldest]


# ------------------------------------------------------------------------------ changes


def make_entry(day: date, portion: PortionMagnesium) -> Entry:
    return {
        "date": day.isoformat(),
        "food": portion.food,
        "name": portion.food_name,
        "amount": portion.amount,
        "unit": portion.unit,
        "portion": portion.description,
        "mg": portion.magnesium_mg,
        "ca_mg": portion.calcium_mg,
    }


def add(diary: Sequence[Mapping[str, Any]], day: date, portions: Sequence[PortionMagnesium],
        today: date | None = None) -> list[Entry]:
    """The diary with ``portions`` added to ``day`` (and old days pruned against ``today``,
    by default ``day``). Raises :class:`DiaryFull` when the day would hold too many."""
    kept = prune(diary, today or day)
    if len(on_day(kept, day)) + len(portions) > MAX_ENTRIES_PER_DAY:
        raise DiaryFull(f"A day's diary holds at most {MAX_ENTRIES_PER_DAY} foods.")
    return kept + [make_entry(day, portion) for portion in portions]


def _latest_index(diary: Sequence[Mapping[str, Any]], day: date, food: str | None) -> int:
    iso = day.isoformat()
    for index in range(len(diary) - 1, -1, -1):
        entry = diary[index]
        if entry.get("date") == iso and (food is None or entry.get("food") == food):
            return index
    raise NotInDiary(food)


@dataclass(frozen=True)
class Change:
    """A correction or removal: the diary after it, the entry before and (for a
    correction) after."""

    diary: list[Entry]
    old: Entry
    new: Entry | None


def correct(diary: Sequence[Mapping[str, Any]], day: date, food: str | None,
            amount: Any, unit: str | None) -> Change:
    """Change the amount of the day's latest entry of ``food`` (the latest entry of the day
    when ``food`` is None). Without a unit the entry's own unit is kept. Raises
    :class:`NotInDiary` when there is no such entry, and the core's errors for an amount it
    can't use (a new amount of 0 too: that is a removal)."""
    index = _latest_index(diary, day, food)
    old = dict(diary[index])
    if isinstance(amount, int | float) and not isinstance(amount, bool) and amount == 0:
        raise InvalidAmount("The new amount must be more than 0.")
    portion = magnesium_in_portion(str(old["food"]), amount,
                                   unit if unit is not None else old.get("unit"))
    new = make_entry(day, portion)
    changed = [dict(e) for e in diary]
    changed[index] = new
    return Change(changed, old, new)


def remove(diary: Sequence[Mapping[str, Any]], day: date, food: str | None) -> Change:
    """Remove the day's latest entry of ``food`` (the latest entry of the day when ``food``
    is None). Raises :class:`NotInDiary` when there is no such entry."""
    index = _latest_index(diary, day, food)
    changed = [dict(e) for i, e in enumerate(diary) if i != index]
    return Change(changed, dict(diary[index]), None)


def clear_day(diary: Sequence[Mapping[str, Any]], day: date) -> tuple[list[Entry], int]:
    """The diary without ``day``'s entries, and how many were removed."""
    iso = day.isoformat()
    kept = [dict(e) for e in diary if e.get("date") != iso]
    return kept, len(diary) - len(kept)


# ------------------------------------------------------------------------------ totals


@dataclass(frozen=True)
class DayTotal:
    """A day's entries and their magnesium against a target."""

    day: date
    items: tuple[Entry, ...]
    total_mg: float
    target_mg: float
    target_is_daily_value: bool
    percent_of_target: float
    remaining_mg: float
    calcium_mg: float = 0.0  # the day's calcium (mg)
    # calcium divided by magnesium (None: no magnesium logged); nutrition/ratio.py
    calcium_to_magnesium: float | None = None


def entry_calcium_mg(entry: Mapping[str, Any]) -> float:
    """The calcium of a diary entry: as stored, or worked out again from the food table for
    an entry stored before calcium was kept (0 when its food is no longer in the table)."""
    stored = entry.get("ca_mg")
    if isinstance(stored, int | float) and not isinstance(stored, bool) \
            and math.isfinite(stored) and stored >= 0:
        return float(stored)
    try:
        return magnesium_in_portion(str(entry["food"]), entry.get("amount"),
                                    entry.get("unit")).calcium_mg
    except NutritionError:
        return 0.0


def day_total(diary: Sequence[Mapping[str, Any]], day: date,
              target_mg: float | None = None) -> DayTotal:
    """The total of ``day`` against ``target_mg`` (the label Daily Value when None), with
    the day's calcium and its calcium-to-magnesium ratio."""
    target, is_dv = magnesium_target(target_mg)
    items = on_day(diary, day)
    total = sum(float(e["mg"]) for e in items)
    calcium = sum(entry_calcium_mg(e) for e in items)
    share = target_share(total, target)
    return DayTotal(
        day=day,
        items=tuple(items),
        total_mg=total,
        target_mg=target,
        target_is_daily_value=is_dv,
        percent_of_target=share.percent_of_target,
        remaining_mg=share.remaining_mg,
        calcium_mg=calcium,
        calcium_to_magnesium=calcium_to_magnesium(calcium, total),
    )


@dataclass(frozen=True)
class WeekAverage:
    """The average over the days of a week that have entries."""

    first_day: date
    last_day: date
    days: int  # days in the period
    days_with_entries: int
    average_mg: float  # over the days with entries (0 when none)
    target_mg: float
    target_is_daily_value: bool
    percent_of_target: float
    calcium_mg: float = 0.0  # the daily calcium average over the same days (mg)
    # calcium divided by magnesium over those days (None: no magnesium); nutrition/ratio.py
    calcium_to_magnesium: float | None = None


def week_average(diary: Sequence[Mapping[str, Any]], today: date,
                 target_mg: float | None = None, days: int = WEEK_DAYS) -> WeekAverage:
    """The daily average of magnesium and calcium over the ``days`` days up to and including
    ``today``, over the days that have entries (days with nothing logged are not counted as
    0 mg), and their calcium-to-magnesium ratio."""
    target, is_dv = magnesium_target(target_mg)
    first = today - timedelta(days=days - 1)
    totals: dict[date, float] = {}
    calcium = 0.0
    for entry in diary:
        day = entry_date(entry)
        if first <= day <= today:
            totals[day] = totals.get(day, 0.0) + float(entry["mg"])
            calcium += entry_calcium_mg(entry)
    average = sum(totals.values()) / len(totals) if totals else 0.0
    calcium_average = calcium / len(totals) if totals else 0.0
    return WeekAverage(
        first_day=first,
        last_day=today,
        days=days,
        days_with_entries=len(totals),
        average_mg=average,
        target_mg=target,
        target_is_daily_value=is_dv,
        percent_of_target=target_share(average, target).percent_of_target,
        calcium_mg=calcium_average,
        calcium_to_magnesium=calcium_to_magnesium(calcium_average, average),
    )


# ------------------------------------------------------------------------------ words


_YESTERDAY = re.compile(r"\byesterday'?s?\b|\byday\b", re.IGNORECASE)
_WEEK = re.compile(
    r"\b(week'?s?|weekly|7 days|seven days|last few days|past few days|average|avg)\b",
    re.IGNORECASE,
)


def period(text: str) -> str:
    """Which period a diary question is about: "week", "yesterday" or "today"."""
    if _WEEK.search(text or ""):
        return "week"
    if _YESTERDAY.search(text or ""):
        return "yesterday"
    return "today"


def day_of(text: str, today: date) -> date:
    """The day a food log is for: yesterday when the message says so, else today."""
    return today - timedelta(days=1) if _YESTERDAY.search(text or "") else today


_LAST = re.compile(r"\b(last|latest|previous|recent|that|this|it)\b", re.IGNORECASE)


def refers_to_last(text: str) -> bool:
    """Whether a removal without a food points at the latest entry ("remove the last one",
    "delete that")."""
    return bool(_LAST.search(text or ""))
