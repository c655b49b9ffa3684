import { TransportError } from "../../src/errors";
import {
  AccountLimiter,
  ACCOUNT_CEILING_FACTOR,
  ConcurrencyLimiter,
  DECREASE_COOLDOWN_MS,
  LimitWaitError,
  MIN_ADAPTIVE_RATE,
  TokenBucket,
} from "../../src/transport/limits";
import { FakeClock, turn } from "./fake-clock";
import { CCE, codedError, get, post, readOp, requestLog, setup } from "./helpers";

describe("rate limit (token bucket)", () => {
  it("lets a burst through at once, then spaces requests by 1/rate", async () => {
    const clock = new FakeClock();
    const { agent, transport } = setup({ clock, limits: { burst: 2, ratePerSecond: 1, concurrency: 100 } });
    // Distinct reads (identical ones in flight would be sent once).
    agent
      .get(CCE)
      .intercept({ path: (p) => p.startsWith("/x?i=") })
      .reply(200, "{}")
      .times(5);
    const start = clock.now();
    const sentAt: number[] = [];

    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        transport.send(get(`${CCE}/x?i=${i}`), {
          ...readOp,
          sign: (request) => {
            sentAt.push(clock.now() - start);
            return request;
          },
        }),
      ),
    );

    expect(sentAt).toEqual([0, 0, 1000, 2000, 3000]);
    expect(requestLog(agent)).toHaveLength(5);
  });

  it("refills over time up to the burst size", async () => {
    const clock = new FakeClock({ auto: false });
    const bucket = new TokenBucket(2, 3);
    const context = { clock, deadline: Number.POSITIVE_INFINITY };
    for (let i = 0; i < 3; i += 1) await bucket.take(context); // burst spent, no waits
    expect(clock.sleeps).toEqual([]);
    await clock.advance(60_000); // far more than needed: refill stops at the burst
    for (let i = 0; i < 3; i += 1) await bucket.take(context);
    expect(clock.sleeps).toEqual([]);
    const fourth = bucket.take(context);
    expect(clock.sleeps).toEqual([500]); // 2 per second
    await clock.advance(500);
    await fourth;
  });

  it("refuses a token wait that would end after the deadline", async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(1, 1);
    await bucket.take({ clock, deadline: clock.now() + 10_000 });
    await expect(bucket.take({ clock, deadline: clock.now() + 500 })).rejects.toEqual(
      new LimitWaitError("deadline"),
    );
    expect(clock.sleeps).toEqual([]);
  });

  it("gives the token back when the wait is aborted", async () => {
    const clock = new FakeClock({ auto: false });
    const bucket = new TokenBucket(1, 1);
    const context = { clock, deadline: Number.POSITIVE_INFINITY };
    await bucket.take(context);
    const controller = new AbortController();
    const waiting = bucket.take({ ...context, signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ reason: "aborted" });
    // The aborted reservation was returned, so the next caller waits one interval, not two.
    void bucket.take(context);
    expect(clock.sleeps).toEqual([1000, 1000]);
  });
});

describe("concurrency limit", () => {
  it("never has more than C requests in flight per origin", async () => {
    // Manual clock: no virtual time passes; the mock replies are delayed in real time to overlap.
    const clock = new FakeClock({ auto: false });
    let inFlight = 0;
    let maxInFlight = 0;
    const { agent, transport } = setup({
      clock,
      limits: { concurrency: 2, burst: 100, ratePerSecond: 100 },
      log: () => {
        inFlight -= 1; // the entry is written while the slot is still held
      },
    });
    agent
      .get(CCE)
      .intercept({ path: (p) => p.startsWith("/x?i=") })
      .reply(200, "{}")
      .delay(15)
      .times(6);

    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        transport.send(get(`${CCE}/x?i=${i}`), {
          ...readOp,
          sign: (request) => {
            inFlight += 1;
            maxInFlight = Math.max(maxInFlight, inFlight);
            return request;
          },
        }),
      ),
    );

    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(maxInFlight).toBe(2);
    expect(requestLog(agent)).toHaveLength(6);
    await agent.close();
  });

  it("limits each origin separately", async () => {
    const clock = new FakeClock({ auto: false });
    let inFlight = 0;
    let maxInFlight = 0;
    const { agent, transport } = setup({
      clock,
      limits: { concurrency: 1, burst: 100, ratePerSecond: 100 },
      log: () => {
        inFlight -= 1;
      },
    });
    const other = "https://cce.ap-southeast-1.myhuaweicloud.com";
    agent.get(CCE).intercept({ path: "/x" }).reply(200, "{}").delay(15);
    agent.get(other).intercept({ path: "/x" }).reply(200, "{}").delay(15);
    const sign = (request: Parameters<NonNullable<typeof readOp.sign>>[0]) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return request;
    };

    await Promise.all([
      transport.send(get(`${CCE}/x`), { ...readOp, sign }),
      transport.send(get(`${other}/x`), { ...readOp, sign }),
    ]);

    expect(maxInFlight).toBe(2);
    await agent.close();
  });

  it("fails a queued request with DEADLINE_EXCEEDED when its deadline passes in the queue", async () => {
    const { agent, transport } = setup({
      limits: { concurrency: 1, burst: 100, ratePerSecond: 100 },
      retry: { deadlineMs: 1000 },
    });
    agent.get(CCE).intercept({ path: "/slow" }).reply(200, "{}").delay(100);

    const slow = transport.send(get(`${CCE}/slow`), readOp);
    const queued = transport.send(get(`${CCE}/queued`), readOp).catch((e: unknown) => e);

    const error = (await queued) as TransportError;
    expect(error).toBeInstanceOf(TransportError);
    expect(error.code).toBe("DEADLINE_EXCEEDED");
    expect(error.attempts).toBe(0);
    expect(error.ambiguous).toBe(false);
    expect((await slow).status).toBe(200);
    expect(requestLog(agent)).toEqual(["GET /slow"]);
    await agent.close();
  });

  it("fails a queued request with ABORTED when its signal fires", async () => {
    const clock = new FakeClock({ auto: false });
    const limiter = new ConcurrencyLimiter(1);
    const release = await limiter.acquire({ clock, deadline: Number.POSITIVE_INFINITY });
    const controller = new AbortController();

    const waiting = limiter.acquire({ clock, deadline: Number.POSITIVE_INFINITY, signal: controller.signal });
    await turn();
    controller.abort();

    await expect(waiting).rejects.toMatchObject({ reason: "aborted" });
    release();
    expect(limiter.inUse).toBe(0); // the aborted waiter did not keep a slot
    expect(clock.pending).toBe(0); // and its deadline timer was cancelled
  });

  it("hands slots to waiters in arrival order", async () => {
    const clock = new FakeClock({ auto: false });
    const limiter = new ConcurrencyLimiter(1);
    const context = { clock, deadline: Number.POSITIVE_INFINITY };
    const order: number[] = [];
    const first = await limiter.acquire(context);
    const waiters = [1, 2, 3].map((n) =>
      limiter.acquire(context).then((release) => {
        order.push(n);
        release();
      }),
    );
    first();
    await Promise.all(waiters);
    expect(order).toEqual([1, 2, 3]);
    expect(limiter.inUse).toBe(0);
  });
});

describe("adaptive rate (AIMD)", () => {
  it("halves the rate on throttling, once per cooldown, and never below the floor", () => {
    const bucket = new TokenBucket(40, 40);
    bucket.throttled(1_000);
    expect(bucket.ratePerSecond).toBe(20);
    bucket.throttled(1_000 + DECREASE_COOLDOWN_MS - 1); // the same burst of throttled answers
    expect(bucket.ratePerSecond).toBe(20);
    expect(bucket.stats).toEqual({ throttled: 2, decreases: 1 });
    for (let i = 1; i <= 10; i += 1) bucket.throttled(1_000 + i * DECREASE_COOLDOWN_MS);
    expect(bucket.ratePerSecond).toBe(MIN_ADAPTIVE_RATE);
  });

  it("recovers linearly to the configured rate on answers that are not throttling", () => {
    const bucket = new TokenBucket(40, 40);
    bucket.throttled(0);
    expect(bucket.ratePerSecond).toBe(20);
    bucket.answered(1_000); // +ceiling/10 per second
    expect(bucket.ratePerSecond).toBe(24);
    bucket.answered(3_000);
    expect(bucket.ratePerSecond).toBe(32);
    bucket.answered(60_000);
    expect(bucket.ratePerSecond).toBe(40); // never above the configured rate
  });

  it("slows the transport down after a throttling answer and paces the rest at the lower rate", async () => {
    const clock = new FakeClock();
    const { agent, transport } = setup({ clock, limits: { burst: 1, ratePerSecond: 10, concurrency: 1 } });
    const pool = agent.get(CCE);
    pool
      .intercept({ path: "/x" })
      .reply(429, JSON.stringify({ error_code: "APIGW.0308", error_msg: "over ratelimit" }))
      .times(1);
    pool.intercept({ path: "/x" }).reply(200, "{}").times(4);
    const sentAt: number[] = [];
    const start = clock.now();
    for (let i = 0; i < 4; i += 1) {
      await transport.send(get(`${CCE}/x`), {
        ...readOp,
        sign: (request) => {
          sentAt.push(clock.now() - start);
          return request;
        },
      });
    }
    // The 429 halved 10/s to 5/s and emptied the burst: the next tokens come about 200 ms apart,
    // not 100, and the gaps shrink as the rate recovers.
    const gaps = sentAt.slice(2).map((at, i) => at - (sentAt[i + 1] ?? 0));
    expect(gaps).toHaveLength(3);
    for (const gap of gaps) expect(gap).toBeGreaterThan(150);
    expect([...gaps].sort((a, b) => b - a)).toEqual(gaps);
    expect(requestLog(agent)).toHaveLength(5);
  });
});

describe("throttled answers wait it out", () => {
  const throttle = JSON.stringify({ error_code: "APIGW.0308", error_msg: "over ratelimit" });

  it("retries a throttled read up to three times maxAttempts, then returns the throttled answer", async () => {
    const clock = new FakeClock();
    const { agent, transport } = setup({ clock, retry: { maxAttempts: 2 } });
    agent.get(CCE).intercept({ path: "/t" }).reply(429, throttle).times(5);
    agent.get(CCE).intercept({ path: "/t" }).reply(200, "{}").times(1);
    const served = await transport.send(get(`${CCE}/t`), readOp);
    expect([served.status, served.attempts]).toEqual([200, 6]);

    agent.get(CCE).intercept({ path: "/u" }).reply(429, throttle).times(7);
    const refused = await transport.send(get(`${CCE}/u`), readOp);
    expect([refused.status, refused.attempts]).toEqual([429, 6]);
  });

  it("does not retry a throttled answer when retries are off, nor other errors beyond maxAttempts", async () => {
    const clock = new FakeClock();
    const { agent, transport } = setup({ clock, retry: { maxAttempts: 1 } });
    agent.get(CCE).intercept({ path: "/v" }).reply(429, throttle).times(2);
    expect((await transport.send(get(`${CCE}/v`), readOp)).attempts).toBe(1);
    const other = setup({ clock, retry: { maxAttempts: 2 } });
    other.agent.get(CCE).intercept({ path: "/w" }).reply(503, "{}").times(3);
    expect((await other.transport.send(get(`${CCE}/w`), readOp)).attempts).toBe(2);
  });
});

describe("an account-wide cap (AccountLimiter)", () => {
  it("limits nothing while only one operation is throttled", () => {
    const account = new AccountLimiter(100, 100);
    for (let t = 0; t < 500; t += 10) account.answered(t);
    account.throttled("ShowCluster", 500);
    account.throttled("ShowCluster", 600);
    expect(account.capped).toBe(false);
    // Two operations throttled, but further apart than a cooldown: two separate per-API quotas.
    account.throttled("ListPreCheckTasks", 600 + DECREASE_COOLDOWN_MS);
    expect(account.capped).toBe(false);
  });

  it("caps the account at its measured rate once two operations are throttled within a cooldown", async () => {
    const account = new AccountLimiter(100, 100);
    // 40 answers over the last second: the account was served at 40 requests per second; the cap
    // starts just under that (0.9x), so the next second is not throttled again.
    for (let i = 0; i < 40; i += 1) account.answered(1_000 + i * 25);
    account.answered(0); // older than the window: not counted
    account.throttled("ShowCluster", 2_000);
    account.throttled("ListPreCheckTasks", 2_010);
    expect(account.capped).toBe(true);
    expect(account.capPerSecond).toBe(36);
    // The cap paces every operation: its bucket starts empty, so the next token is 1/36 s away.
    const clock = new FakeClock({ start: 2_010 });
    await account.take({ clock, deadline: 60_000 });
    expect(clock.sleeps).toEqual([Math.ceil(1000 / 36)]);
    // Recovers by a twentieth of the configured rate per second, up to the ceiling.
    account.answered(3_010);
    expect(account.capPerSecond).toBeCloseTo(41);
    account.answered(1_000_000);
    expect(account.capPerSecond).toBe(100 * ACCOUNT_CEILING_FACTOR);
    // A later throttle halves it, as the operations' buckets do.
    account.throttled("ShowCluster", 1_000_000);
    expect(account.capPerSecond).toBe((100 * ACCOUNT_CEILING_FACTOR) / 2);
  });
});

describe("identical reads in flight are sent once", () => {
  it("shares one answer among concurrent identical reads, also with a caller that can abort, but not across accounts, writes or time", async () => {
    const clock = new FakeClock();
    const { agent, transport } = setup({ clock });
    agent.get(CCE).intercept({ path: "/x" }).reply(200, '{"n":1}').times(30);
    agent.get(CCE).intercept({ path: "/x", method: "POST" }).reply(200, "{}").times(2);
    const mine = { ...readOp, account: "a" };

    const reads = await Promise.all(Array.from({ length: 5 }, () => transport.send(get(`${CCE}/x`), mine)));
    expect(requestLog(agent)).toEqual(["GET /x"]);
    expect(new Set(reads.map((r) => r.body))).toEqual(new Set(['{"n":1}']));

    await Promise.all([
      transport.send(get(`${CCE}/x`), { ...readOp, account: "a" }),
      transport.send(get(`${CCE}/x`), { ...readOp, account: "b" }),
    ]);
    expect(requestLog(agent)).toHaveLength(3); // one per account

    await Promise.all([transport.send(get(`${CCE}/x`), readOp), transport.send(get(`${CCE}/x`), readOp)]);
    expect(requestLog(agent)).toHaveLength(5); // no account named: never shared

    const controller = new AbortController();
    await Promise.all([
      transport.send(get(`${CCE}/x`), mine),
      transport.send(get(`${CCE}/x`), { ...mine, signal: controller.signal }),
    ]);
    expect(requestLog(agent)).toHaveLength(6); // a read that can abort joins too (it waits on its own signal)

    await transport.send(get(`${CCE}/x`), mine); // later: fresh, not a cached answer
    expect(requestLog(agent)).toHaveLength(7);

    const create = { ...mine, operation: "CreatePreCheck", retryMode: "create" } as const;
    await Promise.all([
      transport.send(post(`${CCE}/x`, "{}"), create),
      transport.send(post(`${CCE}/x`, "{}"), create),
    ]);
    expect(requestLog(agent)).toHaveLength(9); // writes are never shared
  });

  it("gives every waiting caller the failure of the shared read, and forgets it", async () => {
    const clock = new FakeClock();
    const { agent, transport } = setup({ clock, retry: { maxAttempts: 1 } });
    agent.get(CCE).intercept({ path: "/y" }).replyWithError(codedError("ECONNREFUSED")).times(1);
    agent.get(CCE).intercept({ path: "/y" }).reply(200, "{}").times(1);
    const mine = { ...readOp, account: "a" };
    const results = await Promise.allSettled([
      transport.send(get(`${CCE}/y`), mine),
      transport.send(get(`${CCE}/y`), mine),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(requestLog(agent)).toEqual(["GET /y"]);
    await expect(transport.send(get(`${CCE}/y`), mine)).resolves.toMatchObject({ status: 200 });
  });
});
