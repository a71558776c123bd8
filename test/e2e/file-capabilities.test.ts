import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { restrictedContainer } from "../../charts/im/pod-security";
import { exampleConfig, synthesizeFor } from "../chart/fixtures";

/**
 * The kernel rule the chart must respect, reproduced on this machine.
 *
 * ProcessOne's ejabberd and eturnal images run `setcap 'cap_net_bind_service=+ep' $(find ... -name beam.smp)`
 * (processone/ejabberd .github/container/Dockerfile; processone/eturnal's Dockerfile, same line), and
 * processone/ejabberd#4494 reports the result: a container that drops ALL capabilities cannot exec beam.smp. With
 * no_new_privs set (allowPrivilegeEscalation: false), execve fails with EPERM when the file's permitted
 * capabilities are not all in the bounding set (capabilities(7), "Safety checking for capability-dumb binaries").
 * Pod Security "restricted" lets a container add back NET_BIND_SERVICE and nothing else
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/, Restricted, "Capabilities").
 *
 * The setpriv arguments are derived from the chart's own securityContext objects (pod and container), so the test
 * fails if the chart drops the capability again.
 */

type SecurityContext = {
  runAsUser?: number;
  runAsGroup?: number;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
};

/** setpriv arguments that give a process what the container runtime gives the container's first process. */
function setprivArgs(pod: SecurityContext, container: SecurityContext): string[] {
  const uid = container.runAsUser ?? pod.runAsUser;
  const gid = container.runAsGroup ?? pod.runAsGroup;
  assert.ok(uid !== undefined && gid !== undefined, "the chart names the user and group");
  const drop = container.capabilities?.drop ?? [];
  const add = container.capabilities?.add ?? [];
  // Only "drop ALL, add some" is translated: the chart must never rely on the runtime's default set.
  assert.deepEqual(drop, ["ALL"], "every container drops ALL");
  const bounding = ["-all", ...add.map((cap) => `+${cap.toLowerCase()}`)].join(",");
  return [
    `--reuid=${uid}`,
    `--regid=${gid}`,
    "--clear-groups",
    "--inh-caps=-all",
    `--bounding-set=${bounding}`,
    ...(container.allowPrivilegeEscalation === false ? ["--no-new-privs"] : []),
  ];
}

const dir = mkdtempSync(join(tmpdir(), "warbler-filecaps-"));
after(() => rmSync(dir, { recursive: true, force: true }));
chmodSync(dir, 0o755);
/** A copy of /bin/true with the file capability of beam.smp in the upstream images. */
const capable = join(dir, "beam-like");
copyFileSync("/bin/true", capable);
chmodSync(capable, 0o755);
const plain = join(dir, "plain");
copyFileSync("/bin/true", plain);
chmodSync(plain, 0o755);

const exec = (args: string[], file: string) => spawnSync("setpriv", [...args, file], { encoding: "utf8" });

describe("file capabilities under the chart's security contexts (setpriv on this kernel)", () => {
  it("gives the copy the images' file capability", () => {
    const set = spawnSync("setcap", ["cap_net_bind_service=+ep", capable], { encoding: "utf8" });
    assert.equal(set.status, 0, `setcap failed (libcap2-bin, scripts/system-deps.sh): ${set.stderr}`);
    assert.match(spawnSync("getcap", [capable], { encoding: "utf8" }).stdout, /cap_net_bind_service=ep/);
  });

  it("refuses the exec when every capability is dropped, as the chart did before (EPERM)", () => {
    const args = setprivArgs({ runAsUser: 9000, runAsGroup: 9000 }, restrictedContainer);
    const refused = exec(args, capable);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /Operation not permitted/);
    // The same settings run a binary without file capabilities: the refusal is the capability's doing.
    assert.equal(exec(args, plain).status, 0, exec(args, plain).stderr);
  });

  const config = exampleConfig("aws");
  const workloads = synthesizeFor(config).filter((o) => o.kind === "StatefulSet" || o.kind === "Deployment");
  // The images whose Dockerfiles set the capability on beam.smp.
  const upstream = /^ghcr\.io\/processone\/(ejabberd|eturnal)[:@]/;
  const targets = workloads.flatMap((w) =>
    w.spec.template.spec.containers
      .filter((c: { image: string }) => upstream.test(c.image))
      .map((c: { name: string; securityContext: SecurityContext }) => ({
        where: `${w.metadata.name}/${c.name}`,
        args: setprivArgs(w.spec.template.spec.securityContext, c.securityContext),
      })),
  );

  it("finds the ejabberd container among the chart's workloads", () => {
    assert.ok(
      targets.some((t) => t.where === "ejabberd/ejabberd"),
      targets.map((t) => t.where).join(", "),
    );
  });

  for (const target of targets) {
    it(`${target.where}: the chart's settings exec a binary carrying cap_net_bind_service=+ep`, () => {
      const result = exec(target.args, capable);
      assert.equal(result.status, 0, `setpriv ${target.args.join(" ")}: ${result.stderr}`);
    });
  }
});
