#!/usr/bin/env bash
# The whole test suite: system packages, type-check, then every test layer.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/system-deps.sh

echo "== type-check (tsc against the real provider SDK types)"
npx tsc -p .

echo "== tests: unit, policy, chart, end-to-end, drill"
mapfile -t files < <(find test -name '*.test.ts' | sort)
if [ ${#files[@]} -eq 0 ]; then
  echo "no test files found under test/" >&2
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
node --experimental-websocket --import tsx --test --test-concurrency=2 --test-timeout=300000 --test-reporter=spec "${files[@]}" \
  || status=$?

echo "== leak check: no server left running from a test's temporary directory"
bash scripts/leak-check.sh "$(( SECONDS - started + 1 ))" || status=1
exit "$status"
