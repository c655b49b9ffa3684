/**
 * Fills the policy-facing inputs of the upgrade resources (`currentVersion`, `readiness`) at
 * program time through `getUpgradeReadinessOutput`, unless the user supplied them. Data functions
 * run during preview, so a policy sees real values there and can block before anything changes.
 */
import type * as pulumi from "@pulumi/pulumi";
import { type ClusterUpgradeArgs as CceClusterUpgradeArgs } from "./cce/cluster-upgrade";
import { getUpgradeReadinessOutput, type ReadinessSummary } from "./readiness";
import { type DataFunctionOptions } from "./function-context";

/**
 * The inputs of an upgrade resource that a policy reads, as the upgrade resources document them
 * (ACK's `ClusterUpgradeArgs` has the same ones but `projectId`, which is optional here).
 */
export type PolicyFacingArgs = Pick<
  CceClusterUpgradeArgs,
  "clusterId" | "targetVersion" | "currentVersion" | "readiness" | "region" | "projectId"
>;

/** `T` with the policy-facing claims always present. */
type WithPolicyFacing<T> = T & {
  currentVersion: pulumi.Input<string>;
  readiness: pulumi.Input<ReadinessSummary>;
};

/**
 * `args` with `currentVersion` and `readiness` filled in. The readiness is computed with the
 * default evaluation options, never with the resource's own waivers: a program must not be able
 * to waive its way past the policy by setting inputs.
 */
export function withPolicyFacingInputs<T extends PolicyFacingArgs>(
  cloud: "cce" | "ack",
  args: T,
  opts?: DataFunctionOptions,
): WithPolicyFacing<T> {
  if (args.currentVersion !== undefined && args.readiness !== undefined) {
    return args as WithPolicyFacing<T>;
  }
  const live = getUpgradeReadinessOutput(
    {
      cloud,
      clusterId: args.clusterId,
      targetVersion: args.targetVersion,
      ...(args.region === undefined ? {} : { region: args.region }),
      ...(cloud === "cce" && args.projectId !== undefined ? { projectId: args.projectId } : {}),
    },
    opts,
  );
  return {
    ...args,
    currentVersion: args.currentVersion ?? live.apply((readiness) => readiness.currentVersion),
    readiness: args.readiness ?? live.apply((readiness) => readiness.summary),
  };
}
