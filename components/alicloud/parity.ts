import { cite, input, ofType, one } from "../../lib/plan-query";
import { apiEndpoint, days, edgeCell, type KitParity, keyCell, pools, yesNo, zones } from "../parity-cells";
import { systemPoolName } from "./node-pool";

/** The type of the customer-managed key the kit creates: "the stack's key" is a key of this type in the plan. */
const KEY = "alicloud:kms/key:Key";

/** Alibaba Cloud's cells of the parity matrix, computed from a plan of this kit. */
export const alicloudParity: KitParity = {
  cells: {
    edge: edgeCell,
    "private-api-endpoint": (p) => {
      const c = one(p, "alicloud:cs/managedKubernetes:ManagedKubernetes");
      return apiEndpoint(input(c, "slbInternetEnabled") === false, undefined, [cite(c, "slbInternetEnabled")]);
    },
    "secrets-encryption-cmk": (p) => {
      const c = one(p, "alicloud:cs/managedKubernetes:ManagedKubernetes");
      return keyCell(p, KEY, [{ resource: c, path: "encryptionProviderKey" }], input(c, "disableEncryption") !== true);
    },
    "node-disk-encryption-cmk": (p) => {
      const pools = ofType(p, "alicloud:cs/nodePool:NodePool");
      const refs = pools.flatMap((n) => [
        { resource: n, path: "systemDiskKmsKey" },
        ...((input(n, "dataDisks") as unknown[]) ?? []).map((_, i) => ({
          resource: n,
          path: `dataDisks.${i}.kmsKeyId`,
        })),
      ]);
      const encrypted = pools.every(
        (n) =>
          input(n, "systemDiskEncrypted") === true &&
          ((input(n, "dataDisks") as { encrypted?: string }[]) ?? []).every((d) => d.encrypted === "true"),
      );
      return keyCell(p, KEY, refs, encrypted);
    },
    "database-encryption-cmk": (p) =>
      keyCell(p, KEY, [{ resource: one(p, "alicloud:rds/instance:Instance"), path: "encryptionKey" }]),
    "database-tls-required": (p) => {
      const db = one(p, "alicloud:rds/instance:Instance");
      const rules = (input(db, "pgHbaConfs") as { type: string; address: string; method: string }[]) ?? [];
      const rejectsPlain = rules.some(
        (r) => r.type === "hostnossl" && r.address === "0.0.0.0/0" && r.method === "reject",
      );
      return yesNo(input(db, "sslAction") === "Open" && rejectsPlain, "required", "optional", [
        cite(db, "sslAction"),
        cite(db, "pgHbaConfs"),
      ]);
    },
    "database-not-public": (p) => {
      const db = one(p, "alicloud:rds/instance:Instance");
      const publicConnections = ofType(p, "alicloud:rds/connection:Connection");
      const ips = (input(db, "securityIps") as string[]) ?? [];
      return yesNo(publicConnections.length === 0 && !ips.includes("0.0.0.0/0"), "private", "public", [
        cite(db, "securityIps"),
        `alicloud:rds/connection:Connection count = ${publicConnections.length}`,
      ]);
    },
    "database-ha": (p) => {
      const db = one(p, "alicloud:rds/instance:Instance");
      const ha =
        input(db, "category") === "HighAvailability" &&
        input(db, "zoneIdSlaveA") !== undefined &&
        input(db, "zoneIdSlaveA") !== input(db, "zoneId");
      return yesNo(ha, "zone-redundant", "single zone", [
        cite(db, "category"),
        cite(db, "zoneId"),
        cite(db, "zoneIdSlaveA"),
      ]);
    },
    "backup-retention": (p) => {
      const policy = one(p, "alicloud:rds/backupPolicy:BackupPolicy");
      return {
        value: `${String(input(policy, "backupRetentionPeriod"))} days`,
        evidence: [cite(policy, "backupRetentionPeriod")],
      };
    },
    "bucket-sse-cmk": (p) => {
      const bucket = one(p, "alicloud:oss/bucket:Bucket");
      return keyCell(
        p,
        KEY,
        [{ resource: bucket, path: "serverSideEncryptionRule.kmsMasterKeyId" }],
        input(bucket, "serverSideEncryptionRule.sseAlgorithm") === "KMS",
      );
    },
    "bucket-public-access-blocked": (p) => {
      const block = one(p, "alicloud:oss/bucketPublicAccessBlock:BucketPublicAccessBlock");
      return yesNo(input(block, "blockPublicAccess") === true, "blocked", "open", [cite(block, "blockPublicAccess")]);
    },
    "key-rotation": (p) => {
      const key = one(p, "alicloud:kms/key:Key");
      const d = input(key, "automaticRotation") === "Enabled" ? days(input(key, "rotationInterval")) : undefined;
      return {
        value: d ? `every ${d} days` : "off",
        evidence: [cite(key, "automaticRotation"), cite(key, "rotationInterval")],
      };
    },
    "audit-logs": (p) => {
      const c = one(p, "alicloud:cs/managedKubernetes:ManagedKubernetes");
      return yesNo(input(c, "auditLogConfig.enabled") === true, "on", "off", [cite(c, "auditLogConfig.enabled")]);
    },
    // The config's pools and the ejabberd pool; the fixed system pool (node-pool.ts) is the kit's own, as on AKS.
    "autoscaling-bounds": (p) =>
      pools(
        ofType(p, "alicloud:cs/nodePool:NodePool")
          .filter((n) => input(n, "nodePoolName") !== systemPoolName)
          .map((n) => ({
            r: n,
            name: String(input(n, "nodePoolName")),
            min: input(n, "scalingConfig.minSize"),
            max: input(n, "scalingConfig.maxSize"),
            on: input(n, "scalingConfig.enable") === true,
            path: "scalingConfig",
          })),
      ),
    zones: (p) =>
      zones(ofType(p, "alicloud:vpc/switch:Switch").map((s) => ({ r: s, zone: input(s, "zoneId"), path: "zoneId" }))),
  },
  exceptions: [
    {
      name: "ack-no-api-allow-list",
      row: "private-api-endpoint",
      accepts: (values) =>
        values.alicloud === "private" &&
        Object.values(values).every((v) => v === "private" || v.startsWith("allow-listed")),
      reason:
        "ACK restricts its public API endpoint only with an ACL on the listener ACK creates, which @pulumi/alicloud " +
        "3.108 cannot attach, so Warbler rejects warbler:cluster.publicAccessCidrs on alicloud and keeps the " +
        "endpoint private; EKS and AKS may add an allow-listed public endpoint.",
    },
  ],
};
