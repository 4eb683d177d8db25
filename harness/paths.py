"""Paths of the repository that the harness starts servers and reads data from."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The Python environment running the harness; servers start with the same one.
VENV_BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "assistant.tar.gz"
DOMAIN_DIR = ROOT / "domain"
WEB_DIST = ROOT / "web" / "dist"
