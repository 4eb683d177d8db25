#!/usr/bin/env python
"""Compare candidate-search libraries for the food matcher: accuracy and speed.

Usage (from the repository root)::

    .venv/bin/python -m bench.food_matcher_compare [--seconds 2] [--backend rapidfuzz]

For each backend the food-specific rules of nutrition/food_matching.py stay the
same; only the search for similar words (and for names written without spaces)
changes:

* ``rapidfuzz`` (shipped): ``rapidfuzz.process.extract`` with the OSA distance;
* ``symspellpy``: a SymSpell dictionary of the same words (max edit distance 2),
  distances from symspellpy (needs ``symspellpy`` installed; it is not a project
  dependency);
* ``current``: whatever ``nutrition.foods.find_food`` does as installed (use it to
  measure an older checkout of the core put first on PYTHONPATH).

Prints top-1 accuracy on the held-out mentions (tests/nutrition/
food_mentions_holdout.yml), on the blind near-miss set (tests/nutrition/
food_near_misses.yml, where "ask" means the matcher should not answer) and
lookups per second (single thread, no cache) over both sets together. Not a test.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

from nutrition.errors import FoodNotFound
from nutrition.foods import find_food

REPO_ROOT = Path(__file__).resolve().parent.parent
HOLDOUT = REPO_ROOT / "tests" / "nutrition" / "food_mentions_holdout.yml"
NEAR_MISSES = REPO_ROOT / "tests" / "nutrition" / "food_near_misses.yml"


def _answer(text: str) -> str:
    try:
        return find_food(text).key
    except FoodNotFound:
        return "ask"


def _accuracy(pairs: list[tuple[str, str]]) -> tuple[float, list[tuple[str, str, str]]]:
    misses = [(text, want, got) for text, want in pairs if (got := _answer(text)) != want]
    return 1 - len(misses) / len(pairs), misses


def _rate(texts: list[str], seconds: float) -> float:
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in texts:
            _answer(text)
        count += len(texts)
    return count / (time.perf_counter() - start)


def _use_symspellpy() -> None:
    from symspellpy import SymSpell, Verbosity

    from nutrition.foods import _index

    matcher = _index()

    def dictionary(words: list[str]) -> SymSpell:
        sym = SymSpell(max_dictionary_edit_distance=2, prefix_length=16)
        for word in words:
            sym.create_dictionary_entry(word, 1)
        return sym

    heads = dictionary(matcher.head_words)
    compact = dictionary(matcher.compact_forms)

    def search(sym: SymSpell):
        def similar(word: str) -> list[tuple[str, int]]:
            found = sym.lookup(word, Verbosity.ALL, max_edit_distance=2, transfer_casing=False)
            return [(item.term, item.distance) for item in found]

        return similar

    matcher.similar_words = search(heads)
    matcher.similar_compact = search(compact)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--backend", choices=["rapidfuzz", "symspellpy", "current"],
                        default="rapidfuzz")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the misses")
    args = parser.parse_args()
    if args.backend == "symspellpy":
        _use_symspellpy()
    holdout = [(str(r["mention"]), r["key"]) for r in yaml.safe_load(HOLDOUT.read_text())]
    near = [(str(r["text"]), r["expect"]) for r in yaml.safe_load(NEAR_MISSES.read_text())]
    _answer("banana")  # builds the index outside the timed loop
    for name, pairs in (("held-out", holdout), ("near-miss", near)):
        accuracy, misses = _accuracy(pairs)
        print(f"{args.backend:10} {name:9}: {accuracy:.1%} ({len(pairs) - len(misses)}"
              f"/{len(pairs)})")
        if args.verbose:
            for text, want, got in misses:
                print(f"    MISS {text!r}: expected {want}, got {got}")
    rate = _rate([text for text, _ in holdout + near], args.seconds)
    print(f"{args.backend:10} speed    : {rate:,.0f} lookups/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
