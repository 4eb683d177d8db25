#!/usr/bin/env python
"""Rebuild nutrition/data/foods.json from the curated selection and USDA SR28.

    .venv/bin/python scripts/build_food_table.py            # write foods.json
    .venv/bin/python scripts/build_food_table.py --check    # exit 1 if it is stale
    .venv/bin/python scripts/build_food_table.py --shared /path/to/shared

The work is done by :mod:`nutrition.food_table` (its docstring explains inputs and rounding).
"""

import sys

from nutrition.food_table import main

if __name__ == "__main__":
    sys.exit(main())
