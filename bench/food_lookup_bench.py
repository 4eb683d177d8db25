#!/usr/bin/env python
"""Measure food-lookup throughput of nutrition.find_food on one core.

Usage (from the repository root)::

    .venv/bin/python bench/food_lookup_bench.py [--seconds 3]

Runs every labelled mention of tests/nutrition/food_mentions.yml (typos,
plurals, everyday names) through find_food() in a loop, single-threaded, with
no result cache, and prints lookups per second for all mentions and for the
misspelt ones alone (mentions that are not an exact table form). Unknown-food
errors count as lookups too. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

from nutrition.errors import FoodNotFound
from nutrition.foods import find_food, food_surface_forms
from nutrition.text import key_form

REPO_ROOT = Path(__file__).resolve().parent.parent

MENTIONS = REPO_ROOT / "tests" / "nutrition" / "food_mentions.yml"


def _rate(texts: list[str], seconds: float) -> tuple[float, int]:
    count = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for text in texts:
            try:
                find_food(text)
            except FoodNotFound:
                pass
        count += len(texts)
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start), count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    mentions = [str(text) for text, _ in yaml.safe_load(MENTIONS.read_text())["mentions"]]
    known = {key_form(form) for form in food_surface_forms()}
    fuzzy = [text for text in mentions if key_form(text) not in known]
    try:
        find_food("banana")  # builds the index outside the timed loop
    except FoodNotFound:
        pass
    overall, n_all = _rate(mentions, args.seconds)
    typo_rate, n_typo = _rate(fuzzy, args.seconds)
    print(f"mentions: {len(mentions)} ({len(fuzzy)} not an exact table form)")
    print(f"all mentions : {overall:,.0f} lookups/s ({n_all:,} lookups)")
    print(f"fuzzy only   : {typo_rate:,.0f} lookups/s ({n_typo:,} lookups)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
