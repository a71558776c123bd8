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
# --experimental-websocket: Node 20 has no global WebSocket without it (the e2e tests' XMPP client uses it).
exec node --experimental-websocket --import tsx --test --test-concurrency=2 --test-reporter=spec "${files[@]}"
