import type { WarblerResourcePolicy } from "../../policy";

const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const RELEASES = ["kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart"];
const CONFIGMAP = "kubernetes:core/v1:ConfigMap";
const allowed = ["TLSv1.2", "TLSv1.3"];

/** Protocols in an ingress-nginx `ssl-protocols` value that are older than TLS 1.2. */
function weakProtocols(value: unknown): string[] {
  return String(value)
    .split(/\s+/)
    .filter((p) => p !== "" && !allowed.includes(p));
}

export const k8sIngressTls: WarblerResourcePolicy = {
  id: "kubernetes-ingress-tls",
  name: "Ingress serves TLS 1.2+ for every host",
  target: "kubernetes",
  what:
    "Every Ingress must terminate TLS for each host it routes, and the ingress-nginx controller must not enable " +
    "protocols older than TLS 1.2 (its default is TLS 1.2 and 1.3).",
  why:
    "The ingress carries users' logins, messages and file uploads from the internet. A host without TLS, or TLS " +
    "1.0/1.1, exposes them to interception.",
  fix:
    "List each host under 'spec.tls' with a cert-manager certificate secret, and leave " +
    "'controller.config.ssl-protocols' unset or \"TLSv1.2 TLSv1.3\" (the Warbler Kubernetes layer does this).",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.24", "ISO27001-A.8.21", "SOC2-CC6.7", "PCI-4.2.1", "PCI-2.2.5", "GDPR-32", "MLPS-8.1.2.2"],
  resourceTypes: [INGRESS, ...RELEASES, CONFIGMAP],
  validateResource: (args, report) => {
    if (args.type === INGRESS) {
      const spec = args.props.spec ?? {};
      const tlsHosts = new Set<string>((spec.tls ?? []).flatMap((t: { hosts?: string[] }) => t.hosts ?? []));
      const hosts: string[] = (spec.rules ?? []).map((r: { host?: string }) => r.host ?? "*");
      if ((spec.tls ?? []).length === 0) return report("spec.tls is empty; the ingress serves plain HTTP");
      const plain = hosts.filter((h) => !tlsHosts.has(h));
      if (plain.length > 0) report(`host(s) ${plain.join(", ")} have no TLS entry`);
      return;
    }
    if (RELEASES.includes(args.type)) {
      if (!/ingress-nginx/.test(String(args.props.chart ?? "")))
        return args.notApplicable("not the ingress-nginx chart");
      const value = args.props.values?.controller?.config?.["ssl-protocols"];
      const weak = value === undefined ? [] : weakProtocols(value);
      if (weak.length > 0) report(`controller.config.ssl-protocols enables ${weak.join(", ")}`);
      return;
    }
    if (args.type === CONFIGMAP && args.props.data?.["ssl-protocols"] !== undefined) {
      const weak = weakProtocols(args.props.data["ssl-protocols"]);
      if (weak.length > 0) report(`ssl-protocols enables ${weak.join(", ")}`);
      return;
    }
    args.notApplicable("no ingress or TLS protocol setting");
  },
};
