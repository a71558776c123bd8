import assert from "node:assert/strict";
import { test } from "node:test";
import { renderKubeconfig } from "../../../components/aws/kubeconfig";
import { renderNodeUserData, renderSysctlConf } from "../../../components/aws/node-pool";
import { imNodeSysctls, imSysctlFile } from "../../../lib/node-tuning";

test("node user data is a MIME multi-part document whose shell part writes every IM sysctl and applies it", () => {
  const doc = renderNodeUserData(imNodeSysctls);
  const boundary = /boundary="([^"]+)"/.exec(doc)?.[1];
  assert.ok(boundary, "multipart boundary");
  assert.ok(doc.startsWith("MIME-Version: 1.0\n"));
  assert.ok(doc.trimEnd().endsWith(`--${boundary}--`), "closing boundary");
  assert.match(doc, /Content-Type: text\/x-shellscript/);
  for (const [key, value] of Object.entries(imNodeSysctls)) assert.ok(doc.includes(`\n${key} = ${value}\n`), key);
  assert.ok(doc.includes(`cat > ${imSysctlFile} <<'SYSCTL'`));
  assert.ok(doc.indexOf("modprobe nf_conntrack") < doc.indexOf("sysctl --system"), "conntrack module before applying");
});

test("sysctl rendering refuses keys or values that could inject shell or file content, naming each", () => {
  assert.throws(
    () => renderSysctlConf({ "net.core.somaxconn": "1\nSYSCTL\nrm -rf /", "bad key": "1" }),
    (err: Error) => err.message.includes("'net.core.somaxconn'") && err.message.includes("'bad key'"),
  );
  assert.equal(
    renderSysctlConf({ "fs.file-max": "10", "net.ipv4.ip_local_port_range": "1024 65535" }),
    "fs.file-max = 10\nnet.ipv4.ip_local_port_range = 1024 65535",
  );
});

test(
  "the kubeconfig authenticates with short-lived aws eks get-token for the cluster and region, with no static " +
    "credential",
  () => {
    const text = renderKubeconfig({
      clusterName: "c1",
      endpoint: "https://abc.eks.amazonaws.com",
      certificateAuthorityData: "Q0E=",
      region: "eu-central-1",
    });
    const doc = JSON.parse(text);
    assert.equal(doc["current-context"], "c1");
    assert.equal(doc.clusters[0].cluster.server, "https://abc.eks.amazonaws.com");
    assert.equal(doc.clusters[0].cluster["certificate-authority-data"], "Q0E=");
    const user = doc.users[0].user;
    assert.deepEqual(Object.keys(user), ["exec"]);
    assert.equal(user.exec.command, "aws");
    assert.deepEqual(user.exec.args.slice(0, 6), [
      "eks",
      "get-token",
      "--cluster-name",
      "c1",
      "--region",
      "eu-central-1",
    ]);
  },
);
