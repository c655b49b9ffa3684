// ack.ClusterUpgrade against the emulator over real HTTP.
import { functions, resources } from "../../src/impl";
import { PartialCreateError } from "../../src/pulumi/shared/errors";
import { createAckClient } from "../../src/clients/ack/client";
import { gateAckUpgrade, UpgradeBlockedError } from "../../src/pulumi/resources/upgrade-gate";
import { served, testCloudFor } from "./helpers";
import { FAILING, SLOW, SLOW_FAILING, SLOW_FAILING_FIXED, SLOW_UPGRADE } from "./scenarios";

const upgrade = resources.ackClusterUpgrade;
const TARGET = "1.32.1-aliyun.1";
const cloud = testCloudFor("each");

it("checks, then upgrades a ready cluster and confirms the new version", async () => {
  const clusterId = cloud.clusterId("ack-ready");
  const { id, outs } = await upgrade.create({ clusterId, targetVersion: TARGET });
  expect(outs).toMatchObject({
    taskId: id,
    phase: "success",
    fromVersion: "1.31.1-aliyun.1",
    clusterVersion: TARGET,
    gate: { verdict: "ready" },
  });
  const order = cloud.emulator.control
    .requests()
    .map((r) => r.operation)
    .filter((op) => op === "RunClusterCheck" || op === "UpgradeCluster");
  expect(order).toEqual(["RunClusterCheck", "UpgradeCluster"]);
  expect(cloud.version("ack-ready")).toBe(TARGET);
});

it("refuses a target older than the cluster before any vendor call that changes something", async () => {
  const clusterId = cloud.clusterId("ack-ready");
  await expect(upgrade.create({ clusterId, targetVersion: "1.30.1-aliyun.1" })).rejects.toThrow(
    /targetVersion 1\.30\.1-aliyun\.1 is older than the cluster's version 1\.31\.1-aliyun\.1, and a cluster cannot be downgraded/,
  );
  expect(served(cloud, "RunClusterCheck") + served(cloud, "UpgradeCluster")).toBe(0);
});

it("refuses to upgrade when the check finds a blocking item", async () => {
  const clusterId = cloud.clusterId("ack-blocked");
  const error = (await upgrade
    .create({ clusterId, targetVersion: TARGET })
    .catch((e: unknown) => e)) as UpgradeBlockedError;
  expect(error).toBeInstanceOf(UpgradeBlockedError);
  expect(error.message).toMatch(/DeprecatedAPI/);
  expect(served(cloud, "UpgradeCluster")).toBe(0);
});

it("does not let a waiver through for an item ACK marks as an error", async () => {
  const clusterId = cloud.clusterId("ack-blocked");
  const readiness = await functions.getUpgradeReadiness({ cloud: "ack", clusterId, targetVersion: TARGET });
  const blocking = readiness.blocking[0]!;
  const waiver = {
    checkName: blocking.checkName,
    clusterId,
    reason: "migrated",
    owner: "ops",
    expires: "2999-01-01T00:00:00Z",
  };
  const error = (await upgrade
    .create({ clusterId, targetVersion: TARGET, waivers: [waiver] })
    .catch((e: unknown) => e)) as UpgradeBlockedError;
  expect(error).toBeInstanceOf(UpgradeBlockedError);
  expect(error.evaluation.waiversRefused).toHaveLength(1);
  expect(served(cloud, "UpgradeCluster")).toBe(0);
});

it("its fresh check is its own, not a running check started with options", async () => {
  await cloud.emulator.control.loadScenario(SLOW);
  const clusterId = cloud.clusterId("ack-slow");
  const other = (await resources.ackClusterCheck
    .create({
      clusterId,
      targetVersion: TARGET,
      options: { skip_items: "Kubelet" },
      waitTimeoutMinutes: 0.002,
    })
    .catch((e: unknown) => e)) as PartialCreateError;
  expect(other).toBeInstanceOf(PartialCreateError);
  const error = (await upgrade
    .create({ clusterId, targetVersion: TARGET, checkTimeoutMinutes: 0.002 })
    .catch((e: unknown) => e)) as Error;
  expect(error.message).toMatch(/ACK cluster check \S+ of cluster .* did not finish/);
  expect(error.message).not.toContain(other.id);
  expect(cloud.log.join("\n")).not.toContain("adopting check");
  expect(served(cloud, "RunClusterCheck")).toBe(2);
  expect(served(cloud, "UpgradeCluster")).toBe(0);
});

it("adopts the upgrade already running for the target instead of starting another", async () => {
  const clusterId = cloud.clusterId("ack-upgrading");
  const inputs = { clusterId, targetVersion: TARGET, waitTimeoutMinutes: 0.005 };
  const error = (await upgrade.create(inputs).catch((e: unknown) => e)) as PartialCreateError;
  expect(error).toBeInstanceOf(PartialCreateError);
  expect(cloud.log.join("\n")).toMatch(new RegExp(`adopting upgrade task ${error.id}`));
  cloud.emulator.control.advanceClock(60 * 60 * 1000);
  const { outs } = await upgrade.update(error.id, error.properties, { ...inputs, waitTimeoutMinutes: 1 });
  expect(outs).toMatchObject({ taskId: error.id, phase: "success", clusterVersion: TARGET });
  expect(served(cloud, "UpgradeCluster")).toBe(0);
});

it("resumes an interrupted upgrade with one UpgradeCluster call in all", async () => {
  await cloud.emulator.control.loadScenario(SLOW_UPGRADE);
  const clusterId = cloud.clusterId("ack-slow");
  const inputs = { clusterId, targetVersion: TARGET, waitTimeoutMinutes: 0.005 };
  const error = (await upgrade.create(inputs).catch((e: unknown) => e)) as PartialCreateError;
  expect(error).toBeInstanceOf(PartialCreateError);
  expect(error.properties).toMatchObject({ taskId: error.id });
  expect(error.message).toMatch(
    new RegExp(
      `ACK upgrade task ${error.id} .*did not finish within [^(]+\\(\\d+ polls, last phase running\\)`,
    ),
  );
  const retried = (await upgrade.create(inputs).catch((e: unknown) => e)) as PartialCreateError;
  expect(retried.id).toBe(error.id);
  cloud.emulator.control.advanceClock(2 * 60 * 60 * 1000);
  const { outs } = await upgrade.update(error.id, error.properties, { ...inputs, waitTimeoutMinutes: 1 });
  expect(outs).toMatchObject({ phase: "success", clusterVersion: TARGET });
  expect(served(cloud, "UpgradeCluster")).toBe(1);
});

describe("a resumed upgrade (update) that fails takes create's failure path", () => {
  const TWO_HOURS = 2 * 60 * 60 * 1000;
  const cleared =
    /kube-apiserver not ready\. ACK reports it finished \(it cannot be cancelled\), so nothing is left running\. Fix the cause, then run `pulumi up` again: it starts a new upgrade through the gate\./;

  async function interrupted(): Promise<{ inputs: Record<string, unknown>; error: PartialCreateError }> {
    await cloud.emulator.control.loadScenario(SLOW_FAILING);
    const inputs = {
      clusterId: cloud.clusterId("ack-slow-fails"),
      targetVersion: TARGET,
      waitTimeoutMinutes: 0.005,
    };
    const error = (await upgrade.create(inputs).catch((e: unknown) => e)) as PartialCreateError;
    expect(error).toBeInstanceOf(PartialCreateError);
    return { inputs, error };
  }

  /**
   * The next `up` after the failure does not fail the same way: once the cause is fixed it starts a
   * new upgrade through the gate (a fresh check, the gate, the upgrade) and records it done. A new
   * emulator stands for the fixed cloud (its clock is not the moved-on one, so the fresh check is
   * not dated in the future); the cluster keeps its id, and the failed task, gone with the old
   * emulator, is never read on this path.
   */
  async function nextUpStartsAfresh(
    inputs: Record<string, unknown>,
    failed: PartialCreateError,
  ): Promise<void> {
    const read = await upgrade.read(failed.id, failed.properties);
    expect(read.props?.phase).toBe("FailedAndCleared");
    expect((await upgrade.diff(failed.id, read.props!, inputs)).changes).toBe(true);
    await cloud.restart(SLOW_FAILING_FIXED);
    expect(cloud.clusterId("ack-slow-fails")).toBe(inputs["clusterId"]);
    const { outs } = await upgrade.update(failed.id, read.props!, { ...inputs, waitTimeoutMinutes: 1 });
    expect(cloud.log.join("\n")).toContain("starting a new upgrade through the gate");
    expect(served(cloud, "RunClusterCheck")).toBe(1);
    expect(served(cloud, "UpgradeCluster")).toBe(1);
    expect(outs).toMatchObject({ phase: "success", clusterVersion: TARGET, fromVersion: "1.31.1-aliyun.1" });
    expect(outs["taskId"]).not.toBe(failed.id);
    expect(outs["checkId"]).toEqual(expect.any(String));
  }

  it("a task that failed while nobody waited is cancelled and recorded cleared; the next up starts afresh", async () => {
    const { inputs, error } = await interrupted();
    cloud.emulator.control.advanceClock(TWO_HOURS);
    const failed = (await upgrade
      .update(error.id, error.properties, { ...inputs, waitTimeoutMinutes: 1 })
      .catch((e: unknown) => e)) as PartialCreateError;
    expect(failed).toBeInstanceOf(PartialCreateError);
    expect(failed.message).toMatch(cleared);
    expect(failed.properties).toMatchObject({ taskId: error.id, phase: "FailedAndCleared" });
    expect(served(cloud, "CancelTask")).toBe(1);
    await nextUpStartsAfresh(inputs, failed);
  });

  it("a task that fails during the resumed wait: the same", async () => {
    const { inputs, error } = await interrupted();
    const waiting = upgrade
      .update(error.id, error.properties, { ...inputs, waitTimeoutMinutes: 1 })
      .catch((e: unknown) => e);
    setTimeout(() => cloud.emulator.control.advanceClock(TWO_HOURS), 200);
    const failed = (await waiting) as PartialCreateError;
    expect(failed).toBeInstanceOf(PartialCreateError);
    expect(failed.message).toMatch(cleared);
    expect(failed.properties).toMatchObject({ taskId: error.id, phase: "FailedAndCleared" });
    expect(served(cloud, "CancelTask")).toBe(1);
    await nextUpStartsAfresh(inputs, failed);
  });
});

it("cancels a failed task and records nothing, so the next up starts afresh", async () => {
  await cloud.emulator.control.loadScenario(FAILING);
  const clusterId = cloud.clusterId("ack-fails");
  const error = (await upgrade
    .create({ clusterId, targetVersion: TARGET })
    .catch((e: unknown) => e)) as Error;
  expect(error).not.toBeInstanceOf(PartialCreateError);
  expect(error.message).toMatch(/failed: kube-apiserver not ready\. .*, so nothing is left running/);
  expect(served(cloud, "CancelTask")).toBe(1);
});

it("keeps a failed task when cancelOnFailure is false, recording it", async () => {
  await cloud.emulator.control.loadScenario(FAILING);
  const clusterId = cloud.clusterId("ack-fails");
  const error = (await upgrade
    .create({ clusterId, targetVersion: TARGET, cancelOnFailure: false })
    .catch((e: unknown) => e)) as PartialCreateError;
  expect(error).toBeInstanceOf(PartialCreateError);
  expect(served(cloud, "CancelTask")).toBe(0);
  await expect(
    upgrade.update(error.id, error.properties, { clusterId, targetVersion: TARGET, cancelOnFailure: false }),
  ).rejects.toThrow(/ended fail in ACK/);
  expect(served(cloud, "CancelTask")).toBe(0);
});

it("refresh reports out-of-band changes; delete leaves the cluster as it is", async () => {
  const clusterId = cloud.clusterId("ack-ready");
  const { id, outs } = await upgrade.create({ clusterId, targetVersion: TARGET });
  expect((await upgrade.read(id, outs)).props?.outOfBand).toBeUndefined();
  const earlier = {
    clusterId,
    targetVersion: "1.31.1-aliyun.1",
    taskId: id,
    phase: "success",
    clusterVersion: "1.31.1-aliyun.1",
  };
  expect((await upgrade.read(id, earlier)).props?.outOfBand).toMatch(
    /does not satisfy the target 1\.31\.1-aliyun\.1/,
  );
  cloud.emulator.control.clearRequests();
  await upgrade.delete(id, outs);
  expect(cloud.emulator.control.requests()).toHaveLength(0);
  expect(cloud.log.join("\n")).toMatch(/an upgrade cannot be undone/);
});

it("the gate's facts name the running upgrade: the gate alone refuses with verdict upgrading", async () => {
  // The default scenario's ack-upgrading runs an upgrade to 1.32.1-aliyun.1; the gate, asked for
  // the same cluster, judges the upgrade in flight as its own reason.
  const ack = createAckClient({ env: process.env });
  try {
    const error = await gateAckUpgrade(ack, "test", {
      clusterId: cloud.clusterId("ack-upgrading"),
      targetVersion: "1.32.1-aliyun.1",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpgradeBlockedError);
    expect((error as UpgradeBlockedError).evaluation.verdict).toBe("upgrading");
    expect((error as Error).message).toMatch(/ACK upgrade task T-\S+ \(running, to 1\.32\.1-aliyun\.1/);
  } finally {
    await ack.close();
  }
});
