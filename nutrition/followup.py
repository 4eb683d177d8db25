"""Follow-up questions that lean on the last answer: another amount ("and 2 ounces?"),
another food ("what about walnuts?"), another age, sex, life stage or person ("and at
16?", "what about for a man?", "and if she were breastfeeding?", "what about me?"),
"is that a lot?", "where is that from?" and "more foods like that".

:func:`resolve` turns what the follow-up says and what the last answer was about
(:class:`LastAnswer`, kept in the conversation's slots) into one :class:`Resolution`: what to
answer, or which question to ask back when there is nothing to refer to (never a guess).
Pure: no chat framework, no wording; the callers answer with the same core functions as a
first question would.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from .data_files import load
from .nutrients import DEFAULT_NUTRIENT, known_nutrient
from .people import SELF, Facts, Subject, words

#: Kinds of answer a follow-up can lean on (the ``last_answer_kind`` slot).
ANSWER_KINDS = ("food", "intake", "rich_foods", "diary", "ratio", "supplement", "topic", "menu",
                "gap")
#: What a follow-up asks for besides "the same again, changed".
ASKS = ("is_that_a_lot", "source", "more")
# Opening words of a message that leans on the one before ("and spinach?").
_FOLLOWUP_OPENINGS = (("and",), ("what", "about"), ("how", "about"), ("what", "if"),
                      ("and", "what", "about"), ("and", "how", "about"), ("what", "of"))
# Words that make a change hypothetical ("and if she were breastfeeding?", "and at 16?").
_HYPOTHETICAL = frozenset({"if", "were", "was", "at", "would", "suppose", "say"})


@dataclass(frozen=True)
class LastAnswer:
    """What the last answer was about, as kept in the slots."""

    kind: str | None = None
    food: str | None = None
    amount: float | None = None
    unit: str | None = None
    person: str | None = None  # SELF or a label of ``people``; None: nobody in particular
    category: str | None = None  # rich foods: the category shown (None: all)
    shown: tuple[str, ...] = ()  # rich foods: the food keys already shown
    topic: str | None = None  # topic answers: the intent answered
    figure_mg: float | None = None  # the last figure in mg (a food's or a day's total)
    # the nutrient a food or intake answer was about (None: magnesium, as before)
    nutrient: str | None = None

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> LastAnswer:
        kind = slots.get("last_answer_kind")
        amount = slots.get("last_amount")
        figure = slots.get("last_figure_mg")
        shown = slots.get("last_shown")
        return cls(
            kind=kind if kind in ANSWER_KINDS else None,
            food=_text(slots.get("last_food")),
            amount=_float(amount),
            unit=_text(slots.get("last_unit")),
            person=_text(slots.get("last_person")),
            category=_text(slots.get("last_category")),
            shown=tuple(str(k) for k in shown) if isinstance(shown, list | tuple) else (),
            topic=_text(slots.get("last_topic")),
            figure_mg=_float(figure),
            nutrient=known_nutrient(slots.get("last_nutrient")),
        )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _float(value: object) -> float | None:
    """A finite number kept in a slot, else ``None``."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value == value:
        return float(value)
    return None


@dataclass(frozen=True)
class Said:
    """What the follow-up message carries."""

    foods: tuple[str, ...] = ()
    amount: float | None = None
    unit: str | None = None
    facts: Facts = Facts()
    subject: Subject = Subject("none")
    ask: str | None = None  # one of ASKS, or None: "the same again, changed"
    nutrient: str | None = None  # the nutrient the message names ("and vitamin D?")


Kind = Literal["food", "intake", "is_that_a_lot", "source", "more", "clarify"]


@dataclass(frozen=True)
class Resolution:
    """What to answer. ``kind``:

    * "food": magnesium in ``food`` (``amount``/``unit``; ``None``: a typical serving);
    * "intake": the reference intake of ``person`` changed by ``facts`` (``hypothetical``:
      the change is not kept for that person);
    * "is_that_a_lot", "source", "more": about the last answer (``last``);
    * "clarify": nothing to refer to; ``question`` names what to ask ("what", "which_food",
      "who").

    ``person`` is whom the answer is for: SELF, a label of ``people``, or the subject the
    message named.
    """

    kind: Kind
    last: LastAnswer
    food: str | None = None
    amount: float | None = None
    unit: str | None = None
    person: str | None = None
    facts: Facts = Facts()
    hypothetical: bool = False
    question: str | None = None
    # the nutrient to answer about: the one the message names, else the last answer's
    nutrient: str = DEFAULT_NUTRIENT


def is_followup_wording(text: str) -> bool:
    """True when the message opens like a follow-up ("and ...", "what about ...")."""
    tokens = words(text)
    return any(tuple(tokens[: len(opening)]) == opening for opening in _FOLLOWUP_OPENINGS)


def hypothetical(text: str) -> bool:
    """True when the message asks "what if" rather than states ("and at 16?")."""
    return any(token in _HYPOTHETICAL for token in words(text))


def carried_amount(text: str, has_amount: bool, last: LastAnswer) -> tuple[float, str] | None:
    """The last answer's amount for a follow-up that names only another food ("what about
    walnuts?" after "1 oz of cashews"), else ``None``."""
    if has_amount or last.kind != "food" or last.amount is None or last.unit is None:
        return None
    if not is_followup_wording(text):
        return None
    return last.amount, last.unit


def _person(said: Said, last: LastAnswer) -> str | None:
    """Whom the follow-up is about: the person it names, else the last answer's person."""
    if said.subject.kind == "self":
        return SELF
    if said.subject.kind == "other":
        return said.subject.label
    return last.person


def resolve(said: Said, last: LastAnswer, text: str = "") -> Resolution:
    """What the follow-up asks, resolved against the last answer."""
    resolution = _resolve(said, last, text)
    if resolution.kind in ("food", "intake"):
        nutrient = said.nutrient or last.nutrient or DEFAULT_NUTRIENT
        return replace(resolution, nutrient=nutrient)
    return resolution


def _resolve(said: Said, last: LastAnswer, text: str) -> Resolution:
    if said.subject.kind == "unresolved":
        return Resolution("clarify", last, question="who")
    person = _person(said, last)
    if said.ask in ASKS:
        if last.kind is None:
            return Resolution("clarify", last, question="what")
        if said.ask == "more" and last.kind not in ("food", "rich_foods", "diary"):
            return Resolution("clarify", last, question="what")
        if said.ask == "is_that_a_lot" and last.kind not in ("food", "diary", "intake"):
            return Resolution("clarify", last, question="what")
        return Resolution(said.ask, last, person=person)  # type: ignore[arg-type]
    if said.foods:
        amount, unit = said.amount, said.unit
        if amount is None and last.kind == "food" and last.amount is not None:
            amount, unit = last.amount, last.unit
        return Resolution("food", last, food=said.foods[0], amount=amount, unit=unit,
                          person=person)
    if said.amount is not None or said.unit is not None:
        if last.food is None or last.kind != "food":
            return Resolution("clarify", last, question="which_food")
        return Resolution("food", last, food=last.food, amount=said.amount, unit=said.unit,
                          person=person)
    changes_person = said.subject.kind in ("self", "other") or not said.facts.empty
    if said.nutrient is not None and not changes_person:
        # "and vitamin D?": the same food or the same person's needs, for that nutrient
        if last.kind == "food" and last.food is not None:
            return Resolution("food", last, food=last.food, amount=last.amount,
                              unit=last.unit, person=person)
        if last.kind == "intake":
            return Resolution("intake", last, person=person)
    if not changes_person or last.kind is None:
        return Resolution("clarify", last, question="what")
    if last.kind == "food" and last.food is not None:
        return Resolution("food", last, food=last.food, amount=last.amount, unit=last.unit,
                          person=person, facts=said.facts,
                          hypothetical=hypothetical(text) or said.subject.generic)
    return Resolution("intake", last, person=person, facts=said.facts,
                      hypothetical=hypothetical(text) or said.subject.generic)


def more_foods(ranked: Sequence[str], shown: Sequence[str], limit: int) -> list[str]:
    """The next ``limit`` foods of ``ranked`` (keys) not shown yet."""
    seen = set(shown)
    return [key for key in ranked if key not in seen][:limit]


def share_level(percent: float, low: float, high: float) -> Literal["low", "medium", "high"]:
    """How a share of a daily amount reads by the food-label guide (``low``/``high`` are
    the guide's per cent limits)."""
    if percent >= high:
        return "high"
    if percent <= low:
        return "low"
    return "medium"


@dataclass(frozen=True)
class LabelGuide:
    """The food-label guide to a share of a daily amount, with its source."""

    low_percent: float
    high_percent: float
    source: str


def label_guide() -> LabelGuide:
    guide = load("reference_intakes.yml")["percent_daily_value_guide"]
    return LabelGuide(float(guide["low_percent"]), float(guide["high_percent"]),
                      " ".join(str(guide["source"]).split()))


def percent_of(figure_mg: float, target_mg: float) -> float:
    return 100.0 * figure_mg / target_mg if target_mg > 0 else 0.0
