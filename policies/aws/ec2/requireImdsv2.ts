import type { LaunchTemplateArgs } from "@pulumi/aws/ec2";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

export const awsEc2Imdsv2: WarblerResourcePolicy = {
  id: "aws-ec2-imdsv2",
  name: "Nodes require IMDSv2 with a one-hop limit",
  target: "aws",
  what:
    "Every launch template must require session tokens for the instance metadata service (IMDSv2) and limit " +
    "responses to one or two network hops.",
  why:
    "The metadata service hands out the node's AWS credentials. With IMDSv1, or with a high hop limit, any pod " +
    "that can be tricked into making an HTTP request (server-side request forgery) can steal them.",
  fix:
    "Set 'metadataOptions: { httpTokens: \"required\", httpPutResponseHopLimit: 1 }' (2 at most) on the launch " +
    "template.",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: ["ISO27001-A.8.9", "ISO27001-A.8.2", "SOC2-CC6.1", "PCI-2.2.6", "CIS-AWS-IMDSV2", "MLPS-8.1.4.2"],
  resourceTypes: ["aws:ec2/launchTemplate:LaunchTemplate"],
  validateResource: forTypes<LaunchTemplateArgs>(["aws:ec2/launchTemplate:LaunchTemplate"], (lt, _args, report) => {
    const md = lt.metadataOptions ?? {};
    if (md.httpTokens !== "required")
      report(`metadataOptions.httpTokens (${JSON.stringify(md.httpTokens)}) must be "required"`);
    if (md.httpPutResponseHopLimit !== undefined && md.httpPutResponseHopLimit > 2) {
      report(`metadataOptions.httpPutResponseHopLimit (${md.httpPutResponseHopLimit}) must be 1 or 2`);
    }
  }),
};
