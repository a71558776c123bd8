/**
 * The ejabberd pod's entrypoint, readiness check and stop hook, as one POSIX
 * shell script (the upstream image is Alpine: no bash). Pure text, mounted
 * from a ConfigMap; the local tests run the very same text on Debian.
 *
 * Cookie: the Erlang cookie comes from the Secret only. Every ejabberdctl
 * call (this script's, a probe's, an operator's `kubectl exec`) reads
 * `$HOME/.erlang.cookie`, and the image's ejabberdctl writes ERLANG_COOKIE
 * there only when no file exists yet, so a stale file would win over the
 * variable. The script therefore copies the mounted Secret file to
 * `$HOME/.erlang.cookie` (0400) before its first ejabberdctl call.
 *
 * Membership: every durable table lives in PostgreSQL; Mnesia (an emptyDir)
 * holds sessions and routes only. A pod that starts with an empty Mnesia
 * joins the first peer of the StatefulSet that answers; if none answers it
 * is the first node. While the node runs, a loop checks membership every
 * HEAL_PERIOD seconds (default 60): each check boots a short-lived Erlang VM
 * (ejabberdctl), about a second of CPU, so the period stays long. Every node
 * converges on the lowest ordinal that answers (the anchor): if the anchor is
 * not among this node's running members (it restarted alone, or a netsplit
 * left two halves), this node re-joins it. Joining wipes this node's Mnesia
 * copy, which costs its sessions; that only happens after a split.
 *
 * Certificates: the same loop checksums the mounted certificate every
 * CHECK_PERIOD seconds (default 30; no VM) and calls `reload_config` when
 * kubelet has swapped in a renewed one, so ejabberd serves it without a restart.
 */
export function clusterScript(c2sPort: number): string {
  const portHex = c2sPort.toString(16).toUpperCase().padStart(4, "0");
  return `#!/bin/sh
# ejabberd cluster membership for a StatefulSet pod (rendered by warbler, charts/im/cluster-script.ts).
# Usage: cluster.sh start | ready | leave | heal
set -eu
ctl() {
  ejabberdctl --config "$EJABBERD_CONFIG" --ctl-config "$EJABBERDCTL_CONFIG" --spool "$EJABBERD_SPOOL" \\
    --logs "$EJABBERD_LOGS" --node "$ERLANG_NODE_ARG" "$@"
}
# Before any ejabberdctl call: the cookie from the Secret, readable by this user only (Erlang refuses others).
install_cookie() {
  tmp="$HOME/.erlang.cookie.$$"
  (umask 077 && cat "$ERLANG_COOKIE_FILE" > "$tmp")
  chmod 0400 "$tmp"
  mv -f "$tmp" "$HOME/.erlang.cookie"
}
# The marker lives beside Mnesia: a new pod (empty Mnesia) is not ready until it has joined.
marker="$EJABBERD_SPOOL/.warbler-joined"
ordinal="\${POD_NAME##*-}"
peer_node() { echo "$PEER_NODE_PREFIX$1$PEER_NODE_SUFFIX"; }
# Running members, one node name a line, without the quotes some releases print.
members() {
  out="$(ctl list_cluster)" || return 1
  printf '%s\\n' "$out" | tr -d "'\\"" | tr ' ' '\\n' | sed '/^$/d'
}
# Joins the first other peer that answers, in ordinal order.
join_first_peer() {
  i=0
  while [ "$i" -lt "$REPLICAS" ]; do
    if [ "$i" != "$ordinal" ] && ctl join_cluster "$(peer_node "$i")"; then
      echo "cluster.sh: joined $(peer_node "$i")"
      return 0
    fi
    i=$((i + 1))
  done
  return 1
}
# Re-joins the anchor (the lowest ordinal that answers) when it is not a running member.
heal() {
  now="$(members)" || return 0
  i=0
  while [ "$i" -lt "$REPLICAS" ]; do
    peer="$(peer_node "$i")"
    [ "$i" = "$ordinal" ] && return 0
    printf '%s\\n' "$now" | grep -qxF "$peer" && return 0
    if ctl join_cluster "$peer"; then
      echo "cluster.sh: $peer was not a running member; re-joined it"
      return 0
    fi
    i=$((i + 1))
  done
}
cert_sum() { cksum < "$CERT_FILE" 2>/dev/null || echo missing; }

case "\${1:-start}" in
start)
  # Sessions are file descriptors: below the limit the instance is sized for, refuse to start (EX_CONFIG) rather
  # than refuse sessions one by one once it is full.
  hard=$(ulimit -Hn)
  if [ "$hard" != unlimited ] && [ "$hard" -lt "\${NEEDED_OPEN_FILES:-0}" ]; then
    echo "cluster.sh: the open-file limit is $hard, below the $NEEDED_OPEN_FILES this instance is sized for;" \\
      "raise the container runtime's RLIMIT_NOFILE on the node (docs/capacity.md)" >&2
    exit 78
  fi
  install_cookie
  ulimit -n "$hard" 2>/dev/null || true
  rm -f "$marker"
  # exec: $pid is the VM itself, so TERM reaches ejabberd and not only a subshell.
  (exec ejabberdctl --config "$EJABBERD_CONFIG" --ctl-config "$EJABBERDCTL_CONFIG" --spool "$EJABBERD_SPOOL" \\
    --logs "$EJABBERD_LOGS" --node "$ERLANG_NODE_ARG" foreground) &
  pid=$!
  stopping=""
  trap 'stopping=1; kill -TERM "$pid" 2>/dev/null || true' TERM INT
  ctl started
  if members | grep -qvxF "$ERLANG_NODE_ARG"; then
    echo "cluster.sh: already clustered"
  elif ! join_first_peer; then
    echo "cluster.sh: no peer answered; this node starts the cluster"
  fi
  # Administrator accounts live in PostgreSQL: whichever node comes first creates them.
  for file in "$ADMINS_DIR"/*; do
    [ -f "$file" ] || continue
    user="$(basename "$file")"
    ctl check_account "$user" "$XMPP_DOMAIN" >/dev/null 2>&1 \\
      || ctl register "$user" "$XMPP_DOMAIN" "$(cat "$file")" || true
  done
  touch "$marker"
  check="\${CHECK_PERIOD:-30}"
  period="\${HEAL_PERIOD:-60}"
  seen="$(cert_sum)"
  elapsed=0
  while [ -z "$stopping" ] && kill -0 "$pid" 2>/dev/null; do
    # sleep in the background, so TERM interrupts the wait at once.
    sleep "$check" &
    wait $! || true
    [ -z "$stopping" ] && kill -0 "$pid" 2>/dev/null || break
    sum="$(cert_sum)"
    if [ "$sum" != "$seen" ] && ctl reload_config; then
      seen="$sum"
      echo "cluster.sh: the certificate changed; reloaded"
    fi
    elapsed=$((elapsed + check))
    if [ "$elapsed" -ge "$period" ]; then
      elapsed=0
      heal || true
    fi
  done
  wait "$pid"
  ;;
ready)
  # Joined, and the client port accepts connections (LISTEN = 0A in /proc/net/tcp). No ejabberdctl
  # here: each call boots an Erlang VM, too costly every few seconds; the port only listens while
  # the node runs, and the marker is cleared on every start until the node has joined.
  test -f "$marker"
  grep -q ":${portHex} 00000000:0000 0A" /proc/net/tcp /proc/net/tcp6
  ;;
leave)
  install_cookie
  ctl leave_cluster "$ERLANG_NODE_ARG" || true
  ;;
heal)
  # One membership check, as the start loop makes every HEAL_PERIOD seconds (for operators and tests).
  install_cookie
  heal
  ;;
*)
  echo "usage: cluster.sh start|ready|leave|heal" >&2
  exit 2
  ;;
esac
`;
}
