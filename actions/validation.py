"""Form validation: the profile form that asks only for what a personal answer still lacks.

``ProfileFormValidation`` is the shared base (in the style of RasaHQ/financial-demo's custom
form validation base): it reads the profile from the latest message (extractor entities,
button payloads, and the user's own words when the form asked a question and no entity
answers it), checks it against the nutrition core's tables, and asks next for age, then sex
(only where the tables differ by sex), then pregnancy/breastfeeding (only for women in the
tables' pregnancy ages). A one-shot question ("a 45 year old woman") is answered at once.

Bad answers ("two hundred", "-5", 130, "banana") get a reply naming the problem and the
question is asked again; questions about something else (a food, a supplement) are left to
the dialogue rules, which answer them and come back to the form.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction
from rasa_sdk.types import DomainDict

from actions import entities as ents
from actions.base import ASKED_NUTRIENT_SLOT, PENDING_REQUEST_SLOT, Turn
from actions.intake import SLOTS, Update, apply_update
from actions.replies import Reply, quote
from common.safety import SAFETY_INTENTS
from nutrition.bone_density import BoneScore, find_bone_scores
from nutrition.nutrients import DEFAULT_NUTRIENT, known_nutrient
from nutrition.profile import Profile

PROFILE_FORM = "magnesium_profile_form"

# Intents whose messages answer the form's questions.
ANSWER_INTENTS = frozenset({"inform_profile", "inform_not_pregnant", "nlu_fallback"})
# Asking for the figure again while the form waits for an answer.
ASK_AGAIN_INTENTS = frozenset({"ask_magnesium_need"})


def digression_ran(tracker: Tracker, form_name: str) -> bool:
    """True when another action ran after the latest user message (the form came back)."""
    skip = {form_name, "action_listen", "action_extract_slots", None}
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action" and event.get("name") not in skip:
            return True
    return False


def about_someone_else(tracker: Tracker, form_name: str) -> Turn | None:
    """The turn, when the latest message is about someone other than the user ("my son is
    15", "a 70 year old man", "she's 12"): the form then leaves the user's own profile
    alone and ends, and the answer is for that person (actions/intake.py)."""
    if digression_ran(tracker, form_name):
        return None
    turn = Turn.read(tracker)
    return turn if turn.subject.kind in ("other", "unresolved") else None


def read_update(tracker: Tracker, form_name: str) -> Update:
    """What the latest message says about age, sex and pregnancy."""
    intent = ents.latest_intent(tracker)
    requested = tracker.get_slot(REQUESTED_SLOT)
    answers = intent in ANSWER_INTENTS or intent in ASK_AGAIN_INTENTS
    if requested and not answers and not digression_ran(tracker, form_name):
        # another question (a food, a medicine, kidney disease...): the rules answer it
        # first, then the form runs again and keeps any profile details it carried
        return Update()
    entities = ents.latest_entities(tracker)
    text = ents.latest_text(tracker)
    update = Update(text=quote(text))
    # "my T-score is -2.7": a bone density score, never an age
    update.bone_scores = find_bone_scores(text)
    entities = [e for e in entities if not _in_score(e, update.bone_scores)]
    scores_as_spans: list[ents.Entity] = [
        {"entity": "bone_score", "start": s.start, "end": s.end} for s in update.bone_scores]
    update.age = ents.age_mention(entities)
    sex = ents.first_value(entities, "sex")
    update.sex = str(sex).lower() if sex is not None else None
    stage = ents.first_value(entities, "life_stage")
    update.life_stage = str(stage).lower() if stage is not None else None
    if intent == "inform_not_pregnant" and requested in (None, "life_stage"):
        # "neither" answers the pregnancy question (the intent decides over any entity)
        update.said_neither = True
        update.life_stage = None
    if update.age is None and (
        (requested == "age" and answers) or (requested is None and intent == "inform_profile")
    ):
        # "130", "two hundred", "-5": numbers the extractor doesn't take for an age
        update.age = ents.age_from_text(text, [*entities, *scores_as_spans])
    if requested and answers and update.bone_scores and (
            update.age is None and update.sex is None and update.life_stage is None):
        update.ask_again_after_score = str(requested)
    if requested is None:
        update.one_shot = update.age is not None and update.sex is not None
    elif update.empty and intent in ANSWER_INTENTS and not digression_ran(tracker, form_name):
        update.unreadable = requested
    elif update.empty and intent in ASK_AGAIN_INTENTS:
        update.asked_again = requested
    return update


def _in_score(entity: ents.Entity, scores: tuple[BoneScore, ...]) -> bool:
    """An age or amount the extractor read inside a bone density score."""
    start, end = entity.get("start"), entity.get("end")
    if entity.get("entity") not in ("age", "amount") or not isinstance(start, int) or not (
            isinstance(end, int)):
        return False
    return any(score.start < end and start < score.end for score in scores)


class ProfileFormValidation(FormValidationAction, ABC):
    """Shared validation of the profile slots (age, sex, life_stage) for profile forms."""

    @abstractmethod
    def name(self) -> str:  # pragma: no cover - each form names its own validation action
        ...

    def profile_slots(self) -> tuple[str, ...]:
        return SLOTS

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Only what is still missing: age; sex where the tables differ; pregnancy where
        the tables have pregnancy figures (for a calcium or vitamin D question, where that
        nutrient's table differs). Nothing for a message about someone else."""
        if about_someone_else(tracker, self.form_name()) is not None:
            return []
        nutrient = known_nutrient(tracker.get_slot(ASKED_NUTRIENT_SLOT)) or DEFAULT_NUTRIENT
        return Profile.from_values(tracker.slots).needs_for(nutrient)

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        # Extraction and checking happen together in get_validation_events: the three
        # slots depend on each other ("pregnant" implies female, age decides what's needed).
        return []

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if ents.latest_intent(tracker) in SAFETY_INTENTS:
            # nothing is taken from an emergency or talk of self-harm ("my husband isn't
            # breathing" is no answer about the husband): with no slot set, Rasa's form
            # rejects the turn and the safety rule answers instead
            return []
        other = about_someone_else(tracker, self.form_name())
        if other is not None:
            # someone else's details go to ``people``; the user's profile stays as it is
            return other.fact_events()
        # values set earlier that no longer pass (e.g. a stale slot) are cleared
        stored = {slot: tracker.get_slot(slot) for slot in self.profile_slots()}
        current = Profile.from_values(stored)
        events: dict[str, Any] = {
            slot: None
            for slot in self.profile_slots()
            if stored[slot] is not None and getattr(current, slot) is None
        }
        checked = apply_update(current, read_update(tracker, self.form_name()))
        events.update(checked.slots)
        if ents.latest_intent(tracker) == "ask_magnesium_need" \
                and tracker.get_slot(PENDING_REQUEST_SLOT):
            # the intake asked for now wins over a menu or gap asked before the form
            events[PENDING_REQUEST_SLOT] = None
        Reply().extend(checked.messages).send(dispatcher, domain)
        return [SlotSet(slot, value) for slot, value in events.items()]


class ValidateMagnesiumProfileForm(ProfileFormValidation):
    """Validation of ``magnesium_profile_form`` (the personal intake question)."""

    def name(self) -> str:
        return f"validate_{PROFILE_FORM}"
