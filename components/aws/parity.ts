import { cite, input, ofType, one } from "../../lib/plan-query";
import { apiEndpoint, edgeCell, type KitParity, keyCell, pools, yesNo, zones } from "../parity-cells";

/** The type of the customer-managed key the kit creates: "the stack's key" is a key of this type in the plan. */
const KEY = "aws:kms/key:Key";

/** AWS's cells of the parity matrix, computed from a plan of this kit. */
export const awsParity: KitParity = {
  cells: {
    edge: edgeCell,
    "private-api-endpoint": (p) => {
      const c = one(p, "aws:eks/cluster:Cluster");
      const ev = [
        "vpcConfig.endpointPrivateAccess",
        "vpcConfig.endpointPublicAccess",
        "vpcConfig.publicAccessCidrs",
      ].map((k) => cite(c, k));
      if (input(c, "vpcConfig.endpointPrivateAccess") !== true) return { value: "public", evidence: ev };
      return apiEndpoint(
        input(c, "vpcConfig.endpointPublicAccess") === false,
        input(c, "vpcConfig.publicAccessCidrs"),
        ev,
      );
    },
    "secrets-encryption-cmk": (p) => {
      const c = one(p, "aws:eks/cluster:Cluster");
      const resources = input(c, "encryptionConfig.resources");
      return keyCell(
        p,
        KEY,
        [{ resource: c, path: "encryptionConfig.provider.keyArn" }],
        Array.isArray(resources) && resources.includes("secrets"),
      );
    },
    "node-disk-encryption-cmk": (p) => {
      const templates = ofType(p, "aws:ec2/launchTemplate:LaunchTemplate");
      const refs = templates.flatMap((t) =>
        ((input(t, "blockDeviceMappings") as unknown[]) ?? []).map((_, i) => ({
          resource: t,
          path: `blockDeviceMappings.${i}.ebs.kmsKeyId`,
        })),
      );
      const encrypted = templates.every((t) =>
        ((input(t, "blockDeviceMappings") as { ebs?: { encrypted?: string } }[]) ?? []).every(
          (m) => m.ebs?.encrypted === "true",
        ),
      );
      return keyCell(p, KEY, refs, encrypted);
    },
    "database-encryption-cmk": (p) => {
      const db = one(p, "aws:rds/instance:Instance");
      return keyCell(p, KEY, [{ resource: db, path: "kmsKeyId" }], input(db, "storageEncrypted") === true);
    },
    "database-tls-required": (p) => {
      const groups = ofType(p, "aws:rds/parameterGroup:ParameterGroup");
      const db = one(p, "aws:rds/instance:Instance");
      const group = groups.find(
        (g) => input(g, "name") === input(db, "parameterGroupName") || g.id === input(db, "parameterGroupName"),
      );
      const params = (group ? (input(group, "parameters") as { name: string; value: string }[]) : []) ?? [];
      const forced = params.some((x) => x.name === "rds.force_ssl" && x.value === "1");
      return yesNo(forced, "required", "optional", [
        cite(db, "parameterGroupName"),
        group
          ? `${group.type} ${group.name}: rds.force_ssl = ${params.find((x) => x.name === "rds.force_ssl")?.value}`
          : "no parameter group",
      ]);
    },
    "database-not-public": (p) => {
      const db = one(p, "aws:rds/instance:Instance");
      return yesNo(input(db, "publiclyAccessible") === false, "private", "public", [cite(db, "publiclyAccessible")]);
    },
    "database-ha": (p) => {
      const db = one(p, "aws:rds/instance:Instance");
      return yesNo(input(db, "multiAz") === true, "zone-redundant", "single zone", [cite(db, "multiAz")]);
    },
    "backup-retention": (p) => {
      const db = one(p, "aws:rds/instance:Instance");
      return {
        value: `${String(input(db, "backupRetentionPeriod"))} days`,
        evidence: [cite(db, "backupRetentionPeriod")],
      };
    },
    "bucket-sse-cmk": (p) => {
      const sse = one(p, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
      return keyCell(
        p,
        KEY,
        [{ resource: sse, path: "rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId" }],
        input(sse, "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm") === "aws:kms",
      );
    },
    "bucket-public-access-blocked": (p) => {
      const block = one(p, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
      const flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
      return yesNo(
        flags.every((f) => input(block, f) === true),
        "blocked",
        "open",
        flags.map((f) => cite(block, f)),
      );
    },
    "key-rotation": (p) => {
      const key = one(p, "aws:kms/key:Key");
      const on = input(key, "enableKeyRotation") === true;
      return {
        value: on ? `every ${String(input(key, "rotationPeriodInDays") ?? 365)} days` : "off",
        evidence: [cite(key, "enableKeyRotation"), cite(key, "rotationPeriodInDays")],
      };
    },
    "audit-logs": (p) => {
      const c = one(p, "aws:eks/cluster:Cluster");
      const types = (input(c, "enabledClusterLogTypes") as string[]) ?? [];
      return yesNo(types.includes("audit"), "on", "off", [cite(c, "enabledClusterLogTypes")]);
    },
    "autoscaling-bounds": (p) =>
      pools(
        ofType(p, "aws:eks/nodeGroup:NodeGroup").map((g) => ({
          r: g,
          name: String((input(g, "labels") as Record<string, string>)?.["warbler.io/pool"]),
          min: input(g, "scalingConfig.minSize"),
          max: input(g, "scalingConfig.maxSize"),
          on: true,
          path: "scalingConfig",
        })),
      ),
    zones: (p) =>
      zones(
        ofType(p, "aws:ec2/subnet:Subnet").map((s) => ({
          r: s,
          zone: input(s, "availabilityZone"),
          path: "availabilityZone",
        })),
      ),
  },
  exceptions: [],
};
