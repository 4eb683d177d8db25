"""Typo-tolerant lookup of short names (medication names and classes).

:class:`NameIndex` maps surface forms to keys. The string distance and the
candidate search are rapidfuzz's (optimal string alignment distance: insert,
delete, substitute, swap of neighbours). A query is tried, in order:

1. exactly, after normalisation and crude singularisation (score 1.0);
2. with the spaces removed ("blood thinner" vs "bloodthinner"; 0.98);
3. within two edits of a known form (one edit below 7 letters; forms shorter
   than 4 letters get none), scored as ``1 - distance / longer length``;
4. as a phrase that contains a known form as whole words ("my fosamax pill"
   contains "fosamax"), scored by how much of the query the form covers;
5. by rapidfuzz's normalised similarity over all forms (the closest few, for
   "did you mean" lists), capped below the accepted scores.

Foods have their own rules (:mod:`food_matching`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .text import key_form

_MIN_FUZZY_LEN = 4
# How a candidate generator hands on a key, its score and the form that matched.
Offer = Callable[[str, float, str], None]


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


class BestCandidates:
    """The best-scoring candidate per key, as candidate generators offer them."""

    def __init__(self) -> None:
        self._best: dict[str, Candidate] = {}

    def offer(self, key: str, score: float, matched: str) -> None:
        known = self._best.get(key)
        if known is None or score > known.score:
            self._best[key] = Candidate(key, round(score, 4), matched)

    def __bool__(self) -> bool:
        return bool(self._best)

    def top_score(self) -> float:
        return max((c.score for c in self._best.values()), default=0.0)

    def ranked(self, limit: int) -> tuple[Candidate, ...]:
        """Best first (ties by key), at most ``limit``."""
        return tuple(sorted(self._best.values(), key=lambda c: (-c.score, c.key))[:limit])


class NameIndex:
    """Typo-tolerant index from surface forms to keys."""

    def __init__(self, surface_to_key: Mapping[str, str]) -> None:
        self._exact: dict[str, str] = {}
        for surface, key in surface_to_key.items():
            form = key_form(surface)
            if form:
                self._exact.setdefault(form, key)
        self._compact: dict[str, str] = {}
        for form in self._exact:
            self._compact.setdefault(form.replace(" ", ""), form)
        self._compact_forms = list(self._compact)
        self._max_form_words = max((len(f.split()) for f in self._exact), default=1)

    def __contains__(self, text: str) -> bool:
        return key_form(text) in self._exact

    def keys(self) -> set[str]:
        return set(self._exact.values())

    def exact(self, text: str) -> str | None:
        """The key whose form equals ``text`` after normalisation, or ``None``."""
        form = key_form(text)
        key = self._exact.get(form)
        if key is None and form.replace(" ", "") in self._compact:
            key = self._exact[self._compact[form.replace(" ", "")]]
        return key

    def lookup(self, text: object, limit: int = 5) -> LookupResult:
        """Rank keys for ``text``; see the module docstring for the steps."""
        if not isinstance(text, str):
            return LookupResult(query=str(text))
        form = key_form(text)
        if not form:
            return LookupResult(query=text)
        scores = BestCandidates()
        offer = scores.offer
        if form in self._exact:
            offer(self._exact[form], 1.0, form)
        compact = form.replace(" ", "")
        if compact in self._compact:
            name = self._compact[compact]
            offer(self._exact[name], 0.98, name)
        if not scores and len(compact) >= _MIN_FUZZY_LEN:
            found = process.extract(
                compact, self._compact_forms, scorer=OSA.distance, score_cutoff=2, limit=None
            )
            for target, distance, _ in found:
                allowed = 1 if min(len(target), len(compact)) < 7 else 2
                if len(target) >= _MIN_FUZZY_LEN and distance <= allowed:
                    name = self._compact[target]
                    score = 1.0 - distance / max(len(compact), len(target))
                    offer(self._exact[name], min(score, 0.97), name)
        if not scores or scores.top_score() < 0.9:
            self._phrase_candidates(form, offer)
        if not scores:
            for target, similarity, _ in process.extract(
                compact, self._compact_forms, scorer=fuzz.ratio, limit=limit
            ):
                name = self._compact[target]
                offer(self._exact[name], min(similarity / 100, 0.75), name)
        return LookupResult(query=text, candidates=scores.ranked(limit))

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
