"""The shipped foods.json: schema, provenance, and agreement with SR28."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from nutrition import food_table
from nutrition.data_files import DATA_DIR
from nutrition.foods import magnesium_in_portion
from nutrition.text import key_form
from nutrition.units import CANONICAL_UNITS
from tests.nutrition.paths import SHARED_DIR, needs_sr28

TABLE = json.loads((DATA_DIR / "foods.json").read_text(encoding="utf-8"))
SELECTION = yaml.safe_load((DATA_DIR / "food_selection.yml").read_text(encoding="utf-8"))
CATEGORIES = {
    "nuts_seeds", "greens_vegetables", "legumes", "whole_grains", "grains_breads",
    "fish_seafood", "meat_poultry", "dairy_eggs", "fruit", "drinks", "other",
}


def test_table_cites_sr28_and_names_its_generator():
    assert "Release 28" in TABLE["source"]
    assert "Nutrient Data Laboratory" in TABLE["source"]
    assert TABLE["generated_by"].startswith("scripts/build_food_table.py")
    assert set(TABLE["categories"]) == CATEGORIES


def test_at_least_300_foods_with_unique_snake_case_keys():
    keys = [food["key"] for food in TABLE["foods"]]
    assert len(keys) >= 300
    assert len(set(keys)) == len(keys)
    assert keys == sorted(keys)
    assert all(re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", key) for key in keys)


@pytest.mark.parametrize("food", TABLE["foods"], ids=lambda food: food["key"])
def test_food_entry_schema(food):
    assert food["category"] in CATEGORIES
    assert re.fullmatch(r"\d{5}", food["ndb"])
    assert food["name"] and food["usda_description"]
    assert food["magnesium_mg_per_100g"] >= 0
    assert food["calcium_mg_per_100g"] >= 0
    assert food["synonyms"] == sorted(set(food["synonyms"]))
    assert all(s == s.lower() for s in food["synonyms"])
    for portion in food["portions"]:
        assert portion["grams"] > 0 and portion["amount"] > 0
        assert portion["unit"] is None or portion["unit"] in CANONICAL_UNITS
        assert portion["description"]
    default = food["default_portion"]
    assert default["unit"] in CANONICAL_UNITS
    assert default["grams"] > 0 and default["amount"] > 0
    assert default["basis"] in {"usda_measure", "mass_unit", "density_from_usda_measure"}
    if default["portion_index"] is not None:
        assert 0 <= default["portion_index"] < len(food["portions"])


def test_no_surface_form_belongs_to_two_foods():
    owner = {}
    for food in TABLE["foods"]:
        for form in food["synonyms"]:
            normal = key_form(form)
            assert owner.setdefault(normal, food["key"]) == food["key"], form


def test_every_category_has_foods():
    present = {food["category"] for food in TABLE["foods"]}
    assert present == CATEGORIES


SEED_AND_ODS_FOODS = [
    "spinach_raw", "spinach_boiled", "swiss_chard_raw", "barley_pearled_cooked",
    "buckwheat_groats_cooked", "bulgur_cooked", "cornmeal_whole_grain", "halibut_cooked",
    "lima_beans", "lentils", "black_eyed_peas", "brazil_nuts", "peanuts", "cashews", "almonds",
    "pumpkin_seeds", "soybeans", "edamame", "whole_wheat_flour", "wheat_germ", "chia_seeds",
    "shredded_wheat", "soymilk", "black_beans", "peanut_butter", "potato_baked",
    "brown_rice_cooked", "white_rice_cooked", "yogurt_plain_low_fat", "oatmeal_instant",
    "oatmeal_cooked", "kidney_beans_canned", "banana", "salmon_farmed_cooked", "milk_2_percent",
    "raisins", "whole_wheat_bread", "avocado", "chicken_breast_roasted", "ground_beef_90_lean",
    "broccoli_boiled", "apple", "carrot_raw", "coffee", "black_tea", "hot_cocoa",
    "dark_chocolate_70_85", "tofu_firm", "quinoa_cooked", "egg",
]


@pytest.mark.parametrize("key", SEED_AND_ODS_FOODS)
def test_seed_article_and_ods_foods_are_covered(key):
    assert key in {food["key"] for food in TABLE["foods"]}


@pytest.mark.parametrize(
    ("food", "amount", "unit", "expected", "tolerance"),
    [
        # NIH ODS fact sheet, Table 2 (mg per serving); SR28 cross-check values in
        # the project reference: 155.9, 79.1, 78.3, 73.7, 60.2, 31.9, 24.4.
        ("pumpkin_seeds", 1, "oz", 156, 2),
        ("almonds", 1, "oz", 80, 2),
        ("spinach_boiled", 0.5, "cup", 78, 2),
        ("banana", 1, "medium", 32, 1),
        ("cashews", 1, "oz", 74, 2),
        ("black_beans", 0.5, "cup", 60, 2),
        ("peanuts", 0.25, "cup", 63, 2),
        ("soymilk", 1, "cup", 61, 2),
        ("edamame", 0.5, "cup", 50, 2),
        ("shredded_wheat", 2, "biscuit", 61, 2),
        ("oatmeal_instant", 1, "packet", 36, 2),
        ("kidney_beans_canned", 0.5, "cup", 35, 2),
        ("raisins", 0.5, "cup", 23, 2),
        ("milk_2_percent", 1, "cup", 27, 3),
        ("chia_seeds", 1, "oz", 95, 1),  # SR28 (ODS lists 111; reference notes the gap)
    ],
)
def test_per_serving_figures_match_ods(food, amount, unit, expected, tolerance):
    result = magnesium_in_portion(food, amount, unit)
    assert result.magnesium_mg == pytest.approx(expected, abs=tolerance)
    assert not result.unit_fallback


@needs_sr28
def test_shipped_table_equals_generator_output():
    generator = food_table
    fresh = generator.render(generator.build_table(SHARED_DIR))
    shipped = (DATA_DIR / "foods.json").read_text(encoding="utf-8")
    assert fresh == shipped, "foods.json is stale: run scripts/build_food_table.py"


@needs_sr28
def test_magnesium_values_equal_sr28_abbrev():
    generator = food_table
    abbrev = generator.read_abbrev(SHARED_DIR / "data" / "usda-sr28" / "ABBREV.csv")
    for food in TABLE["foods"]:
        row = abbrev[food["ndb"]]
        assert food["magnesium_mg_per_100g"] == float(row["Magnesium_(mg)"])
        assert food["calcium_mg_per_100g"] == float(row["Calcium_(mg)"])


@needs_sr28
def test_generator_rejects_unknown_ndb(tmp_path):
    generator = food_table
    broken = dict(SELECTION)
    broken["foods"] = [dict(SELECTION["foods"][0], ndb="99999")]
    path = tmp_path / "selection.yml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    with pytest.raises(generator.SelectionError, match="99999"):
        generator.build_table(SHARED_DIR, path)


@needs_sr28
def test_generator_rejects_shared_surface_forms(tmp_path):
    generator = food_table
    broken = dict(SELECTION)
    first, second = (dict(entry) for entry in SELECTION["foods"][:2])
    second["syn"] = list(second.get("syn", [])) + [first["name"]]
    broken["foods"] = [first, second]
    path = tmp_path / "selection.yml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    with pytest.raises(generator.SelectionError, match="belongs to both"):
        generator.build_table(SHARED_DIR, path)


def test_portion_unit_parser_reads_usda_measures():
    generator = food_table
    cases = {
        "cup, chopped": "cup", "oz": "oz", 'medium (7" to 7-7/8" long)': "medium",
        "tbsp": "tbsp", "fl oz": "fl_oz", "NLEA serving": "serving",
        "container (6 oz)": "container", 'Potato large (3" to 4-1/4" dia)': "large",
        'fruit (2-5/8" dia)': "piece", "slice": "slice", "2 biscuits (1 NLEA serving)": "biscuit",
        "package (10 oz)": "packet", "bird": None,
    }
    for description, unit in cases.items():
        assert generator.portion_unit(description) == unit, description
