"""Knowledge answers: the reply to a topic intent, with its figures from the data tables.

Thin adapter. The wording of every reply lives in ``domain.yml`` (responses named
``utter_topic_*``, with ``{placeholders}``); every figure comes from a data table in
``nutrition/data/``:

* ``topic_facts.yml``       body stores, the studies, risk groups, ratio views;
* ``reference_intakes.yml`` recommended intakes and the upper limit (IOM);
* ``interactions.yml``      medicine timings (through :mod:`nutrition.medications`);
* ``supplement_forms.yml``  elemental share of a form (:mod:`nutrition.supplements`).

The rule of each topic intent runs ``action_explain_topic`` and nothing else (in the profile
form, the form then asks its question again). The action utters the reply itself:
``dispatcher.utter_message(response=..., **values)``, and Rasa fills the response's
placeholders from those values (its response generator merges slot values and the values
sent with the response name). ``TOPICS`` below is the one table of which response answers
which intent, with its values. A question about a medicine gets the response of that kind
of medicine, ``utter_topic_interaction_<kind>``. No slot carries a figure: the values
travel with the reply (Rasa keeps them in the bot message's metadata). ``scripts/validate.py``
reads the response names written here, so ``rasa data validate`` knows they are used.

The tables are read once, when this module is imported, and the values of every reply are
prepared then. Per turn, the action only looks up any medicine the user named and sets the
``medical_caution`` slot when the user mentions kidney disease, a heart condition or a
medicine that interacts with magnesium.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from nutrition import medications, supplements
from nutrition.data_files import load
from nutrition.errors import UnknownMedication

CAUTION_SLOT = "medical_caution"
KIDNEY_CAUTION = "kidney disease"
HEART_CAUTION = "heart rhythm problem"
MAX_MEDICINES_PER_TURN = 3


# ----------------------------------------------------------------------------- formatting


def number(value: float | int) -> str:
    """A figure as people write it: ``350``, ``1,200``, ``0.5`` (no trailing zeros)."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def years(value: float | int) -> str:
    """``1 -> "1 year"``, ``2 -> "2 years"``."""
    return f"{number(value)} {'year' if float(value) == 1 else 'years'}"


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


def _band(table: list[dict[str, Any]], age_months: int) -> dict[str, Any]:
    """The row of an age-banded table (half-open ``[from_months, to_months)``)."""
    for row in table:
        if row["from_months"] <= age_months < row["to_months"]:
            return row
    raise LookupError(f"no age band covers {age_months} months")


def _from_age(row: dict[str, Any]) -> str:
    return number(row["from_months"] // 12)


# ------------------------------------------------------------------------- values by table

FACTS: dict[str, Any] = load("topic_facts.yml")
INTAKES: dict[str, Any] = load("reference_intakes.yml")
INTERACTIONS: dict[str, Any] = load("interactions.yml")


def _body_values() -> dict[str, str]:
    body = FACTS["body_magnesium"]
    return {
        "bone_share_low": number(body["bone_share_percent"]["low"]),
        "bone_share_high": number(body["bone_share_percent"]["high"]),
        "extracellular_share": number(body["extracellular_share_percent"]),
        "bone_mineral_share": number(body["bone_mineral_share_percent"]),
        "body_source": body["short_source"],
    }


def _study_values() -> dict[str, str]:
    studies = FACTS["studies"]
    rat, series = studies["rat_2006"], studies["rat_series"]
    celiac, survey = studies["celiac_1996"], studies["us_survey_1985"]
    low, mid, high = sorted(series["requirement_fed_percent"])
    return {
        "rat_2006_year": str(rat["year"]),
        "rat_2006_share": number(rat["requirement_fed_percent"]),
        "rat_2006_source": rat["short_source"],
        "rat_series_low": number(low),
        "rat_series_mid": number(mid),
        "rat_series_high": number(high),
        "review_source": series["short_source"],
        "review_year": str(series["year"]),
        "celiac_year": str(celiac["year"]),
        "celiac_source": celiac["short_source"],
        "survey_first": str(survey["survey_years"]["first"]),
        "survey_last": str(survey["survey_years"]["last"]),
        "survey_year": str(survey["year"]),
        "survey_women_low": number(survey["adult_women_below_percent"]["low"]),
        "survey_women_high": number(survey["adult_women_below_percent"]["high"]),
        "survey_older_men": number(survey["older_men_below_percent"]),
        "survey_source": survey["short_source"],
    }


def _risk_values() -> dict[str, str]:
    risk = FACTS["risk_groups"]
    return {
        "older_men_age": number(risk["older_men_age_over"]),
        "risk_source": risk["short_source"],
    }


def _older_adult_months() -> int:
    """First month of the oldest magnesium band (the "51+ years" row)."""
    return INTAKES["magnesium"][-1]["from_months"]


def _rda_values() -> dict[str, str]:
    row = _band(INTAKES["magnesium"], _older_adult_months())
    return {
        "rda_older_from_age": _from_age(row),
        "rda_older_women": number(row["female"]),
        "rda_older_men": number(row["male"]),
        "rda_source": short_source(INTAKES["source"]["magnesium"]),
    }


def _ul_values() -> dict[str, str]:
    """Supplemental magnesium UL of the band that covers adults."""
    row = _band(INTAKES["magnesium_supplement_ul"], _older_adult_months())
    return {
        "ul_mg": number(row["mg"]),
        "ul_from_age": _from_age(row),
        "ul_source": short_source(INTAKES["source"]["magnesium_ul"]),
    }


def _companion_values() -> dict[str, str]:
    """Calcium and vitamin D for older adults (IOM 2011)."""
    older = _older_adult_months()
    calcium, vitamin_d = INTAKES["calcium"], INTAKES["vitamin_d"]
    calcium_older, calcium_oldest = _band(calcium, older), calcium[-1]
    vitamin_d_older, vitamin_d_oldest = _band(vitamin_d, older), vitamin_d[-1]
    return {
        "older_from_age": number(older // 12),
        "oldest_from_age": _from_age(calcium_oldest),
        "calcium_older_women": number(calcium_older["female"]),
        "calcium_older_men": number(calcium_older["male"]),
        "calcium_oldest": number(calcium_oldest["female"]),
        "vitamin_d_older_mcg": number(vitamin_d_older["mcg"]),
        "vitamin_d_older_iu": number(vitamin_d_older["iu"]),
        "vitamin_d_oldest_mcg": number(vitamin_d_oldest["mcg"]),
        "vitamin_d_oldest_iu": number(vitamin_d_oldest["iu"]),
        "calcium_vitamin_d_source": short_source(INTAKES["source"]["calcium"]),
        **_ratio_values(),
    }


def _ratio_values() -> dict[str, str]:
    """The highest calcium-to-magnesium ratio reported in supplement users (an opinion)."""
    ratio = FACTS["calcium_magnesium_ratio"]
    return {
        "ratio_high_calcium": number(ratio["high_supplement_users"]["calcium"]),
        "ratio_high_magnesium": number(ratio["high_supplement_users"]["magnesium"]),
        "ratio_source": ratio["short_source"],
    }


def _form_values() -> dict[str, str]:
    table = load("supplement_forms.yml")
    return {
        "oxide_percent": number(round(100 * supplements.elemental_fraction("oxide"), 1)),
        "citrate_percent": number(round(100 * supplements.elemental_fraction("citrate"), 1)),
        "forms_source": short_source(table["source"]["formulas"]),
        "absorption_source": short_source(table["source"]["absorption"]),
    }


def _interactions_source() -> dict[str, str]:
    return {"interactions_source": short_source(INTERACTIONS["source"]["interactions"])}


def _timing(class_key: str) -> dict[str, Any]:
    return INTERACTIONS["medication_classes"][class_key].get("timing") or {}


def _interaction_overview_values() -> dict[str, str]:
    classes = INTERACTIONS["medication_classes"]
    antibiotic = _timing("tetracycline_antibiotics")
    after_low, after_high = antibiotic["take_drug_after_hours"]
    return {
        "bisphosphonate_hours": number(_timing("bisphosphonates")["separate_hours_min"]),
        "antibiotic_before_hours": number(antibiotic["take_drug_before_hours_min"]),
        "antibiotic_after_low": number(after_low),
        "antibiotic_after_high": number(after_high),
        "ppi_years": years(classes["proton_pump_inhibitors"]["long_term_use_years_min"]),
        **_interactions_source(),
    }


# -------------------------------------------------------------------------------- replies


class Topic(NamedTuple):
    """The reply to a topic intent: a domain.yml response and the values of its placeholders."""

    response: str
    values: dict[str, str]


PLACEHOLDER = re.compile(r"\{(\w+)\}")


def placeholders(response: str) -> set[str]:
    """Names of the ``{placeholders}`` in the texts of a domain.yml response."""
    variations = replies.responses(None).get(response) or []
    return {name for variation in variations
            for name in PLACEHOLDER.findall(str(variation.get("text") or ""))}


def topic(response: str, values: dict[str, str]) -> Topic:
    """The reply with only the values its text shows (Rasa stores what is sent with it)."""
    shown = placeholders(response)
    return Topic(response, {key: value for key, value in values.items() if key in shown})


# intent -> its reply: the one home of which response answers which intent. Values are
# prepared once, at import. ask_medication_interactions shows the overview when no medicine
# is named; a named medicine gets the response of its kind instead (medicine_reply).
TOPICS: dict[str, Topic] = {
    "ask_what_is_magnesium": topic("utter_topic_what_is_magnesium", _body_values()),
    "ask_magnesium_bones": topic(
        "utter_topic_magnesium_bones", {**_body_values(), **_study_values()}
    ),
    "ask_magnesium_mechanism": topic("utter_topic_magnesium_mechanism", _study_values()),
    "ask_magnesium_evidence": topic("utter_topic_magnesium_evidence", _study_values()),
    "ask_celiac_magnesium": topic("utter_topic_celiac", _study_values()),
    "ask_modern_diet_shortfall": topic(
        "utter_topic_modern_diet", {**_study_values(), **_rda_values()}
    ),
    "ask_risk_groups": topic("utter_topic_risk_groups", _risk_values()),
    "ask_supplement_advice": topic(
        "utter_topic_supplement_advice", {**_risk_values(), **_ul_values()}
    ),
    "ask_supplement_forms": topic("utter_topic_supplement_forms", _form_values()),
    "ask_too_much_magnesium": topic("utter_topic_too_much", _ul_values()),
    "ask_vitamin_d_calcium": topic("utter_topic_vitamin_d_calcium", _companion_values()),
    "ask_medication_interactions": topic(
        "utter_topic_interaction_overview", _interaction_overview_values()
    ),
    "ask_kidney_disease": topic("utter_topic_kidney", _interactions_source()),
    "ask_heart_condition": topic("utter_topic_heart", {}),
}

# Intents whose mention is itself a reason for caution (value for the slot).
CAUTION_BY_INTENT = {
    "ask_kidney_disease": KIDNEY_CAUTION,
    "ask_heart_condition": HEART_CAUTION,
}

# Interaction class -> kind of reply (utter_topic_interaction_<kind>).
KIND_BY_CLASS = {
    "bisphosphonates": "bisphosphonate",
    "tetracycline_antibiotics": "antibiotic",
    "quinolone_antibiotics": "antibiotic",
    "proton_pump_inhibitors": "proton_pump_inhibitor",
    "loop_thiazide_diuretics": "loop_thiazide_diuretic",
    "potassium_sparing_diuretics": "potassium_sparing_diuretic",
}
INFUSION_KIND = "bisphosphonate_infusion"
UNKNOWN_KIND = "unknown"
OVERVIEW_KIND = "overview"


def interaction_response(kind: str) -> str:
    """The reply about one kind of medicine: ``antibiotic`` -> ``..._interaction_antibiotic``."""
    return f"utter_topic_interaction_{kind}"


# ------------------------------------------------------------------------------ medicines


def medicine_reply(value: str) -> tuple[Topic, str | None]:
    """The reply about one medicine the user named, and its caution (or None).

    ``value`` is the extractor's normalised value: a drug ("alendronate"), a class key
    ("proton_pump_inhibitors") or any name the interaction table knows. The reply is the
    response of that kind of medicine (``utter_topic_interaction_<kind>``) with ``medicine``
    (the name to show) and the figures of that response.
    """
    name = str(value).replace("_", " ").strip()
    try:
        if value in medications.medication_classes():
            info = INTERACTIONS["medication_classes"][value]
            name = info["class_names"][-1] if info.get("class_names") else info["name"]
        found = medications.find_medication(name)
    except UnknownMedication:
        return topic(interaction_response(UNKNOWN_KIND), {"medicine": name}), None
    kind = KIND_BY_CLASS.get(found.drug_class)
    if kind is None:  # a class added to the table without its own reply: show the overview
        return TOPICS["ask_medication_interactions"], found.class_name
    if kind == "bisphosphonate" and found.route == "intravenous":
        kind = INFUSION_KIND
    values: dict[str, str] = {
        "medicine": found.drug.replace("_", " ") if found.drug else found.class_name,
        **_interactions_source(),
    }
    timing = _timing(found.drug_class)
    if "separate_hours_min" in timing:
        values["bisphosphonate_hours"] = number(timing["separate_hours_min"])
    if "take_drug_before_hours_min" in timing:
        after_low, after_high = timing["take_drug_after_hours"]
        values.update(
            antibiotic_before_hours=number(timing["take_drug_before_hours_min"]),
            antibiotic_after_low=number(after_low),
            antibiotic_after_high=number(after_high),
        )
    if found.long_term_use_years_min is not None:
        values["ppi_years"] = years(found.long_term_use_years_min)
    return topic(interaction_response(kind), values), found.class_name


def _medication_values(tracker: Tracker) -> list[str]:
    seen: list[str] = []
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") != "medication":
            continue
        value = str(entity.get("value") or "").strip()
        if value and value not in seen:
            seen.append(value)
    return seen[:MAX_MEDICINES_PER_TURN]


def merge_caution(current: Any, new: list[str]) -> str | None:
    """Add new cautions to the slot's current value ("kidney disease, bisphosphonates")."""
    items = [part.strip() for part in str(current or "").split(",") if part.strip()]
    for caution in new:
        if caution and caution not in items:
            items.append(caution)
    return ", ".join(items) or None


# --------------------------------------------------------------------------------- action


class ActionExplainTopic(Action):
    """Utter the reply to the latest topic intent, its placeholders filled from the tables.

    A question about medicines gets the reply about the medicine named (the first one the
    interaction table knows, else the first one), or the overview. Also sets
    ``medical_caution`` when the user mentions kidney disease, a heart condition or a
    medicine that interacts with magnesium.
    """

    def name(self) -> str:
        return "action_explain_topic"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        topic = TOPICS.get(intent)
        cautions: list[str] = []
        if intent in CAUTION_BY_INTENT:
            cautions.append(CAUTION_BY_INTENT[intent])

        medicines: list[Topic] = []
        for value in _medication_values(tracker):
            medicine, caution = medicine_reply(value)
            medicines.append(medicine)
            if caution:
                cautions.append(caution)
        if intent == "ask_medication_interactions" and medicines:
            # The reply covers one medicine: the first one the table knows, else the first.
            unknown = interaction_response(UNKNOWN_KIND)
            known = [m for m in medicines if m.response != unknown]
            topic = (known or medicines)[0]

        if topic is not None:
            dispatcher.utter_message(response=topic.response, **topic.values)

        events: list[dict[str, Any]] = []
        if cautions:
            current = tracker.get_slot(CAUTION_SLOT)
            merged = merge_caution(current, cautions)
            if merged != current:
                events.append(SlotSet(CAUTION_SLOT, merged))
        return events
