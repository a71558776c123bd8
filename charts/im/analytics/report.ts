import type { Client } from "pg";
import { roomMembers } from "./room-members";
import { activityRetentionDays, analyticsQueries as q } from "./sql";

/** What `warbler analytics` reports (docs/analytics.md defines each number). */
export interface AnalyticsReport {
  /** The window: from `to` minus the --since duration, to now. */
  from: string;
  to: string;
  /** Accounts active today (UTC day). */
  dau: number;
  /** Accounts active in the 30 UTC days ending today. */
  mau: number;
  /** Accounts active on the UTC days the window touches; null when it reaches past the kept activity. */
  activeUsers: number | null;
  /** Messages stored in the window, each counted once. */
  messages: { total: number; oneToOne: number; group: number };
  /** The highest count of concurrent sessions the exporter saw on the window's UTC days. */
  peakConcurrent: number;
  /** Accounts that sent a group message in the window, each counted once across rooms (per host, summed). */
  activeRoomMembers: number;
  /** Rooms by group messages in the window, most first (at most `topRooms`), with their distinct senders. */
  topRooms: { room: string; messages: number; members: number }[];
  /** The daily rollup rows of the window's UTC days. */
  days: Record<string, string | number>[];
}

const dayMs = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Reads the analytics of the last `sinceMs` milliseconds: messages straight from the archive (through the counting
 * function), active accounts from the activity table, the peak from the daily rollup.
 */
export async function analyticsReport(
  db: Client,
  sinceMs: number,
  now = Date.now(),
  top = 5,
): Promise<AnalyticsReport> {
  const fromMs = now - sinceMs;
  const today = utcDay(now);
  const firstDay = utcDay(fromMs);
  const sumUsers = async (first: string) =>
    (await db.query(q.activeUsers, [first, today])).rows.reduce((n, r) => n + r.users, 0);
  const messages = { total: 0, oneToOne: 0, group: 0 };
  const rooms = new Map<string, number>();
  for (const r of (await db.query(q.messagesByTime, [fromMs * 1000, now * 1000])).rows) {
    const n = Number(r.messages);
    messages.total += n;
    if (r.class === "group") {
      messages.group += n;
      rooms.set(r.room, (rooms.get(r.room) ?? 0) + n);
    } else messages.oneToOne += n;
  }
  const members = roomMembers((await db.query(q.roomMembersByTime, [fromMs * 1000, now * 1000])).rows);
  const days = (await db.query(q.days, [firstDay, today])).rows;
  const kept = (now - Date.parse(`${firstDay}T00:00:00Z`)) / dayMs < activityRetentionDays;
  return {
    from: new Date(fromMs).toISOString(),
    to: new Date(now).toISOString(),
    dau: await sumUsers(today),
    mau: await sumUsers(utcDay(now - 29 * dayMs)),
    activeUsers: kept ? await sumUsers(firstDay) : null,
    messages,
    peakConcurrent: days.reduce((max, d) => Math.max(max, d.peak_sessions), 0),
    activeRoomMembers: [...members.byHost.values()].reduce((sum, n) => sum + n, 0),
    topRooms: [...rooms]
      .map(([room, n]) => ({ room, messages: n, members: members.byRoom.get(room) ?? 0 }))
      .sort((a, b) => b.messages - a.messages || a.room.localeCompare(b.room))
      .slice(0, top),
    days,
  };
}

/** The report as a table for people. */
export function renderReport(report: AnalyticsReport, since: string): string {
  const row = (label: string, value: string) => `  ${label.padEnd(36)}${value}`;
  const m = report.messages;
  const lines = [
    `Warbler analytics, last ${since} (${report.from} to ${report.to}; days are UTC)`,
    row("daily active users (today)", String(report.dau)),
    row("monthly active users (30 days)", String(report.mau)),
    row(
      "active users in the window",
      report.activeUsers === null ? "n/a (activity is kept 31 days)" : String(report.activeUsers),
    ),
    row("messages", `${m.total} (one-to-one ${m.oneToOne}, group ${m.group})`),
    row("peak concurrent sessions", String(report.peakConcurrent)),
    row("members of active rooms", String(report.activeRoomMembers)),
    "Top rooms by group messages",
    ...(report.topRooms.length === 0
      ? ["  (none)"]
      : report.topRooms.map((r) => row(r.room, `${r.messages} (${r.members} members)`))),
  ];
  return `${lines.join("\n")}\n`;
}
