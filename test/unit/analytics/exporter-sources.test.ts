import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { LogTail, parseLoginLine } from "../../../charts/im/exporter/log-tail";
import { parseSince } from "../../../cli/commands/analytics";

/** Lines as Debian's ejabberd 23.01 wrote them in this repository's end-to-end runs (hide_sensitive_log_data on). */
const accepted =
  "2026-12-05 06:59:57.436061+00:00 [info] <0.531.0>@ejabberd_c2s:process_auth_result/3:272 (tls|<0.531.0>) " +
  "Accepted c2s SCRAM-SHA-1 authentication for alice@localhost by sql backend from hidden_by_ejabberd";
const failed =
  "2026-12-05 06:59:58.589098+00:00 [warning] <0.536.0>@ejabberd_c2s:process_auth_result/3:280 (tls|<0.536.0>) " +
  "Failed c2s SCRAM-SHA-1 authentication for carol@localhost from hidden_by_ejabberd: Invalid username or password";
const anonymousFailure =
  "2026-12-05 07:00:00.000000+00:00 [warning] <0.540.0>@ejabberd_c2s:process_auth_result/3:280 (tcp|<0.540.0>) " +
  "Failed c2s PLAIN authentication from hidden_by_ejabberd: Invalid username or password";
const opened =
  "2026-12-05 06:59:57.450597+00:00 [info] <0.531.0>@ejabberd_c2s:bind/2:450 (tls|<0.531.0>) " +
  "Opened c2s session for alice@localhost/e2e";

describe("login lines from ejabberd's log", () => {
  it("reads the account of an accepted login and the domain of a failed one", () => {
    assert.deepEqual(parseLoginLine(accepted), { outcome: "accepted", user: "alice", domain: "localhost" });
    assert.deepEqual(parseLoginLine(failed), { outcome: "failed", domain: "localhost" });
    assert.deepEqual(parseLoginLine(anonymousFailure), { outcome: "failed", domain: "" });
  });

  it("ignores every other line, including a session opening", () => {
    assert.equal(parseLoginLine(opened), undefined);
    assert.equal(parseLoginLine(""), undefined);
  });
});

describe("LogTail", () => {
  const dir = mkdtempSync(join(tmpdir(), "warbler-logtail-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("starts at the end, returns only complete new lines, and rereads a rotated file from its start", () => {
    const file = join(dir, "ejabberd.log");
    writeFileSync(file, `${accepted}\n`);
    const tail = new LogTail(file);
    assert.deepEqual(tail.read(), [], "lines written before the exporter started are not counted");
    appendFileSync(file, `${failed}\n${opened.slice(0, 40)}`);
    assert.deepEqual(tail.read(), [failed], "a partial line waits");
    appendFileSync(file, `${opened.slice(40)}\n`);
    assert.deepEqual(tail.read(), [opened]);
    renameSync(file, `${file}.0`);
    writeFileSync(file, `${accepted}\n`);
    assert.deepEqual(tail.read(), [accepted], "a new file after rotation is read from its start");
  });

  it("reads nothing while the file does not exist", () => {
    const tail = new LogTail(join(dir, "absent.log"));
    assert.deepEqual(tail.read(), []);
    writeFileSync(join(dir, "absent.log"), `${accepted}\n`);
    assert.deepEqual(tail.read(), [accepted]);
  });
});

describe("warbler analytics --since", () => {
  const day = 86_400_000;
  for (const [text, ms] of [
    ["30d", 30 * day],
    ["1d", day],
    ["12h", day / 2],
    ["366d", 366 * day],
  ] as const) {
    it(`reads ${text}`, () => assert.equal(parseSince(text), ms));
  }
  for (const text of ["0d", "abc", "30", "-1d", "1.5d", "367d", "30m", " 30d", "08d", ""]) {
    it(`refuses ${JSON.stringify(text)}`, () => assert.equal(parseSince(text), undefined));
  }
});
