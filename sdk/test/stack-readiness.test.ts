// readinessFromStack, check by check. The producer stack is a mock (pulumi.runtime.setMocks
// answering the StackReference read with chosen outputs): each test needs an exact, hand-made entry
// (a digest cut short, an observedAt two hours back, a summary from another cluster), which a real
// producer stack never writes. The real path, a producer deployed with `up` and a consumer run by the
// language host against its state, is test/harness/consumer.test.ts.
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_MAX_CHECK_AGE_MS, InputError } from "@upgrade-guard/provider";
import { readinessFromStack, type AcceptedReadiness } from "@upgrade-guard/sdk";

/** Outputs of the producer stacks, by stack name; each test sets its own. */
const stacks: Record<string, Record<string, unknown>> = {};
let secretOutputs: string[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        if (args.type !== "pulumi:pulumi:StackReference") throw new Error(`unexpected ${args.type}`);
        return {
          id: args.name,
          state: { name: args.name, outputs: stacks[args.name] ?? {}, secretOutputNames: secretOutputs },
        };
      },
      call: () => ({}),
    },
    "consumer",
    "dev",
    false,
  );
});

const NOW = Date.parse("2026-03-01T12:00:00.000Z");
const minutes = (n: number): string => new Date(NOW + n * 60_000).toISOString();
const DIGEST = `sha256:${"ab".repeat(32)}`;

/** An entry as examples/readiness exports it, observed 5 minutes before NOW. */
function entry(overrides: Record<string, unknown> = {}, summary: Record<string, unknown> = {}) {
  return {
    cloud: "cce",
    clusterId: "6e858455-05cc-4eed-bff2-f1190b86e87b",
    currentVersion: "v1.29.5-r0",
    targetVersion: "v1.30",
    allowed: true,
    verdict: "ready",
    worstSeverity: "warning",
    reasons: ["The upgrade may proceed."],
    summary: {
      clusterId: "6e858455-05cc-4eed-bff2-f1190b86e87b",
      currentVersion: "v1.29.5-r0",
      targetVersion: "v1.30",
      checkId: "c9033179-be15-4776-a569-35c23bf05c92",
      checkCreatedAt: minutes(-10),
      worstSeverity: "warning",
      verdict: "ready",
      observedAt: minutes(-5),
      expiresAt: minutes(50),
      digest: DIGEST,
      ...summary,
    },
    ...overrides,
  };
}

const blockedEntry = () =>
  entry(
    {
      cloud: "ack",
      clusterId: "c22339874b79620c333d6ec000b8f8592",
      currentVersion: "1.31.1-aliyun.1",
      allowed: false,
      verdict: "blocked",
      worstSeverity: "fatal",
    },
    {
      clusterId: "c22339874b79620c333d6ec000b8f8592",
      currentVersion: "1.31.1-aliyun.1",
      verdict: "blocked",
      worstSeverity: "fatal",
    },
  );

let counter = 0;
/** A StackReference to a fresh mock stack holding `outputs`. */
function producer(outputs: Record<string, unknown>): pulumi.StackReference {
  const name = `acme/readiness/case-${++counter}`;
  stacks[name] = outputs;
  return new pulumi.StackReference(name);
}

interface OutputInternals<T> {
  promise(): Promise<T>;
  readonly isKnown: Promise<boolean>;
  readonly isSecret: Promise<boolean>;
  allResources(): Promise<unknown>;
}

/**
 * The resolved value, or the rejection. `promise()` and `allResources()` are internal to
 * @pulumi/pulumi, hence the cast; a failed apply rejects all four promises, and Pulumi's runtime
 * (absent here) would be the one to handle the three not awaited, so they are handled here.
 */
function settle<T>(output: pulumi.Output<T>): Promise<T> {
  const internals = output as unknown as OutputInternals<T>;
  for (const other of [internals.isKnown, internals.isSecret, internals.allResources()])
    other.catch(() => undefined);
  return internals.promise();
}

async function read(
  entries: Record<string, unknown>,
  options: Parameters<typeof readinessFromStack>[1] = {},
): Promise<AcceptedReadiness> {
  return settle(readinessFromStack(producer({ readiness: entries }), { now: () => NOW, ...options }));
}

let warnings: string[];
let warn: jest.SpyInstance;
beforeEach(() => {
  warnings = [];
  secretOutputs = [];
  warn = jest.spyOn(pulumi.log, "warn").mockImplementation((message: string) => {
    warnings.push(message);
    return Promise.resolve();
  });
});
afterEach(() => warn.mockRestore());

it("accepts fresh, intact entries, blocked ones included: accepted is not allowed", async () => {
  const result = await read({ "cce-ready": entry(), "ack-blocked": blockedEntry() });
  expect(result.refused).toEqual({});
  expect(result.accepted).toEqual({ "cce-ready": entry(), "ack-blocked": blockedEntry() });
  expect(result.accepted["ack-blocked"]?.allowed).toBe(false);
  expect(warnings).toEqual([]);
});

it("refuses a reading older than maxAgeMs, default DEFAULT_MAX_CHECK_AGE_MS, at the millisecond", async () => {
  const observedAt = (ms: number) => new Date(NOW - ms).toISOString();
  const limit = await read({
    edge: entry({}, { observedAt: observedAt(DEFAULT_MAX_CHECK_AGE_MS) }),
    past: entry({}, { observedAt: observedAt(DEFAULT_MAX_CHECK_AGE_MS + 1) }),
  });
  expect(Object.keys(limit.accepted)).toEqual(["edge"]);
  expect(limit.refused).toEqual({
    past: `stale: observed at ${observedAt(DEFAULT_MAX_CHECK_AGE_MS + 1)}, 1 h ago, older than the maximum age of 1 h`,
  });

  // An explicit maximum: the 5-minute-old entry is too old for 2 minutes, fine for 10.
  expect((await read({ e: entry() }, { maxAgeMs: 2 * 60_000 })).refused).toEqual({
    e: `stale: observed at ${minutes(-5)}, 5 min ago, older than the maximum age of 2 min`,
  });
  expect(Object.keys((await read({ e: entry() }, { maxAgeMs: 10 * 60_000 })).accepted)).toEqual(["e"]);
});

it("refuses a summary whose check has expired, even when the reading is recent", async () => {
  const result = await read({
    e: entry({}, { expiresAt: minutes(-1) }),
    now: entry({}, { expiresAt: minutes(0) }),
  });
  expect(result.accepted).toEqual({});
  expect(result.refused).toEqual({
    e: `expired: its check expired at ${minutes(-1)}`,
    now: `expired: its check expired at ${minutes(0)}`,
  });
});

it("accepts a summary without expiresAt (no check was found: the verdict says so)", async () => {
  const { expiresAt: _e, checkId: _c, checkCreatedAt: _t, ...summary } = entry().summary;
  const noCheck = {
    ...entry({ verdict: "unknown", allowed: false }),
    summary: { ...summary, verdict: "unknown" },
  };
  expect((await read({ unchecked: noCheck })).accepted).toEqual({ unchecked: noCheck });
});

it("refuses a summary that names a check but not when it expires", async () => {
  const { expiresAt: _e, ...summary } = entry().summary;
  expect((await read({ e: { ...entry(), summary } })).refused).toEqual({
    e: "summary names check c9033179-be15-4776-a569-35c23bf05c92 but not when it expires",
  });
});

it("refuses an observedAt in the future beyond a minute of clock skew", async () => {
  const result = await read({
    skew: entry({}, { observedAt: minutes(1) }),
    future: entry({}, { observedAt: minutes(90) }),
  });
  expect(Object.keys(result.accepted)).toEqual(["skew"]);
  expect(result.refused).toEqual({ future: `observedAt ${minutes(90)} is 1 h 30 min in the future` });
});

it("refuses a malformed summary: missing digest, unknown key, bad time, unknown verdict", async () => {
  const { digest: _d, ...noDigest } = entry().summary;
  const result = await read({
    noDigest: { ...entry(), summary: noDigest },
    extraKey: entry({}, { trustMe: true }),
    badTime: entry({}, { observedAt: "yesterday" }),
    badVerdict: entry({}, { verdict: "fine" }),
    noSummary: entry({ summary: undefined }),
  });
  expect(result.accepted).toEqual({});
  expect(result.refused["noDigest"]).toMatch(/^summary is malformed \(digest: /);
  expect(result.refused["extraKey"]).toMatch(/^summary is malformed \(.*trustMe/);
  expect(result.refused["badTime"]).toBe("summary is malformed (observedAt: must be an ISO 8601 timestamp)");
  expect(result.refused["badVerdict"]).toMatch(/^summary is malformed \(verdict: /);
  expect(result.refused["noSummary"]).toBe("the entry has no summary");
});

it("refuses a digest that is not sha256:<64 hex digits>", async () => {
  const result = await read({
    short: entry({}, { digest: "sha256:abc" }),
    upper: entry({}, { digest: `sha256:${"AB".repeat(32)}` }),
    other: entry({}, { digest: `md5:${"ab".repeat(16)}` }),
  });
  expect(result.accepted).toEqual({});
  expect(result.refused).toEqual({
    short: 'summary digest "sha256:abc" is not sha256:<64 hex digits>',
    upper: `summary digest "sha256:${"AB".repeat(32)}" is not sha256:<64 hex digits>`,
    other: `summary digest "md5:${"ab".repeat(16)}" is not sha256:<64 hex digits>`,
  });
});

it("refuses a summary that disagrees with its entry: verdict, severity, cluster, versions, allowed", async () => {
  const { clusterId: _c, ...anonymous } = entry().summary;
  const result = await read({
    verdict: entry({ verdict: "blocked", allowed: false }),
    severity: entry({}, { worstSeverity: "none" }),
    cluster: entry({}, { clusterId: "7bea3b6f-d9ed-4635-9e13-73250b890ec8" }),
    anonymous: { ...entry(), summary: anonymous },
    target: entry({}, { targetVersion: "v1.31" }),
    allowedBlocked: { ...blockedEntry(), allowed: true },
    readyNotAllowed: entry({ allowed: false }),
  });
  expect(result.accepted).toEqual({});
  expect(result.refused).toEqual({
    verdict: "summary verdict ready differs from the entry's blocked",
    severity: "summary worstSeverity none differs from the entry's warning",
    cluster:
      "summary clusterId 7bea3b6f-d9ed-4635-9e13-73250b890ec8 differs from the entry's 6e858455-05cc-4eed-bff2-f1190b86e87b",
    anonymous: "summary has no clusterId",
    target: "summary targetVersion v1.31 differs from the entry's v1.30",
    allowedBlocked: "verdict blocked always blocks but allowed is true",
    readyNotAllowed: "verdict ready but allowed is false",
  });
});

it("lists every problem of an entry, and refuses what is not an entry at all", async () => {
  const result = await read({
    many: entry(
      {},
      { digest: "sha256:0", verdict: "blocked", observedAt: minutes(-120), expiresAt: minutes(-60) },
    ),
    text: "ready",
    partial: { clusterId: "x", summary: entry().summary },
  });
  expect(result.accepted).toEqual({});
  expect(result.refused["many"]).toBe(
    [
      'summary digest "sha256:0" is not sha256:<64 hex digits>',
      "summary verdict blocked differs from the entry's ready",
      `stale: observed at ${minutes(-120)}, 2 h ago, older than the maximum age of 1 h`,
      `expired: its check expired at ${minutes(-60)}`,
    ].join("; "),
  );
  expect(result.refused["text"]).toMatch(/^not a readiness entry \(\(value\): /);
  expect(result.refused["partial"]).toMatch(/^not a readiness entry \(cloud: .*currentVersion: /);
});

it("logs each refused entry as a warning naming the stack, and drops none", async () => {
  const ref = producer({ readiness: { good: entry(), old: entry({}, { observedAt: minutes(-61) }) } });
  const result = await settle(readinessFromStack(ref, { now: () => NOW }));
  expect(Object.keys(result.accepted)).toEqual(["good"]);
  expect(Object.keys(result.refused)).toEqual(["old"]);
  expect(warnings).toEqual([
    `readiness of old from stack acme/readiness/case-${counter} refused: stale: observed at ${minutes(-61)}, 1 h 1 min ago, older than the maximum age of 1 h`,
  ]);
});

it("reads another output with options.output", async () => {
  const ref = producer({ readiness: { wrong: "not this one" }, elsewhere: { e: entry() } });
  const result = await settle(readinessFromStack(ref, { output: "elsewhere", now: () => NOW }));
  expect(result).toEqual({ accepted: { e: entry() }, refused: {} });
});

it("fails the program when the output is missing or is not an object of entries", async () => {
  await expect(settle(readinessFromStack(producer({ other: {} })))).rejects.toThrow(
    /^readinessFromStack: stack acme\/readiness\/case-\d+ has no output readiness \(run `up` on it first, or pass options.output\)$/,
  );
  await expect(settle(readinessFromStack(producer({ readiness: [entry()] })))).rejects.toThrow(
    /^readinessFromStack: output readiness of stack acme\/readiness\/case-\d+ is not an object of readiness entries \(an array\)$/,
  );
  await expect(settle(readinessFromStack(producer({ readiness: "ready" })))).rejects.toThrow(
    /is not an object of readiness entries \(string\)$/,
  );
});

it("keeps a secret producer output secret (and a plain one plain)", async () => {
  const plain = readinessFromStack(producer({ readiness: { e: entry() } }), { now: () => NOW });
  expect(await (plain as unknown as OutputInternals<unknown>).isSecret).toBe(false);
  secretOutputs = ["readiness"];
  const ref = producer({ readiness: pulumi.secret({ e: entry() }) });
  const output = readinessFromStack(ref, { now: () => NOW });
  expect(await (output as unknown as OutputInternals<unknown>).isSecret).toBe(true);
  expect(Object.keys((await settle(output)).accepted)).toEqual(["e"]);
});

it("logs no word of a secret producer output: a refused entry's name and reasons stay in the secret output", async () => {
  secretOutputs = ["readiness"];
  const otherCluster = "7bea3b6f-d9ed-4635-9e13-73250b890ec8";
  const ref = producer({
    readiness: pulumi.secret({ "prod-payments": entry({}, { clusterId: otherCluster }), e: entry() }),
  });
  const output = readinessFromStack(ref, { now: () => NOW });
  expect(await (output as unknown as OutputInternals<unknown>).isSecret).toBe(true);
  const result = await settle(output);
  expect(result.refused).toEqual({
    "prod-payments": `summary clusterId ${otherCluster} differs from the entry's ${entry().clusterId}`,
  });
  expect(Object.keys(result.accepted)).toEqual(["e"]);
  // The warning still says that something was refused and where to look, but nothing of the value.
  expect(warnings).toEqual([
    `readiness from stack acme/readiness/case-${counter}: 1 entry refused; the output is secret, so ` +
      "which entries and why are only in the (secret) refused output",
  ]);
  for (const secretText of [otherCluster, entry().clusterId, "prod-payments"])
    expect(warnings.join("\n")).not.toContain(secretText);
});

it("rejects bad options with an InputError naming each", () => {
  const ref = producer({ readiness: {} });
  const attempt = () =>
    readinessFromStack(ref, { maxAgeMs: -1, output: "", trust: true } as unknown as Parameters<
      typeof readinessFromStack
    >[1]);
  expect(attempt).toThrow(InputError);
  expect(attempt).toThrow(
    /^readinessFromStack \(options\): invalid arguments\n {2}- output: .*\n {2}- maxAgeMs: .*\n {2}- \(arguments\): Unrecognized key: "trust"$/,
  );
  expect(() => readinessFromStack(ref, { maxAgeMs: Number.POSITIVE_INFINITY })).toThrow(/maxAgeMs/);
});
