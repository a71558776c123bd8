/**
 * Pure helpers the policies share: reading property values the way both the
 * engine and the offline plan present them, CIDR and region matching, policy
 * documents, pod specs and cross-resource references.
 */
import type { PolicyResource } from "@pulumi/policy";

/** What the offline plan writes where a secret value was. */
export const REDACTED = "[secret]";

/** True when a value is present; a redacted secret counts as present. */
export function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** Providers model some switches as strings ("true", "Enabled", "On"); all of these mean on. */
export function isOn(value: unknown): boolean {
  if (value === true) return true;
  return typeof value === "string" && ["true", "enabled", "on", "1", "open"].includes(value.toLowerCase());
}

/** Required keys whose value is missing or empty in a tag or label map. */
export function missingKeys(map: unknown, required: readonly string[]): string[] {
  const m = (map && typeof map === "object" ? map : {}) as Record<string, unknown>;
  return required.filter((k) => !isSet(m[k]) || (typeof m[k] === "string" && (m[k] as string).trim() === ""));
}

/** CIDRs that mean "anyone on the internet". */
export function isAnywhere(cidr: unknown): boolean {
  return typeof cidr === "string" && ["0.0.0.0/0", "0.0.0.0", "::/0", "*", "0.0.0.0/0,::/0"].includes(cidr.trim());
}

function ipv4(text: string): { base: number; prefix: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const addr = octets.reduce((acc, o) => acc * 256 + o, 0);
  return { base: addr - (addr % size), prefix };
}

/** True when `cidr` lies entirely inside one of `allowed` (IPv4; other text must match exactly). */
export function cidrAllowed(cidr: string, allowed: readonly string[]): boolean {
  const inner = ipv4(cidr);
  return allowed.some((a) => {
    const outer = ipv4(a);
    if (!inner || !outer) return a.trim() === cidr.trim();
    if (inner.prefix < outer.prefix) return false;
    const size = 2 ** (32 - outer.prefix);
    return inner.base - (inner.base % size) === outer.base;
  });
}

/** Region allow-list matching; an entry ending in `*` matches by prefix (`eu-*`). */
export function regionAllowed(region: string, allowed: readonly string[]): boolean {
  const r = region.toLowerCase().replace(/\s+/g, "");
  return allowed.some((a) => {
    const p = a.toLowerCase().replace(/\s+/g, "");
    return p.endsWith("*") ? r.startsWith(p.slice(0, -1)) : r === p;
  });
}

/** An IAM-style policy document (identity or bucket policy) from a JSON string or an object. */
export interface PolicyStatement {
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export function statementsOf(doc: unknown): PolicyStatement[] {
  let parsed: unknown = doc;
  if (typeof doc === "string") {
    try {
      parsed = JSON.parse(doc);
    } catch {
      return [];
    }
  }
  const statement = (parsed as { Statement?: unknown } | undefined)?.Statement;
  if (Array.isArray(statement)) return statement as PolicyStatement[];
  return statement && typeof statement === "object" ? [statement as PolicyStatement] : [];
}

function asList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  return v === undefined ? [] : [String(v)];
}

/**
 * True when the document denies every request made without TLS: a Deny
 * statement with `Bool: { <key>: "false" }`, where the key is the cloud's
 * `<prefix>:SecureTransport`.
 */
export function deniesInsecureTransport(doc: unknown, conditionKey: string): boolean {
  return statementsOf(doc).some((s) => {
    if (String(s.Effect).toLowerCase() !== "deny") return false;
    const bool = Object.entries(s.Condition ?? {}).find(([op]) => op.toLowerCase() === "bool")?.[1] ?? {};
    return Object.entries(bool).some(
      ([k, v]) => k.toLowerCase() === conditionKey.toLowerCase() && asList(v).includes("false"),
    );
  });
}

/** True when the document allows every action on every resource (administrator access). */
export function allowsEverything(doc: unknown): boolean {
  return statementsOf(doc).some(
    (s) =>
      String(s.Effect).toLowerCase() === "allow" && asList(s.Action).includes("*") && asList(s.Resource).includes("*"),
  );
}

/** Workload kinds whose pod template a policy inspects, with the path to the pod spec. */
const podSpecPaths: Record<string, readonly string[]> = {
  "kubernetes:core/v1:Pod": ["spec"],
  "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
  "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
  "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
  "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
};

export const workloadTypes: readonly string[] = Object.keys(podSpecPaths);

export interface Container {
  name?: string;
  image?: string;
  env?: { name?: string; value?: unknown; valueFrom?: unknown }[];
  resources?: { limits?: Record<string, unknown>; requests?: Record<string, unknown> };
  securityContext?: {
    privileged?: boolean;
    allowPrivilegeEscalation?: boolean;
    runAsNonRoot?: boolean;
    runAsUser?: number;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { add?: string[]; drop?: string[] };
  };
}

export interface PodSpec {
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  volumes?: { name?: string; hostPath?: unknown }[];
  containers?: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
}

/** The pod spec inside a workload's inputs, or undefined for other types. */
export function podSpecOf(type: string, props: Record<string, unknown>): PodSpec | undefined {
  const path = podSpecPaths[type];
  if (!path) return undefined;
  let node: unknown = props;
  for (const key of path) node = (node as Record<string, unknown> | undefined)?.[key];
  return (node ?? {}) as PodSpec;
}

/** Every container of a pod: regular, init and ephemeral. */
export function containersOf(spec: PodSpec): Container[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
}

/** Every string inside a value, however deeply nested. */
export function stringLeaves(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (value && typeof value === "object") return Object.values(value).flatMap(stringLeaves);
  return [];
}

/** Identity strings of a resource that other resources may hold as a reference. */
function identities(r: PolicyResource): string[] {
  const p = r.props ?? {};
  return [p.id, p.arn, p.keyId, p.keyUri, p.keyUriWithVersion, p.bucket, p.urn, r.urn].filter(
    (v): v is string => typeof v === "string" && v.length >= 6 && v !== REDACTED,
  );
}

/**
 * True when `from.props[prop]` refers to `to`: the engine recorded the
 * property as depending on `to`, or the value holds one of `to`'s identities
 * (its id, ARN or key URI, as in `arn:...:key/<id>` or
 * `https://vault/keys/<name>/<version>`).
 */
export function refersTo(from: PolicyResource, prop: string, to: PolicyResource): boolean {
  if ((from.propertyDependencies?.[prop] ?? []).some((d) => d.urn === to.urn)) return true;
  const values = stringLeaves(from.props?.[prop]).filter((v) => v !== REDACTED);
  const ids = identities(to);
  return values.some((v) => ids.some((id) => v === id || v.includes(id)));
}

/**
 * True when the document denies requests made with a TLS version below
 * `minimum`: a Deny statement with `NumericLessThan: { <key>: <minimum> }`,
 * where the key is the bucket service's `<prefix>:TlsVersion`.
 */
export function deniesTlsBelow(doc: unknown, conditionKey: string, minimum: number): boolean {
  return statementsOf(doc).some((s) => {
    if (String(s.Effect).toLowerCase() !== "deny") return false;
    const lt = Object.entries(s.Condition ?? {}).find(([op]) => op.toLowerCase() === "numericlessthan")?.[1] ?? {};
    return Object.entries(lt).some(
      ([k, v]) => k.toLowerCase() === conditionKey.toLowerCase() && asList(v).some((x) => Number(x) >= minimum),
    );
  });
}
