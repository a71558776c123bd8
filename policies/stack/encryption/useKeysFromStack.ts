import type { PolicyResource } from "@pulumi/policy";
import { alicloudKeys } from "../../alicloud/keyReferences";
import { awsKeys } from "../../aws/keyReferences";
import { azureKeys } from "../../azure/keyReferences";
import type { KeyReference } from "../../common/keyReferences";
import type { WarblerStackPolicy } from "../../policy";
import { refersTo, stringLeaves } from "../../props";

const clouds = [awsKeys, azureKeys, alicloudKeys];
const keyTypes = clouds.flatMap((c) => c.keyTypes);
const encrypted = clouds.flatMap((c) => c.encrypted);

function usesKey(r: PolicyResource, e: KeyReference, key: PolicyResource): boolean {
  return refersTo(r, e.prop, key) || (e.namesKey?.(r.props, key) ?? false);
}

export const stackKeysInStack: WarblerStackPolicy = {
  id: "stack-encryption-keys-in-stack",
  name: "All platform data is encrypted with a key this stack creates",
  target: "stack",
  what:
    "Every database, bucket or storage account, cluster secret store and disk encryption setting in the stack " +
    "must use a customer-managed key that is created in the same stack, not a key from elsewhere.",
  why:
    "A key created with the platform is rotated, protected from deletion and access-controlled by this pack's " +
    "other policies. A key from another stack or account escapes those checks, and whoever controls it controls " +
    "the data.",
  fix:
    "Point the encryption setting at the kit's key output (the Warbler kits wire the platform key into every " +
    "encrypted resource); do not paste key ids or ARNs from other stacks.",
  severity: "critical",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.24", "ISO27001-A.5.23", "SOC2-CC6.1", "PCI-3.5.1", "PCI-3.6.1", "GDPR-32", "MLPS-8.1.4.8"],
  resourceTypes: [...keyTypes, ...encrypted.map((e) => e.type)],
  validateStack: (args, report) => {
    const keys = args.resources.filter((r) => keyTypes.includes(r.type));
    let checked = 0;
    for (const e of encrypted) {
      for (const r of args.resources.filter((x) => x.type === e.type)) {
        const refs = stringLeaves(e.keyRef(r.props));
        if (refs.length === 0) continue;
        checked++;
        if (!keys.some((k) => usesKey(r, e, k))) {
          report(`'${r.name}' is encrypted with ${refs.join(", ")}, which is not a key created in this stack`, r.urn);
        }
      }
    }
    if (checked === 0) args.notApplicable("no resource in the stack names an encryption key");
  },
};
