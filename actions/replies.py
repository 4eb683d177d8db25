"""Putting a computed answer into words: domain responses filled with the figures.

Every sentence lives in the responses of ``domain/computed.yml`` with
``{placeholders}``. An answer is built from several of them (figure, portion used, share of
the target, source, clinician reminder) and sent as ONE chat message, so that a reader gets
a single, complete answer instead of a string of bubbles. Buttons of the parts are kept, with
the payloads a click sends (the domain doubles the braces of JSON payloads: common/payloads.py).

The figures come from the nutrition core; this module only formats numbers for reading
("1,200", "0.5", "77") and never computes a figure.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from common.payloads import buttons_as_sent

logger = logging.getLogger(__name__)

DOMAIN_DIR = Path(__file__).resolve().parent.parent / "domain"
CHART_CHANNEL = "socketio"
MAX_QUOTE = 60


# ------------------------------------------------------------------------------ numbers for reading


def number(value: Any, decimals: int = 1) -> str:
    """A figure as people write it: ``1200 -> "1,200"``, ``0.5 -> "0.5"``, ``77.0 -> "77"``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return str(value)
    rounded = half_up(value, decimals)
    if rounded == rounded.to_integral_value():
        return f"{int(rounded):,}"
    return f"{rounded:,.{decimals}f}".rstrip("0").rstrip(".")


def half_up(value: float, decimals: int) -> Decimal:
    """``value`` rounded once, half up (31.47 -> 31, 76.5 -> 77, 0.25 -> 0.3): the one
    place where a figure of the core is rounded for reading. The core keeps exact values;
    the float's own noise (76.54500000000002) is dropped at 9 decimals first."""
    exact = Decimal(repr(round(float(value), 9)))
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def years(value: float, decimals: int = 1) -> str:
    """A length of time: ``1 -> "1 year"``, ``2 -> "2 years"``."""
    return f"{number(value, decimals)} {'year' if float(value) == 1 else 'years'}"


def mg(value: Any) -> str:
    """Milligrams: whole numbers from 10 mg up, one decimal below (``7.2``, ``77``)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 10:
        return number(value, 0)
    return number(value, 1)


def percent(value: Any) -> str:
    return number(value, 0)


def quote(text: Any) -> str:
    """The user's own words, shortened, to name them back."""
    words = " ".join(str(text).split())
    return words if len(words) <= MAX_QUOTE else words[: MAX_QUOTE - 1].rstrip() + "\u2026"


# ------------------------------------------------------------------------------ templates


@lru_cache(maxsize=1)
def _file_responses() -> dict[str, Any]:
    """The responses of every file of domain/, merged (each response is in one file)."""
    found: dict[str, Any] = {}
    for path in sorted(DOMAIN_DIR.rglob("*.yml")):
        with path.open(encoding="utf-8") as handle:
            found.update((yaml.safe_load(handle) or {}).get("responses") or {})
    return found


def responses(domain: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """The domain's responses (those sent by Rasa, else the ones in domain/)."""
    found = (domain or {}).get("responses") if isinstance(domain, Mapping) else None
    return found if found else _file_responses()


def template(domain: Mapping[str, Any] | None, name: str) -> dict[str, Any]:
    variants = responses(domain).get(name) or []
    if not variants:
        variants = _file_responses().get(name) or []
    if not variants:
        raise KeyError(f"no response named {name!r} in the domain")
    first: dict[str, Any] = variants[0]
    return first


def render(
    domain: Mapping[str, Any] | None, name: str, values: Mapping[str, Any] | None = None
) -> str:
    """The text of response ``name`` with its placeholders filled from ``values``."""
    text = template(domain, name).get("text") or ""
    return text.format(**{k: _readable(v) for k, v in (values or {}).items()})


def _readable(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number(value)
    return value


class Reply:
    """An answer made of domain responses, sent as one message."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, dict[str, Any]]] = []
        # buttons made by the action (not written in a response), sent after the domain's
        self.buttons: list[dict[str, Any]] = []

    def add(self, name: str, **values: Any) -> Reply:
        self.parts.append((name, values))
        return self

    def extend(self, parts: Iterable[tuple[str, Mapping[str, Any]]]) -> Reply:
        for name, values in parts:
            self.add(name, **dict(values))
        return self

    def __bool__(self) -> bool:
        return bool(self.parts)

    def names(self) -> list[str]:
        return [name for name, _ in self.parts]

    def text(self, domain: Mapping[str, Any] | None) -> tuple[str, list[dict[str, Any]]]:
        lines: list[str] = []
        buttons: list[dict[str, Any]] = []
        for name, values in self.parts:
            try:
                lines.append(render(domain, name, values))
                # sent as they are, not rendered by Rasa: the payloads the user clicks
                buttons.extend(buttons_as_sent(template(domain, name).get("buttons") or []))
            except (KeyError, IndexError, ValueError) as error:
                # a wording problem must not swallow the rest of the answer
                logger.error("could not render response %s: %s", name, error)
        return "\n".join(line for line in lines if line), buttons + self.buttons

    def send(self, dispatcher: CollectingDispatcher, domain: Mapping[str, Any] | None) -> None:
        if not self.parts:
            return
        text, buttons = self.text(domain)
        if buttons:
            dispatcher.utter_message(text=text, buttons=buttons)
        else:
            dispatcher.utter_message(text=text)


# ------------------------------------------------------------------------------ chart payload


def wants_chart(tracker: Tracker) -> bool:
    """Only the website widget (socket.io) draws charts; other channels get text only."""
    return bool(tracker.get_latest_input_channel() == CHART_CHANNEL)


def send_chart(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    *,
    title: str,
    target: float | None,
    items: list[dict[str, Any]],
    alt: str,
) -> None:
    """Send the bar-chart payload the website widget draws (socket.io channel only)."""
    if not wants_chart(tracker) or not items:
        return
    dispatcher.utter_message(
        json_message={
            "chart": {
                "type": "bar",
                "title": title,
                "unit": "mg",
                "target": target,
                "items": items,
                "alt": alt,
            }
        }
    )
