"""Platform-neutral helpers: split long replies, write buttons as numbered options."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

Measure = Callable[[str], int]

# Where a long text may be cut, best first: between paragraphs, between lines, after a
# sentence, between words. A piece that is still too long is cut hard as a last resort.
_SEPARATORS = (
    re.compile(r"\n\s*\n"),
    re.compile(r"\n"),
    re.compile(r"(?<=[.!?…])\s+"),
    re.compile(r"\s+"),
)


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram counts its limits in."""
    return len(text.encode("utf-16-le")) // 2


def _hard_cut(text: str, limit: int, measure: Measure) -> list[str]:
    parts, current = [], ""
    for ch in text:
        if current and measure(current + ch) > limit:
            parts.append(current)
            current = ""
        current += ch
    if current:
        parts.append(current)
    return parts


def _split(text: str, limit: int, measure: Measure, level: int) -> list[str]:
    if measure(text) <= limit:
        return [text]
    if level == len(_SEPARATORS):
        return _hard_cut(text, limit, measure)
    pattern = _SEPARATORS[level]
    pieces = []  # (text, separator that followed it)
    pos = 0
    for m in pattern.finditer(text):
        pieces.append((text[pos : m.start()], m.group()))
        pos = m.end()
    pieces.append((text[pos:], ""))
    if len(pieces) == 1:
        return _split(text, limit, measure, level + 1)

    chunks: list[str] = []
    current = ""
    for piece, sep in pieces:
        if not piece:
            continue
        candidate = f"{current}{piece}" if current else piece
        if measure(candidate) <= limit:
            current = candidate + sep
            continue
        if current:
            chunks.append(current)
        if measure(piece) <= limit:
            current = piece + sep
        else:
            sub = _split(piece, limit, measure, level + 1)
            chunks.extend(sub[:-1])
            current = sub[-1] + sep
    if current:
        chunks.append(current)
    return [c.strip() for c in chunks if c.strip()]


def split_text(text: str, limit: int, measure: Measure = len) -> list[str]:
    """Split ``text`` into pieces of at most ``limit`` (as counted by ``measure``).

    Cuts between paragraphs where it can, then between lines, sentences and words; no
    piece is empty and, joined again, the pieces keep every word in order.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    text = text.strip()
    if not text:
        return []
    return _split(text, limit, measure, 0)


def button_title(button: dict[str, Any]) -> str:
    title = str(button.get("title") or "").strip()
    return title or str(button.get("payload") or "").strip()


def numbered_options(buttons: Iterable[dict[str, Any]]) -> str:
    """Buttons as a readable list for text-only channels: "1. Yes" per line."""
    return "\n".join(f"{i}. {button_title(b)}" for i, b in enumerate(buttons, start=1))


NUMBERED_HINT = "Reply with the number of your choice."


def choice_from_number(text: str | None, buttons: list[dict[str, Any]]) -> str | None:
    """The payload of the button a reply like "2" (or "2." / " 2 ") picks, else None."""
    if not text or not buttons:
        return None
    m = re.fullmatch(r"\s*(\d{1,2})\s*[.)]?\s*", text)
    if not m:
        return None
    index = int(m.group(1))
    if 1 <= index <= len(buttons):
        payload = buttons[index - 1].get("payload")
        return str(payload) if payload else None
    return None


def is_web_only_payload(json_message: Any) -> bool:
    """Custom payloads meant for the web widget only (charts)."""
    return isinstance(json_message, dict) and "chart" in json_message
