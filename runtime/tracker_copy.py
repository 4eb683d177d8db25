"""``DialogueStateTracker.copy`` and ``.applied_events`` without going through the whole
conversation on every call.

Rasa's processor copies the tracker before every action it runs (``_run_action``), and
Rasa's ``copy`` replays every event of the conversation into a new tracker. After a 50-food
diary (about 1,000 events) that was about a fifth of a turn's time (BENCHMARKS.md, "Food
diary"), and it grows with the conversation.

``copy`` (installed by runtime/patches.py) keeps, next to each tracker it copies, that same
replay and carries it on with only the events added since the last copy; each copy is then a
fresh tracker with the replay's state: the events, copies of the slots, the latest message,
action and bot utterance, the follow-up action, a copy of the active loop and the paused
flag (everything an event can set, ``DialogueStateTracker._reset``). What a copy holds is
therefore exactly what Rasa's replay would give. The kept replay is started again when the
tracker's events are not the ones it saw plus new ones at the end (a bounded event history,
events replaced). tests/reliability/test_rule_states.py compares both copies at every event
of long recorded conversations.

``applied_events`` (the events not undone by a revert, a restart or a form's happy path) is
read twice per message by Rasa's session check (whether the conversation has events, when
the user last wrote), again by every full replay, and went through every event each time
(about a quarter of a diary turn after 50 foods). The replacement keeps the list with the
tracker and carries it on with the events added since, using the same steps and Rasa's own
helpers; it starts again when an added event activates a loop not seen before (Rasa decides
with every loop name of the conversation how earlier form executions count) and in the same
cases as the copy.
"""

from __future__ import annotations

import copy as copying
import dataclasses
import itertools
from typing import Any

from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

_original_copy = DialogueStateTracker.copy
_KEPT = "_runtime_replay"  # attribute of the copied tracker holding its replay


@dataclasses.dataclass
class _Replay:
    tracker: DialogueStateTracker  # the events replayed so far, as Rasa's copy does
    count: int = 0
    last: Any = None  # the last event replayed


def _replay(tracker: DialogueStateTracker) -> DialogueStateTracker:
    events = tracker.events
    kept: _Replay | None = tracker.__dict__.get(_KEPT)
    if (kept is None or kept.count > len(events)
            or (kept.count and events[kept.count - 1] is not kept.last)):
        kept = _Replay(tracker.init_copy())
    for event in itertools.islice(events, kept.count, None):
        kept.tracker.update(event)
    kept.count = len(events)
    kept.last = events[-1] if events else None
    tracker.__dict__[_KEPT] = kept
    return kept.tracker


def copy(self: DialogueStateTracker) -> DialogueStateTracker:
    """Replaces ``DialogueStateTracker.copy``: the same new tracker, from a kept replay."""
    if self._max_event_history:
        return _original_copy(self)  # old events drop off the front: replay as Rasa does
    replayed = _replay(self)
    clone = self.init_copy()
    clone.events.extend(replayed.events)
    clone.slots.update({name: copying.copy(slot) for name, slot in replayed.slots.items()})
    clone._paused = replayed._paused
    clone.followup_action = replayed.followup_action
    clone.latest_action = (dict(replayed.latest_action)
                           if replayed.latest_action is not None else None)
    clone.latest_message = replayed.latest_message
    clone.latest_bot_utterance = replayed.latest_bot_utterance
    clone.active_loop = (dataclasses.replace(replayed.active_loop)
                         if replayed.active_loop is not None else None)
    return clone


# --------------------------------------------------------------------------- applied events
_original_applied_events = DialogueStateTracker.applied_events
_KEPT_APPLIED = "_runtime_applied"


@dataclasses.dataclass
class _Applied:
    events: list  # Rasa's applied events of the first `count` events
    loop_names: set
    count: int = 0
    last: Any = None


def _apply(tracker: DialogueStateTracker, applied: list, event: Any, loop_names: set) -> list:
    """One step of Rasa's ``DialogueStateTracker.applied_events`` loop (same branches, same
    helpers of Rasa's); returns the list to carry on with."""
    if isinstance(event, Restarted | SessionStarted):
        return []
    if isinstance(event, ActionReverted):
        tracker._undo_till_previous(ActionExecuted, applied)
    elif isinstance(event, UserUtteranceReverted):
        tracker._undo_till_previous(UserUttered, applied)
        tracker._undo_till_previous(ActionExecuted, applied)
    elif (isinstance(event, ActionExecuted) and event.action_name in loop_names
          and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)):
        tracker._undo_till_previous_loop_execution(event.action_name, applied)
    else:
        applied.append(event)
    return applied


def applied_events(self: DialogueStateTracker) -> list:
    """Replaces ``DialogueStateTracker.applied_events``: the same list, carried on from the
    previous call with the events added since, unless one of them names a new loop (which
    changes how earlier events count) or the events are not the ones seen plus new ones."""
    events = self.events
    if self._max_event_history:
        return _original_applied_events(self)
    kept: _Applied | None = self.__dict__.get(_KEPT_APPLIED)
    new = list(itertools.islice(events, kept.count, None)) if kept is not None else None
    if (kept is None or kept.count > len(events)
            or (kept.count and events[kept.count - 1] is not kept.last)
            or any(isinstance(e, ActiveLoop) and e.name and e.name not in kept.loop_names
                   for e in new or ())):
        names = {e.name for e in events if isinstance(e, ActiveLoop) and e.name}
        kept = _Applied([], names)
        new = list(events)
    applied = kept.events
    for event in new or ():
        applied = _apply(self, applied, event, kept.loop_names)
    kept.events = applied
    kept.count = len(events)
    kept.last = events[-1] if events else None
    self.__dict__[_KEPT_APPLIED] = kept
    return list(applied)
