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


def test_spacy_pipeline_is_loaded_once_per_version_of_its_directory(tmp_path):
    import os

    import spacy
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    speedups.install()
    spacy.blank("en").to_disk(tmp_path / "pipeline")
    name = str(tmp_path / "pipeline")
    first, second = SpacyNLP.load_model(name), SpacyNLP.load_model(name)
    assert first is second  # the two SpacyNLP nodes of a model share one pipeline
    assert first.model("two words").text == "two words"

    meta = tmp_path / "pipeline" / "meta.json"
    later = meta.stat().st_mtime_ns + 5_000_000_000
    os.utime(meta, ns=(later, later))  # the pipeline was rebuilt
    rebuilt = SpacyNLP.load_model(name)
    assert rebuilt is not first
    assert SpacyNLP.load_model(name) is rebuilt
