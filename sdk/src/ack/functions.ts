import type * as pulumi from "@pulumi/pulumi";
import type { functions } from "@upgrade-guard/provider/impl";
import { providerImpl } from "../lazy";
import { type DataFunctionOptions, functionContext, type InputArgs, outputOf } from "../function-context";

/** Arguments of {@link getClusterCheck}. */
export type GetClusterCheckArgs = functions.GetClusterCheckArgs;
/** One ACK cluster check with items and findings. */
export type ClusterCheckResult = functions.AckCheckResult;
/** An ACK cluster check without items. */
export type ClusterCheckSummary = functions.AckCheckSummaryResult;
/** Arguments of {@link getClusterChecks}. */
export type GetClusterChecksArgs = functions.GetClusterChecksArgs;
/** Result of {@link getClusterChecks}. */
export type GetClusterChecksResult = functions.GetClusterChecksResult;
/** Arguments of {@link getLatestClusterCheck}. */
export type GetLatestClusterCheckArgs = functions.GetLatestClusterCheckArgs;
/** Result of {@link getLatestClusterCheck}. */
export type GetLatestClusterCheckResult = functions.GetLatestClusterCheckResult;
/** Arguments of {@link getUpgradeStatus}. */
export type GetUpgradeStatusArgs = functions.GetUpgradeStatusArgs;
/** Result of {@link getUpgradeStatus}. */
export type GetUpgradeStatusResult = functions.GetUpgradeStatusResult;
/** Arguments of {@link getTaskInfo}. */
export type GetTaskInfoArgs = functions.GetTaskInfoArgs;
/** Result of {@link getTaskInfo}. */
export type TaskInfoResult = functions.AckTaskResult;

/**
 * One ACK cluster check (GetClusterCheck) with its items, mapped to findings.
 *
 * ```typescript
 * const check = await ack.getClusterCheck({ clusterId, checkId });
 * ```
 */
export function getClusterCheck(
  args: GetClusterCheckArgs,
  opts?: DataFunctionOptions,
): Promise<ClusterCheckResult> {
  return providerImpl().functions.getClusterCheck(args, functionContext(opts));
}

/** {@link getClusterCheck} with `Input` arguments, as an `Output`. */
export function getClusterCheckOutput(
  args: InputArgs<GetClusterCheckArgs>,
  opts?: DataFunctionOptions,
): pulumi.Output<ClusterCheckResult> {
  return outputOf(getClusterCheck, args, opts);
}

/**
 * The cluster's checks (ListClusterChecks, without items), newest first; filters `type` and
 * `nodePoolId`.
 *
 * ```typescript
 * const { checks } = await ack.getClusterChecks({ clusterId, type: "ClusterUpgrade" });
 * ```
 */
export function getClusterChecks(
  args: GetClusterChecksArgs,
  opts?: DataFunctionOptions,
): Promise<GetClusterChecksResult> {
  return providerImpl().functions.getClusterChecks(args, functionContext(opts));
}

/** {@link getClusterChecks} with `Input` arguments, as an `Output`. */
export function getClusterChecksOutput(
  args: InputArgs<GetClusterChecksArgs>,
  opts?: DataFunctionOptions,
): pulumi.Output<GetClusterChecksResult> {
  return outputOf(getClusterChecks, args, opts);
}

/**
 * The newest check of a type (default `ClusterUpgrade`) for a target (default the cluster's
 * `next_version`), with its items, and whether it still counts (`fresh`).
 *
 * ```typescript
 * const latest = await ack.getLatestClusterCheck({ clusterId });
 * ```
 */
export function getLatestClusterCheck(
  args: GetLatestClusterCheckArgs,
  opts?: DataFunctionOptions,
): Promise<GetLatestClusterCheckResult> {
  return providerImpl().functions.getLatestClusterCheck(args, functionContext(opts));
}

/** {@link getLatestClusterCheck} with `Input` arguments, as an `Output`. */
export function getLatestClusterCheckOutput(
  args: InputArgs<GetLatestClusterCheckArgs>,
  opts?: DataFunctionOptions,
): pulumi.Output<GetLatestClusterCheckResult> {
  return outputOf(getLatestClusterCheck, args, opts);
}

/**
 * The cluster's upgrade progress (GetUpgradeStatus). Every call logs a warning: Alibaba Cloud
 * deprecated the operation; prefer {@link getTaskInfo} with the upgrade's task id.
 *
 * @deprecated Deprecated by the vendor; use {@link getTaskInfo}.
 *
 * ```typescript
 * const status = await ack.getUpgradeStatus({ clusterId });
 * ```
 */
export function getUpgradeStatus(
  args: GetUpgradeStatusArgs,
  opts?: DataFunctionOptions,
): Promise<GetUpgradeStatusResult> {
  return providerImpl().functions.getUpgradeStatus(args, functionContext(opts));
}

/**
 * {@link getUpgradeStatus} with `Input` arguments, as an `Output`.
 *
 * @deprecated Deprecated by the vendor; use {@link getTaskInfoOutput}.
 */
export function getUpgradeStatusOutput(
  args: InputArgs<GetUpgradeStatusArgs>,
  opts?: DataFunctionOptions,
): pulumi.Output<GetUpgradeStatusResult> {
  return outputOf(getUpgradeStatus, args, opts);
}

/**
 * One task (DescribeTaskInfo), e.g. an upgrade: state, stage, stages, events and error.
 *
 * ```typescript
 * // upgrade.taskId is an Output, and undefined when the cluster was already at the target:
 * const task = upgrade.taskId.apply((taskId) => (taskId === undefined ? undefined : ack.getTaskInfo({ taskId })));
 * ```
 */
export function getTaskInfo(args: GetTaskInfoArgs, opts?: DataFunctionOptions): Promise<TaskInfoResult> {
  return providerImpl().functions.getTaskInfo(args, functionContext(opts));
}

/** {@link getTaskInfo} with `Input` arguments, as an `Output`. */
export function getTaskInfoOutput(
  args: InputArgs<GetTaskInfoArgs>,
  opts?: DataFunctionOptions,
): pulumi.Output<TaskInfoResult> {
  return outputOf(getTaskInfo, args, opts);
}
