"""Splitting long replies, numbered options, and building the credentials file."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from channels.credentials import build, parse_platforms
from channels.text import (
    choice_from_number,
    is_web_only_payload,
    numbered_options,
    split_text,
    utf16_length,
)
from harness.paths import ROOT


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_short_text_is_one_piece_and_blank_text_none():
    assert split_text("  Hello there.  ", 100) == ["Hello there."]
    assert split_text(" \n ", 100) == []
    with pytest.raises(ValueError):
        split_text("x", 0)


def test_cuts_between_paragraphs_first():
    a, b, c = "A" * 40 + ".", "B" * 40 + ".", "C" * 40 + "."
    assert split_text(f"{a}\n\n{b}\n\n{c}", 90) == [f"{a}\n\n{b}", c]


def test_then_between_sentences_then_words_then_hard():
    text = "One two three. Four five six! Seven eight nine? Ten."
    parts = split_text(text, 30)
    assert parts == ["One two three. Four five six!", "Seven eight nine? Ten."]
    assert split_text("alpha beta gamma delta", 11) == ["alpha beta", "gamma delta"]
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_telegram_counts_utf16_units():
    bones = "🦴" * 3000  # 2 UTF-16 units each
    parts = split_text(bones, 4096, utf16_length)
    assert len(parts) == 2 and all(utf16_length(p) <= 4096 for p in parts)
    assert "".join(parts) == bones


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("abc .!?\n🦴é")), min_size=0, max_size=400),
    limit=st.integers(min_value=1, max_value=60),
)
def test_split_keeps_every_character_and_respects_the_limit(text, limit):
    parts = split_text(text, limit)
    assert all(0 < len(p) <= limit for p in parts)
    assert squash("".join(parts)) == squash(text)


def test_numbered_options_and_number_replies():
    buttons = [{"title": "Female", "payload": '/inform_profile{"sex": "female"}'},
               {"title": "", "payload": "/skip"}]
    assert numbered_options(buttons) == "1. Female\n2. /skip"
    assert choice_from_number("1", buttons) == '/inform_profile{"sex": "female"}'
    assert choice_from_number(" 2. ", buttons) == "/skip"
    assert choice_from_number("2)", buttons) == "/skip"
    for text in ("3", "0", "one", "1 please", "", None, "12"):
        assert choice_from_number(text, buttons) is None, text
    assert choice_from_number("1", []) is None


def test_web_only_payloads():
    assert is_web_only_payload({"chart": {}})
    assert not is_web_only_payload({"text": "x"})
    assert not is_web_only_payload(["chart"])


# ------------------------------------------------------------------------------ credentials

PLATFORMS = (ROOT / "credentials.platforms.yml").read_text()
BASE = (ROOT / "credentials.yml").read_text()
ALL_ENV = {
    "TELEGRAM_TOKEN": "123:abc", "TELEGRAM_BOT_NAME": "bone_bot",
    "TELEGRAM_WEBHOOK_URL": "https://bot.example/webhooks/telegram/webhook",
    "TELEGRAM_SECRET_TOKEN": "tg-secret-value",
    "FACEBOOK_VERIFY_TOKEN": "fb-verify", "FACEBOOK_APP_SECRET": "fb-secret-value",
    "FACEBOOK_PAGE_ACCESS_TOKEN": "fb-page-token",
    "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "slack-secret-value",
    "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "twilio-secret-value",
    "TWILIO_NUMBER": "+15550000000", "CALLBACK_URL": "http://127.0.0.1:9/replies",
}


def test_without_platform_variables_only_the_base_channels():
    result = build(BASE, PLATFORMS, {})
    assert result.enabled == [] and result.incomplete == {}
    assert set(yaml.safe_load(result.text)) == {
        "channels.rest.RestInput", "channels.ready.ReadyInput", "channels.socketio.SocketIOInput"}


def test_all_platforms_with_placeholders_never_secrets():
    result = build(BASE, PLATFORMS, ALL_ENV)
    assert result.enabled == ["telegram", "facebook", "slack", "twilio", "callback"]
    for value in ALL_ENV.values():
        assert value not in result.text, "secrets stay in the environment"
    assert "${TELEGRAM_SECRET_TOKEN}" in result.text
    assert "'${" not in result.text and '"${' not in result.text, "placeholders unquoted"
    # Optional settings without a value are left out, with one they are kept.
    assert "slack_channel" not in result.text and "webhook_url: ${TWILIO_WEBHOOK_URL}" \
        not in result.text
    with_optional = build(BASE, PLATFORMS, {**ALL_ENV, "SLACK_CHANNEL": "C1",
                                            "TWILIO_WEBHOOK_URL": "https://x/y"})
    assert "  slack_channel: ${SLACK_CHANNEL}\n" in with_optional.text


def test_partly_configured_platform_is_named_with_what_is_missing():
    result = build(BASE, PLATFORMS, {"SLACK_BOT_TOKEN": "xoxb-1", "CALLBACK_URL": "http://x"})
    assert result.enabled == ["callback"]
    assert result.incomplete == {"slack": ["SLACK_SIGNING_SECRET"]}


def test_rasa_reads_the_generated_file_and_builds_every_channel(tmp_path, monkeypatch):
    from rasa.core.run import create_http_input_channels

    for key, value in ALL_ENV.items():
        monkeypatch.setenv(key, value)
    out = tmp_path / "credentials.yml"
    out.write_text(build(BASE, PLATFORMS, ALL_ENV).text)
    channels = create_http_input_channels(None, str(out))
    by_name = {c.name(): c for c in channels}
    assert set(by_name) == {"rest", "ready", "socketio", "telegram", "facebook", "slack",
                            "twilio", "callback"}
    assert type(by_name["rest"]).__module__ == "channels.rest", "the checked REST channel"
    assert type(by_name["telegram"]).__module__ == "channels.telegram"
    assert by_name["telegram"].secret_token == "tg-secret-value"
    assert by_name["slack"].slack_signing_secret == "slack-secret-value"
    assert by_name["socketio"].session_persistence is True


def test_platforms_file_shape_errors_are_reported():
    with pytest.raises(ValueError):
        parse_platforms("  orphan: ${X}\n")
