#!/usr/bin/env bash
# Installs schemathesis from PyPI at a pinned version into a virtual environment under
# .cache/schemathesis/ (never the system site-packages) and prints the path of its `schemathesis`
# command. Reuses the environment when it is already there.
# Exits 3, saying why, when there is no Python >= 3.10 with venv to build it with.
set -euo pipefail
SCHEMATHESIS_VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/.cache/schemathesis/venv-$SCHEMATHESIS_VERSION"
if [ -x "$venv/bin/schemathesis" ] && "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  echo "$venv/bin/schemathesis"
  exit 0
fi
python="$(command -v python3 || true)"
if [ -z "$python" ] || ! "$python" -c 'import sys, venv; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
  echo "schemathesis install: no python3 >= 3.10 with the venv module; cannot install schemathesis $SCHEMATHESIS_VERSION" >&2
  exit 3
fi
echo "schemathesis install: schemathesis==$SCHEMATHESIS_VERSION into $venv with $("$python" --version)" >&2
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" >&2
"$venv/bin/schemathesis" --version >&2
echo "$venv/bin/schemathesis"
