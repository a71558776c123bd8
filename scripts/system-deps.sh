#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing, or
# fails loudly naming them. Nothing is ever skipped for want of a package.
#   system-deps.sh         every package the suite needs
#   system-deps.sh base    only what the unit, chart and plan tiers and the leak check use (openssl, ps, and
#                          promtool, which the chart tier's alert-rule tests run)
set -euo pipefail

missing=()
need() { # need <package> <glob of a file that proves it is installed>
  compgen -G "$2" >/dev/null || missing+=("$1")
}
need openssl /usr/bin/openssl
need procps /usr/bin/ps
# promtool tests every alert rule (test/chart/alert-rules.test.ts); the analytics end-to-end test runs prometheus.
need prometheus /usr/bin/promtool
if [ "${1:-all}" != base ]; then
  need postgresql-15 /usr/lib/postgresql/15/bin/initdb
  need ejabberd /usr/sbin/ejabberdctl
  need erlang-p1-pgsql "/usr/lib/erlang/lib/p1_pgsql-*/ebin"
  need chromium /usr/bin/chromium
  # setcap: the file-capability test gives a binary cap_net_bind_service=+ep, as the ejabberd and eturnal images do.
  need libcap2-bin /usr/sbin/setcap
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "system-deps: installing missing Debian packages: ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
  echo "system-deps: not root; run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

# ejabberd's postinst would start and enable a system server on 5222/5280;
# a policy-rc.d that answers 101 stops that, and is removed afterwards.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  own_policy=1
fi
cleanup() { if [ "$own_policy" -eq 1 ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

apt-get update -q >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
