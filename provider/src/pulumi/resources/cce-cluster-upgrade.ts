// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgradeworkflows
// @API CCE POST /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgradeworkflows
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgradeworkflows/{upgrade_workflow_id}
// @API CCE POST /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/precheck
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/precheck/tasks
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/precheck/tasks/{task_id}
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/addons/precheck/tasks
// @API CCE POST /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgrade
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgrade/tasks
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgrade/tasks/{task_id}
/**
 * `cce.ClusterUpgrade`: upgrades a CCE cluster the way the vendor orders it: upgrade workflow,
 * pre-upgrade check, the gate, UpgradeCluster, wait, post-check.
 *
 * - create: when the cluster already satisfies the target, nothing is started (recorded as
 *   `AlreadyAtTarget`); a target older than the cluster is refused before any vendor call. When
 *   an upgrade task for the target is already running (a retried create), it is adopted.
 *   Otherwise: adopt or create the workflow; run a precheck (unless `runPrecheck: false`); read
 *   the facts with the one facts gatherer (latest precheck for the target, add-on checks, upgrades
 *   in flight), evaluate them and REFUSE to start when they block; start UpgradeCluster; wait; post-check (the cluster reports
 *   the target version). Once CCE accepted the upgrade, any failure records the resource with the
 *   task id, and the next `up` resumes the wait (or explains a failed task); nothing is started twice.
 * - diff: cluster, target, region and project replace (a new target is a new upgrade); the upgrade
 *   options and timeouts update in place without effect on an upgrade that already ran;
 *   `currentVersion` and `readiness` are what a policy reads and never cause a change.
 * - read: re-reads the task and the cluster; a cluster moved off the version this upgrade left it
 *   on (upgraded out of band) is reported in `outOfBand` and the log; a vanished cluster removes
 *   the resource.
 * - delete: an upgrade cannot be undone; the cluster stays on its version and the resource leaves
 *   the state. A task still running is left running, and the log says so.
 */
import { z } from "zod";
import { type CceClient } from "../../clients/cce/client";
import { type CceCluster, type CcePrecheckTask, type CceUpgradeTask } from "../../clients/cce/schemas";
import { primaryCheckOf, readinessSummarySchema } from "../../readiness/summary";
import { isVersionChange, targetMatches } from "../../internal/versions";
import { isCceUpgradeTaskRunning } from "../../readiness/facts";
import { selectLatestCheck } from "../../readiness/latest";
import { waitFor } from "../../readiness/waiter";
import { findRunningPrecheck, waitForPrecheck } from "./cce-cluster-precheck";
import { ensureWorkflow } from "./cce-upgrade-workflow";
import {
  afterAccepted,
  cceLocationShape,
  compact,
  isNotFound,
  isPendingPhase,
  kubernetesVersion,
  nonEmpty,
  refuseDowngrade,
  resourceId,
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
  readOutputsForDelete,
  withoutProvider,
  type Written,
} from "./lifecycle";
import { log, progressPrinter } from "../shared/log";
import { configuredSettings } from "../shared/settings";
import { type PropertyMap, type ResourceLifecycle } from "../shared/types";
import { gateCceUpgrade, gateRecord, gateShape, upgradeOutputsShape } from "./upgrade-gate";

const RESOURCE = "cce.ClusterUpgrade";
/** Default deadline of the upgrade wait, in minutes. */
export const DEFAULT_CCE_UPGRADE_TIMEOUT_MINUTES = 180;
const UPGRADE_FINAL_PHASES = ["Success", "Failed"];
/** Phase recorded when the cluster already satisfied the target and nothing was started. */
export const ALREADY_AT_TARGET = "AlreadyAtTarget";

/** Inputs of `cce.ClusterUpgrade` (strict). */
export const cceClusterUpgradeInputsSchema = z.strictObject({
  clusterId: resourceId,
  /** The version to upgrade to (`v1.30` or a patch). */
  targetVersion: kubernetesVersion,
  /** The cluster's version as the program saw it (for policies; filled in by the SDK). */
  currentVersion: kubernetesVersion.optional(),
  /**
   * The readiness the program saw (for policies; filled in by the SDK). Lenient: it may come from a
   * stack written by another SDK version, and the gate decides on live data anyway.
   */
  readiness: z.looseObject(readinessSummarySchema.shape).optional(),
  ...cceLocationShape,
  /** Run a fresh precheck before upgrading (default true); false uses the latest finished one. */
  runPrecheck: z.boolean().optional(),
  /** After the upgrade, confirm the cluster reports the target version (default true). */
  postCheck: z.boolean().optional(),
  /** Rolling-update strategy: nodes per step (1-40, vendor default 20) and scope. */
  strategy: z
    .strictObject({
      userDefinedStep: z.number().int().min(1).max(40).optional(),
      scope: z.enum(["Cluster", "NodePool"]).optional(),
    })
    .optional(),
  /** Add-on versions to move to with the cluster (`operation: patch`). */
  addons: z
    .array(
      z.strictObject({
        addonTemplateName: nonEmpty,
        version: nonEmpty,
        values: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .optional(),
  ...gateShape,
  /** Give up waiting for the upgrade after this many minutes (default 180). */
  waitTimeoutMinutes: waitTimeoutMinutes.optional(),
  /** Give up waiting for the precheck after this many minutes (default 30). */
  precheckTimeoutMinutes: waitTimeoutMinutes.optional(),
});
/** Inputs of `cce.ClusterUpgrade`, parsed. */
export type CceClusterUpgradeInputs = z.output<typeof cceClusterUpgradeInputsSchema>;

/**
 * Computed outputs of `cce.ClusterUpgrade` (the state holds them next to the inputs). Loose and all
 * optional: an interrupted create records only the task id and what it knew, and state written by
 * other versions must still read.
 */
export const cceClusterUpgradeOutputsSchema = z.looseObject({
  /** The CCE upgrade task id (the resource id, unless nothing had to be upgraded). */
  upgradeTaskId: z.string().optional(),
  /** The upgrade workflow the upgrade ran in (adopted or created). */
  workflowId: z.string().optional(),
  /** The precheck the gate decided on. */
  precheckTaskId: z.string().optional(),
  ...upgradeOutputsShape,
  /** What the post-check saw: the cluster's version and phase after the upgrade. */
  postCheckResult: z
    .object({ clusterVersion: z.string(), clusterPhase: z.string().optional(), reachedTarget: z.boolean() })
    .optional(),
});
/** Computed outputs of `cce.ClusterUpgrade`, as read back from the state. */
export type CceClusterUpgradeOutputs = z.output<typeof cceClusterUpgradeOutputsSchema>;
type Outputs = Written<typeof cceClusterUpgradeOutputsSchema>;

const DIFF = {
  replaceOn: ["clusterId", "targetVersion", "region", "projectId"],
  updateOn: [
    "runPrecheck",
    "postCheck",
    "strategy",
    "addons",
    "waivers",
    "blockingSeverities",
    "waitTimeoutMinutes",
    "precheckTimeoutMinutes",
  ],
} as const;

function parse(props: PropertyMap): CceClusterUpgradeInputs {
  return parseInputs(cceClusterUpgradeInputsSchema, props, RESOURCE);
}

function label(inputs: CceClusterUpgradeInputs): string {
  return `${RESOURCE} ${inputs.clusterId} -> ${inputs.targetVersion}`;
}

function upgradeState(phase: string): "success" | "failure" | "pending" {
  if (phase.toLowerCase() === "success") return "success";
  if (phase.toLowerCase() === "failed") return "failure";
  return "pending";
}

/** A running upgrade task for the target, if one exists (a retried or concurrent create). */
async function findRunningUpgrade(
  cce: CceClient,
  clusterId: string,
  targetVersion: string,
): Promise<CceUpgradeTask | undefined> {
  const { items } = await cce.listUpgradeClusterTasks({ clusterId });
  return selectLatestCheck(items.filter(isCceUpgradeTaskRunning), {
    targetVersion,
    createdAt: (task) => task.metadata.creationTimestamp,
    targetOf: (task) => task.spec?.targetVersion,
  });
}

/** Runs a fresh precheck for the target (or adopts one already running) and waits for it. */
async function runPrecheck(
  cce: CceClient,
  inputs: CceClusterUpgradeInputs,
  cluster: CceCluster,
): Promise<CcePrecheckTask> {
  const { clusterId, targetVersion } = inputs;
  const running = await findRunningPrecheck(cce, clusterId, targetVersion);
  let taskId: string;
  if (running !== undefined) {
    taskId = running.metadata.uid;
    log("info", `${label(inputs)}: adopting precheck ${taskId} already running for this target`);
  } else {
    const created = await cce.createPreCheck({
      clusterId,
      clusterVersion: cluster.spec.version,
      targetVersion,
    });
    taskId = created.metadata.uid;
    log("info", `${label(inputs)}: started precheck ${taskId}`);
  }
  const timing = waitTiming(inputs.precheckTimeoutMinutes, 30);
  return waitForPrecheck(cce, clusterId, taskId, timing, label(inputs));
}

/** What an upgrade records before it finished (and carries over when it resumes). */
type Progress = Pick<Outputs, "workflowId" | "precheckTaskId" | "fromVersion" | "gate"> & { phase: string };

/** Waits for the upgrade task, then post-checks; returns the outputs. */
async function finishUpgrade(
  cce: CceClient,
  inputs: CceClusterUpgradeInputs,
  taskId: string,
  progress: Progress,
): Promise<PropertyMap> {
  const timing = waitTiming(inputs.waitTimeoutMinutes, DEFAULT_CCE_UPGRADE_TIMEOUT_MINUTES);
  return afterAccepted(
    taskId,
    () => ({ ...inputs, ...progress, upgradeTaskId: taskId }) satisfies Outputs,
    "run `pulumi up` again to resume waiting for it (a failed task must be retried or rolled back in CCE first).",
    async () => {
      const outcome = await waitFor({
        poll: (signal) => cce.showUpgradeClusterTask({ clusterId: inputs.clusterId, taskId }, { signal }),
        classify: (task) => ({ state: upgradeState(task.status.phase), phase: task.status.phase }),
        task: `CCE upgrade task ${taskId} of cluster ${inputs.clusterId} to ${inputs.targetVersion}`,
        ...timing,
        onProgress: (event) => {
          // "Success" is recorded only after the post-check passed (below), so an interruption
          // in between leaves a record that `update` resumes instead of skipping.
          if (event.phase !== undefined && upgradeState(event.phase) !== "success")
            progress.phase = event.phase;
          progressPrinter(label(inputs), timing.deadlineMs)(event);
        },
      });
      const task = outcome.value;
      const cluster = await cce.showCluster({ clusterId: inputs.clusterId });
      const postCheckResult =
        inputs.postCheck === false
          ? undefined
          : {
              clusterVersion: cluster.spec.version,
              clusterPhase: cluster.status?.phase,
              reachedTarget: !isVersionChange(cluster.spec.version, inputs.targetVersion),
            };
      if (postCheckResult !== undefined && !postCheckResult.reachedTarget) {
        throw new Error(
          `${label(inputs)}: upgrade task ${taskId} succeeded but the cluster reports version ${cluster.spec.version}`,
        );
      }
      log("info", `${label(inputs)}: upgrade task ${taskId} finished; cluster on ${cluster.spec.version}`);
      progress.phase = task.status.phase;
      const outputs: Outputs = {
        ...progress,
        upgradeTaskId: taskId,
        clusterVersion: cluster.spec.version,
        startedAt: task.metadata.creationTimestamp,
        completedAt: task.status.completionTime,
        postCheckResult,
      };
      return compact({ ...inputs, ...outputs });
    },
  );
}

async function create(props: PropertyMap): Promise<{ id: string; outs: PropertyMap }> {
  const inputs = parse(props);
  const what = label(inputs);
  return withCce(inputs, { pulumiConfig: configuredSettings().cce }, async (cce) => {
    const { clusterId, targetVersion } = inputs;
    const cluster = await cce.showCluster({ clusterId });
    if (!isVersionChange(cluster.spec.version, targetVersion)) {
      log("info", `${what}: cluster is already on ${cluster.spec.version}; nothing to upgrade`);
      const outputs: Outputs = {
        phase: ALREADY_AT_TARGET,
        fromVersion: cluster.spec.version,
        clusterVersion: cluster.spec.version,
      };
      return { id: `${clusterId}@${targetVersion}`, outs: compact({ ...inputs, ...outputs }) };
    }
    refuseDowngrade(what, cluster.spec.version, targetVersion);
    const running = await findRunningUpgrade(cce, clusterId, targetVersion);
    if (running !== undefined) {
      log("info", `${what}: adopting upgrade task ${running.metadata.uid} already running for this target`);
      const progress: Progress = {
        phase: running.status.phase,
        fromVersion: running.spec?.version ?? cluster.spec.version,
      };
      return {
        id: running.metadata.uid,
        outs: await finishUpgrade(cce, inputs, running.metadata.uid, progress),
      };
    }
    if ((cluster.status?.phase ?? "").toLowerCase() === "upgrading") {
      throw new Error(
        `${what}: the cluster is already upgrading (to another target); not starting a second upgrade`,
      );
    }

    const workflow = await ensureWorkflow(cce, { ...inputs, currentVersion: cluster.spec.version }, what);
    if (inputs.runPrecheck !== false) await runPrecheck(cce, inputs, cluster);
    // The gate reads the facts itself (the fresh precheck is the newest for the target now).
    const decision = await gateCceUpgrade(cce, what, inputs);
    const precheck = primaryCheckOf(decision.snapshot);

    const started = await cce.upgradeCluster({
      clusterId,
      targetVersion,
      ...(inputs.strategy === undefined
        ? {}
        : { strategy: { type: "inPlaceRollingUpdate" as const, inPlaceRollingUpdate: inputs.strategy } }),
      ...(inputs.addons === undefined
        ? {}
        : { addons: inputs.addons.map((addon) => ({ ...addon, operation: "patch" as const })) }),
    });
    const taskId = started.metadata.uid;
    log(
      "info",
      `${what}: started upgrade task ${taskId} (workflow ${workflow.metadata.uid}, precheck ${precheck?.id ?? "none"})` +
        (started.recovered === true ? " (found after the answer was lost; not started twice)" : ""),
    );
    const progress: Progress = {
      workflowId: workflow.metadata.uid,
      ...(precheck === undefined ? {} : { precheckTaskId: precheck.id }),
      fromVersion: cluster.spec.version,
      gate: gateRecord(decision),
      phase: "Init",
    };
    return { id: taskId, outs: await finishUpgrade(cce, inputs, taskId, progress) };
  });
}

async function read(id: string, props?: PropertyMap): Promise<{ id: string; props?: PropertyMap }> {
  const olds = withoutProvider(props);
  const inputs = parse(olds);
  const recorded = readOutputs(cceClusterUpgradeOutputsSchema, olds, RESOURCE);
  return withCce(inputs, { pulumiConfig: configuredSettings().cce }, async (cce) => {
    let cluster: CceCluster;
    try {
      cluster = await cce.showCluster({ clusterId: inputs.clusterId });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      log(
        "warn",
        `${label(inputs)}: cluster ${inputs.clusterId} no longer exists; removing the upgrade from the state`,
      );
      return { id: "" };
    }
    let phase = recorded.phase ?? "Unknown";
    const taskId = recorded.upgradeTaskId;
    if (taskId !== undefined) {
      try {
        phase = (await cce.showUpgradeClusterTask({ clusterId: inputs.clusterId, taskId })).status.phase;
      } catch (error) {
        if (!isNotFound(error)) throw error;
        log(
          "warn",
          `${label(inputs)}: upgrade task ${taskId} no longer exists in CCE; keeping its last phase ${phase}`,
        );
      }
    }
    const leftOn = recorded.clusterVersion;
    const live = cluster.spec.version;
    const settled = !isPendingPhase(phase, [...UPGRADE_FINAL_PHASES, ALREADY_AT_TARGET]);
    let outOfBand: string | undefined;
    if (settled && isVersionChange(live, inputs.targetVersion)) {
      outOfBand = `the cluster is on ${live}, which does not satisfy the target ${inputs.targetVersion}`;
    } else if (settled && leftOn !== undefined && leftOn !== live && !targetMatches(leftOn, live)) {
      outOfBand = `the cluster moved from ${leftOn} to ${live} outside this resource`;
    }
    if (outOfBand !== undefined) log("warn", `${label(inputs)}: ${outOfBand}`);
    const { outOfBand: _previous, ...rest } = olds;
    const refreshed: Outputs = { phase, clusterVersion: live, outOfBand };
    return { id, props: compact({ ...rest, ...refreshed }) };
  });
}

async function update(_id: string, olds: PropertyMap, news: PropertyMap): Promise<{ outs: PropertyMap }> {
  const inputs = parse(news);
  const recorded = readOutputs(cceClusterUpgradeOutputsSchema, olds, RESOURCE);
  const { phase, upgradeTaskId: taskId } = recorded;
  // A finished upgrade records the cluster version after its post-check; without it the
  // post-check (or the wait) never completed, whatever phase an older record says.
  const finished =
    phase === ALREADY_AT_TARGET ||
    (phase !== undefined && upgradeState(phase) === "success" && recorded.clusterVersion !== undefined);
  if (taskId !== undefined && !finished) {
    return withCce(inputs, { pulumiConfig: configuredSettings().cce }, async (cce) => {
      const task = await cce.showUpgradeClusterTask({ clusterId: inputs.clusterId, taskId });
      if (upgradeState(task.status.phase) === "failure") {
        throw new Error(
          `${label(inputs)}: upgrade task ${taskId} failed in CCE. Retry or roll it back in CCE, then run ` +
            "`pulumi refresh`; or replace this resource (`pulumi up --replace <urn>`) to start a new upgrade.",
        );
      }
      log(
        "info",
        `${label(inputs)}: resuming the wait for upgrade task ${taskId} (phase ${task.status.phase})`,
      );
      const { workflowId, precheckTaskId, fromVersion, gate } = recorded;
      const progress: Progress = {
        workflowId,
        precheckTaskId,
        fromVersion,
        gate,
        // "Success" only once the post-check passed (finishUpgrade records it).
        phase: upgradeState(task.status.phase) === "success" ? "Running" : task.status.phase,
      };
      return { outs: await finishUpgrade(cce, inputs, taskId, progress) };
    });
  }
  return { outs: compact(inPlaceOutputs(cceClusterUpgradeInputsSchema, olds, inputs)) };
}

async function remove(id: string, props: PropertyMap): Promise<void> {
  const recorded = readOutputsForDelete(cceClusterUpgradeOutputsSchema, props, RESOURCE, (message) =>
    log("warn", message),
  );
  const phase = recorded.phase ?? "Unknown";
  const version = recorded.clusterVersion ?? "its current version";
  const running = isPendingPhase(phase, [...UPGRADE_FINAL_PHASES, ALREADY_AT_TARGET]);
  log(
    running ? "warn" : "info",
    `${RESOURCE} ${id}: an upgrade cannot be undone; the cluster stays on ${version}` +
      (running ? ` and upgrade task ${id} (phase ${phase}) is left running in CCE` : "") +
      "; removed from the state",
  );
}

/** The `cce.ClusterUpgrade` lifecycle (see the module comment). */
export const cceClusterUpgrade: ResourceLifecycle = {
  check: async (_olds, news) => checkResult(cceClusterUpgradeInputsSchema, news),
  diff: async (_id, olds, news) => diffProperties(olds, news, DIFF),
  create,
  read,
  update,
  delete: remove,
};
