import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { clusterScript } from "../../../charts/im/cluster-script";

/**
 * cluster.sh's decisions, with a stand-in ejabberdctl that records its calls: which peer a node re-joins, and that
 * the cookie comes from the Secret's file even when a stale one exists. The real ejabberd runs the same script in
 * test/e2e/cluster-heal.test.ts and test/e2e/certificate-reload.test.ts.
 *
 * The cookie rule it guards: the image's ejabberdctl writes ERLANG_COOKIE to $HOME/.erlang.cookie only
 * `[ ! -f "$COOKIE_FILE" ]` (processone/ejabberd .github/container/ejabberdctl.template), so a file already there
 * wins over the variable; the script overwrites it from the Secret before any ejabberdctl call.
 */

const dir = mkdtempSync(join(tmpdir(), "warbler-cluster-sh-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const bin = join(dir, "bin");
mkdirSync(bin);
writeFileSync(
  join(bin, "ejabberdctl"),
  `#!/bin/sh
# Stand-in: skips the flags, records the command, answers from STUB_MEMBERS and STUB_REACHABLE.
while [ $# -gt 0 ]; do case $1 in --*) shift 2;; *) break;; esac; done
echo "$*" >> "$STUB_LOG"
case $1 in
list_cluster) printf '%s\\n' $STUB_MEMBERS ;;
join_cluster) case " $STUB_REACHABLE " in *" $2 "*) exit 0;; *) echo "pang" >&2; exit 1;; esac ;;
*) exit 0 ;;
esac
`,
);
chmodSync(join(bin, "ejabberdctl"), 0o755);
const script = join(dir, "cluster.sh");
writeFileSync(script, clusterScript(5222));

function runScript(mode: string, ordinal: number, members: number[], reachable: number[]) {
  const home = mkdtempSync(join(dir, "home-"));
  const log = join(home, "calls.log");
  writeFileSync(log, "");
  const cookie = join(home, "secret-cookie");
  writeFileSync(cookie, "the-secret-cookie\n");
  // A stale cookie, as a build step or an earlier run leaves it: it must not survive.
  writeFileSync(join(home, ".erlang.cookie"), "stale-cookie\n", { mode: 0o400 });
  const node = (i: number) => `ejabberd@ejabberd-${i}.headless`;
  const result = spawnSync("sh", [script, mode], {
    encoding: "utf8",
    env: {
      PATH: `${bin}:/usr/bin:/bin`,
      HOME: home,
      ERLANG_COOKIE_FILE: cookie,
      POD_NAME: `ejabberd-${ordinal}`,
      ERLANG_NODE_ARG: node(ordinal),
      PEER_NODE_PREFIX: "ejabberd@ejabberd-",
      PEER_NODE_SUFFIX: ".headless",
      REPLICAS: "3",
      EJABBERD_CONFIG: "/c",
      EJABBERDCTL_CONFIG: "/cc",
      EJABBERD_SPOOL: home,
      EJABBERD_LOGS: home,
      STUB_LOG: log,
      STUB_MEMBERS: members.map(node).join(" "),
      STUB_REACHABLE: reachable.map(node).join(" "),
    },
  });
  const calls = readFileSync(log, "utf8").trim().split("\n").filter(Boolean);
  return { result, calls, home };
}

describe("cluster.sh heal: every node converges on the lowest ordinal that answers", () => {
  it("does nothing when the anchor (ordinal 0) is a running member", () => {
    const { result, calls } = runScript("heal", 2, [0, 1, 2], [0, 1]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(calls, ["list_cluster"]);
  });

  it("re-joins the anchor when it is not among the running members (it came back alone, or a split healed)", () => {
    const { result, calls } = runScript("heal", 2, [1, 2], [0, 1]);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(calls, ["list_cluster", "join_cluster ejabberd@ejabberd-0.headless"]);
    assert.match(result.stdout, /ejabberd@ejabberd-0.headless was not a running member; re-joined it/);
  });

  it("skips an anchor that does not answer and settles on the next ordinal", () => {
    const { calls } = runScript("heal", 2, [2], [1]);
    assert.deepEqual(calls, [
      "list_cluster",
      "join_cluster ejabberd@ejabberd-0.headless",
      "join_cluster ejabberd@ejabberd-1.headless",
    ]);
    const already = runScript("heal", 2, [1, 2], [1]);
    assert.deepEqual(already.calls, ["list_cluster", "join_cluster ejabberd@ejabberd-0.headless"]);
  });

  it("the anchor itself never joins anyone", () => {
    const { calls } = runScript("heal", 0, [0], [1, 2]);
    assert.deepEqual(calls, ["list_cluster"]);
  });

  it("writes the Secret's cookie to $HOME/.erlang.cookie, mode 0400, over a stale one, before ejabberdctl runs", () => {
    const { home } = runScript("heal", 1, [0, 1], [0]);
    assert.equal(readFileSync(join(home, ".erlang.cookie"), "utf8"), "the-secret-cookie\n");
    assert.equal(statSync(join(home, ".erlang.cookie")).mode & 0o777, 0o400);
  });
});

describe("cluster.sh start: the open-file gate", () => {
  it("refuses to start (78, EX_CONFIG) when the container's hard limit is below what the instance is sized for", () => {
    const home = mkdtempSync(join(dir, "home-"));
    const log = join(home, "calls.log");
    writeFileSync(log, "");
    const result = spawnSync("sh", ["-c", `ulimit -n 1024 && exec sh ${script} start`], {
      encoding: "utf8",
      env: {
        PATH: `${bin}:/usr/bin:/bin`,
        HOME: home,
        EJABBERD_SPOOL: home,
        POD_NAME: "ejabberd-0",
        STUB_LOG: log,
        NEEDED_OPEN_FILES: "1065536",
      },
    });
    assert.equal(result.status, 78, result.stderr);
    assert.match(result.stderr, /open-file limit is 1024, below the 1065536 this instance is sized for/);
    assert.equal(readFileSync(log, "utf8"), "", "no ejabberdctl call");
  });
});
