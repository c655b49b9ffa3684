/**
 * The metadata deadline over real HTTP: one budget for all of a fetch's requests together, and a
 * short-lived transport that is not left waiting for a connect that never completes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fetchAlibabaEcsRole, fetchHuaweiMetadataKeys } from "../../src/auth/temporary-sources";
import { createAckClient } from "../../src/clients";
import { ConfigError } from "../../src/errors";
import { clearRegisteredSecrets } from "../../src/internal/redact";
import { startBlackhole, startServer, type TestServer } from "../transport/loopback-server";
import { rejectionOf } from "../clients/helpers";

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "ug-metadata-"));
});
afterEach(() => {
  clearRegisteredSecrets();
  rmSync(home, { recursive: true, force: true });
});

describe("the metadata deadline", () => {
  it("an ECS-role fetch from a host that drops SYNs fails at its 3 s deadline, not after the 10 s connect timeout", async () => {
    const blackhole = await startBlackhole();
    const ack = createAckClient({
      env: {
        HOME: home,
        ALIBABA_CLOUD_REGION_ID: "cn-hangzhou",
        ALIBABA_CLOUD_ECS_METADATA: "upgrade-guard",
        UPGRADE_GUARD_ALIBABA_METADATA_ENDPOINT: blackhole.url,
        UPGRADE_GUARD_ACK_ENDPOINT: blackhole.url,
      },
    });
    try {
      const started = Date.now();
      const error = await rejectionOf(ack.describeClustersV1({}));
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(
        `the metadata service at ${blackhole.url} did not answer within 3000 ms`,
      );
      // What the message says is true: it waited the 3 s, and not the connect timeout (10 s) more.
      expect(elapsed).toBeGreaterThanOrEqual(2_900);
      expect(elapsed).toBeLessThan(8_000);
    } finally {
      await ack.close();
      await blackhole.close();
    }
  });

  /** A metadata service that answers the session token after `tokenDelayMs` and nothing else, ever. */
  async function slowMetadata(tokenDelayMs: number): Promise<TestServer & { stop(): Promise<void> }> {
    const timers: NodeJS.Timeout[] = [];
    const server = await startServer((req, res) => {
      req.resume();
      if (req.method === "PUT") timers.push(setTimeout(() => res.end("session-token-abcdef"), tokenDelayMs));
    });
    return {
      ...server,
      stop: async () => {
        for (const timer of timers) clearTimeout(timer);
        await server.close();
      },
    };
  }

  const fetchers = [
    [
      "Alibaba ECS role",
      (endpoint: string, deadlineMs: number) =>
        fetchAlibabaEcsRole(
          {
            kind: "ecsRamRole",
            roleName: "r",
            metadataEndpoint: endpoint,
            source: "ALIBABA_CLOUD_ECS_METADATA",
          },
          { metadataDeadlineMs: deadlineMs },
        ),
    ],
    [
      "Huawei securitykey",
      (endpoint: string, deadlineMs: number) =>
        fetchHuaweiMetadataKeys(
          {
            kind: "metadata",
            metadataEndpoint: endpoint,
            source: "UPGRADE_GUARD_HUAWEI_METADATA_CREDENTIALS",
          },
          { metadataDeadlineMs: deadlineMs },
        ),
    ],
  ] as const;

  it.each(fetchers)("%s: the deadline covers the session token and the keys together", async (_, fetch) => {
    // The token comes well within the deadline (1.5 s to spare), and a deadline per request would
    // have waited 1.5 s + 3 s in all.
    const deadlineMs = 3_000;
    const tokenDelayMs = 1_500;
    const metadata = await slowMetadata(tokenDelayMs);
    try {
      const started = Date.now();
      const error = await rejectionOf(fetch(metadata.url, deadlineMs));
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(`did not answer within ${deadlineMs} ms`);
      expect(metadata.received.map((line) => line.split(" ")[0])).toEqual(["PUT", "GET"]);
      expect(elapsed).toBeGreaterThanOrEqual(deadlineMs - 100);
      expect(elapsed).toBeLessThan(tokenDelayMs + deadlineMs);
    } finally {
      await metadata.stop();
    }
  });
});
