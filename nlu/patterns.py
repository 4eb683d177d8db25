"""Generate the entity patterns, deterministically, from the project's data.

Two pattern sets are produced:

* **ruler patterns** for spaCy's ``entity_ruler`` (``{"label", "pattern", "id"}``):
  FOOD as phrase patterns (matched on LEMMA, so "almonds"/"Almond"/"pumpkin seed" all hit),
  everything else as token patterns on LOWER (AMOUNT, AGE, SEX, LIFE_STAGE, SUPPLEMENT_FORM,
  MEDICATION, NUTRIENT) plus BLOCK patterns for known false friends ("nursing home");
* **context data** for the custom ``nlu_context_entities`` component: patterns whose entity
  is only part of the match ("I'm 54": the entity is "54"), the number-phrase grammar used
  for counts ("2 bananas") and bare-number answers, and a few word lists.

Entity ids carry what the normaliser needs:

* FOOD ``<food key>``; SEX ``female|male``; LIFE_STAGE ``<stage>``;
  SUPPLEMENT_FORM ``<form key>``; MEDICATION ``<drug key>|<class key>``;
  NUTRIENT ``<nutrient>``; BLOCK ``block``;
* AMOUNT ``<roles>`` and AGE ``<kind>:<roles>`` where ``roles`` has one letter per token:
  ``N`` number, ``U`` unit, ``S`` size word ignored before a unit, ``W`` other word in the
  entity, ``M`` decade modifier (early/mid/late), ``D`` decade; context patterns also use
  ``C`` for context tokens that stay outside the entity.

Everything is sorted, so the same inputs always give byte-identical pattern files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from nlu import vocab

Tokenize = Callable[[str], list[str]]
Spec = dict[str, Any]
Pattern = dict[str, Any]

VULGAR_FRACTIONS = "\u00bc\u00bd\u00be\u2150\u2151\u2152\u2153\u2154\u2155\u2156\u2157\u2158\u2159\u215a\u215b\u215c\u215d\u215e"  # noqa: E501


# ---------------------------------------------------------------------------------------
# token specs
# ---------------------------------------------------------------------------------------


def number_regex() -> str:
    """Regex (on LOWER) for one number token: digits, fractions, "½", number words."""
    words = "|".join(re.escape(w) for w in vocab.number_words())
    return (
        r"^(?:\d+(?:[.,]\d+)*|\.\d+|\d+/\d+|\d*[" + VULGAR_FRACTIONS + r"]" r"|(?:" + words + r"))$"
    )


def _in(words: Iterable[str]) -> Spec:
    values = sorted(set(words))
    if len(values) == 1:
        return {"LOWER": values[0]}
    return {"LOWER": {"IN": values}}


def _seq(words: Iterable[str]) -> list[Spec]:
    return [{"LOWER": w} for w in words]


def _specs() -> dict[str, Spec]:
    return {
        "NUM": {"LOWER": {"REGEX": number_regex()}},
        "ART": _in(vocab.ARTICLES),
        "FRAC": _in(vocab.FRACTION_WORDS),
        "VAGUE": _in(vocab.VAGUE_AFTER_ARTICLE),
        "SEVERAL": _in(vocab.VAGUE_ALONE),
        "HYPH": {"ORTH": {"IN": sorted(vocab.HYPHENS)}},
        "RANGE": _in(vocab.RANGE_WORDS),
        "AND": _in(("and", "&")),
        "OF": {"LOWER": "of"},
        "DOZEN": {"LOWER": "dozen"},
    }


def number_phrases() -> list[tuple[str, list[Spec]]]:
    """The grammar of a number phrase: ``(kind, token specs)``.

    ``kind`` is ``plain`` (only number tokens: "54", "fifty four", "2-3"), ``article``
    ("a", "an": only before a unit) or ``fraction`` (fractions and vague amounts:
    "half a", "one and a half", "a couple of").
    """
    s = _specs()
    num, art, frac = s["NUM"], s["ART"], s["FRAC"]
    return [
        ("plain", [num]),
        ("plain", [num, num]),
        ("plain", [num, s["HYPH"], num]),
        ("plain", [num, s["RANGE"], num]),
        ("article", [art]),
        ("fraction", [frac]),
        ("fraction", [frac, art]),
        ("fraction", [frac, s["OF"], art]),
        ("fraction", [art, frac]),
        ("fraction", [art, frac, s["OF"], art]),
        ("fraction", [num, frac]),
        ("fraction", [num, frac, s["OF"], art]),
        ("fraction", [num, s["AND"], art, frac]),
        ("fraction", [art, s["AND"], art, frac]),
        ("fraction", [num, num, s["AND"], art, frac]),
        ("fraction", [art, s["VAGUE"]]),
        ("fraction", [art, s["VAGUE"], s["OF"]]),
        ("fraction", [s["SEVERAL"]]),
        ("fraction", [frac, art, s["DOZEN"]]),
    ]


def age_number_phrases() -> list[list[Spec]]:
    """Number phrases that can be an age ("54", "fifty four", "two and a half")."""
    s = _specs()
    num = s["NUM"]
    return [[num], [num, num], [num, s["HYPH"], num], [num, s["AND"], s["ART"], s["FRAC"]]]


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------


def _surface_variants(surface: str) -> list[str]:
    """The surface itself plus a spaced version of hyphenated words ("black eyed peas")."""
    surface = " ".join(surface.lower().split())
    variants = {surface}
    if "-" in surface:
        variants.add(" ".join(surface.replace("-", " ").split()))
    return sorted(v for v in variants if v)


def _token_patterns(label: str, entries: dict[str, str], tokenize: Tokenize) -> list[Pattern]:
    """Token patterns on LOWER for ``surface -> id``: one IN-pattern per id for the
    single-token surfaces, one pattern per multi-token surface."""
    single: dict[str, set[str]] = {}
    multi: set[tuple[str, tuple[str, ...]]] = set()
    for surface, ent_id in entries.items():
        for variant in _surface_variants(surface):
            tokens = tuple(t.lower() for t in tokenize(variant))
            if not tokens:
                continue
            if len(tokens) == 1:
                single.setdefault(ent_id, set()).add(tokens[0])
            else:
                multi.add((ent_id, tokens))
    patterns = [
        {"label": label, "pattern": [_in(words)], "id": ent_id}
        for ent_id, words in sorted(single.items())
    ]
    patterns += [
        {"label": label, "pattern": _seq(tokens), "id": ent_id} for ent_id, tokens in sorted(multi)
    ]
    return patterns


def _unit_token_forms(tokenize: Tokenize) -> tuple[list[str], list[tuple[str, ...]], list[str]]:
    """(single-token unit words, multi-token unit sequences, single-token size words)."""
    sizes = vocab.size_unit_names()
    single: set[str] = set()
    multi: set[tuple[str, ...]] = set()
    size_words: set[str] = set()
    for surface, unit in vocab.unit_surfaces().items():
        for variant in _surface_variants(surface):
            tokens = tuple(t.lower() for t in tokenize(variant))
            if len(tokens) == 1:
                single.add(tokens[0])
                if unit in sizes:
                    size_words.add(tokens[0])
            elif tokens:
                multi.add(tokens)
    return sorted(single), sorted(multi), sorted(size_words)


# ---------------------------------------------------------------------------------------
# ruler patterns
# ---------------------------------------------------------------------------------------


def food_patterns(foods: dict[str, str]) -> tuple[list[Pattern], list[str]]:
    """Phrase patterns for every food surface; returns (patterns, conflicts)."""
    owner: dict[str, str] = {}
    conflicts: list[str] = []
    for surface, key in sorted(foods.items()):
        for variant in _surface_variants(surface):
            if variant in owner and owner[variant] != key:
                conflicts.append(f"food form {variant!r}: {owner[variant]} vs {key}")
                continue
            owner.setdefault(variant, key)
    patterns = [
        {"label": "FOOD", "pattern": surface, "id": key} for surface, key in sorted(owner.items())
    ]
    return patterns, conflicts


def amount_patterns(tokenize: Tokenize) -> list[Pattern]:
    single, multi, size_words = _unit_token_forms(tokenize)
    unit = _in(single)
    size = _in(size_words)
    patterns: list[Pattern] = []
    s = _specs()
    for _kind, phrase in number_phrases():
        n = "N" * len(phrase)
        patterns.append({"label": "AMOUNT", "pattern": [*phrase, unit], "id": n + "U"})
        patterns.append({"label": "AMOUNT", "pattern": [*phrase, size, unit], "id": n + "SU"})
        for tokens in multi:
            patterns.append(
                {
                    "label": "AMOUNT",
                    "pattern": [*phrase, *_seq(tokens)],
                    "id": n + "U" * len(tokens),
                }
            )
    # "a cup and a half", "2 cups and a half"
    for head in ([s["ART"]], [s["NUM"]]):
        patterns.append(
            {
                "label": "AMOUNT",
                "pattern": [*head, unit, s["AND"], s["ART"], s["FRAC"]],
                "id": "NUNNN",
            }
        )
    return patterns


def age_patterns() -> list[Pattern]:
    patterns: list[Pattern] = []
    for phrase in age_number_phrases():
        n = "N" * len(phrase)
        for after in vocab.AGE_YEARS_AFTER:
            patterns.append(
                {
                    "label": "AGE",
                    "pattern": [*phrase, *_seq(after)],
                    "id": f"years:{n}{'W' * len(after)}",
                }
            )
        for after in vocab.AGE_MONTHS_AFTER:
            patterns.append(
                {
                    "label": "AGE",
                    "pattern": [*phrase, *_seq(after)],
                    "id": f"months:{n}{'W' * len(after)}",
                }
            )
        for before in vocab.AGE_BEFORE:
            patterns.append(
                {
                    "label": "AGE",
                    "pattern": [*_seq(before), *phrase],
                    "id": f"years:{'W' * len(before)}{n}",
                }
            )
    # decades: "in my fifties", "in her early 60s", "in my mid-forties"
    lead = [{"LOWER": "in"}, _in(vocab.DECADE_POSSESSIVES)]
    decade_word = _in(vocab.DECADE_WORDS)
    decade_number = [
        {"LOWER": {"IN": [str(v) for v in range(10, 100, 10)]}},
        _in(vocab.DECADE_SUFFIXES),
    ]
    modifier = _in(vocab.DECADE_MODIFIERS)
    hyph = {"ORTH": {"IN": sorted(vocab.HYPHENS)}}
    for decade, droles in (([decade_word], "D"), (decade_number, "DW")):
        for mod, mroles in (([], ""), ([modifier], "M"), ([modifier, hyph], "MW")):
            patterns.append(
                {
                    "label": "AGE",
                    "pattern": [*lead, *mod, *decade],
                    "id": f"decade:WW{mroles}{droles}",
                }
            )
    return patterns


def sex_patterns(tokenize: Tokenize) -> list[Pattern]:
    entries = {w: sex for sex, words in vocab.SEX_WORDS.items() for w in words}
    for sex, phrases in vocab.SEX_PHRASES.items():
        entries.update({" ".join(p): sex for p in phrases})
    return _token_patterns("SEX", entries, tokenize)


def _phrase_table_patterns(
    label: str, table: dict[str, tuple[tuple[str, ...], ...]]
) -> list[Pattern]:
    single: dict[str, set[str]] = {}
    multi: set[tuple[str, tuple[str, ...]]] = set()
    for ent_id, phrases in table.items():
        for phrase in phrases:
            if len(phrase) == 1:
                single.setdefault(ent_id, set()).add(phrase[0])
            else:
                multi.add((ent_id, phrase))
    patterns = [
        {"label": label, "pattern": [_in(words)], "id": ent_id}
        for ent_id, words in sorted(single.items())
    ]
    patterns += [
        {"label": label, "pattern": _seq(tokens), "id": ent_id} for ent_id, tokens in sorted(multi)
    ]
    return patterns


def block_patterns() -> list[Pattern]:
    return [
        {"label": "BLOCK", "pattern": _seq(p), "id": "block"}
        for p in sorted(set(vocab.BLOCK_PHRASES))
    ]


def _optional(source: Callable[[], Any], what: str, problems: list[str]) -> Any:
    try:
        return source()
    except ImportError as error:  # the core module has not landed yet
        problems.append(f"{what}: not available ({error}); no {what} patterns built")
        return {}


def ruler_patterns(tokenize: Tokenize) -> tuple[list[Pattern], list[str]]:
    """All entity-ruler patterns, sorted; also returns a list of data problems found."""
    problems: list[str] = []
    foods = _optional(vocab.food_surfaces, "foods", problems)
    supplements = _optional(vocab.supplement_surfaces, "supplement forms", problems)
    medications = _optional(vocab.medication_surfaces, "medications", problems)

    food, conflicts = food_patterns(foods)
    problems += conflicts
    patterns: list[Pattern] = []
    patterns += food
    patterns += amount_patterns(tokenize)
    patterns += age_patterns()
    patterns += sex_patterns(tokenize)
    patterns += _phrase_table_patterns("LIFE_STAGE", vocab.LIFE_STAGE_PHRASES)
    patterns += _phrase_table_patterns("NUTRIENT", vocab.NUTRIENT_WORDS)
    patterns += _token_patterns("SUPPLEMENT_FORM", supplements, tokenize)
    patterns += _token_patterns(
        "MEDICATION", {s: f"{drug}|{cls}" for s, (drug, cls) in medications.items()}, tokenize
    )
    patterns += block_patterns()
    return sort_patterns(patterns), problems


def sort_patterns(patterns: list[Pattern]) -> list[Pattern]:
    return sorted(patterns, key=lambda p: (p["label"], p.get("id", ""), dumps(p["pattern"])))


def dumps(obj: Any) -> str:
    """Canonical JSON (sorted keys, no spaces): the form written to pattern files."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# ---------------------------------------------------------------------------------------
# context data for the nlu_context_entities component
# ---------------------------------------------------------------------------------------


def context_data(tokenize: Tokenize) -> dict[str, Any]:
    """Everything the ``nlu_context_entities`` component needs (JSON-serialisable)."""
    single_units, _multi_units, size_words = _unit_token_forms(tokenize)
    context: list[Pattern] = []
    for before in vocab.AGE_CONTEXT_BEFORE:
        for phrase in age_number_phrases():
            roles = "C" * len(before) + "N" * len(phrase)
            context.append(
                {"label": "AGE", "pattern": [*_seq(before), *phrase], "id": f"years:{roles}"}
            )
            context.append(
                {
                    "label": "AGE",
                    "pattern": [*_seq(before), *phrase, _in(("years", "yrs"))],
                    "id": f"years:{roles}W",
                }
            )
    context.append(
        {
            "label": "LIFE_STAGE",
            "pattern": [_in(vocab.EXPECTING_CONTEXT_BEFORE), {"LOWER": "expecting"}],
            "id": "pregnant:CW",
        }
    )
    numbers = [
        {"label": "NUMBER", "pattern": phrase, "id": f"{kind}:{'N' * len(phrase)}"}
        for kind, phrase in number_phrases()
        if kind != "article"
    ]
    unit_surface_tokens = set(single_units)
    return {
        "context_patterns": sort_patterns(context),
        "number_patterns": sort_patterns(numbers),
        "not_age_next": sorted(set(vocab.NOT_AGE_NEXT) | unit_surface_tokens),
        "needs_food_units": sorted(set(size_words) | {"whole", "each", "item", "items"}),
        "sex_letters": dict(sorted(vocab.SEX_LETTERS.items())),
        "expecting_next_ok": sorted(vocab.EXPECTING_NEXT_OK),
        "expecting_next_a_ok": sorted(vocab.EXPECTING_NEXT_A_OK),
        "age_years_min": vocab.AGE_YEARS_MIN,
        "age_years_max": vocab.AGE_YEARS_MAX,
    }
