import * as pulumi from "@pulumi/pulumi";
import { cceUpgradeWorkflowProvider } from "../providers";
import { hasPulumiType, type ResourceOptions, seedOutputs } from "../resource-support";
import { TOKEN_MODULES, TYPE_TOKENS } from "../tokens";

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
  taskId?: string;
  /** `Init` | `Queuing` | `Running` | `Success` | `Failed`; absent until the step runs. */
  status?: string;
  startedAt?: string;
  endedAt?: string;
  expiresAt?: string;
}

const INPUTS = ["clusterId", "targetVersion", "currentVersion", "region", "projectId"] as const;
const OUTPUTS = [
  "workflowId",
  "phase",
  "clusterVersion",
  "workflowTargetVersion",
  "createdAt",
  "updatedAt",
  "pointStatuses",
] as const;

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

  declare readonly clusterId: pulumi.Output<string>;
  declare readonly targetVersion: pulumi.Output<string>;
  declare readonly currentVersion: pulumi.Output<string | undefined>;
  declare readonly region: pulumi.Output<string | undefined>;
  declare readonly projectId: pulumi.Output<string | undefined>;
  /** The workflow id (also the resource id). */
  declare readonly workflowId: pulumi.Output<string>;
  /** `Init` | `Running` | `Pending` (a task FAILED) | `Success` | `Cancel`. */
  declare readonly phase: pulumi.Output<string>;
  declare readonly clusterVersion: pulumi.Output<string | undefined>;
  /** The target as CCE recorded it. */
  declare readonly workflowTargetVersion: pulumi.Output<string>;
  declare readonly createdAt: pulumi.Output<string | undefined>;
  declare readonly updatedAt: pulumi.Output<string | undefined>;
  declare readonly pointStatuses: pulumi.Output<WorkflowPoint[]>;

  constructor(name: string, args: UpgradeWorkflowArgs, opts?: ResourceOptions) {
    super(
      cceUpgradeWorkflowProvider,
      name,
      { ...seedOutputs([...INPUTS, ...OUTPUTS]), ...args },
      opts,
      TOKEN_MODULES.cce,
      "UpgradeWorkflow",
    );
  }
}
