import type { SecurityGroupArgs, SecurityGroupRuleArgs } from "@pulumi/aws/ec2";
import type { SecurityGroupIngressRuleArgs } from "@pulumi/aws/vpc";
import { defaultPublicPorts, type IngressRule, openToInternet } from "../../common/publicPorts";
import { configOf, forTypes, type WarblerResourcePolicy } from "../../policy";

const types = [
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ec2/securityGroupRule:SecurityGroupRule",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
];

export const awsSecurityGroupIngress: WarblerResourcePolicy = {
  id: "aws-ec2-security-group-ingress",
  name: "Security groups open only the IM ports to the internet",
  target: "aws",
  what:
    "No security group rule may admit traffic from the whole internet (0.0.0.0/0 or ::/0) except on the ports " +
    "the IM service offers publicly (by default 80, 443, 3478, 5222, 5223, 5269 and 5349). Administration ports " +
    "such as SSH (22), RDP (3389) and PostgreSQL (5432) are never among them.",
  why:
    "Every port open to the internet is attack surface. Databases, node SSH and the Kubernetes API must only be " +
    "reachable from inside the private network.",
  fix:
    "Remove the rule or restrict its source to the VPC CIDR or a security group; if the IM service really " +
    "offers another port publicly, add it to this policy's 'allowedPublicPorts'.",
  severity: "critical",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.20",
    "ISO27001-A.8.22",
    "SOC2-CC6.6",
    "PCI-1.3.1",
    "PCI-1.4.1",
    "GDPR-32",
    "CIS-AWS-SG-ADMIN-PORTS",
    "MLPS-8.1.3.2",
  ],
  resourceTypes: types,
  configSchema: {
    properties: {
      allowedPublicPorts: {
        type: "array",
        items: { type: "integer" },
        default: defaultPublicPorts,
        description: "Ports that may be open to 0.0.0.0/0.",
      },
    },
  },
  validateResource: forTypes<SecurityGroupArgs & SecurityGroupRuleArgs & SecurityGroupIngressRuleArgs>(
    types,
    (p, args, report) => {
      const { allowedPublicPorts } = configOf<{ allowedPublicPorts: number[] }>(awsSecurityGroupIngress, args);
      const rules: IngressRule[] = [];
      if (args.type === "aws:ec2/securityGroup:SecurityGroup") {
        for (const r of p.ingress ?? []) {
          rules.push({
            from: r.fromPort,
            to: r.toPort,
            protocol: String(r.protocol),
            cidrs: [...(r.cidrBlocks ?? []), ...(r.ipv6CidrBlocks ?? [])],
          });
        }
      } else if (args.type === "aws:ec2/securityGroupRule:SecurityGroupRule") {
        if (p.type !== "ingress") return;
        rules.push({
          from: p.fromPort ?? 0,
          to: p.toPort ?? 65535,
          protocol: String(p.protocol),
          cidrs: [...(p.cidrBlocks ?? []), ...(p.ipv6CidrBlocks ?? [])],
        });
      } else {
        rules.push({
          from: p.fromPort ?? 0,
          to: p.toPort ?? 65535,
          protocol: String(p.ipProtocol),
          cidrs: [p.cidrIpv4, p.cidrIpv6].filter((c): c is string => !!c),
        });
      }
      for (const rule of rules) {
        const problem = openToInternet(rule, allowedPublicPorts);
        if (problem) report(problem);
      }
    },
  ),
};
