"""Follow-ups and other people through the REST channel of real running servers.

Each test replays a multi-turn dialogue a new user could have and checks the figures of
each reply against the nutrition core (computed here, never typed), and the stored slots:
another amount, food, age or life stage reuses the last answer; someone else's details
never change the user's own profile; facts in a message are used in that message's
answer; a follow-up with nothing to refer to gets a question back.
"""

from __future__ import annotations

import pytest

from actions.replies import mg, percent
from nutrition.diary import diary_total
from nutrition.followup import percent_of
from nutrition.foods import food_info, foods_by_category, magnesium_in_portion
from nutrition.intake import daily_value_mg, recommended_intake
from tests.reliability.support import response_text, say, texts

pytestmark = pytest.mark.integration


def talk(api_bot, sender: str, *messages: str) -> list[str]:
    """Send the messages in order; the reply text of each."""
    return [texts(say(api_bot.url, message, sender)) for message in messages]


def food_mg(key: str, amount: float | None = None, unit: str | None = None) -> float:
    return magnesium_in_portion(key, amount, unit).magnesium_mg


def rda(age: float, sex: str | None, **stage: bool) -> float:
    return recommended_intake(age_years=age, sex=sex, **stage).magnesium_mg


def own_profile(api_bot, sender: str) -> tuple:
    slots = api_bot.tracker(sender)["slots"]
    return slots["age"], slots["sex"], slots["life_stage"]


def first_line(name: str) -> str:
    return response_text(name).split("{")[0]


def test_another_amount_then_another_food_reuse_the_last_answer(api_bot):
    replies = talk(api_bot, "fu-amounts", "how much magnesium in 1 oz of cashews?",
                   "and 2 ounces?", "what about walnuts?")
    assert f"about {mg(food_mg('cashews', 1, 'oz'))} mg" in replies[0]
    assert f"about {mg(food_mg('cashews', 2, 'oz'))} mg" in replies[1]
    assert "How old" not in replies[1]  # the profile form never takes it
    assert f"about {mg(food_mg('walnuts', 2, 'oz'))} mg" in replies[2]


def test_is_that_a_lot_without_a_profile_says_daily_value_as_such(api_bot):
    replies = talk(api_bot, "fu-lot-dv", "how much magnesium in 2 oz of walnuts?",
                   "is that a lot?")
    share = percent_of(food_mg("walnuts", 2, "oz"), daily_value_mg())
    assert f"{percent(share)}% of the {mg(daily_value_mg())} mg Daily Value" in replies[1]


def test_where_from_names_the_table_row_of_the_last_food(api_bot):
    replies = talk(api_bot, "fu-source", "how much magnesium in 1 oz of walnuts?",
                   "where is that from?")
    info = food_info("walnuts")
    assert f"item {info['ndb']}" in replies[1]
    assert f"{mg(info['magnesium_mg_per_100g'])} mg of magnesium per 100 g" in replies[1]


def test_people_are_kept_apart_from_the_users_own_profile(api_bot):
    sender = "fu-people"
    replies = talk(api_bot, sender, "my daughter is 12", "and my husband, he's 66")
    assert f"{mg(rda(12, 'female'))} mg a day" in replies[0]
    assert f"{mg(rda(66, 'male'))} mg a day" in replies[1]
    assert own_profile(api_bot, sender) == (None, None, None)
    people = api_bot.tracker(sender)["slots"]["people"]
    assert (people["daughter"]["age"], people["daughter"]["sex"]) == (12.0, "female")
    assert (people["husband"]["age"], people["husband"]["sex"]) == (66.0, "male")
    # "she" is the daughter: a what-if, answered and not kept
    lactating = talk(api_bot, sender, "and if she were breastfeeding?")[0]
    assert f"{mg(rda(12, 'female', lactating=True))} mg a day" in lactating
    assert api_bot.tracker(sender)["slots"]["people"]["daughter"]["life_stage"] != "lactating"
    listed = talk(api_bot, sender, "what do you know about me?")[0]
    assert "your daughter: 12 years" in listed and "your husband: 66 years" in listed


def test_others_never_overwrite_the_users_profile_and_me_goes_back(api_bot):
    sender = "fu-me"
    talk(api_bot, sender, "how much magnesium do I need?", "54", "female")
    assert own_profile(api_bot, sender)[:2] == (54.0, "female")
    replies = talk(api_bot, sender, "my mother, she's 70", "what about me?")
    assert f"{mg(rda(70, 'female'))} mg a day" in replies[0]
    assert own_profile(api_bot, sender)[:2] == (54.0, "female")
    assert "aged 54" in replies[1]
    assert f"{mg(rda(54, 'female'))} mg a day" in replies[1]


def test_facts_in_a_message_are_used_in_that_messages_answer(api_bot):
    sender = "fu-facts"
    reply = talk(api_bot, sender, "I'm a 50 year old woman. Today I had 1 oz almonds and "
                 "a cup of cooked spinach. Did I reach my target?")[0]
    target = rda(50, "female")
    total = diary_total([{"food": "almonds", "amount": 1, "unit": "oz"},
                         {"food": "spinach_boiled", "amount": 1, "unit": "cup"}],
                        target_mg=target)
    assert f"{percent(total.percent_of_target)}% of your {mg(target)} mg a day" in reply
    assert "Daily Value" not in reply
    assert own_profile(api_bot, sender)[:2] == (50.0, "female")


def test_a_person_named_in_a_food_follow_up_gets_their_share(api_bot):
    sender = "fu-son-food"
    replies = talk(api_bot, sender, "my son is 15",
                   "how much magnesium is in a cup of cooked spinach?", "and for my son?",
                   "is that a lot?")
    figure = food_mg("spinach_boiled", 1, "cup")
    share = percent(percent_of(figure, rda(15, "male")))
    assert f"{share}% of the {mg(rda(15, 'male'))} mg a day for your son" in replies[2]
    assert f"{share}% of the {mg(rda(15, 'male'))} mg a day for your son" in replies[3]
    assert own_profile(api_bot, sender) == (None, None, None)


def test_another_age_and_sex_are_what_ifs_on_the_last_answer(api_bot):
    sender = "fu-what-if"
    talk(api_bot, sender, "how much magnesium do I need?", "60", "female")
    replies = talk(api_bot, sender, "and at 16?", "what about for a man?", "why that figure?")
    assert f"{mg(rda(16, 'female'))} mg a day" in replies[0]
    assert f"{mg(rda(60, 'male'))} mg a day" in replies[1]
    assert recommended_intake(age_years=60, sex="male").life_stage in replies[2]
    assert own_profile(api_bot, sender)[:2] == (60.0, "female")


def test_more_foods_like_that_shows_foods_not_shown_yet(api_bot):
    replies = talk(api_bot, "fu-more", "which nuts have the most magnesium?", "more like that")
    ranked = [f for f in foods_by_category("nuts_seeds", limit=None)
              if food_info(f.key).get("suggest", True)]
    first, more = replies
    shown = [f for f in ranked if f"- {f.name} (" in first]
    added = [f for f in ranked if f"- {f.name} (" in more]
    assert shown and added
    assert not {f.key for f in shown} & {f.key for f in added}
    assert f"{added[0].name} ({added[0].serving}): {mg(added[0].magnesium_mg)} mg" in more


def test_follow_ups_with_nothing_to_refer_to_get_a_question(api_bot):
    replies = talk(api_bot, "fu-nothing", "and 2 ounces?", "is that a lot?",
                   "how much does she need?")
    assert first_line("utter_followup_clarify_which_food") in replies[0]
    assert first_line("utter_followup_clarify_what") in replies[1]
    assert first_line("utter_person_who") in replies[2]
    assert "How old are you" not in "".join(replies)


def test_a_question_about_someone_else_asks_their_age_then_answers(api_bot):
    sender = "fu-ask-age"
    replies = talk(api_bot, sender, "how much magnesium does my husband need?", "he's 66",
                   "start over", "what do you know about me?")
    assert "your husband" in replies[0] and "How old" in replies[0]
    assert f"{mg(rda(66, 'male'))} mg a day" in replies[1]
    assert own_profile(api_bot, sender) == (None, None, None)
    assert replies[3].strip() == response_text("utter_stored_nothing").strip()
    assert api_bot.tracker(sender)["slots"]["people"] is None
