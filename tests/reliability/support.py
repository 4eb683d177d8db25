"""Helpers shared by the reliability, security and scale-out tests (issue 8).

They talk to servers started by harness.stack.BotStack through the REST channel and,
for checking what was stored, Rasa's HTTP API (enabled with a token or JWT).
"""

from __future__ import annotations

import json
import secrets
from urllib.parse import quote

from harness.domain import load_domain
from harness.net import http, start_parallel
from harness.stack import BotStack

# The question that starts the profile form (age -> sex -> pregnancy), per the issue.
FORM_TRIGGER = "how much magnesium do I need?"
# What a tester answers to each question of the form: the age typed, sex and pregnancy
# by the buttons the questions offer (their payloads, as the web widget sends them; this
# also exercises the allowed slash-command path).
FORM_ANSWERS = {"age": "30", "sex": '/inform_profile{"sex": "female"}',
                "life_stage": "/inform_not_pregnant"}
GREETING_WORDS = ("hello", "magnesium")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def profile_form() -> str | None:
    """Name of the form that asks age/sex/pregnancy, or None while it isn't in the domain."""
    forms = load_domain().as_dict().get("forms") or {}
    for name, spec in forms.items():
        slots = (spec or {}).get("required_slots") or []
        if "age" in slots and "sex" in slots:
            return name
    return None


def domain_responses() -> dict:
    return load_domain().as_dict().get("responses") or {}


def response_text(name: str) -> str:
    return domain_responses()[name][0]["text"]


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def is_greeting(messages: list[dict]) -> bool:
    return texts(messages).strip() == response_text("utter_greet").strip()


def post(stack_or_url, body, timeout: float = 60.0) -> tuple[int, bytes]:
    base = stack_or_url.rasa_url if isinstance(stack_or_url, BotStack) else stack_or_url
    return http("POST", f"{base}/webhooks/rest/webhook", body, timeout=timeout)


def say(stack_or_url, text: str, sender: str, timeout: float = 60.0) -> list[dict]:
    status, body = post(stack_or_url, {"sender": sender, "message": text}, timeout)
    assert status == 200, f"REST webhook answered {status}: {body[:300]!r}"
    return json.loads(body)


def tracker(base_url: str, sender: str, *, token: str | None = None,
            jwt_token: str | None = None) -> dict:
    url = f"{base_url}/conversations/{quote(sender, safe='')}/tracker?include_events=ALL"
    headers = {}
    if token:
        url += f"&token={token}"
    if jwt_token:
        headers["Authorization"] = f"Bearer {jwt_token}"
    status, body = http("GET", url, headers=headers)
    assert status == 200, f"tracker API answered {status}: {body[:300]!r}"
    return json.loads(body)


def user_texts(events: list[dict]) -> list[str]:
    return [e.get("text") or "" for e in events if e["event"] == "user"]


def bot_texts(events: list[dict]) -> list[str]:
    """Bot texts as REST clients receive them: Rasa's REST channel sends each paragraph
    ("\n\n"-separated) of a text as a message of its own."""
    return [part for e in events if e["event"] == "bot" and e.get("text")
            for part in e["text"].strip().split("\n\n")]


def duplicated_events(events: list[dict]) -> list[dict]:
    """Events stored twice (same type, timestamp and content)."""
    seen, dupes = set(), []
    for e in events:
        key = json.dumps(e, sort_keys=True)
        if key in seen:
            dupes.append(e)
        seen.add(key)
    return dupes


def loop_state(t: dict) -> tuple[str | None, str | None]:
    """(active form, requested slot) of a tracker."""
    return (t.get("active_loop") or {}).get("name"), (t.get("slots") or {}).get("requested_slot")


class Conversation:
    """One sender's conversation, remembering what was sent and every text received."""

    def __init__(self, sender: str) -> None:
        self.sender = sender
        self.sent: list[str] = []
        self.received: list[str] = []

    def say(self, stack_or_url, text: str, timeout: float = 60.0) -> list[dict]:
        messages = say(stack_or_url, text, self.sender, timeout)
        self.sent.append(text)
        self.received += [m["text"] for m in messages if m.get("text")]
        return messages

    def check_stored(self, events: list[dict]) -> None:
        """Every message sent and every text received is stored exactly once, in order."""
        assert user_texts(events) == [t.strip() for t in self.sent]
        assert bot_texts(events) == self.received
        assert duplicated_events(events) == []


def run_form(stacks, conversation: Conversation, api, form: str, *, between=None,
             max_turns: int = 6) -> list[str]:
    """Fill the profile form turn by turn, alternating over `stacks`.

    `api(stack)` returns the tracker of the conversation; `between(turn)` runs after each
    answer (e.g. restarts a server). Returns the slots asked for, in order."""
    stacks = list(stacks)
    conversation.say(stacks[0], FORM_TRIGGER)
    asked: list[str] = []
    for turn in range(1, max_turns + 1):
        active, requested = loop_state(api(stacks[turn % len(stacks)]))
        if active != form:
            return asked
        assert requested in FORM_ANSWERS, f"form asks for unexpected slot {requested!r}"
        asked.append(requested)
        conversation.say(stacks[turn % len(stacks)], FORM_ANSWERS[requested])
        if between:
            between(turn)
    raise AssertionError(f"form {form} not finished after {max_turns} answers: {asked}")


def send_at_once(stacks, sender: str, sent: list[str]) -> list[tuple[int, bytes]]:
    """Post every text of ``sent`` in one conversation at the same moment, text i to
    ``stacks[i % len(stacks)]``; the (status, body) answers."""
    results: list[tuple[int, bytes]] = []

    def one(i: int) -> None:
        results.append(post(stacks[i % len(stacks)], {"sender": sender, "message": sent[i]}))

    start_parallel(*(lambda i=i: one(i) for i in range(len(sent))), together=True)
    return results


def check_serialised(events: list[dict], sent: list[str],
                     results: list[tuple[int, bytes]]) -> None:
    """Simultaneous messages (``send_at_once``) were all answered and stored, none lost,
    and their turns were taken one after the other (each message, then its replies, then
    the bot listens again), never interleaved."""
    assert sorted(status for status, _ in results) == [200] * len(sent)
    received = [m["text"] for _, body in results for m in json.loads(body) if m.get("text")]
    assert sorted(e["text"] for e in events if e["event"] == "user") == sorted(sent)
    assert len([e for e in events if e["event"] == "bot"]) == len(received)
    kinds = [("user" if e["event"] == "user" else "listen") for e in events
             if e["event"] == "user" or e.get("name") == "action_listen"]
    assert kinds[-2 * len(sent):] == ["user", "listen"] * len(sent), "turns interleaved"
    assert duplicated_events(events) == []
