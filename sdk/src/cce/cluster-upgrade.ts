import * as pulumi from "@pulumi/pulumi";
import { type ResolvedLocation, type Severity, type Waiver } from "@upgrade-guard/provider/impl";
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

/** Inputs of {@link ClusterUpgrade} (CCE). */
export interface ClusterUpgradeArgs {
  /** The CCE cluster id. Replaces. */
  clusterId: pulumi.Input<string>;
  /** The version to upgrade to (`v1.30` or a patch). A new target is a new upgrade: replaces. */
  targetVersion: pulumi.Input<string>;
  /**
   * The cluster's current version as the program saw it: a claim the policy checks against the
   * cloud (a mismatch blocks). Filled in at program time (also in preview) from
   * `getUpgradeReadiness` when omitted. Never causes a change.
   */
  currentVersion?: pulumi.Input<string>;
  /**
   * The readiness the program saw (cluster, versions, latest check id, worst severity, verdict,
   * observed-at, expiry, digest): a claim the policy checks against the facts it reads from the
   * cloud, so a stale or forged one blocks. Filled in at program time from `getUpgradeReadiness`
   * when omitted. Never causes a change.
   */
  readiness?: pulumi.Input<ReadinessSummary>;
  /** Huawei Cloud region (default from configuration). Replaces. */
  region?: pulumi.Input<string>;
  /** Project id (default from configuration). Replaces. */
  projectId?: pulumi.Input<string>;
  /** Run a fresh precheck right before upgrading (default true); false judges the latest one (a running one blocks). */
  runPrecheck?: pulumi.Input<boolean>;
  /**
   * After the upgrade, require the cluster to report the target version and CCE's post-upgrade
   * check (CreatePostCheck) to pass (default true). A failed check stops the `up` (the upgrade is
   * recorded) and the next `up` checks again.
   */
  postCheck?: pulumi.Input<boolean>;
  /**
   * Back up the control plane (CCE master snapshot) after the gate and before the upgrade (default
   * false). A failed snapshot stops the create with nothing upgraded.
   */
  snapshot?: pulumi.Input<boolean>;
  /** Rolling update: nodes per step (1-40) and scope (`Cluster` or `NodePool`). */
  strategy?: pulumi.Input<{
    userDefinedStep?: pulumi.Input<number>;
    scope?: pulumi.Input<"Cluster" | "NodePool">;
  }>;
  /** Add-on versions to move to with the cluster. */
  addons?: pulumi.Input<
    pulumi.Input<{
      addonTemplateName: pulumi.Input<string>;
      version: pulumi.Input<string>;
      values?: pulumi.Input<Record<string, unknown>>;
    }>[]
  >;
  /** Waivers for waivable findings (the gate refuses waivers for must-fix findings). */
  waivers?: pulumi.Input<pulumi.Input<Waiver>[]>;
  /** Severities that block the upgrade (default fatal and unknown). */
  blockingSeverities?: pulumi.Input<pulumi.Input<Severity>[]>;
  /** Give up waiting for the upgrade after this many minutes (default 180). */
  waitTimeoutMinutes?: pulumi.Input<number>;
  /** Give up waiting for the precheck after this many minutes (default 30). */
  precheckTimeoutMinutes?: pulumi.Input<number>;
  /** Give up waiting for the master snapshot after this many minutes (default 30). */
  snapshotTimeoutMinutes?: pulumi.Input<number>;
}

/** What CCE's post-upgrade check and the cluster said after the upgrade. */
export interface PostCheckResult {
  /** The cluster's version after the upgrade. */
  clusterVersion: string;
  /** The cluster's phase after the upgrade (`Available`, ...). */
  clusterPhase?: string;
  /** Whether the cluster reports the target version. */
  reachedTarget: boolean;
  /** CCE's post-check task id. */
  taskId?: string;
  /** CCE's post-check verdict: `Success`, `Failed` or `Error`. */
  phase?: string;
  /** What CCE's post-check said, if anything. */
  message?: string;
}

/** The master snapshot taken before the upgrade. */
export interface SnapshotResult {
  /** The snapshot task id. */
  taskId: string;
  /** Its final phase (`Success`). */
  phase: string;
  /** When it finished (ISO 8601). */
  completedAt?: string;
}

/** The readiness the upgrade was started on. */
export interface UpgradeGate {
  /** The verdict the gate decided on. */
  verdict: string;
  /** The worst severity among the present findings. */
  worstSeverity: string;
  /** Digest of the readiness snapshot the gate evaluated. */
  digest: string;
  /** When that snapshot was read (ISO 8601). */
  observedAt: string;
  /** Check names of findings a waiver let through. */
  waived: string[];
}

/**
 * Upgrades a CCE cluster: upgrade workflow, fresh pre-upgrade check, gate, optional master snapshot,
 * UpgradeCluster, wait, post-check (the cluster's version and CCE's post-upgrade check). The gate is the second line of defence behind the policy pack: it refuses to start
 * when the latest check for the target has blocking findings (Fatal, must-fix, unknown).
 *
 * - Preview: nothing runs, but `currentVersion` and `readiness` are known (filled in by
 *   `getUpgradeReadiness`), so a policy can block the change right there.
 * - Already on the target: nothing is started (`phase: AlreadyAtTarget`).
 * - A running upgrade for the target is adopted; an interrupted create is recorded with the task id
 *   and the next `up` resumes the wait (never a second upgrade).
 * - Refresh reports a cluster moved off this version out of band in `outOfBand`.
 * - Delete: an upgrade cannot be undone; the resource only leaves the state.
 *
 * ```typescript
 * const upgrade = new cce.ClusterUpgrade("prod", { clusterId, targetVersion: "v1.30" });
 * export const version = upgrade.clusterVersion;
 * ```
 */
export class ClusterUpgrade extends pulumi.dynamic.Resource {
  /** `pulumi-nodejs:dynamic/upgrade-guard/cce:ClusterUpgrade`. */
  static readonly __pulumiType = TYPE_TOKENS.cce.ClusterUpgrade;

  /** True when `obj` is a CCE ClusterUpgrade (also one created by another copy of this SDK). */
  static override isInstance(obj: unknown): obj is ClusterUpgrade {
    return hasPulumiType(obj, ClusterUpgrade.__pulumiType);
  }

  /** The CCE cluster id (input). */
  declare readonly clusterId: pulumi.Output<string>;
  /** The version to upgrade to (input). */
  declare readonly targetVersion: pulumi.Output<string>;
  /** The version the program saw before the upgrade (input, for policies). */
  declare readonly currentVersion: pulumi.Output<string>;
  /** The readiness the program saw (input, for policies). */
  declare readonly readiness: pulumi.Output<ReadinessSummary>;
  /** The region override (input); undefined means the configuration's. */
  declare readonly region: pulumi.Output<string | undefined>;
  /** The project id override (input); undefined means the configuration's. */
  declare readonly projectId: pulumi.Output<string | undefined>;
  /** The CCE upgrade task id (the resource id, unless nothing had to be upgraded). */
  declare readonly upgradeTaskId: pulumi.Output<string | undefined>;
  /** The upgrade workflow the upgrade ran in (adopted or created). */
  declare readonly workflowId: pulumi.Output<string | undefined>;
  /** The precheck the gate decided on. */
  declare readonly precheckTaskId: pulumi.Output<string | undefined>;
  /** Upgrade task phase (`Success`, ...) or `AlreadyAtTarget`. */
  declare readonly phase: pulumi.Output<string>;
  /** The cluster version before the upgrade. */
  declare readonly fromVersion: pulumi.Output<string | undefined>;
  /** The cluster version now (after the upgrade, or as refreshed). */
  declare readonly clusterVersion: pulumi.Output<string>;
  /** What the gate decided on: verdict, worst severity, digest, observed-at, waived findings. */
  declare readonly gate: pulumi.Output<UpgradeGate | undefined>;
  /** When CCE created the upgrade task (ISO 8601). */
  declare readonly startedAt: pulumi.Output<string | undefined>;
  /** When the upgrade task finished (ISO 8601). */
  declare readonly completedAt: pulumi.Output<string | undefined>;
  /** Whether the post-check runs (input; undefined means true). */
  declare readonly postCheck: pulumi.Output<boolean | undefined>;
  /** Whether a fresh precheck runs first (input; undefined means true). */
  declare readonly runPrecheck: pulumi.Output<boolean | undefined>;
  /** Whether a master snapshot is taken before the upgrade (input; undefined means false). */
  declare readonly snapshot: pulumi.Output<boolean | undefined>;
  /** The deadline of the snapshot wait in minutes (input); undefined means 30. */
  declare readonly snapshotTimeoutMinutes: pulumi.Output<number | undefined>;
  /** The master snapshot taken before the upgrade (`snapshot: true`). */
  declare readonly snapshotResult: pulumi.Output<SnapshotResult | undefined>;
  /** The rolling-update strategy (input). */
  declare readonly strategy: pulumi.Output<
    { userDefinedStep?: number; scope?: "Cluster" | "NodePool" } | undefined
  >;
  /** The add-on versions moved with the cluster (input). */
  declare readonly addons: pulumi.Output<
    { addonTemplateName: string; version: string; values?: Record<string, unknown> }[] | undefined
  >;
  /** The waivers given to the gate (input). */
  declare readonly waivers: pulumi.Output<Waiver[] | undefined>;
  /** The severities that block, besides the ones that always do (input). */
  declare readonly blockingSeverities: pulumi.Output<Severity[] | undefined>;
  /** The deadline of the upgrade wait in minutes (input); undefined means 180. */
  declare readonly waitTimeoutMinutes: pulumi.Output<number | undefined>;
  /** The deadline of the precheck wait in minutes (input); undefined means 30. */
  declare readonly precheckTimeoutMinutes: pulumi.Output<number | undefined>;
  /** What the post-check saw: the cluster's version and phase, and CCE's post-upgrade check. */
  declare readonly postCheckResult: pulumi.Output<PostCheckResult | undefined>;
  /** Set by refresh when the cluster moved off this upgrade's version outside Pulumi. */
  declare readonly outOfBand: pulumi.Output<string | undefined>;

  /** Where the resource was created (region, and project on CCE): refresh and delete go there. */
  declare readonly location: pulumi.Output<ResolvedLocation | undefined>;

  constructor(name: string, args: ClusterUpgradeArgs, opts?: ResourceOptions) {
    super(...registration("cceClusterUpgrade", name, withPolicyFacingInputs("cce", args), opts));
  }
}

/**
 * Compile-time: {@link ClusterUpgradeArgs}, the declared outputs and the documented member types are
 * exactly the provider's schemas (`NoDrift` in resource-support.ts names a property that drifted).
 */
export type ClusterUpgradeMatchesSchemas = NoDrift<
  | SchemaDrift<ClusterUpgradeArgs, ClusterUpgrade, "cceClusterUpgrade">
  | MemberDrift<UpgradeGate, SchemaOutput<"cceClusterUpgrade", "gate">, "gate">
  | MemberDrift<PostCheckResult, SchemaOutput<"cceClusterUpgrade", "postCheckResult">, "postCheckResult">
  | MemberDrift<SnapshotResult, SchemaOutput<"cceClusterUpgrade", "snapshotResult">, "snapshotResult">
>;
