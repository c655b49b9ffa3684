import { ApiError, ResponseShapeError, TransportError } from "../../src/errors";
import { createHuaweiTokenSource } from "../../src/auth/huawei-token";
import { parseIamErrorBody } from "../../src/auth/iam-error";
import { clearRegisteredSecrets, redact } from "../../src/internal/redact";
import { createTransport } from "../../src/transport/transport";
import { FakeClock } from "../transport/fake-clock";
import { newMockAgent, requestLog } from "../transport/helpers";
import { startSilentServer } from "../transport/loopback-server";

const IAM = "https://iam.cn-north-4.myhuaweicloud.com";
const TOKEN_PATH = "/v3/auth/tokens?nocatalog=true";
const CREDENTIALS = {
  kind: "password",
  userName: "ops-bot",
  password: "P@ssw0rd-very-secret",
  domainName: "acme",
} as const;
const HOUR = 3_600_000;

function tokenReply(token: string, expiresAt: number) {
  return {
    statusCode: 201,
    data: JSON.stringify({
      token: {
        expires_at: new Date(expiresAt).toISOString(),
        issued_at: new Date(expiresAt - 24 * HOUR).toISOString(),
        methods: ["password"],
        user: { name: "ops-bot", domain: { name: "acme" } },
      },
    }),
    responseOptions: { headers: { "X-Subject-Token": token, "X-Request-Id": "iam-req" } },
  };
}

function setup() {
  const agent = newMockAgent();
  const clock = new FakeClock();
  const transport = createTransport({ dispatcher: agent, clock });
  const source = createHuaweiTokenSource({
    transport,
    iamEndpoint: `${IAM}/`,
    credentials: CREDENTIALS,
    projectId: "0123456789abcdef0123456789abcdef",
    clock,
  });
  return { agent, clock, source, pool: agent.get(IAM) };
}

describe("Huawei token source", () => {
  afterEach(() => clearRegisteredSecrets());

  it("posts the password-auth body scoped to the project and returns the X-Subject-Token", async () => {
    const { pool, source, clock } = setup();
    let sent: { body: unknown; headers: Record<string, string> } | undefined;
    pool.intercept({ path: TOKEN_PATH, method: "POST" }).reply((opts) => {
      sent = { body: JSON.parse(String(opts.body)), headers: opts.headers as Record<string, string> };
      return tokenReply("token-one-abcdef", clock.now() + 24 * HOUR);
    });

    expect(await source.getToken()).toBe("token-one-abcdef");
    expect(sent?.headers["content-type"]).toBe("application/json;charset=UTF-8");
    expect(sent?.body).toEqual({
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: "ops-bot", password: "P@ssw0rd-very-secret", domain: { name: "acme" } } },
        },
        scope: { project: { id: "0123456789abcdef0123456789abcdef" } },
      },
    });
  });

  it("caches the token until 5 minutes before it expires, then fetches a new one", async () => {
    const { agent, pool, source, clock } = setup();
    const expiresAt = clock.now() + HOUR;
    pool
      .intercept({ path: TOKEN_PATH, method: "POST" })
      .reply(() => tokenReply("token-one-abcdef", expiresAt));
    pool
      .intercept({ path: TOKEN_PATH, method: "POST" })
      .reply(() => tokenReply("token-two-abcdef", expiresAt + HOUR));

    expect(await source.getToken()).toBe("token-one-abcdef");
    await clock.advance(HOUR - 5 * 60_000 - 1);
    expect(await source.getToken()).toBe("token-one-abcdef");
    expect(requestLog(agent)).toHaveLength(1);
    await clock.advance(1);
    expect(await source.getToken()).toBe("token-two-abcdef");
    expect(requestLog(agent)).toHaveLength(2);
  });

  it("refreshes a short-lived token halfway through its life", async () => {
    const { agent, pool, source, clock } = setup();
    pool
      .intercept({ path: TOKEN_PATH, method: "POST" })
      .reply(() => tokenReply("short-lived-1", clock.now() + 4 * 60_000));
    pool
      .intercept({ path: TOKEN_PATH, method: "POST" })
      .reply(() => tokenReply("short-lived-2", clock.now() + HOUR));

    expect(await source.getToken()).toBe("short-lived-1");
    await clock.advance(2 * 60_000 - 1);
    expect(await source.getToken()).toBe("short-lived-1");
    await clock.advance(1);
    expect(await source.getToken()).toBe("short-lived-2");
    expect(requestLog(agent)).toHaveLength(2);
  });

  it("shares one request between concurrent callers", async () => {
    const { agent, pool, source, clock } = setup();
    pool
      .intercept({ path: TOKEN_PATH, method: "POST" })
      .reply(() => tokenReply("shared-token-1", clock.now() + 24 * HOUR))
      .delay(10);

    const tokens = await Promise.all([source.getToken(), source.getToken(), source.getToken()]);

    expect(tokens).toEqual(["shared-token-1", "shared-token-1", "shared-token-1"]);
    expect(requestLog(agent)).toEqual(["POST /v3/auth/tokens"]);
    await agent.close();
  });

  it("fetches again after invalidate()", async () => {
    const { agent, pool, source, clock } = setup();
    pool
      .intercept({ path: TOKEN_PATH, method: "POST" })
      .reply(() => tokenReply("before-invalidate", clock.now() + 24 * HOUR));
    pool
      .intercept({ path: TOKEN_PATH, method: "POST" })
      .reply(() => tokenReply("after-invalidate", clock.now() + 24 * HOUR));

    expect(await source.getToken()).toBe("before-invalidate");
    source.invalidate();
    expect(await source.getToken()).toBe("after-invalidate");
    expect(requestLog(agent)).toHaveLength(2);
  });

  it("maps a Keystone error body to an ApiError of cloud iam, without the password", async () => {
    const { pool, source } = setup();
    pool.intercept({ path: TOKEN_PATH, method: "POST" }).reply(
      401,
      JSON.stringify({
        error: { code: 401, title: "Unauthorized", message: "bad password P@ssw0rd-very-secret for ops-bot" },
      }),
      { headers: { "x-request-id": "iam-401" } },
    );

    const error = (await source.getToken().catch((e: unknown) => e)) as ApiError;

    expect(error).toBeInstanceOf(ApiError);
    expect(error.cloud).toBe("iam");
    expect(error.category).toBe("auth");
    expect(error.code).toBe("API_AUTH");
    expect(error.httpStatus).toBe(401);
    expect(error.vendorCode).toBe("Unauthorized");
    expect(error.requestId).toBe("iam-401");
    expect(error.message).toContain("KeystoneCreateUserTokenByPassword");
    expect(error.message).not.toContain("P@ssw0rd-very-secret");
    expect(error.vendorMessage).not.toContain("P@ssw0rd-very-secret");
  });

  it("maps a gateway error body and does not cache a failure", async () => {
    const { agent, pool, source, clock } = setup();
    pool
      .intercept({ path: TOKEN_PATH, method: "POST" })
      .reply(403, '{"error_code":"IAM.0002","error_msg":"Account locked"}');
    pool
      .intercept({ path: TOKEN_PATH, method: "POST" })
      .reply(() => tokenReply("after-error", clock.now() + HOUR));

    await expect(source.getToken()).rejects.toMatchObject({
      cloud: "iam",
      vendorCode: "IAM.0002",
      vendorMessage: "Account locked",
      category: "auth",
    });
    expect(await source.getToken()).toBe("after-error");
    expect(requestLog(agent)).toHaveLength(2);
  });

  it("rejects a 201 without X-Subject-Token as a response-shape error", async () => {
    const { pool, source, clock } = setup();
    const reply = tokenReply("unused-token", clock.now() + HOUR);
    pool.intercept({ path: TOKEN_PATH, method: "POST" }).reply(201, reply.data);
    await expect(source.getToken()).rejects.toBeInstanceOf(ResponseShapeError);
  });

  it("rejects a body without a usable expires_at", async () => {
    const { pool, source } = setup();
    pool
      .intercept({ path: TOKEN_PATH, method: "POST" })
      .reply(201, '{"token":{"expires_at":"tomorrow"}}', { headers: { "x-subject-token": "tok-no-expiry" } });
    const error = (await source.getToken().catch((e: unknown) => e)) as ResponseShapeError;
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect(error.issues[0]?.path).toBe("token.expires_at");
  });

  it("registers the token and the password so redact masks them", async () => {
    const { pool, source, clock } = setup();
    pool
      .intercept({ path: TOKEN_PATH, method: "POST" })
      .reply(() => tokenReply("MIIT-token-value-xyz", clock.now() + HOUR));
    const token = await source.getToken();
    expect(redact(`X-Auth-Token ${token} and P@ssw0rd-very-secret`)).not.toMatch(
      /MIIT-token-value-xyz|P@ssw0rd/,
    );
  });

  it("lets a caller stop waiting without cancelling the shared request", async () => {
    const { agent, pool, source, clock } = setup();
    pool
      .intercept({ path: TOKEN_PATH, method: "POST" })
      .reply(() => tokenReply("slow-token-1", clock.now() + HOUR))
      .delay(20);
    const controller = new AbortController();

    const impatient = source.getToken(controller.signal);
    const patient = source.getToken();
    controller.abort();

    await expect(impatient).rejects.toMatchObject({ code: "ABORTED" });
    await expect(impatient).rejects.toBeInstanceOf(TransportError);
    expect(await patient).toBe("slow-token-1");
    expect(requestLog(agent)).toHaveLength(1);
    await agent.close();
  });
});

describe("Huawei token source over loopback", () => {
  afterEach(() => clearRegisteredSecrets());

  /** A token source whose IAM is a real stand-in that reads the login and never answers. */
  async function withSilentIam(
    body: (parts: {
      iam: Awaited<ReturnType<typeof startSilentServer>>;
      transport: ReturnType<typeof createTransport>;
      source: ReturnType<typeof createHuaweiTokenSource>;
    }) => Promise<void>,
  ): Promise<void> {
    const iam = await startSilentServer();
    const transport = createTransport();
    try {
      const source = createHuaweiTokenSource({
        transport,
        iamEndpoint: iam.url,
        credentials: CREDENTIALS,
        projectId: "0123456789abcdef0123456789abcdef",
      });
      await body({ iam, transport, source });
    } finally {
      await iam.close();
    }
  }

  it("cancels the IAM request when the last caller waiting for it aborts, so close() does not hang", () =>
    withSilentIam(async ({ iam, transport, source }) => {
      const first = new AbortController();
      const second = new AbortController();
      const waits = [source.getToken(first.signal), source.getToken(second.signal)].map((wait) =>
        wait.catch((e: unknown) => e),
      );
      // Bounded by jest's test timeout.
      while (iam.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      first.abort();
      second.abort();
      for (const error of await Promise.all(waits)) {
        expect(error).toBeInstanceOf(TransportError);
        expect((error as TransportError).code).toBe("ABORTED");
      }
      // Without the cancel, the owned Agent would wait for IAM's answer (headers timeout, then retries).
      await transport.close();
      expect(iam.received).toEqual([`POST ${TOKEN_PATH}`]);
    }));

  it("does not start a login for a caller that has already aborted", () =>
    withSilentIam(async ({ iam, transport, source }) => {
      await expect(source.getToken(AbortSignal.abort())).rejects.toMatchObject({ code: "ABORTED" });
      await transport.close();
      expect(iam.received).toEqual([]);
    }));
});

describe("IAM error body parser", () => {
  it.each([
    ['{"error":{"code":401,"title":"Unauthorized","message":"m"}}', "Unauthorized", "m"],
    ['{"error":{"code":"IAM.0101","message":"m2"}}', "IAM.0101", "m2"],
    [
      '{"error_code":"APIGW.0301","error_msg":"verify aksk signature fail"}',
      "APIGW.0301",
      "verify aksk signature fail",
    ],
    ['{"code":"X","message":"y"}', "X", "y"],
    ["<html>", undefined, undefined],
  ])("%s", (body, code, message) => {
    expect(parseIamErrorBody(body)).toEqual({ code, message });
  });
});
