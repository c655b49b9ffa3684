/**
 * Zod schemas of the CCE (Huawei Cloud, API v3) responses upgrade-guard reads, with the TypeScript
 * types derived from them. Field names are the vendor's camelCase as on the wire (`clusterID`,
 * `taskID`, `createTimeStamp`); unknown fields are kept (`z.looseObject`).
 *
 * Normalizations (docs/cce.md#docs-versus-sdk), so readers see one shape whatever the vendor sent:
 * - every timestamp becomes ISO 8601 UTC (`2025-08-05T09:10:44.648Z`), whether it came as RFC 3339,
 *   Go `2023-11-25 06:32:34.923248 +0000 UTC`, `YYYY-MM-DD HH:mm:ss` or epoch milliseconds;
 * - list `items` sent as a single object become a one-element array (absent or `null` → `[]`);
 * - add-on check `metadata.createTimestamp` is renamed `metadata.createTimeStamp`;
 * - an add-on check `riskList` placed beside `status` is moved into `status.riskList`;
 * - `lineStatuses[].critical` sent as `"true"`/`"false"` becomes a boolean.
 *
 * Enumerated fields are typed `string` so a value added by the vendor does not break parsing; the
 * known values are listed in each field's TSDoc.
 */
import { z } from "zod";
import {
  arrayOrSingle,
  isoTimestamp,
  jsonObject,
  looseBoolean,
  optionalIsoTimestamp,
  optionalString,
  renameKey,
} from "../common/schema-helpers";
import { isRecord } from "../../internal/validate";

/** The `kind` and `apiVersion` every CCE body starts with. */
const typeMeta = { kind: optionalString, apiVersion: optionalString };

/** A CCE list body: `items` of `item`, after `typeMeta` and any `extra` members. */
function cceList<T extends z.ZodType, E extends z.ZodRawShape = Record<never, never>>(item: T, extra?: E) {
  return z.looseObject({ ...typeMeta, ...(extra as E), items: arrayOrSingle(item) });
}

/** A resource's `metadata`: its id in `uid` and the two timestamps, plus `extra` members. */
function cceMetadata<E extends z.ZodRawShape = Record<never, never>>(extra?: E) {
  return z.looseObject({
    uid: z.string().min(1),
    ...(extra as E),
    creationTimestamp: optionalIsoTimestamp,
    updateTimestamp: optionalIsoTimestamp,
  });
}

const stringMap = z.record(z.string(), z.string());

// ---------------------------------------------------------------------------------------------
// Cluster pre-upgrade check (CreatePreCheck, ShowPreCheck, ListPreCheckTasks)

export const cceRiskSourceSchema = z.looseObject({
  configurationRisks: arrayOrSingle(
    z.looseObject({
      package: optionalString,
      sourceFile: optionalString,
      nodeMsg: optionalString,
      field: optionalString,
      operation: optionalString,
      originalValue: optionalString,
      value: optionalString,
    }),
  ).optional(),
  deprecatedAPIRisks: arrayOrSingle(
    z.looseObject({ url: optionalString, userAgent: optionalString }),
  ).optional(),
  /** Note the vendor's capitalised `NodeID`. */
  nodeRisks: arrayOrSingle(z.looseObject({ NodeID: optionalString })).optional(),
  addonRisks: arrayOrSingle(
    z.looseObject({ addonTemplateName: optionalString, alias: optionalString }),
  ).optional(),
});
export type CceRiskSource = z.output<typeof cceRiskSourceSchema>;

/** One check item of a cluster precheck (`PreCheckItemStatus`). */
export const ccePreCheckItemStatusSchema = z.looseObject({
  /** Check item name. */
  name: optionalString,
  /** `Exception` (must be fixed) | `Risk` (may be skipped after confirmation). */
  kind: optionalString,
  /** `LimitCheck` | `MasterCheck` | `NodeCheck` | `AddonCheck` | `ExecuteException`. */
  group: optionalString,
  /** `Info` | `Warning` | `Fatal`. */
  level: optionalString,
  /** `Init` | `Running` | `Success` | `Failed`. */
  phase: optionalString,
  message: optionalString,
  riskSource: cceRiskSourceSchema.optional(),
  errorCodes: arrayOrSingle(z.string()).optional(),
});
export type CcePreCheckItemStatus = z.output<typeof ccePreCheckItemStatusSchema>;

const itemsStatusSchema = arrayOrSingle(ccePreCheckItemStatusSchema);

export const cceCheckGroupStatusSchema = z.looseObject({
  /** `Init` | `Running` | `Success` | `Failed`. */
  phase: optionalString,
  itemsStatus: itemsStatusSchema.optional(),
});
export type CceCheckGroupStatus = z.output<typeof cceCheckGroupStatusSchema>;

export const cceNodeStageStatusSchema = z.looseObject({
  nodeInfo: z
    .looseObject({
      uid: optionalString,
      name: optionalString,
      status: optionalString,
      nodeType: optionalString,
    })
    .optional(),
  itemsStatus: itemsStatusSchema.optional(),
});
export type CceNodeStageStatus = z.output<typeof cceNodeStageStatusSchema>;

export const ccePrecheckStatusSchema = z.looseObject({
  /** `Init` | `Running` | `Success` | `Failed` | `Error` (the check itself did not complete). */
  phase: z.string(),
  /** When the check result stops being valid for an upgrade. */
  expireTimeStamp: optionalIsoTimestamp,
  /** Usually the execution-error log. */
  message: optionalString,
  clusterCheckStatus: cceCheckGroupStatusSchema.optional(),
  addonCheckStatus: cceCheckGroupStatusSchema.optional(),
  nodeCheckStatus: z
    .looseObject({
      phase: optionalString,
      nodeStageStatus: arrayOrSingle(cceNodeStageStatusSchema).optional(),
    })
    .optional(),
});
export type CcePrecheckStatus = z.output<typeof ccePrecheckStatusSchema>;

export const cceSkippedCheckItemSchema = z.looseObject({
  name: z.string(),
  resourceSelector: z
    .looseObject({ key: optionalString, values: z.array(z.string()).optional(), operator: optionalString })
    .optional(),
});

export const ccePrecheckSpecSchema = z.looseObject({
  clusterID: optionalString,
  /** The cluster's patch version when the check was made, e.g. `v1.28.3-r0`. */
  clusterVersion: optionalString,
  /** The target as requested or resolved by CCE, e.g. `v1.29` or `v1.29.5-r0`. */
  targetVersion: optionalString,
  skippedCheckItemList: arrayOrSingle(cceSkippedCheckItemSchema).optional(),
});

const ccePrecheckFields = {
  ...typeMeta,
  /** `uid`: the precheck task id (`task_id` of ShowPreCheck). */
  metadata: cceMetadata(),
  spec: ccePrecheckSpecSchema.optional(),
};

/** A cluster pre-upgrade check task: ShowPreCheck body and ListPreCheckTasks item. */
export const ccePrecheckTaskSchema = z.looseObject({ ...ccePrecheckFields, status: ccePrecheckStatusSchema });
export type CcePrecheckTask = z.output<typeof ccePrecheckTaskSchema>;

export const ccePrecheckTaskListSchema = cceList(ccePrecheckTaskSchema, { metadata: jsonObject.optional() });
export type CcePrecheckTaskList = z.output<typeof ccePrecheckTaskListSchema>;

/** CreatePreCheck response: the new task's id in `metadata.uid`; `status` may still be empty. */
export const ccePrecheckCreatedSchema = z.looseObject({
  ...ccePrecheckFields,
  status: ccePrecheckStatusSchema.partial().optional(),
});
export type CcePrecheckCreated = z.output<typeof ccePrecheckCreatedSchema>;

// ---------------------------------------------------------------------------------------------
// Add-on checks (BatchCreateAddonPrecheck, ListAddonPrecheckTasks)

/** One risk found by an add-on check. */
export const cceAddonRiskSchema = z.looseObject({
  /** e.g. `AddonStatus`, `AddonValidate`. */
  riskName: z.string(),
  /** `Warning` (may be skipped) | `Fatal` (may not be skipped). */
  level: z.string(),
  /** `Init` | `Running` | `Failed` (risk present) | `Success` (no risk). */
  status: z.string(),
  message: optionalString,
});
export type CceAddonRisk = z.output<typeof cceAddonRiskSchema>;

const cceAddonCheckMetadataSchema = z.preprocess(
  (value) => renameKey(value, "createTimestamp", "createTimeStamp"),
  z.looseObject({
    /** `addonStatic` | `addonUpgrade`. */
    type: z.string(),
    taskID: z.string().min(1),
    addonTemplateName: z.string(),
    addonInstanceName: optionalString,
    addonInstanceID: optionalString,
    /** Normalized from `createTimeStamp` or the seed example's `createTimestamp`. */
    createTimeStamp: isoTimestamp,
    /** Present once the task is terminal. */
    expireTimeStamp: optionalIsoTimestamp,
  }),
);

const cceAddonCheckTaskStatusSchema = z.looseObject({
  /** `Init` | `Running` | `Failed` (finished, risks found) | `Success` (finished, no risk). */
  status: z.string(),
  message: optionalString,
  /** Always here after parsing, even when the vendor put `riskList` beside `status`. */
  riskList: arrayOrSingle(cceAddonRiskSchema),
});

/** Moves an item-level `riskList` into `status.riskList` (docs/cce.md#docs-versus-sdk C3). */
function riskListIntoStatus(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const { riskList, ...item } = value;
  const status = item["status"];
  if (riskList === undefined || !isRecord(status)) return value;
  const inside = status["riskList"];
  return {
    ...item,
    status: { ...status, riskList: inside === undefined || inside === null ? riskList : inside },
  };
}

/** An add-on check task: ListAddonPrecheckTasks item. */
export const cceAddonCheckTaskSchema = z.preprocess(
  riskListIntoStatus,
  z.looseObject({
    metadata: cceAddonCheckMetadataSchema,
    spec: z.looseObject({ addonTargetVersion: optionalString }).optional(),
    status: cceAddonCheckTaskStatusSchema,
  }),
);
export type CceAddonCheckTask = z.output<typeof cceAddonCheckTaskSchema>;

export const cceAddonCheckTaskListSchema = cceList(cceAddonCheckTaskSchema, {
  pageInfo: z.looseObject({ currentCount: z.number().optional() }).optional(),
});
export type CceAddonCheckTaskList = z.output<typeof cceAddonCheckTaskListSchema>;

export const cceAddonInfoSchema = z.looseObject({
  addonTemplateName: z.string(),
  addonInstanceID: optionalString,
  targetVersion: optionalString,
  type: z.string(),
  values: jsonObject.optional(),
});

/**
 * BatchCreateAddonPrecheck response. The SDKs model `status.{phase,itemsStatus}`; the docs say the
 * task ids are in `status.items[].metadata.taskID` (docs/cce.md#open-questions Q1). Both are accepted.
 */
export const cceAddonCheckCreatedSchema = z.looseObject({
  ...typeMeta,
  spec: z
    .looseObject({ clusterID: optionalString, addonList: arrayOrSingle(cceAddonInfoSchema).optional() })
    .optional(),
  status: z
    .looseObject({
      phase: optionalString,
      itemsStatus: itemsStatusSchema.optional(),
      items: arrayOrSingle(cceAddonCheckTaskSchema).optional(),
    })
    .optional(),
});
export type CceAddonCheckCreated = z.output<typeof cceAddonCheckCreatedSchema>;

// ---------------------------------------------------------------------------------------------
// Upgrade workflow (CreateUpgradeWorkFlow, ListUpgradeWorkFlows, ShowUpgradeWorkFlow, UpgradeWorkFlowUpdate)

export const cceWorkflowPointStatusSchema = z.looseObject({
  /** `Cluster` | `PreCheck` | `Rollback` | `Snapshot` | `PostCheck`. */
  taskType: z.string(),
  /** Absent on points that have not run yet. */
  taskID: optionalString,
  /** `Init` | `Queuing` | `Running` | `Success` | `Failed`; absent on points that have not run. */
  status: optionalString,
  startTimeStamp: optionalIsoTimestamp,
  endTimeStamp: optionalIsoTimestamp,
  /** PreCheck points only. */
  expireTimeStamp: optionalIsoTimestamp,
});
export type CceWorkflowPointStatus = z.output<typeof cceWorkflowPointStatusSchema>;

export const cceWorkflowLineStatusSchema = z.looseObject({
  startPoint: z.looseObject({ taskType: optionalString }).optional(),
  endPoint: z.looseObject({ taskType: optionalString }).optional(),
  /** Sent as a string by older APIs, as a boolean by newer ones; always a boolean here. */
  critical: looseBoolean.optional(),
});

export const cceUpgradeWorkflowSchema = z.looseObject({
  ...typeMeta,
  /** `uid`: the `upgrade_workflow_id`. */
  metadata: cceMetadata({
    name: optionalString,
    labels: stringMap.optional(),
    annotations: stringMap.optional(),
  }),
  spec: z
    .looseObject({ clusterID: optionalString, clusterVersion: optionalString, targetVersion: optionalString })
    .optional(),
  status: z
    .looseObject({
      /**
       * `Init` | `Running` | `Pending` (**a task failed**, not "waiting") | `Success` | `Cancel`.
       */
      phase: optionalString,
      pointStatuses: arrayOrSingle(cceWorkflowPointStatusSchema).optional(),
      lineStatuses: arrayOrSingle(cceWorkflowLineStatusSchema).optional(),
    })
    .optional(),
});
export type CceUpgradeWorkflow = z.output<typeof cceUpgradeWorkflowSchema>;

export const cceUpgradeWorkflowListSchema = cceList(cceUpgradeWorkflowSchema);
export type CceUpgradeWorkflowList = z.output<typeof cceUpgradeWorkflowListSchema>;

// ---------------------------------------------------------------------------------------------
// Clusters (ShowCluster, ListClusters, ShowClusterUpgradeInfo)

/** `kind` is `Cluster` or `cluster`. */
export const cceClusterSchema = z.looseObject({
  ...typeMeta,
  metadata: cceMetadata({ name: optionalString }),
  spec: z.looseObject({
    /** Current version, `vX.Y[.Z[-rN]]`, e.g. `v1.28` or `v1.28.3-r0`. */
    version: z.string().min(1),
    /** Internal platform version, `cce.X.Y`. */
    platformVersion: optionalString,
    type: optionalString,
    flavor: optionalString,
    category: optionalString,
  }),
  status: z
    .looseObject({
      /** `Available` | `Unavailable` | `Upgrading` | `Creating` | ... (docs/cce.md#cluster-status-and-versions). */
      phase: optionalString,
      jobID: optionalString,
      reason: optionalString,
      message: optionalString,
    })
    .optional(),
});
export type CceCluster = z.output<typeof cceClusterSchema>;

export const cceClusterListSchema = cceList(cceClusterSchema);
export type CceClusterList = z.output<typeof cceClusterListSchema>;

export const cceUpgradeProgressSchema = z.looseObject({
  /** `Init` | `Running` | `Pause` | `Success` | `Failed`. */
  phase: optionalString,
  progress: z.union([z.string(), z.number()]).optional(),
  completionTime: optionalIsoTimestamp,
});

export const cceUpgradeInfoSchema = z.looseObject({
  ...typeMeta,
  metadata: jsonObject.optional(),
  spec: z.looseObject({
    lastUpgradeInfo: cceUpgradeProgressSchema.optional(),
    versionInfo: z
      .looseObject({
        /** e.g. `v1.19.10`. */
        release: optionalString,
        /** e.g. `r0`. */
        patch: optionalString,
        suggestPatch: optionalString,
        targetVersions: arrayOrSingle(z.string()).optional(),
      })
      .optional(),
    upgradeFeatureGates: jsonObject.optional(),
  }),
  status: cceUpgradeProgressSchema.optional(),
});
export type CceUpgradeInfo = z.output<typeof cceUpgradeInfoSchema>;

// ---------------------------------------------------------------------------------------------
// Cluster upgrade task (UpgradeCluster, ShowUpgradeClusterTask, ListUpgradeClusterTasks)

/** `uid`: the upgrade task id. */
const cceUpgradeTaskMetadataSchema = cceMetadata();

/** UpgradeCluster response: `metadata.uid` is the upgrade task id. */
export const cceUpgradeClusterResultSchema = z.looseObject({
  metadata: cceUpgradeTaskMetadataSchema,
  spec: z
    .looseObject({
      clusterUpgradeAction: z
        .looseObject({
          version: optionalString,
          targetVersion: optionalString,
          targetPlatformVersion: optionalString,
          strategy: jsonObject.optional(),
          config: jsonObject.optional(),
        })
        .optional(),
    })
    .optional(),
});
export type CceUpgradeClusterResult = z.output<typeof cceUpgradeClusterResultSchema>;

/** ShowUpgradeClusterTask body and ListUpgradeClusterTasks item. */
export const cceUpgradeTaskSchema = z.looseObject({
  ...typeMeta,
  metadata: cceUpgradeTaskMetadataSchema,
  spec: z
    .looseObject({ version: optionalString, targetVersion: optionalString, items: z.unknown().optional() })
    .optional(),
  status: cceUpgradeProgressSchema.extend({
    /** `Init` | `Queuing` | `Running` | `Pause` | `Success` | `Failed`. */
    phase: z.string(),
  }),
});
export type CceUpgradeTask = z.output<typeof cceUpgradeTaskSchema>;

export const cceUpgradeTaskListSchema = cceList(cceUpgradeTaskSchema);
export type CceUpgradeTaskList = z.output<typeof cceUpgradeTaskListSchema>;

// ---------------------------------------------------------------------------------------------
// Master snapshot before an upgrade (CreateClusterMasterSnapshot, ListClusterMasterSnapshotTasks, API
// v3.1) and the post-upgrade check (CreatePostCheck); docs/cce.md#snapshot-and-post-check.

/** CreateClusterMasterSnapshot response: the task id is the top-level `uid` (not `metadata.uid`). */
export const cceSnapshotCreatedSchema = z.looseObject({
  uid: z.string().min(1),
  metadata: z.looseObject(typeMeta).optional(),
});
export type CceSnapshotCreated = z.output<typeof cceSnapshotCreatedSchema>;

/** One ListClusterMasterSnapshotTasks item: the task's phase in `status.phase`. */
export const cceSnapshotTaskSchema = z.looseObject({
  ...typeMeta,
  metadata: cceMetadata(),
  spec: z
    .looseObject({
      /** Sub-tasks (`type` `master-backup`), each with its own `status` and failure `message`. */
      items: arrayOrSingle(
        z.looseObject({
          id: optionalString,
          type: optionalString,
          status: optionalString,
          message: optionalString,
          creationTimestamp: optionalIsoTimestamp,
          updateTimestamp: optionalIsoTimestamp,
        }),
      ),
    })
    .optional(),
  status: z
    .looseObject({
      /** `Init` | `Queuing` | `Running` | `Pause` | `Success` | `Failed`; absent before it is queued. */
      phase: optionalString,
      progress: optionalString,
      completionTime: optionalIsoTimestamp,
    })
    .optional(),
});
export type CceSnapshotTask = z.output<typeof cceSnapshotTaskSchema>;

export const cceSnapshotTaskListSchema = cceList(cceSnapshotTaskSchema, {
  metadata: jsonObject.optional(),
  status: z.looseObject({ latestBackupTime: optionalIsoTimestamp }).optional(),
});
export type CceSnapshotTaskList = z.output<typeof cceSnapshotTaskListSchema>;

/** CreatePostCheck response: the check's verdict in `status.phase` (`Success` | `Failed` | `Error`). */
export const ccePostCheckResultSchema = z.looseObject({
  ...typeMeta,
  metadata: z.looseObject({ uid: optionalString }).optional(),
  spec: z
    .looseObject({ clusterID: optionalString, clusterVersion: optionalString, targetVersion: optionalString })
    .optional(),
  status: z.looseObject({ phase: z.string(), message: optionalString }),
});
export type CcePostCheckResult = z.output<typeof ccePostCheckResultSchema>;

// ---------------------------------------------------------------------------------------------
// Add-on instances (ListAddonInstances)
//
// Wire shape checked against the vendor page "Listing Add-on Instances"
// (https://support.huaweicloud.com/intl/en-us/api-cce/cce_02_0326.html: `GET /api/v3/addons`,
// query `cluster_id` mandatory, body `{kind: "Addon", apiVersion: "v3", items: AddonInstance[]}`)
// and the Huawei Go SDK models (huaweicloud-sdk-go-v3 services/cce/v3/model:
// model_list_addon_instances_response.go, model_addon_instance.go, model_addon_metadata.go,
// model_instance_spec.go, model_addon_instance_status.go, model_versions.go). The status enum is the
// SDK's AddonInstanceStatusStatusEnum. The example response of the same page as published for Open
// Telekom Cloud (opentelekomcloud-docs/cloud-container-engine, api-ref listing_add-on_instances.rst)
// has RFC 3339 timestamps (`2019-04-02T11:36:26Z`) and `status.Reason` capitalised.

/**
 * An optional member that may also come as `null`: the SDK models declare `status`, `values` and
 * `currentVersion` without `omitempty`, so a Go server may leave `null` where there is nothing.
 */
function nullAsAbsent<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === null ? undefined : value), schema.optional()).optional();
}

/** `status.currentVersion` (SDK `Versions`): the installed add-on version's template entry. */
export const cceAddonVersionSchema = z.looseObject({
  version: optionalString,
  /** Free-form in the SDK (`*interface{}`). */
  input: z.unknown().optional(),
  stable: z.boolean().optional(),
  /** Free-form in the SDK (`*interface{}`). */
  translate: z.unknown().optional(),
  supportVersions: arrayOrSingle(
    z.looseObject({
      clusterType: optionalString,
      /** Regular expressions over cluster versions. */
      clusterVersion: arrayOrSingle(z.string()).optional(),
    }),
  ).optional(),
  creationTimestamp: optionalIsoTimestamp,
  updateTimestamp: optionalIsoTimestamp,
});
export type CceAddonVersion = z.output<typeof cceAddonVersionSchema>;

/** One installed add-on (`AddonInstance`, `kind` `Addon`): ListAddonInstances item. */
export const cceAddonInstanceSchema = z.looseObject({
  ...typeMeta,
  /** `uid`: the add-on instance id (`addonInstanceID` of the add-on checks). */
  metadata: cceMetadata({
    /** e.g. `cceaddon-coredns` or the template name; not an identifier we rely on. */
    name: optionalString,
    alias: optionalString,
    labels: stringMap.optional(),
    annotations: stringMap.optional(),
  }),
  spec: z.looseObject({
    clusterID: optionalString,
    /** The installed version, e.g. `1.29.4`. */
    version: z.string().min(1),
    /** e.g. `coredns`, `everest`. */
    addonTemplateName: z.string().min(1),
    /** e.g. `helm`. */
    addonTemplateType: optionalString,
    addonTemplateLogo: optionalString,
    addonTemplateLabels: arrayOrSingle(z.string()).optional(),
    description: optionalString,
    values: nullAsAbsent(jsonObject),
  }),
  status: nullAsAbsent(
    z.looseObject({
      /**
       * `running` | `abnormal` | `installing` | `installFailed` | `upgrading` | `upgradeFailed` |
       * `deleting` | `deleteSuccess` | `deleteFailed` | `available` | `rollbacking`.
       */
      status: optionalString,
      /** Note the vendor's capitalised `Reason`. */
      Reason: optionalString,
      message: optionalString,
      /** Cluster versions this add-on version supports upgrading to. */
      targetVersions: arrayOrSingle(z.string()).optional(),
      currentVersion: nullAsAbsent(cceAddonVersionSchema),
    }),
  ),
});
export type CceAddonInstance = z.output<typeof cceAddonInstanceSchema>;

export const cceAddonInstanceListSchema = cceList(cceAddonInstanceSchema);
export type CceAddonInstanceList = z.output<typeof cceAddonInstanceListSchema>;

// ---------------------------------------------------------------------------------------------
// Nodes and node pools (ListNodes, ListNodePools), read to name the node pool of a node-scoped
// precheck item (docs/cce.md#node-pools). Only what that needs is typed; the rest passes through.
// Vendor pages "Listing All Nodes in a Cluster" (cce_02_0243) and "Listing All Node Pools in a
// Specified Cluster" (cce_02_0269): `items[].metadata.{name, uid}`, and on a node the annotation
// `kubernetes.io/node-pool.id`, which holds its pool's `uid` (for a node outside any custom pool, a
// synthetic `az#flavor#os` id that no ListNodePools item carries).

/** The annotation naming a node's pool. */
export const CCE_NODE_POOL_ANNOTATION = "kubernetes.io/node-pool.id";

export const cceNodeSchema = z.looseObject({
  ...typeMeta,
  metadata: z.looseObject({
    uid: optionalString,
    name: optionalString,
    annotations: z.preprocess(
      (v) => (v === null ? undefined : v),
      z.record(z.string(), z.unknown()).optional(),
    ),
  }),
});
export type CceNode = z.output<typeof cceNodeSchema>;

export const cceNodeListSchema = cceList(cceNodeSchema);
export type CceNodeList = z.output<typeof cceNodeListSchema>;

export const cceNodePoolSchema = z.looseObject({
  ...typeMeta,
  metadata: z.looseObject({ uid: optionalString, name: optionalString }),
});
export type CceNodePool = z.output<typeof cceNodePoolSchema>;

export const cceNodePoolListSchema = cceList(cceNodePoolSchema);
export type CceNodePoolList = z.output<typeof cceNodePoolListSchema>;

// ---------------------------------------------------------------------------------------------
// Error body (any of the shapes CCE and its API gateway send)

/** CCE `{errorCode, errorMessage}` (sometimes with `message`) and APIGW `{error_code, error_msg, request_id}`. */
export const cceErrorBodySchema = z.looseObject({
  errorCode: optionalString,
  errorMessage: optionalString,
  error_code: optionalString,
  error_msg: optionalString,
  request_id: optionalString,
  message: optionalString,
});
export type CceErrorBody = z.output<typeof cceErrorBodySchema>;
