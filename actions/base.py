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
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import entities as ents
from actions.people import last_answer_events
from actions.replies import Reply, send_chart
from nutrition.cautions import MedicineMention, MessageCautions, message_cautions
from nutrition.followup import LastAnswer
from nutrition.intake import RecommendedIntake
from nutrition.nutrients import known_nutrient
from nutrition.people import (
    PRONOUNS,
    Facts,
    Person,
    Subject,
    merge,
    message_subject,
    people_from_value,
    people_value,
    with_person,
)
from nutrition.profile import FIELDS, Profile

CAUTION_SLOT = "medical_caution"
# Other people asked about ({label: {age, sex, life_stage}}, the last one mentioned last),
# and the one whose details the assistant asked for last (domain/core.yml, "follow-ups").
PEOPLE_SLOT = "people"
CURRENT_PERSON_SLOT = "current_person"
DIARY_SLOT = "food_diary"
# the nutrient a needs question named, kept while the profile form asks (domain/core.yml)
ASKED_NUTRIENT_SLOT = "asked_nutrient"
# The diet the user keeps (nutrition/diet.py diet_value) and the last menu's variant.
DIET_SLOT = "diet"
MENU_VARIANT_SLOT = "menu_variant"
# A request kept while the profile form asks for the details it needs (domain/core.yml).
PENDING_REQUEST_SLOT = "pending_request"


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def message_facts(entities: list[ents.Entity]) -> Facts:
    """The age, sex and life stage the message states (for whoever it is about)."""
    age = ents.age_mention(entities)
    years = age.years if age is not None and age.value is not None else None
    sex = ents.first_value(entities, "sex")
    stage = ents.first_value(entities, "life_stage")
    return Facts(years, str(sex).lower() if sex is not None else None,
                 str(stage).lower() if stage is not None else None)


def message_subject_in(text: str, people: dict[str, Person], pending: object) -> Subject:
    """Who the message is about; a message naming nobody answers the question the
    assistant asked about someone else (``current_person``), else it is the user's."""
    subject = message_subject(text, people)
    if not isinstance(pending, str) or pending not in people:
        return subject
    if subject.kind == "none":
        return Subject("other", pending, people[pending].sex, None)
    if subject.word in PRONOUNS and people[pending].sex in (None, subject.sex):
        # "How old is your child?" - "she's 6": the pronoun answers the question
        return Subject("other", pending, subject.sex, subject.word)
    return subject


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
    # The user's own profile (slots age/sex/life_stage); ``profile`` above is the profile of
    # whom the message is about, with the facts the message states.
    own_profile: Profile = field(default_factory=Profile)
    subject: Subject = field(default_factory=lambda: Subject("none"))
    people: dict[str, Person] = field(default_factory=dict)  # with this message's facts
    stored_people: dict[str, Person] = field(default_factory=dict)
    facts: Facts = field(default_factory=Facts)
    last: LastAnswer = field(default_factory=LastAnswer)
    diary: Any = None  # the ``food_diary`` slot, as stored (nutrition/diary_days.py reads it)
    timezone: Any = None  # the message's ``metadata.timezone`` (the widget's IANA zone name)
    sent_at: float | None = None  # when the message arrived (seconds since the epoch)
    asked_nutrient: str | None = None  # the ``asked_nutrient`` slot
    diet: Any = None  # the ``diet`` slot, as stored (nutrition/diet.py reads it)
    menu_variant: Any = None  # the ``menu_variant`` slot: which menu was shown last
    pending_request: str | None = None  # the ``pending_request`` slot

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
        own = Profile.from_values({name: tracker.get_slot(name) for name in FIELDS})
        stored = people_from_value(tracker.get_slot(PEOPLE_SLOT))
        subject = message_subject_in(text, stored, tracker.get_slot(CURRENT_PERSON_SLOT))
        facts = message_facts(entities)
        people = stored
        if subject.is_other:
            people = with_person(stored, subject, facts)
            profile = people[str(subject.label)].profile()
        elif subject.kind == "unresolved":
            profile = Profile()
        else:
            profile = merge(own, facts)
        return cls(
            text=text,
            intent=intent,
            entities=entities,
            profile=profile,
            kept_caution=str(slot) if slot else None,
            cautions=message_cautions(text, medicines, intent),
            own_profile=own,
            subject=subject,
            people=people,
            stored_people=stored,
            facts=facts,
            last=LastAnswer.from_slots(tracker.slots),
            diary=tracker.get_slot(DIARY_SLOT),
            timezone=_metadata(tracker).get("timezone"),
            sent_at=_sent_at(tracker),
            asked_nutrient=known_nutrient(tracker.get_slot(ASKED_NUTRIENT_SLOT)),
            diet=tracker.get_slot(DIET_SLOT),
            menu_variant=tracker.get_slot(MENU_VARIANT_SLOT),
            pending_request=_text_or_none(tracker.get_slot(PENDING_REQUEST_SLOT)),
        )

    @cached_property
    def nutrients(self) -> tuple[str, ...]:
        """The nutrients the message names ("how much *calcium*"), in text order."""
        return ents.nutrients_named(self.entities)

    @property
    def person(self) -> str | None:
        """Whom the answer is for: a label of ``people``, ``None`` for the user."""
        return self.subject.label if self.subject.is_other else None

    def fact_events(self) -> list[EventType]:
        """Slot events that keep what this message states: the user's own details in the
        profile slots (when they speak of themselves), someone else's in ``people`` (never
        the user's slots)."""
        if self.subject.is_other:
            if people_value(self.people) != people_value(self.stored_people):
                return [SlotSet(PEOPLE_SLOT, people_value(self.people))]
            return []
        if self.subject.kind != "self" or self.facts.empty:
            # kept only when the user speaks of themselves ("I'm a 50 year old woman");
            # "for a 60 year old" is used for this answer only
            return []
        return [SlotSet(name, getattr(self.profile, name)) for name in FIELDS
                if getattr(self.profile, name) != getattr(self.own_profile, name)]

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

    #: Keep what the message states about a person (``Turn.fact_events``) before the
    #: answer's own events (off for actions that clear or list stored data).
    keeps_message_facts: bool = True
    #: The kind of answer, kept for follow-ups (slot ``last_answer_kind``) when the action
    #: does not set it itself; ``None``: the action keeps nothing.
    answer_kind: str | None = None

    def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        turn = Turn.read(tracker)
        answer = self.answer(turn, domain)
        answer.send(dispatcher, tracker, domain)
        events = turn.fact_events() if self.keeps_message_facts else []
        said = answer.response is not None or bool(answer.reply.parts)
        if said and self.answer_kind is not None and not any(
            e.get("name") == "last_answer_kind" for e in answer.events
        ):
            events += last_answer_events(self.answer_kind, turn.person, topic=turn.intent)
        return events + answer.events

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return self.respond(dispatcher, tracker, domain)
