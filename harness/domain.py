"""The assistant's domain as Rasa sees it: every file of domain/ merged, as
`rasa train --domain domain` merges them."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from harness.paths import DOMAIN_DIR

if TYPE_CHECKING:
    from rasa.shared.core.domain import Domain


@lru_cache(maxsize=1)
def load_domain() -> Domain:
    """The merged domain (loaded once; treat it as read-only). ``.as_dict()`` gives it in the
    shape of a domain file: ``responses``, ``intents``, ``slots``, ``forms``, ``actions``..."""
    from rasa.shared.core.domain import Domain

    return Domain.load(str(DOMAIN_DIR))
