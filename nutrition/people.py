"""Who a message is about: the user ("I", "me") or someone else ("my son is 15", "a 70
year old man", "she"), and the profiles of the other people kept apart from the user's own.

The user's own profile lives in the ``age``/``sex``/``life_stage`` slots; everyone else
asked about lives in ``people`` ({label: {"age": .., "sex": .., "life_stage": ..}}, the
last one mentioned last). Answering for someone else never changes the user's profile.

Pure functions over the message's words and the facts the extractor found in it; no chat
framework here. Pronouns ("she", "him") mean the last person of that sex mentioned; a
pronoun with nobody to refer to is left unresolved so that the caller asks who is meant.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from .intake import pregnancy_accepted, pregnancy_figures_exist
from .profile import FEMALE_STAGES, LIFE_STAGES, NONE, NOT_STATED, SEXES, Profile

SELF = "me"

#: Relatives and others named with "my ...": the label kept, and the sex the word implies.
RELATIONS: dict[str, tuple[str, str | None]] = {
    "daughter": ("daughter", "female"), "son": ("son", "male"),
    "mother": ("mother", "female"), "mom": ("mother", "female"), "mum": ("mother", "female"),
    "mommy": ("mother", "female"), "mummy": ("mother", "female"),
    "father": ("father", "male"), "dad": ("father", "male"), "daddy": ("father", "male"),
    "husband": ("husband", "male"), "wife": ("wife", "female"),
    "grandmother": ("grandmother", "female"), "grandma": ("grandmother", "female"),
    "granny": ("grandmother", "female"),
    "grandfather": ("grandfather", "male"), "grandpa": ("grandfather", "male"),
    "granddad": ("grandfather", "male"),
    "sister": ("sister", "female"), "brother": ("brother", "male"),
    "aunt": ("aunt", "female"), "uncle": ("uncle", "male"),
    "niece": ("niece", "female"), "nephew": ("nephew", "male"),
    "granddaughter": ("granddaughter", "female"), "grandson": ("grandson", "male"),
    "girlfriend": ("girlfriend", "female"), "boyfriend": ("boyfriend", "male"),
    "partner": ("partner", None), "spouse": ("spouse", None), "friend": ("friend", None),
    "baby": ("baby", None), "child": ("child", None), "kid": ("child", None),
    "toddler": ("toddler", None), "teenager": ("teenager", None), "teen": ("teenager", None),
    "neighbour": ("neighbour", None), "neighbor": ("neighbour", None),
    "patient": ("patient", None), "client": ("client", None),
}

#: Someone named only by a noun after "a"/"an" ("a 70 year old man", "for a girl").
GENERIC: dict[str, str | None] = {
    "man": "male", "woman": "female", "boy": "male", "girl": "female", "lady": "female",
    "gentleman": "male", "male": "male", "female": "female",
    "child": None, "baby": None, "teenager": None, "teen": None, "person": None,
    "adult": None, "kid": None, "toddler": None,
}

#: Someone named by a noun is kept as "a man", "a child" (apart from "my child").
GENERIC_PREFIX = "a "

PRONOUNS: dict[str, str] = {
    "she": "female", "her": "female", "hers": "female", "herself": "female",
    "he": "male", "him": "male", "his": "male", "himself": "male",
}
SELF_WORDS = frozenset({"i", "me", "my", "myself", "mine", "im", "i'm", "i've", "i'd", "i'll"})
_I_AM = (("i'm",), ("im",), ("i", "am"), ("i", "'m"))
# words after which a generic noun is not a person ("a glass of milk for a woman" is one)
_ARTICLES = ("a", "an")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def words(text: str) -> list[str]:
    """The message's words, lower case, with "’" read as "'" and "'s" split off."""
    found: list[str] = []
    for word in _WORD.findall(text.lower().replace("\u2019", "'")):
        if word.endswith("'s") and word not in ("let's",):
            found.append(word[:-2])
        else:
            found.append(word)
    return found


@dataclass(frozen=True)
class Facts:
    """What a message states about a person (from the extractor's entities)."""

    age: float | None = None
    sex: str | None = None
    life_stage: str | None = None

    @property
    def empty(self) -> bool:
        return self.age is None and self.sex is None and self.life_stage is None


@dataclass(frozen=True)
class Subject:
    """Who the message is about.

    ``kind``: "self" (the user), "other" (``label`` names them), "unresolved" (a pronoun
    with nobody of that sex mentioned before: ask who) or "none" (no word about a person).
    ``sex``: the sex the words imply ("my son", "she"), ``None`` when they imply none.
    """

    kind: Literal["self", "other", "unresolved", "none"]
    label: str | None = None
    sex: str | None = None
    word: str | None = None  # the word that named them ("daughter", "she", "man")
    generic: bool = False  # named by a noun only ("a 70 year old man")

    @property
    def is_other(self) -> bool:
        return self.kind == "other"


@dataclass(frozen=True)
class Person:
    """Someone other than the user, as stored in the ``people`` slot."""

    label: str
    age: float | None = None
    sex: str | None = None
    life_stage: str | None = None

    @classmethod
    def from_value(cls, label: str, value: object) -> Person:
        data: Mapping[str, Any] = value if isinstance(value, Mapping) else {}
        checked = Profile.from_values(data)
        return cls(label, checked.age, checked.sex, checked.life_stage)

    def as_value(self) -> dict[str, Any]:
        return {"age": self.age, "sex": self.sex, "life_stage": self.life_stage}

    @property
    def stored(self) -> Profile:
        return Profile(self.age, self.sex, self.life_stage)

    def profile(self) -> Profile:
        return answerable(self.stored)

    def needs(self) -> list[str]:
        """What is still missing for an answer about this person ("age", "sex")."""
        return [need for need in self.profile().needs() if need != "life_stage"]


def answerable(profile: Profile) -> Profile:
    """The profile to answer someone else (or a "what if") with: pregnancy not stated
    counts as "not stated" (the answer comes at once and offers to adjust) rather than a
    question."""
    if "life_stage" in profile.needs() and profile.sex == "female":
        return replace(profile, life_stage=NOT_STATED)
    return profile


def people_from_value(value: object) -> dict[str, Person]:
    """The ``people`` slot's value read back (anything unreadable is dropped)."""
    if not isinstance(value, Mapping):
        return {}
    return {str(label): Person.from_value(str(label), data) for label, data in value.items()
            if isinstance(label, str) and label}


def people_value(people: Mapping[str, Person]) -> dict[str, dict[str, Any]]:
    return {label: person.as_value() for label, person in people.items()}


def _after_i_am(tokens: list[str], index: int) -> bool:
    """True when the words just before ``index`` are "I'm"/"I am" (maybe "I'm now")."""
    before = tuple(tokens[max(0, index - 3):index])
    for shape in _I_AM:
        n = len(shape)
        if before[-n:] == shape or before[-n - 1:-1] == shape:
            return True
    return False


def _generic_at(tokens: list[str], index: int) -> bool:
    """A generic noun names someone when "a"/"an" comes at most four words before it
    (numbers are no words here: "a 70 year old man" is "a year old man")."""
    for back in range(1, 5):
        j = index - back
        if j < 0:
            return False
        if tokens[j] in _ARTICLES:
            return not _after_i_am(tokens, j)
        if tokens[j] not in ("year", "years", "old", "month", "months", "young", "healthy",
                             "pregnant", "breastfeeding", "postmenopausal", "older",
                             "elderly", "grown", "teenage", "little", "active"):
            return False
    return False


def last_of_sex(people: Mapping[str, Person], sex: str) -> str | None:
    """The last person of ``sex`` mentioned (``people`` is in the order of mention)."""
    for label in reversed(list(people)):
        if people[label].sex == sex:
            return label
    return None


def message_subject(text: str, people: Mapping[str, Person]) -> Subject:
    """Who ``text`` is about. A relative named ("my son") comes first, then someone named
    by a noun ("a 70 year old man"), then a pronoun, then the user's own words."""
    tokens = words(text)
    for token in tokens:
        if token in RELATIONS and token not in GENERIC:
            label, sex = RELATIONS[token]
            return Subject("other", label, sex or _stored_sex(people, label), token)
    for index, token in enumerate(tokens):
        if token in RELATIONS and _after_my(tokens, index):
            label, sex = RELATIONS[token]
            return Subject("other", label, sex or _stored_sex(people, label), token)
    for index, token in enumerate(tokens):
        if token in GENERIC and _generic_at(tokens, index):
            sex = GENERIC[token]
            noun = token if token not in ("male", "female") else \
                ("man" if sex == "male" else "woman")
            return Subject("other", f"{GENERIC_PREFIX}{noun}", sex, token, generic=True)
    for token in tokens:
        if token in PRONOUNS:
            pronoun_sex = PRONOUNS[token]
            found = last_of_sex(people, pronoun_sex)
            if found is None:
                return Subject("unresolved", None, pronoun_sex, token)
            return Subject("other", found, pronoun_sex, token)
    if any(token in SELF_WORDS for token in tokens):
        return Subject("self")
    return Subject("none")


def _after_my(tokens: list[str], index: int) -> bool:
    return "my" in tokens[max(0, index - 4):index] or "our" in tokens[max(0, index - 4):index]


def _stored_sex(people: Mapping[str, Person], label: str) -> str | None:
    person = people.get(label)
    return person.sex if person else None


def merge(profile: Profile, facts: Facts) -> Profile:
    """``profile`` with the message's facts: the latest word wins; a female life stage
    implies female; male drops a female life stage; pregnancy outside the tables' ages
    counts as neither (the same rules as the profile form)."""
    age = profile.age
    if facts.age is not None:
        age = facts.age
    sex = profile.sex
    stage = profile.life_stage
    if facts.sex in SEXES:
        sex = facts.sex
        if sex == "male" and stage in FEMALE_STAGES:
            stage = None
    if facts.life_stage in LIFE_STAGES:
        if facts.life_stage in FEMALE_STAGES and facts.sex == "male":
            pass
        else:
            stage = facts.life_stage
            if stage in FEMALE_STAGES:
                sex = "female"
    if stage in ("pregnant", "lactating") and age is not None and not pregnancy_accepted(age):
        stage = NONE
    if stage == NOT_STATED and age is not None and not pregnancy_figures_exist(age):
        stage = None
    if (stage is None and sex == "female" and age is not None and pregnancy_figures_exist(age)
            and facts.age is not None and facts.sex is not None):
        # age and sex said together ("a 45 year old woman"): answer at once, offer to adjust
        stage = NOT_STATED
    return Profile.from_values({"age": age, "sex": sex, "life_stage": stage})


def with_person(
    people: Mapping[str, Person], subject: Subject, facts: Facts
) -> dict[str, Person]:
    """``people`` with ``subject`` (someone else) updated by the facts and moved last (the
    last person mentioned). Facts about the sex the words imply ("my son") come first."""
    if subject.label is None:
        return dict(people)
    old = people.get(subject.label, Person(subject.label))
    sex = subject.sex if subject.sex in SEXES else facts.sex
    merged = merge(old.stored, Facts(facts.age, sex, facts.life_stage))
    updated = {label: person for label, person in people.items() if label != subject.label}
    updated[subject.label] = Person(subject.label, merged.age, merged.sex, merged.life_stage)
    return updated


RELATION_LABELS = frozenset(label for label, _sex in RELATIONS.values())


def is_relation(label: str) -> bool:
    """True for someone named as the user's relation or acquaintance ("your son"), False
    for someone named by a noun only ("a man")."""
    return label in RELATION_LABELS


def generic_noun(label: str) -> str:
    """The noun of someone named by a noun only ("a man" -> "man")."""
    return label[len(GENERIC_PREFIX):] if label.startswith(GENERIC_PREFIX) else label
