#!/usr/bin/env bash
# Creates the pinned Python environment that exports the model (tools/model/.venv, not committed).
# PyTorch from PyPI brings its CUDA libraries along (a few GB); only the CPU is used.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python3 -m venv "$here/.venv"
"$here/.venv/bin/pip" install --quiet --upgrade pip
"$here/.venv/bin/pip" install --quiet -r "$here/requirements.txt" -c "$here/requirements.lock"
echo "ready: $here/.venv/bin/python"
