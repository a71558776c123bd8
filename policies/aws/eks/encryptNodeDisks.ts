import type { LaunchTemplateArgs } from "@pulumi/aws/ec2";
import type { NodeGroupArgs } from "@pulumi/aws/eks";
import { forTypes, type WarblerResourcePolicy } from "../../policy";
import { isOn, isSet } from "../../props";

const types = ["aws:eks/nodeGroup:NodeGroup", "aws:ec2/launchTemplate:LaunchTemplate"];

export const awsNodeDiskEncryption: WarblerResourcePolicy = {
  id: "aws-eks-node-disk-encryption",
  name: "EKS node disks are encrypted with a customer-managed key",
  target: "aws",
  what:
    "Every EKS managed node group must use a launch template, and every disk in a launch template must be " +
    "encrypted with a customer-managed KMS key.",
  why:
    "Node disks hold container images, logs and the contents of emptyDir volumes, which can include message " +
    "data in transit through the IM server. A node group without a launch template gets disks encrypted only by " +
    "the account default, which may be off or use an AWS-managed key you cannot revoke.",
  fix:
    "Give the node group a 'launchTemplate' whose 'blockDeviceMappings[].ebs' set 'encrypted: \"true\"' and " +
    "'kmsKeyId' to the platform key (the Warbler AWS kit does this).",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.24", "SOC2-CC6.1", "PCI-3.5.1", "GDPR-32", "CIS-AWS-EBS-ENCRYPTION", "MLPS-8.1.4.8"],
  resourceTypes: types,
  validateResource: forTypes<NodeGroupArgs & LaunchTemplateArgs>(types, (props, args, report) => {
    if (args.type === "aws:eks/nodeGroup:NodeGroup") {
      if (!isSet(props.launchTemplate?.id) && !isSet(props.launchTemplate?.name)) {
        report("the node group has no launch template, so its disks are not encrypted with the platform key");
      }
      return;
    }
    const mappings = props.blockDeviceMappings ?? [];
    if (mappings.length === 0)
      return report("the launch template defines no block device mappings; set the root volume with encryption");
    mappings.forEach((m, i) => {
      if (!isOn(m.ebs?.encrypted)) report(`blockDeviceMappings[${i}] (${m.deviceName ?? "?"}) is not encrypted`);
      else if (!isSet(m.ebs?.kmsKeyId))
        report(`blockDeviceMappings[${i}] (${m.deviceName ?? "?"}) uses the AWS-managed key; set kmsKeyId`);
    });
  }),
};
