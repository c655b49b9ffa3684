/** The typed CCE and ACK clients: factories, their option, argument and result types, and schemas. */
export { createCceClient, type CceClient, type CceClientOptions } from "./cce/client";
export { createAckClient, type AckClient, type AckClientOptions } from "./ack/client";
export { ackNodePoolVersion } from "./ack/schemas";
export { type CallOptions } from "./common/arg-schemas";
export { readAllPages, type PageAnswer, type PagedListing, type PagingOptions } from "./common/paging";
export { type ClientClock, type CommonClientOptions } from "./common/client-options";
export { CLOCK_SKEW_ALLOWANCE_MS, type MaybeRecovered, type RecoveryMark } from "./common/create-recovery";
export { CCE_ROUTES, type CceOperation } from "./cce/routes";
export { ACK_ROUTES, ACK_API_VERSION, type AckOperation } from "./ack/routes";
export {
  type AddonCheckTargetArgs,
  type BatchCreateAddonPrecheckArgs,
  type ClusterArgs as CceClusterArgs,
  type CreatePostCheckArgs,
  type CreatePreCheckArgs,
  type CreateUpgradeWorkFlowArgs,
  type ListAddonPrecheckTasksArgs,
  type ListClustersArgs,
  type ShowClusterArgs,
  type ShowPreCheckArgs,
  type ShowUpgradeClusterTaskArgs,
  type UpgradeClusterArgs as CceUpgradeClusterArgs,
  type UpgradeWorkflowArgs,
} from "./cce/args";
export {
  ACK_CHECK_TYPES,
  type ClusterArgs as AckClusterArgs,
  type DescribeClusterNodePoolsArgs,
  type DescribeClustersV1Args,
  type DescribeClusterTasksArgs,
  type DescribeKubernetesVersionMetadataArgs,
  type GetClusterCheckArgs,
  type ListClusterChecksArgs,
  type NodePoolArgs as AckNodePoolArgs,
  type RunClusterCheckArgs,
  type TaskArgs as AckTaskArgs,
  type UpgradeClusterArgs as AckUpgradeClusterArgs,
  type UpgradeClusterNodepoolArgs,
} from "./ack/args";
// Every wire schema and its type, by name (the same list the emulator gets from `schemas.ts`).
export * from "../schemas";
export { createClientPool, type ClientPool } from "./pool";
