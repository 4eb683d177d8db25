"""Turn the entities of a pipeline ``Doc`` into normalised, Rasa-style entity dicts.

Value format per entity type (``start``/``end`` are character offsets into the text the
``Doc`` was made from; numbers are floats):

==================  ======================================================================
entity              dict (besides ``entity``, ``start``, ``end``)
==================  ======================================================================
``food``            ``value``: food key from the food table (``"pumpkin_seeds"``)
``amount``          ``value``: number; ``unit``: canonical unit from
                    ``nutrition.units`` (``"cup"``, ``"mg"``, ``"slice"``; a bare
                    count before a food, "2 bananas", has ``"piece"``); for a dose of a
                    nutrient ("1200 mg calcium", "magnesium citrate 200 mg") also
                    ``role``: ``calcium`` | ``magnesium`` | ``vitamin_d`` | ``vitamin_k`` |
                    ``zinc`` | ``potassium``; and ``group`` (see below)
``age``             ``value``: number; ``unit``: ``"years"`` or ``"months"``; decades
                    ("in my fifties") give the middle of the range (55.0, "early" +2,
                    "mid" +5, "late" +8) and ``approximate``: ``True``
``sex``             ``value``: ``"female"`` | ``"male"``
``life_stage``      ``value``: ``"pregnant"`` | ``"lactating"`` | ``"postmenopausal"`` |
                    ``"premenopausal"`` | ``"perimenopausal"``
``supplement_form`` ``value``: form key from ``supplement_forms.yml`` (``"oxide"``,
                    ``"bisglycinate"`` for glycinate, ``"sulfate"`` for Epsom salt)
``nutrient``        ``value``: ``"magnesium"`` | ``"calcium"`` | ``"vitamin_d"`` (from
                    ``nutrition/data/nutrients.yml``): a nutrient the message names ("how
                    much *calcium*", "vit d", "cholecalciferol"); other nutrients (zinc,
                    vitamin K, potassium) only give a dose its role
``medication``      ``value``: drug key (``"alendronate"``) or, when only a class is named,
                    the class key; ``role``: the class key from ``interactions.yml``
                    (``"bisphosphonates"``, ``"proton_pump_inhibitors"``, ...)
==================  ======================================================================

An amount directly followed by the food it measures ("2 slices of whole wheat bread") and
that food get the same ``group`` ("1", "2", ... in text order), so a diary line can be
paired up; other entities have no ``group``.

A dose gets its role from a nutrient (or a magnesium supplement form) right after it
("400 mg of magnesium", "500 mg tablet of magnesium oxide") or right before it
("calcium: 1,200 mg"); a nutrient gives its role to one dose only. Only dose units
(mass: mcg, mg, g, kg, oz, lb; and IU) get a role.

Not returned: entities the user denies ("not pregnant" gives no life_stage), NUTRIENT spans
of nutrients outside ``nutrition/data/nutrients.yml``, and the BLOCK spans of the pipeline
(used here only). An entity whose number cannot be read (``parse_number`` says ``None``)
is left out rather than guessed.
"""

from __future__ import annotations

import logging
from typing import Any

from spacy.tokens import Doc, Span

from nlu import vocab_person
from nutrition.nutrients import known_nutrient
from nutrition.quantities import parse_number
from nutrition.units import UNIT_SYNONYMS, canonical_unit, is_dose_unit

logger = logging.getLogger(__name__)

ENTITY_NAMES = {
    "FOOD": "food",
    "AMOUNT": "amount",
    "AGE": "age",
    "SEX": "sex",
    "LIFE_STAGE": "life_stage",
    "SUPPLEMENT_FORM": "supplement_form",
    "MEDICATION": "medication",
    "NUTRIENT": "nutrient",
    "DIET": "diet",
}

#: Tokens allowed between a dose and the nutrient after it ("100 mg of elemental magnesium").
_AFTER_GAP = frozenset(
    {"of", "elemental", "supplemental", "tablet", "tablets", "capsule", "capsules", "pill", "pills"}
)
#: Tokens allowed between a nutrient and the dose after it ("calcium: 1,200 mg").
_BEFORE_GAP = frozenset(
    {":", ",", "-", "=", "(", "at", "is", "was", "supplement", "supplements", "dose", "intake"}
)
#: Tokens allowed between an amount and its food ("2 slices of bread").
_FOOD_GAP = frozenset({"of", "the"})

_DECADE_END_OFFSET = 10.0


def _text(tokens: list[Any]) -> str:
    return "".join(t.text_with_ws for t in tokens).strip()


def _ent_id(doc: Doc, ent: Span) -> str:
    return doc[ent.start].ent_id_


def _amount(doc: Doc, ent: Span) -> dict[str, Any] | None:
    roles = _ent_id(doc, ent)
    tokens = list(ent)
    if len(roles) != len(tokens):
        return None
    numbers = [t for t, r in zip(tokens, roles) if r == "N"]
    unit_tokens = [t for t, r in zip(tokens, roles) if r == "U"]
    unit = canonical_unit(_text(unit_tokens)) if unit_tokens else "piece"
    if unit is None or not numbers:
        return None
    value = parse_number(_text(numbers))
    start = ent.start_char
    if value is None and len(numbers) > 1 and numbers[-1].i == numbers[-2].i + 1:
        # "one 500 mg tablet", "take 2 400 mg": the last number alone is the amount
        value = parse_number(numbers[-1].text)
        start = numbers[-1].idx
    if value is None:
        return None
    return {"start": start, "value": value, "unit": unit}


def _age(doc: Doc, ent: Span) -> dict[str, Any] | None:
    kind, _, roles = _ent_id(doc, ent).partition(":")
    tokens = list(ent)
    if len(roles) != len(tokens):
        return None
    if kind == "decade":
        decade_tokens = [t.lower_ for t, r in zip(tokens, roles) if r == "D"]
        modifier = [t.lower_ for t, r in zip(tokens, roles) if r == "M"]
        word = decade_tokens[0] if decade_tokens else ""
        if word in vocab_person.DECADE_WORDS:
            first = float(vocab_person.DECADE_WORDS[word])
        else:
            number = parse_number(word)
            if number is None:
                return None
            first = number
        # a decade runs from its first year up to (not including) the next decade
        last = 20.0 if word == "teens" else first + _DECADE_END_OFFSET
        if modifier and modifier[0] in vocab_person.DECADE_MODIFIERS and word != "teens":
            value = first + vocab_person.DECADE_MODIFIERS[modifier[0]]
        else:
            value = (first + last) / 2
        return {"value": float(value), "unit": "years", "approximate": True}
    value = parse_number(_text([t for t, r in zip(tokens, roles) if r == "N"]))
    if value is None or value <= 0:
        return None
    unit = "months" if kind == "months" else "years"
    limit = 12 * vocab_person.AGE_YEARS_MAX if unit == "months" else vocab_person.AGE_YEARS_MAX
    if value > limit:
        return None
    return {"value": value, "unit": unit}


def _gap(doc: Doc, start: int, end: int) -> list[str]:
    return [doc[i].lower_ for i in range(start, end)]


def _dose_roles(doc: Doc, ents: list[Span], results: dict[int, dict[str, Any]]) -> None:
    """Give mass amounts the nutrient they are a dose of (see module docstring)."""
    def nutrient_of(ent: Span) -> str | None:
        if ent.label_ == "NUTRIENT":
            return None if _contraction_stem(doc, ent) else _ent_id(doc, ent)
        if ent.label_ == "SUPPLEMENT_FORM":
            return "magnesium"
        return None

    used: set[int] = set()
    for index, ent in enumerate(ents):
        result = results.get(index)
        if ent.label_ != "AMOUNT" or result is None or not is_dose_unit(result.get("unit")):
            continue
        chosen = None
        if index > 0 and index - 1 not in used:
            before = ents[index - 1]
            if nutrient_of(before) and set(_gap(doc, before.end, ent.start)) <= _BEFORE_GAP:
                chosen = index - 1
        if chosen is None and index + 1 < len(ents):
            after = ents[index + 1]
            if nutrient_of(after) and set(_gap(doc, ent.end, after.start)) <= _AFTER_GAP:
                chosen = index + 1
        if chosen is not None:
            used.add(chosen)
            result["role"] = nutrient_of(ents[chosen])


def _abbreviation(token: Any) -> bool:
    """True for a unit written as an abbreviation with a full stop ("Tbsp." "oz.")."""
    return not token.whitespace_ and f"{token.lower_}." in UNIT_SYNONYMS


def _groups(doc: Doc, ents: list[Span], results: dict[int, dict[str, Any]]) -> None:
    group = 0
    for index, ent in enumerate(ents[:-1]):
        nxt = ents[index + 1]
        if ent.label_ != "AMOUNT" or nxt.label_ != "FOOD":
            continue
        if index not in results or index + 1 not in results or "role" in results[index]:
            continue
        gap = _gap(doc, ent.end, nxt.start)
        if gap[:1] == ["."] and _abbreviation(doc[ent.end - 1]):
            gap = gap[1:]  # "3 Tbsp. peanut butter": the abbreviation's full stop
        if set(gap) <= _FOOD_GAP:
            group += 1
            results[index]["group"] = str(group)
            results[index + 1]["group"] = str(group)


def _fields(doc: Doc, ent: Span, label: str) -> dict[str, Any] | None:
    ent_id = _ent_id(doc, ent)
    if label == "AMOUNT":
        return _amount(doc, ent)
    if label == "AGE":
        return _age(doc, ent)
    if label == "MEDICATION":
        drug, _, drug_class = ent_id.partition("|")
        return {"value": drug, "role": drug_class or drug}
    if label == "NUTRIENT":
        if _contraction_stem(doc, ent):
            return None  # "ca" of "can't" is not calcium
        # only the nutrients the assistant answers about; the others give doses roles only
        nutrient = known_nutrient(ent_id)
        return {"value": nutrient} if nutrient else None
    return {"value": ent_id.partition(":")[0]} if ent_id else None


# The second half of a contraction the tokenizer splits off ("ca" + "n't" of "can't").
_CONTRACTION_TAILS = {"n't", "n’t", "nt"}


def _contraction_stem(doc: Doc, ent: Span) -> bool:
    """Whether ``ent`` is the first half of a contraction: it runs straight into "n't"."""
    last = doc[ent.end - 1]
    return (ent.end < len(doc) and not last.whitespace_
            and doc[ent.end].lower_ in _CONTRACTION_TAILS)


def entities_from_doc(doc: Doc) -> list[dict[str, Any]]:
    """Normalised entity dicts for the entities of ``doc`` (never raises)."""
    try:
        return _entities(doc)
    except Exception:  # noqa: BLE001 - bad input gets no entities, never a crash
        logger.exception("entity normalisation failed")
        return []


def _entities(doc: Doc) -> list[dict[str, Any]]:
    ents = list(doc.ents)
    results: dict[int, dict[str, Any]] = {}
    for index, ent in enumerate(ents):
        label = ent.label_
        if label not in ENTITY_NAMES:
            continue
        try:
            fields = _fields(doc, ent, label)
        except Exception:  # noqa: BLE001 - one odd entity must not cost the others
            logger.exception("could not normalise a %s entity", label)
            fields = None
        if fields is None:
            continue
        results[index] = {
            "entity": ENTITY_NAMES[label],
            "start": ent.start_char,
            "end": ent.end_char,
            **fields,
        }
    _dose_roles(doc, ents, results)
    _groups(doc, ents, results)
    return [results[i] for i in sorted(results)]
