"""Performance fixes for Rasa 3.6 that change no behaviour.

Action-server replies: Rasa checks every reply against a JSON schema with
``jsonschema.validate``, which first re-checks the schema itself against the JSON Schema
meta-schema on every call. With the locked jsonschema 4.17 that meta-check alone took about
25 ms per custom-action turn here, more than everything else in such a turn (measured with
cProfile; see BENCHMARKS.md). The replacement checks the schema once and keeps one validator;
an invalid reply still goes through Rasa's own check, which raises its worded
``ValidationError``.

Graph runs: Rasa runs its model graph (the NLU pipeline per message, the policies per
predicted action) through ``dask.get``, which for every run rebuilds the minimal schema
and a task graph and schedules each node through dask's generic machinery. The model
graph is fixed once loaded, so ``SequentialGraphRunner`` works out each target set's
nodes and their order once and then calls the same nodes with the same inputs directly.
Training keeps Rasa's runner.

Custom-action calls: Rasa sends the action server the whole conversation, every event since
it began, on each call, and the action server parses it back. A long conversation makes every
custom-action turn slower: a food diary of 50 foods set its slot 50 times, each time with the
whole diary, and the tracker sent grew to about 400 KB (a food question then took about 90 ms
instead of 25 ms; `python -m bench.diary_bench`). The project's actions read the slots, the
latest message and the events of the current turn only (rasa-sdk's form validation reads the
slot events at the end), so ``_action_call_format`` sends the same state with the events
from the latest user message on. An action that needed older events would have to read
them from the tracker store.

Event types: every stored event read back (each turn reads the conversation from the
tracker store) and every event an action returns is turned into its class by
``Event.resolve_by_type``, which walks Rasa's whole ``Event`` class tree, checking each
class for abstract methods, to find the one class with that type name: about 0.3 ms per
event, 8 % of a turn in a profile of the test stories (`python -m bench.profile_turns
--profile`). ``resolve_event_type`` keeps a map from type name to class, built by the same
walk (where a subclass inherits its parent's name, as ``rasa.core.test``'s
``EndToEndUserUtterance`` does "user", the first in the walk's order, as Rasa's loop
returns), and walks again when a name is not in it (a class defined since). Unknown names
go to Rasa's own function (its ``topic``, default and error cases). Only a class defined
after the map was made, under a name already in it, and placed before the mapped class in
the walk's order, would be resolved differently; the project defines no event classes.

spaCy pipeline: Rasa's predict graph holds two ``SpacyNLP`` nodes and each loads the
pipeline from disk (about 1.2 s and its lookup tables in memory, twice). The pipeline is
only read once loaded, so both nodes get the same ``Language`` object; a rebuilt pipeline
directory (a new ``meta.json``/``config.cfg``) is loaded afresh.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

_original_validate = RemoteAction._validate_action_result


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


_original_call_format = RemoteAction._action_call_format
_original_resolve_by_type = Event.resolve_by_type
_event_types: dict[str, type[Event]] = {}


def event_types() -> dict[str, type[Event]]:
    """Type name -> class of every (non-abstract) event class defined now, first in Rasa's
    order of ``all_subclasses`` where a name would repeat."""
    import rasa.shared.utils.common

    found: dict[str, type[Event]] = {}
    for cls in rasa.shared.utils.common.all_subclasses(Event):
        found.setdefault(cls.type_name, cls)
    return found


def resolve_event_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    cls = _event_types.get(type_name)
    if cls is None:
        _event_types.update(event_types())  # a class defined since the map was made
        cls = _event_types.get(type_name)
    if cls is not None:
        return cls
    return _original_resolve_by_type(type_name, default)  # type: ignore[no-any-return]


def recent_events(tracker: DialogueStateTracker) -> list[Event]:
    """The events from the latest user message on (after the latest restart when there is
    no user message): all the project's actions read of the conversation's history."""
    events = list(tracker.events)
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], UserUttered):
            return events[index:]
    return tracker.events_after_latest_restart()


class _RecentEventsView:
    """What ``RemoteAction._action_call_format`` reads of a tracker, with its state holding
    only :func:`recent_events`."""

    def __init__(self, tracker: DialogueStateTracker) -> None:
        self._tracker = tracker
        self.sender_id = tracker.sender_id

    def current_state(self, event_verbosity: EventVerbosity = EventVerbosity.NONE) -> dict:
        state = self._tracker.current_state(EventVerbosity.NONE)
        state["events"] = [event.as_dict() for event in recent_events(self._tracker)]
        return state


def _action_call_format(
    self: RemoteAction, tracker: DialogueStateTracker, domain: Any
) -> dict[str, Any]:
    return _original_call_format(self, _RecentEventsView(tracker), domain)  # type: ignore[arg-type]


class SequentialGraphRunner(DaskGraphRunner):
    """Rasa's ``DaskGraphRunner`` without dask: same nodes, inputs and results.

    As with dask, a node receives the ``(node name, output)`` pairs of the nodes it needs,
    an input is passed on as the ``(input name, value)`` pair, and the result maps each
    target to its output.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plans: dict[tuple[tuple[str, ...], frozenset[str]], list[str]] = {}

    def _plan(self, targets: tuple[str, ...], input_names: frozenset[str]) -> list[str]:
        """Node names to run for ``targets``, each after the nodes it needs."""
        key = (targets, input_names)
        if key not in self._plans:
            nodes = self._graph_schema.minimal_graph_schema(list(targets)).nodes
            order: list[str] = []
            state: dict[str, bool] = {}  # False: being visited, True: placed

            def visit(name: str) -> None:
                if name in input_names or name not in nodes or state.get(name):
                    return  # an input, a literal (as dask treats unknown keys) or placed
                if state.get(name) is False:
                    raise GraphRunError(f"graph node '{name}' depends on itself")
                state[name] = False
                for needed in nodes[name].needs.values():
                    visit(needed)
                state[name] = True
                order.append(name)

            for target in targets:
                visit(target)
            self._plans[key] = order
        return self._plans[key]

    def run(self, inputs: dict[str, Any] | None = None,
            targets: list[str] | None = None) -> dict[str, Any]:
        run_targets = tuple(targets if targets else self._graph_schema.target_names)
        inputs = inputs or {}
        plan = self._plan(run_targets, frozenset(inputs))
        for value in inputs.values():
            # dask would take such a value for a reference to that node (Rasa's check)
            if isinstance(value, str) and (value in plan or value in inputs):
                raise GraphRunError(
                    f"Input value '{value}' clashes with a node name. Make sure that none "
                    f"of the input names passed to the `run` method are the same as node "
                    f"names in the graph schema."
                )
        results: dict[str, Any] = {name: (name, value) for name, value in inputs.items()}
        try:
            for name in plan:
                needs = self._graph_schema.nodes[name].needs.values()
                results[name] = self._instantiated_nodes[name](
                    *(results.get(needed, needed) for needed in needs)
                )
        except RuntimeError as error:
            raise GraphRunError("Error running runner.") from error
        return dict(results.get(target, target) for target in run_targets)


_original_load_spacy = SpacyNLP.load_model
_spacy_models: dict[tuple[str, tuple[int, ...]], Any] = {}


def _pipeline_stamp(name: str) -> tuple[int, ...]:
    """Modification times of a pipeline directory's meta.json and config.cfg (0 if missing)."""
    stamp = []
    for part in ("meta.json", "config.cfg"):
        try:
            stamp.append((Path(name) / part).stat().st_mtime_ns)
        except OSError:
            stamp.append(0)
    return tuple(stamp)


def _load_spacy_once(spacy_model_name: str) -> Any:
    key = (spacy_model_name, _pipeline_stamp(spacy_model_name or ""))
    if key not in _spacy_models:
        _spacy_models.clear()  # keep only the pipeline in use
        _spacy_models[key] = _original_load_spacy(spacy_model_name)
    return _spacy_models[key]


def install() -> None:
    """Install the speed-ups (idempotent), through the checked table of runtime/patches.py."""
    from runtime import patches

    patches.install((patches.SPEEDUPS,))
