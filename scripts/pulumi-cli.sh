#!/usr/bin/env bash
# Makes the Pulumi CLI, the Node.js language host and the dynamic-provider shim available
# without the Pulumi installer (which downloads from the internet): uses a `pulumi` already on
# PATH when it is recent enough, otherwise builds one from Go modules through the Go module proxy.
#
#   export PATH="$(bash scripts/pulumi-cli.sh):$PATH"
#
# Prints the directory holding the binaries on stdout (progress goes to stderr).
# Cache: $PULUMI_CMF_CACHE (default ~/.cache/pulumi-cmf), keyed by version; outside the repo.
set -euo pipefail

PULUMI_VERSION="${PULUMI_CMF_PULUMI_VERSION:-3.276.0}"
MIN_VERSION="3.180.0"
CACHE="${PULUMI_CMF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-cmf}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { printf 'pulumi-cli: %s\n' "$*" >&2; }
die() { printf 'pulumi-cli: error: %s\n' "$*" >&2; exit 1; }

version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

shim_source() {
  local shim="$REPO/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  [ -f "$shim" ] || die "missing $shim: run 'npm ci' first (the shim ships with @pulumi/pulumi)"
  printf '%s' "$shim"
}

# The shim resolves the dynamic-provider host relative to the program's directory, so one copy
# next to the binaries serves every project.
install_shim() {
  local bin="$1" src
  src="$(shim_source)"
  if ! cmp -s "$src" "$bin/pulumi-resource-pulumi-nodejs" 2>/dev/null; then
    cp "$src" "$bin/pulumi-resource-pulumi-nodejs"
    chmod +x "$bin/pulumi-resource-pulumi-nodejs"
  fi
}

# The real language host's Go module is untagged and not served by the module proxy here; where it is
# missing, our small host (scripts/pulumi-language-nodejs.js) runs file-based projects through the
# project's own @pulumi/pulumi/cmd/run, as the real host does.
install_language_host() {
  local bin="$1"
  if command -v pulumi-language-nodejs >/dev/null 2>&1 && [ "$(command -v pulumi-language-nodejs)" != "$bin/pulumi-language-nodejs" ]; then
    return
  fi
  if ! cmp -s "$REPO/scripts/pulumi-language-nodejs.js" "$bin/pulumi-language-nodejs" 2>/dev/null; then
    cp "$REPO/scripts/pulumi-language-nodejs.js" "$bin/pulumi-language-nodejs"
    chmod +x "$bin/pulumi-language-nodejs"
  fi
}

# A usable `pulumi` on PATH wins, as long as the language host and the shim are also reachable.
if existing="$(command -v pulumi 2>/dev/null)"; then
  have="$(pulumi version 2>/dev/null | sed 's/^v//')"
  bindir="$(dirname "$existing")"
  if [ -n "$have" ] && version_ge "$have" "$MIN_VERSION" && [ "$bindir" != "$CACHE/pulumi-v$PULUMI_VERSION/bin" ]; then
    say "using pulumi $have at $existing"
    if command -v pulumi-resource-pulumi-nodejs >/dev/null 2>&1 && command -v pulumi-language-nodejs >/dev/null 2>&1; then
      printf '%s\n' "$bindir"
      exit 0
    fi
    mkdir -p "$CACHE/extras"
    command -v pulumi-resource-pulumi-nodejs >/dev/null 2>&1 || install_shim "$CACHE/extras"
    install_language_host "$CACHE/extras"
    printf '%s:%s\n' "$bindir" "$CACHE/extras"
    exit 0
  fi
fi

ROOT="$CACHE/pulumi-v$PULUMI_VERSION"
BIN="$ROOT/bin"
cached() { [ -x "$BIN/pulumi" ] && [ "$("$BIN/pulumi" version 2>/dev/null)" = "v$PULUMI_VERSION" ]; }
use_cached() {
  install_shim "$BIN"
  install_language_host "$BIN"
  say "using cached pulumi v$PULUMI_VERSION at $BIN"
  printf '%s\n' "$BIN"
  exit 0
}
cached && use_cached

command -v go >/dev/null 2>&1 || die "no 'go' on PATH. Install Go >= 1.26 or the Pulumi CLI (>= $MIN_VERSION) and run again."
go_have="$(go env GOVERSION | sed 's/^go//')"
version_ge "$go_have" "1.26" || die "go $go_have is too old: pulumi v$PULUMI_VERSION needs Go >= 1.26."

# One build at a time per cache: a second first run (two terminals, parallel CI jobs on one runner) waits
# for the first and then uses its result. The lock is a directory (atomic mkdir) holding the builder's
# pid, so a lock left by a killed build is recognised and taken over.
LOCK="$ROOT.lock"
mkdir -p "$CACHE"
waited=0
until mkdir "$LOCK" 2>/dev/null; do
  holder="$(cat "$LOCK/pid" 2>/dev/null || true)"
  if [ -n "$holder" ] && ! kill -0 "$holder" 2>/dev/null; then
    say "taking over the lock of an interrupted build (pid $holder is gone)"
    rm -rf "$LOCK"
    continue
  fi
  [ $((waited % 30)) -eq 0 ] && say "another run (pid ${holder:-?}) is building pulumi v$PULUMI_VERSION into $ROOT; waiting for it (${waited}s so far)"
  sleep 1
  waited=$((waited + 1))
done
printf '%s\n' "$$" > "$LOCK/pid"
trap 'rm -rf "$LOCK"' EXIT
cached && use_cached

say "building pulumi v$PULUMI_VERSION from Go modules into $ROOT"
say "first run only: usually 5-15 minutes on a 2-core machine (downloads ~1,500 Go packages, then compiles them); progress every 30 s"
MOD="$ROOT/tools"
mkdir -p "$MOD" "$BIN"
# pkg/v3's go.mod carries replace directives, which `go install pkg@version` refuses; a tools
# module that requires pkg and sdk at the same version builds the same binary.
cat > "$MOD/go.mod" <<GOMOD
module pulumi-cmf.local/pulumi-tools

go 1.26

require (
	github.com/pulumi/pulumi/pkg/v3 v$PULUMI_VERSION
	github.com/pulumi/pulumi/sdk/v3 v$PULUMI_VERSION
)

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
GOMOD
cat > "$MOD/tools.go" <<'GO'
//go:build tools

package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
GO

export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
TAGS=osusergo,grpcnotrace
PKG=github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
began=$(date +%s)

# `go build -v` names each package as it is compiled: count them against the total and report every 30 s;
# every other line (compiler errors) goes through unchanged.
progress() {
  awk -v total="$1" -v began="$began" '
    /^[^ :]+$/ { done++; now = systime(); if (now - last >= 30) { last = now;
      printf "pulumi-cli: compiling: %d of at most %d packages, %dm%02ds elapsed\n", done, total, (now - began) / 60, (now - began) % 60 > "/dev/stderr"; fflush("/dev/stderr") } next }
    { print > "/dev/stderr" }'
}

(
  set -o pipefail
  cd "$MOD"
  say "resolving and downloading modules (go mod tidy)"
  go mod tidy >&2
  total="$(go list -deps -tags "$TAGS" "$PKG" | wc -l | tr -d ' ')"
  say "compiling pulumi ($total packages; packages already in Go's build cache are skipped)"
  # The version stamp is what `pulumi version` prints; the Automation API refuses an unstamped CLI.
  go build -v -trimpath -tags "$TAGS" \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
    -o "$BIN/pulumi.tmp.$$" "$PKG" 2>&1 | progress "$total"
) || { rm -f "$BIN/pulumi.tmp.$$"; die "building pulumi v$PULUMI_VERSION failed (see the Go output above)"; }
mv "$BIN/pulumi.tmp.$$" "$BIN/pulumi"
install_shim "$BIN"
install_language_host "$BIN"
elapsed=$(( $(date +%s) - began ))
say "built $("$BIN/pulumi" version) at $BIN in $((elapsed / 60))m$((elapsed % 60))s"
printf '%s\n' "$BIN"
