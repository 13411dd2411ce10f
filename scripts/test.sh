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
# The tests start hundreds of Node processes (the engine's dynamic-provider hosts, programs, npm, tsc),
# each loading large modules such as @pulumi/pulumi (~0.6 s) and TypeScript. Node's compile cache keeps
# their compiled code between processes, which halves those loads. It caches code only, keyed by content.
: "${NODE_COMPILE_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-cmf/node-compile-cache}"
export NODE_COMPILE_CACHE
exec node node_modules/jest/bin/jest.js "$@"
