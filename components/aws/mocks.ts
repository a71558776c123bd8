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

/**
 * The canonical hosted zone of Network Load Balancers per region, as the provider's `lb.getHostedZoneId` answers
 * it (https://docs.aws.amazon.com/general/latest/gr/elb.html, "Network Load Balancers" column); Route 53 aliases
 * to an NLB name this zone.
 */
export const NLB_HOSTED_ZONE_IDS: Readonly<Record<string, string>> = {
  "us-east-1": "Z26RNL4JYFTOTI",
  "us-east-2": "ZLMOA37VPKANP",
  "us-west-2": "Z18D5FSROUN65G",
  "ca-central-1": "Z2EPGBW3API2WT",
  "sa-east-1": "ZTK26PT1VY4CU",
  "eu-central-1": "Z3F0SRJ5LGBH90",
  "eu-central-2": "Z02239872DOALSIDCX66S",
  "eu-west-1": "Z2IFOLAFXWLO4F",
  "eu-west-2": "ZD4D7Y8KGAS4G",
  "eu-west-3": "Z1CMS0P5QUZ6D5",
  "eu-north-1": "Z1UDT6IFJ4EJM",
  "eu-south-1": "Z23146JA1KNAFP",
  "eu-south-2": "Z1011216NVTVYADP1SSV",
  "ap-northeast-1": "Z31USIVHYNEOWT",
  "ap-northeast-2": "ZIBE1TIR4HY56",
  "ap-southeast-1": "ZKVM4W9LS7TM",
  "ap-southeast-2": "ZCT6FZBF4DROD",
  "ap-south-1": "ZVDDRBQ08TROA",
  "me-central-1": "Z00282643NTTLPANJJG2P",
};

/**
 * The DNS name of an NLB the load balancer controller creates for a Service: its name is `k8s-` with the first 8
 * characters of namespace and Service and a 10-hex hash, and AWS appends a 16-hex id and `.elb.<region>`.
 */
export function nlbHostName(region: string, namespace: string, service: string, seed: string): string {
  const short = (text: string) => text.replace(/[^a-z0-9]/g, "").slice(0, 8);
  const hash = createHash("sha256").update(seed).digest("hex");
  const name = `k8s-${short(namespace)}-${short(service)}-${hash.slice(0, 10)}`;
  return `${name}-${hash.slice(10, 26)}.elb.${region}.amazonaws.com`;
}

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
          // What ec2.DefaultSecurityGroup and ec2.DefaultNetworkAcl adopt: the same ids from the VPC's id.
          defaultSecurityGroupId: fakeId("sg-", `default/${made.id}`),
          defaultNetworkAclId: fakeId("acl-", `default/${made.id}`),
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
    // A VPN connection has two tunnels, each with its own AWS public outside address (vpnConnection.d.ts
    // tunnel1Address, tunnel2Address).
    "aws:ec2/vpnConnection:VpnConnection": ({ name }) => ({
      id: fakeId("vpn-", `vpn/${name}`),
      state: { tunnel1Address: fakeIp(`vpn/${name}/1`, 3), tunnel2Address: fakeIp(`vpn/${name}/2`, 52) },
    }),
    "aws:ec2/route:Route": ({ name }) => ({ id: fakeId("r-", `route/${name}`) }),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": ({ name }) => ({ id: fakeId("rtbassoc-", `rta/${name}`) }),
    "aws:ec2/flowLog:FlowLog": arnResource("fl-", "ec2", "vpc-flow-log"),
    "aws:ec2/vpcEndpoint:VpcEndpoint": (args, ctx) => {
      const made = arnResource("vpce-", "ec2", "vpc-endpoint")(args, ctx);
      return { ...made, state: { ...made.state, state: "available", ownerId: accountOf(ctx) } };
    },
    // These two adopt what the VPC already has: their id is the VPC's default group's or ACL's.
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ({ inputs }) => ({
      id: fakeId("sg-", `default/${str(inputs.vpcId)}`),
    }),
    "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": ({ inputs }) => ({ id: str(inputs.defaultNetworkAclId) }),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (args, ctx) =>
      arnResource("sgr-", "ec2", "security-group-rule")(args, ctx),
    "aws:ec2/tag:Tag": ({ inputs }) => ({ id: `${str(inputs.resourceId)},${str(inputs.key)}` }),
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
    "aws:eks/accessEntry:AccessEntry": ({ inputs }, ctx) => {
      const cluster = str(inputs.clusterName);
      const principal = str(inputs.principalArn);
      const [, kind = "role", name = "principal"] = /:(role|user)\/(.+)$/.exec(principal) ?? [];
      return {
        id: `${cluster}:${principal}`,
        state: {
          accessEntryArn:
            `arn:aws:eks:${ctx.region}:${accountOf(ctx)}:access-entry/${cluster}/${kind}/${accountOf(ctx)}/` +
            `${name}/${uuid(`access/${cluster}/${principal}`)}`,
          userName: principal,
        },
      };
    },
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": ({ inputs }) => ({
      id: `${str(inputs.clusterName)}#${str(inputs.principalArn)}#${str(inputs.policyArn)}`,
    }),
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
    "aws:lb/getHostedZoneId:getHostedZoneId": ({ inputs }, ctx) => {
      const region = str(inputs.region, ctx.region);
      if (inputs.loadBalancerType !== "network")
        throw new Error(`the offline plan knows only NLB zones; asked for '${str(inputs.loadBalancerType)}'`);
      const id = NLB_HOSTED_ZONE_IDS[region];
      if (!id) throw new Error(`no Network Load Balancer hosted zone for region '${region}'`);
      return { id, region, loadBalancerType: "network" };
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
    // The load balancer controller's NLBs: a Service's status carries their host name, never an IP.
    return {
      region,
      databaseHost,
      bucketRegion: region,
      imIngressAddress: nlbHostName(region, "envoy-gateway-system", "envoy-warbler", `${stack}/ingress`),
      imClientAddress: nlbHostName(region, "warbler-im", "ejabberd-clients", `${stack}/clients`),
      imTurnAddress: nlbHostName(region, "warbler-im", "eturnal", `${stack}/turn`),
    };
  },
};
