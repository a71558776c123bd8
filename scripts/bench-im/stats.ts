/** Pure statistics for the IM benchmark: percentiles, rates and memory per session. */

/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
}

/** p50 and p99 of latencies in milliseconds (any order; the input is not modified). */
export function summarise(latencies: readonly number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { count: sorted.length, p50Ms: round(percentile(sorted, 50), 2), p99Ms: round(percentile(sorted, 99), 2) };
}

/** Kilobytes of RSS each session added: (loaded - baseline) / sessions, in KB as /proc reports (KiB). */
export function kbPerSession(baselineKb: number, loadedKb: number, sessions: number): number {
  return sessions > 0 ? round((loadedKb - baselineKb) / sessions) : Number.NaN;
}

export interface RateSummary {
  /** Events over the whole span from `startMs` to the last event. */
  meanPerSecond: number;
  /** Largest count in any one-second bucket. */
  peakPerSecond: number;
  /** Milliseconds from `startMs` to the last event. */
  spanMs: number;
}

/** Rate of events stamped in epoch milliseconds, from `startMs` on. */
export function rates(startMs: number, stamps: readonly number[]): RateSummary {
  if (stamps.length === 0) return { meanPerSecond: 0, peakPerSecond: 0, spanMs: 0 };
  const buckets = new Map<number, number>();
  let last = startMs;
  for (const t of stamps) {
    const b = Math.floor((t - startMs) / 1000);
    buckets.set(b, (buckets.get(b) ?? 0) + 1);
    last = Math.max(last, t);
  }
  const spanMs = last - startMs;
  return {
    meanPerSecond: round(stamps.length / Math.max(spanMs / 1000, 0.001)),
    peakPerSecond: Math.max(...buckets.values()),
    spanMs: round(spanMs, 0),
  };
}

export interface DriftSummary {
  startRssKb: number;
  endRssKb: number;
  /** RSS change over the soak per session, in KB. */
  kbPerSession: number;
  /** Least-squares slope of RSS over time, in KB per hour. */
  kbPerHour: number;
}

/** Memory drift of an idle soak from samples of [epoch ms, RSS KB]. */
export function drift(samples: readonly (readonly [number, number])[], sessions: number): DriftSummary {
  if (samples.length === 0) return { startRssKb: 0, endRssKb: 0, kbPerSession: 0, kbPerHour: 0 };
  const n = samples.length;
  const mt = samples.reduce((s, [t]) => s + t, 0) / n;
  const mr = samples.reduce((s, [, r]) => s + r, 0) / n;
  const cov = samples.reduce((s, [t, r]) => s + (t - mt) * (r - mr), 0);
  const vt = samples.reduce((s, [t]) => s + (t - mt) ** 2, 0);
  const startRssKb = samples[0][1];
  const endRssKb = samples[n - 1][1];
  return {
    startRssKb,
    endRssKb,
    kbPerSession: sessions > 0 ? round((endRssKb - startRssKb) / sessions, 2) : 0,
    kbPerHour: vt > 0 ? round((cov / vt) * 3_600_000) : 0,
  };
}
