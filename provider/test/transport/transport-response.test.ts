import { TransportError } from "../../src/errors";
import { clearRegisteredSecrets, registerSecret } from "../../src/internal/redact";
import { MAX_RESPONSE_BODY_BYTES } from "../../src/transport/defaults";
import { redactUrl } from "../../src/transport/redact-url";
import { ACK, CCE, codedError, get, readOp, requestLog, setup } from "./helpers";

describe("responses", () => {
  it("captures the request id from x-request-id (Huawei)", async () => {
    const { agent, transport } = setup();
    agent
      .get(CCE)
      .intercept({ path: "/x" })
      .reply(200, "{}", { headers: { "X-Request-Id": "hw-123" } });
    expect((await transport.send(get(`${CCE}/x`), readOp)).requestId).toBe("hw-123");
  });

  it("captures the request id from x-acs-request-id (Alibaba)", async () => {
    const { agent, transport } = setup();
    agent
      .get(ACK)
      .intercept({ path: "/x" })
      .reply(404, '{"code":"ErrorClusterNotFound"}', { headers: { "x-acs-request-id": "ali-456" } });
    const response = await transport.send(get(`${ACK}/x`), { ...readOp, cloud: "ack" });
    expect(response.requestId).toBe("ali-456");
    expect(response.status).toBe(404);
  });

  it("has no request id when neither header is present", async () => {
    const { agent, transport } = setup();
    agent.get(CCE).intercept({ path: "/x" }).reply(200, "{}");
    expect((await transport.send(get(`${CCE}/x`), readOp)).requestId).toBeUndefined();
  });

  it("lower-cases response header names", async () => {
    const { agent, transport } = setup();
    agent
      .get(CCE)
      .intercept({ path: "/x" })
      .reply(200, "{}", { headers: { "Content-Type": "application/json", "X-Custom-Thing": "v" } });
    const response = await transport.send(get(`${CCE}/x`), readOp);
    expect(response.headers["content-type"]).toBe("application/json");
    expect(response.headers["x-custom-thing"]).toBe("v");
    expect(Object.keys(response.headers).every((name) => name === name.toLowerCase())).toBe(true);
  });

  it("sends method, headers and body as given, plus a user agent", async () => {
    const { agent, transport } = setup({ userAgent: "ug-test/1" });
    let seen: { method: string; headers: Record<string, string>; body: unknown } | undefined;
    agent
      .get(CCE)
      .intercept({ path: "/x", method: "PATCH" })
      .reply(200, (opts) => {
        seen = { method: opts.method, headers: opts.headers as Record<string, string>, body: opts.body };
        return "{}";
      });
    await transport.send(
      { method: "PATCH", url: `${CCE}/x`, headers: { "content-type": "application/json" }, body: '{"a":1}' },
      readOp,
    );
    expect(seen?.method).toBe("PATCH");
    expect(seen?.headers["content-type"]).toBe("application/json");
    expect(seen?.headers["user-agent"]).toBe("ug-test/1");
    expect(seen?.body).toBe('{"a":1}');
  });

  it("rejects a body larger than the cap without retrying", async () => {
    const { agent, transport } = setup();
    agent
      .get(CCE)
      .intercept({ path: "/big" })
      .reply(200, Buffer.alloc(MAX_RESPONSE_BODY_BYTES + 1, 0x61))
      .times(2);
    const error = (await transport
      .send(get(`${CCE}/big`), readOp)
      .catch((e: unknown) => e)) as TransportError;
    expect(error).toBeInstanceOf(TransportError);
    expect(error.code).toBe("NETWORK");
    expect(error.message).toContain("exceeds");
    expect(requestLog(agent)).toHaveLength(1);
  });

  it("accepts a body exactly at the cap", async () => {
    const { agent, transport } = setup();
    agent.get(CCE).intercept({ path: "/big" }).reply(200, Buffer.alloc(MAX_RESPONSE_BODY_BYTES, 0x61));
    const response = await transport.send(get(`${CCE}/big`), readOp);
    expect(response.body.length).toBe(MAX_RESPONSE_BODY_BYTES);
  });
});

describe("transport log", () => {
  afterEach(() => clearRegisteredSecrets());

  it("writes one redacted entry per attempt, with no secret, signature or credential header", async () => {
    const secretKey = "SKEXAMPLE0000000000000000000000000000000";
    const token = "MIIEXAMPLE-security-token-value";
    registerSecret(secretKey);
    registerSecret(token);
    const { agent, logs, transport } = setup();
    const pool = agent.get(CCE);
    const path = "/v1/things";
    pool
      .intercept({ path: (p) => p.startsWith(path) })
      .replyWithError(codedError("ECONNRESET", `reset ${token}`));
    pool.intercept({ path: (p) => p.startsWith(path) }).reply(500, `{"error_msg":"bad ${secretKey}"}`);
    pool
      .intercept({ path: (p) => p.startsWith(path) })
      .reply(200, "{}", { headers: { "x-request-id": "r3" } });

    await transport.send(get(`${CCE}${path}?limit=2&Signature=abcdef0123&x-security-token=${token}`), {
      ...readOp,
      sign: (request) => ({
        ...request,
        headers: {
          ...request.headers,
          authorization: `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=deadbeef${secretKey}`,
          "x-security-token": token,
        },
      }),
    });

    expect(logs.map((l) => l.attempt)).toEqual([1, 2, 3]);
    expect(logs[0]?.error).toContain("ECONNRESET");
    expect(logs[1]?.status).toBe(500);
    expect(logs[2]?.requestId).toBe("r3");
    expect(logs.every((l) => l.operation === "ShowPreCheck" && l.method === "GET")).toBe(true);
    const text = JSON.stringify(logs);
    expect(text).not.toContain(secretKey);
    expect(text).not.toContain(token);
    expect(text).not.toContain("abcdef0123");
    expect(text).not.toContain("deadbeef");
    expect(text).not.toMatch(/authorization/i);
    expect(logs[0]?.url).toContain("limit=2");
  });

  it("keeps sending when the logger throws", async () => {
    const { agent, transport } = setup({
      log: () => {
        throw new Error("logger broke");
      },
    });
    agent.get(CCE).intercept({ path: "/x" }).reply(200, "{}");
    expect((await transport.send(get(`${CCE}/x`), readOp)).status).toBe(200);
  });
});

describe("redactUrl", () => {
  it.each([
    ["https://h/p?Signature=abc&a=1", "https://h/p?Signature=[REDACTED]&a=1"],
    [
      "https://h/p?SecurityToken=tok&AccessKeyId=AK1",
      "https://h/p?SecurityToken=[REDACTED]&AccessKeyId=[REDACTED]",
    ],
    ["https://user:pw@h/p?x=1", "https://h/p?x=1"],
    ["https://h/p", "https://h/p"],
  ])("%s -> %s", (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });
});
