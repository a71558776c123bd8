import { setTimeout as sleep } from "node:timers/promises";
import { Client } from "pg";
import type { DbEndpoint } from "../db";

/** The kinds of write the drill's IM traffic is made of, in the order they repeat: mostly chat messages. */
const MIX = ["message", "message", "message", "user", "roster"] as const;
export type WriteKind = (typeof MIX)[number];

/** One acknowledged (committed) transaction and the rows it inserted. */
export interface Ack {
  at: number;
  site: string;
  kind: WriteKind;
  /** Row keys as `table:key`, to check later that every acknowledged row survived. */
  rows: string[];
}

export const XMPP_HOST = "chat.example.com";

/**
 * Continuous IM writes at a steady rate, as ejabberd would make them: chat
 * messages into the archive (ids from its sequence), new users with their
 * roster version, roster changes. Each write goes to the site DNS answers
 * with; while no site answers, or the chosen one refuses writes, it waits
 * and retries, like a reconnecting client.
 */
export class Writer {
  readonly acks: Ack[] = [];
  /** Writes rejected because an id was taken: proof that sequences were not synced. */
  readonly collisions: string[] = [];
  readonly errors = new Map<string, number>();
  private readonly clients = new Map<string, Client>();
  private running = false;
  private loop?: Promise<void>;
  private counter = 0;
  private readonly users: string[] = [];

  constructor(
    private readonly endpoints: Record<string, DbEndpoint>,
    private readonly resolve: () => string | undefined,
    /** Pause between transactions. @default 8 */
    private readonly intervalMs = 8,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await Promise.all([...this.clients.values()].map((c) => c.end().catch(() => undefined)));
    this.clients.clear();
  }

  private async run(): Promise<void> {
    while (this.running) {
      const site = this.resolve();
      if (site) await this.writeOnce(site);
      await sleep(this.intervalMs);
    }
  }

  private async client(site: string): Promise<Client> {
    const existing = this.clients.get(site);
    if (existing) return existing;
    const client = new Client({
      ...this.endpoints[site],
      connectionTimeoutMillis: 1000,
      application_name: "drill-writer",
    });
    client.on("error", () => undefined);
    await client.connect();
    this.clients.set(site, client);
    return client;
  }

  private async writeOnce(site: string): Promise<void> {
    const kind = MIX[this.counter % MIX.length];
    if (kind === "roster" && this.users.length === 0) {
      this.counter++;
      return;
    }
    let client: Client | undefined;
    try {
      client = await this.client(site);
      await client.query("BEGIN");
      const rows = await this.transaction(client, kind);
      await client.query("COMMIT");
      this.counter++;
      if (kind === "user") this.users.push(rows[0].split(":")[1]);
      this.acks.push({ at: Date.now(), site, kind, rows });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === "23505") this.collisions.push(`${site}: ${(err as Error).message}`);
      const label = code ?? (err as Error).message.split(":")[0];
      this.errors.set(label, (this.errors.get(label) ?? 0) + 1);
      if (client) {
        this.clients.delete(site);
        await client.end().catch(() => undefined);
      }
    }
  }

  private async transaction(client: Client, kind: WriteKind): Promise<string[]> {
    const n = this.counter;
    switch (kind) {
      case "message": {
        const user = this.users.length > 0 ? this.users[n % this.users.length] : "alice";
        const res = await client.query<{ id: string }>(
          `INSERT INTO archive (username, server_host, timestamp, peer, bare_peer, xml, txt, kind)
           VALUES ($1, $2, $3, $4, $4, $5, $6, 'chat') RETURNING id`,
          [
            user,
            XMPP_HOST,
            String(Date.now() * 1000),
            `bob@${XMPP_HOST}`,
            `<message type='chat'><body>message ${n}</body></message>`,
            `message ${n}`,
          ],
        );
        return [`archive:${res.rows[0].id}`];
      }
      case "user": {
        const name = `drill-user-${n}`;
        await client.query(`INSERT INTO users (username, server_host, password) VALUES ($1, $2, 'scram')`, [
          name,
          XMPP_HOST,
        ]);
        await client.query(`INSERT INTO roster_version (username, server_host, version) VALUES ($1, $2, '0')`, [
          name,
          XMPP_HOST,
        ]);
        return [`users:${name}`, `roster_version:${name}`];
      }
      case "roster": {
        const user = this.users[n % this.users.length];
        const contact = `contact-${n}@${XMPP_HOST}`;
        await client.query(
          `INSERT INTO rosterusers (username, server_host, jid, nick, subscription, ask, askmessage, server, ` +
            `subscribe, type)
           VALUES ($1, $2, $3, 'contact', 'B', 'N', '', 'N', '', 'item')`,
          [user, XMPP_HOST, contact],
        );
        await client.query(`UPDATE roster_version SET version = $3 WHERE username = $1 AND server_host = $2`, [
          user,
          XMPP_HOST,
          String(n),
        ]);
        return [`rosterusers:${user}/${contact}`];
      }
    }
  }
}
