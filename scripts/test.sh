#!/usr/bin/env bash
# The test suite, and its tiers.
#   test.sh               the whole suite (npm test, CI): system packages, lint, type-check, every tier, leak check
#   test.sh <tier>...     only these tiers' test files, then the leak check:
#     unit    test/unit               no system packages; target: under 60 s on two cores (npm run test:unit)
#     chart   test/chart              the cdk8s charts, synthesized and schema-checked     (npm run test:chart)
#     plan    test/plan               whole example stacks planned offline, the CLI, URN pins (npm run test:plan)
#     policy  test/policy                                                        (npm run test:policy)
#     e2e     test/e2e                real ejabberd, PostgreSQL and an XMPP client (npm run test:e2e)
#     drill   test/drill              failover between two real PostgreSQL servers (npm run test:drill)
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A TIERS=([unit]="test/unit" [chart]="test/chart" [plan]="test/plan" [policy]="test/policy" [e2e]="test/e2e"
  [drill]="test/drill")
TIER_NAMES=(unit chart plan policy e2e drill)

tier_files() { # tier_files <tier>: its test files, sorted
  # shellcheck disable=SC2086 # the tier's directories are space-separated on purpose
  find ${TIERS[$1]} -name '*.test.ts' | sort
}

if [ $# -eq 0 ]; then
  bash scripts/system-deps.sh

  echo "== lint: format, lint rules, dependency rules, file size"
  bash scripts/lint.sh

  echo "== type-check (tsc against the real provider SDK types)"
  npx tsc -p .

  echo "== tests: every tier (unit, chart, plan, policy, end-to-end, drill) in one run"
  mapfile -t files < <(find test -name '*.test.ts' | sort)
  # A test file outside every tier would run here but never in `npm run test:<tier>`.
  mapfile -t tiered < <(for t in "${TIER_NAMES[@]}"; do tier_files "$t"; done | sort)
  untiered=$(comm -23 <(printf '%s\n' "${files[@]}") <(printf '%s\n' "${tiered[@]}"))
  if [ -n "$untiered" ]; then
    echo "test files outside every tier (scripts/test.sh TIERS):" >&2
    echo "$untiered" >&2
    exit 1
  fi
else
  files=()
  for tier in "$@"; do
    if [ -z "${TIERS[$tier]:-}" ]; then
      echo "unknown tier '$tier'; the tiers are: ${TIER_NAMES[*]}" >&2
      exit 2
    fi
    # The unit, chart and plan tiers need only openssl, ps and promtool (certificates in tests, the leak check, the
    # alert rules); the others use PostgreSQL, ejabberd, prometheus or chromium too.
    case "$tier" in unit | chart | plan) bash scripts/system-deps.sh base ;; *) bash scripts/system-deps.sh ;; esac
    mapfile -t -O "${#files[@]}" files < <(tier_files "$tier")
  done
  echo "== tests: $*"
fi
if [ ${#files[@]} -eq 0 ]; then
  echo "no test files found" >&2
  exit 1
fi

# Every temporary directory of this run lives under one private TMPDIR, so the leak check below can
# tell this run's processes from anyone else's. The postgres and ejabberd users must traverse it.
TMPDIR=$(mktemp -d /tmp/warbler-tests.XXXXXX)
export TMPDIR
chmod 755 "$TMPDIR"
trap 'rm -rf "$TMPDIR"' EXIT
started=$SECONDS
status=0
# --experimental-websocket: Node 20 has no global WebSocket without it (the e2e tests' XMPP client uses it).
# --test-timeout bounds each file, including a process that lingers after its tests (a leaked timer or
# server): it fails, named, instead of holding the run. The longest file takes about 30 s.
node --experimental-websocket --import tsx --test --test-concurrency=2 --test-timeout=300000 --test-reporter=spec \
  "${files[@]}" \
  || status=$?
echo "== tests took $(( SECONDS - started )) s"

echo "== leak check: no server left running from a test's temporary directory"
bash scripts/leak-check.sh "$(( SECONDS - started + 1 ))" || status=1
exit "$status"
