/**
 * Azure resource types the kits and charts create that no policy
 * evaluates, each with the reason a reviewer accepted (see policies/coverage.ts).
 */
export const reviewedTypes: Readonly<Record<string, string>> = {
  "azure-native:network:LocalNetworkGateway":
    "The peer cloud's VPN endpoint address; the connection's crypto is checked by azure-vpn-strong-crypto.",
  "azure-native:network:VirtualNetworkGateway":
    "The VNet's VPN endpoint; the connection's crypto is checked by azure-vpn-strong-crypto.",
  "azure-native:dbforpostgresql:Database":
    "A database inside a server whose encryption, TLS and exposure are checked on the server.",
  "azure-native:managedidentity:FederatedIdentityCredential":
    "Binds one Kubernetes ServiceAccount to an identity; the identity's grants are checked by " +
    "azure-role-assignment-least-privilege.",
  "azure-native:network:PrivateDnsZoneGroup": "DNS records for private endpoints; holds no data or access settings.",
  "azure-native:network:PrivateEndpoint": "Private endpoints reduce exposure; they have nothing to weaken.",
  "azure-native:network:Subnet":
    "Address ranges; exposure is governed by the resources' public-access settings and NSGs.",
  "azure-native:operationalinsights:Table":
    "Retention settings of Log Analytics tables that hold the audit logs collected by azure-aks-audit-logging.",
  "azure-native:privatedns:PrivateZone": "Private DNS for private endpoints; not reachable from the internet.",
  "azure-native:privatedns:VirtualNetworkLink":
    "Links a private DNS zone to the VNet; holds no data or access settings.",
  "azure-native:storage:BlobServiceProperties":
    "Soft delete and versioning of blobs; recovery settings, not a security boundary.",
  "azure-native:storage:ManagementPolicy": "Lifecycle rules of the storage account; retention is a business setting.",
  "random:index/randomString:RandomString":
    "The random per-instance part of the Key Vault's name (components/azure/key.ts); not a credential.",
};
