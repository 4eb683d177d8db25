"""Where the assistant's facts and figures come from, read from the data tables' sources.

The answer to "where does your information come from?" lists the sources the product
uses, never typed by hand: each group below reads the ``source`` (or ``short_source``)
field of the table the answers take their figures from. Names that several tables share
are listed once; a note naming several sources ("A; B") gives one name each.

- :func:`reference_sources`: the official tables and health bodies (intakes and limits,
  foods, food labels, medicines, supplement absorption, bone density categories, the
  osteoporosis basics, the body's magnesium);
- :func:`study_sources`: the studies the knowledge answers describe (``topic_facts.yml``).
"""

from __future__ import annotations

import re
from typing import Any

from .bone_density import bone_density_source
from .data_files import load
from .foods import food_source
from .intake import table_source
from .topic_figures import short_source

# The database a food table note names ("USDA National Nutrient Database ..., Release 28").
_DATABASE = re.compile(r"USDA National Nutrient Database[^.]*?Release \d+")


def _names(notes: list[str]) -> tuple[str, ...]:
    names: dict[str, None] = {}
    for note in notes:
        for name in note.split(";"):
            if name.strip():
                names.setdefault(name.strip(), None)
    return tuple(names)


def _food_database() -> str:
    note = " ".join(food_source().split())
    found = _DATABASE.search(note)
    return found.group(0) if found else short_source(note)


def reference_sources() -> tuple[str, ...]:
    """The official tables and health bodies the answers' figures and facts come from."""
    intakes: dict[str, Any] = load("reference_intakes.yml")
    interactions: dict[str, Any] = load("interactions.yml")
    forms: dict[str, Any] = load("supplement_forms.yml")
    basics: dict[str, Any] = load("bone_basics.yml")
    facts: dict[str, Any] = load("topic_facts.yml")
    return _names([
        short_source(table_source("magnesium")),
        short_source(table_source("calcium")),
        _food_database(),
        short_source(str(intakes["source"]["daily_value"])),
        short_source(str(interactions["source"]["interactions"])),
        short_source(str(forms["source"]["absorption"])),
        facts["body_magnesium"]["short_source"],
        bone_density_source(),
        *(str(entry["short_source"]) for entry in basics.values()),
    ])


def study_sources() -> tuple[str, ...]:
    """The studies the knowledge answers describe, with their year where the table has it."""
    studies: dict[str, Any] = load("topic_facts.yml")["studies"]
    notes = []
    for study in studies.values():
        if "year" not in study:
            continue  # a summary of studies (its source is among the reference sources)
        notes.append(f"{study['short_source']} ({study['year']})")
    return _names(notes)
