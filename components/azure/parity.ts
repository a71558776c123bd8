import { imNodePool } from "../../lib/im-sizing";
import { cite, input, ofType, one, type PlanResource } from "../../lib/plan-query";
import { apiEndpoint, days, edgeCell, type KitParity, keyCell, pools, STACK_KEY, yesNo, zones } from "../parity-cells";
import { configPoolTag } from "./node-pool";

/** A pools cell ("ejabberd: 5-6, im: 3-6") split into the ejabberd pool's bounds and the other pools. */
function splitImPool(value: string): { im?: { min: number; max: number }; rest: string } {
  const parts = value.split(", ");
  const entry = parts.find((part) => part.startsWith(`${imNodePool.name}: `));
  const bounds = entry === undefined ? undefined : /: (\d+)-(\d+)$/.exec(entry);
  return {
    im: bounds ? { min: Number(bounds[1]), max: Number(bounds[2]) } : undefined,
    rest: parts.filter((part) => part !== entry).join(", "),
  };
}

/**
 * The Azure stack runs more, smaller ejabberd instances for the same sessions: one VM keeps at most 500,000 inbound
 * flows (config-rules.ts `AZURE_MAX_SESSIONS_PER_INSTANCE`). Accepted when only the ejabberd pool differs, the other
 * clouds' ejabberd pools are alike, and Azure's has at least as many nodes as theirs and the same spare.
 */
export function acceptsVmFlowLimit(values: Record<string, string>): boolean {
  const { azure: azureValue, ...otherValues } = values;
  const azure = splitImPool(azureValue ?? "");
  if (azure.im === undefined) return false;
  const others = Object.values(otherValues).map(splitImPool);
  const theirs = others.flatMap((other) => (other.im ? [other.im] : []));
  return (
    others.every((other) => other.rest === azure.rest) &&
    new Set(theirs.map((im) => `${im.min}-${im.max}`)).size <= 1 &&
    theirs.every((im) => im.min <= azure.im!.min && im.max - im.min === azure.im!.max - azure.im!.min)
  );
}

/** The type of the customer-managed key the kit creates: "the stack's key" is a key of this type in the plan. */
const KEY = "azure-native:keyvault:Key";

/** Azure's cells of the parity matrix, computed from a plan of this kit. */
export const azureParity: KitParity = {
  cells: {
    edge: edgeCell,
    "private-api-endpoint": (p) => {
      const c = one(p, "azure-native:containerservice:ManagedCluster");
      const ev = ["apiServerAccessProfile.enablePrivateCluster", "apiServerAccessProfile.authorizedIPRanges"].map((k) =>
        cite(c, k),
      );
      return apiEndpoint(
        input(c, "apiServerAccessProfile.enablePrivateCluster") === true,
        input(c, "apiServerAccessProfile.authorizedIPRanges"),
        ev,
      );
    },
    "secrets-encryption-cmk": (p) => {
      const c = one(p, "azure-native:containerservice:ManagedCluster");
      return keyCell(
        p,
        KEY,
        [{ resource: c, path: "securityProfile.azureKeyVaultKms.keyId" }],
        input(c, "securityProfile.azureKeyVaultKms.enabled") === true,
      );
    },
    "node-disk-encryption-cmk": (p) => {
      const des = one(p, "azure-native:compute:DiskEncryptionSet");
      const cluster = one(p, "azure-native:containerservice:ManagedCluster");
      const cell = keyCell(
        p,
        KEY,
        [{ resource: des, path: "activeKey.keyUrl" }],
        input(des, "encryptionType") === "EncryptionAtRestWithCustomerKey",
      );
      const attached = input(cluster, "diskEncryptionSetID") === des.id;
      return attached
        ? { ...cell, evidence: [...cell.evidence, cite(cluster, "diskEncryptionSetID")] }
        : { value: "off", evidence: [cite(cluster, "diskEncryptionSetID")] };
    },
    "database-encryption-cmk": (p) => {
      const db = one(p, "azure-native:dbforpostgresql:Server");
      return keyCell(
        p,
        KEY,
        [{ resource: db, path: "dataEncryption.primaryKeyURI" }],
        input(db, "dataEncryption.type") === "AzureKeyVault",
      );
    },
    "database-tls-required": (p) => {
      const conf = ofType(p, "azure-native:dbforpostgresql:Configuration").find(
        (c) => input(c, "configurationName") === "require_secure_transport",
      );
      return conf
        ? yesNo(String(input(conf, "value")).toUpperCase() === "ON", "required", "optional", [cite(conf, "value")])
        : { value: "optional", evidence: ["no require_secure_transport configuration"] };
    },
    "database-not-public": (p) => {
      const db = one(p, "azure-native:dbforpostgresql:Server");
      return yesNo(input(db, "network.publicNetworkAccess") === "Disabled", "private", "public", [
        cite(db, "network.publicNetworkAccess"),
      ]);
    },
    "database-ha": (p) => {
      const db = one(p, "azure-native:dbforpostgresql:Server");
      return yesNo(input(db, "highAvailability.mode") === "ZoneRedundant", "zone-redundant", "single zone", [
        cite(db, "highAvailability.mode"),
      ]);
    },
    "backup-retention": (p) => {
      const db = one(p, "azure-native:dbforpostgresql:Server");
      return {
        value: `${String(input(db, "backup.backupRetentionDays"))} days`,
        evidence: [cite(db, "backup.backupRetentionDays")],
      };
    },
    "bucket-sse-cmk": (p) => {
      const account = one(p, "azure-native:storage:StorageAccount");
      const key = one(p, "azure-native:keyvault:Key");
      const evidence = [
        cite(account, "encryption.keySource"),
        cite(account, "encryption.keyVaultProperties.keyName"),
        cite(account, "encryption.keyVaultProperties.keyVaultUri"),
      ];
      const keyUri = String(key.outputs.keyUri ?? "");
      const vaultUri = String(input(account, "encryption.keyVaultProperties.keyVaultUri") ?? "").replace(/\/$/, "");
      const sameKey =
        input(account, "encryption.keyVaultProperties.keyName") === input(key, "keyName") &&
        vaultUri !== "" &&
        keyUri.startsWith(vaultUri);
      if (input(account, "encryption.keySource") !== "Microsoft.Keyvault") return { value: "off", evidence };
      return { value: sameKey ? STACK_KEY : "other key", evidence };
    },
    "bucket-public-access-blocked": (p) => {
      const account = one(p, "azure-native:storage:StorageAccount");
      const containers = ofType(p, "azure-native:storage:BlobContainer");
      const ok =
        input(account, "allowBlobPublicAccess") === false &&
        containers.every((c) => (input(c, "publicAccess") ?? "None") === "None");
      return yesNo(ok, "blocked", "open", [
        cite(account, "allowBlobPublicAccess"),
        ...containers.map((c) => cite(c, "publicAccess")),
      ]);
    },
    "key-rotation": (p) => {
      const key = one(p, "azure-native:keyvault:Key");
      const actions =
        (input(key, "properties.rotationPolicy.lifetimeActions") as {
          action: { type: string };
          trigger: { timeAfterCreate?: string };
        }[]) ?? [];
      const rotate = actions.find((a) => a.action.type.toLowerCase() === "rotate");
      const d = days(rotate?.trigger.timeAfterCreate);
      return {
        value: d ? `every ${d} days` : "off",
        evidence: [cite(key, "properties.rotationPolicy.lifetimeActions")],
      };
    },
    "audit-logs": (p) => {
      const settings = ofType(p, "azure-native:monitor:DiagnosticSetting");
      const on = settings.some((s) =>
        ((input(s, "logs") as { category?: string; enabled?: boolean }[]) ?? []).some(
          (l) => l.category === "kube-audit" && l.enabled === true,
        ),
      );
      return yesNo(
        on,
        "on",
        "off",
        settings.map((s) => cite(s, "logs")),
      );
    },
    "autoscaling-bounds": (p) => {
      // One AKS pool per zone and config pool (node-pool.ts): the config pool's bounds are the zones' shares summed.
      const cluster = one(p, "azure-native:containerservice:ManagedCluster");
      const shares = [
        ...((input(cluster, "agentPoolProfiles") as Record<string, unknown>[]) ?? []).map((a, i) => ({
          r: cluster,
          a,
          path: `agentPoolProfiles.${i}`,
        })),
        ...ofType(p, "azure-native:containerservice:AgentPool").map((r) => ({ r, a: r.inputs, path: "minCount" })),
      ];
      const byPool = new Map<string, { r: PlanResource; min: number; max: number; on: boolean; path: string }>();
      for (const { r, a, path } of shares) {
        const name = String((a.tags as Record<string, string> | undefined)?.[configPoolTag] ?? a.name);
        const seen = byPool.get(name);
        const on = a.enableAutoScaling === true && (seen?.on ?? true);
        byPool.set(name, {
          r: seen?.r ?? r,
          path: seen?.path ?? path,
          min: (seen?.min ?? 0) + Number(a.minCount),
          max: (seen?.max ?? 0) + Number(a.maxCount),
          on,
        });
      }
      return pools([...byPool].map(([name, x]) => ({ ...x, name })));
    },
    zones: (p) => {
      const cluster = one(p, "azure-native:containerservice:ManagedCluster");
      const profiles = (input(cluster, "agentPoolProfiles") as { availabilityZones?: string[] }[]) ?? [];
      const inline = profiles.flatMap((a, i) =>
        (a.availabilityZones ?? []).map((zone) => ({
          r: cluster,
          zone,
          path: `agentPoolProfiles.${i}.availabilityZones`,
        })),
      );
      const extra = ofType(p, "azure-native:containerservice:AgentPool").flatMap((r) =>
        ((input(r, "availabilityZones") as string[]) ?? []).map((zone) => ({ r, zone, path: "availabilityZones" })),
      );
      return zones([...inline, ...extra]);
    },
  },
  exceptions: [
    {
      name: "azure-vm-flow-limit",
      row: "autoscaling-bounds",
      accepts: acceptsVmFlowLimit,
      reason:
        "An Azure VM keeps at most 500,000 inbound flows, one per session on its ejabberd node, so Warbler refuses " +
        "warbler:im.sessionsPerInstance above 500,000 on azure and the same sessions take more ejabberd instances, " +
        "each on a node of its own, than on AWS and Alibaba Cloud.",
    },
  ],
};
