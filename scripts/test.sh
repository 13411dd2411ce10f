#!/bin/sh
# npm test [-- jest arguments]: Node >= 22.19 and the Pulumi CLI on PATH (set up on first use), then Jest.
set -eu
cd "$(dirname "$0")/.."
. scripts/node22.sh
if bin="$(bash scripts/pulumi-cli.sh)"; then
  PATH="$bin:$PATH"
  export PATH
else
  printf 'test: no Pulumi CLI; the suites that run the real engine are skipped (under CI they fail)\n' >&2
fi
sh scripts/build.sh --if-stale
exec node node_modules/jest/bin/jest.js "$@"
