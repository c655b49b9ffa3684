/**
 * Every read operation of both clients against the emulator over real HTTP: the parsed, normalized
 * results carry the facts the scenario holds, and they are the SAME whether the emulator answers in
 * the vendor-correct shapes or in the shapes the vendor docs show (`docQuirks`: add-on check items
 * as one object, `createTimestamp`, `riskList` beside `status`, workflow list as one object, ACK
 * task state `failed`).
 */
import {
  buildAckSnapshot,
  buildCceSnapshot,
  type AckClient,
  type AckClusterCheck,
  type CceClient,
  type CcePrecheckTask,
  type Finding,
} from "@upgrade-guard/provider";
import { useEmulator } from "./helpers/harness";
import { recordingAgent, type ObservedExchange } from "./helpers/observing-agent";
import { defaultWithQuirkCases } from "./helpers/scenarios";

const h = useEmulator({ scenario: defaultWithQuirkCases(), freezeClock: true });

const CCE_CLUSTERS = ["cce-blocked", "cce-ready", "cce-unchecked", "cce-workflow-failed"] as const;
const ACK_CLUSTERS = ["ack-ready", "ack-blocked", "ack-upgrading", "ack-upgrade-failed"] as const;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function clients(): { cce: CceClient; ack: AckClient; exchanges: ObservedExchange[] } {
  const { agent, exchanges } = recordingAgent();
  h.track(agent);
  return { cce: h.cce({ dispatcher: agent }), ack: h.ack({ dispatcher: agent }), exchanges };
}

// What the readiness model finds in a parsed check, through the public builders.
function precheckFindings(task: CcePrecheckTask): Finding[] {
  return buildCceSnapshot({
    cluster: { id: task.spec?.clusterID ?? "cluster", region: "region", currentVersion: "v1.29.5-r0" },
    targetVersion: task.spec?.targetVersion ?? "v1.30",
    precheck: task,
    now: Date.now(),
  }).findings;
}

function ackFindings(check: AckClusterCheck): Finding[] {
  return buildAckSnapshot({
    cluster: { id: "cluster", region: "region", currentVersion: "1.31.1-aliyun.1" },
    targetVersion: "1.32.1-aliyun.1",
    check,
    now: Date.now(),
  }).findings;
}

/** Every read of both clouds over every scenario cluster, keyed by operation and subject. */
async function readEverything(cce: CceClient, ack: AckClient): Promise<Map<string, unknown>> {
  const results = new Map<string, unknown>();
  results.set("CCE ListClusters", await cce.listClusters());
  for (const name of CCE_CLUSTERS) {
    const clusterId = h.clusterId(name);
    results.set(`CCE ShowCluster ${name}`, await cce.showCluster({ clusterId }));
    results.set(`CCE ShowClusterUpgradeInfo ${name}`, await cce.showClusterUpgradeInfo({ clusterId }));
    const prechecks = await cce.listPreCheckTasks({ clusterId });
    results.set(`CCE ListPreCheckTasks ${name}`, prechecks);
    for (const task of prechecks.items) {
      const taskId = task.metadata.uid;
      results.set(`CCE ShowPreCheck ${name} ${taskId}`, await cce.showPreCheck({ clusterId, taskId }));
    }
    results.set(`CCE ListAddonPrecheckTasks ${name}`, await cce.listAddonPrecheckTasks({ clusterId }));
    const workflows = await cce.listUpgradeWorkFlows({ clusterId });
    results.set(`CCE ListUpgradeWorkFlows ${name}`, workflows);
    for (const workflow of workflows.items) {
      const upgradeWorkflowId = workflow.metadata.uid;
      results.set(
        `CCE ShowUpgradeWorkFlow ${name} ${upgradeWorkflowId}`,
        await cce.showUpgradeWorkFlow({ clusterId, upgradeWorkflowId }),
      );
    }
    const upgrades = await cce.listUpgradeClusterTasks({ clusterId });
    results.set(`CCE ListUpgradeClusterTasks ${name}`, upgrades);
    for (const task of upgrades.items) {
      const taskId = task.metadata.uid;
      results.set(
        `CCE ShowUpgradeClusterTask ${name} ${taskId}`,
        await cce.showUpgradeClusterTask({ clusterId, taskId }),
      );
    }
  }
  results.set("ACK DescribeClustersV1", await ack.describeClustersV1({ pageSize: 100 }));
  for (const name of ACK_CLUSTERS) {
    const clusterId = h.clusterId(name);
    results.set(`ACK DescribeClusterDetail ${name}`, await ack.describeClusterDetail({ clusterId }));
    const checks = await ack.listClusterChecks({ clusterId });
    results.set(`ACK ListClusterChecks ${name}`, checks);
    for (const check of checks.checks) {
      results.set(
        `ACK GetClusterCheck ${name} ${check.check_id}`,
        await ack.getClusterCheck({ clusterId, checkId: check.check_id }),
      );
    }
    results.set(`ACK GetUpgradeStatus ${name}`, await ack.getUpgradeStatus({ clusterId }));
    const tasks = await ack.describeClusterTasks({ clusterId });
    results.set(`ACK DescribeClusterTasks ${name}`, tasks);
    for (const task of tasks.tasks) {
      results.set(
        `ACK DescribeTaskInfo ${name} ${task.task_id}`,
        await ack.describeTaskInfo({ taskId: task.task_id }),
      );
    }
  }
  return results;
}

/** A deep copy without the keys named, wherever they occur. */
function without(value: unknown, keys: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => without(item, keys));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !keys.has(key))
      .map(([key, item]) => [key, without(item, keys)]),
  );
}

function rawBody(exchanges: readonly ObservedExchange[], pathEnd: string): Record<string, unknown> {
  const exchange = exchanges.find((e) => e.path.split("?")[0]!.endsWith(pathEnd));
  if (exchange === undefined) throw new Error(`no exchange for ${pathEnd}`);
  return JSON.parse(exchange.body) as Record<string, unknown>;
}

function latestPrecheck(tasks: readonly CcePrecheckTask[]): CcePrecheckTask {
  const sorted = [...tasks].sort((a, b) =>
    (b.metadata.creationTimestamp ?? "").localeCompare(a.metadata.creationTimestamp ?? ""),
  );
  return sorted[0]!;
}

describe("reads hold the scenario's facts (vendor-correct shapes)", () => {
  it("CCE clusters: versions, phases and upgrade targets", async () => {
    const { cce } = clients();
    const list = await cce.listClusters();
    expect(list.items.map((c) => c.metadata.name).sort()).toEqual([...CCE_CLUSTERS].sort());
    for (const name of CCE_CLUSTERS) {
      const cluster = await cce.showCluster({ clusterId: h.clusterId(name) });
      expect(cluster.metadata.uid).toBe(h.clusterId(name));
      expect(cluster.spec.version).toBe("v1.29.5-r0");
      expect(cluster.status?.phase).toBe("Available");
      expect(cluster.metadata.creationTimestamp).toMatch(ISO_UTC);
      const info = await cce.showClusterUpgradeInfo({ clusterId: h.clusterId(name) });
      expect(info.spec.versionInfo?.targetVersions).toEqual(["v1.30"]);
      expect(info.spec.versionInfo?.release).toBe("v1.29.5");
    }
  });

  it("cce-blocked: the latest precheck for v1.30 failed with a Fatal item, and its add-on check has a Fatal risk", async () => {
    const { cce } = clients();
    const clusterId = h.clusterId("cce-blocked");
    const { items } = await cce.listPreCheckTasks({ clusterId });
    const latest = latestPrecheck(items);
    expect(latest.spec?.targetVersion).toBe("v1.30");
    const task = await cce.showPreCheck({ clusterId, taskId: latest.metadata.uid });
    expect(task.status.phase).toBe("Failed");
    const addonItems = task.status.addonCheckStatus?.itemsStatus ?? [];
    expect(addonItems).toContainEqual(
      expect.objectContaining({
        name: "AddonCompatibility",
        level: "Fatal",
        phase: "Failed",
        kind: "Exception",
      }),
    );
    expect(addonItems[0]?.riskSource?.addonRisks).toEqual([
      { addonTemplateName: "coredns", alias: "CoreDNS" },
    ]);
    // The node item sits under its node, with the vendor's capitalised NodeID.
    const stage = task.status.nodeCheckStatus?.nodeStageStatus?.[0];
    expect(stage?.nodeInfo?.name).toBe("192.168.0.11");
    expect(stage?.itemsStatus?.[0]?.riskSource?.nodeRisks?.[0]?.NodeID).toBe(stage?.nodeInfo?.uid);
    expect(task.status.expireTimeStamp).toMatch(ISO_UTC);
    // The readiness mapping sees a blocking finding in what the client parsed.
    expect(precheckFindings(task)).toContainEqual(
      expect.objectContaining({ checkName: "AddonCompatibility", severity: "fatal", state: "present" }),
    );

    const addons = await cce.listAddonPrecheckTasks({ clusterId });
    expect(addons.items).toHaveLength(1);
    const addonTask = addons.items[0]!;
    expect(addonTask.metadata).toMatchObject({ type: "addonUpgrade", addonTemplateName: "coredns" });
    expect(addonTask.spec?.addonTargetVersion).toBe("1.30.1");
    expect(addonTask.status.status).toBe("Failed");
    expect(addonTask.status.riskList).toEqual([
      expect.objectContaining({ riskName: "AddonStatus", level: "Warning", status: "Failed" }),
      expect.objectContaining({ riskName: "AddonValidate", level: "Fatal", status: "Failed" }),
    ]);
    expect(addonTask.metadata.createTimeStamp).toMatch(ISO_UTC);
  });

  it("cce-ready passed its precheck and add-on check; cce-unchecked has none", async () => {
    const { cce } = clients();
    const ready = await cce.listPreCheckTasks({ clusterId: h.clusterId("cce-ready") });
    const task = latestPrecheck(ready.items);
    expect(task.status.phase).toBe("Success");
    expect(precheckFindings(task).filter((f) => f.severity === "fatal")).toEqual([]);
    const addon = await cce.listAddonPrecheckTasks({ clusterId: h.clusterId("cce-ready") });
    expect(addon.items.map((t) => [t.status.status, t.status.riskList])).toEqual([["Success", []]]);

    const unchecked = h.clusterId("cce-unchecked");
    expect((await cce.listPreCheckTasks({ clusterId: unchecked })).items).toEqual([]);
    expect((await cce.listAddonPrecheckTasks({ clusterId: unchecked })).items).toEqual([]);
    expect((await cce.listUpgradeWorkFlows({ clusterId: unchecked })).items).toEqual([]);
    expect((await cce.listUpgradeClusterTasks({ clusterId: unchecked })).items).toEqual([]);
  });

  it("a workflow whose Cluster task failed is Pending, and names the failed task", async () => {
    const { cce } = clients();
    const clusterId = h.clusterId("cce-workflow-failed");
    const { items } = await cce.listUpgradeWorkFlows({ clusterId });
    expect(items).toHaveLength(1);
    const workflow = await cce.showUpgradeWorkFlow({ clusterId, upgradeWorkflowId: items[0]!.metadata.uid });
    expect(workflow.status?.phase).toBe("Pending");
    const points = workflow.status?.pointStatuses ?? [];
    expect(points.map((p) => [p.taskType, p.status])).toEqual([
      ["PreCheck", "Success"],
      ["Snapshot", undefined],
      ["Cluster", "Failed"],
      ["PostCheck", undefined],
    ]);
    const clusterPoint = points.find((p) => p.taskType === "Cluster")!;
    const upgrade = await cce.showUpgradeClusterTask({ clusterId, taskId: clusterPoint.taskID! });
    expect(upgrade.status.phase).toBe("Failed");
    expect(upgrade.metadata.creationTimestamp).toBe(clusterPoint.startTimeStamp);
    const cluster = await cce.showCluster({ clusterId });
    expect(cluster.spec.version).toBe("v1.29.5-r0");
  });

  it("ACK checks: ack-ready Succeeded, ack-blocked Failed with an error item the readiness model blocks on", async () => {
    const { ack } = clients();
    const readyChecks = await ack.listClusterChecks({ clusterId: h.clusterId("ack-ready") });
    expect(readyChecks.checks.map((c) => [c.type, c.status])).toEqual([["ClusterUpgrade", "Succeeded"]]);
    const ready = await ack.getClusterCheck({
      clusterId: h.clusterId("ack-ready"),
      checkId: readyChecks.checks[0]!.check_id,
    });
    expect(ackFindings(ready).filter((f) => f.state === "present")).toEqual([]);

    const blockedId = h.clusterId("ack-blocked");
    const { checks } = await ack.listClusterChecks({ clusterId: blockedId, type: "ClusterUpgrade" });
    expect(checks).toHaveLength(1);
    const check = await ack.getClusterCheck({ clusterId: blockedId, checkId: checks[0]!.check_id });
    expect(check.status).toBe("Failed");
    expect(check.created_at).toMatch(ISO_UTC);
    expect(check.finished_at).toMatch(ISO_UTC);
    expect(Object.keys(check.check_items)).toContain("DeprecatedAPI");
    const deprecated = check.check_items["DeprecatedAPI"]![0] as Record<string, unknown>;
    expect(deprecated["Level"]).toEqual({
      error: expect.objectContaining({ Targets: ["flowcontrol.apiserver.k8s.io/v1beta3/flowschemas"] }),
    });
    expect(ackFindings(check)).toContainEqual(
      expect.objectContaining({
        checkName: "DeprecatedAPI #1",
        severity: "fatal",
        state: "present",
        waivable: false,
        affected: { deprecatedApis: ["flowcontrol.apiserver.k8s.io/v1beta3/flowschemas"] },
      }),
    );
  });

  it("ack-upgrading: DescribeTaskInfo shows the upgrade running, and GetUpgradeStatus and the cluster agree", async () => {
    const { ack } = clients();
    const clusterId = h.clusterId("ack-upgrading");
    const { tasks, page_info } = await ack.describeClusterTasks({ clusterId });
    expect(page_info?.total_count).toBe(1);
    expect(tasks.map((t) => [t.task_type, t.state])).toEqual([["cluster_upgrade", "running"]]);
    const info = await ack.describeTaskInfo({ taskId: tasks[0]!.task_id });
    expect(info).toMatchObject({
      task_id: tasks[0]!.task_id,
      cluster_id: clusterId,
      state: "running",
      parameters: { next_version: "1.32.1-aliyun.1" },
      target: { id: clusterId, type: "cluster" },
    });
    expect(info.error).toBeUndefined();
    // Event timestamps come as epoch-ms strings and are normalized like every other time.
    expect(info.events?.[0]?.timestamp).toMatch(ISO_UTC);
    expect(Date.parse(info.events![0]!.timestamp!)).toBeGreaterThanOrEqual(Date.parse(info.created!) - 1000);
    const status = await ack.getUpgradeStatus({ clusterId });
    expect(status.status).toBe("running");
    expect(status.upgrade_task?.status).toBe("running");
    const detail = await ack.describeClusterDetail({ clusterId });
    expect(detail).toMatchObject({ current_version: "1.31.1-aliyun.1", state: "upgrading" });
  });

  it("a failed ACK upgrade reads as `fail` with a string error code; the cluster kept its version", async () => {
    const { ack } = clients();
    const clusterId = h.clusterId("ack-upgrade-failed");
    const { tasks } = await ack.describeClusterTasks({ clusterId });
    const info = await ack.describeTaskInfo({ taskId: tasks[0]!.task_id });
    expect(info.state).toBe("fail");
    expect(info.error).toEqual({ code: "400", message: "kube-apiserver not ready" });
    expect((await ack.getUpgradeStatus({ clusterId })).status).toBe("fail");
    expect((await ack.describeClusterDetail({ clusterId })).current_version).toBe("1.31.1-aliyun.1");
  });

  it("ACK cluster list and details: versions, next versions and states", async () => {
    const { ack } = clients();
    const list = await ack.describeClustersV1({ pageSize: 100 });
    expect(list.page_info?.total_count).toBe(ACK_CLUSTERS.length);
    expect(list.clusters.map((c) => c.name).sort()).toEqual([...ACK_CLUSTERS].sort());
    const named = await ack.describeClustersV1({ name: "ack-ready" });
    expect(named.clusters.map((c) => c.cluster_id)).toEqual([h.clusterId("ack-ready")]);
    const detail = await ack.describeClusterDetail({ clusterId: h.clusterId("ack-ready") });
    expect(detail).toMatchObject({
      cluster_id: h.clusterId("ack-ready"),
      current_version: "1.31.1-aliyun.1",
      next_version: "1.32.1-aliyun.1",
      state: "running",
      region_id: "cn-hangzhou",
    });
    expect(detail.created).toMatch(ISO_UTC);
  });

  // Zone-less stage times (`2026-11-24 21:47:40`) are UTC+8 on both sides (the zone of the `+08:00`
  // fields beside them); were they to disagree, a stage would appear to start 8 h before its task.
  it("a running ACK upgrade's first stage does not start before its task was created", async () => {
    const { ack } = clients();
    const { tasks } = await ack.describeClusterTasks({ clusterId: h.clusterId("ack-upgrading") });
    const info = await ack.describeTaskInfo({ taskId: tasks[0]!.task_id });
    const created = Date.parse(info.created!);
    const firstStage = Date.parse(info.stages![0]!.start_time!);
    expect(firstStage).toBeGreaterThanOrEqual(created - 1000);
    expect(firstStage).toBeLessThanOrEqual(Date.parse(info.updated!) + 60_000);
  });
});

describe("the vendor docs' shapes (docQuirks) give the same normalized results", () => {
  it("every read returns the same normalized result in both modes", async () => {
    const vendor = clients();
    const correct = await readEverything(vendor.cce, vendor.ack);

    await h.control.setDocQuirks(true);
    const docs = clients();
    const quirky = await readEverything(docs.cce, docs.ack);

    expect([...quirky.keys()]).toEqual([...correct.keys()]);
    // DescribeClusterTasks carries the id of the request that read it: different every time.
    const perRequest = new Set(["requestId"]);
    // The docs' add-on check example omits expireTimeStamp (docs/cce.md#docs-versus-sdk C5): nothing to normalize.
    const absentInDocs = new Set(["requestId", "expireTimeStamp"]);
    for (const [key, result] of correct) {
      const isAddonList = key.startsWith("CCE ListAddonPrecheckTasks");
      expect({ key, result: without(quirky.get(key), perRequest) }).toEqual({
        key,
        result: without(result, isAddonList ? absentInDocs : perRequest),
      });
    }
    // The only field dropped from the comparison is really there in vendor mode and missing in docs mode.
    const addonsCorrect = correct.get("CCE ListAddonPrecheckTasks cce-blocked") as {
      items: Array<{ metadata: Record<string, unknown> }>;
    };
    const addonsQuirky = quirky.get("CCE ListAddonPrecheckTasks cce-blocked") as typeof addonsCorrect;
    expect(addonsCorrect.items[0]!.metadata["expireTimeStamp"]).toMatch(ISO_UTC);
    expect(addonsQuirky.items[0]!.metadata["expireTimeStamp"]).toBeUndefined();
  });

  it("the quirks were really on the wire, and the vendor-correct shapes were not quirky", async () => {
    const cceBlocked = h.clusterId("cce-blocked");
    const workflowCluster = h.clusterId("cce-workflow-failed");
    const failedAck = h.clusterId("ack-upgrade-failed");
    const readRaw = async () => {
      const { cce, ack, exchanges } = clients();
      await cce.listAddonPrecheckTasks({ clusterId: cceBlocked });
      await cce.listUpgradeWorkFlows({ clusterId: workflowCluster });
      const { tasks } = await ack.describeClusterTasks({ clusterId: failedAck });
      await ack.describeTaskInfo({ taskId: tasks[0]!.task_id });
      return {
        addons: rawBody(exchanges, `/clusters/${cceBlocked}/addons/precheck/tasks`),
        workflows: rawBody(exchanges, `/clusters/${workflowCluster}/operation/upgradeworkflows`),
        task: rawBody(exchanges, `/tasks/${tasks[0]!.task_id}`),
      };
    };

    const correct = await readRaw();
    expect(Array.isArray(correct.addons["items"])).toBe(true);
    const correctItem = (correct.addons["items"] as Array<Record<string, Record<string, unknown>>>)[0]!;
    expect(Object.keys(correctItem["metadata"]!)).toContain("createTimeStamp");
    expect(correctItem["status"]!["riskList"]).toHaveLength(2);
    expect(Array.isArray(correct.workflows["items"])).toBe(true);
    expect(correct.task["state"]).toBe("fail");

    await h.control.setDocQuirks(true);
    const quirky = await readRaw();
    const quirkyItem = quirky.addons["items"] as Record<string, Record<string, unknown>>;
    expect(Array.isArray(quirkyItem)).toBe(false);
    expect(Object.keys(quirkyItem["metadata"]!)).toContain("createTimestamp");
    expect(Object.keys(quirkyItem["metadata"]!)).not.toContain("createTimeStamp");
    expect(quirkyItem["status"]!["riskList"]).toBeUndefined();
    expect(quirkyItem["riskList"]).toHaveLength(2);
    expect(Array.isArray(quirky.workflows["items"])).toBe(false);
    expect(quirky.task["state"]).toBe("failed");
  });
});
