// ack.ClusterCheck against the emulator over real HTTP.
import { resources } from "../../src/impl";
import { sameOptions } from "../../src/pulumi/resources/ack-cluster-check";
import { PartialCreateError } from "../../src/pulumi/shared/errors";
import { UNKNOWN } from "../../src/pulumi/shared/types";
import { served, testCloudFor } from "./helpers";
import { SLOW } from "./scenarios";

const clusterCheck = resources.ackClusterCheck;
const cloud = testCloudFor("each");

describe("check", () => {
  it.each([
    ["a cluster check without target", { clusterId: "c" }, ["targetVersion"]],
    ["a node pool check without node pool", { clusterId: "c", type: "NodePoolUpgrade" }, ["nodePoolId"]],
    [
      "a node pool on a cluster check",
      { clusterId: "c", targetVersion: "1.32.1-aliyun.1", nodePoolId: "np-1" },
      ["nodePoolId"],
    ],
    [
      "next_version in options",
      { clusterId: "c", targetVersion: "1.32.1-aliyun.1", options: { next_version: "x" } },
      ["options.next_version"],
    ],
    [
      "an unknown check type",
      { clusterId: "c", type: "ClusterMigrate", targetVersion: "1.32.1-aliyun.1" },
      ["type"],
    ],
  ])("rejects %s", async (_case, news, properties) => {
    const result = await clusterCheck.check({}, news);
    expect((result.failures ?? []).map((f) => f.property)).toEqual(properties);
  });

  it("skips cross-field rules over unknown values", async () => {
    expect((await clusterCheck.check({}, { clusterId: "c", type: UNKNOWN })).failures).toBeUndefined();
  });
});

it("runs a ClusterUpgrade check on a ready cluster and outputs its readiness", async () => {
  const clusterId = cloud.clusterId("ack-ready");
  const { id, outs } = await clusterCheck.create({ clusterId, targetVersion: "1.32.1-aliyun.1" });
  expect(outs).toMatchObject({
    checkId: id,
    type: "ClusterUpgrade",
    status: "Succeeded",
    verdict: "ready",
    clusterVersion: "1.31.1-aliyun.1",
  });
  expect(served(cloud, "RunClusterCheck")).toBe(1);
  const body = cloud.emulator.control.requests().find((r) => r.operation === "RunClusterCheck");
  expect(body?.status).toBe(200);
});

it("a failed check (problems found) is a result with a blocked verdict", async () => {
  const { outs } = await clusterCheck.create({
    clusterId: cloud.clusterId("ack-blocked"),
    targetVersion: "1.32.1-aliyun.1",
  });
  expect(outs).toMatchObject({ status: "Failed", verdict: "blocked", worstSeverity: "fatal" });
  const snapshot = outs.snapshot as { findings: { affected: { deprecatedApis?: string[] } }[] };
  expect(snapshot.findings.some((f) => (f.affected.deprecatedApis ?? []).length > 0)).toBe(true);
});

it("a node pool check outputs the pool's readiness: its kubelet version against the control plane", async () => {
  const { outs } = await clusterCheck.create({
    clusterId: cloud.clusterId("ack-ready"),
    type: "NodePoolUpgrade",
    nodePoolId: "np-default",
  });
  // The default scenario's pool already runs the control plane's version: nothing to upgrade.
  expect(outs).toMatchObject({
    type: "NodePoolUpgrade",
    status: "Succeeded",
    clusterVersion: "1.31.1-aliyun.1",
    nodePoolVersion: "1.31.1-aliyun.1",
    verdict: "ready",
  });
  expect(outs.snapshot).toMatchObject({
    nodePool: { id: "np-default", name: "default-nodepool", controlPlaneVersion: "1.31.1-aliyun.1" },
    targetVersion: "1.31.1-aliyun.1",
  });
  expect(outs.findings).toBeUndefined();
});

it("a node pool check for a target newer than the control plane is a blocked verdict (version skew)", async () => {
  const { outs } = await clusterCheck.create({
    clusterId: cloud.clusterId("ack-ready"),
    type: "NodePoolUpgrade",
    nodePoolId: "np-default",
    targetVersion: "1.32.1-aliyun.1",
  });
  expect(outs).toMatchObject({ verdict: "blocked" });
  expect((outs.snapshot as { reasons: string[] }).reasons.join("\n")).toContain(
    "Target 1.32.1-aliyun.1 is newer than the control plane (1.31.1-aliyun.1)",
  );
});

it("a node pool check of a pool the cluster does not have fails with the vendor's not-found error", async () => {
  await expect(
    clusterCheck.create({
      clusterId: cloud.clusterId("ack-ready"),
      type: "NodePoolUpgrade",
      nodePoolId: "np-nope",
    }),
  ).rejects.toThrow(/ErrorNodePoolNotFound/);
});

it("an interrupted create is recorded and resumed by update; a lost one's retry runs its own check", async () => {
  await cloud.emulator.control.loadScenario(SLOW);
  const clusterId = cloud.clusterId("ack-slow");
  const inputs = { clusterId, targetVersion: "1.32.1-aliyun.1", waitTimeoutMinutes: 0.005 };
  const error = (await clusterCheck.create(inputs).catch((e: unknown) => e)) as PartialCreateError;
  expect(error).toBeInstanceOf(PartialCreateError);
  expect(error.message).toMatch(new RegExp(`ACK cluster check ${error.id}`));
  expect(error.message).toMatch(/did not finish within [^(]+\(\d+ polls, last phase [^)]+\)/);
  // ACK does not list the options a check ran with, so the running one cannot be shown to be this one.
  const again = (await clusterCheck.create(inputs).catch((e: unknown) => e)) as PartialCreateError;
  expect(again).toBeInstanceOf(PartialCreateError);
  expect(again.id).not.toBe(error.id);
  expect(cloud.log.join("\n")).toContain(
    `check ${error.id} is running for this target, but ACK does not show that it ran with this resource's options`,
  );
  cloud.emulator.control.advanceClock(2 * 60 * 60 * 1000);
  const { outs } = await clusterCheck.update(error.id, error.properties, {
    ...inputs,
    waitTimeoutMinutes: 1,
  });
  expect(outs).toMatchObject({ checkId: error.id, status: "Succeeded" });
  expect(served(cloud, "RunClusterCheck")).toBe(2);
});

it("never adopts a running check started with other options: a check without options runs its own", async () => {
  await cloud.emulator.control.loadScenario(SLOW);
  const clusterId = cloud.clusterId("ack-slow");
  const base = { clusterId, targetVersion: "1.32.1-aliyun.1", waitTimeoutMinutes: 0.002 };
  const withOptions = (await clusterCheck
    .create({ ...base, options: { skip_items: "Kubelet" } })
    .catch((e: unknown) => e)) as PartialCreateError;
  expect(withOptions).toBeInstanceOf(PartialCreateError);
  const plain = (await clusterCheck.create(base).catch((e: unknown) => e)) as PartialCreateError;
  expect(plain).toBeInstanceOf(PartialCreateError);
  expect(plain.id).not.toBe(withOptions.id);
  expect(cloud.log.join("\n")).not.toContain("adopting");
  expect(served(cloud, "RunClusterCheck")).toBe(2);
});

it("sameOptions: equal only when ACK lists the options and they match besides next_version", () => {
  expect(sameOptions(undefined, undefined)).toBe(false);
  expect(sameOptions({ next_version: "1.32.1-aliyun.1" }, undefined)).toBe(true);
  expect(sameOptions({ next_version: "1.32.1-aliyun.1", a: "1" }, { a: "1" })).toBe(true);
  expect(sameOptions({ next_version: "1.32.1-aliyun.1", a: "1" }, undefined)).toBe(false);
  expect(sameOptions({ next_version: "1.32.1-aliyun.1" }, { a: "1" })).toBe(false);
  expect(sameOptions({ a: "2" }, { a: "1" })).toBe(false);
});

it("refresh after the cluster was upgraded elsewhere reports the move and recomputes the verdict", async () => {
  const clusterId = cloud.clusterId("ack-ready");
  const { id, outs } = await clusterCheck.create({ clusterId, targetVersion: "1.32.1-aliyun.1" });
  expect(outs).toMatchObject({ verdict: "ready" });
  const before = outs.clusterVersion as string;
  await resources.ackClusterUpgrade.create({ clusterId, targetVersion: "1.32.1-aliyun.1" });
  cloud.clearLog();
  const read = await clusterCheck.read(id, outs);
  expect(read.id).toBe(id);
  expect(read.props?.clusterVersion).toBe("1.32.1-aliyun.1");
  expect(read.props?.snapshot).toMatchObject({ currentVersion: "1.32.1-aliyun.1" });
  expect(cloud.log.join("\n")).toContain(
    `is now on 1.32.1-aliyun.1, not ${before} as when check ${id} ran; its verdict was recomputed`,
  );
});

it("refresh re-reads the check; a vanished check removes the resource; delete only leaves the state", async () => {
  const clusterId = cloud.clusterId("ack-ready");
  const { id, outs } = await clusterCheck.create({ clusterId, targetVersion: "1.32.1-aliyun.1" });
  expect((await clusterCheck.read(id, outs)).props).toMatchObject({ checkId: id, status: "Succeeded" });
  cloud.emulator.control.clearRequests();
  await clusterCheck.delete(id, outs);
  expect(cloud.emulator.control.requests()).toHaveLength(0);
  expect(cloud.log.join("\n")).toMatch(/stays in ACK \(there is no API to delete it\)/);
  await cloud.emulator.control.reset();
  expect(await clusterCheck.read(id, outs)).toEqual({ id: "" });
});
