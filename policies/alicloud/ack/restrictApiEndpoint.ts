import type { ManagedKubernetesArgs } from "@pulumi/alicloud/cs";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

export const alicloudAckPrivateEndpoint: WarblerResourcePolicy = {
  id: "alicloud-ack-private-endpoint",
  name: "ACK API server has no internet-facing endpoint",
  target: "alicloud",
  what: "Every ACK managed cluster must expose its API server only inside the VPC: no internet-facing SLB for the API. (InfraGuard ack-cluster-public-endpoint-check.) ACK cannot restrict that endpoint to source CIDRs in the cluster resource, so there is no allow-list on this cloud.",
  why: "The API server controls every workload and secret in the cluster. Exposing it to the internet invites credential-stuffing and exploits of API server vulnerabilities.",
  fix: "Set 'slbInternetEnabled: false' (the provider turns it on when unset); administrators reach the API over VPN, a bastion or Cloud Enterprise Network.",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.20", "ISO27001-A.8.22", "SOC2-CC6.6", "PCI-1.3.1", "PCI-1.4.1", "CIS-ALI-ACK-PRIVATE", "MLPS-8.1.3.1"],
  resourceTypes: ["alicloud:cs/managedKubernetes:ManagedKubernetes"],
  validateResource: forTypes<ManagedKubernetesArgs>(["alicloud:cs/managedKubernetes:ManagedKubernetes"], (c, _args, report) => {
    if (c.slbInternetEnabled !== false) report(`slbInternetEnabled (${JSON.stringify(c.slbInternetEnabled ?? "unset, which means true")}) must be false`);
  }),
};
