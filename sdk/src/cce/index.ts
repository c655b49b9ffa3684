/** Huawei Cloud CCE: resources and data functions. */
export { ClusterPrecheck, type ClusterPrecheckArgs, type SkippedCheckItemArgs } from "./cluster-precheck";
export {
  AddonPrecheck,
  type AddonPrecheckArgs,
  type AddonCheckArgs,
  type AddonCheckOutcome,
} from "./addon-precheck";
export { UpgradeWorkflow, type UpgradeWorkflowArgs, type WorkflowPoint } from "./upgrade-workflow";
export {
  ClusterUpgrade,
  type ClusterUpgradeArgs,
  type PostCheckResult,
  type SnapshotResult,
  type UpgradeGate,
} from "./cluster-upgrade";
export {
  getAddonPrecheckTasks,
  getAddonPrecheckTasksOutput,
  getLatestPrecheck,
  getLatestPrecheckOutput,
  getPrecheck,
  getPrecheckOutput,
  getUpgradeWorkflow,
  getUpgradeWorkflowOutput,
  getUpgradeWorkflows,
  getUpgradeWorkflowsOutput,
  type AddonCheckResult,
  type GetAddonPrecheckTasksArgs,
  type GetAddonPrecheckTasksResult,
  type GetLatestPrecheckArgs,
  type GetLatestPrecheckResult,
  type GetPrecheckArgs,
  type GetUpgradeWorkflowArgs,
  type GetUpgradeWorkflowsArgs,
  type GetUpgradeWorkflowsResult,
  type PrecheckResult,
  type UpgradeWorkflowResult,
} from "./functions";
