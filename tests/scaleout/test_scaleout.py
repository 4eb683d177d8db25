"""Scaled-out profile: two Rasa servers, one PostgreSQL tracker store, one Redis lock store.

The known trap: with several Rasa processes each keeping conversations in its own memory,
a conversation whose turns land on different processes splits in two. Here one
conversation's turns alternate between the two servers (also in the middle of the profile
form) and the stored tracker must hold every message and reply exactly once, in order.
Messages sent to both servers at the same moment must be handled one after the other
(Redis lock), never interleaved.

Outages: cutting the proxy to PostgreSQL or to Redis gives the user
utter_storage_unavailable, GET /ready answers 503 naming the store, and once the service is
back the same conversation continues with nothing lost from before the outage.
"""

from __future__ import annotations

import json
import time

import pytest

from harness.net import http, wait_until
from tests.reliability.support import (
    Conversation,
    check_serialised,
    loop_state,
    profile_form,
    response_text,
    run_form,
    say,
    send_at_once,
    texts,
)

pytestmark = pytest.mark.integration

SMALL_TALK = ["hi", "are you a bot?", "what is magnesium?", "thanks",
              "how does magnesium help my bones?", "bye"]


def test_turns_alternate_between_two_servers(cluster):
    conv = Conversation("scale-alternate")
    for i, text in enumerate(SMALL_TALK):
        messages = conv.say(cluster.a if i % 2 == 0 else cluster.b, text)
        assert messages, f"no answer to {text!r}"
    from_a, from_b = cluster.events(conv.sender), cluster.events(conv.sender, cluster.b)
    assert from_a == from_b, "both servers see the same conversation"
    conv.check_stored(from_a)
    assert response_text("utter_greet") in conv.received[0]


def test_form_alternates_between_two_servers(cluster):
    form = profile_form()
    if form is None:
        pytest.skip("the domain has no age/sex form yet (issue: profile form); this test "
                    "runs once it lands")
    conv = Conversation("scale-form")
    asked = run_form([cluster.a, cluster.b], conv, lambda s: cluster.tracker(conv.sender, s),
                     form)
    assert asked[:2] == ["age", "sex"]
    t = cluster.tracker(conv.sender, cluster.b)
    assert loop_state(t) == (None, None)
    assert t["slots"]["age"] is not None and t["slots"]["sex"] == "female"
    assert "mg" in conv.received[-1] or any("mg" in r for r in conv.received[-4:])
    conv.check_stored(t["events"])


def test_simultaneous_messages_to_both_servers_are_serialised(cluster):
    sender = "scale-simultaneous"
    sent = [f"thanks {i}" for i in range(6)]
    results = send_at_once([cluster.a, cluster.b], sender, sent)
    check_serialised(cluster.events(sender), sent, results)


def test_action_server_gets_the_shared_secret(cluster):
    base = cluster.a.actions_url
    assert http("GET", f"{base}/health")[0] == 200
    assert http("GET", f"{base}/actions")[0] == 401
    assert http("GET", f"{base}/actions", headers={"X-Action-Secret": "wrong"})[0] == 403
    status, body = http("GET", f"{base}/actions",
                        headers={"X-Action-Secret": cluster.action_secret})
    assert status == 200 and json.loads(body)
    assert http("POST", f"{base}/webhook", {"next_action": "action_explain_topic"})[0] == 401
    # Rasa sends the header (endpoints.scaled.yml): a question that needs a custom action
    # gets a real answer, not the "can't work that out" apology.
    messages = say(cluster.b, "what is magnesium?", "scale-secret")
    assert messages
    assert response_text("utter_action_server_unavailable") not in texts(messages)


def test_api_needs_a_valid_jwt(cluster):
    url = f"{cluster.a.rasa_url}/conversations/scale-jwt/tracker"
    import jwt as pyjwt

    forged = pyjwt.encode({"user": {"username": "x", "role": "admin"}}, "not-the-secret",
                          algorithm="HS256")
    assert http("GET", url)[0] == 401
    assert http("GET", url, headers={"Authorization": f"Bearer {forged}"})[0] == 401
    assert http("GET", url, headers={"Authorization": f"Bearer {cluster.jwt}"})[0] == 200


def _ready(stack) -> tuple[int, dict]:
    status, body = http("GET", f"{stack.rasa_url}/ready", timeout=15)
    return status, json.loads(body)


def _outage(cluster, proxy, store: str, sender: str) -> None:
    conv = Conversation(sender)
    conv.say(cluster.a, "hi")
    conv.say(cluster.b, "are you a bot?")
    before = cluster.events(sender)
    assert _ready(cluster.a) == (200, {"model": "ok", "tracker_store": "ok", "lock_store": "ok"})

    proxy.cut()
    try:
        started = time.monotonic()
        for stack in (cluster.a, cluster.b):
            messages = say(stack, "thanks", sender, timeout=60)
            assert texts(messages).endswith(response_text("utter_storage_unavailable"))
        assert time.monotonic() - started < 30, "the failure is reported quickly"
        status, checks = _ready(cluster.b)
        assert status == 503 and checks[store].startswith("unavailable")
    finally:
        proxy.restore()

    assert wait_until(lambda: _ready(cluster.a)[0] == 200 and _ready(cluster.b)[0] == 200, 30)
    messages = conv.say(cluster.b, "hi")
    assert texts(messages) == response_text("utter_greet")
    conv.say(cluster.a, "thanks")
    after = cluster.events(sender)
    assert after[: len(before)] == before, "nothing from before the outage was lost"
    conv.check_stored(after)


def test_postgres_outage_is_reported_and_recovers(cluster):
    _outage(cluster, cluster.pg, "tracker_store", "scale-pg-outage")


def test_redis_outage_is_reported_and_recovers(cluster):
    _outage(cluster, cluster.redis, "lock_store", "scale-redis-outage")
