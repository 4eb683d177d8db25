"""The nutrients the assistant answers about (magnesium, calcium, vitamin D): their names,
the words people use for them, and their units.

Data: ``data/nutrients.yml``. The reference intakes of each are in :mod:`nutrition.intake`,
their amounts in foods in :mod:`nutrition.foods`.
"""

from __future__ import annotations

from typing import Any

from .data_files import load
from .errors import NutritionError

_FILE = "nutrients.yml"

#: The nutrient a question is about when it names none.
DEFAULT_NUTRIENT = "magnesium"


def _table() -> dict[str, Any]:
    table: dict[str, Any] = load(_FILE)["nutrients"]
    return table


def nutrient_keys() -> tuple[str, ...]:
    """Every nutrient key, in table order (``magnesium``, ``calcium``, ``vitamin_d``)."""
    return tuple(_table())


def nutrient_surfaces() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Nutrient key -> the word sequences that name it in a message."""
    return {key: tuple(tuple(str(w) for w in words) for words in row["surfaces"])
            for key, row in _table().items()}


def nutrient_name(key: str) -> str:
    """How a reply names a nutrient ("vitamin D"); raises :class:`NutritionError`."""
    return str(_row(key)["name"])


def nutrient_unit(key: str) -> str:
    """The unit of a nutrient's figures ("mg", "mcg")."""
    return str(_row(key)["unit"])


def known_nutrient(value: object) -> str | None:
    """``value`` when it is a nutrient key of the table, else ``None``."""
    return value if isinstance(value, str) and value in _table() else None


def _row(key: str) -> dict[str, Any]:
    try:
        row: dict[str, Any] = _table()[key]
    except KeyError:
        raise NutritionError(f"I know about {', '.join(nutrient_keys())}, not '{key}'.") from None
    return row
