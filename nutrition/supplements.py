"""Magnesium supplement forms: names people use and elemental magnesium.

The elemental fraction of a form is computed from its chemical formula and the
atomic weights stored in ``data/supplement_forms.yml`` (one home for each
figure). Example: 500 mg of magnesium oxide holds about 302 mg of magnesium.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .data_files import load
from .errors import InvalidAmount, UnknownSupplementForm
from .text import key_form

_FILE = "supplement_forms.yml"
ANHYDROUS = "anhydrous"


def _table() -> dict[str, Any]:
    table: dict[str, Any] = load(_FILE)
    return table


def supplement_source() -> str:
    """Citation of the elemental fractions (formulas, atomic weights, label note)."""
    source = _table()["source"]
    return f"{source['formulas']} {source['note']}"


def supplement_forms() -> list[str]:
    """Keys of every supplement form in the table, in table order."""
    return list(_table()["forms"])


def form_info(form: str) -> dict[str, Any]:
    """The table entry of a form key (``names``, ``formula``, ``absorption``, ...)."""
    try:
        info: dict[str, Any] = _table()["forms"][form]
    except KeyError:
        raise _unknown(form) from None
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


@dataclass(frozen=True)
class _Surface:
    key: str
    hydrate: str | None  # implied by the name; None: the name says nothing
    topical: bool  # a product for the skin ("magnesium oil")


@lru_cache(maxsize=1)
def _surface_table() -> dict[str, _Surface]:
    """surface form (lower case) -> what it names."""
    surfaces: dict[str, _Surface] = {}
    for key, info in _table()["forms"].items():
        for name in [key, info["name"], *info.get("names", [])]:
            surfaces.setdefault(name.lower(), _Surface(key, None, False))
        for hydrate, names in info.get("hydrate_names", {}).items():
            for name in names:
                surfaces[name.lower()] = _Surface(key, hydrate, False)
        for name in info.get("topical_names", []):
            surfaces[name.lower()] = _Surface(key, info.get("topical_hydrate"), True)
    return surfaces


def supplement_surface_forms() -> dict[str, tuple[str, str]]:
    """Every supplement name people use -> ``(form_key, absorption_class)``.

    ``absorption_class`` is ``"better"``, ``"lower"`` or ``"not_rated"`` (see
    the data file). Keys are lower case, e.g. ``"mag ox" -> ("oxide", "lower")``,
    ``"epsom salt" -> ("sulfate", "lower")``.
    """
    forms = _table()["forms"]
    return {
        surface: (found.key, forms[found.key]["absorption"])
        for surface, found in _surface_table().items()
    }


def topical_surface_forms() -> frozenset[str]:
    """Names of products put on the skin ("magnesium oil"): no absorption claim applies."""
    return frozenset(name for name, found in _surface_table().items() if found.topical)


# Words that say nothing about the compound: "magnesium citrate powder" is citrate.
_FILLER_WORDS = frozenset(
    {"magnesium", "mag", "supplement", "powder", "tablet", "capsule", "pill", "cap",
     "softgel", "gummy", "chewable"}
)
# What is left of a name without its filler words, when that rest names no
# compound on its own ("magnesium oil" -> "oil").
_GENERIC_RESTS = frozenset({"", "oil", "spray", "oil spray", "flake", "salt"})


def _content_words(text: str) -> str:
    """The name without filler words; misspellings of "magnesium" count as filler."""
    words = []
    for word in key_form(text).split():
        if word in _FILLER_WORDS:
            continue
        if len(word) >= 7 and OSA.distance(word, "magnesium", score_cutoff=2) <= 2:
            continue
        words.append(word)
    return " ".join(words)


@lru_cache(maxsize=1)
def _lookup_tables() -> tuple[dict[str, _Surface], dict[str, set[str]]]:
    """(normalised name -> surface, content words -> names) for the resolver."""
    exact: dict[str, _Surface] = {}
    by_content: dict[str, set[str]] = {}
    for surface, found in _surface_table().items():
        exact.setdefault(key_form(surface), found)
        rest = _content_words(surface)
        if rest not in _GENERIC_RESTS:
            by_content.setdefault(rest, set()).add(surface)
    return exact, by_content


def _typo_tolerance(name: str) -> int:
    """Edits allowed when a word is misspelt: none below 5 letters, 2 from 9 on."""
    letters = len(name.replace(" ", ""))
    return 0 if letters < 5 else 1 if letters < 9 else 2


def _unknown(text: str, close: list[str] | None = None) -> UnknownSupplementForm:
    return UnknownSupplementForm(
        f"I don't know the magnesium form '{str(text).strip()}'.", close or [], name=str(text)
    )


@dataclass(frozen=True)
class ResolvedForm:
    """What a supplement name refers to (see :func:`find_form`)."""

    form: str  # form key, e.g. "chloride"
    hydrate: str | None  # hydrate the name implies ("epsom salt" -> heptahydrate), or None
    topical: bool  # the name is a product for the skin ("magnesium oil")
    text: str  # the name as given
    exact: bool  # False when a misspelling of one of the form's own names was corrected


def find_form(text: str) -> ResolvedForm:
    """Resolve a supplement name; typo tolerance only within one form's own names.

    A name that is not in the table, or whose misspelling is as close to the
    names of two different forms, raises :class:`UnknownSupplementForm` with
    ``name`` set to the text as given: it is never answered for another compound.
    """
    if not isinstance(text, str) or not text.strip():
        raise UnknownSupplementForm("Please tell me which magnesium form you mean.")
    exact, by_content = _lookup_tables()
    normal = key_form(text)
    if normal in exact:
        found = exact[normal]
        return ResolvedForm(found.key, found.hydrate, found.topical, text, True)
    rest = _content_words(text)
    if rest in by_content:
        surfaces = {_surface_table()[name] for name in by_content[rest]}
        keys = {found.key for found in surfaces}
        if len(keys) == 1:
            found = min(surfaces, key=lambda f: (f.hydrate is not None, f.topical))
            return ResolvedForm(found.key, found.hydrate, found.topical, text, True)
    if not rest:
        raise _unknown(text)
    near = process.extract(
        rest, list(by_content), scorer=OSA.distance, score_cutoff=2, limit=None
    )
    hits = [choice for choice, distance, _ in near if distance <= _typo_tolerance(choice)]
    reach = max((_typo_tolerance(choice) for choice in hits), default=0)
    # every name as close as the accepted one counts, even a short one ("mgco" is as
    # near to "mgo" as to "mgco3"): a tie between two forms is refused
    rivals = [choice for choice, distance, _ in near if distance <= reach]
    forms = {_surface_table()[name].key for choice in rivals for name in by_content[choice]}
    if not hits or len(forms) != 1:
        close = sorted({_table()["forms"][key]["name"] for key in forms})
        raise _unknown(text, close)
    best = min(hits, key=lambda choice: OSA.distance(rest, choice))
    surfaces = {_surface_table()[name] for name in by_content[best]}
    found = min(surfaces, key=lambda f: (f.hydrate is not None, f.topical))
    return ResolvedForm(found.key, found.hydrate, found.topical, text, False)


def resolve_form(text: str) -> tuple[str, str | None]:
    """Resolve a supplement name to ``(form_key, implied_hydrate)``.

    "Epsom salt" implies the heptahydrate, "magnesium flakes" the hexahydrate
    of the chloride; most names imply nothing (``None``). Tolerates
    misspellings of a form's own names only; raises
    :class:`UnknownSupplementForm` (``name`` = the text as given) otherwise.
    """
    found = find_form(text)
    return found.form, found.hydrate


@dataclass(frozen=True)
class ElementalMagnesium:
    """Result of :func:`elemental_magnesium`."""

    form: str
    form_name: str
    hydrate: str  # "anhydrous" or a hydrate name such as "heptahydrate"
    hydrate_assumed: bool  # True: neither the name nor the caller said which hydrate
    compound_mg: float
    elemental_mg: float  # exact: a reply rounds it once, for reading
    percent_elemental: float
    absorption: str
    other_hydrates: dict[str, float]  # hydrate -> elemental mg for the same compound mass
    source: str
    topical: bool = False  # a skin product ("magnesium oil"): make no absorption claim
    notes: tuple[str, ...] = ()  # facts a reply should add, e.g. ("laxative",)


def elemental_magnesium(
    form: str, compound_mg: float, hydrate: str | None = None
) -> ElementalMagnesium:
    """Elemental magnesium in ``compound_mg`` milligrams of a supplement form.

    ``form`` may be a key ("oxide") or any name people use ("mag ox",
    "Epsom salt"). Without ``hydrate`` the hydrate the name implies is used
    ("Epsom salt" -> heptahydrate), else the one people buy (``default_hydrate``
    in the table: hexahydrate for the chloride), else the anhydrous compound;
    ``hydrate_assumed`` says when neither the name nor the caller chose it.

    >>> round(elemental_magnesium("magnesium oxide", 500).elemental_mg)
    302

    Raises :class:`InvalidAmount` for negative or non-numeric amounts and
    :class:`UnknownSupplementForm` for unknown forms or hydrates.
    """
    if isinstance(compound_mg, bool) or not isinstance(compound_mg, int | float):
        raise InvalidAmount("The amount of supplement must be a number of milligrams.")
    if not math.isfinite(compound_mg) or compound_mg < 0:
        raise InvalidAmount("The amount of supplement must be zero or more milligrams.")
    found = find_form(form)
    key = found.form
    info = form_info(key)
    chosen = hydrate.strip().lower() if isinstance(hydrate, str) else found.hydrate
    assumed = hydrate is None and found.hydrate is None
    if chosen is None:
        chosen = info.get("default_hydrate", ANHYDROUS)
    fraction = elemental_fraction(key, chosen)
    others = {
        name: compound_mg * elemental_fraction(key, name)
        for name in [ANHYDROUS, *info.get("hydrates", {})]
        if name != chosen
    }
    source = _table()["source"]
    return ElementalMagnesium(
        form=key,
        form_name=info["name"],
        hydrate=chosen,
        hydrate_assumed=assumed,
        compound_mg=float(compound_mg),
        elemental_mg=compound_mg * fraction,
        percent_elemental=round(100 * fraction, 1),
        absorption=info["absorption"],
        other_hydrates=others,
        source=f"{source['formulas']} {source['note']}",
        topical=found.topical,
        notes=tuple(info.get("notes", [])),
    )
