"""The knowledge base's sources and the words its metadata may use.

Answers live in the domain (``domain/knowledge_<area>.yml``, responses
``utter_knowledge/<area>_<topic>``); each names a source, an evidence level and, optionally,
what the assistant can compute next. This module reads the sources table
(``nutrition/data/knowledge_sources.yml``) and holds the allowed values, so the actions and
the tests agree on them. The figures of the answers: :func:`nutrition.topic_figures.
knowledge_figures`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .data_files import load

# How strong the evidence behind an answer is (metadata ``evidence``).
EVIDENCE_LEVELS = ("good", "mixed", "little_or_none")
# What an answer may offer to work out next (metadata ``can_compute``).
COMPUTABLE = ("intake", "foods", "supplements", "diary", "menu")
# The retrieval intent of the knowledge base and the prefix of its responses.
RETRIEVAL_INTENT = "knowledge"
RESPONSE_PREFIX = f"utter_{RETRIEVAL_INTENT}/"


@dataclass(frozen=True)
class Source:
    key: str
    name: str
    citation: str
    url: str


def sources() -> dict[str, Source]:
    """Every source of the table, by key."""
    table = load("knowledge_sources.yml").get("sources") or {}
    return {
        key: Source(key, str(row["name"]), str(row["citation"]), str(row.get("url") or ""))
        for key, row in table.items()
    }


def source(key: str) -> Source | None:
    return sources().get(key)


def entry_response(entry: str) -> str:
    """``coffee_magnesium_loss`` or ``knowledge/coffee_magnesium_loss`` -> its response."""
    name = entry.split("/", 1)[1] if entry.startswith(f"{RETRIEVAL_INTENT}/") else entry
    return f"{RESPONSE_PREFIX}{name}"


def entry_name(response_or_label: str) -> str:
    """The entry's own name (``coffee_magnesium_loss``) from its response or its label."""
    return response_or_label.rsplit("/", 1)[-1]
