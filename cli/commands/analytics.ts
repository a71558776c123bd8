import type { Command } from "commander";
import { Client } from "pg";
import { analyticsReport, renderReport } from "../../charts/im/analytics/report";
import { ArgumentChecks } from "../../lib/check";
import { InputError } from "../../lib/errors";

/** Environment variable read when --database-url is absent. */
export const databaseUrlEnv = "WARBLER_ANALYTICS_DATABASE_URL";

const hourMs = 3_600_000;
/** The longest window: a year and a day, enough for a year-on-year look at the daily rollup. */
const maxSinceDays = 366;

/** Parses `--since` (`30d`, `12h`) into milliseconds; undefined when it is not a positive duration in range. */
export function parseSince(text: string): number | undefined {
  const match = /^([1-9]\d{0,4})([dh])$/.exec(text);
  if (!match) return undefined;
  const ms = Number(match[1]) * (match[2] === "d" ? 24 : 1) * hourMs;
  return ms <= maxSinceDays * 24 * hourMs ? ms : undefined;
}

/** The URL without its password, for messages. */
function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(not a URL)";
  }
}

export function registerAnalyticsCommand(program: Command): void {
  program
    .command("analytics")
    .description(
      "Active users, message volume and peak load of an IM database: `warbler im local` (its analyticsDatabase " +
        "URL) or a stack's database through a port-forward. Reads the analytics schema the exporter writes; " +
        "never message content.",
    )
    .option("--database-url <url>", `postgres:// URL as the exporter's role (default: $${databaseUrlEnv})`)
    .option("--since <duration>", "the window, in days or hours: 30d, 7d, 12h (at most 366d)", "30d")
    .option("--json", "print the report as JSON")
    .addHelpText(
      "after",
      "\nNumbers (docs/analytics.md): daily and monthly active users (UTC days), messages in the window each " +
        "counted once,\npeak concurrent sessions of the window's days,\nmembers of active rooms (distinct " +
        "senders of group messages), top rooms by group messages with their members.\n" +
        "Exit codes: 0 report printed, 2 bad arguments or a database that cannot be reached.",
    )
    .action(async (options: { databaseUrl?: string; since: string; json?: boolean }) => {
      const url = options.databaseUrl ?? process.env[databaseUrlEnv];
      const sinceMs = parseSince(options.since);
      const check = new ArgumentChecks();
      check.require(
        sinceMs !== undefined,
        "--since",
        options.since,
        `must be a whole number of days or hours from 1h to ${maxSinceDays}d, such as 30d or 12h`,
      );
      const urlOk = !!url && /^postgres(ql)?:\/\//.test(url);
      check.require(
        urlOk,
        "--database-url",
        url ? redacted(url) : url,
        `must be a postgres:// URL (or set $${databaseUrlEnv})`,
      );
      check.throwIfAny(InputError);
      const db = new Client({ connectionString: url, connectionTimeoutMillis: 10_000, statement_timeout: 60_000 });
      db.on("error", () => undefined);
      try {
        await db.connect();
      } catch (err) {
        throw new InputError(`'--database-url' (${redacted(url!)}) cannot be reached: ${(err as Error).message}`);
      }
      try {
        const report = await analyticsReport(db, sinceMs!).catch((err: Error) => {
          throw new InputError(
            `'--database-url' (${redacted(url!)}) has no readable analytics schema (${err.message}); use the ` +
              "exporter's role on a database set up by Warbler",
          );
        });
        process.stdout.write(
          options.json
            ? `${JSON.stringify({ since: options.since, ...report }, null, 2)}\n`
            : renderReport(report, options.since),
        );
      } finally {
        await db.end().catch(() => undefined);
      }
    });
}
