/**
 * Pure mappings from CCE check results to the readiness model. No I/O: the clients fetch and parse,
 * these functions only translate (docs/cce.md#add-on-checks, #cluster-precheck, #where-fatal-appears).
 *
 * Cluster precheck items (`PreCheckItemStatus`, under `status.clusterCheckStatus.itemsStatus`,
 * `status.addonCheckStatus.itemsStatus` and `status.nodeCheckStatus.nodeStageStatus[].itemsStatus`):
 *
 * | item field | value                 | finding                                                      |
 * |------------|-----------------------|--------------------------------------------------------------|
 * | `phase`    | `Failed`              | state `present` (the problem exists)                         |
 * |            | `Success`             | `passed` at any level (docs/cce.md#open-questions: a `Fatal` |
 * |            |                       | item that passed is not a risk; assumed, not documented)     |
 * |            | `Init`, `Running`     | state `pending`                                              |
 * |            | absent                | the phase of its group (`clusterCheckStatus.phase`, ...)     |
 * |            | anything else         | state `present` (we cannot tell it passed, so assume not)    |
 * | `level`    | `Fatal`/`Warning`/`Info` | severity `fatal`/`warning`/`info`                         |
 * |            | absent or other       | severity `unknown` (blocks by default)                       |
 * | `kind`     | `Exception`           | severity `fatal` whatever the level, not waivable: the       |
 * |            |                       | vendor says it must be fixed before upgrading                |
 * |            | `Risk`                | severity from the level; waivable unless the level is Fatal  |
 *
 * Add-on check tasks (`CceAddonCheckTask`): task `status` `Init`/`Running` → check `pending`,
 * `Success` → `passed`, `Failed` → `failed` (finished WITH risks: the task did not crash).
 * Each `riskList[]` entry: `status` `Failed` → `present`, `Success` → `passed`, `Init`/`Running` →
 * `pending`, other → `present`; `level` `Fatal` → `fatal` (not waivable), `Warning` → `warning`,
 * other → `unknown`.
 *
 * Precheck task `status.phase`: `Success` → `passed`, `Failed` → `failed`, `Error` → `error` (the
 * check did not complete), `Init`/`Running`/anything else → `pending` (an unknown phase must not
 * be read as a result).
 */
import {
  CCE_NODE_POOL_ANNOTATION,
  type CceAddonCheckTask,
  type CceAddonRisk,
  type CceNode,
  type CceNodePool,
  type CcePreCheckItemStatus,
  type CcePrecheckTask,
} from "../clients/cce/schemas";
import { selectLatestPerKey } from "./latest";
import {
  type Affected,
  type CheckRef,
  type CheckState,
  type ConfigurationRisk,
  configurationRiskSchema,
  type Finding,
  type FindingState,
  type Severity,
  UNKNOWN_CREATION_TIME,
} from "./model";

const same = (a: string | undefined, b: string): boolean => a?.trim().toLowerCase() === b.toLowerCase();

/** `Fatal`/`Warning`/`Info` (any case) → severity; anything else → `unknown`. */
export function cceSeverity(level: string | undefined): Severity {
  if (same(level, "Fatal")) return "fatal";
  if (same(level, "Warning")) return "warning";
  if (same(level, "Info")) return "info";
  return "unknown";
}

/** Item or risk phase → finding state. `Failed` = the problem is there. */
export function cceFindingState(phase: string | undefined): FindingState {
  if (same(phase, "Success")) return "passed";
  if (same(phase, "Init") || same(phase, "Running")) return "pending";
  return "present";
}

/** Precheck task `status.phase` → check state. */
export function ccePrecheckState(phase: string): CheckState {
  if (same(phase, "Success")) return "passed";
  if (same(phase, "Failed")) return "failed";
  if (same(phase, "Error")) return "error";
  return "pending";
}

/** Add-on check task `status.status` → check state. `Failed` = finished with risks. */
export function cceAddonTaskState(status: string): CheckState {
  if (same(status, "Success")) return "passed";
  if (same(status, "Failed")) return "failed";
  return "pending";
}

function unique(values: ReadonlyArray<string | undefined>): string[] | undefined {
  const kept = [...new Set(values.filter((v): v is string => v !== undefined && v !== ""))];
  return kept.length === 0 ? undefined : kept;
}

function affectedOf(
  item: CcePreCheckItemStatus,
  node: CcePrecheckItemContext["node"],
  poolOf: NodePoolIndex | undefined,
): Affected {
  const risks = item.riskSource;
  const riskNodes = (risks?.nodeRisks ?? []).map((risk) => risk.NodeID);
  const nodes = unique([...(node === undefined ? [] : [node.name ?? node.uid]), ...riskNodes]);
  // Every key the vendor gave for a node (the stage's uid and name, the risks' NodeID) finds its pool.
  const nodePools =
    poolOf === undefined
      ? undefined
      : unique(
          [node?.uid, node?.name, ...riskNodes].map((key) =>
            key === undefined ? undefined : poolOf.get(key),
          ),
        );
  const addons = unique((risks?.addonRisks ?? []).map((risk) => risk.addonTemplateName ?? risk.alias));
  const deprecatedApis = unique(
    (risks?.deprecatedAPIRisks ?? []).map((risk) =>
      risk.url === undefined
        ? undefined
        : risk.userAgent === undefined
          ? risk.url
          : `${risk.url} (used by ${risk.userAgent})`,
    ),
  );
  // The members the model's configuration risk names, those the vendor sent (extra members dropped).
  const configurations = (risks?.configurationRisks ?? []).map(
    (risk) =>
      Object.fromEntries(
        CONFIGURATION_KEYS.flatMap((key) => (risk[key] === undefined ? [] : [[key, risk[key]]])),
      ) as ConfigurationRisk,
  );
  return {
    ...(nodes === undefined ? {} : { nodes }),
    ...(nodePools === undefined ? {} : { nodePools }),
    ...(addons === undefined ? {} : { addons }),
    ...(deprecatedApis === undefined ? {} : { deprecatedApis }),
    ...(configurations.length === 0 ? {} : { configurations }),
  };
}

const CONFIGURATION_KEYS = Object.keys(configurationRiskSchema.shape) as Array<keyof ConfigurationRisk>;

export interface CcePrecheckItemContext {
  readonly checkId: string;
  /** The phase of the group the item sits in, used when the item has none. */
  readonly groupPhase?: string;
  /** For node items: the node they were checked on. */
  readonly node?: { readonly uid?: string | undefined; readonly name?: string | undefined };
  /** Node uid or name → the name of its node pool (see `cceNodePoolIndex`). */
  readonly nodePools?: NodePoolIndex;
}

/** Node uid or name → the name of its node pool. */
export type NodePoolIndex = ReadonlyMap<string, string>;

/** CCE's name for the pool of nodes that belong to no custom pool. */
export const CCE_DEFAULT_NODE_POOL = "DefaultPool";

/**
 * Which pool each node is in, from ListNodes and ListNodePools: a node's
 * `kubernetes.io/node-pool.id` annotation holds its pool's `uid`; a value that names no listed pool
 * (CCE writes `az#flavor#os` there for nodes outside custom pools) is the default pool. A node
 * without the annotation is left out rather than guessed.
 */
export function cceNodePoolIndex(nodes: readonly CceNode[], pools: readonly CceNodePool[]): NodePoolIndex {
  const poolNames = new Map(
    pools.flatMap((pool) =>
      pool.metadata.uid === undefined ? [] : [[pool.metadata.uid, pool.metadata.name ?? pool.metadata.uid]],
    ),
  );
  const index = new Map<string, string>();
  for (const node of nodes) {
    const poolId = node.metadata.annotations?.[CCE_NODE_POOL_ANNOTATION];
    if (typeof poolId !== "string" || poolId === "") continue;
    const pool = poolNames.get(poolId) ?? CCE_DEFAULT_NODE_POOL;
    for (const key of [node.metadata.uid, node.metadata.name]) if (key !== undefined) index.set(key, pool);
  }
  return index;
}

/** One cluster precheck item → finding (see the table in the module comment). */
export function mapCcePrecheckItem(item: CcePreCheckItemStatus, context: CcePrecheckItemContext): Finding {
  const exception = same(item.kind, "Exception");
  const severity = exception ? "fatal" : cceSeverity(item.level);
  const name = item.name ?? `unnamed ${item.group ?? "precheck"} item`;
  return {
    source: "cce-cluster-precheck",
    checkId: context.checkId,
    checkName: name,
    ...(item.group === undefined ? {} : { group: item.group }),
    severity,
    ...(item.level === undefined ? {} : { vendorLevel: item.level }),
    ...(item.kind === undefined ? {} : { vendorKind: item.kind }),
    waivable: !exception && !same(item.level, "Fatal"),
    state: cceFindingState(item.phase ?? context.groupPhase),
    ...(item.message === undefined ? {} : { message: item.message }),
    affected: affectedOf(item, context.node, context.nodePools),
    raw: item,
  };
}

/** The check reference of a cluster precheck task. */
export function ccePrecheckCheckRef(task: CcePrecheckTask): CheckRef {
  const state = ccePrecheckState(task.status.phase);
  const { creationTimestamp, updateTimestamp } = task.metadata;
  return {
    id: task.metadata.uid,
    kind: "cce-cluster-precheck",
    status: task.status.phase,
    state,
    createdAt: creationTimestamp ?? UNKNOWN_CREATION_TIME,
    // CCE has no completion time; the last update of a finished task is the closest fact.
    ...(state !== "pending" && updateTimestamp !== undefined ? { finishedAt: updateTimestamp } : {}),
    ...(task.status.expireTimeStamp === undefined ? {} : { expiresAt: task.status.expireTimeStamp }),
    ...(task.spec?.targetVersion === undefined ? {} : { targetVersion: task.spec.targetVersion }),
    ...(task.status.message === undefined ? {} : { message: task.status.message }),
  };
}

/** Every item of a cluster precheck task, cluster, add-on and node sections alike. */
export function ccePrecheckFindings(task: CcePrecheckTask, nodePools?: NodePoolIndex): Finding[] {
  const checkId = task.metadata.uid;
  const { clusterCheckStatus, addonCheckStatus, nodeCheckStatus } = task.status;
  const inGroup = (
    items: readonly CcePreCheckItemStatus[] | undefined,
    groupPhase: string | undefined,
    node?: CcePrecheckItemContext["node"],
  ) =>
    (items ?? []).map((item) =>
      mapCcePrecheckItem(item, {
        checkId,
        ...(groupPhase === undefined ? {} : { groupPhase }),
        ...(node === undefined ? {} : { node }),
        ...(nodePools === undefined ? {} : { nodePools }),
      }),
    );
  return [
    ...inGroup(clusterCheckStatus?.itemsStatus, clusterCheckStatus?.phase),
    ...inGroup(addonCheckStatus?.itemsStatus, addonCheckStatus?.phase),
    ...(nodeCheckStatus?.nodeStageStatus ?? []).flatMap((stage) =>
      inGroup(stage.itemsStatus, nodeCheckStatus?.phase, stage.nodeInfo ?? {}),
    ),
  ];
}

/** One add-on check risk → finding. */
export function mapCceAddonRisk(risk: CceAddonRisk, task: CceAddonCheckTask): Finding {
  return {
    source: "cce-addon-check",
    checkId: task.metadata.taskID,
    checkName: risk.riskName,
    group: task.metadata.addonTemplateName,
    severity: cceSeverity(risk.level),
    vendorLevel: risk.level,
    waivable: !same(risk.level, "Fatal"),
    state: cceFindingState(risk.status),
    ...(risk.message === undefined ? {} : { message: risk.message }),
    affected: { addons: [task.metadata.addonTemplateName] },
    raw: risk,
  };
}

/** The check reference of an add-on check task (no cluster target: it checks an add-on version). */
export function cceAddonCheckRef(task: CceAddonCheckTask): CheckRef {
  return {
    id: task.metadata.taskID,
    kind: "cce-addon-check",
    status: task.status.status,
    state: cceAddonTaskState(task.status.status),
    createdAt: task.metadata.createTimeStamp,
    ...(task.metadata.expireTimeStamp === undefined ? {} : { expiresAt: task.metadata.expireTimeStamp }),
    ...(task.status.message === undefined ? {} : { message: task.status.message }),
  };
}

export function cceAddonFindings(task: CceAddonCheckTask): Finding[] {
  return task.status.riskList.map((risk) => mapCceAddonRisk(risk, task));
}

/** The newest add-on check per (type, add-on instance), so a re-run replaces the earlier result. */
export function latestAddonChecks(tasks: readonly CceAddonCheckTask[]): CceAddonCheckTask[] {
  return selectLatestPerKey(
    tasks,
    (task) => `${task.metadata.type}/${task.metadata.addonInstanceID ?? task.metadata.addonTemplateName}`,
    (task) => task.metadata.createTimeStamp,
  );
}
