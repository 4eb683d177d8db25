"""Which medical cautions a message raises: the one home of that rule.

A caution means no supplement amount is given at all, only a pointer to the person's
clinician. It comes from what the message says: a question about kidney disease or a heart
condition (its intent), a medicine named (interaction table, :mod:`nutrition.medications`),
or a condition of the table's ``conditions`` (kidney disease and the like) in the words.

:func:`message_cautions` answers both uses:

* ``remember``: the cautions a conversation keeps from now on (the condition asked about,
  and the class of every interacting medicine named), used by the knowledge answers;
* ``reason``: why the computed answer to this very message gives no supplement amount
  (the medicine as the user wrote it, else a condition named, else kidneys mentioned).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .medications import MedicationInteraction, condition_cautions, named_medicine
from .text import normalise

KIDNEY_CAUTION = "kidney disease"
HEART_CAUTION = "heart rhythm problem"
# Intents whose question is itself a reason for caution, and the caution they raise.
CAUTION_BY_INTENT = {
    "ask_kidney_disease": KIDNEY_CAUTION,
    "ask_heart_condition": HEART_CAUTION,
}
# Kidneys mentioned without a condition the table names.
KIDNEY_WORDS = re.compile(r"\b(kidney|kidneys|renal)\b")
KIDNEY_REASON = "kidney problems"
# At most this many different medicines are looked up per message.
MAX_MEDICINES = 3


@dataclass(frozen=True)
class MedicineMention:
    """A medicine in a message: the extractor's value and the user's own words for it."""

    value: str
    words: str


@dataclass(frozen=True)
class LookedUpMedicine:
    """A medicine value of the message and what the interaction table says (None: unknown)."""

    value: str
    interaction: MedicationInteraction | None


@dataclass(frozen=True)
class MessageCautions:
    """The cautions one message raises (see the module docstring)."""

    remember: tuple[str, ...]
    reason: str | None
    medicines: tuple[LookedUpMedicine, ...]


def _distinct_values(medicines: Sequence[MedicineMention]) -> list[str]:
    values: list[str] = []
    for medicine in medicines:
        value = medicine.value.strip()
        if value and value not in values:
            values.append(value)
    return values[:MAX_MEDICINES]


def _reason(text: str, medicines: Sequence[MedicineMention]) -> str | None:
    if medicines:
        words = (m.words.strip() for m in medicines)
        return ", ".join(dict.fromkeys(w for w in words if w)) or None
    padded = f" {normalise(text)} "
    named = [
        name
        for condition in condition_cautions().values()
        for name in condition.get("names", [])
        if f" {normalise(name)} " in padded
    ]
    if named:
        return str(max(named, key=len))
    if KIDNEY_WORDS.search(padded):
        return KIDNEY_REASON
    return None


def message_cautions(
    text: str, medicines: Sequence[MedicineMention], intent: str | None
) -> MessageCautions:
    """The cautions raised by a message: its ``text``, the medicines the extractor found in
    it (in text order) and its ``intent``."""
    looked_up = tuple(
        LookedUpMedicine(value, named_medicine(value)) for value in _distinct_values(medicines)
    )
    remember = [CAUTION_BY_INTENT[intent]] if intent in CAUTION_BY_INTENT else []
    remember += [m.interaction.class_name for m in looked_up if m.interaction is not None]
    return MessageCautions(tuple(remember), _reason(text, medicines), looked_up)


def merge_cautions(current: str | None, new: Sequence[str]) -> str | None:
    """Add new cautions to the ones kept so far ("kidney disease, bisphosphonates")."""
    items = [part.strip() for part in str(current or "").split(",") if part.strip()]
    for caution in new:
        if caution and caution not in items:
            items.append(caution)
    return ", ".join(items) or None
