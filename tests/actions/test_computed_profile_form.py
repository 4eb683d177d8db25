"""validate_magnesium_profile_form: asks only for what's missing, reads one-shot questions,
takes corrections, and answers bad values clearly (real rasa_sdk Tracker/Dispatcher)."""

from __future__ import annotations

import pytest

from actions.validation import ValidateMagnesiumProfileForm
from tests.actions.computed_support import ent, make_tracker, run, slot_events, texts

FORM = "magnesium_profile_form"
VALIDATE = ValidateMagnesiumProfileForm()


def validate(text, intent, entities=(), slots=None, requested=None, digression=None):
    """Run the validation action the way the form calls it after a user message."""
    slots = dict(slots or {})
    slots["requested_slot"] = requested
    after = [{"event": "action", "name": digression}] if digression else []
    after += [
        {"event": "slot", "name": "requested_slot", "value": requested},
        {"event": "action", "name": FORM},
    ]
    tracker = make_tracker(text, intent, list(entities), slots, events_after_user=after,
                           active_loop=FORM if requested else None)
    messages, events = run(VALIDATE, tracker)
    return texts(messages), slot_events(events)


def age(value, text, message, unit="years", **extra):
    return ent("age", value, text, message, unit=unit, **extra)


def test_name_matches_the_form():
    assert VALIDATE.name() == "validate_magnesium_profile_form"
    assert VALIDATE.form_name() == FORM


def test_a_bare_question_asks_for_the_age_first():
    said, slots = validate("how much magnesium do I need", "ask_magnesium_need")
    assert said == ""
    assert slots == {"requested_slot": "age"}


def test_age_then_sex_then_done_after_fifty():
    msg = "54"
    said, slots = validate(msg, "inform_profile", [age(54.0, "54", msg)], requested="age")
    assert slots == {"age": 54.0, "requested_slot": "sex"}
    msg = "female"
    said, slots = validate(msg, "inform_profile", [ent("sex", "female", "female", msg)],
                           {"age": 54.0}, requested="sex")
    # 54 is past the tables' pregnancy ages: no pregnancy question
    assert slots == {"sex": "female", "requested_slot": None}


def test_woman_of_child_bearing_age_is_asked_about_pregnancy():
    msg = "female"
    _, slots = validate(msg, "inform_profile", [ent("sex", "female", "female", msg)],
                        {"age": 30.0}, requested="sex")
    assert slots == {"sex": "female", "requested_slot": "life_stage"}


def test_man_is_never_asked_about_pregnancy():
    msg = "male"
    _, slots = validate(msg, "inform_profile", [ent("sex", "male", "male", msg)],
                        {"age": 30.0}, requested="sex")
    assert slots == {"sex": "male", "requested_slot": None}


@pytest.mark.parametrize("text", ["neither", "not pregnant"])
def test_neither_wins_over_a_pregnant_entity_in_not_pregnant(text):
    entities = [ent("life_stage", "pregnant", "pregnant", text)] if "pregnant" in text else []
    _, slots = validate(text, "inform_not_pregnant", entities,
                        {"age": 30.0, "sex": "female"}, requested="life_stage")
    assert slots == {"life_stage": "none", "requested_slot": None}


def test_button_payload_without_offsets_is_read():
    _, slots = validate('/inform_profile{"life_stage": "lactating"}', "inform_profile",
                        [{"entity": "life_stage", "value": "lactating"}],
                        {"age": 30.0, "sex": "female"}, requested="life_stage")
    assert slots == {"life_stage": "lactating", "requested_slot": None}


def test_one_shot_woman_is_answered_at_once_with_pregnancy_not_stated():
    msg = "I'm a 45 year old woman, how much magnesium do I need"
    entities = [age(45.0, "45 year old", msg), ent("sex", "female", "woman", msg)]
    said, slots = validate(msg, "ask_magnesium_need", entities)
    assert said == ""
    assert slots == {"age": 45.0, "sex": "female", "life_stage": "not_stated",
                     "requested_slot": None}


def test_someone_else_is_kept_apart_from_the_users_own_profile():
    # "a 45 year old woman", "my son", "a 70 year old man": the form ends at once (the
    # answer is theirs) and only the people slot changes
    msg = "how much magnesium does a 45 year old woman need"
    entities = [age(45.0, "45 year old", msg), ent("sex", "female", "woman", msg)]
    said, slots = validate(msg, "ask_magnesium_need", entities)
    assert said == ""
    assert slots == {"people": {"a woman": {"age": 45.0, "sex": "female",
                                          "life_stage": "not_stated"}},
                     "requested_slot": None}
    msg = "my 10 year old son"
    _, slots = validate(msg, "ask_magnesium_need",
                        [age(10.0, "10 year old", msg), ent("sex", "male", "son", msg)],
                        slots={"age": 50.0, "sex": "female", "life_stage": "none"})
    assert slots == {"people": {"son": {"age": 10.0, "sex": "male", "life_stage": None}},
                     "requested_slot": None}
    msg = "how much for a 70 year old man"
    _, slots = validate(msg, "ask_magnesium_need",
                        [age(70.0, "70 year old", msg), ent("sex", "male", "man", msg)],
                        slots={"people": {"son": {"age": 10.0, "sex": "male"}}})
    assert slots["people"] == {"son": {"age": 10.0, "sex": "male", "life_stage": None},
                               "a man": {"age": 70.0, "sex": "male", "life_stage": None}}
    assert not {"age", "sex", "life_stage"} & set(slots)


def test_a_pronoun_with_nobody_to_refer_to_changes_nothing():
    msg = "she's 12"
    said, slots = validate(msg, "inform_profile", [age(12.0, "12", msg)], requested="age")
    assert said == ""
    assert slots == {"requested_slot": None}  # the answer asks who is meant


def test_pregnancy_implies_female():
    msg = "I'm 25 and pregnant"
    _, slots = validate(msg, "ask_magnesium_need",
                        [age(25.0, "25", msg), ent("life_stage", "pregnant", "pregnant", msg)])
    assert slots == {"age": 25.0, "life_stage": "pregnant", "sex": "female",
                     "requested_slot": None}


def test_baby_age_in_months_needs_nothing_else():
    msg = "an 8 month old baby"
    _, slots = validate(msg, "ask_magnesium_need", [age(8.0, "8 month old", msg, unit="months")])
    assert slots["people"]["a baby"]["age"] == pytest.approx(8 / 12)
    assert slots["requested_slot"] is None


@pytest.mark.parametrize("years", [2.0, 6.0, 8.0])
def test_children_under_nine_are_not_asked_for_sex(years):
    msg = f"I'm {years:g}"
    _, slots = validate(msg, "inform_profile", [age(years, f"{years:g}", msg)], requested="age")
    assert slots == {"age": years, "requested_slot": None}


def test_teenager_is_asked_for_sex():
    msg = "15"
    _, slots = validate(msg, "inform_profile", [age(15.0, "15", msg)], requested="age")
    assert slots == {"age": 15.0, "requested_slot": "sex"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("two hundred", "200 years is older than the reference tables go"),
        ("130", "130 years is older than the reference tables go"),
        ("-5", "can't be below zero"),
        ("minus 3", "can't be below zero"),
        ("banana", 'couldn\'t find an age in "banana"'),
        ("1e309", 'couldn\'t find an age in "1e309"'),
        ("NaN", 'couldn\'t find an age in "NaN"'),
    ],
)
def test_bad_ages_get_a_clear_reply_and_the_question_again(text, expected):
    said, slots = validate(text, "inform_profile", [], requested="age")
    assert expected in said
    assert slots == {"age": None, "requested_slot": "age"}


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "sixty", None, -4.0, 400.0])
def test_bad_age_entity_values_are_not_used(value):
    msg = "I'm x"
    said, slots = validate(msg, "inform_profile", [age(value, "x", msg)], requested="age")
    assert said
    assert slots["age"] is None and slots["requested_slot"] == "age"


def test_a_food_question_in_the_middle_is_left_to_the_rules():
    # nothing validated: the form is rejected and the digression rule answers the food
    msg = "how much magnesium in a banana"
    said, slots = validate(msg, "ask_food_magnesium", [ent("food", "banana", "banana", msg)],
                           requested="age")
    assert said == ""
    assert slots == {"requested_slot": "age"}


def test_profile_details_in_a_digression_are_kept_after_it_was_answered():
    msg = "how much magnesium in almonds for a 60 year old"
    entities = [ent("food", "almonds", "almonds", msg), age(60.0, "60 year old", msg)]
    _, before = validate(msg, "ask_food_magnesium", entities, requested="age")
    assert "age" not in before
    _, after = validate(msg, "ask_food_magnesium", entities, requested="age",
                        digression="action_food_magnesium")
    assert after == {"age": 60.0, "requested_slot": "sex"}


def test_asking_again_mid_form_explains_and_asks_again():
    said, slots = validate("how much magnesium do I need", "ask_magnesium_need", [],
                           requested="age")
    assert "as soon as I have" in said
    assert slots == {"age": None, "requested_slot": "age"}


def test_unreadable_sex_is_asked_again():
    said, slots = validate("other", "inform_profile", [], {"age": 40.0}, requested="sex")
    assert "females" in said and "males" in said
    assert slots == {"sex": None, "requested_slot": "sex"}


def test_correction_outside_the_form_recomputes():
    msg = "actually I'm 62"
    said, slots = validate(msg, "inform_profile", [age(62.0, "62", msg)],
                           {"age": 54.0, "sex": "female", "life_stage": "none"})
    assert said == ""
    assert slots == {"age": 62.0, "requested_slot": None}


def test_bad_correction_keeps_the_old_age_and_says_why():
    said, slots = validate("actually I'm 130", "inform_profile", [],
                           {"age": 54.0, "sex": "female", "life_stage": "none"})
    assert "130 years" in said
    assert "age" not in slots and slots["requested_slot"] is None


def test_becoming_a_man_drops_pregnancy():
    msg = "actually I'm a man"
    _, slots = validate(msg, "inform_profile", [ent("sex", "male", "man", msg)],
                        {"age": 30.0, "sex": "female", "life_stage": "pregnant"})
    assert slots == {"sex": "male", "life_stage": None, "requested_slot": None}


def test_man_and_pregnant_in_one_message_keeps_male_and_says_so():
    msg = "I'm a pregnant man"
    said, slots = validate(msg, "inform_profile", [
        ent("life_stage", "pregnant", "pregnant", msg), ent("sex", "male", "man", msg)],
        {"age": 30.0})
    assert "for women" in said
    assert slots["sex"] == "male" and "life_stage" not in slots


def test_pregnancy_outside_the_tables_ages_uses_the_usual_figures():
    # (12 is no longer outside: the IOM "<= 18 y" pregnancy row covers it)
    msg = "I'm 55 and pregnant"
    said, slots = validate(msg, "inform_profile",
                           [age(55.0, "55", msg), ent("life_stage", "pregnant", "pregnant", msg)])
    assert "no separate pregnancy" in said
    assert slots["life_stage"] == "none" and slots["requested_slot"] is None


def test_decade_answer_says_it_is_approximate():
    msg = "in my fifties"
    said, slots = validate(msg, "inform_profile",
                           [age(55.0, "in my fifties", msg, approximate=True)], requested="age")
    assert "about 55 years" in said
    assert slots == {"age": 55.0, "requested_slot": "sex"}


def test_stale_invalid_slot_values_are_cleared_and_asked_again():
    said, slots = validate("hello", "greet", [], {"age": "two hundred", "sex": "robot"})
    assert slots == {"age": None, "sex": None, "requested_slot": "age"}
    assert said == ""


def test_a_safety_question_with_an_age_is_answered_before_the_form_takes_the_age():
    # "I'm 70 and have kidney disease" must reach the kidney caution first
    msg = "I'm 70 and have kidney disease"
    entities = [age(70.0, "70", msg)]
    _, before = validate(msg, "ask_kidney_disease", entities, requested="age")
    assert before == {"requested_slot": "age"}
    _, after = validate(msg, "ask_kidney_disease", entities, requested="age",
                        digression="action_explain_topic")
    assert after == {"age": 70.0, "requested_slot": "sex"}


def test_neither_as_an_answer_to_the_sex_question_is_not_taken_for_pregnancy():
    said, slots = validate("neither", "inform_not_pregnant", [], {"age": 40.0}, requested="sex")
    assert "females" in said
    assert slots == {"sex": None, "requested_slot": "sex"}


def test_a_pregnancy_said_at_12_is_kept_for_the_up_to_18_figures():
    msg = "I'm 12 and pregnant"
    said, slots = validate(msg, "inform_profile",
                           [age(12.0, "12", msg), ent("life_stage", "pregnant", "pregnant", msg)])
    assert "no separate pregnancy" not in said
    assert slots["life_stage"] == "pregnant" and slots["sex"] == "female"


@pytest.mark.parametrize(("text", "age_years"), [
    ("3 months", 0.25),
    ("9 months", 0.75),
    ("6 mo", 0.5),
    ("26 weeks", 26 / 52.1775),
    ("3 years", 3.0),
    ("3", 3.0),
])
def test_a_bare_answer_with_a_unit_keeps_the_unit(text, age_years):
    """Asked "how old are you?", "3 months" is a baby of 3 months, never 3 years."""
    said, slots = validate(text, "inform_profile", [], requested="age")
    assert slots["age"] == pytest.approx(age_years)
    assert said == ""


@pytest.mark.parametrize("requested", ["age", None])
def test_the_intake_question_drops_a_request_kept_for_the_form(requested):
    """"plan me a day", then "how much magnesium do I need?": the form, once filled, gives
    the intake answer the user asked for last, not the menu asked before."""
    _, slots = validate("how much magnesium do I need", "ask_magnesium_need", [],
                        slots={"pending_request": "day_menu"}, requested=requested)
    assert "pending_request" in slots and slots["pending_request"] is None
    _, kept = validate("65", "inform_profile", [age(65.0, "65", "65")],
                       slots={"pending_request": "day_menu"}, requested="age")
    assert "pending_request" not in kept
