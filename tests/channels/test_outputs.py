"""What each platform output sends for long text, buttons and custom payloads.

Calls go through the real client libraries and are caught at their HTTP call (fixtures in
conftest.py), so these check the requests the platforms would receive. No model needed.
"""

from __future__ import annotations

import asyncio
import json

from channels.facebook import MessengerBot
from channels.slack import SlackBot
from channels.socketio import SocketIOOutput
from channels.telegram import TelegramOutput
from channels.text import NUMBERED_HINT, utf16_length
from channels.twilio import TwilioOutput
from tests.channels.conftest import SECRETS

CHART = {"chart": {"type": "bar", "title": "Magnesium", "unit": "mg", "target": 320,
                   "items": [{"label": "almonds, 1 oz", "value": 77}], "alt": "Almonds 77 mg"}}


def long_paragraph(n_sentences: int) -> str:
    return " ".join(f"Sentence number {i} says something about magnesium and bones."
                    for i in range(n_sentences))


def words(text: str) -> list[str]:
    return text.split()


def run(coro):
    return asyncio.run(coro)


# ------------------------------------------------------------------------------ Telegram


async def _telegram(action):
    bot = TelegramOutput(SECRETS["telegram_token"])
    try:
        await action(bot)
    finally:
        await bot.close()


def test_telegram_long_text_is_split_under_4096(telegram_api):
    text = long_paragraph(200)  # ~12,000 characters, one paragraph
    run(_telegram(lambda bot: bot.send_text_message("42", text)))
    sent = [c["data"]["text"] for c in telegram_api.calls]
    assert len(sent) >= 3 and all(utf16_length(t) <= 4096 for t in sent)
    assert words(" ".join(sent)) == words(text)
    assert all(t.endswith(".") for t in sent), "cut after whole sentences"


def test_telegram_buttons_inline_keyboard_after_leading_text(telegram_api):
    buttons = [{"title": "Female", "payload": '/inform_profile{"sex": "female"}'},
               {"title": "Male", "payload": '/inform_profile{"sex": "male"}'}]
    text = long_paragraph(100)
    run(_telegram(lambda bot: bot.send_text_with_buttons("42", text, buttons)))
    calls = [c["data"] for c in telegram_api.calls]
    assert all("reply_markup" not in c for c in calls[:-1])
    markup = json.loads(calls[-1]["reply_markup"])
    keyboard = [b for row in markup["inline_keyboard"] for b in row]
    assert [(b["text"], b["callback_data"]) for b in keyboard] == [
        ("Female", buttons[0]["payload"]), ("Male", buttons[1]["payload"])]
    assert words(" ".join(c["text"] for c in calls)) == words(text)


def test_telegram_payload_over_64_bytes_becomes_numbered_text(telegram_api):
    buttons = [{"title": "Long one", "payload": "/inform" + "x" * 80}, {"title": "Short",
                                                                          "payload": "/s"}]
    run(_telegram(lambda bot: bot.send_text_with_buttons("42", "Pick one:", buttons)))
    [call] = telegram_api.calls
    assert "reply_markup" not in call["data"]
    assert call["data"]["text"] == f"Pick one:\n1. Long one\n2. Short\n{NUMBERED_HINT}"


def test_telegram_ignores_the_chart(telegram_api):
    run(_telegram(lambda bot: bot.send_custom_json("42", CHART)))
    run(_telegram(lambda bot: bot.send_response("42", {"text": "Here.", "custom": CHART})))
    assert [c["data"]["text"] for c in telegram_api.calls] == ["Here."]


# ------------------------------------------------------------------------------ Messenger


def messenger():
    from fbmessenger import MessengerClient

    return MessengerBot(MessengerClient(SECRETS["fb_token"]))


def messages(api) -> list[dict]:
    return [c["json"]["message"] for c in api.calls]


def test_messenger_long_text_is_split_under_2000(messenger_api):
    text = long_paragraph(100)
    run(messenger().send_text_message("psid", text))
    sent = [m["text"] for m in messages(messenger_api)]
    assert len(sent) >= 3 and all(len(t) <= 2000 for t in sent)
    assert words(" ".join(sent)) == words(text)


def test_messenger_button_template_text_stays_under_640(messenger_api):
    buttons = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
    text = long_paragraph(20)  # ~1,200 characters
    run(messenger().send_text_with_buttons("psid", text, buttons))
    sent = messages(messenger_api)
    template = sent[-1]["attachment"]["payload"]
    assert template["template_type"] == "button" and len(template["text"]) <= 640
    assert [(b["type"], b["title"], b["payload"]) for b in template["buttons"]] == [
        ("postback", "Yes", "/affirm"), ("postback", "No", "/deny")]
    leading = [m["text"] for m in sent[:-1]]
    assert words(" ".join([*leading, template["text"]])) == words(text)
    assert "type" not in buttons[0], "the caller's buttons are not modified"


def test_messenger_many_buttons_become_quick_replies(messenger_api):
    buttons = [{"title": f"Option with a long title {i}", "payload": f"/opt{i}"}
               for i in range(5)]
    run(messenger().send_text_with_buttons("psid", "Choose:", buttons))
    [msg] = messages(messenger_api)
    assert msg["text"] == "Choose:"
    assert [q["payload"] for q in msg["quick_replies"]] == [f"/opt{i}" for i in range(5)]
    assert all(len(q["title"]) <= 20 for q in msg["quick_replies"])


def test_messenger_ignores_the_chart_but_passes_real_messages(messenger_api):
    run(messenger().send_custom_json("psid", CHART))
    run(messenger().send_custom_json("psid", {"something": "else"}))
    assert messenger_api.calls == []
    run(messenger().send_custom_json("psid", {"text": "custom hello"}))
    assert messages(messenger_api) == [{"text": "custom hello"}]


# ------------------------------------------------------------------------------ Slack


def slack_posts(api) -> list[dict]:
    return [c["json"] for c in api.calls if c["url"].endswith("/chat.postMessage")]


def test_slack_buttons_all_shown_five_per_block_text_under_3000(slack_api):
    buttons = [{"title": f"Choice {i}", "payload": f"/c{i}"} for i in range(7)]
    text = long_paragraph(100)  # ~6,000 characters
    run(SlackBot(SECRETS["slack_token"]).send_text_with_buttons("D1", text, buttons))
    posts = slack_posts(slack_api)
    blocks = posts[-1]["blocks"]
    assert blocks[0]["type"] == "section" and len(blocks[0]["text"]["text"]) <= 3000
    actions = [b for b in blocks if b["type"] == "actions"]
    assert [len(a["elements"]) for a in actions] == [5, 2]
    values = [e["value"] for a in actions for e in a["elements"]]
    assert values == [f"/c{i}" for i in range(7)]
    assert all(len(p["text"]) <= 3000 for p in posts)
    assert words(" ".join(p["text"] for p in posts)) == words(text)
    assert {p["channel"] for p in posts} == {"D1"}


def test_slack_ignores_the_chart(slack_api):
    run(SlackBot(SECRETS["slack_token"]).send_custom_json("D1", CHART))
    assert slack_api.calls == []
    run(SlackBot(SECRETS["slack_token"]).send_custom_json("D1", {"blocks": [], "text": "x"}))
    assert len(slack_posts(slack_api)) == 1


# ------------------------------------------------------------------------------ Twilio


def twilio():
    return TwilioOutput(SECRETS["twilio_sid"], SECRETS["twilio_token"], SECRETS["twilio_number"])


def sms(api) -> list[str]:
    return [c["data"]["Body"] for c in api.calls]


def test_twilio_long_text_is_split_under_1600(twilio_api):
    text = long_paragraph(80)
    run(twilio().send_text_message("+15551112222", text))
    bodies = sms(twilio_api)
    assert len(bodies) >= 3 and all(len(b) <= 1600 for b in bodies)
    assert words(" ".join(bodies)) == words(text)
    assert {c["data"]["To"] for c in twilio_api.calls} == {"+15551112222"}


def test_twilio_buttons_are_one_readable_sms(twilio_api):
    buttons = [{"title": "Female", "payload": '/inform_profile{"sex": "female"}'},
               {"title": "Male", "payload": '/inform_profile{"sex": "male"}'}]
    run(twilio().send_text_with_buttons("+15551112222", "Which applies to you?", buttons))
    assert sms(twilio_api) == [
        f"Which applies to you?\n\n1. Female\n2. Male\n{NUMBERED_HINT}"]
    assert "/inform_profile" not in sms(twilio_api)[0], "no raw payloads in the SMS"


def test_twilio_ignores_the_chart_and_unknown_fields(twilio_api):
    run(twilio().send_custom_json("+15551112222", CHART))
    run(twilio().send_custom_json("+15551112222", {"bogus": 1}))
    run(twilio().send_response("+15551112222", {"text": "Text only.", "custom": CHART}))
    assert sms(twilio_api) == ["Text only."]


# ------------------------------------------------------------------------------ socket.io


class FakeSio:
    def __init__(self):
        self.emitted: list[tuple] = []

    async def emit(self, event, data=None, to=None, room=None, skip_sid=None, namespace=None,
                   callback=None, ignore_queue=False):
        self.emitted.append((event, data, room))


def test_socketio_sends_custom_payloads_as_custom_field():
    sio = FakeSio()
    out = SocketIOOutput(sio, "bot_uttered")
    run(out.send_custom_json("session1", json.loads(json.dumps(CHART))))
    run(out.send_custom_json("session1", {"data": {"hello": 1}}))
    assert sio.emitted == [
        ("bot_uttered", {"custom": CHART}, "session1"),
        ("bot_uttered", {"hello": 1}, "session1"),
    ]
