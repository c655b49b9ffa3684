// @API CCE POST /api/v3/projects/{project_id}/clusters/{cluster_id}/addons/precheck
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/addons/precheck/tasks
/**
 * `cce.AddonPrecheck`: checks add-ons in one batch (BatchCreateAddonPrecheck), one task per add-on,
 * and waits until every task finishes, with the lifecycle every check resource shares
 * (check-lifecycle.ts).
 *
 * - create: per add-on, adopts a task for the same instance, type and target that is still running
 *   (a retried create), and starts the others in one batch; waits; outputs each add-on's risks.
 *   Risks found are a result, not a failure. The resource id is the task ids joined by commas.
 * - diff: cluster, add-on list, region and project replace; `waitTimeoutMinutes` updates.
 * - read: re-reads the tasks; when any of them no longer exists the resource is removed (as when
 *   all vanished), so the next `up` checks every add-on again: findings recomputed from the
 *   survivors alone would drop the risks of a vanished add-on.
 * - delete: CCE has no API to delete add-on checks; they stay in CCE and leave the state.
 */
import { z } from "zod";
import { type CceClient } from "../../clients/cce/client";
import { type CceAddonCheckTask } from "../../clients/cce/schemas";
import { parseTimestamp } from "../../internal/timestamps";
import { targetMatches } from "../../internal/versions";
import { cceAddonFindings, cceAddonTaskState } from "../../readiness/from-cce";
import { type Finding, worstSeveritySchema } from "../../readiness/model";
import {
  cceLocationShape,
  compact,
  findingsOutputs,
  findingCountsSchema,
  newestFirst,
  nonEmpty,
  nowMs,
  resourceId,
  storedObject,
  type WaitTiming,
  waitTimeoutMinutes,
  locationOutputShape,
} from "../shared/common";
import { checkLifecycle } from "./check-lifecycle";
import { anyUnknown, customIssue, type Written } from "./lifecycle";
import { addonTaskRecord } from "../shared/cce-records";
import { log, logStarted, waitWithProgress } from "../shared/log";
import { type PropertyMap, type ResourceLifecycle } from "../shared/types";

const RESOURCE = "cce.AddonPrecheck";
const FINAL_PHASES = ["Success", "Failed"];

const addonSchema = z
  .strictObject({
    /** Add-on template, e.g. `coredns`. */
    addonTemplateName: nonEmpty,
    /** The add-on instance id (`metadata.uid` of the installed add-on). */
    addonInstanceId: resourceId,
    /** The add-on version to check an upgrade to; required for `addonUpgrade`. */
    targetVersion: nonEmpty.optional(),
    /** `addonUpgrade` (pre-upgrade check, default) or `addonStatic` (inspection). */
    type: z.enum(["addonUpgrade", "addonStatic"]).default("addonUpgrade"),
    /** Add-on values to check with, as the vendor accepts them. */
    values: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine(
    (addon, ctx) => {
      if (typeof addon !== "object" || addon === null || anyUnknown(addon.type, addon.targetVersion)) return;
      if ((addon.type ?? "addonUpgrade") === "addonUpgrade" && addon.targetVersion === undefined)
        customIssue(ctx, ["targetVersion"], "is required when type is addonUpgrade");
    },
    // Also when other fields are bad, so `check` names every problem at once.
    { when: () => true },
  );

/** Inputs of `cce.AddonPrecheck` (strict). */
export const cceAddonPrecheckInputsSchema = z.strictObject({
  clusterId: resourceId,
  addons: z
    .array(addonSchema)
    .min(1, { error: "must name at least one add-on" })
    .superRefine(
      (addons, ctx) => {
        if (!Array.isArray(addons)) return;
        const seen = new Set<string>();
        addons.forEach((addon: unknown, index) => {
          const { type, addonInstanceId } = (addon ?? {}) as { type?: unknown; addonInstanceId?: unknown };
          if (typeof addonInstanceId !== "string" || anyUnknown(type, addonInstanceId)) return;
          const key = `${typeof type === "string" ? type : "addonUpgrade"}/${addonInstanceId}`;
          if (seen.has(key))
            customIssue(ctx, [index, "addonInstanceId"], "is listed twice for the same type");
          seen.add(key);
        });
      },
      { when: () => true },
    ),
  ...cceLocationShape,
  /** Give up waiting after this many minutes (default 30). */
  waitTimeoutMinutes: waitTimeoutMinutes.optional(),
});
/** Inputs of `cce.AddonPrecheck`, parsed. */
export type CceAddonPrecheckInputs = z.output<typeof cceAddonPrecheckInputsSchema>;
type AddonInput = CceAddonPrecheckInputs["addons"][number];

/** One add-on's check result, as the `results` output holds it. */
const addonResultSchema = z.object({
  /** The add-on check task id. */
  taskId: z.string(),
  /** The add-on template, e.g. `coredns`. */
  addonTemplateName: z.string(),
  /** The add-on instance checked. */
  addonInstanceId: z.string().optional(),
  /** `addonUpgrade` or `addonStatic`. */
  type: z.string(),
  /** The add-on version checked against (upgrade checks). */
  targetVersion: z.string().optional(),
  /** `Success` (no risk) or `Failed` (finished WITH risks). */
  status: z.string(),
  /** CCE's message on the task. */
  message: z.string().optional(),
  /** When CCE created the task (ISO 8601). */
  createdAt: z.string(),
  /** When CCE stops accepting the result (ISO 8601). */
  expiresAt: z.string().optional(),
  /** The risks found. */
  risks: z.array(
    z.object({ riskName: z.string(), level: z.string(), status: z.string(), message: z.string().optional() }),
  ),
});

/**
 * Computed outputs of `cce.AddonPrecheck` (the state holds them next to the inputs). Loose and all
 * optional: an interrupted create records only the task ids and the last phase, and state written by
 * other versions must still read.
 */
export const cceAddonPrecheckOutputsSchema = z.looseObject({
  /** One task id per add-on, in input order (joined by commas they are the resource id). */
  taskIds: z.array(z.string()).optional(),
  /** `Running`, then `Success`, or `Failed` when any add-on has risks. */
  phase: z.string().optional(),
  /** The outcome of each add-on's check, in input order. */
  results: z.array(addonResultSchema).optional(),
  /** Every risk in the readiness model. */
  findings: z.array(storedObject<Finding>()).optional(),
  /** The worst severity among the present findings. */
  worstSeverity: worstSeveritySchema.optional(),
  /** Present findings per severity. */
  findingCounts: findingCountsSchema.optional(),
  /** When the results were read (ISO 8601). */
  observedAt: z.string().optional(),
  ...locationOutputShape,
});
/** Computed outputs of `cce.AddonPrecheck`, as read back from the state. */
export type CceAddonPrecheckOutputs = z.output<typeof cceAddonPrecheckOutputsSchema>;
type Outputs = Written<typeof cceAddonPrecheckOutputsSchema>;

const DIFF = {
  replaceOn: ["clusterId", "addons", "region", "projectId"],
  updateOn: ["waitTimeoutMinutes"],
} as const;

function label(inputs: CceAddonPrecheckInputs): string {
  return `${RESOURCE} ${inputs.clusterId} (${inputs.addons.map((a) => a.addonTemplateName).join(", ")})`;
}

function matches(task: CceAddonCheckTask, addon: AddonInput): boolean {
  if (task.metadata.type !== addon.type) return false;
  const instance = task.metadata.addonInstanceID;
  if (
    instance === undefined
      ? task.metadata.addonTemplateName !== addon.addonTemplateName
      : instance !== addon.addonInstanceId
  )
    return false;
  if (addon.targetVersion === undefined) return true;
  const checked = task.spec?.addonTargetVersion;
  return (
    checked !== undefined && (checked === addon.targetVersion || targetMatches(addon.targetVersion, checked))
  );
}

/** The newest of the tasks (by creation time), if any. */
function newestOf(tasks: readonly CceAddonCheckTask[]): CceAddonCheckTask | undefined {
  return newestFirst(tasks, (task) => task.metadata.createTimeStamp)[0];
}

/** Aggregate phase: Running while any task runs, then Failed (risks found) if any failed, else Success. */
function aggregatePhase(tasks: readonly CceAddonCheckTask[]): string {
  const states = tasks.map((task) => cceAddonTaskState(task.status.status));
  if (states.includes("pending")) return "Running";
  return states.includes("failed") ? "Failed" : "Success";
}

async function waitForTasks(
  cce: CceClient,
  clusterId: string,
  taskIds: readonly string[],
  timing: WaitTiming,
  what: string,
): Promise<CceAddonCheckTask[]> {
  const tasks = await waitWithProgress(what, timing, {
    poll: async (signal) => {
      const { items } = await cce.listAddonPrecheckTasks({ clusterId }, { signal });
      return taskIds.map((id) => items.find((task) => task.metadata.taskID === id));
    },
    classify: (tasks) => {
      const missing = tasks.filter((task) => task === undefined).length;
      if (missing > 0) return { state: "failure", phase: `${missing} task(s) vanished` };
      const phase = aggregatePhase(tasks as CceAddonCheckTask[]);
      return { state: phase === "Running" ? "pending" : "success", phase };
    },
    task: `CCE add-on checks ${taskIds.join(", ")} of cluster ${clusterId}`,
  });
  return tasks as CceAddonCheckTask[];
}

function addonOutputs(inputs: CceAddonPrecheckInputs, tasks: readonly CceAddonCheckTask[]): PropertyMap {
  const outputs: Outputs = {
    taskIds: tasks.map((task) => task.metadata.taskID),
    phase: aggregatePhase(tasks),
    results: tasks.map(addonTaskRecord),
    ...findingsOutputs(tasks.flatMap(cceAddonFindings)),
    observedAt: new Date(nowMs()).toISOString(),
  };
  return compact({ ...inputs, ...outputs });
}

/**
 * Adopts, per add-on, a task still running for the same instance, type and target, and starts the
 * others in one batch; returns the task ids in input order, joined by commas (the resource id).
 */
async function startChecks(cce: CceClient, inputs: CceAddonPrecheckInputs, what: string): Promise<string> {
  const { clusterId } = inputs;
  const { items } = await cce.listAddonPrecheckTasks({ clusterId });
  const taskIds: (string | undefined)[] = inputs.addons.map((addon) => {
    const running = items.filter(
      (task) => matches(task, addon) && cceAddonTaskState(task.status.status) === "pending",
    );
    const id = newestOf(running)?.metadata.taskID;
    if (id !== undefined)
      log("info", `${what}: adopting add-on check ${id} already running for ${addon.addonTemplateName}`);
    return id;
  });
  const toStart = inputs.addons.filter((_, index) => taskIds[index] === undefined);
  if (toStart.length > 0) {
    const startedAt = nowMs();
    const created = await cce.batchCreateAddonPrecheck({
      clusterId,
      addonList: toStart.map((addon) => ({
        addonTemplateName: addon.addonTemplateName,
        addonInstanceId: addon.addonInstanceId,
        type: addon.type,
        ...(addon.targetVersion === undefined ? {} : { targetVersion: addon.targetVersion }),
        ...(addon.values === undefined ? {} : { values: addon.values }),
      })),
    });
    // The task ids are in `status.items` (documented) or, failing that, in the task list.
    const returned = created.status?.items ?? [];
    const listed =
      returned.length >= toStart.length ? [] : (await cce.listAddonPrecheckTasks({ clusterId })).items;
    for (const [index, addon] of inputs.addons.entries()) {
      if (taskIds[index] !== undefined) continue;
      const fromAnswer = returned.find((task) => matches(task, addon));
      const fromList = newestOf(
        listed.filter(
          (task) =>
            matches(task, addon) &&
            (parseTimestamp(task.metadata.createTimeStamp) ?? 0) >= startedAt - 60_000,
        ),
      );
      const id = (fromAnswer ?? fromList)?.metadata.taskID;
      if (id === undefined)
        throw new Error(
          `${what}: CCE accepted the add-on checks but named no task for ${addon.addonTemplateName} ` +
            `(${addon.addonInstanceId}); look for it with cce.getAddonPrecheckTasks before retrying`,
        );
      taskIds[index] = id;
    }
    logStarted(what, `started add-on checks ${taskIds.join(", ")}`, created.recovered);
  }
  return taskIds.join(",");
}

/**
 * The tasks the resource id names; `undefined` (the resource is gone) when any of them vanished,
 * which is logged: the survivors alone would make the record look cleaner than what was checked.
 */
async function readTasks(
  cce: CceClient,
  inputs: CceAddonPrecheckInputs,
  id: string,
): Promise<CceAddonCheckTask[] | undefined> {
  const ids = id.split(",").filter((part) => part !== "");
  const { items } = await cce.listAddonPrecheckTasks({ clusterId: inputs.clusterId });
  const tasks = ids.map((taskId) => items.find((task) => task.metadata.taskID === taskId));
  const gone = ids.filter((_, index) => tasks[index] === undefined);
  if (gone.length > 0 && gone.length < ids.length) {
    log(
      "warn",
      `${label(inputs)}: add-on checks ${gone.join(", ")} no longer exist in CCE; the set is removed ` +
        "from the state, and the next `pulumi up` checks every add-on again",
    );
  }
  if (ids.length === 0 || gone.length > 0) return undefined;
  return tasks.filter((task): task is CceAddonCheckTask => task !== undefined);
}

/** The `cce.AddonPrecheck` lifecycle (see the module comment and check-lifecycle.ts). */
export const cceAddonPrecheck: ResourceLifecycle = checkLifecycle({
  resource: RESOURCE,
  vendor: "CCE",
  noun: "add-on check set",
  inputsSchema: cceAddonPrecheckInputsSchema,
  outputsSchema: cceAddonPrecheckOutputsSchema,
  diff: DIFF,
  statusKey: "phase",
  startedStatus: "Running",
  idOutputs: (id) => ({ taskIds: id.split(",") }),
  finalStatuses: FINAL_PHASES,
  finishedKey: "results",
  label,
  // Add-on checks record no cluster version: nothing to compare on refresh.
  readCluster: async () => undefined,
  clusterVersion: () => undefined,
  start: async (cce, inputs, what) => ({ id: await startChecks(cce, inputs, what) }),
  wait: (cce, inputs, id, timing, what) => waitForTasks(cce, inputs.clusterId, id.split(","), timing, what),
  readCheck: readTasks,
  statusOf: aggregatePhase,
  outputs: (inputs, _cluster, _region, tasks) => addonOutputs(inputs, tasks),
});
