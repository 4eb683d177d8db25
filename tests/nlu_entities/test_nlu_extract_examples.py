"""Behaviour of extract() on the cases the entity format promises (see nlu/normalise.py)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def extract(built_pipeline):
    from nlu.extract import extract as run

    return lambda text: run(text, built_pipeline)


def pick(entities, kind):
    return [e for e in entities if e["entity"] == kind]


def surface(text, entity):
    return text[entity["start"] : entity["end"]]


def test_diary_pairs_each_amount_with_its_food(extract):
    text = "today I had 2 slices of whole wheat bread, a banana and one ounce of almonds"
    entities = extract(text)
    assert [(e["entity"], surface(text, e)) for e in entities] == [
        ("amount", "2 slices"),
        ("food", "whole wheat bread"),
        ("food", "banana"),
        ("amount", "one ounce"),
        ("food", "almonds"),
    ]
    amounts, foods = pick(entities, "amount"), pick(entities, "food")
    assert [(a["value"], a["unit"]) for a in amounts] == [(2.0, "slice"), (1.0, "oz")]
    assert all(isinstance(a["value"], float) for a in amounts)
    assert [f["value"] for f in foods] == ["whole_wheat_bread", "banana", "almonds"]
    assert amounts[0]["group"] == foods[0]["group"] != amounts[1]["group"] == foods[2]["group"]
    assert "group" not in foods[1]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("1 oz", 1.0, "oz"),
        ("2 cups", 2.0, "cup"),
        ("half a cup", 0.5, "cup"),
        ("a handful", 1.0, "handful"),
        ("100 g", 100.0, "g"),
        ("100g", 100.0, "g"),
        ("1,200 mg", 1200.0, "mg"),
        ("3.5 oz", 3.5, "oz"),
        ("two slices", 2.0, "slice"),
        ("1 tbsp", 1.0, "tbsp"),
        ("one ounce", 1.0, "oz"),
        ("a cup of", 1.0, "cup"),
        ("1/2 cup", 0.5, "cup"),
        ("1 1/2 cups", 1.5, "cup"),
        ("one and a half cups", 1.5, "cup"),
        ("a cup and a half", 1.5, "cup"),
        ("2-3 cups", 2.5, "cup"),
        ("8 fl oz", 8.0, "fl_oz"),
        ("\u00bd cup", 0.5, "cup"),
        ("a couple of slices", 2.0, "slice"),
        ("1/2 a cup", 0.5, "cup"),
    ],
)
def test_amount_and_unit_phrases(extract, text, value, unit):
    amounts = pick(extract(f"I had {text} yesterday"), "amount")
    assert [(a["value"], a["unit"]) for a in amounts] == [(value, unit)]


@pytest.mark.parametrize(
    ("text", "value", "role"),
    [
        ("1200 mg calcium", 1200.0, "calcium"),
        ("100 mg of magnesium", 100.0, "magnesium"),
        ("calcium 1,200mg", 1200.0, "calcium"),
        ("400 mg magnesium glycinate", 400.0, "magnesium"),
        ("magnesium citrate 200 mg", 200.0, "magnesium"),
        ("350 mg", 350.0, None),
    ],
)
def test_nutrient_doses_carry_the_nutrient_as_role(extract, text, value, role):
    [amount] = pick(extract(f"I take {text}"), "amount")
    assert (amount["value"], amount["unit"], amount.get("role")) == (value, "mg", role)


def test_two_doses_get_their_own_nutrients(extract):
    for text in (
        "I take 1000 mg calcium and 500 mg magnesium",
        "calcium 1000 mg and magnesium 500 mg",
        "calcium 1000 mg magnesium 500 mg",
    ):
        roles = [(a["value"], a["role"]) for a in pick(extract(text), "amount")]
        assert roles == [(1000.0, "calcium"), (500.0, "magnesium")], text


@pytest.mark.parametrize(
    ("text", "value", "unit", "span"),
    [
        ("54", 54.0, "years", "54"),
        ("I'm 54", 54.0, "years", "54"),
        ("54 years old", 54.0, "years", "54 years old"),
        ("aged 54", 54.0, "years", "aged 54"),
        ("54 yo", 54.0, "years", "54 yo"),
        ("54yo", 54.0, "years", "54yo"),
        ("a 54-year-old woman", 54.0, "years", "54-year-old"),
        ("my 8 month old", 8.0, "months", "8 month old"),
        ("she is 8 months old", 8.0, "months", "8 months old"),
        ("fifty four", 54.0, "years", "fifty four"),
    ],
)
def test_ages(extract, text, value, unit, span):
    [age] = pick(extract(text), "age")
    assert (age["value"], age["unit"], surface(text, age)) == (value, unit, span)
    assert "approximate" not in age


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("in my fifties", 55.0),
        ("in my 50s", 55.0),
        ("in her early sixties", 62.0),
        ("in my mid-forties", 45.0),
        ("in his late 70's", 78.0),
    ],
)
def test_decades_give_an_approximate_age(extract, text, value):
    [age] = pick(extract(text), "age")
    assert (age["value"], age["unit"], age["approximate"]) == (value, "years", True)


@pytest.mark.parametrize(
    "text",
    [
        "1200 mg",
        "I take 1200",
        "I'm 54 kg",
        "I walk 54 minutes",
        "I'm 500",
        "page 54 of the book",
        "I'm 5 foot 4",
        "I'm 11 stone",
        "I'm 38 weeks pregnant",
    ],
)
def test_numbers_that_are_not_ages(extract, text):
    assert pick(extract(text), "age") == []


@pytest.mark.parametrize(
    ("text", "sex"),
    [
        ("woman", "female"), ("I'm a man", "male"), ("my daughter", "female"),
        ("my son", "male"), ("my wife", "female"), ("my husband", "male"),
        ("my mother", "female"), ("my father", "male"), ("a lady", "female"),
        ("some guy", "male"), ("girl", "female"), ("boy", "male"),
    ],
)  # fmt: skip
def test_sex_words(extract, text, sex):
    assert [e["value"] for e in pick(extract(text), "sex")] == [sex]


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("I'm pregnant", "pregnant"),
        ("I'm expecting", "pregnant"),
        ("I'm breastfeeding", "lactating"),
        ("still nursing", "lactating"),
        ("lactating", "lactating"),
        ("post-menopausal", "postmenopausal"),
        ("postmenopausal", "postmenopausal"),
        ("after menopause", "postmenopausal"),
        ("menopause", "postmenopausal"),
        ("pre-menopausal", "premenopausal"),
    ],
)
def test_life_stages(extract, text, stage):
    assert [e["value"] for e in pick(extract(text), "life_stage")] == [stage]


@pytest.mark.parametrize(
    "text",
    ["I'm a nurse", "she works in a nursing home", "I was expecting more", "lactate threshold"],
)
def test_life_stage_look_alikes(extract, text):
    assert pick(extract(text), "life_stage") == []


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("oxide", "oxide"), ("magnesium citrate", "citrate"), ("glycinate", "bisglycinate"),
        ("bisglycinate", "bisglycinate"), ("chloride", "chloride"), ("lactate", "lactate"),
        ("aspartate", "aspartate"), ("malate", "malate"), ("threonate", "threonate"),
        ("sulfate", "sulfate"), ("Epsom salt", "sulfate"),
    ],
)  # fmt: skip
def test_supplement_forms(extract, text, form):
    assert [e["value"] for e in pick(extract(text), "supplement_form")] == [form]


@pytest.mark.parametrize(
    ("text", "drug", "drug_class"),
    [
        ("alendronate", "alendronate", "bisphosphonates"),
        ("Fosamax", "alendronate", "bisphosphonates"),
        ("risedronate", "risedronate", "bisphosphonates"),
        ("Actonel", "risedronate", "bisphosphonates"),
        ("ibandronate", "ibandronate", "bisphosphonates"),
        ("Boniva", "ibandronate", "bisphosphonates"),
        ("zoledronic acid", "zoledronic_acid", "bisphosphonates"),
        ("doxycycline", "doxycycline", "tetracycline_antibiotics"),
        ("ciprofloxacin", "ciprofloxacin", "quinolone_antibiotics"),
        ("omeprazole", "omeprazole", "proton_pump_inhibitors"),
        ("PPIs", "proton_pump_inhibitors", "proton_pump_inhibitors"),
        ("furosemide", "furosemide", "loop_thiazide_diuretics"),
        ("thiazide diuretics", "loop_thiazide_diuretics", "loop_thiazide_diuretics"),
        ("spironolactone", "spironolactone", "potassium_sparing_diuretics"),
    ],
)
def test_medications_carry_their_class_as_role(extract, text, drug, drug_class):
    [medication] = pick(extract(f"I take {text}"), "medication")
    assert (medication["value"], medication["role"]) == (drug, drug_class)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("almonds", "almonds"), ("Almond", "almonds"), ("ALMONDS", "almonds"),
        ("pumpkin seeds", "pumpkin_seeds"), ("Pumpkin Seed", "pumpkin_seeds"),
        ("pepitas", "pumpkin_seeds"), ("swiss chard", "swiss_chard_raw"),
        ("black-eyed peas", "black_eyed_peas"), ("black eyed peas", "black_eyed_peas"),
        ("Black Eyed Pea", "black_eyed_peas"),
    ],
)  # fmt: skip
def test_food_names_by_case_and_lemma(extract, text, key):
    foods = pick(extract(f"I eat {text} often"), "food")
    assert [(f["value"], surface(f"I eat {text} often", f)) for f in foods] == [(key, text)]


def test_lemma_matching_does_not_merge_unrelated_words(extract):
    # the lookup table lemmatises "liver" to "live"
    assert pick(extract("I live alone and love it"), "food") == []
    assert [f["value"] for f in pick(extract("I ate liver"), "food")] == ["beef_liver"]


def test_counts_before_a_food_are_amounts_in_pieces(extract):
    text = "I ate two bananas, half an avocado, 1/2 an apple and a couple of eggs"
    amounts = pick(extract(text), "amount")
    assert [(a["value"], a["unit"]) for a in amounts] == [
        (2.0, "piece"),
        (0.5, "piece"),
        (0.5, "piece"),
        (2.0, "piece"),
    ]
    assert pick(extract("I ate a banana"), "amount") == []


def test_size_words_measure_only_before_a_food(extract):
    assert [(a["value"], a["unit"]) for a in pick(extract("a large apple"), "amount")] == [
        (1.0, "large")
    ]
    assert pick(extract("I'm a big fan of this"), "amount") == []


def test_two_numbers_before_a_unit_or_food_keep_the_last(extract):
    text = "I take one 500 mg tablet and ate one 2 bananas"
    amounts = pick(extract(text), "amount")
    assert [(a["value"], a["unit"], surface(text, a)) for a in amounts] == [
        (500.0, "mg", "500 mg"),
        (2.0, "piece", "2"),
    ]
    assert [f["value"] for f in pick(extract(text), "food")] == ["banana"]


def test_abbreviation_full_stop_does_not_split_amount_and_food(extract):
    text = "3 Tbsp. peanut butter. 2 cups. Almonds are nice"
    entities = extract(text)
    assert [(e["entity"], surface(text, e), e.get("group")) for e in entities] == [
        ("amount", "3 Tbsp", "1"),
        ("food", "peanut butter", "1"),
        ("amount", "2 cups", None),
        ("food", "Almonds", None),
    ]


@pytest.mark.parametrize(
    "text",
    ["is there a link between magnesium and bones", "thanks a bunch", "I have a head cold",
     "a bunch of questions", "a pat on the back", "a piece of advice"],
)  # fmt: skip
def test_article_with_an_everyday_noun_unit_needs_a_food(extract, text):
    assert pick(extract(text), "amount") == []


@pytest.mark.parametrize(
    ("text", "unit"),
    [("a bunch of grapes", "bunch"), ("about a piece", "piece"), ("a can of sardines", "can")],
)
def test_article_with_an_everyday_noun_unit_before_a_food_or_alone(extract, text, unit):
    assert [(a["value"], a["unit"]) for a in pick(extract(text), "amount")] == [(1.0, unit)]


@pytest.mark.parametrize(
    ("text", "age", "sex"),
    [
        ("im 50 f", 50.0, "female"),
        ("I'm 61, M", 61.0, "male"),
        ("F, 54 years old", 54.0, "female"),
        ("I am a lady of 80", 80.0, "female"),
        ("a man of 65", 65.0, "male"),
    ],
)
def test_short_age_and_sex_answers(extract, text, age, sex):
    entities = extract(text)
    assert [e["value"] for e in pick(entities, "age")] == [age]
    assert [e["value"] for e in pick(entities, "sex")] == [sex]


def test_nutrient_before_a_dose_through_a_few_words(extract):
    [amount] = pick(extract("my calcium supplement is 1200mg"), "amount")
    assert (amount["value"], amount["role"]) == (1200.0, "calcium")
