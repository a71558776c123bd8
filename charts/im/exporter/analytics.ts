import type { Client } from "pg";
import { roomMembers } from "../analytics/room-members";
import { activityRetentionDays, analyticsQueries as q } from "../analytics/sql";
import { LogTail, parseLoginLine } from "./log-tail";
import type { Sample } from "./metrics";

/** Calls one mod_http_api command and returns its JSON answer. */
export type ApiCall = (command: string, args: Record<string, string>) => Promise<unknown>;

export interface AnalyticsOptions {
  /** The XMPP domain the exporter's account lives on; series of that domain exist before its first event. */
  domain: string;
  /** ejabberd.log of the node beside the exporter. @default - no login counters and no login-based activity */
  logFile?: string;
  /** Seconds between two rollups of the day's counts into warbler_daily_stats. @default 300 */
  rollupSeconds?: number;
}

const dayMs = 86_400_000;
/** A UTC day as YYYY-MM-DD. */
export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);
const shiftDay = (day: string, days: number) => utcDay(dayStart(day) + days * dayMs);

/** One day's counts for one host, as warbler_daily_stats holds them. */
export interface DayCounts {
  activeUsers: number;
  weeklyActiveUsers: number;
  monthlyActiveUsers: number;
  messagesOneToOne: number;
  messagesGroup: number;
  activeRooms: number;
  /** Distinct senders of the day's group messages across the host's rooms. */
  activeRoomMembers: number;
  newAccounts: number;
  deletedAccounts: number;
}

/** Counts of `day` per host, from the activity table, the archive and the accounts (docs/analytics.md). */
export async function countDay(db: Client, day: string): Promise<Map<string, DayCounts>> {
  const hosts = new Map<string, DayCounts>();
  const of = (host: string) => {
    const found = hosts.get(host);
    if (found) return found;
    const zero: DayCounts = {
      activeUsers: 0,
      weeklyActiveUsers: 0,
      monthlyActiveUsers: 0,
      messagesOneToOne: 0,
      messagesGroup: 0,
      activeRooms: 0,
      activeRoomMembers: 0,
      newAccounts: 0,
      deletedAccounts: 0,
    };
    hosts.set(host, zero);
    return zero;
  };
  const windows = [
    ["activeUsers", 0],
    ["weeklyActiveUsers", -6],
    ["monthlyActiveUsers", -29],
  ] as const;
  for (const [key, from] of windows) {
    const { rows } = await db.query(q.activeUsers, [shiftDay(day, from), day]);
    for (const r of rows) of(r.server_host)[key] = r.users;
  }
  const start = dayStart(day) * 1000;
  const { rows: messages } = await db.query(q.messagesByTime, [start, start + dayMs * 1000]);
  for (const r of messages) {
    const counts = of(r.server_host);
    if (r.class === "group") {
      counts.messagesGroup += Number(r.messages);
      counts.activeRooms += 1;
    } else counts.messagesOneToOne += Number(r.messages);
  }
  const { rows: members } = await db.query(q.roomMembersByTime, [start, start + dayMs * 1000]);
  for (const [host, n] of roomMembers(members).byHost) of(host).activeRoomMembers = n;
  for (const r of (await db.query(q.newAccounts, [day])).rows) of(r.server_host).newAccounts = r.accounts;
  for (const r of (await db.query(q.deletedAccounts, [day])).rows) of(r.server_host).deletedAccounts = r.deleted;
  return hosts;
}

/** Writes `day`'s counts; running it again for the same day rewrites the same row. */
export async function rollupDay(db: Client, day: string): Promise<Map<string, DayCounts>> {
  const hosts = await countDay(db, day);
  for (const [host, c] of hosts) {
    await db.query(q.upsertDay, [
      day,
      host,
      c.activeUsers,
      c.weeklyActiveUsers,
      c.monthlyActiveUsers,
      c.messagesOneToOne,
      c.messagesGroup,
      c.activeRooms,
      c.newAccounts,
      c.deletedAccounts,
      c.activeRoomMembers,
    ]);
  }
  return hosts;
}

/**
 * The exporter's analytics state across scrapes: login counters from the log, the message counter's archive cursor,
 * the accounts seen logging in and not yet recorded, and the last rollup's counts.
 */
export class AnalyticsCollector {
  private readonly tail?: LogTail;
  private readonly logins = new Map<string, number>();
  private readonly failures = new Map<string, number>();
  private readonly messages = new Map<string, number>();
  private readonly pending = new Set<string>();
  private cursor?: bigint;
  private snapshotDay?: string;
  private rolledDay?: string;
  private lastRollup = 0;
  private counts = new Map<string, DayCounts>();

  constructor(private readonly options: AnalyticsOptions) {
    if (options.logFile) this.tail = new LogTail(options.logFile);
    this.logins.set(options.domain, 0);
    this.failures.set(options.domain, 0);
    for (const type of ["one_to_one", "group"]) this.messages.set(`${options.domain}\t${type}`, 0);
  }

  /** Reads new log lines; cheap, and runs on every scrape even when the database is down. */
  readLog(): void {
    for (const line of this.tail?.read() ?? []) {
      const event = parseLoginLine(line);
      if (event?.outcome === "accepted") {
        this.logins.set(event.domain, (this.logins.get(event.domain) ?? 0) + 1);
        this.pending.add(`${event.user}@${event.domain}`);
      } else if (event) this.failures.set(event.domain, (this.failures.get(event.domain) ?? 0) + 1);
    }
  }

  /** The database half of a scrape: counts new messages, records activity and the peak, rolls up when due. */
  async update(db: Client, api: ApiCall, onlineUsers: number | undefined, now = Date.now()): Promise<void> {
    const today = utcDay(now);
    const max = BigInt((await db.query(q.maxArchiveId)).rows[0].id);
    // The counter starts at zero when the exporter starts; rate() and increase() take care of restarts.
    if (this.cursor !== undefined && max > this.cursor) {
      const { rows } = await db.query(q.messagesById, [this.cursor.toString(), max.toString()]);
      for (const r of rows) {
        const key = `${r.server_host}\t${r.class}`;
        this.messages.set(key, (this.messages.get(key) ?? 0) + Number(r.messages));
      }
    }
    this.cursor = max;

    const accounts = [...this.pending];
    // Sessions that started before midnight count for the new day too: once a day, every connected account.
    if (this.snapshotDay !== today) {
      const connected = await api("connected_users", {});
      if (!Array.isArray(connected)) throw new Error(`connected_users answered ${JSON.stringify(connected)}`);
      accounts.push(...connected.map((full) => String(full).split("/")[0]));
    }
    if (accounts.length > 0) await db.query(q.recordActivity, [today, accounts]);
    for (const account of accounts) this.pending.delete(account);
    this.snapshotDay = today;
    if (onlineUsers !== undefined) await db.query(q.recordPeak, [today, this.options.domain, onlineUsers]);

    if (now - this.lastRollup >= (this.options.rollupSeconds ?? 300) * 1000 || this.rolledDay !== today) {
      // The first rollup of a new day finishes the day before, whose last hours were not rolled up yet.
      if (this.rolledDay !== undefined && this.rolledDay !== today) await rollupDay(db, this.rolledDay);
      this.counts = await rollupDay(db, today);
      await db.query(q.expireActivity, [shiftDay(today, -(activityRetentionDays - 1))]);
      this.lastRollup = now;
      this.rolledDay = today;
    }
  }

  samples(): Sample[] {
    const out: Sample[] = [];
    for (const [domain, value] of this.logins) {
      out.push({
        metric: "ejabberd_logins_total",
        help: "Successful client logins on this node since the exporter started, from ejabberd's log.",
        type: "counter",
        labels: { domain },
        value,
      });
    }
    for (const [domain, value] of this.failures) {
      out.push({
        metric: "ejabberd_login_failures_total",
        help: "Failed client logins on this node since the exporter started, from ejabberd's log.",
        type: "counter",
        labels: { domain },
        value,
      });
    }
    for (const [key, value] of this.messages) {
      const [domain, type] = key.split("\t");
      out.push({
        metric: "warbler_messages_total",
        help:
          "Messages archived since the exporter started, each counted once (a one-to-one message from its " +
          "sender's copy). Cluster-wide: aggregate pods with max, not sum.",
        type: "counter",
        labels: { domain, type },
        value,
      });
    }
    if (this.lastRollup > 0) out.push(...this.rollupSamples());
    return out;
  }

  private rollupSamples(): Sample[] {
    const out: Sample[] = [];
    const gauge = (metric: string, help: string, labels: Record<string, string>, value: number) =>
      out.push({ metric, help, type: "gauge", labels, value });
    for (const [domain, c] of this.counts) {
      const windows = { day: c.activeUsers, week: c.weeklyActiveUsers, month: c.monthlyActiveUsers };
      for (const [window, value] of Object.entries(windows)) {
        const help = "Accounts that logged in during the UTC day, the 7 or the 30 days ending today (last rollup).";
        gauge("warbler_active_users", help, { domain, window }, value);
      }
      gauge("warbler_active_rooms", "Rooms with a group message today (UTC, last rollup).", { domain }, c.activeRooms);
      gauge(
        "warbler_active_room_members",
        "Distinct accounts that sent a group message to a room today (UTC, last rollup).",
        { domain },
        c.activeRoomMembers,
      );
      gauge("warbler_new_accounts", "Accounts created today (UTC, last rollup).", { domain }, c.newAccounts);
      gauge("warbler_deleted_accounts", "Accounts deleted today (UTC, last rollup).", { domain }, c.deletedAccounts);
    }
    gauge(
      "warbler_analytics_rollup_timestamp_seconds",
      "When this exporter last wrote the day's counts to warbler_daily_stats.",
      {},
      Math.floor(this.lastRollup / 1000),
    );
    return out;
  }
}
