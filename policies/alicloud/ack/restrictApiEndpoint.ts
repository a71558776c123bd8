import type { ManagedKubernetesArgs } from "@pulumi/alicloud/cs";
import { apiEndpointPolicy } from "../../common/apiEndpoint";

export const alicloudAckPrivateEndpoint = apiEndpointPolicy<ManagedKubernetesArgs>({
  id: "alicloud-ack-private-endpoint",
  name: "ACK API server has no internet-facing endpoint",
  target: "alicloud",
  what:
    "Every ACK managed cluster must expose its API server only inside the VPC: no internet-facing SLB for the " +
    "API. (InfraGuard ack-cluster-public-endpoint-check, which also accepts an ACL on the API server load " +
    "balancer's listener.) That ACL is set on the listener ACK creates, not on the cluster resource, so this " +
    "policy cannot see one and has no allow-list on this cloud.",
  fix:
    "Set 'slbInternetEnabled: false' (the provider turns it on when unset); administrators reach the API over " +
    "VPN, a bastion or Cloud Enterprise Network.",
  cisControl: "CIS-ALI-ACK-PRIVATE",
  type: "alicloud:cs/managedKubernetes:ManagedKubernetes",
  // The provider puts the API server behind an internet-facing SLB when slbInternetEnabled is unset.
  publicSources: (cluster) => (cluster.slbInternetEnabled === false ? [] : ["0.0.0.0/0"]),
  allowList: false,
  remedy: "set slbInternetEnabled: false",
});
