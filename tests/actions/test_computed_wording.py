"""The computed answers' wording lives in the domain (domain/computed.yml) with no figure
typed in, every response the actions use exists, and the entity helpers pair amounts with
foods and find what the extractor left out."""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path

import pytest
from rasa.core.nlg import TemplatedNaturalLanguageGenerator, interpolator
from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa_sdk.executor import CollectingDispatcher
from structlog.testing import capture_logs

from actions import entities as ents
from actions.replies import Reply, mg, number, percent, quote, send_chart
from harness.domain import load_domain
from nutrition.foods import food_categories
from tests.actions.computed_support import DOMAIN, ent, make_tracker

ROOT = Path(__file__).resolve().parents[2]
ACTIONS_DIR = ROOT / "actions"
MY_MODULES = [
    "base.py", "intake.py", "foods.py", "supplements.py", "validation.py", "replies.py",
    "entities.py",
]
MY_PREFIXES = (
    "utter_ask_magnesium_profile_form_", "utter_profile_", "utter_intake_", "utter_caution_",
    "utter_food_", "utter_amount_", "utter_rich_foods_", "utter_diary_", "utter_ratio_",
    "utter_supplement_", "utter_chart_",
)
# Names, not figures: the two ratio opinions and the USDA database release.
RATIO_NAMES = re.compile(r"\b[12]:1\b|\bSR28\b")


def my_responses():
    return {k: v for k, v in DOMAIN["responses"].items() if k.startswith(MY_PREFIXES)}


def test_no_figure_is_typed_into_a_computed_reply():
    for name, variants in my_responses().items():
        for variant in variants:
            text = variant.get("text", "").replace("{ratio}:1", "")  # "about 15:1"
            text = RATIO_NAMES.sub("", re.sub(r"\{[a-z_0-9]+\}", "", text))
            assert not re.search(r"\d", text), f"{name} has a figure typed in: {text!r}"


def test_every_response_named_in_the_actions_exists():
    names = set()
    for module in MY_MODULES:
        source = (ACTIONS_DIR / module).read_text(encoding="utf-8")
        names |= set(re.findall(r'"(utter_[a-z_]+)"', source))
    # names built from a prefix: the ones the actions can pick
    names |= {f"utter_rich_foods_{c}" for c in food_categories()}
    names |= {f"utter_intake_for_{w}" for w in ("woman", "girl", "man", "boy")}
    names |= {f"utter_profile_{s}_unreadable" for s in ("age", "sex", "life_stage")}
    missing = sorted(n for n in names if n not in DOMAIN["responses"])
    assert not missing


def test_every_computed_response_names_its_placeholders_consistently():
    # each placeholder is a plain name (no format specs that could fail on a string)
    for name, variants in my_responses().items():
        for variant in variants:
            for field in re.findall(r"\{([^}]*)\}", variant.get("text", "")):
                assert re.fullmatch(r"[a-z_0-9]+", field), (name, field)


def test_buttons_of_the_form_questions():
    sex = DOMAIN["responses"]["utter_ask_magnesium_profile_form_sex"][0]["buttons"]
    assert [b["title"] for b in sex] == ["Female", "Male"]
    stage = DOMAIN["responses"]["utter_ask_magnesium_profile_form_life_stage"][0]["buttons"]
    assert [b["payload"] for b in stage][-1] == "/inform_not_pregnant"


# The buttons whose payloads carry entities, and what a click on each must give Rasa.
ENTITY_BUTTONS = {
    "utter_ask_magnesium_profile_form_sex": [
        ('/inform_profile{"sex": "female"}', "inform_profile", {"sex": "female"}),
        ('/inform_profile{"sex": "male"}', "inform_profile", {"sex": "male"}),
    ],
    "utter_ask_magnesium_profile_form_life_stage": [
        ('/inform_profile{"life_stage": "pregnant"}', "inform_profile",
         {"life_stage": "pregnant"}),
        ('/inform_profile{"life_stage": "lactating"}', "inform_profile",
         {"life_stage": "lactating"}),
        ("/inform_not_pregnant", "inform_not_pregnant", {}),
    ],
    "utter_intake_offer_pregnancy": [
        ('/inform_profile{"life_stage": "pregnant"}', "inform_profile",
         {"life_stage": "pregnant"}),
        ('/inform_profile{"life_stage": "lactating"}', "inform_profile",
         {"life_stage": "lactating"}),
    ],
}


def test_every_button_payload_with_braces_doubles_them():
    # Rasa renders "{{" / "}}" as "{" / "}" quietly; a single "{" is taken for a slot
    # placeholder and logs an error (common/payloads.py).
    for name, variants in DOMAIN["responses"].items():
        for variant in variants:
            for button in variant.get("buttons") or []:
                payload = button["payload"]
                single = re.sub(r"\{\{|\}\}", "", payload)
                assert "{" not in single and "}" not in single, (name, payload)
    with_entities = {name for name, variants in DOMAIN["responses"].items()
                     for variant in variants for button in variant.get("buttons") or []
                     if "{{" in button["payload"]}
    assert with_entities == set(ENTITY_BUTTONS)


def test_entity_buttons_render_as_clickable_payloads_without_interpolator_errors(caplog):
    """What Rasa shows for these responses (form questions, and the action server asking for
    one by name) carries single-brace payloads that Rasa reads back as intent and entities,
    and rendering them logs no error."""
    domain = load_domain()
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    tracker = DialogueStateTracker.from_events("test", [], slots=domain.slots)
    assert tracker.current_slot_values(), "Rasa only renders the buttons when there are slots"
    # what rasa_sdk sends with `dispatcher.utter_message(response=...)`
    sdk_fields = {"text": None, "buttons": [], "elements": [], "custom": {}, "template": None,
                  "image": None, "attachment": None}
    caplog.set_level(logging.ERROR)
    with capture_logs() as logs:
        # the capture sees the interpolator's error in this process (else the check is void)
        interpolator.interpolate_text('/x{"a": "b"}', {"a": None})
        assert [log["event"] for log in logs] == ["interpolator.interpolate.text"]
        logs.clear()
        caplog.clear()
        rendered = []
        for name in ENTITY_BUTTONS:
            for channel, fields in (("socketio", {}), ("rest", sdk_fields)):
                message = asyncio.run(nlg.generate(name, tracker, channel, **fields))
                rendered.append((name, message["buttons"]))
    assert logs == []
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    handler = RegexMessageHandler()
    for name, buttons in rendered:
        assert [b["payload"] for b in buttons] == [p for p, _, _ in ENTITY_BUTTONS[name]]
        for payload, intent, entities in ENTITY_BUTTONS[name]:
            [parsed] = handler.process([Message(data={TEXT: payload})], domain)
            assert parsed.get(INTENT)["name"] == intent, payload
            assert {e["entity"]: e["value"] for e in parsed.get(ENTITIES) or []} == entities


def test_reply_buttons_carry_the_payloads_the_user_sends():
    dispatcher = CollectingDispatcher()
    Reply().add("utter_intake_clinician").add("utter_intake_offer_pregnancy").send(
        dispatcher, DOMAIN)
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert payloads == [p for p, _, _ in ENTITY_BUTTONS["utter_intake_offer_pregnancy"]]
    assert "{{" in str(DOMAIN["responses"]["utter_intake_offer_pregnancy"]), "domain unchanged"


def test_reply_is_one_message_and_a_bad_part_does_not_hide_the_rest():
    dispatcher = CollectingDispatcher()
    Reply().add("utter_food_source").add("utter_no_such_response").add(
        "utter_diary_total", total_mg="12").send(dispatcher, DOMAIN)
    assert len(dispatcher.messages) == 1
    text = dispatcher.messages[0]["text"]
    assert "Source: USDA" in text and "Total: about 12 mg" in text


def test_number_formatting():
    assert number(1200) == "1,200"
    assert number(0.5) == "0.5"
    assert number(77.0) == "77"
    assert mg(79.1) == "79" and mg(7.25) == "7.3" and mg(0) == "0"  # half up
    assert percent(49.4) == "49"
    assert number(float("nan")) == "nan"
    assert quote("x " * 100).endswith("\u2026")


def test_chart_only_for_socketio():
    for channel, expected in (("socketio", 1), ("rest", 0), ("cmdline", 0)):
        dispatcher = CollectingDispatcher()
        send_chart(dispatcher, make_tracker("hi", "greet", channel=channel), title="t",
                   target=320, items=[{"label": "a", "value": 1}], alt="a")
        assert len(dispatcher.messages) == expected


# ------------------------------------------------------------------------------ entity helpers


def test_food_mentions_pair_by_group_and_by_position():
    msg = "2 slices of rye bread, almonds 1 oz and a banana"
    entities = [
        ent("amount", 2.0, "2 slices", msg, unit="slice", group="1"),
        ent("food", "rye_bread", "rye bread", msg, group="1"),
        ent("food", "almonds", "almonds", msg),
        ent("amount", 1.0, "1 oz", msg, unit="oz"),
        ent("food", "banana", "banana", msg),
    ]
    mentions = ents.food_mentions(entities, msg)
    assert [(m.food, m.amount, m.unit) for m in mentions] == [
        ("rye_bread", 2.0, "slice"), ("almonds", 1.0, "oz"), ("banana", None, None)]


def test_a_dose_never_measures_a_food():
    msg = "almonds 500 mg magnesium"
    entities = [ent("food", "almonds", "almonds", msg),
                ent("amount", 500.0, "500 mg", msg, unit="mg", role="magnesium")]
    assert ents.food_mentions(entities, msg)[0].amount is None


@pytest.mark.parametrize(
    ("text", "value", "negative"),
    [("-5", 5.0, True), ("130", 130.0, False), ("two hundred", 200.0, False),
     ("1e309", None, False), ("NaN", None, False), ("minus 3", 3.0, True),
     ("sixty-three", 63.0, False)],
)
def test_numbers_the_extractor_left(text, value, negative):
    found = ents.numbers_in_text(text)
    assert len(found) == 1
    assert found[0].value == value and found[0].negative is negative


def test_numbers_inside_entities_are_ignored():
    msg = "I'm 54 and 130"
    found = ents.numbers_in_text(msg, [ent("age", 54.0, "54", msg, unit="years")])
    assert [n.text for n in found] == ["130"]


def test_unrecognised_chunks_skip_filler():
    msg = "today I ate a banana, some dragonfruit and 2 slices of bread for lunch"
    entities = [ent("food", "banana", "banana", msg),
                ent("amount", 2.0, "2 slices", msg, unit="slice", group="1"),
                ent("food", "white_bread", "bread", msg, group="1")]
    assert [c.text for c in ents.unrecognised_chunks(msg, entities)] == ["dragonfruit"]


@pytest.mark.parametrize(
    ("text", "category"),
    [("which nuts have the most magnesium", "nuts_seeds"),
     ("magnesium rich vegetables", "greens_vegetables"),
     ("legumes", "legumes"), ("whole grains high in magnesium", "whole_grains"),
     ("which fish", "fish_seafood"), ("what foods have magnesium", None)],
)
def test_food_category_words(text, category):
    assert ents.food_category(text, food_categories()) == category


def test_age_in_months_becomes_years():
    mention = ents.age_mention([{"entity": "age", "value": 6.0, "unit": "months"}])
    assert mention.years == 0.5


def test_the_actions_package_registers_every_custom_action_of_the_domain():
    """The action server loads the package (``--actions actions``): importing it must bring
    in every module with actions, and no shared base class may register itself."""
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    custom = {name for name in DOMAIN["actions"] if name.startswith(("action_", "validate_"))}
    assert len(custom) >= 8
    ours = {name for name, run in executor.actions.items()
            if type(run.__self__).__module__.startswith("actions.")}
    assert ours == custom
