"""Static security checks (no servers): no secrets in the repository, secrets in the
configuration only as ${VARIABLES}, and the documentation operators need."""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml

from harness.paths import ROOT

# Things that are secrets whatever file they are in.
SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abprs]-\d{6,}-[A-Za-z0-9-]{10,}"),
    "Telegram bot token": re.compile(r"\b\d{8,10}:[A-Za-z0-9_-]{35}\b"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "JWT": re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"),
    "URL with password": re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s:@${}]{3,}@"),
}
# `password: hunter2`-style assignments in configuration files.
ASSIGNED_SECRET = re.compile(
    r"""^\s*["']?(?P<key>[\w.-]*(password|passwd|secret|token|api[_-]?key)[\w.-]*)["']?"""
    r"""\s*[:=]\s*["']?(?P<value>[^\s"'#]+)""", re.I | re.M)
# Keys that name a Secret or a key inside one, not a secret value.
SECRET_REFERENCE = re.compile(r"(secretname|existingsecret|secretkey|passwordkey)$", re.I)
CONFIG_SUFFIXES = {".yml", ".yaml", ".env", ".ini", ".cfg", ".toml", ".json", ".conf"}
# ${VAR} (also ${VAR:?message}, ${VAR:-}), $(VAR), templates, placeholders, plain words.
ALLOWED_VALUES = re.compile(r"^(\$[{(].*|\{\{.*|<.*>|\"\"|''|null|none|true|false|\d+)$",
                            re.I)


def _tracked_files() -> list:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / p for p in out.decode().split("\0") if p]


def _text(path) -> str | None:
    try:
        if path.stat().st_size > 2_000_000:
            return None
        return path.read_text()
    except (OSError, UnicodeDecodeError):
        return None


def test_no_secrets_in_tracked_files():
    found = []
    for path in _tracked_files():
        text = _text(path)
        if text is None:
            continue
        for name, pattern in SECRET_PATTERNS.items():
            for match in pattern.finditer(text):
                found.append(f"{path.relative_to(ROOT)}: {name}: {match.group(0)[:12]}...")
        if path.suffix in CONFIG_SUFFIXES or path.name.startswith(".env"):
            for match in ASSIGNED_SECRET.finditer(text):
                value = match.group("value")
                if (not ALLOWED_VALUES.match(value) and len(value) >= 8
                        and not SECRET_REFERENCE.search(match.group("key"))):
                    found.append(f"{path.relative_to(ROOT)}: literal {match.group('key')}")
    assert found == []


def test_the_secret_scan_would_notice_one(tmp_path):
    sample = "db:\n  password: Tr0ub4dor&3xyz\n"
    assert [m.group("value") for m in ASSIGNED_SECRET.finditer(sample)
            if not ALLOWED_VALUES.match(m.group("value"))] == ["Tr0ub4dor&3xyz"]
    assert not ALLOWED_VALUES.match("s3cr3tvalue!") and ALLOWED_VALUES.match("${DB_PASSWORD}")
    assert ALLOWED_VALUES.match("${DB_PASSWORD:?set")
    leaked_url = "postgresql://rasa:" + "hunter22" + "@db/rasa"  # split: not a finding here
    assert SECRET_PATTERNS["URL with password"].search(leaked_url)


def test_endpoint_files_read_settings_from_the_environment():
    for name in ("endpoints.yml", "endpoints.scaled.yml"):
        text = (ROOT / name).read_text()
        assert not re.search(r"""["']\$\{""", text), f"{name}: quoted ${{...}} is not expanded"
        config = yaml.safe_load(text)
        assert config["action_endpoint"]["url"] == "${ACTION_ENDPOINT_URL}"
    scaled = yaml.safe_load((ROOT / "endpoints.scaled.yml").read_text())
    assert scaled["action_endpoint"]["headers"]["X-Action-Secret"] == "${ACTION_SERVER_SECRET}"
    assert scaled["tracker_store"]["password"] == "${DB_PASSWORD}"
    assert scaled["lock_store"]["password"] == "${REDIS_PASSWORD}"


def test_security_notes_cover_what_operators_need():
    text = (ROOT / "SECURITY.md").read_text()
    for needed in ("CVE-2024-49375", "jwt_key", "jwt_method", "RASA_AUTH_TOKEN", "JWT_SECRET",
                   "ACTION_SERVER_SECRET", "128-bit", "pip-audit", "CORS"):
        assert needed in text, needed
