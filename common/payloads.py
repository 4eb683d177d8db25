"""Button payloads as the domain (domain/) writes them and as the user sends them.

Rasa fills ``{placeholders}`` in every string of a response, the buttons' payloads included
(``rasa/core/nlg/interpolator.py``). A payload with JSON entities such as
``/inform_profile{"sex": "female"}`` would be taken for a placeholder: Rasa then logs an
error with a traceback each time it renders the response. The domain therefore doubles
the braces of such payloads (``/inform_profile{{"sex": "female"}}``); when Rasa renders the
response it turns them back into single braces without an error, so the bot's message and
the text a click sends carry ``/inform_profile{"sex": "female"}``.

Code that takes payloads straight from the domain instead of from a rendered bot message
(the action server's replies, the Rasa server's slash-command guard) must undo the doubling
the same way: :func:`as_sent`.
"""

from __future__ import annotations

from typing import Any


def as_sent(payload: str) -> str:
    """The payload a button of the domain sends: doubled braces made single."""
    return payload.replace("{{", "{").replace("}}", "}")


def buttons_as_sent(buttons: list[Any]) -> list[Any]:
    """Copies of domain buttons with the payloads the user gets and sends."""
    return [
        {**button, "payload": as_sent(button["payload"])}
        if isinstance(button, dict) and isinstance(button.get("payload"), str) else button
        for button in buttons
    ]
