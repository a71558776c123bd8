import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { parseBenchArgs } from "../../../scripts/bench-im/args";
import { levers, withErlOptions, withoutErlEnv, withoutModules } from "../../../scripts/bench-im/levers";
import { parseBreakdown } from "../../../scripts/bench-im/probe";
import { decodeFrames, encodeFrame } from "../../../scripts/bench-im/websocket";

/** `npm run bench:im` flags, memory levers, the VM probe's parser and the WebSocket framing. */

const limit = 20_000;

describe("bench:im flags", () => {
  it("defaults to one node, 18,000 sessions of which 1,000 WebSocket, memory checkpoint at 10,000", () => {
    const { options, problems } = parseBenchArgs([], limit);
    assert.deepEqual(problems, []);
    assert.equal(options.scenario, "single");
    assert.equal(options.connections, 18_000);
    assert.equal(options.websocket, 1000);
    assert.deepEqual(options.checkpoints, [10_000]);
    assert.equal(options.lever, "none");
  });

  it("defaults the cluster to 50,000 sessions and allows three nodes' worth", () => {
    assert.equal(parseBenchArgs(["--scenario", "cluster"], limit).options.connections, 50_000);
    assert.deepEqual(parseBenchArgs(["--scenario", "cluster", "--connections", "57000"], limit).problems, []);
  });

  it("refuses more sessions than one node's open files allow, naming the flag, the value and the limit", () => {
    const { problems } = parseBenchArgs(["--connections", "19001"], limit);
    assert.deepEqual(problems, [
      `'--connections' ("19001") must be an integer from 2 to 19000 (1 node(s) × 19000: 20000 open files per ` +
        "process here, less 1000 per node)",
    ]);
  });

  it("names every bad flag at once", () => {
    const { problems } = parseBenchArgs(
      ["--scenario", "mesh", "--soak-minutes=-1", "--lever", "magic", "--checkpoints", "9000,5000"],
      limit,
    );
    assert.equal(problems.length, 4);
    assert.match(problems.join("\n"), /'--scenario' \("mesh"\) must be one of single, cluster/);
    assert.match(problems.join("\n"), /'--soak-minutes' \("-1"\) must be an integer from 0 to 120/);
    assert.match(problems.join("\n"), /'--lever' \("magic"\) must be one of none, no-fullsweep/);
    assert.match(problems.join("\n"), /'--checkpoints' \("9000,5000"\) must be ascending/);
  });

  it("exits 2 from the command line on a bad flag, before starting anything", () => {
    const script = resolve(__dirname, "../../../scripts/bench-im.ts");
    const r = spawnSync(process.execPath, ["--import", "tsx", script, "--connections", "0"], { encoding: "utf8" });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /'--connections' \("0"\) must be an integer from 2 to/);
  });
});

describe("bench:im memory levers", () => {
  const yml =
    "modules:\n  mod_caps: {}\n  mod_mam:\n    db_type: sql\n    default: always\n  mod_ping:\n    send_pings: true\n";
  const cfg = 'POLL=true\nERL_OPTIONS="-env ERL_CRASH_DUMP_BYTES 0 -env ERL_FULLSWEEP_AFTER 0"\nEJABBERD_PID_PATH=/p\n';

  it("removes whole module blocks and nothing else", () => {
    assert.equal(withoutModules(yml, ["mod_mam"]), "modules:\n  mod_caps: {}\n  mod_ping:\n    send_pings: true\n");
    assert.equal(
      withoutModules(yml, ["mod_caps", "mod_ping"]),
      "modules:\n  mod_mam:\n    db_type: sql\n    default: always\n",
    );
  });

  it("adds to and removes from ERL_OPTIONS, and refuses a file without the setting", () => {
    assert.match(withErlOptions(cfg, "+MBas aobf"), /^ERL_OPTIONS=".*ERL_FULLSWEEP_AFTER 0 \+MBas aobf"$/m);
    assert.match(withoutErlEnv(cfg, "ERL_FULLSWEEP_AFTER"), /^ERL_OPTIONS="-env ERL_CRASH_DUMP_BYTES 0"$/m);
    assert.throws(() => withoutErlEnv('ERL_OPTIONS=""\n', "ERL_FULLSWEEP_AFTER"), /sets no ERL_FULLSWEEP_AFTER/);
  });

  it("bounds the stream-management queue inside the mod_stream_mgmt block", () => {
    const out = levers["sm-queue-100"].ejabberdYml("modules:\n  mod_stream_mgmt:\n    resend_on_timeout: if_offline\n");
    assert.equal(out, "modules:\n  mod_stream_mgmt:\n    max_ack_queue: 100\n    resend_on_timeout: if_offline\n");
  });
});

describe("bench:im VM probe and WebSocket framing", () => {
  it("parses the probe's memory, process-group, port and allocator lines", () => {
    const b = parseBreakdown(
      "memory total 1000\nmemory binary 200\ngroup xmpp_stream_in:init 10 5000 300 4000\nports all 12 960\n" +
        "alloc eheap_alloc 262144 209328\n",
    );
    assert.deepEqual(b.erlang, { total: 1000, binary: 200 });
    assert.deepEqual(b.processGroups, [
      { initialCall: "xmpp_stream_in:init", count: 10, bytes: 5000, binaryBytes: 300, heapBytes: 4000 },
    ]);
    assert.deepEqual(b.ports, { count: 12, bytes: 960 });
    assert.deepEqual(b.allocators, { eheap_alloc: { carrierBytes: 262144, blockBytes: 209328 } });
  });

  it("masks client frames (RFC 6455 section 5.3) and reads frames split anywhere", () => {
    const mask = Buffer.from([1, 2, 3, 4]);
    const frame = encodeFrame(0x1, Buffer.from("<presence/>"), mask);
    assert.equal(frame[0], 0x81);
    assert.equal(frame[1], 0x80 | 11);
    const decoded = decodeFrames(frame).frames[0];
    assert.equal(decoded.payload.toString(), "<presence/>");
    const big = Buffer.alloc(70_000, 0x61);
    const twoFrames = Buffer.concat([encodeFrame(0x1, big), encodeFrame(0x9, Buffer.from("p"))]);
    const first = decodeFrames(twoFrames.subarray(0, 5000));
    assert.equal(first.frames.length, 0);
    const all = decodeFrames(twoFrames);
    assert.deepEqual(
      all.frames.map((f) => [f.opcode, f.payload.length]),
      [
        [1, 70_000],
        [9, 1],
      ],
    );
    assert.equal(all.rest.length, 0);
  });
});
