"""runtime.speedups keeps Rasa's validation of action-server replies, only faster."""

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from runtime import speedups


@pytest.fixture()
def action():
    speedups.install()
    return RemoteAction("action_food_magnesium", None)


def test_valid_reply_passes(action):
    reply = {"events": [{"event": "slot", "name": "age", "value": 54}],
             "responses": [{"text": "About 79 mg.", "buttons": []}]}
    assert action._validate_action_result(reply) is True


@pytest.mark.parametrize("reply", [
    {"events": "not a list", "responses": []},
    {"events": [{"no_event_key": 1}], "responses": []},
    {"events": [], "responses": "not a list"},
])
def test_invalid_reply_raises_rasas_worded_error(action, reply):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result(reply)


def test_installed_by_the_runtime_entry_point():
    speedups.install()
    assert RemoteAction._validate_action_result is speedups._validate_action_result
