import type * as pulumi from "@pulumi/pulumi";
import type { functions } from "@upgrade-guard/provider/impl";
import { providerImpl } from "../lazy";
import { type DataFunctionOptions, functionContext, type InputArgs, outputOf } from "../function-context";

/** Arguments of {@link getAddonPrecheckTasks}. */
export type GetAddonPrecheckTasksArgs = functions.GetAddonPrecheckTasksArgs;
/** Result of {@link getAddonPrecheckTasks}. */
export type GetAddonPrecheckTasksResult = functions.GetAddonPrecheckTasksResult;
/** Arguments of {@link getPrecheck}. */
export type GetPrecheckArgs = functions.GetPrecheckArgs;
/** One CCE cluster precheck with its findings. */
export type PrecheckResult = functions.CcePrecheckResult;
/** Arguments of {@link getLatestPrecheck}. */
export type GetLatestPrecheckArgs = functions.GetLatestPrecheckArgs;
/** Result of {@link getLatestPrecheck}. */
export type GetLatestPrecheckResult = functions.GetLatestPrecheckResult;
/** Arguments of {@link getUpgradeWorkflow}. */
export type GetUpgradeWorkflowArgs = functions.GetUpgradeWorkflowArgs;
/** One CCE upgrade workflow. */
export type UpgradeWorkflowResult = functions.CceWorkflowResult;
/** Arguments of {@link getUpgradeWorkflows}. */
export type GetUpgradeWorkflowsArgs = functions.GetUpgradeWorkflowsArgs;
/** Result of {@link getUpgradeWorkflows}. */
export type GetUpgradeWorkflowsResult = functions.GetUpgradeWorkflowsResult;
/** One CCE add-on check task with its risks. */
export type AddonCheckResult = functions.CceAddonCheckResult;

/**
 * The cluster's add-on check tasks (ListAddonPrecheckTasks), newest first, each with its risks, and
 * the worst risk among the newest task per add-on. Filters: `type`, `taskId`, `addonInstanceId`.
 *
 * ```typescript
 * const tasks = await cce.getAddonPrecheckTasks({ clusterId, type: "addonUpgrade" });
 * ```
 */
export function getAddonPrecheckTasks(
  args: GetAddonPrecheckTasksArgs,
  opts?: DataFunctionOptions,
): Promise<GetAddonPrecheckTasksResult> {
  return providerImpl().functions.getAddonPrecheckTasks(args, functionContext(opts));
}

/** {@link getAddonPrecheckTasks} with `Input` arguments, as an `Output`. */
export function getAddonPrecheckTasksOutput(
  args: InputArgs<GetAddonPrecheckTasksArgs>,
  opts?: DataFunctionOptions,
): pulumi.Output<GetAddonPrecheckTasksResult> {
  return outputOf(getAddonPrecheckTasks, args, opts);
}

/**
 * One cluster pre-upgrade check (ShowPreCheck) with its findings in the readiness model.
 *
 * ```typescript
 * const check = await cce.getPrecheck({ clusterId, taskId });
 * ```
 */
export function getPrecheck(args: GetPrecheckArgs, opts?: DataFunctionOptions): Promise<PrecheckResult> {
  return providerImpl().functions.getPrecheck(args, functionContext(opts));
}

/** {@link getPrecheck} with `Input` arguments, as an `Output`. */
export function getPrecheckOutput(
  args: InputArgs<GetPrecheckArgs>,
  opts?: DataFunctionOptions,
): pulumi.Output<PrecheckResult> {
  return outputOf(getPrecheck, args, opts);
}

/**
 * The newest precheck for a target version (`v1.30` and `v1.30.4-r0` match each other), with
 * `fresh` telling whether it still counts. `precheck` is absent when there is none.
 *
 * ```typescript
 * const latest = await cce.getLatestPrecheck({ clusterId, targetVersion: "v1.30" });
 * ```
 */
export function getLatestPrecheck(
  args: GetLatestPrecheckArgs,
  opts?: DataFunctionOptions,
): Promise<GetLatestPrecheckResult> {
  return providerImpl().functions.getLatestPrecheck(args, functionContext(opts));
}

/** {@link getLatestPrecheck} with `Input` arguments, as an `Output`. */
export function getLatestPrecheckOutput(
  args: InputArgs<GetLatestPrecheckArgs>,
  opts?: DataFunctionOptions,
): pulumi.Output<GetLatestPrecheckResult> {
  return outputOf(getLatestPrecheck, args, opts);
}

/**
 * One upgrade workflow (ShowUpgradeWorkFlow) with its point statuses.
 *
 * ```typescript
 * const workflow = await cce.getUpgradeWorkflow({ clusterId, workflowId });
 * ```
 */
export function getUpgradeWorkflow(
  args: GetUpgradeWorkflowArgs,
  opts?: DataFunctionOptions,
): Promise<UpgradeWorkflowResult> {
  return providerImpl().functions.getUpgradeWorkflow(args, functionContext(opts));
}

/** {@link getUpgradeWorkflow} with `Input` arguments, as an `Output`. */
export function getUpgradeWorkflowOutput(
  args: InputArgs<GetUpgradeWorkflowArgs>,
  opts?: DataFunctionOptions,
): pulumi.Output<UpgradeWorkflowResult> {
  return outputOf(getUpgradeWorkflow, args, opts);
}

/**
 * The cluster's upgrade workflows (ListUpgradeWorkFlows), newest first, optionally only those for
 * a target version.
 *
 * ```typescript
 * const { workflows } = await cce.getUpgradeWorkflows({ clusterId, targetVersion: "v1.30" });
 * ```
 */
export function getUpgradeWorkflows(
  args: GetUpgradeWorkflowsArgs,
  opts?: DataFunctionOptions,
): Promise<GetUpgradeWorkflowsResult> {
  return providerImpl().functions.getUpgradeWorkflows(args, functionContext(opts));
}

/** {@link getUpgradeWorkflows} with `Input` arguments, as an `Output`. */
export function getUpgradeWorkflowsOutput(
  args: InputArgs<GetUpgradeWorkflowsArgs>,
  opts?: DataFunctionOptions,
): pulumi.Output<GetUpgradeWorkflowsResult> {
  return outputOf(getUpgradeWorkflows, args, opts);
}
