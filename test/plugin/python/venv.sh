#!/usr/bin/env bash
# A Python virtualenv with PyPI's `pulumi` (pinned) for the cmf plugin's Python test, created once in
# the same cache as the Pulumi CLI (outside the repo) and reused. Prints the venv's folder on stdout;
# progress goes to stderr. Concurrent first runs wait for one another.
set -euo pipefail

PULUMI_PY_VERSION="${PULUMI_CMF_PYTHON_PULUMI_VERSION:-3.272.0}"
CACHE="${PULUMI_CMF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-cmf}"
PYTHON="${PYTHON:-python3}"
VENV="$CACHE/python-venv-pulumi-$PULUMI_PY_VERSION"

say() { printf 'python-venv: %s\n' "$*" >&2; }

ready() { [ -f "$VENV/.complete" ]; }

if ready; then
  printf '%s\n' "$VENV"
  exit 0
fi
mkdir -p "$CACHE"
exec 9>"$VENV.lock"
flock 9
if ready; then
  printf '%s\n' "$VENV"
  exit 0
fi
say "creating $VENV with pulumi==$PULUMI_PY_VERSION (first run only)"
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV" >&2
# setuptools and wheel: the generated SDK is installed without build isolation (no download per run).
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
  "pulumi==$PULUMI_PY_VERSION" "setuptools>=61" wheel >&2
touch "$VENV/.complete"
say "ready"
printf '%s\n' "$VENV"
