import { createServer, type Server } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { HealthFence, ImService } from "../site";

/**
 * Stand-ins for one cloud's IM front door in the drill: an HTTP health
 * endpoint on loopback (what Route 53 would probe), which the fence step
 * turns unhealthy, and the IM service's size (zero on a standby).
 */
export class LocalFrontDoor implements HealthFence, ImService {
  fenced = false;
  /** False while the drill has killed this site's database. */
  databaseUp = true;
  imRunning: boolean;
  private server?: Server;
  port = 0;

  constructor(
    readonly name: string,
    imRunning: boolean,
  ) {
    this.imRunning = imRunning;
  }

  get healthy(): boolean {
    return !this.fenced && this.databaseUp && this.imRunning;
  }

  async listen(): Promise<void> {
    const server = createServer((req, res) => {
      res
        .writeHead(req.url === "/healthz" && this.healthy ? 200 : 503, { "content-type": "text/plain" })
        .end(this.healthy ? "ok\n" : "unhealthy\n");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    this.port = typeof address === "object" && address ? address.port : 0;
    this.server = server;
  }

  async fence(): Promise<void> {
    this.fenced = true;
  }

  async unfence(): Promise<void> {
    this.fenced = false;
  }

  async scaleUp(): Promise<void> {
    this.imRunning = true;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * DNS failover in miniature: probes every site's health endpoint over HTTP
 * and answers with the first healthy site in priority order, as a
 * PRIMARY/SECONDARY record pair does.
 */
export class LocalDns {
  private answer?: string;
  /** Aborted by stop(): ends the probe loop, cutting short its pause and any probe in flight. */
  private probing?: AbortController;

  constructor(
    private readonly doors: LocalFrontDoor[],
    private readonly intervalMs = 20,
  ) {}

  start(): void {
    this.probing?.abort();
    this.probing = new AbortController();
    void this.probeUntil(this.probing.signal);
  }

  /** Probes the sites every `intervalMs`, keeping the answer, until `signal` aborts. Never rejects. */
  private async probeUntil(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const answer = await this.firstHealthy(signal);
      if (signal.aborted) return;
      this.answer = answer;
      await sleep(this.intervalMs, undefined, { signal }).catch(() => undefined);
    }
  }

  /** The first site in priority order whose health endpoint answers 200, or undefined. */
  private async firstHealthy(signal: AbortSignal): Promise<string | undefined> {
    for (const door of this.doors) {
      const res = await fetch(`http://127.0.0.1:${door.port}/healthz`, { signal }).catch(() => undefined);
      await res?.body?.cancel().catch(() => undefined);
      if (res?.status === 200) return door.name;
    }
    return undefined;
  }

  /** The site users are sent to now, or undefined while no site is healthy. */
  resolve(): string | undefined {
    return this.answer;
  }

  stop(): void {
    this.probing?.abort();
    this.probing = undefined;
  }
}
