"""Bad input over the REST channel (issue 8, "Bad input").

Every case must get a 4xx with a JSON reason or a sensible reply (never a 5xx, a crash or
silence), the conversation's stored tracker must stay readable, and afterwards the same
conversation still works: "hi" gets the greeting.

Slash commands: on the public channels a message is taken as "/intent{entities}" only
when it is exactly a button payload the bot offers (SLASH_COMMANDS=buttons, see
SECURITY.md). Anything else that starts with "/" is read as plain words, so a user can't
pick an intent, inject entities, restart the conversation or fire EXTERNAL_* intents.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from common.payloads import as_sent
from common.settings import Settings
from tests.reliability.support import (
    FORM_TRIGGER,
    domain_responses,
    loop_state,
    post,
    profile_form,
    response_text,
    say,
    texts,
)

pytestmark = pytest.mark.integration

LIMITS = Settings.from_env({})


@dataclass
class Case:
    name: str
    body: Any  # dict/list/str -> JSON; bytes -> sent as is
    status: int = 200  # expected status; 200 means "a sensible reply"
    check: Any = None  # extra check(messages, events) for 200 cases
    sender: str | None = field(default=None)


def _sender(case: Case) -> str:
    return case.sender or f"bad-{case.name}"


def _msg(case_name: str, text: str, **extra) -> dict:
    return {"sender": f"bad-{case_name}", "message": text, **extra}


def _no_markup_echo(messages, events):
    for m in messages:
        text = m.get("text") or ""
        assert "<script" not in text.lower() and "<img" not in text.lower()


def _not_literal_slash(intent_not: str | None = None):
    def check(messages, events):
        user = [e for e in events if e["event"] == "user"][-1]
        extractors = {ent.get("extractor") for ent in user["parse_data"].get("entities", [])}
        assert "RegexMessageHandler" not in extractors, "entities were injected"
        if intent_not:  # the NLU may still guess that intent from the words, but the
            # text did not choose it (RegexMessageHandler gives confidence 1.0)
            intent = user["parse_data"].get("intent") or {}
            assert not (intent.get("name") == intent_not and intent.get("confidence") == 1.0)
        assert not any(e["event"] == "restart" for e in events)
    return check


def _too_long(messages, events):
    expected = response_text("utter_message_too_long").replace(
        "{max_chars}", str(LIMITS.max_message_chars))
    assert texts(messages) == expected
    assert not any(len(e.get("text") or "") > LIMITS.max_message_chars for e in events)


def _stored_clean(expected_text: str):
    def check(messages, events):
        user = [e for e in events if e["event"] == "user"][-1]
        assert user["text"] == expected_text
    return check


def _nested(depth: int) -> bytes:
    return ('{"sender": "bad-deep", "message": "hi", "metadata": ' + "[" * depth
            + "]" * depth + "}").encode()


BIG = "magnesium " * (100 * 1024 // 10)  # about 100 kB

CASES = [
    # -- malformed requests: 4xx with a JSON reason
    Case("invalid-json", b'{"sender": "bad-invalid-json", "message": ', 400),
    Case("empty-body", b"", 400),
    Case("json-array", [{"sender": "x", "message": "hi"}], 400),
    Case("json-string", "hi", 400),
    Case("missing-sender", {"message": "hi"}, 400),
    Case("empty-sender", {"sender": "", "message": "hi"}, 400),
    Case("blank-sender", {"sender": "   ", "message": "hi"}, 400),
    Case("number-sender", {"sender": 42, "message": "hi"}, 400),
    Case("null-sender", {"sender": None, "message": "hi"}, 400),
    Case("control-char-sender", {"sender": "bad\x00x", "message": "hi"}, 400),
    Case("huge-sender", {"sender": "s" * 1000, "message": "hi"}, 400),
    Case("missing-message", {"sender": "bad-missing-message"}, 400),
    Case("number-message", _msg("number-message", "x") | {"message": 5}, 400),
    Case("null-message", _msg("null-message", "x") | {"message": None}, 400),
    Case("list-message", _msg("list-message", "x") | {"message": ["hi"]}, 400),
    Case("object-message", _msg("object-message", "x") | {"message": {"text": "hi"}}, 400),
    Case("nan-literal-message", b'{"sender": "bad-nan-literal-message", "message": NaN}', 400),
    Case("string-metadata", _msg("string-metadata", "hi", metadata="x"), 400),
    Case("number-input-channel", _msg("number-input-channel", "hi", input_channel=7), 400),
    Case("non-utf8-body", b'{"sender": "bad-non-utf8", "message": "\xff\xfe"}', 400),
    Case("deeply-nested-json", _nested(20_000), 400),
    Case("100kB-message", _msg("100kB-message", BIG), 413),
    # -- odd but valid messages: a sensible reply
    Case("empty-message", _msg("empty-message", "")),
    Case("whitespace-message", _msg("whitespace-message", "  \n\t  ")),
    Case("too-long-message", _msg("too-long-message", "a" * (LIMITS.max_message_chars + 1)),
         check=_too_long),
    Case("emoji", _msg("emoji", "💪🦴🥦🥜 ?")),
    Case("right-to-left", _msg("right-to-left", "كم أحتاج من المغنيسيوم؟")),
    Case("bidi-override", _msg("bidi-override", "\u202eenisengam\u202c hi")),
    Case("control-characters", _msg("control-characters", "hi\x00\x07\x1b there"),
         check=_stored_clean("hi there")),
    Case("lone-surrogate", b'{"sender": "bad-lone-surrogate", "message": "hi \\ud800"}',
         check=_stored_clean("hi \ufffd")),
    Case("script-tag", _msg("script-tag", "<script>alert('x')</script> almonds"),
         check=_no_markup_echo),
    Case("img-onerror", _msg("img-onerror", '<img src=x onerror="alert(1)"> spinach?'),
         check=_no_markup_echo),
    Case("sql-ish", _msg("sql-ish", "'; DROP TABLE events; --")),
    Case("slash-inject-entities", _msg("slash-inject-entities", '/inform_profile{"age": -5}'),
         check=_not_literal_slash("inform_profile")),
    Case("slash-external-intent", _msg("slash-external-intent", "/EXTERNAL_dry_plant"),
         check=_not_literal_slash("EXTERNAL_dry_plant")),
    Case("slash-restart", _msg("slash-restart", "/restart"), check=_not_literal_slash("restart")),
    Case("double-slash-greet", _msg("double-slash-greet", '//greet@1.0{"age": 200}'),
         check=_not_literal_slash()),
    Case("number-1e309", _msg("number-1e309", "I'm 1e309 years old")),
    Case("number-nan", _msg("number-nan", "NaN")),
    Case("absurd-age", _msg("absurd-age", "I am 99999999999999999999 years old")),
    Case("negative-age", _msg("negative-age", "I am -5 years old, how much magnesium?")),
    Case("absurd-amount", _msg("absurd-amount", "I ate 1e309 grams of almonds")),
    Case("huge-amount", _msg("huge-amount", "how much magnesium is in 99999999 kg of spinach?")),
    Case("unicode-sender", {"sender": "пользователь-😀", "message": "hi"},
         sender="пользователь-😀"),
    Case("spoofed-input-channel", _msg("spoofed-input-channel", "hi", input_channel="cmdline")),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bad_input_gets_4xx_or_a_sensible_reply(api_bot, case: Case):
    status, body = post(api_bot.url, case.body)
    assert status == case.status, f"{status}: {body[:300]!r}"
    sender = _sender(case)
    if status >= 400:
        assert "error" in json.loads(body), "a 4xx says why in JSON"
    else:
        messages = json.loads(body)
        assert messages and any(m.get("text") for m in messages), "no silent answer"
        events = api_bot.events(sender)  # the stored conversation is still readable
        if case.check:
            case.check(messages, events)
    # the same conversation still works
    after = say(api_bot.url, "hi", sender)
    assert response_text("utter_greet") in texts(after)


def test_allowed_button_payload_is_taken_literally(api_bot):
    # as a click sends them (the domain doubles the braces of JSON payloads)
    payloads = [as_sent(b["payload"]) for variations in domain_responses().values()
                for v in variations for b in (v.get("buttons") or [])
                if str(b.get("payload", "")).startswith("/") and "{" in b["payload"]]
    if not payloads:
        pytest.skip("no button with an intent payload in the domain yet")
    payload = payloads[0]
    sender = "bad-button-payload"
    say(api_bot.url, payload, sender)
    user = [e for e in api_bot.events(sender) if e["event"] == "user"][-1]
    intent = payload[1:].split("{", 1)[0]
    assert user["parse_data"]["intent"]["name"] == intent
    assert {e.get("extractor") for e in user["parse_data"]["entities"]} == {"RegexMessageHandler"}


def test_absurd_age_is_refused_by_the_form(api_bot):
    form = profile_form()
    if form is None:
        pytest.skip("the domain has no age/sex form yet; this test runs once it lands")
    sender = "bad-form-absurd-age"
    say(api_bot.url, FORM_TRIGGER, sender)
    assert loop_state(api_bot.tracker(sender)) == (form, "age")
    for absurd in ["-5", "1e309", "NaN", "250", "99999999999999999999"]:
        messages = say(api_bot.url, absurd, sender)
        assert messages, f"no answer to age {absurd!r}"
        t = api_bot.tracker(sender)
        assert loop_state(t) == (form, "age"), f"age {absurd!r} was accepted"
        assert t["slots"]["age"] is None


def test_many_messages_from_one_sender(api_bot):
    """A flood from one sender is answered or refused with 429, never with a 5xx.

    The flood is of over-long messages, which are answered without the NLU, so it is
    fast enough that the bucket can't refill during it on a slow machine either."""
    sender = "bad-flood"
    flood = "a" * (LIMITS.max_message_chars + 1)
    results = [post(api_bot.url, {"sender": sender, "message": flood})
               for _ in range(LIMITS.message_burst + 40)]
    statuses = [status for status, _ in results]
    assert set(statuses) <= {200, 429}, statuses
    assert statuses[: LIMITS.message_burst] == [200] * LIMITS.message_burst
    refused = [json.loads(body) for status, body in results if status == 429]
    assert refused, "the per-sender limit kicks in"
    assert all(r["retry_after_seconds"] > 0 and "error" in r for r in refused)
    # other senders are not affected
    assert response_text("utter_greet") in texts(say(api_bot.url, "hi", "bad-flood-neighbour"))
    # once the sender slows down it gets answers again (the bucket refills)
    time.sleep(60 / LIMITS.messages_per_minute + 0.3)
    assert response_text("utter_greet") in texts(say(api_bot.url, "hi", sender))
    assert [e["text"] for e in api_bot.events(sender) if e["event"] == "user"] == ["hi"]


def test_many_senders_at_once(api_bot):
    results: dict[str, Any] = {}

    def one(i: int) -> None:
        try:
            results[i] = post(api_bot.url, {"sender": f"bad-crowd-{i}", "message": "hi"})
        except Exception as error:  # noqa: BLE001 - recorded and asserted below
            results[i] = error

    threads = [threading.Thread(target=one, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    greeting = response_text("utter_greet")
    for i in range(40):
        status, body = results[i]
        assert status == 200 and greeting in texts(json.loads(body)), (i, status, body[:200])


def test_simultaneous_messages_in_one_conversation(api_bot):
    """Six messages of one conversation at once: all answered, all stored exactly once."""
    sender = "bad-simultaneous"
    results: list = []

    def one(text: str) -> None:
        results.append(post(api_bot.url, {"sender": sender, "message": text}))

    sent = [f"thanks {i}" for i in range(6)]
    threads = [threading.Thread(target=one, args=(text,)) for text in sent]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [status for status, _ in results] == [200] * 6
    events = api_bot.events(sender)
    assert sorted(e["text"] for e in events if e["event"] == "user") == sorted(sent)
    # turns did not interleave: each user message is followed by its own actions and
    # an action_listen before the next user message
    kinds = [("user" if e["event"] == "user" else e.get("name"))
             for e in events if e["event"] == "user" or e.get("name") == "action_listen"]
    assert kinds[-12:] == ["user", "action_listen"] * 6
