"""The check of an action server's reply, one event against its own kind's schema.

Rasa checks each reply of the action server against one JSON schema
(``RemoteAction.action_response_format_spec``) in which every event must match exactly one
of 23 alternatives (``oneOf``), one per kind of event, each told apart by its ``event``
name (``const``). jsonschema tries all 23 on every event and builds an error for each of
the 22 that do not fit; a reply of a few slot events took about 4 ms here, 13 ms under a
profiler, about 7 % of a food-diary turn (BENCHMARKS.md, "Diary").

``validate_action_result`` checks the same schema in parts prepared once: the reply
without its events' schema, then each event against the event schema without ``oneOf``
and against the alternatives named for its ``event`` only. An alternative named for
another event cannot match (its ``const`` differs from the event's name, which the event
has), so "exactly one of the alternatives with this name matches" is "exactly one of all".
When this quick check does not pass (an event without a name, a name no alternative has,
any error), the reply goes through the earlier path unchanged (runtime/speedups.py, then
Rasa's own check, which raises its worded ``ValidationError``): a reply is never taken
as valid here unless Rasa's schema would take it.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

from runtime.speedups import _validate_action_result as _prepared_validate


class _Parts:
    def __init__(self, schema: dict[str, Any]) -> None:
        cls = validator_for(schema)
        cls.check_schema(schema)
        events = schema["properties"]["events"]
        event_schema = events["items"]
        outer = copy.deepcopy(schema)
        outer["properties"]["events"] = {k: v for k, v in events.items() if k != "items"}
        self.outer = cls(outer)
        self.event = cls({k: v for k, v in event_schema.items() if k != "oneOf"})
        self.by_name: dict[str, list[Any]] = {}
        for alternative in event_schema["oneOf"]:
            name = alternative["properties"]["event"]["const"]
            self.by_name.setdefault(name, []).append(cls(alternative))

    def valid(self, result: Any) -> bool:
        if not self.outer.is_valid(result):
            return False
        for event in result.get("events") or ():
            name = event.get("event") if isinstance(event, dict) else None
            if not isinstance(name, str) or not self.event.is_valid(event):
                return False
            if sum(1 for v in self.by_name.get(name, ()) if v.is_valid(event)) != 1:
                return False
        return True


@lru_cache(maxsize=1)
def _parts() -> _Parts:
    return _Parts(RemoteAction.action_response_format_spec())


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    if _parts().valid(result):
        return True
    return _prepared_validate(self, result)
