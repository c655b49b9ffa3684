// ACK node pools end to end against the emulator over real HTTP: the facts gatherer's node pool
// snapshot (pool version, control plane, the pool's NodePoolUpgrade check), the version skew rule in
// `evaluate`, and UpgradeClusterNodepool tracked to its end with the one task waiter.
import { clientEnvironment, type ScenarioInput } from "../../../emulator/src";
import { createAckClient } from "../../src/clients/ack/client";
import { ackNodePoolVersion } from "../../src/clients/ack/schemas";
import { WaitError } from "../../src/errors";
import { evaluate } from "../../src/readiness/evaluate";
import { readAckReadiness, waitForAckTask } from "../../src/readiness/facts";
import { allowedKubeletLag, kubeletSkewProblem } from "../../src/readiness/skew";
import { startTestCloud, type TestCloud } from "../resources/helpers";

const CP = "1.32.1-aliyun.1";
const IDS = {
  failing: "np1f000000000000000000000000000001",
  clean: "np1c000000000000000000000000000002",
  slow: "np1s000000000000000000000000000003",
  risky: "np1r000000000000000000000000000004",
};

const POOLS: ScenarioInput = {
  name: "pools",
  defaults: { checkProgress: { polls: 1 }, upgradeProgress: { polls: 2 } },
  clusters: [
    {
      cloud: "ack",
      name: "pools",
      version: CP,
      nodePools: [
        { name: "clean", id: IDS.clean, version: "1.31.1-aliyun.1" },
        {
          name: "failing",
          id: IDS.failing,
          version: "1.31.1-aliyun.1",
          upgrade: { result: "Failed", message: "node cn-hangzhou.192.168.0.7 failed to drain" },
        },
        { name: "slow", id: IDS.slow, version: "1.31.1-aliyun.1", upgradeProgress: { duration: "1h" } },
        {
          name: "risky",
          id: IDS.risky,
          version: "1.31.1-aliyun.1",
          check: {
            items: [{ name: "NodeOSVersion", group: "NodePool", level: "warning", message: "old kernel" }],
          },
        },
      ],
      history: {
        ack: {
          checks: [
            { type: "NodePoolUpgrade", target: "clean", createdAgo: "2m" },
            { type: "NodePoolUpgrade", target: "slow", createdAgo: "2m" },
            { type: "NodePoolUpgrade", target: "risky", createdAgo: "2m" },
          ],
          upgrades: [{ nodePool: "slow", targetVersion: CP, createdAgo: "1m", running: true }],
        },
      },
    },
  ],
};

let cloud: TestCloud;
let ack: ReturnType<typeof createAckClient>;
let clusterId: string;
beforeAll(async () => {
  cloud = await startTestCloud(POOLS);
  ack = createAckClient({ env: clientEnvironment(cloud.url) });
  clusterId = cloud.clusterId("pools");
});
afterAll(async () => {
  await ack.close();
  await cloud.close();
});

const FAST = { deadlineMs: 10_000, initialIntervalMs: 5, maxIntervalMs: 5 };

describe("the gatherer's node pool snapshot", () => {
  it("judges the pool's kubelet version against its NodePoolUpgrade check, to the control plane's version by default", async () => {
    const snapshot = await readAckReadiness(ack, { clusterId, nodePoolId: IDS.clean });
    expect(snapshot).toMatchObject({
      cloud: "ack",
      clusterId,
      currentVersion: "1.31.1-aliyun.1",
      targetVersion: CP,
      nodePool: { id: IDS.clean, name: "clean", controlPlaneVersion: CP },
      verdict: "ready",
    });
    expect(snapshot.checks).toEqual([
      expect.objectContaining({ kind: "ack-cluster-check", state: "passed" }),
    ]);
    expect(snapshot.upgradePath).toBeUndefined();
    // Only this pool's checks were listed (ListClusterChecks with type and target).
    const listed = cloud.emulator.control
      .requests({ limit: 1000 })
      .filter((r) => r.operation === "ListClusterChecks")
      .at(-1);
    expect(listed?.query).toContain(`target=${IDS.clean}`);
  });

  it("a warning item does not block by default, and does with blockingSeverities including warning", async () => {
    const snapshot = await readAckReadiness(ack, { clusterId, nodePoolId: IDS.risky });
    expect(snapshot.verdict).toBe("ready");
    expect(snapshot.worstSeverity).toBe("warning");
    expect(evaluate(snapshot, { blockingSeverities: ["fatal", "warning", "unknown"] })).toMatchObject({
      allowed: false,
      verdict: "blocked",
    });
  });

  it("the pool's own upgrade in flight blocks it (upgrading); it does not block another pool", async () => {
    const slow = await readAckReadiness(ack, { clusterId, nodePoolId: IDS.slow });
    expect(slow.verdict).toBe("upgrading");
    expect(slow.upgradesInFlight).toEqual([
      expect.objectContaining({ kind: "ack-upgrade-task", status: "running", targetVersion: CP }),
    ]);
    const clean = await readAckReadiness(ack, { clusterId, nodePoolId: IDS.clean });
    expect(clean.upgradesInFlight).toBeUndefined();
  });

  it("a listed upgrade task without a state is described, and counts while DescribeTaskInfo says it runs", async () => {
    // The emulator always lists a task's state; ACK's list schema makes it optional. So the real
    // client's DescribeClusterTasks answer is passed on with the states removed (the only stand-in).
    const stateless: typeof ack = {
      ...ack,
      describeClusterTasks: async (...args: Parameters<typeof ack.describeClusterTasks>) => {
        const answer = await ack.describeClusterTasks(...args);
        return { ...answer, tasks: answer.tasks.map(({ state: _state, ...task }) => task) };
      },
    };
    const slow = await readAckReadiness(stateless, { clusterId, nodePoolId: IDS.slow });
    expect(slow.verdict).toBe("upgrading");
    expect(slow.upgradesInFlight).toEqual([
      expect.objectContaining({ kind: "ack-upgrade-task", status: "running", targetVersion: CP }),
    ]);
  });

  it("a pool target newer than the control plane is refused, naming the skew policy", async () => {
    const snapshot = await readAckReadiness(ack, {
      clusterId,
      nodePoolId: IDS.clean,
      targetVersion: "1.33.1-aliyun.1",
    });
    expect(snapshot.verdict).toBe("blocked");
    expect(snapshot.reasons.join("\n")).toContain(
      `Target 1.33.1-aliyun.1 is newer than the control plane (${CP}): a kubelet must not be newer than kube-apiserver`,
    );
  });

  it("an unknown pool is the API's not-found error, not a verdict", async () => {
    await expect(readAckReadiness(ack, { clusterId, nodePoolId: "np-nope" })).rejects.toMatchObject({
      vendorCode: "ErrorNodePoolNotFound",
      httpStatus: 404,
      category: "notFound",
    });
  });
});

describe("UpgradeClusterNodepool with task tracking", () => {
  it("starts the task, the waiter follows DescribeTaskInfo to success, and the pool runs the target", async () => {
    const started = await ack.upgradeClusterNodepool({
      clusterId,
      nodepoolId: IDS.clean,
      kubernetesVersion: CP,
    });
    expect(started.task_id).toMatch(/^T-/);
    const task = await waitForAckTask(ack, started.task_id, FAST);
    expect(task).toMatchObject({
      state: "success",
      task_type: "nodepool_upgrade",
      target: { id: IDS.clean, type: "nodepool" },
    });
    const pool = await ack.describeClusterNodePoolDetail({ clusterId, nodepoolId: IDS.clean });
    expect(ackNodePoolVersion(pool)).toBe(CP);
    expect(pool.status?.state).toBe("active");
    // Nothing left to upgrade: the pool now satisfies the control plane's version.
    const after = await readAckReadiness(ack, { clusterId, nodePoolId: IDS.clean });
    expect(after).toMatchObject({ currentVersion: CP, verdict: "ready" });
  });

  it("a failed task rejects the wait with WaitError naming the task; the pool keeps its version", async () => {
    const started = await ack.upgradeClusterNodepool({
      clusterId,
      nodepoolId: IDS.failing,
      kubernetesVersion: CP,
    });
    const error = await waitForAckTask(ack, started.task_id, FAST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitError);
    expect(error).toMatchObject({ code: "WAIT_FAILED" });
    expect((error as WaitError).message).toContain(`ACK task ${started.task_id}`);
    const pool = await ack.describeClusterNodePoolDetail({ clusterId, nodepoolId: IDS.failing });
    expect(ackNodePoolVersion(pool)).toBe("1.31.1-aliyun.1");
  });

  it("every wait has a deadline: a task still running past it is WAIT_TIMEOUT", async () => {
    const { tasks } = await ack.describeClusterTasks({ clusterId });
    const running = tasks.find((t) => t.state === "running")!;
    const error = await waitForAckTask(ack, running.task_id, { ...FAST, deadlineMs: 30 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "WAIT_TIMEOUT" });
  });

  it("bad arguments are refused before any request, naming the field", async () => {
    await expect(
      ack.upgradeClusterNodepool({ clusterId, nodepoolId: IDS.clean, kubernetesVersion: "latest" }),
    ).rejects.toThrow(/kubernetesVersion/);
  });
});

describe("the kubelet skew rule (kubernetes.io version-skew-policy)", () => {
  it.each([
    ["1.32.1-aliyun.1", 3],
    ["1.28.3-aliyun.1", 3],
    ["1.27.9-aliyun.1", 2],
    ["v1.25", 2],
  ])("kube-apiserver %s: kubelet may lag %i minors", (controlPlane, lag) => {
    expect(allowedKubeletLag(controlPlane)).toBe(lag);
  });

  it.each([
    ["1.32.1-aliyun.1", "1.33.0-aliyun.1", "newer"],
    ["1.32.1-aliyun.1", "1.28.9-aliyun.1", "too-old"],
    ["1.32.1-aliyun.1", "1.29.1-aliyun.1", undefined],
    ["1.32.1-aliyun.1", "1.32.7-aliyun.2", undefined],
    ["1.27.9-aliyun.1", "1.24.6-aliyun.1", "too-old"],
    ["1.27.9-aliyun.1", "1.25.3-aliyun.1", undefined],
  ])("control plane %s, pool %s: %s", (controlPlane, pool, kind) => {
    expect(kubeletSkewProblem(controlPlane, pool)?.kind).toBe(kind);
  });

  it("evaluate blocks a pre-1.28 pool target three minors behind, citing the two-minor allowance", () => {
    const evaluation = evaluate({
      cloud: "ack",
      clusterId: "c1",
      region: "cn-hangzhou",
      currentVersion: "1.23.6-aliyun.1",
      targetVersion: "1.24.6-aliyun.1",
      nodePool: { id: "np1", controlPlaneVersion: "1.27.9-aliyun.1" },
      checks: [],
      findings: [],
      worstSeverity: "none",
      observedAt: "2026-12-04T00:00:00.000Z",
    });
    expect(evaluation).toMatchObject({ allowed: false, verdict: "blocked" });
    expect(evaluation.reasons.join("\n")).toContain(
      "Target 1.24.6-aliyun.1 is 3 minor versions behind the control plane (1.27.9-aliyun.1); a kubelet may lag kube-apiserver by at most 2",
    );
  });
});
