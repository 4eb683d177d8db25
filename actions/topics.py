"""Knowledge answers: the reply to a topic intent, with its figures from the data tables.

Thin adapter. The wording of every reply lives in ``domain/topics.yml`` and
``domain/safety.yml`` (responses named ``utter_topic_*``, with ``{placeholders}``); every
figure comes from the nutrition core (:mod:`nutrition.topic_figures`, which reads the data
tables), and the caution rule from :mod:`nutrition.cautions`.

A question about a bone scan score with a number in it ("what does a T-score of -2.3
mean?") gets the score's reply instead (:mod:`actions.bone_basics`).

The rule of each topic intent runs ``action_explain_topic`` and nothing else (in the profile
form, the form then asks its question again). The action utters the reply itself:
``dispatcher.utter_message(response=..., **values)``, and Rasa fills the response's
placeholders from those values (its response generator merges slot values and the values
sent with the response name). ``TOPICS`` below is the one table of which response answers
which intent, with its values. A question about a medicine gets the response of that kind
of medicine, ``utter_topic_interaction_<kind>``. No slot carries a figure: the values
travel with the reply (Rasa keeps them in the bot message's metadata). ``scripts/validate.py``
reads the response names written here, so ``rasa data validate`` knows they are used.

The values of every reply are prepared once, when this module is imported. Per turn, the
action only looks up any medicine the user named and sets the ``medical_caution`` slot
when the message raises a caution (kidney disease, a heart condition, a medicine that
interacts with magnesium).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import replies
from actions.base import CAUTION_SLOT, Answer, Turn, TurnAction
from actions.bone_basics import score_reply
from nutrition import sources
from nutrition import topic_figures as figures
from nutrition.bone_density import score_in_question
from nutrition.cautions import LookedUpMedicine, merge_cautions
from nutrition.medications import named_medicine
from nutrition.topic_figures import Figures, YearsSpan

# Topic figures are shown with up to two decimals ("16.2", "1,200").
DECIMALS = 2


def shown(values: Figures) -> dict[str, str]:
    """The figures as a reply shows them: numbers as people write them, spans in years."""
    text: dict[str, str] = {}
    for key, value in values.items():
        if isinstance(value, str):
            text[key] = value
        elif isinstance(value, YearsSpan):
            text[key] = replies.years(value.years, DECIMALS)
        else:
            text[key] = replies.number(value, DECIMALS)
    return text


class Topic(NamedTuple):
    """The reply to a topic intent: a domain response and the values of its placeholders."""

    response: str
    values: dict[str, str]


PLACEHOLDER = re.compile(r"\{(\w+)\}")


def placeholders(response: str) -> set[str]:
    """Names of the ``{placeholders}`` in the texts of a domain response."""
    variations = replies.responses(None).get(response) or []
    return {name for variation in variations
            for name in PLACEHOLDER.findall(str(variation.get("text") or ""))}


def topic(response: str, values: Figures) -> Topic:
    """The reply with only the values its text shows (Rasa stores what is sent with it)."""
    keep = placeholders(response)
    return Topic(response, {key: value for key, value in shown(values).items() if key in keep})


# intent -> its reply: the one home of which response answers which intent. Values are
# prepared once, at import. ask_medication_interactions shows the overview when no medicine
# is named; a named medicine gets the response of its kind instead (medicine_reply).
TOPICS: dict[str, Topic] = {
    "ask_what_is_magnesium": topic("utter_topic_what_is_magnesium", figures.body_figures()),
    "ask_magnesium_bones": topic(
        "utter_topic_magnesium_bones", {**figures.body_figures(), **figures.study_figures()}
    ),
    "ask_magnesium_mechanism": topic("utter_topic_magnesium_mechanism", figures.study_figures()),
    "ask_magnesium_evidence": topic(
        "utter_topic_magnesium_evidence",
        {**figures.study_figures(), **figures.bone_density_figures()},
    ),
    "ask_celiac_magnesium": topic("utter_topic_celiac", figures.study_figures()),
    "ask_modern_diet_shortfall": topic(
        "utter_topic_modern_diet", {**figures.study_figures(), **figures.rda_figures()}
    ),
    "ask_risk_groups": topic("utter_topic_risk_groups", figures.risk_figures()),
    "ask_supplement_advice": topic(
        "utter_topic_supplement_advice", {**figures.risk_figures(), **figures.ul_figures()}
    ),
    "ask_supplement_forms": topic("utter_topic_supplement_forms", figures.form_figures()),
    "ask_too_much_magnesium": topic("utter_topic_too_much", figures.ul_figures()),
    "ask_vitamin_d_calcium": topic(
        "utter_topic_vitamin_d_calcium", figures.companion_figures()
    ),
    "ask_medication_interactions": topic(
        "utter_topic_interaction_overview", figures.interaction_overview_figures()
    ),
    "ask_kidney_disease": topic("utter_topic_kidney", figures.interactions_source()),
    "ask_heart_condition": topic("utter_topic_heart", {}),
    # said after utter_self_harm (data/rules/safety.yml)
    "report_self_harm": topic("utter_topic_crisis_lines", figures.crisis_line_figures()),
    # osteoporosis basics (domain/bone_basics.yml)
    "ask_what_is_osteoporosis": topic(
        "utter_topic_what_is_osteoporosis", figures.osteoporosis_figures()
    ),
    "ask_what_is_osteopenia": topic(
        "utter_topic_what_is_osteopenia",
        {**figures.t_score_band_figures(), **figures.osteoporosis_figures()},
    ),
    # a score in the message gets the score reply instead (actions/bone_basics.py)
    "ask_t_score": topic("utter_topic_t_score_bands", figures.t_score_band_figures()),
    "ask_osteoporosis_men": topic(
        "utter_topic_osteoporosis_men",
        {**figures.osteoporosis_figures(), **figures.rda_figures()},
    ),
    "ask_osteoporosis_risk_factors": topic(
        "utter_topic_osteoporosis_risk_factors", figures.osteoporosis_figures()
    ),
    "ask_bone_nutrients": topic("utter_topic_bone_nutrients", figures.bone_nutrient_figures()),
    "ask_bone_exercise": topic("utter_topic_bone_exercise", figures.exercise_figures()),
    # "where does your information come from?" (and "where is that from?" with no last
    # answer to refer to: actions/followups.py)
    "ask_info_sources": topic("utter_topic_info_sources", {
        "reference_sources": "; ".join(sources.reference_sources()),
        "study_sources": "; ".join(sources.study_sources()),
    }),
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


def looked_up_reply(medicine: LookedUpMedicine) -> Topic:
    """The reply about one medicine of the message: the response of its kind of medicine
    (``utter_topic_interaction_<kind>``) with ``medicine`` (the name to show) and the
    figures of that response."""
    found = medicine.interaction
    if found is None:
        name = medicine.value.replace("_", " ").strip()
        return topic(interaction_response(UNKNOWN_KIND), {"medicine": name})
    kind = KIND_BY_CLASS.get(found.drug_class)
    if kind is None:  # a class added to the table without its own reply: show the overview
        return TOPICS["ask_medication_interactions"]
    if kind == "bisphosphonate" and found.route == "intravenous":
        kind = INFUSION_KIND
    name = found.drug.replace("_", " ") if found.drug else found.class_name
    return topic(interaction_response(kind),
                 {"medicine": name, **figures.medicine_figures(found)})


def medicine_reply(value: str) -> tuple[Topic, str | None]:
    """The reply about one medicine the user named (the extractor's normalised value), and
    its caution (the medicine's class, or None when the table doesn't know it)."""
    found = named_medicine(value)
    return looked_up_reply(LookedUpMedicine(value, found)), found.class_name if found else None


# --------------------------------------------------------------------------------- action


class ActionExplainTopic(TurnAction):
    """Utter the reply to the latest topic intent, its placeholders filled from the tables.

    A question about medicines gets the reply about the medicine named (the first one the
    interaction table knows, else the first one), or the overview. Also sets
    ``medical_caution`` when the message raises a caution (:mod:`nutrition.cautions`).
    """

    answer_kind = "topic"

    def name(self) -> str:
        return "action_explain_topic"

    # Synchronous on purpose (rasa_sdk runs both kinds): the reply needs no awaiting.
    def run(  # type: ignore[override]
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return self.respond(dispatcher, tracker, domain)

    def answer(self, turn: Turn, domain: DomainDict) -> Answer:
        chosen = TOPICS.get(turn.intent) if turn.intent else None
        medicines = [looked_up_reply(m) for m in turn.cautions.medicines]
        if turn.intent == "ask_medication_interactions" and medicines:
            # The reply covers one medicine: the first one the table knows, else the first.
            unknown = interaction_response(UNKNOWN_KIND)
            known = [m for m in medicines if m.response != unknown]
            chosen = (known or medicines)[0]
        answer = Answer()
        scored = score_reply(score_in_question(turn.text), turn.text) if (
            turn.intent == "ask_t_score") else None
        if scored is not None:
            answer.reply = scored
        elif chosen is not None:
            answer.response, answer.values = chosen.response, chosen.values
        answer.events = caution_events(turn.kept_caution, turn.cautions.remember)
        return answer


def caution_events(kept: str | None, new: tuple[str, ...]) -> list[EventType]:
    """Set ``medical_caution`` when the message adds a caution to those kept."""
    if not new:
        return []
    merged = merge_cautions(kept, new)
    return [SlotSet(CAUTION_SLOT, merged)] if merged != kept else []

