"""The widget's pure functions (web/src/core.js), tested with node's built-in test runner."""

import shutil
import subprocess

import pytest

from harness.paths import ROOT


def test_widget_core_functions_pass_node_test():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (it is needed to build the widget: `make web`)")
    result = subprocess.run(
        [node, "--test", "web/test/"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    summary = "\n".join(line for line in result.stdout.splitlines() if line.startswith("# "))
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "# fail 0" in summary and "# pass 0" not in summary, summary
