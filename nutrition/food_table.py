"""Build nutrition/data/foods.json from the curated selection and USDA SR28.

Usage (from the repository root)::

    .venv/bin/python scripts/build_food_table.py            # write foods.json
    .venv/bin/python scripts/build_food_table.py --check    # exit 1 if it is stale
    .venv/bin/python scripts/build_food_table.py --shared /path/to/shared

Inputs: ``nutrition/data/food_selection.yml`` (which foods, names,
synonyms, default portions) and the SR28 files in ``<shared>/data/usda-sr28/``
(``ABBREV.csv`` for magnesium, calcium and vitamin D per 100 g, ``FOOD_DES.txt`` for the
descriptions, ``WEIGHT.txt`` for household measures). ``<shared>`` defaults to
``../shared`` relative to the repository root.

Output is deterministic: foods sorted by key, portions in SR28 sequence order,
synonyms sorted, JSON with sorted keys and a trailing newline.

Rounding: nutrient values per 100 g are copied as SR28 publishes them (at most
one decimal for Mg, Ca and vitamin D); USDA portion weights are copied unchanged; the
default portion's grams (a multiple of a USDA portion or a mass unit) are
rounded to 0.01 g.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

import yaml

from nutrition.data_files import DATA_DIR
from nutrition.portions import find_portion, scale_portion, volume_to_grams
from nutrition.quantities import parse_number
from nutrition.text import key_form, singular
from nutrition.units import GRAMS_PER_UNIT, ML_PER_UNIT, canonical_unit

REPO_ROOT = DATA_DIR.parent.parent
SELECTION = DATA_DIR / "food_selection.yml"
OUTPUT = DATA_DIR / "foods.json"
DEFAULT_SHARED = REPO_ROOT.parent / "shared"
SR28_SUBDIR = Path("data") / "usda-sr28"

# Head nouns of USDA measures that mean "one item" of the food.
ITEM_NOUNS = frozenset(
    """
    fruit unit breast drumstick thigh wing cake muffin bagel tortilla pita pancake waffle
    croissant cookie brownie frankfurter egg nut kernel kernels seed date fig apricot cherry
    grape olive chip cracker pretzel twist strip fries fry sardine anchovy anchovies oyster
    clam shrimp sprout floweret potato sweetpotato carrot banana apple pear peach plum
    lemon lime orange tangerine clementine kiwi avocado artichoke beet radish mushroom
    cucumber eggplant pepper onion tomato italian enchilada portion bar persimmon guava
    mini lobster crab leg chop steak patty roll bun biscuit pod pieces pancakes item
    """.split()
)


#: The meals of a day a food may be tagged with (``meals`` in the selection).
MEALS = ("breakfast", "lunch", "dinner", "snack")
#: What a food may contain that a restricted diet avoids (``contains``).
CONTENTS = ("meat", "fish", "dairy", "egg", "honey", "tree_nuts", "peanuts", "gluten")


class SelectionError(ValueError):
    """The selection file and SR28 disagree (unknown NDB, missing figure, ...)."""


# --------------------------------------------------------------------- SR28 I/O


def _strip(field: str) -> str:
    return field.strip().strip("~")


def read_food_des(path: Path) -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    text = path.read_text(encoding="latin-1")
    for line in re.split(r"\r\n|\r|\n", text):
        if not line.strip():
            continue
        fields = line.split("^")
        rows[_strip(fields[0])] = {
            "group": _strip(fields[1]),
            "long": _strip(fields[2]),
            "common": _strip(fields[4]),
        }
    return rows


def read_abbrev(path: Path) -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            rows[row["NDB_No"].strip().zfill(5)] = row
    return rows


def read_weights(path: Path) -> dict[str, list[dict[str, Any]]]:
    weights: dict[str, list[dict[str, Any]]] = {}
    text = path.read_text(encoding="latin-1")
    for line in re.split(r"\r\n|\r|\n", text):
        if not line.strip():
            continue
        fields = line.split("^")
        weights.setdefault(_strip(fields[0]), []).append(
            {
                "seq": int(fields[1]),
                "amount": float(fields[2]),
                "description": _strip(fields[3]),
                "grams": float(fields[4]),
            }
        )
    for rows in weights.values():
        rows.sort(key=lambda row: row["seq"])
    return weights


def _number(value: str, what: str, ndb: str) -> float:
    if value is None or not value.strip():
        raise SelectionError(f"SR28 has no {what} value for NDB {ndb}")
    return float(value)


def _optional_number(value: str | None) -> float | None:
    """A figure SR28 may leave blank (vitamin D is not analysed for every food)."""
    if value is None or not value.strip():
        return None
    return float(value)


def _tags(entry: dict[str, Any]) -> tuple[list[str], list[str] | None]:
    """The food's meals and contents, checked against :data:`MEALS` and :data:`CONTENTS`."""
    key = entry["key"]
    meals = list(entry.get("meals", []))
    contains = entry.get("contains")
    if any(meal not in MEALS for meal in meals) or len(set(meals)) != len(meals):
        raise SelectionError(f"{key}: meals must be distinct values of {MEALS}")
    if contains is not None:
        contains = list(contains)
        if any(item not in CONTENTS for item in contains):
            raise SelectionError(f"{key}: contains must list values of {CONTENTS}")
        contains = sorted(set(contains))
    if meals and contains is None:
        raise SelectionError(f"{key}: a food with meals must say what it contains")
    order = {meal: index for index, meal in enumerate(MEALS)}
    return sorted(meals, key=order.__getitem__), contains


# ------------------------------------------------------------------- portions


def plain_measure(description: str) -> str:
    """A USDA measure description without its "NS as to ..." (not specified) note, which
    means nothing to a reader: "avocado, NS as to Florida or California" -> "avocado"."""
    return re.sub(r",?\s*NS as to\b.*$", "", description).strip() or description


def portion_unit(description: str) -> str | None:
    """Canonical unit of a USDA household measure description, or None."""
    text = re.sub(r"\([^)]*\)?", " ", description.lower())
    words = [w for w in re.split(r"[\s,]+", text) if w]
    for index, word in enumerate(words[:3]):
        if index + 1 < len(words):
            pair = f"{word} {words[index + 1]}"
            unit = canonical_unit(pair)
            if unit is not None:
                return unit
        if word in ("nlea", "1", "serving"):
            if word == "serving":
                return "serving"
            continue
        unit = canonical_unit(word)
        if unit is not None:
            return unit
        if singular(word) in ITEM_NOUNS or word in ITEM_NOUNS:
            # a size word right after the noun wins ("potato medium")
            for follower in words[index + 1:index + 3]:
                size = canonical_unit(follower)
                if follower in ("small", "medium", "large", "jumbo") and size:
                    return size
            return "piece"
    return None


def parse_default(spec: str) -> tuple[float, str, str]:
    """Split '0.5 cup|cubes' into (0.5, 'cup', 'cubes')."""
    head, _, match = spec.partition("|")
    parts = head.strip().split(" ", 1)
    if len(parts) != 2:
        raise SelectionError(f"default portion {spec!r} must be '<amount> <unit>'")
    amount = parse_number(parts[0])
    unit = canonical_unit(parts[1])
    if amount is None or amount <= 0 or unit is None:
        raise SelectionError(f"default portion {spec!r} has a bad amount or unit")
    return amount, unit, match.strip().lower()


# ------------------------------------------------------------------ synonyms


def _plural(word: str) -> str:
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es" if not word.endswith("s") else word
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith("o") and word in ("potato", "tomato", "mango"):
        return word + "es"
    return word + "s"


def _with_number_variants(forms: set[str]) -> set[str]:
    extra = set()
    for form in forms:
        words = form.split(" ")
        last = words[-1]
        if not last.isalpha():
            continue
        if last.endswith("s") and singular(last) != last:
            extra.add(" ".join(words[:-1] + [singular(last)]))
        else:
            extra.add(" ".join(words[:-1] + [_plural(last)]))
    return forms | extra


def _clean_forms(forms: set[str]) -> set[str]:
    return {re.sub(r"\s+", " ", f).strip() for f in forms if f and f.strip()}


def explicit_forms(entry: dict[str, Any]) -> set[str]:
    """Full name, key with spaces and listed synonyms (plus number variants)."""
    forms = {entry["name"].lower(), entry["key"].replace("_", " ")}
    forms.update(s.lower() for s in entry.get("syn", []))
    forms = _clean_forms(forms)
    return forms if entry.get("mass", False) else _with_number_variants(forms)


def surface_forms(
    entry: dict[str, Any], taken: AbstractSet[str] = frozenset()
) -> list[str]:
    """All lower-case surface forms of one selection entry.

    The name without its parenthesised qualifier ("broccoli (raw)" ->
    "broccoli") is added only when no other food claims it explicitly
    (``taken`` holds the other foods' normalised explicit forms).
    """
    forms = explicit_forms(entry)
    bare = _clean_forms({re.sub(r"\s*\([^)]*\)", "", entry["name"].lower())})
    if not entry.get("mass", False):
        bare = _with_number_variants(bare)
    forms |= {form for form in bare if key_form(form) not in taken}
    return sorted(forms)


# --------------------------------------------------------------------- build


def build_table(
    shared_dir: Path = DEFAULT_SHARED, selection_path: Path = SELECTION
) -> dict[str, Any]:
    """Return the foods table (a JSON-ready dict). Raises SelectionError."""
    sr28 = Path(shared_dir) / SR28_SUBDIR
    selection = yaml.safe_load(selection_path.read_text(encoding="utf-8"))
    descriptions = read_food_des(sr28 / "FOOD_DES.txt")
    nutrients = read_abbrev(sr28 / "ABBREV.csv")
    weights = read_weights(sr28 / "WEIGHT.txt")
    readme = (sr28 / "README.md").read_text(encoding="utf-8")
    citation = re.search(r'Suggested citation:\s*"(.+?)"', readme, re.S)
    if citation is None:
        raise SelectionError("the SR28 README has no suggested citation")
    categories = list(selection["categories"])

    explicit_owner: dict[str, str] = {}
    for entry in selection["foods"]:
        for form in explicit_forms(entry):
            explicit_owner.setdefault(key_form(form), entry["key"])

    foods = []
    problems: list[str] = []
    owner: dict[str, str] = {}
    seen_keys: set[str] = set()
    for entry in selection["foods"]:
        key = entry["key"]
        ndb = str(entry["ndb"]).zfill(5)
        if key in seen_keys:
            raise SelectionError(f"duplicate key {key}")
        seen_keys.add(key)
        if not re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", key):
            raise SelectionError(f"key {key!r} is not snake_case")
        if entry["cat"] not in categories:
            raise SelectionError(f"{key}: unknown category {entry['cat']!r}")
        if ndb not in descriptions or ndb not in nutrients:
            raise SelectionError(f"{key}: NDB {ndb} is not in SR28")
        row = nutrients[ndb]
        portions = []
        for weight in weights.get(ndb, []):
            portions.append(
                {
                    "amount": weight["amount"],
                    "unit": portion_unit(weight["description"]),
                    "grams": weight["grams"],
                    "description": plain_measure(weight["description"]),
                }
            )
        try:
            amount, unit, match = parse_default(entry["default"])
        except SelectionError as error:
            problems.append(f"{key}: {error}")
            continue
        if unit in GRAMS_PER_UNIT:
            grams = amount * GRAMS_PER_UNIT[unit]
            index = None
            description = unit
            basis = "mass_unit"
        else:
            index = find_portion(portions, unit, match)
            if index is None and unit in ML_PER_UNIT and not match:
                converted = volume_to_grams(portions, amount, unit)
                if converted is not None:
                    grams, index = converted
                    description = portions[index]["description"]
                    basis = "density_from_usda_measure"
            if index is None:
                problems.append(
                    f"{key}: no USDA portion with unit {unit!r} matching {match!r}; "
                    f"have {[(p['unit'], p['description']) for p in portions]}"
                )
                continue
            elif portions[index]["unit"] == unit:
                portion = portions[index]
                grams = scale_portion(portion, amount)
                description = portion["description"]
                basis = "usda_measure"
        each = entry.get("each")
        if each is not None and canonical_unit(each) is None:
            raise SelectionError(f"{key}: 'each' unit {each!r} is unknown")
        whole_index = None
        if entry.get("whole"):
            wanted = str(entry["whole"]).lower()
            matches = [i for i, p in enumerate(portions) if wanted in p["description"].lower()]
            if not matches:
                problems.append(f"{key}: no USDA measure contains {wanted!r} (whole)")
                continue
            whole_index = matches[0]
        volume_like = None
        if entry.get("volume_like"):
            other_ndb, _, wanted = str(entry["volume_like"]).partition("|")
            other_ndb = other_ndb.strip().zfill(5)
            borrowed = [
                w for w in weights.get(other_ndb, [])
                if portion_unit(w["description"]) in ML_PER_UNIT
                and wanted.strip().lower() in w["description"].lower()
            ]
            if not borrowed or other_ndb not in descriptions:
                problems.append(f"{key}: no volume measure {wanted!r} for NDB {other_ndb}")
                continue
            volume_like = {
                "ndb": other_ndb,
                "usda_description": descriptions[other_ndb]["long"],
                "amount": borrowed[0]["amount"],
                "unit": portion_unit(borrowed[0]["description"]),
                "grams": borrowed[0]["grams"],
                "description": borrowed[0]["description"],
            }
        meals, contains = _tags(entry)
        taken = {form for form, holder in explicit_owner.items() if holder != key}
        forms = surface_forms(entry, taken)
        for form in forms:
            normal = key_form(form)
            if normal in owner and owner[normal] != key:
                raise SelectionError(
                    f"surface form {form!r} belongs to both {owner[normal]} and {key}"
                )
            owner[normal] = key
        foods.append(
            {
                "key": key,
                "name": entry["name"],
                "synonyms": forms,
                "category": entry["cat"],
                "ndb": ndb,
                "usda_description": descriptions[ndb]["long"],
                "magnesium_mg_per_100g": _number(row["Magnesium_(mg)"], "magnesium", ndb),
                "calcium_mg_per_100g": _number(row["Calcium_(mg)"], "calcium", ndb),
                "vitamin_d_mcg_per_100g": _optional_number(row.get("Vit_D_µg")),
                "vitamin_d_iu_per_100g": _optional_number(row.get("Vit_D_IU")),
                "meals": meals,
                "contains": contains,
                "fortified": bool(entry.get("fortified", False)),
                "portions": portions,
                "default_portion": {
                    "amount": amount,
                    "unit": unit,
                    "portion_index": index,
                    "grams": round(grams, 2),
                    "description": description,
                    "basis": basis,
                },
                "count_unit": canonical_unit(each) if each else None,
                "whole_portion_index": whole_index,
                "volume_like": volume_like,
                "suggest": bool(entry.get("suggest", True)),
            }
        )
    if problems:
        raise SelectionError("\n".join(problems))
    foods.sort(key=lambda food: food["key"])
    return {
        "source": " ".join(citation.group(1).split()),
        "generated_by": (
            "scripts/build_food_table.py from nutrition/data/food_selection.yml"
        ),
        "selection_source": " ".join(selection["source"].split()),
        "categories": categories,
        "not_in_sr28": [
            {"key": entry["key"], "name": entry["name"], "synonyms": sorted(entry["syn"])}
            for entry in selection.get("not_in_sr28") or []
        ],
        "rounding": (
            "per-100 g values as published in SR28 ABBREV.csv (vitamin D null where SR28 "
            "has no value); portion grams as in "
            "SR28 WEIGHT.txt; default portion grams rounded to 0.01 g"
        ),
        "foods": foods,
    }


def render(table: dict[str, Any]) -> str:
    """Serialise the table exactly as it is shipped."""
    return json.dumps(table, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--selection", type=Path, default=SELECTION)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="fail if the output is stale")
    args = parser.parse_args(argv)
    if not (args.shared / SR28_SUBDIR / "ABBREV.csv").exists():
        print(f"SR28 not found under {args.shared / SR28_SUBDIR}", file=sys.stderr)
        return 2
    try:
        text = render(build_table(args.shared, args.selection))
    except SelectionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date; run scripts/build_food_table.py", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.write_text(text, encoding="utf-8")
    count = len(json.loads(text)["foods"])
    print(f"wrote {count} foods to {args.output}")
    return 0

