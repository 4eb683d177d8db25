#!/usr/bin/env python
"""Measure how long nutrition.menu.plan_day takes per request.

Usage (from the repository root)::

    .venv/bin/python -m bench.menu_bench [--requests 200] [--seed 14]

Plans a day for ``--requests`` varied requests (age and sex, any mix of the
diet restrictions, up to three disliked foods or categories, variant 0-2),
drawn from a seeded random generator so that runs are comparable. Each plan is
timed cold: the planner's cache is cleared first, so a variant pays for solving
the earlier variants too, as a first request in a conversation would. Refusals
(no menu fits) are timed and counted as well. Prints p50, p90, p99 and max in
milliseconds. Not a test: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time

from bench.run_bench import percentile
from nutrition import menu
from nutrition.diet import Diet
from nutrition.foods import food_info
from nutrition.menu import MenuInfeasible, MenuRequest, menu_food_keys, plan_day

PROFILES = [(60, "female"), (30, "male"), (75, "male"), (15, "female"), (45, "female"),
            (10, None), (55, "male"), (25, "female"), (80, "female"), (35, "male")]
FLAGS = ["vegan", "vegetarian", "nut_allergy", "lactose_free", "gluten_free", "no_fortified"]


def requests(count: int, seed: int) -> list[MenuRequest]:
    rng = random.Random(seed)
    keys = menu_food_keys()
    categories = sorted({food_info(key)["category"] for key in keys})
    out = []
    for _ in range(count):
        age, sex = rng.choice(PROFILES)
        flags = {flag: rng.random() < 0.25 for flag in FLAGS}
        dislikes = frozenset(rng.sample(keys + categories, rng.randint(0, 3)))
        out.append(MenuRequest(age_years=age, sex=sex, diet=Diet(**flags, dislikes=dislikes),
                               variant=rng.choice([0, 0, 1, 2])))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    batch = requests(args.requests, args.seed)
    plan_day(MenuRequest(age_years=40, sex="female"))  # loads the tables outside the timing
    times: list[float] = []
    refused = 0
    for request in batch:
        menu._plan.cache_clear()
        start = time.perf_counter()
        try:
            plan_day(request)
        except MenuInfeasible:
            refused += 1
        times.append((time.perf_counter() - start) * 1000)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"menu plans: {len(times)} requests (seed {args.seed}), {refused} refused "
          f"(no menu fits); load average {load:.1f} on {os.cpu_count()} cores")
    print(f"ms per plan: p50 {statistics.median(times):.1f}  p90 {percentile(times, 0.9):.1f}  "
          f"p99 {percentile(times, 0.99):.1f}  max {max(times):.1f}  (goal: p99 <= 100)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
