/**
 * A client call's abort signal reaches the credential fetch it waits for (an IAM login, STS
 * AssumeRole, the ECS metadata service), over real HTTP to servers that never answer: the call
 * rejects with ABORTED at once, not DEADLINE_EXCEEDED (or the source's own timeout) much later, and
 * the abandoned fetch is cancelled.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAckClient, createCceClient } from "../../src/clients";
import { TransportError } from "../../src/errors";
import { clearRegisteredSecrets } from "../../src/internal/redact";
import { startServer, type TestServer } from "../transport/loopback-server";

/** Every deadline in play is 20 s (the transport's here, STS's own) or 3 s (the metadata service's). */
const WELL_BEFORE_ANY_DEADLINE_MS = 2_500;

interface HangingServer extends TestServer {
  /** Requests whose connection closed before they were answered. */
  readonly abandoned: string[];
}

/** Reads each request and never answers it. */
async function startHangingServer(): Promise<HangingServer> {
  const abandoned: string[] = [];
  const server = await startServer((req, res) => {
    req.resume();
    res.on("close", () => abandoned.push(`${req.method} ${req.url}`));
  });
  return { ...server, abandoned };
}

/** Polls `condition`; gives up after 10 s (a generous bound: it holds within milliseconds). */
async function until(condition: () => boolean, what: string): Promise<void> {
  const giveUpAt = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error(`still waiting for ${what} after 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Starts `call` with a signal, aborts it once `server` has the credential request, and returns the
 * error and how long after the abort it came.
 */
async function abortedCall(
  server: HangingServer,
  call: (signal: AbortSignal) => Promise<unknown>,
): Promise<{ error: unknown; afterAbortMs: number }> {
  const controller = new AbortController();
  const pending = call(controller.signal).then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
  await until(() => server.received.length > 0, "the credential request");
  const abortedAt = Date.now();
  controller.abort(new Error("the caller gave up"));
  const error = await pending;
  return { error, afterAbortMs: Date.now() - abortedAt };
}

function expectAborted(outcome: { error: unknown; afterAbortMs: number }): void {
  expect(outcome.error).toBeInstanceOf(TransportError);
  expect((outcome.error as TransportError).code).toBe("ABORTED");
  expect(outcome.afterAbortMs).toBeLessThan(WELL_BEFORE_ANY_DEADLINE_MS);
}

let home: string;
let server: HangingServer;
beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), "ug-abort-"));
  server = await startHangingServer();
});
afterEach(async () => {
  await server.close();
  clearRegisteredSecrets();
  rmSync(home, { recursive: true, force: true });
});

describe("aborting a call stops its wait for credentials", () => {
  it("CCE with a password: the IAM login is abandoned and the call rejects ABORTED", async () => {
    const cce = createCceClient({
      env: {
        HOME: home,
        HW_REGION_NAME: "cn-north-4",
        HUAWEICLOUD_SDK_PROJECT_ID: "0123456789abcdef0123456789abcdef",
        HW_USER_NAME: "ops-bot",
        HW_USER_PASSWORD: "pw-secret-123456",
        HW_DOMAIN_NAME: "acme",
        UPGRADE_GUARD_CCE_ENDPOINT: server.url,
        UPGRADE_GUARD_IAM_ENDPOINT: server.url,
      },
      transport: { retry: { deadlineMs: 20_000 } },
    });
    try {
      expectAborted(await abortedCall(server, (signal) => cce.listClusters({}, { signal })));
      // The login was the only request, and nobody is left waiting for it: it was cancelled.
      expect(server.received).toEqual(["POST /v3/auth/tokens?nocatalog=true"]);
      await until(() => server.abandoned.length === 1, "the abandoned fetch to be cancelled");
    } finally {
      await cce.close();
    }
  });

  it("ACK with an assumed role: the STS AssumeRole is abandoned and the call rejects ABORTED", async () => {
    const ack = createAckClient({
      env: {
        HOME: home,
        ALIBABA_CLOUD_REGION_ID: "cn-hangzhou",
        ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAI5tBaseKeyExample01",
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: "base-secret-example-0123456789",
        ALIBABA_CLOUD_ROLE_ARN: "acs:ram::1234567890123456:role/upgrade-guard",
        UPGRADE_GUARD_STS_ENDPOINT: server.url,
        UPGRADE_GUARD_ACK_ENDPOINT: server.url,
      },
    });
    try {
      expectAborted(await abortedCall(server, (signal) => ack.describeClustersV1({}, { signal })));
      expect(server.received).toHaveLength(1);
      expect(server.received[0]).toMatch(/^POST \/\?RoleArn=/);
      await until(() => server.abandoned.length === 1, "the abandoned fetch to be cancelled");
    } finally {
      await ack.close();
    }
  });

  it("ACK with the ECS instance role: the metadata fetch is abandoned and the call rejects ABORTED", async () => {
    const ack = createAckClient({
      env: {
        HOME: home,
        ALIBABA_CLOUD_REGION_ID: "cn-hangzhou",
        ALIBABA_CLOUD_ECS_METADATA: "upgrade-guard",
        UPGRADE_GUARD_ALIBABA_METADATA_ENDPOINT: server.url,
        UPGRADE_GUARD_ACK_ENDPOINT: server.url,
      },
    });
    try {
      expectAborted(await abortedCall(server, (signal) => ack.describeClustersV1({}, { signal })));
      expect(server.received).toEqual(["PUT /latest/api/token"]);
      await until(() => server.abandoned.length === 1, "the abandoned fetch to be cancelled");
    } finally {
      await ack.close();
    }
  });
});
