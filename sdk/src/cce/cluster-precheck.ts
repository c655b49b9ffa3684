import * as pulumi from "@pulumi/pulumi";
import {
  type FindingCounts,
  type ReadinessSnapshot,
  type ResolvedLocation,
  type Verdict,
  type WorstSeverity,
} from "@upgrade-guard/provider/impl";
import {
  hasPulumiType,
  type MemberDrift,
  type NoDrift,
  registration,
  type ResourceOptions,
  type SchemaDrift,
  type SchemaInput,
} from "../resource-support";
import { TYPE_TOKENS } from "../tokens";

/** A check item to skip in a CCE precheck. */
export interface SkippedCheckItemArgs {
  /** The check item name. */
  name: pulumi.Input<string>;
  /** Limit a node check item to these node uids. */
  nodeUids?: pulumi.Input<pulumi.Input<string>[]>;
}

/** Inputs of {@link ClusterPrecheck}. */
export interface ClusterPrecheckArgs {
  /** The CCE cluster id. Replaces the resource when changed. */
  clusterId: pulumi.Input<string>;
  /** The version to check an upgrade to: `v1.30` (CCE picks the latest patch) or a patch. Replaces. */
  targetVersion: pulumi.Input<string>;
  /** The cluster's current version to send to CCE; read from the cluster when omitted. Create only. */
  currentVersion?: pulumi.Input<string>;
  /** Check items to skip. Replaces. */
  skippedCheckItems?: pulumi.Input<pulumi.Input<SkippedCheckItemArgs>[]>;
  /** Huawei Cloud region; default `upgrade-guard:region`, then `HW_REGION_NAME`. Replaces. */
  region?: pulumi.Input<string>;
  /** Project id; default `upgrade-guard:projectId`, then `HUAWEICLOUD_SDK_PROJECT_ID`. Replaces. */
  projectId?: pulumi.Input<string>;
  /** Give up waiting for the check after this many minutes (default 30). Updates in place. */
  waitTimeoutMinutes?: pulumi.Input<number>;
}

/**
 * Runs a CCE cluster pre-upgrade check (CreatePreCheck) for a target version and waits until it
 * finishes. Findings are the result: a check that found Fatal items creates successfully and says
 * so in `verdict`, `worstSeverity` and `snapshot`.
 *
 * - Preview: nothing runs; the outputs are unknown until `up`.
 * - A running precheck for the same target is adopted instead of starting another; an interrupted
 *   create is recorded with the task id and resumed by the next `up`.
 * - Refresh re-reads the task and the cluster (a vanished task removes the resource).
 * - Delete: CCE keeps prechecks (no delete API); the resource only leaves the state.
 *
 * ```typescript
 * const check = new cce.ClusterPrecheck("prod-1-30", { clusterId: "5c1e...", targetVersion: "v1.30" });
 * export const verdict = check.verdict;
 * ```
 */
export class ClusterPrecheck extends pulumi.dynamic.Resource {
  /** `pulumi-nodejs:dynamic/upgrade-guard/cce:ClusterPrecheck`. */
  static readonly __pulumiType = TYPE_TOKENS.cce.ClusterPrecheck;

  /** True when `obj` is a ClusterPrecheck (also one created by another copy of this SDK). */
  static override isInstance(obj: unknown): obj is ClusterPrecheck {
    return hasPulumiType(obj, ClusterPrecheck.__pulumiType);
  }

  /** The CCE cluster id (input). */
  declare readonly clusterId: pulumi.Output<string>;
  /** The version checked for (input). */
  declare readonly targetVersion: pulumi.Output<string>;
  /** The current version sent with the check, when given as input. */
  declare readonly currentVersion: pulumi.Output<string | undefined>;
  /** The check items skipped (input). */
  declare readonly skippedCheckItems: pulumi.Output<{ name: string; nodeUids?: string[] }[] | undefined>;
  /** The region override (input); undefined means the configuration's. */
  declare readonly region: pulumi.Output<string | undefined>;
  /** The project id override (input); undefined means the configuration's. */
  declare readonly projectId: pulumi.Output<string | undefined>;
  /** The deadline of the wait in minutes (input); undefined means 30. */
  declare readonly waitTimeoutMinutes: pulumi.Output<number | undefined>;
  /** The precheck task id (also the resource id). */
  declare readonly taskId: pulumi.Output<string>;
  /** Final vendor phase: `Success`, `Failed` (problems found) or `Error` (did not complete). */
  declare readonly phase: pulumi.Output<string>;
  /** The cluster version the check ran from. */
  declare readonly clusterVersion: pulumi.Output<string>;
  /** The target as CCE recorded it (a minor target may come back as its latest patch). */
  declare readonly checkedTargetVersion: pulumi.Output<string>;
  /** When CCE created the precheck task (ISO 8601). */
  declare readonly createdAt: pulumi.Output<string | undefined>;
  /** When CCE stops accepting this result for an upgrade. */
  declare readonly expiresAt: pulumi.Output<string | undefined>;
  /** CCE's message on the task, if any. */
  declare readonly message: pulumi.Output<string | undefined>;
  /** The normalized readiness snapshot (findings, checks, verdict, reasons, digest). */
  declare readonly snapshot: pulumi.Output<ReadinessSnapshot>;
  /** The verdict of `evaluate` on `snapshot` (`ready`, `blocked`, ...). */
  declare readonly verdict: pulumi.Output<Verdict>;
  /** The worst severity among the present findings. */
  declare readonly worstSeverity: pulumi.Output<WorstSeverity>;
  /** Present findings per severity. */
  declare readonly findingCounts: pulumi.Output<FindingCounts>;

  /** Where the resource was created (region, and project on CCE): refresh and delete go there. */
  declare readonly location: pulumi.Output<ResolvedLocation | undefined>;

  constructor(name: string, args: ClusterPrecheckArgs, opts?: ResourceOptions) {
    super(...registration("cceClusterPrecheck", name, args, opts));
  }
}

/**
 * Compile-time: {@link ClusterPrecheckArgs}, the declared outputs and the documented member types are
 * exactly the provider's schemas (`NoDrift` in resource-support.ts names a property that drifted).
 */
export type ClusterPrecheckMatchesSchemas = NoDrift<
  | SchemaDrift<ClusterPrecheckArgs, ClusterPrecheck, "cceClusterPrecheck">
  | MemberDrift<
      SkippedCheckItemArgs,
      SchemaInput<"cceClusterPrecheck", "skippedCheckItems">,
      "skippedCheckItems"
    >
>;
