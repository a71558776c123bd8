import { allowedRegionsPolicy } from "../../common/allowedRegions";
import { alicloudTaggableTypes } from "../tags/requireTags";

/**
 * Alibaba zone ids are the region id plus a zone letter: "cn-hangzhou-h" → "cn-hangzhou", "eu-central-1a" →
 * "eu-central-1".
 */
export function regionOfZone(zone: unknown): string | undefined {
  return typeof zone === "string" ? zone.replace(/(?:-[a-z]|(?<=\d)[a-z])$/, "") : undefined;
}

/**
 * Alibaba resources carry no region of their own: the provider's region
 * applies, and zone-pinned resources (vSwitches, RDS) reveal it in their zone id.
 */
export const alicloudAllowedRegions = allowedRegionsPolicy({
  target: "alicloud",
  cloudName: "Alibaba Cloud",
  defaultRegions: ["eu-central-1", "eu-west-1"],
  pkg: "alicloud",
  evidenceTypes: alicloudTaggableTypes,
  globalTypes: ["alicloud:dns/", "alicloud:alidns/", "alicloud:ram/", "alicloud:cdn/"],
  providerRegion: (p) => p.props.region,
  ownRegion: (r) => regionOfZone(r.props.zoneId ?? r.props.availabilityZone),
});
