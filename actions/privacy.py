"""People's data: ``action_list_stored_data`` (what is stored about them),
``action_forget_profile`` ("start over": the profile slots and the food diary cleared, the
conversation kept)
and ``action_delete_my_data`` ("forget me", after the user confirmed).

The action server cannot reach the tracker store, and Rasa saves the tracker after an
action runs, so ``action_delete_my_data`` only marks the turn: it sets the
``delete_conversation`` slot (common/privacy.py), and the Rasa server's tracker store
deletes every stored event of the conversation when it saves that turn
(``CachedSQLTrackerStore.forget_conversation``). Wordings: domain/privacy.yml.
"""

from __future__ import annotations

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.types import DomainDict

from actions.base import (
    CAUTION_SLOT,
    DIARY_SLOT,
    DIET_SLOT,
    MENU_VARIANT_SLOT,
    PENDING_REQUEST_SLOT,
    Answer,
    Turn,
    TurnAction,
)
from actions.diet import diet_words
from actions.people import FOLLOWUP_SLOTS, person_ref
from actions.replies import Reply, number
from common.privacy import DELETE_CONVERSATION_SLOT
from nutrition.diary_days import KEEP_DAYS, entries
from nutrition.diet import diet_from_slot
from nutrition.profile import FIELDS, LIFE_STAGES, NOT_STATED, SEXES

# Profile slots, the kept caution, other people asked about, what the last answer was
# about, the food diary, the diet and a request kept for the profile form: what "start
# over" clears.
PERSONAL_SLOTS = (*FIELDS, CAUTION_SLOT, *FOLLOWUP_SLOTS, DIARY_SLOT, DIET_SLOT,
                  MENU_VARIANT_SLOT, PENDING_REQUEST_SLOT)


def _stored(turn: Turn) -> bool:
    profile = turn.own_profile
    return any(v is not None for v in (profile.age, profile.sex, profile.life_stage)) \
        or turn.kept_caution is not None or bool(turn.stored_people) \
        or bool(entries(turn.diary)) or bool(diet_words({}, diet_from_slot(turn.diet)))


class ActionListStoredData(TurnAction):
    """Lists the profile and caution kept for this conversation, or says there is none."""

    keeps_message_facts = False

    def name(self) -> str:
        return "action_list_stored_data"

    def answer(self, turn: Turn, domain: DomainDict) -> Answer:
        if not _stored(turn):
            return Answer(Reply().add("utter_stored_nothing"))
        profile = turn.own_profile
        reply = Reply().add("utter_stored_intro")
        if profile.age is not None:
            if profile.age < 1:
                reply.add("utter_stored_age_months", months=number(profile.age * 12, 0))
            else:
                reply.add("utter_stored_age", age=number(profile.age, 1))
        if profile.sex in SEXES:
            reply.add(f"utter_stored_sex_{profile.sex}")
        if profile.life_stage in LIFE_STAGES and profile.life_stage != NOT_STATED:
            reply.add(f"utter_stored_life_stage_{profile.life_stage}")
        if turn.kept_caution is not None:
            reply.add("utter_stored_caution", reason=turn.kept_caution)
        for label, person in turn.stored_people.items():
            name = person_ref(domain, label)
            if person.age is not None and person.age >= 1:
                reply.add("utter_stored_person_age", person=name, age=number(person.age, 1))
            elif person.age is not None:
                reply.add("utter_stored_person_age_months", person=name,
                          months=number(person.age * 12, 0))
            else:
                reply.add("utter_stored_person", person=name)
        diary = entries(turn.diary)
        if diary:
            reply.add("utter_stored_diary", count=len(diary), keep_days=KEEP_DAYS)
        diet = diet_words(domain, diet_from_slot(turn.diet))
        if diet:
            reply.add("utter_stored_diet", diet=diet)
        reply.add("utter_stored_conversation")
        return Answer(reply)


class ActionForgetProfile(TurnAction):
    """Clears the profile slots, the kept caution and the food diary; the conversation stays
    stored."""

    keeps_message_facts = False

    def name(self) -> str:
        return "action_forget_profile"

    def answer(self, turn: Turn, domain: DomainDict) -> Answer:
        response = "utter_profile_forgotten" if _stored(turn) else \
            "utter_profile_nothing_to_forget"
        events: list[EventType] = [SlotSet(name, None) for name in PERSONAL_SLOTS]
        return Answer(Reply().add(response), events=events)


class ActionDeleteMyData(TurnAction):
    """Says the conversation is erased and marks the turn for the tracker store to erase it."""

    keeps_message_facts = False

    def name(self) -> str:
        return "action_delete_my_data"

    def answer(self, turn: Turn, domain: DomainDict) -> Answer:
        return Answer(Reply().add("utter_data_deleted"),
                      events=[SlotSet(DELETE_CONVERSATION_SLOT, True)])
