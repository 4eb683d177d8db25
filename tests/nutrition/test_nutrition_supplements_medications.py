"""Supplement forms (elemental magnesium) and medication interactions."""

from __future__ import annotations

import pytest

from nutrition.errors import InvalidAmount, UnknownMedication, UnknownSupplementForm
from nutrition.medications import (
    condition_cautions,
    deficiency_signs,
    find_medication,
    medication_classes,
    medication_surface_forms,
    toxicity_facts,
)
from nutrition.supplements import (
    elemental_fraction,
    elemental_magnesium,
    find_form,
    resolve_form,
    supplement_forms,
    supplement_surface_forms,
    topical_surface_forms,
)
from nutrition.text import key_form

# Percent elemental magnesium listed in the project reference (nutrition-facts.md).
REFERENCE_PERCENT = [
    ("oxide", None, 60.3), ("citrate", None, 16.2), ("citrate", "nonahydrate", 11.9),
    ("bisglycinate", None, 14.1), ("chloride", None, 25.5), ("chloride", "hexahydrate", 12.0),
    ("lactate", None, 12.0), ("lactate", "dihydrate", 10.2), ("aspartate", None, 8.4),
    ("aspartate", "dihydrate", 7.5), ("malate", None, 15.5), ("malate", "trihydrate", 11.6),
    ("threonate", None, 8.3), ("sulfate", None, 20.2), ("sulfate", "heptahydrate", 9.9),
]


@pytest.mark.parametrize(("form", "hydrate", "percent"), REFERENCE_PERCENT)
def test_computed_fractions_match_reference_table(form, hydrate, percent):
    assert 100 * elemental_fraction(form, hydrate) == pytest.approx(percent, abs=0.06)


def test_hydroxide_fraction_follows_from_its_formula():
    # Mg(OH)2: 24.305 / 58.319
    assert elemental_fraction("hydroxide") == pytest.approx(0.4168, abs=0.0005)


def test_seed_example_500_mg_oxide_is_about_302_mg():
    result = elemental_magnesium("magnesium oxide", 500)
    assert result.elemental_mg == pytest.approx(302, abs=1)
    assert result.form == "oxide" and result.hydrate == "anhydrous"
    assert "label" in result.source


@pytest.mark.parametrize(
    ("name", "form", "hydrate"),
    [
        ("mag ox", "oxide", "anhydrous"), ("Magnesium Glycinate", "bisglycinate", "anhydrous"),
        ("epsom salt", "sulfate", "heptahydrate"), ("milk of magnesia", "hydroxide", "anhydrous"),
        ("magnesium citrat", "citrate", "anhydrous"), ("magnesium citrate powder", "citrate",
                                                       "anhydrous"),
        ("threonate", "threonate", "anhydrous"),
    ],
)
def test_names_people_use_resolve(name, form, hydrate):
    result = elemental_magnesium(name, 1000)
    assert (result.form, result.hydrate) == (form, hydrate)


def test_explicit_hydrate_overrides_and_alternatives_are_listed():
    result = elemental_magnesium("citrate", 1000, hydrate="nonahydrate")
    assert result.elemental_mg == pytest.approx(118.9, abs=0.2)
    assert result.other_hydrates["anhydrous"] == pytest.approx(161.6, abs=0.2)


def test_chloride_defaults_to_the_hexahydrate_people_buy():
    # flakes, "magnesium oil" and most oral chloride products are MgCl2.6H2O (12.0 %),
    # not the anhydrous salt (25.5 %): the old answer doubled the magnesium
    result = elemental_magnesium("magnesium chloride", 1000)
    assert result.hydrate == "hexahydrate" and result.hydrate_assumed
    assert result.percent_elemental == pytest.approx(12.0, abs=0.06)
    assert result.other_hydrates["anhydrous"] == pytest.approx(255.3, abs=0.2)


@pytest.mark.parametrize(
    ("name", "hydrate", "percent"),
    [("magnesium flakes", "hexahydrate", 12.0), ("anhydrous magnesium chloride", "anhydrous", 25.5),
     ("epsom salt", "heptahydrate", 9.9)],
)
def test_names_that_say_the_hydrate_are_not_assumed(name, hydrate, percent):
    result = elemental_magnesium(name, 1000)
    assert (result.hydrate, result.hydrate_assumed) == (hydrate, False)
    assert result.percent_elemental == pytest.approx(percent, abs=0.06)


def test_caller_hydrate_wins_over_the_default():
    result = elemental_magnesium("magnesium chloride", 1000, hydrate="anhydrous")
    assert result.hydrate == "anhydrous" and not result.hydrate_assumed
    assert result.elemental_mg == pytest.approx(255.3, abs=0.2)


def test_magnesium_oil_is_a_topical_hexahydrate():
    result = elemental_magnesium("magnesium oil", 1000)
    assert result.form == "chloride" and result.hydrate == "hexahydrate"
    assert result.topical
    assert not elemental_magnesium("magnesium chloride", 1000).topical
    assert "magnesium oil" in topical_surface_forms()
    assert "magnesium chloride" not in topical_surface_forms()


def test_epsom_salt_carries_the_laxative_note():
    assert "laxative" in elemental_magnesium("epsom salt", 1000).notes
    assert elemental_magnesium("magnesium citrate", 1000).notes == ()


# Percent magnesium from the formulas by hand (IUPAC weights), for the forms added to
# the table: each must resolve to ITSELF (before, each was matched to another compound).
NEW_FORMS = [
    ("magnesium taurate", "taurate", 8.92), ("magnesium carbonate", "carbonate", 28.83),
    ("magnesium gluconate", "gluconate", 5.86), ("magnesium orotate", "orotate", 7.27),
    ("magnesium acetate", "acetate", 17.07), ("magnesium ascorbate", "ascorbate", 6.49),
    ("magnesium fumarate", "fumarate", 17.57), ("magnesium succinate", "succinate", 17.31),
    ("magnesium hydroxide", "hydroxide", 41.68), ("magnesium sulfate", "sulfate", 20.19),
]


@pytest.mark.parametrize(("name", "form", "percent"), NEW_FORMS)
def test_common_forms_resolve_to_themselves(name, form, percent):
    result = elemental_magnesium(name, 1000)
    assert result.form == form
    assert 100 * elemental_fraction(form) == pytest.approx(percent, abs=0.02)


@pytest.mark.parametrize(
    "name",
    ["magnesium picolinate", "magnesium pidolate", "magnesium glycerophosphate",
     "magnesium stearate", "Magnesium L-Carnitinate", "magnesium glucinate"],
)
def test_unknown_forms_are_never_answered_for_another_compound(name):
    with pytest.raises(UnknownSupplementForm) as caught:
        resolve_form(name)
    assert caught.value.name == name


def _one_edit_variants(word: str) -> set[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    variants = {word[:i] + word[i + 1:] for i in range(len(word))}
    variants |= {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)}
    variants |= {word[:i] + c + word[i + 1:] for i in range(len(word)) for c in letters}
    variants |= {word[:i] + c + word[i:] for i in range(len(word) + 1) for c in letters}
    return variants - {word}


def test_misspellings_never_cross_from_one_form_to_another():
    # Property over all pairs of form names: a one-edit misspelling of a name of form A
    # resolves to A or is refused; it may resolve to another form B only when it IS
    # one of B's names.
    # one edit anywhere in "magnesium" only misspells the filler word, so the edits
    # go into the words that name the compound
    surfaces = supplement_surface_forms()
    exact = {key_form(name): key for name, (key, _) in surfaces.items()}
    names = {}
    for name, (form, _) in surfaces.items():
        words = " ".join(w for w in key_form(name).split() if w not in ("magnesium", "mag"))
        if len(words) >= 3:
            names[words] = form
    assert len(set(names.values())) == len(supplement_forms())
    checked = crossings = 0
    for name, form in names.items():
        for variant in _one_edit_variants(name):
            if key_form(variant) in exact:
                continue
            checked += 1
            try:
                got = resolve_form(variant)[0]
            except UnknownSupplementForm:
                continue
            if got != form:
                crossings += 1
                pytest.fail(f"{variant!r} (a misspelling of {name!r}, {form}) -> {got}")
    assert checked > 10_000 and crossings == 0


def test_misspellings_of_a_form_s_own_names_are_tolerated():
    assert find_form("magnesium citrat").form == "citrate"
    assert not find_form("magnesium citrat").exact
    assert resolve_form("magnesium glycinat")[0] == "bisglycinate"
    assert resolve_form("magnesum taurate")[0] == "taurate"


def test_absorption_classes_follow_ods():
    forms = supplement_surface_forms()
    assert forms["magnesium citrate"][1] == "better"
    assert forms["magnesium chloride"][1] == "better"
    assert forms["mag ox"] == ("oxide", "lower")
    assert forms["epsom salt"] == ("sulfate", "lower")
    assert forms["magnesium glycinate"][1] == "not_rated"


def test_every_form_has_surface_names():
    forms = {key for key, _ in supplement_surface_forms().values()}
    assert forms == set(supplement_forms())
    assert len(forms) >= 18


@pytest.mark.parametrize("bad", ["unicorn dust", "", None])
def test_unknown_form_raises(bad):
    with pytest.raises(UnknownSupplementForm):
        elemental_magnesium(bad, 100)


def test_unknown_hydrate_raises():
    with pytest.raises(UnknownSupplementForm):
        elemental_magnesium("oxide", 100, hydrate="heptahydrate")


@pytest.mark.parametrize("amount", [-5, "lots", float("nan"), True])
def test_bad_compound_amount_raises(amount):
    with pytest.raises(InvalidAmount):
        elemental_magnesium("oxide", amount)


# --------------------------------------------------------------- medications


@pytest.mark.parametrize(
    ("name", "drug", "drug_class"),
    [
        ("Fosamax", "alendronate", "bisphosphonates"),
        ("actonel", "risedronate", "bisphosphonates"),
        ("Atelvia", "risedronate", "bisphosphonates"),
        ("boniva", "ibandronate", "bisphosphonates"),
        ("reclast", "zoledronic_acid", "bisphosphonates"),
        ("zometa", "zoledronic_acid", "bisphosphonates"),
        ("doxycycline", "doxycycline", "tetracycline_antibiotics"),
        ("minocycline", "minocycline", "tetracycline_antibiotics"),
        ("tetracycline", "tetracycline", "tetracycline_antibiotics"),
        ("Cipro", "ciprofloxacin", "quinolone_antibiotics"),
        ("levaquin", "levofloxacin", "quinolone_antibiotics"),
        ("prilosec", "omeprazole", "proton_pump_inhibitors"),
        ("Nexium", "esomeprazole", "proton_pump_inhibitors"),
        ("prevacid", "lansoprazole", "proton_pump_inhibitors"),
        ("protonix", "pantoprazole", "proton_pump_inhibitors"),
        ("lasix", "furosemide", "loop_thiazide_diuretics"),
        ("hydrochlorothiazide", "hydrochlorothiazide", "loop_thiazide_diuretics"),
        ("chlorthalidone", "chlorthalidone", "loop_thiazide_diuretics"),
        ("spironolactone", "spironolactone", "potassium_sparing_diuretics"),
        ("amiloride", "amiloride", "potassium_sparing_diuretics"),
        ("omeprazol", "omeprazole", "proton_pump_inhibitors"),
    ],
)
def test_medication_names_resolve(name, drug, drug_class):
    result = find_medication(name)
    assert (result.drug, result.drug_class) == (drug, drug_class)
    assert "Office of Dietary Supplements" in result.source


def test_class_names_resolve_to_the_class():
    result = find_medication("PPIs")
    assert result.drug is None and result.drug_class == "proton_pump_inhibitors"
    assert result.long_term_use_years_min == 1


def test_timing_is_structured_hours():
    assert find_medication("alendronate").separate_hours_min == 2
    cipro = find_medication("cipro")
    assert cipro.take_drug_before_hours_min == 2
    assert cipro.take_drug_after_hours == (4, 6)


def test_diuretic_effects_differ_by_class():
    assert find_medication("furosemide").effect == "increases_magnesium_loss"
    assert find_medication("spironolactone").effect == "reduces_magnesium_excretion"


@pytest.mark.parametrize("name", ["tylenol", "", None, "aspirin"])
def test_unknown_medication_raises(name):
    with pytest.raises(UnknownMedication):
        find_medication(name)


def test_surface_forms_cover_every_class():
    classes = {drug_class for _, drug_class in medication_surface_forms().values()}
    assert classes == set(medication_classes())
    assert len(classes) == 6


def test_signs_and_cautions_are_structured_codes():
    signs = deficiency_signs()
    assert "fatigue" in signs["early"] and "abnormal_heart_rhythm" in signs["later"]
    toxicity = toxicity_facts()
    assert toxicity["emergency"] is True
    assert "cardiac_arrest" in toxicity["signs"]
    assert toxicity["main_effect_of_excess_supplement"] == "diarrhea"
    kidney = condition_cautions()["kidney_impairment"]
    assert kidney["advice"] == "supplements_need_clinician_advice"
    for code in signs["early"] + signs["later"] + toxicity["signs"]:
        assert code.replace("_", "").isalpha() and code == code.lower()
