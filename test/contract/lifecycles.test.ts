/**
 * Task lifecycles end to end: every task-creating method of both clients starts a real task in the
 * emulator, and the provider's waiter follows it to its end in virtual time. In this scenario tasks
 * end only when the emulator's clock says so (checks after 90 s, upgrades after 10 min), never by
 * being polled, so each test also proves that advancing the clock is what finishes them.
 */
import {
  ApiError,
  buildAckSnapshot,
  buildCceAddonSnapshot,
  buildCceSnapshot,
  WaitError,
  type AckClusterCheck,
  type CceAddonCheckTask,
  type CcePrecheckTask,
  type CheckState,
  type PollState,
} from "@upgrade-guard/provider";
import { summarize } from "./helpers/control-client";
import { rejectionOf, useEmulator } from "./helpers/harness";
import { defaultDrivenByClock } from "./helpers/scenarios";
import { emulatorWaiterClock, pollStateOf, waitInVirtualTime } from "./helpers/waiting";

const h = useEmulator({ scenario: defaultDrivenByClock(), freezeClock: true });

const CCE_FROM = "v1.29.5-r0";
const ACK_TO = "1.32.1-aliyun.1";

// Each check's state as the readiness model reads it, through the public builders.
const REGION = "region";

function precheckState(task: CcePrecheckTask): CheckState {
  return buildCceSnapshot({
    cluster: { id: task.spec?.clusterID ?? "cluster", region: REGION, currentVersion: CCE_FROM },
    targetVersion: task.spec?.targetVersion ?? "v1.30",
    precheck: task,
    now: Date.now(),
  }).checks[0]!.state;
}

function addonCheckState(task: CceAddonCheckTask): CheckState {
  return buildCceAddonSnapshot({
    clusterId: "cluster",
    region: REGION,
    addonTemplateName: task.metadata.addonTemplateName,
    installedVersion: "installed",
    targetVersion: task.spec?.addonTargetVersion ?? "target",
    check: task,
    now: Date.now(),
  }).checks[0]!.state;
}

function ackState(check: AckClusterCheck): CheckState {
  return buildAckSnapshot({
    cluster: { id: "cluster", region: REGION, currentVersion: "1.31.1-aliyun.1" },
    targetVersion: ACK_TO,
    check,
    now: Date.now(),
  }).checks[0]!.state;
}

function ackTaskPollState(state: string): PollState {
  if (state === "success") return "success";
  if (state === "running") return "pending";
  return "failure";
}

describe("CCE", () => {
  it("CreatePreCheck on cce-unchecked: pending until virtual time passes, then Success, found by ListPreCheckTasks", async () => {
    const cce = h.cce();
    const clusterId = h.clusterId("cce-unchecked");
    const created = await cce.createPreCheck({ clusterId, clusterVersion: CCE_FROM, targetVersion: "v1.30" });
    expect(created.recovered).toBeUndefined();
    expect(created.spec).toMatchObject({
      clusterID: clusterId,
      clusterVersion: CCE_FROM,
      targetVersion: "v1.30",
    });
    const taskId = created.metadata.uid;

    // Polling alone never ends it.
    for (let i = 0; i < 3; i += 1) {
      const task = await cce.showPreCheck({ clusterId, taskId });
      expect(precheckState(task)).toBe("pending");
    }
    const clock = emulatorWaiterClock(h);
    const done = await waitInVirtualTime(
      h,
      `CCE precheck ${taskId}`,
      () => cce.showPreCheck({ clusterId, taskId }),
      (task) => ({ state: pollStateOf(precheckState(task)), phase: task.status.phase }),
      clock,
    );
    expect(done.value.status.phase).toBe("Success");
    expect(done.value.status.expireTimeStamp).toBeDefined();
    expect(clock.advancedMs).toBeGreaterThanOrEqual(90_000);
    expect(done.polls).toBeGreaterThan(1);

    const listed = await cce.listPreCheckTasks({ clusterId });
    expect(listed.items.map((t) => [t.metadata.uid, t.status.phase])).toEqual([[taskId, "Success"]]);
    const log = await h.control.requests({ service: "cce" });
    expect(summarize(log)).toEqual([
      "POST CreatePreCheck 200",
      ...Array.from({ length: 3 + done.polls }, () => "GET ShowPreCheck 200"),
      "GET ListPreCheckTasks 200",
    ]);
  });

  it("CreatePreCheck on cce-blocked ends Failed: the waiter reports a failure with the phase", async () => {
    const cce = h.cce();
    const clusterId = h.clusterId("cce-blocked");
    const { metadata } = await cce.createPreCheck({
      clusterId,
      clusterVersion: CCE_FROM,
      targetVersion: "v1.30",
    });
    const failure = await rejectionOf(
      waitInVirtualTime(
        h,
        `CCE precheck ${metadata.uid}`,
        () => cce.showPreCheck({ clusterId, taskId: metadata.uid }),
        (task) => ({ state: pollStateOf(precheckState(task)), phase: task.status.phase }),
      ),
    );
    expect(failure).toBeInstanceOf(WaitError);
    expect(failure).toMatchObject({ state: "failure", lastPhase: "Failed" });
    const task = await cce.showPreCheck({ clusterId, taskId: metadata.uid });
    expect(task.status.addonCheckStatus?.itemsStatus).toContainEqual(
      expect.objectContaining({ level: "Fatal", phase: "Failed" }),
    );
  });

  it("BatchCreateAddonPrecheck: cce-ready's coredns check ends Success, cce-blocked's ends Failed with a Fatal risk", async () => {
    const cce = h.cce();
    const results: Record<string, { status: string; fatal: number }> = {};
    for (const name of ["cce-ready", "cce-blocked"]) {
      const clusterId = h.clusterId(name);
      // The add-on instance id, from the add-on check the scenario already ran.
      const history = await cce.listAddonPrecheckTasks({ clusterId });
      const addonInstanceId = history.items[0]!.metadata.addonInstanceID!;
      const created = await cce.batchCreateAddonPrecheck({
        clusterId,
        addonList: [
          { addonTemplateName: "coredns", addonInstanceId, type: "addonUpgrade", targetVersion: "1.30.1" },
        ],
      });
      const taskId = created.status?.items?.[0]?.metadata.taskID;
      expect(taskId).toEqual(expect.any(String));
      const done = await waitInVirtualTime(
        h,
        `CCE add-on check ${taskId!}`,
        async () => {
          const { items } = await cce.listAddonPrecheckTasks({ clusterId, taskId: taskId! });
          expect(items).toHaveLength(1);
          return items[0]!;
        },
        (task) => ({
          state: addonCheckState(task) === "pending" ? "pending" : "success",
          phase: task.status.status,
        }),
      );
      results[name] = {
        status: done.value.status.status,
        fatal: done.value.status.riskList.filter((r) => r.level === "Fatal" && r.status === "Failed").length,
      };
    }
    expect(results).toEqual({
      "cce-ready": { status: "Success", fatal: 0 },
      "cce-blocked": { status: "Failed", fatal: 1 },
    });
  });

  it("CreateUpgradeWorkFlow then UpgradeWorkFlowUpdate cancels it; a second cancel is a conflict", async () => {
    const cce = h.cce();
    const clusterId = h.clusterId("cce-unchecked");
    const workflow = await cce.createUpgradeWorkFlow({
      clusterId,
      clusterVersion: CCE_FROM,
      targetVersion: "v1.30",
    });
    expect(workflow.recovered).toBeUndefined();
    expect(workflow.status?.phase).toBe("Init");
    expect(workflow.spec?.clusterVersion).toBe(CCE_FROM);
    expect(workflow.spec?.targetVersion).toMatch(/^v1\.30\.\d+-r\d+$/);
    const upgradeWorkflowId = workflow.metadata.uid;
    const listed = await cce.listUpgradeWorkFlows({ clusterId });
    expect(listed.items.map((w) => w.metadata.uid)).toEqual([upgradeWorkflowId]);

    const cancelled = await cce.upgradeWorkFlowUpdate({ clusterId, upgradeWorkflowId });
    expect(cancelled.status?.phase).toBe("Cancel");
    expect((await cce.showUpgradeWorkFlow({ clusterId, upgradeWorkflowId })).status?.phase).toBe("Cancel");
    const again = await rejectionOf(cce.upgradeWorkFlowUpdate({ clusterId, upgradeWorkflowId }));
    expect(again).toBeInstanceOf(ApiError);
    expect(again).toMatchObject({ category: "conflict", httpStatus: 409, vendorCode: "CCE.01409001" });

    expect(summarize(await h.control.requests({ service: "cce" }))).toEqual([
      "POST CreateUpgradeWorkFlow 201",
      "GET ListUpgradeWorkFlows 200",
      "PATCH UpgradeWorkFlowUpdate 200",
      "GET ShowUpgradeWorkFlow 200",
      "PATCH UpgradeWorkFlowUpdate 409",
    ]);
  });

  it("UpgradeCluster, then ShowUpgradeClusterTask until Success; ShowCluster shows the new version", async () => {
    const cce = h.cce();
    const clusterId = h.clusterId("cce-ready");
    const started = await cce.upgradeCluster({ clusterId, targetVersion: "v1.30" });
    const taskId = started.metadata.uid;
    const newVersion = started.spec?.clusterUpgradeAction?.targetVersion;
    expect(newVersion).toMatch(/^v1\.30\.\d+-r\d+$/);
    expect(started.spec?.clusterUpgradeAction?.version).toBe(CCE_FROM);

    const during = await cce.showCluster({ clusterId });
    expect([during.spec.version, during.status?.phase]).toEqual([CCE_FROM, "Upgrading"]);
    const tasks = await cce.listUpgradeClusterTasks({ clusterId });
    expect(tasks.items.map((t) => t.metadata.uid)).toContain(taskId);

    const clock = emulatorWaiterClock(h);
    const done = await waitInVirtualTime(
      h,
      `CCE upgrade ${taskId}`,
      () => cce.showUpgradeClusterTask({ clusterId, taskId }),
      (task) => ({
        state:
          task.status.phase === "Success"
            ? "success"
            : task.status.phase === "Failed"
              ? "failure"
              : "pending",
        phase: task.status.phase,
      }),
      clock,
    );
    expect(done.value.status).toMatchObject({ phase: "Success", progress: "100%" });
    expect(done.value.status.completionTime).toBeDefined();
    expect(clock.advancedMs).toBeGreaterThanOrEqual(600_000);

    const after = await cce.showCluster({ clusterId });
    expect([after.spec.version, after.status?.phase]).toEqual([newVersion, "Available"]);
    const info = await cce.showClusterUpgradeInfo({ clusterId });
    expect(info.spec.lastUpgradeInfo?.phase).toBe("Success");
    expect(info.spec.versionInfo?.targetVersions).toEqual([]);
  });
});

describe("ACK", () => {
  it("RunClusterCheck then GetClusterCheck until terminal: ack-ready Succeeded, ack-blocked Failed", async () => {
    const ack = h.ack();
    const outcomes: Record<string, string> = {};
    for (const name of ["ack-ready", "ack-blocked"]) {
      const clusterId = h.clusterId(name);
      const run = await ack.runClusterCheck({
        clusterId,
        type: "ClusterUpgrade",
        options: { next_version: ACK_TO },
      });
      expect(run.recovered).toBeUndefined();
      expect(run.check_id).toContain(clusterId);
      const running = await ack.getClusterCheck({ clusterId, checkId: run.check_id });
      expect(ackState(running)).toBe("pending");
      expect(running.check_items).toEqual({});
      const done = await waitInVirtualTime(
        h,
        `ACK check ${run.check_id}`,
        () => ack.getClusterCheck({ clusterId, checkId: run.check_id }),
        (check) => ({
          state: ackState(check) === "pending" ? "pending" : "success",
          phase: check.status,
        }),
      );
      outcomes[name] = done.value.status;
      expect(Object.keys(done.value.check_items).length).toBeGreaterThan(0);
      const listed = await ack.listClusterChecks({ clusterId, type: "ClusterUpgrade" });
      expect(listed.checks.map((c) => c.check_id)).toContain(run.check_id);
    }
    expect(outcomes).toEqual({ "ack-ready": "Succeeded", "ack-blocked": "Failed" });
  });

  it("UpgradeCluster, DescribeTaskInfo until success, then DescribeClusterDetail shows the new version", async () => {
    const ack = h.ack();
    const clusterId = h.clusterId("ack-ready");
    const started = await ack.upgradeCluster({ clusterId, nextVersion: ACK_TO });
    expect(started).toMatchObject({ cluster_id: clusterId, task_id: expect.stringMatching(/^T-/) });
    expect((await ack.describeClusterDetail({ clusterId })).state).toBe("upgrading");
    const tasks = await ack.describeClusterTasks({ clusterId });
    expect(tasks.tasks[0]).toMatchObject({
      task_id: started.task_id,
      task_type: "cluster_upgrade",
      state: "running",
    });

    const clock = emulatorWaiterClock(h);
    const done = await waitInVirtualTime(
      h,
      `ACK task ${started.task_id}`,
      () => ack.describeTaskInfo({ taskId: started.task_id }),
      (task) => ({ state: ackTaskPollState(task.state), phase: task.state }),
      clock,
    );
    expect(done.value).toMatchObject({ state: "success", parameters: { next_version: ACK_TO } });
    expect(clock.advancedMs).toBeGreaterThanOrEqual(600_000);
    expect(await ack.describeClusterDetail({ clusterId })).toMatchObject({
      current_version: ACK_TO,
      state: "running",
    });
    expect((await ack.getUpgradeStatus({ clusterId })).status).toBe("success");
  });

  it("CancelTask stops ack-upgrading's running upgrade: canceled, version unchanged; a second cancel is refused", async () => {
    const ack = h.ack();
    const clusterId = h.clusterId("ack-upgrading");
    const { tasks } = await ack.describeClusterTasks({ clusterId });
    const taskId = tasks[0]!.task_id;
    expect(await ack.cancelTask({ taskId })).toEqual({});
    const info = await ack.describeTaskInfo({ taskId });
    expect(info.state).toBe("canceled");
    expect(await ack.describeClusterDetail({ clusterId })).toMatchObject({
      current_version: "1.31.1-aliyun.1",
      state: "running",
    });
    expect((await ack.getUpgradeStatus({ clusterId })).status).toBe("fail");
    // Moving time on does not resurrect it.
    await h.control.advanceClock(3_600_000);
    expect((await ack.describeTaskInfo({ taskId })).state).toBe("canceled");

    const again = await rejectionOf(ack.cancelTask({ taskId }));
    expect(again).toBeInstanceOf(ApiError);
    expect(again).toMatchObject({ httpStatus: 400, vendorCode: "ErrorTaskState", category: "conflict" });
    expect(summarize(await h.control.requests({ operation: "CancelTask" }))).toEqual([
      "POST CancelTask 200",
      "POST CancelTask 400",
    ]);
  });
});
