#!/usr/bin/env bash
# leak-check.sh <seconds>: fails, naming them, if processes started in the last
# <seconds> still run from this test run: their command line names a test
# directory ($TMPDIR/warbler-*), or they inherited the run's TMPDIR (a CLI or a
# watchdog whose test was stopped). scripts/test.sh gives each run a private
# TMPDIR, so whatever matches is that run's own. Tests must stop what they
# start; anything left is a defect, and it is stopped here by PID so the next
# run starts clean.
set -euo pipefail

window=${1:?usage: leak-check.sh <seconds since the tests started>}
tmp=${TMPDIR:-/tmp}
command -v ps >/dev/null || { echo "leak-check: ps is missing (Debian package procps)" >&2; exit 1; }

declare -A parent age
snapshot=$(ps -eo pid=,ppid=,etimes=)
while read -r pid ppid etimes; do
  parent[$pid]=$ppid
  age[$pid]=$etimes
done <<<"$snapshot"

# This script, the processes it started, and its ancestors (test.sh exported TMPDIR) are not leaks.
related() {
  local p=$1
  while [ "${p:-1}" -gt 1 ]; do [ "$p" -eq $$ ] && return 0; p=${parent[$p]:-1}; done
  p=$$
  while [ "${p:-1}" -gt 1 ]; do [ "$p" -eq "$1" ] && return 0; p=${parent[$p]:-1}; done
  return 1
}

leaks=()
for pid in "${!parent[@]}"; do
  [ "${age[$pid]}" -le "$window" ] || continue
  related "$pid" && continue
  args=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || continue
  # A process substitution, not a pipe: under pipefail, grep -q quitting early could fail the match.
  if [[ "$args" == *"$tmp/warbler-"* ]] \
    || grep -qxF "TMPDIR=$tmp" < <(tr '\0' '\n' 2>/dev/null <"/proc/$pid/environ"); then
    leaks+=("$pid $args")
  fi
done
[ ${#leaks[@]} -eq 0 ] && exit 0

echo "leak-check: ${#leaks[@]} process(es) left running by the tests:" >&2
printf '  %s\n' "${leaks[@]}" | cut -c1-240 >&2
for line in "${leaks[@]}"; do
  kill -9 "${line%% *}" 2>/dev/null || true
done
exit 1
