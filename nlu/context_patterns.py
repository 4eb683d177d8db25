"""Context data for the custom ``nlu_context_entities`` component, deterministically.

Patterns whose entity is only part of the match ("I'm 54": the entity is "54"), the
number-phrase grammar used for counts ("2 bananas") and bare-number answers, the food forms
behind each lemma sequence, and a few word lists. Everything is sorted, so the same inputs
always give a byte-identical ``context.json``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nlu import vocab, vocab_core, vocab_person
from nlu.patterns import (
    Pattern,
    Tokenize,
    Words,
    dumps,
    number_phrases,
    sort_patterns,
    unit_token_forms,
)


def food_forms_by_lemma(
    food_patterns: list[Pattern], lemmatize: Callable[[str], tuple[list[str], list[str]]]
) -> dict[str, list[str]]:
    """Lemma sequence -> the food surfaces (lower-case tokens joined by spaces) behind it.

    The food ruler matches on LEMMA; the context component keeps a lemma match only when
    the text is the surface itself or a regular singular/plural of it, because the lookup
    table also merges unrelated words ("liver" -> "live").
    """
    table: dict[str, set[str]] = {}
    for pattern in food_patterns:
        tokens, lemmas = lemmatize(pattern["pattern"])
        table.setdefault(" ".join(lemmas), set()).add(" ".join(t.lower() for t in tokens))
    return {key: sorted(forms) for key, forms in sorted(table.items())}


def _alternatives(words: Words) -> list[list[str]]:
    return [[w] if isinstance(w, str) else sorted(w) for w in words]


def context_data(
    tokenize: Tokenize, food_forms: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    """Everything the ``nlu_context_entities`` component needs (JSON-serialisable).

    ``context_rules`` are word sequences (each position: its alternatives) that come right
    before an entity they are not part of: an age ("I'm" 54, "my daughter is" 14), a sex
    letter ("sex:" F) or the word "expecting" ("I'm" expecting).
    """
    single_units, _multi_units, size_words = unit_token_forms(tokenize)
    rules: list[dict[str, Any]] = []
    for before in vocab_person.AGE_CONTEXT_BEFORE:
        rules.append({"label": "AGE", "before": _alternatives(before)})
    for verb in vocab_person.AGE_PERSON_VERBS:
        person_before = _alternatives((vocab_person.AGE_PERSON_WORDS, *verb))
        rules.append({"label": "AGE", "before": person_before})
    rules.append({"label": "AGE", "before": _alternatives((vocab_person.AGE_OF_WORDS, "of"))})
    rules.append(
        {
            "label": "SEX",
            "before": _alternatives(
                (vocab_person.SEX_LABEL_WORDS, vocab_person.SEX_LABEL_SEPARATORS)
            ),
        }
    )
    rules.append(
        {
            "label": "LIFE_STAGE",
            "before": _alternatives((vocab_person.EXPECTING_CONTEXT_BEFORE,)),
            "word": "expecting",
            "id": "pregnant",
        }
    )
    numbers = [
        {"label": "NUMBER", "pattern": phrase, "id": f"{kind}:{'N' * len(phrase)}"}
        for kind, phrase in number_phrases()
        if kind != "article"
    ]
    return {
        "context_rules": sorted(rules, key=dumps),
        "number_patterns": sort_patterns(numbers),
        "not_age_next": sorted(set(vocab_person.NOT_AGE_NEXT) | set(single_units)),
        "needs_food_units": sorted(set(size_words) | {"whole", "each", "item", "items"}),
        "ambiguous_unit_words": sorted(set(single_units) & set(vocab.AMBIGUOUS_UNIT_WORDS)),
        "sex_letters": dict(sorted(vocab_person.SEX_LETTERS.items())),
        "short_answer_fillers": sorted(vocab_person.SHORT_ANSWER_FILLERS),
        "negation_words": sorted(vocab_person.NEGATION_WORDS),
        "negation_window": vocab_person.NEGATION_WINDOW,
        "expecting_next_ok": sorted(vocab_person.EXPECTING_NEXT_OK),
        "expecting_next_a_ok": sorted(vocab_person.EXPECTING_NEXT_A_OK),
        "food_forms_by_lemma": food_forms or {},
        "whole_item_foods": vocab_core.whole_item_food_keys(),
        "whole_item_articles": sorted(vocab.WHOLE_ITEM_ARTICLES),
        "age_years_min": vocab_person.AGE_YEARS_MIN,
        "age_years_max": vocab_person.AGE_YEARS_MAX,
    }
