/**
 * Zod schemas of the JSON bodies ACK accepts (docs/ack.md#operations, #upgrade-and-task-tracking), snake_case as on the wire. The
 * client builds its bodies with these types. The emulator does not validate with them, on purpose: its
 * own schemas (emulator/src/services/ack/ack-routes.ts) are an independent second reading of the
 * vendor's format, so a mistake here cannot be hidden by the same mistake in the emulator's check.
 */
import { z } from "zod";

/** RunClusterCheck body. */
export const ackRunClusterCheckRequestSchema = z.looseObject({
  /** `ClusterMigrate` | `MasterUpgrade` | `NodePoolUpgrade` | `ClusterUpgrade`. */
  type: z.string().min(1),
  /** The node pool id when `type` is `NodePoolUpgrade`. */
  target: z.string().min(1).optional(),
  /** For `MasterUpgrade`/`ClusterUpgrade`: `{ next_version: "1.32.1-aliyun.1" }`. */
  options: z.record(z.string(), z.string()).optional(),
});
export type AckRunClusterCheckRequest = z.output<typeof ackRunClusterCheckRequestSchema>;

/** UpgradeCluster body (the deprecated `version`, `component_name`, `rolling_policy` are still accepted). */
export const ackUpgradeClusterRequestSchema = z.looseObject({
  next_version: z.string().min(1).optional(),
  master_only: z.boolean().optional(),
  version: z.string().optional(),
  component_name: z.string().optional(),
  rolling_policy: z.looseObject({ max_parallelism: z.number().int().optional() }).optional(),
});
export type AckUpgradeClusterRequest = z.output<typeof ackUpgradeClusterRequestSchema>;

/** UpgradeClusterNodepool body (SDK `UpgradeClusterNodepoolRequest`). */
export const ackUpgradeClusterNodepoolRequestSchema = z.looseObject({
  kubernetes_version: z.string().min(1).optional(),
  ignore_warning_check: z.boolean().optional(),
  use_replace: z.boolean().optional(),
  node_names: z.array(z.string()).optional(),
  image_id: z.string().optional(),
  runtime_type: z.string().optional(),
  runtime_version: z.string().optional(),
  rolling_policy: z.looseObject({}).optional(),
});
export type AckUpgradeClusterNodepoolRequest = z.output<typeof ackUpgradeClusterNodepoolRequestSchema>;
