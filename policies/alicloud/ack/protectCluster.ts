import type { ManagedKubernetesArgs } from "@pulumi/alicloud/cs";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

export const alicloudAckDeletionProtection: WarblerResourcePolicy = {
  id: "alicloud-ack-deletion-protection",
  name: "ACK clusters are protected from deletion",
  target: "alicloud",
  what: "Every ACK managed cluster should have deletion protection on.",
  why: "Deleting the cluster by mistake stops the IM service and destroys its in-cluster state.",
  fix: "Set 'deletionProtection: true' on the cluster.",
  severity: "low",
  enforcementLevel: "advisory",
  controls: ["ISO27001-A.8.32", "SOC2-CC8.1", "MLPS-8.1.4.9"],
  resourceTypes: ["alicloud:cs/managedKubernetes:ManagedKubernetes"],
  validateResource: forTypes<ManagedKubernetesArgs>(
    ["alicloud:cs/managedKubernetes:ManagedKubernetes"],
    (c, _args, report) => {
      if (c.deletionProtection !== true) report("deletionProtection is not true");
    },
  ),
};
