/**
 * CCE response bodies, shaped after the SDK models and the vendor's example responses (docs/cce.md).
 * With `docQuirks`, the add-on check list and the workflow list take the shapes the vendor docs show
 * instead (docs/cce.md#docs-versus-sdk), so clients can be tested against both.
 */
import { stageOf, percentDone } from "../../state/progress";
import { precheckPhase } from "../../state/outcomes";
import { type Store } from "../../state/store";
import {
  type AddonInstance,
  type CceAddonCheckRecord,
  type CcePostcheckRecord,
  type CcePrecheckRecord,
  type CceSnapshotRecord,
  type CceUpgradeTaskRecord,
  type CceWorkflowRecord,
  type ClusterRecord,
  type PrecheckItemOutcome,
} from "../../state/types";
import { splitCceVersion } from "../../state/versions";
import { uuid } from "../../util/ids";
import { nodeUid, precheckNodeOf } from "./cce-nodes";
import { goTimeString, rfc3339Micro, rfc3339NanoUtc } from "../../util/time-format";

type Json = Record<string, unknown>;

/** The CCE platform version that goes with a Kubernetes minor (cosmetic, but always present). */
export function platformVersion(version: string): string {
  const minor = /^v?\d+\.(\d+)/.exec(version)?.[1];
  return minor === undefined ? "cce.1.0" : `cce.${Math.max(1, Number(minor) - 12)}.0`;
}

export function renderCluster(cluster: ClusterRecord): Json {
  return {
    kind: "Cluster",
    apiVersion: "v3",
    metadata: {
      name: cluster.name,
      uid: cluster.id,
      alias: cluster.name,
      creationTimestamp: goTimeString(cluster.createdAt),
      updateTimestamp: goTimeString(cluster.updatedAt),
      annotations: {},
      labels: { FeatureGates: "" },
      timezone: "Asia/Shanghai",
    },
    spec: {
      category: "CCE",
      type: "VirtualMachine",
      flavor: "cce.s2.small",
      version: cluster.version,
      platformVersion: platformVersion(cluster.version),
      description: "",
      ipv6enable: false,
      hostNetwork: { vpc: uuid(`vpc:${cluster.id}`), subnet: uuid(`subnet:${cluster.id}`) },
      containerNetwork: { mode: "vpc-router", cidr: "172.16.0.0/16" },
      authentication: { mode: "rbac" },
      billingMode: 0,
      kubernetesSvcIpRange: "10.247.0.0/16",
      kubeProxyMode: "iptables",
      az: "multi_az",
    },
    status: {
      phase: cluster.phase,
      endpoints: [{ url: "https://192.168.0.10:5443", type: "Internal" }],
    },
  };
}

// --- add-on instances ----------------------------------------------------------------------------

/**
 * One ListAddonInstances item (SDK `AddonInstance`; vendor page cce_02_0326). Version, id and name
 * come from the cluster record, so the answer follows whatever the emulator's state holds. Times are
 * RFC 3339 UTC like the documented example; the status is always `running` (LIMITATIONS.md).
 */
export function renderAddonInstance(cluster: ClusterRecord, addon: AddonInstance): Json {
  const created = rfc3339NanoUtc(cluster.createdAt);
  const updated = rfc3339NanoUtc(cluster.updatedAt);
  return {
    kind: "Addon",
    apiVersion: "v3",
    metadata: {
      uid: addon.id,
      name: addon.instanceName,
      labels: {},
      annotations: {},
      creationTimestamp: created,
      updateTimestamp: updated,
    },
    spec: {
      clusterID: cluster.id,
      version: addon.version,
      addonTemplateName: addon.templateName,
      addonTemplateType: "helm",
      addonTemplateLabels: [],
      description: "",
      values: {},
    },
    status: {
      status: "running",
      Reason: "Install complete",
      message: "",
      currentVersion: {
        version: addon.version,
        input: {},
        stable: true,
        translate: {},
        supportVersions: [],
        creationTimestamp: created,
        updateTimestamp: created,
      },
    },
  };
}

// --- add-on checks -------------------------------------------------------------------------------

export function addonTaskStatus(
  record: CceAddonCheckRecord,
  now: number,
): "Init" | "Running" | "Failed" | "Success" {
  const stage = stageOf(record.clock, now);
  if (stage === "init") return "Init";
  if (stage === "running") return "Running";
  return record.risks.some((r) => r.status === "Failed") ? "Failed" : "Success";
}

export function renderAddonTask(record: CceAddonCheckRecord, now: number, docQuirks: boolean): Json {
  const status = addonTaskStatus(record, now);
  const done = status === "Failed" || status === "Success";
  const riskList = done
    ? record.risks.map((r) => ({
        riskName: r.riskName,
        level: r.level,
        status: r.status,
        ...(r.message === undefined ? {} : { message: r.message }),
      }))
    : undefined;
  const metadata: Json = {
    type: record.type,
    taskID: record.id,
    addonTemplateName: record.addonTemplateName,
    addonInstanceName: record.addonInstanceName,
    addonInstanceID: record.addonInstanceId,
    [docQuirks ? "createTimestamp" : "createTimeStamp"]: rfc3339Micro(record.clock.createdAt),
  };
  if (done && !docQuirks && record.clock.finishedAt !== undefined) {
    metadata["expireTimeStamp"] = rfc3339Micro(record.clock.finishedAt + record.validityMs);
  }
  const message = done
    ? "Addon task check finish"
    : status === "Running"
      ? "Addon task check running"
      : "Addon task check init";
  const item: Json = {
    metadata,
    spec: record.targetVersion === undefined ? {} : { addonTargetVersion: record.targetVersion },
    status: { status, message, ...(riskList === undefined || docQuirks ? {} : { riskList }) },
  };
  if (docQuirks && riskList !== undefined) item["riskList"] = riskList;
  return item;
}

export function renderAddonTaskList(items: Json[], docQuirks: boolean): Json {
  return {
    kind: "AddonCheck",
    apiVersion: "v3",
    pageInfo: { currentCount: items.length },
    // The doc's example shows one object instead of an array.
    items: docQuirks && items.length === 1 ? items[0] : items,
  };
}

// --- prechecks -----------------------------------------------------------------------------------

function renderItem(item: PrecheckItemOutcome, clusterId: string): Json {
  const riskSource: Json = { ...(item.riskSource ?? {}) };
  if (item.group === "NodeCheck" && item.node !== undefined && riskSource["nodeRisks"] === undefined) {
    riskSource["nodeRisks"] = [{ NodeID: nodeUid(clusterId, item.node) }];
  }
  return {
    name: item.name,
    kind: item.kind,
    group: item.group,
    level: item.level,
    phase: item.phase,
    message: item.message,
    ...(Object.keys(riskSource).length === 0 ? {} : { riskSource }),
    errorCodes: item.errorCodes ?? [],
  };
}

/** Items left after the request's skip list (only `Risk` items may be skipped). */
function effectiveItems(record: CcePrecheckRecord): PrecheckItemOutcome[] {
  const skipped = new Set(
    record.skippedCheckItemList.map((s) => s["name"]).filter((n): n is string => typeof n === "string"),
  );
  return record.outcome.items.filter((i) => !(i.kind === "Risk" && skipped.has(i.name)));
}

export function precheckTaskPhase(
  record: CcePrecheckRecord,
  now: number,
): "Init" | "Running" | "Success" | "Failed" | "Error" {
  const stage = stageOf(record.clock, now);
  if (stage === "init") return "Init";
  if (stage === "running") return "Running";
  return precheckPhase({ ...record.outcome, items: effectiveItems(record) });
}

function precheckStatus(record: CcePrecheckRecord, now: number): Json {
  const phase = precheckTaskPhase(record, now);
  if (phase === "Init") return { phase };
  if (phase === "Running") {
    return {
      phase,
      clusterCheckStatus: { phase: "Running", itemsStatus: [] },
      addonCheckStatus: { phase: "Init", itemsStatus: [] },
      nodeCheckStatus: { phase: "Init", nodeStageStatus: [] },
    };
  }
  const items = effectiveItems(record);
  const subPhase = (list: PrecheckItemOutcome[]): string =>
    list.some((i) => i.level === "Fatal" && i.phase === "Failed") ? "Failed" : "Success";
  const clusterItems = items.filter((i) => i.group !== "AddonCheck" && i.group !== "NodeCheck");
  const addonItems = items.filter((i) => i.group === "AddonCheck");
  const nodeItems = items.filter((i) => i.group === "NodeCheck");
  const nodes = new Map<string, PrecheckItemOutcome[]>();
  for (const item of nodeItems) {
    const node = precheckNodeOf(item);
    nodes.set(node, [...(nodes.get(node) ?? []), item]);
  }
  const finishedAt = record.clock.finishedAt ?? now;
  return {
    phase,
    expireTimeStamp: goTimeString(finishedAt + record.validityMs),
    message: record.outcome.message ?? (phase === "Error" ? "precheck task execution error" : ""),
    clusterCheckStatus: {
      phase: subPhase(clusterItems),
      itemsStatus: clusterItems.map((i) => renderItem(i, record.clusterId)),
    },
    addonCheckStatus: {
      phase: subPhase(addonItems),
      itemsStatus: addonItems.map((i) => renderItem(i, record.clusterId)),
    },
    nodeCheckStatus: {
      phase: subPhase(nodeItems),
      nodeStageStatus: [...nodes].map(([name, list]) => ({
        nodeInfo: {
          uid: nodeUid(record.clusterId, name),
          name,
          status: "Active",
          nodeType: "VirtualMachine",
        },
        itemsStatus: list.map((i) => renderItem(i, record.clusterId)),
      })),
    },
  };
}

function precheckSpec(record: CcePrecheckRecord): Json {
  return {
    clusterID: record.clusterId,
    clusterVersion: record.clusterVersion,
    targetVersion: record.targetVersion,
    ...(record.skippedCheckItemList.length === 0
      ? {}
      : { skippedCheckItemList: record.skippedCheckItemList }),
  };
}

export function renderPrecheckCreated(record: CcePrecheckRecord, now: number): Json {
  return {
    apiVersion: "v3",
    kind: "PreCheckTask",
    metadata: { uid: record.id },
    spec: precheckSpec(record),
    status: precheckStatus(record, now),
  };
}

export function renderPrecheck(record: CcePrecheckRecord, now: number): Json {
  return {
    apiVersion: "v3",
    kind: "PreCheckTask",
    metadata: {
      uid: record.id,
      creationTimestamp: goTimeString(record.clock.createdAt),
      updateTimestamp: goTimeString(record.clock.finishedAt ?? record.clock.createdAt),
    },
    spec: precheckSpec(record),
    status: precheckStatus(record, now),
  };
}

// --- upgrade tasks -------------------------------------------------------------------------------

/** The phase of a CCE task that ends as its outcome says (upgrade tasks, master snapshots). */
function outcomePhase(
  task: CceUpgradeTaskRecord | CceSnapshotRecord,
  now: number,
): "Init" | "Running" | "Success" | "Failed" {
  const stage = stageOf(task.clock, now);
  if (stage === "init") return "Init";
  if (stage === "running") return "Running";
  return task.outcome.result;
}

export function upgradeTaskPhase(
  task: CceUpgradeTaskRecord,
  now: number,
): "Init" | "Running" | "Success" | "Failed" {
  return outcomePhase(task, now);
}

function upgradeStatus(task: CceUpgradeTaskRecord, now: number): Json {
  return {
    phase: upgradeTaskPhase(task, now),
    progress: `${percentDone(task.clock, now)}%`,
    ...(task.clock.finishedAt === undefined ? {} : { completionTime: goTimeString(task.clock.finishedAt) }),
  };
}

export function renderUpgradeTask(task: CceUpgradeTaskRecord, now: number): Json {
  return {
    apiVersion: "v3",
    kind: "UpgradeTask",
    metadata: {
      uid: task.id,
      creationTimestamp: goTimeString(task.clock.createdAt),
      updateTimestamp: goTimeString(task.clock.finishedAt ?? task.clock.createdAt),
    },
    spec: { version: task.fromVersion, targetVersion: task.resultVersion, items: {} },
    status: upgradeStatus(task, now),
  };
}

export function renderUpgradeCreated(task: CceUpgradeTaskRecord): Json {
  return {
    metadata: { uid: task.id },
    spec: {
      clusterUpgradeAction: {
        version: task.fromVersion,
        targetVersion: task.resultVersion,
        targetPlatformVersion: platformVersion(task.resultVersion),
        strategy: task.strategy ?? {
          type: "inPlaceRollingUpdate",
          inPlaceRollingUpdate: { userDefinedStep: 20 },
        },
        config: {},
      },
    },
  };
}

export function renderUpgradeInfo(cluster: ClusterRecord, store: Store, now: number): Json {
  const tasks = store.cceUpgradeTasks.ofCluster(cluster.id);
  const current = tasks[tasks.length - 1];
  const lastFinished = [...tasks].reverse().find((t) => t.clock.finishedAt !== undefined);
  const { release, patch } = splitCceVersion(cluster.version);
  return {
    kind: "UpgradeInfo",
    apiVersion: "v3",
    metadata: {},
    spec: {
      ...(lastFinished === undefined ? {} : { lastUpgradeInfo: upgradeStatus(lastFinished, now) }),
      versionInfo: { release, patch, suggestPatch: patch, targetVersions: [...cluster.targetVersions] },
      upgradeFeatureGates: { supportUpgradePageV4: true },
    },
    ...(current === undefined ? {} : { status: upgradeStatus(current, now) }),
  };
}

// --- workflows -----------------------------------------------------------------------------------

type PointStatus = "Init" | "Queuing" | "Running" | "Success" | "Failed";

export function workflowPoints(workflow: CceWorkflowRecord, store: Store, now: number): Json[] {
  const points: Json[] = [];
  const precheck =
    workflow.precheckId === undefined ? undefined : store.ccePrechecks.get(workflow.precheckId);
  if (precheck === undefined) points.push({ taskType: "PreCheck" });
  else {
    const phase = precheckTaskPhase(precheck, now);
    const status: PointStatus =
      phase === "Init" || phase === "Running" || phase === "Success" ? phase : "Failed";
    const end = precheck.clock.finishedAt;
    points.push({
      taskType: "PreCheck",
      taskID: precheck.id,
      status,
      startTimeStamp: goTimeString(precheck.clock.createdAt),
      ...(end === undefined
        ? {}
        : { endTimeStamp: goTimeString(end), expireTimeStamp: goTimeString(end + precheck.validityMs) }),
    });
  }
  const snapshot =
    workflow.snapshotId === undefined ? undefined : store.cceSnapshots.get(workflow.snapshotId);
  if (snapshot === undefined) points.push({ taskType: "Snapshot" });
  else {
    points.push({
      taskType: "Snapshot",
      taskID: snapshot.id,
      status: snapshotPhase(snapshot, now),
      startTimeStamp: goTimeString(snapshot.clock.createdAt),
      ...(snapshot.clock.finishedAt === undefined
        ? {}
        : { endTimeStamp: goTimeString(snapshot.clock.finishedAt) }),
    });
  }
  const task =
    workflow.upgradeTaskId === undefined ? undefined : store.cceUpgradeTasks.get(workflow.upgradeTaskId);
  if (task === undefined) points.push({ taskType: "Cluster" });
  else {
    const phase = upgradeTaskPhase(task, now);
    points.push({
      taskType: "Cluster",
      taskID: task.id,
      status: phase === "Init" ? "Queuing" : phase,
      startTimeStamp: goTimeString(task.clock.createdAt),
      ...(task.clock.finishedAt === undefined ? {} : { endTimeStamp: goTimeString(task.clock.finishedAt) }),
    });
  }
  const postcheck =
    workflow.postcheckId === undefined ? undefined : store.ccePostchecks.get(workflow.postcheckId);
  if (postcheck === undefined) points.push({ taskType: "PostCheck" });
  else {
    points.push({
      taskType: "PostCheck",
      taskID: postcheck.id,
      status: postcheckPhase(postcheck) === "Success" ? "Success" : "Failed",
      startTimeStamp: goTimeString(postcheck.createdAt),
      endTimeStamp: goTimeString(postcheck.createdAt),
    });
  }
  return points;
}

// --- snapshots and post-checks -------------------------------------------------------------------

export function snapshotPhase(
  snapshot: CceSnapshotRecord,
  now: number,
): "Init" | "Running" | "Success" | "Failed" {
  return outcomePhase(snapshot, now);
}

/**
 * One ListClusterMasterSnapshotTasks item (Go SDK `SnapshotTask`): the task's phase in
 * `status.phase` (what Huawei's Terraform resource waits on), one `master-backup` sub-task in
 * `spec.items` carrying the failure message.
 */
export function renderSnapshotTask(snapshot: CceSnapshotRecord, now: number): Json {
  const phase = snapshotPhase(snapshot, now);
  const created = goTimeString(snapshot.clock.createdAt);
  const updated = goTimeString(snapshot.clock.finishedAt ?? snapshot.clock.createdAt);
  const message = phase === "Failed" ? (snapshot.outcome.message ?? "master backup failed") : undefined;
  return {
    kind: "SnapshotTask",
    apiVersion: "v3.1",
    metadata: { uid: snapshot.id, creationTimestamp: created, updateTimestamp: updated },
    spec: {
      items: [
        {
          id: `${snapshot.id}-master-backup`,
          type: "master-backup",
          status: phase,
          creationTimestamp: created,
          updateTimestamp: updated,
          ...(message === undefined ? {} : { message }),
        },
      ],
    },
    status: {
      phase,
      progress: `${percentDone(snapshot.clock, now)}`,
      ...(snapshot.clock.finishedAt === undefined
        ? {}
        : { completionTime: goTimeString(snapshot.clock.finishedAt) }),
    },
  };
}

export function postcheckPhase(postcheck: CcePostcheckRecord): "Success" | "Failed" | "Error" {
  return postcheck.phase ?? "Success";
}

export function workflowPhase(
  workflow: CceWorkflowRecord,
  points: Json[],
): "Init" | "Running" | "Pending" | "Success" | "Cancel" {
  if (workflow.cancelled) return "Cancel";
  const status = (type: string): unknown => points.find((p) => p["taskType"] === type)?.["status"];
  if (points.some((p) => p["status"] === "Failed")) return "Pending";
  if (status("Cluster") === "Success" && status("PostCheck") === "Success") return "Success";
  if (points.some((p) => p["status"] !== undefined)) return "Running";
  return "Init";
}

export function renderWorkflow(workflow: CceWorkflowRecord, store: Store, now: number): Json {
  const pointStatuses = workflowPoints(workflow, store, now);
  return {
    kind: "WorkFlowTask",
    apiVersion: "v3",
    metadata: {
      uid: workflow.id,
      creationTimestamp: goTimeString(workflow.createdAt),
      updateTimestamp: goTimeString(workflow.updatedAt),
    },
    spec: {
      clusterID: workflow.clusterId,
      clusterVersion: workflow.clusterVersion,
      targetVersion: workflow.targetVersion,
    },
    status: {
      phase: workflowPhase(workflow, pointStatuses),
      pointStatuses,
      lineStatuses: [
        { startPoint: { taskType: "PreCheck" }, endPoint: { taskType: "Cluster" } },
        { startPoint: { taskType: "Cluster" }, endPoint: { taskType: "PostCheck" } },
      ],
    },
  };
}
