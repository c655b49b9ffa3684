/** The data functions, by name (the SDK wraps each in `getX` / `getXOutput`). */
export { type DataFunction, type FunctionContext } from "./context";
export {
  getAddonPrecheckTasks,
  getLatestPrecheck,
  getPrecheck,
  getUpgradeWorkflow,
  getUpgradeWorkflows,
  type CceAddonCheckResult,
  type CceAddonRiskResult,
  type CcePrecheckResult,
  type CceWorkflowPointResult,
  type CceWorkflowResult,
  type GetAddonPrecheckTasksArgs,
  type GetAddonPrecheckTasksResult,
  type GetLatestPrecheckArgs,
  type GetLatestPrecheckResult,
  type GetPrecheckArgs,
  type GetUpgradeWorkflowArgs,
  type GetUpgradeWorkflowsArgs,
  type GetUpgradeWorkflowsResult,
} from "./cce";
export {
  getClusterCheck,
  getClusterChecks,
  getLatestClusterCheck,
  getTaskInfo,
  getUpgradeStatus,
  UPGRADE_STATUS_DEPRECATION,
  type AckCheckResult,
  type AckCheckSummaryResult,
  type AckTaskResult,
  type GetClusterCheckArgs,
  type GetClusterChecksArgs,
  type GetClusterChecksResult,
  type GetLatestClusterCheckArgs,
  type GetLatestClusterCheckResult,
  type GetTaskInfoArgs,
  type GetUpgradeStatusArgs,
  type GetUpgradeStatusResult,
} from "./ack";
export { getUpgradePath, type GetUpgradePathArgs, type UpgradePathResult } from "./upgrade-path";
export {
  getUpgradeReadiness,
  upgradeReadinessPolicyArgs,
  type GetUpgradeReadinessArgs,
  type UpgradeReadiness,
  type UpgradeReadinessPolicyArgs,
} from "./upgrade-readiness";
export {
  primaryCheckOf,
  readinessSummarySchema,
  summarizeReadiness,
  type ReadinessSummary,
} from "../../readiness/summary";
