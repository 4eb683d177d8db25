"""Paths used by the nutrition-core tests."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

# The project's shared reference folder lives beside the repository (CI clones
# the repo elsewhere with shared/ next to it).
SHARED_DIR = REPO_ROOT.parent / "shared"
SR28_DIR = SHARED_DIR / "data" / "usda-sr28"

needs_sr28 = pytest.mark.skipif(
    not (SR28_DIR / "ABBREV.csv").exists(),
    reason=f"USDA SR28 reference data not found at {SR28_DIR} (../shared beside the repo)",
)
