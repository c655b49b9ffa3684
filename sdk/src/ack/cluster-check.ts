import * as pulumi from "@pulumi/pulumi";
import {
  type Finding,
  type FindingCounts,
  type ReadinessSnapshot,
  type ResolvedLocation,
  type Verdict,
  type WorstSeverity,
} from "@upgrade-guard/provider/impl";
import {
  hasPulumiType,
  type NoDrift,
  registration,
  type ResourceOptions,
  type SchemaDrift,
} from "../resource-support";
import { TYPE_TOKENS } from "../tokens";

/** Inputs of {@link ClusterCheck}. */
export interface ClusterCheckArgs {
  /** The ACK cluster id. Replaces. */
  clusterId: pulumi.Input<string>;
  /** `ClusterUpgrade` (default), `MasterUpgrade` or `NodePoolUpgrade`. Replaces. */
  type?: pulumi.Input<"ClusterUpgrade" | "MasterUpgrade" | "NodePoolUpgrade">;
  /**
   * The version to check (sent as `next_version`); required except for node pool checks, where it is
   * the pool's target (default the control plane's version). Replaces.
   */
  targetVersion?: pulumi.Input<string>;
  /** The node pool to check; required for `NodePoolUpgrade`. Replaces. */
  nodePoolId?: pulumi.Input<string>;
  /** Further RunClusterCheck `options` (not `next_version`: use `targetVersion`). Replaces. */
  options?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Alibaba Cloud region; default `upgrade-guard:alibabaRegion`, then `ALIBABA_CLOUD_REGION_ID`. Replaces. */
  region?: pulumi.Input<string>;
  /** Give up waiting after this many minutes (default 30). Updates in place. */
  waitTimeoutMinutes?: pulumi.Input<number>;
}

/**
 * Runs an ACK cluster check (RunClusterCheck) and waits for it. The outputs include the readiness
 * snapshot and its verdict: for `ClusterUpgrade` and `MasterUpgrade` checks, of the cluster's
 * upgrade to `targetVersion`; for a `NodePoolUpgrade` check, of the node pool's upgrade to
 * `targetVersion` (default the control plane's version), which also refuses a pool newer than the
 * control plane or too many minors behind it (Kubernetes version skew policy). A check that failed
 * (found problems) is a result, not an error.
 *
 * - Preview: nothing runs; outputs are unknown until `up`.
 * - A running check of the same type for the same target is adopted; an interrupted create is
 *   recorded with the check id and resumed by the next `up`.
 * - Refresh re-reads the check and the cluster (a vanished check removes the resource).
 * - Delete: ACK keeps checks (no delete API); the resource only leaves the state.
 *
 * ```typescript
 * const check = new ack.ClusterCheck("to-1-32", { clusterId, targetVersion: "1.32.1-aliyun.1" });
 * export const verdict = check.verdict;
 * const pool = new ack.ClusterCheck("workers", { clusterId, type: "NodePoolUpgrade", nodePoolId });
 * export const poolVerdict = pool.verdict;
 * ```
 */
export class ClusterCheck extends pulumi.dynamic.Resource {
  /** `pulumi-nodejs:dynamic/upgrade-guard/ack:ClusterCheck`. */
  static readonly __pulumiType = TYPE_TOKENS.ack.ClusterCheck;

  /** True when `obj` is an ACK ClusterCheck (also one created by another copy of this SDK). */
  static override isInstance(obj: unknown): obj is ClusterCheck {
    return hasPulumiType(obj, ClusterCheck.__pulumiType);
  }

  /** The ACK cluster id (input). */
  declare readonly clusterId: pulumi.Output<string>;
  /** The check type (input): `ClusterUpgrade`, `MasterUpgrade` or `NodePoolUpgrade`. */
  declare readonly type: pulumi.Output<string>;
  /** The version checked for (input; `next_version`). */
  declare readonly targetVersion: pulumi.Output<string | undefined>;
  /** The node pool checked (input; `NodePoolUpgrade` checks). */
  declare readonly nodePoolId: pulumi.Output<string | undefined>;
  /** Further RunClusterCheck options (input). */
  declare readonly options: pulumi.Output<Record<string, string> | undefined>;
  /** The region override (input); undefined means the configuration's. */
  declare readonly region: pulumi.Output<string | undefined>;
  /** The deadline of the wait in minutes (input); undefined means 30. */
  declare readonly waitTimeoutMinutes: pulumi.Output<number | undefined>;
  /** The check id (also the resource id). */
  declare readonly checkId: pulumi.Output<string>;
  /** `Succeeded` or `Failed` (problems found). */
  declare readonly status: pulumi.Output<string>;
  /** ACK's message on the check, if any. */
  declare readonly message: pulumi.Output<string | undefined>;
  /** When ACK created the check (ISO 8601). */
  declare readonly createdAt: pulumi.Output<string | undefined>;
  /** When the check finished (ISO 8601). */
  declare readonly finishedAt: pulumi.Output<string | undefined>;
  /** The cluster version when the check was read. */
  declare readonly clusterVersion: pulumi.Output<string>;
  /** The node pool's Kubernetes (kubelet) version when the check was read (node pool checks). */
  declare readonly nodePoolVersion: pulumi.Output<string | undefined>;
  /** The readiness snapshot (absent for a node pool whose version ACK does not report). */
  declare readonly snapshot: pulumi.Output<ReadinessSnapshot | undefined>;
  /** The verdict (absent for a node pool whose version ACK does not report). */
  declare readonly verdict: pulumi.Output<Verdict | undefined>;
  /** The worst severity among the present findings. */
  declare readonly worstSeverity: pulumi.Output<WorstSeverity>;
  /** Present findings per severity. */
  declare readonly findingCounts: pulumi.Output<FindingCounts>;
  /** The findings of a node pool check without a snapshot (others have them in `snapshot.findings`). */
  declare readonly findings: pulumi.Output<Finding[] | undefined>;

  /** Where the resource was created (region, and project on CCE): refresh and delete go there. */
  declare readonly location: pulumi.Output<ResolvedLocation | undefined>;

  constructor(name: string, args: ClusterCheckArgs, opts?: ResourceOptions) {
    super(...registration("ackClusterCheck", name, args, opts));
  }
}

/**
 * Compile-time: {@link ClusterCheckArgs}, the declared outputs and the documented member types are
 * exactly the provider's schemas (`NoDrift` in resource-support.ts names a property that drifted).
 */
export type ClusterCheckMatchesSchemas = NoDrift<
  SchemaDrift<ClusterCheckArgs, ClusterCheck, "ackClusterCheck">
>;
