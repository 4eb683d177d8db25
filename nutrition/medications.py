"""Medicines that interact with magnesium, and the related cautions.

Structured facts only (timing in hours, effect codes); reply wording belongs
to the Rasa domain. Data: ``data/interactions.yml`` (NIH ODS).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .data_files import load
from .errors import UnknownMedication
from .matching import NameIndex

_FILE = "interactions.yml"


def _table() -> dict[str, Any]:
    table: dict[str, Any] = load(_FILE)
    return table


def medication_classes() -> list[str]:
    """Keys of the medication classes, in table order."""
    return list(_table()["medication_classes"])


@lru_cache(maxsize=1)
def _surface_table() -> dict[str, tuple[str, str]]:
    # Drug names first: "tetracycline" is a drug even though "tetracyclines"
    # names the class.
    surfaces: dict[str, tuple[str, str]] = {}
    classes = _table()["medication_classes"]
    for class_key, info in classes.items():
        for drug_key, drug in info["drugs"].items():
            for name in [drug_key.replace("_", " "), *drug["names"]]:
                surfaces.setdefault(name.lower(), (drug_key, class_key))
    for class_key, info in classes.items():
        for name in info.get("class_names", []):
            surfaces.setdefault(name.lower(), (class_key, class_key))
    return surfaces


def medication_surface_forms() -> dict[str, tuple[str, str]]:
    """Every medicine name people use -> ``(drug_key, class_key)``.

    Brand and generic names map to the drug ("fosamax" ->
    ``("alendronate", "bisphosphonates")``); class names map to the class twice
    ("ppi" -> ``("proton_pump_inhibitors", "proton_pump_inhibitors")``).
    """
    return dict(_surface_table())


@lru_cache(maxsize=1)
def _index() -> NameIndex:
    return NameIndex({surface: surface for surface in _surface_table()})


@dataclass(frozen=True)
class MedicationInteraction:
    """What the table says about one medicine (or a whole class)."""

    drug: str | None  # None when only the class was named
    drug_class: str
    class_name: str
    effect: str
    route: str | None
    applies_to_route: str | None
    separate_hours_min: float | None
    take_drug_before_hours_min: float | None
    take_drug_after_hours: tuple[float, float] | None
    long_term_use_years_min: float | None
    matched_name: str
    score: float
    source: str


def find_medication(text: str, min_score: float = 0.8) -> MedicationInteraction:
    """Look up a medicine or class name (typo tolerant) and return its interaction.

    Raises :class:`UnknownMedication` (with close matches) when nothing in the
    table matches well enough.
    """
    if not isinstance(text, str) or not text.strip():
        raise UnknownMedication("Please tell me the name of the medicine.")
    result = _index().lookup(text)
    best = result.best
    if best is None or best.score < min_score:
        close = [c.key for c in result.candidates if c.score >= 0.5][:3]
        raise UnknownMedication(
            f"'{text}' is not in my list of medicines that interact with magnesium.",
            close,
        )
    drug_key, class_key = _surface_table()[best.key]
    info = _table()["medication_classes"][class_key]
    timing = info.get("timing") or {}
    after = timing.get("take_drug_after_hours")
    is_class = drug_key == class_key
    return MedicationInteraction(
        drug=None if is_class else drug_key,
        drug_class=class_key,
        class_name=info["name"],
        effect=info["effect"],
        route=None if is_class else info["drugs"][drug_key].get("route"),
        applies_to_route=info.get("applies_to_route"),
        separate_hours_min=timing.get("separate_hours_min"),
        take_drug_before_hours_min=timing.get("take_drug_before_hours_min"),
        take_drug_after_hours=tuple(after) if after else None,
        long_term_use_years_min=info.get("long_term_use_years_min"),
        matched_name=best.key,
        score=best.score,
        source=_table()["source"]["interactions"],
    )


def deficiency_signs() -> dict[str, list[str]]:
    """Signs of magnesium deficiency as codes: ``{"early": [...], "later": [...]}``."""
    return {stage: list(signs) for stage, signs in _table()["deficiency_signs"].items()}


def toxicity_facts() -> dict[str, Any]:
    """Facts about too much magnesium (signs as codes, usual cause, emergency flag)."""
    return dict(_table()["toxicity"])


def condition_cautions() -> dict[str, dict[str, Any]]:
    """Health conditions that need a clinician's advice before supplements."""
    return {key: dict(value) for key, value in _table()["conditions"].items()}


def named_medicine(value: str) -> MedicationInteraction | None:
    """The interaction of a medicine as the entity extractor names it, or ``None`` when the
    table doesn't know it.

    ``value`` is a drug ("alendronate"), a class key ("proton_pump_inhibitors") or any name
    the table knows ("fosamax", "ppi"); a class key is looked up by its last class name.
    """
    name = str(value).replace("_", " ").strip()
    classes = _table()["medication_classes"]
    if value in classes:
        info = classes[value]
        name = info["class_names"][-1] if info.get("class_names") else info["name"]
    try:
        return find_medication(name)
    except UnknownMedication:
        return None
