/**
 * Documented, named differences between clouds that parity accepts. Each one
 * says why the clouds cannot match and what Warbler does instead; any other
 * difference fails `warbler parity` and the parity test. Keep docs/parity.md
 * in step (a test checks every exception is named there).
 */
export interface ParityException {
  /** Stable name, cited in docs/parity.md. */
  name: string;
  /** The parity row it applies to. */
  row: string;
  /** Accepts the row's values when this returns true (values by cloud). */
  accepts: (values: Record<string, string>) => boolean;
  reason: string;
}

export const parityExceptions: ParityException[] = [
  {
    name: "ack-no-api-allow-list",
    row: "private-api-endpoint",
    accepts: (values) => values.alicloud === "private" && Object.values(values).every((v) => v === "private" || v.startsWith("allow-listed")),
    reason:
      "ACK's public API endpoint has no source allow-list, so Warbler rejects warbler:cluster.publicAccessCidrs on alicloud and keeps the endpoint private; EKS and AKS may add an allow-listed public endpoint.",
  },
];
