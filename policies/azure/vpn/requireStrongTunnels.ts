import type { VirtualNetworkGatewayConnectionArgs } from "@pulumi/azure-native/network";
import { strongDhGroups, strongEncryption, strongIntegrity, vpnControls, weakChoices } from "../../common/vpnCrypto";
import { forTypes, type WarblerResourcePolicy } from "../../policy";

const TYPE = "azure-native:network:VirtualNetworkGatewayConnection";

export const azureVpnStrongCrypto: WarblerResourcePolicy = {
  id: "azure-vpn-strong-crypto",
  name: "VPN gateway connections use IKEv2 and a strong custom IPsec policy",
  target: "azure",
  what:
    "Every IPsec VPN gateway connection must use IKEv2 and a custom IPsec/IKE policy limited to AES-256, SHA-2 " +
    "and Diffie-Hellman/PFS group 14 (2048-bit), 24 or elliptic curves.",
  why:
    "The cross-cloud link carries database replication and file copies between clouds. Azure's default policy " +
    "still offers 1024-bit DH group 2 and SHA-1, so the link's strength would depend on the peer.",
  fix:
    'Set \'connectionProtocol: "IKEv2"\' and \'ipsecPolicies: [{ ikeEncryption: "AES256", ikeIntegrity: ' +
    '"SHA256", dhGroup: "DHGroup14", ipsecEncryption: "GCMAES256", ipsecIntegrity: "GCMAES256", pfsGroup: ' +
    '"PFS2048", saLifeTimeSeconds: 3600, saDataSizeKilobytes: 102400000 }]\'.',
  severity: "high",
  enforcementLevel: "mandatory",
  controls: vpnControls,
  resourceTypes: [TYPE],
  validateResource: forTypes<VirtualNetworkGatewayConnectionArgs>([TYPE], (c, args, report) => {
    if (String(c.connectionType) !== "IPsec") args.notApplicable("not an IPsec connection");
    if (String(c.connectionProtocol) !== "IKEv2")
      report(`connectionProtocol (${JSON.stringify(c.connectionProtocol ?? "unset")}) must be "IKEv2"`);
    const policies = c.ipsecPolicies ?? [];
    if (policies.length === 0)
      return report("no custom ipsecPolicies; the Azure default proposals include DH group 2 and SHA-1");
    policies.forEach((p, i) => {
      const weak = [
        ...(weakChoices(p.ikeEncryption, strongEncryption) ?? []),
        ...(weakChoices(p.ipsecEncryption, strongEncryption) ?? []),
        ...(weakChoices(p.ikeIntegrity, strongIntegrity) ?? []),
        ...(weakChoices(p.ipsecIntegrity, strongIntegrity) ?? []),
        ...(weakChoices(p.dhGroup, strongDhGroups) ?? []),
        ...(weakChoices(p.pfsGroup, strongDhGroups) ?? []),
      ];
      if (weak.length > 0) report(`ipsecPolicies[${i}] allows ${weak.join(", ")}`);
    });
  }),
};
