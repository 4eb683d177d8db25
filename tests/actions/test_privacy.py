"""actions/privacy.py: what is stored, start over, forget me (the marker for the store)."""

from __future__ import annotations

from actions.people import FOLLOWUP_SLOTS
from actions.privacy import ActionDeleteMyData, ActionForgetProfile, ActionListStoredData
from common.privacy import DELETE_CONVERSATION_SLOT
from tests.actions.computed_support import (
    DOMAIN,
    make_tracker,
    profile_events,
    run,
    slot_events,
    texts,
)


def response(name: str) -> str:
    return DOMAIN["responses"][name][0]["text"]


def test_nothing_stored_is_said_plainly():
    messages, events = run(ActionListStoredData(),
                           make_tracker("what do you know about me", "ask_stored_data"))
    assert texts(messages) == response("utter_stored_nothing")
    assert profile_events(events) == {}


def test_stored_profile_and_caution_are_listed():
    tracker = make_tracker("what do you know about me", "ask_stored_data", slots={
        "age": 34.0, "sex": "female", "life_stage": "lactating",
        "medical_caution": "kidney disease"})
    text = texts(run(ActionListStoredData(), tracker)[0])
    assert response("utter_stored_intro") in text
    assert "- age: 34 years" in text
    assert response("utter_stored_sex_female") in text
    assert response("utter_stored_life_stage_lactating") in text
    assert "kidney disease" in text
    assert response("utter_stored_nothing") not in text


def test_a_baby_age_is_listed_in_months_and_not_stated_is_left_out():
    tracker = make_tracker("what do you know about me", "ask_stored_data",
                           slots={"age": 0.5, "life_stage": "not_stated"})
    text = texts(run(ActionListStoredData(), tracker)[0])
    assert "- age: 6 months" in text
    assert "pregnan" not in text.split("\n", 1)[1].split(response("utter_stored_conversation"))[0]


def test_an_unusable_stored_value_is_not_listed():
    tracker = make_tracker("what do you know about me", "ask_stored_data",
                           slots={"age": -3.0, "sex": "robot"})
    assert texts(run(ActionListStoredData(), tracker)[0]) == response("utter_stored_nothing")


def test_start_over_clears_the_profile_caution_other_people_food_diary_and_diet_only():
    tracker = make_tracker("start over", "forget_profile", slots={
        "age": 60.0, "sex": "male", "medical_caution": "heart condition",
        "people": {"son": {"age": 15.0, "sex": "male"}}, "last_food": "almonds"})
    messages, events = run(ActionForgetProfile(), tracker)
    assert texts(messages) == response("utter_profile_forgotten")
    assert slot_events(events) == {"age": None, "sex": None, "life_stage": None,
                                   "medical_caution": None, "food_diary": None,
                                   "diet": None, "menu_variant": None, "pending_request": None,
                                   **{name: None for name in FOLLOWUP_SLOTS}}
    assert DELETE_CONVERSATION_SLOT not in slot_events(events)


def test_start_over_with_nothing_stored_says_so():
    messages, _ = run(ActionForgetProfile(), make_tracker("start over", "forget_profile"))
    assert texts(messages) == response("utter_profile_nothing_to_forget")


def test_forget_me_marks_the_turn_for_deletion():
    messages, events = run(ActionDeleteMyData(), make_tracker("yes", "affirm"))
    assert texts(messages) == response("utter_data_deleted")
    assert slot_events(events) == {DELETE_CONVERSATION_SLOT: True}


def test_confirmation_offers_yes_and_no_buttons():
    buttons = DOMAIN["responses"]["utter_confirm_delete_data"][0]["buttons"]
    assert [b["payload"] for b in buttons] == ["/affirm", "/deny"]
