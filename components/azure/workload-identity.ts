import * as pulumi from "@pulumi/pulumi";
import { FederatedIdentityCredential } from "@pulumi/azure-native/managedidentity/federatedIdentityCredential";
import { imWorkload, type WorkloadIdentity } from "../contract";
import { AzureIdentity } from "./identity";
import type { AzurePlacement } from "./placement";

/** The ServiceAccount subject Kubernetes puts in the tokens of the IM workload. */
export const imSubject = `system:serviceaccount:${imWorkload.namespace}:${imWorkload.serviceAccount}`;

export interface AzureWorkloadIdentityArgs extends AzurePlacement {
  /** The cluster's OIDC issuer URL. @default - none, required */
  issuerUrl: pulumi.Input<string>;
  /** Subscription of the role definitions. @default - none, required */
  subscriptionId: pulumi.Input<string>;
  /** Entra tenant, for the ServiceAccount annotation. @default - none, required */
  tenantId: pulumi.Input<string>;
  /** Resource id of the upload container: Storage Blob Data Contributor there only. @default - none, required */
  containerId: pulumi.Input<string>;
  /** Resource id of the key: Key Vault Crypto User on it only. @default - none, required */
  keyResourceId: pulumi.Input<string>;
}

/**
 * Azure AD workload identity for the IM workload: a user-assigned identity
 * that trusts exactly the `ejabberd` ServiceAccount of `warbler-im` on this
 * cluster, with data access to the upload container and the key, nothing else.
 */
export class AzureWorkloadIdentity extends pulumi.ComponentResource {
  readonly identity: WorkloadIdentity;
  readonly clientId: pulumi.Output<string>;

  constructor(name: string, args: AzureWorkloadIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:azure:WorkloadIdentity", name, {}, opts);
    const identity = new AzureIdentity(
      `${name}-im`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
        subscriptionId: args.subscriptionId,
        grants: [
          { name: "uploads", role: "storageBlobDataContributor", scope: args.containerId },
          { name: "key", role: "keyVaultCryptoUser", scope: args.keyResourceId },
        ],
      },
      { parent: this },
    );
    new FederatedIdentityCredential(
      `${name}-federation`,
      {
        resourceGroupName: args.resourceGroupName,
        resourceName: identity.name,
        issuer: args.issuerUrl,
        subject: imSubject,
        audiences: ["api://AzureADTokenExchange"],
      },
      { parent: this },
    );
    this.clientId = identity.clientId;
    this.identity = {
      kind: "azure-workload-identity",
      serviceAccountAnnotations: {
        "azure.workload.identity/client-id": identity.clientId,
        "azure.workload.identity/tenant-id": pulumi.output(args.tenantId),
      },
      podLabels: { "azure.workload.identity/use": "true" },
      namespaceLabels: {},
    };
    this.registerOutputs({ clientId: this.clientId });
  }
}
