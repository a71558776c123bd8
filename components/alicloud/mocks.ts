import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { fakeId, fakeIp } from "../../lib/fake-id";
import type { KitMocks, MockContext } from "../mock-types";
import { regionZones } from "./zones";

/**
 * Alibaba Cloud outputs as the real provider returns them: resource ids with
 * their service prefixes (vpc-, vsw-, ngw-, pgm-, c...), `acs:` resource
 * names with a 16-digit account id, regional endpoints, the RRSA OIDC
 * provider of a cluster, and ACK's public credential (the only one the
 * provider fetches), which the kit points at the private API server.
 */

/** Alibaba Cloud account ids are 16 digits. */
function accountOf(ctx: MockContext): string {
  const digits = createHash("sha256")
    .update(ctx.accountId)
    .digest("hex")
    .replace(/[^0-9]/g, "");
  return `1${digits}`.padEnd(16, "7").slice(0, 16);
}

const str = (v: unknown, fallback = ""): string => (typeof v === "string" ? v : fallback);

/**
 * ACK's kubeconfig as DescribeClusterUserKubeconfig returns it: one cluster `kubernetes`, user `kubernetes-admin`
 * with a client certificate and key, context `kubernetes-admin-<cluster id>`
 * (https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/developer-reference/
 * api-cs-2015-12-15-describeclusteruserkubeconfig, response example).
 */
function kubeconfig(clusterId: string, server: string): string {
  const pem = (what: string) => Buffer.from(`mock ${what} of ${clusterId}`).toString("base64");
  return [
    "apiVersion: v1",
    "clusters:",
    "- cluster:",
    `    server: ${server}`,
    `    certificate-authority-data: ${pem("certificate authority")}`,
    "  name: kubernetes",
    "contexts:",
    "- context:",
    "    cluster: kubernetes",
    '    user: "kubernetes-admin"',
    `  name: kubernetes-admin-${clusterId}`,
    `current-context: kubernetes-admin-${clusterId}`,
    "kind: Config",
    "preferences: {}",
    "users:",
    '- name: "kubernetes-admin"',
    "  user:",
    `    client-certificate-data: ${pem("client certificate")}`,
    `    client-key-data: ${pem("client key")}`,
    "",
  ].join("\n");
}

/**
 * The domain RDS PostgreSQL gives an instance's internal endpoint: `pg.rds.aliyuncs.com` in mainland China,
 * `pgsql.<city>.rds.aliyuncs.com` elsewhere. The cities are those seen on real instances' endpoints
 * (pgm-....pgsql.singapore.rds.aliyuncs.com, pgm-....pgsql.germany.rds.aliyuncs.com); a region not listed fails
 * the plan rather than invent a host name.
 */
const rdsCities: Record<string, string> = { "ap-southeast-1": "singapore", "eu-central-1": "germany" };

export function rdsEndpointDomain(region: string): string {
  if (region.startsWith("cn-") && region !== "cn-hongkong") return "pg.rds.aliyuncs.com";
  const city = rdsCities[region];
  if (city === undefined)
    throw new Error(`the alicloud mocks know no RDS endpoint domain for ${region}; add it to rdsCities (mocks.ts)`);
  return `pgsql.${city}.rds.aliyuncs.com`;
}

/** What DescribeClusterUserKubeconfig accepts as TemporaryDurationMinutes; the base time is the mocks' epoch. */
function expiration(minutes: unknown): string {
  if (minutes === undefined) return "2028-01-01T00:00:00Z";
  if (typeof minutes !== "number" || !Number.isInteger(minutes) || minutes < 15 || minutes > 4320)
    throw new Error(`getClusterCredential: temporaryDurationMinutes ${String(minutes)} is not 15 to 4320`);
  return new Date(Date.UTC(2025, 0, 1) + minutes * 60_000).toISOString().replace(/\.000Z$/, "Z");
}

/** A service data source's answer: `enable: "On"` opens the service and reports it open. */
const serviceStatus = ({ inputs }: { inputs: Record<string, unknown> }) => ({
  id: str(inputs.type, "service"),
  enable: str(inputs.enable, "Off"),
  status: inputs.enable === "On" ? "Opened" : "",
  ...(inputs.type === undefined ? {} : { type: str(inputs.type) }),
});

/**
 * What the provider and ACK refuse in a node pool, thrown as they would fail the deploy (cs/nodePool.d.ts):
 * autoscaling with `maxSize` not greater than `minSize`, `containerdConfig.limitNoFile` other than a canonical
 * decimal string from "1024", and a taint effect Kubernetes does not know.
 */
function nodePoolRefusal(inputs: Record<string, unknown>): void {
  const scaling = inputs.scalingConfig as { enable?: boolean; minSize?: number; maxSize?: number } | undefined;
  if (scaling?.enable && !((scaling.maxSize ?? 0) > (scaling.minSize ?? 0)))
    throw new Error(`NodePool ${String(inputs.nodePoolName)}: scalingConfig.maxSize must be greater than minSize`);
  const limit = (inputs.containerdConfig as { limitNoFile?: unknown } | undefined)?.limitNoFile;
  if (limit !== undefined && limit !== "" && !(typeof limit === "string" && /^[1-9]\d*$/.test(limit) && +limit >= 1024))
    throw new Error(
      `NodePool ${String(inputs.nodePoolName)}: containerdConfig.limitNoFile ${String(limit)} is invalid`,
    );
  const effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];
  for (const taint of (inputs.taints as { effect?: string }[] | undefined) ?? [])
    if (taint.effect !== undefined && !effects.includes(taint.effect))
      throw new Error(`NodePool ${String(inputs.nodePoolName)}: taint effect ${taint.effect} is not one of ${effects}`);
}

export const alicloudMocks: KitMocks = {
  resources: {
    "alicloud:kms/key:Key": ({ name }, ctx) => {
      const id = fakeId("key-", `kms/${name}`, 20);
      return {
        id,
        state: {
          arn: `acs:kms:${ctx.region}:${accountOf(ctx)}:key/${id}`,
          creator: accountOf(ctx),
          keyState: "Enabled",
          creationDate: "2025-01-01T00:00:00Z",
          nextRotationDate: "2026-01-01T00:00:00Z",
          primaryKeyVersion: fakeId("", `kms-version/${name}`, 32),
        },
      };
    },
    "alicloud:kms/alias:Alias": ({ inputs }) => ({ id: str(inputs.aliasName) }),
    "alicloud:vpc/network:Network": ({ name }) => ({
      id: fakeId("vpc-", `vpc/${name}`, 21),
      state: {
        routeTableId: fakeId("vtb-", `vtb/${name}`, 21),
        routerId: fakeId("vrt-", `vrt/${name}`, 21),
        status: "Available",
      },
    }),
    "alicloud:vpc/switch:Switch": ({ name }) => ({
      id: fakeId("vsw-", `vsw/${name}`, 21),
      state: { status: "Available" },
    }),
    "alicloud:vpc/natGateway:NatGateway": ({ name }) => ({
      id: fakeId("ngw-", `ngw/${name}`, 21),
      state: {
        snatTableIds: fakeId("stb-", `stb/${name}`, 21),
        forwardTableIds: fakeId("ftb-", `ftb/${name}`, 21),
        status: "Available",
      },
    }),
    "alicloud:ecs/eipAddress:EipAddress": ({ name }) => ({
      id: fakeId("eip-", `eip/${name}`, 21),
      state: { ipAddress: fakeIp(`eip/${name}`, 47), status: "Available" },
    }),
    "alicloud:ecs/eipAssociation:EipAssociation": ({ inputs }) => ({
      id: `${str(inputs.allocationId)}:${str(inputs.instanceId)}`,
    }),
    "alicloud:vpc/snatEntry:SnatEntry": ({ name, inputs }) => {
      const entry = fakeId("snat-", `snat/${name}`, 21);
      return { id: `${str(inputs.snatTableId)}:${entry}`, state: { snatEntryId: entry, status: "Available" } };
    },
    "alicloud:ecs/securityGroup:SecurityGroup": ({ name }) => ({ id: fakeId("sg-", `sg/${name}`, 20) }),
    "alicloud:ecs/securityGroupRule:SecurityGroupRule": ({ name, inputs }) => ({
      id: `${str(inputs.securityGroupId)}:${fakeId("sgr-", `sgr/${name}`, 20)}`,
    }),
    "alicloud:log/project:Project": ({ inputs }) => ({
      id: str(inputs.projectName),
      state: { status: "Normal", createTime: "2025-01-01T00:00:00Z" },
    }),
    "alicloud:log/store:Store": ({ inputs }) => ({
      id: `${str(inputs.projectName)}:${str(inputs.logstoreName)}`,
      state: { createTime: 1735689600 },
    }),
    "alicloud:vpc/flowLog:FlowLog": ({ name }, ctx) => {
      const id = fakeId("fl-", `flowlog/${name}`, 21);
      return {
        id,
        state: {
          flowLogId: id,
          businessStatus: "Normal",
          regionId: ctx.region,
          ipVersion: "IPv4",
          aggregationInterval: "10",
        },
      };
    },
    "alicloud:cs/managedKubernetes:ManagedKubernetes": ({ name, inputs }, ctx) => {
      const id = fakeId("c", `ack/${name}`, 32);
      const apiServer = fakeIp(`apiserver-of/${id}`, 10);
      return {
        id,
        state: {
          rrsaMetadata: {
            enabled: inputs.enableRrsa === true,
            ramOidcProviderArn: `acs:ram::${accountOf(ctx)}:oidc-provider/ack-rrsa-${id}`,
            ramOidcProviderName: `ack-rrsa-${id}`,
            rrsaOidcIssuerUrl: `https://oidc-ack-${ctx.region}.oss-${ctx.region}.aliyuncs.com/${id}`,
          },
          connections: {
            apiServerIntranet: `https://${apiServer}:6443`,
            serviceDomain: `*.${id}.${ctx.region}.alicontainer.com`,
          },
          slbIntranet: apiServer,
          slbId: fakeId("lb-", `ack-slb/${name}`, 20),
          securityGroupId: str(inputs.securityGroupId),
          workerRamRoleName: `KubernetesWorkerRole-${fakeId("", `ack-role/${name}`, 36)}`,
          natGatewayId: "",
          controlPlaneLogProject: str(inputs.controlPlaneLogProject),
        },
      };
    },
    "alicloud:cs/autoscalingConfig:AutoscalingConfig": ({ inputs }) => ({ id: str(inputs.clusterId) }),
    "alicloud:cs/nodePool:NodePool": ({ name, inputs }) => {
      nodePoolRefusal(inputs);
      const nodePoolId = fakeId("np", `np/${name}`, 32);
      return {
        id: `${str(inputs.clusterId)}:${nodePoolId}`,
        state: { nodePoolId, scalingGroupId: fakeId("asg-", `asg/${name}`, 20) },
      };
    },
    "alicloud:ram/role:Role": ({ name, inputs }, ctx) => {
      const roleName = str(inputs.roleName, name);
      return {
        id: roleName,
        state: {
          arn: `acs:ram::${accountOf(ctx)}:role/${roleName.toLowerCase()}`,
          roleId: fakeId("3", `role/${name}`, 18),
        },
      };
    },
    "alicloud:ram/policy:Policy": ({ name, inputs }) => ({
      id: str(inputs.policyName, name),
      state: { defaultVersion: "v1", type: "Custom" },
    }),
    "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment": ({ inputs }) => ({
      id: `role:${str(inputs.roleName)}:${str(inputs.policyType)}:${str(inputs.policyName)}`,
    }),
    // The RAM user and access key of cert-manager's alidns DNS-01 solver (identity.ts, AlicloudDns01Credentials).
    "alicloud:ram/user:User": ({ name, inputs }) => {
      const userName = str(inputs.name, name);
      return { id: fakeId("2", `user/${name}`, 16).replace(/[a-f]/g, "7"), state: { name: userName } };
    },
    "alicloud:ram/userPolicyAttachment:UserPolicyAttachment": ({ inputs }) => ({
      id: `user:${str(inputs.policyName)}:${str(inputs.policyType)}:${str(inputs.userName)}`,
    }),
    // The real provider marks the AccessKey secret as a secret output; so does the mock, so plans never hold one.
    "alicloud:ram/accessKey:AccessKey": ({ name }) => ({
      id: `LTAI5t${fakeId("", `ak/${name}`, 18).toUpperCase()}`,
      state: {
        secret: pulumi.secret(fakeId("", `ak-secret/${name}`, 30)),
        status: "Active",
        createTime: "2025-01-01T00:00:00Z",
      },
    }),
    "alicloud:slb/applicationLoadBalancer:ApplicationLoadBalancer": ({ name }) => ({
      id: fakeId("lb-", `clb/${name}`, 24),
      state: { address: fakeIp(`clb/${name}`, 47), status: "active" },
    }),
    "alicloud:rds/instance:Instance": ({ name, inputs }, ctx) => {
      const id = fakeId("pgm-", `rds/${name}`, 17);
      const prefix = str(inputs.connectionStringPrefix, id);
      return {
        id,
        state: {
          connectionString: `${prefix}.${rdsEndpointDomain(ctx.region)}`,
          port: "5432",
          sslStatus: "Yes",
          caType: str(inputs.caType, "aliyun"),
          status: "Running",
        },
      };
    },
    "alicloud:rds/backupPolicy:BackupPolicy": ({ inputs }) => ({ id: str(inputs.instanceId) }),
    "alicloud:rds/database:Database": ({ inputs }) => ({
      id: `${str(inputs.instanceId)}:${str(inputs.dataBaseName)}`,
      state: { status: "Running" },
    }),
    "alicloud:rds/rdsAccount:RdsAccount": ({ inputs }) => ({
      id: `${str(inputs.dbInstanceId)}:${str(inputs.accountName)}`,
      state: { status: "Available" },
    }),
    "alicloud:oss/bucket:Bucket": ({ inputs }, ctx) => ({
      id: str(inputs.bucket),
      state: {
        extranetEndpoint: `oss-${ctx.region}.aliyuncs.com`,
        intranetEndpoint: `oss-${ctx.region}-internal.aliyuncs.com`,
        location: `oss-${ctx.region}`,
        owner: accountOf(ctx),
        creationDate: "2025-01-01",
      },
    }),
    "alicloud:oss/bucketAcl:BucketAcl": ({ inputs }) => ({ id: str(inputs.bucket) }),
    "alicloud:oss/bucketPublicAccessBlock:BucketPublicAccessBlock": ({ inputs }) => ({ id: str(inputs.bucket) }),
    "alicloud:oss/bucketHttpsConfig:BucketHttpsConfig": ({ inputs }) => ({ id: str(inputs.bucket) }),
    "alicloud:oss/bucketPolicy:BucketPolicy": ({ inputs }) => ({ id: str(inputs.bucket) }),
    "alicloud:oss/bucketLogging:BucketLogging": ({ inputs }) => ({ id: str(inputs.bucket) }),
  },
  calls: {
    "alicloud:index/getZones:getZones": ({ inputs }, ctx) => {
      const ids = [...(regionZones[ctx.region] ?? [`${ctx.region}-a`, `${ctx.region}-b`])];
      return {
        id: fakeId("", `zones/${ctx.region}/${str(inputs.availableResourceCreation)}`, 10),
        ids,
        zones: ids.map((id) => ({
          id,
          localName: id,
          availableResourceCreations: ["VSwitch", "Instance", "Disk", "Rds", "Slb"],
          availableDiskCategories: ["cloud_essd", "cloud_auto"],
          availableInstanceTypes: ["ecs.g7.large", "ecs.g7.xlarge", "ecs.g7.2xlarge", "ecs.g7.4xlarge"],
          multiZoneIds: [],
          slbSlaveZoneIds: ids.filter((z) => z !== id),
        })),
      };
    },
    // Called too early (no cluster id yet) it fails, as the real API does; the server is the public endpoint's.
    "alicloud:cs/getClusterCredential:getClusterCredential": ({ inputs }) => {
      const clusterId = str(inputs.clusterId);
      if (!/^c[0-9a-f]{32}$/.test(clusterId))
        throw new Error(`getClusterCredential: "${clusterId}" is not the id of a created ACK cluster`);
      return {
        id: clusterId,
        clusterId,
        clusterName: clusterId,
        kubeConfig: kubeconfig(clusterId, `https://${fakeIp(`apiserver-eip-of/${clusterId}`, 47)}:6443`),
        certificateAuthority: {
          clusterCert: Buffer.from(`mock certificate authority of ${clusterId}`).toString("base64"),
        },
        expiration: expiration(inputs.temporaryDurationMinutes),
        ...(inputs.temporaryDurationMinutes === undefined
          ? {}
          : { temporaryDurationMinutes: inputs.temporaryDurationMinutes }),
      };
    },
    "alicloud:cs/getAckService:getAckService": serviceStatus,
    "alicloud:kms/getService:getService": serviceStatus,
    "alicloud:log/getService:getService": serviceStatus,
    "alicloud:oss/getService:getService": serviceStatus,
    "alicloud:vpc/getFlowLogService:getFlowLogService": serviceStatus,
    // A fresh account: no Warbler key yet.
    "alicloud:kms/getKeys:getKeys": ({ inputs }, ctx) => ({
      id: ctx.region,
      ids: [],
      keys: [],
      ...(inputs.descriptionRegex === undefined ? {} : { descriptionRegex: inputs.descriptionRegex }),
    }),
  },
  stackOutputs: (stack) => {
    const region = "cn-shanghai";
    return {
      region,
      databaseHost: `pgm-${fakeId("", stack, 16)}.${rdsEndpointDomain(region)}`,
      bucketRegion: region,
    };
  },
};
