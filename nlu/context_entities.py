"""The ``nlu_context_entities`` spaCy component (registered when this module is imported).

Rules that a plain entity-ruler pattern cannot express: entities that need context outside
their span ("I'm 54" -> AGE "54"), a bare number as a whole message (an answer to "how old
are you?"), counts before a food ("2 bananas"), size words that only measure when a food
follows ("a large banana", not "a big fan"), one-letter sex answers beside an age ("54 F"),
denied life stages ("not pregnant"), and removal of BLOCK spans. Its data is built by
:mod:`nlu.context_patterns`. :mod:`nlu.components` imports this module, so importing
``nlu.components`` registers it with the other components.
"""

# No `from __future__ import annotations` here: spaCy reads the factory signatures.

import json
import logging
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from nutrition.quantities import parse_number

logger = logging.getLogger(__name__)

CONTEXT_FILE = "context.json"


@Language.factory("nlu_context_entities")
def make_context_entities(nlp: Language, name: str) -> "ContextEntities":
    return ContextEntities(nlp, name)


def _split_key(key: str) -> tuple[str, str]:
    label, _, ent_id = key.partition("\t")
    return label, ent_id


def _inflected(a: str, b: str) -> bool:
    """True if the words are equal or one is a regular plural of the other."""
    if a == b:
        return True
    if len(a) < len(b):
        a, b = b, a
    return a in (b + "s", b + "es") or (a.endswith("ies") and b == a[:-3] + "y")


def _roles(ent_id: str) -> str:
    """The role letters of a pattern id ("years:CCN" -> "CCN", "NNU" -> "NNU")."""
    return ent_id.rpartition(":")[2]


class ContextEntities:
    """Context rules run after the entity ruler (see the module docstring)."""

    #: Longest message (in words) read as a short answer ("female, 62").
    SHORT_ANSWER_WORDS = 6

    def __init__(self, nlp: Language, name: str) -> None:
        self.nlp = nlp
        self.name = name
        self.data: dict[str, Any] = {}
        self._build()

    # -- data -----------------------------------------------------------------------------

    def set_data(self, data: dict[str, Any]) -> None:
        self.data = data
        self._build()

    def _build(self) -> None:
        data = self.data
        vocab = self.nlp.vocab
        self.rules_by_first: dict[str, list[dict[str, Any]]] = {}
        for rule in data.get("context_rules", []):
            compiled = {**rule, "before": [frozenset(words) for words in rule["before"]]}
            for word in rule["before"][0]:
                self.rules_by_first.setdefault(word, []).append(compiled)
        self.number_matcher = Matcher(vocab)
        for entry in data.get("number_patterns", []):
            self.number_matcher.add(f"{entry['label']}\t{entry['id']}", [entry["pattern"]])
        self.not_age_next = frozenset(data.get("not_age_next", []))
        self.needs_food_units = frozenset(data.get("needs_food_units", []))
        self.ambiguous_unit_words = frozenset(data.get("ambiguous_unit_words", []))
        self.sex_letters = dict(data.get("sex_letters", {}))
        self.fillers = frozenset(data.get("short_answer_fillers", []))
        self.negations = frozenset(data.get("negation_words", []))
        self.negation_window = int(data.get("negation_window", 0))
        self.expecting_next_ok = frozenset(data.get("expecting_next_ok", []))
        self.expecting_next_a_ok = frozenset(data.get("expecting_next_a_ok", []))
        self.food_forms = {k: tuple(v) for k, v in data.get("food_forms_by_lemma", {}).items()}
        self.whole_item_foods = frozenset(data.get("whole_item_foods", []))
        self.whole_item_articles = frozenset(data.get("whole_item_articles", []))
        self.age_min = float(data.get("age_years_min", 1.0))
        self.age_max = float(data.get("age_years_max", 120.0))

    def to_bytes(self, *, exclude: Any = tuple()) -> bytes:
        return json.dumps(self.data, sort_keys=True, ensure_ascii=False, indent=0).encode()

    def from_bytes(self, data: bytes, *, exclude: Any = tuple()) -> "ContextEntities":
        self.set_data(json.loads(data.decode()))
        return self

    def to_disk(self, path: str | Path, *, exclude: Any = tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / CONTEXT_FILE).write_bytes(self.to_bytes() + b"\n")

    def from_disk(self, path: str | Path, *, exclude: Any = tuple()) -> "ContextEntities":
        self.from_bytes((Path(path) / CONTEXT_FILE).read_bytes())
        return self

    # -- processing -------------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        try:
            self._process(doc)
        except Exception:  # noqa: BLE001 - a component must never break the pipeline
            logger.exception("nlu_context_entities failed; entities left as the ruler set them")
        return doc

    def _process(self, doc: Doc) -> None:
        if not len(doc):
            return
        original = doc.ents
        ents = [
            e
            for e in original
            if self._keep_food(e) and self._keep_amount(doc, e) and not self._denied(doc, e)
        ]
        changed = len(ents) != len(original)
        taken = [False] * len(doc)
        for ent in ents:
            changed = changed or ent.label_ == "BLOCK"
            for i in range(ent.start, ent.end):
                taken[i] = True
        added: list[Span] = []

        def free(start: int, end: int) -> bool:
            return start < end and not any(taken[start:end])

        def add(start: int, end: int, label: str, ent_id: str) -> None:
            added.append(Span(doc, start, end, label=label, span_id=ent_id))
            for i in range(start, end):
                taken[i] = True

        # number phrases, longest first; and the longest one starting at each token
        numbers = self._longest_first(self.number_matcher(doc))
        number_at: dict[int, tuple[int, str]] = {}
        for key, start, end in numbers:
            number_at.setdefault(start, (end, _split_key(self.nlp.vocab.strings[key])[1]))

        # 1. words right before an entity they are not part of ("I'm" 54, "sex:" F)
        if self.rules_by_first:
            lowers = [t.lower_ for t in doc]
            for i, word in enumerate(lowers):
                for rule in self.rules_by_first.get(word, ()):
                    self._apply_rule(doc, lowers, i, rule, number_at, free, add)

        food_starts = {e.start for e in ents if e.label_ == "FOOD"}
        # 2. counts right before a food: "2 bananas", "half an avocado", "a couple of eggs"
        if food_starts:
            for key, start, end in numbers:
                if not free(start, end):
                    continue
                nxt = end
                if nxt < len(doc) and doc[nxt].lower_ == "of" and doc[end - 1].lower_ != "of":
                    nxt += 1
                if nxt in food_starts:
                    _label, ent_id = _split_key(self.nlp.vocab.strings[key])
                    add(start, end, "AMOUNT", _roles(ent_id))

        # 2b. "an avocado": an article right before a food with a whole-item weight is a
        # count of one (not for foods without one: "a banana" stays a typical serving)
        for ent in ents:
            start = ent.start - 1
            if (ent.label_ == "FOOD" and start >= 0
                    and doc[ent.start].ent_id_ in self.whole_item_foods
                    and doc[start].lower_ in self.whole_item_articles and free(start, ent.start)):
                add(start, ent.start, "AMOUNT", "N")

        # 3. short answers: "54", "fifty-four.", "54 F", "female, 54"
        if numbers:
            words = [t.i for t in doc if not (t.is_punct or t.is_space)]
            if len(words) <= self.SHORT_ANSWER_WORDS:
                self._short_answer(doc, words, ents, added, numbers, free, add)

        if changed or added:
            final = [e for e in ents if e.label_ != "BLOCK"] + added
            doc.ents = sorted(final, key=lambda span: span.start)

    @staticmethod
    def _longest_first(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        return sorted(set(matches), key=lambda m: (-(m[2] - m[1]), m[1], m[0]))

    def _denied(self, doc: Doc, ent: Span) -> bool:
        """A life stage the user denies ("not pregnant", "not pregnant or nursing")."""
        if ent.label_ != "LIFE_STAGE":
            return False
        for i in range(ent.start - 1, max(ent.start - 1 - self.negation_window, -1), -1):
            word = doc[i].lower_
            if word in self.negations:
                return True
            if doc[i].is_punct:
                return False
        return False

    def _keep_food(self, ent: Span) -> bool:
        """A FOOD matched on lemma must be one of its surfaces or a regular plural/singular."""
        if ent.label_ != "FOOD" or not self.food_forms:
            return True
        forms = self.food_forms.get(" ".join(t.lemma_ for t in ent), ())
        words = [t.lower_ for t in ent]
        text = " ".join(words)
        if text in forms:
            return True
        for form in forms:
            form_words = form.split(" ")
            if len(form_words) == len(words) and all(map(_inflected, words, form_words)):
                return True
        return False

    def _keep_amount(self, doc: Doc, ent: Span) -> bool:
        """Size-only amounts ("a large", "a whole") count only when a food follows; "a"
        with an everyday-noun unit ("a link", "a bunch", "a head") only when a food
        follows or the message ends there ("about a piece")."""
        if ent.label_ != "AMOUNT":
            return True
        roles = doc[ent.start].ent_id_
        units = [doc[ent.start + i].lower_ for i, r in enumerate(roles) if r == "U"]
        numbers = [doc[ent.start + i].lower_ for i, r in enumerate(roles) if r == "N"]
        nxt = ent.end
        if nxt < len(doc) and doc[nxt].lower_ == "of":
            nxt += 1
        food_follows = nxt < len(doc) and doc[nxt].ent_type_ == "FOOD"
        if len(units) == 1 and units[0] in self.needs_food_units:
            return food_follows
        if numbers in (["a"], ["an"]) and all(u in self.ambiguous_unit_words for u in units):
            return food_follows or all(t.is_punct or t.is_space for t in doc[ent.end :])
        return True

    def _number_value(self, doc: Doc, start: int, end: int) -> float | None:
        return parse_number(doc[start:end].text)

    def _age_ok(self, value: float | None) -> bool:
        return value is not None and self.age_min <= value <= self.age_max

    def _age_context_ok(self, doc: Doc, s: int, e: int) -> bool:
        if not self._age_ok(self._number_value(doc, s, e)):
            return False
        if e < len(doc):
            nxt = doc[e].lower_
            if nxt in self.not_age_next:
                return False
        return True

    def _apply_rule(self, doc, lowers, i, rule, number_at, free, add) -> None:  # noqa: ANN001
        before = rule["before"]
        j = i + len(before)
        if j >= len(doc) or any(lowers[i + k] not in before[k] for k in range(1, len(before))):
            return
        label = rule["label"]
        if label == "AGE":
            end, ent_id = number_at.get(j, (0, ""))
            kind, _, roles = ent_id.partition(":")
            if kind in ("plain", "numfrac") and free(j, end) and self._age_context_ok(doc, j, end):
                add(j, end, "AGE", "years:" + roles)
        elif label == "SEX":
            sex = self.sex_letters.get(lowers[j])
            if sex and free(j, j + 1):
                add(j, j + 1, "SEX", sex + ":W")
        elif label == "LIFE_STAGE":
            if lowers[j] == rule["word"] and free(j, j + 1) and self._expecting_ok(doc, j + 1):
                add(j, j + 1, "LIFE_STAGE", rule["id"] + ":W")

    def _expecting_ok(self, doc: Doc, end: int) -> bool:
        """ "I'm expecting" (end of sentence, "a baby", "twins") - not "expecting a call"."""
        if end >= len(doc) or doc[end].is_punct:
            return True
        nxt = doc[end].lower_
        if nxt == "a":
            return end + 1 < len(doc) and doc[end + 1].lower_ in self.expecting_next_a_ok
        return nxt in self.expecting_next_ok

    def _short_answer(self, doc, words, ents, added, numbers, free, add) -> None:  # noqa: ANN001
        """A short message made of a number plus sex/life-stage words is an age answer:
        "54", "fifty-four.", "54 F", "female, 62", "I'm post menopausal and 61"."""
        ages = [e for e in [*ents, *added] if e.label_ == "AGE"]
        if ages:
            # "im 50 f", "F, 54 years old": a sex letter right next to the age
            if not any(e.label_ == "SEX" for e in [*ents, *added]):
                for age in ages:
                    for i in (age.end, age.end + 1, age.start - 1, age.start - 2):
                        if not 0 <= i < len(doc) or (i > 0 and doc[i - 1].lower_ == "i"):
                            continue  # outside the text, or the "m" of "I m 50"
                        if doc[i].lower_ in self.sex_letters:
                            between = doc[min(i + 1, age.end) : max(i, age.start)]
                            if all(t.is_punct for t in between) and free(i, i + 1):
                                add(i, i + 1, "SEX", self.sex_letters[doc[i].lower_])
                                return
            return
        person = {
            i for e in ents if e.label_ in ("SEX", "LIFE_STAGE") for i in range(e.start, e.end)
        }
        has_sex = any(e.label_ == "SEX" for e in ents)
        for key, start, end in numbers:
            _label, ent_id = _split_key(self.nlp.vocab.strings[key])
            if not ent_id.startswith("plain:") or not free(start, end):
                continue
            rest = [i for i in words if not start <= i < end and i not in person]
            letters = [i for i in rest if doc[i].lower_ in self.sex_letters]
            if any(i not in letters and doc[i].lower_ not in self.fillers for i in rest):
                continue
            if len(letters) > 1 or (letters and has_sex):
                continue
            if not self._age_ok(self._number_value(doc, start, end)):
                continue
            add(start, end, "AGE", "years:" + _roles(ent_id))
            for i in letters:
                if free(i, i + 1):
                    add(i, i + 1, "SEX", self.sex_letters[doc[i].lower_])
            return
