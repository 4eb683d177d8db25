"""Performance fixes for Rasa 3.6 that change no behaviour.

Action-server replies: Rasa checks every reply against a JSON schema with
``jsonschema.validate``, which first re-checks the schema itself against the JSON Schema
meta-schema on every call. With the locked jsonschema 4.17 that meta-check alone took about
25 ms per custom-action turn here, more than everything else in such a turn (measured with
cProfile; see BENCHMARKS.md). The replacement checks the schema once and keeps one validator;
an invalid reply still goes through Rasa's own check, which raises its worded
``ValidationError``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

_original_validate = RemoteAction._validate_action_result
_installed = False


@lru_cache(maxsize=1)
def _reply_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    if best_match(_reply_validator().iter_errors(result)) is None:
        return True
    # An invalid reply (rare): Rasa's own check raises its worded ValidationError.
    return _original_validate(self, result)


def install() -> None:
    """Install the speed-ups (idempotent)."""
    global _installed
    if not _installed:
        RemoteAction._validate_action_result = _validate_action_result
        _installed = True
