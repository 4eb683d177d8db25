"""runtime/rule_states.py: the rule policy's states from the latest turns are exactly the
last states of Rasa's full replay, and the predicted action is the same, at every
prediction of long real conversations. runtime/tracker_copy.py: a tracker's copy from the
kept replay equals Rasa's copy at every action of the same conversations.
runtime/rule_index.py: the rules it finds are Rasa's at every lookup of those predictions.

The conversations are recorded through the REST channel of running servers: every test
story of a file played one after the other as one conversation (forms, follow-ups, people,
start over, questions while a form waits), and a 50-food diary
with totals, additions, removals and a correction. Each recorded conversation is then
replayed event by event into a tracker, as the server grows it during a turn; before each
action taken the states and the prediction are computed both ways and compared.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from rasa.core.agent import Agent
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from bench.diary_bench import FOODS
from bench.run_bench import ENTITY_MARKUP
from harness.paths import MODEL, ROOT
from harness.stack import BotStack
from runtime import rule_index, rule_states, tracker_copy
from tests.reliability.support import new_secret, say, tracker

pytestmark = pytest.mark.integration

STORIES = ROOT / "tests" / "stories"


def _story_texts(path: Path) -> list[str]:
    """User texts of every story of a file, in order, leaving out the stories that erase the
    conversation (a confirmed "forget me" would leave only its end to compare)."""
    stories = yaml.safe_load(path.read_text()).get("stories", [])
    return [ENTITY_MARKUP.sub(r"\1", step["user"]).strip()
            for story in stories
            if not ("forget" in story["story"] and "confirmed" in story["story"])
            for step in story.get("steps", []) if "user" in step]


def _diary_texts() -> list[str]:
    texts = ["hi"] + [f"I had {FOODS[n % len(FOODS)]}" for n in range(50)]
    for _ in range(8):
        texts += ["what's my total today?", "I also had a banana", "remove the banana"]
    return texts + ["it was 2 oz of almonds, not one", "and my total?"]


# A story file with fewer user messages than this is played on in the same conversation as
# the next file, so that every recorded conversation is long (the window matters there).
MIN_TEXTS = 40


def _plays(files: list[Path]) -> dict[str, list[str]]:
    """The user texts of the story files, one conversation per file, short files joined
    with the files after them (named "a+b")."""
    plays: dict[str, list[str]] = {}
    names: list[str] = []
    texts: list[str] = []
    for path in files:
        names.append(path.stem)
        texts += _story_texts(path)
        if len(texts) >= MIN_TEXTS:
            plays["+".join(names)] = texts
            names, texts = [], []
    if texts:  # a short last file goes on the conversation before it
        last = next(reversed(plays)) if plays else None
        if last is None:
            plays["+".join(names)] = texts
        else:
            plays["+".join([last, *names])] = plays.pop(last) + texts
    return plays


@pytest.fixture(scope="module")
def conversations(trained_model, tmp_path_factory) -> dict[str, list[dict]]:
    token = new_secret()
    stack = BotStack(workdir=tmp_path_factory.mktemp("rule-states"),
                     env={"MESSAGES_PER_MINUTE": "0", "RASA_AUTH_TOKEN": token}).start()
    plays = _plays(sorted(STORIES.glob("test_*.yml")))
    plays["diary"] = _diary_texts()
    recorded = {}
    try:
        for name, texts in plays.items():
            sender = f"rule-states-{name.replace(' ', '-').replace('+', '-')}-{time.time_ns()}"
            for text in texts:
                say(stack, text, sender)
            recorded[name] = tracker(stack.rasa_url, sender, token=token)["events"]
    finally:
        stack.stop()
    return recorded


@pytest.fixture(scope="module")
def model():
    agent = Agent.load(str(MODEL))
    nodes = agent.processor.graph_runner._instantiated_nodes
    policy = next(node._component for name, node in nodes.items() if "RulePolicy" in name)
    return policy, agent.domain


def test_latest_states_and_predictions_equal_the_full_replay(conversations, model,
                                                             monkeypatch):
    policy, domain = model
    window = rule_states.rule_window(policy)
    assert window >= 2
    windowed = points = 0
    lookups: list[int] = []
    seen_loops = False

    def both_lookups(self, lookup, states):
        """runtime/rule_index.py's lookup, checked against Rasa's on the same input."""
        ours = rule_index.possible_keys(self, lookup, states)
        assert ours == rule_index._original_get_possible_keys(self, lookup, states), (
            "the rule index found other rules than Rasa")
        lookups.append(len(ours))
        return ours

    for name, stored in conversations.items():
        events = [Event.from_parameters(e) for e in stored]
        assert len(events) > 100, f"{name}: a long conversation"
        seen_loops = seen_loops or any(isinstance(e, ActiveLoop) and e.name for e in events)
        grown = DialogueStateTracker(f"rule-states-{name}", domain.slots)
        for position, event in enumerate(events):
            if isinstance(event, ActionExecuted):
                points += 1
                full = grown.past_states(domain)
                latest = rule_states.latest_states(grown, domain, window)
                if latest is not None:
                    windowed += 1
                    assert latest == full[-window:], f"{name}: states before event {position}"
                monkeypatch.setattr(RulePolicy, "_prediction_states",
                                    rule_states._original_prediction_states)
                expected = policy.predict_action_probabilities(grown, domain)
                monkeypatch.setattr(RulePolicy, "_prediction_states",
                                    rule_states.rule_prediction_states)
                monkeypatch.setattr(RulePolicy, "_get_possible_keys", both_lookups)
                got = policy.predict_action_probabilities(grown, domain)
                assert got == expected, f"{name}: prediction before event {position}"
            grown.update(event)
    assert seen_loops, "the conversations run forms"
    # The full replay stays for what the window cannot take (forms, restarts, new sessions,
    # short conversations): both paths must have been compared, the window at hundreds of
    # predictions (about 500 to 650 of 900 in the runs so far).
    assert 300 < windowed < points, (windowed, points)
    assert len(lookups) >= points and any(lookups), "the rule index compared throughout"


def _snapshot(tracker: DialogueStateTracker) -> tuple:
    return (tracker.current_state(EventVerbosity.ALL),
            {name: (slot.value, slot.has_been_set) for name, slot in tracker.slots.items()},
            tracker._paused, tracker.followup_action, tracker.latest_action,
            tracker.latest_message, tracker.latest_bot_utterance, tracker.active_loop,
            list(tracker.events), tracker.model_id, tracker.sender_source)


def test_a_copy_from_the_kept_replay_equals_rasas_copy(conversations, model):
    _policy, domain = model
    copies = 0
    for name, stored in conversations.items():
        grown = DialogueStateTracker(f"tracker-copy-{name}", domain.slots)
        for position, event in enumerate(Event.from_parameters(e) for e in stored):
            if isinstance(event, ActionExecuted):  # where the processor copies
                ours = tracker_copy.copy(grown)
                assert _snapshot(ours) == _snapshot(tracker_copy._original_copy(grown)), (
                    f"{name}: copy before event {position}")
                copies += 1
                # the copy is a tracker of its own: changing it changes neither the tracker
                # nor the next copy
                before = _snapshot(grown)
                ours.update(SlotSet("food_diary", [{"food": "changed"}]))
                if ours.active_loop is not None:
                    ours.active_loop.is_interrupted = not ours.active_loop.is_interrupted
                assert _snapshot(grown) == before
                assert _snapshot(tracker_copy.copy(grown)) == _snapshot(
                    tracker_copy._original_copy(grown))
            grown.update(event)
    assert copies > 300
