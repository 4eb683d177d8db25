"""Checks of the deployment files in deploy/ that run without Docker or Kubernetes.

This machine has the Docker client but no engine and no Helm, so images are not built
and the chart is not rendered here (README: "Outgrowing one machine" says what was run).
What is checked: the compose file with `docker compose config` / `docker-compose config`
when one is installed, else its structure; the Dockerfiles' pinned bases against the
lock; the Helm values against the keys of the official rasa chart, and the endpoints the
chart would render from them, read back by Rasa itself.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml

from harness.paths import ROOT

DEPLOY = ROOT / "deploy"
COMPOSE = DEPLOY / "docker-compose.yml"
HELM = DEPLOY / "helm" / "values.yaml"
ACTIONS_HELM = DEPLOY / "helm" / "action-server-values.yaml"
SECRET_ENV = {"DB_PASSWORD": "p" * 24, "REDIS_PASSWORD": "r" * 24,
              "ACTION_SERVER_SECRET": "s" * 32}

# Keys of the official `rasa` chart's values (RasaHQ/helm-charts, charts/rasa) that these
# values may use.
RASA_CHART_KEYS = {
    "nameOverride", "fullnameOverride", "registry", "applicationSettings", "replicaCount",
    "networkPolicy", "args", "extraArgs", "command", "extraEnv", "image", "serviceAccount",
    "podAnnotations", "podLabels", "deploymentAnnotations", "deploymentLabels",
    "podSecurityContext", "securityContext", "service", "ingress", "resources",
    "autoscaling", "nodeSelector", "tolerations", "affinity", "strategy", "livenessProbe",
    "readinessProbe", "initContainers", "extraContainers", "volumes", "volumeMounts",
    "global", "postgresql", "redis", "rabbitmq", "nginx", "rasa-action-server", "duckling",
}
APPLICATION_SETTINGS_KEYS = {
    "debugMode", "initialModel", "trainInitialModel", "port", "scheme", "token", "cors",
    "enableAPI", "credentials", "telemetry", "endpoints", "rasaX",
}
ENDPOINT_KEYS = {"models", "trackerStore", "lockStore", "eventBroker", "action",
                 "additionalEndpoints"}


def _load(path):
    return yaml.safe_load(path.read_text())


def _locked(package: str) -> str:
    match = re.search(rf"^{re.escape(package)}==([^\s\\]+)",
                      (ROOT / "requirements" / "lock.txt").read_text(), re.M | re.I)
    assert match, f"{package} not in requirements/lock.txt"
    return match.group(1)


# -------------------------------------------------------------------------- compose


def test_compose_file_structure():
    compose = _load(COMPOSE)
    services = compose["services"]
    assert set(services) == {"rasa", "actions", "postgres", "redis", "web"}
    assert services["rasa"]["deploy"]["replicas"] >= 2
    for name, service in services.items():
        image = service["image"]
        assert ":" in image and not image.endswith(":latest"), name
        if name != "web":
            assert "ports" not in service, f"{name} must not be published"
    rasa_command = services["rasa"]["command"]
    assert "endpoints.scaled.yml" in rasa_command and "--enable-api" not in rasa_command
    assert services["rasa"]["environment"]["ACTION_SERVER_SECRET"].startswith(
        "${ACTION_SERVER_SECRET:?")
    text = COMPOSE.read_text()
    for secret in SECRET_ENV:
        assert f"${{{secret}:?" in text, f"{secret} must be required from the environment"


def _compose_cli() -> list[str] | None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"],
                                 capture_output=True).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_compose_config_accepts_the_file():
    cli = _compose_cli()
    if cli is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin", **SECRET_ENV}
    ok = subprocess.run([*cli, "-f", str(COMPOSE), "config"], env=env,
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    rendered = yaml.safe_load(ok.stdout)
    assert rendered["services"]["rasa"]["environment"]["DB_PASSWORD"] == SECRET_ENV["DB_PASSWORD"]
    missing = subprocess.run([*cli, "-f", str(COMPOSE), "config"],
                             env={"PATH": env["PATH"]}, capture_output=True, text=True,
                             timeout=60)
    assert missing.returncode != 0 and "set DB_PASSWORD" in missing.stderr + missing.stdout


# ----------------------------------------------------------------------- Dockerfiles


def _dockerfile(name: str) -> str:
    return (DEPLOY / name).read_text()


def test_dockerfiles_pin_their_bases_to_the_lock():
    rasa = _dockerfile("rasa.Dockerfile")
    actions = _dockerfile("actions.Dockerfile")
    python = (ROOT / ".python-version").read_text().strip()
    assert re.search(rf"^FROM python:{re.escape(python)}-slim-\w+$", rasa, re.M)
    uv = re.search(r'"uv==([\d.]+)"', (ROOT / "scripts" / "install.sh").read_text()).group(1)
    assert f"uv=={uv}" in rasa, "same uv as make install"
    assert "requirements/lock.txt" in rasa
    assert re.search(rf"^FROM rasa/rasa-sdk:{re.escape(_locked('rasa-sdk'))}$", actions, re.M)
    assert f'"PyYAML=={_locked("pyyaml")}"' in actions


@pytest.mark.parametrize("name", ["rasa.Dockerfile", "actions.Dockerfile"])
def test_dockerfiles_run_guarded_and_not_as_root(name):
    text = _dockerfile(name)
    assert "latest" not in text
    last_user = re.findall(r"^USER (\S+)$", text, re.M)[-1]
    assert last_user not in {"root", "0"}
    assert re.search(r'^ENTRYPOINT \["python", "-m", "runtime(\.actions)?"\]', text, re.M)
    ignore = (DEPLOY / f"{name}.dockerignore").read_text().splitlines()
    for line in re.findall(r"^COPY (.+)$", text, re.M):
        for source in line.split()[:-1]:
            if source.startswith("--"):
                continue
            assert f"!{source}" in ignore, f"{source} is excluded from the build context"
            if source != "models/assistant.tar.gz":  # made by `make train`
                assert (ROOT / source).exists(), source


# ------------------------------------------------------------------------------ Helm


def test_helm_values_use_the_rasa_chart_keys():
    values = _load(HELM)
    assert set(values) <= RASA_CHART_KEYS, set(values) - RASA_CHART_KEYS
    settings = values["applicationSettings"]
    assert set(settings) <= APPLICATION_SETTINGS_KEYS
    assert set(settings["endpoints"]) <= ENDPOINT_KEYS
    action_values = _load(ACTIONS_HELM)
    assert {"image", "extraEnv", "command", "args", "service"} <= set(action_values)


def test_helm_values_scale_out_safely():
    values = _load(HELM)
    settings = values["applicationSettings"]
    endpoints = settings["endpoints"]
    assert values["replicaCount"] >= 2
    assert endpoints["lockStore"]["enabled"]
    assert endpoints["lockStore"]["type"] == "runtime.lock_store.AtomicRedisLockStore"
    assert endpoints["trackerStore"]["enabled"]
    assert endpoints["trackerStore"]["dialect"] == "postgresql"
    assert settings["enableAPI"] is False and settings["cors"] != "*"
    annotations = values["ingress"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie", "sticky socket.io"
    assert values["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert values["command"] == ["python", "-m", "runtime"]
    env = {e["name"]: e for e in values["extraEnv"]}
    assert env["JWT_SECRET"]["value"] == "", "hides the chart's placeholder JWT secret"
    assert "secretKeyRef" in env["ACTION_SERVER_SECRET"]["valueFrom"]
    credentials = settings["credentials"]["additionalChannelCredentials"]
    in_repo = {k: v or {} for k, v in _load(ROOT / "credentials.yml").items()}
    assert credentials == in_repo, "same channels as credentials.yml"


SECRET_KEY = re.compile(r"password|secret|token", re.I)
# names of Secrets and of keys inside them, not secret values
SECRET_REFERENCE = re.compile(r"secretname|existingsecret|key$", re.I)


def _no_literal_secrets(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            if (SECRET_KEY.search(str(key)) and not SECRET_REFERENCE.search(str(key))
                    and isinstance(value, str)):
                assert value == "" or value.startswith("${"), f"{path}.{key}: literal secret"
            _no_literal_secrets(value, f"{path}.{key}")
    elif isinstance(node, list):
        for item in node:
            _no_literal_secrets(item, path)


def test_helm_values_hold_no_secrets():
    _no_literal_secrets(_load(HELM))
    _no_literal_secrets(_load(ACTIONS_HELM))


def test_helm_endpoints_render_to_a_file_rasa_reads(tmp_path, monkeypatch):
    """Render endpoints.yml the way the chart's ConfigMap template does and read it back
    with Rasa's own reader (which also expands the ${...} values)."""
    endpoints = _load(HELM)["applicationSettings"]["endpoints"]
    lines = []
    for section, name in (("trackerStore", "tracker_store"), ("lockStore", "lock_store")):
        lines.append(f"{name}:")
        lines += [f"  {k}: {v}" for k, v in endpoints[section].items() if k != "enabled"]
    lines.append(yaml.safe_dump(endpoints["additionalEndpoints"], default_style=None)
                 .replace("'", ""))
    rendered = tmp_path / "endpoints.yml"
    rendered.write_text("\n".join(lines))
    env = {"DB_HOST": "db", "DB_PORT": "5432", "DB_USER": "rasa", "DB_PASSWORD": "pw",
           "DB_DATABASE": "rasa", "REDIS_HOST": "redis", "REDIS_PORT": "6379",
           "REDIS_PASSWORD": "rpw", "ACTION_ENDPOINT_URL": "http://actions:5055/webhook",
           "ACTION_SERVER_SECRET": "s3cr3t"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    from rasa.core.utils import AvailableEndpoints

    read = AvailableEndpoints.read_endpoints(str(rendered))
    assert read.tracker_store.type == "runtime.tracker_store.CachedSQLTrackerStore"
    assert read.tracker_store.url == "db"
    assert read.tracker_store.kwargs["password"] == "pw"
    assert read.lock_store.type == "runtime.lock_store.AtomicRedisLockStore"
    assert read.lock_store.kwargs["password"] == "rpw"
    assert read.action.url == "http://actions:5055/webhook"
    assert read.action.headers == {"X-Action-Secret": "s3cr3t"}


def test_scaled_endpoints_take_everything_from_the_environment():
    text = (ROOT / "endpoints.scaled.yml").read_text()
    values = re.findall(r"^\s+[\w-]+: (.+)$", text, re.M)
    settings = [v for v in values if not v.startswith(("SQL", "postgresql", "runtime."))]
    assert settings and all(re.fullmatch(r"\$\{[A-Z_]+\}", v) for v in settings), settings


# ---------------------------------------------------------- supervision and retention


def test_compose_restarts_and_health_checks_every_service():
    services = _load(COMPOSE)["services"]
    for name, service in services.items():
        assert service.get("restart") in {"unless-stopped", "always"}, name
        check = service.get("healthcheck", {}).get("test")
        assert check and check[0] in {"CMD", "CMD-SHELL"}, f"{name} has no healthcheck"
        depends = service.get("depends_on") or {}
        for needed in depends if isinstance(depends, dict) else ():
            if depends[needed].get("condition") == "service_healthy":
                assert "healthcheck" in services[needed], f"{name} waits on {needed}'s health"
    assert any("5055/health" in part for part in services["actions"]["healthcheck"]["test"])
    assert any("5005/" in part for part in services["rasa"]["healthcheck"]["test"])
    for name in ("rasa", "actions"):
        grace = services[name]["stop_grace_period"]
        assert re.fullmatch(r"\d+s", grace) and int(grace[:-1]) <= 30, "a bounded stop"
    assert services["rasa"]["environment"]["RETENTION_DAYS"] == "${RETENTION_DAYS:-30}"


def test_helm_probes_and_retention():
    for path, live, ready in ((HELM, "/", "/ready"), (ACTIONS_HELM, "/health", "/health")):
        values = _load(path)
        for probe, url in (("livenessProbe", live), ("readinessProbe", ready)):
            settings = values[probe]
            assert settings["httpGet"]["path"] == url, (path.name, probe)
            assert settings["failureThreshold"] >= 3 and settings["periodSeconds"] <= 30
    env = {e["name"]: e.get("value") for e in _load(HELM)["extraEnv"]}
    assert env["RETENTION_DAYS"] == "30"
    from runtime.retention import purge_interval, retention_days

    assert retention_days(env) == 30 and purge_interval(env) == 3600
