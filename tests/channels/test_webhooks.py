"""Each platform's webhook, with the platform's own request format, answered by the real
trained assistant (in-process, see conftest.py); replies are caught at the platform client's
HTTP call. "hi" is answered with the greeting, which mentions magnesium."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.parse

import pytest

from harness.net import http
from tests.channels.conftest import SECRETS

pytestmark = pytest.mark.integration


def post_json(server, path: str, payload: dict, headers: dict | None = None):
    body = json.dumps(payload).encode()
    return http("POST", server.url + path, body,
                {"Content-Type": "application/json", **(headers or {})})


def user_texts(server, sender: str) -> list[str]:
    tracker = server.tracker(sender)
    return [e.text for e in tracker.events if e.type_name == "user"] if tracker else []


# ------------------------------------------------------------------------------ Facebook

FB_PATH = "/webhooks/facebook/webhook"


def fb_event(psid: str, text: str) -> dict:
    return {
        "object": "page",
        "entry": [{
            "id": "106000000000001",
            "time": 1732890000000,
            "messaging": [{
                "sender": {"id": psid},
                "recipient": {"id": "106000000000001"},
                "timestamp": 1732890000000,
                "message": {"mid": "m_AbCdEf0123456789", "text": text},
            }],
        }],
    }


def fb_signature(body: bytes, secret: str = SECRETS["fb_secret"]) -> str:
    return "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()


def test_facebook_hub_challenge_verification(channel_server):
    query = urllib.parse.urlencode({"hub.mode": "subscribe", "hub.challenge": "1158201444",
                                    "hub.verify_token": SECRETS["fb_verify"]})
    status, body = http("GET", f"{channel_server.url}{FB_PATH}?{query}")
    assert (status, body) == (200, b"1158201444")
    wrong = query.replace(SECRETS["fb_verify"], "not-the-token")
    status, body = http("GET", f"{channel_server.url}{FB_PATH}?{wrong}")
    assert b"1158201444" not in body


def test_facebook_signed_message_is_answered(channel_server, messenger_api):
    body = json.dumps(fb_event("7000000000000001", "hi")).encode()
    status, reply = http("POST", channel_server.url + FB_PATH, body,
                         {"Content-Type": "application/json",
                          "X-Hub-Signature": fb_signature(body)})
    assert (status, reply) == (200, b"success")
    sent = [c["json"] for c in messenger_api.calls]
    texts = [m["message"]["text"] for m in sent if "message" in m and "text" in m["message"]]
    assert any("magnesium" in t.lower() for t in texts), sent
    assert all(m["recipient"]["id"] == "7000000000000001" for m in sent)
    assert all(len(t) <= 2000 for t in texts)
    actions = [m.get("sender_action") for m in sent if "sender_action" in m]
    assert actions[:2] == ["mark_seen", "typing_on"] and actions[-1] == "typing_off"
    assert all(c["params"] == {"access_token": SECRETS["fb_token"]} for c in messenger_api.calls)


def test_facebook_bad_signature_is_refused(channel_server, messenger_api):
    body = json.dumps(fb_event("7000000000000002", "hi")).encode()
    for signature in (fb_signature(body, "some-other-secret"), "", "sha1=", "md5=abc",
                      fb_signature(body + b" ")):
        status, reply = http("POST", channel_server.url + FB_PATH, body,
                             {"Content-Type": "application/json",
                              "X-Hub-Signature": signature})
        assert reply == b"not validated", signature
    time.sleep(0.3)
    assert messenger_api.calls == []
    assert user_texts(channel_server, "7000000000000002") == []


def fb_signature_256(body: bytes, secret: str = SECRETS["fb_secret"]) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post_fb(server, body: bytes, headers: dict):
    return http("POST", server.url + FB_PATH, body, {"Content-Type": "application/json",
                                                     **headers})


def sent_texts(messenger_api) -> list[str]:
    return [c["json"]["message"]["text"] for c in messenger_api.calls
            if "text" in (c["json"] or {}).get("message", {})]


@pytest.mark.parametrize("with_sha1", ["none", "valid", "wrong"])
def test_facebook_valid_sha256_signature_is_answered(channel_server, messenger_api, with_sha1):
    """Messenger signs with both headers; a valid X-Hub-Signature-256 is enough on its own,
    and it decides even when the SHA-1 header is missing or wrong."""
    psid = {"none": "7000000000000011", "valid": "7000000000000012",
            "wrong": "7000000000000013"}[with_sha1]
    body = json.dumps(fb_event(psid, "hi")).encode()
    headers = {"X-Hub-Signature-256": fb_signature_256(body)}
    if with_sha1 == "valid":
        headers["X-Hub-Signature"] = fb_signature(body)
    elif with_sha1 == "wrong":
        headers["X-Hub-Signature"] = fb_signature(body, "some-other-secret")
    status, reply = post_fb(channel_server, body, headers)
    assert (status, reply) == (200, b"success")
    messenger_api.wait_for(3)
    assert any("magnesium" in t.lower() for t in sent_texts(messenger_api)), messenger_api.calls
    assert all(c["json"]["recipient"]["id"] == psid for c in messenger_api.calls)
    assert user_texts(channel_server, psid) == ["hi"]


def test_facebook_invalid_sha256_signature_is_refused_with_403(channel_server, messenger_api):
    """A present but wrong X-Hub-Signature-256 is refused even beside a valid SHA-1 one."""
    psid = "7000000000000014"
    body = json.dumps(fb_event(psid, "hi")).encode()
    upper = "sha256=" + fb_signature_256(body).split("=", 1)[1].upper()
    wrong = [fb_signature_256(body, "some-other-secret"), fb_signature_256(body + b" "),
             "", "sha256=", "sha256=zz", fb_signature(body),  # a SHA-1 digest in the 256 header
             "md5=" + fb_signature_256(body).split("=", 1)[1]]
    for signature in wrong:
        status, reply = post_fb(channel_server, body, {"X-Hub-Signature-256": signature,
                                                       "X-Hub-Signature": fb_signature(body)})
        assert (status, reply) == (403, b"not validated"), signature
    # Hex digits are case-insensitive: the same digest in capitals is still valid.
    status, reply = post_fb(channel_server, body, {"X-Hub-Signature-256": upper})
    assert (status, reply) == (200, b"success")
    messenger_api.wait_for(3)
    assert user_texts(channel_server, psid) == ["hi"]


# ------------------------------------------------------------------------------ Slack

SLACK_PATH = "/webhooks/slack/webhook"


def slack_headers(body: bytes, secret: str = SECRETS["slack_secret"],
                  timestamp: int | None = None) -> dict:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": f"v0={digest}"}


def slack_message(user: str, text: str, channel: str = "D024BE91L") -> dict:
    return {
        "token": "verification-token-unused",
        "team_id": "T061EG9R6",
        "api_app_id": "A0PNCHHK2",
        "event": {"type": "message", "channel": channel, "user": user, "text": text,
                  "ts": "1732890000.000200", "event_ts": "1732890000.000200",
                  "channel_type": "im"},
        "type": "event_callback",
        "event_id": "Ev0PV52K21",
        "event_time": 1732890000,
        "authorizations": [{"team_id": "T061EG9R6", "user_id": "U0BOT0001", "is_bot": True}],
    }


def test_slack_url_verification_challenge(channel_server):
    payload = {"token": "unused", "type": "url_verification",
               "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}
    body = json.dumps(payload).encode()
    status, reply = http("POST", channel_server.url + SLACK_PATH, body, slack_headers(body))
    assert status == 200
    assert json.loads(reply) == {"challenge": payload["challenge"]}
    status, reply = http("POST", channel_server.url + SLACK_PATH, body,
                         slack_headers(body, "wrong-secret"))
    assert status == 400 and payload["challenge"].encode() not in reply


def test_slack_signed_message_is_answered(channel_server, slack_api):
    body = json.dumps(slack_message("U2147483697", "hi")).encode()
    status, _ = http("POST", channel_server.url + SLACK_PATH, body, slack_headers(body))
    assert status == 200
    calls = slack_api.wait_for(1)  # Slack's connector answers in a background task
    time.sleep(0.5)
    posts = [c for c in slack_api.calls if c["url"].endswith("/chat.postMessage")]
    assert posts, calls
    assert any("magnesium" in p["json"]["text"].lower() for p in posts)
    assert all(p["json"]["channel"] == "D024BE91L" for p in posts)
    assert posts[0]["headers"]["Authorization"] == f"Bearer {SECRETS['slack_token']}"


def test_slack_bad_or_stale_signature_is_refused(channel_server, slack_api):
    body = json.dumps(slack_message("U0000BAD1", "hi")).encode()
    for headers in (slack_headers(body, "wrong-secret"),
                    slack_headers(body, timestamp=int(time.time()) - 3600),
                    {"Content-Type": "application/json"}):
        status, _ = http("POST", channel_server.url + SLACK_PATH, body, headers)
        assert status == 400
    time.sleep(0.5)
    assert slack_api.calls == []
    assert user_texts(channel_server, "U0000BAD1") == []


# ------------------------------------------------------------------------------ Telegram

TG_PATH = "/webhooks/telegram/webhook"
TG_HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRETS["telegram_secret"]}


def tg_user(chat_id: int) -> dict:
    return {"id": chat_id, "is_bot": False, "first_name": "Ada", "username": "ada_test",
            "language_code": "en"}


def tg_update(update_id: int, chat_id: int, text: str) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1365,
            "date": 1732890000,
            "chat": {"id": chat_id, "type": "private", "first_name": "Ada",
                     "username": "ada_test"},
            "from": tg_user(chat_id),
            "text": text,
        },
    }


def tg_button_press(update_id: int, chat_id: int, data: str) -> dict:
    return {
        "update_id": update_id,
        "callback_query": {
            "id": "4382bfdwdsb323b2d9",
            "from": tg_user(chat_id),
            "chat_instance": "-8601271234567890123",
            "data": data,
            "message": {"message_id": 1366, "date": 1732890001,
                        "chat": {"id": chat_id, "type": "private"},
                        "text": "Shall we start?"},
        },
    }


def test_telegram_update_is_answered(channel_server, telegram_api):
    status, reply = post_json(channel_server, TG_PATH, tg_update(900001, 1111111, "hi"),
                              TG_HEADERS)
    assert (status, reply) == (200, b"success")
    sends = [c["data"] for c in telegram_api.calls if c["method"] == "sendMessage"]
    assert any("magnesium" in s["text"].lower() for s in sends), telegram_api.calls
    assert {str(s["chat_id"]) for s in sends} == {"1111111"}
    assert all(c["token"] == SECRETS["telegram_token"] for c in telegram_api.calls)

    # A button press arrives as callback_query; its data is the payload Rasa gets.
    status, _ = post_json(channel_server, TG_PATH, tg_button_press(900002, 1111111, "/greet"),
                          TG_HEADERS)
    assert status == 200
    assert user_texts(channel_server, "1111111")[-1] == "/greet"
    # The bot's identity check (getMe) is asked once, not per update.
    assert [c["method"] for c in telegram_api.calls].count("getMe") <= 1


def test_telegram_update_without_the_secret_token_is_refused(channel_server, telegram_api):
    for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "guess"}):
        status, _ = post_json(channel_server, TG_PATH, tg_update(900003, 2222222, "hi"),
                              headers)
        assert status == 403
    assert telegram_api.calls == []
    assert user_texts(channel_server, "2222222") == []


def test_telegram_webhook_registration_sends_the_secret(channel_server, telegram_api):
    status, body = http("GET", channel_server.url + "/webhooks/telegram/set_webhook")
    assert status == 200
    registered = [c["data"] for c in telegram_api.calls if c["method"] == "setWebhook"]
    assert registered and registered[0]["secret_token"] == SECRETS["telegram_secret"]


# ------------------------------------------------------------------------------ Twilio

TW_PATH = "/webhooks/twilio/webhook"


def twilio_post(server, fields: dict, signature: str | None = "auto"):
    from twilio.request_validator import RequestValidator

    form = {"ToCountry": "US", "SmsMessageSid": "SM0123456789abcdef0123456789abcdef",
            "NumMedia": "0", "SmsStatus": "received", "To": SECRETS["twilio_number"],
            "AccountSid": SECRETS["twilio_sid"], "ApiVersion": "2010-04-01", **fields}
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature == "auto":
        signature = RequestValidator(SECRETS["twilio_token"]).compute_signature(
            server.url + TW_PATH, form)
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    return http("POST", server.url + TW_PATH, urllib.parse.urlencode(form).encode(), headers)


def sms_bodies(api, to: str) -> list[str]:
    return [c["data"]["Body"] for c in api.calls
            if c["url"].endswith("/Messages.json") and c["data"].get("To") == to]


def test_twilio_sms_is_answered(channel_server, twilio_api):
    status, _ = twilio_post(channel_server, {"From": "+15551230001", "Body": "hi"})
    assert status == 204
    bodies = sms_bodies(twilio_api, "+15551230001")
    assert any("magnesium" in b.lower() for b in bodies), twilio_api.calls
    assert all(len(b) <= 1600 for b in bodies)
    call = twilio_api.calls[0]
    assert call["method"] == "POST" and SECRETS["twilio_sid"] in call["url"]
    assert call["data"]["From"] == SECRETS["twilio_number"]


def test_twilio_unsigned_or_incomplete_requests(channel_server, twilio_api):
    for signature in (None, "bm90IGEgc2lnbmF0dXJl"):
        status, _ = twilio_post(channel_server, {"From": "+15551230002", "Body": "hi"},
                                signature=signature)
        assert status == 403
    status, _ = twilio_post(channel_server, {"From": "+15551230002"})  # no Body
    assert status == 204
    assert twilio_api.calls == []
    assert user_texts(channel_server, "+15551230002") == []


def test_twilio_number_reply_picks_the_offered_option(channel_server, twilio_api):
    from rasa.shared.core.events import BotUttered

    sender = "+15551230003"
    twilio_post(channel_server, {"From": sender, "Body": "hi"})
    store = channel_server.agent.tracker_store

    async def offer_options() -> None:
        tracker = await store.get_or_create_tracker(sender)
        tracker.update(BotUttered("Anything else?", data={"buttons": [
            {"title": "Say hello", "payload": "/greet"},
            {"title": "No, bye", "payload": "/goodbye"}]}))
        await store.save(tracker)

    channel_server.call(offer_options())
    twilio_post(channel_server, {"From": sender, "Body": " 2 "})
    tracker = channel_server.tracker(sender)
    last = [e for e in tracker.events if e.type_name == "user"][-1]
    assert last.text == "/goodbye" and last.intent["name"] == "goodbye"
    # With no options pending, a number is just text.
    twilio_post(channel_server, {"From": sender, "Body": "2"})
    assert user_texts(channel_server, sender)[-1] == "2"


# ------------------------------------------------------------------------------ callback


def test_callback_channel_posts_replies_to_the_receiver(channel_server, callback_receiver):
    callback_receiver.received.clear()
    status, reply = post_json(channel_server, "/webhooks/callback/webhook",
                              {"sender": "callback-user-1", "message": "hi"})
    assert (status, reply) == (200, b"success")
    deadline = time.monotonic() + 10
    while not callback_receiver.received and time.monotonic() < deadline:
        time.sleep(0.05)
    got = callback_receiver.received
    assert got and all(r["path"] == "/bot-replies" for r in got)
    assert all(r["json"]["recipient_id"] == "callback-user-1" for r in got)
    assert any("magnesium" in (r["json"].get("text") or "").lower() for r in got)
    assert got[0]["content_type"].startswith("application/json")
