"""Fixtures of the spaCy pipeline tests: a built pipeline."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def built_pipeline():
    """The project pipeline, built first if its inputs changed (a no-op otherwise)."""
    from nlu import build_pipeline
    from nlu.extract import load_pipeline

    assert build_pipeline.main([]) == 0
    return load_pipeline()
