"""Food questions answered for exactly the portion asked (golden table, tests/golden/foods.yml):
"a small banana" is USDA's small banana (101 g), not its extra-small one (81 g); "a cup of
cooked white rice" is one cup, not the typical half-cup serving; "1 medjool date" is a food
question even when the intent classifier takes it for a supplement question."""

from __future__ import annotations

import pytest

from actions.supplements import ActionSupplementElemental
from nutrition.foods import food_info, magnesium_in_portion
from nutrition.units import canonical_unit
from tests.actions.computed_support import ent, extracted, make_tracker, run, texts


def test_extra_small_is_its_own_size():
    assert canonical_unit("extra small") == "extra_small"
    assert canonical_unit("extra-small") == "extra_small"
    assert canonical_unit("small") == "small"
    units = {p["description"]: p["unit"] for p in food_info("banana")["portions"]}
    assert units['extra small (less than 6" long)'] == "extra_small"
    assert units['small (6" to 6-7/8" long)'] == "small"


def test_a_small_banana_is_usdas_small_banana():
    result = magnesium_in_portion("banana", 1, "small")
    assert result.grams == pytest.approx(101)  # SR28 09040 small (6" to 6-7/8" long)
    assert result.magnesium_mg == pytest.approx(27.27)
    assert "extra" not in result.description


def test_a_cup_of_cooked_white_rice_is_measured_by_the_cup():
    msg = "how much magnesium is in a cup of cooked white rice?"
    found = extracted(msg)
    if found is None:
        pytest.skip("spaCy pipeline not built (python -m nlu.build_pipeline)")
    amount = [e for e in found if e["entity"] == "amount"]
    food = [e for e in found if e["entity"] == "food"]
    assert [f["value"] for f in food] == ["white_rice_cooked"]
    assert amount and amount[0]["unit"] == "cup"
    assert amount[0].get("group") is not None and amount[0]["group"] == food[0].get("group")


def test_a_food_taken_for_a_supplement_question_gets_the_food_answer():
    msg = "how much magnesium is in 1 medjool date?"
    entities = [ent("amount", 1.0, "1", msg, unit="piece", group="1"),
                ent("food", "dates_medjool", "medjool date", msg, group="1")]
    tracker = make_tracker(msg, "ask_supplement_elemental", entities)
    said = texts(run(ActionSupplementElemental(), tracker)[0])
    assert "Which form of magnesium" not in said
    assert "about 13 mg of magnesium" in said  # SR28 09421: 54 mg/100 g x 24 g = 12.96 mg
