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
  "aws:eks/addon:Addon":
    "Installs AWS-managed cluster add-ons (VPC CNI, EBS CSI); their IAM roles are checked by aws-iam-least-privilege.",
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
    "The cluster's OIDC issuer for IRSA; the roles that trust it are checked by aws-iam-least-privilege.",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration":
    "Expires noncurrent versions after the configured days; retention of data is a business setting, not a " +
    "security control.",
};
