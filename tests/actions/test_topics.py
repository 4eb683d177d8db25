"""action_explain_topic (actions/topics.py) with a real rasa_sdk Tracker and dispatcher.

Every topic rule runs the action and nothing after it (in the profile form, the form asks
again). The action utters the reply itself: one message naming a domain response, with
the values of its placeholders. These tests run the action and hand its message to Rasa's
own handling of an action-server reply (the response generator fills the placeholders from
the values sent with the response name). They check that the right response is chosen,
that every placeholder is filled, that the figures shown are the ones in the data tables,
that no figure is typed into the wording, and the safety behaviour (medical_caution, the
emergency rule).
"""

from __future__ import annotations

import asyncio
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import replies, topics
from actions.people import FOLLOWUP_SLOTS
from harness.domain import load_domain
from nutrition.data_files import load
from nutrition.topic_figures import short_source

ROOT = Path(__file__).resolve().parents[2]
RULE_FILES = [ROOT / "data" / "rules" / name for name in (
    "topics.yml", "safety.yml", "bone_basics.yml")]
PLACEHOLDER = re.compile(r"\{([^{}\n]+)\}")
ACTION = "action_explain_topic"
FORM = "magnesium_profile_form"
# A named medicine of every kind the interaction replies cover, and one the table lacks.
MEDICINES = {
    "alendronate": "bisphosphonate",
    "bisphosphonates": "bisphosphonate",
    "zoledronic_acid": "bisphosphonate_infusion",
    "doxycycline": "antibiotic",
    "ciprofloxacin": "antibiotic",
    "omeprazole": "proton_pump_inhibitor",
    "proton_pump_inhibitors": "proton_pump_inhibitor",
    "furosemide": "loop_thiazide_diuretic",
    "loop_thiazide_diuretics": "loop_thiazide_diuretic",
    "spironolactone": "potassium_sparing_diuretic",
    "aspirin": "unknown",
}


# ------------------------------------------------------------------------------ helpers


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


def action_rules() -> list[tuple[str, list[str], bool]]:
    """(intent, actions, in the form?) of every rule whose first action is the action."""
    found = []
    for rule in rules():
        steps = rule_steps(rule)
        if len(steps) >= 2 and steps[1] == ("action", ACTION):
            in_form = {"active_loop": FORM} in (rule.get("condition") or [])
            found.append((steps[0][1], [name for _, name in steps[1:]], in_form))
    return found


@lru_cache(maxsize=1)
def sdk_keys() -> frozenset[str]:
    """The keys rasa_sdk puts in every message; the rest are the values of the reply."""
    dispatcher = CollectingDispatcher()
    dispatcher.utter_message(response="utter_x")
    return frozenset(dispatcher.messages[0])


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
        dispatcher, sdk_tracker(intent, entities, slots), load_domain().as_dict()
    )
    return dispatcher, events


def the_message(dispatcher: CollectingDispatcher) -> dict[str, Any]:
    """The one message of the action: a response name and its values, no text of its own."""
    assert len(dispatcher.messages) == 1, dispatcher.messages
    message = dispatcher.messages[0]
    assert message["response"] in load_domain().responses, message["response"]
    assert not message["text"] and not message["buttons"] and not message["custom"]
    return message


def values_of(message: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in message.items() if key not in sdk_keys()}


def uttered(intent: str, entities: list[dict] | None = None) -> tuple[str, dict[str, Any]]:
    """(response name, values) the action utters for ``intent``."""
    dispatcher, _ = run_action(intent, entities)
    message = the_message(dispatcher)
    return message["response"], values_of(message)


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {event["name"]: event["value"] for event in events if event["event"] == "slot"}


def placeholders(response: str) -> set[str]:
    return {
        name
        for variation in load_domain().responses[response]
        for name in PLACEHOLDER.findall(variation.get("text") or "")
    }


def render(message: dict[str, Any], events: list[dict[str, Any]] = ()) -> str:
    """What Rasa says for one message of the action: its own handling of an action-server
    reply (response name plus values), with the real response generator and real slots."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker.from_events(
        "test-topics", [Event.from_parameters(e) for e in events], slots=load_domain().slots
    )
    nlg = TemplatedNaturalLanguageGenerator(load_domain().responses)
    sent = json.loads(json.dumps(message))  # as it travels from the action server
    said = asyncio.run(
        RemoteAction._utter_responses([sent], CollectingOutputChannel(), nlg, tracker)
    )
    assert len(said) == 1 and said[0].text, f"no text for {message['response']}"
    return said[0].text


def medication(value: str, role: str | None = None) -> dict[str, Any]:
    entity = {"entity": "medication", "value": value, "start": 0, "end": len(value)}
    if role:
        entity["role"] = role
    return entity


def reply(intent: str, entities: list[dict] | None = None) -> str:
    dispatcher, events = run_action(intent, entities)
    return render(the_message(dispatcher), events)


def every_reply() -> list[tuple[str, str, dict[str, str]]]:
    """(what was asked, response, values) of every reply the action can give."""
    found = [(intent, topic.response, topic.values) for intent, topic in topics.TOPICS.items()]
    for value in MEDICINES:
        topic, _ = topics.medicine_reply(value)
        found.append((value, topic.response, topic.values))
    return found


FACTS = load("topic_facts.yml")
INTAKES = load("reference_intakes.yml")
INTERACTIONS = load("interactions.yml")


def adult_band(table: list[dict[str, Any]]) -> dict[str, Any]:
    start = INTAKES["magnesium"][-1]["from_months"]
    return next(r for r in table if r["from_months"] <= start < r["to_months"])


# ------------------------------------------------------------------------------ every reply


# Topic intents whose rule says a plain safety reply before the action (and stops a waiting
# form): test_self_harm_rule_says_the_support_then_the_crisis_lines_and_nothing_else.
AFTER_SAFETY_REPLY = {"report_self_harm"}


def test_every_topic_intent_of_the_action_has_a_rule_and_back():
    ruled = {intent for intent, _, _ in action_rules()}
    assert ruled == set(topics.TOPICS) - AFTER_SAFETY_REPLY


def test_rules_run_the_action_alone_and_the_form_asks_again():
    # the action utters the reply: a response after it would be a second answer
    for intent, actions, in_form in action_rules():
        assert actions == ([ACTION, FORM] if in_form else [ACTION]), (intent, actions)
    for intent in set(topics.TOPICS) - AFTER_SAFETY_REPLY:
        assert (intent, [ACTION], False) in action_rules(), intent
        assert (intent, [ACTION, FORM], True) in action_rules(), intent


@pytest.mark.parametrize("intent", sorted(topics.TOPICS))
def test_the_action_utters_the_reply_of_the_intent(intent):
    dispatcher, events = run_action(intent)
    message = the_message(dispatcher)
    assert message["response"] == topics.TOPICS[intent].response
    assert values_of(message) == topics.TOPICS[intent].values
    # no slot carries a figure (what the answer was about is kept for follow-ups)
    assert set(slot_events(events)) <= {topics.CAUTION_SLOT, *FOLLOWUP_SLOTS}
    assert slot_events(events).get("last_figure_mg") is None


@pytest.mark.parametrize("intent", sorted(topics.TOPICS))
def test_reply_has_every_placeholder_filled(intent):
    text = reply(intent)
    assert "{" not in text and "}" not in text, text
    assert "None" not in text
    assert len(text) > 80


@pytest.mark.parametrize("asked,response,values", every_reply())
def test_every_placeholder_of_a_reply_is_supplied_by_its_values(asked, response, values):
    assert response.startswith("utter_topic_")
    missing = placeholders(response) - set(values)
    assert not missing, f"{response} for {asked}: no value for {missing}"
    assert all(isinstance(value, str) and value for value in values.values())
    # a value named like a message field or an argument of Rasa's response generator
    # would change the message instead of filling text
    reserved = {"json_message", "quick_replies", "utter_action", "tracker", "output_channel"}
    assert not set(values) & (sdk_keys() | reserved)


@pytest.mark.parametrize("asked,response,values", every_reply())
def test_only_the_values_a_reply_shows_are_sent(asked, response, values):
    # Rasa stores every value sent with a response in the bot event: send no extra ones
    assert set(values) == placeholders(response), f"{response} for {asked}"


def test_every_reply_with_placeholders_is_one_the_action_gives():
    given = {response for _, response, _ in every_reply()}
    with_values = {name for name in load_domain().responses if placeholders(name)}
    topic_replies = {name for name in with_values if name.startswith("utter_topic_")}
    assert topic_replies <= given, f"never uttered with values: {topic_replies - given}"


def test_every_kind_of_medicine_has_its_own_response_and_back():
    kinds = set(topics.KIND_BY_CLASS.values()) | {
        topics.INFUSION_KIND, topics.UNKNOWN_KIND, topics.OVERVIEW_KIND
    }
    expected = {topics.interaction_response(kind) for kind in kinds}
    prefix = topics.interaction_response("")
    defined = {name for name in load_domain().responses if name.startswith(prefix)}
    assert defined == expected
    assert topics.TOPICS["ask_medication_interactions"].response == topics.interaction_response(
        topics.OVERVIEW_KIND
    )
    assert set(MEDICINES.values()) == kinds - {topics.OVERVIEW_KIND}


@pytest.mark.parametrize("intent", sorted(topics.TOPICS))
def test_every_number_shown_comes_from_the_action_values(intent):
    dispatcher, events = run_action(intent)
    message = the_message(dispatcher)
    shown = set(re.findall(r"\d[\d,.]*\d|\d", render(message, events).replace("type 2", "")))
    provided = {
        number
        for value in values_of(message).values()
        if value is not None
        for number in re.findall(r"\d[\d,.]*\d|\d", str(value))
    }
    assert shown <= provided, f"figures not from the tables: {shown - provided}"


def topic_response_texts() -> list[tuple[str, str]]:
    own = [name for name in load_domain().responses if name.startswith("utter_topic")]
    own += ["utter_capabilities", "utter_not_a_doctor", "utter_emergency", "utter_self_harm"]
    return [
        (name, variation["text"]) for name in own for variation in load_domain().responses[name]
    ]


@pytest.mark.parametrize("name,text", topic_response_texts())
def test_no_figure_is_typed_into_the_wording(name, text):
    wording = PLACEHOLDER.sub("", text).replace("type 2 diabetes", "type two diabetes")
    assert not re.search(r"\d", wording), f"{name} types a figure: {wording}"


def test_no_slot_carries_a_figure():
    # the values travel with the reply: no topic placeholder is filled from a slot
    slots = {slot.name for slot in load_domain().slots}
    for name, text in topic_response_texts():
        assert not set(PLACEHOLDER.findall(text)) & slots, name
    assert not [slot for slot in slots if slot.startswith("fact_")]


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
    from nutrition.supplements import elemental_fraction

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
    from nutrition.medications import deficiency_signs, toxicity_facts

    deficiency = load_domain().responses["utter_topic_deficiency_signs"][0]["text"]
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
    dispatcher, events = run_action("ask_medication_interactions", [medication(value, role)])
    message = the_message(dispatcher)
    assert message["response"] == topics.interaction_response(MEDICINES[value])
    text = render(message, events)
    assert expected in text
    assert "{" not in text
    assert "I won't suggest" in text
    caution = slot_events(events)[topics.CAUTION_SLOT]
    assert caution == INTERACTIONS["medication_classes"][role]["name"]


def test_medicine_timings_shown_are_the_tables():
    classes = INTERACTIONS["medication_classes"]
    hours = classes["bisphosphonates"]["timing"]["separate_hours_min"]
    assert f"at least {hours} hours apart" in reply(
        "ask_medication_interactions", [medication("risedronate")]
    )
    timing = classes["quinolone_antibiotics"]["timing"]
    low, high = timing["take_drug_after_hours"]
    text = reply("ask_medication_interactions", [medication("levofloxacin")])
    assert f"{timing['take_drug_before_hours_min']} hours before, or {low}-{high} hours" in text


def test_an_unknown_medicine_is_named_back_without_caution():
    dispatcher, events = run_action("ask_medication_interactions", [medication("aspirin")])
    message = the_message(dispatcher)
    assert message["response"] == "utter_topic_interaction_unknown"
    assert "I don't have aspirin in my list" in render(message, events)
    assert topics.CAUTION_SLOT not in slot_events(events)


def test_a_known_medicine_wins_over_an_unknown_one():
    entities = [medication("aspirin"), medication("alendronate", "bisphosphonates")]
    response, values = uttered("ask_medication_interactions", entities)
    assert response == "utter_topic_interaction_bisphosphonate"
    assert values["medicine"] == "alendronate"
    assert "About alendronate" in reply("ask_medication_interactions", entities)


def test_no_medicine_named_gives_the_overview_even_after_an_earlier_medicine():
    _, first = run_action("ask_medication_interactions", [medication("alendronate")])
    dispatcher, second = run_action("ask_medication_interactions")
    message = the_message(dispatcher)
    assert message["response"] == "utter_topic_interaction_overview"
    text = render(message, first + second)
    assert text.startswith("Magnesium can interact with some medicines")


def test_a_medicine_mentioned_with_another_topic_still_sets_the_caution():
    dispatcher, events = run_action("ask_risk_groups", [medication("omeprazole")])
    assert slot_events(events)[topics.CAUTION_SLOT] == "proton pump inhibitors"
    message = the_message(dispatcher)
    assert message["response"] == "utter_topic_risk_groups"  # the question asked, answered
    assert "Some people are more likely" in render(message, events)


# ------------------------------------------------------------------------------ safety


def test_kidney_disease_sets_the_caution_and_gives_no_dose():
    dispatcher, events = run_action("ask_kidney_disease")
    assert slot_events(events)[topics.CAUTION_SLOT] == "kidney disease"
    message = the_message(dispatcher)
    assert message["response"] == "utter_topic_kidney"
    text = render(message, events)
    assert "kidney doctor" in text and "I won't suggest" in text
    assert " mg" not in text


def test_heart_condition_sets_the_caution_and_points_to_emergency_help():
    dispatcher, events = run_action("ask_heart_condition")
    assert slot_events(events)[topics.CAUTION_SLOT] == "heart rhythm problem"
    message = the_message(dispatcher)
    assert message["response"] == "utter_topic_heart"
    text = render(message, events)
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
    assert set(slot_events(events)) <= set(FOLLOWUP_SLOTS)


def test_emergency_rule_says_the_emergency_reply_and_nothing_else():
    emergency = [r for r in rules() if ("intent", "report_emergency") in rule_steps(r)]
    assert any("condition" not in rule for rule in emergency)  # applies anywhere
    for rule in emergency:
        said = [name for kind, name in rule_steps(rule) if kind == "action"]
        # the reply, then at most stopping a form that was waiting: no other question
        assert said in (["utter_emergency"], ["utter_emergency", "action_deactivate_loop"])
    text = load_domain().responses["utter_emergency"][0]["text"]
    assert "emergency number now" in text and "poison control" in text
    assert "magnesium" not in text.lower()


def test_self_harm_rule_says_the_support_then_the_crisis_lines_and_nothing_else():
    self_harm = [r for r in rules() if ("intent", "report_self_harm") in rule_steps(r)]
    assert any("condition" not in rule for rule in self_harm)  # applies anywhere
    for rule in self_harm:
        said = [name for kind, name in rule_steps(rule) if kind == "action"]
        assert said[:2] == ["utter_self_harm", "action_explain_topic"]
        assert said[2:] in ([], ["action_deactivate_loop"])
    text = load_domain().responses["utter_self_harm"][0]["text"]
    assert "emergency number now" in text and "magnesium" not in text.lower()


def test_crisis_lines_come_from_their_table():
    from nutrition.data_files import load

    table = load("crisis_lines.yml")
    dispatcher, _ = run_action("report_self_harm")
    message = the_message(dispatcher)
    assert message["response"] == "utter_topic_crisis_lines"
    text = render(message, [])
    for line in table["lines"].values():
        assert line["number"] in text and line["source"] in text
    assert table["directory"]["url"] in text


def test_unknown_intent_says_and_sets_nothing_but_does_not_crash():
    dispatcher, events = run_action("greet")
    assert dispatcher.messages == [] and events == []


# ------------------------------------------------------------------------------ formatting


@pytest.mark.parametrize(
    "value,text", [(350, "350"), (1200, "1,200"), (16.2, "16.2"), (60.30, "60.3"), (2.0, "2")]
)
def test_number_formatting(value, text):
    assert replies.number(value, topics.DECIMALS) == text


def test_short_source_names():
    assert short_source(INTAKES["source"]["magnesium_ul"]) == "Institute of Medicine (1997)"
    assert (
        short_source(INTERACTIONS["source"]["interactions"])
        == "NIH Office of Dietary Supplements"
    )
    assert replies.years(1) == "1 year" and replies.years(2) == "2 years"


# ------------------------------------------------------------------------------ real servers


@pytest.fixture(scope="module")
def slash_bot(trained_model, tmp_path_factory):
    """The real assistant, taking "/intent{...}" from anyone, so a test can name entities."""
    from harness.stack import BotStack

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

    # asked while the profile form waits: the caution once, then the form asks again
    slash_bot.say("/ask_magnesium_need", sender="topics-form")
    text = slash_bot.texts("/ask_kidney_disease", sender="topics-form")
    caution = load_domain().responses["utter_topic_kidney"][0]["text"].split("\n\n")[0]
    question = load_domain().responses["utter_ask_magnesium_profile_form_age"][0]["text"]
    assert text.count(caution) == 1 and text.index(caution) < text.index(question)

    messages = slash_bot.say("/report_emergency", sender="topics-emergency")
    assert len(messages) == 1 and "emergency number now" in messages[0]["text"]
