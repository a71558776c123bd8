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
    "Diffie-Hellman group 14 or stronger.",
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
    // The pre-shared key lives inside ikeConfig, so a saved offline plan holds the whole object as
    // "[secret]" (Pulumi marks the top-level property secret). The engine hands policies the real
    // value; offline, only ipsecConfig can be judged, and the failover link's IKE proposal is
    // asserted by its own unit tests.
    const ikeRedacted = (c.ikeConfig as unknown) === REDACTED;
    const ike = ikeRedacted ? {} : (c.ikeConfig ?? {});
    const ipsec = c.ipsecConfig ?? {};
    if (!ikeRedacted && ike.ikeVersion !== "ikev2")
      report(`ikeConfig.ikeVersion (${JSON.stringify(ike.ikeVersion ?? "unset, which means ikev1")}) must be "ikev2"`);
    const ikeChecks: [string, unknown, readonly string[]][] = [
      ["ikeConfig.ikeEncAlg", ike.ikeEncAlg, strongEncryption],
      ["ikeConfig.ikeAuthAlg", ike.ikeAuthAlg, strongIntegrity],
      ["ikeConfig.ikePfs", ike.ikePfs, strongDhGroups],
    ];
    const checks: [string, unknown, readonly string[]][] = [
      ...(ikeRedacted ? [] : ikeChecks),
      ["ipsecConfig.ipsecEncAlg", ipsec.ipsecEncAlg, strongEncryption],
      ["ipsecConfig.ipsecAuthAlg", ipsec.ipsecAuthAlg, strongIntegrity],
      ["ipsecConfig.ipsecPfs", ipsec.ipsecPfs, strongDhGroups],
    ];
    for (const [path, value, strong] of checks) {
      const weak = weakChoices(value, strong);
      if (weak === undefined) report(`${path} is not set; the service default is weak`);
      else if (weak.length > 0) report(`${path} is ${weak.join(", ")}`);
    }
  }),
};
