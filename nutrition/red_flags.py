"""Messages that must get a safety reply whatever else they say: talk of suicide or
self-harm, and medical emergencies happening now.

The patterns and their sources are a table (``data/red_flags.yml``). :func:`red_flag`
tells which kind a message raises, self-harm first; the NLU pipeline applies it after the
intent classifiers (``nlu.safety``), so it only ever adds safety, never removes it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from .data_files import load
from .text import normalise

Kind = Literal["self_harm", "emergency"]
SELF_HARM: Kind = "self_harm"
EMERGENCY: Kind = "emergency"
ORDER: tuple[Kind, ...] = (SELF_HARM, EMERGENCY)


@cache
def _patterns() -> dict[Kind, tuple[re.Pattern[str], ...]]:
    table = load("red_flags.yml")
    return {kind: tuple(re.compile(p) for p in table[kind]) for kind in ORDER}


def red_flag(text: str) -> Kind | None:
    """The kind of safety reply ``text`` calls for (self-harm before emergency), or None."""
    plain = normalise(text)
    for kind in ORDER:
        if any(p.search(plain) for p in _patterns()[kind]):
            return kind
    return None
