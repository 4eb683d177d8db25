"""Clinical review (issue #15) item 5: a T-score, Z-score or bone density score is never read
as an age. The profile keeps what it had (no age slot is set), the reply says what the score
is, gives the WHO category of a signed T-score (cut-offs from nutrition/data/bone_density.yml:
-2.5 or lower osteoporosis, -1.0 or higher normal), says diet figures depend on age and sex,
and points to the doctor."""

from __future__ import annotations

import pytest

from tests.actions.computed_support import extracted
from tests.actions.test_computed_profile_form import validate

WOMAN_60 = {"age": 60.0, "sex": "female", "life_stage": "none"}


def entities_of(text):
    found = extracted(text)
    return [] if found is None else found


@pytest.mark.parametrize("requested", [None, "age"])
def test_t_score_is_not_an_age(requested):
    msg = "My T-score is -2.7"
    said, slots = validate(msg, "inform_profile", entities_of(msg), requested=requested)
    assert "can't be below zero" not in said and "couldn't find an age" not in said
    assert slots.get("age") is None  # no age is taken from the score
    assert slots["requested_slot"] == "age"  # the form still asks for the age
    assert "A T-score of -2.7 is a bone density result, not an age" in said
    assert "-2.5 or lower is in the range the WHO calls osteoporosis" in said
    assert "depends on your age and sex, not on your bone density" in said
    assert "doctor" in said and "World Health Organization" in said


def test_t_score_keeps_the_profile_it_had():
    msg = "my DEXA T score was minus 1.8"
    said, slots = validate(msg, "inform_profile", entities_of(msg), WOMAN_60)
    assert "age" not in slots and "sex" not in slots
    assert "low bone mass (osteopenia)" in said


@pytest.mark.parametrize(("msg", "named"), [
    ("my z-score is -1.5", "A Z-score of -1.5"),
    ("my bone density score is -2.7", "A bone density score of -2.7"),
])
def test_other_scores_are_named_without_a_who_category(msg, named):
    said, slots = validate(msg, "inform_profile", entities_of(msg), requested="age")
    assert named in said and "WHO" not in said and slots.get("age") is None


def test_unsigned_t_score_gets_no_category_and_is_no_age():
    msg = "t score of 2.7"
    said, slots = validate(msg, "inform_profile", entities_of(msg), requested="age")
    assert "A T-score of 2.7" in said and "WHO" not in said and slots.get("age") is None


def test_an_age_beside_a_t_score_is_still_read():
    msg = "I'm 60 and my T-score is -2.7"
    found = extracted(msg)
    if found is None:
        pytest.skip("spaCy pipeline not built (python -m nlu.build_pipeline)")
    said, slots = validate(msg, "inform_profile", found)
    assert slots["age"] == 60.0 and "osteoporosis" in said


def test_t_score_given_for_the_age_keeps_the_form_going():
    """Asked "how old are you?", a T-score sets the age slot again to what it was (empty):
    Rasa rejects a form that sets no slot, and the turn would go to the fallback reply
    ("Sorry, I didn't quite catch that") instead of explaining the score."""
    msg = "my T-score is -2.5"
    said, slots = validate(msg, "inform_profile", entities_of(msg), requested="age")
    assert "age" in slots and slots["age"] is None
    assert slots["requested_slot"] == "age"
    assert "A T-score of -2.5 is a bone density result, not an age" in said
    # asked for the sex, with the age already known, the age stays as it was
    said, slots = validate(msg, "inform_profile", entities_of(msg), {"age": 60.0},
                           requested="sex")
    assert slots.get("sex") is None and slots.get("age", 60.0) == 60.0
    assert "sex" in slots and slots["requested_slot"] == "sex"


def test_a_scan_result_written_before_its_label_is_no_age_either():
    """"I got -2.7 on my DXA" (the number before the label) while the form asks for the age:
    a bone density result, never an age; the form asks for the age again."""
    msg = "I got -2.7 on my DXA"
    said, slots = validate(msg, "inform_profile", entities_of(msg), requested="age")
    assert "A bone density score of -2.7 is a scan result, not an age" in said
    assert "can't be below zero" not in said
    assert slots.get("age") is None and slots["requested_slot"] == "age"
