// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}
// @API CCE POST /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/precheck
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/precheck/tasks
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/precheck/tasks/{task_id}
/**
 * `cce.ClusterPrecheck`: runs a CCE cluster pre-upgrade check (CreatePreCheck) for a target version
 * and waits until it finishes, with the lifecycle every check resource shares (check-lifecycle.ts):
 * outputs the task, its expiry and the readiness snapshot.
 *
 * - create: a running precheck for the target is adopted only when it skips the same items (and
 *   nodes); otherwise one is started, and CCE's refusal while the other runs is explained.
 * - diff: cluster, target, skipped items, region and project replace; `waitTimeoutMinutes` updates;
 *   `currentVersion` is only used at create.
 */
import { z } from "zod";
import { type CceClient } from "../../clients/cce/client";
import { type CreatePreCheckArgs } from "../../clients/cce/args";
import {
  type CceCluster,
  type CcePrecheckTask,
  type cceSkippedCheckItemSchema,
} from "../../clients/cce/schemas";
import { buildCceSnapshot } from "../../readiness/build";
import { ccePrecheckState } from "../../readiness/from-cce";
import { latestCcePrecheck } from "../../readiness/facts";
import {
  cceLocationShape,
  compact,
  kubernetesVersion,
  nonEmpty,
  nowMs,
  readinessOutputs,
  readinessOutputsShape,
  resourceId,
  type WaitTiming,
  waitTimeoutMinutes,
  locationOutputShape,
} from "../shared/common";
import { checkLifecycle } from "./check-lifecycle";
import { isConflict } from "./vendor-errors";
import { type Written } from "./lifecycle";
import { log, logStarted, waitWithProgress } from "../shared/log";
import { type PropertyMap, type ResourceLifecycle } from "../shared/types";

const RESOURCE = "cce.ClusterPrecheck";
const FINAL_PHASES = ["Success", "Failed", "Error"];

/** Inputs of `cce.ClusterPrecheck` (strict). */
export const cceClusterPrecheckInputsSchema = z.strictObject({
  clusterId: resourceId,
  /** The version to check an upgrade to: a minor (`v1.30`, CCE picks the latest patch) or a patch. */
  targetVersion: kubernetesVersion,
  /** The cluster's current version to send; read from the cluster when omitted. Used at create only. */
  currentVersion: kubernetesVersion.optional(),
  /** Check items to skip; `nodeUids` limits a node check item to those nodes. */
  skippedCheckItems: z
    .array(z.strictObject({ name: nonEmpty, nodeUids: z.array(resourceId).min(1).optional() }))
    .optional(),
  ...cceLocationShape,
  /** Give up waiting after this many minutes (default 30). */
  waitTimeoutMinutes: waitTimeoutMinutes.optional(),
});
/** Inputs of `cce.ClusterPrecheck`, parsed. */
export type CceClusterPrecheckInputs = z.output<typeof cceClusterPrecheckInputsSchema>;

/**
 * Computed outputs of `cce.ClusterPrecheck` (the state holds them next to the inputs). Loose and all
 * optional: an interrupted create records only the task id and its last phase, and state written by
 * other versions must still read.
 */
export const cceClusterPrecheckOutputsSchema = z.looseObject({
  /** The precheck task id (also the resource id). */
  taskId: z.string().optional(),
  /** The vendor phase: `Success`, `Failed` (problems found), `Error`, or a running one. */
  phase: z.string().optional(),
  /** The cluster version the check ran from. */
  clusterVersion: z.string().optional(),
  /** The target as CCE recorded it. */
  checkedTargetVersion: z.string().optional(),
  /** When CCE created the task (ISO 8601). */
  createdAt: z.string().optional(),
  /** When CCE stops accepting the result for an upgrade (ISO 8601). */
  expiresAt: z.string().optional(),
  /** CCE's message on the task. */
  message: z.string().optional(),
  ...readinessOutputsShape,
  ...locationOutputShape,
});
/** Computed outputs of `cce.ClusterPrecheck`, as read back from the state. */
export type CceClusterPrecheckOutputs = z.output<typeof cceClusterPrecheckOutputsSchema>;
type Outputs = Written<typeof cceClusterPrecheckOutputsSchema>;

const DIFF = {
  replaceOn: ["clusterId", "targetVersion", "skippedCheckItems", "region", "projectId"],
  updateOn: ["waitTimeoutMinutes"],
} as const;

/** Waits until the precheck reaches a final phase (Success, Failed or Error) and returns it. */
export async function waitForPrecheck(
  cce: CceClient,
  clusterId: string,
  taskId: string,
  timing: WaitTiming,
  label: string,
): Promise<CcePrecheckTask> {
  return waitWithProgress(label, timing, {
    poll: (signal) => cce.showPreCheck({ clusterId, taskId }, { signal }),
    classify: (task) => ({
      state: ccePrecheckState(task.status.phase) === "pending" ? "pending" : "success",
      phase: task.status.phase,
    }),
    task: `CCE precheck ${taskId} of cluster ${clusterId}`,
  });
}

/** The outputs of a finished (or refreshed) precheck. */
function precheckOutputs(
  inputs: CceClusterPrecheckInputs,
  cluster: CceCluster,
  region: string,
  task: CcePrecheckTask,
): PropertyMap {
  const snapshot = buildCceSnapshot({
    cluster: {
      id: cluster.metadata.uid,
      ...(cluster.metadata.name === undefined ? {} : { name: cluster.metadata.name }),
      region,
      currentVersion: cluster.spec.version,
    },
    targetVersion: inputs.targetVersion,
    precheck: task,
    now: nowMs(),
  });
  const outputs: Outputs = {
    taskId: task.metadata.uid,
    phase: task.status.phase,
    clusterVersion: task.spec?.clusterVersion ?? cluster.spec.version,
    checkedTargetVersion: task.spec?.targetVersion ?? inputs.targetVersion,
    createdAt: task.metadata.creationTimestamp,
    expiresAt: task.status.expireTimeStamp,
    message: task.status.message,
    ...readinessOutputs(snapshot),
  };
  return compact({ ...inputs, ...outputs });
}

function label(inputs: CceClusterPrecheckInputs): string {
  return `${RESOURCE} ${inputs.clusterId} -> ${inputs.targetVersion}`;
}

/**
 * Starts a precheck for the target, unless one skipping the same items is already running for it
 * (then adopts that one); returns its id. Also the fresh precheck of `cce.ClusterUpgrade`.
 */
export async function startPrecheck(
  cce: CceClient,
  inputs: Pick<
    CceClusterPrecheckInputs,
    "clusterId" | "targetVersion" | "currentVersion" | "skippedCheckItems"
  >,
  what: string,
): Promise<string> {
  const { clusterId, targetVersion } = inputs;
  const wanted = skippedCheckItemList(inputs.skippedCheckItems);
  const { items } = await cce.listPreCheckTasks({ clusterId });
  const pending = items.filter((task) => ccePrecheckState(task.status.phase) === "pending");
  const running = latestCcePrecheck(pending, targetVersion);
  // Only a check that skips exactly what this one asks for is this one: a precheck that skipped an
  // item would otherwise be recorded as a full check (or one with fewer skips as this one).
  const sameSkips = running !== undefined && sameSkipList(running.spec?.skippedCheckItemList, wanted);
  if (running !== undefined && sameSkips) {
    log("info", `${what}: adopting precheck ${running.metadata.uid} already running for this target`);
    return running.metadata.uid;
  }
  const clusterVersion = inputs.currentVersion ?? (await cce.showCluster({ clusterId })).spec.version;
  try {
    const created = await cce.createPreCheck({
      clusterId,
      clusterVersion,
      targetVersion,
      ...(wanted.length === 0 ? {} : { skippedCheckItemList: wanted }),
    });
    logStarted(what, `started precheck ${created.metadata.uid}`, created.recovered);
    return created.metadata.uid;
  } catch (error) {
    if (running === undefined || !isConflict(error)) throw error;
    // CCE runs one precheck of a cluster at a time (it answers a conflict): say which one and why
    // it is not adopted, instead of the raw refusal.
    throw new Error(
      `${what}: precheck ${running.metadata.uid} is already running for this target, but it skips ` +
        `${describeSkips(running.spec?.skippedCheckItemList ?? [])} while this resource's ` +
        `skippedCheckItems skip ${describeSkips(wanted)}, so its result is not this check's; CCE ` +
        "refused to start a second precheck while it runs. Wait until it finishes (ShowPreCheck, or " +
        "the upgrade page of the CCE console), then run `pulumi up` again.",
      { cause: error },
    );
  }
}

/** The wire form (CreatePreCheck `skippedCheckItemList`, docs/cce.md#cluster-precheck) of the skips. */
function skippedCheckItemList(
  items: CceClusterPrecheckInputs["skippedCheckItems"],
): NonNullable<CreatePreCheckArgs["skippedCheckItemList"]> {
  return (items ?? []).map((item) => ({
    name: item.name,
    ...(item.nodeUids === undefined
      ? {}
      : { resourceSelector: { key: "node.uid" as const, values: item.nodeUids, operator: "In" as const } }),
  }));
}

type SkipItem = z.output<typeof cceSkippedCheckItemSchema>;

/** One skip as a comparable text: the item and, for a node check, its selector (nodes in any order). */
function skipKey(item: SkipItem): string {
  const selector = item.resourceSelector;
  if (selector === undefined) return item.name;
  const values = [...(selector.values ?? [])].sort().join(",");
  return `${item.name} ${selector.key ?? ""} ${selector.operator ?? ""} [${values}]`;
}

/** True when a listed precheck skips exactly the items (and nodes) `wanted` skips; absent means none. */
export function sameSkipList(listed: readonly SkipItem[] | undefined, wanted: readonly SkipItem[]): boolean {
  const keys = (items: readonly SkipItem[]): string => [...new Set(items.map(skipKey))].sort().join("\n");
  return keys(listed ?? []) === keys(wanted);
}

function describeSkips(items: readonly SkipItem[]): string {
  if (items.length === 0) return "no check items";
  return items
    .map((item) =>
      item.resourceSelector === undefined
        ? item.name
        : `${item.name} (nodes ${(item.resourceSelector.values ?? []).join(", ")})`,
    )
    .join(", ");
}

/** The `cce.ClusterPrecheck` lifecycle (see the module comment and check-lifecycle.ts). */
export const cceClusterPrecheck: ResourceLifecycle = checkLifecycle({
  resource: RESOURCE,
  vendor: "CCE",
  noun: "precheck",
  inputsSchema: cceClusterPrecheckInputsSchema,
  outputsSchema: cceClusterPrecheckOutputsSchema,
  diff: DIFF,
  statusKey: "phase",
  idOutputs: (taskId) => ({ taskId }),
  startedStatus: "Init",
  finalStatuses: FINAL_PHASES,
  finishedKey: "snapshot",
  label,
  readCluster: (cce, { clusterId }) => cce.showCluster({ clusterId }),
  clusterVersion: (cluster) => cluster.spec.version,
  start: async (cce, inputs, what) => ({ id: await startPrecheck(cce, inputs, what) }),
  wait: (cce, inputs, id, timing, what) => waitForPrecheck(cce, inputs.clusterId, id, timing, what),
  readCheck: (cce, { clusterId }, taskId) => cce.showPreCheck({ clusterId, taskId }),
  statusOf: (task) => task.status.phase,
  outputs: (inputs, cluster, region, task, what) => {
    if (task.status.phase === "Error")
      log(
        "warn",
        `${what}: precheck ${task.metadata.uid} ended in Error: ${task.status.message ?? "no message"}`,
      );
    return precheckOutputs(inputs, cluster, region, task);
  },
});
