#!/bin/sh
# Compiles the package into dist/ (tsc, incremental) and bundles the provider runtime and the emulator's
# Flink SQL grammar (esbuild).
#   sh scripts/build.sh             always (npm run build)
#   sh scripts/build.sh --if-stale  only when a source changed since the last build (npm run demo,
#                                   npm test, npm pack): a check of file times, instant when nothing changed
#   sh scripts/build.sh --check     exit status 0 when dist/ is up to date, 1 when a build is due
# One build at a time per checkout (test files, the demo and a pack may ask at once): the others wait.
set -eu
cd "$(dirname "$0")/.."
STAMP=dist/.build-stamp
LOCK=dist/.build-lock

stale() {
  [ -f "$STAMP" ] || return 0
  [ -n "$(find provider sdk scripts bench tsconfig.json tsconfig.build.json package.json \
    -newer "$STAMP" \( -name '*.ts' -o -name '*.json' \) -print 2>/dev/null | head -n 1)" ]
}

case "${1:-}" in
  --check) if stale; then exit 1; else exit 0; fi ;;
  --if-stale) stale || exit 0 ;;
  "") ;;
  *) printf 'build: unknown option %s\n' "$1" >&2; exit 2 ;;
esac

mkdir -p dist
waited=0
until mkdir "$LOCK" 2>/dev/null; do
  holder="$(cat "$LOCK/pid" 2>/dev/null || true)"
  if [ -n "$holder" ] && ! kill -0 "$holder" 2>/dev/null; then
    rm -rf "$LOCK" # left by a build that was killed
    continue
  fi
  [ "$waited" -eq 0 ] && printf 'build: waiting for another build of this checkout (pid %s)\n' "${holder:-?}" >&2
  waited=$((waited + 1))
  sleep 1
done
printf '%s\n' "$$" > "$LOCK/pid"
trap 'rm -rf "$LOCK"' EXIT

if [ "${1:-}" = "--if-stale" ]; then
  stale || exit 0 # built by the run we waited for
  printf 'build: sources changed since the last build; compiling into dist/ (tsc, 15-60 s)\n' >&2
fi
# Stamped with the time the build started, so a file saved during the build counts as changed.
touch dist/.build-start
node node_modules/typescript/bin/tsc -p tsconfig.build.json
# What the dynamic-provider process loads (`pulumi-cmf/provider`): the runtime as one file (esbuild, ~1 s).
node -e 'require("./dist/provider/bundle.js").bundleForNode({
  entry: "provider/resources/runtime.ts",
  outfile: "dist/provider/resources/runtime.bundle.js",
}).catch((error) => { console.error(error.message); process.exit(1); })'
# The emulator's Flink SQL grammar, loaded by path by its parser worker (~1 s).
node -e 'require("./dist/provider/bundle.js").bundleFlinkGrammar("dist/provider/emulator/sql")
  .catch((error) => { console.error(error.message); process.exit(1); })'
mv dist/.build-start "$STAMP"
