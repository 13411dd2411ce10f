#!/bin/sh
# npm run demo [-- [sql] up|preview|refresh|destroy]: Node >= 22.19, a build when sources changed, then the
# demo (dist/scripts/demo.js, which also makes the Pulumi CLI available); `sql` selects examples/flink-sql.
set -eu
cd "$(dirname "$0")/.."
# Checked before anything slow. scripts/demo.ts checks the same list (test/e2e/demo.test.ts keeps them equal).
action="${1:-up}"
if [ "$action" = sql ]; then
  action="${2:-up}"
  max=2
else
  max=1
fi
case "$action" in
  up | preview | refresh | destroy) ;;
  *)
    printf "demo: unknown action '%s'; use one of: up, preview, refresh, destroy (after 'sql' for the SQL demo)\n" "$action" >&2
    exit 2
    ;;
esac
if [ $# -gt "$max" ]; then
  printf 'demo: takes one action, got: %s\n' "$*" >&2
  exit 2
fi
. scripts/node22.sh
sh scripts/build.sh --if-stale
exec node dist/scripts/demo.js "$@"
