#!/usr/bin/env bash
# leak-check.sh <seconds>: fails, naming them, if processes started in the last
# <seconds> still run from a test's temporary directory ($TMPDIR/warbler-*).
# scripts/test.sh gives each run a private TMPDIR, so whatever matches is that
# run's own. Tests must stop the servers they start; anything left is a defect,
# and it is stopped here by PID so the next run starts clean.
set -euo pipefail

window=${1:?usage: leak-check.sh <seconds since the tests started>}
export LEAK_PATTERN="${TMPDIR:-/tmp}/warbler-"

# The pattern travels in the environment so this pipeline's own command lines never match it.
mapfile -t leaks < <(ps -eo pid=,etimes=,args= | awk -v window="$window" '$2 <= window && index($0, ENVIRON["LEAK_PATTERN"]) { sub(/^ +/, ""); print }')
[ ${#leaks[@]} -eq 0 ] && exit 0

echo "leak-check: ${#leaks[@]} process(es) left running by the tests:" >&2
printf '  %s\n' "${leaks[@]}" | cut -c1-240 >&2
for line in "${leaks[@]}"; do
  kill -9 "${line%% *}" 2>/dev/null || true
done
exit 1
