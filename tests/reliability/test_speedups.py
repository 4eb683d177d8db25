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
    from runtime import reply_check

    assert RemoteAction._validate_action_result is reply_check.validate_action_result


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


def _long_conversation():
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.from_dict({"slots": {"food_diary": {"type": "any", "mappings": [
        {"type": "custom"}]}}, "actions": ["action_food_diary"]})
    events = []
    for number in range(30):
        events += [ActionExecuted("action_listen"),
                   UserUttered(f"I had banana number {number}",
                               {"name": "log_food_diary", "confidence": 1.0}),
                   ActionExecuted("action_food_diary"), BotUttered("Added."),
                   SlotSet("food_diary", [{"food": "banana", "mg": 32.0}] * (number + 1))]
    events += [ActionExecuted("action_listen"),
               UserUttered("what's my total today?", {"name": "ask_diary_total",
                                                      "confidence": 1.0})]
    return DialogueStateTracker.from_events("long", events, domain.slots), domain


def test_the_action_server_gets_the_events_of_the_current_turn_only():
    speedups.install()
    tracker, domain = _long_conversation()
    sent = RemoteAction("action_diary_total", None)._action_call_format(tracker, domain)
    state = sent["tracker"]
    assert [e["event"] for e in state["events"]] == ["user"]
    assert state["events"][0]["text"] == "what's my total today?"
    # the state itself is whole: every slot as it is now, the latest message
    assert len(state["slots"]["food_diary"]) == 30
    assert state["latest_message"]["text"] == "what's my total today?"
    assert sent["next_action"] == "action_diary_total" and sent["sender_id"] == "long"
    # Rasa's own format (the original) sends every event of the conversation
    everything = speedups._original_call_format(
        RemoteAction("action_diary_total", None), tracker, domain)
    assert len(everything["tracker"]["events"]) == len(tracker.events) > 100
    assert {k: v for k, v in everything["tracker"].items() if k != "events"} == \
        {k: v for k, v in state.items() if k != "events"}


def test_without_a_user_message_the_events_since_the_latest_restart_are_sent():
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, Restarted, SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    speedups.install()
    domain = Domain.from_dict({"slots": {"age": {"type": "float", "mappings": [
        {"type": "custom"}]}}})
    tracker = DialogueStateTracker.from_events("t", [
        SlotSet("age", 30.0), Restarted(), ActionExecuted("action_listen")], domain.slots)
    events = speedups.recent_events(tracker)
    assert [type(e) for e in events] == [ActionExecuted]


def test_event_types_resolve_as_rasa_resolves_them():
    """Every event class's type name gives the class Rasa's walk gives; unknown names keep
    Rasa's answers (the default, None for "topic", the error)."""
    import rasa.core.test  # noqa: F401 - its EndToEndUserUtterance inherits the name "user"
    import rasa.shared.utils.common
    from rasa.shared.core.events import ActionExecuted, Event, UserUttered

    original = speedups._original_resolve_by_type
    classes = rasa.shared.utils.common.all_subclasses(Event)
    names = [cls.type_name for cls in classes]
    assert len(set(names)) >= 20 and names.count("user") == 2
    for name in names:
        assert speedups.resolve_event_type(name) is original(name)
    assert speedups.resolve_event_type("user") is UserUttered
    assert speedups.resolve_event_type("nonsense", ActionExecuted) is ActionExecuted
    assert speedups.resolve_event_type("topic") is None
    with pytest.raises(ValueError, match="Unknown event name 'nonsense'"):
        speedups.resolve_event_type("nonsense")

    class LateEvent(UserUttered):  # defined after the map was made
        type_name = "late_test_event"

    assert speedups.resolve_event_type("late_test_event") is LateEvent
    read = Event.from_parameters({"event": "action", "name": "action_listen"})
    assert type(read) is ActionExecuted and read.action_name == "action_listen"
