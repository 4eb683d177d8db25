"""What the conversation review reads from the assistant's domain and food table.

The domain's custom actions; the foods that the replies named as missing from the food
table, read back from reply text with the wording of the responses listed in
``UNKNOWN_FOOD_RESPONSES`` (domain/); and whether today's food table (``nutrition.foods``)
has such a food now.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from actions import privacy
from nutrition.foods import food_info, food_surface_forms

DOMAIN_DIR = Path(__file__).resolve().parents[2] / "domain"

# Responses whose {text} names a food the food table lacks.
UNKNOWN_FOOD_RESPONSES = (
    "utter_food_unknown",
    "utter_food_unknown_no_match",
    "utter_diary_unknown_item",
    "utter_diary_unknown_item_no_match",
)

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@lru_cache(maxsize=4)
def _domain(path: Path = DOMAIN_DIR) -> dict[str, Any]:
    """The assistant's domain, every file of domain/ merged the way Rasa merges them."""
    from rasa.shared.core.domain import Domain

    return Domain.load(str(path)).as_dict()


# Custom actions about the person's stored data (what is kept, start over, forget me): they
# compute no figure, so the review does not count them as computed answers.
PEOPLES_DATA_ACTIONS = frozenset(
    cls().name() for cls in (privacy.ActionListStoredData, privacy.ActionForgetProfile,
                             privacy.ActionDeleteMyData)
)


def custom_actions(domain: Mapping[str, Any] | None = None) -> list[str]:
    """The domain's ``action_*`` custom actions that compute answers, in the domain's order
    (not the people's-data actions of actions/privacy.py)."""
    actions = (domain if domain is not None else _domain()).get("actions") or []
    return [a for a in actions if isinstance(a, str) and a.startswith("action_")
            and a not in PEOPLES_DATA_ACTIONS]


def template_pattern(text: str) -> re.Pattern[str]:
    """A regular expression for one line of a response: ``{text}`` and ``{matches}``
    become named groups, any other placeholder matches anything."""
    parts: list[str] = []
    last = 0
    for match in _PLACEHOLDER.finditer(text):
        parts.append(re.escape(text[last:match.start()]))
        name = match.group(1)
        parts.append(f"(?P<{name}>.+?)" if name in ("text", "matches") else ".+?")
        last = match.end()
    parts.append(re.escape(text[last:]))
    return re.compile("".join(parts))


@lru_cache(maxsize=4)
def unknown_food_patterns(path: Path = DOMAIN_DIR) -> tuple[re.Pattern[str], ...]:
    responses = _domain(path).get("responses") or {}
    patterns = []
    for name in UNKNOWN_FOOD_RESPONSES:
        for variant in responses.get(name) or []:
            text = variant.get("text") if isinstance(variant, dict) else None
            if text:
                patterns.append(template_pattern(text.strip()))
    return tuple(patterns)


def unknown_foods_in(text: str) -> list[tuple[str, str]]:
    """(the user's words, the suggestions offered) for each unknown food a reply names."""
    found = []
    for line in (text or "").splitlines():
        line = line.strip()
        for pattern in unknown_food_patterns():
            match = pattern.fullmatch(line)
            if match:
                groups = match.groupdict()
                found.append((groups.get("text") or "", groups.get("matches") or ""))
                break
    return found


def food_key(text: str) -> str:
    return " ".join(str(text or "").replace("\u2026", " ").split()).strip(" \"'").lower()


@lru_cache(maxsize=1)
def _surface_forms() -> dict[str, str]:
    return {name.lower(): key for name, key in food_surface_forms().items()}


def food_in_table(name: str) -> str | None:
    """The food table's name for ``name`` when the table now has it under that name."""
    key = _surface_forms().get(food_key(name))
    return food_info(key)["name"] if key else None
