import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FailedError } from "../../../lib/errors";
import { lookupUser, run } from "../../../lib/host";

describe("run (the local runner's command helper)", () => {
  // The child echoes its argument to stderr, as a tool printing its usage might.
  const echoAndFail = ["-c", 'echo "refused $1" >&2; exit 3', "sh", "hunter2-secret"];

  it("masks the given secrets in the error of a failed command, in the arguments and in its output", async () => {
    await assert.rejects(run("sh", echoAndFail, { secrets: ["hunter2-secret"] }), (err: unknown) => {
      assert.ok(err instanceof FailedError);
      assert.doesNotMatch(err.message, /hunter2-secret/);
      assert.match(err.message, /^sh -c .* sh \*{8} failed: refused \*{8}$/s);
      return true;
    });
  });

  it("reports the command line and output as they are when no secret is named", async () => {
    await assert.rejects(run("sh", echoAndFail), /sh hunter2-secret failed: refused hunter2-secret$/);
  });

  it("returns stdout of a command that succeeds", async () => {
    assert.equal(await run("sh", ["-c", "printf ok"]), "ok");
  });
});

describe("lookupUser", () => {
  it("reads uid and gid from /etc/passwd, and names a missing user", () => {
    assert.deepEqual(lookupUser("root"), { uid: 0, gid: 0 });
    assert.throws(() => lookupUser("warbler-no-such-user"), /system user 'warbler-no-such-user' does not exist/);
  });
});
