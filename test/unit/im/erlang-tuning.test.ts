import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { erlangLimits, renderEjabberdctlConfig } from "../../../charts/im/erlang-tuning";

describe("erlangLimits", () => {
  it("gives every session a process and a port with headroom, for any session count", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5_000_000 }), (sessions) => {
        const limits = erlangLimits(sessions);
        assert.ok(limits.processes >= sessions * 2, "processes");
        assert.ok(limits.ports > sessions, "ports");
        assert.ok(limits.maxOpenFiles >= limits.ports, "file limit covers the ports");
        assert.equal(Math.log2(limits.processes) % 1, 0, "+P is a power of two");
      }),
    );
  });

  it("rejects a session count that is not a positive integer", () => {
    assert.throws(() => erlangLimits(0), /'sessions' \(0\)/);
    assert.throws(() => erlangLimits(1.5), /'sessions' \(1.5\)/);
  });
});

describe("renderEjabberdctlConfig", () => {
  it("fixes the distribution port (so no epmd starts) and carries the VM limits", () => {
    const text = renderEjabberdctlConfig({
      distPort: 4370,
      distInterface: "127.0.0.1",
      pidPath: "/run/e.pid",
      limits: erlangLimits(1000),
    });
    assert.match(text, /^ERL_DIST_PORT=4370$/m);
    assert.match(text, /^INET_DIST_INTERFACE=127\.0\.0\.1$/m);
    assert.match(text, /^ERL_MAX_PORTS=66536$/m);
    assert.match(text, /^ERL_PROCESSES=131072$/m);
    assert.match(text, /^EJABBERD_PID_PATH=\/run\/e\.pid$/m);
    assert.doesNotMatch(text, /EJABBERD_CONFIG_PATH/, "the config path comes from --config only");
    // ERTS reads ERL_FULLSWEEP_AFTER from the environment at boot (erlang.org/doc/man/erlang.html,
    // fullsweep_after); `-env` in ERL_OPTIONS sets it for the VM only.
    assert.match(text, /^ERL_OPTIONS=".*-env ERL_FULLSWEEP_AFTER 0.*"$/m);
  });
});
