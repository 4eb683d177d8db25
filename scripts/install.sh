#!/usr/bin/env bash
# Create .venv with Python 3.10 and install exactly the locked dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

want=$(cat .python-version)   # e.g. 3.10.13
py=""
for candidate in python3.10 "$HOME/.pyenv/versions/$want/bin/python3.10"; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
    py=$(command -v "$candidate"); break
  fi
done
if [ -z "$py" ]; then
  echo "error: Python 3.10 not found (Rasa 3.6.21 needs Python 3.8-3.10). Install it, e.g. 'pyenv install $want', then run make again." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
  echo "==> creating .venv with $py"
  rm -rf .venv
  "$py" -m venv .venv
fi
echo "==> installing locked dependencies (requirements/lock.txt); the first time this downloads about 1 GB"
.venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
# --compile-bytecode: uv does not write .pyc files by default, and the Makefile sets
# PYTHONDONTWRITEBYTECODE, so without it every start of a server compiled Rasa,
# TensorFlow and the rest again (BENCHMARKS.md: start-up).
.venv/bin/uv pip sync --compile-bytecode --python .venv/bin/python requirements/lock.txt
# The project itself, editable (pyproject.toml): its packages import from any folder.
# No build isolation, so the locked setuptools builds it and nothing else is downloaded.
.venv/bin/uv pip install --quiet --no-deps --no-build-isolation --python .venv/bin/python -e .
