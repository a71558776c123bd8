import { readFileSync } from "node:fs";
import { kitFor } from "../../components/kits";
import type { ProviderMocks } from "../../components/mock-types";
import { clouds } from "../../config/clouds";
import { fakeId } from "../../lib/fake-id";

/**
 * Names a JSON file of `{ <stack>: <outputs> }` from stacks planned earlier in
 * the same `warbler plan` run (set by planStack for the global stack).
 */
import { PEER_OUTPUTS_ENV } from "../peers";

/** Outputs that are secrets in a real platform stack (and so in a StackReference). */
const SECRET_OUTPUTS = ["kubeconfig", "databasePassword", "vpnPresharedKey", "imAdminPasswords"];

/** A stable documentation-range address (RFC 5737) per stack and purpose. */
function fakeIp(stack: string, purpose: string): string {
  const n = parseInt(fakeId("", `${stack}/${purpose}`, 4), 16);
  return `203.0.113.${(n % 250) + 2}`;
}

/**
 * Realistic outputs of a platform stack, for the parts of an offline plan
 * that read another stack (the global stack, a failover peer). Load balancer
 * addresses are IPv4 from the documentation range, as Azure and Alibaba
 * load balancers give them, unless the cloud's kit says otherwise in
 * `mocks.stackOutputs` (an AWS stack exports its NLBs' host names).
 */
export function fabricatedOutputs(stack: string): Record<string, unknown> {
  // A stack is named after its cloud (aws, azure-standby); any other name is taken for the first cloud's.
  const cloud = clouds.find((c) => stack === c || stack.startsWith(`${c}-`)) ?? clouds[0];
  return {
    cloud,
    imIngressAddress: fakeIp(stack, "ingress"),
    imClientAddress: fakeIp(stack, "clients"),
    databasePort: 5432,
    databaseName: "ejabberd",
    databaseUser: "warbler_admin",
    databasePassword: "offline-plan-placeholder",
    vpnGatewayIp: fakeIp(stack, "vpn"),
    vpnPresharedKey: "offline-plan-placeholder",
    bucketName: `warbler-${stack}-files`,
    ...kitFor(cloud).mocks.stackOutputs(stack),
  };
}

/**
 * The referenced stack's outputs: those of the same plan run where that stack
 * was planned first (real planned values), the rest (secrets, and addresses
 * unknown before deploy) fabricated. Nothing is read from earlier runs, so a
 * plan depends only on its inputs.
 */
export function referencedOutputs(
  name: string,
  peers: Record<string, Record<string, unknown>> = peerOutputs(),
): Record<string, unknown> {
  const stack = name.split("/").at(-1) ?? name;
  const outputs = fabricatedOutputs(stack);
  for (const [key, value] of Object.entries(peers[stack] ?? {})) {
    const usable =
      value !== undefined &&
      value !== null &&
      value !== "" &&
      value !== "[secret]" &&
      !(typeof value === "string" && value.includes("[unknown]"));
    if (usable) outputs[key] = value;
  }
  return outputs;
}

function peerOutputs(): Record<string, Record<string, unknown>> {
  const file = process.env[PEER_OUTPUTS_ENV];
  return file ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, Record<string, unknown>>) : {};
}

export const stackReferenceMocks: ProviderMocks = {
  resources: {
    "pulumi:pulumi:StackReference": ({ inputs, name }) => {
      const stack = String(inputs.name ?? name);
      const outputs = referencedOutputs(stack);
      return {
        id: stack,
        state: { name: stack, outputs, secretOutputNames: SECRET_OUTPUTS.filter((k) => k in outputs) },
      };
    },
  },
  calls: {},
};
