import * as pulumi from "@pulumi/pulumi";
import { type ResolvedLocation, type Severity, type Waiver } from "@upgrade-guard/provider/impl";
import { type UpgradeGate } from "../cce/cluster-upgrade";
import { type ReadinessSummary } from "../readiness";
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
import { withPolicyFacingInputs } from "../upgrade-inputs";

/** Inputs of {@link ClusterUpgrade} (ACK). */
export interface ClusterUpgradeArgs {
  /** The ACK cluster id. Replaces. */
  clusterId: pulumi.Input<string>;
  /** The version to upgrade to, e.g. `1.32.1-aliyun.1` (sent as `next_version`). Replaces. */
  targetVersion: pulumi.Input<string>;
  /**
   * The cluster's current version as the program saw it: a claim the policy checks against the
   * cloud (a mismatch blocks). Filled in from `getUpgradeReadiness` when omitted.
   */
  currentVersion?: pulumi.Input<string>;
  /**
   * The readiness the program saw (`getUpgradeReadiness().summary`, filled in when omitted): a claim
   * the policy checks against the facts it reads from the cloud; a stale or forged one blocks.
   */
  readiness?: pulumi.Input<ReadinessSummary>;
  /** Alibaba Cloud region (default from configuration). Replaces. */
  region?: pulumi.Input<string>;
  /** Upgrade the control plane only (`master_only`). Replaces. */
  masterOnly?: pulumi.Input<boolean>;
  /** Run a fresh ClusterUpgrade check right before upgrading (default true); false judges the latest one. */
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

  /** The ACK cluster id (input). */
  declare readonly clusterId: pulumi.Output<string>;
  /** The version to upgrade to (input; `next_version`). */
  declare readonly targetVersion: pulumi.Output<string>;
  /** The version the program saw before the upgrade (input, for policies). */
  declare readonly currentVersion: pulumi.Output<string>;
  /** The readiness the program saw (input, for policies). */
  declare readonly readiness: pulumi.Output<ReadinessSummary>;
  /** The region override (input); undefined means the configuration's. */
  declare readonly region: pulumi.Output<string | undefined>;
  /** Upgrade the control plane only (input; `master_only`). */
  declare readonly masterOnly: pulumi.Output<boolean | undefined>;
  /** Whether a fresh `ClusterUpgrade` check runs first (input; undefined means true). */
  declare readonly runCheck: pulumi.Output<boolean | undefined>;
  /** Whether a failed task is cancelled (input; undefined means true). */
  declare readonly cancelOnFailure: pulumi.Output<boolean | undefined>;
  /** The waivers given to the gate (input). */
  declare readonly waivers: pulumi.Output<Waiver[] | undefined>;
  /** The severities that block, besides the ones that always do (input). */
  declare readonly blockingSeverities: pulumi.Output<Severity[] | undefined>;
  /** The deadline of the upgrade wait in minutes (input); undefined means 180. */
  declare readonly waitTimeoutMinutes: pulumi.Output<number | undefined>;
  /** The deadline of the check wait in minutes (input); undefined means 30. */
  declare readonly checkTimeoutMinutes: pulumi.Output<number | undefined>;
  /** The ACK upgrade task id (the resource id, unless nothing had to be upgraded). */
  declare readonly taskId: pulumi.Output<string | undefined>;
  /** The check the gate decided on. */
  declare readonly checkId: pulumi.Output<string | undefined>;
  /** Task state (`success`, ...) or `AlreadyAtTarget`. */
  declare readonly phase: pulumi.Output<string>;
  /** The cluster version before the upgrade. */
  declare readonly fromVersion: pulumi.Output<string | undefined>;
  /** The cluster version now (after the upgrade, or as refreshed). */
  declare readonly clusterVersion: pulumi.Output<string>;
  /** The cluster's state as ACK reports it (`running`, `upgrading`, ...). */
  declare readonly clusterState: pulumi.Output<string | undefined>;
  /** What the gate decided on: verdict, worst severity, digest, observed-at, waived findings. */
  declare readonly gate: pulumi.Output<UpgradeGate | undefined>;
  /** When ACK created the upgrade task (ISO 8601). */
  declare readonly startedAt: pulumi.Output<string | undefined>;
  /** When the upgrade task last changed (its end, once finished; ISO 8601). */
  declare readonly completedAt: pulumi.Output<string | undefined>;
  /** Set by refresh when the cluster moved off this upgrade's version outside Pulumi. */
  declare readonly outOfBand: pulumi.Output<string | undefined>;

  /** Where the resource was created (region, and project on CCE): refresh and delete go there. */
  declare readonly location: pulumi.Output<ResolvedLocation | undefined>;

  constructor(name: string, args: ClusterUpgradeArgs, opts?: ResourceOptions) {
    super(...registration("ackClusterUpgrade", name, withPolicyFacingInputs("ack", args), opts));
  }
}

/**
 * Compile-time: {@link ClusterUpgradeArgs}, the declared outputs and the documented member types are
 * exactly the provider's schemas (`NoDrift` in resource-support.ts names a property that drifted).
 */
export type ClusterUpgradeMatchesSchemas = NoDrift<
  | SchemaDrift<ClusterUpgradeArgs, ClusterUpgrade, "ackClusterUpgrade">
  | MemberDrift<UpgradeGate, SchemaOutput<"ackClusterUpgrade", "gate">, "gate">
>;
