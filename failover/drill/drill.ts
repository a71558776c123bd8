import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { LocalPostgres } from "../../lib/local-postgres";
import type { Progress } from "../../lib/progress";
import { startWatchdog } from "../../lib/watchdog";
import { Db } from "../db";
import type { FailoverReport } from "../engine";
import { direction, setupSteps, stockPostgres } from "../replication-sql";
import { runFailover } from "../run";
import { Sessions } from "../sessions";
import { defaultSettings, type FailoverSettings, type Site } from "../site";
import { waitUntilStreaming } from "../switchover";
import { compareDatabases } from "./compare";
import { LocalDns, LocalFrontDoor } from "./local-site";
import { Writer } from "./writer";

export interface DrillScenario {
  name: "switchover" | "switchback" | "emergency";
  /** Rows the writer inserted and saw committed during the scenario. */
  rowsWritten: number;
  /** Rows on the old primary missing on the new one, counted by comparing the two databases. */
  rowsLost: number;
  /** Longest time no write was accepted, as the writer saw it: last write on the old primary to first on the new. */
  rtoMs: number;
  /** The RPO the failover command reported to the operator (rows). */
  reportedRpoRows: number | null;
  /** RTO as the command measured it (fence to promotion). */
  reportedRtoMs: number | null;
  /** Acknowledged writes missing on the new primary. */
  acknowledgedLost: number;
  /** Writes refused for a duplicate key after the move: sequences not synced. */
  collisions: number;
  from: string;
  to: string;
}

export interface DrillOptions {
  /** How long the writer runs before, and after, each move (ms). @default 1500 */
  steadyMs: number;
  /** Replication lag injected before the emergency, so that there is a loss to measure (ms). @default 1000 */
  emergencyLagMs: number;
  log: Progress;
}

export interface Side {
  server: LocalPostgres;
  door: LocalFrontDoor;
  site: Site;
}

/** Two sites on loopback, replicating east -> west, as the drill and its tests use them; no cloud is involved. */
export interface DrillPair {
  east: Side;
  west: Side;
  settings: FailoverSettings;
  workDir: string;
  close(): Promise<void>;
}

/**
 * `standbyPendingRestart`: west starts as a managed server does right after the stack set wal_level=logical on it,
 * a static parameter: the value is stored (ALTER SYSTEM, as the cloud's parameter API does) but the server still
 * runs the old level until it restarts (`west.server.stop()` then `start()`).
 */
export async function startPair(log: Progress, options: { standbyPendingRestart?: boolean } = {}): Promise<DrillPair> {
  const workDir = mkdtempSync(join(tmpdir(), "warbler-drill-"));
  const settings: FailoverSettings = {
    ...defaultSettings,
    replicationPassword: randomBytes(16).toString("hex"),
    catchUpTimeoutMs: 20_000,
  };
  const sides: Side[] = [];
  // Even a SIGKILL of this process must not leave the servers running.
  const watchdog = startWatchdog();
  const close = async () => {
    await Promise.all(
      sides.map(async (s) => {
        await s.door.close();
        await s.server.destroy();
      }),
    );
    rmSync(workDir, { recursive: true, force: true });
    watchdog.release();
  };
  try {
    const started = log.step("starting two PostgreSQL 15 servers with the ejabberd schema");
    for (const [name, primary] of [
      ["east", true],
      ["west", false],
    ] as const) {
      const logical = primary || !options.standbyPendingRestart;
      const server = await LocalPostgres.create({ name: `drill-${name}`, logical, watchdog });
      watchdog.guardDir(server.dir);
      const door = new LocalFrontDoor(name, primary);
      const admin = { ...server.superuser, database: "ejabberd" };
      const replication = { host: admin.host, port: admin.port, database: admin.database, sslmode: "disable" as const };
      sides.push({ server, door, site: { name, admin, replication, dialect: stockPostgres, health: door, im: door } });
      await server.start();
      await door.listen();
    }
    const [east, west] = sides;
    await Promise.all(sides.map((s) => s.server.createEjabberdDatabase()));
    if (options.standbyPendingRestart) {
      const db = await Db.connect(west.site.admin);
      try {
        await db.query("ALTER SYSTEM SET wal_level = 'logical'");
        await db.query("SELECT pg_reload_conf()");
      } finally {
        await db.close();
      }
    }
    started();
    const setup = log.step("setting up east -> west replication with the production SQL generator");
    await setUpReplication(east.site, west.site, settings);
    const sessions = new Sessions();
    try {
      await waitUntilStreaming(sessions, west.site, direction("east", "west"), settings.catchUpTimeoutMs);
    } finally {
      await sessions.closeAll();
    }
    setup();
    return { east, west, settings, workDir, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * The failover drill: two real PostgreSQL 15 servers on loopback, the
 * ejabberd schema, replication set up by the production SQL generator, a
 * continuous writer, then a planned switchover, a switchback and an
 * emergency failover with the primary killed mid-write.
 */
export async function runDrill(options: DrillOptions): Promise<DrillScenario[]> {
  const pair = await startPair(options.log);
  const { east, west, settings, workDir } = pair;
  const dns = new LocalDns([east.door, west.door]);
  const writer = new Writer({ east: east.site.admin, west: west.site.admin }, () => dns.resolve());
  try {
    dns.start();
    writer.start();
    await sleep(options.steadyMs);
    const scenarios: DrillScenario[] = [];
    scenarios.push(await planned("switchover", east, west, writer, settings, workDir, options));
    scenarios.push(await planned("switchback", west, east, writer, settings, workDir, options));
    scenarios.push(await emergency(east, west, writer, settings, workDir, options));
    return scenarios;
  } finally {
    await writer.stop();
    dns.stop();
    await pair.close();
  }
}

/** What the Kubernetes Job does in production, through the same steps. */
export async function setUpReplication(primary: Site, standby: Site, settings: FailoverSettings): Promise<void> {
  const steps = setupSteps(primary, standby, primary.replication);
  for (const [site, list] of [
    [primary, steps.primary],
    [standby, steps.standby],
  ] as const) {
    const db = await Db.connect(site.admin);
    try {
      await db.runAll(list, { replication_password: settings.replicationPassword });
    } finally {
      await db.close();
    }
  }
}

async function planned(
  name: "switchover" | "switchback",
  from: Side,
  to: Side,
  writer: Writer,
  settings: FailoverSettings,
  workDir: string,
  options: DrillOptions,
): Promise<DrillScenario> {
  const firstAck = writer.acks.length;
  const collisionsBefore = writer.collisions.length;
  const movedAt = Date.now();
  const report = await runFailover({
    operation: "switchover",
    from: from.site,
    to: to.site,
    settings,
    statePath: join(workDir, `${name}.json`),
    log: options.log,
  });
  await sleep(options.steadyMs);
  return measure(name, from, to, writer, firstAck, collisionsBefore, movedAt, report);
}

async function emergency(
  from: Side,
  to: Side,
  writer: Writer,
  settings: FailoverSettings,
  workDir: string,
  options: DrillOptions,
): Promise<DrillScenario> {
  const firstAck = writer.acks.length;
  const collisionsBefore = writer.collisions.length;
  const forward = direction(from.site.name, to.site.name);
  // Cross-cloud lag, made visible: the standby stops applying while the primary keeps committing.
  const lagging = await Db.connect(to.site.admin);
  await lagging.query(`ALTER SUBSCRIPTION ${forward.subscription} DISABLE`);
  await lagging.close();
  await sleep(options.emergencyLagMs);
  const movedAt = Date.now();
  from.door.databaseUp = false;
  await from.server.kill();
  const request = {
    operation: "emergency" as const,
    from: from.site,
    to: to.site,
    settings,
    statePath: join(workDir, "emergency.json"),
    log: options.log,
  };
  await runFailover(request);
  await sleep(options.steadyMs);
  // The old primary's disks survived: start it again and rerun the command, which now counts the loss.
  await from.server.start();
  from.door.databaseUp = true;
  const report = await runFailover(request);
  return measure("emergency", from, to, writer, firstAck, collisionsBefore, movedAt, report);
}

async function measure(
  name: DrillScenario["name"],
  from: Side,
  to: Side,
  writer: Writer,
  firstAck: number,
  collisionsBefore: number,
  movedAt: number,
  report: FailoverReport,
): Promise<DrillScenario> {
  const acks = writer.acks.slice(firstAck);
  const firstNew = acks.find((a) => a.site === to.site.name && a.at >= movedAt)?.at;
  const lastOld = acks
    .filter((a) => a.site === from.site.name && firstNew !== undefined && a.at <= firstNew)
    .at(-1)?.at;
  if (firstNew === undefined || lastOld === undefined)
    throw new Error(`${name}: the writer did not write on both ${from.site.name} and ${to.site.name}`);
  const oldDb = await Db.connect(from.site.admin);
  const newDb = await Db.connect(to.site.admin);
  try {
    const compared = await compareDatabases(oldDb, newDb, acks);
    return {
      name,
      from: from.site.name,
      to: to.site.name,
      rowsWritten: acks.reduce((n, a) => n + a.rows.length, 0),
      rowsLost: compared.rowsLost,
      rtoMs: firstNew - lastOld,
      reportedRpoRows: report.rpo.rows,
      reportedRtoMs: report.rtoMs,
      acknowledgedLost: compared.acknowledgedLost.length,
      collisions: writer.collisions.length - collisionsBefore,
    };
  } finally {
    await oldDb.close();
    await newDb.close();
  }
}
