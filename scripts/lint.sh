#!/usr/bin/env bash
# The layout gate, read-only: formatting and lint (Biome), the rooms' dependency rules
# (dependency-cruiser), file size and line length. Every check runs, so one run names every problem.
# To fix formatting and import order: npx biome check --write .
set -uo pipefail
cd "$(dirname "$0")/.."

status=0
echo "== format and lint (biome ci; warnings fail too)"
npx biome ci --error-on-warnings . || status=1
echo "== dependency rules (.dependency-cruiser.cjs)"
node --import tsx scripts/check-dependencies.ts || status=1
echo "== file size"
node --import tsx scripts/check-file-size.ts || status=1
echo "== line length"
node --import tsx scripts/check-line-length.ts || status=1
exit "$status"
