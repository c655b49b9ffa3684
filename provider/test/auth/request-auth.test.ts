import { signAcs3Request, signRoaV2Request } from "../../src/auth/alibaba-signer";
import { signHuaweiRequest } from "../../src/auth/huawei-signer";
import { TransportError } from "../../src/errors";
import { createAckRequestAuth, createCceRequestAuth } from "../../src/auth/request-auth";
import { type AckConfig, type CceConfig } from "../../src/auth/types";
import { clearRegisteredSecrets } from "../../src/internal/redact";
import { createTransport } from "../../src/transport/transport";
import { type HttpRequest } from "../../src/transport/types";
import { FakeClock } from "../transport/fake-clock";
import { newMockAgent, requestLog } from "../transport/helpers";
import { startSilentServer } from "../transport/loopback-server";

const NOW = Date.parse("2025-08-05T09:10:44Z");
const CCE_BASE = {
  region: "cn-north-4",
  projectId: "0123456789abcdef0123456789abcdef",
  endpoint: "https://cce.cn-north-4.myhuaweicloud.com",
  iamEndpoint: "https://iam.cn-north-4.myhuaweicloud.com",
};
const cceRequest: HttpRequest = {
  method: "GET",
  url: `${CCE_BASE.endpoint}/api/v3/projects/${CCE_BASE.projectId}/clusters/c1/upgradeinfo`,
  headers: { "content-type": "application/json" },
};
const ACK_CONFIG: AckConfig = {
  region: "cn-hangzhou",
  endpoint: "https://cs.cn-hangzhou.aliyuncs.com",
  credentials: { accessKeyId: "LTAIEXAMPLE", accessKeySecret: "SECRETEXAMPLE" },
  signatureAlgorithm: "ACS3-HMAC-SHA256",
};
const ackRequest: HttpRequest = {
  method: "GET",
  url: "https://cs.cn-hangzhou.aliyuncs.com/clusters/c0123/checks/chk-1",
  headers: { "x-acs-action": "GetClusterCheck", "x-acs-version": "2015-12-15" },
};

afterEach(() => clearRegisteredSecrets());

describe("createCceRequestAuth", () => {
  it("adds X-Project-Id and signs with AK/SK at the clock's time", async () => {
    const credentials = {
      kind: "aksk",
      accessKey: "AKEXAMPLE0000000",
      secretKey: "SKEXAMPLE0000000000000000000000000000000",
    } as const;
    const config: CceConfig = { ...CCE_BASE, credentials };
    const auth = createCceRequestAuth(config, { transport: createTransport(), clock: { now: () => NOW } });

    const signed = await auth(cceRequest);

    expect(signed.headers["x-project-id"]).toBe(CCE_BASE.projectId);
    expect(signed.headers["x-sdk-date"]).toBe("20250805T091044Z");
    expect(signed.headers["authorization"]).toContain(
      "SignedHeaders=content-type;host;x-project-id;x-sdk-date,",
    );
    const expected = signHuaweiRequest(
      { ...cceRequest, headers: { ...cceRequest.headers, "x-project-id": CCE_BASE.projectId } },
      credentials,
      new Date(NOW),
    );
    expect(signed.headers["authorization"]).toBe(expected.headers["authorization"]);
  });

  it("sends the security token of temporary AK/SK", async () => {
    const config: CceConfig = {
      ...CCE_BASE,
      credentials: { kind: "aksk", accessKey: "AK", secretKey: "SK-secret", securityToken: "sts-token-1" },
    };
    const signed = await createCceRequestAuth(config, { transport: createTransport() })(cceRequest);
    expect(signed.headers["x-security-token"]).toBe("sts-token-1");
  });

  it("adds a ready token as X-Auth-Token and signs nothing", async () => {
    const config: CceConfig = { ...CCE_BASE, credentials: { kind: "token", token: "MIIready-token" } };
    const signed = await createCceRequestAuth(config, { transport: createTransport() })(cceRequest);
    expect(signed.headers["x-auth-token"]).toBe("MIIready-token");
    expect(signed.headers["authorization"]).toBeUndefined();
  });

  it("logs in with a password once and reuses the token", async () => {
    const agent = newMockAgent();
    const clock = new FakeClock({ start: NOW });
    const transport = createTransport({ dispatcher: agent, clock });
    const config: CceConfig = {
      ...CCE_BASE,
      credentials: { kind: "password", userName: "ops", password: "pw-secret-123", domainName: "acme" },
    };
    let issued = 0;
    agent
      .get(CCE_BASE.iamEndpoint)
      .intercept({ path: "/v3/auth/tokens?nocatalog=true", method: "POST" })
      .reply(() => ({
        statusCode: 201,
        data: JSON.stringify({ token: { expires_at: new Date(clock.now() + 86_400_000).toISOString() } }),
        responseOptions: { headers: { "x-subject-token": `iam-token-${++issued}` } },
      }))
      .persist();
    const auth = createCceRequestAuth(config, { transport, clock });

    expect((await auth(cceRequest)).headers["x-auth-token"]).toBe("iam-token-1");
    expect((await auth(cceRequest)).headers["x-auth-token"]).toBe("iam-token-1");
    expect(requestLog(agent)).toEqual(["POST /v3/auth/tokens"]);
    auth.invalidate();
    expect((await auth(cceRequest)).headers["x-auth-token"]).toBe("iam-token-2");
    expect(requestLog(agent)).toHaveLength(2);
  });

  it("stops waiting for an IAM token when the caller aborts", async () => {
    // A real IAM stand-in that reads the login and never answers: only the abort can end the wait.
    const iam = await startSilentServer();
    const transport = createTransport();
    try {
      const config: CceConfig = {
        ...CCE_BASE,
        iamEndpoint: iam.url,
        credentials: { kind: "password", userName: "ops", password: "pw-secret-123", domainName: "acme" },
      };
      const auth = createCceRequestAuth(config, { transport });
      const controller = new AbortController();
      const pending = Promise.resolve(auth(cceRequest, controller.signal)).catch((e: unknown) => e);
      while (iam.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort(new Error("caller gave up"));
      const error = await pending;
      expect(error).toBeInstanceOf(TransportError);
      expect((error as TransportError).code).toBe("ABORTED");
      expect(iam.received).toEqual(["POST /v3/auth/tokens?nocatalog=true"]);
    } finally {
      await transport.close();
      await iam.close();
    }
  });

  it("does not call IAM before the first request", () => {
    const agent = newMockAgent();
    const config: CceConfig = {
      ...CCE_BASE,
      credentials: { kind: "password", userName: "ops", password: "pw-secret-123", domainName: "acme" },
    };
    createCceRequestAuth(config, { transport: createTransport({ dispatcher: agent }) });
    expect(requestLog(agent)).toEqual([]);
  });
});

describe("createAckRequestAuth", () => {
  it("signs ACS3 with the injected time and nonce", async () => {
    const auth = createAckRequestAuth(ACK_CONFIG, {
      now: () => NOW,
      nonce: () => "0123456789abcdef0123456789abcdef",
    });
    const signed = await auth(ackRequest);
    expect(signed.headers["authorization"]).toBe(
      "ACS3-HMAC-SHA256 Credential=LTAIEXAMPLE,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=c36b5ffbd7b6c28297b7fc37fc4ddd86513acacfe81104fc8a26093560e367c0",
    );
    expect(signed).toEqual(
      signAcs3Request(ackRequest, ACK_CONFIG.credentials, new Date(NOW), "0123456789abcdef0123456789abcdef"),
    );
  });

  it("signs ROA V2 when configured for HMAC-SHA1", async () => {
    const auth = createAckRequestAuth(
      { ...ACK_CONFIG, signatureAlgorithm: "HMAC-SHA1" },
      { now: () => NOW, nonce: () => "0123456789abcdef0123456789abcdef" },
    );
    expect((await auth(ackRequest)).headers["authorization"]).toBe(
      "acs LTAIEXAMPLE:VycsQfyiRVNucHmYvIkz8ywYgO4=",
    );
    expect(await auth(ackRequest)).toEqual(
      signRoaV2Request(ackRequest, ACK_CONFIG.credentials, new Date(NOW), "0123456789abcdef0123456789abcdef"),
    );
  });

  it("uses a fresh random hex nonce for every call by default", async () => {
    const auth = createAckRequestAuth(ACK_CONFIG, { now: () => NOW });
    const nonces = await Promise.all(
      Array.from({ length: 5 }, async () => (await auth(ackRequest)).headers["x-acs-signature-nonce"]),
    );
    for (const nonce of nonces) expect(nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(nonces).size).toBe(5);
  });

  it("gives every transport attempt its own nonce and date", async () => {
    const agent = newMockAgent();
    const clock = new FakeClock({ start: NOW });
    const transport = createTransport({ dispatcher: agent, clock });
    const seen: Array<[string | undefined, string | undefined]> = [];
    const pool = agent.get(ACK_CONFIG.endpoint);
    for (const status of [503, 200]) {
      pool.intercept({ path: "/clusters/c0123/checks/chk-1" }).reply(
        status,
        (opts) => {
          const headers = opts.headers as Record<string, string>;
          seen.push([headers["x-acs-signature-nonce"], headers["x-acs-date"]]);
          return "{}";
        },
        { headers: { "retry-after": "2" } },
      );
    }
    let n = 0;
    const auth = createAckRequestAuth(ACK_CONFIG, { now: () => clock.now(), nonce: () => `nonce-${++n}` });

    await transport.send(ackRequest, {
      cloud: "ack",
      operation: "GetClusterCheck",
      retryMode: "idempotent",
      sign: auth,
    });

    expect(seen.map(([nonce]) => nonce)).toEqual(["nonce-1", "nonce-2"]);
    // The retry waited (virtual) time, so the second attempt carries a later date.
    expect(seen[0]?.[1]).toBe("2025-08-05T09:10:44Z");
    expect(seen[1]?.[1]).toBe("2025-08-05T09:10:46Z");
  });
});
