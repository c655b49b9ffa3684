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
 * through DescribeTaskInfo.
 *
 * - create: when the cluster already satisfies the target, nothing is started (`AlreadyAtTarget`);
 *   a target older than the cluster is refused before any vendor call.
 *   When an upgrade task for the target is already running (a retried create), it is adopted.
 *   Otherwise: run a `ClusterUpgrade` cluster check (unless `runCheck: false`); read the facts with
 *   the one facts gatherer (latest upgrade check for the target, upgrades in flight), evaluate them
 *   and REFUSE to start when they block; start the upgrade; wait; confirm
 *   the cluster reports the target. When the task fails it is cancelled (CancelTask, unless
 *   `cancelOnFailure` is false) and the create fails with nothing left running, so the next `up`
 *   starts afresh; any other failure after ACK accepted the task records the resource with the task
 *   id and the next `up` resumes the wait.
 * - diff: cluster, target, `masterOnly` and region replace; options and timeouts update in place;
 *   `currentVersion` and `readiness` never cause a change.
 * - read: re-reads the task and the cluster; out-of-band version changes are reported in
 *   `outOfBand` and the log; a vanished cluster removes the resource.
 * - delete: an upgrade cannot be undone; the resource leaves the state (a running task is left
 *   running, and the log says so).
 */
import { z } from "zod";
import { type AckClient } from "../../clients/ack/client";
import { type AckClusterCheck, type AckClusterDetail, type AckTaskInfo } from "../../clients/ack/schemas";
import { primaryCheckOf, readinessSummarySchema } from "../../readiness/summary";
import { isVersionChange, targetMatches } from "../../internal/versions";
import { ackTaskTarget, isAckTaskRunning } from "../../readiness/facts";
import { waitFor } from "../../readiness/waiter";
import { startAckCheck, waitForAckCheck } from "./ack-cluster-check";
import {
  ackLocationShape,
  afterAccepted,
  compact,
  isNotFound,
  isPendingPhase,
  kubernetesVersion,
  NothingToRecord,
  refuseDowngrade,
  resourceId,
  waitTiming,
  waitTimeoutMinutes,
  withAck,
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
import { gateAckUpgrade, gateRecord, gateShape, upgradeOutputsShape } from "./upgrade-gate";

const RESOURCE = "ack.ClusterUpgrade";
/** Default deadline of the upgrade wait, in minutes. */
export const DEFAULT_ACK_UPGRADE_TIMEOUT_MINUTES = 180;
const ALREADY_AT_TARGET = "AlreadyAtTarget";
const TASK_FINAL_STATES = ["success", "fail", "canceled"];

/** Inputs of `ack.ClusterUpgrade` (strict). */
export const ackClusterUpgradeInputsSchema = z.strictObject({
  clusterId: resourceId,
  /** The version to upgrade to, e.g. `1.32.1-aliyun.1` (sent as `next_version`). */
  targetVersion: kubernetesVersion,
  /** The cluster's version as the program saw it (for policies; filled in by the SDK). */
  currentVersion: kubernetesVersion.optional(),
  /**
   * The readiness the program saw (for policies; filled in by the SDK). Lenient: it may come from a
   * stack written by another SDK version, and the gate decides on live data anyway.
   */
  readiness: z.looseObject(readinessSummarySchema.shape).optional(),
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
  /** The cluster's state as ACK reports it (`running`, `upgrading`, ...). */
  clusterState: z.string().optional(),
});
/** Computed outputs of `ack.ClusterUpgrade`, as read back from the state. */
export type AckClusterUpgradeOutputs = z.output<typeof ackClusterUpgradeOutputsSchema>;
type Outputs = Written<typeof ackClusterUpgradeOutputsSchema>;

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

function parse(props: PropertyMap): AckClusterUpgradeInputs {
  return parseInputs(ackClusterUpgradeInputsSchema, props, RESOURCE);
}

function label(inputs: AckClusterUpgradeInputs): string {
  return `${RESOURCE} ${inputs.clusterId} -> ${inputs.targetVersion}`;
}

function taskState(state: string): "success" | "failure" | "pending" {
  const word = state.toLowerCase();
  if (word === "success") return "success";
  if (word === "fail" || word === "failed" || word === "canceled" || word === "cancelled") return "failure";
  return "pending";
}

/** A running upgrade task of the cluster for the target, if one exists. */
async function findRunningUpgrade(
  ack: AckClient,
  clusterId: string,
  targetVersion: string,
): Promise<AckTaskInfo | undefined> {
  const { tasks } = await ack.describeClusterTasks({ clusterId });
  const candidates = tasks
    .filter((task) => isAckTaskRunning(task.state))
    .filter((task) => task.task_type === undefined || /upgrade/i.test(task.task_type))
    .sort((a, b) => (b.created ?? "").localeCompare(a.created ?? ""));
  for (const candidate of candidates) {
    const info = await ack.describeTaskInfo({ taskId: candidate.task_id });
    const target = ackTaskTarget(info);
    if (target === undefined || targetMatches(targetVersion, target)) return info;
  }
  return undefined;
}

/** Runs a fresh ClusterUpgrade check for the target (or adopts a running one) and waits for it. */
async function runCheck(
  ack: AckClient,
  inputs: AckClusterUpgradeInputs,
  cluster: AckClusterDetail,
): Promise<AckClusterCheck> {
  const what = label(inputs);
  const checkId = await startAckCheck(
    ack,
    { clusterId: inputs.clusterId, type: "ClusterUpgrade", targetVersion: inputs.targetVersion },
    cluster,
    what,
  );
  return waitForAckCheck(ack, inputs.clusterId, checkId, waitTiming(inputs.checkTimeoutMinutes, 30), what);
}

/** What an upgrade records before it finished (and carries over when it resumes). */
type Progress = Pick<Outputs, "checkId" | "fromVersion" | "gate"> & { phase: string };

async function finishUpgrade(
  ack: AckClient,
  inputs: AckClusterUpgradeInputs,
  taskId: string,
  progress: Progress,
): Promise<PropertyMap> {
  const timing = waitTiming(inputs.waitTimeoutMinutes, DEFAULT_ACK_UPGRADE_TIMEOUT_MINUTES);
  const what = label(inputs);
  return afterAccepted(
    taskId,
    () => ({ ...inputs, ...progress, taskId }) satisfies Outputs,
    "run `pulumi up` again to resume waiting for it.",
    async () => {
      let task: AckTaskInfo;
      try {
        const outcome = await waitFor({
          poll: (signal) => ack.describeTaskInfo({ taskId }, { signal }),
          classify: (info) => ({ state: taskState(info.state), phase: info.state }),
          task: `ACK upgrade task ${taskId} of cluster ${inputs.clusterId} to ${inputs.targetVersion}`,
          ...timing,
          onProgress: (event) => {
            if (event.phase !== undefined) progress.phase = event.phase;
            progressPrinter(what, timing.deadlineMs)(event);
          },
        });
        task = outcome.value;
      } catch (error) {
        if ((error as { code?: string }).code !== "WAIT_FAILED") throw error;
        const failed = await ack.describeTaskInfo({ taskId });
        const said = failed.error?.message === undefined ? "" : `: ${failed.error.message}`;
        if (
          inputs.cancelOnFailure !== false &&
          taskState(failed.state) === "failure" &&
          failed.state !== "canceled"
        ) {
          // TF's habit (docs/ack.md#upgrade-and-task-tracking): cancel a failed upgrade so nothing is left half-done. ACK may
          // answer that a finished task cannot be cancelled; then nothing is running either.
          const cancelled = await ack.cancelTask({ taskId }).then(
            () => "It was cancelled",
            (cancelError: unknown) => {
              const category = (cancelError as { category?: string }).category;
              if (category !== "invalid" && category !== "conflict") throw cancelError;
              return "ACK reports it finished (it cannot be cancelled)";
            },
          );
          log("warn", `${what}: upgrade task ${taskId} failed${said}; ${cancelled.toLowerCase()}`);
          throw new NothingToRecord(
            new Error(
              `${what}: upgrade task ${taskId} failed${said}. ${cancelled}, so nothing is left running; ` +
                "fix the cause and run `pulumi up` again.",
            ),
          );
        }
        if (failed.state === "canceled")
          throw new NothingToRecord(
            new Error(`${what}: upgrade task ${taskId} was cancelled${said}; nothing is left running.`),
          );
        throw error;
      }
      progress.phase = task.state;
      const cluster = await ack.describeClusterDetail({ clusterId: inputs.clusterId });
      if (inputs.masterOnly !== true && isVersionChange(cluster.current_version, inputs.targetVersion)) {
        throw new Error(
          `${what}: upgrade task ${taskId} succeeded but the cluster reports version ${cluster.current_version}`,
        );
      }
      log("info", `${what}: upgrade task ${taskId} finished; cluster on ${cluster.current_version}`);
      const outputs: Outputs = {
        ...progress,
        taskId,
        phase: task.state,
        clusterVersion: cluster.current_version,
        clusterState: cluster.state,
        startedAt: task.created,
        completedAt: task.updated,
      };
      return compact({ ...inputs, ...outputs });
    },
  );
}

async function create(props: PropertyMap): Promise<{ id: string; outs: PropertyMap }> {
  const inputs = parse(props);
  const what = label(inputs);
  return withAck(inputs, { pulumiConfig: configuredSettings().ack }, async (ack) => {
    const { clusterId, targetVersion } = inputs;
    const cluster = await ack.describeClusterDetail({ clusterId });
    if (!isVersionChange(cluster.current_version, targetVersion)) {
      log("info", `${what}: cluster is already on ${cluster.current_version}; nothing to upgrade`);
      const outputs: Outputs = {
        phase: ALREADY_AT_TARGET,
        fromVersion: cluster.current_version,
        clusterVersion: cluster.current_version,
      };
      return { id: `${clusterId}@${targetVersion}`, outs: compact({ ...inputs, ...outputs }) };
    }
    refuseDowngrade(what, cluster.current_version, targetVersion);
    const running = await findRunningUpgrade(ack, clusterId, targetVersion);
    if (running !== undefined) {
      log("info", `${what}: adopting upgrade task ${running.task_id} already running for this target`);
      return {
        id: running.task_id,
        outs: await finishUpgrade(ack, inputs, running.task_id, {
          phase: running.state,
          fromVersion: cluster.current_version,
        }),
      };
    }
    if ((cluster.state ?? "").toLowerCase() === "upgrading") {
      throw new Error(
        `${what}: the cluster is already upgrading (no task for this target found); not starting a second upgrade`,
      );
    }

    if (inputs.runCheck !== false) await runCheck(ack, inputs, cluster);
    // The gate reads the facts itself (the fresh check is the newest for the target now).
    const decision = await gateAckUpgrade(ack, what, inputs);
    const check = primaryCheckOf(decision.snapshot);

    const started = await ack.upgradeCluster({
      clusterId,
      nextVersion: targetVersion,
      ...(inputs.masterOnly === undefined ? {} : { masterOnly: inputs.masterOnly }),
    });
    log(
      "info",
      `${what}: started upgrade task ${started.task_id} (check ${check?.id ?? "none"})` +
        (started.recovered === true ? " (found after the answer was lost; not started twice)" : ""),
    );
    const progress: Progress = {
      ...(check === undefined ? {} : { checkId: check.id }),
      fromVersion: cluster.current_version,
      gate: gateRecord(decision),
      phase: "running",
    };
    return { id: started.task_id, outs: await finishUpgrade(ack, inputs, started.task_id, progress) };
  });
}

async function read(id: string, props?: PropertyMap): Promise<{ id: string; props?: PropertyMap }> {
  const olds = withoutProvider(props);
  const inputs = parse(olds);
  const recorded = readOutputs(ackClusterUpgradeOutputsSchema, olds, RESOURCE);
  return withAck(inputs, { pulumiConfig: configuredSettings().ack }, async (ack) => {
    let cluster: AckClusterDetail;
    try {
      cluster = await ack.describeClusterDetail({ clusterId: inputs.clusterId });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      log(
        "warn",
        `${label(inputs)}: cluster ${inputs.clusterId} no longer exists; removing the upgrade from the state`,
      );
      return { id: "" };
    }
    let phase = recorded.phase ?? "unknown";
    const { taskId } = recorded;
    if (taskId !== undefined) {
      try {
        phase = (await ack.describeTaskInfo({ taskId })).state;
      } catch (error) {
        if (!isNotFound(error)) throw error;
        log(
          "warn",
          `${label(inputs)}: upgrade task ${taskId} no longer exists in ACK; keeping its last state ${phase}`,
        );
      }
    }
    const live = cluster.current_version;
    const leftOn = recorded.clusterVersion;
    const settled = phase === ALREADY_AT_TARGET || taskState(phase) !== "pending";
    let outOfBand: string | undefined;
    if (settled && inputs.masterOnly !== true && isVersionChange(live, inputs.targetVersion)) {
      outOfBand = `the cluster is on ${live}, which does not satisfy the target ${inputs.targetVersion}`;
    } else if (settled && leftOn !== undefined && leftOn !== live && !targetMatches(leftOn, live)) {
      outOfBand = `the cluster moved from ${leftOn} to ${live} outside this resource`;
    }
    if (outOfBand !== undefined) log("warn", `${label(inputs)}: ${outOfBand}`);
    const { outOfBand: _previous, ...rest } = olds;
    const refreshed: Outputs = { phase, clusterVersion: live, clusterState: cluster.state, outOfBand };
    return { id, props: compact({ ...rest, ...refreshed }) };
  });
}

async function update(_id: string, olds: PropertyMap, news: PropertyMap): Promise<{ outs: PropertyMap }> {
  const inputs = parse(news);
  const recorded = readOutputs(ackClusterUpgradeOutputsSchema, olds, RESOURCE);
  const { phase, taskId } = recorded;
  if (
    taskId !== undefined &&
    phase !== ALREADY_AT_TARGET &&
    (phase === undefined || isPendingPhase(phase, TASK_FINAL_STATES) || recorded.clusterVersion === undefined)
  ) {
    return withAck(inputs, { pulumiConfig: configuredSettings().ack }, async (ack) => {
      const task = await ack.describeTaskInfo({ taskId });
      if (taskState(task.state) === "failure") {
        throw new Error(
          `${label(inputs)}: upgrade task ${taskId} ended ${task.state} in ACK. Replace this resource ` +
            "(`pulumi up --replace <urn>`) to start a new upgrade once the cause is fixed.",
        );
      }
      log("info", `${label(inputs)}: resuming the wait for upgrade task ${taskId} (state ${task.state})`);
      const { checkId, fromVersion, gate } = recorded;
      const progress: Progress = { checkId, fromVersion, gate, phase: task.state };
      return { outs: await finishUpgrade(ack, inputs, taskId, progress) };
    });
  }
  return { outs: compact(inPlaceOutputs(ackClusterUpgradeInputsSchema, olds, inputs)) };
}

async function remove(id: string, props: PropertyMap): Promise<void> {
  const recorded = readOutputsForDelete(ackClusterUpgradeOutputsSchema, props, RESOURCE, (message) =>
    log("warn", message),
  );
  const phase = recorded.phase ?? "unknown";
  const version = recorded.clusterVersion ?? "its current version";
  const running = phase !== ALREADY_AT_TARGET && taskState(phase) === "pending";
  log(
    running ? "warn" : "info",
    `${RESOURCE} ${id}: an upgrade cannot be undone; the cluster stays on ${version}` +
      (running ? ` and upgrade task ${id} (state ${phase}) is left running in ACK` : "") +
      "; removed from the state",
  );
}

/** The `ack.ClusterUpgrade` lifecycle (see the module comment). */
export const ackClusterUpgrade: ResourceLifecycle = {
  check: async (_olds, news) => checkResult(ackClusterUpgradeInputsSchema, news),
  diff: async (_id, olds, news) => diffProperties(olds, news, DIFF),
  create,
  read,
  update,
  delete: remove,
};
