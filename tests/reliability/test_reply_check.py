"""runtime/reply_check.py takes a reply as valid only when Rasa's schema does, and takes
the ordinary replies of the project's actions as valid without the slow path."""

from __future__ import annotations

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    FollowupAction,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)

from runtime import reply_check, speedups

SCHEMA = RemoteAction.action_response_format_spec()


RASA = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)  # jsonschema.validate, once


def rasa_says_valid(reply) -> bool:
    return RASA.is_valid(reply)


DIARY = [{"food": "almonds", "grams": 28.0, "mg": 76.0, "said": "1 oz of almonds"}] * 50
EVENTS = [e.as_dict() for e in (
    SlotSet("food_diary", DIARY), SlotSet("age", 54), SlotSet("last_food", None),
    ActiveLoop("profile_form"), ActiveLoop(None), FollowupAction("action_listen"),
    ActionExecuted("action_listen"), BotUttered("Hi", {"buttons": []}), AllSlotsReset(),
    Restarted(), SessionStarted(),
    UserUttered("hi", {"name": "greet", "confidence": 0.9}, [{"entity": "food", "value": "x",
                                                            "start": 0, "end": 2}]),
)]
RESPONSES = [{"text": "About 79 mg.", "buttons": []}, {"response": "utter_greet"},
             {"custom": {"chart": [1, 2]}, "image": None}]

json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=6)
# an event: a real one, with keys changed, removed or added at random
event = st.one_of(
    st.sampled_from(EVENTS),
    st.tuples(st.sampled_from(EVENTS), st.sampled_from(
        ["event", "name", "value", "timestamp", "text", "entities", "policy", "metadata",
         "parse_data", "hide_rule_turn"]), json_value | st.sampled_from(
        ["slot", "user", "bot", "action", "active_loop", "nonsense", None])).map(
        lambda t: {**t[0], t[1]: t[2]}),
    st.tuples(st.sampled_from(EVENTS), st.sampled_from(["event", "name", "value"])).map(
        lambda t: {k: v for k, v in t[0].items() if k != t[1]}),
    json_value,
)
reply = st.fixed_dictionaries(
    {}, optional={"events": st.lists(event, max_size=4) | json_value,
                  "responses": st.lists(st.sampled_from(RESPONSES) | json_value, max_size=3)
                  | json_value})


@settings(max_examples=1500, deadline=None)
@given(reply)
def test_valid_here_only_when_valid_for_rasa(candidate):
    quick = reply_check._parts().valid(candidate)
    assert not quick or rasa_says_valid(candidate)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(EVENTS), max_size=6), st.lists(st.sampled_from(RESPONSES),
                                                               max_size=3))
def test_the_actions_replies_take_the_quick_path(events, responses):
    candidate = {"events": events, "responses": responses}
    assert rasa_says_valid(candidate)
    assert reply_check._parts().valid(candidate)


def test_every_kind_of_event_has_its_own_schema():
    kinds = [a["properties"]["event"]["const"] for a in SCHEMA["properties"]["events"]["items"]
             ["oneOf"]]
    assert sorted(reply_check._parts().by_name) == sorted(set(kinds))


@pytest.mark.parametrize("bad", [
    {"events": "not a list", "responses": []},
    {"events": [{"no_event_key": 1}], "responses": []},
    {"events": [{"event": "slot", "value": 1}], "responses": []},
    {"events": [{"event": "nonsense"}], "responses": []},
    {"events": [], "responses": "not a list"},
])
def test_an_invalid_reply_still_raises_rasas_worded_error(bad):
    speedups.install()
    action = RemoteAction("action_food_magnesium", None)
    assert not reply_check._parts().valid(bad)
    with pytest.raises(jsonschema.ValidationError,
                       match="Failed to validate Action server response"):
        action._validate_action_result(bad)
