// @API CCE POST /api/v3/projects/{project_id}/clusters/{cluster_id}/addons/precheck
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/addons/precheck/tasks
/**
 * `cce.AddonPrecheck`: checks add-ons in one batch (BatchCreateAddonPrecheck), one task per add-on,
 * and waits until every task finishes.
 *
 * - create: per add-on, adopts a task for the same instance, type and target that is still running
 *   (a retried create), and starts the others in one batch; waits; outputs each add-on's risks.
 *   Risks found are a result, not a failure. The resource id is the task ids joined by commas.
 * - diff: cluster, add-on list, region and project replace; `waitTimeoutMinutes` updates.
 * - read: re-reads the tasks; when none exists any more the resource is removed, when some vanished
 *   that is reported.
 * - delete: CCE has no API to delete add-on checks; they stay in CCE and leave the state.
 */
import { z } from "zod";
import { type CceClient } from "../../clients/cce/client";
import { type CceAddonCheckTask } from "../../clients/cce/schemas";
import { parseTimestamp } from "../../internal/timestamps";
import { targetMatches } from "../../internal/versions";
import { cceAddonFindings, cceAddonTaskState } from "../../readiness/from-cce";
import { type Finding, worstSeverityOf, worstSeveritySchema } from "../../readiness/model";
import { waitFor } from "../../readiness/waiter";
import {
  afterAccepted,
  cceLocationShape,
  compact,
  countFindings,
  findingCountsSchema,
  isPendingPhase,
  nonEmpty,
  nowMs,
  resourceId,
  storedObject,
  type WaitTiming,
  waitTiming,
  waitTimeoutMinutes,
  withCce,
} from "../shared/common";
import {
  anyUnknown,
  lifecycleOf,
  inPlaceOutputs,
  parseInputs,
  readOutputs,
  withoutProvider,
  type Written,
} from "./lifecycle";
import { addonTaskRecord } from "../shared/cce-records";
import { log, progressPrinter } from "../shared/log";
import { configuredSettings } from "../shared/settings";
import { type PropertyMap, type ResourceLifecycle } from "../shared/types";

const RESOURCE = "cce.AddonPrecheck";
/** Default deadline of the add-on check wait, in minutes. */
export const DEFAULT_ADDON_PRECHECK_TIMEOUT_MINUTES = 30;
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
        ctx.addIssue({
          code: "custom",
          path: ["targetVersion"],
          message: "is required when type is addonUpgrade",
        });
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
            ctx.addIssue({
              code: "custom",
              path: [index, "addonInstanceId"],
              message: "is listed twice for the same type",
            });
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
});
/** Computed outputs of `cce.AddonPrecheck`, as read back from the state. */
export type CceAddonPrecheckOutputs = z.output<typeof cceAddonPrecheckOutputsSchema>;
type Outputs = Written<typeof cceAddonPrecheckOutputsSchema>;

const DIFF = {
  replaceOn: ["clusterId", "addons", "region", "projectId"],
  updateOn: ["waitTimeoutMinutes"],
} as const;

function parse(props: PropertyMap): CceAddonPrecheckInputs {
  return parseInputs(cceAddonPrecheckInputsSchema, props, RESOURCE);
}

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

function newestOf(tasks: readonly CceAddonCheckTask[]): CceAddonCheckTask | undefined {
  let best: CceAddonCheckTask | undefined;
  for (const task of tasks) {
    if (
      best === undefined ||
      (parseTimestamp(task.metadata.createTimeStamp) ?? 0) >
        (parseTimestamp(best.metadata.createTimeStamp) ?? 0)
    )
      best = task;
  }
  return best;
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
  const outcome = await waitFor({
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
    ...timing,
    onProgress: progressPrinter(what, timing.deadlineMs),
  });
  return outcome.value as CceAddonCheckTask[];
}

function addonOutputs(inputs: CceAddonPrecheckInputs, tasks: readonly CceAddonCheckTask[]): PropertyMap {
  const findings = tasks.flatMap(cceAddonFindings);
  const outputs: Outputs = {
    taskIds: tasks.map((task) => task.metadata.taskID),
    phase: aggregatePhase(tasks),
    results: tasks.map(addonTaskRecord),
    findings,
    worstSeverity: worstSeverityOf(findings),
    findingCounts: countFindings(findings),
    observedAt: new Date(nowMs()).toISOString(),
  };
  return compact({ ...inputs, ...outputs });
}

async function finish(
  cce: CceClient,
  inputs: CceAddonPrecheckInputs,
  taskIds: string[],
): Promise<PropertyMap> {
  const timing = waitTiming(inputs.waitTimeoutMinutes, DEFAULT_ADDON_PRECHECK_TIMEOUT_MINUTES);
  let lastPhase = "Running";
  return afterAccepted(
    taskIds.join(","),
    () => ({ ...inputs, taskIds, phase: lastPhase }) satisfies Outputs,
    "run `pulumi up` again to resume waiting for it, or `pulumi refresh` to read its result.",
    async () => {
      const tasks = await waitForTasks(cce, inputs.clusterId, taskIds, timing, label(inputs));
      lastPhase = aggregatePhase(tasks);
      return addonOutputs(inputs, tasks);
    },
  );
}

async function create(props: PropertyMap): Promise<{ id: string; outs: PropertyMap }> {
  const inputs = parse(props);
  return withCce(inputs, { pulumiConfig: configuredSettings().cce }, async (cce) => {
    const { clusterId } = inputs;
    const { items } = await cce.listAddonPrecheckTasks({ clusterId });
    const taskIds: (string | undefined)[] = inputs.addons.map((addon) => {
      const running = items.filter(
        (task) => matches(task, addon) && cceAddonTaskState(task.status.status) === "pending",
      );
      return newestOf(running)?.metadata.taskID;
    });
    for (const [index, id] of taskIds.entries()) {
      if (id !== undefined)
        log(
          "info",
          `${label(inputs)}: adopting add-on check ${id} already running for ${inputs.addons[index]?.addonTemplateName}`,
        );
    }
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
            `${label(inputs)}: CCE accepted the add-on checks but named no task for ${addon.addonTemplateName} ` +
              `(${addon.addonInstanceId}); look for it with cce.getAddonPrecheckTasks before retrying`,
          );
        taskIds[index] = id;
      }
      log(
        "info",
        `${label(inputs)}: started add-on checks ${taskIds.join(", ")}` +
          (created.recovered === true ? " (found after the answer was lost; not started twice)" : ""),
      );
    }
    const ids = taskIds as string[];
    return { id: ids.join(","), outs: await finish(cce, inputs, ids) };
  });
}

/** The task ids the state recorded, else the ones the resource id names. */
function taskIdsOf(id: string, recorded: CceAddonPrecheckOutputs): string[] {
  const stored = recorded.taskIds ?? [];
  return stored.length > 0 ? stored : id.split(",").filter((part) => part !== "");
}

async function read(id: string, props?: PropertyMap): Promise<{ id: string; props?: PropertyMap }> {
  const olds = withoutProvider(props);
  const inputs = parse(olds);
  const ids = taskIdsOf(id, readOutputs(cceAddonPrecheckOutputsSchema, olds, RESOURCE));
  return withCce(inputs, { pulumiConfig: configuredSettings().cce }, async (cce) => {
    const { items } = await cce.listAddonPrecheckTasks({ clusterId: inputs.clusterId });
    const tasks = ids
      .map((taskId) => items.find((task) => task.metadata.taskID === taskId))
      .filter((task): task is CceAddonCheckTask => task !== undefined);
    if (tasks.length === 0) {
      log(
        "warn",
        `${label(inputs)}: add-on checks ${ids.join(", ")} no longer exist in CCE; removing them from the state`,
      );
      return { id: "" };
    }
    if (tasks.length < ids.length) {
      const gone = ids.filter((taskId) => !tasks.some((task) => task.metadata.taskID === taskId));
      log(
        "warn",
        `${label(inputs)}: add-on checks ${gone.join(", ")} no longer exist in CCE; the outputs keep the others`,
      );
    }
    return { id, props: addonOutputs(inputs, tasks) };
  });
}

async function update(id: string, olds: PropertyMap, news: PropertyMap): Promise<{ outs: PropertyMap }> {
  const inputs = parse(news);
  const recorded = readOutputs(cceAddonPrecheckOutputsSchema, olds, RESOURCE);
  if (recorded.results === undefined || isPendingPhase(recorded.phase, FINAL_PHASES)) {
    return withCce(inputs, { pulumiConfig: configuredSettings().cce }, async (cce) => {
      const ids = taskIdsOf(id, recorded);
      log("info", `${label(inputs)}: resuming the wait for add-on checks ${ids.join(", ")}`);
      return { outs: await finish(cce, inputs, ids) };
    });
  }
  return { outs: compact(inPlaceOutputs(cceAddonPrecheckInputsSchema, olds, inputs)) };
}

async function remove(id: string, props: PropertyMap): Promise<void> {
  const cluster = typeof props.clusterId === "string" ? props.clusterId : "?";
  log(
    "info",
    `${RESOURCE}: add-on checks ${id} of cluster ${cluster} stay in CCE (there is no API to delete them); removed from the state`,
  );
}

/** The `cce.AddonPrecheck` lifecycle (see the module comment). */
export const cceAddonPrecheck: ResourceLifecycle = lifecycleOf(cceAddonPrecheckInputsSchema, DIFF, {
  create,
  read,
  update,
  delete: remove,
});
