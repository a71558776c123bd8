/**
 * AWS resource types the kits and charts create that no policy
 * evaluates, each with the reason a reviewer accepted (see policies/coverage.ts).
 */
export const reviewedTypes: Readonly<Record<string, string>> = {
  "aws:ec2/customerGateway:CustomerGateway":
    "The peer cloud's VPN endpoint address; the tunnel's crypto is checked by aws-vpn-strong-crypto.",
  "aws:ec2/vpnGateway:VpnGateway": "The VPC's VPN endpoint; the tunnel's crypto is checked by aws-vpn-strong-crypto.",
  "aws:ec2/vpnConnectionRoute:VpnConnectionRoute":
    "Routes the peer cloud's private range over the tunnel; opens nothing to the internet.",
  "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation":
    "Propagates VPN routes into route tables; opens nothing to the internet.",
  "aws:route53/healthCheck:HealthCheck": "Checks the public ingress endpoints for DNS failover; holds no data.",
  "aws:route53/record:Record": "Public DNS names of the IM ingress; holds no data.",
  "aws:ec2/route:Route": "Routing only; exposure is governed by security groups and the private endpoint policies.",
  "aws:ec2/routeTableAssociation:RouteTableAssociation":
    "Attaches a route table to a subnet; holds no data or access settings.",
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
    "The cluster's OIDC issuer for IRSA; the roles that trust it are checked by aws-iam-least-privilege.",
  "aws:s3/bucketLogging:BucketLogging":
    "Turns on server access logging of the files bucket into the log bucket; that bucket's encryption, public " +
    "access block and TLS policy are checked like every bucket's.",
  "aws:ec2/tag:Tag":
    "Tags the EKS cluster security group for the load balancer controller's tag-scoped IAM policy; grants nothing " +
    "by itself.",
  "aws:ec2/vpcEndpoint:VpcEndpoint":
    "Keeps the nodes' AWS API calls (S3, ECR, STS, EC2, logs) inside the VPC; interface endpoints admit only the " +
    "VPC range through a security group checked by aws-ec2-security-group-ingress.",
  "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl":
    "Adopts the VPC's default network ACL to deny SSH and RDP from anywhere (CIS AWS Foundations 5.1) before " +
    "the allow-all AWS puts there; security groups remain the filter.",
  "aws:eks/accessEntry:AccessEntry":
    "Lets a configured IAM principal authenticate to the cluster (warbler:cluster.adminPrincipals); the " +
    "cluster's authentication mode is checked with the cluster.",
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation":
    "Grants a configured admin principal the EKS cluster admin access policy; who is listed is the operator's " +
    "decision in warbler:cluster.adminPrincipals.",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration":
    "Expires noncurrent versions after the configured days; retention of data is a business setting, not a " +
    "security control.",
};
