"""The pure resolution of people (nutrition/people.py) and of follow-ups
(nutrition/followup.py): who a message is about, others kept apart from the user, and what
a follow-up asks given the last answer. Expected figures come from the core's tables."""

from __future__ import annotations

import pytest

from nutrition.followup import (
    LastAnswer,
    Said,
    carried_amount,
    hypothetical,
    is_followup_wording,
    label_guide,
    more_foods,
    percent_of,
    resolve,
    share_level,
)
from nutrition.intake import daily_value_mg, recommended_intake
from nutrition.people import (
    SELF,
    Facts,
    Person,
    Subject,
    answerable,
    generic_noun,
    is_relation,
    merge,
    message_subject,
    people_from_value,
    people_value,
    with_person,
    words,
)
from nutrition.profile import NOT_STATED, Profile

DAUGHTER = {"daughter": Person("daughter", 12.0, "female")}
FAMILY = {"daughter": Person("daughter", 12.0, "female"),
          "husband": Person("husband", 66.0, "male")}


# ------------------------------------------------------------------------------ who


@pytest.mark.parametrize(("text", "label", "sex"), [
    ("my daughter is 12", "daughter", "female"),
    ("and my husband, he's 66", "husband", "male"),
    ("my mother, she's 70", "mother", "female"),
    ("how much does my mum need", "mother", "female"),
    ("my son is 15", "son", "male"),
    ("my 8 month old baby", "baby", None),
    ("my partner is 40", "partner", None),
])
def test_a_relative_named_is_someone_else(text, label, sex):
    subject = message_subject(text, {})
    assert (subject.kind, subject.label, subject.sex) == ("other", label, sex)
    assert not subject.generic


@pytest.mark.parametrize(("text", "label", "sex"), [
    ("a 70 year old man", "a man", "male"),
    ("how much magnesium does a 45 year old woman need", "a woman", "female"),
    ("what about for a man?", "a man", "male"),
    ("and for a girl?", "a girl", "female"),
    ("how much for a child of 6", "a child", None),
])
def test_someone_named_by_a_noun_is_someone_else(text, label, sex):
    subject = message_subject(text, {})
    assert (subject.kind, subject.label, subject.sex, subject.generic) == \
        ("other", label, sex, True)


@pytest.mark.parametrize("text", [
    "I'm a 50 year old woman. Today I had almonds. Did I reach my target?",
    "I am a 62 year old man",
    "what about me?",
    "and me?",
    "how much do I need",
    "i\u2019m a woman",
])
def test_the_users_own_words_are_the_user(text):
    assert message_subject(text, FAMILY).kind == "self"


def test_pronouns_mean_the_last_person_of_that_sex():
    assert message_subject("she's 13 now", FAMILY).label == "daughter"
    assert message_subject("how much does he need?", FAMILY).label == "husband"
    assert message_subject("and for him?", FAMILY).label == "husband"
    # the last one mentioned wins
    two_women = {"mother": Person("mother", 70.0, "female"), **DAUGHTER}
    assert message_subject("is that enough for her?", two_women).label == "daughter"


def test_a_pronoun_with_nobody_of_that_sex_is_unresolved_never_guessed():
    subject = message_subject("how much does he need?", DAUGHTER)
    assert (subject.kind, subject.label, subject.word) == ("unresolved", None, "he")
    assert message_subject("she is 12", {}).kind == "unresolved"


def test_words_about_nobody():
    assert message_subject("and 2 ounces?", FAMILY).kind == "none"
    assert message_subject("NaN", {}).kind == "none"


def test_words_split_the_possessive_and_read_curly_apostrophes():
    assert words("He\u2019s my dad's age") == ["he", "my", "dad", "age"]


# ------------------------------------------------------------------------------ kept apart


def test_someone_else_is_added_last_and_merged_with_the_message_facts():
    people = with_person(FAMILY, Subject("other", "daughter", "female"), Facts(age=13.0))
    assert list(people) == ["husband", "daughter"]
    assert people["daughter"].age == 13.0
    assert FAMILY["daughter"].age == 12.0  # the input is not changed


def test_the_sex_of_the_word_wins_over_a_stray_sex_entity():
    people = with_person({}, Subject("other", "son", "male"), Facts(age=15.0, sex="female"))
    assert people["son"].sex == "male"


def test_people_slot_round_trip_drops_unusable_values():
    value = people_value(FAMILY)
    assert people_from_value(value) == FAMILY
    read = people_from_value({"son": {"age": -3, "sex": "robot"}, "": {}, "x": "junk"})
    assert read["son"] == Person("son") and "" not in read


def test_merge_follows_the_profile_form_rules():
    woman = merge(Profile(), Facts(age=50.0, sex="female"))
    assert woman == Profile(50.0, "female", NOT_STATED)  # said together: answered at once
    assert merge(Profile(30.0, "female", "pregnant"), Facts(sex="male")).life_stage is None
    assert merge(Profile(30.0), Facts(life_stage="lactating")).sex == "female"
    assert merge(Profile(60.0, "female"), Facts(life_stage="pregnant")).life_stage == "none"


def test_someone_elses_figures_need_no_pregnancy_question():
    daughter = Person("daughter", 16.0, "female")
    assert daughter.needs() == []
    assert daughter.profile().life_stage == NOT_STATED
    expected = recommended_intake(age_years=16.0, sex="female").magnesium_mg
    assert daughter.profile().intake().magnesium_mg == expected
    assert Person("partner", 40.0).needs() == ["sex"]
    assert Person("husband").needs() == ["age"]
    assert answerable(Profile(40.0, "male")) == Profile(40.0, "male")


def test_relations_and_nouns():
    assert is_relation("daughter") and is_relation("child") and not is_relation("a child")
    assert generic_noun("a child") == "child" and generic_noun("son") == "son"


# ------------------------------------------------------------------------------ follow-ups

CASHEWS = LastAnswer(kind="food", food="cashews", amount=1.0, unit="oz", person=SELF,
                     category="nuts_seeds", figure_mg=80.0)
INTAKE = LastAnswer(kind="intake", person="daughter", figure_mg=240.0)


def test_another_amount_reuses_the_last_food():
    result = resolve(Said(amount=2.0, unit="oz"), CASHEWS, "and 2 ounces?")
    assert (result.kind, result.food, result.amount, result.unit) == \
        ("food", "cashews", 2.0, "oz")


def test_another_food_reuses_the_last_amount():
    result = resolve(Said(foods=("walnuts",)), CASHEWS, "what about walnuts?")
    assert (result.kind, result.food, result.amount, result.unit) == \
        ("food", "walnuts", 1.0, "oz")
    assert carried_amount("what about walnuts?", False, CASHEWS) == (1.0, "oz")
    assert carried_amount("how much magnesium in walnuts", False, CASHEWS) is None
    assert carried_amount("and walnuts?", True, CASHEWS) is None


def test_another_age_or_stage_changes_the_last_persons_profile_as_a_what_if():
    result = resolve(Said(facts=Facts(age=16.0)), INTAKE, "and at 16?")
    assert (result.kind, result.person, result.facts.age, result.hypothetical) == \
        ("intake", "daughter", 16.0, True)
    she = Subject("other", "daughter", "female", "she")
    result = resolve(Said(facts=Facts(life_stage="lactating"), subject=she), INTAKE,
                     "and if she were breastfeeding?")
    assert (result.kind, result.facts.life_stage, result.hypothetical) == \
        ("intake", "lactating", True)


def test_me_goes_back_to_the_user():
    result = resolve(Said(subject=Subject("self")), INTAKE, "what about me?")
    assert (result.kind, result.person) == ("intake", SELF)


def test_a_person_change_after_a_food_keeps_the_food():
    son = Subject("other", "son", "male", "son")
    result = resolve(Said(subject=son), CASHEWS, "and for my son?")
    assert (result.kind, result.food, result.person) == ("food", "cashews", "son")


@pytest.mark.parametrize("said", [
    Said(amount=2.0, unit="oz"),
    Said(facts=Facts(age=16.0)),
    Said(subject=Subject("self")),
    Said(ask="is_that_a_lot"),
    Said(ask="source"),
    Said(ask="more"),
    Said(),
])
def test_nothing_to_refer_to_gets_a_question_back(said):
    result = resolve(said, LastAnswer(), "and 2 ounces?")
    assert result.kind == "clarify"
    assert result.question in ("what", "which_food")


def test_an_amount_after_an_answer_that_had_no_food_asks_which_food():
    assert resolve(Said(amount=2.0, unit="oz"), INTAKE).question == "which_food"


def test_an_unresolved_pronoun_asks_who():
    unresolved = Subject("unresolved", None, "male", "he")
    assert resolve(Said(subject=unresolved), CASHEWS).question == "who"


def test_asks_about_the_last_answer():
    assert resolve(Said(ask="is_that_a_lot"), CASHEWS).kind == "is_that_a_lot"
    assert resolve(Said(ask="source"), INTAKE).kind == "source"
    assert resolve(Said(ask="more"), CASHEWS).kind == "more"
    assert resolve(Said(ask="more"), INTAKE).kind == "clarify"
    topic = LastAnswer(kind="topic", topic="ask_what_is_magnesium")
    assert resolve(Said(ask="is_that_a_lot"), topic).kind == "clarify"


def test_last_answer_from_slots_ignores_junk():
    last = LastAnswer.from_slots({"last_answer_kind": "nonsense", "last_amount": "two",
                                  "last_figure_mg": float("nan"), "last_shown": "x"})
    assert last == LastAnswer()
    last = LastAnswer.from_slots({"last_answer_kind": "food", "last_amount": 2,
                                  "last_shown": ["almonds"]})
    assert (last.kind, last.amount, last.shown) == ("food", 2.0, ("almonds",))


def test_wording_checks():
    assert is_followup_wording("And 2 ounces?") and is_followup_wording("what about walnuts")
    assert not is_followup_wording("how much magnesium in walnuts")
    assert hypothetical("and if she were breastfeeding?") and hypothetical("and at 16?")
    assert not hypothetical("my son is 15")


def test_more_foods_skips_those_shown():
    assert more_foods(["a", "b", "c", "d"], ["b"], 2) == ["a", "c"]
    assert more_foods(["a"], ["a"], 3) == []


def test_the_label_guide_reads_a_share():
    guide = label_guide()
    assert guide.low_percent < guide.high_percent and "Food and Drug" in guide.source
    assert share_level(guide.high_percent, guide.low_percent, guide.high_percent) == "high"
    assert share_level(guide.low_percent, guide.low_percent, guide.high_percent) == "low"
    middle = (guide.low_percent + guide.high_percent) / 2
    assert share_level(middle, guide.low_percent, guide.high_percent) == "medium"
    assert percent_of(daily_value_mg(), daily_value_mg()) == pytest.approx(100.0)
    assert percent_of(5.0, 0.0) == 0.0
