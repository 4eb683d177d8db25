"""The figures of the conversation review, worked out from tracker-store events.

What counts as what (checked against conversations with the running assistant):

* A **conversation** is one Rasa session of one sender (a new one starts with each
  ``session_started`` event) that has at least one user message in the period; it belongs
  to the day of its first such message. Days are UTC.
* A user message was **not answered** when the assistant did not understand it (the
  FallbackClassifier's intent ``nlu_fallback``, or the reply ``utter_default`` of Rasa's
  ``action_default_fallback``), when it was out of scope (intent ``out_of_scope``, reply
  ``utter_out_of_scope``), or when a technical fault answered instead (the runtime guards'
  ``utter_action_server_unavailable``, ``utter_storage_unavailable``,
  ``utter_message_too_long``). The *fallback rate* is their share of all user messages.
  Rasa stores the response name of such replies in the bot event's ``metadata.utter_action``.
* **Foods the table lacks**: the custom actions send one composed text per answer, so
  their bot events carry no response name. The foods they could not find are read back
  from the text with the wording of ``utter_food_unknown``, ``utter_food_unknown_no_match``,
  ``utter_diary_unknown_item`` and ``utter_diary_unknown_item_no_match`` in domain/,
  and checked against today's food table (``nutrition.foods``): a name that has been added
  since is marked so (both read in :mod:`ops.report.domain_text`).
* **Computed answers** are the runs of the ``action_*`` custom actions of the domain.
* **Language**: the assistant is English-only today. A user message counts in the
  language its metadata records (``language``, ``lang`` or ``locale``) or its NLU result
  records (``language``); without one it counts as ``en``, and the report says how many
  were assumed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ops.report.domain_text import custom_actions, food_in_table, food_key, unknown_foods_in
from ops.report.store import Row

FALLBACK_INTENT = "nlu_fallback"
OUT_OF_SCOPE_INTENT = "out_of_scope"
FALLBACK_ACTION = "action_default_fallback"

NOT_UNDERSTOOD = "not understood"
OUT_OF_SCOPE = "out of scope"
TECHNICAL = "technical fault"
REASONS = (NOT_UNDERSTOOD, OUT_OF_SCOPE, TECHNICAL)

# Replies (domain response names) that mean the message was not answered, by reason.
REPLY_REASONS = {
    "utter_default": NOT_UNDERSTOOD,
    "utter_out_of_scope": OUT_OF_SCOPE,
    "utter_action_server_unavailable": TECHNICAL,
    "utter_storage_unavailable": TECHNICAL,
    "utter_message_too_long": TECHNICAL,
}
LANGUAGE_KEYS = ("language", "lang", "locale")
DEFAULT_LANGUAGE = "en"
TURN_BUCKETS = ((1, 1), (2, 2), (3, 3), (4, 5), (6, 10), (11, 20), (21, None))
TOP_MESSAGES = 25
TOP_FOODS = 30
MAX_MESSAGE_CHARS = 80

_EMAIL = re.compile(r"\S+@\S+\.\w+")
_LONG_NUMBER = re.compile(r"\+?\(?\d[\d\s().+-]{6,}\d")


# ------------------------------------------------------------------------------ text helpers


def shorten(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """A message as it is shown: one line, e-mail addresses and long numbers (phone
    numbers, ids) masked, at most ``limit`` characters."""
    words = " ".join(str(text or "").split())
    words = _EMAIL.sub("<email>", words)
    words = _LONG_NUMBER.sub("<number>", words)
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "\u2026"


def message_key(text: str) -> str:
    """Messages that differ only in case, spacing or end punctuation count as one."""
    return shorten(text).lower().strip(" .!?\u2026")


# ------------------------------------------------------------------------------ events


@dataclass
class Turn:
    conversation: tuple[str, int]
    timestamp: float
    text: str
    intent: str | None
    language: str | None
    replies: list[tuple[str | None, str]] = field(default_factory=list)  # (response, text)
    actions: list[str] = field(default_factory=list)

    @property
    def day(self) -> dt.date:
        return dt.datetime.fromtimestamp(self.timestamp, dt.timezone.utc).date()

    def not_answered(self) -> str | None:
        """Why the message was not answered, or None when it was."""
        return self._reason

    @cached_property
    def unknown_foods(self) -> list[tuple[str, str]]:
        """(the user's words, the suggestions offered) for each food the replies named back
        as not in the food table."""
        return [found for _, text in self.replies for found in unknown_foods_in(text)]

    @cached_property
    def _reason(self) -> str | None:
        reasons = {REPLY_REASONS[r] for r, _ in self.replies if r in REPLY_REASONS}
        if TECHNICAL in reasons:
            return TECHNICAL
        if self.intent == FALLBACK_INTENT or FALLBACK_ACTION in self.actions or (
            NOT_UNDERSTOOD in reasons
        ):
            return NOT_UNDERSTOOD
        if self.intent == OUT_OF_SCOPE_INTENT or OUT_OF_SCOPE in reasons:
            return OUT_OF_SCOPE
        return None


def _json(data: str | None) -> dict[str, Any]:
    try:
        value = json.loads(data or "{}")
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _language(event: Mapping[str, Any]) -> str | None:
    sources = (event.get("metadata"), (event.get("parse_data") or {}))
    for source in sources:
        if isinstance(source, dict):
            for key in LANGUAGE_KEYS:
                value = source.get(key)
                if isinstance(value, str) and value.strip():
                    return value.strip().lower().replace("_", "-")
    return None


def _day(timestamp: float) -> dt.date:
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).date()


# ------------------------------------------------------------------------------ the review


@dataclass
class Review:
    since: dt.date
    until: dt.date
    source: str
    turns: list[Turn]
    bot_messages_per_day: Counter
    action_runs: Counter
    action_conversations: dict[str, set]
    computed: list[str]

    # -- summary

    @property
    def conversations(self) -> list[tuple[str, int]]:
        return list(dict.fromkeys(t.conversation for t in self.turns))

    @property
    def empty(self) -> bool:
        return not self.turns

    def not_answered_turns(self) -> list[Turn]:
        return [t for t in self.turns if t.not_answered()]

    def fallback_rate(self) -> float | None:
        return len(self.not_answered_turns()) / len(self.turns) if self.turns else None

    def turns_per_conversation(self) -> list[int]:
        counts = Counter(t.conversation for t in self.turns)
        return [counts[c] for c in self.conversations]

    def summary(self) -> list[tuple[str, Any]]:
        turns = self.turns_per_conversation()
        rate = self.fallback_rate()
        foods = self.missing_foods(limit=None)
        return [
            ("period", f"{self.since.isoformat()} to {self.until.isoformat()} (UTC)"),
            ("store", self.source),
            ("conversations", len(turns)),
            ("user messages", len(self.turns)),
            ("assistant messages", sum(self.bot_messages_per_day.values())),
            ("user messages per conversation, mean", round(statistics.mean(turns), 2)
             if turns else ""),
            ("user messages per conversation, median", statistics.median(turns)
             if turns else ""),
            ("messages not answered", len(self.not_answered_turns())),
            ("fallback rate (%)", _percent(rate) if rate is not None else ""),
            ("foods asked for that the table lacks", sum(1 for f in foods
                                                         if not f["in table now"])),
            ("computed answers", sum(self.action_runs[a] for a in self.computed)),
        ]

    # -- tables (lists of dicts; the keys are the CSV and HTML column names)

    def daily(self) -> list[dict[str, Any]]:
        first_day: dict[tuple[str, int], dt.date] = {}
        for turn in self.turns:
            first_day.setdefault(turn.conversation, turn.day)
        conversations = Counter(first_day.values())
        messages = Counter(t.day for t in self.turns)
        unanswered = Counter(t.day for t in self.not_answered_turns())
        active = set(messages) | set(self.bot_messages_per_day)
        # every day from the first to the last with messages: quiet days show as zeros
        days = [min(active) + dt.timedelta(days=n)
                for n in range((max(active) - min(active)).days + 1)] if active else []
        return [
            {"day": day.isoformat(), "conversations": conversations[day],
             "user messages": messages[day], "assistant messages": self.bot_messages_per_day[day],
             "not answered": unanswered[day],
             "fallback rate (%)": _percent(unanswered[day] / messages[day])
             if messages[day] else ""}
            for day in days
        ]

    def turn_distribution(self) -> list[dict[str, Any]]:
        turns = self.turns_per_conversation()
        rows = []
        for low, high in TURN_BUCKETS:
            label = str(low) if low == high else (f"{low}-{high}" if high else f"{low}+")
            count = sum(1 for n in turns if n >= low and (high is None or n <= high))
            rows.append({"user messages": label, "conversations": count,
                         "share (%)": _percent(count / len(turns)) if turns else ""})
        return rows

    def intents(self) -> list[dict[str, Any]]:
        counts = Counter(t.intent or "(none)" for t in self.turns)
        unanswered = Counter(t.intent or "(none)" for t in self.not_answered_turns())
        return [
            {"intent": intent, "messages": n, "share (%)": _percent(n / len(self.turns)),
             "not answered": unanswered[intent]}
            for intent, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]

    def not_answered_by_reason(self) -> list[dict[str, Any]]:
        counts = Counter(t.not_answered() for t in self.not_answered_turns())
        total = len(self.turns)
        return [{"reason": reason, "messages": counts[reason],
                 "share of all messages (%)": _percent(counts[reason] / total) if total else ""}
                for reason in REASONS]

    def unanswered_messages(self, limit: int | None = TOP_MESSAGES) -> list[dict[str, Any]]:
        groups: dict[str, dict[str, Any]] = {}
        for turn in self.not_answered_turns():
            key = message_key(turn.text)
            group = groups.setdefault(key, {"message": shorten(turn.text), "times": 0,
                                            "conversations": set(), "reasons": Counter()})
            group["times"] += 1
            group["conversations"].add(turn.conversation)
            group["reasons"][turn.not_answered()] += 1
        ranked = sorted(groups.values(), key=lambda g: (-g["times"], g["message"].lower()))
        return [
            {"message": g["message"], "times": g["times"],
             "conversations": len(g["conversations"]),
             "reason": g["reasons"].most_common(1)[0][0]}
            for g in ranked[:limit]
        ]

    def missing_foods(self, limit: int | None = TOP_FOODS) -> list[dict[str, Any]]:
        groups: dict[str, dict[str, Any]] = {}
        for turn in self.turns:
            for words, suggestions in turn.unknown_foods:
                key = food_key(words)
                if not key:
                    continue
                group = groups.setdefault(key, {"times": 0, "conversations": set(),
                                                "suggestions": Counter()})
                group["times"] += 1
                group["conversations"].add(turn.conversation)
                if suggestions:
                    group["suggestions"][suggestions] += 1
        ranked = sorted(groups.items(), key=lambda kv: (-kv[1]["times"], kv[0]))
        rows = []
        for key, group in ranked[:limit]:
            now = food_in_table(key)
            rows.append({
                "food asked for": shorten(key, 60), "times": group["times"],
                "conversations": len(group["conversations"]),
                "suggested instead": group["suggestions"].most_common(1)[0][0]
                if group["suggestions"] else "",
                "in table now": f"yes ({now})" if now else "",
            })
        return rows

    def computed_answers(self) -> list[dict[str, Any]]:
        total = sum(self.action_runs[a] for a in self.computed)
        return [
            {"action": action, "answers": self.action_runs[action],
             "conversations": len(self.action_conversations.get(action, ())),
             "share (%)": _percent(self.action_runs[action] / total) if total else ""}
            for action in sorted(self.computed, key=lambda a: (-self.action_runs[a], a))
        ]

    def languages(self) -> list[dict[str, Any]]:
        counts: Counter = Counter()
        recorded: Counter = Counter()
        conversations: dict[str, set] = defaultdict(set)
        for turn in self.turns:
            language = turn.language or DEFAULT_LANGUAGE
            counts[language] += 1
            recorded[language] += turn.language is not None
            conversations[language].add(turn.conversation)
        return [
            {"language": language, "user messages": n,
             "conversations": len(conversations[language]),
             "recorded in the message": recorded[language],
             "assumed (none recorded)": n - recorded[language]}
            for language, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]

    def next_steps(self) -> list[str]:
        """What to add next, in a few plain sentences."""
        if self.empty:
            return ["No conversations in this period: nothing to review yet."]
        steps = []
        missing = [f for f in self.missing_foods() if not f["in table now"]][:5]
        if missing:
            names = ", ".join(f"{f['food asked for']} ({f['times']}x)" for f in missing)
            steps.append(f"Foods to add to the food table: {names}.")
        top = self.unanswered_messages(limit=5)
        if top:
            names = "; ".join(f"\u201c{m['message']}\u201d ({m['times']}x)" for m in top)
            steps.append(f"Questions it could not answer most often: {names}.")
        faults = sum(1 for t in self.turns if t.not_answered() == TECHNICAL)
        if faults:
            steps.append(f"{faults} message{'s' if faults > 1 else ''} got a technical-fault "
                         "reply: check the logs of the action server and the tracker store "
                         "for those days.")
        if not steps:
            steps.append("Every message was answered and every food was found.")
        return steps


def _percent(share: float) -> float:
    return round(100 * share, 1)


def review_rows(rows: Iterable[Row], since: dt.date, until: dt.date, source: str = "",
                domain: Mapping[str, Any] | None = None) -> Review:
    """The review of the events ``rows`` (as read by ``store.read_rows``: per sender, in
    stored order)."""
    computed = custom_actions(domain)
    wanted = set(computed) | {FALLBACK_ACTION}
    turns: list[Turn] = []
    bot_per_day: Counter = Counter()
    action_runs: Counter = Counter()
    action_conversations: dict[str, set] = defaultdict(set)
    sessions: Counter = Counter()
    current: dict[str, Turn] = {}
    for row in rows:
        sender = row.sender_id
        if row.type_name == "session_started":
            sessions[sender] += 1
            current.pop(sender, None)
            continue
        conversation = (sender, sessions[sender])
        if row.type_name == "user":
            event = _json(row.data)
            intent = row.intent_name or ((event.get("parse_data") or {}).get("intent")
                                         or {}).get("name")
            turn = Turn(conversation, float(row.timestamp), str(event.get("text") or ""),
                        intent, _language(event))
            turns.append(turn)
            current[sender] = turn
        elif row.type_name == "bot":
            bot_per_day[_day(float(row.timestamp))] += 1
            turn = current.get(sender)
            if turn is not None:
                event = _json(row.data)
                response = (event.get("metadata") or {}).get("utter_action")
                turn.replies.append((response if isinstance(response, str) else None,
                                     str(event.get("text") or "")))
        elif row.type_name == "action" and row.action_name in wanted:
            turn = current.get(sender)
            if turn is not None:
                turn.actions.append(row.action_name)
            if row.action_name in computed:
                action_runs[row.action_name] += 1
                action_conversations[row.action_name].add(conversation)
    return Review(since, until, source, turns, bot_per_day, action_runs,
                  dict(action_conversations), computed)
