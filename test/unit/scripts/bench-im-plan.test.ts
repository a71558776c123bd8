import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  backoffMs,
  maxSocketsPerWorker,
  nodeOf,
  planWorkers,
  recipientOf,
  sharesAt,
  splitByWeight,
  transportOf,
} from "../../../scripts/bench-im/plan";
import { drift, kbPerSession, percentile, rates, summarise } from "../../../scripts/bench-im/stats";

/** The pure parts of `npm run bench:im`: the load plan and the statistics it reports. */

describe("bench:im load plan", () => {
  it("splits 50,000 sessions over four workers of at most 15,000, each from its own 127.0.0.x address", () => {
    const plans = planWorkers(50_000);
    assert.deepEqual(
      plans.map((p) => [p.sourceAddress, p.first, p.count]),
      [
        ["127.0.0.11", 0, 12_500],
        ["127.0.0.12", 12_500, 12_500],
        ["127.0.0.13", 25_000, 12_500],
        ["127.0.0.14", 37_500, 12_500],
      ],
    );
  });

  it("covers every user exactly once, no worker over the socket cap, addresses distinct (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200_000 }), (sessions) => {
        const plans = planWorkers(sessions);
        assert.equal(
          plans.reduce((a, p) => a + p.count, 0),
          sessions,
        );
        for (let i = 1; i < plans.length; i++) assert.equal(plans[i].first, plans[i - 1].first + plans[i - 1].count);
        assert.ok(plans.every((p) => p.count <= maxSocketsPerWorker));
        assert.equal(new Set(plans.map((p) => p.sourceAddress)).size, plans.length);
        // Ephemeral ports: Linux's default range 32768-60999 gives one source address 28,232 ports per destination.
        assert.ok(plans.every((p) => p.count < 28_232));
      }),
    );
  });

  it("spreads users round robin over the nodes and gives the last --websocket users WebSocket", () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((u) => nodeOf(u, 3)),
      [0, 1, 2, 0, 1],
    );
    assert.deepEqual(
      [97, 98, 99].map((u) => transportOf(u, 100, 2)),
      ["tls", "ws", "ws"],
    );
    assert.equal(transportOf(99, 100, 0), "tls");
  });

  it("shares a checkpoint between workers in proportion, adding up exactly and never over a worker's count", () => {
    assert.deepEqual(sharesAt(10_000, [9000, 9000]), [5000, 5000]);
    assert.deepEqual(sharesAt(10, [3, 3, 3]), [3, 3, 3]);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 6 }),
        fc.nat(100_000),
        (counts, total) => {
          const shares = sharesAt(total, counts);
          const all = counts.reduce((a, b) => a + b, 0);
          assert.equal(
            shares.reduce((a, b) => a + b, 0),
            Math.min(total, all),
          );
          for (const [i, s] of shares.entries()) assert.ok(s >= 0 && s <= counts[i]);
        },
      ),
    );
  });

  it("splits messages by weight beyond the weights' sum (more messages than sessions)", () => {
    assert.deepEqual(splitByWeight(40, [20]), [40]);
    assert.deepEqual(splitByWeight(100, [1, 1, 1]), [34, 33, 33]);
    assert.deepEqual(splitByWeight(5, [0, 0]), [0, 0]);
  });

  it("never sends a message to its own sender", () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.integer({ min: 2, max: 60_000 }), fc.nat(), (k, peers, seed) => {
        const from = seed % peers;
        const to = recipientOf(k, from, peers);
        assert.ok(from !== to && to >= 0 && to < peers);
      }),
    );
  });

  it("backs off with full jitter: within [0, min(cap, base * 2^attempt)]", () => {
    assert.equal(backoffMs(0, 1000, 30_000, 0.5), 500);
    assert.equal(backoffMs(3, 1000, 30_000, 0.999), 7992);
    assert.equal(backoffMs(10, 1000, 30_000, 0.5), 15_000);
    assert.equal(backoffMs(4, 1000, 30_000, 0), 0);
  });
});

describe("bench:im statistics", () => {
  it("takes nearest-rank percentiles", () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(sorted, 50), 50);
    assert.equal(percentile(sorted, 99), 99);
    assert.equal(percentile([7], 99), 7);
    assert.ok(Number.isNaN(percentile([], 50)));
  });

  it("summarises unsorted latencies without reordering the caller's array", () => {
    const latencies = [5, 1, 4, 2, 3];
    assert.deepEqual(summarise(latencies), { count: 5, p50Ms: 3, p99Ms: 5 });
    assert.deepEqual(latencies, [5, 1, 4, 2, 3]);
  });

  it("divides RSS growth by sessions", () => {
    assert.equal(kbPerSession(100_000, 1_100_000, 10_000), 100);
    assert.ok(Number.isNaN(kbPerSession(1, 2, 0)));
  });

  it("finds the mean and peak login rate of a storm", () => {
    const start = 1_000_000;
    const stamps = [start + 100, start + 200, start + 300, start + 1500, start + 2000];
    assert.deepEqual(rates(start, stamps), { meanPerSecond: 2.5, peakPerSecond: 3, spanMs: 2000 });
  });

  it("reports soak drift per session and per hour", () => {
    const hour = 3_600_000;
    const d = drift(
      [
        [0, 1000],
        [hour / 2, 1500],
        [hour, 2000],
      ],
      100,
    );
    assert.deepEqual(d, { startRssKb: 1000, endRssKb: 2000, kbPerSession: 10, kbPerHour: 1000 });
  });
});
