// @API ACK GET /clusters/{ClusterId}
// @API ACK POST /clusters/{cluster_id}/checks
// @API ACK GET /clusters/{cluster_id}/checks
// @API ACK GET /clusters/{cluster_id}/checks/{check_id}
// @API ACK GET /clusters/{cluster_id}/nodepools/{nodepool_id}
/**
 * `ack.ClusterCheck`: runs an ACK cluster check (RunClusterCheck) of type `ClusterUpgrade`
 * (default), `MasterUpgrade` or `NodePoolUpgrade` for a target version and waits for it, with the
 * lifecycle every check resource shares (check-lifecycle.ts).
 *
 * - create: a running check is adopted only when ACK lists the options it ran with and they equal
 *   `options` (ListClusterChecks documents no options, so in practice a new check is started; an
 *   adopted check could otherwise have run with options this resource did not ask for). ACK lists
 *   do not always record a check's target either, so a running check without one is adopted only
 *   when the target is the cluster's `next_version`, the only version ACK upgrades to; a new check
 *   is started with `next_version`. Outputs the check and its readiness snapshot: for
 *   ClusterUpgrade and MasterUpgrade checks the cluster's upgrade to `targetVersion`; for a
 *   NodePoolUpgrade check the pool's upgrade to `targetVersion` (default the control plane's
 *   version), judged by `evaluate` with the version skew rule too. A node pool whose version ACK
 *   does not report gets findings only, no verdict.
 * - diff: cluster, type, target, node pool, options and region replace; `waitTimeoutMinutes` updates.
 */
import { z } from "zod";
import { type AckClient } from "../../clients/ack/client";
import {
  type AckClusterCheck,
  type AckClusterDetail,
  type AckNodePool,
  ackNodePoolVersion,
} from "../../clients/ack/schemas";
import { buildAckSnapshot } from "../../readiness/build";
import { ackCheckFindings, ackCheckState } from "../../readiness/from-ack";
import { latestAckCheck, latestAckNodePoolCheck, recordedTarget } from "../../readiness/facts";
import { type Finding } from "../../readiness/model";
import {
  ackLocationShape,
  compact,
  findingsOutputs,
  kubernetesVersion,
  nowMs,
  readinessOutputs,
  readinessOutputsShape,
  resourceId,
  storedObject,
  type WaitTiming,
  waitTimeoutMinutes,
  locationOutputShape,
} from "../shared/common";
import { checkLifecycle } from "./check-lifecycle";
import { isConflict } from "./vendor-errors";
import { isRecord } from "../../internal/validate";
import { anyUnknown, customIssue, type Written } from "./lifecycle";
import { log, logStarted, waitWithProgress } from "../shared/log";
import { type PropertyMap, type ResourceLifecycle } from "../shared/types";

const RESOURCE = "ack.ClusterCheck";
const FINAL_STATUSES = ["Succeeded", "Failed"];
/** Check types whose result says something about a cluster (control-plane) version change. */
const UPGRADE_CHECK_TYPES = new Set(["ClusterUpgrade", "MasterUpgrade"]);

/** Inputs of `ack.ClusterCheck` (strict: a misspelt input is a failure). */
export const ackClusterCheckInputsSchema = z
  .strictObject({
    clusterId: resourceId,
    /** `ClusterUpgrade` (default), `MasterUpgrade` or `NodePoolUpgrade`. */
    type: z.enum(["ClusterUpgrade", "MasterUpgrade", "NodePoolUpgrade"]).default("ClusterUpgrade"),
    /** The version to check an upgrade to (sent as `options.next_version`). */
    targetVersion: kubernetesVersion.optional(),
    /** The node pool to check; required for `NodePoolUpgrade` (sent as `target`). */
    nodePoolId: resourceId.optional(),
    /** Further `options` of RunClusterCheck, as the vendor accepts them. */
    options: z.record(z.string(), z.string()).optional(),
    ...ackLocationShape,
    /** Give up waiting after this many minutes (default 30). */
    waitTimeoutMinutes: waitTimeoutMinutes.optional(),
  })
  .superRefine(
    (inputs, ctx) => {
      if (typeof inputs !== "object" || inputs === null) return;
      if (anyUnknown(inputs.type, inputs.targetVersion, inputs.nodePoolId)) return;
      const nodePool = inputs.type === "NodePoolUpgrade";
      if (!nodePool && inputs.targetVersion === undefined)
        customIssue(ctx, ["targetVersion"], `is required for ${inputs.type} checks`);
      if (nodePool && inputs.nodePoolId === undefined)
        customIssue(ctx, ["nodePoolId"], "is required for NodePoolUpgrade checks");
      if (!nodePool && inputs.nodePoolId !== undefined)
        customIssue(ctx, ["nodePoolId"], "applies to NodePoolUpgrade checks only");
      if (typeof inputs.options === "object" && inputs.options?.["next_version"] !== undefined)
        customIssue(ctx, ["options", "next_version"], "set targetVersion instead");
    },
    // Also when other fields are bad, so `check` names every problem at once.
    { when: () => true },
  );
/** Inputs of `ack.ClusterCheck`, parsed. */
export type AckClusterCheckInputs = z.output<typeof ackClusterCheckInputsSchema>;

/**
 * Computed outputs of `ack.ClusterCheck` (the state holds them next to the inputs). Loose and all
 * optional: an interrupted create records only the check id and its last status, a node pool check
 * has findings but no snapshot, and state written by other versions must still read.
 */
export const ackClusterCheckOutputsSchema = z.looseObject({
  /** The check id (also the resource id). */
  checkId: z.string().optional(),
  /** `Succeeded`, `Failed` (problems found), or a running status. */
  status: z.string().optional(),
  /** ACK's message on the check. */
  message: z.string().optional(),
  /** When ACK created the check (ISO 8601). */
  createdAt: z.string().optional(),
  /** When the check finished (ISO 8601). */
  finishedAt: z.string().optional(),
  /** The cluster version when the check was read. */
  clusterVersion: z.string().optional(),
  /** The node pool's Kubernetes (kubelet) version when the check was read (node pool checks). */
  nodePoolVersion: z.string().optional(),
  /** The readiness (a node pool whose version ACK does not report has `worstSeverity` and `findingCounts` only). */
  ...readinessOutputsShape,
  ...locationOutputShape,
  /** The findings of a node pool check without a snapshot (others have them in `snapshot.findings`). */
  findings: z.array(storedObject<Finding>()).optional(),
});
/** Computed outputs of `ack.ClusterCheck`, as read back from the state. */
export type AckClusterCheckOutputs = z.output<typeof ackClusterCheckOutputsSchema>;
type Outputs = Written<typeof ackClusterCheckOutputsSchema>;

const DIFF = {
  replaceOn: ["clusterId", "type", "targetVersion", "nodePoolId", "options", "region"],
  updateOn: ["waitTimeoutMinutes"],
} as const;

function label(inputs: AckClusterCheckInputs): string {
  return (
    `${RESOURCE} ${inputs.clusterId} ${inputs.type}` +
    (inputs.targetVersion === undefined ? "" : ` -> ${inputs.targetVersion}`)
  );
}

/** Waits until the check reaches `Succeeded` or `Failed` and returns it with its items. */
export async function waitForAckCheck(
  ack: AckClient,
  clusterId: string,
  checkId: string,
  timing: WaitTiming,
  what: string,
): Promise<AckClusterCheck> {
  return waitWithProgress(what, timing, {
    poll: (signal) => ack.getClusterCheck({ clusterId, checkId }, { signal }),
    classify: (check) => ({
      state: ackCheckState(check.status) === "pending" ? "pending" : "success",
      phase: check.status,
    }),
    task: `ACK cluster check ${checkId} of cluster ${clusterId}`,
  });
}

/** The cluster, and for a node pool check the pool, as the check's outputs need them. */
export interface AckCheckSubject {
  readonly detail: AckClusterDetail;
  readonly pool?: AckNodePool;
}

async function readSubject(
  ack: AckClient,
  inputs: Pick<AckClusterCheckInputs, "clusterId" | "type" | "nodePoolId">,
): Promise<AckCheckSubject> {
  const detail = await ack.describeClusterDetail({ clusterId: inputs.clusterId });
  if (inputs.type !== "NodePoolUpgrade" || inputs.nodePoolId === undefined) return { detail };
  const pool = await ack.describeClusterNodePoolDetail({
    clusterId: inputs.clusterId,
    nodepoolId: inputs.nodePoolId,
  });
  return { detail, pool };
}

/** Starts (or adopts) a check and returns its id. */
export async function startAckCheck(
  ack: AckClient,
  args: Pick<AckClusterCheckInputs, "clusterId" | "type" | "targetVersion" | "nodePoolId" | "options">,
  cluster: AckClusterDetail,
  what: string,
): Promise<string> {
  const { checks } = await ack.listClusterChecks({
    clusterId: args.clusterId,
    type: args.type,
    ...(args.nodePoolId === undefined ? {} : { target: args.nodePoolId }),
  });
  const pending = checks.filter((check) => ackCheckState(check.status) === "pending");
  const running =
    args.type === "NodePoolUpgrade"
      ? latestAckNodePoolCheck(
          pending,
          args.targetVersion ?? cluster.current_version,
          cluster.current_version,
        )
      : latestAckCheck(pending, args.type, args.targetVersion, cluster);
  // Only a check that ran with exactly this resource's options is this one. ListClusterChecks does
  // not document a check's options (docs/ack.md#cluster-checks), so a check that does not list
  // them cannot be shown to be this one: a new check is started instead (its result is then ours).
  const adoptable = running !== undefined && sameOptions(running["options"], args.options);
  if (running !== undefined && adoptable) {
    log("info", `${what}: adopting check ${running.check_id} already running for this target`);
    return running.check_id;
  }
  if (running !== undefined)
    log(
      "info",
      `${what}: check ${running.check_id} is running for this target, but ACK does not show that it ` +
        "ran with this resource's options; starting a check of its own",
    );
  const options = {
    ...args.options,
    ...(args.targetVersion === undefined ? {} : { next_version: args.targetVersion }),
  };
  try {
    const started = await ack.runClusterCheck({
      clusterId: args.clusterId,
      type: args.type,
      ...(args.nodePoolId === undefined ? {} : { target: args.nodePoolId }),
      ...(Object.keys(options).length === 0 ? {} : { options }),
    });
    logStarted(what, `started check ${started.check_id}`, started.recovered);
    return started.check_id;
  } catch (error) {
    if (running === undefined || !isConflict(error)) throw error;
    throw new Error(
      `${what}: check ${running.check_id} is already running for this target, but ACK does not show ` +
        "that it ran with this resource's `options`, so its result is not this check's; ACK refused " +
        "to start a second check while it runs. Wait until it finishes (GetClusterCheck, or the " +
        "cluster's check page in the ACK console), then run `pulumi up` again.",
      { cause: error },
    );
  }
}

/**
 * True when a listed check's `options` (when ACK lists them) are exactly `wanted` besides
 * `next_version`, which the target selection already matched. Options it does not list are not
 * taken as equal: they are unknown.
 */
export function sameOptions(listed: unknown, wanted: Readonly<Record<string, string>> | undefined): boolean {
  if (!isRecord(listed)) return false;
  const { next_version: _next, ...theirs } = listed;
  const ours = wanted ?? {};
  const keys = new Set([...Object.keys(theirs), ...Object.keys(ours)]);
  return [...keys].every((key) => theirs[key] === ours[key]);
}

function checkOutputs(
  inputs: AckClusterCheckInputs,
  subject: AckCheckSubject,
  region: string,
  check: AckClusterCheck,
): PropertyMap {
  const cluster = subject.detail;
  const poolVersion = subject.pool === undefined ? undefined : ackNodePoolVersion(subject.pool);
  const base: Outputs = {
    checkId: check.check_id,
    status: check.status,
    message: check.message,
    createdAt: check.created_at,
    finishedAt: check.finished_at,
    clusterVersion: cluster.current_version,
    nodePoolVersion: poolVersion,
  };
  const pool = inputs.type === "NodePoolUpgrade" && poolVersion !== undefined ? subject.pool : undefined;
  if (pool === undefined && (!UPGRADE_CHECK_TYPES.has(inputs.type) || inputs.targetVersion === undefined)) {
    // No version to judge against (a node pool whose version ACK does not report): findings, no verdict.
    const outputs: Outputs = { ...base, ...findingsOutputs(ackCheckFindings(check)) };
    return compact({ ...inputs, ...outputs });
  }
  // A node pool check judges the pool's version, a cluster check the control plane's.
  const targetVersion = inputs.targetVersion ?? cluster.current_version;
  const snapshot = buildAckSnapshot({
    cluster: {
      id: cluster.cluster_id,
      ...(cluster.name === undefined ? {} : { name: cluster.name }),
      region: cluster.region_id ?? region,
      currentVersion: poolVersion ?? cluster.current_version,
    },
    targetVersion,
    ...(pool === undefined
      ? {}
      : {
          nodePool: {
            id: pool.nodepool_info.nodepool_id,
            ...(pool.nodepool_info.name === undefined ? {} : { name: pool.nodepool_info.name }),
            controlPlaneVersion: cluster.current_version,
          },
        }),
    check: { ...check, type: check.type ?? inputs.type },
    checkTargetVersion: recordedTarget(check) ?? targetVersion,
    now: nowMs(),
  });
  const outputs: Outputs = { ...base, ...readinessOutputs(snapshot) };
  return compact({ ...inputs, ...outputs });
}

/** The `ack.ClusterCheck` lifecycle (see the module comment and check-lifecycle.ts). */
export const ackClusterCheck: ResourceLifecycle = checkLifecycle({
  resource: RESOURCE,
  vendor: "ACK",
  noun: "check",
  inputsSchema: ackClusterCheckInputsSchema,
  outputsSchema: ackClusterCheckOutputsSchema,
  diff: DIFF,
  statusKey: "status",
  idOutputs: (checkId) => ({ checkId }),
  startedStatus: "Running",
  finalStatuses: FINAL_STATUSES,
  finishedKey: "worstSeverity",
  label,
  readCluster: readSubject,
  clusterVersion: (subject) => subject.detail.current_version,
  // The cluster is read first: adopting a check without a recorded target needs its next_version.
  start: async (ack, inputs, what) => {
    const subject = await readSubject(ack, inputs);
    return { id: await startAckCheck(ack, inputs, subject.detail, what), cluster: subject };
  },
  wait: (ack, inputs, id, timing, what) => waitForAckCheck(ack, inputs.clusterId, id, timing, what),
  readCheck: (ack, { clusterId }, checkId) => ack.getClusterCheck({ clusterId, checkId }),
  statusOf: (check) => check.status,
  outputs: checkOutputs,
});
