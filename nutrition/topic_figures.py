"""The figures the knowledge answers show, gathered from the data tables as plain values.

Each function returns ``{placeholder name: value}`` for a group of facts: numbers (shown
as figures), :class:`YearsSpan` (a duration in years) or strings (a source's name, a year of
publication). Formatting them for reading is the actions' job; the wording is in the domain.

Tables: ``topic_facts.yml`` (body stores, studies, risk groups, ratio views),
``reference_intakes.yml`` (intakes and upper limits, through :mod:`nutrition.intake`),
``interactions.yml`` (medicine timings), ``supplement_forms.yml`` (elemental share of a
form), ``bone_basics.yml`` (osteoporosis basics), ``bone_density.yml`` (WHO T-score
cut-offs) and ``crisis_lines.yml`` (free crisis lines, said after the self-harm reply).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .bone_density import bone_density_source, t_score_limits
from .data_files import load
from .intake import band_row, oldest_row, table_source
from .medications import MedicationInteraction
from .supplements import elemental_fraction


@dataclass(frozen=True)
class YearsSpan:
    """A length of time in years ("1 year", "2 years" when worded)."""

    years: float


Figure = float | str | YearsSpan
Figures = dict[str, Figure]


def short_source(text: str) -> str:
    """The name part of a table's source note, for a "Source:" line.

    "Institute of Medicine (1997). Dietary Reference ..." -> "Institute of Medicine (1997)";
    "NIH Office of Dietary Supplements, Magnesium Fact Sheet ..." -> "NIH Office of ...".
    """
    text = " ".join(str(text).split())
    dated = re.match(r"[^,.;(]+\(\d{4}\)", text)
    if dated:
        return dated.group(0).strip()
    return re.split(r"[,;]", text, maxsplit=1)[0].strip().rstrip(".")


def _facts() -> dict[str, Any]:
    facts: dict[str, Any] = load("topic_facts.yml")
    return facts


def _interactions() -> dict[str, Any]:
    interactions: dict[str, Any] = load("interactions.yml")
    return interactions


def _from_age(row: dict[str, Any]) -> float:
    return float(row["from_months"] // 12)


def _older_adult_months() -> int:
    """First month of the oldest magnesium band (the "51+ years" row)."""
    return int(oldest_row("magnesium")["from_months"])


def body_figures() -> Figures:
    body = _facts()["body_magnesium"]
    return {
        "bone_share_low": body["bone_share_percent"]["low"],
        "bone_share_high": body["bone_share_percent"]["high"],
        "extracellular_share": body["extracellular_share_percent"],
        "bone_mineral_share": body["bone_mineral_share_percent"],
        "body_source": body["short_source"],
    }


def study_figures() -> Figures:
    studies = _facts()["studies"]
    rat, series = studies["rat_2006"], studies["rat_series"]
    celiac, survey = studies["celiac_1996"], studies["us_survey_1985"]
    low, mid, high = sorted(series["requirement_fed_percent"])
    return {
        "rat_2006_year": str(rat["year"]),
        "rat_2006_share": rat["requirement_fed_percent"],
        "rat_2006_source": rat["short_source"],
        "rat_series_low": low,
        "rat_series_mid": mid,
        "rat_series_high": high,
        "review_source": series["short_source"],
        "review_year": str(series["year"]),
        "celiac_year": str(celiac["year"]),
        "celiac_source": celiac["short_source"],
        "survey_first": str(survey["survey_years"]["first"]),
        "survey_last": str(survey["survey_years"]["last"]),
        "survey_year": str(survey["year"]),
        "survey_women_low": survey["adult_women_below_percent"]["low"],
        "survey_women_high": survey["adult_women_below_percent"]["high"],
        "survey_older_men": survey["older_men_below_percent"],
        "survey_source": survey["short_source"],
    }


def bone_density_figures() -> Figures:
    """The observational studies of magnesium intake and bone density (NIH ODS summary)."""
    studies = _facts()["studies"]
    abc, whi = studies["health_abc_2005"], studies["whi_2014"]
    return {
        "abc_year": str(abc["year"]),
        "abc_people": abc["participants"],
        "abc_age_low": abc["ages"]["low"],
        "abc_age_high": abc["ages"]["high"],
        "abc_source": abc["short_source"],
        "whi_year": str(whi["year"]),
        "whi_women": whi["participants"],
        "whi_hip_higher": whi["hip_bmd_higher_percent"],
        "whi_body_higher": whi["whole_body_bmd_higher_percent"],
        "whi_source": whi["short_source"],
        "bone_density_source": studies["bone_density_summary"]["short_source"],
    }


def risk_figures() -> Figures:
    risk = _facts()["risk_groups"]
    return {"older_men_age": risk["older_men_age_over"], "risk_source": risk["short_source"]}


def rda_figures() -> Figures:
    """The magnesium RDA of the oldest band (older adults)."""
    row = band_row("magnesium", _older_adult_months())
    return {
        "rda_older_from_age": _from_age(row),
        "rda_older_women": row["female"],
        "rda_older_men": row["male"],
        "rda_source": short_source(table_source("magnesium")),
    }


def ul_figures() -> Figures:
    """The supplemental magnesium upper limit of the band that covers adults."""
    row = band_row("magnesium_supplement_ul", _older_adult_months())
    return {
        "ul_mg": row["mg"],
        "ul_from_age": _from_age(row),
        "ul_source": short_source(table_source("magnesium_ul")),
    }


def ratio_figures() -> Figures:
    """The highest calcium-to-magnesium ratio reported in supplement users (an opinion)."""
    ratio = _facts()["calcium_magnesium_ratio"]
    return {
        "ratio_high_calcium": ratio["high_supplement_users"]["calcium"],
        "ratio_high_magnesium": ratio["high_supplement_users"]["magnesium"],
        "ratio_source": ratio["short_source"],
    }


def companion_figures() -> Figures:
    """Calcium and vitamin D for older adults (IOM 2011), with the ratio opinion."""
    older = _older_adult_months()
    calcium_older, calcium_oldest = band_row("calcium", older), oldest_row("calcium")
    vitamin_d_older, vitamin_d_oldest = band_row("vitamin_d", older), oldest_row("vitamin_d")
    return {
        "older_from_age": float(older // 12),
        "oldest_from_age": _from_age(calcium_oldest),
        "calcium_older_women": calcium_older["female"],
        "calcium_older_men": calcium_older["male"],
        "calcium_oldest": calcium_oldest["female"],
        "vitamin_d_older_mcg": vitamin_d_older["mcg"],
        "vitamin_d_older_iu": vitamin_d_older["iu"],
        "vitamin_d_oldest_mcg": vitamin_d_oldest["mcg"],
        "vitamin_d_oldest_iu": vitamin_d_oldest["iu"],
        "calcium_vitamin_d_source": short_source(table_source("calcium")),
        **ratio_figures(),
    }


def form_figures() -> Figures:
    """Elemental share of the two commonest forms, in per cent (one decimal)."""
    table: dict[str, Any] = load("supplement_forms.yml")
    return {
        "oxide_percent": round(100 * elemental_fraction("oxide"), 1),
        "citrate_percent": round(100 * elemental_fraction("citrate"), 1),
        "forms_source": short_source(table["source"]["formulas"]),
        "absorption_source": short_source(table["source"]["absorption"]),
    }


def interactions_source() -> Figures:
    return {"interactions_source": short_source(_interactions()["source"]["interactions"])}


def _timing(class_key: str) -> dict[str, Any]:
    timing: dict[str, Any] = _interactions()["medication_classes"][class_key].get("timing") or {}
    return timing


def interaction_overview_figures() -> Figures:
    """Timings of the commonest interacting medicines (bisphosphonates, antibiotics, PPIs)."""
    classes = _interactions()["medication_classes"]
    antibiotic = _timing("tetracycline_antibiotics")
    after_low, after_high = antibiotic["take_drug_after_hours"]
    return {
        "bisphosphonate_hours": _timing("bisphosphonates")["separate_hours_min"],
        "antibiotic_before_hours": antibiotic["take_drug_before_hours_min"],
        "antibiotic_after_low": after_low,
        "antibiotic_after_high": after_high,
        "ppi_years": YearsSpan(classes["proton_pump_inhibitors"]["long_term_use_years_min"]),
        **interactions_source(),
    }


def medicine_figures(found: MedicationInteraction) -> Figures:
    """The timings of one medicine (those its class has) and the table's source."""
    figures: Figures = dict(interactions_source())
    if found.separate_hours_min is not None:
        figures["bisphosphonate_hours"] = found.separate_hours_min
    if found.take_drug_before_hours_min is not None and found.take_drug_after_hours is not None:
        after_low, after_high = found.take_drug_after_hours
        figures.update(
            antibiotic_before_hours=found.take_drug_before_hours_min,
            antibiotic_after_low=after_low,
            antibiotic_after_high=after_high,
        )
    if found.long_term_use_years_min is not None:
        figures["ppi_years"] = YearsSpan(found.long_term_use_years_min)
    return figures


# ------------------------------------------------------------------ osteoporosis basics


def _basics() -> dict[str, Any]:
    basics: dict[str, Any] = load("bone_basics.yml")
    return basics


def t_score_band_figures() -> Figures:
    """The WHO T-score cut-offs (bone_density.yml) and their source."""
    limits = t_score_limits()
    return {
        "normal_from": limits["normal_from"],
        "osteoporosis_at_or_below": limits["osteoporosis_at_or_below"],
        "bands_source": bone_density_source(),
    }


def osteoporosis_figures() -> Figures:
    """What osteoporosis is (NIAMS) and how many people aged 50 and over break a bone
    because of it (Bone Health & Osteoporosis Foundation), shown as "1 in N"."""
    basics = _basics()
    fractures = basics["fractures_after_50"]
    return {
        "fracture_from_age": fractures["from_age"],
        "fracture_women_one_in": fractures["women_one_in"],
        "fracture_men_one_in": fractures["men_one_in"],
        "fracture_source": fractures["short_source"],
        "basics_source": basics["osteoporosis"]["short_source"],
    }


def bone_nutrient_figures() -> Figures:
    return {"nutrients_source": _basics()["nutrients"]["short_source"]}


def exercise_figures() -> Figures:
    return {"exercise_source": _basics()["exercise"]["short_source"]}


def knowledge_figures() -> Figures:
    """Every figure the knowledge-base answers (domain/knowledge_<area>.yml) may show, by
    placeholder name. One function for all entries: an answer shows only the placeholders
    its text names. Each figure comes from a cited table."""
    return {**rda_figures(), **ul_figures()}


def crisis_line_figures() -> Figures:
    """Free crisis lines (crisis_lines.yml) and where they come from, for the reply said
    after the self-harm safety reply."""
    table: dict[str, Any] = load("crisis_lines.yml")
    lines, directory = table["lines"], table["directory"]
    return {
        "crisis_us_canada": str(lines["us_canada"]["number"]),
        "crisis_uk_ireland": str(lines["uk_ireland"]["number"]),
        "crisis_directory": str(directory["url"]),
        "crisis_source": "; ".join(
            [str(row["source"]) for row in lines.values()] + [str(directory["source"])]),
    }
