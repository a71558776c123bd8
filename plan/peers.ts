/** Names the file of outputs of stacks planned earlier in the same run; a worker's StackReferences resolve to them. */
export const PEER_OUTPUTS_ENV = "WARBLER_PLAN_PEER_OUTPUTS";
