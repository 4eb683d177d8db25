"""runtime/inprocess_actions.py: custom actions run inside the Rasa server keep the contract
of the action server (what Rasa receives, rejections, errors) and never hold up the
server's event loop.

Rasa's own ``RemoteAction.run`` is called with an endpoint that names an actions module;
only ``EndpointConfig.request`` is replaced, for the test (nothing is installed for the
rest of the session)."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from harness.domain import load_domain
from runtime import inprocess_actions
from tests.reliability import inprocess_fault_actions

FAULTS = "tests.reliability.inprocess_fault_actions"


@pytest.fixture
def in_process(monkeypatch) -> EndpointConfig:
    monkeypatch.setattr(EndpointConfig, "request", inprocess_actions.request)
    return EndpointConfig(url="http://127.0.0.1:9/webhook", actions_module=FAULTS)


@pytest.fixture(scope="module")
def domain() -> Domain:
    return load_domain()


def _tracker(domain: Domain) -> DialogueStateTracker:
    tracker = DialogueStateTracker("in-process", domain.slots)
    tracker.update(SlotSet("food_diary", [{"food": "banana"}]))
    return tracker


class _Channel:
    @staticmethod
    def name() -> str:
        return "rest"


class _NLG:
    async def generate(self, *args, **kwargs):
        return None


def test_actions_module_selects_the_mode():
    module = inprocess_actions.actions_module
    assert module(EndpointConfig(actions_module="actions")) == "actions"
    assert module(EndpointConfig(url="http://x", actions_module="")) is None
    assert module(EndpointConfig(url="http://x")) is None
    assert module(None) is None


def test_an_action_gets_its_own_copy_and_rasa_reads_its_events_and_responses(in_process, domain):
    tracker = _tracker(domain)
    events = asyncio.run(RemoteAction("action_test_mutate", in_process).run(
        _Channel(), _NLG(), tracker, domain))
    assert tracker.get_slot("food_diary") == [{"food": "banana"}], "unchanged in the server"
    assert [type(e) for e in events] == [BotUttered, SlotSet]
    assert events[0].text == "done" and events[1].key == "last_food"


def test_a_rejection_is_rasas_rejection(in_process, domain):
    with pytest.raises(ActionExecutionRejection) as excinfo:
        asyncio.run(RemoteAction("action_test_reject", in_process).run(
            _Channel(), _NLG(), _tracker(domain), domain))
    assert excinfo.value.action_name == "action_test_reject"


@pytest.mark.parametrize("name, status", [("action_test_raise", 500),
                                          ("action_not_there", 404)])
def test_a_failing_or_unknown_action_fails_as_over_http(in_process, domain, name, status):
    with pytest.raises(RasaException) as excinfo:
        asyncio.run(RemoteAction(name, in_process).run(_Channel(), _NLG(), _tracker(domain),
                                                       domain))
    cause = excinfo.value.__cause__
    assert isinstance(cause, ClientResponseError) and cause.status == status


def test_a_hanging_action_neither_blocks_the_loop_nor_outlives_the_time_limit(in_process,
                                                                               domain):
    """While one action blocks its thread, the server's loop keeps turning: the ticker
    counts only inside the hang window, after a warm-up call has loaded the actions module
    (a one-off import and the first payload are not what this test is about, and on a busy
    machine they took 0.4 s)."""
    ticks: list[float] = []

    async def ticker(stop: asyncio.Event) -> None:
        while not stop.is_set():
            ticks.append(time.perf_counter())
            await asyncio.sleep(0.02)

    async def scenario() -> tuple[float, float, float]:
        await RemoteAction("action_test_mutate", in_process).run(
            _Channel(), _NLG(), _tracker(domain), domain)
        stop = asyncio.Event()
        beat = asyncio.create_task(ticker(stop))
        began = time.perf_counter()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(RemoteAction("action_test_hang", in_process).run(
                _Channel(), _NLG(), _tracker(domain), domain), timeout=0.5)
        ended = time.perf_counter()
        # another conversation's action runs meanwhile on another thread
        await RemoteAction("action_test_mutate", in_process).run(
            _Channel(), _NLG(), _tracker(domain), domain)
        stop.set()
        await beat
        return began, ended, ended - began

    began, ended, waited = asyncio.run(scenario())
    assert waited < inprocess_fault_actions.HANG_SECONDS / 2, "bounded by the time limit"
    # the loop ticked through the window in which the action held its thread
    inside = [began] + [t for t in ticks if began <= t <= ended] + [ended]
    gaps = [b - a for a, b in zip(inside, inside[1:])]
    assert len(inside) >= 7 and max(gaps) < 0.25, ("the event loop kept running", gaps)


def test_make_run_and_the_tests_default_to_actions_in_the_rasa_server():
    """One default, read by `make`, scripts/run.sh and the test harness alike: the actions
    run inside the Rasa server unless ACTIONS_MODULE is set empty; the scaled profile
    always keeps the action server."""
    import re
    from pathlib import Path

    from harness.stack import DEFAULT_ACTIONS_MODULE

    root = Path(__file__).resolve().parents[2]
    makefile = (root / "Makefile").read_text()
    assert re.search(r"^export ACTIONS_MODULE \?= (\S+)$", makefile, re.M).group(1) \
        == DEFAULT_ACTIONS_MODULE == "actions"
    run_sh = (root / "scripts" / "run.sh").read_text()
    assert f"ACTIONS_MODULE=${{ACTIONS_MODULE-{DEFAULT_ACTIONS_MODULE}}}" in run_sh
    assert '[ "$PROFILE" = scaled ] && ACTIONS_MODULE=""' in run_sh
    assert "${ACTIONS_MODULE}" in (root / "endpoints.yml").read_text()
    assert "actions_module" not in (root / "endpoints.scaled.yml").read_text()


def test_each_action_reads_the_domain_into_its_own_copy(in_process, domain):
    """The domain's JSON is written once and kept, but every call gets a fresh copy: an
    action that changes its domain changes nothing for the next one."""
    count = str(len(domain.as_dict()["responses"]))
    replies = []
    for _ in range(2):
        events = asyncio.run(RemoteAction("action_test_domain", in_process).run(
            _Channel(), _NLG(), _tracker(domain), domain))
        replies.append(events[0].text)
    assert replies == [count, count] and int(count) > 100
    assert len(domain.as_dict()["responses"]) == int(count), "unchanged in the server"


def test_the_domain_json_is_kept_while_rasa_sends_the_same_dictionary():
    first = {"responses": {"utter_a": [{"text": "a"}]}}
    call = {"next_action": "x", "domain": first}
    body, kept = inprocess_actions.call_parts(call)
    assert json.loads(body) == {"next_action": "x"} and json.loads(kept) == first
    assert inprocess_actions.call_parts(call)[1] is kept
    second = {"responses": {}}
    assert json.loads(inprocess_actions.call_parts({"domain": second})[1]) == second
    assert inprocess_actions.call_parts({"next_action": "y"}) == ('{"next_action": "y"}', None)
