"""Loading of the shipped data tables (cached; each file read once per process)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def load(name: str) -> Any:
    """Load ``nutrition/data/<name>`` (YAML or JSON) and return it.

    The returned object is shared: callers must not modify it.
    """
    path = DATA_DIR / name
    with path.open(encoding="utf-8") as handle:
        if path.suffix == ".json":
            return json.load(handle)
        return yaml.safe_load(handle)
