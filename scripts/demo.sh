#!/bin/sh
# npm run demo [-- up|preview|refresh|destroy]: Node >= 22.19, a build when sources changed, then the demo
# (dist/scripts/demo.js, which also makes the Pulumi CLI available).
set -eu
cd "$(dirname "$0")/.."
# Checked before anything slow. scripts/demo.ts checks the same list (test/e2e/demo.test.ts keeps them equal).
case "${1:-up}" in
  up | preview | refresh | destroy) ;;
  *)
    printf "demo: unknown action '%s'; use one of: up, preview, refresh, destroy\n" "$1" >&2
    exit 2
    ;;
esac
if [ $# -gt 1 ]; then
  printf 'demo: takes one action, got: %s\n' "$*" >&2
  exit 2
fi
. scripts/node22.sh
sh scripts/build.sh --if-stale
exec node dist/scripts/demo.js "$@"
