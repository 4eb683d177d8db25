"""The shared frame of every answer: one :class:`Turn` read per run, one :class:`Answer` sent.

An action subclasses :class:`TurnAction` and implements ``answer(turn, domain)``. The base
reads the tracker once into a :class:`Turn` (text, intent, entities, profile, caution:
each worked out once) and sends what the answer holds: the reply (one message of domain
responses), a response for Rasa to fill, the chart for the website widget, and the events.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import entities as ents
from actions.replies import Reply, send_chart
from nutrition.cautions import MedicineMention, MessageCautions, message_cautions
from nutrition.intake import RecommendedIntake
from nutrition.profile import FIELDS, Profile

CAUTION_SLOT = "medical_caution"
DIARY_SLOT = "food_diary"


def _medicine_words(text: str, entity: ents.Entity) -> str:
    start = entity.get("start")
    return text[start:entity.get("end")] if isinstance(start, int) else str(entity.get("value"))


def _metadata(tracker: Tracker) -> Mapping[str, Any]:
    metadata = (tracker.latest_message or {}).get("metadata")
    return metadata if isinstance(metadata, Mapping) else {}


def _sent_at(tracker: Tracker) -> float | None:
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            moment = event.get("timestamp")
            return float(moment) if isinstance(moment, int | float) \
                and not isinstance(moment, bool) else None
    return None


@dataclass(frozen=True)
class Turn:
    """What the latest user message and the slots say, read once per run."""

    text: str
    intent: str | None
    entities: list[ents.Entity]
    profile: Profile
    kept_caution: str | None  # the ``medical_caution`` slot
    cautions: MessageCautions  # the cautions this message raises
    diary: Any = None  # the ``food_diary`` slot, as stored (nutrition/diary_days.py reads it)
    timezone: Any = None  # the message's ``metadata.timezone`` (the widget's IANA zone name)
    sent_at: float | None = None  # when the message arrived (seconds since the epoch)

    @classmethod
    def read(cls, tracker: Tracker) -> Turn:
        text = ents.latest_text(tracker)
        intent = ents.latest_intent(tracker)
        entities = ents.latest_entities(tracker)
        medicines = [
            MedicineMention(str(e.get("value") or ""), _medicine_words(text, e))
            for e in ents.of_type(entities, "medication")
        ]
        slot = tracker.get_slot(CAUTION_SLOT)
        return cls(
            text=text,
            intent=intent,
            entities=entities,
            profile=Profile.from_values({name: tracker.get_slot(name) for name in FIELDS}),
            kept_caution=str(slot) if slot else None,
            cautions=message_cautions(text, medicines, intent),
            diary=tracker.get_slot(DIARY_SLOT),
            timezone=_metadata(tracker).get("timezone"),
            sent_at=_sent_at(tracker),
        )

    @property
    def caution(self) -> str | None:
        """Why no supplement amount may be given: a caution kept from earlier in the
        conversation, else one this message raises (``None``: no caution)."""
        return self.kept_caution or self.cautions.reason

    @cached_property
    def intake(self) -> RecommendedIntake | None:
        """The person's reference intakes, ``None`` while the profile is incomplete."""
        return self.profile.intake()

    @cached_property
    def unreadable_amounts(self) -> list[ents.NumberMention]:
        """Numbers in the message that no entity could read (1e309, NaN, -3, ...)."""
        return [
            n for n in ents.numbers_in_text(self.text, self.entities)
            if n.value is None or n.negative or n.value > 100_000
        ]

    def words(self, entity: ents.Entity) -> str:
        """The words of the message an entity was read from (its value for button payloads)."""
        start, end = entity.get("start"), entity.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(self.text):
            return self.text[start:end]
        return str(entity.get("value"))


@dataclass
class Chart:
    """The bar chart the website widget draws under an answer."""

    title: str
    target: float | None
    items: list[dict[str, Any]]
    alt: str


@dataclass
class Answer:
    """What an action sends: a reply of domain responses, or one response for Rasa to fill
    with ``values``; a chart; and the events to return."""

    reply: Reply = field(default_factory=Reply)
    response: str | None = None
    values: Mapping[str, str] = field(default_factory=dict)
    chart: Chart | None = None
    events: list[EventType] = field(default_factory=list)

    def send(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> None:
        self.reply.send(dispatcher, domain)
        if self.response is not None:
            dispatcher.utter_message(response=self.response, **self.values)
        if self.chart is not None:
            send_chart(dispatcher, tracker, title=self.chart.title, target=self.chart.target,
                       items=self.chart.items, alt=self.chart.alt)


class TurnAction(Action, ABC):
    """An action that reads the turn once, answers it, and sends the answer."""

    @abstractmethod
    def name(self) -> str: ...

    @abstractmethod
    def answer(self, turn: Turn, domain: DomainDict) -> Answer:
        """The answer to the turn (computed only: nothing is sent here)."""

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        answer = self.answer(Turn.read(tracker), domain)
        answer.send(dispatcher, tracker, domain)
        return answer.events

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return self.respond(dispatcher, tracker, domain)
