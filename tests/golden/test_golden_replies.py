"""The golden table against the running assistant (issue #15).

Every case of tests/golden/*.yml is one conversation over the REST channel of one shared
pair of real servers (the session's ``bot`` fixture), with a sender id of its own. The
reply to the case's last message must show every expected figure and follow the wording
rules. Cases marked ``xfail`` record a known clinical defect with the correct answer: they
must fail until the defect is fixed (strict), and then the mark has to go.
"""

from __future__ import annotations

import json
import uuid

import pytest

from tests.golden.golden_cases import Case, all_cases, has_figure, has_response, normalise
from tests.reliability.support import domain_responses, say

pytestmark = pytest.mark.integration

CASES = all_cases()


def params() -> list:
    return [
        pytest.param(case, id=f"{case.area}:{case.id}", marks=[
            pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else [])
        for case in CASES
    ]


def message_text(step: object, last_reply: list[dict]) -> str:
    """A message of the script: text as typed, or a button of the last reply clicked."""
    if isinstance(step, str):
        return step
    assert isinstance(step, dict) and set(step) == {"button"}, f"bad step {step!r}"
    buttons = [b for m in last_reply for b in (m.get("buttons") or [])]
    for button in buttons:
        if button["title"] == step["button"]:
            return str(button["payload"])
    raise AssertionError(f"no button {step['button']!r} in the reply; buttons: "
                         f"{[b['title'] for b in buttons]}")


def converse(bot, case: Case) -> str:
    sender = f"golden-{case.id}-{uuid.uuid4().hex[:8]}"
    reply: list[dict] = []
    for step in case.say:
        reply = say(bot, message_text(step, reply), sender)
    return "\n".join(m.get("text") or "" for m in reply)


@pytest.mark.parametrize("case", params())
def test_golden_reply(bot, case: Case):
    reply = converse(bot, case)
    responses = domain_responses()
    problems = []
    for name, figure in case.expect.items():
        if not has_figure(reply, figure):
            problems.append(f"expected {name} {figure!r}")
    for name in case.must_contain_response:
        if not has_response(reply, responses[name][0]["text"]):
            problems.append(f"missing the text of {name}")
    for name in case.must_not_contain_response:
        if has_response(reply, responses[name][0]["text"]):
            problems.append(f"has the text of {name}")
    text = normalise(reply).lower()
    problems += [f"missing {p!r}" for p in case.must_contain if normalise(p).lower() not in text]
    problems += [f"has {p!r}" for p in case.must_not_contain if normalise(p).lower() in text]
    assert not problems, (
        f"{case.area}.yml {case.id} ({case.source}): " + "; ".join(problems)
        + f"\nsaid: {json.dumps(case.say)}\nreply: {reply}"
    )
