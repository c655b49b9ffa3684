/**
 * Zod schemas of the ACK (Alibaba Cloud Container Service, CS API 2015-12-15) responses
 * upgrade-guard reads, with the TypeScript types derived from them. Field names are the vendor's
 * snake_case as on the wire; unknown fields are kept (`z.looseObject`).
 *
 * Normalizations (docs/ack.md#docs-versus-sdk), so readers see one shape whatever the vendor sent:
 * - every timestamp becomes ISO 8601 UTC: RFC 3339 with nanoseconds or `+08:00`, zone-less stage
 *   times `2022-12-15 23:00:00` (read as UTC+8) and epoch-millisecond strings (`events[].timestamp`);
 * - task `state` `failed` (seed docs) becomes `fail` (SDK and emulator value);
 * - `target.id` is trimmed (the seed example carries a trailing `\n`);
 * - `error.code` is always a string (`"400"`), even when sent as a number.
 *
 * Enumerated fields are typed `string` so a value added by the vendor does not break parsing; the
 * known values are listed in each field's TSDoc.
 */
import { z } from "zod";
import {
  answersEmpty,
  arrayOrSingle,
  jsonObject,
  optionalIsoTimestamp,
  optionalString,
} from "../common/schema-helpers";

// ---------------------------------------------------------------------------------------------
// Cluster checks (RunClusterCheck, ListClusterChecks, GetClusterCheck)

/** RunClusterCheck response. */
export const ackRunClusterCheckResultSchema = z.looseObject({
  check_id: z.string().min(1),
  request_id: optionalString,
});
export type AckRunClusterCheckResult = z.output<typeof ackRunClusterCheckResultSchema>;

const clusterCheckFields = {
  /** e.g. `1697100584236600453-<cluster id>-clustercheck-lboto`. */
  check_id: z.string().min(1),
  /** `ClusterMigrate` | `MasterUpgrade` | `NodePoolUpgrade` | `ClusterUpgrade`. */
  type: optionalString,
  /** `Succeeded` | `Failed` confirmed; running values undocumented (e.g. `Running`). */
  status: z.string(),
  /** e.g. `task succeed`. */
  message: optionalString,
  created_at: optionalIsoTimestamp,
  finished_at: optionalIsoTimestamp,
};

/** ListClusterChecks item (no `check_items`). */
export const ackClusterCheckSummarySchema = z.looseObject(clusterCheckFields);
export type AckClusterCheckSummary = z.output<typeof ackClusterCheckSummarySchema>;

export const ackClusterCheckListSchema = z.looseObject({
  checks: arrayOrSingle(ackClusterCheckSummarySchema),
});
export type AckClusterCheckList = z.output<typeof ackClusterCheckListSchema>;

/**
 * One `check_items` entry, kept exactly as sent: ACK publishes no schema for it, so any value is
 * accepted here and the readiness mapping reads what it can (an entry it cannot read becomes an
 * `unknown` finding, which blocks) instead of one odd item failing the whole response.
 */
export const ackCheckItemSchema = z.unknown();
export type AckCheckItem = z.output<typeof ackCheckItemSchema>;

/** GetClusterCheck body: a check with its items grouped by category. */
export const ackClusterCheckSchema = z.looseObject({
  ...clusterCheckFields,
  /** Category → items (`{"Cluster Components": [{...}]}`); `{}` when the vendor sends none. */
  check_items: z.preprocess(
    (value) => (value === undefined || value === null ? {} : value),
    z.record(z.string(), arrayOrSingle(ackCheckItemSchema)),
  ),
});
export type AckClusterCheck = z.output<typeof ackClusterCheckSchema>;

// ---------------------------------------------------------------------------------------------
// Clusters (DescribeClusterDetail, DescribeClustersV1)

export const ackClusterDetailSchema = z.looseObject({
  cluster_id: z.string().min(1),
  name: optionalString,
  region_id: optionalString,
  /** `Kubernetes` | `ManagedKubernetes` | `ExternalKubernetes`. */
  cluster_type: optionalString,
  /** `Default` | `Edge` | `Serverless` | `Lingjun`. */
  profile: optionalString,
  cluster_spec: optionalString,
  /** e.g. `1.32.1-aliyun.1` (no leading `v`). */
  current_version: z.string().min(1),
  init_version: optionalString,
  /** The version the cluster can be upgraded to. */
  next_version: optionalString,
  /** `initial` | `running` | `upgrading` | `updating` | `failed` | ... (docs/ack.md#cluster-detail). */
  state: optionalString,
  created: optionalIsoTimestamp,
  updated: optionalIsoTimestamp,
  operation_policy: jsonObject.optional(),
  maintenance_window: jsonObject.optional(),
  /** A JSON document as a string. */
  meta_data: optionalString,
  tags: z.array(z.looseObject({ key: optionalString, value: optionalString })).optional(),
});
export type AckClusterDetail = z.output<typeof ackClusterDetailSchema>;

export const ackPageInfoSchema = z.looseObject({
  page_number: z.number().optional(),
  page_size: z.number().optional(),
  total_count: z.number().optional(),
});

export const ackClusterListSchema = z.looseObject({
  clusters: arrayOrSingle(ackClusterDetailSchema),
  page_info: ackPageInfoSchema.optional(),
});
export type AckClusterList = z.output<typeof ackClusterListSchema>;

// ---------------------------------------------------------------------------------------------
// Upgrade and tasks (UpgradeCluster, GetUpgradeStatus, DescribeTaskInfo, DescribeClusterTasks, CancelTask)

/** UpgradeCluster response. */
export const ackUpgradeClusterResultSchema = z.looseObject({
  cluster_id: optionalString,
  /** e.g. `T-5faa48fb31b6b8078d00****`; track it with DescribeTaskInfo. */
  task_id: z.string().min(1),
  request_id: optionalString,
});
export type AckUpgradeClusterResult = z.output<typeof ackUpgradeClusterResultSchema>;

/** GetUpgradeStatus body (operation deprecated by the vendor). */
export const ackUpgradeStatusSchema = z.looseObject({
  error_message: optionalString,
  precheck_report_id: optionalString,
  /** `success` | `fail` | `pause` | `running`. */
  status: z.string(),
  /** `not_start` | `prechecking` | `upgrading` | `pause` | `success`. */
  upgrade_step: optionalString,
  upgrade_task: z
    .looseObject({
      /** `running` | `Success` | `Failed` (mixed case as documented). */
      status: optionalString,
      message: optionalString,
    })
    .optional(),
});
export type AckUpgradeStatus = z.output<typeof ackUpgradeStatusSchema>;

/** Task state: `running` | `success` | `fail` | `paused` | `canceled`; the docs' `failed` becomes `fail`. */
export const ackTaskStateSchema = z.string().transform((state) => (state === "failed" ? "fail" : state));

/** `error.code` is documented as a string (`"400"`) but a number is read as one too. */
const ackTaskErrorSchema = z.looseObject({
  code: z
    .union([z.string(), z.number()])
    .transform((code) => String(code))
    .optional(),
  message: optionalString,
});

const trimmedString = z.string().transform((text) => text.trim());

/** What DescribeTaskInfo and the DescribeClusterTasks items both say of a task. */
const taskFields = {
  task_id: z.string().min(1),
  /** e.g. `cluster_scaleout`, `cluster_upgrade` (inferred for upgrades). */
  task_type: optionalString,
  created: optionalIsoTimestamp,
  updated: optionalIsoTimestamp,
  error: ackTaskErrorSchema.optional(),
};

/** DescribeTaskInfo body. */
export const ackTaskInfoSchema = z.looseObject({
  ...taskFields,
  cluster_id: optionalString,
  state: ackTaskStateSchema,
  /** e.g. `DrainNodes`. */
  current_stage: optionalString,
  target: z.looseObject({ id: trimmedString.optional(), type: optionalString }).optional(),
  parameters: jsonObject.optional(),
  outputs: jsonObject.optional(),
  stages: arrayOrSingle(
    z.looseObject({
      state: optionalString,
      /** Sent as `YYYY-MM-DD HH:mm:ss` without a zone (read as UTC+8). */
      start_time: optionalIsoTimestamp,
      end_time: optionalIsoTimestamp,
      message: optionalString,
      outputs: jsonObject.optional(),
    }),
  ).optional(),
  events: arrayOrSingle(
    z.looseObject({
      action: optionalString,
      /** e.g. `Normal`. */
      level: optionalString,
      message: optionalString,
      /** e.g. `NodePoolUpgradeStart`. */
      reason: optionalString,
      source: optionalString,
      /** Sent as epoch milliseconds in a string. */
      timestamp: optionalIsoTimestamp,
    }),
  ).optional(),
  task_result: arrayOrSingle(
    z.looseObject({
      data: optionalString,
      /** `success` | `failed` | `initial`. */
      status: optionalString,
    }),
  ).optional(),
});
export type AckTaskInfo = z.output<typeof ackTaskInfoSchema>;

/** DescribeClusterTasks item. */
export const ackClusterTaskSchema = z.looseObject({ ...taskFields, state: ackTaskStateSchema.optional() });
export type AckClusterTask = z.output<typeof ackClusterTaskSchema>;

export const ackClusterTaskListSchema = z.looseObject({
  page_info: ackPageInfoSchema.optional(),
  tasks: arrayOrSingle(ackClusterTaskSchema),
  requestId: optionalString,
  next_token: optionalString,
});
export type AckClusterTaskList = z.output<typeof ackClusterTaskListSchema>;

/** Operations that answer with no body (CancelTask): whatever JSON comes, if any, is kept. */
export const ackEmptyResultSchema = answersEmpty(z.looseObject({}));
export type AckEmptyResult = z.output<typeof ackEmptyResultSchema>;

// ---------------------------------------------------------------------------------------------
// Kubernetes version metadata (DescribeKubernetesVersionMetadata)

/** One Kubernetes version ACK publishes, with its support window. */
export const ackKubernetesVersionSchema = z.looseObject({
  /** e.g. `1.31.1-aliyun.1`. */
  version: z.string().min(1),
  /** When ACK released the version. */
  release_date: optionalIsoTimestamp,
  /** When ACK stops supporting the version (its end of support). */
  expiration_date: optionalIsoTimestamp,
  /** Whether new clusters can be created on it. */
  creatable: z.boolean().optional(),
  /** Versions a cluster on it can be upgraded to (with `QueryUpgradableVersion`). */
  upgradable_versions: arrayOrSingle(z.string()).optional(),
});
export type AckKubernetesVersion = z.output<typeof ackKubernetesVersionSchema>;

/** DescribeKubernetesVersionMetadata response: a bare JSON array (the SDK's `bodyType: array`). */
export const ackKubernetesVersionMetadataSchema = z.array(ackKubernetesVersionSchema);
export type AckKubernetesVersionMetadata = z.output<typeof ackKubernetesVersionMetadataSchema>;
// Node pools (DescribeClusterNodePools, DescribeClusterNodePoolDetail, UpgradeClusterNodepool)

/**
 * One node pool, as DescribeClusterNodePoolDetail answers and DescribeClusterNodePools lists it
 * (SDK `DescribeClusterNodePoolDetailResponseBody`). Only what upgrade-guard reads is named; the
 * rest (scaling group, node config, ...) is kept as sent.
 */
export const ackNodePoolSchema = z.looseObject({
  nodepool_info: z.looseObject({
    nodepool_id: z.string().min(1),
    name: optionalString,
    /** `ess` | `edge` | `lingjun` | ... */
    type: optionalString,
    is_default: z.boolean().optional(),
    region_id: optionalString,
    created: optionalIsoTimestamp,
    updated: optionalIsoTimestamp,
  }),
  status: z
    .looseObject({
      /** `active` | `scaling` | `removing` | `deleting` | `updating`. */
      state: optionalString,
      total_nodes: z.number().optional(),
      healthy_nodes: z.number().optional(),
      failed_nodes: z.number().optional(),
    })
    .optional(),
  kubernetes_config: z.looseObject({ runtime: optionalString, runtime_version: optionalString }).optional(),
  /** The node components with their versions; the `kubelet` entry is the pool's Kubernetes version. */
  node_components: arrayOrSingle(
    z.looseObject({
      /** e.g. `kubelet`. */
      name: optionalString,
      /** e.g. `1.33.3-aliyun.1`. */
      version: optionalString,
    }),
  ).optional(),
});
export type AckNodePool = z.output<typeof ackNodePoolSchema>;

export const ackNodePoolListSchema = z.looseObject({ nodepools: arrayOrSingle(ackNodePoolSchema) });
export type AckNodePoolList = z.output<typeof ackNodePoolListSchema>;

/**
 * The Kubernetes version of a node pool's nodes: the version of its `kubelet` node component
 * (docs/ack.md#node-pools), or `undefined` when ACK did not say.
 */
export function ackNodePoolVersion(pool: Pick<AckNodePool, "node_components">): string | undefined {
  const kubelet = pool.node_components?.find((component) => component.name?.toLowerCase() === "kubelet");
  return kubelet?.version === undefined || kubelet.version === "" ? undefined : kubelet.version;
}

/** UpgradeClusterNodepool response (the SDK maps `RequestId` and `task_id`). */
export const ackUpgradeClusterNodepoolResultSchema = z.looseObject({
  /** e.g. `T-5fd211e924e1d0078700****`; track it with DescribeTaskInfo. */
  task_id: z.string().min(1),
  RequestId: optionalString,
});
export type AckUpgradeClusterNodepoolResult = z.output<typeof ackUpgradeClusterNodepoolResultSchema>;

// ---------------------------------------------------------------------------------------------
// Error body

/** CS `{code, message, requestId}` and POP gateway `{Code, Message, RequestId}`. */
export const ackErrorBodySchema = z.looseObject({
  code: optionalString,
  message: optionalString,
  requestId: optionalString,
  Code: optionalString,
  Message: optionalString,
  RequestId: optionalString,
});
export type AckErrorBody = z.output<typeof ackErrorBodySchema>;
