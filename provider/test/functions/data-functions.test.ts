// The CCE and ACK data functions against the emulator: normalized results, filters, warnings.
import { functions, resources } from "../../src/impl";
import { ackCheckedAroundUpgrade } from "../readiness/fixtures";
import { startTestCloud, testCloudFor } from "../resources/helpers";

const cloud = testCloudFor("all");

describe("CCE", () => {
  it("getAddonPrecheckTasks lists tasks with their risks and the worst one", async () => {
    const clusterId = cloud.clusterId("cce-blocked");
    const result = await functions.getAddonPrecheckTasks({ clusterId, type: "addonUpgrade" });
    expect(result.clusterId).toBe(clusterId);
    const coredns = result.tasks.find((t) => t.addonTemplateName === "coredns")!;
    expect(coredns).toMatchObject({ type: "addonUpgrade", status: "Failed", state: "failed" });
    expect(coredns.risks.map((r) => r.level).sort()).toEqual(["Fatal", "Warning"]);
    expect(coredns.createdAt).toMatch(/Z$/);
    expect(result.worstSeverity).toBe("fatal");
    const byId = await functions.getAddonPrecheckTasks({ clusterId, taskId: coredns.taskId });
    expect(byId.tasks.map((t) => t.taskId)).toEqual([coredns.taskId]);
  });

  it("getLatestPrecheck finds the newest precheck for the target and says whether it is fresh", async () => {
    const clusterId = cloud.clusterId("cce-blocked");
    const latest = await functions.getLatestPrecheck({ clusterId, targetVersion: "v1.30" });
    expect(latest).toMatchObject({
      clusterId,
      targetVersion: "v1.30",
      fresh: true,
      precheck: { state: "failed", worstSeverity: "fatal" },
    });
    const same = await functions.getPrecheck({ clusterId, taskId: latest.precheck!.taskId });
    expect(same).toEqual(latest.precheck);
    const none = await functions.getLatestPrecheck({
      clusterId: cloud.clusterId("cce-unchecked"),
      targetVersion: "v1.30",
    });
    expect(none).toEqual({
      clusterId: cloud.clusterId("cce-unchecked"),
      targetVersion: "v1.30",
      fresh: false,
    });
  });

  it("getUpgradeWorkflow(s) show workflows newest first, filtered by target", async () => {
    const clusterId = cloud.clusterId("cce-unchecked");
    const { id } = await resources.cceUpgradeWorkflow.create({ clusterId, targetVersion: "v1.30" });
    const { workflows } = await functions.getUpgradeWorkflows({ clusterId, targetVersion: "v1.30" });
    expect(workflows.map((w) => w.workflowId)).toContain(id);
    expect((await functions.getUpgradeWorkflows({ clusterId, targetVersion: "v1.31" })).workflows).toEqual(
      [],
    );
    const workflow = await functions.getUpgradeWorkflow({ clusterId, workflowId: id });
    expect(workflow).toMatchObject({ workflowId: id, clusterId, phase: "Init" });
    expect(workflow.pointStatuses.map((p) => p.taskType)).toContain("PreCheck");
  });
});

describe("ACK", () => {
  it("getClusterChecks and getClusterCheck read checks and map their items to findings", async () => {
    const clusterId = cloud.clusterId("ack-blocked");
    const { checks } = await functions.getClusterChecks({ clusterId, type: "ClusterUpgrade" });
    expect(checks.length).toBeGreaterThan(0);
    const check = await functions.getClusterCheck({ clusterId, checkId: checks[0]!.checkId });
    expect(check).toMatchObject({ clusterId, status: "Failed", state: "failed", worstSeverity: "fatal" });
    expect(Object.keys(check.checkItems).length).toBeGreaterThan(0);
  });

  it("getLatestClusterCheck defaults to the cluster's next version", async () => {
    const latest = await functions.getLatestClusterCheck({ clusterId: cloud.clusterId("ack-ready") });
    expect(latest).toMatchObject({
      targetVersion: "1.32.1-aliyun.1",
      fresh: true,
      check: { status: "Succeeded" },
    });
  });

  it("getUpgradeStatus warns that the vendor deprecated it", async () => {
    const warnings: string[] = [];
    const status = await functions.getUpgradeStatus(
      { clusterId: cloud.clusterId("ack-upgrading") },
      { warn: (message) => warnings.push(message) },
    );
    expect(status.status).toBe("running");
    expect(warnings).toEqual([functions.UPGRADE_STATUS_DEPRECATION]);
    expect(warnings[0]).toMatch(/deprecated/);
  });

  it("getTaskInfo reads a task with camelCase fields and ISO times", async () => {
    const clusterId = cloud.clusterId("ack-upgrading");
    const running = await resources.ackClusterUpgrade
      .create({ clusterId, targetVersion: "1.32.1-aliyun.1", waitTimeoutMinutes: 0.002 })
      .catch((e: { id: string }) => e);
    const task = await functions.getTaskInfo({ taskId: running.id });
    expect(task).toMatchObject({ taskId: running.id, clusterId, state: "running" });
    expect(task.createdAt).toMatch(/Z$/);
  });
});

describe("ACK getLatestClusterCheck after an upgrade", () => {
  // Its own emulator (started last: startTestCloud points the environment at it): a check ACK
  // records no target for, made before the upgrade that took the cluster to its version.
  let staleCloud: Awaited<ReturnType<typeof startTestCloud>>;
  beforeAll(async () => {
    staleCloud = await startTestCloud({
      name: "checked-before-upgrade",
      clusters: [ackCheckedAroundUpgrade("ack-checked-before-upgrade", "3h")],
    });
  });
  afterAll(async () => {
    await staleCloud.close();
  });

  it("does not offer the previous upgrade's check for the next version, as the gate does not", async () => {
    const latest = await functions.getLatestClusterCheck({
      clusterId: staleCloud.clusterId("ack-checked-before-upgrade"),
    });
    expect(latest).toMatchObject({ targetVersion: "1.32.1-aliyun.1", fresh: false });
    expect(latest.check).toBeUndefined();
  });
});
