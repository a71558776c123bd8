/**
 * IAM, KMS and S3 policy documents, as pure functions of plain strings so
 * tests read them directly. Components call them inside `apply`.
 */

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | Record<string, string | string[]>;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

const doc = (...statements: PolicyStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });

/** Data-key use of a symmetric key: what a service needs to encrypt and decrypt, nothing administrative. */
export const KEY_USE_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
  "kms:DescribeKey",
];

export interface KeyPolicyInput {
  accountId: string;
  region: string;
}

/**
 * The key policy. The account root statement hands control to IAM (without
 * it the key can become unmanageable); every other use is granted by IAM
 * policies on the roles that need it. Three principals cannot carry IAM
 * policies and are named here: CloudWatch Logs (the encrypted log groups of
 * this account and region only), S3's logging service (server access logs
 * of this account's buckets) and the Auto Scaling service-linked role,
 * which launches the node groups' encrypted EBS volumes.
 */
export function keyPolicy({ accountId, region }: KeyPolicyInput): PolicyDocument {
  const serviceRole = "autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling";
  const autoscaling = `arn:aws:iam::${accountId}:role/aws-service-role/${serviceRole}`;
  return doc(
    {
      Sid: "AccountAdministersKeyThroughIam",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${accountId}:root` },
      Action: "kms:*",
      Resource: "*",
    },
    {
      Sid: "CloudWatchLogsEncryptsThisAccountsLogGroups",
      Effect: "Allow",
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: KEY_USE_ACTIONS,
      Resource: "*",
      Condition: {
        ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:${accountId}:log-group:*` },
      },
    },
    {
      // S3 writes server access logs as its logging service into the SSE-KMS log bucket, so it needs a data key.
      Sid: "S3ServerAccessLoggingEncryptsLogs",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    },
    {
      Sid: "AutoScalingUsesKeyForNodeVolumes",
      Effect: "Allow",
      Principal: { AWS: autoscaling },
      Action: KEY_USE_ACTIONS,
      Resource: "*",
    },
    {
      Sid: "AutoScalingAttachesNodeVolumes",
      Effect: "Allow",
      Principal: { AWS: autoscaling },
      Action: "kms:CreateGrant",
      Resource: "*",
      Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
    },
  );
}

/** Trust for an AWS service (eks, ec2, vpc-flow-logs ...). */
export function serviceTrust(service: string): PolicyDocument {
  return doc({ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" });
}

export interface IrsaTrustInput {
  oidcProviderArn: string;
  /** The cluster's OIDC issuer URL (https://oidc.eks...). */
  issuerUrl: string;
  namespace: string;
  serviceAccount: string;
}

/** IRSA: only the named ServiceAccount of the named namespace, and only for STS. */
export function irsaTrust(input: IrsaTrustInput): PolicyDocument {
  const issuer = input.issuerUrl.replace(/^https:\/\//, "");
  return doc({
    Effect: "Allow",
    Principal: { Federated: input.oidcProviderArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: {
        [`${issuer}:sub`]: `system:serviceaccount:${input.namespace}:${input.serviceAccount}`,
        [`${issuer}:aud`]: "sts.amazonaws.com",
      },
    },
  });
}

/** The EKS cluster role: envelope-encrypt Secrets with the key (EKS's documented set). */
export function eksSecretsKeyPolicy(keyArn: string): PolicyDocument {
  return doc({
    Effect: "Allow",
    Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
    Resource: keyArn,
  });
}

/** The EBS CSI driver: data-key use plus grants that EC2 needs to attach the volumes it encrypts. */
export function ebsCsiKeyPolicy(keyArn: string): PolicyDocument {
  return doc(
    { Effect: "Allow", Action: KEY_USE_ACTIONS, Resource: keyArn },
    {
      Effect: "Allow",
      Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      Resource: keyArn,
      Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
    },
  );
}

/** The IM workload: read and write objects of its bucket, with the key that encrypts them. */
export function bucketAccessPolicy(bucketArn: string, keyArn: string): PolicyDocument {
  return doc(
    { Sid: "ListFiles", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: bucketArn },
    {
      Sid: "ReadWriteFiles",
      Effect: "Allow",
      Action: [
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts",
      ],
      Resource: `${bucketArn}/*`,
    },
    { Sid: "EncryptFiles", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: keyArn },
  );
}

/** VPC flow logs may write to their own log group only. */
export function flowLogPolicy(logGroupArn: string): PolicyDocument {
  return doc({
    Effect: "Allow",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
    Resource: [logGroupArn, `${logGroupArn}:*`],
  });
}

/** Deny any request not over TLS 1.2 or later, from anyone. */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
  const everything = [bucketArn, `${bucketArn}/*`];
  return doc(
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: everything,
      Condition: { Bool: { "aws:SecureTransport": false } },
    },
    {
      Sid: "DenyTlsBelow12",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: everything,
      Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
    },
  );
}

/**
 * The log bucket's policy: TLS only, and S3's logging service may put objects under `prefix` for the one source
 * bucket of this account, nothing else (https://docs.aws.amazon.com/AmazonS3/latest/userguide/
 * enable-server-access-logging.html, "Grant permissions to the logging service principal using a bucket policy":
 * a bucket that owns its objects takes no ACL grants).
 */
export function accessLogBucketPolicy(
  logBucketArn: string,
  sourceBucketArn: string,
  accountId: string,
  prefix: string,
): PolicyDocument {
  const tls = tlsOnlyBucketPolicy(logBucketArn).Statement;
  return doc(...tls, {
    Sid: "S3ServerAccessLogsDelivery",
    Effect: "Allow",
    Principal: { Service: "logging.s3.amazonaws.com" },
    Action: "s3:PutObject",
    Resource: `${logBucketArn}/${prefix}*`,
    Condition: { ArnLike: { "aws:SourceArn": sourceBucketArn }, StringEquals: { "aws:SourceAccount": accountId } },
  });
}

/**
 * Cluster Autoscaler: read the groups, and resize only groups tagged as
 * belonging to this cluster.
 */
export function clusterAutoscalerPolicy(clusterName: string): PolicyDocument {
  return doc(
    {
      Effect: "Allow",
      Action: [
        "autoscaling:DescribeAutoScalingGroups",
        "autoscaling:DescribeAutoScalingInstances",
        "autoscaling:DescribeLaunchConfigurations",
        "autoscaling:DescribeScalingActivities",
        "autoscaling:DescribeTags",
        "ec2:DescribeImages",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplateVersions",
        "ec2:GetInstanceTypesFromInstanceRequirements",
        "eks:DescribeNodegroup",
      ],
      Resource: "*",
    },
    {
      Effect: "Allow",
      Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
      Resource: "*",
      Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
    },
  );
}

/**
 * AWS Load Balancer Controller, for the NLBs of LoadBalancer Services: read
 * the network and load balancers; create load balancers, target groups and
 * security groups only when tagged with the controller's cluster tag, and
 * change or delete only those it tagged.
 */
export function loadBalancerControllerPolicy(clusterName: string): PolicyDocument {
  const ownedByCluster = { StringEquals: { "aws:ResourceTag/elbv2.k8s.aws/cluster": clusterName } };
  const requestForCluster = { StringEquals: { "aws:RequestTag/elbv2.k8s.aws/cluster": clusterName } };
  return doc(
    {
      Sid: "LinkElbServiceRole",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: "*",
      Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
    },
    {
      Sid: "Read",
      Effect: "Allow",
      Action: [
        "ec2:DescribeAccountAttributes",
        "ec2:DescribeAddresses",
        "ec2:DescribeAvailabilityZones",
        "ec2:DescribeInternetGateways",
        "ec2:DescribeVpcs",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeInstances",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeTags",
        "ec2:DescribeRouteTables",
        "ec2:GetSecurityGroupsForVpc",
        "elasticloadbalancing:Describe*",
      ],
      Resource: "*",
    },
    {
      Sid: "CreateOwnedSecurityGroups",
      Effect: "Allow",
      Action: "ec2:CreateSecurityGroup",
      Resource: "*",
      Condition: requestForCluster,
    },
    {
      Sid: "TagOnCreate",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: "*",
      Condition: { StringEquals: { ...requestForCluster.StringEquals, "ec2:CreateAction": "CreateSecurityGroup" } },
    },
    {
      Sid: "ChangeOwnedSecurityGroups",
      Effect: "Allow",
      Action: [
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupIngress",
        "ec2:DeleteSecurityGroup",
        "ec2:CreateTags",
        "ec2:DeleteTags",
      ],
      Resource: "*",
      Condition: ownedByCluster,
    },
    {
      Sid: "CreateOwnedLoadBalancers",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:CreateLoadBalancer",
        "elasticloadbalancing:CreateTargetGroup",
        "elasticloadbalancing:AddTags",
      ],
      Resource: "*",
      Condition: requestForCluster,
    },
    {
      Sid: "ChangeOwnedLoadBalancers",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:ModifyLoadBalancerAttributes",
        "elasticloadbalancing:SetIpAddressType",
        "elasticloadbalancing:SetSecurityGroups",
        "elasticloadbalancing:SetSubnets",
        "elasticloadbalancing:DeleteLoadBalancer",
        "elasticloadbalancing:ModifyTargetGroup",
        "elasticloadbalancing:ModifyTargetGroupAttributes",
        "elasticloadbalancing:DeleteTargetGroup",
        "elasticloadbalancing:RegisterTargets",
        "elasticloadbalancing:DeregisterTargets",
        "elasticloadbalancing:AddTags",
        "elasticloadbalancing:RemoveTags",
      ],
      Resource: "*",
      Condition: ownedByCluster,
    },
    {
      // Listeners carry no tag of their own until created; the load balancer they attach to is the owned one.
      Sid: "Listeners",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:CreateListener",
        "elasticloadbalancing:DeleteListener",
        "elasticloadbalancing:ModifyListener",
        "elasticloadbalancing:ModifyListenerAttributes",
      ],
      Resource: "*",
    },
  );
}

/**
 * cert-manager's DNS-01 solver: TXT records named _acme-challenge.* in the one hosted zone, reading that zone's
 * records, and polling its own changes (GetChange takes no zone). ListHostedZonesByName is left out: the issuer
 * names the zone id.
 */
export function route53Dns01Policy(hostedZoneId: string): PolicyDocument {
  const zone = `arn:aws:route53:::hostedzone/${hostedZoneId}`;
  return doc(
    { Sid: "PollChanges", Effect: "Allow", Action: "route53:GetChange", Resource: "arn:aws:route53:::change/*" },
    { Sid: "ReadZoneRecords", Effect: "Allow", Action: "route53:ListResourceRecordSets", Resource: zone },
    {
      Sid: "WriteChallengeRecords",
      Effect: "Allow",
      Action: "route53:ChangeResourceRecordSets",
      Resource: zone,
      Condition: {
        "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"] },
        "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["_acme-challenge.*"] },
      },
    },
  );
}
