// createTransport is public (through ./impl), so an untyped caller's options are checked here too:
// a misspelt key must fail loudly rather than be ignored in favour of a default.
import { createAckClient, createCceClient } from "../../src/clients";
import { InputError } from "../../src/errors";
import { createTransport } from "../../src/transport/transport";
import { FakeClock } from "./fake-clock";
import { readOp } from "./helpers";
import { startServer } from "./loopback-server";

function issuesOf(options: unknown): { path: string; message: string }[] {
  let caught: unknown;
  try {
    createTransport(options as never);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InputError);
  expect((caught as InputError).message).toContain("createTransport");
  return [...(caught as InputError).issues].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

describe("createTransport options", () => {
  it("names every unknown key, top-level and nested, with a did-you-mean for a near miss", () => {
    expect(
      issuesOf({
        UserAgent: "ua",
        retries: 3,
        retry: { maxAtempts: 2, MaxDelayMs: 5 },
        timeouts: { headers: 5 },
        limits: { Burst: 3, speed: 1 },
      }),
    ).toEqual([
      { path: "UserAgent", message: "unknown option; did you mean userAgent?" },
      { path: "limits.Burst", message: "unknown option; did you mean burst?" },
      // Nothing near: the list of options instead.
      { path: "limits.speed", message: expect.stringContaining("unknown option; the options are ") },
      { path: "retries", message: "unknown option; did you mean retry?" },
      { path: "retry.MaxDelayMs", message: "unknown option; did you mean maxDelayMs?" },
      { path: "retry.maxAtempts", message: "unknown option; did you mean maxAttempts?" },
      { path: "timeouts.headers", message: "unknown option; did you mean headersMs?" },
    ]);
  });

  it("names every setting of the wrong type in one InputError, not a RangeError for the first", () => {
    expect(
      issuesOf({
        dispatcher: 7,
        clock: { now: () => 0 },
        log: "console",
        userAgent: "",
        timeouts: "fast",
        retry: { maxAttempts: 0, deadlineMs: Number.NaN },
        limits: { concurrency: 1.5, ratePerSecond: "20" },
      }),
    ).toEqual([
      { path: "clock", message: "must have now(), sleep() and random()" },
      { path: "dispatcher", message: "must be an undici Dispatcher" },
      { path: "limits.concurrency", message: "must be a positive integer" },
      { path: "limits.ratePerSecond", message: "must be a positive number" },
      { path: "log", message: "must be a function" },
      { path: "retry.deadlineMs", message: "must be a positive number" },
      { path: "retry.maxAttempts", message: "must be a positive integer" },
      { path: "timeouts", message: "must be an object of connectMs, headersMs, bodyMs" },
      { path: "userAgent", message: "must be a non-empty string" },
    ]);
    expect(issuesOf(null)).toEqual([{ path: "options", message: "must be an object, got null" }]);
  });

  it("lets keys whose value is undefined through, the setting keeping its default, and sends over loopback", async () => {
    const server = await startServer((req, res) =>
      res.end(JSON.stringify({ ua: req.headers["user-agent"] })),
    );
    try {
      const transport = createTransport({
        clock: new FakeClock(),
        userAgent: undefined,
        retry: { maxAttempts: undefined, deadlineMs: 60_000 },
        spare: undefined,
      } as never);
      const response = await transport.send({ method: "GET", url: `${server.url}/a`, headers: {} }, readOp);
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body).ua).toMatch(/^upgrade-guard\//);
      await transport.close();
    } finally {
      await server.close();
    }
  });

  // Node clamps a timer above 2^31 - 1 ms to 1 ms: such a deadline used to fail every send at once.
  const MAX_TIMER_MS = 2_147_483_647;
  const durations = [
    ["timeouts", "connectMs"],
    ["timeouts", "headersMs"],
    ["timeouts", "bodyMs"],
    ["retry", "baseDelayMs"],
    ["retry", "maxDelayMs"],
    ["retry", "deadlineMs"],
  ] as const;

  it.each(durations)("refuses %s.%s above 2147483647 ms, naming the field and the limit", (group, key) => {
    const tooLong = { [group]: { [key]: MAX_TIMER_MS + 1 } };
    const expected = [
      {
        path: `${group}.${key}`,
        message: expect.stringContaining("must be at most 2147483647 ms (about 24.8 days)"),
      },
    ];
    expect(issuesOf(tooLong)).toEqual(expected);
    expect(issuesOf({ [group]: { [key]: 30 * 86_400_000 } })).toEqual(expected);
    // The clients take the same options and refuse them when created, not at the first call.
    for (const create of [createCceClient, createAckClient]) {
      let caught: unknown;
      try {
        create({ transport: tooLong });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InputError);
      expect((caught as InputError).message).toContain(
        `transport.${group}.${key}: must be at most 2147483647 ms`,
      );
    }
  });

  it("takes every duration at exactly 2147483647 ms and still sends over loopback", async () => {
    const server = await startServer((_req, res) => res.end("ok"));
    const settings: Record<string, Record<string, number>> = {};
    for (const [group, key] of durations) (settings[group] ??= {})[key] = MAX_TIMER_MS;
    // A too-long deadline failed this send at once (DEADLINE_EXCEEDED) instead of waiting.
    const transport = createTransport(settings);
    try {
      const response = await transport.send({ method: "GET", url: `${server.url}/a`, headers: {} }, readOp);
      expect(response.status).toBe(200);
      expect(response.body).toBe("ok");
    } finally {
      await transport.close();
      await server.close();
    }
  });
});
