/**
 * The clients' types are derived from their operation tables (`MethodsOf`), so the API report shows
 * `CceClient extends MethodsOf<typeof CCE_OPERATIONS>` rather than the members. This pins the
 * members: each client type must be exactly these methods (names, argument and result types), as
 * the hand-written interfaces had them. A change fails `npm run typecheck`.
 */
import {
  type AckClient,
  type AckClusterArgs,
  type AckClusterCheck,
  type AckClusterCheckList,
  type AckClusterDetail,
  type AckClusterList,
  type AckClusterTaskList,
  type AckEmptyResult,
  type AckKubernetesVersionMetadata,
  type AckNodePool,
  type AckNodePoolArgs,
  type AckNodePoolList,
  type AckRunClusterCheckResult,
  type AckTaskArgs,
  type AckTaskInfo,
  type AckUpgradeClusterArgs,
  type AckUpgradeClusterNodepoolResult,
  type AckUpgradeClusterResult,
  type AckUpgradeStatus,
  type BatchCreateAddonPrecheckArgs,
  type CallOptions,
  type DescribeClusterNodePoolsArgs,
  type UpgradeClusterNodepoolArgs,
  type CceAddonCheckCreated,
  type CceAddonCheckTaskList,
  type CceAddonInstanceList,
  type CceNodeList,
  type CceNodePoolList,
  type CcePostCheckResult,
  type CceSnapshotCreated,
  type CceSnapshotTaskList,
  type CreatePostCheckArgs,
  type CceClient,
  type CceCluster,
  type CceClusterArgs,
  type CceClusterList,
  type CcePrecheckCreated,
  type CcePrecheckTask,
  type CcePrecheckTaskList,
  type CceUpgradeClusterArgs,
  type CceUpgradeClusterResult,
  type CceUpgradeInfo,
  type CceUpgradeTask,
  type CceUpgradeTaskList,
  type CceUpgradeWorkflow,
  type CceUpgradeWorkflowList,
  type CreatePreCheckArgs,
  type CreateUpgradeWorkFlowArgs,
  type DescribeClustersV1Args,
  type DescribeClusterTasksArgs,
  type DescribeKubernetesVersionMetadataArgs,
  type GetClusterCheckArgs,
  type ListAddonPrecheckTasksArgs,
  type ListClusterChecksArgs,
  type ListClustersArgs,
  type MaybeRecovered,
  type RunClusterCheckArgs,
  type ShowClusterArgs,
  type ShowPreCheckArgs,
  type ShowUpgradeClusterTaskArgs,
  type UpgradeWorkflowArgs,
} from "../../src/index";

/** `true` only when `A` and `B` are the same type (not merely assignable either way). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

type Method<Args, Result> = (args: Args, options?: CallOptions) => Promise<Result>;

interface CceMembers {
  readonly region: string;
  readonly projectId: string;
  listAddonPrecheckTasks: Method<ListAddonPrecheckTasksArgs, CceAddonCheckTaskList>;
  batchCreateAddonPrecheck: Method<BatchCreateAddonPrecheckArgs, MaybeRecovered<CceAddonCheckCreated>>;
  createPreCheck: Method<CreatePreCheckArgs, MaybeRecovered<CcePrecheckCreated>>;
  showPreCheck: Method<ShowPreCheckArgs, CcePrecheckTask>;
  listPreCheckTasks: Method<CceClusterArgs, CcePrecheckTaskList>;
  createUpgradeWorkFlow: Method<CreateUpgradeWorkFlowArgs, MaybeRecovered<CceUpgradeWorkflow>>;
  listUpgradeWorkFlows: Method<CceClusterArgs, CceUpgradeWorkflowList>;
  showUpgradeWorkFlow: Method<UpgradeWorkflowArgs, CceUpgradeWorkflow>;
  upgradeWorkFlowUpdate: Method<UpgradeWorkflowArgs, CceUpgradeWorkflow>;
  showCluster: Method<ShowClusterArgs, CceCluster>;
  listClusters: (args?: ListClustersArgs, options?: CallOptions) => Promise<CceClusterList>;
  showClusterUpgradeInfo: Method<CceClusterArgs, CceUpgradeInfo>;
  upgradeCluster: Method<CceUpgradeClusterArgs, MaybeRecovered<CceUpgradeClusterResult>>;
  showUpgradeClusterTask: Method<ShowUpgradeClusterTaskArgs, CceUpgradeTask>;
  listUpgradeClusterTasks: Method<CceClusterArgs, CceUpgradeTaskList>;
  listAddonInstances: Method<CceClusterArgs, CceAddonInstanceList>;
  listNodes: Method<CceClusterArgs, CceNodeList>;
  listNodePools: Method<CceClusterArgs, CceNodePoolList>;
  createPostCheck: Method<CreatePostCheckArgs, CcePostCheckResult>;
  createClusterMasterSnapshot: Method<CceClusterArgs, MaybeRecovered<CceSnapshotCreated>>;
  listClusterMasterSnapshotTasks: Method<CceClusterArgs, CceSnapshotTaskList>;
  close(): Promise<void>;
}

interface AckMembers {
  readonly region: string;
  runClusterCheck: Method<RunClusterCheckArgs, MaybeRecovered<AckRunClusterCheckResult>>;
  listClusterChecks: Method<ListClusterChecksArgs, AckClusterCheckList>;
  getClusterCheck: Method<GetClusterCheckArgs, AckClusterCheck>;
  describeClusterDetail: Method<AckClusterArgs, AckClusterDetail>;
  describeClustersV1: (args?: DescribeClustersV1Args, options?: CallOptions) => Promise<AckClusterList>;
  getUpgradeStatus: Method<AckClusterArgs, AckUpgradeStatus>;
  describeTaskInfo: Method<AckTaskArgs, AckTaskInfo>;
  upgradeCluster: Method<AckUpgradeClusterArgs, MaybeRecovered<AckUpgradeClusterResult>>;
  cancelTask: Method<AckTaskArgs, AckEmptyResult>;
  describeClusterTasks: Method<DescribeClusterTasksArgs, AckClusterTaskList>;
  describeKubernetesVersionMetadata: Method<
    DescribeKubernetesVersionMetadataArgs,
    AckKubernetesVersionMetadata
  >;
  describeClusterNodePools: Method<DescribeClusterNodePoolsArgs, AckNodePoolList>;
  describeClusterNodePoolDetail: Method<AckNodePoolArgs, AckNodePool>;
  upgradeClusterNodepool: Method<UpgradeClusterNodepoolArgs, MaybeRecovered<AckUpgradeClusterNodepoolResult>>;
  close(): Promise<void>;
}

/** Each member of `Client`, compared with the pinned one; the keys must be the same too. */
type Mismatches<Client, Pinned> = {
  [K in keyof Client | keyof Pinned]: K extends keyof Client & keyof Pinned
    ? Same<Client[K], Pinned[K]> extends true
      ? never
      : K
    : K;
}[keyof Client | keyof Pinned];

it("CceClient and AckClient have exactly the pinned members", () => {
  const cce: Mismatches<CceClient, CceMembers>[] = [];
  const ack: Mismatches<AckClient, AckMembers>[] = [];
  // Both arrays can only be empty: any mismatching member name would be a type in them.
  const none: Same<Mismatches<CceClient, CceMembers> | Mismatches<AckClient, AckMembers>, never> = true;
  expect([cce, ack, none]).toEqual([[], [], true]);
});
