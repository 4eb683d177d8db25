"""action_food_magnesium and action_rich_foods: portion asked or typical serving (saying
which), share of the person's target, unknown foods named back, bad amounts, categories.

Expected figures: USDA SR28 (per nutrition-facts.md: almonds 79.1 mg/oz, banana 31.9 mg)."""

from __future__ import annotations

import re

import pytest

from actions.foods import ActionFoodMagnesium, ActionRichFoods
from tests.actions.computed_support import ent, extracted, make_tracker, profile_events, run, texts

FOOD = ActionFoodMagnesium()
RICH = ActionRichFoods()
WOMAN_54 = {"age": 54.0, "sex": "female", "life_stage": "none"}


def ask(msg, entities, slots=None, channel="rest", action=FOOD, intent="ask_food_magnesium"):
    messages, events = run(action, make_tracker(msg, intent, entities, slots, channel=channel))
    assert profile_events(events) == {}
    return texts(messages), messages


def amount(value, text, msg, unit, group="1"):
    return ent("amount", value, text, msg, unit=unit, group=group)


def test_almonds_default_serving_says_which_portion():
    msg = "how much magnesium in almonds"
    said, messages = ask(msg, [ent("food", "almonds", "almonds", msg)])
    assert len(messages) == 1
    assert "1 oz: about 79 mg of magnesium" in said
    assert "typical serving" in said
    assert "Source: USDA" in said
    assert "%" not in said  # no profile, no share


def test_banana_default_serving():
    msg = "how much magnesium is in a banana"
    said, _ = ask(msg, [ent("food", "banana", "banana", msg)])
    assert "about 32 mg" in said and "medium" in said


def test_cup_of_cooked_spinach_with_the_share_of_the_persons_target():
    msg = "how much magnesium in a cup of cooked spinach"
    entities = [amount(1.0, "a cup", msg, "cup"), ent("food", "spinach_boiled", "cooked spinach",
                                                      msg, group="1")]
    said, _ = ask(msg, entities, WOMAN_54)
    mg = int(re.search(r"about (\d+) mg", said).group(1))
    assert 150 <= mg <= 160  # SR28: 157 mg per cup of boiled spinach
    assert f"{round(100 * mg / 320)}% of your 320 mg a day" in said
    assert "typical serving" not in said


def test_100_g_of_tofu_uses_the_amount_asked():
    msg = "how much magnesium does 100 g of tofu have"
    entities = [amount(100.0, "100 g", msg, "g"), ent("food", "tofu_firm", "tofu", msg, group="1")]
    said, _ = ask(msg, entities)
    assert "100 g" in said and "typical serving" not in said


def test_amount_after_the_food_is_paired():
    msg = "almonds, 2 oz"
    entities = [ent("food", "almonds", "almonds", msg),
                ent("amount", 2.0, "2 oz", msg, unit="oz")]
    said, _ = ask(msg, entities)
    assert "2 oz: about 158 mg" in said


def test_unknown_food_is_named_back_with_close_matches():
    msg = "how much magnesium in dragonfruit"
    said, _ = ask(msg, [])
    assert 'couldn\'t find "dragonfruit"' in said
    assert "Did you mean:" in said


def test_nonsense_food_without_close_matches():
    msg = "how much magnesium in zzqxv"
    said, _ = ask(msg, [])
    assert 'couldn\'t find "zzqxv"' in said and "Did you mean" not in said


def test_a_typo_the_extractor_missed_is_still_found():
    msg = "how much magnesium in almondss"
    said, _ = ask(msg, [])
    assert "Almonds (dry roasted), 1 oz: about 79 mg" in said


def test_no_food_named_asks_which():
    said, _ = ask("how much magnesium is in it", [])
    assert "Which food" in said


def test_zero_amount_says_so_and_gives_a_typical_serving():
    msg = "how much magnesium in 0 g of almonds"
    said, _ = ask(msg, [amount(0.0, "0 g", msg, "g"),
                        ent("food", "almonds", "almonds", msg, group="1")])
    assert "amount of zero" in said and "about 79 mg" in said


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -3.0, 1e9, "lots"])
def test_unusable_amount_values_fall_back_to_a_typical_serving(value):
    msg = "how much magnesium in x g of almonds"
    said, _ = ask(msg, [amount(value, "x g", msg, "g"),
                        ent("food", "almonds", "almonds", msg, group="1")])
    assert "couldn't use that amount" in said
    assert "about 79 mg" in said


@pytest.mark.parametrize("written", ["1e309", "NaN", "-3", "infinity"])
def test_numbers_the_extractor_could_not_read_are_named(written):
    msg = f"how much magnesium in {written} g of almonds"
    said, _ = ask(msg, [ent("food", "almonds", "almonds", msg)])
    assert f'couldn\'t read "{written}" as an amount' in said
    assert "about 79 mg" in said


def test_two_foods_are_answered_as_a_total():
    msg = "how much magnesium in a banana and an ounce of almonds"
    entities = [ent("food", "banana", "banana", msg),
                amount(1.0, "an ounce", msg, "oz"), ent("food", "almonds", "almonds", msg,
                                                        group="1")]
    said, _ = ask(msg, entities)
    assert "Total: about 111 mg" in said


def test_with_the_real_extractor_when_built():
    msg = "how much magnesium in a cup of cooked spinach"
    entities = extracted(msg)
    if entities is None:
        pytest.skip("spaCy pipeline not built (python -m nlu.build_pipeline)")
    said, _ = ask(msg, entities)
    assert "Cooked spinach, 1 cup" in said


# ------------------------------------------------------------------------------ rich foods


def items_mg(said):
    return [int(m) for m in re.findall(r"\): (\d+) mg", said)]


@pytest.mark.parametrize(
    ("msg", "header"),
    [
        ("which nuts have the most magnesium", "Nuts and seeds"),
        ("magnesium rich vegetables", "Vegetables"),
        ("which legumes are highest in magnesium", "Beans, lentils and other legumes"),
        ("whole grains with lots of magnesium", "Whole grains"),
        ("which fish has the most magnesium", "Fish and seafood"),
        ("what foods are high in magnesium", "Foods richest"),
    ],
)
def test_rich_foods_by_category_ranked_highest_first(msg, header):
    said, _ = ask(msg, [], action=RICH, intent="ask_rich_foods")
    assert said.startswith(header)
    figures = items_mg(said)
    assert len(figures) == 8
    assert figures == sorted(figures, reverse=True)
    assert "Source: USDA" in said


def test_nuts_list_has_pumpkin_seeds_and_no_dry_ingredients():
    said, _ = ask("which nuts have the most magnesium", [], action=RICH, intent="ask_rich_foods")
    assert "pumpkin seeds" in said


def test_whole_grains_warn_about_gluten_and_skip_flour():
    said, _ = ask("whole grains with magnesium", [], action=RICH, intent="ask_rich_foods")
    assert "contain gluten" in said
    assert "flour" not in said and "uncooked" not in said and "(dry)" not in said
