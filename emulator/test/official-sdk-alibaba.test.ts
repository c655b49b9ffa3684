/**
 * The official Alibaba SDK (`@alicloud/cs20151215` on `@alicloud/openapi-core`) against the emulator:
 * every ACK operation, both signature algorithms, and tampered, expired and replayed requests.
 */
import { type RunningEmulator } from "../src";
import { emulatorPerTest } from "./helpers/emulator";
import { ackClient, aliFailure, cs, noRetry } from "./helpers/official-sdks";
import { startTamperingProxy } from "./helpers/tampering-proxy";

const perTest = emulatorPerTest();
let emulator: RunningEmulator;
beforeEach(async () => {
  emulator = await perTest.start();
});
const id = perTest.id;

describe("seed operations", () => {
  it("GetClusterCheck: ack-ready's upgrade check Succeeded with every item normal", async () => {
    const client = ackClient(emulator.url);
    const list = await client.listClusterChecksWithOptions(
      id("ack-ready"),
      new cs.ListClusterChecksRequest({ type: "ClusterUpgrade" }),
      {},
      noRetry(),
    );
    const checkId = list.body?.checks?.[0]?.checkId;
    expect(checkId).toMatch(new RegExp(`^\\d+-${id("ack-ready")}-clustercheck-[a-z]{5}$`));
    const check = await client.getClusterCheckWithOptions(id("ack-ready"), checkId!, {}, noRetry());
    expect(check.statusCode).toBe(200);
    expect(check.body).toMatchObject({
      checkId,
      type: "ClusterUpgrade",
      status: "Succeeded",
      message: "task succeed",
    });
    expect(check.body?.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    const items = Object.values(check.body?.checkItems ?? {}).flat();
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(Object.keys(item["Level"] as object)).toEqual(["normal"]);
  });

  it("GetClusterCheck: ack-blocked's check Failed with an error-level deprecated-API item", async () => {
    const client = ackClient(emulator.url);
    const list = await client.listClusterChecksWithOptions(
      id("ack-blocked"),
      new cs.ListClusterChecksRequest({}),
      {},
      noRetry(),
    );
    const check = await client.getClusterCheckWithOptions(
      id("ack-blocked"),
      list.body!.checks![0]!.checkId!,
      {},
      noRetry(),
    );
    expect(check.body?.status).toBe("Failed");
    const deprecated = check.body?.checkItems?.["DeprecatedAPI"]?.[0] as {
      Level: Record<string, { Message: string }>;
    };
    expect(Object.keys(deprecated.Level)).toEqual(["error"]);
    expect(deprecated.Level["error"]?.Message).toMatch(/flowcontrol\.apiserver\.k8s\.io\/v1beta3/);
  });

  it("GetUpgradeStatus and DescribeTaskInfo show ack-upgrading's upgrade in progress", async () => {
    const client = ackClient(emulator.url);
    const status = await client.getUpgradeStatusWithOptions(id("ack-upgrading"), {}, noRetry());
    expect(status.body).toMatchObject({ status: "running", upgradeTask: { status: "running" } });
    expect(["prechecking", "upgrading"]).toContain(status.body?.upgradeStep);
    const tasks = await client.describeClusterTasksWithOptions(
      id("ack-upgrading"),
      new cs.DescribeClusterTasksRequest({}),
      {},
      noRetry(),
    );
    const taskId = tasks.body?.tasks?.[0]?.taskId;
    expect(taskId).toMatch(/^T-[0-9a-f]{24}$/);
    const info = await client.describeTaskInfoWithOptions(taskId!, {}, noRetry());
    expect(info.body).toMatchObject({
      taskId,
      clusterId: id("ack-upgrading"),
      taskType: "cluster_upgrade",
      state: "running",
      target: { id: id("ack-upgrading"), type: "cluster" },
    });
    expect(info.body?.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(info.body?.events?.[0]?.timestamp).toMatch(/^\d{13}$/);
    expect(info.body?.stages?.[0]?.startTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const detail = await client.describeClusterDetailWithOptions(id("ack-upgrading"), {}, noRetry());
    expect(detail.body?.state).toBe("upgrading");
  });

  it("GetUpgradeStatus of a cluster never upgraded says not_start", async () => {
    const status = await ackClient(emulator.url).getUpgradeStatusWithOptions(id("ack-ready"), {}, noRetry());
    expect(status.body).toMatchObject({ status: "", upgradeStep: "not_start" });
  });
});

describe("lifecycle through the SDK", () => {
  it("RunClusterCheck then GetClusterCheck moves Running → Succeeded after the scenario's polls", async () => {
    const client = ackClient(emulator.url);
    const run = await client.runClusterCheckWithOptions(
      id("ack-ready"),
      new cs.RunClusterCheckRequest({ type: "ClusterUpgrade", options: { next_version: "1.32.1-aliyun.1" } }),
      {},
      noRetry(),
    );
    expect(run.body?.requestId).toMatch(/^[0-9A-F-]{36}$/);
    const checkId = run.body!.checkId!;
    const seen: string[] = [];
    for (let poll = 0; poll < 5 && seen[seen.length - 1] !== "Succeeded"; poll++) {
      const check = await client.getClusterCheckWithOptions(id("ack-ready"), checkId, {}, noRetry());
      seen.push(check.body!.status!);
    }
    expect(seen).toEqual(["Running", "Succeeded"]);
  });

  it("UpgradeCluster → DescribeTaskInfo success → the cluster runs the new version", async () => {
    const client = ackClient(emulator.url);
    const upgrade = await client.upgradeClusterWithOptions(
      id("ack-ready"),
      new cs.UpgradeClusterRequest({ nextVersion: "1.32.1-aliyun.1", masterOnly: true }),
      {},
      noRetry(),
    );
    const taskId = upgrade.body!.taskId!;
    expect(upgrade.body?.clusterId).toBe(id("ack-ready"));
    const states: string[] = [];
    for (let poll = 0; poll < 6 && states[states.length - 1] !== "success"; poll++) {
      states.push((await client.describeTaskInfoWithOptions(taskId, {}, noRetry())).body!.state!);
    }
    expect(states[states.length - 1]).toBe("success");
    expect(states).toContain("running");
    const detail = await client.describeClusterDetailWithOptions(id("ack-ready"), {}, noRetry());
    expect(detail.body).toMatchObject({
      currentVersion: "1.32.1-aliyun.1",
      state: "running",
      nextVersion: "",
    });
    const status = await client.getUpgradeStatusWithOptions(id("ack-ready"), {}, noRetry());
    expect(status.body).toMatchObject({ status: "success", upgradeStep: "success" });
  });

  it("a second UpgradeCluster while one runs is refused with ErrorClusterState", async () => {
    const client = ackClient(emulator.url);
    const failure = await aliFailure(
      client.upgradeClusterWithOptions(
        id("ack-upgrading"),
        new cs.UpgradeClusterRequest({ nextVersion: "1.32.1-aliyun.1" }),
        {},
        noRetry(),
      ),
    );
    expect(failure).toMatchObject({ statusCode: 400, code: "ErrorClusterState" });
  });

  it("CancelTask cancels the running upgrade once", async () => {
    const client = ackClient(emulator.url);
    const tasks = await client.describeClusterTasksWithOptions(
      id("ack-upgrading"),
      new cs.DescribeClusterTasksRequest({}),
      {},
      noRetry(),
    );
    const taskId = tasks.body!.tasks![0]!.taskId!;
    const cancel = await client.cancelTaskWithOptions(taskId, {}, noRetry());
    expect(cancel.statusCode).toBe(200);
    expect((await client.describeTaskInfoWithOptions(taskId, {}, noRetry())).body?.state).toBe("canceled");
    expect(
      (await client.describeClusterDetailWithOptions(id("ack-upgrading"), {}, noRetry())).body,
    ).toMatchObject({
      state: "running",
      currentVersion: "1.31.1-aliyun.1",
    });
    const again = await aliFailure(client.cancelTaskWithOptions(taskId, {}, noRetry()));
    expect(again).toMatchObject({ statusCode: 400, code: "ErrorTaskState" });
  });

  it("DescribeClustersV1 filters by name and pages", async () => {
    const client = ackClient(emulator.url);
    const byName = await client.describeClustersV1WithOptions(
      new cs.DescribeClustersV1Request({ name: "ack-blocked" }),
      {},
      noRetry(),
    );
    expect(byName.body?.clusters?.map((c) => c.name)).toEqual(["ack-blocked"]);
    const page = await client.describeClustersV1WithOptions(
      new cs.DescribeClustersV1Request({ pageSize: 2, pageNumber: 2 }),
      {},
      noRetry(),
    );
    expect(page.body?.pageInfo).toEqual({ pageNumber: 2, pageSize: 2, totalCount: 3 });
    expect(page.body?.clusters).toHaveLength(1);
  });

  it("unknown clusters and tasks answer 404 in the CS format with the request id", async () => {
    const client = ackClient(emulator.url);
    const failure = await aliFailure(
      client.describeClusterDetailWithOptions("c00000000000000000000000000000000", {}, noRetry()),
    );
    expect(failure).toMatchObject({ statusCode: 404, code: "ErrorClusterNotFound" });
    expect(failure.requestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(emulator.control.requests({ limit: 1 })[0]).toMatchObject({
      status: 404,
      requestId: failure.requestId,
    });
    const task = await aliFailure(
      client.describeTaskInfoWithOptions("T-000000000000000000000000", {}, noRetry()),
    );
    expect(task).toMatchObject({ statusCode: 404, code: "ErrorTaskNotFound" });
  });

  it("the legacy ROA HMAC-SHA1 signature (signatureAlgorithm v2) is accepted for reads and writes", async () => {
    const client = ackClient(emulator.url, { signatureAlgorithm: "v2" });
    const run = await client.runClusterCheckWithOptions(
      id("ack-blocked"),
      new cs.RunClusterCheckRequest({ type: "ClusterUpgrade" }),
      {},
      noRetry(),
    );
    const check = await client.getClusterCheckWithOptions(
      id("ack-blocked"),
      run.body!.checkId!,
      {},
      noRetry(),
    );
    expect(check.body?.type).toBe("ClusterUpgrade");
    expect(emulator.control.requests().map((r) => r.auth)).toEqual(["HMAC-SHA1", "HMAC-SHA1"]);
  });
});

describe("authentication failures", () => {
  it("a wrong secret is SignatureDoesNotMatch; an unknown key is InvalidAccessKeyId.NotFound", async () => {
    const wrong = await aliFailure(
      ackClient(emulator.url, { accessKeySecret: "not-the-secret" }).describeClusterDetailWithOptions(
        id("ack-ready"),
        {},
        noRetry(),
      ),
    );
    expect(wrong).toMatchObject({ statusCode: 400, code: "SignatureDoesNotMatch" });
    expect(wrong.data?.["Recommend"]).toEqual(expect.stringContaining("SignatureDoesNotMatch"));
    const unknown = await aliFailure(
      ackClient(emulator.url, { accessKeyId: "LTAI-NOBODY" }).describeClusterDetailWithOptions(
        id("ack-ready"),
        {},
        noRetry(),
      ),
    );
    expect(unknown).toMatchObject({ statusCode: 404, code: "InvalidAccessKeyId.NotFound" });
    const v2 = await aliFailure(
      ackClient(emulator.url, {
        accessKeySecret: "nope",
        signatureAlgorithm: "v2",
      }).describeClusterDetailWithOptions(id("ack-ready"), {}, noRetry()),
    );
    expect(v2).toMatchObject({ statusCode: 400, code: "SignatureDoesNotMatch" });
  });

  it("a request signed 20 minutes ago is InvalidTimeStamp.Expired", async () => {
    const old = new Date(Date.now() - 20 * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const failure = await aliFailure(
      ackClient(emulator.url).describeClusterDetailWithOptions(
        id("ack-ready"),
        { "x-acs-date": old },
        noRetry(),
      ),
    );
    expect(failure).toMatchObject({ statusCode: 400, code: "InvalidTimeStamp.Expired" });
  });

  it("advancing the virtual clock does not expire real-time signatures", async () => {
    emulator.control.advanceClock(2 * 3_600_000);
    const detail = await ackClient(emulator.url).describeClusterDetailWithOptions(
      id("ack-ready"),
      {},
      noRetry(),
    );
    expect(detail.statusCode).toBe(200);
  });

  it("a replayed signature nonce is SignatureNonceUsed (both algorithms)", async () => {
    for (const options of [{}, { signatureAlgorithm: "v2" as const }]) {
      const client = ackClient(emulator.url, options);
      const nonce = `replay-${Math.random().toString(16).slice(2)}`;
      const first = await client.describeClusterDetailWithOptions(
        id("ack-ready"),
        { "x-acs-signature-nonce": nonce },
        noRetry(),
      );
      expect(first.statusCode).toBe(200);
      const replay = await aliFailure(
        client.describeClusterDetailWithOptions(
          id("ack-ready"),
          { "x-acs-signature-nonce": nonce },
          noRetry(),
        ),
      );
      expect(replay).toMatchObject({ statusCode: 400, code: "SignatureNonceUsed" });
    }
  });

  it("a request changed in flight after signing is SignatureDoesNotMatch", async () => {
    const proxies = [
      // Another cluster's id in the path.
      await startTamperingProxy(emulator.url, (r) => {
        r.path = r.path.replace(id("ack-ready"), id("ack-blocked"));
      }),
      // A different body (same length, so only the signature can tell).
      await startTamperingProxy(emulator.url, (r) => {
        r.body = Buffer.from(r.body.toString().replace("ClusterUpgrade", "MasterUpgrade "));
      }),
    ];
    try {
      const read = await aliFailure(
        ackClient(proxies[0]!.url).describeClusterDetailWithOptions(id("ack-ready"), {}, noRetry()),
      );
      expect(read).toMatchObject({ statusCode: 400, code: "SignatureDoesNotMatch" });
      const write = await aliFailure(
        ackClient(proxies[1]!.url).runClusterCheckWithOptions(
          id("ack-ready"),
          new cs.RunClusterCheckRequest({ type: "ClusterUpgrade" }),
          {},
          noRetry(),
        ),
      );
      expect(write).toMatchObject({ statusCode: 400, code: "SignatureDoesNotMatch" });
      // Nothing was created by the tampered write.
      const checks = await ackClient(emulator.url).listClusterChecksWithOptions(
        id("ack-ready"),
        new cs.ListClusterChecksRequest({}),
        {},
        noRetry(),
      );
      expect(checks.body?.checks).toHaveLength(1);
    } finally {
      await Promise.all(proxies.map((p) => p.close()));
    }
  });
});

describe("a starved test host", () => {
  /** Blocks the event loop, as a CI host that takes the worker off the CPU does. */
  function stall(ms: number): void {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      // busy: nothing else in this process runs, the emulator included
    }
  }

  /** One read answered 100 ms late, with the loop stalled for 3.5 s while it is in flight. */
  async function readThroughStall(vendorTimeouts: boolean): Promise<unknown> {
    emulator.control.setFault({ operation: "DescribeClusterDetail", latencyMs: 100 });
    const call = ackClient(emulator.url, { vendorTimeouts }).describeClusterDetailWithOptions(
      id("ack-ready"),
      {},
      noRetry(),
    );
    // Let the request reach the emulator, whose answer now waits on its latency timer.
    await new Promise((resolve) => setTimeout(resolve, 30));
    stall(3_500);
    return call.then(
      (answer) => answer.statusCode,
      (error: unknown) => error,
    );
  }

  it("with the SDK's 3 s defaults a healthy call fails as ConnectTimeout, so the tests raise them", async () => {
    const failure = await readThroughStall(true);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/ConnectTimeout|ReadTimeout/);
    expect(await readThroughStall(false)).toBe(200);
  });
});
