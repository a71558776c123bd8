import type { VpnConnectionArgs } from "@pulumi/aws/ec2";
import { strongDhGroups, strongEncryption, strongIntegrity, vpnControls, weakChoices } from "../../common/vpnCrypto";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

export const awsVpnStrongCrypto: WarblerResourcePolicy = {
  id: "aws-vpn-strong-crypto",
  name: "Site-to-site VPN tunnels use IKEv2 and only strong algorithms",
  target: "aws",
  what:
    "Both tunnels of every AWS site-to-site VPN connection must use IKEv2 only and must pin their phase 1 and " +
    "phase 2 proposals to AES-256, SHA-2 and Diffie-Hellman group 14 or stronger.",
  why:
    "The cross-cloud link carries database replication and file copies between clouds. AWS tunnels accept " +
    "IKEv1, AES-128, SHA-1 and 1024-bit DH group 2 unless told otherwise, so a peer could negotiate them down to " +
    "algorithms considered broken.",
  fix:
    'Set tunnelN IkeVersions to ["ikev2"] and tunnelN Phase1/Phase2 EncryptionAlgorithms ["AES256", ' +
    '"AES256-GCM-16"], IntegrityAlgorithms ["SHA2-256", "SHA2-384"] and DhGroupNumbers [14, 19, 20] on both ' +
    "tunnels.",
  severity: "high",
  enforcementLevel: "mandatory",
  controls: vpnControls,
  resourceTypes: ["aws:ec2/vpnConnection:VpnConnection"],
  validateResource: forTypes<VpnConnectionArgs>(["aws:ec2/vpnConnection:VpnConnection"], (vpn, _args, report) => {
    for (const n of [1, 2] as const) {
      const t = (key: string) => (vpn as Record<string, unknown>)[`tunnel${n}${key}`];
      const ike = (t("IkeVersions") as string[] | undefined) ?? [];
      if (ike.length !== 1 || ike[0] !== "ikev2")
        report(
          `tunnel${n}IkeVersions (${JSON.stringify(t("IkeVersions") ?? "unset, which allows ikev1")}) must be ` +
            `["ikev2"]`,
        );
      for (const phase of ["Phase1", "Phase2"]) {
        for (const [kind, strong] of [
          ["EncryptionAlgorithms", strongEncryption],
          ["IntegrityAlgorithms", strongIntegrity],
          ["DhGroupNumbers", strongDhGroups],
        ] as const) {
          const weak = weakChoices(t(`${phase}${kind}`), strong);
          if (weak === undefined) report(`tunnel${n}${phase}${kind} is not set, so AWS also accepts weak proposals`);
          else if (weak.length > 0) report(`tunnel${n}${phase}${kind} allows ${weak.join(", ")}`);
        }
      }
    }
  }),
};
