"""Entity extraction without Rasa: ``extract(text) -> list[dict]``.

    >>> from nlu.extract import extract
    >>> extract("I had 2 cups of spinach")     # doctest: +SKIP
    [{'entity': 'amount', 'start': 6, 'end': 12, 'value': 2.0, 'unit': 'cup', 'group': '1'},
     {'entity': 'food', 'start': 16, 'end': 23, 'value': 'spinach_raw', 'group': '1'}]

The pipeline is loaded once per process from ``build/spacy_pipeline`` (build it with
``python -m nlu.build_pipeline``). The value format is documented in :mod:`nlu.normalise`.
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from pathlib import Path
from typing import Any

from nlu import PIPELINE_DIR

logger = logging.getLogger(__name__)

#: Longest text handed to spaCy; the rest of a longer text is ignored (offsets stay valid).
MAX_CHARS = 100_000

_lock = threading.Lock()
_pipelines: dict[str, Any] = {}


class PipelineMissing(RuntimeError):
    """The built pipeline is not there: run ``python -m nlu.build_pipeline``."""


def load_pipeline(path: str | Path = PIPELINE_DIR) -> Any:
    """Load (once per process) and return the spaCy pipeline at ``path``."""
    key = str(Path(path).resolve())
    with _lock:
        if key not in _pipelines:
            import spacy

            import nlu.components  # noqa: F401 - registers the custom factories

            if not (Path(path) / "config.cfg").is_file():
                raise PipelineMissing(
                    f"no spaCy pipeline at {path}: run `.venv/bin/python -m nlu.build_pipeline`"
                )
            _pipelines[key] = spacy.load(path)
        return _pipelines[key]


def clean_text(text: object) -> str:
    """The text to analyse: a string, cut to :data:`MAX_CHARS`; anything else gives ""."""
    if not isinstance(text, str):
        return ""
    return text[:MAX_CHARS]


def analysable(text: str) -> bool:
    """False for text with nothing to analyse (empty, only spaces or control characters)."""
    return any(not unicodedata.category(ch).startswith(("Z", "C")) for ch in text)


def extract(text: object, nlp: Any = None) -> list[dict[str, Any]]:
    """Normalised entities of ``text`` (see :mod:`nlu.normalise`). Never raises on any
    input; raises :class:`PipelineMissing` only if the pipeline was never built."""
    from nlu.normalise import entities_from_doc

    text = clean_text(text)
    if not analysable(text):
        return []
    if nlp is None:
        nlp = load_pipeline()
    try:
        doc = nlp(text)
    except Exception:  # noqa: BLE001 - bad input gets no entities, never a crash
        logger.exception("spaCy failed on a text of %d characters", len(text))
        return []
    return entities_from_doc(doc)
