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
// @API CCE POST /api/v3.1/projects/{project_id}/clusters/{cluster_id}/operation/snapshot
// @API CCE GET /api/v3.1/projects/{project_id}/clusters/{cluster_id}/operation/snapshot/tasks
// @API CCE POST /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/postcheck
/**
 * `cce.ClusterUpgrade`: upgrades a CCE cluster the way the vendor orders it (and Huawei's Terraform
 * resource does it): upgrade workflow, pre-upgrade check, the gate, the optional master snapshot,
 * UpgradeCluster, wait, post-check. The lifecycle is the one both clouds share (cluster-upgrade.ts);
 * this module adds CCE's calls and steps:
 *
 * - create: adopts or creates the upgrade workflow and runs a precheck (unless `runPrecheck:
 *   false`) before the gate; with `snapshot: true` backs up the control plane after the gate and
 *   stops, with nothing upgraded, when the snapshot fails (`snapshotResult`); the post-check (unless
 *   `postCheck: false`) confirms the cluster reports the target version and runs CCE's post-upgrade
 *   check (CreatePostCheck), recorded in `postCheckResult`; a failed one stops the `up` and the
 *   next `up` checks again.
 * - diff: cluster, target, region and project replace (a new target is a new upgrade); the upgrade
 *   options and timeouts update in place without effect on an upgrade that already ran;
 *   `currentVersion` and `readiness` are what a policy reads and never cause a change.
 */
import { z } from "zod";
import { type CceCluster } from "../../clients/cce/schemas";
import { isVersionChange } from "../../internal/versions";
import { isCceUpgradeTaskRunning } from "../../readiness/facts";
import { selectLatestCheck } from "../../readiness/latest";
import { startPrecheck, waitForPrecheck } from "./cce-cluster-precheck";
import {
  DEFAULT_SNAPSHOT_TIMEOUT_MINUTES,
  postCheckResultSchema,
  runPostCheck,
  snapshotResultSchema,
  takeMasterSnapshot,
} from "./cce-upgrade-safeguards";
import { DEFAULT_CHECK_TIMEOUT_MINUTES } from "./check-lifecycle";
import { ensureWorkflow } from "./cce-upgrade-workflow";
import { type ClusterView, upgradeLifecycle } from "./cluster-upgrade";
import {
  cceLocationShape,
  kubernetesVersion,
  nonEmpty,
  resourceId,
  waitTiming,
  waitTimeoutMinutes,
  locationOutputShape,
} from "../shared/common";
import { type ResourceLifecycle } from "../shared/types";
import { gateCceUpgrade, gateShape, programViewShape, upgradeOutputsShape } from "./upgrade-gate";

const RESOURCE = "cce.ClusterUpgrade";

/** Inputs of `cce.ClusterUpgrade` (strict). */
export const cceClusterUpgradeInputsSchema = z.strictObject({
  clusterId: resourceId,
  /** The version to upgrade to (`v1.30` or a patch). */
  targetVersion: kubernetesVersion,
  ...programViewShape,
  ...cceLocationShape,
  /** Run a fresh precheck before upgrading (default true); false uses the latest finished one. */
  runPrecheck: z.boolean().optional(),
  /**
   * After the upgrade, confirm the cluster reports the target version and run CCE's post-upgrade
   * check (default true).
   */
  postCheck: z.boolean().optional(),
  /** Back up the control plane (CCE master snapshot) before upgrading (default false). */
  snapshot: z.boolean().optional(),
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
  /** Give up waiting for the master snapshot after this many minutes (default 30). */
  snapshotTimeoutMinutes: waitTimeoutMinutes.optional(),
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
  ...locationOutputShape,
  /** The master snapshot taken before the upgrade (`snapshot: true`). */
  snapshotResult: snapshotResultSchema.optional(),
  /**
   * What the post-check saw: the cluster's version and phase after the upgrade and CCE's
   * post-upgrade check (its task id, phase and message).
   */
  postCheckResult: postCheckResultSchema.optional(),
});
/** Computed outputs of `cce.ClusterUpgrade`, as read back from the state. */
export type CceClusterUpgradeOutputs = z.output<typeof cceClusterUpgradeOutputsSchema>;

const DIFF = {
  replaceOn: ["clusterId", "targetVersion", "region", "projectId"],
  updateOn: [
    "runPrecheck",
    "postCheck",
    "snapshot",
    "strategy",
    "addons",
    "waivers",
    "blockingSeverities",
    "waitTimeoutMinutes",
    "precheckTimeoutMinutes",
    "snapshotTimeoutMinutes",
  ],
} as const;

function upgradeState(phase: string): "success" | "failure" | "pending" {
  if (phase.toLowerCase() === "success") return "success";
  if (phase.toLowerCase() === "failed") return "failure";
  return "pending";
}

function clusterView(cluster: CceCluster): ClusterView {
  return { version: cluster.spec.version, state: cluster.status?.phase };
}

/** The `cce.ClusterUpgrade` lifecycle (see the module comment and cluster-upgrade.ts). */
export const cceClusterUpgrade: ResourceLifecycle = upgradeLifecycle({
  resource: RESOURCE,
  vendor: "CCE",
  inputsSchema: cceClusterUpgradeInputsSchema,
  outputsSchema: cceClusterUpgradeOutputsSchema,
  diff: DIFF,
  keys: { task: "upgradeTaskId", check: "precheckTaskId" },
  words: { status: "phase", unknown: "Unknown", running: "Running", started: "Init", check: "precheck" },
  resumeHint:
    "run `pulumi up` again to resume waiting for it (a failed task must be retried or rolled back in CCE first).",
  readCluster: async (cce, clusterId) => clusterView(await cce.showCluster({ clusterId })),
  readTask: async (cce, { clusterId }, taskId, signal) => {
    const task = await cce.showUpgradeClusterTask(
      { clusterId, taskId },
      signal === undefined ? {} : { signal },
    );
    return {
      phase: task.status.phase,
      startedAt: task.metadata.creationTimestamp,
      completedAt: task.status.completionTime,
    };
  },
  taskState: upgradeState,
  async findRunning(cce, { clusterId, targetVersion }) {
    const { items } = await cce.listUpgradeClusterTasks({ clusterId });
    const running = selectLatestCheck(items.filter(isCceUpgradeTaskRunning), {
      targetVersion,
      createdAt: (task) => task.metadata.creationTimestamp,
      targetOf: (task) => task.spec?.targetVersion,
    });
    return running === undefined
      ? undefined
      : {
          id: running.metadata.uid,
          phase: running.status.phase,
          ...(running.spec?.version === undefined ? {} : { fromVersion: running.spec.version }),
        };
  },
  async prepare(cce, inputs, cluster, what) {
    const workflow = await ensureWorkflow(cce, { ...inputs, currentVersion: cluster.version }, what);
    if (inputs.runPrecheck !== false) {
      // A fresh precheck for the target (or one already running), waited for.
      const taskId = await startPrecheck(cce, { ...inputs, currentVersion: cluster.version }, what);
      const timing = waitTiming(inputs.precheckTimeoutMinutes, DEFAULT_CHECK_TIMEOUT_MINUTES);
      await waitForPrecheck(cce, inputs.clusterId, taskId, timing, what);
    }
    return { workflowId: workflow.metadata.uid };
  },
  gate: gateCceUpgrade,
  async beforeStart(cce, inputs, what) {
    if (inputs.snapshot !== true) return {};
    const timing = waitTiming(inputs.snapshotTimeoutMinutes, DEFAULT_SNAPSHOT_TIMEOUT_MINUTES);
    return { snapshotResult: await takeMasterSnapshot(cce, inputs.clusterId, timing, what) };
  },
  start: async (cce, inputs) => {
    const started = await cce.upgradeCluster({
      clusterId: inputs.clusterId,
      targetVersion: inputs.targetVersion,
      ...(inputs.strategy === undefined
        ? {}
        : { strategy: { type: "inPlaceRollingUpdate" as const, inPlaceRollingUpdate: inputs.strategy } }),
      ...(inputs.addons === undefined
        ? {}
        : { addons: inputs.addons.map((addon) => ({ ...addon, operation: "patch" as const })) }),
    });
    return { id: started.metadata.uid, recovered: started.recovered };
  },
  async postCheck(cce, inputs, cluster, fromVersion, what) {
    if (inputs.postCheck === false) return { reached: true };
    const reachedTarget = !isVersionChange(cluster.version, inputs.targetVersion);
    const seen = { clusterVersion: cluster.version, clusterPhase: cluster.state, reachedTarget };
    if (!reachedTarget) return { reached: false, record: { postCheckResult: seen } };
    const vendor = await runPostCheck(cce, {
      clusterId: inputs.clusterId,
      fromVersion,
      targetVersion: cluster.version,
    });
    const record = {
      postCheckResult: { ...seen, taskId: vendor.taskId, phase: vendor.phase, message: vendor.message },
    };
    if (vendor.passed) return { reached: true, record };
    return {
      reached: true,
      record,
      failure:
        `${what}: the upgrade finished and the cluster runs ${cluster.version}, but CCE's post-upgrade ` +
        `check ${vendor.taskId ?? "(no id)"} answered ${vendor.phase}` +
        `${vendor.message === undefined ? "" : `: ${vendor.message}`}. Inspect the cluster (the ` +
        "upgrade workflow's PostCheck point in the CCE console), fix what it names, then run `pulumi up` " +
        "to check again; or set `postCheck: false` to accept the upgrade without it.",
    };
  },
  satisfiesTarget: (inputs, version) => !isVersionChange(version, inputs.targetVersion),
  clusterRecord: () => ({}),
  failedMessage: (what, taskId) =>
    `${what}: upgrade task ${taskId} failed in CCE. Retry or roll it back in CCE, then run ` +
    "`pulumi refresh`; or replace this resource (`pulumi up --replace <urn>`) to start a new upgrade.",
});
