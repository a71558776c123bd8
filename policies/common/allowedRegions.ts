import type { PolicyResource } from "@pulumi/policy";
import { type Cloud, configOf, type WarblerStackPolicy } from "../policy";
import { regionAllowed } from "../props";

export interface CloudRegions {
  target: Cloud;
  cloudName: string;
  /**
   * The cloud's regions in the EU/EEA, Switzerland and the UK (both with EU
   * adequacy decisions): the example stacks hold EU personal data. Compliance
   * teams with other residency rules set `allowedRegions`.
   */
  defaultRegions: readonly string[];
  /** The cloud's Pulumi package: the first part of its type tokens. */
  pkg: string;
  /** The cloud's regional resource types the kits create, listed as evidence in the report. */
  evidenceTypes: readonly string[];
  /** Type prefixes of global services (DNS, IAM) whose data has no region. */
  globalTypes: readonly string[];
  /** Region of a provider resource. */
  providerRegion: (provider: PolicyResource) => unknown;
  /** A resource's own region, where the resource states one. */
  ownRegion: (r: PolicyResource) => unknown;
  extraControls?: readonly string[];
}

/**
 * Residency as a stack policy: a provider's region only matters when the
 * stack creates regional resources through it (a stack with nothing but
 * global DNS may use the us-east-1 endpoint), which one resource alone cannot tell.
 */
export function allowedRegionsPolicy(c: CloudRegions): WarblerStackPolicy {
  const providerType = `pulumi:providers:${c.pkg}`;
  const isGlobal = (type: string) => c.globalTypes.some((g) => type.startsWith(g));
  const policy: WarblerStackPolicy = {
    id: `${c.target}-allowed-regions`,
    name: `${c.cloudName} resources stay in allowed regions`,
    target: c.target,
    what:
      `Every regional ${c.cloudName} resource, and every ${c.cloudName} provider that creates one, must be in a ` +
      `region the pack config allows (by default the EU/EEA, Switzerland and the UK). Global services such as ` +
      `DNS have no region and are exempt.`,
    why:
      "Message history, uploaded files and backups are personal data; storing them outside the agreed regions " +
      "is a transfer under GDPR Articles 44-49 (and, for mainland China, data must stay in China under MLPS and " +
      "the PIPL), which needs a legal basis the platform does not provide by itself.",
    fix:
      "Choose an allowed region in 'warbler:region', or, if your legal basis covers another region, add it to " +
      "this policy's 'allowedRegions' in the pack config (an entry ending in '*' matches by prefix, e.g. " +
      "'eu-*').",
    severity: "high",
    enforcementLevel: "mandatory",
    controls: [
      "GDPR-44",
      "GDPR-45",
      "GDPR-46",
      "GDPR-49",
      "ISO27001-A.5.23",
      "ISO27001-A.5.31",
      "ISO27001-A.5.34",
      "SOC2-C1.1",
      "MLPS-8.1.4.11",
      ...(c.extraControls ?? []),
    ],
    resourceTypes: [providerType, ...c.evidenceTypes],
    configSchema: {
      properties: {
        allowedRegions: {
          type: "array",
          items: { type: "string" },
          default: c.defaultRegions,
          description: "Regions (or prefixes ending in '*') where resources may be created.",
        },
      },
    },
    validateStack: (args, report) => {
      const mine = args.resources.filter((r) => r.type.startsWith(`${c.pkg}:`));
      const providers = args.resources.filter((r) => r.type === providerType);
      if (mine.length === 0 && providers.length === 0) args.notApplicable(`the stack has no ${c.cloudName} resources`);
      const { allowedRegions } = configOf<{ allowedRegions: string[] }>(policy, args);
      const check = (r: PolicyResource, region: unknown, what: string) => {
        if (typeof region !== "string" || region === "" || region.toLowerCase() === "global") return;
        if (!regionAllowed(region, allowedRegions))
          report(`${what} '${r.name}' is in region '${region}'; allowed: ${allowedRegions.join(", ")}`, r.urn);
      };
      for (const p of providers) {
        // The engine links each resource to its provider; without links, any regional resource counts.
        const served = mine.filter((r) => (r.provider ? r.provider.urn === p.urn : true));
        if (served.some((r) => !isGlobal(r.type))) check(p, c.providerRegion(p), "provider");
      }
      for (const r of mine) if (!isGlobal(r.type)) check(r, c.ownRegion(r), "resource");
    },
  };
  return policy;
}
