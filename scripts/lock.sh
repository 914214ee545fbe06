#!/usr/bin/env bash
# Recompile the two lock files after changing pyproject.toml's dependencies:
#   requirements.lock          everything, with the dev group (./dev, CI)
#   requirements-runtime.lock  what the image runs: the same versions, without the dev group
# Needs uv in the virtualenv (.venv/bin/python -m pip install uv).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/uv pip compile pyproject.toml --group dev --generate-hashes --python-version 3.11 -o requirements.lock
.venv/bin/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -c requirements.lock \
  -o requirements-runtime.lock
