import { Client, type ClientConfig } from "pg";
import { executionSpelling, renderStatement, type SecretName, type SqlStep } from "./sql-step";

/** Admin connection settings of one site's database. */
export interface DbEndpoint {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** PEM CA bundle to verify the server with (`verify-full`); absent: no TLS (loopback drills only). */
  ca?: string;
}

/** What a step did, for the log and the report. */
export interface StepOutcome {
  ran: boolean;
  rows?: Record<string, unknown>[];
}

/**
 * An admin session on one site's database. Sessions are read-write even on
 * a fenced or standby database (whose default is read-only), because the
 * engine itself must write there: barrier rows, DDL, subscriptions.
 */
export class Db {
  private constructor(private readonly client: Client) {}

  static async connect(endpoint: DbEndpoint, connectTimeoutMs = 5000): Promise<Db> {
    const config: ClientConfig = {
      host: endpoint.host,
      port: endpoint.port,
      database: endpoint.database,
      user: endpoint.user,
      password: endpoint.password,
      connectionTimeoutMillis: connectTimeoutMs,
      application_name: "warbler-failover",
      ssl: endpoint.ca ? { ca: endpoint.ca, rejectUnauthorized: true } : undefined,
    };
    const client = new Client(config);
    // A server that dies mid-session emits 'error' on the client; without a listener that crashes the process.
    client.on("error", () => undefined);
    try {
      await client.connect();
      await client.query("SET default_transaction_read_only = off");
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    return new Db(client);
  }

  async query<T extends Record<string, unknown>>(sql: string): Promise<T[]> {
    const result = await this.client.query(sql);
    return result.rows as T[];
  }

  /** Runs a step when its `needed` check says so; secrets are spelled as literals and never logged. */
  async run(step: SqlStep, secrets: Partial<Record<SecretName, string>> = {}): Promise<StepOutcome> {
    if (step.needed) {
      const [row] = await this.query<{ needed: boolean }>(`SELECT (${step.needed}) AS needed`);
      if (!row?.needed) return { ran: false };
    }
    const spelling = executionSpelling(secrets);
    let rows: Record<string, unknown>[] = [];
    for (const statement of step.statements) rows = await this.query(renderStatement(statement, spelling));
    return { ran: true, rows };
  }

  async runAll(steps: SqlStep[], secrets: Partial<Record<SecretName, string>> = {}): Promise<string[]> {
    const ran: string[] = [];
    for (const step of steps) if ((await this.run(step, secrets)).ran) ran.push(step.name);
    return ran;
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
