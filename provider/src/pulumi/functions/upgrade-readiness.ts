// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/upgradeinfo
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/precheck/tasks
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/addons/precheck/tasks
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgrade/tasks
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgradeworkflows
// @API ACK GET /clusters/{ClusterId}
// @API ACK GET /clusters/{cluster_id}/checks
// @API ACK GET /clusters/{cluster_id}/checks/{check_id}
// @API ACK GET /clusters/{cluster_id}/tasks
// @API ACK GET /tasks/{task_id}
/**
 * `getUpgradeReadiness`: may this cluster move to that version? The facts gatherer
 * (readiness/facts.ts) reads the cluster, its latest checks for the target and any upgrade in
 * flight into the normalized readiness snapshot, and `evaluate` (the one verdict function) decides.
 * Read-only, so it runs during `pulumi preview`, where its summary feeds the upgrade resources'
 * inputs (claims the policy pack checks against the same facts, read again).
 */
import { z } from "zod";
import { type SnapshotEvaluateOptions } from "../../readiness/build";
import {
  blockingSeveritiesSchema,
  endOfSupportNoticeDaysSchema,
  evaluate,
  waiverSchema,
  type WaiverApplied,
  type WaiverRefused,
} from "../../readiness/evaluate";
import { cloudSchema, type Finding, type ReadinessSnapshot } from "../../readiness/model";
import { readAckReadiness, readCceReadiness } from "../../readiness/facts";
import { MAX_CHECK_AGE_MS } from "../../readiness/latest";
import { definedMembers } from "../../internal/validate";
import { kubernetesVersion, nonEmpty, nowMs, resourceId, withVendor } from "../shared/common";
import { dataFunction, type FunctionContext } from "./context";
import { type ReadinessSummary, summarizeReadiness } from "../../readiness/summary";

/** Arguments of `getUpgradeReadiness`. */
export const getUpgradeReadinessArgs = z
  .strictObject({
    /** `cce` (Huawei Cloud) or `ack` (Alibaba Cloud). */
    cloud: cloudSchema,
    clusterId: resourceId,
    /**
     * The version to upgrade to. Default: ACK the cluster's `next_version`; CCE the newest version
     * ShowClusterUpgradeInfo offers; when nothing newer is offered, the current version (verdict
     * `ready`: no version change).
     */
    targetVersion: kubernetesVersion.optional(),
    region: nonEmpty.optional(),
    /** CCE only. */
    projectId: nonEmpty.optional(),
    /** Checks older than this do not count (default: vendor expiry, else 60 minutes); at most 30 days. */
    maxAgeMinutes: z
      .number({ error: "must be a number of minutes" })
      .positive({ error: "must be more than 0 minutes" })
      .max(MAX_CHECK_AGE_MS / 60_000, {
        error: `must be at most ${MAX_CHECK_AGE_MS / 60_000} minutes (30 days)`,
      })
      .optional(),
    /** Severities that block (default fatal and unknown). */
    blockingSeverities: blockingSeveritiesSchema.optional(),
    /** No check for the target blocks (default true). */
    missingCheckBlocks: z.boolean().optional(),
    /** A check still running blocks (default true). */
    pendingBlocks: z.boolean().optional(),
    waivers: z.array(waiverSchema).optional(),
    /** Notice a current version this many days or fewer from its end of support (default 90; ACK). */
    endOfSupportNoticeDays: endOfSupportNoticeDaysSchema.optional(),
  })
  .superRefine((args, ctx) => {
    if (args.cloud === "ack" && args.projectId !== undefined)
      ctx.addIssue({ code: "custom", path: ["projectId"], message: "applies to cloud cce only" });
  });
/** Arguments of `getUpgradeReadiness`. */
export type GetUpgradeReadinessArgs = z.input<typeof getUpgradeReadinessArgs>;

/** The snapshot, plus what `evaluate` decided with the given options, plus the summary for inputs. */
export interface UpgradeReadiness extends ReadinessSnapshot {
  /** True when the upgrade may proceed. */
  readonly allowed: boolean;
  /** Present findings that block (after waivers). */
  readonly blocking: Finding[];
  /** Present findings that do not block (info excluded). */
  readonly warnings: Finding[];
  /** The waivers that let a finding through, with the finding. */
  readonly waiversApplied: WaiverApplied[];
  /** The waivers given but not applied, each with the reason. */
  readonly waiversRefused: WaiverRefused[];
  /** Advisory sentences that never block (the current version past or near its end of support). */
  readonly notices: string[];
  /** What the upgrade resources carry in their `readiness` input. */
  readonly summary: ReadinessSummary;
}

/** The arguments of `getUpgradeReadiness` that carry `evaluate`'s options. */
export type UpgradeReadinessPolicyArgs = Pick<
  GetUpgradeReadinessArgs,
  | "maxAgeMinutes"
  | "blockingSeverities"
  | "missingCheckBlocks"
  | "pendingBlocks"
  | "waivers"
  | "endOfSupportNoticeDays"
>;

/** The options the function passes to `evaluate` as they are (`maxAgeMinutes` is converted). */
const PASSED_AS_IS = [
  "blockingSeverities",
  "missingCheckBlocks",
  "pendingBlocks",
  "waivers",
  "endOfSupportNoticeDays",
] as const;

/** `evaluate`'s options from the function's arguments; `upgradeReadinessPolicyArgs` is its inverse. */
function evaluateOptionsOf(args: z.output<typeof getUpgradeReadinessArgs>): SnapshotEvaluateOptions {
  return {
    ...(args.maxAgeMinutes === undefined
      ? {}
      : { maxAgeMs: Math.max(1, Math.round(args.maxAgeMinutes * 60_000)) }),
    ...definedMembers<SnapshotEvaluateOptions>(args, PASSED_AS_IS),
  };
}

/**
 * The `getUpgradeReadiness` arguments that ask for `options` (evaluate's options as a caller holds
 * them, e.g. the CLI's `--policy` file): the inverse of how the function turns its arguments into
 * options, kept beside it so the two cannot drift. `now` is not among them: the function judges at
 * the time it reads the cloud.
 */
export function upgradeReadinessPolicyArgs(options: SnapshotEvaluateOptions): UpgradeReadinessPolicyArgs {
  return {
    ...(options.maxAgeMs === undefined ? {} : { maxAgeMinutes: options.maxAgeMs / 60_000 }),
    ...definedMembers<UpgradeReadinessPolicyArgs>(options, PASSED_AS_IS),
  };
}

// Typed without the `DataFunction` alias: the package root exports this function, not the alias.
/**
 * Readiness of a cluster upgrade, decided by `evaluate`. Throws `InputError` for bad arguments,
 * `ConfigError` for missing credentials, `ApiError` when the cloud refuses.
 */
export const getUpgradeReadiness: (
  args: GetUpgradeReadinessArgs,
  context?: FunctionContext,
) => Promise<UpgradeReadiness> = dataFunction(
  "getUpgradeReadiness",
  getUpgradeReadinessArgs,
  async (a, ctx) => {
    const options = evaluateOptionsOf(a);
    // The facts, read by the cloud's gatherer with the clients the function's context configures.
    const request = {
      clusterId: a.clusterId,
      ...(a.targetVersion === undefined ? {} : { targetVersion: a.targetVersion }),
      evaluateOptions: options,
      now: nowMs,
    };
    const snapshot = await (a.cloud === "cce"
      ? withVendor("CCE", a, (cce) => readCceReadiness(cce, request), ctx)
      : withVendor("ACK", a, (ack) => readAckReadiness(ack, request), ctx));
    return {
      ...snapshot,
      // The same decision as the snapshot's, in the words of the caller (`rerun`).
      ...evaluate(
        snapshot,
        { ...options, now: snapshot.observedAt },
        ctx.rerun === undefined ? {} : { rerun: ctx.rerun },
      ),
      summary: summarizeReadiness(snapshot),
    };
  },
);
