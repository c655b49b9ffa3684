import * as pulumi from "@pulumi/pulumi";
import { type Severity, type Waiver } from "@upgrade-guard/provider/impl";
import { type UpgradeGate } from "../cce/cluster-upgrade";
import { ackClusterUpgradeProvider } from "../providers";
import { type ReadinessSummary } from "../readiness";
import { hasPulumiType, type ResourceOptions, seedOutputs } from "../resource-support";
import { TOKEN_MODULES, TYPE_TOKENS } from "../tokens";
import { withPolicyFacingInputs } from "../upgrade-inputs";

/** Inputs of {@link ClusterUpgrade} (ACK). */
export interface ClusterUpgradeArgs {
  /** The ACK cluster id. Replaces. */
  clusterId: pulumi.Input<string>;
  /** The version to upgrade to, e.g. `1.32.1-aliyun.1` (sent as `next_version`). Replaces. */
  targetVersion: pulumi.Input<string>;
  /** The cluster's current version, for policies; filled in from `getUpgradeReadiness` when omitted. */
  currentVersion?: pulumi.Input<string>;
  /** The readiness summary a policy judges by; filled in from `getUpgradeReadiness` when omitted. */
  readiness?: pulumi.Input<ReadinessSummary>;
  /** Alibaba Cloud region (default from configuration). Replaces. */
  region?: pulumi.Input<string>;
  /** Upgrade the control plane only (`master_only`). Replaces. */
  masterOnly?: pulumi.Input<boolean>;
  /** Run a fresh ClusterUpgrade check right before upgrading (default true). */
  runCheck?: pulumi.Input<boolean>;
  /** Cancel the task when it fails (default true). */
  cancelOnFailure?: pulumi.Input<boolean>;
  /** Waivers for waivable findings. */
  waivers?: pulumi.Input<pulumi.Input<Waiver>[]>;
  /** Severities that block the upgrade (default fatal and unknown). */
  blockingSeverities?: pulumi.Input<pulumi.Input<Severity>[]>;
  /** Give up waiting for the upgrade after this many minutes (default 180). */
  waitTimeoutMinutes?: pulumi.Input<number>;
  /** Give up waiting for the check after this many minutes (default 30). */
  checkTimeoutMinutes?: pulumi.Input<number>;
}

const INPUTS = [
  "clusterId",
  "targetVersion",
  "currentVersion",
  "readiness",
  "region",
  "masterOnly",
  "runCheck",
  "cancelOnFailure",
  "waivers",
  "blockingSeverities",
  "waitTimeoutMinutes",
  "checkTimeoutMinutes",
] as const;
const OUTPUTS = [
  "taskId",
  "checkId",
  "phase",
  "fromVersion",
  "clusterVersion",
  "clusterState",
  "gate",
  "startedAt",
  "completedAt",
  "outOfBand",
] as const;

/**
 * Upgrades an ACK cluster (UpgradeCluster with `next_version`), tracked through DescribeTaskInfo.
 * Before starting it runs a `ClusterUpgrade` check and REFUSES to start when the check blocks
 * (second line of defence behind the policy pack); a failed task is cancelled (CancelTask).
 *
 * - Preview: nothing runs, but `currentVersion` and `readiness` are known, so a policy can block.
 * - Already on the target: nothing is started (`phase: AlreadyAtTarget`).
 * - A running upgrade for the target is adopted; an interrupted create is recorded with the task
 *   id and resumed by the next `up`.
 * - Refresh reports out-of-band version changes in `outOfBand`.
 * - Delete: an upgrade cannot be undone; the resource only leaves the state.
 *
 * ```typescript
 * const upgrade = new ack.ClusterUpgrade("prod", { clusterId, targetVersion: "1.32.1-aliyun.1" });
 * export const taskId = upgrade.taskId;
 * ```
 */
export class ClusterUpgrade extends pulumi.dynamic.Resource {
  /** `pulumi-nodejs:dynamic/upgrade-guard/ack:ClusterUpgrade`. */
  static readonly __pulumiType = TYPE_TOKENS.ack.ClusterUpgrade;

  /** True when `obj` is an ACK ClusterUpgrade (also one created by another copy of this SDK). */
  static override isInstance(obj: unknown): obj is ClusterUpgrade {
    return hasPulumiType(obj, ClusterUpgrade.__pulumiType);
  }

  declare readonly clusterId: pulumi.Output<string>;
  declare readonly targetVersion: pulumi.Output<string>;
  declare readonly currentVersion: pulumi.Output<string>;
  declare readonly readiness: pulumi.Output<ReadinessSummary>;
  declare readonly region: pulumi.Output<string | undefined>;
  declare readonly masterOnly: pulumi.Output<boolean | undefined>;
  /** The ACK upgrade task id (the resource id, unless nothing had to be upgraded). */
  declare readonly taskId: pulumi.Output<string | undefined>;
  /** The check the gate decided on. */
  declare readonly checkId: pulumi.Output<string | undefined>;
  /** Task state (`success`, ...) or `AlreadyAtTarget`. */
  declare readonly phase: pulumi.Output<string>;
  declare readonly fromVersion: pulumi.Output<string | undefined>;
  declare readonly clusterVersion: pulumi.Output<string>;
  declare readonly clusterState: pulumi.Output<string | undefined>;
  declare readonly gate: pulumi.Output<UpgradeGate | undefined>;
  declare readonly startedAt: pulumi.Output<string | undefined>;
  declare readonly completedAt: pulumi.Output<string | undefined>;
  /** Set by refresh when the cluster moved off this upgrade's version outside Pulumi. */
  declare readonly outOfBand: pulumi.Output<string | undefined>;

  constructor(name: string, args: ClusterUpgradeArgs, opts?: ResourceOptions) {
    super(
      ackClusterUpgradeProvider,
      name,
      { ...seedOutputs([...INPUTS, ...OUTPUTS]), ...withPolicyFacingInputs("ack", args) },
      opts,
      TOKEN_MODULES.ack,
      "ClusterUpgrade",
    );
  }
}
