/** Alibaba Cloud ACK: resources and data functions. */
export { ClusterCheck, type ClusterCheckArgs } from "./cluster-check";
export { ClusterUpgrade, type ClusterUpgradeArgs } from "./cluster-upgrade";
export {
  getClusterCheck,
  getClusterCheckOutput,
  getClusterChecks,
  getClusterChecksOutput,
  getLatestClusterCheck,
  getLatestClusterCheckOutput,
  getTaskInfo,
  getTaskInfoOutput,
  getUpgradeStatus,
  getUpgradeStatusOutput,
  type ClusterCheckResult,
  type ClusterCheckSummary,
  type GetClusterCheckArgs,
  type GetClusterChecksArgs,
  type GetClusterChecksResult,
  type GetLatestClusterCheckArgs,
  type GetLatestClusterCheckResult,
  type GetTaskInfoArgs,
  type GetUpgradeStatusArgs,
  type GetUpgradeStatusResult,
  type TaskInfoResult,
} from "./functions";
