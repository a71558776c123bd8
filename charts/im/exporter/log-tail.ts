import { closeSync, openSync, readSync, statSync } from "node:fs";

/**
 * Logins from ejabberd's own log: neither 23.01 nor 26.07 counts them anywhere an API can read (mod_http_api `stats`
 * knows sessions, not logins), but `ejabberd_c2s:process_auth_result` logs every attempt, at info on success and at
 * warning on failure, with `hide_sensitive_log_data` hiding only the address:
 *   "(tls|<0.531.0>) Accepted c2s SCRAM-SHA-1 authentication for alice@localhost by sql backend from
 *    hidden_by_ejabberd"
 *   "(tls|<0.536.0>) Failed c2s SCRAM-SHA-1 authentication for carol@localhost from hidden_by_ejabberd: Invalid ..."
 * (measured on Debian's 23.01; the same format strings are in ejabberd_c2s.erl of later releases).
 */

/** What one log line says about a login, or undefined when it is about something else. */
export type LoginEvent = { outcome: "accepted"; user: string; domain: string } | { outcome: "failed"; domain: string };

const accepted = / Accepted c2s \S+ authentication for ([^@\s]+)@(\S+) by /;
// The user is absent when the client sent none (ejabberd logs "authentication from <ip>").
const failed = / Failed c2s \S+ authentication (?:for [^@\s]*@(\S+) )?from /;

/** Parses one line of ejabberd.log. */
export function parseLoginLine(line: string): LoginEvent | undefined {
  const ok = accepted.exec(line);
  if (ok) return { outcome: "accepted", user: ok[1], domain: ok[2] };
  const bad = failed.exec(line);
  if (bad) return { outcome: "failed", domain: bad[1] ?? "" };
  return undefined;
}

/**
 * Follows a log file from its end at start: each `read()` returns the complete lines written since the last one.
 * A file that shrank or was replaced (ejabberd rotates by renaming) is read again from its start.
 */
export class LogTail {
  private offset: number;
  private inode: number;
  private partial = "";

  constructor(private readonly file: string) {
    const stat = statSync(file, { throwIfNoEntry: false });
    this.offset = stat?.size ?? 0;
    this.inode = stat?.ino ?? 0;
  }

  read(): string[] {
    const stat = statSync(this.file, { throwIfNoEntry: false });
    if (!stat) return [];
    if (stat.ino !== this.inode || stat.size < this.offset) {
      this.inode = stat.ino;
      this.offset = 0;
      this.partial = "";
    }
    if (stat.size === this.offset) return [];
    const length = stat.size - this.offset;
    const buffer = Buffer.alloc(length);
    const fd = openSync(this.file, "r");
    try {
      readSync(fd, buffer, 0, length, this.offset);
    } finally {
      closeSync(fd);
    }
    this.offset = stat.size;
    const text = this.partial + buffer.toString("utf8");
    const lines = text.split("\n");
    this.partial = lines.pop() ?? "";
    return lines;
  }
}
