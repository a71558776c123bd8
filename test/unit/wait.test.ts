import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { WaitTimeout, waitUntil } from "../../lib/wait";

describe("waitUntil (the one polling helper)", () => {
  it("resolves to the first result that is not false, null or undefined, after as many tries as it takes", async () => {
    const results = [false, null, undefined, 0];
    let tries = 0;
    const got = await waitUntil(() => results[tries++], { what: "the fourth try", timeoutMs: 5000, intervalMs: 1 });
    assert.equal(got, 0, "0 is a result, not a failure");
    assert.equal(tries, 4);
  });

  it("keeps trying after a try throws, as a server refusing connections while it starts", async () => {
    let tries = 0;
    const got = await waitUntil(
      async () => {
        if (++tries < 3) throw new Error("connection refused");
        return "up";
      },
      { what: "the server", timeoutMs: 5000, intervalMs: 1 },
    );
    assert.deepEqual([got, tries], ["up", 3]);
  });

  it("gives up at the deadline, naming what it waited for and why the last try failed", async () => {
    let tries = 0;
    const started = Date.now();
    await assert.rejects(
      waitUntil(
        () => {
          throw new Error(`refused (try ${++tries})`);
        },
        { what: "PostgreSQL 'aws' to accept logins", timeoutMs: 200, intervalMs: 20 },
      ),
      (err: unknown) => {
        assert.ok(err instanceof WaitTimeout);
        const awaited = "timed out after 200 ms waiting for PostgreSQL 'aws' to accept logins";
        assert.equal(err.message, `${awaited}; last failure: refused (try ${tries})`);
        assert.equal(err.lastFailure, `refused (try ${tries})`);
        return true;
      },
    );
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 200 && elapsed < 1000, `gave up after ${elapsed} ms`);
    assert.ok(tries >= 5 && tries <= 12, `${tries} tries in 200 ms, one every 20 ms`);
  });

  it("names no last failure when every try only said 'not yet', and tries once even with no time at all", async () => {
    let tries = 0;
    const notYet = () => {
      tries++;
      return false;
    };
    await assert.rejects(
      waitUntil(notYet, { what: "the slot to go", timeoutMs: 0 }),
      (err: Error) => err.message === "timed out after 0 ms waiting for the slot to go",
    );
    assert.equal(tries, 1);
  });

  it("stops at once when its signal is aborted, with the signal's reason, even mid-pause", async () => {
    const exited = new AbortController();
    setTimeout(() => exited.abort(new Error("the server exited")), 20);
    const started = Date.now();
    const options = { what: "the server", timeoutMs: 10_000, intervalMs: 5000, signal: exited.signal };
    await assert.rejects(
      waitUntil(() => false, options),
      /the server exited/,
    );
    assert.ok(Date.now() - started < 1000);
  });
});
