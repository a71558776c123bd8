/** Pure load plan of the IM benchmark: which worker opens which sessions, to which node, from which address. */

/** Sockets one client worker holds at most: under this machine's 20,000 open files per process, with room to spare. */
export const maxSocketsPerWorker = 15_000;

export type Transport = "tls" | "ws";

/** One client worker process: a contiguous range of user numbers, and the loopback address it binds to. */
export interface WorkerPlan {
  index: number;
  /** 127.0.0.x source address of every socket of this worker, so no address runs out of ephemeral ports. */
  sourceAddress: string;
  /** First user number (user `u<first>`). */
  first: number;
  count: number;
}

/** Splits `sessions` users over the fewest workers that keep each under `maxPerWorker`, as evenly as possible. */
export function planWorkers(sessions: number, maxPerWorker = maxSocketsPerWorker): WorkerPlan[] {
  const workers = Math.max(1, Math.ceil(sessions / maxPerWorker));
  const base = Math.floor(sessions / workers);
  const extra = sessions % workers;
  const plans: WorkerPlan[] = [];
  let first = 0;
  for (let index = 0; index < workers; index++) {
    const count = base + (index < extra ? 1 : 0);
    // 127.0.0.1 is the servers' own address; workers start at .11 (loopback routes all of 127/8 to lo).
    plans.push({ index, sourceAddress: `127.0.0.${11 + index}`, first, count });
    first += count;
  }
  return plans;
}

/** Node that user `user` logs in to: round robin, as a load balancer spreads new connections. */
export const nodeOf = (user: number, nodes: number): number => user % nodes;

/** Transport of user `user`: the last `websocket` users of `sessions` use WebSocket, the others direct TLS. */
export const transportOf = (user: number, sessions: number, websocket: number): Transport =>
  user >= sessions - websocket ? "ws" : "tls";

/** Splits `total` in proportion to `weights`, largest remainders first, so the parts add up to `total` exactly. */
export function splitByWeight(total: number, weights: readonly number[]): number[] {
  const all = weights.reduce((a, b) => a + b, 0);
  if (all === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / all);
  const parts = exact.map(Math.floor);
  const left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order.slice(0, left)) parts[i]++;
  return parts;
}

/**
 * How many of its own users each worker should have open when `total` sessions are open in all: shares proportional
 * to the workers' counts (never more than a worker's count), adding up to `total` exactly.
 */
export const sharesAt = (total: number, counts: readonly number[]): number[] =>
  splitByWeight(
    Math.min(
      total,
      counts.reduce((a, b) => a + b, 0),
    ),
    counts,
  );

/** Recipient of message `k` sent by peer `from` (0-based among `peers`): spread over the others, never `from`. */
export function recipientOf(k: number, from: number, peers: number): number {
  return (from + 1 + ((k * 104_729) % Math.max(1, peers - 1))) % peers;
}

/**
 * Delay before reconnect attempt `attempt` (0 = the first after the loss): "full jitter" exponential back-off,
 * uniform in [0, min(cap, base * 2^attempt)], so a lost instance's clients spread out instead of arriving together.
 * `random` is in [0, 1).
 */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: number): number {
  return Math.floor(random * Math.min(capMs, baseMs * 2 ** attempt));
}
