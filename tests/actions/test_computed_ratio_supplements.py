"""action_calcium_ratio and action_supplement_elemental: 2:1 and 1:1 amounts, the upper
limit for supplements (the person's own when known), warnings, safety, bad amounts.

Expected figures: nutrition-facts.md (UL 350 mg from 9 years, 110 mg at 4-8 years; 500 mg
magnesium oxide holds about 302 mg magnesium; citrate 16.2 %; Epsom salt 9.9 %)."""

from __future__ import annotations

import pytest

from actions.supplements import ActionCalciumRatio, ActionSupplementElemental
from tests.actions.computed_support import ent, extracted, make_tracker, profile_events, run, texts

RATIO = ActionCalciumRatio()
SUPPLEMENT = ActionSupplementElemental()
WOMAN_54 = {"age": 54.0, "sex": "female", "life_stage": "none"}


def say(action, msg, entities, slots=None, intent="ask_calcium_ratio"):
    messages, events = run(action, make_tracker(msg, intent, entities, slots))
    assert profile_events(events) == {}
    assert len(messages) == 1
    return texts(messages)


def dose(value, text, msg, role, unit="mg"):
    return ent("amount", value, text, msg, unit=unit, role=role)


# ------------------------------------------------------------------------------ ratio


def test_calcium_1200_without_a_profile_names_the_adult_rda_not_ratio_amounts():
    msg = "I take 1200 mg calcium, how much magnesium?"
    said = say(RATIO, msg, [dose(1200.0, "1200 mg", msg, "calcium")])
    # the official target first; it depends on age and sex, and the bot offers to work it out
    assert "310 to 420 mg a day" in said and "depends on age and sex" in said
    assert "/ask_magnesium_need" in str(run(RATIO, make_tracker(
        msg, "ask_calcium_ratio", [dose(1200.0, "1200 mg", msg, "calcium")]))[0])
    # 600 mg (2:1) and 1,200 mg (1:1) of magnesium are above any adult RDA: never given
    assert "600" not in said and "more magnesium than the RDA" in said
    assert "no more than 350 mg of magnesium a day should come from supplements" in said
    assert "upper limit for adults" in said and "children's limits are lower" in said
    assert "the rest should come from food" not in said
    assert "opinions of some experts" in said
    assert "Source:" in said


def test_1500_calcium_with_100_magnesium_is_15_to_1_and_too_high():
    msg = "1500 mg calcium and 100 mg magnesium"
    said = say(RATIO, msg, [dose(1500.0, "1500 mg", msg, "calcium"),
                            dose(100.0, "100 mg", msg, "magnesium")])
    assert "ratio is about 15:1" in said
    assert "a lot more calcium than magnesium" in said


def test_balanced_ratio_is_not_flagged():
    msg = "1000 mg calcium and 500 mg magnesium"
    said = say(RATIO, msg, [dose(1000.0, "1000 mg", msg, "calcium"),
                            dose(500.0, "500 mg", msg, "magnesium")])
    assert "about 2:1" in said and "a lot more calcium" not in said
    # 500 mg might be from supplements: above the UL, and never suggested
    assert "above the 350 mg upper limit" in said


def test_the_persons_own_upper_limit_is_used():
    msg = "I give my child 600 mg calcium"
    said = say(RATIO, msg, [dose(600.0, "600 mg", msg, "calcium")],
               {"people": {"child": {"age": 6.0}}, "age": 70.0, "sex": "female"})
    assert "Here are the figures for your child." in said
    assert "no more than 110 mg of magnesium a day" in said and "That is your upper limit" in said
    assert "130 mg of magnesium a day" in said  # the child's RDA, not the user's


def test_baby_has_no_supplement_limit():
    msg = "260 mg calcium"
    said = say(RATIO, msg, [dose(260.0, "260 mg", msg, "calcium")], {"age": 0.5})
    assert "There's no upper limit for babies" in said


def test_calcium_in_grams():
    msg = "I take 0.5 g of calcium"
    said = say(RATIO, msg, [dose(0.5, "0.5 g", msg, "calcium", unit="g")], WOMAN_54)
    # 2:1 is 250 mg, under her 320 mg RDA: shown, labelled as an opinion; 1:1 (500 mg) is not
    assert "For 500 mg of calcium" in said and "about 250 mg" in said
    assert "500 mg of magnesium" not in said and "opinions of some experts" in said


@pytest.mark.parametrize("reason", ["kidney disease", "alendronate"])
def test_caution_gives_no_supplement_amount(reason):
    msg = "I take 1200 mg calcium"
    said = say(RATIO, msg, [dose(1200.0, "1200 mg", msg, "calcium")],
               {**WOMAN_54, "medical_caution": reason})
    assert f"Because you mentioned {reason}" in said
    assert "350" not in said and "600" not in said  # no magnesium amount at all


def test_without_a_calcium_dose_the_ratios_are_explained():
    said = say(RATIO, "what is the right calcium to magnesium ratio", [])
    assert "2:1" in said and "1:1" in said and "Tell me how many milligrams" in said
    assert "official targets are the RDAs" in said and "opinion, not an official target" in said


@pytest.mark.parametrize("value", [0.0, float("nan"), float("inf"), -100.0, 1e9])
def test_bad_calcium_values_get_a_clear_answer(value):
    msg = "I take x mg calcium"
    said = say(RATIO, msg, [dose(value, "x mg", msg, "calcium")])
    assert "couldn't use" in said
    assert "mg of magnesium a day" not in said


def test_zero_magnesium():
    msg = "1200 mg calcium and 0 mg magnesium"
    said = say(RATIO, msg, [dose(1200.0, "1200 mg", msg, "calcium"),
                            dose(0.0, "0 mg", msg, "magnesium")])
    assert "With no magnesium at all" in said


@pytest.mark.parametrize("written", ["1e309", "-1200", "NaN"])
def test_unreadable_calcium_written_in_the_text(written):
    said = say(RATIO, f"I take {written} mg calcium", [])
    assert f'couldn\'t use "{written}"' in said


def test_ratio_with_the_real_extractor_when_built():
    msg = "I take 1500 mg calcium and 100 mg magnesium"
    entities = extracted(msg)
    if entities is None:
        pytest.skip("spaCy pipeline not built (python -m nlu.build_pipeline)")
    assert "about 15:1" in say(RATIO, msg, entities)


# ------------------------------------------------------------------------------ supplements


def supp(msg, entities, slots=None):
    return say(SUPPLEMENT, msg, entities, slots, intent="ask_supplement_elemental")


def test_500_mg_magnesium_oxide_holds_about_302_mg():
    msg = "how much magnesium is in a 500 mg magnesium oxide tablet"
    said = supp(msg, [dose(500.0, "500 mg", msg, "magnesium"),
                      ent("supplement_form", "oxide", "magnesium oxide", msg)])
    assert "500 mg of magnesium oxide contains about 302 mg of elemental magnesium" in said
    assert "60.3%" in said
    assert "within the 350 mg a day upper limit for adults" in said
    assert "Children's limits are lower" in said
    assert "absorbed less completely" in said
    assert "go by that figure" in said


def test_form_without_a_dose_gives_the_fraction():
    msg = "how much elemental magnesium in magnesium citrate"
    said = supp(msg, [ent("supplement_form", "citrate", "magnesium citrate", msg)])
    assert "Magnesium citrate is about 16.2% elemental magnesium" in said
    assert "absorbed fairly well" in said


def test_epsom_salt_is_the_heptahydrate():
    msg = "how much magnesium is in epsom salt"
    said = supp(msg, [ent("supplement_form", "sulfate", "epsom salt", msg)])
    assert "heptahydrate" in said and "9.9%" in said


def test_dose_above_the_upper_limit_is_flagged_and_nothing_more_suggested():
    msg = "I take 800 mg magnesium oxide a day"
    said = supp(msg, [dose(800.0, "800 mg", msg, "magnesium"),
                      ent("supplement_form", "oxide", "magnesium oxide", msg)])
    assert "about 482 mg" in said
    assert "more than the 350 mg a day upper limit for adults" in said
    assert "within" not in said


def test_child_upper_limit_applies():
    msg = "500 mg magnesium oxide for my son"
    said = supp(msg, [dose(500.0, "500 mg", msg, "magnesium"),
                      ent("supplement_form", "oxide", "magnesium oxide", msg)],
                  {"people": {"son": {"age": 6.0, "sex": "male"}}, "age": 40.0})
    assert "more than the 110 mg a day upper limit" in said


def test_grams_are_converted():
    msg = "magnesium sulfate 1 gram, how much magnesium"
    said = supp(msg, [ent("supplement_form", "sulfate", "magnesium sulfate", msg),
                      dose(1.0, "1 gram", msg, "magnesium", unit="g")])
    assert "1,000 mg of magnesium sulfate contains about 202 mg" in said


def test_caution_gives_the_content_but_no_limit_advice():
    msg = "500 mg magnesium citrate"
    said = supp(msg, [dose(500.0, "500 mg", msg, "magnesium"),
                      ent("supplement_form", "citrate", "magnesium citrate", msg)],
                {**WOMAN_54, "medical_caution": "kidney disease"})
    assert "about 81 mg" in said
    assert "Because you mentioned kidney disease" in said
    assert "upper limit" not in said


def test_dose_without_a_form_says_the_limit_then_asks_which_form():
    msg = "I take 400 mg of magnesium"
    said = supp(msg, [dose(400.0, "400 mg", msg, "magnesium")])
    assert "Which form is it" in said
    assert said.index("350 mg a day of magnesium from supplements") < said.index("Which form")


def test_unknown_form_lists_the_known_ones():
    msg = "500 mg magnesium unobtainium"
    said = supp(msg, [dose(500.0, "500 mg", msg, "magnesium"),
                      {"entity": "supplement_form", "value": "unobtainium"}])
    assert "I don't know that magnesium form" in said and "magnesium citrate" in said


@pytest.mark.parametrize("value", [float("nan"), -5.0, float("inf")])
def test_bad_supplement_amounts(value):
    msg = "x mg magnesium oxide"
    said = supp(msg, [dose(value, "x mg", msg, "magnesium"),
                      ent("supplement_form", "oxide", "magnesium oxide", msg)])
    assert "contains about" not in said
    assert 'couldn\'t use "x mg"' in said
