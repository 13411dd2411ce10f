#!/usr/bin/env bash
# Makes `pulumi-language-yaml` (the Pulumi YAML language host) available without the Pulumi
# installer: uses one already on PATH, otherwise builds it from Go modules through the Go module
# proxy, once, into the same cache as scripts/pulumi-cli.sh.
#
#   export PATH="$(bash scripts/pulumi-language-yaml.sh):$PATH"
#
# Prints the directory holding the binary on stdout (progress goes to stderr).
# Cache: $PULUMI_CMF_CACHE (default ~/.cache/pulumi-cmf), keyed by version; outside the repo.
set -euo pipefail

# Pinned: the module proxy lists only v1.11.1 and v1.25.0, so `@latest` resolves to an old release;
# v1.38.1 has no replace directives and builds with `go install`.
YAML_VERSION="${PULUMI_CMF_YAML_VERSION:-1.38.1}"
CACHE="${PULUMI_CMF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-cmf}"

say() { printf 'pulumi-language-yaml: %s\n' "$*" >&2; }
die() { printf 'pulumi-language-yaml: error: %s\n' "$*" >&2; exit 1; }

version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

ROOT="$CACHE/pulumi-language-yaml-v$YAML_VERSION"
BIN="$ROOT/bin"

if existing="$(command -v pulumi-language-yaml 2>/dev/null)" && [ "$(dirname "$existing")" != "$BIN" ]; then
  say "using $existing"
  dirname "$existing"
  exit 0
fi

built() { [ -x "$BIN/pulumi-language-yaml" ]; }

if built; then
  say "using cached pulumi-language-yaml v$YAML_VERSION at $BIN"
  printf '%s\n' "$BIN"
  exit 0
fi

command -v go >/dev/null 2>&1 || die "no 'go' on PATH. Install Go >= 1.24 or Pulumi (which ships pulumi-language-yaml) and run again."
go_have="$(go env GOVERSION | sed 's/^go//')"
version_ge "$go_have" "1.24" || die "go $go_have is too old: pulumi-language-yaml v$YAML_VERSION needs Go >= 1.24."

mkdir -p "$ROOT"
# Two first runs at once (parallel test files) would both spend minutes compiling; the second waits
# for the first and then uses its binary.
exec 9>"$ROOT/.lock"
if ! flock -n 9; then
  say "another build of v$YAML_VERSION is running; waiting for it"
  flock 9
fi
if built; then
  say "using pulumi-language-yaml v$YAML_VERSION built by the other run at $BIN"
  printf '%s\n' "$BIN"
  exit 0
fi

say "building pulumi-language-yaml v$YAML_VERSION from Go modules into $ROOT (first run only; takes several minutes)"
mkdir -p "$BIN"
# GOBIN lands the binary in the cache; the build goes to a temporary name first so an interrupted
# build never leaves a half-written executable that a later run would trust.
TMP="$ROOT/tmp-bin"
rm -rf "$TMP"
mkdir -p "$TMP"
GOTOOLCHAIN=local CGO_ENABLED=0 GOBIN="$TMP" \
  go install -trimpath -ldflags "-s -w" \
  "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$YAML_VERSION" >&2 ||
  die "building pulumi-language-yaml v$YAML_VERSION failed (see the Go output above)"
mv "$TMP/pulumi-language-yaml" "$BIN/pulumi-language-yaml"
rm -rf "$TMP"
say "built pulumi-language-yaml v$YAML_VERSION at $BIN"
printf '%s\n' "$BIN"
