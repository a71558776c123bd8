import type { ConnectionArgs } from "@pulumi/alicloud/vpn";
import { strongDhGroups, strongEncryption, strongIntegrity, vpnControls, weakChoices } from "../../common/vpnCrypto";
import { forTypes, type WarblerResourcePolicy } from "../../policy";
import { REDACTED } from "../../props";

const TYPE = "alicloud:vpn/connection:Connection";

export const alicloudVpnStrongCrypto: WarblerResourcePolicy = {
  id: "alicloud-vpn-strong-crypto",
  name: "VPN connections use IKEv2 and only strong algorithms",
  target: "alicloud",
  what:
    "Every VPN Gateway IPsec connection must use IKEv2 and pin IKE and IPsec to AES-256, SHA-2 and " +
    "Diffie-Hellman group 14 or stronger, on each tunnel of a dual-tunnel connection.",
  why:
    "The cross-cloud link carries database replication and file copies between clouds; MLPS level 3 requires " +
    "confidentiality of data in transit, and the service defaults (IKEv1, AES-128, SHA-1, group 2) are not " +
    "strong enough.",
  fix:
    'Set \'ikeConfig: { ikeVersion: "ikev2", ikeEncAlg: "aes256", ikeAuthAlg: "sha256", ikePfs: "group14" }\' ' +
    'and \'ipsecConfig: { ipsecEncAlg: "aes256", ipsecAuthAlg: "sha256", ipsecPfs: "group14" }\' (the Warbler ' +
    "failover link does this).",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: vpnControls,
  resourceTypes: [TYPE],
  validateResource: forTypes<ConnectionArgs>([TYPE], (c, _args, report) => {
    // A dual-tunnel connection carries its proposals per tunnel; a single-tunnel one at the top level. Each tunnel
    // holds its pre-shared key, so a saved offline plan redacts the whole list: only the engine, which hands policies
    // the real value, can judge it there; the failover link's tunnels are asserted by their own unit tests.
    if ((c.tunnelOptionsSpecifications as unknown) === REDACTED) return;
    const tunnels = Array.isArray(c.tunnelOptionsSpecifications) ? c.tunnelOptionsSpecifications : undefined;
    if (tunnels === undefined) {
      checkProposals("", c.ikeConfig, c.ipsecConfig, report);
      return;
    }
    for (const [i, t] of tunnels.entries()) {
      const names = { ike: "IkeConfig", ipsec: "IpsecConfig" };
      checkProposals(
        `tunnelOptionsSpecifications[${i}].tunnel`,
        t?.tunnelIkeConfig,
        t?.tunnelIpsecConfig,
        report,
        names,
      );
    }
  }),
};

type Proposal = Record<string, unknown> | undefined;

/** Reports every weak or unset choice of one IKE and IPsec proposal pair. */
function checkProposals(
  prefix: string,
  ikeConfig: unknown,
  ipsecConfig: unknown,
  report: (message: string) => void,
  names = { ike: "ikeConfig", ipsec: "ipsecConfig" },
): void {
  // The pre-shared key lives inside the IKE config, so a saved offline plan holds the whole object as
  // "[secret]" (Pulumi marks the property secret). The engine hands policies the real value; offline, only the
  // IPsec config can be judged, and the failover link's IKE proposal is asserted by its own unit tests.
  const ikeRedacted = ikeConfig === REDACTED;
  const ike = (ikeRedacted ? {} : (ikeConfig ?? {})) as NonNullable<Proposal>;
  const ipsec = (ipsecConfig === REDACTED ? {} : (ipsecConfig ?? {})) as NonNullable<Proposal>;
  const ikePath = `${prefix}${names.ike}`;
  const ipsecPath = `${prefix}${names.ipsec}`;
  if (!ikeRedacted && ike.ikeVersion !== "ikev2")
    report(`${ikePath}.ikeVersion (${JSON.stringify(ike.ikeVersion ?? "unset, which means ikev1")}) must be "ikev2"`);
  const ikeChecks: [string, unknown, readonly string[]][] = [
    [`${ikePath}.ikeEncAlg`, ike.ikeEncAlg, strongEncryption],
    [`${ikePath}.ikeAuthAlg`, ike.ikeAuthAlg, strongIntegrity],
    [`${ikePath}.ikePfs`, ike.ikePfs, strongDhGroups],
  ];
  const checks: [string, unknown, readonly string[]][] = [
    ...(ikeRedacted ? [] : ikeChecks),
    ...(ipsecConfig === REDACTED
      ? []
      : ([
          [`${ipsecPath}.ipsecEncAlg`, ipsec.ipsecEncAlg, strongEncryption],
          [`${ipsecPath}.ipsecAuthAlg`, ipsec.ipsecAuthAlg, strongIntegrity],
          [`${ipsecPath}.ipsecPfs`, ipsec.ipsecPfs, strongDhGroups],
        ] as [string, unknown, readonly string[]][])),
  ];
  for (const [path, value, strong] of checks) {
    const weak = weakChoices(value, strong);
    if (weak === undefined) report(`${path} is not set; the service default is weak`);
    else if (weak.length > 0) report(`${path} is ${weak.join(", ")}`);
  }
}
