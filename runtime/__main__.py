"""`python -m runtime <rasa command> [args]`: Rasa's own CLI with the runtime guards.

scripts/run.sh, the test harness and deploy/ start the Rasa server this way instead of
`rasa run`. Before handing over to Rasa it

- checks that the installed Rasa is the one runtime/patches.py was written for (version and
  each patched function's parameters; a mismatch stops the start with one line), then
  installs the guards listed there (action-server failures and timeouts, storage outages,
  message limits, slash commands, HTTP limits without the API);
- for `run`, refuses Rasa's own `rest` channel: credentials.yml names channels.rest.RestInput
  (the same webhook with body checks and a rate limit) and channels.ready.ReadyInput
  (`GET /ready`);
- for `run`, turns the HTTP API on only together with authentication: RASA_AUTH_TOKEN
  (a token) or JWT_SECRET (+ JWT_METHOD, default HS256) from the environment add
  `--enable-api` with that secret. Secrets go straight into Rasa's parsed arguments, never
  onto a command line that `ps` shows. `--enable-api` without any authentication, or a
  secret that is short or a placeholder, stops the start with an error;
- refuses SANIC_WORKERS > 1 with an in-memory tracker store (each worker process would
  hold its own half of every conversation), and with several workers watches them: a
  worker that dies stops the whole server, so that supervisord starts it again
  (runtime/worker_watch.py);
- switches Rasa's telemetry off unless RASA_TELEMETRY_ENABLED says otherwise;
- installs the behaviour-preserving speed-ups of runtime/speedups.py unless
  RUNTIME_SPEEDUPS=off (for measuring them, or as an escape hatch); skops is imported
  before Rasa either way. With them, runtime/lean_imports.py keeps TensorFlow (and Keras,
  JAX, h5py, matplotlib) out of the process, which the model never uses.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

MIN_SECRET_CHARS = 24
PLACEHOLDER_SECRETS = {"unset", "changeme", "change-me", "secret", "token", "rasatoken",
                       "password", "jwtsecret"}
OFF = {"0", "off", "false", "no"}
IN_MEMORY_TRACKER_TYPES = {"", "memory", "in_memory", "inmemory"}


def _given(argv: Sequence[str], option: str) -> bool:
    return any(arg == option or arg.startswith(option + "=") for arg in argv)


def _check_secret(name: str, value: str) -> None:
    if len(value) < MIN_SECRET_CHARS or value.lower() in PLACEHOLDER_SECRETS:
        raise SystemExit(
            f"error: {name} is too weak to protect the HTTP API (it needs at least "
            f"{MIN_SECRET_CHARS} random characters), e.g.\n"
            f"  export {name}=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )


def api_arguments(argv: Sequence[str], env: Mapping[str, str]) -> list[str]:
    """`rasa run` arguments with the API switched on exactly when authentication is set."""
    argv = list(argv)
    extra: list[str] = []
    token = env.get("RASA_AUTH_TOKEN", "").strip()
    jwt_secret = env.get("JWT_SECRET", "").strip()
    if token and not _given(argv, "--auth-token"):
        _check_secret("RASA_AUTH_TOKEN", token)
        # "--option=value": a random secret may start with "-", which argparse would
        # otherwise take for an option
        extra.append(f"--auth-token={token}")
    if jwt_secret and not _given(argv, "--jwt-secret"):
        _check_secret("JWT_SECRET", jwt_secret)
        extra.append(f"--jwt-secret={jwt_secret}")
        if not _given(argv, "--jwt-method"):
            extra.append(f"--jwt-method={env.get('JWT_METHOD', 'HS256').strip() or 'HS256'}")
    if extra and not _given(argv, "--enable-api"):
        extra.insert(0, "--enable-api")
    argv += extra
    if _given(argv, "--enable-api") and not (
        _given(argv, "--auth-token") or _given(argv, "--jwt-secret")
    ):
        raise SystemExit(
            "error: refusing to start with --enable-api but no authentication: anyone who "
            "can reach the port could read conversations and replace the model. Set "
            "RASA_AUTH_TOKEN or JWT_SECRET (README: 'Reliability and security settings')."
        )
    return argv


def _option_value(argv: Sequence[str], option: str, default: str) -> str:
    for i, arg in enumerate(argv):
        if arg == option and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(option + "="):
            return arg.split("=", 1)[1]
    return default


def sanic_workers(env: Mapping[str, str]) -> int:
    """SANIC_WORKERS as Rasa reads it (1 when unset or not a number)."""
    try:
        return int(env.get("SANIC_WORKERS", "1"))
    except ValueError:
        return 1  # Rasa itself reports the bad value and uses one worker


def check_workers(argv: Sequence[str], env: Mapping[str, str]) -> None:
    """Stop when several Sanic workers would each keep conversations in their own memory."""
    workers = sanic_workers(env)
    if workers <= 1:
        return
    from rasa.core.utils import AvailableEndpoints

    path = _option_value(argv, "--endpoints", "endpoints.yml")
    endpoints = AvailableEndpoints.read_endpoints(path)
    store = endpoints.tracker_store
    store_type = str(getattr(store, "type", "") or "").lower() if store else ""
    if store_type in IN_MEMORY_TRACKER_TYPES:
        raise SystemExit(
            f"error: SANIC_WORKERS={workers} with the in-memory tracker store in {path}: each "
            "worker would keep its own part of every conversation. Use an SQL or Redis "
            "tracker store (endpoints.scaled.yml) or SANIC_WORKERS=1."
        )


# Rasa's own channels that the runtime replaces with a checked one (channels/).
REPLACED_CHANNELS = {"rest": "channels.rest.RestInput"}


def check_channels(argv: Sequence[str]) -> None:
    """Stop when `rasa run` would open Rasa's own REST channel: it has none of the body
    checks or the rate limit of channels.rest.RestInput."""
    connector = _option_value(argv, "--connector", "")
    if connector:
        names, source = {connector}, "--connector"
    else:
        path = Path(_option_value(argv, "--credentials", "credentials.yml"))
        if not path.is_file():
            return  # Rasa reports a missing file itself
        import yaml

        try:
            names, source = set(yaml.safe_load(path.read_text()) or {}), str(path)
        except (yaml.YAMLError, TypeError, ValueError):
            return  # Rasa reports a broken file itself
    for name, replacement in REPLACED_CHANNELS.items():
        if name in names:
            raise SystemExit(
                f"error: {source} opens Rasa's own '{name}' channel, without the runtime's "
                f"checks; use '{replacement}' instead (as in credentials.yml)"
            )


def import_skops_first() -> None:
    """Import skops.io while few modules are loaded (start-up time, BENCHMARKS.md).

    Rasa loads the logistic-regression classifier with skops, whose import scans every
    module in ``sys.modules`` for each of ~765 types. After Rasa and TensorFlow are
    imported (about 5,600 modules) that import took about 6 s here; first, about 1 s.
    """
    try:
        import skops.io  # noqa: F401
    except ImportError:  # not installed: Rasa reports it when a model needs it
        pass


def patch_groups(env: Mapping[str, str]) -> tuple[str, ...]:
    """The groups of runtime/patches.py to install: the guards, and the speed-ups unless
    RUNTIME_SPEEDUPS says off."""
    from runtime.patches import GUARDS, SPEEDUPS

    if env.get("RUNTIME_SPEEDUPS", "on").strip().lower() in OFF:
        return (GUARDS,)
    return (GUARDS, SPEEDUPS)


def speedups_left_out(env: Mapping[str, str]) -> tuple[str, ...]:
    """RUNTIME_SPEEDUPS_LEAVE_OUT: modules whose speed-ups are not installed, comma-separated
    (e.g. runtime.rule_states,runtime.tracker_copy), to measure what they change."""
    return tuple(m.strip() for m in env.get("RUNTIME_SPEEDUPS_LEAVE_OUT", "").split(",")
                 if m.strip())


def install_runtime(env: Mapping[str, str]) -> None:
    """Everything this program adds to Rasa in-process: the guards, and the speed-ups unless
    RUNTIME_SPEEDUPS says off (skops imported first, before anything imports Rasa).

    The settings come from `env`; the patches of runtime/patches.py are checked against the
    installed Rasa first, and a mismatch stops here with one line naming the patch."""
    import_skops_first()
    from runtime.patches import SPEEDUPS

    groups, left_out = patch_groups(env), speedups_left_out(env)
    if SPEEDUPS in groups and "runtime.lean_imports" not in left_out:
        from runtime.lean_imports import keep_tensorflow_out

        keep_tensorflow_out()  # before anything imports spaCy or Rasa's policies
    from common.settings import Settings, activate
    from runtime import patches

    activate(Settings.from_env(env))
    patches.install(groups, left_out)


def main(argv: Sequence[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    import_skops_first()
    if argv[:1] == ["run"]:
        argv = api_arguments(argv, os.environ)
        check_workers(argv, os.environ)
        check_channels(argv)

    install_runtime(os.environ)
    if argv[:1] == ["run"]:
        from runtime.worker_watch import watch_workers

        watch_workers(sanic_workers(os.environ))
    sys.argv = ["rasa", *argv]
    from rasa.__main__ import main as rasa_main

    rasa_main()
    if argv[:1] == ["run"]:  # the server has stopped: skip Python's slow teardown
        from runtime.supervision import exit_without_teardown
        from runtime.worker_watch import exit_code

        exit_without_teardown(exit_code())  # not 0 when a Sanic worker died


if __name__ == "__main__":
    main()
