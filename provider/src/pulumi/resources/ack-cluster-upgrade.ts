// @API ACK GET /clusters/{ClusterId}
// @API ACK POST /clusters/{cluster_id}/checks
// @API ACK GET /clusters/{cluster_id}/checks
// @API ACK GET /clusters/{cluster_id}/checks/{check_id}
// @API ACK GET /clusters/{cluster_id}/tasks
// @API ACK POST /api/v2/clusters/{ClusterId}/upgrade
// @API ACK GET /tasks/{task_id}
// @API ACK POST /tasks/{task_id}/cancel
/**
 * `ack.ClusterUpgrade`: upgrades an ACK cluster with UpgradeCluster (`next_version`), tracked
 * through DescribeTaskInfo. The lifecycle is the one both clouds share (cluster-upgrade.ts); this
 * module adds ACK's calls and steps:
 *
 * - create: runs a `ClusterUpgrade` cluster check (unless `runCheck: false`) before the gate; a
 *   `masterOnly` upgrade is not expected to move the cluster's reported version. When the task
 *   fails it is cancelled (CancelTask, unless `cancelOnFailure` is false) and the `up` fails with
 *   nothing left running, so the next `up` starts afresh (through the gate); the same when a
 *   resumed wait (`update`) finds or sees the task fail.
 * - diff: cluster, target, `masterOnly` and region replace; options and timeouts update in place;
 *   `currentVersion` and `readiness` never cause a change.
 */
import { z } from "zod";
import { type AckClusterDetail } from "../../clients/ack/schemas";
import { readAllAckClusterTasks } from "../../clients/ack/task-pages";
import { isVersionChange, targetMatches } from "../../internal/versions";
import { ackTaskPollState, ackTaskTarget, isAckTaskRunning } from "../../readiness/facts";
import { startAckCheck, waitForAckCheck } from "./ack-cluster-check";
import { DEFAULT_CHECK_TIMEOUT_MINUTES } from "./check-lifecycle";
import { type ClusterView, upgradeLifecycle } from "./cluster-upgrade";
import {
  ackLocationShape,
  kubernetesVersion,
  newestFirst,
  resourceId,
  waitTiming,
  waitTimeoutMinutes,
  locationOutputShape,
} from "../shared/common";
import { log } from "../shared/log";
import { type ResourceLifecycle } from "../shared/types";
import { gateAckUpgrade, gateShape, programViewShape, upgradeOutputsShape } from "./upgrade-gate";

const RESOURCE = "ack.ClusterUpgrade";

/** Inputs of `ack.ClusterUpgrade` (strict). */
export const ackClusterUpgradeInputsSchema = z.strictObject({
  clusterId: resourceId,
  /** The version to upgrade to, e.g. `1.32.1-aliyun.1` (sent as `next_version`). */
  targetVersion: kubernetesVersion,
  ...programViewShape,
  ...ackLocationShape,
  /** Upgrade the control plane only (`master_only`). */
  masterOnly: z.boolean().optional(),
  /** Run a fresh ClusterUpgrade check before upgrading (default true); false judges the latest one (a running one blocks). */
  runCheck: z.boolean().optional(),
  /** Cancel the task when it fails (default true), so nothing is left half-done and running. */
  cancelOnFailure: z.boolean().optional(),
  ...gateShape,
  /** Give up waiting for the upgrade after this many minutes (default 180). */
  waitTimeoutMinutes: waitTimeoutMinutes.optional(),
  /** Give up waiting for the check after this many minutes (default 30). */
  checkTimeoutMinutes: waitTimeoutMinutes.optional(),
});
/** Inputs of `ack.ClusterUpgrade`, parsed. */
export type AckClusterUpgradeInputs = z.output<typeof ackClusterUpgradeInputsSchema>;

/**
 * Computed outputs of `ack.ClusterUpgrade` (the state holds them next to the inputs). Loose and all
 * optional: an interrupted create records only the task id and what it knew, and state written by
 * other versions must still read.
 */
export const ackClusterUpgradeOutputsSchema = z.looseObject({
  /** The ACK upgrade task id (the resource id, unless nothing had to be upgraded). */
  taskId: z.string().optional(),
  /** The check the gate decided on. */
  checkId: z.string().optional(),
  ...upgradeOutputsShape,
  ...locationOutputShape,
  /** The cluster's state as ACK reports it (`running`, `upgrading`, ...). */
  clusterState: z.string().optional(),
});
/** Computed outputs of `ack.ClusterUpgrade`, as read back from the state. */
export type AckClusterUpgradeOutputs = z.output<typeof ackClusterUpgradeOutputsSchema>;

const DIFF = {
  replaceOn: ["clusterId", "targetVersion", "masterOnly", "region"],
  updateOn: [
    "runCheck",
    "cancelOnFailure",
    "waivers",
    "blockingSeverities",
    "waitTimeoutMinutes",
    "checkTimeoutMinutes",
  ],
} as const;

/** The cluster as the lifecycle sees it, with ACK's detail (the check reads `next_version`). */
interface AckCluster extends ClusterView {
  readonly detail: AckClusterDetail;
}

function clusterView(detail: AckClusterDetail): AckCluster {
  return { version: detail.current_version, state: detail.state, detail };
}

/** The `ack.ClusterUpgrade` lifecycle (see the module comment and cluster-upgrade.ts). */
export const ackClusterUpgrade: ResourceLifecycle = upgradeLifecycle({
  resource: RESOURCE,
  vendor: "ACK",
  inputsSchema: ackClusterUpgradeInputsSchema,
  outputsSchema: ackClusterUpgradeOutputsSchema,
  diff: DIFF,
  keys: { task: "taskId", check: "checkId" },
  words: { status: "state", unknown: "unknown", running: "running", started: "running", check: "check" },
  resumeHint: "run `pulumi up` again to resume waiting for it.",
  readCluster: async (ack, clusterId) => clusterView(await ack.describeClusterDetail({ clusterId })),
  readTask: async (ack, _inputs, taskId, signal) => {
    const task = await ack.describeTaskInfo({ taskId }, signal === undefined ? {} : { signal });
    return { phase: task.state, startedAt: task.created, completedAt: task.updated };
  },
  taskState: ackTaskPollState,
  async findRunning(ack, { clusterId, targetVersion }) {
    const { tasks } = await readAllAckClusterTasks((args) => ack.describeClusterTasks(args), clusterId);
    const candidates = tasks
      .filter((task) => isAckTaskRunning(task.state))
      // A node pool's upgrade task (nodepool_upgrade) is not the cluster's.
      .filter(
        (task) =>
          task.task_type === undefined ||
          (/upgrade/i.test(task.task_type) && !/nodepool/i.test(task.task_type)),
      );
    for (const candidate of newestFirst(candidates, (task) => task.created)) {
      const info = await ack.describeTaskInfo({ taskId: candidate.task_id });
      const target = ackTaskTarget(info);
      if (target === undefined || targetMatches(targetVersion, target))
        return { id: info.task_id, phase: info.state };
    }
    return undefined;
  },
  async prepare(ack, inputs, cluster, what) {
    if (inputs.runCheck === false) return {};
    const { clusterId, targetVersion } = inputs;
    const check = { clusterId, type: "ClusterUpgrade" as const, targetVersion };
    const checkId = await startAckCheck(ack, check, cluster.detail, what);
    const timing = waitTiming(inputs.checkTimeoutMinutes, DEFAULT_CHECK_TIMEOUT_MINUTES);
    await waitForAckCheck(ack, clusterId, checkId, timing, what);
    return {};
  },
  gate: gateAckUpgrade,
  start: async (ack, inputs) => {
    const started = await ack.upgradeCluster({
      clusterId: inputs.clusterId,
      nextVersion: inputs.targetVersion,
      ...(inputs.masterOnly === undefined ? {} : { masterOnly: inputs.masterOnly }),
    });
    return { id: started.task_id, recovered: started.recovered };
  },
  async onTaskFailed(ack, inputs, taskId, what) {
    const failed = await ack.describeTaskInfo({ taskId });
    const said = failed.error?.message === undefined ? "" : `: ${failed.error.message}`;
    if (failed.state === "canceled") return `upgrade task ${taskId} was cancelled${said}`;
    if (inputs.cancelOnFailure === false || ackTaskPollState(failed.state) !== "failure") return undefined;
    // Terraform's habit (docs/ack.md#upgrade-and-task-tracking): cancel a failed upgrade so nothing
    // is left half-done. ACK may answer that a finished task cannot be cancelled; then nothing runs.
    const cancelled = await ack.cancelTask({ taskId }).then(
      () => "It was cancelled",
      (cancelError: unknown) => {
        const category = (cancelError as { category?: string }).category;
        if (category !== "invalid" && category !== "conflict") throw cancelError;
        return "ACK reports it finished (it cannot be cancelled)";
      },
    );
    log("warn", `${what}: upgrade task ${taskId} failed${said}; ${cancelled.toLowerCase()}`);
    return `upgrade task ${taskId} failed${said}. ${cancelled}`;
  },
  postCheck: async (_ack, inputs, cluster) => ({
    reached: inputs.masterOnly === true || !isVersionChange(cluster.version, inputs.targetVersion),
  }),
  satisfiesTarget: (inputs, version) =>
    inputs.masterOnly === true || !isVersionChange(version, inputs.targetVersion),
  clusterRecord: (cluster) => ({ clusterState: cluster.state }),
  failedMessage: (what, taskId, state) =>
    `${what}: upgrade task ${taskId} ended ${state} in ACK. Replace this resource ` +
    "(`pulumi up --replace <urn>`) to start a new upgrade once the cause is fixed.",
});
