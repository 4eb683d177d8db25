"""Clinical review (issue #15), supplement and ratio replies: the person's own RDA is the
official target, the 2:1 and 1:1 ratios are labelled opinions and never targets above the
RDA; the supplement upper limit is said first and named as the adult one without an age;
chloride hydrate, magnesium oil and Epsom salt replies say what the core knows.

Expected figures: nutrition/data/reference_intakes.yml (woman 51+: magnesium RDA 320 mg,
calcium RDA 1,200 mg at 51-70; supplement UL 350 mg from 9 years, 110 mg at 4-8, 65 mg at
1-3) and supplement_forms.yml (chloride hexahydrate 12.0 %, anhydrous 25.5 %)."""

from __future__ import annotations

import re

import pytest

from actions.supplements import ActionCalciumRatio, ActionSupplementElemental
from tests.actions.computed_support import (
    ent,
    extracted,
    make_tracker,
    profile_events,
    run,
    texts,
)

RATIO = ActionCalciumRatio()
SUPPLEMENT = ActionSupplementElemental()
WOMAN_60 = {"age": 60.0, "sex": "female", "life_stage": "none"}
HER_MESSAGE = "I get 1,200 mg calcium and 320 mg magnesium"


def dose(value, text, msg, role=None, unit="mg"):
    extra = {"role": role} if role else {}
    return ent("amount", value, text, msg, unit=unit, **extra)


def her_entities():
    msg = HER_MESSAGE
    return [dose(1200.0, "1,200 mg", msg, "calcium"), dose(320.0, "320 mg", msg, "magnesium")]


def say(action, msg, entities, slots=None, intent="ask_calcium_ratio"):
    messages, events = run(action, make_tracker(msg, intent, entities, slots))
    assert profile_events(events) == {} and len(messages) == 1
    return texts(messages)


def magnesium_amounts(said: str) -> list[float]:
    """Every "<n> mg of magnesium" figure in a reply."""
    return [float(n.replace(",", "")) for n in re.findall(r"([\d,]+) mg of magnesium", said)]


# ------------------------------------------------------------------------------ item 6


def test_woman_at_both_rdas_is_told_she_is_on_target():
    said = say(RATIO, HER_MESSAGE, her_entities(), WOMAN_60)
    assert "your RDA: 320 mg of magnesium a day" in said
    assert "meets it, so you are on target" in said
    assert "meets your calcium RDA of 1,200 mg" in said
    assert "a lot more calcium" not in said and "far more" not in said
    # no magnesium total above her RDA is presented (600 mg at 2:1, 1,200 mg at 1:1)
    assert all(amount <= 350 for amount in magnesium_amounts(said)), said
    assert "more magnesium than the RDA" in said and "not needed" in said
    assert "opinions of some experts, not official targets" in said
    assert "the rest should come from food" not in said


def test_her_message_through_the_real_extractor():
    entities = extracted(HER_MESSAGE)
    if entities is None:
        pytest.skip("spaCy pipeline not built (python -m nlu.build_pipeline)")
    said = say(RATIO, HER_MESSAGE, entities, WOMAN_60)
    assert "you are on target" in said and "a lot more calcium" not in said


def test_without_a_profile_the_rda_depends_on_age_and_sex_and_is_offered():
    messages, _ = run(RATIO, make_tracker(HER_MESSAGE, "ask_calcium_ratio", her_entities()))
    said = texts(messages)
    assert "depends on age and sex" in said
    assert "I'll work out your own targets" in said
    assert messages[0]["buttons"][0]["payload"] == "/ask_magnesium_need"
    assert "on target" not in said and "a lot more calcium" not in said
    assert all(amount <= 420 for amount in magnesium_amounts(said)), said


def test_magnesium_below_her_rda_says_by_how_much():
    msg = "1200 mg calcium and 200 mg magnesium"
    said = say(RATIO, msg, [dose(1200.0, "1200 mg", msg, "calcium"),
                            dose(200.0, "200 mg", msg, "magnesium")], WOMAN_60)
    assert "200 mg of magnesium is 120 mg short of it" in said
    assert "a lot more calcium than magnesium" in said  # 6:1 and below the RDA


def test_ratio_amounts_within_the_rda_are_labelled_as_opinions():
    msg = "I take 300 mg calcium"
    said = say(RATIO, msg, [dose(300.0, "300 mg", msg, "calcium")], WOMAN_60)
    assert "2:1 would mean about 150 mg of magnesium, and 1:1 would mean 300 mg" in said
    assert "Some experts think" in said and "not official targets" in said
    msg = "I take 400 mg calcium"  # 1:1 would be 400 mg, above her RDA: not shown
    said = say(RATIO, msg, [dose(400.0, "400 mg", msg, "calcium")], WOMAN_60)
    assert "that would mean about 200 mg of magnesium" in said and "1:1 would mean" not in said


# ------------------------------------------------------------------------------ item 7


def supp(msg, entities, slots=None):
    return say(SUPPLEMENT, msg, entities, slots, intent="ask_supplement_elemental")


QUESTION = "Is 500 mg a day from a supplement too much?"


def question_entities():
    return [dose(500.0, "500 mg", QUESTION)]


def test_too_much_question_gets_the_adult_limit_first_without_an_age():
    said = supp(QUESTION, question_entities())
    assert "For adults, the upper limit is 350 mg a day of magnesium from supplements" in said
    assert "Children's limits are lower" in said
    assert "more than the limit" in said
    assert said.index("350 mg") < said.index("Which form is it")
    assert "within the 350 mg" not in said


@pytest.mark.parametrize(("age", "ul"), [(2.0, "65"), (6.0, "110"), (60.0, "350")])
def test_too_much_question_with_an_age_uses_that_age_limit(age, ul):
    said = supp(QUESTION, question_entities(), {"age": age})
    assert f"Your upper limit is {ul} mg a day of magnesium from supplements" in said
    assert "For adults" not in said


def test_too_much_question_with_the_real_extractor():
    entities = extracted(QUESTION)
    if entities is None:
        pytest.skip("spaCy pipeline not built (python -m nlu.build_pipeline)")
    assert "upper limit is 350 mg a day of magnesium from supplements" in supp(QUESTION, entities)


def test_within_the_limit_without_an_age_names_the_adult_limit():
    msg = "200 mg magnesium citrate"
    said = supp(msg, [dose(200.0, "200 mg", msg, "magnesium"),
                      ent("supplement_form", "citrate", "magnesium citrate", msg)])
    assert "within the 350 mg a day upper limit for adults" in said
    assert "Children's limits are lower" in said


def test_too_much_question_under_a_caution_gives_no_limit():
    said = supp(QUESTION, question_entities(), {"medical_caution": "kidney disease"})
    assert "Because you mentioned kidney disease" in said and "350" not in said


# ------------------------------------------------------------------------------ forms


def test_chloride_says_which_hydrate_it_assumed():
    msg = "500 mg magnesium chloride"
    said = supp(msg, [dose(500.0, "500 mg", msg, "magnesium"),
                      ent("supplement_form", "chloride", "magnesium chloride", msg)])
    assert "(hexahydrate)" in said and "about 60 mg" in said
    assert "I assumed the hexahydrate" in said
    assert "If yours is the anhydrous form, the same amount holds about 128 mg" in said


def test_chloride_fraction_says_which_hydrate_it_assumed():
    msg = "how much magnesium is in magnesium chloride"
    said = supp(msg, [ent("supplement_form", "chloride", "magnesium chloride", msg)])
    assert "12% elemental" in said and "I assumed the hexahydrate" in said


def test_chloride_flakes_name_their_hydrate_so_nothing_is_assumed():
    msg = "500 mg magnesium flakes"
    said = supp(msg, [dose(500.0, "500 mg", msg, "magnesium"),
                      ent("supplement_form", "chloride", "magnesium flakes", msg)])
    assert "(hexahydrate)" in said and "assumed" not in said


def test_magnesium_oil_is_a_skin_spray_without_an_absorption_claim():
    msg = "how much magnesium is in magnesium oil"
    said = supp(msg, [ent("supplement_form", "chloride", "magnesium oil", msg)])
    assert "sprayed on the skin, not swallowed" in said
    assert "absorbed" not in said


def test_epsom_salt_gets_its_laxative_note():
    msg = "how much magnesium is in epsom salt"
    said = supp(msg, [ent("supplement_form", "sulfate", "epsom salt", msg)])
    assert "heptahydrate" in said and "works as a laxative" in said
