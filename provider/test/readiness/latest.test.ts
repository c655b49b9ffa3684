import { InputError } from "../../src/errors";
import {
  DEFAULT_MAX_CHECK_AGE_MS,
  MAX_CLOCK_SKEW_MS,
  checkExpiresAt,
  checkFreshness,
  selectLatestCheck,
  selectLatestPerKey,
} from "../../src/readiness/latest";
import { UNKNOWN_CREATION_TIME } from "../../src/readiness/model";

interface Item {
  id: string;
  created?: string;
  target?: string;
}

const select = (items: Item[], targetVersion: string, acceptUnknownTarget?: boolean): string | undefined =>
  selectLatestCheck(items, {
    targetVersion,
    createdAt: (item) => item.created,
    targetOf: (item) => item.target,
    ...(acceptUnknownTarget === undefined ? {} : { acceptUnknownTarget }),
  })?.id;

describe("selectLatestCheck", () => {
  const items: Item[] = [
    { id: "old-1.30", created: "2025-08-05T08:00:00Z", target: "v1.30" },
    { id: "new-1.30-patch", created: "2025-08-05T09:00:00.000Z", target: "v1.30.4-r0" },
    { id: "newest-1.31", created: "2025-08-05T09:30:00Z", target: "v1.31" },
    // Same instant written with an offset: earlier than new-1.30-patch.
    { id: "offset-1.30", created: "2025-08-05T16:30:00+08:00", target: "v1.30" },
    { id: "no-target", created: "2025-08-05T12:00:00Z" },
  ];

  it.each([
    ["newest among matching targets (minor and patch match each other)", "v1.30", "new-1.30-patch"],
    ["a patch request is served by a minor or the same patch", "v1.30.4-r0", "new-1.30-patch"],
    ["another patch of the minor does not match the patch-level check", "v1.30.5-r0", "offset-1.30"],
    ["other minor", "v1.31", "newest-1.31"],
    ["nothing matches", "v1.32", undefined],
  ])("%s: %s -> %s", (_name, target, expected) => {
    expect(select(items, target)).toBe(expected);
  });

  it("takes an unknown-target check only when told to", () => {
    expect(select(items, "v1.32")).toBeUndefined();
    expect(select(items, "v1.32", true)).toBe("no-target");
  });

  it("takes an unknown-target check only when made after unknownTargetCreatedAfter; known targets are unaffected", () => {
    const since = (instant: string): string | undefined =>
      selectLatestCheck(items, {
        targetVersion: "v1.30",
        createdAt: (item) => item.created,
        targetOf: (item) => item.target,
        acceptUnknownTarget: true,
        unknownTargetCreatedAfter: Date.parse(instant),
      })?.id;
    expect(since("2025-08-05T11:59:59Z")).toBe("no-target");
    // Made at that very instant or before it: the check of the upgrade that happened then.
    expect(since("2025-08-05T12:00:00Z")).toBe("new-1.30-patch");
    expect(since("2025-08-06T00:00:00Z")).toBe("new-1.30-patch");
  });

  it("orders by the instant, not the text; a matching item with no readable time wins (it may be the newest)", () => {
    const onlyUnreadable: Item[] = [
      { id: "no-time", target: "v1.30" },
      { id: "bad-time", created: "yesterday", target: "v1.30" },
    ];
    expect(select(onlyUnreadable, "v1.30")).toBe("no-time");
    expect(select(onlyUnreadable, "v1.31")).toBeUndefined();
    const dated = { id: "dated", created: "2025-08-05T09:00:00Z", target: "v1.30" };
    expect(select([dated, { id: "undated", target: "v1.30" }], "v1.30")).toBe("undated");
    // With an unknown target: counts when such items may be chosen, whatever unknownTargetCreatedAfter says.
    const undatedNoTarget = [dated, { id: "undated-no-target" }];
    expect(select(undatedNoTarget, "v1.30")).toBe("dated");
    expect(
      selectLatestCheck(undatedNoTarget, {
        targetVersion: "v1.30",
        createdAt: (item: Item) => item.created,
        targetOf: (item: Item) => item.target,
        acceptUnknownTarget: true,
        unknownTargetCreatedAfter: Date.parse("2025-08-05T08:00:00Z"),
      })?.id,
    ).toBe("undated-no-target");
    const mixedZones: Item[] = [
      { id: "utc-later", created: "2025-08-05T09:00:01Z", target: "v1.30" },
      { id: "cst-earlier-text-larger", created: "2025-08-05T17:00:00+08:00", target: "v1.30" },
    ];
    expect(select(mixedZones, "v1.30")).toBe("utc-later");
  });

  it("keeps the first of equal creation times", () => {
    const ties: Item[] = [
      { id: "first", created: "2025-08-05T09:00:00Z", target: "v1.30" },
      { id: "second", created: "2025-08-05T09:00:00Z", target: "v1.30" },
    ];
    expect(select(ties, "v1.30")).toBe("first");
  });
});

describe("selectLatestCheck: creation times in the future", () => {
  const now = Date.parse("2025-08-05T10:00:00Z");
  const pick = (items: Item[]): string | undefined =>
    selectLatestCheck(items, {
      targetVersion: "v1.30",
      createdAt: (item) => item.created,
      targetOf: (item) => item.target,
      now,
    })?.id;

  it("a check dated beyond the clock skew allowance never wins over one with a believable time", () => {
    expect(MAX_CLOCK_SKEW_MS).toBe(60_000);
    const real = { id: "real", created: "2025-08-05T09:58:00Z", target: "v1.30" };
    expect(pick([real, { id: "future", created: "2026-01-01T00:00:00Z", target: "v1.30" }])).toBe("real");
    expect(pick([{ id: "future", created: "2025-08-05T10:01:01Z", target: "v1.30" }, real])).toBe("real");
  });

  it("within the allowance it is simply the newest; with nothing else it is still chosen (and judged not fresh)", () => {
    const real = { id: "real", created: "2025-08-05T09:58:00Z", target: "v1.30" };
    expect(pick([real, { id: "skewed", created: "2025-08-05T10:00:59Z", target: "v1.30" }])).toBe("skewed");
    expect(pick([{ id: "future", created: "2026-01-01T00:00:00Z", target: "v1.30" }])).toBe("future");
  });
});

describe("selectLatestPerKey", () => {
  it("keeps the newest per key in first-seen key order", () => {
    const tasks = [
      { id: "coredns-old", addon: "coredns", created: "2025-08-05T08:00:00Z" },
      { id: "everest", addon: "everest", created: "2025-08-05T08:30:00Z" },
      { id: "coredns-new", addon: "coredns", created: "2025-08-05T09:00:00Z" },
      { id: "coredns-undated", addon: "coredns", created: undefined },
    ];
    const latest = selectLatestPerKey(
      tasks,
      (t) => t.addon,
      (t) => t.created,
    );
    expect(latest.map((t) => t.id)).toEqual(["coredns-new", "everest"]);
  });
});

describe("checkFreshness", () => {
  const now = Date.parse("2025-08-05T10:00:00Z");

  it.each([
    [
      "vendor expiry in the future: fresh even when older than an hour",
      { createdAt: "2025-08-05T07:00:00Z", expiresAt: "2025-08-05T10:00:01Z" },
      undefined,
      { fresh: true, ageMs: 3 * 3_600_000 },
    ],
    [
      "vendor expiry reached: expired",
      { createdAt: "2025-08-05T09:00:00Z", expiresAt: "2025-08-05T10:00:00Z" },
      undefined,
      { fresh: false, ageMs: 3_600_000, staleBecause: "expired" },
    ],
    [
      "no expiry, younger than the default hour: fresh",
      { createdAt: "2025-08-05T09:00:01Z" },
      undefined,
      { fresh: true, ageMs: 3_599_000, maxAgeMs: DEFAULT_MAX_CHECK_AGE_MS },
    ],
    [
      "no expiry, exactly one hour: still fresh",
      { createdAt: "2025-08-05T09:00:00Z" },
      undefined,
      { fresh: true, ageMs: 3_600_000, maxAgeMs: DEFAULT_MAX_CHECK_AGE_MS },
    ],
    [
      "no expiry, older than the default hour: too old",
      { createdAt: "2025-08-05T08:59:59Z" },
      undefined,
      { fresh: false, ageMs: 3_601_000, staleBecause: "too-old", maxAgeMs: DEFAULT_MAX_CHECK_AGE_MS },
    ],
    [
      "explicit max age applies on top of a vendor expiry",
      { createdAt: "2025-08-05T09:50:00Z", expiresAt: "2025-08-05T10:50:00Z" },
      300_000,
      { fresh: false, ageMs: 600_000, staleBecause: "too-old", maxAgeMs: 300_000 },
    ],
    [
      "explicit max age longer than the default",
      { createdAt: "2025-08-05T08:00:00Z" },
      3 * 3_600_000,
      { fresh: true, ageMs: 2 * 3_600_000, maxAgeMs: 3 * 3_600_000 },
    ],
    [
      "created in the future within the clock skew allowance: age 0",
      { createdAt: "2025-08-05T10:01:00Z" },
      undefined,
      { fresh: true, ageMs: 0, maxAgeMs: DEFAULT_MAX_CHECK_AGE_MS },
    ],
    [
      "created further in the future than the clock skew allowance: not fresh, whatever the max age",
      { createdAt: "2025-08-05T10:01:00.001Z" },
      undefined,
      { fresh: false, ageMs: 0, staleBecause: "in-future", maxAgeMs: DEFAULT_MAX_CHECK_AGE_MS },
    ],
    [
      "a year in the future with an explicit max age: not fresh",
      { createdAt: "2026-08-05T10:00:00Z" },
      600_000,
      { fresh: false, ageMs: 0, staleBecause: "in-future", maxAgeMs: 600_000 },
    ],
    [
      "unreadable creation time: undated, never fresh",
      { createdAt: "not a time" },
      undefined,
      {
        fresh: false,
        ageMs: Number.POSITIVE_INFINITY,
        staleBecause: "undated",
        maxAgeMs: DEFAULT_MAX_CHECK_AGE_MS,
      },
    ],
    [
      "no creation time sent (UNKNOWN_CREATION_TIME): undated, even with a vendor expiry ahead",
      { createdAt: UNKNOWN_CREATION_TIME, expiresAt: "2025-08-05T10:30:00Z" },
      undefined,
      { fresh: false, ageMs: Number.POSITIVE_INFINITY, staleBecause: "undated" },
    ],
  ])("%s", (_name, check, maxAgeMs, expected) => {
    expect(checkFreshness(check, { now, ...(maxAgeMs === undefined ? {} : { maxAgeMs }) })).toEqual(expected);
  });
});

describe("checkExpiresAt: when a check stops counting", () => {
  const created = "2025-08-05T09:50:00Z";
  const at = (iso: string): number => Date.parse(iso);

  it.each([
    [
      "vendor expiry only",
      { createdAt: created, expiresAt: "2025-08-05T10:40:00Z" },
      undefined,
      "2025-08-05T10:40:00Z",
    ],
    [
      "no vendor expiry: creation + the default hour",
      { createdAt: created },
      undefined,
      "2025-08-05T10:50:00Z",
    ],
    ["no vendor expiry, maximum age 30 min", { createdAt: created }, 30 * 60_000, "2025-08-05T10:20:00Z"],
    [
      "the earlier of vendor expiry and maximum age",
      { createdAt: created, expiresAt: "2025-08-05T10:40:00Z" },
      15 * 60_000,
      "2025-08-05T10:05:00Z",
    ],
    [
      "a vendor expiry earlier than the maximum age",
      { createdAt: created, expiresAt: "2025-08-05T10:00:00Z" },
      3 * 3_600_000,
      "2025-08-05T10:00:00Z",
    ],
    [
      "an unreadable vendor expiry counts as none",
      { createdAt: created, expiresAt: "soon" },
      undefined,
      "2025-08-05T10:50:00Z",
    ],
  ])("%s", (_name, check, maxAgeMs, expected) => {
    expect(checkExpiresAt(check, maxAgeMs)).toBe(at(expected));
  });

  it("is undefined when neither the creation time nor an expiry can be read", () => {
    expect(checkExpiresAt({ createdAt: "not a time" })).toBeUndefined();
    expect(checkExpiresAt({ createdAt: "not a time" }, 60_000)).toBeUndefined();
  });

  // One rule: checkFreshness calls a check fresh before the instant and stale after it.
  it.each([
    [{ createdAt: created }, undefined],
    [{ createdAt: created }, 20 * 60_000],
    [{ createdAt: created, expiresAt: "2025-08-05T10:40:00Z" }, undefined],
    [{ createdAt: created, expiresAt: "2025-08-05T10:40:00Z" }, 15 * 60_000],
    [{ createdAt: created, expiresAt: "2025-08-05T10:00:00Z" }, 3 * 3_600_000],
  ])("agrees with checkFreshness for %p, max age %p", (check, maxAgeMs) => {
    const expiry = checkExpiresAt(check, maxAgeMs);
    if (expiry === undefined) throw new Error("expected an expiry");
    const fresh = (now: number) =>
      checkFreshness(check, { now, ...(maxAgeMs === undefined ? {} : { maxAgeMs }) }).fresh;
    expect([fresh(expiry - 60_000), fresh(expiry - 1), fresh(expiry + 1), fresh(expiry + 60_000)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it("names a bad argument instead of guessing", () => {
    expect(() => checkExpiresAt(null as never)).toThrow(/checkExpiresAt[\s\S]*check/);
    expect(() => checkExpiresAt({ createdAt: created }, Number.NaN)).toThrow(/maxAgeMs/);
  });
});

describe("bad arguments from untyped callers", () => {
  function issuesOf(run: () => unknown): string[] {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      return (error as InputError).issues.map((issue) => issue.path);
    }
    throw new Error("expected an InputError");
  }

  it("checkFreshness names the bad field instead of crashing", () => {
    expect(issuesOf(() => checkFreshness(null as never, undefined as never))).toEqual(["check", "options"]);
  });

  // NaN makes every comparison false, which would call any check fresh: it must fail closed.
  it.each([
    [{ now: Number.NaN }, "options.now"],
    [{ now: Date.parse("2025-01-01T00:00:00Z"), maxAgeMs: Number.NaN }, "options.maxAgeMs"],
    [{ now: Date.parse("2025-01-01T00:00:00Z"), maxAgeMs: -1 }, "options.maxAgeMs"],
  ])("checkFreshness refuses %p instead of calling the check fresh", (options, path) => {
    expect(issuesOf(() => checkFreshness({ createdAt: "2020-01-01T00:00:00Z" }, options))).toEqual([path]);
  });

  it("selectLatestCheck and selectLatestPerKey name each bad argument", () => {
    expect(issuesOf(() => selectLatestCheck(null as never, undefined as never))).toEqual([
      "items",
      "options",
    ]);
    expect(
      issuesOf(() =>
        selectLatestCheck([], { targetVersion: 1, createdAt: "x", targetOf: () => "v1" } as never),
      ),
    ).toEqual(["options.targetVersion", "options.createdAt"]);
    expect(issuesOf(() => selectLatestPerKey([], 1 as never, 2 as never))).toEqual(["keyOf", "createdAt"]);
  });
});
