// The link's shapes are part of the kit contract; the kits' VPN components import them from here.
export type { VpnLinkArgs, VpnLinkOutputs } from "../contract";
