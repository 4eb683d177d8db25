"""Custom spaCy components of the project pipeline (importing this module registers them).

Any code that loads ``build/spacy_pipeline`` with ``spacy.load`` must import this module
first (``nlu.extract.load_pipeline`` and ``nlu.extractor`` do).

* ``nlu.safe_tokenizer.v1`` (a tokenizer, not a component; in :mod:`nlu.tokenizer`): the
  English tokenizer with a rule that splits a unit glued to a number, and that never raises
  on lone surrogates.
* ``nlu_lemma_case``: the lookup lemmatizer looks words up case-sensitively, so "Almonds"
  keeps "Almonds" as its lemma; this component gives capitalised tokens the lemma of their
  lower-case form, so that lemma matching is case-insensitive.
* ``nlu_entity_ruler``: spaCy's ``EntityRuler`` unchanged except for speed: its ``match``
  skips the per-call pattern count (a sum over every pattern list: thousands of food
  patterns) and the warning filter, and a doc without matches is left untouched.
* ``nlu_context_entities`` (in :mod:`nlu.context_entities`): rules that a plain
  entity-ruler pattern cannot express: entities that need context outside their span
  ("I'm 54" -> AGE "54"), a bare number as a whole message, counts before a food,
  one-letter sex answers beside an age, denied life stages, and removal of BLOCK spans.
"""

# No `from __future__ import annotations` here: spaCy reads the factory signatures.
import logging
from collections.abc import Callable
from typing import Any

from spacy.language import Language
from spacy.pipeline.entityruler import DEFAULT_ENT_ID_SEP, EntityRuler
from spacy.tokens import Doc

# importing these registers the tokenizer and the context-rule component with the others
from nlu import context_entities, tokenizer  # noqa: F401

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------
# nlu_entity_ruler
# ---------------------------------------------------------------------------------------


@Language.factory(
    "nlu_entity_ruler",
    assigns=["doc.ents", "token.ent_type", "token.ent_iob"],
    default_config={
        "phrase_matcher_attr": None,
        "validate": False,
        "overwrite_ents": False,
        "ent_id_sep": DEFAULT_ENT_ID_SEP,
        "scorer": {"@scorers": "spacy.entity_ruler_scorer.v1"},
    },
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_nlu_entity_ruler(
    nlp: Language,
    name: str,
    phrase_matcher_attr: int | str | None,
    validate: bool,
    overwrite_ents: bool,
    ent_id_sep: str,
    scorer: Callable | None,
) -> "NluEntityRuler":
    return NluEntityRuler(
        nlp,
        name,
        phrase_matcher_attr=phrase_matcher_attr,
        validate=validate,
        overwrite_ents=overwrite_ents,
        ent_id_sep=ent_id_sep,
        scorer=scorer,
    )


class NluEntityRuler(EntityRuler):
    """spaCy's EntityRuler with a cheaper ``match`` (same matches, same order rule:
    longest first, then leftmost; equal spans are ordered by match id, so the choice
    between them does not depend on set order)."""

    def match(self, doc: Doc) -> list[tuple[int, int, int]]:
        matches: list[tuple[int, int, int]] = []
        if len(self.matcher):
            matches.extend(self.matcher(doc))
        if len(self.phrase_matcher):
            matches.extend(self.phrase_matcher(doc))
        unique = {(m_id, start, end) for m_id, start, end in matches if start != end}
        return sorted(unique, key=lambda m: (m[1] - m[2], m[1], m[0]))

    def set_annotations(self, doc: Doc, matches: list[tuple[int, int, int]]) -> None:
        if matches:
            super().set_annotations(doc, matches)


# ---------------------------------------------------------------------------------------
# nlu_lemma_case
# ---------------------------------------------------------------------------------------


@Language.factory("nlu_lemma_case", default_config={"lemmatizer": "lemmatizer"})
def make_lemma_case(nlp: Language, name: str, lemmatizer: str) -> "LemmaCase":
    return LemmaCase(nlp, name, lemmatizer)


class LemmaCase:
    """Give tokens with capitals the lookup lemma of their lower-case form."""

    def __init__(self, nlp: Language, name: str, lemmatizer: str) -> None:
        self.nlp = nlp
        self.name = name
        self.lemmatizer = lemmatizer
        self._table: Any = None

    def _lookup_table(self) -> Any:
        if self._table is None:
            table = self.nlp.get_pipe(self.lemmatizer).lookups.get_table("lemma_lookup", {})
            if len(table):
                self._table = table
            return table
        return self._table

    def __call__(self, doc: Doc) -> Doc:
        try:
            table = self._lookup_table()
            for token in doc:
                lower = token.lower_
                if token.text != lower:
                    token.lemma_ = table.get(lower, lower)
        except Exception:  # noqa: BLE001 - a component must never break the pipeline
            logger.exception("nlu_lemma_case failed; lemmas left as they were")
        return doc
