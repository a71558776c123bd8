import type { Unwrap } from "@pulumi/pulumi";
import { configOf, forTypes, type PolicyText, textOf, type WarblerResourcePolicy } from "../policy";
import { cidrAllowed, isAnywhere } from "../props";
import { type Switch, switchProblem } from "./settings";

/** What one cloud's API-endpoint rule needs besides its words. */
export interface ApiEndpoint<TArgs> extends Omit<PolicyText, "why"> {
  /** The cloud's CIS control for a private API server. */
  readonly cisControl: string;
  /** The managed cluster's type token. */
  readonly type: string;
  /** The sources the public endpoint admits, [] when there is none, with the cloud's defaults for unset inputs. */
  readonly publicSources: (cluster: Partial<Unwrap<TArgs>>) => readonly string[];
  /** Whether the cloud can limit the public endpoint to source CIDRs; only then may the pack config allow-list some. */
  readonly allowList: boolean;
  /** How to close or narrow the public endpoint, for the message. */
  readonly remedy: string;
  /** Settings of the private side that must hold their safe value. @default [] */
  readonly switches?: readonly Switch<Partial<Unwrap<TArgs>>>[];
}

/** Every cloud's rule gives this reason, in the words auditors signed off. */
const why =
  "The API server controls every workload and secret in the cluster. " +
  "Exposing it to the internet invites credential-stuffing and exploits of API server vulnerabilities.";

/** The Kubernetes API server controls every workload and secret, so it stays off the internet. */
export function apiEndpointPolicy<TArgs>(c: ApiEndpoint<TArgs>): WarblerResourcePolicy {
  const policy: WarblerResourcePolicy = {
    ...textOf({ ...c, why }),
    severity: "high",
    enforcementLevel: "mandatory",
    controls: [
      "ISO27001-A.8.20",
      "ISO27001-A.8.22",
      "SOC2-CC6.6",
      "PCI-1.3.1",
      "PCI-1.4.1",
      c.cisControl,
      "MLPS-8.1.3.1",
    ],
    resourceTypes: [c.type],
    ...(c.allowList
      ? {
          configSchema: {
            properties: {
              allowedCidrs: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "CIDRs a public API endpoint may be opened to.",
              },
            },
          },
        }
      : {}),
    validateResource: forTypes<TArgs>([c.type], (cluster, args, report) => {
      for (const s of c.switches ?? []) {
        const problem = switchProblem(s, cluster);
        if (problem) report(problem);
      }
      const allowed = c.allowList ? configOf<{ allowedCidrs: string[] }>(policy, args).allowedCidrs : [];
      const open = c.publicSources(cluster).filter((cidr) => isAnywhere(cidr) || !cidrAllowed(cidr, allowed));
      if (open.length === 0) return;
      const list = c.allowList ? ` outside the allow-list (${allowed.join(", ") || "empty"})` : "";
      report(`the public API endpoint is open to ${open.join(", ")}${list}; ${c.remedy}`);
    }),
  };
  return policy;
}
