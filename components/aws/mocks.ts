import { createHash } from "node:crypto";
import { fakeId, fakeIp } from "../../lib/fake-id";
import type { KitMocks, MockContext, ResourceFabricator } from "../mock-types";

/**
 * AWS outputs as the real provider returns them: ids with their service
 * prefixes (vpc-, subnet-, nat-, lt-, sg-), ARNs in the stack's region and
 * a 12-digit account, a KMS key id that is a UUID, the EKS endpoint,
 * certificate authority and OIDC issuer, and RDS endpoints.
 */

/** AWS account ids are 12 digits. */
function accountOf(ctx: MockContext): string {
  return /^\d{12}$/.test(ctx.accountId) ? ctx.accountId : fakeDigits(ctx.accountId, 12);
}

function fakeDigits(seed: string, length: number): string {
  const hex = createHash("sha256").update(seed).digest("hex");
  return Array.from(hex.slice(0, length), (c) => String(parseInt(c, 16) % 10))
    .join("")
    .replace(/^0/, "1");
}

function uuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const str = (v: unknown, fallback = ""): string => (typeof v === "string" ? v : fallback);

/** A resource with a prefixed id and an ARN of `service` and `kind/id`. */
function arnResource(prefix: string, service: string, kind: string): ResourceFabricator {
  return ({ name, type }, ctx) => {
    const id = fakeId(prefix, `${type}/${name}`);
    return { id, state: { arn: `arn:aws:${service}:${ctx.region}:${accountOf(ctx)}:${kind}/${id}` } };
  };
}

export const awsMocks: KitMocks = {
  resources: {
    "aws:kms/key:Key": ({ name }, ctx) => {
      const keyId = uuid(`kms/${name}`);
      return { id: keyId, state: { keyId, arn: `arn:aws:kms:${ctx.region}:${accountOf(ctx)}:key/${keyId}` } };
    },
    "aws:kms/alias:Alias": ({ name, inputs }, ctx) => {
      const alias = str(inputs.name, `alias/${name}`);
      return {
        id: alias,
        state: {
          name: alias,
          arn: `arn:aws:kms:${ctx.region}:${accountOf(ctx)}:${alias}`,
          targetKeyArn: `arn:aws:kms:${ctx.region}:${accountOf(ctx)}:key/${str(inputs.targetKeyId)}`,
        },
      };
    },
    "aws:ec2/vpc:Vpc": (args, ctx) => {
      const made = arnResource("vpc-", "ec2", "vpc")(args, ctx);
      return {
        ...made,
        state: {
          ...made.state,
          mainRouteTableId: fakeId("rtb-", `main/${args.name}`),
          defaultSecurityGroupId: fakeId("sg-", `default/${args.name}`),
          ownerId: accountOf(ctx),
        },
      };
    },
    "aws:ec2/subnet:Subnet": arnResource("subnet-", "ec2", "subnet"),
    "aws:ec2/internetGateway:InternetGateway": arnResource("igw-", "ec2", "internet-gateway"),
    "aws:ec2/eip:Eip": ({ name }) => ({
      id: fakeId("eipalloc-", `eip/${name}`),
      state: { allocationId: fakeId("eipalloc-", `eip/${name}`), publicIp: fakeIp(`eip/${name}`, 3) },
    }),
    "aws:ec2/natGateway:NatGateway": ({ name }) => ({
      id: fakeId("nat-", `nat/${name}`),
      state: { publicIp: fakeIp(`nat/${name}`, 3), privateIp: fakeIp(`nat/${name}`, 10) },
    }),
    "aws:ec2/routeTable:RouteTable": arnResource("rtb-", "ec2", "route-table"),
    "aws:ec2/route:Route": ({ name }) => ({ id: fakeId("r-", `route/${name}`) }),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": ({ name }) => ({ id: fakeId("rtbassoc-", `rta/${name}`) }),
    "aws:ec2/flowLog:FlowLog": arnResource("fl-", "ec2", "vpc-flow-log"),
    "aws:ec2/securityGroup:SecurityGroup": (args, ctx) => {
      const made = arnResource("sg-", "ec2", "security-group")(args, ctx);
      return {
        ...made,
        state: {
          ...made.state,
          ownerId: accountOf(ctx),
          name: str(args.inputs.name, fakeId(`${args.name}-`, args.name, 7)),
        },
      };
    },
    "aws:ec2/launchTemplate:LaunchTemplate": (args, ctx) => {
      const made = arnResource("lt-", "ec2", "launch-template")(args, ctx);
      return { ...made, state: { ...made.state, latestVersion: 1, defaultVersion: 1 } };
    },
    "aws:cloudwatch/logGroup:LogGroup": ({ name, inputs }, ctx) => {
      const group = str(inputs.name, `${name}-${fakeId("", name, 7)}`);
      return {
        id: group,
        state: { name: group, arn: `arn:aws:logs:${ctx.region}:${accountOf(ctx)}:log-group:${group}` },
      };
    },
    "aws:iam/role:Role": ({ name, inputs }, ctx) => {
      const roleName = str(inputs.name, `${name}-${fakeId("", name, 7)}`).slice(0, 64);
      return {
        id: roleName,
        state: {
          name: roleName,
          arn: `arn:aws:iam::${accountOf(ctx)}:role/${roleName}`,
          uniqueId: fakeId("AROA", `role/${name}`, 17).toUpperCase(),
        },
      };
    },
    "aws:iam/rolePolicy:RolePolicy": ({ name, inputs }) => ({ id: `${str(inputs.role)}:${name}`, state: { name } }),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ({ name, inputs }) => ({
      id: `${str(inputs.role)}/${fakeId("", name, 8)}`,
    }),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": ({ inputs }, ctx) => {
      const host = str(inputs.url).replace(/^https:\/\//, "");
      const arn = `arn:aws:iam::${accountOf(ctx)}:oidc-provider/${host}`;
      return { id: arn, state: { arn } };
    },
    "aws:eks/cluster:Cluster": ({ name, inputs }, ctx) => {
      const clusterName = str(inputs.name, name);
      const oidcId = fakeId("", `oidc/${clusterName}`, 32).toUpperCase();
      const host = `${oidcId}.gr7.${ctx.region}.eks.amazonaws.com`;
      return {
        id: clusterName,
        state: {
          arn: `arn:aws:eks:${ctx.region}:${accountOf(ctx)}:cluster/${clusterName}`,
          endpoint: `https://${host}`,
          certificateAuthority: {
            data: Buffer.from(`mock certificate authority of ${clusterName}`).toString("base64"),
          },
          identities: [{ oidcs: [{ issuer: `https://oidc.eks.${ctx.region}.amazonaws.com/id/${oidcId}` }] }],
          clusterId: uuid(`eks/${clusterName}`),
          platformVersion: "eks.1",
          status: "ACTIVE",
          vpcConfig: {
            ...(inputs.vpcConfig as Record<string, unknown>),
            clusterSecurityGroupId: fakeId("sg-", `eks/${clusterName}`),
            vpcId: fakeId("vpc-", `eks/${clusterName}`),
          },
        },
      };
    },
    "aws:eks/nodeGroup:NodeGroup": ({ name, inputs }, ctx) => {
      const group = str(inputs.nodeGroupName, `${name}-${fakeId("", name, 7)}`);
      const cluster = str(inputs.clusterName);
      return {
        id: `${cluster}:${group}`,
        state: {
          nodeGroupName: group,
          arn: `arn:aws:eks:${ctx.region}:${accountOf(ctx)}:nodegroup/${cluster}/${group}/${uuid(`ng/${name}`)}`,
          status: "ACTIVE",
          resources: [
            { autoscalingGroups: [{ name: `eks-${group}-${uuid(`asg/${name}`)}` }], remoteAccessSecurityGroupId: "" },
          ],
        },
      };
    },
    "aws:eks/addon:Addon": ({ inputs }, ctx) => {
      const cluster = str(inputs.clusterName);
      const addon = str(inputs.addonName);
      return {
        id: `${cluster}:${addon}`,
        state: {
          arn:
            `arn:aws:eks:${ctx.region}:${accountOf(ctx)}:addon/` +
            `${cluster}/${addon}/${uuid(`addon/${cluster}/${addon}`)}`,
        },
      };
    },
    "aws:rds/subnetGroup:SubnetGroup": ({ name, inputs }, ctx) => {
      const group = str(inputs.name, `${name}-${fakeId("", name, 7)}`);
      return { id: group, state: { name: group, arn: `arn:aws:rds:${ctx.region}:${accountOf(ctx)}:subgrp:${group}` } };
    },
    "aws:rds/parameterGroup:ParameterGroup": ({ name, inputs }, ctx) => {
      const group = str(inputs.name, `${name}-${fakeId("", name, 7)}`);
      return { id: group, state: { name: group, arn: `arn:aws:rds:${ctx.region}:${accountOf(ctx)}:pg:${group}` } };
    },
    "aws:rds/instance:Instance": ({ name, inputs }, ctx) => {
      const identifier = str(inputs.identifier, `${name}-${fakeId("", name, 7)}`);
      const host = fakeId("c", `rds/${ctx.accountId}/${ctx.region}`, 11);
      const address = `${identifier}.${host}.${ctx.region}.rds.amazonaws.com`;
      const port = typeof inputs.port === "number" ? inputs.port : 5432;
      return {
        id: fakeId("db-", `rds/${identifier}`, 26).toUpperCase(),
        state: {
          identifier,
          address,
          endpoint: `${address}:${port}`,
          port,
          arn: `arn:aws:rds:${ctx.region}:${accountOf(ctx)}:db:${identifier}`,
          resourceId: fakeId("db-", `rds/${identifier}`, 26).toUpperCase(),
          hostedZoneId: "Z1RLNUO7B9Q6NB",
          status: "available",
        },
      };
    },
    "aws:s3/bucket:Bucket": ({ name, inputs }, ctx) => {
      const bucket = str(inputs.bucket, `${name}-${fakeId("", name, 7)}`);
      return {
        id: bucket,
        state: {
          bucket,
          arn: `arn:aws:s3:::${bucket}`,
          bucketDomainName: `${bucket}.s3.amazonaws.com`,
          bucketRegionalDomainName: `${bucket}.s3.${ctx.region}.amazonaws.com`,
          region: ctx.region,
          hostedZoneId: "Z21DNDUVLTQW6Q",
        },
      };
    },
  },
  calls: {
    "aws:ec2/getRouteTable:getRouteTable": ({ inputs }) => {
      const id = fakeId("rtb-", String(inputs.subnetId));
      return { routeTableId: id, id, vpcId: "vpc-offline" };
    },
    "aws:route53/getZone:getZone": ({ inputs }) => {
      const zoneId = fakeId("Z", String(inputs.name), 20).toUpperCase();
      return { zoneId, id: zoneId, name: inputs.name, privateZone: false };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": (_args, ctx) => {
      const accountId = accountOf(ctx);
      return {
        accountId,
        arn: `arn:aws:iam::${accountId}:user/warbler-deployer`,
        userId: fakeId("AIDA", `user/${accountId}`, 17).toUpperCase(),
        id: accountId,
      };
    },
  },
  stackOutputs: (stack) => {
    const region = "eu-central-1";
    const databaseHost = `warbler-${stack}-pg.c${fakeId("", stack, 12)}.${region}.rds.amazonaws.com`;
    return { region, databaseHost, bucketRegion: region };
  },
};
