"""Who may import whom (docs/ARCHITECTURE.md), checked with import-linter.

The rules live in pyproject.toml ([tool.importlinter]); `make lint` runs the same check.
The second test proves the rules bite: the same contracts, run over a throw-away tree
with the project's package names and one forbidden import per rule, must fail.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import tomli

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CONFIG = tomli.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


def _lint(cwd: Path, extra_path: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if extra_path is not None:
        env["PYTHONPATH"] = str(extra_path)
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=120,
    )


def test_every_import_rule_holds():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    contracts = CONFIG["contracts"]
    assert len(contracts) >= 3
    assert f"Contracts: {len(contracts)} kept, 0 broken." in result.stdout


def test_the_rules_catch_forbidden_imports(tmp_path):
    # The project's own contracts, over stand-in packages of the same names.
    (tmp_path / "pyproject.toml").write_text(
        (ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    offending = {
        "nutrition": "import actions\nimport rasa_sdk\n",   # core above its layer; core + Rasa
        "actions": "import nlu\nimport spacy\n",           # siblings are independent; no spaCy
        "bench": "import tests\n",                        # tools share harness/, not tests/
    }
    for package in CONFIG["root_packages"]:
        folder = tmp_path / package
        folder.mkdir()
        (folder / "__init__.py").write_text("")
        (folder / "bad.py").write_text(offending.get(package, ""))
    result = _lint(tmp_path, extra_path=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = {c["name"] for c in CONFIG["contracts"]
              if f"{c['name']} BROKEN" in result.stdout}
    assert broken == {c["name"] for c in CONFIG["contracts"]}, result.stdout
