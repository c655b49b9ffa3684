// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}
// @API CCE POST /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgradeworkflows
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgradeworkflows
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgradeworkflows/{upgrade_workflow_id}
// @API CCE PATCH /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgradeworkflows/{upgrade_workflow_id}
/**
 * `cce.UpgradeWorkflow`: an upgrade workflow (CreateUpgradeWorkFlow), the container CCE uses to
 * order pre-upgrade check, upgrade and post-upgrade check. Creating it starts nothing.
 *
 * - create: adopts an open workflow (not Success, not Cancel) for the same target, otherwise creates
 *   one (a retried create never makes a second workflow for the target). No wait: a new workflow
 *   is `Init`.
 * - diff: cluster, target, region and project replace; nothing updates in place, but a record
 *   without its workflow id (an interrupted create of an earlier version) is an update, which reads
 *   the workflow from CCE.
 * - read: re-reads the workflow (phase and point statuses change as its tasks run); a vanished
 *   workflow removes the resource.
 * - delete: cancels the workflow (PATCH phase Cancel) when CCE allows it: the workflow is not
 *   Running, Success or Cancel and none of its tasks is running or queued. Otherwise it is left as
 *   it is, and the log says why.
 */
import { z } from "zod";
import { type CceClient } from "../../clients/cce/client";
import { type CceUpgradeWorkflow } from "../../clients/cce/schemas";
import { targetMatches } from "../../internal/versions";
import { selectLatestCheck } from "../../readiness/latest";
import {
  cceLocationShape,
  compact,
  unlessNotFound,
  kubernetesVersion,
  resourceId,
  withVendor,
  locationOutputShape,
} from "../shared/common";
import {
  lifecycleOf,
  inPlaceOutputs,
  parseInputs,
  readOutputs,
  withoutProvider,
  type Written,
} from "./lifecycle";
import { workflowRecord } from "../shared/cce-records";
import { log, logStarted } from "../shared/log";
import { type PropertyMap, type ResourceLifecycle } from "../shared/types";

const RESOURCE = "cce.UpgradeWorkflow";

/** Inputs of `cce.UpgradeWorkflow` (strict). */
export const cceUpgradeWorkflowInputsSchema = z.strictObject({
  clusterId: resourceId,
  /** The version to upgrade to (`v1.30` or a patch). */
  targetVersion: kubernetesVersion,
  /** The cluster's current version; CCE fills it in when omitted. Used at create only. */
  currentVersion: kubernetesVersion.optional(),
  ...cceLocationShape,
});
/** Inputs of `cce.UpgradeWorkflow`, parsed. */
export type CceUpgradeWorkflowInputs = z.output<typeof cceUpgradeWorkflowInputsSchema>;

/**
 * Computed outputs of `cce.UpgradeWorkflow` (the state holds them next to the inputs). Loose and all
 * optional: state written by other versions must still read.
 */
export const cceUpgradeWorkflowOutputsSchema = z.looseObject({
  /** The workflow id (also the resource id). */
  workflowId: z.string().optional(),
  /** `Init` | `Running` | `Pending` (a task FAILED) | `Success` | `Cancel`. */
  phase: z.string().optional(),
  /** The version the workflow upgrades from, as CCE recorded it. */
  clusterVersion: z.string().optional(),
  /** The target as CCE recorded it. */
  workflowTargetVersion: z.string().optional(),
  /** When CCE created the workflow (ISO 8601). */
  createdAt: z.string().optional(),
  /** When CCE last changed the workflow (ISO 8601). */
  updatedAt: z.string().optional(),
  /** The workflow's steps with their tasks, statuses and times. */
  pointStatuses: z
    .array(
      z.object({
        taskType: z.string(),
        taskId: z.string().optional(),
        status: z.string().optional(),
        startedAt: z.string().optional(),
        endedAt: z.string().optional(),
        expiresAt: z.string().optional(),
      }),
    )
    .optional(),
  ...locationOutputShape,
});
/** Computed outputs of `cce.UpgradeWorkflow`, as read back from the state. */
export type CceUpgradeWorkflowOutputs = z.output<typeof cceUpgradeWorkflowOutputsSchema>;
type Outputs = Written<typeof cceUpgradeWorkflowOutputsSchema>;

const DIFF = {
  replaceOn: ["clusterId", "targetVersion", "region", "projectId"],
  updateOn: [],
  // A replacement may name the same open workflow (e.g. the region spelled out) and `create` adopts
  // it; created first, the old resource's delete would then cancel the workflow the new one holds.
  deleteBeforeReplace: true,
} as const;

/** Workflow phases after which it is closed: a new upgrade needs a new workflow. */
const CLOSED_PHASES = new Set(["success", "cancel"]);
/** Point statuses during which CCE refuses to cancel the workflow. */
const BUSY_POINT_STATUSES = new Set(["running", "init", "queuing", "pause"]);

/** True while the workflow is neither finished nor cancelled. */
export function isOpenWorkflow(workflow: CceUpgradeWorkflow): boolean {
  return !CLOSED_PHASES.has((workflow.status?.phase ?? "Init").toLowerCase());
}

/** The newest open workflow for `targetVersion`, if any. */
export async function findOpenWorkflow(
  cce: CceClient,
  clusterId: string,
  targetVersion: string,
): Promise<CceUpgradeWorkflow | undefined> {
  const { items } = await cce.listUpgradeWorkFlows({ clusterId });
  return selectLatestCheck(items.filter(isOpenWorkflow), {
    targetVersion,
    createdAt: (workflow) => workflow.metadata.creationTimestamp,
    targetOf: (workflow) => workflow.spec?.targetVersion,
  });
}

/** Adopts the open workflow for the target or creates one; says which. */
export async function ensureWorkflow(
  cce: CceClient,
  args: Pick<CceUpgradeWorkflowInputs, "clusterId" | "targetVersion" | "currentVersion">,
  what: string,
): Promise<CceUpgradeWorkflow> {
  const open = await findOpenWorkflow(cce, args.clusterId, args.targetVersion);
  if (open !== undefined) {
    log(
      "info",
      `${what}: adopting open upgrade workflow ${open.metadata.uid} (phase ${open.status?.phase ?? "?"})`,
    );
    return open;
  }
  const created = await cce.createUpgradeWorkFlow({
    clusterId: args.clusterId,
    targetVersion: args.targetVersion,
    ...(args.currentVersion === undefined ? {} : { clusterVersion: args.currentVersion }),
  });
  logStarted(what, `created upgrade workflow ${created.metadata.uid}`, created.recovered, "created");
  return created;
}

/** Why CCE would refuse to cancel the workflow, or `undefined` when it may be cancelled. */
export function cancelBlocker(workflow: CceUpgradeWorkflow): string | undefined {
  const phase = workflow.status?.phase ?? "Init";
  if (["running", "success", "cancel"].includes(phase.toLowerCase())) return `its phase is ${phase}`;
  const busy = (workflow.status?.pointStatuses ?? []).find(
    (point) => point.status !== undefined && BUSY_POINT_STATUSES.has(point.status.toLowerCase()),
  );
  if (busy !== undefined)
    return `its ${busy.taskType} task ${busy.taskID ?? ""} is ${busy.status}`.replace("  ", " ");
  return undefined;
}

/** The outputs of the resource for a workflow. */
export function workflowOutputs(inputs: CceUpgradeWorkflowInputs, workflow: CceUpgradeWorkflow): PropertyMap {
  // The workflow's target is recorded as `workflowTargetVersion`: `targetVersion` is the input.
  const { targetVersion, ...record } = workflowRecord(workflow);
  const outputs: Outputs = { ...record, workflowTargetVersion: targetVersion ?? inputs.targetVersion };
  return compact({ ...inputs, ...outputs });
}

function parse(props: PropertyMap): CceUpgradeWorkflowInputs {
  return parseInputs(cceUpgradeWorkflowInputsSchema, props, RESOURCE);
}

function show(
  cce: CceClient,
  { clusterId }: CceUpgradeWorkflowInputs,
  id: string,
): Promise<CceUpgradeWorkflow> {
  return cce.showUpgradeWorkFlow({ clusterId, upgradeWorkflowId: id });
}

function label(inputs: CceUpgradeWorkflowInputs): string {
  return `${RESOURCE} ${inputs.clusterId} -> ${inputs.targetVersion}`;
}

async function create(props: PropertyMap): Promise<{ id: string; outs: PropertyMap }> {
  const inputs = parse(props);
  return withVendor("CCE", inputs, async (cce) => {
    const workflow = await ensureWorkflow(cce, inputs, label(inputs));
    return { id: workflow.metadata.uid, outs: workflowOutputs(inputs, workflow) };
  });
}

async function read(id: string, props?: PropertyMap): Promise<{ id: string; props?: PropertyMap }> {
  const inputs = parse(withoutProvider(props));
  return withVendor("CCE", inputs, async (cce) => {
    const workflow = await unlessNotFound(show(cce, inputs, id));
    if (workflow === undefined) {
      log("warn", `${label(inputs)}: workflow ${id} no longer exists in CCE; removing it from the state`);
      return { id: "" };
    }
    const recorded = workflow.spec?.targetVersion;
    if (recorded !== undefined && !targetMatches(inputs.targetVersion, recorded))
      log("warn", `${label(inputs)}: workflow ${id} now targets ${recorded}`);
    return { id, props: workflowOutputs(inputs, workflow) };
  });
}

async function update(id: string, olds: PropertyMap, news: PropertyMap): Promise<{ outs: PropertyMap }> {
  const inputs = parse(news);
  if (readOutputs(cceUpgradeWorkflowOutputsSchema, olds, RESOURCE).workflowId === undefined) {
    // Recorded by an interrupted create: read what CCE has.
    return withVendor("CCE", inputs, async (cce) => ({
      outs: workflowOutputs(inputs, await show(cce, inputs, id)),
    }));
  }
  return { outs: compact(inPlaceOutputs(cceUpgradeWorkflowInputsSchema, olds, inputs)) };
}

async function remove(id: string, props: PropertyMap): Promise<void> {
  const inputs = parse(props);
  await withVendor("CCE", inputs, async (cce) => {
    const workflow = await unlessNotFound(show(cce, inputs, id));
    if (workflow === undefined) {
      log("info", `${label(inputs)}: workflow ${id} no longer exists in CCE; nothing to cancel`);
      return;
    }
    const blocker = cancelBlocker(workflow);
    if (blocker !== undefined) {
      log(
        "warn",
        `${label(inputs)}: workflow ${id} is left in CCE, not cancelled: CCE allows no cancel while ${blocker}`,
      );
      return;
    }
    try {
      await cce.upgradeWorkFlowUpdate({ clusterId: inputs.clusterId, upgradeWorkflowId: id });
      log("info", `${label(inputs)}: cancelled workflow ${id}`);
    } catch (error) {
      // CCE decides; a refusal (e.g. a task started a moment ago) leaves the workflow, not the state.
      const category = (error as { category?: string }).category;
      if (category !== "conflict" && category !== "invalid") throw error;
      log(
        "warn",
        `${label(inputs)}: workflow ${id} is left in CCE: CCE refused to cancel it (${(error as Error).message})`,
      );
    }
  });
}

/** The `cce.UpgradeWorkflow` lifecycle (see the module comment). */
export const cceUpgradeWorkflow: ResourceLifecycle = lifecycleOf(
  "CCE",
  cceUpgradeWorkflowInputsSchema,
  DIFF,
  { create, read, update, delete: remove },
  // What `update` reads from CCE (see there).
  { outputs: cceUpgradeWorkflowOutputsSchema, unfinished: (recorded) => recorded.workflowId === undefined },
);
