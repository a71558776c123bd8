/**
 * Alibaba Cloud resource types the kits and charts create that no policy
 * evaluates, each with the reason a reviewer accepted (see policies/coverage.ts).
 */
export const reviewedTypes: Readonly<Record<string, string>> = {
  "alicloud:vpn/customerGateway:CustomerGateway":
    "The peer cloud's VPN endpoint address; the connection's crypto is checked by alicloud-vpn-strong-crypto.",
  "alicloud:vpn/gateway:Gateway":
    "The VPC's VPN endpoint; the connection's crypto is checked by alicloud-vpn-strong-crypto.",
  "alicloud:vpn/routeEntry:RouteEntry":
    "Routes the peer cloud's private range over the tunnel; opens nothing to the internet.",
  "alicloud:ecs/eipAssociation:EipAssociation": "Attaches the NAT gateway's elastic IP; outbound only.",
  "alicloud:ram/accessKey:AccessKey":
    "Only when DNS-01 uses Alibaba Cloud DNS: the alidns webhook's key pair, needed because that webhook cannot " +
    "use RRSA; its user's one grant (the records of the one zone) is checked by alicloud-ram-least-privilege, and " +
    "the secret is a Pulumi secret that reaches only cert-manager's Secret. The bucket has no key pair: RRSA only.",
  "alicloud:kms/alias:Alias": "A readable name for the KMS key, which kms policies check.",
  "alicloud:rds/database:Database":
    "A database inside an instance whose encryption, SSL and exposure are checked on the instance.",
  "alicloud:rds/rdsAccount:RdsAccount":
    "The application's database account; its password is generated and kept as a Pulumi secret.",
  "alicloud:vpc/snatEntry:SnatEntry": "Outbound NAT for private vSwitches; opens nothing inbound.",
  "alicloud:cs/autoscalingConfig:AutoscalingConfig":
    "The cluster autoscaler's thresholds; it scales only the node pools whose hardening and encryption are checked.",
};
