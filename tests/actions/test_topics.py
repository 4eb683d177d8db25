"""action_explain_topic (actions/topics.py) with a real rasa_sdk Tracker and dispatcher.

Every topic rule runs the action and then utters its reply; these tests do the same: run
the action, apply its events to a Rasa tracker built from domain.yml, and let Rasa's own
response generator fill the reply. They check that every placeholder is filled, that the
figures shown are the ones in the data tables, that no figure is typed into the wording,
and the safety behaviour (medical_caution, the emergency rule).
"""

from __future__ import annotations

import asyncio
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import topics
from actions.nutrition.data_files import load

ROOT = Path(__file__).resolve().parents[2]
RULE_FILES = [ROOT / "data" / "rules" / "topics.yml", ROOT / "data" / "rules" / "safety.yml"]
PLACEHOLDER = re.compile(r"\{([^{}\n]+)\}")


# ------------------------------------------------------------------------------ helpers


@lru_cache(maxsize=1)
def domain():
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain.yml"))


@lru_cache(maxsize=1)
def rules() -> list[dict[str, Any]]:
    found = []
    for path in RULE_FILES:
        found.extend(yaml.safe_load(path.read_text(encoding="utf-8"))["rules"])
    return found


def rule_steps(rule: dict[str, Any]) -> list[tuple[str, str]]:
    """(kind, name) of the intent and action steps (active_loop and slot steps left out)."""
    steps = []
    for step in rule["steps"]:
        for kind in ("intent", "action"):
            if kind in step:
                steps.append((kind, step[kind]))
    return steps


def action_rules() -> list[tuple[str, str]]:
    """(intent, response) of every rule "intent -> action_explain_topic -> response"."""
    pairs = []
    for rule in rules():
        steps = rule_steps(rule)
        if len(steps) == 3 and steps[1] == ("action", "action_explain_topic"):
            pairs.append((steps[0][1], steps[2][1]))
    return pairs


def sdk_tracker(intent: str, entities: list[dict] | None = None, slots: dict | None = None):
    return Tracker(
        sender_id="test-topics",
        slots=dict(slots or {}),
        latest_message={
            "text": "test message",
            "intent": {"name": intent, "confidence": 1.0},
            "entities": list(entities or []),
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run_action(intent: str, entities: list[dict] | None = None, slots: dict | None = None):
    dispatcher = CollectingDispatcher()
    events = topics.ActionExplainTopic().run(
        dispatcher, sdk_tracker(intent, entities, slots), domain().as_dict()
    )
    return dispatcher, events


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


def render(response: str, events: list[dict[str, Any]]) -> str:
    """What Rasa says for ``response`` after the action's events: real NLG, real slots."""
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker.from_events(
        "test-topics", [Event.from_parameters(e) for e in events], slots=domain().slots
    )
    nlg = TemplatedNaturalLanguageGenerator(domain().responses)
    message = asyncio.run(nlg.generate(response, tracker, "rest"))
    assert message is not None, f"no text for {response}"
    return message["text"]


def medication(value: str, role: str | None = None) -> dict[str, Any]:
    entity = {"entity": "medication", "value": value, "start": 0, "end": len(value)}
    if role:
        entity["role"] = role
    return entity


def reply(intent: str, entities: list[dict] | None = None) -> str:
    response = dict(action_rules())[intent]
    _, events = run_action(intent, entities)
    return render(response, events)


FACTS = load("topic_facts.yml")
INTAKES = load("reference_intakes.yml")
INTERACTIONS = load("interactions.yml")


def adult_band(table: list[dict[str, Any]]) -> dict[str, Any]:
    start = INTAKES["magnesium"][-1]["from_months"]
    return next(r for r in table if r["from_months"] <= start < r["to_months"])


# ------------------------------------------------------------------------------ every reply


def test_every_topic_intent_of_the_action_has_a_rule_and_back():
    ruled = {intent for intent, _ in action_rules()}
    assert ruled == set(topics.TOPIC_VALUES)


@pytest.mark.parametrize("intent,response", action_rules())
def test_reply_has_every_placeholder_filled(intent, response):
    dispatcher, events = run_action(intent)
    assert dispatcher.messages == []  # the rule utters the reply, not the action
    text = render(response, events)
    assert "{" not in text and "}" not in text, text
    assert "None" not in text
    assert len(text) > 80


@pytest.mark.parametrize("intent,response", action_rules())
def test_every_number_shown_comes_from_the_action_values(intent, response):
    _, events = run_action(intent)
    shown = set(re.findall(r"\d[\d,.]*\d|\d", render(response, events).replace("type 2", "")))
    provided = {
        number
        for value in slot_events(events).values()
        if value is not None
        for number in re.findall(r"\d[\d,.]*\d|\d", str(value))
    }
    assert shown <= provided, f"figures not from the tables: {shown - provided}"


def topic_response_texts() -> list[tuple[str, str]]:
    own = [name for name in domain().responses if name.startswith("utter_topic")]
    own += ["utter_capabilities", "utter_not_a_doctor", "utter_emergency"]
    return [
        (name, variation["text"]) for name in own for variation in domain().responses[name]
    ]


@pytest.mark.parametrize("name,text", topic_response_texts())
def test_no_figure_is_typed_into_the_wording(name, text):
    wording = PLACEHOLDER.sub("", text).replace("type 2 diabetes", "type two diabetes")
    assert not re.search(r"\d", wording), f"{name} types a figure: {wording}"


def test_every_placeholder_is_a_declared_slot_the_action_can_set():
    settable = set()
    for values in topics.TOPIC_VALUES.values():
        settable |= {topics.fact_slot(k) for k in values}
    for value in ["alendronate", "zoledronic_acid", "doxycycline", "omeprazole", "aspirin"]:
        settable |= {topics.fact_slot(k) for k in topics.medicine_values(value)[0]}
    declared = {slot.name for slot in domain().slots}
    assert settable <= declared
    for _, text in topic_response_texts():
        for name in PLACEHOLDER.findall(text):
            assert name in settable, f"{{{name}}} is never set"


# ------------------------------------------------------------------ figures match the tables


def test_body_stores_come_from_topic_facts():
    body = FACTS["body_magnesium"]
    text = reply("ask_what_is_magnesium")
    low, high = body["bone_share_percent"]["low"], body["bone_share_percent"]["high"]
    assert f"{low} to {high}%" in text
    assert f"about {body['extracellular_share_percent']}% is in your blood" in text
    assert f"{body['bone_mineral_share_percent']}% of bone mineral" in reply("ask_magnesium_bones")


def test_studies_show_their_years_and_doses():
    studies = FACTS["studies"]
    text = reply("ask_magnesium_evidence")
    assert f"published in {studies['rat_2006']['year']}, rats fed" in text
    assert f"{studies['rat_2006']['requirement_fed_percent']}% of the magnesium" in text
    low, mid, high = sorted(studies["rat_series"]["requirement_fed_percent"])
    assert f"{low}%, {mid}% or {high}%" in text
    assert f"published in {studies['celiac_1996']['year']}" in text
    survey = studies["us_survey_1985"]
    assert f"({survey['survey_years']['first']}-{survey['survey_years']['last']}, " in text
    assert f"published {survey['year']})" in text
    diet = reply("ask_modern_diet_shortfall")
    women = survey["adult_women_below_percent"]
    assert f"{women['low']}-{women['high']}% of adult women" in diet
    assert f"{survey['older_men_below_percent']}% of older men" in diet


def test_upper_limit_comes_from_reference_intakes():
    band = adult_band(INTAKES["magnesium_supplement_ul"])
    for intent in ("ask_too_much_magnesium", "ask_supplement_advice"):
        text = reply(intent)
        assert f"{band['mg']} mg a day" in text
        assert f"from age {band['from_months'] // 12})" in text
        assert "Institute of Medicine (1997)" in text


def test_recommended_intakes_come_from_reference_intakes():
    magnesium = INTAKES["magnesium"][-1]
    diet = reply("ask_modern_diet_shortfall")
    assert f"{magnesium['female']} mg a day for women and {magnesium['male']} mg for men" in diet
    companions = reply("ask_vitamin_d_calcium")
    calcium = adult_band(INTAKES["calcium"])
    vitamin_d = adult_band(INTAKES["vitamin_d"])
    assert f"{calcium['female']:,} mg for women, {calcium['male']:,} mg for men" in companions
    assert f"{vitamin_d['mcg']} micrograms ({vitamin_d['iu']} IU)" in companions
    assert f"{INTAKES['vitamin_d'][-1]['mcg']} micrograms" in companions
    assert INTAKES["calcium"][-1]["from_months"] == INTAKES["vitamin_d"][-1]["from_months"]
    high = FACTS["calcium_magnesium_ratio"]["high_supplement_users"]
    assert f"as high as {high['calcium']}:{high['magnesium']}." in companions


def test_supplement_form_percentages_are_computed_by_the_core():
    from actions.nutrition.supplements import elemental_fraction

    text = reply("ask_supplement_forms")
    assert f"({round(100 * elemental_fraction('oxide'), 1)}%)" in text
    assert f"({round(100 * elemental_fraction('citrate'), 1)}%)" in text


def test_interaction_overview_timings_come_from_the_interaction_table():
    classes = INTERACTIONS["medication_classes"]
    text = reply("ask_medication_interactions")
    hours = classes["bisphosphonates"]["timing"]["separate_hours_min"]
    assert f"at least {hours} hours apart" in text
    timing = classes["tetracycline_antibiotics"]["timing"]
    low, high = timing["take_drug_after_hours"]
    assert f"at least {timing['take_drug_before_hours_min']} hours before" in text
    assert f"or {low}-{high} hours after" in text
    # the overview states one timing for both antibiotic classes
    assert classes["quinolone_antibiotics"]["timing"] == timing
    years = classes["proton_pump_inhibitors"]["long_term_use_years_min"]
    assert f"more than {years} year" in text


def test_deficiency_and_toxicity_signs_match_the_core_tables():
    from actions.nutrition.medications import deficiency_signs, toxicity_facts

    deficiency = domain().responses["utter_topic_deficiency_signs"][0]["text"]
    for sign in deficiency_signs()["early"] + deficiency_signs()["later"]:
        assert sign.replace("_", " ") in deficiency, sign
    too_much = reply("ask_too_much_magnesium")
    words = {"difficulty_breathing": "trouble breathing"}
    for sign in toxicity_facts()["signs"]:
        assert words.get(sign, sign.replace("_", " ")) in too_much, sign


# ------------------------------------------------------------------------------ medicines


@pytest.mark.parametrize(
    "value,role,expected",
    [
        ("alendronate", "bisphosphonates", "About alendronate: magnesium"),
        ("bisphosphonates", "bisphosphonates", "About bisphosphonates: magnesium"),
        ("zoledronic_acid", "bisphosphonates", "given as a drip or injection"),
        ("doxycycline", "tetracycline_antibiotics", "About doxycycline: magnesium can bind"),
        ("ciprofloxacin", "quinolone_antibiotics", "About ciprofloxacin: magnesium can bind"),
        ("omeprazole", "proton_pump_inhibitors", "a proton pump inhibitor"),
        ("proton_pump_inhibitors", "proton_pump_inhibitors", "About proton pump inhibitors"),
        ("furosemide", "loop_thiazide_diuretics", "a loop or thiazide diuretic"),
        ("loop_thiazide_diuretics", "loop_thiazide_diuretics", "a loop or thiazide diuretic"),
        ("spironolactone", "potassium_sparing_diuretics", "a potassium-sparing diuretic"),
    ],
)
def test_a_named_medicine_gets_its_own_reply_and_a_caution(value, role, expected):
    _, events = run_action("ask_medication_interactions", [medication(value, role)])
    text = render("utter_topic_interaction", events)
    assert expected in text
    assert "{" not in text
    assert "I won't suggest" in text
    caution = slot_events(events)[topics.CAUTION_SLOT]
    assert caution == INTERACTIONS["medication_classes"][role]["name"]


def test_medicine_timings_shown_are_the_tables():
    classes = INTERACTIONS["medication_classes"]
    _, events = run_action("ask_medication_interactions", [medication("risedronate")])
    hours = classes["bisphosphonates"]["timing"]["separate_hours_min"]
    assert f"at least {hours} hours apart" in render("utter_topic_interaction", events)
    _, events = run_action("ask_medication_interactions", [medication("levofloxacin")])
    timing = classes["quinolone_antibiotics"]["timing"]
    low, high = timing["take_drug_after_hours"]
    text = render("utter_topic_interaction", events)
    assert f"{timing['take_drug_before_hours_min']} hours before, or {low}-{high} hours" in text


def test_an_unknown_medicine_is_named_back_without_caution():
    _, events = run_action("ask_medication_interactions", [medication("aspirin")])
    text = render("utter_topic_interaction", events)
    assert "I don't have aspirin in my list" in text
    assert topics.CAUTION_SLOT not in slot_events(events)


def test_a_known_medicine_wins_over_an_unknown_one():
    entities = [medication("aspirin"), medication("alendronate", "bisphosphonates")]
    _, events = run_action("ask_medication_interactions", entities)
    assert "About alendronate" in render("utter_topic_interaction", events)


def test_no_medicine_named_gives_the_overview_even_after_an_earlier_medicine():
    _, first = run_action("ask_medication_interactions", [medication("alendronate")])
    _, second = run_action("ask_medication_interactions")
    assert slot_events(second)[topics.fact_slot("medicine_kind")] is None
    text = render("utter_topic_interaction", first + second)
    assert text.startswith("Magnesium can interact with some medicines")


def test_a_medicine_mentioned_with_another_topic_still_sets_the_caution():
    _, events = run_action("ask_risk_groups", [medication("omeprazole")])
    assert slot_events(events)[topics.CAUTION_SLOT] == "proton pump inhibitors"
    assert "Some people are more likely" in render("utter_topic_risk_groups", events)


# ------------------------------------------------------------------------------ safety


def test_kidney_disease_sets_the_caution_and_gives_no_dose():
    _, events = run_action("ask_kidney_disease")
    assert slot_events(events)[topics.CAUTION_SLOT] == "kidney disease"
    text = render("utter_topic_kidney", events)
    assert "kidney doctor" in text and "I won't suggest" in text
    assert " mg" not in text


def test_heart_condition_sets_the_caution_and_points_to_emergency_help():
    _, events = run_action("ask_heart_condition")
    assert slot_events(events)[topics.CAUTION_SLOT] == "heart rhythm problem"
    text = render("utter_topic_heart", events)
    assert "call emergency services" in text and "I won't suggest a dose" in text
    assert " mg" not in text


def test_cautions_add_up_instead_of_replacing_each_other():
    _, events = run_action(
        "ask_medication_interactions",
        [medication("alendronate")],
        slots={topics.CAUTION_SLOT: "kidney disease"},
    )
    assert slot_events(events)[topics.CAUTION_SLOT] == "kidney disease, bisphosphonates"
    _, events = run_action("ask_kidney_disease", slots={topics.CAUTION_SLOT: "kidney disease"})
    assert topics.CAUTION_SLOT not in slot_events(events)  # already there: no change


def test_ordinary_topics_leave_the_caution_alone():
    _, events = run_action("ask_magnesium_bones")
    assert topics.CAUTION_SLOT not in slot_events(events)


def test_emergency_rule_says_the_emergency_reply_and_nothing_else():
    emergency = [r for r in rules() if ("intent", "report_emergency") in rule_steps(r)]
    assert any("condition" not in rule for rule in emergency)  # applies anywhere
    for rule in emergency:
        said = [name for kind, name in rule_steps(rule) if kind == "action"]
        # the reply, then at most stopping a form that was waiting: no other question
        assert said in (["utter_emergency"], ["utter_emergency", "action_deactivate_loop"])
    text = domain().responses["utter_emergency"][0]["text"]
    assert "emergency number now" in text and "poison control" in text
    assert "magnesium" not in text.lower()


def test_unknown_intent_sets_nothing_but_does_not_crash():
    dispatcher, events = run_action("greet")
    assert dispatcher.messages == [] and events == []


# ------------------------------------------------------------------------------ formatting


@pytest.mark.parametrize(
    "value,text", [(350, "350"), (1200, "1,200"), (16.2, "16.2"), (60.30, "60.3"), (2.0, "2")]
)
def test_number_formatting(value, text):
    assert topics.number(value) == text


def test_short_source_names():
    assert topics.short_source(INTAKES["source"]["magnesium_ul"]) == "Institute of Medicine (1997)"
    assert (
        topics.short_source(INTERACTIONS["source"]["interactions"])
        == "NIH Office of Dietary Supplements"
    )
    assert topics.years(1) == "1 year" and topics.years(2) == "2 years"


# ------------------------------------------------------------------------------ real servers


@pytest.fixture(scope="module")
def slash_bot(trained_model, tmp_path_factory):
    """The real assistant, taking "/intent{...}" from anyone, so a test can name entities."""
    from tests.helpers.stack import BotStack

    stack = BotStack(
        workdir=tmp_path_factory.mktemp("topics-bot"), env={"SLASH_COMMANDS": "all"}
    ).start()
    yield stack
    stack.stop()


@pytest.mark.integration
def test_topic_replies_through_the_running_assistant(slash_bot):
    body = FACTS["body_magnesium"]["bone_share_percent"]
    text = slash_bot.texts("/ask_what_is_magnesium", sender="topics-what-is")
    assert f"{body['low']} to {body['high']}%" in text and "{" not in text

    hours = INTERACTIONS["medication_classes"]["bisphosphonates"]["timing"]["separate_hours_min"]
    text = slash_bot.texts(
        '/ask_medication_interactions{"medication": "alendronate"}', sender="topics-fosamax"
    )
    assert text.startswith("About alendronate") and f"at least {hours} hours apart" in text

    messages = slash_bot.say("/report_emergency", sender="topics-emergency")
    assert len(messages) == 1 and "emergency number now" in messages[0]["text"]
