"""Held-out evaluation of find_food() on mentions never used for tuning.

The list (food_mentions_holdout.yml) was written without looking at the
matcher; it must not be edited to make this test pass, and the matcher must
not be tuned on its entries.
"""

from __future__ import annotations

import yaml

from nutrition.errors import FoodNotFound
from nutrition.foods import find_food, food_keys
from tests.nutrition.paths import REPO_ROOT

HOLDOUT_FILE = REPO_ROOT / "tests" / "nutrition" / "food_mentions_holdout.yml"
HOLDOUT = yaml.safe_load(HOLDOUT_FILE.read_text(encoding="utf-8"))

MIN_ACCURACY = 0.98


def test_holdout_list_is_well_formed():
    assert isinstance(HOLDOUT, list)
    assert len(HOLDOUT) >= 200
    keys = set(food_keys())
    unknown = [row for row in HOLDOUT if row["key"] not in keys]
    assert not unknown, f"labels that are not food keys: {unknown}"
    mentions = [str(row["mention"]).lower() for row in HOLDOUT]
    assert len(mentions) == len(set(mentions)), "duplicate mentions in the held-out list"


def test_holdout_top1_accuracy():
    misses = []
    for row in HOLDOUT:
        mention, expected = str(row["mention"]), row["key"]
        try:
            got = find_food(mention).key
        except FoodNotFound:
            got = None
        if got != expected:
            misses.append((mention, expected, got))
    accuracy = 1 - len(misses) / len(HOLDOUT)
    print(
        f"\nheld-out food matching top-1 accuracy: {accuracy:.1%} "
        f"({len(HOLDOUT) - len(misses)}/{len(HOLDOUT)})"
    )
    for mention, expected, got in misses:
        print(f"  MISS {mention!r}: expected {expected}, got {got or 'no match'}")
    assert accuracy >= MIN_ACCURACY, f"{len(misses)} misses: {misses}"
