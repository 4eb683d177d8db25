"""Fixtures of the spaCy pipeline tests: the repository root on sys.path and a built pipeline."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))


@pytest.fixture(scope="session")
def built_pipeline():
    """The project pipeline, built first if its inputs changed (a no-op otherwise)."""
    from nlu import build_pipeline
    from nlu.extract import load_pipeline

    assert build_pipeline.main([]) == 0
    return load_pipeline()
