"""runtime/patches.py: every patch fits the installed Rasa, and a patch that no longer fits
stops the start with one line naming it, before anything is changed.

Nothing here installs the guards into this process (a tampered target makes the start
refuse first), so other tests see Rasa unchanged."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rasa.core.agent import Agent
from rasa.core.processor import MessageProcessor

from runtime import patches
from runtime.__main__ import check_channels, install_runtime, patch_groups

ROOT = Path(__file__).resolve().parents[2]


def test_every_patch_fits_the_installed_rasa():
    assert len(patches.PATCHES) == 21
    assert patches.version_problem() is None
    problems = {p.target: patches.patch_problem(p) for p in patches.PATCHES}
    assert problems == {p.target: None for p in patches.PATCHES}
    patches.check()  # returns without stopping


def test_every_replacement_exists_and_every_patch_says_why():
    targets = [p.target for p in patches.PATCHES]
    assert len(set(targets)) == len(targets), "one entry per target"
    for patch in patches.PATCHES:
        assert callable(patches._replacement(patch)), patch.replacement
        assert patch.why and "\n" not in patch.why
        assert patch.group in (patches.GUARDS, patches.SPEEDUPS)


def test_speedups_off_leaves_out_exactly_the_speedup_patches():
    assert patch_groups({"RUNTIME_SPEEDUPS": "off"}) == (patches.GUARDS,)
    assert patch_groups({}) == (patches.GUARDS, patches.SPEEDUPS)
    speedups = {p.target for p in patches.PATCHES if p.group == patches.SPEEDUPS}
    assert speedups == {
        "rasa.core.actions.action.RemoteAction._validate_action_result",
        "rasa.core.actions.action.RemoteAction._action_call_format",
        "rasa.core.processor.DaskGraphRunner",
        "rasa.nlu.utils.spacy_utils.SpacyNLP.load_model",
        "rasa.engine.storage.storage.ModelMetadata.from_dict",
        "rasa.shared.core.events.Event.resolve_by_type",
        "rasa.core.policies.rule_policy.RulePolicy._prediction_states",
        "rasa.core.policies.rule_policy.RulePolicy._get_possible_keys",
        "rasa.shared.core.trackers.DialogueStateTracker.copy",
        "rasa.shared.core.trackers.DialogueStateTracker.applied_events",
    }


def test_speedups_can_be_left_out_by_module_for_comparing():
    from runtime.__main__ import speedups_left_out

    assert speedups_left_out({}) == ()
    assert speedups_left_out({"RUNTIME_SPEEDUPS_LEAVE_OUT": " runtime.rule_states, "
                                                            "runtime.tracker_copy"}) == (
        "runtime.rule_states", "runtime.tracker_copy")


def _refusal(excinfo) -> str:
    message = str(excinfo.value.code)
    assert "\n" not in message, "one line"
    return message


def test_a_target_with_other_parameters_stops_the_start(monkeypatch):
    async def stand_in(self, tracker):  # Rasa's takes (self, output_channel, tracker)
        return None

    monkeypatch.setattr(MessageProcessor, "_run_prediction_loop", stand_in)
    untouched = Agent.handle_message
    with pytest.raises(SystemExit) as excinfo:
        install_runtime({})
    message = _refusal(excinfo)
    assert message.startswith("error: runtime patch of "
                              "rasa.core.processor.MessageProcessor._run_prediction_loop")
    assert "(self, tracker)" in message and "(self, output_channel, tracker)" in message
    assert Agent.handle_message is untouched, "nothing was installed"


def test_a_missing_target_stops_the_start(monkeypatch):
    monkeypatch.delattr(MessageProcessor, "parse_message")
    with pytest.raises(SystemExit) as excinfo:
        patches.check((patches.GUARDS,))
    message = _refusal(excinfo)
    assert "MessageProcessor.parse_message" in message and "target is missing" in message


def test_another_rasa_version_stops_the_start(monkeypatch):
    monkeypatch.setattr(patches, "installed_version", lambda package: "3.6.20")
    with pytest.raises(SystemExit) as excinfo:
        patches.check()
    message = _refusal(excinfo)
    assert "written for rasa 3.6.21" in message and "rasa 3.6.20 is installed" in message


class StandInRunner:
    def __init__(self, schema) -> None:
        self._schema = schema


def test_private_names_a_replacement_relies_on_are_checked(monkeypatch):
    # this module stands in for a patched package
    monkeypatch.setitem(patches.WRITTEN_FOR, __name__.split(".")[0], "any")
    fits = patches.Patch(__name__, "StandInRunner", "x:y", "test", "(schema)",
                         uses=("self._schema",))
    assert patches.patch_problem(fits) is None
    gone = patches.Patch(__name__, "StandInRunner", "x:y", "test", "(schema)",
                         uses=("self._schema", "self._nodes"))
    assert patches.patch_problem(gone) == "the target no longer has self._nodes"


def test_the_refusal_is_one_line_without_a_traceback():
    """The real program: `python -m runtime` with one target changed."""
    code = ("import rasa.core.agent as agent\n"
            "async def stand_in(self, message, extra): pass\n"
            "agent.Agent.handle_message = stand_in\n"
            "from runtime.__main__ import main\n"
            "main(['--version'])\n")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONWARNINGS="ignore")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("error: runtime patch of rasa.core.agent.Agent.handle_message")
    assert "(self, message, extra)" in last and "See runtime/patches.py." in last


# ------------------------------------------------------------------- channels


def test_rasas_unchecked_rest_channel_is_refused(tmp_path):
    plain = tmp_path / "credentials.yml"
    plain.write_text("rest:\nchannels.ready.ReadyInput:\n")
    with pytest.raises(SystemExit, match="use 'channels.rest.RestInput'"):
        check_channels(["run", "--credentials", str(plain)])
    with pytest.raises(SystemExit, match="--connector opens Rasa's own 'rest' channel"):
        check_channels(["run", "--connector", "rest"])
    check_channels(["run", "--credentials", str(ROOT / "credentials.yml")])
    checked = tmp_path / "checked.yml"
    checked.write_text("channels.rest.RestInput:\n")
    check_channels(["run", "--credentials", str(checked)])
