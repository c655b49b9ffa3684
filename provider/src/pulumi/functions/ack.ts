// @API ACK GET /clusters/{ClusterId}
// @API ACK GET /clusters/{cluster_id}/checks
// @API ACK GET /clusters/{cluster_id}/checks/{check_id}
// @API ACK GET /api/v2/clusters/{ClusterId}/upgrade/status
// @API ACK GET /tasks/{task_id}
/**
 * ACK data functions: read-only lookups of cluster checks, upgrade status and tasks, normalized
 * (camelCase, ISO timestamps, findings in the readiness model).
 */
import { z } from "zod";
import {
  type AckClusterCheck,
  type AckClusterCheckSummary,
  type AckTaskInfo,
} from "../../clients/ack/schemas";
import { ackCheckFindings, ackCheckRef, ackCheckState } from "../../readiness/from-ack";
import { type CheckState, type Finding, type WorstSeverity } from "../../readiness/model";
import { readAllAckClusterTasks } from "../../clients/ack/task-pages";
import { ackLastUpgradeKnown, lastAckUpgradeAt, latestAckCheck, recordedTarget } from "../../readiness/facts";
import {
  ackLocationShape,
  compact,
  findingsOutputs,
  type FindingCounts,
  kubernetesVersion,
  newestFirst,
  resourceId,
  withVendor,
} from "../shared/common";
import { cloudFunction, dataFunction, type DataFunction, freshNow } from "./context";

const checkTypes = z.enum(["ClusterMigrate", "MasterUpgrade", "NodePoolUpgrade", "ClusterUpgrade"]);

/** An ACK cluster check as ListClusterChecks reports it (no items). */
export interface AckCheckSummaryResult {
  /** The check id. */
  readonly checkId: string;
  /** The check type (`ClusterUpgrade`, `MasterUpgrade`, `NodePoolUpgrade`, ...). */
  readonly type?: string;
  /** Vendor status: `Succeeded`, `Failed` (found problems) or a running value. */
  readonly status: string;
  /** Normalized: pending, passed, failed (problems found) or error. */
  readonly state: CheckState;
  /** ACK's message on the check, if any. */
  readonly message?: string;
  /** When ACK created the check (ISO 8601 UTC). */
  readonly createdAt?: string;
  /** When the check finished (ISO 8601 UTC). */
  readonly finishedAt?: string;
  /** The target the check was run for, when ACK records it (`options.next_version`). */
  readonly targetVersion?: string;
}

/** An ACK cluster check with its items mapped to findings (GetClusterCheck). */
export interface AckCheckResult extends AckCheckSummaryResult {
  /** The ACK cluster id. */
  readonly clusterId: string;
  /** Every check item, in the readiness model (see provider/src/readiness/from-ack.ts). */
  readonly findings: Finding[];
  /** The worst severity among the present findings, or `none`. */
  readonly worstSeverity: WorstSeverity;
  /** Present findings per severity. */
  readonly findingCounts: FindingCounts;
  /** The vendor's `check_items` as received (category → items). */
  readonly checkItems: Record<string, unknown[]>;
}

/** Normalizes a listed check. */
export function checkSummaryResult(check: AckClusterCheckSummary): AckCheckSummaryResult {
  return compact({
    checkId: check.check_id,
    type: check.type,
    status: check.status,
    state: ackCheckState(check.status),
    message: check.message,
    createdAt: check.created_at,
    finishedAt: check.finished_at,
    targetVersion: recordedTarget(check),
  });
}

/** Normalizes a check with items. */
export function checkResult(clusterId: string, check: AckClusterCheck): AckCheckResult {
  return compact({
    ...checkSummaryResult(check),
    clusterId,
    ...findingsOutputs(ackCheckFindings(check)),
    checkItems: check.check_items as Record<string, unknown[]>,
  });
}

/** Arguments of `getClusterCheck`. */
export const getClusterCheckArgs = z.strictObject({
  clusterId: resourceId,
  checkId: resourceId,
  ...ackLocationShape,
});
/** Arguments of `getClusterCheck`. */
export type GetClusterCheckArgs = z.input<typeof getClusterCheckArgs>;

/** ACK GetClusterCheck: one cluster check with its items. */
export const getClusterCheck: DataFunction<GetClusterCheckArgs, AckCheckResult> = cloudFunction(
  "ACK",
  "ack.getClusterCheck",
  getClusterCheckArgs,
  async (ack, { clusterId, checkId }) =>
    checkResult(clusterId, await ack.getClusterCheck({ clusterId, checkId })),
);

/** Arguments of `getClusterChecks`. */
export const getClusterChecksArgs = z.strictObject({
  clusterId: resourceId,
  type: checkTypes.optional(),
  /** Node pool id, for `NodePoolUpgrade` checks. */
  nodePoolId: resourceId.optional(),
  ...ackLocationShape,
});
/** Arguments of `getClusterChecks`. */
export type GetClusterChecksArgs = z.input<typeof getClusterChecksArgs>;

/** Result of `getClusterChecks`. */
export interface GetClusterChecksResult {
  /** The ACK cluster id. */
  readonly clusterId: string;
  /** Newest first. */
  readonly checks: AckCheckSummaryResult[];
}

/** ACK ListClusterChecks: the cluster's checks (without items), newest first. */
export const getClusterChecks: DataFunction<GetClusterChecksArgs, GetClusterChecksResult> = cloudFunction(
  "ACK",
  "ack.getClusterChecks",
  getClusterChecksArgs,
  async (ack, a) => {
    const { checks } = await ack.listClusterChecks({
      clusterId: a.clusterId,
      ...(a.type === undefined ? {} : { type: a.type }),
      ...(a.nodePoolId === undefined ? {} : { target: a.nodePoolId }),
    });
    const sorted = newestFirst(checks, (check) => check.created_at);
    return { clusterId: a.clusterId, checks: sorted.map(checkSummaryResult) };
  },
);

/** Arguments of `getLatestClusterCheck`. */
export const getLatestClusterCheckArgs = z.strictObject({
  clusterId: resourceId,
  /** The target version; default the cluster's `next_version`. */
  targetVersion: kubernetesVersion.optional(),
  /** Check type (default `ClusterUpgrade`). */
  type: checkTypes.optional(),
  /** Only finished checks (default false: a running check is the latest). */
  finishedOnly: z.boolean().optional(),
  ...ackLocationShape,
});
/** Arguments of `getLatestClusterCheck`. */
export type GetLatestClusterCheckArgs = z.input<typeof getLatestClusterCheckArgs>;

/** Result of `getLatestClusterCheck`. */
export interface GetLatestClusterCheckResult {
  /** The ACK cluster id. */
  readonly clusterId: string;
  /** The target looked for (the argument, or the cluster's `next_version`). */
  readonly targetVersion?: string;
  /** Absent when there is no such check. */
  readonly check?: AckCheckResult;
  /** Finished and younger than the default maximum age (ACK gives no expiry). */
  readonly fresh: boolean;
}

/**
 * The newest ACK cluster check of a type for a target. ACK lists do not always record a check's
 * target; such a check counts only when the target is the cluster's `next_version`, the only
 * version ACK upgrades to, and it was made after the cluster's last upgrade task (the gatherer's
 * rule, `latestAckCheck`); when the cluster's tasks cannot all be listed, or an upgrade task has
 * no readable time, it does not count.
 */
export const getLatestClusterCheck: DataFunction<GetLatestClusterCheckArgs, GetLatestClusterCheckResult> =
  cloudFunction("ACK", "ack.getLatestClusterCheck", getLatestClusterCheckArgs, async (ack, a) => {
    const type = a.type ?? "ClusterUpgrade";
    const cluster = await ack.describeClusterDetail({ clusterId: a.clusterId });
    const targetVersion = a.targetVersion ?? (cluster.next_version === "" ? undefined : cluster.next_version);
    const [{ checks }, listing] = await Promise.all([
      ack.listClusterChecks({ clusterId: a.clusterId, type }),
      readAllAckClusterTasks((args) => ack.describeClusterTasks(args), a.clusterId),
    ]);
    const finished =
      a.finishedOnly === true ? checks.filter((check) => ackCheckState(check.status) !== "pending") : checks;
    // Tasks not all read: the last upgrade may be unseen, so only checks recording a target count.
    const found = ackLastUpgradeKnown(listing)
      ? finished
      : finished.filter((check) => recordedTarget(check) !== undefined);
    const latest = latestAckCheck(found, type, targetVersion, cluster, lastAckUpgradeAt(listing.tasks));
    const base = { clusterId: a.clusterId, ...(targetVersion === undefined ? {} : { targetVersion }) };
    if (latest === undefined) return { ...base, fresh: false };
    const full = await ack.getClusterCheck({ clusterId: a.clusterId, checkId: latest.check_id });
    return { ...base, check: checkResult(a.clusterId, full), fresh: freshNow(ackCheckRef(full)) };
  });

/** Arguments of `getUpgradeStatus`. */
export const getUpgradeStatusArgs = z.strictObject({ clusterId: resourceId, ...ackLocationShape });
/** Arguments of `getUpgradeStatus`. */
export type GetUpgradeStatusArgs = z.input<typeof getUpgradeStatusArgs>;

/** Result of `getUpgradeStatus` (GetUpgradeStatus, normalized). */
export interface GetUpgradeStatusResult {
  /** The ACK cluster id. */
  readonly clusterId: string;
  /** `success` | `fail` | `pause` | `running`. */
  readonly status: string;
  /** `not_start` | `prechecking` | `upgrading` | `pause` | `success`. */
  readonly upgradeStep?: string;
  /** ACK's error message, when the upgrade failed. */
  readonly errorMessage?: string;
  /** The id of the precheck report ACK made for the upgrade. */
  readonly precheckReportId?: string;
  /** The upgrade task's status and message. */
  readonly upgradeTask?: { readonly status?: string; readonly message?: string };
}

/** The warning every `getUpgradeStatus` call gives. */
export const UPGRADE_STATUS_DEPRECATION =
  "ack.getUpgradeStatus uses GetUpgradeStatus, which Alibaba Cloud deprecated; track upgrades with " +
  "ack.getTaskInfo (DescribeTaskInfo) and the task id of the upgrade instead.";

/**
 * ACK GetUpgradeStatus: the cluster's upgrade progress.
 *
 * @deprecated The vendor deprecated the operation; prefer `getTaskInfo`. Each call warns.
 */
export const getUpgradeStatus: DataFunction<GetUpgradeStatusArgs, GetUpgradeStatusResult> = dataFunction(
  "ack.getUpgradeStatus",
  getUpgradeStatusArgs,
  (a, ctx) => {
    ctx.warn(UPGRADE_STATUS_DEPRECATION);
    return withVendor(
      "ACK",
      a,
      async (ack) => {
        const status = await ack.getUpgradeStatus({ clusterId: a.clusterId });
        return compact({
          clusterId: a.clusterId,
          status: status.status,
          upgradeStep: status.upgrade_step,
          errorMessage: status.error_message,
          precheckReportId: status.precheck_report_id,
          upgradeTask:
            status.upgrade_task === undefined
              ? undefined
              : { status: status.upgrade_task.status, message: status.upgrade_task.message },
        });
      },
      ctx,
    );
  },
);

/** Arguments of `getTaskInfo`. */
export const getTaskInfoArgs = z.strictObject({ taskId: resourceId, ...ackLocationShape });
/** Arguments of `getTaskInfo`. */
export type GetTaskInfoArgs = z.input<typeof getTaskInfoArgs>;

/** An ACK task (DescribeTaskInfo), normalized. */
export interface AckTaskResult {
  /** The task id. */
  readonly taskId: string;
  /** The cluster the task belongs to. */
  readonly clusterId?: string;
  /** The task type, e.g. `cluster_upgrade`. */
  readonly taskType?: string;
  /** `running` | `success` | `fail` | `paused` | `canceled`. */
  readonly state: string;
  /** The stage the task is in now. */
  readonly currentStage?: string;
  /** When ACK created the task (ISO 8601 UTC). */
  readonly createdAt?: string;
  /** When ACK last changed the task (ISO 8601 UTC). */
  readonly updatedAt?: string;
  /** What the task acts on (`id`, `type`). */
  readonly target?: { readonly id?: string; readonly type?: string };
  /** The task's parameters as ACK reports them. */
  readonly parameters?: Record<string, unknown>;
  /** The task's stages with state, times and message. */
  readonly stages: { state?: string; startedAt?: string; endedAt?: string; message?: string }[];
  /** The task's events as ACK reports them. */
  readonly events: {
    action?: string;
    level?: string;
    reason?: string;
    message?: string;
    source?: string;
    timestamp?: string;
  }[];
  /** The task's results (`status`, `data`). */
  readonly results: { status?: string; data?: string }[];
  /** The task's error (`code`, `message`), when it failed. */
  readonly error?: { readonly code?: string; readonly message?: string };
}

/** Normalizes a DescribeTaskInfo body. */
export function taskResult(task: AckTaskInfo): AckTaskResult {
  return compact({
    taskId: task.task_id,
    clusterId: task.cluster_id,
    taskType: task.task_type,
    state: task.state,
    currentStage: task.current_stage,
    createdAt: task.created,
    updatedAt: task.updated,
    target: task.target === undefined ? undefined : { id: task.target.id, type: task.target.type },
    parameters: task.parameters,
    stages: (task.stages ?? []).map((stage) => ({
      state: stage.state,
      startedAt: stage.start_time,
      endedAt: stage.end_time,
      message: stage.message,
    })),
    events: (task.events ?? []).map((event) => ({
      action: event.action,
      level: event.level,
      reason: event.reason,
      message: event.message,
      source: event.source,
      timestamp: event.timestamp,
    })),
    results: (task.task_result ?? []).map((result) => ({ status: result.status, data: result.data })),
    error: task.error === undefined ? undefined : { code: task.error.code, message: task.error.message },
  });
}

/** ACK DescribeTaskInfo: one task (e.g. an upgrade), with stages and events. */
export const getTaskInfo: DataFunction<GetTaskInfoArgs, AckTaskResult> = cloudFunction(
  "ACK",
  "ack.getTaskInfo",
  getTaskInfoArgs,
  async (ack, a) => taskResult(await ack.describeTaskInfo({ taskId: a.taskId })),
);
