"""The rule policy's dialogue states from the latest turns only, not the whole conversation.

Before each predicted action Rasa's ``RulePolicy`` turns the tracker into dialogue states
(``Policy._prediction_states`` -> ``tracker.past_states``): it replays every event of the
conversation into a fresh tracker and builds one state per action taken. That cost grows
with the conversation: after a 50-food diary (about 1,100 events, 160 states) it took about
20 ms per call, and a turn makes several calls (profile in BENCHMARKS.md, "Food diary").

A rule looks back a bounded number of states: ``RulePolicy._get_possible_keys`` compares a
rule with the conversation's states from the end, and a state further back than the rule is
long never rules it out. So only the last few states can change a prediction.
``rule_prediction_states`` (installed by runtime/patches.py) hands Rasa's featurizer the
last ``window`` states, where ``window`` is one more than the longest rule the trained model
holds (and at least the featurizer's ``max_history``); the rest of Rasa's code path is
unchanged. One state more than the longest rule keeps the feature key of a turn no rule
matches from ever equalling a rule's key, as the full history's key never does.

The window is replayed from the state the tracker had just before it, built exactly:

- slots: the current value, except for slots the window sets, which get the value of their
  last ``SlotSet`` before the window (their initial value after a reset or at the start);
- the latest user message and the latest action before the window: those events;
- the active loop's name before the window: the current one, or when the window itself
  (de)activates a loop, that of the last ``ActiveLoop`` event before it.

Those are all a state is made of (``Domain.get_active_state``). Whenever what precedes the
window is not plainly the events in order, the full replay runs as before: the window (or
the look-back for a slot or loop) meets a restart, a new session, an undone action or user
message, an event type other than the common ones, or the execution of a form (Rasa's replay
drops parts of a form's happy path); or the conversation is shorter than the window.
tests/reliability/test_rule_states.py checks, at every prediction of long recorded
conversations, that the states and the predicted action are those of the full replay.
"""

from __future__ import annotations

import itertools
import json
import weakref
from typing import Any

from rasa.core.policies.policy import Policy
from rasa.core.policies.rule_policy import (
    RULES,
    RULES_FOR_LOOP_UNHAPPY_PATH,
    RulePolicy,
)
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    DefinePrevUserUtteredFeaturization,
    FollowupAction,
    LoopInterrupted,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

# Events whose effect on a tracker depends on nothing before them, so a window made of
# them can be replayed from the state before it.
_PLAIN = (UserUttered, DefinePrevUserUtteredFeaturization, ActionExecuted, BotUttered, SlotSet,
          ActiveLoop, LoopInterrupted, ActionExecutionRejected, FollowupAction)
_RESETS = (Restarted, SessionStarted, AllSlotsReset)  # slots back to their initial value
_UNDOING = (ActionReverted, UserUtteranceReverted)

_original_prediction_states = Policy._prediction_states
_windows: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()


def rule_window(policy: RulePolicy) -> int:
    """How many of the latest states can decide ``policy``'s prediction, plus one."""
    if policy not in _windows:
        lengths = [len(json.loads(key))
                   for lookup in (RULES, RULES_FOR_LOOP_UNHAPPY_PATH)
                   for key in policy.lookup.get(lookup, {})]
        window = max(lengths, default=0) + 1
        max_history = getattr(policy.featurizer, "max_history", None)
        _windows[policy] = max(window, max_history or 0, 2)
    return _windows[policy]


def latest_states(tracker: DialogueStateTracker, domain: Any, count: int) -> list | None:
    """The last ``count`` states of ``tracker.past_states(domain)``, computed from the
    latest events only; None when that cannot be done exactly (see the module docstring)."""
    events = tracker.events
    forms = set(domain.form_names)
    start = latest_action = latest_user = None
    actions_needed = count - 1  # one state before each of these actions, and the current one
    seen = 0
    window_sets_loop = False
    index = len(events) - 1
    for event in reversed(events):
        if not isinstance(event, _PLAIN):
            return None
        if isinstance(event, ActiveLoop):
            forms.add(event.name or "")
            window_sets_loop = window_sets_loop or start is None
        if isinstance(event, ActionExecuted):
            if event.action_name in forms:
                return None
            if start is None:
                seen += 1
                if seen == actions_needed:
                    start = index
            elif latest_action is None:
                latest_action = index
        elif isinstance(event, UserUttered) and start is not None and latest_user is None:
            latest_user = index
        if latest_action is not None and latest_user is not None:
            break
        index -= 1
    if start is None or latest_action is None or latest_user is None:
        return None  # a short conversation or session: the full replay is short too
    # From `index` on no form ran (the loops are the domain's forms): Rasa's replay drops
    # none of these events.
    window = list(itertools.islice(events, start, None))
    set_in_window = {e.key for e in window if isinstance(e, SlotSet)}
    before = _values_before(events, start, set_in_window, want_loop=window_sets_loop)
    if before is None:
        return None
    slot_values, loop_name = before
    if not window_sets_loop:
        loop_name = tracker.active_loop_name

    replay = tracker.init_copy()  # every slot at its initial value
    for name, slot in replay.slots.items():
        if name not in set_in_window:
            slot.value = tracker.slots[name].value  # the window leaves it as it was
        elif name in slot_values:
            slot.value = slot_values[name]
    replay.latest_message = events[latest_user]
    replay.change_loop_to(loop_name)
    replay.set_latest_action(events[latest_action].as_sub_state())

    states = []
    for event in window:
        if isinstance(event, ActionExecuted):
            states.append(domain._clean_state(domain.get_active_state(replay)))
        replay.update(event)
    states.append(domain._clean_state(domain.get_active_state(replay)))
    return states


def _values_before(events: Any, start: int, keys: set[str],
                   want_loop: bool) -> tuple[dict[str, Any], str | None] | None:
    """The values the slots ``keys`` had before ``events[start]`` (absent: the initial
    value) and, with ``want_loop``, the name of the active loop then; None when an undone
    event lies on the way back."""
    values: dict[str, Any] = {}
    missing = set(keys)
    loop_name: str | None = None
    loop_found = not want_loop
    if not missing and loop_found:
        return values, loop_name
    for event in itertools.islice(reversed(events), len(events) - start, None):
        if isinstance(event, _UNDOING):
            return None
        if isinstance(event, _RESETS):
            if isinstance(event, AllSlotsReset):
                missing.clear()  # the initial values
                if loop_found:
                    break
                continue
            break  # a restart or a new session: initial slots, no loop
        if isinstance(event, SlotSet) and event.key in missing:
            values[event.key] = event.value
            missing.discard(event.key)
        elif isinstance(event, ActiveLoop) and not loop_found:
            loop_name, loop_found = event.name, True
        if not missing and loop_found:
            break
    return values, loop_name


class _LatestStates:
    """What Rasa's featurizer reads of a tracker (``past_states``), answered from the
    latest events when that is exact, else by the tracker itself."""

    def __init__(self, tracker: DialogueStateTracker, window: int) -> None:
        self._tracker = tracker
        self._window = window

    def past_states(self, domain: Any, omit_unset_slots: bool = False,
                    ignore_rule_only_turns: bool = False,
                    rule_only_data: dict[str, Any] | None = None) -> list:
        if not omit_unset_slots and not ignore_rule_only_turns:
            states = latest_states(self._tracker, domain, self._window)
            if states is not None:
                return states
        return self._tracker.past_states(domain, omit_unset_slots=omit_unset_slots,
                                         ignore_rule_only_turns=ignore_rule_only_turns,
                                         rule_only_data=rule_only_data)


def rule_prediction_states(self: RulePolicy, tracker: DialogueStateTracker, domain: Any,
                           use_text_for_last_user_input: bool = False,
                           rule_only_data: dict[str, Any] | None = None) -> list:
    """Replaces ``RulePolicy._prediction_states``: the same states, from the latest turns."""
    return _original_prediction_states(
        self, _LatestStates(tracker, rule_window(self)), domain,  # type: ignore[arg-type]
        use_text_for_last_user_input, rule_only_data)
