/** Small pieces with injected clocks: virtual clock, task progression, versions, formats, caches. */
import { NonceCache } from "../src/auth/nonce-cache";
import { isLoopback } from "../src/server/http-io";
import { RequestLog, type RecordedRequest } from "../src/server/request-log";
import { Router } from "../src/server/router";
import { newTaskClock, observeClock, percentDone, settleClock, stageOf } from "../src/state/progress";
import {
  ccePatchVersion,
  compareVersions,
  findTarget,
  splitCceVersion,
  targetsAfter,
} from "../src/state/versions";
import { VirtualClock } from "../src/util/clock";
import { ackCheckId } from "../src/util/ids";
import {
  goTimeString,
  parseDuration,
  plainDateTime,
  rfc3339Micro,
  rfc3339NanoUtc,
  rfc3339Seconds,
} from "../src/util/time-format";

describe("VirtualClock", () => {
  it("flows with real time plus advances; frozen stands still; never goes back", () => {
    let real = 1_000_000;
    const flowing = new VirtualClock({ realNow: () => real });
    const frozen = new VirtualClock({ realNow: () => real, frozen: true, startAt: 5 });
    real += 250;
    expect(flowing.now()).toBe(1_000_250);
    expect(frozen.now()).toBe(5);
    expect(flowing.advance(1000)).toBe(1_001_250);
    expect(flowing.wallNow()).toBe(1_000_250);
    expect(flowing.offsetMs()).toBe(1000);
    expect(() => flowing.advance(-1)).toThrow(RangeError);
    frozen.restoreOffset(42);
    expect(frozen.now()).toBe(real + 42);
    frozen.reset();
    expect(frozen.now()).toBe(5);
  });
});

describe("task progression", () => {
  it("is Init, then Running after a read, then done after N reads", () => {
    const clock = newTaskClock(0, { polls: 2 });
    expect(stageOf(clock, 0)).toBe("init");
    expect(observeClock(clock, 0)).toBe(false);
    expect(stageOf(clock, 0)).toBe("running");
    expect(observeClock(clock, 10)).toBe(true);
    expect([stageOf(clock, 10), clock.finishedAt]).toEqual(["done", 10]);
    expect(percentDone(clock, 10)).toBe(100);
  });

  it("finishes at creation + duration when time runs out first", () => {
    const clock = newTaskClock(1000, { polls: 10, durationMs: 5000 });
    expect(stageOf(clock, 1500)).toBe("init");
    expect(stageOf(clock, 2000)).toBe("running");
    expect(percentDone(clock, 3500)).toBe(50);
    expect(settleClock(clock, 9999)).toBe(true);
    expect(clock.finishedAt).toBe(6000);
    expect(settleClock(clock, 10_000)).toBe(false);
  });

  it("never finishes without polls or duration; polls 0 finishes at once", () => {
    const manual = newTaskClock(0, {});
    for (let i = 0; i < 100; i++) observeClock(manual, i * 1e9);
    expect(manual.finishedAt).toBeUndefined();
    expect(newTaskClock(7, { polls: 0 }).finishedAt).toBe(7);
  });
});

describe("versions", () => {
  it("compares, matches and resolves CCE and ACK versions", () => {
    expect(compareVersions("v1.30", "v1.29.5-r0")).toBeGreaterThan(0);
    expect(compareVersions("1.32.1-aliyun.1", "1.32.1-aliyun.2")).toBeLessThan(0);
    expect(findTarget("v1.30.0-r0", ["v1.30"])).toBe("v1.30");
    expect(findTarget("v1.3", ["v1.30"])).toBeUndefined();
    expect(findTarget("1.32.1-aliyun.1", ["1.32.1-aliyun.1"])).toBe("1.32.1-aliyun.1");
    expect(ccePatchVersion("v1.30")).toBe("v1.30.0-r0");
    expect(ccePatchVersion("v1.30.2")).toBe("v1.30.2-r0");
    expect(splitCceVersion("v1.19.16-r80")).toEqual({ release: "v1.19.16", patch: "r80" });
    expect(targetsAfter("v1.30.0-r0", ["v1.30", "v1.31"])).toEqual(["v1.31"]);
  });
});

describe("time formats", () => {
  const t = Date.UTC(2023, 10, 25, 6, 32, 34, 920);
  it("writes each vendor dialect", () => {
    expect(goTimeString(t)).toBe("2023-11-25 06:32:34.92 +0000 UTC");
    expect(goTimeString(Date.UTC(2023, 10, 25, 6, 32, 34))).toBe("2023-11-25 06:32:34 +0000 UTC");
    expect(rfc3339Micro(t)).toBe("2023-11-25T14:32:34.920000+08:00");
    expect(rfc3339NanoUtc(t)).toBe("2023-11-25T06:32:34.92Z");
    expect(rfc3339Seconds(t)).toBe("2023-11-25T14:32:34+08:00");
    expect(plainDateTime(t)).toBe("2023-11-25 14:32:34"); // zone-less, UTC+8 like the fields beside it
    expect(ackCheckId("cabc", 1697100584236)).toMatch(/^1697100584236000000-cabc-clustercheck-[a-z]{5}$/);
  });

  it("parses durations", () => {
    expect(["250ms", "90s", "5m", "2h", "1d", 42, "7"].map((d) => parseDuration(d))).toEqual([
      250, 90_000, 300_000, 7_200_000, 86_400_000, 42, 7,
    ]);
    expect(parseDuration("soon")).toBeUndefined();
    expect(parseDuration(-1)).toBeUndefined();
  });
});

describe("NonceCache", () => {
  it("refuses a nonce inside the window, forgets it after, and stays within capacity", () => {
    const cache = new NonceCache(1000, 3);
    expect(cache.claim("ak", "n1", 0)).toBe(true);
    expect(cache.claim("ak", "n1", 500)).toBe(false);
    expect(cache.claim("other", "n1", 500)).toBe(true);
    expect(cache.claim("ak", "n1", 1001)).toBe(true);
    for (let i = 0; i < 10; i++) cache.claim("ak", `x${i}`, 1100);
    expect(cache.size).toBe(3);
  });

  it("keeps a nonce claimed again after expiry when its older slot is evicted", () => {
    const cache = new NonceCache(1000, 10);
    cache.claim("ak", "k", 0);
    cache.claim("ak", "k", 1500);
    // The first slot (expired) is dropped on this call; the second claim must survive it.
    expect(cache.claim("ak", "other", 1600)).toBe(true);
    expect(cache.claim("ak", "k", 1700)).toBe(false);
  });
});

describe("RequestLog", () => {
  const entry = (seq: number): RecordedRequest =>
    ({
      seq,
      wallMs: Date.UTC(2026, 0, 1, 0, 0, seq),
      method: "GET",
      path: "/",
      status: 200,
    }) as unknown as RecordedRequest;
  it("keeps the last N entries oldest first", () => {
    const log = new RequestLog(3);
    for (let i = 1; i <= 7; i++) log.add(entry(i));
    expect(log.list().map((e) => e.seq)).toEqual([5, 6, 7]);
    // Arrival times are kept as numbers and listed as ISO 8601, `time` right after `seq`.
    expect(log.list()[0]).toEqual({
      seq: 5,
      time: "2026-01-01T00:00:05.000Z",
      method: "GET",
      path: "/",
      status: 200,
    });
    expect(Object.keys(log.list()[0] ?? {}).slice(0, 2)).toEqual(["seq", "time"]);
    log.clear();
    expect(log.list()).toEqual([]);
    const none = new RequestLog(0);
    none.add(entry(1));
    expect(none.list()).toEqual([]);
  });
});

describe("Router", () => {
  const handler = () => ({ status: 200 });
  const router = new Router([
    { service: "ack", operation: "A", method: "GET", path: "/clusters/{id}", auth: "none", handler },
    { service: "ack", operation: "B", method: "GET", path: "/clusters/{id}/checks", auth: "none", handler },
  ]);
  it("matches templates by segment and extracts parameters", () => {
    expect(router.match("GET", ["clusters", "c1"])).toMatchObject({
      route: { operation: "A" },
      params: { id: "c1" },
    });
    expect(router.match("GET", ["clusters", "c1", "checks"])?.route.operation).toBe("B");
    expect(router.match("GET", ["clusters", ""])).toBeUndefined();
    expect(router.match("POST", ["clusters", "c1"])).toBeUndefined();
  });
});

it("isLoopback", () => {
  expect(["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"].map(isLoopback)).toEqual([
    true,
    true,
    true,
    true,
  ]);
  expect(["10.0.0.1", "::ffff:10.0.0.1", undefined].map(isLoopback)).toEqual([false, false, false]);
});
