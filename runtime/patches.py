"""Every change the runtime makes inside Rasa, in one table, checked before it is made.

Each `Patch` names its target (module, attribute), the replacement ("module:name") and why.
`install()` first checks that the installed packages are the versions the replacements
were written for (`WRITTEN_FOR`) and that every target still has the call shape it had
then; any mismatch stops the start with one line naming the patch, before anything is
changed. A replacement wraps the original and calls it inside, so a target that moved or
changed its parameters would otherwise fail later, mid-conversation, or be called wrongly.

What is recorded per target is its call shape: the parameter names, their order and kinds,
and which have defaults (`call_shape`), not annotations or default values. That is the
contract a wrapper depends on, it reads plainly in the table, and it does not change with
how annotations are rendered or with defaults computed at import (`configure_app`'s
`conversation_id` is a fresh uuid on every start). Changes inside a function body are what
the exact version check is for; a few replacements also read private attributes of their
target's objects, listed in `uses` and looked for in the target's source. Upgrading Rasa:
change `WRITTEN_FOR`, then re-read each target below and update its entry (the test
tests/reliability/test_patches.py lists every mismatch).
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from importlib import metadata
from typing import Any

# Packages whose internals are patched, and the versions the patches were written for.
WRITTEN_FOR = {"rasa": "3.6.21"}

GUARDS = "guards"
SPEEDUPS = "speedups"


@dataclass(frozen=True)
class Patch:
    module: str  # where the target lives
    attribute: str  # "Class.method" or a module-level name
    replacement: str  # "module:name" of what is put in its place
    why: str
    shape: str  # call_shape() of the target as written for
    group: str = GUARDS  # GUARDS always; SPEEDUPS unless RUNTIME_SPEEDUPS=off
    uses: tuple[str, ...] = ()  # private names of the target the replacement relies on

    @property
    def target(self) -> str:
        return f"{self.module}.{self.attribute}"


_A = "rasa.core.actions.action"
_P = "rasa.core.processor"
_T = "rasa.core.tracker_store"

PATCHES: tuple[Patch, ...] = (
    # runtime/action_failures.py
    Patch(_A, "RemoteAction.run", "runtime.action_failures:guarded_remote_run",
          "a time limit for custom actions, an apology instead of silence on failure",
          "(self, output_channel, nlg, tracker, domain)"),
    Patch(_P, "MessageProcessor.execute_side_effects",
          "runtime.action_failures:side_effects_noting_apology",
          "notes that the apology really went out",
          "(self, events, tracker, output_channel)"),
    Patch(_P, "MessageProcessor._run_prediction_loop",
          "runtime.action_failures:prediction_loop_then_apology",
          "sends an apology whose events Rasa dropped (a rejected form)",
          "(self, output_channel, tracker)"),
    Patch(_P, "MessageProcessor.__init__", "runtime.action_failures:processor_init",
          "a circuit break ends the turn with action_listen, so the next message is answered",
          "(self, model_path, tracker_store, lock_store, generator, action_endpoint=…, "
          "max_number_of_predictions=…, on_circuit_break=…, http_interpreter=…)"),
    # runtime/inprocess_actions.py
    Patch("rasa.utils.endpoints", "EndpointConfig.request", "runtime.inprocess_actions:request",
          "an action endpoint with actions_module runs the custom actions in this process "
          "through rasa-sdk's executor; other endpoints send their requests as before",
          "(self, method=…, subpath=…, content_type=…, compress=…, **kwargs)"),
    # runtime/messages.py
    Patch("rasa.core.agent", "Agent.handle_message", "runtime.messages:guarded_handle_message",
          "cleans text, limits its length, answers storage outages",
          "(self, message)"),
    Patch(_P, "MessageProcessor.parse_message", "runtime.messages:guarded_parse_message",
          "slash commands only for offered buttons; a failing NLU component means fallback",
          "(self, message, tracker=…, only_output_properties=…)"),
    # runtime/storage_outages.py
    Patch(_T, "FailSafeTrackerStore.on_tracker_store_error",
          "runtime.storage_outages:raise_storage_unavailable",
          "a failed save is an error the user hears of, not a switch to memory",
          "(self, error)"),
    Patch(_T, "FailSafeTrackerStore.on_tracker_store_retrieve_error",
          "runtime.storage_outages:raise_storage_unavailable",
          "a failed read is an error the user hears of, not a new conversation in memory",
          "(self, error)"),
    Patch(_T, "create_engine_kwargs", "runtime.storage_outages:engine_kwargs",
          "SQL connections checked before use, so a database restart needs no Rasa restart",
          "(url)"),
    # runtime/server.py
    Patch("rasa.core.run", "configure_app", "runtime.server:configure_app",
          "1 MiB request limit without the API; storage outages in API calls answer 503",
          "(input_channels=…, cors=…, auth_token=…, enable_api=…, response_timeout=…, "
          "jwt_secret=…, jwt_private_key=…, jwt_method=…, route=…, port=…, endpoints=…, "
          "log_file=…, conversation_id=…, use_syslog=…, syslog_address=…, syslog_port=…, "
          "syslog_protocol=…, request_timeout=…, server_listeners=…, use_uvloop=…, "
          "keep_alive_timeout=…)"),
    # runtime/speedups.py
    # runtime/reply_check.py (then runtime/speedups.py's prepared validator)
    Patch(_A, "RemoteAction._validate_action_result", "runtime.reply_check:validate_action_result",
          "each event of a reply checked against its own kind's schema, prepared once, instead "
          "of against all 23 kinds (runtime/reply_check.py)",
          "(self, result)", SPEEDUPS),
    Patch(_A, "RemoteAction._action_call_format", "runtime.speedups:_action_call_format",
          "the action server gets the events from the latest user message on, not the whole "
          "conversation (a long conversation no longer slows every custom action)",
          "(self, tracker, domain)", SPEEDUPS),
    Patch(_P, "DaskGraphRunner", "runtime.speedups:SequentialGraphRunner",
          "predictions run the model graph in a fixed order instead of through dask",
          "(graph_schema, model_storage, execution_context, hooks=…)", SPEEDUPS,
          uses=("self._graph_schema", "self._instantiated_nodes")),
    Patch("rasa.core.policies.rule_policy", "RulePolicy._prediction_states",
          "runtime.rule_states:rule_prediction_states",
          "the rule policy builds its dialogue states from the latest turns, not by replaying "
          "the whole conversation before every predicted action (runtime/rule_states.py)",
          "(self, tracker, domain, use_text_for_last_user_input=…, rule_only_data=…)",
          SPEEDUPS, uses=("self.featurizer.prediction_states",)),
    Patch("rasa.core.policies.rule_policy", "RulePolicy._get_possible_keys",
          "runtime.rule_index:possible_keys",
          "the rule policy checks only the rules whose last state can match the latest "
          "state's previous action and intent, not all of them (runtime/rule_index.py)",
          "(self, lookup, states)", SPEEDUPS, uses=("self._is_rule_applicable",)),
    Patch("rasa.shared.core.trackers", "DialogueStateTracker.copy",
          "runtime.tracker_copy:copy",
          "a tracker's copy (made before every action) carries on a kept replay with the new "
          "events instead of replaying the whole conversation (runtime/tracker_copy.py)",
          "(self)", SPEEDUPS, uses=("travel_back_in_time",)),
    Patch("rasa.shared.core.trackers", "DialogueStateTracker.applied_events",
          "runtime.tracker_copy:applied_events",
          "the events not undone are carried on from the previous call with the new events "
          "instead of going through the whole conversation (runtime/tracker_copy.py)",
          "(self)", SPEEDUPS,
          uses=("_undo_till_previous_loop_execution", "_first_loop_execution_or_unhappy_path",
                "_undo_till_previous")),
    # runtime/lean_imports.py (with its lazy import of rasa.utils.train_utils)
    Patch("rasa.engine.storage.storage", "ModelMetadata.from_dict",
          "runtime.lean_imports:metadata_from_dict",
          "a loaded model's training graph is rebuilt only when read, so the server does not "
          "import its classes (and TensorFlow through DIETClassifier) (runtime/lean_imports.py)",
          "(serialized)", SPEEDUPS),
    Patch("rasa.shared.core.events", "Event.resolve_by_type",
          "runtime.speedups:resolve_event_type",
          "an event's class found in a kept map of type names instead of by walking every "
          "event class for each event read (runtime/speedups.py)",
          "(type_name, default=…)", SPEEDUPS),
    Patch("rasa.nlu.utils.spacy_utils", "SpacyNLP.load_model",
          "runtime.speedups:_load_spacy_once",
          "both SpacyNLP nodes share one loaded spaCy pipeline",
          "(spacy_model_name)", SPEEDUPS),
)


class _Default:
    def __repr__(self) -> str:
        return "…"


_DEFAULT = _Default()


def call_shape(obj: Any) -> str:
    """`obj`'s signature without annotations and with every default shown as "…"."""
    signature = inspect.signature(obj)
    parameters = [
        p.replace(annotation=inspect.Parameter.empty,
                  default=inspect.Parameter.empty if p.default is p.empty else _DEFAULT)
        for p in signature.parameters.values()
    ]
    return str(signature.replace(parameters=parameters,
                                 return_annotation=inspect.Signature.empty))


def _owner_and_name(patch: Patch) -> tuple[Any, str]:
    owner: Any = importlib.import_module(patch.module)
    *path, name = patch.attribute.split(".")
    for part in path:
        owner = getattr(owner, part)
    return owner, name


_originals: dict[str, Any] = {}  # target -> what was there before this module changed it


def original(patch: Patch) -> Any:
    """What the target is in Rasa (before `install`, if it has run)."""
    if patch.target in _originals:
        return _originals[patch.target]
    owner, name = _owner_and_name(patch)
    return getattr(owner, name)


def installed_version(package: str) -> str:
    return metadata.version(package)


def version_problem() -> str | None:
    for package, version in WRITTEN_FOR.items():
        try:
            found = installed_version(package)
        except metadata.PackageNotFoundError:
            found = "none"
        if found != version:
            return (f"the runtime's patches (runtime/patches.py) were written for {package} "
                    f"{version}, but {package} {found} is installed; install the locked "
                    f"versions (make install) or review every patch for {package} {found}")
    return None


def patch_problem(patch: Patch) -> str | None:
    """Why `patch` does not fit the installed package, or None when it does."""
    package = patch.module.split(".")[0]
    if package not in WRITTEN_FOR:
        return f"{package} is patched but has no version in WRITTEN_FOR"
    try:
        target = original(patch)
    except (ImportError, AttributeError) as error:
        return f"the target is missing ({type(error).__name__}: {error})"
    try:
        shape = call_shape(target)
    except (TypeError, ValueError) as error:
        return f"the target has no readable signature ({error})"
    if shape != patch.shape:
        return f"the target's parameters are {shape}, the patch was written for {patch.shape}"
    if patch.uses:
        try:
            source = inspect.getsource(target)
        except (OSError, TypeError):
            source = ""
        missing = [name for name in patch.uses if name not in source]
        if missing:
            return f"the target no longer has {', '.join(missing)}"
    return None


def check(groups: tuple[str, ...] = (GUARDS, SPEEDUPS)) -> None:
    """Stop (SystemExit, one line) unless every patch of `groups` fits the installed Rasa."""
    problem = version_problem()
    if problem:
        raise SystemExit(f"error: {problem}")
    for patch in PATCHES:
        if patch.group in groups:
            problem = patch_problem(patch)
            if problem:
                raise SystemExit(
                    f"error: runtime patch of {patch.target} ({patch.why}) does not fit the "
                    f"installed {patch.module.split('.')[0]}: {problem}. See runtime/patches.py."
                )


def _replacement(patch: Patch) -> Any:
    module, name = patch.replacement.split(":")
    return getattr(importlib.import_module(module), name)


def install(groups: tuple[str, ...], leave_out: tuple[str, ...] = ()) -> None:
    """Check, then install every patch of `groups` not installed yet, except the speed-ups
    whose replacement lives in a module named in `leave_out` (for comparing)."""
    check(groups)
    for patch in PATCHES:
        if patch.group not in groups or patch.target in _originals:
            continue
        if patch.group == SPEEDUPS and patch.replacement.split(":")[0] in leave_out:
            continue
        owner, name = _owner_and_name(patch)
        replacement = _replacement(patch)
        if isinstance(inspect.getattr_static(owner, name), staticmethod):
            replacement = staticmethod(replacement)
        elif isinstance(inspect.getattr_static(owner, name), classmethod):
            replacement = classmethod(replacement)
        _originals[patch.target] = getattr(owner, name)
        setattr(owner, name, replacement)
