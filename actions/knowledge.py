"""The knowledge base's answer: the entry, how strong its evidence is, its source, an offer.

Thin adapter. The NLU (nlu/knowledge.py) picks the entry of a ``knowledge`` question and
fills Rasa's ``response_selector`` output, with ``sure`` false when the best entry scored
low or the best two were close. This action then sends, as one message:

- sure: the entry's response (``utter_knowledge/<entry>``, its ``{placeholders}`` filled from
  :func:`nutrition.topic_figures.knowledge_figures`), the evidence line
  (``utter_knowledge_evidence_<level>``), the source line (``utter_knowledge_source``, the
  source's name from ``nutrition/data/knowledge_sources.yml``) and, when the entry's
  metadata names one, what the assistant can work out next
  (``utter_knowledge_can_compute_<kind>``);
- not sure: ``utter_knowledge_clarify`` with two or three buttons, one per likely entry,
  each titled with that entry's ``question`` and sending
  ``/knowledge{"knowledge_entry": "<entry>"}``; a click is answered as sure;
- no likely entry: ``utter_knowledge_unknown`` and what the assistant can do
  (``utter_capabilities``);
- about a subject with no checked answer (another supplement, a health problem no entry
  answers, an animal: ``other_subject``, set by ``nlu/scope.py``):
  ``utter_knowledge_other_subject`` naming it, then the closest entries as buttons
  (``utter_knowledge_related``) or what the assistant can do.

All wording is in the domain (domain/knowledge.yml and domain/knowledge_<area>.yml).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import replies
from actions.replies import Reply
from actions.topics import shown
from nutrition import topic_figures
from nutrition.knowledge import (
    RETRIEVAL_INTENT,
    entry_name,
    entry_response,
    source,
)

ENTRY_ENTITY = "knowledge_entry"
# Set by nlu.scope.SubjectGuard in the selector's output: the words of a subject the
# assistant has no checked answer about.
OTHER_SUBJECT = "other_subject"
# Entries shown as clarify buttons: at most this many, each with at least this probability.
MAX_CHOICES = 3
MIN_CHOICE = 0.1
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@cache
def _figures() -> dict[str, str]:
    return shown(topic_figures.knowledge_figures())


def metadata(domain: Mapping[str, Any] | None, response: str) -> dict[str, Any]:
    """The metadata of an entry's response (question, evidence, source, can_compute)."""
    found = replies.template(domain, response).get("metadata")
    return dict(found) if isinstance(found, Mapping) else {}


def known(domain: Mapping[str, Any] | None, response: str) -> bool:
    return bool(replies.responses(domain).get(response))


def entry_values(domain: Mapping[str, Any] | None, response: str) -> dict[str, str]:
    """The figures an entry's text names, as shown."""
    text = str(replies.template(domain, response).get("text") or "")
    figures = _figures()
    return {name: figures[name] for name in PLACEHOLDER.findall(text) if name in figures}


def question(domain: Mapping[str, Any] | None, response: str) -> str:
    """The short question an entry answers (its metadata), for a button title."""
    asked = metadata(domain, response).get("question")
    return str(asked) if asked else entry_name(response).replace("_", " ").capitalize() + "?"


def choice_payload(response: str) -> str:
    return "/" + RETRIEVAL_INTENT + json.dumps({ENTRY_ENTITY: entry_name(response)})


def selection(tracker: Tracker) -> dict[str, Any]:
    """``response_selector["knowledge"]`` of the latest message ({} when absent)."""
    selector = (tracker.latest_message or {}).get("response_selector") or {}
    found = selector.get(RETRIEVAL_INTENT) if isinstance(selector, Mapping) else None
    return dict(found) if isinstance(found, Mapping) else {}


def chosen_entry(tracker: Tracker) -> str | None:
    """The entry a clarify button named (entity ``knowledge_entry``)."""
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == ENTRY_ENTITY and entity.get("value"):
            return str(entity["value"])
    return None


def answer_entry(domain: Mapping[str, Any] | None, response: str) -> Reply:
    reply = Reply()
    about = metadata(domain, response)
    reply.add(response, **entry_values(domain, response))
    reply.add(f"utter_knowledge_evidence_{about.get('evidence')}")
    cited = source(str(about.get("source")))
    if cited is not None:
        reply.add("utter_knowledge_source", source_name=cited.name)
    if about.get("can_compute"):
        reply.add(f"utter_knowledge_can_compute_{about['can_compute']}")
    return reply


def candidates(domain: Mapping[str, Any] | None, picked: Mapping[str, Any]) -> list[str]:
    """The responses of the likely entries, best first (for clarify buttons)."""
    found: list[str] = []
    for row in picked.get("ranking") or []:
        label = str(row.get("intent_response_key") or "")
        response = entry_response(label) if label else ""
        if (float(row.get("confidence") or 0.0) >= MIN_CHOICE and known(domain, response)
                and response not in found):
            found.append(response)
    return found[:MAX_CHOICES]


def knowledge_reply(tracker: Tracker, domain: Mapping[str, Any] | None) -> Reply:
    """The answer, the clarify question, or the honest "I don't know"."""
    named = chosen_entry(tracker)
    if named is not None and known(domain, entry_response(named)):
        return answer_entry(domain, entry_response(named))
    picked = selection(tracker)
    best = str((picked.get("response") or {}).get("intent_response_key") or "")
    if picked.get("sure") and best and known(domain, entry_response(best)):
        return answer_entry(domain, entry_response(best))
    choices = candidates(domain, picked)
    reply = Reply()
    other = str(picked.get(OTHER_SUBJECT) or "").strip()
    if other:
        # about a subject with no checked answer (nlu/scope.py): say so, then offer the
        # closest entries in case one of them is what was meant
        reply.add("utter_knowledge_other_subject", subject=other)
        reply.add("utter_knowledge_related" if choices else "utter_capabilities")
    elif choices:
        reply.add("utter_knowledge_clarify")
    else:
        reply.add("utter_knowledge_unknown").add("utter_capabilities")
    if choices:
        reply.buttons = [{"title": question(domain, r), "payload": choice_payload(r)}
                         for r in choices]
    return reply


class ActionAnswerKnowledge(Action):
    """Answer a knowledge-base question, or ask which entry is meant, or say it's unknown.

    A plain action (no :class:`actions.base.Turn`): the answer needs only the latest
    message's parse data."""

    def name(self) -> str:
        return "action_answer_knowledge"

    # Synchronous on purpose (rasa_sdk runs both kinds): the reply needs no awaiting.
    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        knowledge_reply(tracker, domain).send(dispatcher, domain)
        return []
