"""Conversations written into a tracker store by Rasa's own SQLTrackerStore, so the rows
have exactly the shape a running assistant writes (one row per event; the event's JSON in
``data``; ``intent_name``/``action_name`` filled by Rasa). Each turn has the events a real
turn of this assistant stores (read from a conversation with the running server): the user
message, its featurization marker, the action, the bot message(s), then ``action_listen``.
Replies of custom actions are the domain's wording filled in as the actions fill it
(actions.replies.render), without a response name, as the action server sends them.

For a database of realistic size (the report's run time in the README was measured so):

    .venv/bin/python -m tests.report.seed --conversations 2000 --db var/seeded.db
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    DefinePrevUserUtteredFeaturization,
    SessionStarted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from actions.replies import render

EVENT_METADATA = {"model_id": "2c69594371d440fab5a70088429f7292",
                  "assistant_id": "magnesium-bone-health"}
BOT_DATA_KEYS = ("elements", "quick_replies", "buttons", "attachment", "image", "custom")


def at(day: dt.date, hour: int, minute: int = 0, second: float = 0.0) -> float:
    moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.timezone.utc)
    return moment.timestamp() + second


def reply(name: str, **values: Any) -> str:
    """The text of a domain response with its placeholders filled, as the actions send it."""
    return render(None, name, values)


@dataclass
class Conversation:
    """One sender's events; ``session`` starts a new Rasa session (a new conversation)."""

    sender: str = field(default_factory=lambda: secrets.token_hex(16))
    events: list = field(default_factory=list)

    def session(self, timestamp: float) -> Conversation:
        self.events += [
            ActionExecuted("action_session_start", confidence=1.0, timestamp=timestamp,
                           metadata=dict(EVENT_METADATA)),
            SessionStarted(timestamp=timestamp + 0.0001, metadata=dict(EVENT_METADATA)),
            ActionExecuted("action_listen", timestamp=timestamp + 0.0002,
                           metadata=dict(EVENT_METADATA)),
        ]
        return self

    def turn(self, timestamp: float, text: str, intent: str, action: str,
             replies: list[str] | str = (), *, response: str | None = None,
             confidence: float = 0.93, channel: str = "rest", metadata: dict | None = None,
             buttons: list | None = None) -> Conversation:
        """One user message and the assistant's answer. A response (``utter_*`` actions
        say their own) is stored with its name in ``metadata.utter_action``, as Rasa
        stores it; a custom action's texts are given as they were sent, without one."""
        if isinstance(replies, str):
            replies = [replies]
        response = response or (action if action.startswith("utter_") else None)
        bots = [(reply(response), {"utter_action": response})] if response else []
        bots += [(text_out, {}) for text_out in replies]
        parse_data = {"intent": {"name": intent, "confidence": confidence}, "entities": [],
                      "text": text, "message_id": secrets.token_hex(16), "metadata": {},
                      "text_tokens": [[0, len(text)]],
                      "intent_ranking": [{"name": intent, "confidence": confidence}]}
        self.events.append(UserUttered(
            text, intent=parse_data["intent"], parse_data=parse_data, timestamp=timestamp,
            input_channel=channel, message_id=parse_data["message_id"],
            metadata={**EVENT_METADATA, **(metadata or {})}))
        self.events.append(DefinePrevUserUtteredFeaturization(
            False, timestamp=timestamp + 0.05, metadata=dict(EVENT_METADATA)))
        self.events.append(ActionExecuted(action, policy="RulePolicy", confidence=1.0,
                                          timestamp=timestamp + 0.06, hide_rule_turn=True,
                                          metadata=dict(EVENT_METADATA)))
        for i, (text_out, meta) in enumerate(bots):
            data = dict.fromkeys(BOT_DATA_KEYS)
            data["buttons"] = buttons
            self.events.append(BotUttered(text_out, data=data,
                                          metadata={**meta, **EVENT_METADATA},
                                          timestamp=timestamp + 0.07 + i * 0.001))
        self.events.append(ActionExecuted("action_listen", policy="RulePolicy",
                                          confidence=1.0, timestamp=timestamp + 0.09,
                                          hide_rule_turn=True, metadata=dict(EVENT_METADATA)))
        return self

    def fallback(self, timestamp: float, text: str, **kwargs: Any) -> Conversation:
        """Rasa's NLU fallback: intent nlu_fallback, action_default_fallback says utter_default."""
        return self.turn(timestamp, text, "nlu_fallback", "action_default_fallback",
                         response="utter_default", confidence=0.21, **kwargs)

    def action_server_down(self, timestamp: float, text: str, intent: str, action: str,
                           **kwargs: Any) -> Conversation:
        """The runtime guard's apology when the action server does not answer."""
        return self.turn(timestamp, text, intent, action,
                         response="utter_action_server_unavailable", **kwargs)


def tracker_store(path: Path | None = None, **postgres: Any) -> SQLTrackerStore:
    """Rasa's SQL tracker store: an SQLite file, or PostgreSQL (host, port, db, username)."""
    if postgres:
        return SQLTrackerStore(dialect="postgresql", **postgres)
    return SQLTrackerStore(dialect="sqlite", db=str(path))


def save(store: SQLTrackerStore, conversations: list[Conversation]) -> None:
    async def write() -> None:
        for conversation in conversations:
            await store.save(DialogueStateTracker.from_events(conversation.sender,
                                                              conversation.events))

    asyncio.run(write())


# ------------------------------------------------------------------------------ many of them

FOODS = ["almonds", "a cup of cooked spinach", "black beans", "a banana", "pumpkin seeds",
         "dark chocolate", "brown rice", "tofu", "cashews", "avocado"]
UNKNOWN = [("dragonfruit", "persimmon, grapefruit, jackfruit"), ("acai bowl", "acorn squash"),
           ("moringa powder", ""), ("teff", "tofu, beef"), ("sea moss", "")]
OUT_OF_SCOPE = ["what's the weather tomorrow", "can you book a doctor", "tell me a joke",
                "how do I lose weight fast", "what about vitamin k2"]
GIBBERISH = ["asdf", "hmm ok so", "lkjh", "??", "magnes"]


def random_conversation(rng: random.Random, day: dt.date) -> Conversation:
    conversation = Conversation(sender=f"{rng.getrandbits(128):032x}")
    t = at(day, rng.randrange(24), rng.randrange(60), rng.random() * 59)
    conversation.session(t - 1)
    conversation.turn(t, "hi", "greet", "utter_greet")
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4, 6, 9, 14])):
        t += rng.uniform(5, 90)
        kind = rng.random()
        if kind < 0.35:
            food = rng.choice(FOODS)
            conversation.turn(t, f"how much magnesium is in {food}", "ask_food_magnesium",
                              "action_food_magnesium",
                              reply("utter_food_magnesium", food=food, portion="1 cup",
                                    magnesium_mg=rng.randrange(10, 160)))
        elif kind < 0.45:
            words, matches = rng.choice(UNKNOWN)
            name = "utter_food_unknown" if matches else "utter_food_unknown_no_match"
            conversation.turn(t, f"magnesium in {words}", "ask_food_magnesium",
                              "action_food_magnesium", reply(name, text=words, matches=matches))
        elif kind < 0.55:
            conversation.turn(t, "how much magnesium do I need", "ask_magnesium_need",
                              "action_recommended_intake", "Women of 31 to 50: 320 mg a day.")
        elif kind < 0.62:
            conversation.turn(t, "I take 1000 mg calcium", "ask_calcium_ratio",
                              "action_calcium_ratio", "For 1,000 mg of calcium: 500 mg.")
        elif kind < 0.70:
            conversation.turn(t, "why does magnesium matter for bones", "ask_magnesium_bones",
                              "action_explain_topic", "Magnesium is part of bone mineral.")
        elif kind < 0.80:
            conversation.turn(t, rng.choice(OUT_OF_SCOPE), "out_of_scope",
                              "utter_out_of_scope")
        elif kind < 0.88:
            conversation.fallback(t, rng.choice(GIBBERISH))
        else:
            conversation.turn(t, "thanks", "thank", "utter_you_are_welcome")
    return conversation


def seed_many(store: SQLTrackerStore, count: int, first_day: dt.date, days: int = 30,
              seed: int = 7) -> list[Conversation]:
    rng = random.Random(seed)
    conversations = [random_conversation(rng, first_day + dt.timedelta(days=rng.randrange(days)))
                     for _ in range(count)]
    save(store, conversations)
    return conversations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=2000)
    parser.add_argument("--db", type=Path, required=True, help="SQLite file to write")
    parser.add_argument("--first-day", type=dt.date.fromisoformat, default=dt.date(2026, 11, 1))
    args = parser.parse_args()
    conversations = seed_many(tracker_store(args.db), args.conversations, args.first_day)
    events = sum(len(c.events) for c in conversations)
    print(f"{args.db}: {len(conversations)} conversations, {events} events, from "
          f"{args.first_day} for 30 days")


if __name__ == "__main__":
    main()
