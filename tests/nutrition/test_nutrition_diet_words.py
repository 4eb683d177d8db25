"""Diet words (nutrition/diet.py) the NLU pipeline is built from, the diet read from entity
values and kept in a slot, and the inverse helpers that route and check a request
(nutrition/inverse.py: asks_amount_for_target, beyond_need)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nutrition.data_files import load
from nutrition.diet import (
    AVOIDS,
    DISLIKE,
    Diet,
    combine,
    diet_from_slot,
    diet_from_values,
    diet_surface_forms,
    diet_value,
    diet_values,
)
from nutrition.foods import food_categories, food_info, food_keys
from nutrition.inverse import asks_amount_for_target, beyond_need

RESTRICTIONS = [*AVOIDS, "no_fortified"]


def test_every_diet_word_names_a_restriction_a_category_or_a_dislike():
    allowed = set(RESTRICTIONS) | set(food_categories()) | {DISLIKE}
    forms = diet_surface_forms()
    assert set(forms.values()) <= allowed
    assert set(diet_values()) == set(forms.values())
    for word in forms:
        assert word == word.strip().lower() and word


@pytest.mark.parametrize("words, flag", [
    ("vegan", "vegan"), ("allergic to nuts", "nut_allergy"),
    ("lactose intolerant", "lactose_free"), ("gluten-free", "gluten_free"),
    ("celiac", "gluten_free"), ("don't eat dairy", "lactose_free"),
    ("no fortified foods", "no_fortified"),
])
def test_the_words_of_the_issue_map_to_their_restriction(words, flag):
    value = diet_surface_forms()[words]
    assert value == flag and getattr(diet_from_values([value]), flag)


def test_no_fish_avoids_the_fish_category():
    diet = diet_from_values([diet_surface_forms()["no fish"]])
    fish = [k for k in food_keys() if food_info(k)["category"] == "fish_seafood"]
    assert fish and not any(diet.allows(food_info(k)) for k in fish)


def test_a_disliked_word_shared_by_several_foods_dislikes_all_of_them():
    diet = diet_from_values([DISLIKE], ["tofu"])
    tofu = {k for k in food_keys() if "tofu" in food_info(k)["name"].lower()}
    assert len(tofu) > 1 and tofu <= diet.dislikes
    assert diet_from_values([], ["zorblat"]) == Diet()  # an unknown food is skipped


@given(st.sets(st.sampled_from(RESTRICTIONS)),
       st.sets(st.sampled_from(sorted(food_keys()) + food_categories()), max_size=5))
def test_a_diet_kept_in_a_slot_reads_back_the_same(flags, dislikes):
    diet = Diet(**{name: True for name in flags}, dislikes=frozenset(dislikes))
    assert diet_from_slot(diet_value(diet)) == diet


@pytest.mark.parametrize("value", [None, "vegan", 3, {"restrictions": ["bogus"], "dislikes": [1]}])
def test_anything_else_in_the_slot_is_no_diet(value):
    assert diet_from_slot(value) == Diet()


def test_combining_keeps_both():
    both = combine(Diet(vegan=True, dislikes=frozenset({"kale_raw"})),
                   Diet(gluten_free=True, dislikes=frozenset({"fish_seafood"})))
    assert both.vegan and both.gluten_free
    assert both.dislikes == {"kale_raw", "fish_seafood"}


@pytest.mark.parametrize("text, asks", [
    ("how many cashews give me 150 mg?", True),
    ("how much magnesium citrate gives 100 mg of elemental magnesium?", True),
    ("how much yogurt for 300 mg calcium", True),
    ("how much spinach to get 1 g of magnesium", True),
    ("how much magnesium is in 500 mg of magnesium citrate", False),
    ("is 500 mg too much for me", False),
    ("I take 400 mg of magnesium oxide", False),
])
def test_asking_how_much_gives_an_amount_is_told_from_asking_what_it_holds(text, asks):
    assert asks_amount_for_target(text) is asks


def test_beyond_need_uses_the_factor_of_the_planning_limits():
    factor = float(load("planning_limits.yml")["implausible_target_factor"])
    assert beyond_need(factor * 320 + 1, 320)
    assert not beyond_need(factor * 320, 320)
