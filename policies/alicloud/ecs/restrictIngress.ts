import type { SecurityGroupRuleArgs } from "@pulumi/alicloud/ecs";
import { defaultPublicPorts, openToInternet } from "../../common/publicPorts";
import { configOf, forTypes, type WarblerResourcePolicy } from "../../policy";

/** "22/22", "1/65535", "-1/-1" → [from, to]. */
function portRange(range: string | undefined): [number, number] {
  const m = /^(-?\d+)\/(-?\d+)$/.exec(range ?? "-1/-1");
  const from = Number(m?.[1] ?? -1);
  const to = Number(m?.[2] ?? -1);
  return from < 0 ? [0, 65535] : [from, to];
}

/** The port Envoy Gateway's pods serve a 443 listener on (privileged listener port + 10000). */
const envoyPodPort = 10443;

/** Where TURN servers take relay ports from: "the range 49152 - 65535" (RFC 8656, section 3.3). */
const TURN_RELAY_RANGE = [49152, 65535] as const;

export const alicloudSecurityGroupIngress: WarblerResourcePolicy = {
  id: "alicloud-ecs-security-group-ingress",
  name: "Security groups open only the IM ports to the internet",
  target: "alicloud",
  what:
    "No security group rule may accept traffic from 0.0.0.0/0 except on the ports the IM service offers " +
    "publicly (by default 80, 443, 3478, 5222, 5223, 5269 and 5349, and 10443, where the edge's Envoy pods serve " +
    "443) and, over UDP, TURN relay ports in the dynamic range 49152-65535 (RFC 8656 section 3.3); SSH (22), RDP " +
    "(3389) and database ports are never among them. (Checkov CKV_ALI_2, CKV_ALI_3; InfraGuard " +
    "ecs-security-group-risky-ports-check-with-protocol, ecs-security-group-not-internet-cidr-access.)",
  why:
    "Every port open to the internet is attack surface. Databases, node SSH and the Kubernetes API must only be " +
    "reachable from inside the VPC.",
  fix:
    "Remove the rule or restrict 'cidrIp' to the VPC CIDR; if the IM service really offers another port " +
    "publicly, add it to this policy's 'allowedPublicPorts'.",
  severity: "critical",
  enforcementLevel: "mandatory",
  controls: [
    "ISO27001-A.8.20",
    "ISO27001-A.8.22",
    "SOC2-CC6.6",
    "PCI-1.3.1",
    "PCI-1.4.1",
    "GDPR-32",
    "CIS-ALI-SG-ADMIN-PORTS",
    "MLPS-8.1.3.2",
  ],
  resourceTypes: ["alicloud:ecs/securityGroupRule:SecurityGroupRule"],
  configSchema: {
    properties: {
      allowedPublicPorts: {
        type: "array",
        items: { type: "integer" },
        default: [...defaultPublicPorts, envoyPodPort],
        description: "Ports that may be open to 0.0.0.0/0.",
      },
    },
  },
  validateResource: forTypes<SecurityGroupRuleArgs>(
    ["alicloud:ecs/securityGroupRule:SecurityGroupRule"],
    (rule, args, report) => {
      if (rule.type !== "ingress" || rule.policy === "drop") return;
      const { allowedPublicPorts } = configOf<{ allowedPublicPorts: number[] }>(alicloudSecurityGroupIngress, args);
      const [from, to] = portRange(rule.portRange);
      const protocol = rule.ipProtocol === "all" ? "-1" : String(rule.ipProtocol);
      const relay = protocol.toLowerCase() === "udp" && from >= TURN_RELAY_RANGE[0] && to <= TURN_RELAY_RANGE[1];
      if (relay) return;
      const problem = openToInternet({ from, to, protocol, cidrs: [rule.cidrIp ?? ""] }, allowedPublicPorts);
      if (problem) report(problem);
    },
  ),
};
