"""The core's answers to "what does this profile still need?", "which cautions does this
message raise?" and "which figures does a knowledge answer show?" (nutrition/profile.py,
nutrition/cautions.py, nutrition/topic_figures.py). The expected figures are the IOM and
NIH ones the tables cite."""

from __future__ import annotations

import math

import pytest

from nutrition import topic_figures as figures
from nutrition.cautions import (
    HEART_CAUTION,
    KIDNEY_CAUTION,
    MAX_MEDICINES,
    MedicineMention,
    merge_cautions,
    message_cautions,
)
from nutrition.intake import (
    adult_rda_range_mg,
    age_problem,
    pregnancy_figures_exist,
    sex_matters,
)
from nutrition.medications import find_medication, named_medicine
from nutrition.profile import Profile
from nutrition.topic_figures import YearsSpan, short_source

# ------------------------------------------------------------------------------ profile


@pytest.mark.parametrize(
    ("values", "needed"),
    [
        ({}, ["age"]),
        ({"sex": "female", "life_stage": "none"}, ["age"]),
        ({"age": 0.5}, []),  # babies: one figure for both sexes, no pregnancy figures
        ({"age": 10}, []),
        ({"age": 13.99}, []),
        ({"age": 14}, ["sex", "life_stage"]),  # from 14 the tables differ by sex
        ({"age": 16, "sex": "male"}, []),
        ({"age": 16, "sex": "female"}, ["life_stage"]),
        ({"age": 16, "sex": "female", "life_stage": "none"}, []),
        ({"age": 45, "life_stage": "pregnant"}, ["sex"]),
        ({"age": 50.9, "sex": "female"}, ["life_stage"]),
        ({"age": 51, "sex": "female"}, []),  # no pregnancy figures from 51
        ({"age": 60}, ["sex"]),
    ],
)
def test_profile_needs_only_what_the_tables_ask_for(values, needed):
    profile = Profile.from_values(values)
    assert profile.needs() == needed
    assert profile.complete is (not needed)
    assert (profile.intake() is not None) is (not needed)


@pytest.mark.parametrize("age", [-1, 125.5, 200, math.nan, math.inf, True, "30", None])
def test_profile_drops_an_age_the_tables_do_not_cover(age):
    assert Profile.from_values({"age": age}).age is None


def test_profile_drops_values_that_cannot_apply():
    assert Profile.from_values({"age": 30, "sex": "other"}).sex is None
    assert Profile.from_values({"age": 30, "life_stage": "sleepy"}).life_stage is None
    male = Profile.from_values({"age": 30, "sex": "male", "life_stage": "pregnant"})
    assert male.life_stage is None and male.sex == "male"
    assert Profile.from_values({"age": 125}).age == 125.0


def test_pregnancy_outside_the_pregnancy_ages_has_no_figures_instead_of_an_error():
    profile = Profile.from_values({"age": 55, "sex": "female", "life_stage": "pregnant"})
    assert profile.needs() == [] and profile.intake() is None
    inside = Profile.from_values({"age": 30, "sex": "female", "life_stage": "pregnant"})
    intake = inside.intake()
    assert intake is not None and intake.pregnant and intake.magnesium_mg == 350


def test_profile_upper_limit_is_personal_once_the_age_is_known():
    assert Profile().supplement_ul_mg() == (350, False)  # the adult limit
    assert Profile.from_values({"age": 2}).supplement_ul_mg() == (65, True)
    assert Profile.from_values({"age": 6}).supplement_ul_mg() == (110, True)
    assert Profile.from_values({"age": 0.5}).supplement_ul_mg() == (None, True)


@pytest.mark.parametrize(
    ("value", "problem"),
    [(30, None), (0, None), (125, None), (0.25, None), (-0.1, "negative"),
     (125.01, "too_high"), (math.nan, "unreadable"), (-math.inf, "unreadable"),
     (True, "unreadable"), ("30", "unreadable"), (None, "unreadable")],
)
def test_age_problem(value, problem):
    assert age_problem(value) == problem


def test_sex_and_pregnancy_rules_follow_the_age_bands():
    assert [sex_matters(a) for a in (0, 8.9, 13.99, 14, 30, 51, 90)] == [
        False, False, False, True, True, True, True]
    assert [pregnancy_figures_exist(a) for a in (13.99, 14, 30, 50.99, 51)] == [
        False, True, True, True, False]
    assert not sex_matters(-1) and not pregnancy_figures_exist(200)


def test_adult_rda_range_spans_young_women_to_older_men():
    assert adult_rda_range_mg() == (310, 420)


# ------------------------------------------------------------------------------ cautions


def test_a_condition_question_is_remembered_without_naming_a_reason():
    kidney = message_cautions("is magnesium ok for me", [], "ask_kidney_disease")
    assert kidney.remember == (KIDNEY_CAUTION,) and kidney.reason is None
    heart = message_cautions("I have afib", [], "ask_heart_condition")
    assert heart.remember == (HEART_CAUTION,)
    assert message_cautions("how much magnesium", [], "ask_magnesium_need").remember == ()


def test_a_known_medicine_is_remembered_by_class_and_named_in_the_users_words():
    found = message_cautions(
        "I take Fosamax", [MedicineMention("alendronate", "Fosamax")], "ask_supplement_advice")
    assert found.remember == ("bisphosphonates",)
    assert found.reason == "Fosamax"
    [medicine] = found.medicines
    assert medicine.interaction is not None and medicine.interaction.drug == "alendronate"


def test_an_unknown_medicine_is_a_reason_but_not_remembered():
    found = message_cautions("and aspirin", [MedicineMention("aspirin", "aspirin")], None)
    assert found.remember == () and found.reason == "aspirin"
    assert [m.interaction for m in found.medicines] == [None]


def test_medicines_are_looked_up_once_each_and_at_most_three():
    mentions = [MedicineMention(v, v) for v in
                ("omeprazole", "omeprazole", "doxycycline", "furosemide", "alendronate")]
    found = message_cautions("", mentions, None)
    assert [m.value for m in found.medicines] == ["omeprazole", "doxycycline", "furosemide"]
    assert len(found.medicines) == MAX_MEDICINES
    assert found.reason == "omeprazole, doxycycline, furosemide, alendronate"


def test_conditions_in_the_words_give_the_longest_name_then_kidneys_in_general():
    assert message_cautions("I have chronic kidney disease", [], None).reason == (
        "chronic kidney disease")
    assert message_cautions("my renal function is low", [], None).reason == "kidney problems"
    assert message_cautions("I am on dialysis", [], None).reason == "dialysis"
    assert message_cautions("how much magnesium in almonds", [], None).reason is None


def test_merge_cautions_keeps_each_once_in_order():
    assert merge_cautions(None, ["kidney disease"]) == "kidney disease"
    assert merge_cautions("kidney disease", ["bisphosphonates", "kidney disease"]) == (
        "kidney disease, bisphosphonates")
    assert merge_cautions("", []) is None


def test_named_medicine_reads_class_keys_and_names():
    ppi = named_medicine("proton_pump_inhibitors")
    assert ppi is not None and ppi.drug is None and ppi.drug_class == "proton_pump_inhibitors"
    assert named_medicine("fosamax") == find_medication("fosamax")
    assert named_medicine("zz-no-such-drug") is None


# ------------------------------------------------------------------------------ topic figures


def test_intake_figures_of_the_knowledge_answers_come_from_the_right_age_bands():
    assert figures.rda_figures() | {"rda_source": ""} == {
        "rda_older_from_age": 51, "rda_older_women": 320, "rda_older_men": 420,
        "rda_source": ""}
    assert figures.ul_figures()["ul_mg"] == 350 and figures.ul_figures()["ul_from_age"] == 9
    companions = figures.companion_figures()
    assert {k: companions[k] for k in (
        "older_from_age", "oldest_from_age", "calcium_older_women", "calcium_older_men",
        "calcium_oldest", "vitamin_d_older_mcg", "vitamin_d_older_iu",
        "vitamin_d_oldest_mcg", "vitamin_d_oldest_iu")} == {
        "older_from_age": 51, "oldest_from_age": 71, "calcium_older_women": 1200,
        "calcium_older_men": 1000, "calcium_oldest": 1200, "vitamin_d_older_mcg": 15,
        "vitamin_d_older_iu": 600, "vitamin_d_oldest_mcg": 20, "vitamin_d_oldest_iu": 800}
    assert companions["calcium_vitamin_d_source"] == "Institute of Medicine (2011)"


def test_interaction_figures_per_medicine():
    overview = figures.interaction_overview_figures()
    assert overview["bisphosphonate_hours"] == 2 and overview["ppi_years"] == YearsSpan(1)
    assert (overview["antibiotic_after_low"], overview["antibiotic_after_high"]) == (4, 6)
    bisphosphonate = figures.medicine_figures(find_medication("alendronate"))
    assert set(bisphosphonate) == {"interactions_source", "bisphosphonate_hours"}
    antibiotic = figures.medicine_figures(find_medication("doxycycline"))
    assert antibiotic["antibiotic_before_hours"] == 2 and "bisphosphonate_hours" not in antibiotic
    assert figures.medicine_figures(find_medication("omeprazole"))["ppi_years"] == YearsSpan(1)
    assert set(figures.medicine_figures(find_medication("furosemide"))) == {
        "interactions_source"}


def test_form_figures_are_the_cores_elemental_shares():
    forms = figures.form_figures()
    assert forms["oxide_percent"] == pytest.approx(60.3, abs=0.05)
    assert forms["citrate_percent"] == pytest.approx(16.2, abs=0.05)


def test_short_source_names():
    assert short_source("Institute of Medicine (1997). Dietary Reference Intakes for ...") == (
        "Institute of Medicine (1997)")
    assert short_source("NIH Office of Dietary Supplements, Magnesium Fact Sheet.") == (
        "NIH Office of Dietary Supplements")


def test_pregnancy_is_asked_from_14_but_taken_when_said_from_9():
    # a 12-year-old girl is not asked whether she is pregnant ...
    assert Profile.from_values({"age": 12, "sex": "female"}).needs() == []
    assert Profile.from_values({"age": 14, "sex": "female"}).needs() == ["life_stage"]
    # ... but when it is said, the IOM "up to 18 years" row answers (400 / 360 mg)
    pregnant = Profile.from_values({"age": 12, "sex": "female", "life_stage": "pregnant"})
    lactating = Profile.from_values({"age": 12, "sex": "female", "life_stage": "lactating"})
    assert (pregnant.intake().magnesium_mg, lactating.intake().magnesium_mg) == (400, 360)
    assert pregnant.intake().pregnant and pregnant.intake().life_stage.startswith("up to 18")
    too_young = Profile.from_values({"age": 8, "sex": "female", "life_stage": "pregnant"})
    assert too_young.intake() is None
