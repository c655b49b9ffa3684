/**
 * Zod schemas of the JSON bodies CCE accepts (docs/cce.md, #add-on-checks to #cluster-upgrade), vendor field names as on the wire.
 * The client builds its bodies with these types. The emulator does not validate with them, on purpose:
 * its own schemas (emulator/src/services/cce/cce-routes.ts) are an independent second reading of the
 * vendor's format, so a mistake here cannot be hidden by the same mistake in the emulator's check.
 * Loose objects: the vendor adds optional fields over time and an older body stays valid.
 */
import { z } from "zod";

/** BatchCreateAddonPrecheck body (`AddonCheckRequest`). */
export const cceAddonCheckRequestSchema = z.looseObject({
  kind: z.literal("AddonCheck"),
  apiVersion: z.literal("v3"),
  spec: z.looseObject({
    clusterID: z.string().min(1),
    addonList: z
      .array(
        z.looseObject({
          addonTemplateName: z.string().min(1),
          addonInstanceID: z.string().min(1).optional(),
          /** Required when `type` is `addonUpgrade`. */
          targetVersion: z.string().min(1).optional(),
          /** `addonStatic` | `addonUpgrade`. */
          type: z.enum(["addonStatic", "addonUpgrade"]),
          values: z.record(z.string(), z.unknown()).optional(),
        }),
      )
      .min(1),
  }),
});
export type CceAddonCheckRequest = z.output<typeof cceAddonCheckRequestSchema>;

export const cceResourceSelectorSchema = z.looseObject({
  key: z.literal("node.uid"),
  values: z.array(z.string().min(1)),
  operator: z.literal("In"),
});

/** CreatePreCheck body (`PrecheckClusterRequestBody`). */
export const ccePrecheckRequestSchema = z.looseObject({
  apiVersion: z.literal("v3"),
  kind: z.literal("PreCheckTask"),
  spec: z.looseObject({
    clusterID: z.string().min(1).optional(),
    /** The cluster's current patch version, e.g. `v1.28.3-r0`. */
    clusterVersion: z.string().min(1),
    /** A minor (`v1.29`, latest patch chosen) or a patch version. */
    targetVersion: z.string().min(1),
    skippedCheckItemList: z
      .array(
        z.looseObject({ name: z.string().min(1), resourceSelector: cceResourceSelectorSchema.optional() }),
      )
      .optional(),
  }),
});
export type CcePrecheckRequest = z.output<typeof ccePrecheckRequestSchema>;

/** CreateUpgradeWorkFlow body. */
export const cceCreateUpgradeWorkflowRequestSchema = z.looseObject({
  kind: z.literal("WorkFlowTask"),
  apiVersion: z.literal("v3"),
  spec: z.looseObject({
    clusterID: z.string().min(1).optional(),
    clusterVersion: z.string().optional(),
    targetVersion: z.string().min(1),
  }),
});
export type CceCreateUpgradeWorkflowRequest = z.output<typeof cceCreateUpgradeWorkflowRequestSchema>;

/** UpgradeWorkFlowUpdate body: the only supported update is a cancel. */
export const cceUpgradeWorkflowUpdateRequestSchema = z.looseObject({
  status: z.looseObject({ phase: z.literal("Cancel") }),
});
export type CceUpgradeWorkflowUpdateRequest = z.output<typeof cceUpgradeWorkflowUpdateRequestSchema>;

export const cceUpgradeStrategySchema = z.looseObject({
  type: z.literal("inPlaceRollingUpdate"),
  inPlaceRollingUpdate: z
    .looseObject({
      userDefinedStep: z.number().int().min(1).max(40).optional(),
      scope: z.enum(["Cluster", "NodePool"]).optional(),
    })
    .optional(),
});

export const cceUpgradeAddonConfigSchema = z.looseObject({
  addonTemplateName: z.string().min(1),
  operation: z.literal("patch"),
  version: z.string().min(1),
  values: z.record(z.string(), z.unknown()).optional(),
});

/** UpgradeCluster body; note `kind`/`apiVersion` sit inside `metadata` here. */
export const cceUpgradeClusterRequestSchema = z.looseObject({
  metadata: z.looseObject({ kind: z.literal("UpgradeTask"), apiVersion: z.literal("v3") }),
  spec: z.looseObject({
    clusterUpgradeAction: z.looseObject({
      targetVersion: z.string().min(1),
      strategy: cceUpgradeStrategySchema.optional(),
      addons: z.array(cceUpgradeAddonConfigSchema).optional(),
      nodeOrder: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))).optional(),
      nodePoolOrder: z.record(z.string(), z.number()).optional(),
      /** Most plausibly: `true` = upgrade only, skip the internal precheck (docs/cce.md#open-questions Q3). */
      isOnlyUpgrade: z.boolean().optional(),
    }),
  }),
});
export type CceUpgradeClusterRequest = z.output<typeof cceUpgradeClusterRequestSchema>;

/** CreatePostCheck body (after the upgrade): the versions it went from and to. */
export const ccePostCheckRequestSchema = z.looseObject({
  apiVersion: z.literal("v3"),
  kind: z.literal("PostCheckTask"),
  spec: z.looseObject({
    clusterID: z.string().min(1),
    clusterVersion: z.string().min(1),
    targetVersion: z.string().min(1),
  }),
});
export type CcePostCheckRequest = z.output<typeof ccePostCheckRequestSchema>;
