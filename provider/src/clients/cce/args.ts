/**
 * Argument schemas of the CCE client methods. Keys are the lowerCamelCase of the vendor's parameter
 * names (`cluster_id` → `clusterId`, `addonInstanceID` → `addonInstanceId`); unknown keys are
 * rejected so a typo is reported instead of silently ignored.
 */
import { z } from "zod";
import { kubernetesVersion, nonEmpty, resourceId } from "../common/arg-schemas";

const cluster = { clusterId: resourceId };

export const listAddonPrecheckTasksArgs = z.strictObject({
  ...cluster,
  /** `addonStatic` (inspection) | `addonUpgrade` (pre-upgrade check). */
  type: z.enum(["addonStatic", "addonUpgrade"]).optional(),
  taskId: resourceId.optional(),
  addonInstanceId: resourceId.optional(),
});
export type ListAddonPrecheckTasksArgs = z.input<typeof listAddonPrecheckTasksArgs>;

export const addonCheckTargetArgs = z
  .strictObject({
    /** e.g. `coredns`. */
    addonTemplateName: nonEmpty,
    /** `items[].metadata.uid` of the add-on instance. */
    addonInstanceId: resourceId,
    /** The add-on version to check an upgrade to; required when `type` is `addonUpgrade`. */
    targetVersion: nonEmpty.optional(),
    type: z.enum(["addonStatic", "addonUpgrade"]),
    values: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((addon) => addon.type !== "addonUpgrade" || addon.targetVersion !== undefined, {
    error: "is required when type is addonUpgrade",
    path: ["targetVersion"],
  });
export type AddonCheckTargetArgs = z.input<typeof addonCheckTargetArgs>;

export const batchCreateAddonPrecheckArgs = z.strictObject({
  ...cluster,
  addonList: z.array(addonCheckTargetArgs).min(1, { error: "must name at least one add-on" }),
});
export type BatchCreateAddonPrecheckArgs = z.input<typeof batchCreateAddonPrecheckArgs>;

export const createPreCheckArgs = z.strictObject({
  ...cluster,
  /** The cluster's current patch version, e.g. `v1.28.3-r0`. */
  clusterVersion: kubernetesVersion,
  /** A minor (`v1.29`, CCE picks the latest patch) or a patch version. */
  targetVersion: kubernetesVersion,
  skippedCheckItemList: z
    .array(
      z.strictObject({
        name: nonEmpty,
        resourceSelector: z
          .strictObject({
            key: z.literal("node.uid"),
            values: z.array(resourceId).min(1),
            operator: z.literal("In"),
          })
          .optional(),
      }),
    )
    .optional(),
});
export type CreatePreCheckArgs = z.input<typeof createPreCheckArgs>;

export const showPreCheckArgs = z.strictObject({ ...cluster, taskId: resourceId });
export type ShowPreCheckArgs = z.input<typeof showPreCheckArgs>;

export { clusterArgs, type ClusterArgs } from "../common/arg-schemas";

export const createUpgradeWorkFlowArgs = z.strictObject({
  ...cluster,
  /** The current version; CCE fills it in when omitted. */
  clusterVersion: kubernetesVersion.optional(),
  targetVersion: kubernetesVersion,
});
export type CreateUpgradeWorkFlowArgs = z.input<typeof createUpgradeWorkFlowArgs>;

export const upgradeWorkflowArgs = z.strictObject({ ...cluster, upgradeWorkflowId: resourceId });
export type UpgradeWorkflowArgs = z.input<typeof upgradeWorkflowArgs>;

export const showClusterArgs = z.strictObject({
  ...cluster,
  /** Ask for the detailed view (`detail=true`). */
  detail: z.boolean().optional(),
  errorStatus: nonEmpty.optional(),
});
export type ShowClusterArgs = z.input<typeof showClusterArgs>;

export const listClustersArgs = z.strictObject({
  detail: z.boolean().optional(),
  /** Filter by cluster phase, e.g. `Available`. */
  status: nonEmpty.optional(),
  /** Filter by cluster type, e.g. `VirtualMachine`. */
  type: nonEmpty.optional(),
  /** Filter by version. */
  version: nonEmpty.optional(),
});
export type ListClustersArgs = z.input<typeof listClustersArgs>;

export const upgradeClusterArgs = z.strictObject({
  ...cluster,
  targetVersion: kubernetesVersion,
  strategy: z
    .strictObject({
      type: z.literal("inPlaceRollingUpdate"),
      inPlaceRollingUpdate: z
        .strictObject({
          userDefinedStep: z.number().int().min(1).max(40).optional(),
          scope: z.enum(["Cluster", "NodePool"]).optional(),
        })
        .optional(),
    })
    .optional(),
  addons: z
    .array(
      z.strictObject({
        addonTemplateName: nonEmpty,
        operation: z.literal("patch"),
        version: nonEmpty,
        values: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .optional(),
  nodeOrder: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))).optional(),
  nodePoolOrder: z.record(z.string(), z.number()).optional(),
  /** `true`: upgrade only, skip the internal precheck (vendor text is ambiguous, docs/cce.md#open-questions Q3). */
  isOnlyUpgrade: z.boolean().optional(),
});
export type UpgradeClusterArgs = z.input<typeof upgradeClusterArgs>;

export const createPostCheckArgs = z.strictObject({
  ...cluster,
  /** The version the cluster was upgraded from. */
  clusterVersion: kubernetesVersion,
  /** The version it was upgraded to. */
  targetVersion: kubernetesVersion,
});
export type CreatePostCheckArgs = z.input<typeof createPostCheckArgs>;

export const showUpgradeClusterTaskArgs = z.strictObject({ ...cluster, taskId: resourceId });
export type ShowUpgradeClusterTaskArgs = z.input<typeof showUpgradeClusterTaskArgs>;
