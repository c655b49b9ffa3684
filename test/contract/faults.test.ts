/**
 * Faults injected through the control API, against the clients' retry and recovery rules, read back
 * from the emulator's request log:
 * - a 5xx on a read is retried into one logical call; on a create it is not resent (it may have been
 *   processed), unless the status says it was not (503);
 * - throttling (Huawei `APIGW.0308`, Alibaba `Throttling.User` as HTTP 400 or 429) is retried, even
 *   for creates, and gives up after the attempt budget;
 * - a connection broken AFTER the emulator processed a task-creating POST: the client finds the task
 *   it created instead of creating a second one, and the emulator saw exactly ONE create.
 */
import {
  ApiError,
  ResponseShapeError,
  TransportError,
  type AckClient,
  type CceClient,
} from "@upgrade-guard/provider";
import { type FaultRuleInput } from "@upgrade-guard/emulator";
import { summarize } from "./helpers/control-client";
import { rejectionOf, useEmulator } from "./helpers/harness";

const h = useEmulator({ freezeClock: true });

const CCE_FROM = "v1.29.5-r0";
const ACK_TO = "1.32.1-aliyun.1";
/** Full-jitter backoff with the test clock's random() = 0.5 and the default 200 ms base: 100, 200, 400 ms. */
const BACKOFF = [100, 200, 400];

/**
 * The client's waits, split: the retry backoff (as the transport log records it) and the rest,
 * which are the adaptive rate's pacing (a throttled answer halves the rate and empties the burst,
 * so the retry that follows waits for a token; on this frozen clock nothing refills meanwhile).
 */
function waits(): { backoff: number[]; pacing: number[] } {
  const backoff = h.transportLog.flatMap((entry) => (entry.retryInMs === undefined ? [] : [entry.retryInMs]));
  const pacing = [...h.clock.sleeps];
  for (const ms of backoff) pacing.splice(pacing.indexOf(ms), 1);
  return { backoff, pacing };
}

/**
 * One pacing wait per retried throttled answer, each at most one token's time at the halved rate
 * (100/s halved to 50/s, 25/s, ...: 20 ms, 40 ms, ...), less whatever refilled meanwhile.
 */
function expectPacing(pacing: number[], throttledRetries: number): void {
  expect(pacing).toHaveLength(throttledRetries);
  pacing.forEach((ms, i) => {
    expect(ms).toBeGreaterThan(0);
    expect(ms).toBeLessThanOrEqual(1000 / (100 / 2 ** (i + 1)));
  });
}

async function addFault(rule: FaultRuleInput): Promise<string> {
  return (await h.control.addFault(rule)).id;
}

describe("server errors", () => {
  it.each([
    ["CCE", "ShowCluster", "cce-ready"],
    ["ACK", "DescribeClusterDetail", "ack-ready"],
  ] as const)(
    "%s %s: a 500 then success is one logical call with two attempts",
    async (cloud, operation, name) => {
      const rule = await addFault({ operation, error: { status: 500 }, times: 1 });
      const clusterId = h.clusterId(name);
      const readId =
        cloud === "CCE"
          ? (await h.cce().showCluster({ clusterId })).metadata.uid
          : (await h.ack().describeClusterDetail({ clusterId })).cluster_id;
      expect(readId).toBe(clusterId);
      const log = await h.control.requests();
      expect(summarize(log)).toEqual([`GET ${operation} 500`, `GET ${operation} 200`]);
      expect(log.map((e) => e.faults)).toEqual([[rule], []]);
      expect(h.transportLog.map((e) => [e.attempt, e.status, e.retryInMs])).toEqual([
        [1, 500, BACKOFF[0]],
        [2, 200, undefined],
      ]);
      expect(h.clock.sleeps).toEqual([BACKOFF[0]]);
    },
  );

  it("a 500 on CreatePreCheck is not resent: it may have been processed, so the client looks for the task", async () => {
    await addFault({ operation: "CreatePreCheck", error: { status: 500 } });
    const cce = h.cce();
    const clusterId = h.clusterId("cce-unchecked");
    const error = await rejectionOf(
      cce.createPreCheck({ clusterId, clusterVersion: CCE_FROM, targetVersion: "v1.30" }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ category: "server", httpStatus: 500, vendorCode: "CCE.01500001" });
    // Nothing was created (the fault answers before processing): the lookup finds nothing, the 500 stands.
    expect(summarize(await h.control.requests())).toEqual([
      "POST CreatePreCheck 500",
      "GET ListPreCheckTasks 200",
    ]);
  });

  it("a 503 on CreatePreCheck is resent (the gateway did not process it): one precheck in the end", async () => {
    await addFault({ operation: "CreatePreCheck", error: { status: 503 }, times: 1 });
    const cce = h.cce();
    const clusterId = h.clusterId("cce-unchecked");
    const created = await cce.createPreCheck({ clusterId, clusterVersion: CCE_FROM, targetVersion: "v1.30" });
    expect(summarize(await h.control.requests())).toEqual([
      "POST CreatePreCheck 503",
      "POST CreatePreCheck 200",
    ]);
    expect((await cce.listPreCheckTasks({ clusterId })).items.map((t) => t.metadata.uid)).toEqual([
      created.metadata.uid,
    ]);
  });
});

describe("throttling", () => {
  it.each([
    ["Huawei APIGW.0308 (429)", "ShowCluster", { status: 429, code: "APIGW.0308" }, "APIGW.0308"],
    [
      "Alibaba Throttling.User as HTTP 400",
      "DescribeClusterDetail",
      { status: 400, code: "Throttling.User" },
      "Throttling.User",
    ],
    // No code given: the emulator answers 429 with its own default throttle code.
    ["Alibaba Throttling.User as HTTP 429", "DescribeClusterDetail", { status: 429 }, "Throttling.User"],
  ] satisfies Array<[string, string, { status: number; code?: string }, string]>)(
    "%s on a read: retried with backoff until it passes",
    async (_label, operation, error, code) => {
      const rule = await addFault({ operation, error, times: 2 });
      const cce = h.cce();
      const ack = h.ack();
      if (operation === "ShowCluster") await cce.showCluster({ clusterId: h.clusterId("cce-ready") });
      else await ack.describeClusterDetail({ clusterId: h.clusterId("ack-ready") });
      const log = await h.control.requests();
      expect(log.map((e) => [e.operation, e.status, e.errorCode, e.faults])).toEqual([
        [operation, error.status, code, [rule]],
        [operation, error.status, code, [rule]],
        [operation, 200, undefined, []],
      ]);
      // These faults ask for no particular wait, so the retry waits are the client's own backoff;
      // after each throttled answer the halved rate paces the retry (100/s -> 50/s -> 25/s).
      expect(waits().backoff).toEqual(BACKOFF.slice(0, 2));
      expectPacing(waits().pacing, 2);
    },
  );

  it.each([
    [
      "Huawei APIGW.0308 with Retry-After",
      "ShowCluster",
      { status: 429, code: "APIGW.0308", retryAfterSeconds: 3 },
    ],
    [
      "Alibaba Throttling.User with x-acs-retry-after",
      "DescribeClusterDetail",
      { status: 400, code: "Throttling.User", retryAfterSeconds: 2 },
    ],
  ] satisfies Array<[string, string, { status: number; code: string; retryAfterSeconds: number }]>)(
    "%s: the client waits as long as the cloud asks, then passes",
    async (_label, operation, error) => {
      await addFault({ operation, error, times: 1 });
      if (operation === "ShowCluster") await h.cce().showCluster({ clusterId: h.clusterId("cce-ready") });
      else await h.ack().describeClusterDetail({ clusterId: h.clusterId("ack-ready") });
      const log = await h.control.requests();
      expect(log.map((e) => e.status)).toEqual([error.status, 200]);
      // The cloud's wait (seconds) replaces the client's own backoff (100 ms here); the halved rate
      // then paces the retry (one token at 50/s).
      expect(waits().backoff).toEqual([error.retryAfterSeconds * 1_000]);
      expectPacing(waits().pacing, 1);
    },
  );

  it.each([
    [
      "CCE CreatePreCheck",
      { operation: "CreatePreCheck", error: { status: 429, code: "APIGW.0308" }, times: 1 },
    ],
    [
      "ACK RunClusterCheck",
      { operation: "RunClusterCheck", error: { status: 400, code: "Throttling.User" }, times: 1 },
    ],
  ] satisfies Array<[string, FaultRuleInput]>)(
    "%s throttled once: resent (throttling means not processed), one task",
    async (label, rule) => {
      await addFault(rule);
      if (label.startsWith("CCE")) {
        const cce = h.cce();
        const clusterId = h.clusterId("cce-unchecked");
        const created = await cce.createPreCheck({
          clusterId,
          clusterVersion: CCE_FROM,
          targetVersion: "v1.30",
        });
        expect((await cce.listPreCheckTasks({ clusterId })).items.map((t) => t.metadata.uid)).toEqual([
          created.metadata.uid,
        ]);
      } else {
        const ack = h.ack();
        const clusterId = h.clusterId("ack-ready");
        const before = (await ack.listClusterChecks({ clusterId })).checks.length;
        const run = await ack.runClusterCheck({
          clusterId,
          type: "ClusterUpgrade",
          options: { next_version: ACK_TO },
        });
        const after = (await ack.listClusterChecks({ clusterId })).checks;
        expect(after).toHaveLength(before + 1);
        expect(after.map((c) => c.check_id)).toContain(run.check_id);
      }
      const creates = await h.control.requests({ operation: rule.operation! });
      expect(creates.map((e) => e.status)).toEqual([rule.error!.status, 200]);
    },
  );

  it("throttled on every attempt: waits it out up to 3x the attempt budget, then ApiError throttled", async () => {
    await addFault({ operation: "ShowCluster", error: { status: 429, code: "APIGW.0308" } });
    const error = await rejectionOf(h.cce().showCluster({ clusterId: h.clusterId("cce-ready") }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ category: "throttled", httpStatus: 429, vendorCode: "APIGW.0308" });
    // maxAttempts 4: a throttled request may take 12 (it was not processed, and the limits pace it).
    expect(summarize(await h.control.requests())).toEqual(
      Array.from({ length: 12 }, () => "GET ShowCluster 429"),
    );
    // Exponential backoff (first three as for any retry), capped by maxDelayMs.
    expect(waits().backoff.slice(0, 3)).toEqual(BACKOFF);
    expect(waits().backoff).toHaveLength(11);
    expect(waits().backoff).toEqual([...waits().backoff].sort((a, b) => a - b));
    // The twelfth throttled answer is returned, not retried; every retry waited for a token.
    expect(waits().pacing.length).toBeGreaterThanOrEqual(3);
    for (const ms of waits().pacing) expect(ms).toBeGreaterThan(0);
  });

  it("rate-limit mode: throttled while virtual time stands still (retry included), served once it moves", async () => {
    // One request per virtual second, none banked: every request after the first is throttled until
    // time moves, and the client's (recorded, instant) backoff does not move the frozen clock.
    const rule = await h.control.addFault({
      operation: "ShowCluster",
      rateLimit: { perSecond: 1, burst: 1 },
    });
    const cce = h.cce({ transport: { retry: { maxAttempts: 2 } } });
    await cce.showCluster({ clusterId: h.clusterId("cce-ready") });
    const error = await rejectionOf(cce.showCluster({ clusterId: h.clusterId("cce-ready") }));
    expect(error).toMatchObject({ category: "throttled", httpStatus: 429, vendorCode: "APIGW.0308" });
    await h.control.advanceClock(1_000);
    await cce.showCluster({ clusterId: h.clusterId("cce-ready") });
    // maxAttempts 2: the throttled call may take 2 x 3 attempts, all throttled on the frozen clock.
    expect(summarize(await h.control.requests())).toEqual([
      "GET ShowCluster 200",
      ...Array.from({ length: 6 }, () => "GET ShowCluster 429"),
      "GET ShowCluster 200",
    ]);
    expect((await h.control.faults()).find((f) => f.id === rule.id)).toMatchObject({
      matched: 8,
      applied: 6,
    });
  });
});

/** One task-creating call per case, the request sequence recovery makes, and how to count the tasks. */
interface CreateCase {
  readonly operation: string;
  /** The requests after the create, in order (recovery lists, reads). */
  readonly recovery: readonly string[];
  /** Performs the create; returns the id the caller gets back. */
  create(): Promise<{ id: string; recovered: boolean }>;
  /** Every id of this kind of task on the cluster, read after the call. */
  ids(): Promise<string[]>;
}

function createCases(): Record<string, () => Promise<CreateCase>> {
  const cce = (): CceClient => h.cce();
  const ack = (): AckClient => h.ack();
  return {
    "CCE CreatePreCheck": async () => {
      const client = cce();
      const clusterId = h.clusterId("cce-unchecked");
      return {
        operation: "CreatePreCheck",
        recovery: ["GET ListPreCheckTasks 200"],
        create: async () => {
          const r = await client.createPreCheck({
            clusterId,
            clusterVersion: CCE_FROM,
            targetVersion: "v1.30",
          });
          return { id: r.metadata.uid, recovered: r.recovered === true };
        },
        ids: async () => (await client.listPreCheckTasks({ clusterId })).items.map((t) => t.metadata.uid),
      };
    },
    "CCE CreateUpgradeWorkFlow": async () => {
      const client = cce();
      const clusterId = h.clusterId("cce-unchecked");
      return {
        operation: "CreateUpgradeWorkFlow",
        recovery: ["GET ListUpgradeWorkFlows 200"],
        create: async () => {
          const r = await client.createUpgradeWorkFlow({
            clusterId,
            clusterVersion: CCE_FROM,
            targetVersion: "v1.30",
          });
          return { id: r.metadata.uid, recovered: r.recovered === true };
        },
        ids: async () => (await client.listUpgradeWorkFlows({ clusterId })).items.map((w) => w.metadata.uid),
      };
    },
    "CCE UpgradeCluster": async () => {
      const client = cce();
      const clusterId = h.clusterId("cce-ready");
      return {
        operation: "UpgradeCluster",
        recovery: ["GET ListUpgradeClusterTasks 200"],
        create: async () => {
          const r = await client.upgradeCluster({ clusterId, targetVersion: "v1.30" });
          return { id: r.metadata.uid, recovered: r.recovered === true };
        },
        ids: async () =>
          (await client.listUpgradeClusterTasks({ clusterId })).items.map((t) => t.metadata.uid),
      };
    },
    "CCE BatchCreateAddonPrecheck": async () => {
      const client = cce();
      const clusterId = h.clusterId("cce-ready");
      const history = await client.listAddonPrecheckTasks({ clusterId });
      const addonInstanceId = history.items[0]!.metadata.addonInstanceID!;
      return {
        operation: "BatchCreateAddonPrecheck",
        recovery: ["GET ListAddonPrecheckTasks 200"],
        create: async () => {
          const r = await client.batchCreateAddonPrecheck({
            clusterId,
            addonList: [
              {
                addonTemplateName: "coredns",
                addonInstanceId,
                type: "addonUpgrade",
                targetVersion: "1.30.1",
              },
            ],
          });
          expect(r.status?.items).toHaveLength(1);
          return { id: r.status!.items![0]!.metadata.taskID, recovered: r.recovered === true };
        },
        ids: async () =>
          (await client.listAddonPrecheckTasks({ clusterId })).items
            .map((t) => t.metadata.taskID)
            .filter((id) => !history.items.some((old) => old.metadata.taskID === id)),
      };
    },
    "ACK RunClusterCheck": async () => {
      const client = ack();
      const clusterId = h.clusterId("ack-ready");
      const before = (await client.listClusterChecks({ clusterId })).checks.map((c) => c.check_id);
      return {
        operation: "RunClusterCheck",
        recovery: ["GET ListClusterChecks 200"],
        create: async () => {
          const r = await client.runClusterCheck({
            clusterId,
            type: "ClusterUpgrade",
            options: { next_version: ACK_TO },
          });
          return { id: r.check_id, recovered: r.recovered === true };
        },
        ids: async () =>
          (await client.listClusterChecks({ clusterId })).checks
            .map((c) => c.check_id)
            .filter((id) => !before.includes(id)),
      };
    },
    "ACK UpgradeCluster": async () => {
      const client = ack();
      const clusterId = h.clusterId("ack-ready");
      return {
        operation: "UpgradeCluster",
        recovery: ["GET DescribeClusterTasks 200", "GET DescribeTaskInfo 200"],
        create: async () => {
          const r = await client.upgradeCluster({ clusterId, nextVersion: ACK_TO });
          return { id: r.task_id, recovered: r.recovered === true };
        },
        ids: async () => (await client.describeClusterTasks({ clusterId })).tasks.map((t) => t.task_id),
      };
    },
  };
}

describe("the answer to a task-creating POST is lost after the emulator processed it", () => {
  const cases = Object.keys(createCases());
  const breakages: Array<[string, Partial<FaultRuleInput>]> = [
    ["connection reset after processing", { reset: "after" }],
    ["body cut off after processing", { truncateBody: true }],
  ];

  it.each(cases.flatMap((name) => breakages.map(([how, fault]) => [name, how, fault] as const)))(
    "%s, %s: the client recovers the created task and the emulator saw exactly ONE create",
    async (name, _how, fault) => {
      const setUp = createCases()[name]!;
      const subject = await setUp();
      await h.control.clearRequests();
      const rule = await addFault({ operation: subject.operation, method: "POST", times: 1, ...fault });

      const result = await subject.create();
      expect(result.recovered).toBe(true);
      const log = await h.control.requests();
      const createsLogged = log.filter((e) => e.operation === subject.operation);
      expect(createsLogged).toHaveLength(1);
      expect(createsLogged[0]!.faults).toEqual([rule]);
      expect(summarize(log).slice(1)).toEqual(subject.recovery);
      // The emulator holds exactly one new task, and it is the one the client returned.
      expect(await subject.ids()).toEqual([result.id]);
    },
  );

  it("a reset BEFORE processing: nothing was created, the client says so with an ambiguous TransportError and does not resend", async () => {
    await addFault({ operation: "CreatePreCheck", reset: "before", times: 1 });
    const cce = h.cce();
    const clusterId = h.clusterId("cce-unchecked");
    const error = await rejectionOf(
      cce.createPreCheck({ clusterId, clusterVersion: CCE_FROM, targetVersion: "v1.30" }),
    );
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ ambiguous: true, attempts: 1 });
    expect(summarize(await h.control.requests())).toEqual([
      "POST CreatePreCheck 0",
      "GET ListPreCheckTasks 200",
    ]);
    expect((await cce.listPreCheckTasks({ clusterId })).items).toEqual([]);
  });
});

describe("broken answers to reads", () => {
  it.each([
    ["reset before processing", { reset: "before" }, 0],
    ["reset after processing", { reset: "after" }, 200],
    ["body cut off", { truncateBody: true }, 200],
  ] satisfies Array<[string, FaultRuleInput, number]>)(
    "%s: a read is simply retried",
    async (_how, fault, loggedStatus) => {
      await addFault({ operation: "ListPreCheckTasks", times: 1, ...fault });
      const result = await h.cce().listPreCheckTasks({ clusterId: h.clusterId("cce-blocked") });
      expect(result.items).toHaveLength(1);
      expect(summarize(await h.control.requests())).toEqual([
        `GET ListPreCheckTasks ${loggedStatus}`,
        "GET ListPreCheckTasks 200",
      ]);
    },
  );

  it("a body that is not JSON: ResponseShapeError with a redacted excerpt, not retried", async () => {
    await addFault({ operation: "GetClusterCheck", malformedBody: true });
    const ack = h.ack();
    const clusterId = h.clusterId("ack-blocked");
    const { checks } = await ack.listClusterChecks({ clusterId });
    const error = await rejectionOf(ack.getClusterCheck({ clusterId, checkId: checks[0]!.check_id }));
    expect(error).toBeInstanceOf(ResponseShapeError);
    expect(error).toMatchObject({
      operation: "GetClusterCheck",
      issues: [{ path: "", message: "body is not JSON" }],
    });
    expect((error as ResponseShapeError).excerpt.startsWith('{"check_id":')).toBe(true);
    expect(summarize(await h.control.requests({ operation: "GetClusterCheck" }))).toEqual([
      "GET GetClusterCheck 200",
    ]);
  });
});
