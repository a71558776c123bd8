/** The Pulumi config namespace of every Warbler key (`warbler:region`). */
export const NAMESPACE = "warbler";
