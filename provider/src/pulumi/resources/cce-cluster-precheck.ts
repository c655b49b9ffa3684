// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}
// @API CCE POST /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/precheck
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/precheck/tasks
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/precheck/tasks/{task_id}
/**
 * `cce.ClusterPrecheck`: runs a CCE cluster pre-upgrade check (CreatePreCheck) for a target version
 * and waits until it finishes.
 *
 * - create: adopts a precheck for the same target that is still running (a retried create after an
 *   interrupted one), otherwise starts one; waits for a final phase; outputs the task, its expiry
 *   and the readiness snapshot. A check that FOUND problems is a successful create: the findings
 *   are the result. If the wait fails after CCE accepted the task, the resource is recorded with
 *   the task id and the next `up` resumes the wait.
 * - diff: cluster, target, skipped items, region and project replace; `waitTimeoutMinutes` updates;
 *   `currentVersion` is only used at create.
 * - read (refresh): re-reads the task and the cluster; a vanished task removes the resource; a
 *   cluster whose version moved since the check is reported and the verdict recomputed.
 * - delete: CCE has no API to delete a precheck; the task stays in CCE and leaves the state.
 */
import { z } from "zod";
import { type CceSettings } from "../../auth/config";
import { type CceClient } from "../../clients/cce/client";
import { type CceCluster, type CcePrecheckTask } from "../../clients/cce/schemas";
import { buildCceSnapshot } from "../../readiness/build";
import { ccePrecheckState } from "../../readiness/from-cce";
import { selectLatestCheck } from "../../readiness/latest";
import { waitFor } from "../../readiness/waiter";
import {
  afterAccepted,
  cceLocationShape,
  compact,
  isNotFound,
  isPendingPhase,
  kubernetesVersion,
  nonEmpty,
  nowMs,
  readinessOutputs,
  readinessOutputsShape,
  resourceId,
  type WaitTiming,
  waitTiming,
  waitTimeoutMinutes,
  withCce,
} from "../shared/common";
import {
  checkResult,
  diffProperties,
  inPlaceOutputs,
  parseInputs,
  readOutputs,
  withoutProvider,
  type Written,
} from "./lifecycle";
import { log, progressPrinter } from "../shared/log";
import { configuredSettings } from "../shared/settings";
import { type PropertyMap, type ResourceLifecycle } from "../shared/types";

const RESOURCE = "cce.ClusterPrecheck";
/** Default deadline of the precheck wait, in minutes. */
export const DEFAULT_PRECHECK_TIMEOUT_MINUTES = 30;
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
});
/** Computed outputs of `cce.ClusterPrecheck`, as read back from the state. */
export type CceClusterPrecheckOutputs = z.output<typeof cceClusterPrecheckOutputsSchema>;
type Outputs = Written<typeof cceClusterPrecheckOutputsSchema>;

const DIFF = {
  replaceOn: ["clusterId", "targetVersion", "skippedCheckItems", "region", "projectId"],
  updateOn: ["waitTimeoutMinutes"],
} as const;

/** The newest precheck for `targetVersion` that has not finished yet. */
export async function findRunningPrecheck(
  cce: CceClient,
  clusterId: string,
  targetVersion: string,
): Promise<CcePrecheckTask | undefined> {
  const { items } = await cce.listPreCheckTasks({ clusterId });
  const running = items.filter((task) => ccePrecheckState(task.status.phase) === "pending");
  return selectLatestCheck(running, {
    targetVersion,
    createdAt: (task) => task.metadata.creationTimestamp,
    targetOf: (task) => task.spec?.targetVersion,
  });
}

/** Waits until the precheck reaches a final phase (Success, Failed or Error) and returns it. */
export async function waitForPrecheck(
  cce: CceClient,
  clusterId: string,
  taskId: string,
  timing: WaitTiming,
  label: string,
): Promise<CcePrecheckTask> {
  const outcome = await waitFor({
    poll: (signal) => cce.showPreCheck({ clusterId, taskId }, { signal }),
    classify: (task) => ({
      state: ccePrecheckState(task.status.phase) === "pending" ? "pending" : "success",
      phase: task.status.phase,
    }),
    task: `CCE precheck ${taskId} of cluster ${clusterId}`,
    ...timing,
    onProgress: progressPrinter(label, timing.deadlineMs),
  });
  return outcome.value;
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

function parse(props: PropertyMap): CceClusterPrecheckInputs {
  return parseInputs(cceClusterPrecheckInputsSchema, props, RESOURCE);
}

function pulumiSettings(): CceSettings {
  return configuredSettings().cce;
}

function label(inputs: CceClusterPrecheckInputs): string {
  return `${RESOURCE} ${inputs.clusterId} -> ${inputs.targetVersion}`;
}

async function finishPrecheck(
  cce: CceClient,
  region: string,
  inputs: CceClusterPrecheckInputs,
  taskId: string,
): Promise<PropertyMap> {
  const timing = waitTiming(inputs.waitTimeoutMinutes, DEFAULT_PRECHECK_TIMEOUT_MINUTES);
  let lastPhase = "Init";
  return afterAccepted(
    taskId,
    () => ({ ...inputs, taskId, phase: lastPhase }) satisfies Outputs,
    "run `pulumi up` again to resume waiting for it, or `pulumi refresh` to read its result.",
    async () => {
      const task = await waitForPrecheck(cce, inputs.clusterId, taskId, timing, label(inputs));
      lastPhase = task.status.phase;
      const cluster = await cce.showCluster({ clusterId: inputs.clusterId });
      if (task.status.phase === "Error") {
        log(
          "warn",
          `${label(inputs)}: precheck ${taskId} ended in Error: ${task.status.message ?? "no message"}`,
        );
      }
      return precheckOutputs(inputs, cluster, region, task);
    },
  );
}

async function create(props: PropertyMap): Promise<{ id: string; outs: PropertyMap }> {
  const inputs = parse(props);
  return withCce(inputs, { pulumiConfig: pulumiSettings() }, async (cce, region) => {
    const { clusterId, targetVersion } = inputs;
    const running = await findRunningPrecheck(cce, clusterId, targetVersion);
    let taskId: string;
    if (running !== undefined) {
      taskId = running.metadata.uid;
      log("info", `${label(inputs)}: adopting precheck ${taskId} already running for this target`);
    } else {
      const cluster = await cce.showCluster({ clusterId });
      const created = await cce.createPreCheck({
        clusterId,
        clusterVersion: inputs.currentVersion ?? cluster.spec.version,
        targetVersion,
        ...(inputs.skippedCheckItems === undefined
          ? {}
          : {
              skippedCheckItemList: inputs.skippedCheckItems.map((item) => ({
                name: item.name,
                ...(item.nodeUids === undefined
                  ? {}
                  : {
                      resourceSelector: {
                        key: "node.uid" as const,
                        values: item.nodeUids,
                        operator: "In" as const,
                      },
                    }),
              })),
            }),
      });
      taskId = created.metadata.uid;
      log(
        "info",
        `${label(inputs)}: started precheck ${taskId}` +
          (created.recovered === true ? " (found after its answer was lost; not started twice)" : ""),
      );
    }
    const outs = await finishPrecheck(cce, region, inputs, taskId);
    return { id: taskId, outs };
  });
}

async function read(id: string, props?: PropertyMap): Promise<{ id: string; props?: PropertyMap }> {
  const olds = withoutProvider(props);
  const inputs = parse(olds);
  const recorded = readOutputs(cceClusterPrecheckOutputsSchema, olds, RESOURCE);
  return withCce(inputs, { pulumiConfig: pulumiSettings() }, async (cce, region) => {
    let task: CcePrecheckTask;
    let cluster: CceCluster;
    try {
      task = await cce.showPreCheck({ clusterId: inputs.clusterId, taskId: id });
      cluster = await cce.showCluster({ clusterId: inputs.clusterId });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      log(
        "warn",
        `${label(inputs)}: precheck ${id} or its cluster no longer exists in CCE; removing it from the state`,
      );
      return { id: "" };
    }
    if (recorded.clusterVersion !== undefined && recorded.clusterVersion !== cluster.spec.version) {
      log(
        "warn",
        `${label(inputs)}: cluster ${inputs.clusterId} is now on ${cluster.spec.version}, ` +
          `not ${recorded.clusterVersion} as when precheck ${id} ran; its verdict was recomputed`,
      );
    }
    return { id, props: precheckOutputs(inputs, cluster, region, task) };
  });
}

async function update(id: string, olds: PropertyMap, news: PropertyMap): Promise<{ outs: PropertyMap }> {
  const inputs = parse(news);
  const recorded = readOutputs(cceClusterPrecheckOutputsSchema, olds, RESOURCE);
  if (recorded.snapshot === undefined || isPendingPhase(recorded.phase, FINAL_PHASES)) {
    // The create was interrupted after CCE accepted the task: resume the wait, never start another.
    return withCce(inputs, { pulumiConfig: pulumiSettings() }, async (cce, region) => {
      log(
        "info",
        `${label(inputs)}: resuming the wait for precheck ${id} (last phase ${String(recorded.phase)})`,
      );
      return { outs: await finishPrecheck(cce, region, inputs, id) };
    });
  }
  return { outs: compact(inPlaceOutputs(cceClusterPrecheckInputsSchema, olds, inputs)) };
}

async function remove(id: string, props: PropertyMap): Promise<void> {
  const cluster = typeof props.clusterId === "string" ? props.clusterId : "?";
  log(
    "info",
    `${RESOURCE}: precheck ${id} of cluster ${cluster} stays in CCE (there is no API to delete it); removed from the state`,
  );
}

/** The `cce.ClusterPrecheck` lifecycle (see the module comment). */
export const cceClusterPrecheck: ResourceLifecycle = {
  check: async (_olds, news) => checkResult(cceClusterPrecheckInputsSchema, news),
  diff: async (_id, olds, news) => diffProperties(olds, news, DIFF),
  create,
  read,
  update,
  delete: remove,
};
