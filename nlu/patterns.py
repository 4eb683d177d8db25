"""Generate the entity patterns, deterministically, from the project's data.

Three pattern sets are produced (the first two here):

* **word patterns** for the ``entity_ruler`` (phrase matching on LOWER plus token patterns):
  SUPPLEMENT_FORM, MEDICATION, SEX, LIFE_STAGE, NUTRIENT and DIET names as phrase patterns,
  BLOCK phrases for known false friends ("nursing home", "oh man"), and token patterns for
  AMOUNT ("half a cup", "1,200 mg", "two slices") and AGE ("54 years old", "aged 54",
  "in my fifties", "8 months old");
* **food patterns** for the ``food_ruler`` (phrase matching on LEMMA, so "almonds",
  "Almond" and "pumpkin seed" all hit): every food name, synonym and plural, plus a spaced
  version of hyphenated names ("black eyed peas");
* **context data** for the custom ``nlu_context_entities`` component, built in
  :mod:`nlu.context_patterns` from the number phrases and unit forms made here.

Entity ids carry what the normaliser needs:

* FOOD ``<food key>``; SEX ``female|male``; LIFE_STAGE ``<stage>``;
  SUPPLEMENT_FORM ``<form key>``; MEDICATION ``<drug key>|<class key>``;
  NUTRIENT ``<nutrient>``; DIET ``<restriction>|<category>|dislike``; BLOCK ``block``;
* AMOUNT ``<roles>`` and AGE ``<kind>:<roles>`` where ``roles`` has one letter per token:
  ``N`` number, ``U`` unit, ``S`` size word ignored before a unit, ``W`` other word in the
  entity, ``M`` decade modifier (early/mid/late), ``D`` decade; context patterns also use
  ``C`` for context tokens that stay outside the entity.

Speed note: spaCy's Matcher tries every token pattern at every token, and each distinct
``IN``/``REGEX`` test on a pattern's first token is a Python call per token. So names go to
phrase matchers (hashed), token patterns are few, and they start with a literal word or the
one shared number test; ``IN`` lists appear only after the first token.

Everything is sorted, so the same inputs always give byte-identical pattern files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from nlu import vocab, vocab_core, vocab_person

Tokenize = Callable[[str], list[str]]
Spec = dict[str, Any]
Pattern = dict[str, Any]
Words = tuple[str | tuple[str, ...], ...]

VULGAR_FRACTIONS = (
    "\u00bc\u00bd\u00be\u2150\u2151\u2152\u2153\u2154\u2155\u2156\u2157\u2158\u2159"
    "\u215a\u215b\u215c\u215d\u215e"
)


# ---------------------------------------------------------------------------------------
# token specs
# ---------------------------------------------------------------------------------------


def number_regex() -> str:
    """Regex (on LOWER) for one number token: digits, fractions, "½", number words."""
    words = "|".join(re.escape(w) for w in vocab_core.number_words())
    return (
        r"^(?:\d+(?:[.,]\d+)*|\.\d+|\d+/\d+|\d*[" + VULGAR_FRACTIONS + r"]" r"|(?:" + words + r"))$"
    )


def _in(words: Iterable[str]) -> Spec:
    values = sorted(set(words))
    if len(values) == 1:
        return {"LOWER": values[0]}
    return {"LOWER": {"IN": values}}


def _seq(words: Words) -> list[Spec]:
    """Specs for a word sequence; a tuple in a position means any of its words."""
    return [{"LOWER": w} if isinstance(w, str) else _in(w) for w in words]


#: Vulgar fractions that may start an amount on their own ("½ cup").
COMMON_VULGAR_FRACTIONS = "\u00bd\u00bc\u00be\u2153\u2154\u215b"


def _specs() -> dict[str, Spec]:
    return {
        # a number as the first token of a pattern: spaCy's LIKE_NUM flag is checked in C
        # (digits, "1,200", "1.5", "1/2", number words; ordinals and "million" too, which
        # the normaliser then rejects because parse_number cannot read them)
        "NUM1": {"LIKE_NUM": True},
        # a number later in a pattern: the core's number words, "½", ".5" (a Python test,
        # but only run where the pattern got that far)
        "NUM": {"LOWER": {"REGEX": number_regex()}},
        "ART": _in(vocab.ARTICLES),
        "FRAC": _in(vocab.FRACTION_WORDS),
        "VAGUE": _in(vocab.VAGUE_AFTER_ARTICLE),
        "SEVERAL": _in(vocab.VAGUE_ALONE),
        "HYPH": _in(vocab.HYPHENS),
        "RANGE": _in(vocab.RANGE_WORDS),
        "AND": _in(("and", "&")),
        "OF": {"LOWER": "of"},
        "DOZEN": {"LOWER": "dozen"},
    }


def number_phrases() -> list[tuple[str, list[Spec]]]:
    """The grammar of a number phrase: ``(kind, token specs)``.

    ``kind`` is ``plain`` (only number tokens: "54", "fifty four", "2-3", "½"),
    ``numfrac`` (a number, then a fraction: "two and a half", "three quarters"),
    ``article`` ("a", "an": only before a unit) or ``fraction`` (other fractions and vague
    amounts: "half a", "a quarter", "a couple of", "several").
    """
    s = _specs()
    n1, num, art, frac = s["NUM1"], s["NUM"], s["ART"], s["FRAC"]
    phrases = [
        ("plain", [n1]),
        ("plain", [n1, num]),
        ("plain", [n1, s["HYPH"], num]),
        ("plain", [n1, s["RANGE"], num]),
        ("plain", [{"ORTH": {"IN": sorted(COMMON_VULGAR_FRACTIONS)}}]),
        ("article", [art]),
        ("fraction", [frac]),
        ("fraction", [frac, art]),
        ("fraction", [frac, s["OF"], art]),
        ("fraction", [art, frac]),
        ("fraction", [art, frac, s["OF"], art]),
        ("numfrac", [n1, art]),  # "1/2 a cup", "1/2 an avocado"
        ("numfrac", [n1, frac]),
        ("numfrac", [n1, frac, s["OF"], art]),
        ("numfrac", [n1, s["AND"], art, frac]),
        ("numfrac", [n1, num, s["AND"], art, frac]),
        ("fraction", [art, s["VAGUE"]]),
        ("fraction", [art, s["VAGUE"], s["OF"]]),
        ("fraction", [s["SEVERAL"]]),
        ("fraction", [frac, art, s["DOZEN"]]),
    ]
    return [(kind, phrase) for kind, phrase in phrases]


def age_number_phrases() -> list[list[Spec]]:
    """Number phrases that can be an age ("54", "fifty four", "two and a half")."""
    s = _specs()
    n1, num = s["NUM1"], s["NUM"]
    return [[n1], [n1, num], [n1, s["HYPH"], num]]


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


def _phrases(label: str, entries: dict[str, str]) -> list[Pattern]:
    """Phrase patterns (strings) for ``surface -> id``, with hyphen variants."""
    seen: dict[str, str] = {}
    for surface, ent_id in sorted(entries.items()):
        for variant in _surface_variants(surface):
            seen.setdefault(variant, ent_id)
    return [
        {"label": label, "pattern": text, "id": ent_id} for text, ent_id in sorted(seen.items())
    ]


def _table_phrases(label: str, table: dict[str, tuple[tuple[str, ...], ...]]) -> list[Pattern]:
    return _phrases(label, {" ".join(p): ent_id for ent_id, ps in table.items() for p in ps})


def unit_token_forms(tokenize: Tokenize) -> tuple[list[str], list[tuple[str, ...]], list[str]]:
    """(single-token unit words, multi-token unit sequences, size words).

    A trailing full stop ("oz.") is left out: it stays outside the entity.
    """
    sizes = vocab_core.size_unit_names()
    single: set[str] = set()
    multi: set[tuple[str, ...]] = set()
    size_words: set[str] = set()
    for surface, unit in vocab_core.unit_surfaces().items():
        for variant in _surface_variants(surface):
            tokens = [t.lower() for t in tokenize(variant)]
            while len(tokens) > 1 and tokens[-1] == ".":
                tokens.pop()
            if len(tokens) == 1:
                single.add(tokens[0])
                if unit in sizes:
                    size_words.add(tokens[0])
            elif tokens:
                multi.add(tuple(tokens))
    return sorted(single), sorted(multi), sorted(size_words)


def _by_length(seqs: list[tuple[str, ...]]) -> list[tuple[tuple[str, ...], ...]]:
    """Group sequences of equal length into position-wise word sets (for IN specs)."""
    groups: dict[int, list[set[str]]] = {}
    for seq in seqs:
        positions = groups.setdefault(len(seq), [set() for _ in seq])
        for i, word in enumerate(seq):
            positions[i].add(word)
    return [tuple(tuple(sorted(p)) for p in groups[n]) for n in sorted(groups)]


# ---------------------------------------------------------------------------------------
# patterns
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
    """AMOUNT: a number phrase, then a unit ("2 cups", "half a cup", "a large glass")."""
    single, multi, size_words = unit_token_forms(tokenize)
    unit = _in(single)
    size = _in(size_words)
    multi_groups = _by_length(multi)  # validated by canonical_unit() when normalising
    patterns: list[Pattern] = []
    s = _specs()
    for kind, phrase in number_phrases():
        n = "N" * len(phrase)
        patterns.append({"label": "AMOUNT", "pattern": [*phrase, unit], "id": n + "U"})
        patterns.append({"label": "AMOUNT", "pattern": [*phrase, size, unit], "id": n + "SU"})
        if kind in ("plain", "article"):  # "8 fl oz", "an extra large egg"; kept few: speed
            for group in multi_groups:
                patterns.append(
                    {
                        "label": "AMOUNT",
                        "pattern": [*phrase, *_seq(group)],
                        "id": n + "U" * len(group),
                    }
                )
    # "a cup and a half", "2 cups and a half"
    for head in (s["ART"], s["NUM1"]):
        patterns.append(
            {
                "label": "AMOUNT",
                "pattern": [head, unit, s["AND"], s["ART"], s["FRAC"]],
                "id": "NUNNN",
            }
        )
    return patterns


def age_patterns() -> list[Pattern]:
    """AGE: "54 years old", "54-year-old", "54 yo", "aged 54", "8 months old", decades."""
    patterns: list[Pattern] = []

    def add(specs: list[Spec], ent_id: str) -> None:
        patterns.append({"label": "AGE", "pattern": specs, "id": ent_id})

    for phrase in age_number_phrases():
        n = "N" * len(phrase)
        for after in vocab_person.AGE_YEARS_AFTER:
            add([*phrase, *_seq(after)], f"years:{n}{'W' * len(after)}")
        for after in vocab_person.AGE_MONTHS_AFTER:
            add([*phrase, *_seq(after)], f"months:{n}{'W' * len(after)}")
        for before in vocab_person.AGE_BEFORE:
            add([*_seq(before), *phrase], f"years:{'W' * len(before)}{n}")
    # decades: "in my fifties", "in her early 60s", "in my mid-forties"
    lead = [{"LOWER": "in"}, _in(vocab_person.DECADE_POSSESSIVES)]
    decade_word = [_in(vocab_person.DECADE_WORDS)]
    decade_number = [_in(str(v) for v in range(10, 100, 10)), _in(vocab_person.DECADE_SUFFIXES)]
    modifier = _in(vocab_person.DECADE_MODIFIERS)
    for decade, droles in ((decade_word, "D"), (decade_number, "DW")):
        for mod, mroles in (([], ""), ([modifier], "M"), ([modifier, _in(vocab.HYPHENS)], "MW")):
            add([*lead, *mod, *decade], f"decade:WW{mroles}{droles}")
    return patterns


def block_patterns() -> list[Pattern]:
    return [
        {"label": "BLOCK", "pattern": " ".join(p), "id": "block"}
        for p in sorted(set(vocab.BLOCK_PHRASES))
    ]


def _optional(source: Callable[[], Any], what: str, problems: list[str]) -> Any:
    try:
        return source()
    except ImportError as error:  # the core module has not landed yet
        problems.append(f"{what}: not available ({error}); no {what} patterns built")
        return {}


def word_patterns(tokenize: Tokenize) -> tuple[list[Pattern], list[str]]:
    """Patterns of the ``entity_ruler`` (everything but foods), sorted; plus problems."""
    problems: list[str] = []
    supplements = _optional(vocab_core.supplement_surfaces, "supplement forms", problems)
    medications = _optional(vocab_core.medication_surfaces, "medications", problems)
    sexes = {w: sex for sex, words in vocab_person.SEX_WORDS.items() for w in words}
    sexes.update({" ".join(p): sex for sex, ps in vocab_person.SEX_PHRASES.items() for p in ps})

    patterns: list[Pattern] = []
    patterns += amount_patterns(tokenize)
    patterns += age_patterns()
    patterns += _phrases("SEX", sexes)
    patterns += _table_phrases("LIFE_STAGE", vocab_person.LIFE_STAGE_PHRASES)
    patterns += _table_phrases("NUTRIENT", vocab_core.nutrient_surfaces())
    patterns += _table_phrases("NUTRIENT", vocab.OTHER_NUTRIENT_WORDS)
    patterns += _phrases("DIET", vocab_core.diet_surfaces())
    patterns += _phrases("SUPPLEMENT_FORM", supplements)
    patterns += _phrases(
        "MEDICATION", {s: f"{drug}|{cls}" for s, (drug, cls) in medications.items()}
    )
    patterns += block_patterns()
    patterns += _foods_sharing_words(patterns)
    # one surface with two meanings would make the result depend on match order
    owners: dict[str, str] = {}
    for p in patterns:
        if isinstance(p["pattern"], str):
            label = f"{p['label']}:{p['id']}"
            if owners.setdefault(p["pattern"], label) != label:
                problems.append(f"{p['pattern']!r} is both {owners[p['pattern']]} and {label}")
    return sort_patterns(patterns), problems


def _foods_sharing_words(word_patterns: list[Pattern]) -> list[Pattern]:
    """Food names that contain a word the word patterns also use ("whole wheat tortilla",
    "large eggs", "ladies fingers", "calcium fortified orange juice").

    The word ruler runs before the food ruler, so "2 whole" (an amount) would otherwise
    take "whole" away from "2 whole wheat tortillas". Copied into the word ruler, such a
    food competes on length there, and the longer match wins.
    """
    words: set[str] = set(vocab_core.unit_surfaces()) | set(vocab.FRACTION_WORDS)
    words |= set(vocab_core.number_words())
    for pattern in word_patterns:
        if isinstance(pattern["pattern"], str) and pattern["label"] != "BLOCK":
            words.update(pattern["pattern"].split())
    foods, _problems = all_food_patterns()
    return [
        p
        for p in foods
        if len(p["pattern"].split()) > 1
        and words.intersection(p["pattern"].replace("-", " ").split())
    ]


def all_food_patterns() -> tuple[list[Pattern], list[str]]:
    """Patterns of the ``food_ruler``, sorted; plus problems (missing table, conflicts)."""
    problems: list[str] = []
    foods = _optional(vocab_core.food_surfaces, "foods", problems)
    patterns, conflicts = food_patterns(foods)
    return sort_patterns(patterns), problems + conflicts


def sort_patterns(patterns: list[Pattern]) -> list[Pattern]:
    return sorted(patterns, key=lambda p: (p["label"], p.get("id", ""), dumps(p["pattern"])))


def dumps(obj: Any) -> str:
    """Canonical JSON (sorted keys, no spaces): the form written to pattern files."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
