/**
 * Pure planning for health-checked DNS failover: which host names fail
 * over, what record type each needs, and how long users can be sent to a
 * dead side at worst, from the configured interval, threshold and TTL and
 * the provider's own facts (`DnsProviderFacts`, from its kit's `dnsFailover`).
 * Cloud-neutral: no provider is named here.
 */

/** Which public endpoint of a platform stack a host name points at. */
export type ImEndpoint = "ingress" | "clients";

export interface FailoverHost {
  /** What users reach there. */
  purpose: "websocket" | "upload" | "client";
  /** Fully qualified host name. */
  host: string;
  /** Record name relative to the zone ("" for the zone apex). */
  label: string;
  endpoint: ImEndpoint;
}

/** The IM host names that fail over: WebSocket/BOSH on <domain>, uploads, XMPP clients (SRV targets xmpp.<domain>). */
export function failoverHosts(domain: string, zone: string): FailoverHost[] {
  const relative = (host: string) => (host === zone ? "" : host.slice(0, -(zone.length + 1)));
  return [
    { purpose: "websocket" as const, host: domain, endpoint: "ingress" as const },
    { purpose: "upload" as const, host: `upload.${domain}`, endpoint: "ingress" as const },
    { purpose: "client" as const, host: `xmpp.${domain}`, endpoint: "clients" as const },
  ].map((h) => ({ ...h, label: relative(h.host) }));
}

const IPV4_RE = /^(\d{1,3})(\.\d{1,3}){3}$/;

/** True for a dotted-quad IPv4 address (a load balancer's IP), false for a host name. */
export function isIpv4(text: string): boolean {
  return IPV4_RE.test(text);
}

/** What the neutral plan needs to know of a DNS provider; each kit's `dnsFailover` states its own. */
export interface DnsProviderFacts {
  /** Region of the provider's API calls when `dns.region` is unset. */
  defaultRegion: string;
  /** The probe interval the provider really uses for a configured `dns.intervalSeconds`. */
  effectiveIntervalSeconds(intervalSeconds: number): number;
  /** Seconds a probe may take before it counts as failed, at an effective interval (as the stacks configure it). */
  probeTimeoutSeconds(intervalSeconds: number): number;
}

/** The region of the DNS provider's API calls: `dns.region`, or the provider's default. */
export function dnsRegion(region: string | undefined, facts: DnsProviderFacts): string {
  return region ?? facts.defaultRegion;
}

/**
 * The record type a failover pair needs. An IPv4 address is answered with an A record, and so is a host name the
 * DNS provider can alias (`canAlias`: Route 53 answers for an AWS load balancer's name with its addresses, as an
 * A record, at the apex too); any other host name needs a CNAME. The two records of a failover pair must share a
 * type, and a zone apex cannot be a CNAME (RFC 1034 3.6.2).
 */
export function recordType(
  host: FailoverHost,
  primary: string,
  secondary: string,
  canAlias: (hostName: string) => boolean = () => false,
): "A" | "CNAME" {
  const kinds = [primary, secondary].map((a) => (isIpv4(a) || canAlias(a) ? "A" : "CNAME"));
  if (kinds[0] !== kinds[1]) {
    const [answer, name] = kinds[0] === "A" ? [primary, secondary] : [secondary, primary];
    throw new Error(
      `${host.host}: one side's ${host.endpoint} address (${answer}) is answered with an A record and the other ` +
        `(${name}) is a host name this DNS provider cannot alias; a failover pair needs one record type: give ` +
        "the host-name side fixed IPs in 'warbler:dns.addresses' (docs/failover.md)",
    );
  }
  if (kinds[0] === "CNAME" && host.label === "")
    throw new Error(
      `${host.host} is the zone apex, which cannot be a CNAME; give both sides fixed IPs in 'warbler:dns.addresses'`,
    );
  return kinds[0] as "A" | "CNAME";
}

export interface DetectionSettings {
  intervalSeconds: number;
  failureThreshold: number;
  ttl: number;
}

/**
 * Worst case from a side dying to the last resolver answering with the
 * other side: the failure lands just after a passing probe, so
 * `failureThreshold` full intervals pass before the last needed probe
 * starts, which then times out; resolvers keep the old answer for `ttl`.
 */
export function worstCaseDetectionSeconds(
  s: DetectionSettings,
  facts: DnsProviderFacts,
): { detectSeconds: number; totalSeconds: number } {
  const interval = facts.effectiveIntervalSeconds(s.intervalSeconds);
  const detectSeconds = interval * s.failureThreshold + facts.probeTimeoutSeconds(interval);
  return { detectSeconds, totalSeconds: detectSeconds + s.ttl };
}
