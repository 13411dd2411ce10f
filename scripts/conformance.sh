#!/usr/bin/env bash
# Schema-driven conformance check of the standalone CMF emulator against the vendored CMF 2.3.1
# OpenAPI document, over every operation, with Schemathesis (pinned, from PyPI).
#
#   bash scripts/conformance.sh            # bounded run (about 2-4 minutes on 2 cores)
#   CONFORMANCE_MAX_EXAMPLES=50 bash scripts/conformance.sh
#
# It creates (once) a venv with Schemathesis under ${PULUMI_CMF_CACHE:-$HOME/.cache/pulumi-cmf},
# derives the test document (links + the exclusions listed in scripts/conformance-exclusions.md),
# starts the emulator on 127.0.0.1 (any free port), runs Schemathesis, stops the emulator, and exits
# non-zero on any failure: a server error, a response that breaks its schema or content type.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION="4.32.5"
CACHE="${PULUMI_CMF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-cmf}"
VENV="$CACHE/schemathesis-$SCHEMATHESIS_VERSION"
MAX_EXAMPLES="${CONFORMANCE_MAX_EXAMPLES:-8}"
SEED="${CONFORMANCE_SEED:-20260401}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cmf-conformance.XXXXXX")"
EMULATOR_PID=""

cleanup() {
  if [ -n "$EMULATOR_PID" ] && kill -0 "$EMULATOR_PID" 2>/dev/null; then
    kill -TERM "$EMULATOR_PID" 2>/dev/null || true
    wait "$EMULATOR_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
# A signal ends the script through `exit`, so the EXIT trap stops the emulator in every case.
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM

# --- Schemathesis in a cached venv -------------------------------------------------------------
if ! "$VENV/bin/st" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  echo "conformance: installing schemathesis==$SCHEMATHESIS_VERSION into $VENV" >&2
  rm -rf "$VENV"
  mkdir -p "$CACHE"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# --- The emulator ------------------------------------------------------------------------------
. scripts/node22.sh
if [ ! -f dist/provider/emulator/cli.js ]; then npm run build >/dev/null; fi

"$VENV/bin/python" test/conformance/prepare-spec.py test/conformance/cmf-openapi-v2.3.1.yaml "$WORK/openapi.yaml"

# The files exist before the emulator starts, so that polling them never races its redirection.
: >"$WORK/emulator.out"
: >"$WORK/emulator.err"
node dist/provider/emulator/cli.js --host 127.0.0.1 --port 0 >"$WORK/emulator.out" 2>"$WORK/emulator.err" &
EMULATOR_PID=$!
URL=""
for _ in $(seq 1 100); do
  URL="$(sed -n 's/^CMF emulator listening on //p' "$WORK/emulator.out")"
  [ -n "$URL" ] && break
  if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then break; fi
  sleep 0.1
done
if [ -z "$URL" ]; then
  echo "conformance: the emulator did not start:" >&2
  cat "$WORK/emulator.err" >&2
  exit 1
fi
node test/conformance/seed.mjs "$URL"
echo "conformance: emulator at $URL; schemathesis $SCHEMATHESIS_VERSION, max $MAX_EXAMPLES examples per operation, seed $SEED"

# --- The run -----------------------------------------------------------------------------------
# Run from the scratch directory: Hypothesis keeps files in the working directory.
ROOT="$PWD"
set +e
(cd "$WORK" && "$VENV/bin/st" --config-file "$ROOT/test/conformance/schemathesis.toml" run "$WORK/openapi.yaml" \
  --url "$URL" \
  --max-examples "$MAX_EXAMPLES" \
  --seed "$SEED" \
  --workers 2 \
  --no-shrink \
  --request-timeout 10 \
  --report junit --report-junit-path "${CONFORMANCE_JUNIT:-$WORK/junit.xml}" \
  "$@") 2>&1 | sed -E 's/^=+ (.*[^ =]) =+$/schemathesis: \1/; s/^(schemathesis: .*) in ([0-9.]+s)$/\1 (\2)/'
# Schemathesis frames its summary like pytest ("=== 2 warnings in 41s ==="); CI reads such a line as
# a pytest run that executed no test, so the frame is dropped and only the words are kept.
status=${PIPESTATUS[0]}
set -e

if kill -0 "$EMULATOR_PID" 2>/dev/null; then
  # Which emulated routes the run reached, and how often (unknown routes are not counted).
  node -e '
    fetch(process.argv[1] + "/_emulator/stats").then((r) => r.json()).then((s) => {
      const routes = Object.entries(s.byRoute).sort(([a], [b]) => a.localeCompare(b));
      console.log(`conformance: ${s.total} requests; statuses ${JSON.stringify(s.byStatus)}; per route:`);
      for (const [route, n] of routes) console.log(`  ${String(n).padStart(6)}  ${route}`);
    });' "$URL"
  # Every operation of the document must have been routed (a missing endpoint passes the checks).
  if ! "$VENV/bin/python" test/conformance/check-reach.py "$WORK/openapi.yaml" "$URL"; then
    [ "$status" -eq 0 ] && status=3
  fi
else
  echo "conformance: the emulator died during the run:" >&2
  cat "$WORK/emulator.err" >&2
  exit 1
fi
exit "$status"
