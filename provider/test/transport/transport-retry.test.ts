import { InputError, TransportError } from "../../src/errors";
import { FakeClock } from "./fake-clock";
import { createTransport } from "../../src/transport/transport";
import { ACK, CCE, codedError, createOp, get, post, readOp, requestLog, setup } from "./helpers";
import { startSilentServer } from "./loopback-server";

const PATH = "/api/v3/projects/p1/clusters/c1/operation/precheck/tasks/t1";
const CREATE_PATH = "/api/v3/projects/p1/clusters/c1/operation/precheck";

describe("transport retries (idempotent)", () => {
  it("retries a 500 and returns the following 200, with a jittered wait in between", async () => {
    const { agent, clock, transport, logs } = setup();
    const pool = agent.get(CCE);
    pool.intercept({ path: PATH }).reply(500, '{"errorCode":"CCE.01500001"}');
    pool.intercept({ path: PATH }).reply(200, '{"ok":true}', { headers: { "X-Request-Id": "req-2" } });

    const response = await transport.send(get(`${CCE}${PATH}`), readOp);

    expect(response.status).toBe(200);
    expect(response.body).toBe('{"ok":true}');
    expect(response.attempts).toBe(2);
    expect(response.requestId).toBe("req-2");
    expect(requestLog(agent)).toEqual([`GET ${PATH}`, `GET ${PATH}`]);
    // Full jitter with random() = 0.5 and base 200 ms: floor(0.5 * 200).
    expect(clock.sleeps).toEqual([100]);
    expect(logs.map((l) => [l.attempt, l.status, l.retryInMs])).toEqual([
      [1, 500, 100],
      [2, 200, undefined],
    ]);
  });

  it("honours Retry-After in seconds on a 429", async () => {
    const { agent, clock, transport } = setup();
    const pool = agent.get(CCE);
    pool.intercept({ path: PATH }).reply(429, "{}", { headers: { "retry-after": "3" } });
    pool.intercept({ path: PATH }).reply(200, "{}");

    const response = await transport.send(get(`${CCE}${PATH}`), readOp);

    expect(response.status).toBe(200);
    expect(clock.sleeps).toEqual([3000]);
    expect(requestLog(agent)).toHaveLength(2);
  });

  it("honours Retry-After given as an HTTP date, relative to the injected clock", async () => {
    const clock = new FakeClock({ start: Date.parse("2025-08-05T09:10:44Z") });
    const { agent, transport } = setup({ clock });
    const pool = agent.get(CCE);
    pool
      .intercept({ path: PATH })
      .reply(429, "{}", { headers: { "retry-after": "Tue, 05 Aug 2025 09:10:51 GMT" } });
    pool.intercept({ path: PATH }).reply(200, "{}");

    await transport.send(get(`${CCE}${PATH}`), readOp);

    expect(clock.sleeps).toEqual([7000]);
  });

  it("honours x-acs-retry-after (milliseconds); a hint past maxDelayMs waits maxDelayMs", async () => {
    const { agent, clock, transport } = setup({ retry: { maxDelayMs: 5000 } });
    const pool = agent.get(ACK);
    pool
      .intercept({ path: "/clusters/c1" })
      .reply(400, '{"Code":"Throttling.User"}', { headers: { "x-acs-retry-after": "2000" } });
    pool.intercept({ path: "/clusters/c1" }).reply(429, "{}", { headers: { "retry-after": "3600" } });
    pool.intercept({ path: "/clusters/c1" }).reply(200, "{}");

    const response = await transport.send(get(`${ACK}/clusters/c1`), { ...readOp, cloud: "ack" });

    // Waited the 2 s asked for; the hour asked next is capped at maxDelayMs.
    expect(response.attempts).toBe(3);
    expect(response.status).toBe(200);
    expect(clock.sleeps).toEqual([2000, 5000]);
  });

  it("retries Huawei gateway throttling APIGW.0308", async () => {
    const { agent, transport } = setup();
    const pool = agent.get(CCE);
    pool
      .intercept({ path: PATH })
      .reply(429, '{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached"}');
    pool.intercept({ path: PATH }).reply(200, "{}");

    const response = await transport.send(get(`${CCE}${PATH}`), readOp);

    expect(response.status).toBe(200);
    expect(requestLog(agent)).toEqual([`GET ${PATH}`, `GET ${PATH}`]);
  });

  it.each([
    ["Throttling.User with 400", 400, '{"Code":"Throttling.User","Message":"Request was denied"}'],
    ["lower-case code Throttling with 429", 429, '{"code":"Throttling","message":"slow down"}'],
    ["ServiceUnavailable", 503, '{"Code":"ServiceUnavailable"}'],
  ])("retries Alibaba %s", async (_name, status, body) => {
    const { agent, transport } = setup();
    const pool = agent.get(ACK);
    pool.intercept({ path: "/clusters/c1/checks" }).reply(status, body);
    pool.intercept({ path: "/clusters/c1/checks" }).reply(200, "{}");

    const response = await transport.send(get(`${ACK}/clusters/c1/checks`), { ...readOp, cloud: "ack" });

    expect(response.status).toBe(200);
    expect(requestLog(agent)).toHaveLength(2);
  });

  it.each([
    [400, '{"Code":"InvalidParameter"}'],
    [400, '{"errorCode":"CCE.01400001","errorMessage":"Invalid request"}'],
    [401, '{"error_code":"APIGW.0301","error_msg":"verify aksk signature fail"}'],
    [403, '{"code":"ErrorCheckAcl"}'],
    [404, '{"code":"ErrorClusterNotFound"}'],
    [409, '{"errorCode":"CCE.01409001"}'],
    // A throttling code with a status Alibaba never throttles with is not trusted.
    [404, '{"Code":"Throttling.User"}'],
  ])("never retries HTTP %s %s and returns it", async (status, body) => {
    const { agent, clock, transport } = setup();
    agent.get(CCE).intercept({ path: PATH }).reply(status, body);

    const response = await transport.send(get(`${CCE}${PATH}`), readOp);

    expect(response.status).toBe(status);
    expect(response.body).toBe(body);
    expect(response.attempts).toBe(1);
    expect(requestLog(agent)).toEqual([`GET ${PATH}`]);
    expect(clock.sleeps).toEqual([]);
  });

  it("stops after maxAttempts and returns the last answer", async () => {
    const { agent, clock, transport } = setup({ retry: { maxAttempts: 3 } });
    agent.get(CCE).intercept({ path: PATH }).reply(503, "{}").times(5);

    const response = await transport.send(get(`${CCE}${PATH}`), readOp);

    expect(response.status).toBe(503);
    expect(response.attempts).toBe(3);
    expect(requestLog(agent)).toHaveLength(3);
    expect(clock.sleeps).toEqual([100, 200]); // ceilings 200, 400; random 0.5
  });

  it("retries network errors found anywhere in the cause chain", async () => {
    const { agent, transport } = setup();
    const pool = agent.get(CCE);
    pool
      .intercept({ path: PATH })
      .replyWithError(new Error("fetch failed", { cause: codedError("ECONNRESET") }));
    pool.intercept({ path: PATH }).replyWithError(codedError("UND_ERR_SOCKET", "other side closed"));
    pool.intercept({ path: PATH }).reply(200, "{}");

    const response = await transport.send(get(`${CCE}${PATH}`), readOp);

    expect(response.attempts).toBe(3);
    expect(requestLog(agent)).toHaveLength(3);
  });

  it("ends in a TransportError naming the operation and attempts when no answer ever comes", async () => {
    const { agent, transport } = setup({ retry: { maxAttempts: 2 } });
    agent.get(CCE).intercept({ path: PATH }).replyWithError(codedError("ECONNRESET")).times(2);

    const error = await transport.send(get(`${CCE}${PATH}`), readOp).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TransportError);
    const transportError = error as TransportError;
    expect(transportError.code).toBe("NETWORK");
    expect(transportError.attempts).toBe(2);
    expect(transportError.operation).toBe("ShowPreCheck");
    expect(transportError.message).toContain("ShowPreCheck");
    expect(transportError.message).toContain("after 2 attempts");
    expect(requestLog(agent)).toHaveLength(2);
  });

  it("reports timeouts as TIMEOUT", async () => {
    const { agent, transport } = setup({ retry: { maxAttempts: 1 } });
    agent.get(CCE).intercept({ path: PATH }).replyWithError(codedError("UND_ERR_HEADERS_TIMEOUT"));

    await expect(transport.send(get(`${CCE}${PATH}`), readOp)).rejects.toMatchObject({
      code: "TIMEOUT",
      attempts: 1,
    });
  });

  it("does not retry unknown errors", async () => {
    const { agent, transport } = setup();
    agent.get(CCE).intercept({ path: PATH }).replyWithError(new Error("something odd"));

    await expect(transport.send(get(`${CCE}${PATH}`), readOp)).rejects.toMatchObject({ code: "NETWORK" });
    expect(requestLog(agent)).toHaveLength(1);
  });

  it("calls sign for every attempt, each with fresh values", async () => {
    const { agent, transport } = setup();
    const seen: string[] = [];
    const pool = agent.get(CCE);
    for (let i = 0; i < 3; i += 1) {
      pool.intercept({ path: PATH }).reply(i < 2 ? 500 : 200, (opts) => {
        seen.push(String((opts.headers as Record<string, string>)["x-nonce"]));
        return "{}";
      });
    }
    let counter = 0;
    const response = await transport.send(get(`${CCE}${PATH}`), {
      ...readOp,
      sign: (request) => ({ ...request, headers: { ...request.headers, "x-nonce": `n${++counter}` } }),
    });

    expect(response.status).toBe(200);
    expect(counter).toBe(3);
    expect(seen).toEqual(["n1", "n2", "n3"]);
  });

  it("lets a signing failure through untouched and sends nothing", async () => {
    const { agent, transport } = setup();
    const failure = new Error("IAM said no");
    await expect(
      transport.send(get(`${CCE}${PATH}`), {
        ...readOp,
        sign: () => {
          throw failure;
        },
      }),
    ).rejects.toBe(failure);
    expect(requestLog(agent)).toEqual([]);
  });
});

describe("transport deadline", () => {
  it("does not start a wait the server asked for past the deadline: DEADLINE_EXCEEDED says so", async () => {
    const { agent, clock, transport } = setup({ retry: { deadlineMs: 25_000, maxAttempts: 10 } });
    agent
      .get(CCE)
      .intercept({ path: PATH })
      .reply(503, '{"error_code":"APIGW.0201"}', { headers: { "retry-after": "10", "x-request-id": "r-1" } })
      .times(10);
    const started = clock.now();

    const error = await transport.send(get(`${CCE}${PATH}`), readOp).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toMatchObject({ code: "DEADLINE_EXCEEDED", attempts: 3, ambiguous: false });
    expect((error as Error).message).toContain(
      "the service asked (retry-after) to wait 10 s before another attempt, but only 5 s are left of the 25 s deadline (HTTP 503, APIGW.0201, request id r-1); raise the deadline with retry.deadlineMs",
    );
    // t=0, t=10s, t=20s; a third wait would end at 30s > 25s
    expect(clock.sleeps).toEqual([10_000, 10_000]);
    expect(clock.now() - started).toBe(20_000);
  });

  it("does not start a backoff that would pass the deadline and returns the last answer", async () => {
    const { agent, clock, transport } = setup({
      clock: new FakeClock({ random: () => 0.99 }),
      retry: { deadlineMs: 300, maxAttempts: 10 },
    });
    agent.get(CCE).intercept({ path: PATH }).reply(503, "{}").times(10);

    const response = await transport.send(get(`${CCE}${PATH}`), readOp);

    // Backoff 198 ms, then 396 ms would end at 594 ms > 300 ms: the 503 itself is the answer.
    expect(response.status).toBe(503);
    expect(response.attempts).toBe(2);
    expect(clock.sleeps).toEqual([198]);
  });

  it("throws DEADLINE_EXCEEDED when the deadline leaves no room to retry a network failure", async () => {
    const { agent, transport } = setup({
      clock: new FakeClock({ random: () => 0.99 }),
      retry: { deadlineMs: 1000, baseDelayMs: 800, maxAttempts: 10 },
    });
    agent.get(CCE).intercept({ path: PATH }).replyWithError(codedError("ECONNREFUSED")).times(10);

    const error = (await transport
      .send(get(`${CCE}${PATH}`), readOp)
      .catch((e: unknown) => e)) as TransportError;

    expect(error).toBeInstanceOf(TransportError);
    expect(error.code).toBe("DEADLINE_EXCEEDED");
    // First wait 792 ms fits; the second (up to 1584 ms) would not.
    expect(error.attempts).toBe(2);
    expect(error.ambiguous).toBe(false);
    expect(requestLog(agent)).toHaveLength(2);
  });
});

describe("transport abort", () => {
  it("rejects with ABORTED and sends nothing when the signal is already aborted", async () => {
    const { agent, transport } = setup();
    const controller = new AbortController();
    controller.abort();

    await expect(
      transport.send(get(`${CCE}${PATH}`), { ...readOp, signal: controller.signal }),
    ).rejects.toMatchObject({ code: "ABORTED", attempts: 0, ambiguous: false });
    expect(requestLog(agent)).toEqual([]);
  });

  it("sends nothing when aborted while signing", async () => {
    const { agent, transport } = setup();
    agent.get(CCE).intercept({ path: PATH }).reply(200, "{}");
    const controller = new AbortController();

    const error = (await transport
      .send(get(`${CCE}${PATH}`), {
        ...readOp,
        signal: controller.signal,
        sign: (request) => {
          controller.abort();
          return request;
        },
      })
      .catch((e: unknown) => e)) as TransportError;

    expect(error.code).toBe("ABORTED");
    expect(error.ambiguous).toBe(false);
    expect(requestLog(agent)).toEqual([]);
  });

  it("rejects with ABORTED when aborted during the backoff wait", async () => {
    const clock = new FakeClock({ auto: false });
    const { agent, transport } = setup({ clock });
    agent.get(CCE).intercept({ path: PATH }).reply(500, "{}").times(4);
    const controller = new AbortController();

    const sending = transport.send(get(`${CCE}${PATH}`), { ...readOp, signal: controller.signal });
    const outcome = sending.catch((e: unknown) => e);
    // Wait until the transport is sleeping before the second attempt.
    while (clock.pending === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();

    const error = (await outcome) as TransportError;
    expect(error).toBeInstanceOf(TransportError);
    expect(error.code).toBe("ABORTED");
    expect(error.attempts).toBe(1);
    expect(requestLog(agent)).toHaveLength(1);
  });

  it("refuses a signal that is not an AbortSignal, sending nothing (not a retried network error)", async () => {
    const { agent, transport } = setup();
    agent.get(CCE).intercept({ path: PATH }).reply(200, "{}").persist();
    const error = await transport
      .send(get(`${CCE}${PATH}`), { ...readOp, signal: "stop" as unknown as AbortSignal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain("CCE ShowPreCheck");
    expect((error as InputError).issues).toEqual([{ path: "signal", message: "must be an AbortSignal" }]);
    expect(requestLog(agent)).toEqual([]);
  });

  it("aborts a request in flight and marks it ambiguous", async () => {
    // A real server that reads the create and never answers (a MockAgent delay would leave its
    // timer running after the test).
    const server = await startSilentServer();
    const transport = createTransport({ clock: new FakeClock() });
    try {
      const controller = new AbortController();
      const outcome = transport
        .send(post(`${server.url}${CREATE_PATH}`, "{}"), { ...createOp, signal: controller.signal })
        .catch((e: unknown) => e);
      while (server.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort();

      const error = (await outcome) as TransportError;
      expect(error).toBeInstanceOf(TransportError);
      expect(error.code).toBe("ABORTED");
      expect(error.ambiguous).toBe(true);
      expect(server.received).toEqual([`POST ${CREATE_PATH}`]);
    } finally {
      await transport.close();
      await server.close();
    }
  });
});

describe("transport create mode", () => {
  it("never resends after an ambiguous failure (reset after the request was written)", async () => {
    const { agent, clock, transport } = setup();
    const pool = agent.get(CCE);
    pool
      .intercept({ path: CREATE_PATH, method: "POST" })
      .replyWithError(codedError("ECONNRESET", "socket hang up"));
    pool.intercept({ path: CREATE_PATH, method: "POST" }).reply(200, "{}");

    const error = (await transport
      .send(post(`${CCE}${CREATE_PATH}`, '{"kind":"PreCheckTask"}'), createOp)
      .catch((e: unknown) => e)) as TransportError;

    expect(error).toBeInstanceOf(TransportError);
    expect(error.ambiguous).toBe(true);
    expect(error.code).toBe("NETWORK");
    expect(error.attempts).toBe(1);
    expect(requestLog(agent)).toEqual([`POST ${CREATE_PATH}`]);
    expect(clock.sleeps).toEqual([]);
  });

  it("never resends after a response timeout", async () => {
    const { agent, transport } = setup();
    agent
      .get(CCE)
      .intercept({ path: CREATE_PATH, method: "POST" })
      .replyWithError(codedError("UND_ERR_HEADERS_TIMEOUT"))
      .times(2);

    await expect(transport.send(post(`${CCE}${CREATE_PATH}`, "{}"), createOp)).rejects.toMatchObject({
      code: "TIMEOUT",
      ambiguous: true,
      attempts: 1,
    });
    expect(requestLog(agent)).toHaveLength(1);
  });

  it.each(["ECONNREFUSED", "UND_ERR_CONNECT_TIMEOUT"])(
    "retries after %s: the request certainly never left",
    async (code) => {
      const { agent, transport } = setup();
      const pool = agent.get(CCE);
      pool.intercept({ path: CREATE_PATH, method: "POST" }).replyWithError(codedError(code));
      pool.intercept({ path: CREATE_PATH, method: "POST" }).reply(200, '{"metadata":{"uid":"t1"}}');

      const response = await transport.send(post(`${CCE}${CREATE_PATH}`, "{}"), createOp);

      expect(response.status).toBe(200);
      expect(response.attempts).toBe(2);
      expect(requestLog(agent)).toEqual([`POST ${CREATE_PATH}`, `POST ${CREATE_PATH}`]);
    },
  );

  it.each([
    ["429", 429, "{}"],
    ["503", 503, "{}"],
    ["APIGW.0308", 429, '{"error_code":"APIGW.0308"}'],
    ["Throttling.User", 400, '{"Code":"Throttling.User"}'],
  ])("retries %s: the server did not process it", async (_name, status, body) => {
    const { agent, transport } = setup();
    const pool = agent.get(CCE);
    pool.intercept({ path: CREATE_PATH, method: "POST" }).reply(status, body);
    pool.intercept({ path: CREATE_PATH, method: "POST" }).reply(200, "{}");

    const response = await transport.send(post(`${CCE}${CREATE_PATH}`, "{}"), createOp);

    expect(response.status).toBe(200);
    expect(requestLog(agent)).toHaveLength(2);
  });

  it.each([500, 502, 504])("returns a %s without resending (the task may exist)", async (status) => {
    const { agent, transport } = setup();
    agent.get(CCE).intercept({ path: CREATE_PATH, method: "POST" }).reply(status, "{}").times(2);

    const response = await transport.send(post(`${CCE}${CREATE_PATH}`, "{}"), createOp);

    expect(response.status).toBe(status);
    expect(requestLog(agent)).toHaveLength(1);
  });

  it("marks the final error ambiguous when an earlier attempt may have reached the server", async () => {
    const { agent, transport } = setup({ retry: { maxAttempts: 2 } });
    const pool = agent.get(CCE);
    pool.intercept({ path: PATH }).replyWithError(codedError("ECONNRESET"));
    pool.intercept({ path: PATH }).replyWithError(codedError("ECONNREFUSED"));

    await expect(transport.send(get(`${CCE}${PATH}`), readOp)).rejects.toMatchObject({
      code: "NETWORK",
      ambiguous: true,
      attempts: 2,
    });
  });
});
