import { allowedRegionsPolicy } from "../../common/allowedRegions";
import { awsTaggableTypes } from "../tags/requireTags";

/** AWS provider 7 can put `region` on each resource; otherwise the provider's region applies. */
export const awsAllowedRegions = allowedRegionsPolicy({
  target: "aws",
  cloudName: "AWS",
  defaultRegions: ["eu-*"],
  pkg: "aws",
  evidenceTypes: awsTaggableTypes,
  globalTypes: ["aws:route53/", "aws:iam/", "aws:cloudfront/", "aws:organizations/", "aws:globalaccelerator/"],
  providerRegion: (p) => p.props.region,
  ownRegion: (r) => r.props.region,
});
