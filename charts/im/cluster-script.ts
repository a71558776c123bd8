/**
 * The ejabberd pod's entrypoint, probes and stop hook, as one POSIX shell
 * script (the image is Alpine; no bash). Pure text, mounted from a ConfigMap.
 *
 * Membership: every table ejabberd keeps durably lives in PostgreSQL, and
 * Mnesia (in an emptyDir) only holds sessions and routes. So a pod that
 * starts with an empty Mnesia simply joins the first peer of the
 * StatefulSet that answers, found by its stable name under the headless
 * Service; if none answers it is the first node. Pods start in order
 * (OrderedReady), so two fresh pods never both found a cluster. On stop
 * the preStop hook leaves the cluster, so the others stop waiting for it.
 * Administrator accounts (one Secret key each) are registered on start if
 * missing.
 */
export function clusterScript(c2sPort: number): string {
  const portHex = c2sPort.toString(16).toUpperCase().padStart(4, "0");
  return (
    `#!/bin/sh
# ejabberd cluster membership for a StatefulSet pod (rendered by warbler).
# Usage: cluster.sh start | ready | alive | leave
set -eu
ctl() { ejabberdctl --config "$EJABBERD_CONFIG" --ctl-config "$EJABBERDCTL_CONFIG" "$@"; }
# The marker lives beside Mnesia: a new pod (empty Mnesia) is not ready until it has joined.
marker="$EJABBERD_SPOOL/.warbler-joined"

case "\${1:-start}" in
start)
  # Sessions are file descriptors; take the hard limit the node allows.
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  rm -f "$marker"
  ctl foreground &
  pid=$!
  trap 'kill -TERM "$pid" 2>/dev/null || true' TERM INT
  ctl started
  if ctl list_cluster | grep -v -q "$ERLANG_NODE_ARG"; then
    echo "cluster.sh: already clustered"
  else
    ordinal="\${POD_NAME##*-}"
    base="\${POD_NAME%-*}"
    i=0
    while [ "$i" -lt "$REPLICAS" ]; do
      if [ "$i" != "$ordinal" ]; then
        peer="ejabberd@$base-$i.$HEADLESS_DOMAIN"
        if ctl join_cluster "$peer"; then
          echo "cluster.sh: joined $peer"
          break
        fi
      fi
      i=$((i + 1))
    done
    [ "$i" -lt "$REPLICAS" ] || echo "cluster.sh: no peer answered; this node starts the cluster"
  fi
  # Administrator accounts live in PostgreSQL: whichever node comes first creates them.
  for file in "$ADMINS_DIR"/*; do
    [ -f "$file" ] || continue
    user="$(basename "$file")"
    ctl check_account "$user" "$XMPP_DOMAIN" >/dev/null 2>&1 || ctl register "$user" "$XMPP_DOMAIN" "$(cat ` +
    `"$file")" || true
  done
  touch "$marker"
  wait "$pid"
  ;;
ready)
  # Joined, and the client port accepts connections (LISTEN = 0A in /proc/net/tcp). No ejabberdctl
  # here: each call boots an Erlang VM, too costly every few seconds; the port only listens while
  # the node runs, and the marker is cleared on every start until the node has joined.
  test -f "$marker"
  grep -q ":${portHex} 00000000:0000 0A" /proc/net/tcp /proc/net/tcp6
  ;;
alive)
  # Only the Erlang node itself: a database outage must not restart every pod.
  ctl status >/dev/null
  ;;
leave)
  ctl leave_cluster "$ERLANG_NODE_ARG" || true
  ;;
*)
  echo "usage: cluster.sh start|ready|alive|leave" >&2
  exit 2
  ;;
esac
`
  );
}
