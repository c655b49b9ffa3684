/**
 * A refresh that fails before the credentials expire: over real HTTP to an IAM and a metadata
 * service that stop answering well, with the credentials' clock injected. In the refresh window the
 * cached credentials are still given (one refresh in flight at a time, tried again on the next call);
 * only once they have expired does the error surface.
 */
import { createAckRequestAuth } from "../../src/auth/request-auth";
import { createHuaweiTokenSource } from "../../src/auth/huawei-token";
import { type AckConfig } from "../../src/auth/types";
import { ApiError, ConfigError } from "../../src/errors";
import { clearRegisteredSecrets } from "../../src/internal/redact";
import { createTransport } from "../../src/transport/transport";
import { type HttpRequest, type Transport } from "../../src/transport/types";
import { startServer, type TestServer } from "../transport/loopback-server";
import { rejectionOf } from "../clients/helpers";

const HOUR = 3_600_000;

/** A clock that moves only when the test says. */
function manualClock(start = Date.parse("2025-08-05T09:10:44Z")) {
  let time = start;
  return {
    now: () => time,
    set: (at: number) => {
      time = at;
    },
  };
}

let server: TestServer;
let transport: Transport;
/** Whether the server hands out credentials (`ok`) or fails every credential request. */
let mode: "ok" | "failing";
let issued: number;
let expiresAt: number;

beforeEach(() => {
  mode = "ok";
  issued = 0;
  // One attempt per fetch, so the request counts below are fetch counts.
  transport = createTransport({ retry: { maxAttempts: 1 } });
});
afterEach(async () => {
  await transport.close();
  await server.close();
  clearRegisteredSecrets();
});

describe("a failed refresh falls back to credentials that have not expired", () => {
  it("Huawei IAM token: the cached token until it expires, then the IAM error", async () => {
    server = await startServer((req, res) => {
      req.resume();
      if (mode === "failing") {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "500", message: "IAM is down" } }));
        return;
      }
      issued += 1;
      res.writeHead(201, { "content-type": "application/json", "x-subject-token": `iam-token-${issued}` });
      res.end(JSON.stringify({ token: { expires_at: new Date(expiresAt).toISOString() } }));
    });
    const clock = manualClock();
    expiresAt = clock.now() + HOUR;
    const source = createHuaweiTokenSource({
      transport,
      iamEndpoint: server.url,
      credentials: {
        kind: "password",
        userName: "ops-bot",
        password: "pw-secret-123456",
        domainName: "acme",
      },
      projectId: "0123456789abcdef0123456789abcdef",
      clock,
    });
    const logins = () => server.received.length;

    expect(await source.getToken()).toBe("iam-token-1");
    mode = "failing";
    // In the refresh window (the last 5 minutes): a refresh is tried, fails, and the token still serves.
    clock.set(expiresAt - 5 * 60_000);
    expect(await source.getToken()).toBe("iam-token-1");
    expect(logins()).toBe(2);
    // The next call tries again; concurrent ones share one refresh.
    clock.set(expiresAt - 1);
    expect(await Promise.all([source.getToken(), source.getToken(), source.getToken()])).toEqual([
      "iam-token-1",
      "iam-token-1",
      "iam-token-1",
    ]);
    expect(logins()).toBe(3);
    // Expired: the refresh's error is the caller's.
    clock.set(expiresAt);
    const error = await rejectionOf(source.getToken());
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).httpStatus).toBe(500);
    expect(logins()).toBe(4);
    // IAM back: a new token.
    mode = "ok";
    expiresAt += 24 * HOUR;
    expect(await source.getToken()).toBe("iam-token-2");
  });

  it("Alibaba ECS role keys: the cached keys sign until they expire, then the metadata error", async () => {
    server = await startServer((req, res) => {
      req.resume();
      if (req.method === "PUT") {
        res.end("session-token-abcdef");
        return;
      }
      if (mode === "failing") {
        res.writeHead(500);
        res.end("metadata is down");
        return;
      }
      issued += 1;
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          Code: "Success",
          AccessKeyId: `STS.key-${issued}`,
          AccessKeySecret: `secret-${issued}-0123456789`,
          SecurityToken: `security-token-${issued}-abcdef`,
          Expiration: new Date(expiresAt).toISOString(),
        }),
      );
    });
    const clock = manualClock();
    expiresAt = clock.now() + HOUR;
    const config: AckConfig = {
      region: "cn-hangzhou",
      endpoint: "https://cs.cn-hangzhou.aliyuncs.com",
      credentials: { accessKeyId: "ALIBABA_CLOUD_ECS_METADATA", accessKeySecret: "" },
      credentialPlan: {
        kind: "ecsRamRole",
        roleName: "upgrade-guard",
        metadataEndpoint: server.url,
        source: "ALIBABA_CLOUD_ECS_METADATA",
      },
      signatureAlgorithm: "ACS3-HMAC-SHA256",
    };
    const auth = createAckRequestAuth(config, { transport, credentialClock: clock });
    const request: HttpRequest = {
      method: "GET",
      url: "https://cs.cn-hangzhou.aliyuncs.com/clusters/c0123/checks/chk-1",
      headers: { "x-acs-action": "GetClusterCheck", "x-acs-version": "2015-12-15" },
    };
    const signedBy = async (): Promise<string | undefined> =>
      (await auth(request)).headers["authorization"]?.match(/Credential=([^,]+)/)?.[1];
    const keyFetches = () => server.received.filter((line) => line.startsWith("GET ")).length;

    expect(await signedBy()).toBe("STS.key-1");
    mode = "failing";
    // In the refresh window (the last 3 minutes): the refresh fails and the cached keys still sign.
    clock.set(expiresAt - 3 * 60_000);
    expect(await signedBy()).toBe("STS.key-1");
    expect(keyFetches()).toBe(2);
    clock.set(expiresAt - 1);
    expect(await Promise.all([signedBy(), signedBy(), signedBy()])).toEqual([
      "STS.key-1",
      "STS.key-1",
      "STS.key-1",
    ]);
    expect(keyFetches()).toBe(3);
    clock.set(expiresAt);
    const error = await rejectionOf(signedBy());
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(
      'gave no usable credentials for role "upgrade-guard" (HTTP 500)',
    );
    expect(keyFetches()).toBe(4);
    mode = "ok";
    expiresAt += HOUR;
    expect(await signedBy()).toBe("STS.key-2");
  });
});
