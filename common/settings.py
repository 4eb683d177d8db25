"""Limits and switches of the Rasa server (its runtime guards and channels), each read from
one environment variable.

Every value has a safe default, so nothing has to be set for `make run`. README section
"Reliability and security settings" lists them for operators.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

SLASH_POLICIES = ("buttons", "all", "none")


def _number(env: dict[str, str], name: str, default: float, minimum: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SystemExit(f"error: {name}={raw!r} is not a number") from None
    if not value >= minimum:  # also catches NaN
        raise SystemExit(f"error: {name} must be at least {minimum}, got {raw}")
    return value


@dataclass(frozen=True)
class Settings:
    # Seconds Rasa waits for the action server before telling the user it can't answer.
    action_timeout: float = 5.0
    # Longest user message (characters) the assistant reads; longer ones get a polite reply.
    max_message_chars: int = 2000
    # Largest body the REST webhook accepts (bytes); larger ones get HTTP 413.
    max_body_bytes: int = 64 * 1024
    # Messages one sender may send per minute over REST (0 switches the limit off) ...
    messages_per_minute: int = 120
    # ... with bursts of up to this many.
    message_burst: int = 20
    # Which "/intent{...}" messages are taken literally: "buttons" (only payloads of the
    # domain's buttons), "all" (Rasa's default) or "none".
    slash_commands: str = "buttons"
    # Slash messages also taken literally under "buttons": the web widget opens a chat
    # with "/greet". Comma-separated in PUBLIC_SLASH_MESSAGES.
    public_slash_messages: tuple[str, ...] = ("/greet",)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        slash = env.get("SLASH_COMMANDS", cls.slash_commands).strip().lower()
        if slash not in SLASH_POLICIES:
            raise SystemExit(
                f"error: SLASH_COMMANDS={slash!r}; use one of {', '.join(SLASH_POLICIES)}"
            )
        return cls(
            action_timeout=_number(env, "ACTION_SERVER_TIMEOUT", cls.action_timeout, 0.1),
            max_message_chars=int(
                _number(env, "MAX_MESSAGE_CHARS", cls.max_message_chars, 1)
            ),
            max_body_bytes=int(_number(env, "MAX_REQUEST_BYTES", cls.max_body_bytes, 1024)),
            messages_per_minute=int(
                _number(env, "MESSAGES_PER_MINUTE", cls.messages_per_minute, 0)
            ),
            message_burst=int(_number(env, "MESSAGE_BURST", cls.message_burst, 1)),
            slash_commands=slash,
            public_slash_messages=tuple(
                m.strip() for m in env.get("PUBLIC_SLASH_MESSAGES", "/greet").split(",")
                if m.strip()
            ),
        )


_active: Settings | None = None


def activate(settings: Settings) -> Settings:
    """Make these the settings in force (`python -m runtime` does, from the environment)."""
    global _active
    _active = settings
    return settings


def active() -> Settings:
    """The settings in force: those activated, else read once from the environment."""
    return _active if _active is not None else activate(Settings.from_env())
