"""action_recommended_intake: target (RDA or AI), supplement UL, companions, source, clinician
line, safety when medical_caution is set, and the chart payload on socket.io only.

Expected figures are those of /work/shared/reference/nutrition-facts.md (IOM 1997, 2011)."""

from __future__ import annotations

import pytest

from actions.intake import ActionRecommendedIntake
from tests.actions.computed_support import ent, make_tracker, profile_events, run, texts

ACTION = ActionRecommendedIntake()
WOMAN_54 = {"age": 54.0, "sex": "female", "life_stage": "none"}


def answer(slots, channel="rest", text="", entities=()):
    messages, events = run(ACTION, make_tracker(text, "inform_profile", list(entities), slots,
                                                channel=channel))
    return messages, events


def test_woman_of_54():
    messages, events = answer(WOMAN_54)
    assert profile_events(events) == {}
    assert len(messages) == 1  # one message, not a string of bubbles
    said = texts(messages)
    assert "woman aged 54" in said
    assert "320 mg a day" in said
    assert "RDA (Recommended Dietary Allowance)" in said
    assert "no more than 350 mg a day of magnesium from supplements" in said
    assert "doesn't count towards it" in said  # UL is for supplements only
    assert "calcium, 1,200 mg a day" in said
    assert "15 mcg (600 IU)" in said
    assert "Source: Institute of Medicine" in said
    assert "Your doctor can tailor them" in said


def test_man_of_70_and_of_75():
    said = texts(answer({"age": 70.0, "sex": "male", "life_stage": None})[0])
    assert "man aged 70" in said and "420 mg a day" in said
    assert "calcium, 1,000 mg" in said and "15 mcg (600 IU)" in said
    said = texts(answer({"age": 75.0, "sex": "male"})[0])
    assert "calcium, 1,200 mg" in said and "20 mcg (800 IU)" in said


def test_teenage_boy():
    said = texts(answer({"age": 16.0, "sex": "male"})[0])
    assert "boy aged 16" in said and "410 mg a day" in said


def test_baby_gets_an_adequate_intake_and_no_supplement_limit():
    said = texts(answer({"age": 8 / 12})[0])
    assert "baby of 8 months" in said
    assert "75 mg a day" in said
    assert "AI (Adequate Intake)" in said
    assert "No upper limit is set for babies" in said
    assert "mg a day of magnesium from supplements" not in said
    assert "Please don't give a child magnesium supplements" in said


def test_child_without_sex():
    said = texts(answer({"age": 6.0})[0])
    assert "child of 6" in said and "130 mg a day" in said
    assert "no more than 110 mg" in said


@pytest.mark.parametrize(("stage", "words", "mg"), [("pregnant", "During pregnancy", "350"),
                                                    ("lactating", "While breastfeeding", "310")])
def test_pregnancy_and_breastfeeding(stage, words, mg):
    said = texts(answer({"age": 25.0, "sex": "female", "life_stage": stage})[0])
    assert words in said and f"{mg} mg a day" in said
    assert "doctor or midwife" in said


def test_one_shot_answer_offers_to_adjust_for_pregnancy_with_buttons():
    messages, _ = answer({"age": 45.0, "sex": "female", "life_stage": "not_stated"})
    assert "320 mg a day" in texts(messages)
    assert "If you're pregnant or breastfeeding" in texts(messages)
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert '/inform_profile{"life_stage": "pregnant"}' in payloads


@pytest.mark.parametrize("reason", ["kidney disease", "heart rhythm problem"])
def test_medical_caution_gives_no_supplement_amount(reason):
    said = texts(answer({**WOMAN_54, "medical_caution": reason})[0])
    assert f"Because you mentioned {reason}" in said
    assert "350" not in said
    assert "320 mg a day" in said  # the food target is still given


def test_kidney_disease_in_the_message_itself_withholds_the_dose():
    said = texts(answer(WOMAN_54, text="actually I have chronic kidney disease")[0])
    assert "chronic kidney disease" in said and "350" not in said


def test_interacting_medicine_in_the_message_withholds_the_dose():
    msg = "I'm 54 and take Fosamax"
    entities = [ent("medication", "alendronate", "Fosamax", msg, role="bisphosphonates")]
    said = texts(answer(WOMAN_54, text=msg, entities=entities)[0])
    assert "Because you mentioned Fosamax" in said and "350" not in said


def test_chart_only_on_the_website_channel():
    rest, _ = answer(WOMAN_54, channel="rest")
    assert all("custom" not in m or not m["custom"] for m in rest)
    web, _ = answer(WOMAN_54, channel="socketio")
    charts = [m["custom"]["chart"] for m in web if m.get("custom")]
    assert len(charts) == 1
    chart = charts[0]
    assert chart["type"] == "bar" and chart["unit"] == "mg"
    assert chart["target"] == 320
    assert [item["value"] for item in chart["items"]] == [320, 350]
    assert "320 mg" in chart["alt"] and chart["title"]


def test_chart_under_caution_leaves_out_the_supplement_limit():
    web, _ = answer({**WOMAN_54, "medical_caution": "kidney disease"}, channel="socketio")
    chart = next(m["custom"]["chart"] for m in web if m.get("custom"))
    assert [item["value"] for item in chart["items"]] == [320]


@pytest.mark.parametrize(
    "slots",
    [
        {},
        {"age": "two hundred", "sex": "female"},
        {"age": 54.0},  # sex missing where it matters
        {"age": float("nan"), "sex": "male"},
        {"age": -5.0, "sex": "male"},
        {"age": 130.0, "sex": "male"},
        {"age": 40.0, "sex": "robot", "life_stage": "none"},
    ],
)
def test_incomplete_or_bad_profiles_get_a_clear_answer(slots):
    messages, events = answer(slots)
    assert "couldn't work out a figure" in texts(messages)
    assert profile_events(events) == {}
