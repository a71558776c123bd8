import assert from "node:assert/strict";
import { builtinModules } from "node:module";
import { describe, it } from "node:test";
import { defaultPorts } from "../../../charts/im/ejabberd-config";
import { erlangDistPort } from "../../../charts/im/erlang-tuning";
import { imPorts } from "../../../charts/im/props";
import { gssEncRequestCode, sslRequest, sslRequestCode } from "../../../charts/im/sql-tls-proxy/proxy";
import { sqlTlsProxyBundle } from "../../../components/kubernetes/bundle";
import { kubernetesVersions } from "../../../config/clouds";

describe("sql-tls-proxy: the pieces the cluster relies on", () => {
  // PostgreSQL docs, protocol-message-formats.html, SSLRequest: "Int32(8) Length of message contents in bytes,
  // including self. Int32(80877103) The SSL request code. The value is chosen to contain 1234 in the most
  // significant 16 bits, and 5679 in the least significant 16 bits." GSSENCRequest: 1234 and 5680.
  it("sends PostgreSQL's SSLRequest byte for byte", () => {
    assert.equal(sslRequestCode, (1234 << 16) | 5679);
    assert.equal(gssEncRequestCode, (1234 << 16) | 5680);
    assert.deepEqual(sslRequest(), Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]));
  });

  // The sidecar is an init container with restartPolicy Always: "the feature is active by default since Kubernetes
  // v1.29" (kubernetes.io/docs/concepts/workloads/pods/sidecar-containers; the same page's current feature state is
  // "Kubernetes v1.33 [stable] (enabled by default)", kubernetes.io/ko/docs/concepts/workloads/pods/sidecar-containers,
  // a translation of it). Each kit's version table is a Record
  // keyed by this list (components/<cloud>/versions.ts), so no kit can pin a minor outside it.
  it("runs only on Kubernetes minors that start native sidecars (1.29 or later)", () => {
    for (const version of kubernetesVersions) {
      const [major, minor] = version.split(".").map(Number);
      assert.ok(major > 1 || minor >= 29, `Kubernetes ${version} predates native sidecars`);
    }
  });

  it("listens on a port no other process of ejabberd's pod uses", () => {
    const taken = [...Object.values(defaultPorts), erlangDistPort, 9150, imPorts.sqlTlsProxyHealth];
    assert.ok(!taken.includes(imPorts.sqlTlsProxy));
    assert.notEqual(imPorts.sqlTlsProxyHealth, 9150, "the exporter's port");
  });

  it("bundles to one file that needs nothing but Node's built-in modules", () => {
    const bundle = sqlTlsProxyBundle();
    const required = [...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    assert.ok(required.length > 0);
    for (const name of required)
      assert.ok(builtinModules.includes(name.replace(/^node:/, "")), `${name} is not built into Node`);
  });
});
