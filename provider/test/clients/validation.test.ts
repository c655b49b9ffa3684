/**
 * Arguments, configuration and response shapes: InputError lists every bad field, a missing
 * credential is a ConfigError at the first call, a response missing what we need is a
 * ResponseShapeError with a redacted excerpt, and no configured secret appears in any error message.
 */
import { type MockAgent } from "undici";
import { createAckClient } from "../../src/clients/ack/client";
import { createCceClient } from "../../src/clients/cce/client";
import {
  ConfigError,
  InputError,
  ResponseShapeError,
  TransportError,
  UpgradeGuardError,
} from "../../src/errors";
import {
  ACK_CLUSTER_ID,
  ACK_ORIGIN,
  CCE_CLUSTER_PATH,
  CCE_ORIGIN,
  CLUSTER_ID,
  JSON_HEADERS,
  SECRETS,
  ackTestClient,
  cceTestClient,
  codedError,
  mockAgentPerTest,
  pathIs,
  recordedCalls,
  rejectionOf,
} from "./helpers";

let agent: MockAgent;
mockAgentPerTest((created) => (agent = created));

function issuePaths(error: unknown): string[] {
  expect(error).toBeInstanceOf(InputError);
  return (error as InputError).issues.map((issue) => issue.path).sort();
}

describe("InputError lists every bad field", () => {
  it("CCE createPreCheck: empty clusterId, two non-versions and an unknown key, all at once, nothing sent", async () => {
    const client = cceTestClient(agent);
    const error = await rejectionOf(
      client.createPreCheck({
        clusterId: "",
        clusterVersion: "latest",
        targetVersion: "1.29-ish",
        // @ts-expect-error -- a typo must be reported, not ignored
        targetVerison: "v1.29",
      }),
    );
    expect(issuePaths(error)).toEqual(["", "clusterId", "clusterVersion", "targetVersion"]);
    expect((error as InputError).message).toContain("CCE createPreCheck: invalid arguments");
    expect((error as InputError).message).toContain("targetVerison");
    expect(recordedCalls(agent)).toEqual([]);
    await client.close();
  });

  it.each([".", ".."])(
    "a cluster id of %j is an InputError naming clusterId on both clouds, nothing sent",
    async (clusterId) => {
      const ack = ackTestClient(agent);
      const cce = cceTestClient(agent);
      for (const call of [
        () => ack.describeClusterDetail({ clusterId }),
        () => cce.showCluster({ clusterId }),
      ]) {
        const error = await rejectionOf(call());
        expect(issuePaths(error)).toEqual(["clusterId"]);
        expect((error as InputError).message).toContain("path segment");
      }
      expect(recordedCalls(agent)).toEqual([]);
      await ack.close();
      await cce.close();
    },
  );

  it("CCE batchCreateAddonPrecheck: addonUpgrade without targetVersion, bad type, in nested paths", async () => {
    const client = cceTestClient(agent);
    const error = await rejectionOf(
      client.batchCreateAddonPrecheck({
        clusterId: CLUSTER_ID,
        addonList: [
          { addonTemplateName: "coredns", addonInstanceId: "i-1", type: "addonUpgrade" },
          // @ts-expect-error -- not a type CCE knows
          { addonTemplateName: "everest", addonInstanceId: "i-2", type: "addonDowngrade" },
        ],
      }),
    );
    expect(issuePaths(error)).toEqual(["addonList.0.targetVersion", "addonList.1.type"]);
    await client.close();
  });

  it("ACK runClusterCheck: NodePoolUpgrade without target and a bad next_version", async () => {
    const client = ackTestClient(agent);
    const error = await rejectionOf(
      client.runClusterCheck({
        clusterId: " c-1",
        type: "NodePoolUpgrade",
        options: { next_version: "latest" },
      }),
    );
    expect(issuePaths(error)).toEqual(["clusterId", "options", "target"]);
    await client.close();
    const second = await rejectionOf(
      ackTestClient(agent).runClusterCheck({ clusterId: ACK_CLUSTER_ID, type: "NodePoolUpgrade" }),
    );
    expect(issuePaths(second)).toEqual(["target"]);
  });

  it("ACK upgradeCluster: missing nextVersion and a non-boolean masterOnly", async () => {
    const client = ackTestClient(agent);
    // @ts-expect-error -- deliberately wrong
    const error = await rejectionOf(client.upgradeCluster({ clusterId: ACK_CLUSTER_ID, masterOnly: "yes" }));
    expect(issuePaths(error)).toEqual(["masterOnly", "nextVersion"]);
    await client.close();
  });
});

describe("configuration", () => {
  it("a CCE client with nothing configured is created, and its first call throws ConfigError", async () => {
    const client = createCceClient({ env: {}, dispatcher: agent });
    const error = await rejectionOf(client.showPreCheck({ clusterId: CLUSTER_ID, taskId: "t-1" }));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe("CONFIG_MISSING");
    expect(recordedCalls(agent)).toEqual([]);
    await client.close();
  });

  it("an ACK client with nothing configured throws ConfigError naming the settings to set", async () => {
    const client = createAckClient({ env: {}, dispatcher: agent });
    const error = await rejectionOf(client.describeClusterDetail({ clusterId: ACK_CLUSTER_ID }));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).settings).toEqual(expect.arrayContaining(["ALIBABA_CLOUD_ACCESS_KEY_ID"]));
    await client.close();
  });

  it("settings come from the environment when no options are given, and pulumiConfig fills gaps", async () => {
    const client = createCceClient({
      env: {
        HUAWEICLOUD_SDK_AK: SECRETS.cceAccessKey,
        HUAWEICLOUD_SDK_SK: SECRETS.cceSecretKey,
        HW_REGION_NAME: "cn-north-4",
      },
      pulumiConfig: { projectId: "fedcba9876543210fedcba9876543210" },
      dispatcher: agent,
    });
    const path = "/api/v3/projects/fedcba9876543210fedcba9876543210/clusters";
    agent
      .get(CCE_ORIGIN)
      .intercept({ method: "GET", path: pathIs(path) })
      .reply(200, JSON.stringify({ kind: "Cluster", apiVersion: "v3", items: [] }), {
        headers: JSON_HEADERS,
      });
    const result = await client.listClusters();
    expect(result.items).toEqual([]);
    expect(recordedCalls(agent)[0]?.headers["authorization"]).toContain(`Access=${SECRETS.cceAccessKey}`);
    await client.close();
  });

  it("an explicit endpoint (e.g. the emulator) replaces the default host", async () => {
    const client = ackTestClient(agent, { endpoint: "http://127.0.0.1:18080" });
    agent
      .get("http://127.0.0.1:18080")
      .intercept({ method: "GET", path: pathIs(`/clusters/${ACK_CLUSTER_ID}`) })
      .reply(200, JSON.stringify({ cluster_id: ACK_CLUSTER_ID, current_version: "1.31.1-aliyun.1" }), {
        headers: JSON_HEADERS,
      });
    const detail = await client.describeClusterDetail({ clusterId: ACK_CLUSTER_ID });
    expect(detail.current_version).toBe("1.31.1-aliyun.1");
    await client.close();
  });
});

describe("ResponseShapeError", () => {
  it("a 200 missing a required field names the field and carries a redacted excerpt", async () => {
    const client = cceTestClient(agent);
    const body = JSON.stringify({
      kind: "PreCheckTask",
      metadata: { creationTimestamp: "2025-08-05T09:10:44Z" },
      status: { phase: "Running" },
      debug: { secretKey: "leaked-by-server-123", echoedAk: SECRETS.cceSecretKey },
    });
    agent
      .get(CCE_ORIGIN)
      .intercept({ method: "GET", path: pathIs(`${CCE_CLUSTER_PATH}/operation/precheck/tasks/t-1`) })
      .reply(200, body, { headers: { ...JSON_HEADERS, "x-request-id": "req-shape-1" } });
    const error = await rejectionOf(client.showPreCheck({ clusterId: CLUSTER_ID, taskId: "t-1" }));
    expect(error).toBeInstanceOf(ResponseShapeError);
    const shapeError = error as ResponseShapeError;
    expect(shapeError.operation).toBe("ShowPreCheck");
    // The message asks for a report with the request id, so it carries one.
    expect(shapeError.requestId).toBe("req-shape-1");
    expect(shapeError.message).toContain("req-shape-1");
    expect(shapeError.issues.map((issue) => issue.path)).toEqual(["metadata.uid"]);
    expect(shapeError.excerpt).toContain("PreCheckTask");
    expect(shapeError.excerpt).toContain("[REDACTED]");
    expect(shapeError.excerpt).not.toContain("leaked-by-server-123");
    expect(shapeError.excerpt).not.toContain(SECRETS.cceSecretKey);
    expect(shapeError.message).not.toContain(SECRETS.cceSecretKey);
    await client.close();
  });

  it("a 200 that is not JSON is a ResponseShapeError too", async () => {
    const client = ackTestClient(agent);
    agent
      .get(ACK_ORIGIN)
      .intercept({ method: "GET", path: pathIs(`/clusters/${ACK_CLUSTER_ID}`) })
      .reply(200, "<html>maintenance</html>", { headers: { "content-type": "text/html" } });
    const error = await rejectionOf(client.describeClusterDetail({ clusterId: ACK_CLUSTER_ID }));
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect((error as ResponseShapeError).issues[0]?.message).toBe("the answer is text/html, not JSON");
    expect((error as ResponseShapeError).message).toContain("DescribeClusterDetail");
    await client.close();
  });

  it("a 200 with an empty body or a text/plain body is an error naming the operation, never an empty list", async () => {
    const client = ackTestClient(agent);
    const pool = agent.get(ACK_ORIGIN);
    const checks = { method: "GET", path: pathIs(`/clusters/${ACK_CLUSTER_ID}/checks`) };
    pool.intercept(checks).reply(200, "");
    const empty = await rejectionOf(client.listClusterChecks({ clusterId: ACK_CLUSTER_ID }));
    expect(empty).toBeInstanceOf(ResponseShapeError);
    expect((empty as ResponseShapeError).message).toContain("ListClusterChecks");
    expect((empty as ResponseShapeError).issues[0]?.message).toBe(
      "the answer has an empty body where JSON was expected",
    );
    // JSON-looking text, but declared text/plain: a proxy's answer, not the vendor's.
    pool.intercept(checks).reply(200, '{"checks":[]}', { headers: { "content-type": "text/plain" } });
    const plain = await rejectionOf(client.listClusterChecks({ clusterId: ACK_CLUSTER_ID }));
    expect((plain as ResponseShapeError).issues[0]?.message).toBe("the answer is text/plain, not JSON");
    // The one operation documented to answer with nothing still may.
    pool.intercept({ method: "POST", path: pathIs("/tasks/T-1/cancel") }).reply(200, "");
    await expect(client.cancelTask({ taskId: "T-1" })).resolves.toEqual({});
    await client.close();
  });
});

describe("no configured secret in any error message", () => {
  const secretValues = Object.values(SECRETS);

  function expectClean(error: unknown): void {
    expect(UpgradeGuardError.isInstance(error)).toBe(true);
    const text = `${(error as Error).message} ${JSON.stringify(error)}`;
    for (const secret of secretValues) expect(text).not.toContain(secret);
  }

  it("API errors whose vendor message echoes the credentials", async () => {
    const cce = cceTestClient(agent, { transport: { retry: { maxAttempts: 1 } } });
    const ack = ackTestClient(agent, { transport: { retry: { maxAttempts: 1 } } });
    agent
      .get(CCE_ORIGIN)
      .intercept({ method: "GET", path: pathIs(`${CCE_CLUSTER_PATH}/upgradeinfo`) })
      .reply(
        401,
        JSON.stringify({
          error_code: "APIGW.0301",
          error_msg: `verify aksk signature fail, sk ${SECRETS.cceSecretKey}, token ${SECRETS.cceSecurityToken}`,
        }),
        { headers: JSON_HEADERS },
      );
    agent
      .get(ACK_ORIGIN)
      .intercept({ method: "GET", path: pathIs(`/tasks/T-1`) })
      .reply(
        400,
        JSON.stringify({
          Code: "SignatureDoesNotMatch",
          Message: `secret ${SECRETS.ackAccessKeySecret} token ${SECRETS.ackSecurityToken} did not match`,
        }),
        { headers: JSON_HEADERS },
      );
    const cceError = await rejectionOf(cce.showClusterUpgradeInfo({ clusterId: CLUSTER_ID }));
    const ackError = await rejectionOf(ack.describeTaskInfo({ taskId: "T-1" }));
    expect((cceError as { category?: string }).category).toBe("auth");
    expect((ackError as { category?: string }).category).toBe("auth");
    expectClean(cceError);
    expectClean(ackError);
    await cce.close();
    await ack.close();
  });

  it("transport errors", async () => {
    const client = ackTestClient(agent);
    agent
      .get(ACK_ORIGIN)
      .intercept({ method: "POST", path: pathIs(`/clusters/${ACK_CLUSTER_ID}/checks`) })
      .replyWithError(codedError("ECONNRESET", `reset while sending ${SECRETS.ackAccessKeySecret}`));
    agent
      .get(ACK_ORIGIN)
      .intercept({ method: "GET", path: pathIs(`/clusters/${ACK_CLUSTER_ID}/checks`) })
      .reply(200, JSON.stringify({ checks: [] }), { headers: JSON_HEADERS });
    const error = await rejectionOf(
      client.runClusterCheck({ clusterId: ACK_CLUSTER_ID, type: "ClusterUpgrade" }),
    );
    expect(error).toBeInstanceOf(TransportError);
    expectClean(error);
    await client.close();
  });

  it("input and config errors", async () => {
    const cce = cceTestClient(agent);
    expectClean(await rejectionOf(cce.showPreCheck({ clusterId: CLUSTER_ID, taskId: "" })));
    await cce.close();
    const half = createCceClient({
      env: {},
      region: "cn-north-4",
      projectId: "0123456789abcdef0123456789abcdef",
      secretKey: SECRETS.cceSecretKey,
      dispatcher: agent,
    });
    const configError = await rejectionOf(half.listClusters());
    expect(configError).toBeInstanceOf(ConfigError);
    expectClean(configError);
    await half.close();
  });
});

describe("client options", () => {
  it("a client created with options of the wrong shape fails at once, naming every bad option", () => {
    let caught: unknown;
    try {
      createCceClient({
        dispatcher: 7,
        clock: 5,
        transport: { retry: { maxAttempts: 0 }, limits: { concurrency: 1.5 } },
      } as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    const paths = (caught as InputError).issues.map((issue) => issue.path).sort();
    expect(paths).toEqual([
      "clock",
      "dispatcher",
      "transport.limits.concurrency",
      "transport.retry.maxAttempts",
    ]);
    expect((caught as InputError).message).toContain("createCceClient");
  });

  it("an unknown option is an InputError, not silently ignored in favour of the environment", () => {
    let caught: unknown;
    try {
      createCceClient({ env: {}, regoin: "cn-north-4", Endpoint: "http://127.0.0.1:1", zone: "a" } as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).issues).toEqual([
      { path: "regoin", message: "unknown option; did you mean region?" },
      { path: "Endpoint", message: "unknown option; did you mean endpoint?" },
      // Nothing near: the list of options instead.
      { path: "zone", message: expect.stringContaining("unknown option; the options are region, projectId") },
    ]);
    // An ACK setting handed to CCE is named too.
    expect(() => createCceClient({ accessKeyId: "LTAI" } as never)).toThrow(/accessKeyId: unknown option/);
    expect(() => createAckClient({ projectId: "p" } as never)).toThrow(/projectId: unknown option/);
    // Spreading an object whose extra keys are undefined stays allowed.
    expect(() => createAckClient({ env: {}, projectId: undefined } as never)).not.toThrow();
  });

  it("the ACK client checks its options the same way", () => {
    expect(() => createAckClient({ transport: { timeouts: { headersMs: -1 } } } as never)).toThrow(
      InputError,
    );
  });
});
