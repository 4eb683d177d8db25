"""Fast, typo-tolerant lookup of names (foods, supplement forms, medications).

:class:`NameIndex` maps surface forms to keys. A query is tried, in order:

1. exactly, after normalisation and crude singularisation (score 1.0);
2. with the spaces removed ("peanutbutter", "black eyed" vs "blackeyed"; 0.98);
3. within two edits (insert, delete, substitute, swap of neighbours) of a
   known form, found through a precomputed deletion index (SymSpell idea), then
   scored as ``1 - distance / longer length``;
4. as a phrase that contains a known form as whole words ("grilled salmon
   fillet" contains "salmon"), scored by how much of the query the form covers;
5. by shared character trigrams, re-scored with the edit distance (slowest path,
   only for strings that no earlier step explained).

All candidate scores are in [0, 1]; a key's score is its best form's score.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .text import key_form

# Forms shorter than this get no fuzzy (edit-distance) matching: "tea" must not
# match "pea".
_MIN_FUZZY_LEN = 4
_MAX_DELETES = 2
# Neighbour swaps count half an edit; a full edit in a word of at most
# _SHORT_LEN letters costs an extra penalty ("bean" is not "bran").
_SWAP_COST = 0.5
# How a candidate generator hands on a key, its score and the form that matched.
Offer = Callable[[str, float, str], None]
_SHORT_LEN = 5
_SHORT_PENALTY = 0.06


@dataclass(frozen=True)
class Candidate:
    """One possible key for a query, with its score and the form that matched."""

    key: str
    score: float
    form: str


@dataclass(frozen=True)
class LookupResult:
    """All candidates for one query, best first (at most one per key)."""

    query: str
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def damerau_levenshtein(
    a: str, b: str, limit: float | None = None, swap_cost: float = 1.0
) -> float:
    """Optimal-string-alignment distance between ``a`` and ``b``.

    A swap of neighbouring letters costs ``swap_cost`` (1 by default; the
    lookup uses 0.5 because "kael" for "kale" is a slip, not a different word).
    With ``limit`` the function may stop early and return ``limit + 1`` once
    the distance is known to exceed ``limit``.
    """
    if a == b:
        return 0
    len_a, len_b = len(a), len(b)
    if limit is not None and abs(len_a - len_b) > limit:
        return limit + 1
    if not len_a:
        return len_b
    if not len_b:
        return len_a
    previous_previous: list[float] = []
    previous: list[float] = list(range(len_b + 1))
    for i in range(1, len_a + 1):
        current: list[float] = [float(i)] + [0.0] * len_b
        char_a = a[i - 1]
        row_min: float = i
        for j in range(1, len_b + 1):
            cost = 0 if char_a == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if (
                i > 1
                and j > 1
                and char_a == b[j - 2]
                and a[i - 2] == b[j - 1]
            ):
                value = min(value, previous_previous[j - 2] + swap_cost)
            current[j] = value
            if value < row_min:
                row_min = value
        if limit is not None and row_min > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[len_b]


def _deletes(word: str, depth: int) -> set[str]:
    """All strings obtained from ``word`` by deleting up to ``depth`` characters."""
    results = {word}
    frontier = {word}
    for _ in range(depth):
        next_frontier: set[str] = set()
        for item in frontier:
            for index in range(len(item)):
                next_frontier.add(item[:index] + item[index + 1:])
        results |= next_frontier
        frontier = next_frontier
    return results


def _trigrams(text: str) -> set[str]:
    padded = f"  {text} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


def _similarity(query: str, form: str, limit: int | None = None) -> float:
    longest = max(len(query), len(form))
    if not longest:
        return 0.0
    distance = damerau_levenshtein(query, form, limit)
    return max(0.0, 1.0 - distance / longest)


class NameIndex:
    """Typo-tolerant index from surface forms to keys."""

    def __init__(self, surface_to_key: Mapping[str, str]) -> None:
        self._exact: dict[str, str] = {}
        self._compact: dict[str, str] = {}
        self._display: dict[str, str] = {}
        for surface, key in surface_to_key.items():
            form = key_form(surface)
            if not form:
                continue
            self._exact.setdefault(form, key)
            self._display.setdefault(form, surface)
            self._compact.setdefault(form.replace(" ", ""), key)
        self._compact_to_form: dict[str, str] = {}
        for form in self._exact:
            self._compact_to_form.setdefault(form.replace(" ", ""), form)
        # deletion index over compact forms
        self._delete_index: dict[str, set[str]] = {}
        for compact in self._compact:
            if len(compact) < _MIN_FUZZY_LEN:
                continue
            depth = 1 if len(compact) < 7 else _MAX_DELETES
            for variant in _deletes(compact, depth):
                self._delete_index.setdefault(variant, set()).add(compact)
        # trigram index over compact forms
        self._trigram_index: dict[str, set[str]] = {}
        self._trigram_sets: dict[str, set[str]] = {}
        for compact in self._compact:
            grams = _trigrams(compact)
            self._trigram_sets[compact] = grams
            for gram in grams:
                self._trigram_index.setdefault(gram, set()).add(compact)
        self._max_form_words = max((len(f.split()) for f in self._exact), default=1)

    def __contains__(self, text: str) -> bool:
        return key_form(text) in self._exact

    def keys(self) -> set[str]:
        return set(self._exact.values())

    def exact(self, text: str) -> str | None:
        """The key whose form equals ``text`` after normalisation, or ``None``."""
        form = key_form(text)
        key = self._exact.get(form)
        if key is None:
            key = self._compact.get(form.replace(" ", ""))
        return key

    def lookup(self, text: object, limit: int = 5) -> LookupResult:
        """Rank keys for ``text``; see the module docstring for the steps."""
        if not isinstance(text, str):
            return LookupResult(query=str(text))
        form = key_form(text)
        if not form:
            return LookupResult(query=text)
        scores: dict[str, Candidate] = {}

        def offer(key: str, score: float, matched: str) -> None:
            known = scores.get(key)
            if known is None or score > known.score:
                scores[key] = Candidate(key, round(score, 4), matched)

        key = self._exact.get(form)
        if key is not None:
            offer(key, 1.0, form)
        compact = form.replace(" ", "")
        key = self._compact.get(compact)
        if key is not None:
            offer(key, 0.98, self._compact_to_form[compact])

        if len(compact) >= _MIN_FUZZY_LEN and not scores:
            self._edit_candidates(compact, offer)
        if not scores or max(c.score for c in scores.values()) < 0.9:
            self._phrase_candidates(form, offer)
        if not scores or max(c.score for c in scores.values()) < 0.75:
            self._trigram_candidates(compact, offer)
        ranked = sorted(scores.values(), key=lambda c: (-c.score, c.key))
        return LookupResult(query=text, candidates=tuple(ranked[:limit]))

    # --- candidate generators ------------------------------------------

    def _edit_candidates(self, compact: str, offer: Offer) -> None:
        depth = 1 if len(compact) < 7 else _MAX_DELETES
        seen: set[str] = set()
        for variant in _deletes(compact, depth):
            for target in self._delete_index.get(variant, ()):
                if target in seen:
                    continue
                seen.add(target)
                limit = 1 if min(len(target), len(compact)) < 7 else _MAX_DELETES
                distance = damerau_levenshtein(compact, target, limit, _SWAP_COST)
                if distance <= limit:
                    longest = max(len(compact), len(target))
                    score = 1.0 - distance / longest
                    if longest <= _SHORT_LEN and distance >= 1:
                        score -= _SHORT_PENALTY
                    # a typo is less certain than an exact match
                    offer(self._compact[target], min(score, 0.97), self._compact_to_form[target])

    def _phrase_candidates(self, form: str, offer: Offer) -> None:
        words = form.split()
        total_chars = len(form.replace(" ", ""))
        if len(words) < 2:
            return
        for size in range(min(len(words), self._max_form_words), 0, -1):
            for start in range(0, len(words) - size + 1):
                phrase = " ".join(words[start:start + size])
                key = self._exact.get(phrase)
                if key is None:
                    continue
                coverage = len(phrase.replace(" ", "")) / total_chars
                offer(key, 0.6 + 0.35 * coverage, phrase)

    def _trigram_candidates(self, compact: str, offer: Offer, pool: int = 8) -> None:
        grams = _trigrams(compact)
        counts: dict[str, int] = {}
        for gram in grams:
            for target in self._trigram_index.get(gram, ()):
                counts[target] = counts.get(target, 0) + 1
        if not counts:
            return
        ranked = sorted(
            counts.items(),
            key=lambda item: (
                -2 * item[1] / (len(grams) + len(self._trigram_sets[item[0]])),
                item[0],
            ),
        )[:pool]
        for target, _ in ranked:
            score = _similarity(compact, target)
            offer(self._compact[target], min(score, 0.95), self._compact_to_form[target])
