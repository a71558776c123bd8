import { cite, input, type PlannedStack, type PlanResource, stackKeyRefs } from "../lib/plan-query";

/**
 * What each kit hands the parity matrix (plan/parity/): its cell of every row,
 * computed from a plan of that kit, and the differences its cloud cannot
 * avoid. Rows are defined, and compared, in plan/parity/rows.ts.
 */

/** One cell of the matrix: a comparable value and the planned inputs that prove it. */
export interface Cell {
  value: string;
  evidence: string[];
}

/** The capabilities compared across clouds. */
export type ParityRowId =
  | "private-api-endpoint"
  | "secrets-encryption-cmk"
  | "node-disk-encryption-cmk"
  | "database-encryption-cmk"
  | "database-tls-required"
  | "database-not-public"
  | "database-ha"
  | "backup-retention"
  | "bucket-sse-cmk"
  | "bucket-public-access-blocked"
  | "key-rotation"
  | "audit-logs"
  | "autoscaling-bounds"
  | "zones"
  | "edge";

/** A kit's cell of every row. */
export type ParityCells = Record<ParityRowId, (plan: PlannedStack) => Cell>;

/**
 * A documented, named difference between clouds that parity accepts. It says
 * why the clouds cannot match and what Warbler does instead; any other
 * difference fails `warbler parity` and the parity test. Keep docs/parity.md
 * in step (a test checks every exception is named there).
 */
export interface ParityException {
  /** Stable name, cited in docs/parity.md. */
  name: string;
  /** The parity row it applies to. */
  row: ParityRowId;
  /** Accepts the row's values when this returns true (values by cloud). */
  accepts: (values: Record<string, string>) => boolean;
  reason: string;
}

/** What a kit contributes to the parity matrix. */
export interface KitParity {
  cells: ParityCells;
  /** Differences from the other clouds that this cloud cannot avoid. */
  exceptions: ParityException[];
}

/** The value of a cell whose resources are encrypted with a key this plan creates. */
export const STACK_KEY = "stack key";

/** "stack key" when every reference names a key of type `keyType` of this plan, else what was found. */
export function keyCell(
  plan: PlannedStack,
  keyType: string,
  refs: { resource: PlanResource; path: string }[],
  enabled = true,
): Cell {
  const keys = stackKeyRefs(plan, keyType);
  const evidence = refs.map((r) => cite(r.resource, r.path));
  if (refs.length === 0) return { value: "missing", evidence: ["no resource found"] };
  if (!enabled) return { value: "off", evidence };
  const all = refs.every((r) => keys.has(String(input(r.resource, r.path))));
  return { value: all ? STACK_KEY : "other key", evidence };
}

/**
 * The edge, the same on every cloud (the kits only annotate the proxies' Service): Envoy Gateway's chart version, the
 * Gateway's listeners, and the PROXY header Envoy hands ejabberd the client's address in. Each kit uses it as is.
 */
export function edgeCell(plan: PlannedStack): Cell {
  const release = plan.resources.find(
    (r) => r.type === "kubernetes:helm.sh/v3:Release" && String(input(r, "chart")).endsWith("/gateway-helm"),
  );
  const gateway = plan.resources.find((r) => r.type === "kubernetes:gateway.networking.k8s.io/v1:Gateway");
  const backends = plan.resources.find(
    (r) => r.type === "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy",
  );
  if (!release || !gateway) return { value: "missing", evidence: ["no Envoy Gateway release or Gateway found"] };
  const listeners = ((input(gateway, "spec.listeners") ?? []) as { protocol: string; port: number }[])
    .map((l) => `${l.protocol}/${l.port}`)
    .join("+");
  const proxy = backends ? input(backends, "spec.proxyProtocol.version") : undefined;
  const handover = proxy ? `PROXY ${proxy}` : "no PROXY";
  return {
    value: `Envoy Gateway ${input(release, "version")}; ${listeners}; ${handover} to ejabberd`,
    evidence: [
      cite(release, "version"),
      cite(gateway, "spec.listeners"),
      ...(backends ? [cite(backends, "spec.proxyProtocol.version")] : []),
    ],
  };
}

/** `yes` or `no`, with the evidence either way. */
export function yesNo(ok: boolean, yes: string, no: string, evidence: string[]): Cell {
  return { value: ok ? yes : no, evidence };
}

/** A Kubernetes API endpoint: private, public with a source allow-list, or open to all. */
export function apiEndpoint(privateOnly: boolean, allowList: unknown, evidence: string[]): Cell {
  if (privateOnly) return { value: "private", evidence };
  return Array.isArray(allowList) && allowList.length > 0 && !allowList.includes("0.0.0.0/0")
    ? { value: `allow-listed: ${[...allowList].sort().join(", ")}`, evidence }
    : { value: "public", evidence };
}

/** Days from an ISO-8601 duration such as P365D, or a plain "365d". */
export function days(text: unknown): number | undefined {
  const m = /^P?(\d+)[Dd]$/.exec(String(text));
  return m ? Number(m[1]) : undefined;
}

/** Node pools as "name: min-max" (or "fixed"), sorted, so clouds compare pool by pool. */
export function pools(
  list: { r: PlanResource; name: string; min: unknown; max: unknown; on: boolean; path: string }[],
): Cell {
  if (list.length === 0) return { value: "missing", evidence: ["no node pool found"] };
  const value = list
    .map((x) => `${x.name}: ${x.on ? `${String(x.min)}-${String(x.max)}` : "fixed"}`)
    .sort()
    .join(", ");
  return { value, evidence: list.map((x) => cite(x.r, x.path)) };
}

/** How many distinct zones the resources span. */
export function zones(list: { r: PlanResource; zone: unknown; path: string }[]): Cell {
  const distinct = new Set(list.map((x) => String(x.zone)));
  const evidence = [...new Set(list.map((x) => `${x.r.type} ${x.r.name}: ${x.path} = ${String(x.zone)}`))];
  return { value: `${distinct.size} zones`, evidence: evidence.slice(0, 6) };
}
