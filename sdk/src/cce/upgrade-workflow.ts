import * as pulumi from "@pulumi/pulumi";
import { type ResolvedLocation } from "@upgrade-guard/provider/impl";
import {
  hasPulumiType,
  type MemberDrift,
  type NoDrift,
  registration,
  type ResourceOptions,
  type SchemaDrift,
  type SchemaOutput,
} from "../resource-support";
import { TYPE_TOKENS } from "../tokens";

/** Inputs of {@link UpgradeWorkflow}. */
export interface UpgradeWorkflowArgs {
  /** The CCE cluster id. Replaces. */
  clusterId: pulumi.Input<string>;
  /** The version to upgrade to. Replaces. */
  targetVersion: pulumi.Input<string>;
  /** The cluster's current version; CCE fills it in when omitted. Create only. */
  currentVersion?: pulumi.Input<string>;
  /** Huawei Cloud region (default from configuration). Replaces. */
  region?: pulumi.Input<string>;
  /** Project id (default from configuration). Replaces. */
  projectId?: pulumi.Input<string>;
}

/** The state of one step of a workflow. */
export interface WorkflowPoint {
  /** `Cluster` | `PreCheck` | `Rollback` | `Snapshot` | `PostCheck`. */
  taskType: string;
  /** The task that runs this step, once started. */
  taskId?: string;
  /** `Init` | `Queuing` | `Running` | `Success` | `Failed`; absent until the step runs. */
  status?: string;
  /** When the step started (ISO 8601). */
  startedAt?: string;
  /** When the step ended (ISO 8601). */
  endedAt?: string;
  /** When the step's result expires (a precheck's, ISO 8601). */
  expiresAt?: string;
}

/**
 * A CCE upgrade workflow (CreateUpgradeWorkFlow): the container in which CCE orders pre-upgrade
 * check, upgrade and post-upgrade check. Creating it starts nothing.
 *
 * - Preview: nothing is created; outputs are unknown until `up`.
 * - An open workflow for the same target is adopted (CCE allows one open workflow per cluster).
 * - Refresh re-reads phase and point statuses (a vanished workflow removes the resource).
 * - Delete cancels the workflow when CCE allows it (not Running, Success or Cancel, and no task
 *   running or queued); otherwise it is left in CCE and the log says why.
 *
 * ```typescript
 * const workflow = new cce.UpgradeWorkflow("prod-to-1-30", { clusterId, targetVersion: "v1.30" });
 * export const workflowPhase = workflow.phase;
 * ```
 */
export class UpgradeWorkflow extends pulumi.dynamic.Resource {
  /** `pulumi-nodejs:dynamic/upgrade-guard/cce:UpgradeWorkflow`. */
  static readonly __pulumiType = TYPE_TOKENS.cce.UpgradeWorkflow;

  /** True when `obj` is an UpgradeWorkflow (also one created by another copy of this SDK). */
  static override isInstance(obj: unknown): obj is UpgradeWorkflow {
    return hasPulumiType(obj, UpgradeWorkflow.__pulumiType);
  }

  /** The CCE cluster id (input). */
  declare readonly clusterId: pulumi.Output<string>;
  /** The version to upgrade to (input). */
  declare readonly targetVersion: pulumi.Output<string>;
  /** The current version sent at create, when given as input. */
  declare readonly currentVersion: pulumi.Output<string | undefined>;
  /** The region override (input); undefined means the configuration's. */
  declare readonly region: pulumi.Output<string | undefined>;
  /** The project id override (input); undefined means the configuration's. */
  declare readonly projectId: pulumi.Output<string | undefined>;
  /** The workflow id (also the resource id). */
  declare readonly workflowId: pulumi.Output<string>;
  /** `Init` | `Running` | `Pending` (a task FAILED) | `Success` | `Cancel`. */
  declare readonly phase: pulumi.Output<string>;
  /** The version the workflow upgrades from, as CCE recorded it. */
  declare readonly clusterVersion: pulumi.Output<string | undefined>;
  /** The target as CCE recorded it. */
  declare readonly workflowTargetVersion: pulumi.Output<string>;
  /** When CCE created the workflow (ISO 8601). */
  declare readonly createdAt: pulumi.Output<string | undefined>;
  /** When CCE last changed the workflow (ISO 8601). */
  declare readonly updatedAt: pulumi.Output<string | undefined>;
  /** The workflow's steps with their tasks, statuses and times. */
  declare readonly pointStatuses: pulumi.Output<WorkflowPoint[]>;

  /** Where the resource was created (region, and project on CCE): refresh and delete go there. */
  declare readonly location: pulumi.Output<ResolvedLocation | undefined>;

  constructor(name: string, args: UpgradeWorkflowArgs, opts?: ResourceOptions) {
    super(...registration("cceUpgradeWorkflow", name, args, opts));
  }
}

/**
 * Compile-time: {@link UpgradeWorkflowArgs}, the declared outputs and the documented member types are
 * exactly the provider's schemas (`NoDrift` in resource-support.ts names a property that drifted).
 */
export type UpgradeWorkflowMatchesSchemas = NoDrift<
  | SchemaDrift<UpgradeWorkflowArgs, UpgradeWorkflow, "cceUpgradeWorkflow">
  | MemberDrift<WorkflowPoint, SchemaOutput<"cceUpgradeWorkflow", "pointStatuses">, "pointStatuses">
>;
