"""Food-specific rules for matching a mention to the food table.

The string distance and the search for similar words come from rapidfuzz
(optimal string alignment distance: insert, delete, substitute, swap of
neighbours); this module holds only the rules that are about foods:

1. **Food words only.** Question words, "magnesium" (and misspellings of it),
   articles, numbers and measuring units are not food words: "magnesum in
   almons" is matched as "almons".
2. **Exact first.** The whole text, or a run of its words with nothing but
   non-food words around it ("a cup of black beans"), equal to a known name.
3. **The head noun must agree.** The head is the last word that is not a
   preparation word (raw, cooked, canned, ...). "coconut milk" has the head
   "milk" and can never become "coconut"; "beef" can never become "beer"
   (a four-letter word gets no typo tolerance).
4. **Every food word must be explained** by a word of the known name (equal, or a
   misspelling of it within the word's tolerance), except preparation words:
   "oat milk" is not "goat milk", "banana chips" is not "potato chips".
5. **Uncertain means ask.** When two different foods are about equally good, the
   result is uncertain and carries both (a "did you mean" rather than a guess).

Misspelling tolerance per word of the known name: none below 4 letters, one edit
from 4, two from 7 letters; short words keep their first letter and, alone, take
no substitution; next to a word that matched exactly, one edit is allowed even in
a short word ("green tee"). See :func:`typo_distance`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .matching import BestCandidates, Candidate
from .quantities import parse_number
from .text import key_form
from .units import GRAMS_PER_UNIT, ML_PER_UNIT, canonical_unit

# Words of a question that never name a food, as key_form leaves them (singular:
# "does" -> "doe", "has" -> "ha").
FILLER_WORDS = frozenset(
    """
    how much many magnesium mg calcium in is are there of a an the doe do did have ha
    contain content what whats about some any my i ate eat eaten had with for per please
    tell me amount level lot get would you can could if
    """.split()
)
# Preparation and grade words: never the head noun, and a query may carry one the
# name lacks ("steamed" broccoli) at a small cost.
STATE_WORDS = frozenset(
    """
    raw cooked boiled steamed roasted baked fried canned dried dry fresh frozen toasted
    grilled sauteed light white lean low fat whole plain nonfat skim unsalted salted
    organic sliced chopped
    """.split()
)
_MEASURE_UNITS = frozenset(GRAMS_PER_UNIT) | frozenset(ML_PER_UNIT)

#: Highest score of a name offered only as a suggestion (below any accepted match).
SUGGESTION_CAP = 0.7
#: Two foods whose scores differ by less than this are a tie: ask.
TIE_MARGIN = 0.015
# Score costs.
_EDIT_COST = 0.08  # per edit in a misspelt word
_QUERY_STATE_COST = 0.03  # a preparation word of the query the name lacks
_NAME_STATE_COST = 0.03  # a preparation word of the name the query lacks
_NAME_WORD_COST = 0.06  # any other word of the name the query lacks
# Misspellings seldom change a word's first letter (a long-standing observation in
# spelling correction), so a candidate that needs one costs a little more.
_FIRST_LETTER_COST = 0.03


def typo_tolerance(word: str) -> int:
    """Edits allowed when ``word`` (a word of a known name) is misspelt on its own."""
    return 0 if len(word) < 4 else 1 if len(word) < 6 else 2


def typo_distance(query_word: str, name_word: str, in_context: bool = False) -> int | None:
    """Edits from ``name_word`` to ``query_word`` if within tolerance, else ``None``.

    Short words (under 5 letters) must keep their first letter, and on their own
    tolerate no substitution: "mlik" and "fetta" are slips, "beer" for "beef",
    "bear" for "pear" or "oat" for "goat" are other words. ``in_context``: another
    word of the same name matched exactly ("green tee", "black beens"), which
    allows one edit even in a short word.
    """
    if query_word == name_word:
        return 0
    if len(query_word) < 4 and not in_context:
        return None  # "nan" is not "naan"
    allowed = typo_tolerance(name_word)
    if in_context and len(name_word) >= 3:
        allowed = max(allowed, 1)
    if allowed == 0:
        return None
    distance = OSA.distance(query_word, name_word, score_cutoff=allowed)
    if distance > allowed:
        return None
    if len(name_word) < 5:
        if query_word[:1] != name_word[:1]:
            return None
        if not in_context and len(query_word) == len(name_word):
            mismatches = sum(a != b for a, b in zip(query_word, name_word, strict=True))
            if mismatches == 1:  # a substitution, not a swap of neighbours
                return None
    return int(distance)


def is_filler(word: str) -> bool:
    """True for words that never name a food (see rule 1)."""
    if word in FILLER_WORDS or parse_number(word) is not None:
        return True
    if canonical_unit(word) in _MEASURE_UNITS:
        return True
    return len(word) >= 7 and OSA.distance(word, "magnesium", score_cutoff=2) <= 2


def head_index(words: list[str]) -> int | None:
    """Index of the head noun: the last word that is not a preparation word."""
    for index in range(len(words) - 1, -1, -1):
        word = words[index]
        if word not in STATE_WORDS and not any(ch.isdigit() for ch in word):
            return index
    return None


@dataclass(frozen=True)
class FoodLookup:
    """The candidates for a mention, best first; ``uncertain`` when it should ask."""

    query: str
    food_words: str
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)
    uncertain: bool = False

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


SimilarWords = Callable[[str], list[tuple[str, int]]]


class FoodMatcher:
    """Matches food mentions to keys; see the module docstring for the rules."""

    def __init__(self, surface_to_key: Mapping[str, str]) -> None:
        self._exact: dict[str, str] = {}
        self._compact: dict[str, str] = {}
        # name -> index of its head word, taken from the name without its
        # parenthesised qualifier ("peanuts (oil roasted)": the head is "peanut")
        self._heads: dict[str, int] = {}
        for surface, key in surface_to_key.items():
            form = key_form(surface)
            if not form or form in self._exact:
                continue
            self._exact[form] = key
            bare = key_form(re.sub(r"\([^)]*\)?", " ", surface)).split()
            head = head_index(bare)
            if head is not None:
                self._heads[form] = head
        for form in self._exact:
            self._compact.setdefault(form.replace(" ", ""), form)
        # head word -> names with that head
        self._by_head: dict[str, list[str]] = {}
        for form, head in self._heads.items():
            self._by_head.setdefault(form.split()[head], []).append(form)
        self.head_words: list[str] = sorted(self._by_head)
        self._heads_by_length: dict[int, list[str]] = {}
        for word in self.head_words:
            self._heads_by_length.setdefault(len(word), []).append(word)
        self.compact_forms: list[str] = sorted(self._compact)
        self._names: list[str] = sorted(self._exact)
        self._max_words = max((len(f.split()) for f in self._exact), default=1)
        self.similar_words: SimilarWords = self._similar_words
        self.similar_compact: SimilarWords = self._similar_compact

    # --- candidate search (rapidfuzz) --------------------------------

    def _similar_words(self, word: str) -> list[tuple[str, int]]:
        # only words within two letters of the length can be within two edits
        found = []
        for length in range(max(1, len(word) - 2), len(word) + 3):
            choices = self._heads_by_length.get(length)
            if choices:
                found += process.extract(
                    word, choices, scorer=OSA.distance, score_cutoff=2, limit=None
                )
        return [(choice, int(distance)) for choice, distance, _ in found]

    def _similar_compact(self, compact: str) -> list[tuple[str, int]]:
        found = process.extract(
            compact, self.compact_forms, scorer=OSA.distance, score_cutoff=2, limit=None
        )
        return [(choice, int(distance)) for choice, distance, _ in found]

    # --- the rules --------------------------------------------------

    def exact(self, text: str) -> str | None:
        form = key_form(text)
        key = self._exact.get(form)
        if key is None and form.replace(" ", "") in self._compact:
            key = self._exact[self._compact[form.replace(" ", "")]]
        return key

    def _exact_span(self, words: list[str]) -> tuple[str, str] | None:
        """The longest run of words equal to a name, with only non-food words around it."""
        for size in range(min(len(words), self._max_words), 0, -1):
            for start in range(0, len(words) - size + 1):
                span = " ".join(words[start:start + size])
                key = self._exact.get(span)
                if key is None:
                    continue
                rest = words[:start] + words[start + size:]
                if all(is_filler(word) for word in rest):
                    return key, span
        return None

    def _align(self, query: list[str], form: str) -> float | None:
        """Score of a name for the query's food words, or None when a rule fails."""
        name = form.split()
        q_head = head_index(query)
        n_head = self._heads.get(form)
        if q_head is None or n_head is None:
            return None
        used: set[int] = set()
        cost = 0.0
        exact_words = set(query) & {word for word in name if word not in FILLER_WORDS}
        for q_index, word in enumerate(query):
            in_context = bool(exact_words - {word})
            best: tuple[int, int] | None = None
            for n_index, other in enumerate(name):
                if n_index in used:
                    continue
                distance = typo_distance(word, other, in_context)
                if distance is not None and (best is None or distance < best[1]):
                    best = (n_index, distance)
            if q_index == q_head:
                if best is None or best[0] != n_head:
                    return None
            if best is None:
                if word not in STATE_WORDS:
                    return None
                cost += _QUERY_STATE_COST
                continue
            used.add(best[0])
            cost += _EDIT_COST * best[1]
            if best[1] and word[:1] != name[best[0]][:1]:
                cost += _FIRST_LETTER_COST
        for n_index, other in enumerate(name):
            if n_index in used or other in FILLER_WORDS:
                continue
            cost += _NAME_STATE_COST if other in STATE_WORDS else _NAME_WORD_COST
        return 1.0 - cost

    def lookup(self, text: object, limit: int = 5) -> FoodLookup:
        """Rank foods for a mention (never raises)."""
        if not isinstance(text, str):
            return FoodLookup(str(text), "")
        form = key_form(text)
        if not form:
            return FoodLookup(text, "")
        key = self._exact.get(form)
        if key is not None:
            return FoodLookup(text, form, (Candidate(key, 1.0, form),))
        compact = form.replace(" ", "")
        if compact in self._compact:
            name = self._compact[compact]
            return FoodLookup(text, form, (Candidate(self._exact[name], 0.98, name),))
        words = form.split()
        span = self._exact_span(words)
        if span is not None:
            return FoodLookup(text, span[1], (Candidate(span[0], 0.99, span[1]),))
        food_words = [word for word in words if not is_filler(word)]
        if not food_words:
            return FoodLookup(text, "")
        joined = " ".join(food_words)
        scores = BestCandidates()
        offer = scores.offer
        if joined in self._exact:
            offer(self._exact[joined], 0.99, joined)
        q_head = head_index(food_words)
        if q_head is not None:
            for head, _distance in self.similar_words(food_words[q_head]):
                for name in self._by_head[head]:
                    score = self._align(food_words, name)
                    if score is not None:
                        offer(self._exact[name], score, name)
        joined_compact = joined.replace(" ", "")
        if not scores and len(joined_compact) >= 5:
            # words run together ("porkchop"): misspelt only with the first letter right
            for name_compact, distance in self.similar_compact(joined_compact):
                if distance == 0 or (
                    len(food_words) == 1
                    and distance <= typo_tolerance(name_compact)
                    and joined_compact[0] == name_compact[0]
                ):
                    name = self._compact[name_compact]
                    offer(self._exact[name], 0.97 - _EDIT_COST * distance, name)
        if not scores:
            # nothing fits the rules: the most similar names, scored below any
            # accepted match, only for a "did you mean" list
            for name, similarity, _ in process.extract(
                joined, self._names, scorer=fuzz.ratio, limit=limit
            ):
                offer(self._exact[name], min(similarity / 100, SUGGESTION_CAP), name)
            return FoodLookup(text, joined, scores.ranked(limit), True)
        ranked = scores.ranked(limit)
        uncertain = len(ranked) > 1 and ranked[0].score - ranked[1].score < TIE_MARGIN
        return FoodLookup(text, joined, ranked, uncertain)
