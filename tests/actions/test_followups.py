"""action_followup and the people handling of the answer actions, with real rasa_sdk
trackers: the figures are the core's, the slots set are checked, and the user's own
profile is never changed by an answer about someone else."""

from __future__ import annotations

from actions.followups import ActionFollowup
from actions.foods import ActionFoodMagnesium, ActionRichFoods
from actions.intake import ActionRecommendedIntake
from actions.privacy import ActionListStoredData
from actions.replies import mg, percent
from nutrition.followup import label_guide, percent_of
from nutrition.foods import food_info, magnesium_in_portion
from nutrition.intake import daily_value_mg, recommended_intake, table_source
from tests.actions.computed_support import (
    DOMAIN,
    ent,
    make_tracker,
    profile_events,
    run,
    slot_events,
    texts,
)

FOLLOWUP = ActionFollowup()
FOOD = ActionFoodMagnesium()
INTAKE = ActionRecommendedIntake()
CASHEWS_1_OZ = {"last_answer_kind": "food", "last_food": "cashews", "last_amount": 1.0,
                "last_unit": "oz", "last_person": "me", "last_category": "nuts_seeds",
                "last_figure_mg": magnesium_in_portion("cashews", 1, "oz").magnesium_mg}
FAMILY = {"daughter": {"age": 12.0, "sex": "female", "life_stage": None},
          "husband": {"age": 66.0, "sex": "male", "life_stage": None}}
WOMAN_54 = {"age": 54.0, "sex": "female", "life_stage": "none"}


def response(name: str) -> str:
    return DOMAIN["responses"][name][0]["text"]


def follow(text, intent="ask_followup", entities=(), slots=None):
    messages, events = run(FOLLOWUP, make_tracker(text, intent, list(entities), slots))
    return texts(messages), slot_events(events)


def rda(age, sex, **stage):
    return recommended_intake(age_years=age, sex=sex, **stage).magnesium_mg


def test_another_amount_reuses_the_last_food_and_is_kept():
    msg = "and 2 ounces?"
    said, slots = follow(msg, entities=[ent("amount", 2.0, "2 ounces", msg, unit="oz")],
                         slots=CASHEWS_1_OZ)
    figure = magnesium_in_portion("cashews", 2, "oz").magnesium_mg
    assert f"2 oz: about {mg(figure)} mg" in said
    assert (slots["last_food"], slots["last_amount"], slots["last_unit"]) == \
        ("cashews", 2.0, "oz")
    assert slots["last_figure_mg"] == figure


def test_another_food_named_in_a_food_question_reuses_the_amount():
    msg = "what about walnuts?"
    messages, events = run(FOOD, make_tracker(msg, "ask_food_magnesium",
                                              [ent("food", "walnuts", "walnuts", msg)],
                                              CASHEWS_1_OZ))
    figure = magnesium_in_portion("walnuts", 1, "oz").magnesium_mg
    assert f"Walnuts, 1 oz: about {mg(figure)} mg" in texts(messages)
    assert profile_events(events) == {}


def test_a_first_food_question_keeps_the_typical_serving_unsaid_as_an_amount():
    msg = "how much magnesium in walnuts"
    _, events = run(FOOD, make_tracker(msg, "ask_food_magnesium",
                                       [ent("food", "walnuts", "walnuts", msg)]))
    slots = slot_events(events)
    assert slots["last_food"] == "walnuts" and slots["last_amount"] is None
    assert slots["last_answer_kind"] == "food"


def test_an_amount_with_nothing_to_refer_to_asks_which_food():
    msg = "and 2 ounces?"
    said, slots = follow(msg, entities=[ent("amount", 2.0, "2 ounces", msg, unit="oz")])
    assert said == response("utter_followup_clarify_which_food")
    assert slots == {}


def test_is_that_a_lot_uses_the_persons_target_or_says_daily_value():
    figure = CASHEWS_1_OZ["last_figure_mg"]
    said, _ = follow("is that a lot?", "ask_is_that_a_lot", slots=CASHEWS_1_OZ)
    share = percent_of(figure, daily_value_mg())
    assert f"{percent(share)}% of the {mg(daily_value_mg())} mg Daily Value" in said
    said, _ = follow("is that a lot?", "ask_is_that_a_lot", slots={**CASHEWS_1_OZ, **WOMAN_54})
    share = percent_of(figure, rda(54, "female"))
    assert f"{percent(share)}% of the {mg(rda(54, 'female'))} mg a day you need" in said
    guide = label_guide()
    level = "high" if share >= guide.high_percent else \
        "low" if share <= guide.low_percent else "medium"
    assert response(f"utter_followup_level_{level}").split("{")[0] in said


def test_where_from_names_the_food_table_item():
    said, _ = follow("where is that from?", "ask_figure_source", slots=CASHEWS_1_OZ)
    info = food_info("cashews")
    assert f"item {info['ndb']}" in said and info["usda_description"] in said


def test_where_from_after_an_intake_answer_names_the_table_row():
    slots = {"last_answer_kind": "intake", "last_person": "me", "last_category": "51+ years",
             "last_unit": "RDA", "last_figure_mg": 320.0}
    said, _ = follow("why that figure?", "ask_figure_source", slots=slots)
    assert "RDA for the 51+ years row" in said
    assert " ".join(table_source("magnesium").split()) in said


def test_more_like_that_after_a_food_lists_others_of_its_kind():
    said, slots = follow("more foods like that", "ask_more_like_that", slots=CASHEWS_1_OZ)
    assert "cashews (dry roasted)" not in said.lower().split("\n", 1)[1]
    assert slots["last_answer_kind"] == "rich_foods" and "cashews" in slots["last_shown"]
    for key in slots["last_shown"][2:]:
        assert food_info(key)["category"] == "nuts_seeds"


def test_more_like_that_after_a_list_skips_the_foods_shown():
    msg = "which nuts have the most magnesium"
    _, events = run(ActionRichFoods(), make_tracker(msg, "ask_rich_foods", []))
    first = slot_events(events)
    said, slots = follow("any others?", "ask_more_like_that", slots=first)
    for key in first["last_shown"]:
        assert f"- {food_info(key)['name']} (" not in said
    assert len(slots["last_shown"]) > len(first["last_shown"])


def test_age_what_if_on_the_last_person_keeps_nothing():
    slots = {"last_answer_kind": "intake", "last_person": "daughter", "people": FAMILY}
    said, events = follow("and at 16?", slots=slots)
    assert f"{mg(rda(16, 'female'))} mg a day" in said
    assert "people" not in events and not {"age", "sex", "life_stage"} & set(events)


def test_age_in_months_what_if_is_a_babys_age_not_years():
    slots = {"last_answer_kind": "intake", "last_person": "daughter", "people": FAMILY}
    said, _events = follow("and at 6 months?", slots=slots)
    assert f"{mg(rda(0.5, 'female'))} mg a day" in said  # the 7-12 month AI, not age 6's RDA
    assert f"{mg(rda(6, 'female'))} mg a day" not in said


def test_pronoun_life_stage_what_if():
    slots = {"last_answer_kind": "intake", "last_person": "husband", "people": FAMILY}
    msg = "and if she were breastfeeding?"
    said, events = follow(msg, entities=[ent("life_stage", "lactating", "breastfeeding", msg)],
                          slots=slots)
    assert f"{mg(rda(12, 'female', lactating=True))} mg a day" in said
    assert "your daughter" in said and "people" not in events


def test_me_goes_back_to_the_user_and_asks_when_nothing_is_known():
    slots = {"last_answer_kind": "intake", "last_person": "daughter", "people": FAMILY}
    said, _ = follow("what about me?", slots={**slots, **WOMAN_54})
    assert f"aged 54, the recommended magnesium intake is {mg(rda(54, 'female'))}" in said
    said, _ = follow("what about me?", slots=slots)
    assert said == response("utter_followup_own_profile")


def test_a_man_what_if_changes_the_sex_of_the_last_persons_profile():
    slots = {"last_answer_kind": "intake", "last_person": "me", **WOMAN_54}
    msg = "what about for a man?"
    said, events = follow(msg, entities=[ent("sex", "male", "man", msg)], slots=slots)
    assert f"man aged 54, the recommended magnesium intake is {mg(rda(54, 'male'))}" in said
    assert not {"age", "sex", "life_stage", "people"} & set(events)


def test_nothing_to_refer_to_asks_never_guesses():
    for text, intent in (("is that a lot?", "ask_is_that_a_lot"),
                         ("more like that", "ask_more_like_that"),
                         ("and at 16?", "ask_followup")):
        said, slots = follow(text, intent)
        assert said == response("utter_followup_clarify_what"), text
        assert slots == {}
    # "where is that from?" with nothing to refer to: where all the figures come from
    # (the answer to "where does your information come from?", tests/actions/test_bone_basics.py)
    said, slots = follow("where is that from?", "ask_figure_source")
    assert said.startswith(response("utter_topic_info_sources").split("{")[0].strip())
    assert slots == {}


def test_intake_for_someone_else_leaves_the_users_profile_alone():
    msg = "and my husband, he's 66"
    messages, events = run(INTAKE, make_tracker(
        msg, "inform_profile", [ent("sex", "male", "husband", msg), ent("age", 66.0, "66", msg)],
        {**WOMAN_54, "people": {"husband": {"age": 66.0, "sex": "male"}}}))
    said = texts(messages)
    assert "your husband" in said and f"{mg(rda(66, 'male'))} mg a day" in said
    slots = slot_events(events)
    assert profile_events(events) == {}
    assert slots["last_person"] == "husband"


def test_intake_for_someone_without_an_age_asks_it_and_remembers_whom():
    msg = "how much magnesium does my husband need"
    messages, events = run(INTAKE, make_tracker(msg, "ask_magnesium_need", [], WOMAN_54))
    assert texts(messages) == response("utter_person_ask_age").format(person="your husband")
    slots = slot_events(events)
    assert slots["current_person"] == "husband" and "husband" in slots["people"]
    assert profile_events(events) == {}


def test_an_unresolved_pronoun_is_asked_about():
    messages, events = run(INTAKE, make_tracker("how much does she need", "ask_magnesium_need"))
    assert texts(messages) == response("utter_person_who").format(word="she")
    assert profile_events(events) == {}


def test_facts_in_the_message_are_used_for_the_food_share():
    msg = "I'm a 50 year old woman, how much magnesium in 1 oz almonds"
    entities = [ent("age", 50.0, "50 year old", msg, unit="years"),
                ent("sex", "female", "woman", msg),
                ent("amount", 1.0, "1 oz", msg, unit="oz", group="1"),
                ent("food", "almonds", "almonds", msg, group="1")]
    messages, events = run(FOOD, make_tracker(msg, "ask_food_magnesium", entities))
    figure = magnesium_in_portion("almonds", 1, "oz").magnesium_mg
    target = rda(50, "female")
    assert f"{percent(percent_of(figure, target))}% of your {mg(target)} mg" in texts(messages)
    assert profile_events(events) == {"age": 50.0, "sex": "female", "life_stage": "not_stated"}


def test_what_is_stored_lists_other_people():
    messages, _ = run(ActionListStoredData(), make_tracker(
        "what do you know about me", "ask_stored_data", slots={"people": FAMILY}))
    said = texts(messages)
    assert "your daughter: 12 years" in said and "your husband: 66 years" in said


def test_a_pronoun_answers_the_question_pending_about_someone_whose_sex_is_unknown():
    msg = "she's 6"
    slots = {"people": {"child": {"age": None, "sex": None}}, "current_person": "child",
             **WOMAN_54}
    messages, events = run(INTAKE, make_tracker(msg, "inform_profile",
                                                [ent("age", 6.0, "6", msg)], slots))
    assert f"{mg(rda(6, 'female'))} mg a day" in texts(messages)
    assert "your child" in texts(messages)
    slots = slot_events(events)
    assert slots["people"]["child"] == {"age": 6.0, "sex": "female", "life_stage": None}
    assert slots["current_person"] is None and profile_events(events) == {}


def test_a_person_without_an_age_in_a_food_follow_up_is_asked_about():
    msg = "and for my dad?"
    said, slots = follow(msg, entities=[ent("sex", "male", "dad", msg)], slots=CASHEWS_1_OZ)
    assert said == response("utter_person_ask_age").format(person="your father")
    assert slots["current_person"] == "father" and "father" in slots["people"]


def test_where_from_after_other_answers_names_their_sources():
    from nutrition import topic_figures

    said, _ = follow("why that figure?", "ask_figure_source", slots={"last_answer_kind": "ratio"})
    assert str(topic_figures.ratio_figures()["ratio_source"]) in said
    said, _ = follow("where is that from?", "ask_figure_source",
                     slots={"last_answer_kind": "supplement"})
    assert str(topic_figures.form_figures()["absorption_source"]) in said
    said, _ = follow("where is that from?", "ask_figure_source",
                     slots={"last_answer_kind": "topic", "last_topic": "ask_magnesium_bones"})
    assert str(topic_figures.body_figures()["body_source"]) in said
    said, _ = follow("where is that from?", "ask_figure_source",
                     slots={"last_answer_kind": "topic", "last_topic": "greet"})
    assert said.startswith(response("utter_topic_info_sources").split("{")[0].strip())


def test_facts_without_a_word_about_the_user_are_used_but_not_kept():
    msg = "magnesium in 1 oz almonds, 60 year old female"
    entities = [ent("amount", 1.0, "1 oz", msg, unit="oz", group="1"),
                ent("food", "almonds", "almonds", msg, group="1"),
                ent("age", 60.0, "60 year old", msg, unit="years"),
                ent("sex", "female", "female", msg)]
    messages, events = run(FOOD, make_tracker(msg, "ask_food_magnesium", entities))
    figure = magnesium_in_portion("almonds", 1, "oz").magnesium_mg
    target = rda(60, "female")
    assert f"{percent(percent_of(figure, target))}% of your {mg(target)} mg" in texts(messages)
    assert profile_events(events) == {}
