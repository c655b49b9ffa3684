import type * as pulumi from "@pulumi/pulumi";
import type { functions } from "@upgrade-guard/provider/impl";
import { providerImpl } from "./lazy";
import { type DataFunctionOptions, functionContext, type InputArgs, outputOf } from "./function-context";

/** Arguments of {@link getUpgradeReadiness}. */
export type GetUpgradeReadinessArgs = functions.GetUpgradeReadinessArgs;
/** Result of {@link getUpgradeReadiness}: the readiness snapshot, the decision and the summary. */
export type UpgradeReadiness = functions.UpgradeReadiness;
/** What the upgrade resources carry in their `readiness` input. */
export type ReadinessSummary = functions.ReadinessSummary;

/**
 * May this cluster move to that version? Reads the cluster and its latest checks for the target
 * (CCE precheck and add-on checks, ACK cluster check), builds the normalized readiness snapshot and
 * lets upgrade-guard's one `evaluate` function decide. Read-only: it runs during `pulumi preview`
 * (credentials must be available then) and returns the same answer the policy pack acts on.
 *
 * Verdicts: `ready`; `blocked` (blocking findings, or a check that failed unreadably);
 * `pending` (a check still running); `stale` (expired or too old); `unknown` (no check for the
 * target). `allowed` says whether the upgrade may proceed with the given options.
 *
 * ```typescript
 * const readiness = await getUpgradeReadiness({ cloud: "cce", clusterId, targetVersion: "v1.30" });
 * if (!readiness.allowed) pulumi.log.warn(readiness.reasons.join("\n"));
 * ```
 */
export function getUpgradeReadiness(
  args: GetUpgradeReadinessArgs,
  opts?: DataFunctionOptions,
): Promise<UpgradeReadiness> {
  return providerImpl().functions.getUpgradeReadiness(args, functionContext(opts));
}

/**
 * {@link getUpgradeReadiness} for `Input` arguments, returning an `Output` (runs once every
 * argument is known; during preview an unknown argument makes the result unknown).
 *
 * ```typescript
 * export const readiness = getUpgradeReadinessOutput({ cloud: "ack", clusterId: cluster.id });
 * ```
 */
export function getUpgradeReadinessOutput(
  args: InputArgs<GetUpgradeReadinessArgs>,
  opts?: DataFunctionOptions,
): pulumi.Output<UpgradeReadiness> {
  return outputOf(getUpgradeReadiness, args, opts);
}

/** Arguments of {@link getUpgradePath}. */
export type GetUpgradePathArgs = functions.GetUpgradePathArgs;
/** Result of {@link getUpgradePath}: the current version and the targets the cloud offers from it. */
export type UpgradePathResult = functions.UpgradePathResult;

/**
 * Where may this cluster go? The upgrade targets its cloud offers from the current version (CCE
 * ShowClusterUpgradeInfo, ACK `next_version`) and the suggested one: the same path the readiness
 * snapshot carries and `evaluate` enforces (a target outside it is blocked). Read-only.
 *
 * ```typescript
 * const path = await getUpgradePath({ cloud: "cce", clusterId });
 * const targetVersion = path.suggested ?? path.currentVersion;
 * ```
 */
export function getUpgradePath(
  args: GetUpgradePathArgs,
  opts?: DataFunctionOptions,
): Promise<UpgradePathResult> {
  return providerImpl().functions.getUpgradePath(args, functionContext(opts));
}

/** {@link getUpgradePath} for `Input` arguments, returning an `Output`. */
export function getUpgradePathOutput(
  args: InputArgs<GetUpgradePathArgs>,
  opts?: DataFunctionOptions,
): pulumi.Output<UpgradePathResult> {
  return outputOf(getUpgradePath, args, opts);
}
