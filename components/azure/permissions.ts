import * as pulumi from "@pulumi/pulumi";

/** Built-in Azure role definition GUIDs (the same in every subscription and tenant). */
export const builtInRoles = {
  /** Wrap and unwrap with a key: what services using a CMK need, and nothing else. */
  keyVaultCryptoServiceEncryptionUser: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
  /** Cryptographic operations on keys: the AKS KMS plugin. */
  keyVaultCryptoUser: "12338af0-0e69-4776-bea7-57ae8d297424",
  /** Management-plane rights on the vault; AKS needs it to create its private endpoint to a private vault. */
  keyVaultContributor: "f25e0fa2-a7c8-4377-a976-54943a77a395",
  /**
   * Create and manage keys, rotation policies included: the deployer, whose `pulumi up` creates the key in an
   * RBAC-only vault (https://learn.microsoft.com/en-us/azure/key-vault/general/rbac-guide).
   */
  keyVaultCryptoOfficer: "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
  /**
   * Manage everything in a scope but access: the AKS cluster identity on the resource group that holds the disk
   * encryption set, as the BYOK guide asks (azure-disk-customer-managed-keys); that group holds nothing else.
   */
  contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  networkContributor: "4d97b98b-1d4f-4787-a291-c67834d212e7",
  aksRbacClusterAdmin: "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
  /** Manage a DNS zone's record sets, not access to it: cert-manager's DNS-01 solver, on the one zone. */
  dnsZoneContributor: "befefa01-2a29-4197-83a8-272ff33ce314",
} as const;

export type BuiltInRole = keyof typeof builtInRoles;

/** The subscription-scoped role definition id ARM expects in a role assignment. */
export function roleDefinitionId(subscriptionId: pulumi.Input<string>, role: BuiltInRole): pulumi.Output<string> {
  const definitions = "providers/Microsoft.Authorization/roleDefinitions";
  return pulumi.interpolate`/subscriptions/${subscriptionId}/${definitions}/${builtInRoles[role]}`;
}

/** ARM id of a public DNS zone, the scope of cert-manager's DNS Zone Contributor grant. */
export function dnsZoneId(subscriptionId: string, resourceGroup: string, zone: string): string {
  const group = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
  return `${group}/providers/Microsoft.Network/dnszones/${zone}`;
}
