"""Rasa's REST channel with its request bodies checked and a per-sender rate limit.

Registered in credentials.yml as ``channels.rest.RestInput`` (instead of Rasa's ``rest:``);
same name ("rest"), path (``POST /webhooks/rest/webhook``) and replies as Rasa's channel.
Before Rasa reads a body:

- over ``MAX_REQUEST_BYTES``: 413 with the limits; not JSON, not an object, no usable
  ``sender``/``message``, or a malformed ``metadata``/``input_channel``: 400 with the reason;
- more than ``MESSAGES_PER_MINUTE`` (bursts of ``MESSAGE_BURST``) from one sender in this
  process: 429 with ``Retry-After``.

Limits come from common/settings.py (environment variables, README "Reliability and
security settings").
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response

from common.settings import active

MAX_SENDER_CHARS = 128


class SenderRateLimit:
    """Token bucket per sender: `burst` messages at once, then `per_minute` a minute."""

    def __init__(self, per_minute: int, burst: int, clock=time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def allow(self, sender: str) -> tuple[bool, float]:
        """(allowed, seconds until the next message would be allowed)."""
        now = self.clock()
        tokens, last = self._buckets.get(sender, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens >= 1:
            self._buckets[sender] = (tokens - 1, now)
            self._forget_idle(now)
            return True, 0.0
        self._buckets[sender] = (tokens, now)
        return False, (1 - tokens) / self.rate

    def _forget_idle(self, now: float) -> None:
        if len(self._buckets) > 10_000:
            full_after = self.burst / self.rate
            self._buckets = {s: (t, last) for s, (t, last) in self._buckets.items()
                             if now - last < full_after}


def retry_after_seconds(wait: float) -> float:
    """`wait` rounded up to a tenth of a second: a refusal never says "retry after 0 s"
    (plain rounding did when the bucket was almost refilled)."""
    return math.ceil(round(wait * 10, 6)) / 10


def rest_body_problem(body: bytes, max_bytes: int) -> tuple[int, str] | None:
    """(HTTP status, reason) when a REST webhook body must be refused, else None."""
    if len(body) > max_bytes:
        return 413, f"the request body is larger than {max_bytes} bytes"
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return 400, "the body is not valid JSON (or nested too deeply)"
    if not isinstance(data, dict):
        return 400, "the body must be a JSON object with 'sender' and 'message'"
    sender = data.get("sender")
    if not isinstance(sender, str) or not sender.strip():
        return 400, "'sender' must be a non-empty string"
    if len(sender) > MAX_SENDER_CHARS or not sender.isprintable():
        return 400, f"'sender' must be printable text of at most {MAX_SENDER_CHARS} characters"
    if not isinstance(data.get("message"), str):
        return 400, "'message' must be a string"
    if data.get("metadata") is not None and not isinstance(data["metadata"], dict):
        return 400, "'metadata' must be a JSON object"
    channel = data.get("input_channel")
    if channel is not None and (not isinstance(channel, str) or len(channel) > 64):
        return 400, "'input_channel' must be a short string"
    return None


class RestInput(RasaRestInput):
    """Rasa's REST channel; its webhook refuses bad bodies and floods first."""

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        webhook = super().blueprint(on_new_message)
        settings = active()
        limiter = (SenderRateLimit(settings.messages_per_minute, settings.message_burst)
                   if settings.messages_per_minute > 0 else None)

        # A blueprint's middleware runs for this channel's routes only ("/" and "/webhook";
        # the webhook is the one POST route).
        @webhook.middleware("request")
        async def check_webhook_body(request):
            if request.method != "POST":
                return None
            problem = rest_body_problem(request.body or b"", settings.max_body_bytes)
            if problem:
                status, reason = problem
                body: dict[str, Any] = {"error": reason}
                if status == 413:
                    body.update(max_bytes=settings.max_body_bytes,
                                max_message_chars=settings.max_message_chars)
                return response.json(body, status=status)
            if limiter is not None:
                allowed, wait = limiter.allow(json.loads(request.body)["sender"])
                if not allowed:
                    return response.json(
                        {"error": "too many messages from this sender; please slow down",
                         "retry_after_seconds": retry_after_seconds(wait)},
                        status=429, headers={"Retry-After": str(max(1, round(wait)))},
                    )
            return None

        return webhook
