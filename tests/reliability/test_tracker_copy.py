"""runtime/tracker_copy.py on conversations with every kind of event that changes what
counts as applied: reverted user messages and actions, restarts, new sessions, a form's
happy path, and a loop that becomes a loop only after its name was already executed. At
every event the kept copy and applied events equal Rasa's (the long recorded conversations
are compared in tests/reliability/test_rule_states.py)."""

from __future__ import annotations

import random

import pytest
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    BotUttered,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from harness.domain import load_domain
from runtime import tracker_copy


def _user(text: str, intent: str = "greet") -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 1.0})


def _turn(n: int) -> list:
    return [_user(f"message {n}"), ActionExecuted("action_food_diary"),
            BotUttered(f"answer {n}"), SlotSet("last_food", f"food {n}"),
            ActionExecuted(ACTION_LISTEN_NAME)]


def _form_turns(form: str, n: int) -> list:
    events = [_user(f"start {n}"), ActionExecuted(form), ActiveLoop(form),
              SlotSet("requested_slot", "age")]
    for k in range(3):
        events += [ActionExecuted(ACTION_LISTEN_NAME), _user(f"{k}"), ActionExecuted(form),
                   SlotSet("age", k)]
    events += [ActionExecutionRejected(form), ActionExecuted("action_food_diary"),
               ActionExecuted(form), ActiveLoop(None), ActionExecuted(ACTION_LISTEN_NAME)]
    return events


SPECIAL = [
    lambda n: [UserUtteranceReverted()],
    lambda n: [ActionReverted()],
    lambda n: [Restarted(), ActionExecuted(ACTION_LISTEN_NAME)],
    lambda n: [ActionExecuted("action_session_start"), SessionStarted(),
               ActionExecuted(ACTION_LISTEN_NAME)],
    lambda n: _form_turns("magnesium_profile_form", n),
    # executed as a plain action first, a loop only later: earlier executions then count
    lambda n: [ActionExecuted("late_loop"), ActionExecuted("late_loop"),
               ActiveLoop("late_loop") if n % 2 else BotUttered("no loop yet")],
]


def _conversation(seed: int) -> list:
    rng = random.Random(seed)
    events = [ActionExecuted(ACTION_LISTEN_NAME)]
    for n in range(60):
        events += _turn(n) if rng.random() < 0.6 else rng.choice(SPECIAL)(n)
    for n, special in enumerate(rng.sample(SPECIAL, len(SPECIAL)), start=60):
        events += special(n) + _turn(n)  # each kind at least once
    return events


def _snapshot(tracker: DialogueStateTracker) -> tuple:
    return (tracker.current_state(EventVerbosity.ALL),
            {name: (slot.value, slot.has_been_set) for name, slot in tracker.slots.items()},
            tracker._paused, tracker.followup_action, tracker.latest_action,
            tracker.latest_message, tracker.latest_bot_utterance, tracker.active_loop,
            list(tracker.events))


@pytest.mark.parametrize("seed", range(6))
def test_kept_copy_and_applied_events_equal_rasas_at_every_event(seed):
    domain = load_domain()
    grown = DialogueStateTracker(f"kept-{seed}", domain.slots)
    kinds = set()
    for event in _conversation(seed):
        grown.update(event)
        kinds.add(type(event).__name__)
        ours = [id(e) for e in tracker_copy.applied_events(grown)]
        assert ours == [id(e) for e in tracker_copy._original_applied_events(grown)]
        assert _snapshot(tracker_copy.copy(grown)) == _snapshot(
            tracker_copy._original_copy(grown))
    assert {"UserUtteranceReverted", "ActionReverted", "Restarted", "SessionStarted",
            "ActiveLoop"} <= kinds


def test_replaced_events_start_the_kept_lists_again():
    domain = load_domain()
    tracker = DialogueStateTracker("replaced", domain.slots)
    for event in _turn(1):
        tracker.update(event)
    tracker_copy.applied_events(tracker)
    tracker_copy.copy(tracker)
    other = DialogueStateTracker("replaced", domain.slots)
    for event in _turn(2)[:3]:
        other.update(event)
    tracker.events = other.events  # same length or shorter, other events
    assert [id(e) for e in tracker_copy.applied_events(tracker)] == [
        id(e) for e in tracker_copy._original_applied_events(tracker)]
    assert list(tracker_copy.copy(tracker).events) == list(tracker.events)
