"""The golden table against its sources, without servers (issue #15).

Every figure a golden case expects is worked out again here from the table it names:
nutrition/data/reference_intakes.yml (RDA/AI, calcium, vitamin D, supplement UL),
supplement_forms.yml (elemental magnesium from each formula and the atomic weights),
interactions.yml (timings), and for foods the raw USDA SR28 files in ../shared
(ABBREV.csv for magnesium per 100 g, WEIGHT.txt for household measures). The golden files
hold literal numbers; these tests make sure they cannot silently drift from the sources.
A figure counts as matching when it is the exact value rounded to the digits it shows.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from typing import Any

import pytest
import yaml

from nutrition.data_files import DATA_DIR
from tests.golden.golden_cases import (
    AREAS,
    Case,
    all_cases,
    figure_pattern,
    has_figure,
    has_response,
    load_area,
    numbers,
    response_pattern,
)
from tests.nutrition.paths import SR28_DIR, needs_sr28

CASES = all_cases()
OUNCE_G = 28.349523125
POUND_G = 453.59237
MASS_G = {"g": 1.0, "oz": OUNCE_G, "lb": POUND_G}


@cache
def table(name: str) -> dict[str, Any]:
    return yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))


def intakes() -> dict[str, Any]:
    return table("reference_intakes.yml")


def row(rows: list[dict], months: float) -> dict:
    found = [r for r in rows if r["from_months"] <= months < r["to_months"]]
    assert len(found) == 1, f"no single row for {months} months"
    return found[0]


def months_of(person: dict) -> float:
    if "age_months" in person:
        return float(person["age_months"])
    return float(person["age_years"]) * 12


def person_row(name: str, person: dict) -> dict:
    """The row of a nutrient table for this person; a pregnancy or lactation below 14
    uses the "<= 18 years" row (reference_intakes.yml pregnancy_lactation_up_to_18)."""
    months = months_of(person)
    stage = person.get("life_stage")
    if stage in ("pregnant", "lactating"):
        rule = intakes()["pregnancy_lactation_up_to_18"]
        months = max(months, rule["row_from_months"])
    return row(intakes()[name], months)


def person_value(name: str, person: dict) -> float:
    r = person_row(name, person)
    stage = {"pregnant": "pregnancy", "lactating": "lactation"}.get(person.get("life_stage", ""))
    if stage:
        return float(r[stage])
    sex = person.get("sex")
    if sex is None:
        assert r["male"] == r["female"], f"{name}: sex needed at {months_of(person)} months"
        sex = "female"
    return float(r[sex])


def supplement_ul(person: dict | None) -> float | None:
    rows = intakes()["magnesium_supplement_ul"]
    if person is None:  # no age known: the highest limit (the one of adults)
        return float(rows[-1]["mg"])
    mg = row(rows, months_of(person))["mg"]
    return None if mg is None else float(mg)


# ------------------------------------------------------------------------------ supplements


def elemental_fraction(form: str, hydrate: str | None) -> float:
    data = table("supplement_forms.yml")
    spec = data["forms"][form]
    weights = data["atomic_weights"]
    hydrate = hydrate or spec.get("default_hydrate") or "anhydrous"
    atoms = dict(spec["composition"])
    if hydrate != "anhydrous":
        for element, count in data["water"].items():
            atoms[element] = atoms.get(element, 0) + count * spec["hydrates"][hydrate]
    molar_mass = sum(weights[element] * count for element, count in atoms.items())
    return spec["composition"]["Mg"] * weights["Mg"] / molar_mass


# ------------------------------------------------------------------------------ USDA SR28


@cache
def sr28_column(column: str) -> dict[str, float]:
    """One nutrient column of ABBREV.csv per NDB number (magnesium, calcium, vitamin D mcg
    and IU)."""
    with (SR28_DIR / "ABBREV.csv").open(encoding="utf-8", newline="") as handle:
        return {r["NDB_No"].strip().zfill(5): float(r[column])
                for r in csv.DictReader(handle) if r[column].strip()}


@cache
def sr28_weights() -> dict[str, list[tuple[float, str, float]]]:
    weights: dict[str, list[tuple[float, str, float]]] = {}
    text = (SR28_DIR / "WEIGHT.txt").read_text(encoding="latin-1")
    for line in re.split(r"\r\n|\r|\n", text):
        if line.strip():
            fields = [f.strip("~") for f in line.split("^")]
            weights.setdefault(fields[0], []).append(
                (float(fields[2]), fields[3], float(fields[4])))
    return weights


def portion_grams(spec: dict) -> float:
    """Grams of the portion; ``weight_ndb`` names the food whose household measure the
    reply says it used (SR28 gives chia seeds no tablespoon: flaxseed's is used)."""
    amount = float(spec["amount"])
    if "unit" in spec:
        return amount * MASS_G[spec["unit"]]
    ndb = spec.get("weight_ndb", spec["ndb"])
    rows = [r for r in sr28_weights()[ndb] if r[1] == spec["measure"]]
    assert rows, f"SR28 WEIGHT.txt has no measure {spec['measure']!r} for NDB {ndb}"
    measure_amount, _, grams = rows[0]
    return amount * grams / measure_amount * float(spec.get("scale", 1))


# ------------------------------------------------------------------------------ interactions


def timing(field: str, medicine_class: str | None) -> list[float]:
    classes = table("interactions.yml")["medication_classes"]
    chosen = [medicine_class] if medicine_class else list(classes)
    values = []
    for name in chosen:
        spec = classes[name]
        value = spec.get("long_term_use_years_min") if field == "long_term_use_years_min" \
            else (spec.get("timing") or {}).get(field)
        if value is not None:
            values.append(value if isinstance(value, list) else [value])
    assert values, f"no {field} in interactions.yml for {medicine_class or 'any class'}"
    assert all(v == values[0] for v in values), f"classes disagree on {field}: {values}"
    return [float(v) for v in values[0]]


# ------------------------------------------------------------------------------ the figures


def source_values(case: Case, key: str) -> list[float]:
    """The exact numbers the figure ``key`` of ``case`` must show, from its source."""
    facts = case.facts
    person = facts.get("person")
    ratio = facts.get("ratio")
    dose = facts.get("dose")
    cal = intakes()
    if "sr28" in facts and key == "magnesium":
        spec = facts["sr28"]
        return [sr28_column("Magnesium_(mg)")[spec["ndb"]] * portion_grams(spec) / 100]
    if "sr28" in facts and key == "calcium":
        spec = facts["sr28"]
        return [sr28_column("Calcium_(mg)")[spec["ndb"]] * portion_grams(spec) / 100]
    if "sr28" in facts and key == "vitamin_d":  # SR28 lists mcg and IU, each rounded
        spec = facts["sr28"]
        grams = portion_grams(spec)
        return [sr28_column(f"Vit_D_{unit}")[spec["ndb"]] * grams / 100
                for unit in ("\u00b5g", "IU")]
    if "sr28" in facts and key == "portion_grams":
        return [portion_grams(facts["sr28"])]
    if "sr28" in facts and key in ("daily_value_share", "daily_value_left"):
        # the food as a diary day: its share of the label Daily Value, and what is left
        spec = facts["sr28"]
        eaten = sr28_column("Magnesium_(mg)")[spec["ndb"]] * portion_grams(spec) / 100
        label = float(cal["daily_value"]["magnesium_mg"])
        return [100 * eaten / label] if key == "daily_value_share" else [label - eaten]
    if ratio is not None:
        calcium = ratio.get("calcium_mg")
        magnesium = ratio.get("magnesium_mg")
        by_ratio = {"calcium": [calcium], "magnesium": [magnesium],
                    "magnesium_2_to_1": [calcium / 2 if calcium else None],
                    "magnesium_1_to_1": [calcium],
                    "current_ratio": [calcium / magnesium if magnesium else None, 1]}
        if key in by_ratio:
            return by_ratio[key]
    if dose is not None:
        fraction = elemental_fraction(dose["form"], dose.get("hydrate"))
        by_dose = {"elemental_magnesium": [dose.get("compound_mg", 0) * fraction],
                   "share": [100 * fraction], "compound": [dose.get("compound_mg")],
                   "compound_for": [dose.get("elemental_mg", 0) / fraction]}
        if key in by_dose:
            return by_dose[key]
    if person is not None:
        if key in ("magnesium", "magnesium_target"):
            return [person_value("magnesium", person)]
        if key in ("calcium", "calcium_target"):
            return [person_value("calcium", person)]
        if key == "magnesium_short" and ratio is not None:
            return [person_value("magnesium", person) - ratio["magnesium_mg"]]
        if key == "vitamin_d":
            r = row(cal["vitamin_d"], months_of(person))
            return [r["mcg"], r["iu"]]
        if key == "calcium_ul":
            return [row(cal["calcium_ul"], months_of(person))["mg"]]
        if key == "vitamin_d_ul":
            r = row(cal["vitamin_d_ul"], months_of(person))
            return [r["mcg"], r["iu"]]
    if key == "supplement_ul":
        return [supplement_ul(person)]
    if key == "adult_rda_range":  # the magnesium RDAs from 19 years, not pregnant
        adults = [r for r in cal["magnesium"] if r["from_months"] >= 19 * 12]
        return [min(min(r["female"], r["male"]) for r in adults),
                max(max(r["female"], r["male"]) for r in adults)]
    if key == "ul_from_age":
        adult = cal["magnesium_supplement_ul"][-1]
        return [adult["from_months"] / 12]
    if key in ("oxide_share", "citrate_share"):
        return [100 * elemental_fraction(key.split("_")[0], None)]
    if key == "separate_hours":
        return timing("separate_hours_min", facts.get("medicine_class"))
    if key == "take_before_hours":
        return timing("take_drug_before_hours_min", facts.get("medicine_class"))
    if key == "take_after_hours":
        return timing("take_drug_after_hours", facts.get("medicine_class"))
    if key == "long_term_years":
        return timing("long_term_use_years_min", facts.get("medicine_class"))
    older, oldest = 51 * 12, 71 * 12
    topic = {
        "calcium_women_51_70": [row(cal["calcium"], older)["female"]],
        "calcium_men_51_70": [row(cal["calcium"], older)["male"]],
        "calcium_71_plus": [row(cal["calcium"], oldest)["female"],
                            row(cal["calcium"], oldest)["from_months"] / 12],
        "vitamin_d_51_70": [row(cal["vitamin_d"], older)["mcg"],
                            row(cal["vitamin_d"], older)["iu"]],
        "vitamin_d_71_plus": [row(cal["vitamin_d"], oldest)["mcg"],
                              row(cal["vitamin_d"], oldest)["iu"]],
        "magnesium_women_51_plus": [row(cal["magnesium"], older)["female"]],
        "magnesium_men_51_plus": [row(cal["magnesium"], older)["male"]],
    }
    if key in topic:
        return [float(v) for v in topic[key]]
    raise AssertionError(f"{case.area}.yml {case.id}: no source known for the figure {key!r}")


def shown_as(token: str, exact: float) -> bool:
    """True when ``token`` (as the golden file writes it) is ``exact`` rounded to the
    digits it shows."""
    decimals = len(token.partition(".")[2])
    return abs(float(token.replace(",", "")) - exact) <= 0.5 * 10 ** -decimals + 1e-9


def check_figures(case: Case) -> None:
    for key, figure in case.expect.items():
        shown = re.findall(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", figure)
        exact = source_values(case, key)
        assert None not in exact, f"{case.id}: {key} has no value in its source"
        assert len(shown) == len(exact), f"{case.id}: {key} {figure!r} vs source {exact}"
        for token, value in zip(shown, exact):
            assert shown_as(token, float(value)), (
                f"{case.area}.yml {case.id}: {key} is {figure!r} but the source gives "
                f"{value:g} ({case.source})")


def params(cases: list[Case]) -> list:
    return [pytest.param(case, id=f"{case.area}:{case.id}") for case in cases]


FOOD_CASES = [c for c in CASES if "sr28" in c.facts]
OTHER_CASES = [c for c in CASES if "sr28" not in c.facts and c.expect]


@pytest.mark.parametrize("case", params(OTHER_CASES))
def test_golden_figures_match_project_tables(case: Case):
    check_figures(case)


@needs_sr28
@pytest.mark.parametrize("case", params(FOOD_CASES))
def test_golden_food_figures_match_sr28(case: Case):
    check_figures(case)


# ------------------------------------------------------------------------------ the table itself


def test_every_case_is_well_formed():
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    for case in CASES:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", case.id), case.id
        assert case.say and case.source.strip(), case.id
        checks = (case.expect or case.must_contain_response or case.must_not_contain_response
                  or case.must_contain or case.must_not_contain)
        assert checks, f"{case.id} checks nothing"
        for key, figure in case.expect.items():
            assert numbers(figure), f"{case.id}: {key} {figure!r} has no number"
        if case.xfail is not None:
            assert case.xfail.strip(), f"{case.id}: xfail needs a reason"


def test_wording_rules_name_domain_responses():
    from tests.reliability.support import domain_responses

    responses = domain_responses()
    for case in CASES:
        for name in case.must_contain_response + case.must_not_contain_response:
            assert name in responses, f"{case.id}: no response {name} in the domain"


def test_golden_table_size_and_areas():
    assert len(CASES) >= 150
    for area in AREAS:
        assert load_area(area), area
    foods = {c.facts["sr28"]["ndb"] for c in FOOD_CASES if not c.xfail}
    assert len(foods) >= 40 and len([c for c in FOOD_CASES if not c.xfail]) >= 60


def test_every_magnesium_row_is_covered():
    rows = intakes()["magnesium"]
    covered: set[tuple[str, str]] = set()
    for case in CASES:
        person = case.facts.get("person")
        if not person or "magnesium" not in case.expect or case.xfail:
            continue
        r = person_row("magnesium", person)
        stage = {"pregnant": "pregnancy", "lactating": "lactation"}.get(
            person.get("life_stage", ""), person.get("sex") or "male")
        covered.add((r["label"], stage))
        if person.get("sex") is None:
            covered.add((r["label"], "female"))
    wanted = {(r["label"], column) for r in rows
              for column in ("male", "female", "pregnancy", "lactation") if column in r}
    assert wanted <= covered, f"rows without a golden case: {sorted(wanted - covered)}"
    below_14 = [c for c in CASES if c.facts.get("person", {}).get("life_stage") == "pregnant"
                and months_of(c.facts["person"]) < 14 * 12 and not c.xfail]
    assert below_14, "the under-14 pregnancy case (the <= 18 row) is missing"


def test_every_supplement_ul_band_is_covered():
    bands = {r["label"] for r in intakes()["magnesium_supplement_ul"]}
    covered = {row(intakes()["magnesium_supplement_ul"], months_of(c.facts["person"]))["label"]
               for c in CASES if c.area == "upper_limits" and "person" in c.facts}
    assert bands <= covered, sorted(bands - covered)


def test_every_supplement_form_is_covered():
    forms = set(table("supplement_forms.yml")["forms"])
    covered = {c.facts["dose"]["form"] for c in CASES
               if "dose" in c.facts and "elemental_magnesium" in c.expect and not c.xfail}
    assert forms <= covered, sorted(forms - covered)


def test_every_medicine_class_and_condition_is_covered():
    classes = set(table("interactions.yml")["medication_classes"])
    covered = {c.facts["medicine_class"] for c in CASES if "medicine_class" in c.facts}
    assert classes <= covered, sorted(classes - covered)
    said = {name for c in CASES for name in c.must_contain_response}
    assert {"utter_topic_kidney", "utter_topic_heart", "utter_emergency",
            "utter_caution_no_supplement_dose"} <= said


# ------------------------------------------------------------------------------ the matchers


@pytest.mark.parametrize(("reply", "figure", "found"), [
    ("about 320 mg a day", "320 mg", True),
    ("calcium, 1,200 mg a day", "1,200 mg", True),
    ("calcium, 1200 mg a day", "1,200 mg", True),
    ("about 1,320 mg a day", "320 mg", False),
    ("about 3200 mg", "320 mg", False),
    ("about 32 mg", "320 mg", False),
    ("60.3% by weight", "60.3%", True),
    ("60.35% by weight", "60.3%", False),
    ("15 mcg\n(600 IU) a day", "15 mcg (600 IU)", True),
    ("15 mcg (800 IU)", "15 mcg (600 IU)", False),
    ("your ratio is about 4:1.", "4:1", True),
    ("your ratio is about 14:1.", "4:1", False),
    ("take it 4-6 hours after", "4-6 hours", True),
])
def test_figure_matching(reply, figure, found):
    assert has_figure(reply, figure) is found, figure_pattern(figure).pattern


def test_response_matching_fills_placeholders():
    template = "For a woman aged {years}, the recommended magnesium intake is {target_mg} mg a day."
    assert has_response("For a woman aged 40, the recommended magnesium\nintake is 320 mg a day.",
                        template)
    assert not has_response("For a man aged 40, the recommended magnesium intake is 420 mg a day.",
                            template)
    assert response_pattern("Plain text.").pattern == re.escape("Plain text.")
