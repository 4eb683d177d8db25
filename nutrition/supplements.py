"""Magnesium supplement forms: names people use and elemental magnesium.

The elemental fraction of a form is computed from its chemical formula and the
atomic weights stored in ``data/supplement_forms.yml`` (one home for each
figure). Example: 500 mg of magnesium oxide holds about 302 mg of magnesium.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .data_files import load
from .errors import InvalidAmount, UnknownSupplementForm
from .matching import NameIndex
from .text import key_form

_FILE = "supplement_forms.yml"
ANHYDROUS = "anhydrous"


def _table() -> dict[str, Any]:
    table: dict[str, Any] = load(_FILE)
    return table


def supplement_forms() -> list[str]:
    """Keys of every supplement form in the table, in table order."""
    return list(_table()["forms"])


def form_info(form: str) -> dict[str, Any]:
    """The table entry of a form key (``names``, ``formula``, ``absorption``, ...)."""
    try:
        info: dict[str, Any] = _table()["forms"][form]
    except KeyError:
        raise UnknownSupplementForm(
            f"I don't know the magnesium form '{form}'.", _suggest(form)
        ) from None
    return info


def molar_mass(composition: dict[str, int | float], waters: int = 0) -> float:
    """Molar mass in g/mol of a composition (element -> count) plus water molecules."""
    table = _table()
    weights = table["atomic_weights"]
    total = sum(weights[element] * count for element, count in composition.items())
    water = sum(weights[element] * count for element, count in table["water"].items())
    mass: float = total + waters * water
    return mass


def elemental_fraction(form: str, hydrate: str | None = None) -> float:
    """Mass fraction (0-1) of magnesium in a form, anhydrous unless ``hydrate`` given.

    Raises :class:`UnknownSupplementForm` for unknown forms or hydrates.
    """
    info = form_info(form)
    waters = 0
    if hydrate not in (None, ANHYDROUS):
        if hydrate not in info.get("hydrates", {}):
            known = ", ".join(info.get("hydrates", {})) or "none"
            raise UnknownSupplementForm(
                f"The table has no '{hydrate}' of {info['name']} (known hydrates: {known})."
            )
        waters = info["hydrates"][hydrate]
    composition = info["composition"]
    magnesium = _table()["atomic_weights"]["Mg"] * composition["Mg"]
    fraction: float = magnesium / molar_mass(composition, waters)
    return fraction


@lru_cache(maxsize=1)
def _surface_table() -> dict[str, tuple[str, str | None]]:
    """surface form -> (form key, hydrate or None)."""
    surfaces: dict[str, tuple[str, str | None]] = {}
    for key, info in _table()["forms"].items():
        for name in [key, info["name"], *info.get("names", [])]:
            surfaces.setdefault(name.lower(), (key, None))
        for hydrate, names in info.get("hydrate_names", {}).items():
            for name in names:
                surfaces[name.lower()] = (key, hydrate)
    return surfaces


def supplement_surface_forms() -> dict[str, tuple[str, str]]:
    """Every supplement name people use -> ``(form_key, absorption_class)``.

    ``absorption_class`` is ``"better"``, ``"lower"`` or ``"not_rated"`` (see
    the data file). Keys are lower case, e.g. ``"mag ox" -> ("oxide", "lower")``,
    ``"epsom salt" -> ("sulfate", "lower")``.
    """
    forms = _table()["forms"]
    return {
        surface: (key, forms[key]["absorption"])
        for surface, (key, _hydrate) in _surface_table().items()
    }


@lru_cache(maxsize=1)
def _index() -> NameIndex:
    return NameIndex({surface: surface for surface in _surface_table()})


def _suggest(text: str) -> list[str]:
    names = [info["name"] for info in _table()["forms"].values()]
    return difflib.get_close_matches(str(text).lower(), names, n=3, cutoff=0.5)


def resolve_form(text: str) -> tuple[str, str | None]:
    """Resolve a supplement name to ``(form_key, implied_hydrate)``.

    "Epsom salt" implies the heptahydrate; most names imply nothing (``None``).
    Tolerates typos; raises :class:`UnknownSupplementForm` with suggestions.
    """
    if not isinstance(text, str) or not text.strip():
        raise UnknownSupplementForm("Please tell me which magnesium form you mean.")
    table = _surface_table()
    result = _index().lookup(text)
    best = result.best
    if best is None or best.score < 0.8:
        # "magnesium citrate powder" etc.: drop the word "magnesium" and retry
        stripped = " ".join(w for w in key_form(text).split() if w not in ("magnesium", "mag"))
        if stripped and stripped != key_form(text):
            retry = _index().lookup(stripped).best
            if retry is not None and (best is None or retry.score > best.score):
                best = retry
    if best is None or best.score < 0.8:
        raise UnknownSupplementForm(
            f"I don't know the magnesium form '{text}'.", _suggest(text)
        )
    return table[best.key]


@dataclass(frozen=True)
class ElementalMagnesium:
    """Result of :func:`elemental_magnesium`."""

    form: str
    form_name: str
    hydrate: str  # "anhydrous" or a hydrate name such as "heptahydrate"
    compound_mg: float
    elemental_mg: float
    percent_elemental: float
    absorption: str
    other_hydrates: dict[str, float]  # hydrate -> elemental mg for the same compound mass
    source: str


def elemental_magnesium(
    form: str, compound_mg: float, hydrate: str | None = None
) -> ElementalMagnesium:
    """Elemental magnesium in ``compound_mg`` milligrams of a supplement form.

    ``form`` may be a key ("oxide") or any name people use ("mag ox",
    "Epsom salt"). Without ``hydrate`` the form's implied hydrate is used
    ("Epsom salt" -> heptahydrate), otherwise the anhydrous compound.

    >>> round(elemental_magnesium("magnesium oxide", 500).elemental_mg)
    302

    Raises :class:`InvalidAmount` for negative or non-numeric amounts and
    :class:`UnknownSupplementForm` for unknown forms or hydrates.
    """
    if isinstance(compound_mg, bool) or not isinstance(compound_mg, int | float):
        raise InvalidAmount("The amount of supplement must be a number of milligrams.")
    if not math.isfinite(compound_mg) or compound_mg < 0:
        raise InvalidAmount("The amount of supplement must be zero or more milligrams.")
    key, implied = resolve_form(form)
    chosen = hydrate if hydrate is not None else implied
    if chosen is not None:
        chosen = chosen.strip().lower()
    fraction = elemental_fraction(key, chosen)
    info = form_info(key)
    others = {
        name: round(compound_mg * elemental_fraction(key, name), 1)
        for name in [ANHYDROUS, *info.get("hydrates", {})]
        if name != (chosen or ANHYDROUS)
    }
    source = _table()["source"]
    return ElementalMagnesium(
        form=key,
        form_name=info["name"],
        hydrate=chosen or ANHYDROUS,
        compound_mg=float(compound_mg),
        elemental_mg=round(compound_mg * fraction, 1),
        percent_elemental=round(100 * fraction, 1),
        absorption=info["absorption"],
        other_hydrates=others,
        source=f"{source['formulas']} {source['note']}",
    )
