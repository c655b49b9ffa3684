/**
 * Argument schemas of the ACK client methods. Keys are the lowerCamelCase of the vendor's parameter
 * names (`ClusterId` / `cluster_id` → `clusterId`, `next_version` → `nextVersion`); unknown keys are
 * rejected so a typo is reported instead of silently ignored.
 */
import { z } from "zod";
import { kubernetesVersion, nonEmpty, resourceId } from "../common/arg-schemas";

const cluster = { clusterId: resourceId };

/** The check types ACK documents. */
export const ACK_CHECK_TYPES = [
  "ClusterMigrate",
  "MasterUpgrade",
  "NodePoolUpgrade",
  "ClusterUpgrade",
] as const;

export const runClusterCheckArgs = z
  .strictObject({
    ...cluster,
    type: z.enum(ACK_CHECK_TYPES),
    /** The node pool id; required when `type` is `NodePoolUpgrade`. */
    target: resourceId.optional(),
    /** For `MasterUpgrade`/`ClusterUpgrade`: `{ next_version: "1.32.1-aliyun.1" }` (sent as is). */
    options: z
      .record(z.string(), z.string())
      .refine(
        (options) =>
          options["next_version"] === undefined ||
          kubernetesVersion.safeParse(options["next_version"]).success,
        {
          error: "next_version is not a version like 1.32.1-aliyun.1",
        },
      )
      .optional(),
  })
  .refine((args) => args.type !== "NodePoolUpgrade" || args.target !== undefined, {
    error: "is required when type is NodePoolUpgrade (the node pool id)",
    path: ["target"],
  });
export type RunClusterCheckArgs = z.input<typeof runClusterCheckArgs>;

export const listClusterChecksArgs = z.strictObject({
  ...cluster,
  type: z.enum(ACK_CHECK_TYPES).optional(),
  target: resourceId.optional(),
});
export type ListClusterChecksArgs = z.input<typeof listClusterChecksArgs>;

export const getClusterCheckArgs = z.strictObject({ ...cluster, checkId: resourceId });
export type GetClusterCheckArgs = z.input<typeof getClusterCheckArgs>;

export { clusterArgs, type ClusterArgs } from "../common/arg-schemas";

export const describeClustersV1Args = z.strictObject({
  /** Exact cluster name to look for. */
  name: nonEmpty.optional(),
  clusterType: nonEmpty.optional(),
  regionId: nonEmpty.optional(),
  pageSize: z.number().int().min(1).max(100).optional(),
  pageNumber: z.number().int().min(1).optional(),
});
export type DescribeClustersV1Args = z.input<typeof describeClustersV1Args>;

export const taskArgs = z.strictObject({ taskId: resourceId });
export type TaskArgs = z.input<typeof taskArgs>;

export const upgradeClusterArgs = z.strictObject({
  ...cluster,
  /** The target version, e.g. `1.32.1-aliyun.1`. */
  nextVersion: kubernetesVersion,
  /** `true`: upgrade the control plane only. */
  masterOnly: z.boolean().optional(),
});
export type UpgradeClusterArgs = z.input<typeof upgradeClusterArgs>;

export const describeClusterTasksArgs = z.strictObject({
  ...cluster,
  pageNumber: z.number().int().min(1).optional(),
  pageSize: z.number().int().min(1).max(100).optional(),
  maxResults: z.number().int().min(1).optional(),
  nextToken: nonEmpty.optional(),
});
export type DescribeClusterTasksArgs = z.input<typeof describeClusterTasksArgs>;

export const describeKubernetesVersionMetadataArgs = z.strictObject({
  /** The region id, e.g. `cn-hangzhou` (required by ACK). */
  region: nonEmpty,
  /** `Kubernetes` (dedicated) or `ManagedKubernetes` (required by ACK). */
  clusterType: nonEmpty,
  /** One version to describe, e.g. `1.32.1-aliyun.1`; without it ACK lists versions by `mode`. */
  kubernetesVersion: kubernetesVersion.optional(),
  /** `Default` | `Edge` | `Serverless`. */
  profile: nonEmpty.optional(),
  /** `supported` or `creatable` (ACK's default); ignored when `kubernetesVersion` is given. */
  mode: z.enum(["supported", "creatable"]).optional(),
  /** With `kubernetesVersion`: also list the versions it can be upgraded to. */
  queryUpgradableVersion: z.boolean().optional(),
});
export type DescribeKubernetesVersionMetadataArgs = z.input<typeof describeKubernetesVersionMetadataArgs>;
/** DescribeClusterNodePools: the cluster's node pools, optionally one name. */
export const describeClusterNodePoolsArgs = z.strictObject({
  ...cluster,
  /** Exact node pool name to look for (sent as `NodepoolName`). */
  nodepoolName: nonEmpty.optional(),
});
export type DescribeClusterNodePoolsArgs = z.input<typeof describeClusterNodePoolsArgs>;

/** DescribeClusterNodePoolDetail: one node pool. */
export const nodePoolArgs = z.strictObject({ ...cluster, nodepoolId: resourceId });
export type NodePoolArgs = z.input<typeof nodePoolArgs>;

export const upgradeClusterNodepoolArgs = z.strictObject({
  ...cluster,
  nodepoolId: resourceId,
  /** The kubelet version to upgrade the pool's nodes to, e.g. `1.32.1-aliyun.1` (at most the control plane's). */
  kubernetesVersion: kubernetesVersion,
  /** Skip the warning-level items of ACK's own pre-upgrade check. */
  ignoreWarningCheck: z.boolean().optional(),
  /** Replace the nodes' system disks instead of upgrading in place. */
  useReplace: z.boolean().optional(),
  /** Only these nodes; default every node of the pool. */
  nodeNames: z.array(nonEmpty).min(1).optional(),
});
export type UpgradeClusterNodepoolArgs = z.input<typeof upgradeClusterNodepoolArgs>;
