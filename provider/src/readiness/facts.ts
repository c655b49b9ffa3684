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
// @API ACK GET /api/v1/metadata/versions
// @API ACK GET /clusters/{cluster_id}/nodepools/{nodepool_id}
/**
 * THE facts gatherer: everything a verdict needs, read from one cloud, with one set of selection
 * rules. The data functions, the upgrade resources' gate, the policy lookup and the CLI all call
 * `readCceReadiness` / `readAckReadiness`; none of them assembles a snapshot on its own, so for the
 * same cluster, target and instant they all judge the same facts (and get the same digest).
 *
 * What is read, and which of it counts:
 * - the cluster: its current version, region and state;
 * - the upgrade path: the targets the cloud offers from the current version (CCE
 *   ShowClusterUpgradeInfo, ACK `next_version`), always, so `evaluate` can block a target outside it;
 * - the target: the one asked for, else the newest the cloud offers, else the current version
 *   (nothing to upgrade);
 * - CCE: the newest cluster precheck whose target matches; the newest add-on upgrade check per
 *   add-on instance that is still current (running, or not expired);
 * - ACK: the newest `ClusterUpgrade` check for the target, else the newest `MasterUpgrade` one
 *   (a check whose target ACK did not record counts only when the target is the cluster's
 *   `next_version`, the only version ACK upgrades to);
 * - ACK: the current version's support window (DescribeKubernetesVersionMetadata), advisory: a
 *   failure to read it is recorded in the snapshot and never fails the gathering;
 * - ACK node pools (`nodePoolId` given): the pool's Kubernetes version (its kubelet component), the
 *   control plane's, and the newest `NodePoolUpgrade` check of that pool (listed with `target`; a
 *   check ACK records no target version for counts only when the pool's target is the control
 *   plane's version, the version ACK upgrades a pool's kubelet to); the target defaults to the
 *   control plane's version;
 * - ACK: all of the cluster's tasks (every DescribeClusterTasks page, bounded: ACK documents no order);
 *   when they cannot all be read, or an upgrade task among them has no readable time, the last
 *   upgrade time is unknown and a check without a recorded target does not count;
 * - upgrades in flight: running upgrade tasks (either cloud), CCE workflows left open for another
 *   target the cluster has not reached, and a cluster whose state says `upgrading` with no running
 *   task to name.
 *
 * Independent reads go out together, so the gathering costs about one round trip more than reading
 * the cluster.
 */
import { ackTaskTarget, recordedTarget, type AckClient } from "../clients/ack/client";
import {
  ACK_TASK_MAX_PAGES,
  ACK_TASK_PAGE_SIZE,
  type AckTaskListing,
  readAllAckClusterTasks,
} from "../clients/ack/task-pages";
import {
  type AckClusterCheckSummary,
  type AckClusterDetail,
  type AckClusterTask,
  type AckTaskInfo,
  ackNodePoolVersion,
} from "../clients/ack/schemas";
import { type CceClient } from "../clients/cce/client";
import {
  type CceAddonCheckTask,
  type CceCluster,
  type CceNode,
  type CceNodePool,
  type CcePrecheckTask,
  type CceUpgradeInfo,
  type CceUpgradeTask,
  type CceUpgradeWorkflow,
} from "../clients/cce/schemas";
import { type CallOptions } from "../clients/common/arg-schemas";
import { ApiError, ResponseShapeError, TransportError } from "../errors";
import { normalizeTimestamp, parseTimestamp } from "../internal/timestamps";
import { compareVersions, isVersionChange, parseVersion, targetMatches } from "../internal/versions";
import { buildAckSnapshot, buildCceSnapshot, type ClusterFacts, type SnapshotEvaluateOptions } from "./build";
import { cceAddonCheckRef, latestAddonChecks } from "./from-cce";
import { checkFreshness, selectLatestCheck } from "./latest";
import {
  type ReadinessSnapshot,
  type SetAsideCheck,
  type UpgradeInFlight,
  type UpgradePath,
  type VersionSupport,
} from "./model";
import { type PollState, waitFor, type WaitOptions } from "./waiter";

export { ackTaskTarget, recordedTarget };

/** What the gatherer is asked: which cluster, for which target, judged how. */
export interface ReadinessRequest<Cluster> {
  /** The vendor's cluster id. */
  readonly clusterId: string;
  /** The version to judge; default the newest the cloud offers, else the current version. */
  readonly targetVersion?: string;
  /** Options of the verdict stored in the snapshot (`evaluate` can judge it again with others). */
  readonly evaluateOptions?: SnapshotEvaluateOptions;
  /** The cluster as just read (e.g. found by name), to save reading it again. */
  readonly cluster?: Cluster;
  /** Clock (epoch ms) for `observedAt` and add-on check expiry; default `Date.now`. */
  readonly now?: () => number;
  /** Abort signal for every request of the gathering (the policy lookup's deadline). */
  readonly call?: CallOptions;
}

/** What the ACK gatherer is asked: a cluster upgrade, or (with `nodePoolId`) a node pool upgrade. */
export interface AckReadinessRequest extends ReadinessRequest<AckClusterDetail> {
  /**
   * The node pool to judge instead of the cluster: `targetVersion` is then the pool's target (default
   * the control plane's version).
   */
  readonly nodePoolId?: string;
}

// ---------------------------------------------------------------------------------------------
// Selection rules

/**
 * The add-on checks that still say something about now: the newest upgrade check per add-on
 * instance, unless it expired or is older than the maximum age (an expired result is not a current
 * risk, and the vendor requires a new check anyway). Running checks count.
 */
export function currentAddonChecks(tasks: readonly CceAddonCheckTask[], now: number): CceAddonCheckTask[] {
  return latestAddonChecks(tasks.filter((task) => task.metadata.type === "addonUpgrade")).filter((task) => {
    const ref = cceAddonCheckRef(task);
    return ref.state === "pending" || checkFreshness(ref, { now }).fresh;
  });
}

/**
 * The newest CCE cluster precheck whose target matches `targetVersion` (running or finished).
 * `now` (epoch ms, default `Date.now()`) decides which creation times are believable
 * (`selectLatestCheck`); the gatherer passes its own clock.
 */
export function latestCcePrecheck(
  prechecks: readonly CcePrecheckTask[],
  targetVersion: string,
  now?: number,
): CcePrecheckTask | undefined {
  return selectLatestCheck(prechecks, {
    targetVersion,
    createdAt: (task) => task.metadata.creationTimestamp,
    targetOf: (task) => task.spec?.targetVersion,
    ...(now === undefined ? {} : { now }),
  });
}

/**
 * The newest add-on upgrade check of one add-on template for `targetVersion` (the add-on's version);
 * `now` as for `latestCcePrecheck`.
 */
export function latestAddonCheck(
  tasks: readonly CceAddonCheckTask[],
  templateName: string,
  targetVersion: string,
  now?: number,
): CceAddonCheckTask | undefined {
  return selectLatestCheck(
    tasks.filter(
      (task) => task.metadata.type === "addonUpgrade" && task.metadata.addonTemplateName === templateName,
    ),
    {
      targetVersion,
      createdAt: (task) => task.metadata.createTimeStamp,
      targetOf: (task) => task.spec?.addonTargetVersion,
      ...(now === undefined ? {} : { now }),
    },
  );
}

/**
 * When the cluster's control plane last changed version as far as its task list shows: the newest
 * `updated` (else `created`) of its cluster upgrade tasks, a task of no stated type counted as one.
 * A check without a recorded target made before then was for the version the cluster went to.
 * `undefined` when the list shows no such task. A task without a readable time is not counted here:
 * `ackLastUpgradeKnown` then says the time is unknown, and the callers fail closed.
 */
export function lastAckUpgradeAt(tasks: readonly AckClusterTask[]): number | undefined {
  let last: number | undefined;
  for (const task of tasks) {
    if (!isAckUpgradeTask(task) || isAckNodePoolTask(task.task_type)) continue;
    const text = task.updated ?? task.created;
    const at = text === undefined ? undefined : parseTimestamp(text);
    if (at !== undefined && (last === undefined || at > last)) last = at;
  }
  return last;
}

/**
 * The first cluster upgrade task (as `lastAckUpgradeAt` counts them) with no readable `updated` or
 * `created`: while there is one, when the cluster was last upgraded is unknown.
 */
export function undatedAckUpgradeTask(tasks: readonly AckClusterTask[]): AckClusterTask | undefined {
  return tasks.find((task) => {
    if (!isAckUpgradeTask(task) || isAckNodePoolTask(task.task_type)) return false;
    const text = task.updated ?? task.created;
    return text === undefined || parseTimestamp(text) === undefined;
  });
}

/**
 * Whether `listing` tells when the cluster was last upgraded: every task was read and every upgrade
 * task among them is dated. When not, a check without a recorded target may predate the last
 * upgrade, so it must not count (fail closed).
 */
export function ackLastUpgradeKnown(listing: AckTaskListing): boolean {
  return listing.complete && undatedAckUpgradeTask(listing.tasks) === undefined;
}

/**
 * The newest ACK check of `type` for `targetVersion` (default the cluster's next version). A check
 * without a recorded target counts only when created after `lastUpgradeAt` (see `lastAckUpgradeAt`);
 * `now` as for `latestCcePrecheck`.
 */
export function latestAckCheck(
  checks: readonly AckClusterCheckSummary[],
  type: string,
  targetVersion: string | undefined,
  cluster: Pick<AckClusterDetail, "current_version" | "next_version">,
  lastUpgradeAt?: number,
  now?: number,
): AckClusterCheckSummary | undefined {
  const ofType = checks.filter((check) => check.type === undefined || check.type === type);
  return selectLatestCheck(ofType, {
    targetVersion: targetVersion ?? cluster.next_version ?? cluster.current_version,
    createdAt: (check) => check.created_at,
    targetOf: recordedTarget,
    // ACK upgrades only to next_version, so an unrecorded target can only be that one, unless the
    // check is older than the last upgrade, which moved next_version on.
    acceptUnknownTarget:
      targetVersion === undefined ||
      (cluster.next_version !== undefined && targetMatches(targetVersion, cluster.next_version)),
    ...(lastUpgradeAt === undefined ? {} : { unknownTargetCreatedAfter: lastUpgradeAt }),
    ...(now === undefined ? {} : { now }),
  });
}

/**
 * The newest `NodePoolUpgrade` check among `checks` (listed for one pool with ListClusterChecks
 * `target`) for `targetVersion`. ACK does not list a check's target version; a check without one
 * counts only when the target is the control plane's version, the version ACK upgrades a pool to.
 */
export function latestAckNodePoolCheck(
  checks: readonly AckClusterCheckSummary[],
  targetVersion: string,
  controlPlaneVersion: string,
  lastUpgradeAt?: number,
  now?: number,
): AckClusterCheckSummary | undefined {
  // A pool's unrecorded target is the control plane's version at the time of the check: for a pool,
  // the control plane's version plays the part of a cluster's next_version.
  const upgradesTo = { current_version: controlPlaneVersion, next_version: controlPlaneVersion };
  return latestAckCheck(checks, "NodePoolUpgrade", targetVersion, upgradesTo, lastUpgradeAt, now);
}

/** The ACK check a cluster upgrade is judged by: ClusterUpgrade first, MasterUpgrade else. */
export function latestAckUpgradeCheck(
  checks: readonly AckClusterCheckSummary[],
  targetVersion: string,
  cluster: Pick<AckClusterDetail, "current_version" | "next_version">,
  lastUpgradeAt?: number,
  now?: number,
): AckClusterCheckSummary | undefined {
  return (
    latestAckCheck(checks, "ClusterUpgrade", targetVersion, cluster, lastUpgradeAt, now) ??
    latestAckCheck(checks, "MasterUpgrade", targetVersion, cluster, lastUpgradeAt, now)
  );
}

/** CCE upgrade task phases that are over (`Init`, `Queuing`, `Running`, `Pause` are in flight). */
const CCE_TASK_DONE: ReadonlySet<string> = new Set(["success", "failed"]);
/** CCE workflow phases of a workflow still open: a task started (`Running`) or failed (`Pending`). */
const CCE_WORKFLOW_OPEN: ReadonlySet<string> = new Set(["running", "pending"]);
/** ACK task states that are over (`running` and `paused` are in flight). */
const ACK_TASK_DONE: ReadonlySet<string> = new Set(["success", "fail", "failed", "canceled", "cancelled"]);
/** Cluster states that mean an upgrade is under way (CCE `Upgrading`/`RollingBack`, ACK `upgrading`). */
const UPGRADING_STATES: ReadonlySet<string> = new Set(["upgrading", "rollingback"]);

/** True while a CCE upgrade task has not finished. */
export function isCceUpgradeTaskRunning(task: Pick<CceUpgradeTask, "status">): boolean {
  return !CCE_TASK_DONE.has(task.status.phase.toLowerCase());
}

/** True while an ACK task (state as listed or described) has not finished. */
export function isAckTaskRunning(state: string | undefined): boolean {
  return state !== undefined && !ACK_TASK_DONE.has(state.toLowerCase());
}

/** Where an ACK task state leaves a wait: `success`, `failure` (failed or cancelled), else `pending`. */
export function ackTaskPollState(state: string): PollState {
  const word = state.toLowerCase();
  if (word === "success") return "success";
  return ACK_TASK_DONE.has(word) ? "failure" : "pending";
}

/**
 * Waits for an ACK task (an UpgradeCluster or UpgradeClusterNodepool task) to finish, polling
 * DescribeTaskInfo with the one waiter; resolves to the task as last read once it succeeded. Rejects
 * with `WaitError` when it failed or was cancelled (`WAIT_FAILED`) or the deadline passed
 * (`WAIT_TIMEOUT`).
 */
export async function waitForAckTask(
  ack: AckClient,
  taskId: string,
  options: Omit<WaitOptions<AckTaskInfo>, "poll" | "classify" | "task"> & { readonly what?: string },
): Promise<AckTaskInfo> {
  const { what, ...timing } = options;
  const outcome = await waitFor({
    poll: (signal) => ack.describeTaskInfo({ taskId }, { signal }),
    classify: (task) => ({ state: ackTaskPollState(task.state), phase: task.state }),
    task: what ?? `ACK task ${taskId}`,
    ...timing,
  });
  return outcome.value;
}

/** ACK task types of an upgrade (an absent type may be one: it counts). */
function isAckUpgradeTask(task: Pick<AckClusterTask, "task_type">): boolean {
  return task.task_type === undefined || /upgrade/i.test(task.task_type);
}

/** Only the cloud's answers (or their absence) are advisory: bugs, bad input and cancellation throw. */
function isAdvisoryFailure(error: unknown): error is ApiError | ResponseShapeError | TransportError {
  return (
    error instanceof ApiError ||
    error instanceof ResponseShapeError ||
    (error instanceof TransportError && error.code !== "ABORTED")
  );
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined || value === "" ? {} : { [key]: value }) as { [P in K]?: string };
}

/** The cluster as the builders take it (an empty name is none). */
function clusterFacts(
  id: string,
  name: string | undefined,
  region: string,
  currentVersion: string,
): ClusterFacts {
  return { id, ...optional("name", name), region, currentVersion };
}

/** A cluster whose state says it is upgrading while no running task could be named. */
function byClusterState(running: readonly UpgradeInFlight[], id: string, state: string | undefined) {
  return running.length === 0 && state !== undefined && UPGRADING_STATES.has(state.toLowerCase())
    ? [{ kind: "cluster-state" as const, id, status: state }]
    : [];
}

function cceInFlightItem(
  kind: "cce-upgrade-task" | "cce-upgrade-workflow",
  item: CceUpgradeTask | CceUpgradeWorkflow,
  status: string,
): UpgradeInFlight {
  return {
    kind,
    id: item.metadata.uid,
    status,
    ...optional("targetVersion", item.spec?.targetVersion),
    ...optional("startedAt", normalizeTimestamp(item.metadata.creationTimestamp ?? "")),
  };
}

function cceInFlight(
  cluster: CceCluster,
  targetVersion: string,
  tasks: readonly CceUpgradeTask[],
  workflows: readonly CceUpgradeWorkflow[],
): UpgradeInFlight[] {
  const running = tasks
    .filter(isCceUpgradeTaskRunning)
    .map((task) => cceInFlightItem("cce-upgrade-task", task, task.status.phase));
  // A workflow for this target is the guide of this very upgrade; one for a target the cluster has
  // already reached is finished in all but name. Any other open one is an upgrade left half-way.
  const open: UpgradeInFlight[] = workflows
    .filter((workflow) => CCE_WORKFLOW_OPEN.has((workflow.status?.phase ?? "").toLowerCase()))
    .filter((workflow) => {
      const to = workflow.spec?.targetVersion;
      return (
        to === undefined || (!targetMatches(targetVersion, to) && isVersionChange(cluster.spec.version, to))
      );
    })
    .map((workflow) => cceInFlightItem("cce-upgrade-workflow", workflow, workflow.status?.phase ?? ""));
  return [...running, ...open, ...byClusterState(running, cluster.metadata.uid, cluster.status?.phase)];
}

/** True when a precheck reported anything about particular nodes (node stages, or node risks). */
function hasNodeScopedItems(task: CcePrecheckTask): boolean {
  const { clusterCheckStatus, addonCheckStatus, nodeCheckStatus } = task.status;
  if ((nodeCheckStatus?.nodeStageStatus ?? []).some((stage) => (stage.itemsStatus ?? []).length > 0))
    return true;
  return [...(clusterCheckStatus?.itemsStatus ?? []), ...(addonCheckStatus?.itemsStatus ?? [])].some(
    (item) => (item.riskSource?.nodeRisks ?? []).length > 0,
  );
}

/**
 * The nodes and node pools that name the pool of each node a precheck item concerns; read only
 * when the precheck has such items, and advisory: when either read fails, findings name their
 * nodes without pools (the verdict never depends on pools).
 */
async function cceNodeFacts(
  cce: CceClient,
  clusterId: string,
  precheck: CcePrecheckTask,
  call: CallOptions | undefined,
): Promise<{ nodes?: CceNode[]; nodePools?: CceNodePool[] }> {
  if (!hasNodeScopedItems(precheck)) return {};
  try {
    const [nodes, pools] = await Promise.all([
      cce.listNodes({ clusterId }, call),
      cce.listNodePools({ clusterId }, call),
    ]);
    return { nodes: nodes.items, nodePools: pools.items };
  } catch (error) {
    if (isAdvisoryFailure(error)) return {};
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Upgrade paths

/**
 * The offered targets split into those upgrade-guard can read, oldest first, and the others (a
 * vendor label such as `v1.31-beta`): one unreadable target must not stop the rest being judged.
 */
function readableTargets(targets: readonly string[]): { offered: string[]; unreadable?: string[] } {
  const offered = targets.filter((target) => parseVersion(target) !== undefined).sort(compareVersions);
  const unreadable = targets.filter((target) => parseVersion(target) === undefined);
  return { offered, ...(unreadable.length === 0 ? {} : { unreadable }) };
}

/**
 * CCE: the targets ShowClusterUpgradeInfo offers, oldest first; the newest is the suggested one.
 * Targets that are not readable versions are left out of `offered` and listed in `unreadable`.
 */
export function cceUpgradePath(info: CceUpgradeInfo): UpgradePath {
  const { offered, unreadable } = readableTargets(info.spec.versionInfo?.targetVersions ?? []);
  return {
    source: "cce-upgrade-info",
    offered,
    ...optional("suggested", offered.at(-1)),
    ...(unreadable === undefined ? {} : { unreadable }),
  };
}

/**
 * ACK: `next_version`, the only version ACK upgrades a cluster to (empty: none offered now; not a
 * readable version: listed in `unreadable`, not offered).
 */
export function ackUpgradePath(cluster: Pick<AckClusterDetail, "next_version">): UpgradePath {
  const next = cluster.next_version === "" ? undefined : cluster.next_version;
  const { offered, unreadable } = readableTargets(next === undefined ? [] : [next]);
  return {
    source: "ack-cluster-detail",
    offered,
    ...optional("suggested", offered[0]),
    ...(unreadable === undefined ? {} : { unreadable }),
  };
}

// ---------------------------------------------------------------------------------------------
// Gatherers

/**
 * The readiness snapshot of a CCE cluster upgrade, from everything the cloud says now. Throws the
 * clients' errors (`ApiError`, `ConfigError`, ...) unchanged.
 */
export async function readCceReadiness(
  cce: CceClient,
  request: ReadinessRequest<CceCluster>,
): Promise<ReadinessSnapshot> {
  const { clusterId, call } = request;
  const cluster = request.cluster ?? (await cce.showCluster({ clusterId }, call));
  const upgradeInfo = cce.showClusterUpgradeInfo({ clusterId }, call);
  // Read alongside the checks when the target is known; first when the offer decides the target.
  if (request.targetVersion === undefined) await upgradeInfo;
  const [info, prechecks, addonTasks, upgradeTasks, workflows] = await Promise.all([
    upgradeInfo,
    cce.listPreCheckTasks({ clusterId }, call),
    cce.listAddonPrecheckTasks({ clusterId, type: "addonUpgrade" }, call),
    cce.listUpgradeClusterTasks({ clusterId }, call),
    cce.listUpgradeWorkFlows({ clusterId }, call),
  ]);
  const upgradePath = cceUpgradePath(info);
  // Nothing newer on offer: readiness for the current version (trivially ready, and says so).
  const target = request.targetVersion ?? upgradePath.suggested ?? cluster.spec.version;
  // One clock for the choice of the check and for its verdict (and a gathering that takes a while).
  const now = (request.now ?? Date.now)();
  const precheck = latestCcePrecheck(prechecks.items, target, now);
  const nodeFacts = precheck === undefined ? undefined : await cceNodeFacts(cce, clusterId, precheck, call);
  return buildCceSnapshot({
    cluster: clusterFacts(clusterId, cluster.metadata.name, cce.region, cluster.spec.version),
    targetVersion: target,
    upgradePath,
    ...(precheck === undefined ? {} : { precheck }),
    addonChecks: currentAddonChecks(addonTasks.items, now),
    upgradesInFlight: cceInFlight(cluster, target, upgradeTasks.items, workflows.items),
    ...nodeFacts,
    now,
    ...(request.evaluateOptions === undefined ? {} : { evaluateOptions: request.evaluateOptions }),
  });
}

export { ACK_TASK_PAGE_SIZE };

/**
 * The checks a cluster's last upgrade time can be judged against. When the task listing stopped
 * short (see `readAllAckClusterTasks`), the last upgrade may be on a page not read; when an upgrade
 * task is listed without a time, its time is not known either. Either way a check without a recorded
 * target could predate the last upgrade: only checks that record their target count (fail closed).
 * `dropped` names the check that would have counted otherwise.
 */
function ackChecksUsable(
  checks: readonly AckClusterCheckSummary[],
  listing: AckTaskListing,
  pick: (
    checks: readonly AckClusterCheckSummary[],
    lastUpgradeAt: number | undefined,
  ) => AckClusterCheckSummary | undefined,
): { latest: AckClusterCheckSummary | undefined; dropped?: AckClusterCheckSummary } {
  const lastUpgradeAt = lastAckUpgradeAt(listing.tasks);
  if (ackLastUpgradeKnown(listing)) return { latest: pick(checks, lastUpgradeAt) };
  const latest = pick(
    checks.filter((check) => recordedTarget(check) !== undefined),
    lastUpgradeAt,
  );
  const unfiltered = pick(checks, lastUpgradeAt);
  return unfiltered === undefined || unfiltered === latest ? { latest } : { latest, dropped: unfiltered };
}

/** A check `ackChecksUsable` set aside, and why, for the snapshot (`evaluate` names it). */
function setAsideCheck(check: AckClusterCheckSummary, listing: AckTaskListing): SetAsideCheck[] {
  const read = `${listing.tasks.length} task(s) in ${listing.pages} page(s), at most ${ACK_TASK_MAX_PAGES} of ${ACK_TASK_PAGE_SIZE}`;
  const undated = undatedAckUpgradeTask(listing.tasks);
  const why = !listing.complete
    ? `DescribeClusterTasks did not list all of the cluster's tasks (${read})`
    : `DescribeClusterTasks listed upgrade task ${undated?.task_id ?? "?"} with no readable created or updated time`;
  const type = check.type ?? "ClusterUpgrade";
  const because =
    `this ${type} check records no target version, and ${why}, so when the cluster was last upgraded ` +
    `is unknown and the check may have been made before that upgrade. To fix: run a new ${type} check ` +
    "for the target and read readiness again";
  return [{ id: check.check_id, kind: "ack-cluster-check", because }];
}

/** All of the cluster's tasks, as far as `readAllAckClusterTasks` reads them. */
function readAckTasks(
  ack: AckClient,
  clusterId: string,
  call: CallOptions | undefined,
): Promise<AckTaskListing> {
  return readAllAckClusterTasks((args) => ack.describeClusterTasks(args, call), clusterId);
}

/** A node pool upgrade task (`nodepool_upgrade`), as ACK names its type. */
function isAckNodePoolTask(taskType: string | undefined): boolean {
  return taskType !== undefined && /nodepool/i.test(taskType);
}

async function ackInFlight(
  ack: AckClient,
  cluster: AckClusterDetail,
  tasks: readonly AckClusterTask[],
  call: CallOptions | undefined,
  nodePoolId?: string,
): Promise<UpgradeInFlight[]> {
  // A listed task without a state may still run: DescribeTaskInfo, whose state is required, decides.
  const candidates = tasks.filter(
    (task) => (task.state === undefined || isAckTaskRunning(task.state)) && isAckUpgradeTask(task),
  );
  // The list does not say where an upgrade goes; DescribeTaskInfo does (there is rarely more than one).
  const infos = await Promise.all(
    candidates.map((task) => ack.describeTaskInfo({ taskId: task.task_id }, call)),
  );
  // For a node pool, another pool's upgrade is not in its way; the cluster's own upgrade is.
  const concerns = (info: (typeof infos)[number]): boolean =>
    nodePoolId === undefined ||
    !isAckNodePoolTask(info.task_type) ||
    info.target?.id === undefined ||
    info.target.id === nodePoolId;
  const running: UpgradeInFlight[] = infos
    .filter((info) => isAckTaskRunning(info.state) && concerns(info))
    .map((info) => ({
      kind: "ack-upgrade-task",
      id: info.task_id,
      status: info.state,
      ...optional("targetVersion", ackTaskTarget(info)),
      ...optional("startedAt", info.created),
    }));
  return [...running, ...byClusterState(running, cluster.cluster_id, cluster.state)];
}

/**
 * ACK: the support window of the cluster's current version. Advisory, so a failure is recorded (as
 * the operation and the vendor's code, never a request id, so the digest stays stable) and not thrown;
 * a version ACK does not list gets a window without dates.
 */
async function ackVersionSupport(
  ack: AckClient,
  cluster: AckClusterDetail,
  region: string,
  call: CallOptions | undefined,
): Promise<VersionSupport> {
  const version = cluster.current_version;
  const support = { source: "ack-version-metadata", version } as const;
  try {
    const versions = await ack.describeKubernetesVersionMetadata(
      {
        region,
        clusterType: cluster.cluster_type ?? "ManagedKubernetes",
        kubernetesVersion: version,
        ...optional("profile", cluster.profile),
      },
      call,
    );
    const entry = versions.find((v) => v.version === version);
    return {
      ...support,
      ...optional("releasedAt", entry?.release_date),
      ...optional("endOfSupport", entry?.expiration_date),
    };
  } catch (error) {
    if (!isAdvisoryFailure(error)) throw error;
    const detail =
      error instanceof ApiError
        ? `HTTP ${error.httpStatus}${error.vendorCode === undefined ? "" : ` ${error.vendorCode}`}`
        : error.code;
    return { ...support, unreadable: `DescribeKubernetesVersionMetadata failed (${detail})` };
  }
}

/**
 * The readiness snapshot of an ACK cluster upgrade, from everything the cloud says now. Throws the
 * clients' errors unchanged.
 */
export async function readAckReadiness(
  ack: AckClient,
  request: AckReadinessRequest,
): Promise<ReadinessSnapshot> {
  const { clusterId, call } = request;
  const cluster = request.cluster ?? (await ack.describeClusterDetail({ clusterId }, call));
  if (request.nodePoolId !== undefined)
    return readAckNodePoolReadiness(ack, { ...request, nodePoolId: request.nodePoolId }, cluster);
  const upgradePath = ackUpgradePath(cluster);
  const targetVersion = request.targetVersion ?? upgradePath.suggested ?? cluster.current_version;
  const region = cluster.region_id ?? ack.region;
  const [checks, tasks, versionSupport] = await Promise.all([
    ack.listClusterChecks({ clusterId }, call),
    readAckTasks(ack, clusterId, call),
    ackVersionSupport(ack, cluster, region, call),
  ]);
  // One clock for the choice of the check and for its verdict.
  const now = (request.now ?? Date.now)();
  const { latest, dropped } = ackChecksUsable(checks.checks, tasks, (usable, lastUpgradeAt) =>
    latestAckUpgradeCheck(usable, targetVersion, cluster, lastUpgradeAt, now),
  );
  const [check, upgradesInFlight] = await Promise.all([
    latest === undefined ? undefined : ack.getClusterCheck({ clusterId, checkId: latest.check_id }, call),
    ackInFlight(ack, cluster, tasks.tasks, call),
  ]);
  return buildAckSnapshot({
    cluster: clusterFacts(clusterId, cluster.name, region, cluster.current_version),
    targetVersion,
    upgradePath,
    versionSupport,
    ...(check === undefined ? {} : { check, checkTargetVersion: recordedTarget(check) ?? targetVersion }),
    ...(dropped === undefined ? {} : { setAside: setAsideCheck(dropped, tasks) }),
    upgradesInFlight,
    now,
    ...(request.evaluateOptions === undefined ? {} : { evaluateOptions: request.evaluateOptions }),
  });
}

/** The node pool half of `readAckReadiness` (see the module comment). */
async function readAckNodePoolReadiness(
  ack: AckClient,
  request: AckReadinessRequest & { readonly nodePoolId: string },
  cluster: AckClusterDetail,
): Promise<ReadinessSnapshot> {
  const { clusterId, nodePoolId, call } = request;
  const [pool, checks, tasks] = await Promise.all([
    ack.describeClusterNodePoolDetail({ clusterId, nodepoolId: nodePoolId }, call),
    ack.listClusterChecks({ clusterId, type: "NodePoolUpgrade", target: nodePoolId }, call),
    readAckTasks(ack, clusterId, call),
  ]);
  const now = (request.now ?? Date.now)();
  const poolVersion = ackNodePoolVersion(pool);
  if (poolVersion === undefined) {
    // Without the pool's version nothing can be judged; an unreadable answer fails, and the callers block.
    throw new ResponseShapeError(
      "DescribeClusterNodePoolDetail",
      [
        {
          path: "node_components",
          message: `node pool ${nodePoolId} names no kubelet component with a version`,
        },
      ],
      JSON.stringify(pool.node_components ?? null).slice(0, 200),
    );
  }
  const controlPlane = cluster.current_version;
  const targetVersion = request.targetVersion ?? controlPlane;
  const { latest, dropped } = ackChecksUsable(checks.checks, tasks, (usable, lastUpgradeAt) =>
    latestAckNodePoolCheck(usable, targetVersion, controlPlane, lastUpgradeAt, now),
  );
  const [check, upgradesInFlight] = await Promise.all([
    latest === undefined ? undefined : ack.getClusterCheck({ clusterId, checkId: latest.check_id }, call),
    ackInFlight(ack, cluster, tasks.tasks, call, nodePoolId),
  ]);
  return buildAckSnapshot({
    cluster: clusterFacts(clusterId, cluster.name, cluster.region_id ?? ack.region, poolVersion),
    targetVersion,
    nodePool: {
      id: nodePoolId,
      ...optional("name", pool.nodepool_info.name),
      controlPlaneVersion: controlPlane,
    },
    ...(check === undefined
      ? {}
      : {
          check: { ...check, type: check.type ?? "NodePoolUpgrade" },
          checkTargetVersion: recordedTarget(check) ?? targetVersion,
        }),
    ...(dropped === undefined
      ? {}
      : { setAside: setAsideCheck({ ...dropped, type: "NodePoolUpgrade" }, tasks) }),
    upgradesInFlight,
    now,
    ...(request.evaluateOptions === undefined ? {} : { evaluateOptions: request.evaluateOptions }),
  });
}
