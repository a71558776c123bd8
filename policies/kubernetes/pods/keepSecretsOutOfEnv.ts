import type { WarblerResourcePolicy } from "../../policy";
import { containersOf, isSet, podSpecOf, workloadTypes } from "../../props";

const secretName = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;
/** Variables that point at a mounted secret file hold a path, not the secret: the recommended pattern. */
const pointer = /_(FILE|PATH|DIR)$/i;

export const k8sNoPlaintextSecrets: WarblerResourcePolicy = {
  id: "kubernetes-no-plaintext-secrets",
  name: "Secrets are not written into pod specs",
  target: "kubernetes",
  what:
    "No container environment variable whose name looks like a secret (PASSWORD, SECRET, TOKEN, API_KEY, " +
    "PRIVATE_KEY, CREDENTIAL) may carry a literal value (names ending in _FILE, _PATH or _DIR point at a mounted " +
    "file and are fine); it must come from a Secret (valueFrom.secretKeyRef) or a mounted file.",
  why:
    "Literal values in a pod spec are readable by anyone who can read Deployments, are stored unencrypted in " +
    "etcd and in the Pulumi state, and end up in logs and diffs.",
  fix:
    "Store the value in a Kubernetes Secret and reference it with 'valueFrom: { secretKeyRef: { name, key } }', " +
    "or mount the Secret as a file (the Warbler charts do this).",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.12",
    "ISO27001-A.8.24",
    "SOC2-CC6.1",
    "PCI-3.5.1",
    "PCI-3.6.1",
    "CIS-K8S-5.4.1",
    "MLPS-8.1.4.8",
  ],
  resourceTypes: workloadTypes,
  validateResource: (args, report) => {
    const spec = podSpecOf(args.type, args.props);
    if (!spec) return args.notApplicable("not a workload");
    for (const c of containersOf(spec)) {
      for (const e of c.env ?? []) {
        if (secretName.test(String(e.name)) && !pointer.test(String(e.name)) && isSet(e.value))
          report(`container '${c.name}' sets ${e.name} to a literal value`);
      }
    }
  },
};
