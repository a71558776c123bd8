import type { Transport, WorkerPlan } from "./plan";

/** Messages between the benchmark and its client workers (child_process IPC). */

export interface WorkerInit {
  type: "init";
  plan: WorkerPlan;
  /** Per node: where TLS and WebSocket clients connect. */
  nodes: { host: string; tlsPort: number; httpPort: number }[];
  ca: string;
  domain: string;
  password: string;
  /** Sessions in all, and how many of the last ones are WebSocket. */
  sessions: number;
  websocket: number;
  /** Logins this worker keeps in flight. */
  concurrency: number;
}

export type ToWorker =
  | WorkerInit
  /** Open this worker's users with local index below `upTo`. */
  | { type: "open"; upTo: number; deadline: number }
  /** Send `count` one-to-one messages at `rate` per second between sessions of `transport`. */
  | { type: "messages"; transport: Transport; count: number; rate: number; offset: number }
  | { type: "collect" }
  /** Drop the sessions on `node` (every node when null) and bring them back with jittered back-off. */
  | { type: "storm"; node: number | null; jitterMs: number; deadline: number }
  | { type: "stop" };

export interface Opened {
  type: "opened";
  open: number;
  loginMs: number[];
  /** Epoch ms at which each login completed. */
  stamps: number[];
  failures: number;
  firstError?: string;
}

export interface Collected {
  type: "collected";
  messageMs: number[];
  sent: number;
}

export interface Stormed {
  type: "stormed";
  killedAt: number;
  lost: number;
  readmitted: number;
  stamps: number[];
  loginMs: number[];
  retries: number;
  firstError?: string;
}

export type FromWorker = { type: "ready" } | Opened | Collected | Stormed | { type: "sent"; sent: number };
