import { allowedRegionsPolicy } from "../../common/allowedRegions";
import { azureTaggableTypes } from "../tags/requireTags";

/** Azure resources name their `location`; DNS, Traffic Manager and role assignments are global. */
export const azureAllowedRegions = allowedRegionsPolicy({
  target: "azure",
  cloudName: "Azure",
  defaultRegions: [
    "westeurope",
    "northeurope",
    "germanywestcentral",
    "germanynorth",
    "francecentral",
    "francesouth",
    "swedencentral",
    "italynorth",
    "polandcentral",
    "spaincentral",
    "norwayeast",
    "switzerlandnorth",
    "uksouth",
    "ukwest",
  ],
  pkg: "azure-native",
  evidenceTypes: azureTaggableTypes,
  globalTypes: [
    "azure-native:dns:",
    "azure-native:privatedns:",
    "azure-native:network:Profile",
    "azure-native:network:Endpoint",
    "azure-native:authorization:",
  ],
  providerRegion: (p) => p.props.location,
  ownRegion: (r) => r.props.location,
});
