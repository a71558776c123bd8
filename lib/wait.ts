import { setTimeout as sleep } from "node:timers/promises";

export interface WaitOptions {
  /** What is awaited, ending "timed out after N ms waiting for ...": `PostgreSQL 'aws' to accept logins`. */
  what: string;
  /** How long to keep trying, in ms. */
  timeoutMs: number;
  /** Pause between tries, in ms. @default 100 */
  intervalMs?: number;
  /** Ends the wait at once, rejecting with its reason: a server that exited will never answer. @default - none */
  signal?: AbortSignal;
}

/** The deadline passed; names what was awaited and why the last try failed. */
export class WaitTimeout extends Error {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    readonly lastFailure?: string,
  ) {
    super(`timed out after ${timeoutMs} ms waiting for ${what}${lastFailure ? `; last failure: ${lastFailure}` : ""}`);
    this.name = "WaitTimeout";
  }
}

/** What a try returns while the awaited thing has not happened yet. */
type NotYet = false | null | undefined;

/**
 * Tries `attempt` until it returns something other than false, null or undefined, and resolves to that.
 * A try that throws is a failed try, not the end: servers refuse connections while they start. Its message
 * is kept for the timeout, so an attempt can throw to say what is still missing. The last try runs at the
 * deadline, so even a deadline of 0 tries once.
 */
export async function waitUntil<T>(attempt: () => T | Promise<T>, options: WaitOptions): Promise<Exclude<T, NotYet>> {
  const deadline = Date.now() + options.timeoutMs;
  let lastFailure: string | undefined;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const result = await attempt();
      if (result !== false && result !== null && result !== undefined) return result as Exclude<T, NotYet>;
    } catch (err) {
      lastFailure = err instanceof Error ? err.message : String(err);
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new WaitTimeout(options.what, options.timeoutMs, lastFailure);
    // An abort cuts the pause short; the check at the top rejects with the signal's reason.
    const pause = Math.min(options.intervalMs ?? 100, left);
    await sleep(pause, undefined, { signal: options.signal }).catch(() => undefined);
  }
}
