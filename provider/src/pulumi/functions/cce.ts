// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/addons/precheck/tasks
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/precheck/tasks
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/precheck/tasks/{task_id}
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgradeworkflows
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgradeworkflows/{upgrade_workflow_id}
/**
 * CCE data functions: read-only lookups of prechecks, add-on checks and upgrade workflows, with
 * results normalized (camelCase, ISO timestamps, findings in the readiness model).
 */
import { z } from "zod";
import {
  type CceAddonCheckTask,
  type CcePrecheckTask,
  type CceUpgradeWorkflow,
} from "../../clients/cce/schemas";
import { targetMatches } from "../../internal/versions";
import {
  cceAddonFindings,
  cceAddonTaskState,
  ccePrecheckCheckRef,
  ccePrecheckFindings,
  ccePrecheckState,
  latestAddonChecks,
} from "../../readiness/from-cce";
import { latestCcePrecheck } from "../../readiness/facts";
import { type CheckState, type Finding, type WorstSeverity } from "../../readiness/model";
import {
  cceLocationShape,
  compact,
  findingsOutputs,
  type FindingCounts,
  kubernetesVersion,
  newestFirst,
  resourceId,
} from "../shared/common";
import { addonTaskRecord, workflowRecord } from "../shared/cce-records";
import { cloudFunction, type DataFunction, freshNow } from "./context";

// ---------------------------------------------------------------------------------------------
// Result types

/** A CCE cluster precheck, normalized (ShowPreCheck / ListPreCheckTasks item). */
export interface CcePrecheckResult {
  /** The precheck task id. */
  readonly taskId: string;
  /** The CCE cluster id. */
  readonly clusterId: string;
  /** Vendor phase: `Init` | `Running` | `Success` | `Failed` | `Error`. */
  readonly phase: string;
  /** Normalized: pending, passed, failed (found problems) or error (did not complete). */
  readonly state: CheckState;
  /** The version the check ran from. */
  readonly clusterVersion?: string;
  /** The target as CCE recorded it (a minor target may come back as its latest patch). */
  readonly targetVersion?: string;
  /** When CCE created the task (ISO 8601 UTC). */
  readonly createdAt?: string;
  /** When CCE last changed the task (ISO 8601 UTC). */
  readonly updatedAt?: string;
  /** When CCE stops accepting the result for an upgrade (ISO 8601 UTC). */
  readonly expiresAt?: string;
  /** CCE's message on the task as a whole, if any. */
  readonly message?: string;
  /** Every check item, in the readiness model (`state: present` = the problem exists). */
  readonly findings: Finding[];
  /** The worst severity among the present findings, or `none`. */
  readonly worstSeverity: WorstSeverity;
  /** Present findings per severity. */
  readonly findingCounts: FindingCounts;
}

/** One risk of an add-on check. */
export interface CceAddonRiskResult {
  /** The risk's name, e.g. `AddonValidate`. */
  readonly riskName: string;
  /** `Warning` | `Fatal`. */
  readonly level: string;
  /** `Failed` = the risk is present, `Success` = not present, `Init`/`Running` = not checked yet. */
  readonly status: string;
  /** CCE's explanation of the risk, if any. */
  readonly message?: string;
}

/** A CCE add-on check task, normalized (ListAddonPrecheckTasks item). */
export interface CceAddonCheckResult {
  /** The add-on check task id. */
  readonly taskId: string;
  /** `addonUpgrade` | `addonStatic`. */
  readonly type: string;
  /** The add-on template, e.g. `coredns`. */
  readonly addonTemplateName: string;
  /** The add-on instance's name, if CCE gives one. */
  readonly addonInstanceName?: string;
  /** The add-on instance checked. */
  readonly addonInstanceId?: string;
  /** The add-on version checked against (upgrade checks). */
  readonly targetVersion?: string;
  /** Vendor status: `Init` | `Running` | `Failed` (finished WITH risks) | `Success`. */
  readonly status: string;
  /** Normalized: pending, passed, failed (risks found) or error. */
  readonly state: CheckState;
  /** CCE's message on the task, if any. */
  readonly message?: string;
  /** When CCE created the task (ISO 8601 UTC). */
  readonly createdAt: string;
  /** When CCE stops accepting the result (ISO 8601 UTC). */
  readonly expiresAt?: string;
  /** The risks as CCE lists them. */
  readonly risks: CceAddonRiskResult[];
  /** The risks in the readiness model (`state: present` = the risk exists). */
  readonly findings: Finding[];
}

/** One step of an upgrade workflow. */
export interface CceWorkflowPointResult {
  /** `Cluster` | `PreCheck` | `Rollback` | `Snapshot` | `PostCheck`. */
  readonly taskType: string;
  /** The task that runs this step, once started. */
  readonly taskId?: string;
  /** `Init` | `Queuing` | `Running` | `Success` | `Failed`; absent until the step runs. */
  readonly status?: string;
  /** When the step started (ISO 8601 UTC). */
  readonly startedAt?: string;
  /** When the step ended (ISO 8601 UTC). */
  readonly endedAt?: string;
  /** When the step's result expires (a precheck's) (ISO 8601 UTC). */
  readonly expiresAt?: string;
}

/** A CCE upgrade workflow, normalized (ShowUpgradeWorkFlow). */
export interface CceWorkflowResult {
  /** The upgrade workflow id. */
  readonly workflowId: string;
  /** The CCE cluster id. */
  readonly clusterId: string;
  /** `Init` | `Running` | `Pending` (a task FAILED) | `Success` | `Cancel`. */
  readonly phase: string;
  /** The version the workflow upgrades from. */
  readonly clusterVersion?: string;
  /** The version the workflow upgrades to. */
  readonly targetVersion?: string;
  /** When CCE created the workflow (ISO 8601 UTC). */
  readonly createdAt?: string;
  /** When CCE last changed the workflow (ISO 8601 UTC). */
  readonly updatedAt?: string;
  /** The workflow's steps, in CCE's order. */
  readonly pointStatuses: CceWorkflowPointResult[];
}

// ---------------------------------------------------------------------------------------------
// Mappings

/** Normalizes a precheck task. */
export function precheckResult(clusterId: string, task: CcePrecheckTask): CcePrecheckResult {
  return compact({
    taskId: task.metadata.uid,
    clusterId,
    phase: task.status.phase,
    state: ccePrecheckState(task.status.phase),
    clusterVersion: task.spec?.clusterVersion,
    targetVersion: task.spec?.targetVersion,
    createdAt: task.metadata.creationTimestamp,
    updatedAt: task.metadata.updateTimestamp,
    expiresAt: task.status.expireTimeStamp,
    message: task.status.message,
    ...findingsOutputs(ccePrecheckFindings(task)),
  });
}

/** Normalizes an add-on check task. */
export function addonCheckResult(task: CceAddonCheckTask): CceAddonCheckResult {
  return compact({
    ...addonTaskRecord(task),
    addonInstanceName: task.metadata.addonInstanceName,
    state: cceAddonTaskState(task.status.status),
    findings: cceAddonFindings(task),
  });
}

/** Normalizes an upgrade workflow. */
export function workflowResult(clusterId: string, workflow: CceUpgradeWorkflow): CceWorkflowResult {
  return compact({ ...workflowRecord(workflow), clusterId });
}

// ---------------------------------------------------------------------------------------------
// Functions

/** Arguments of `getAddonPrecheckTasks`. */
export const getAddonPrecheckTasksArgs = z.strictObject({
  clusterId: resourceId,
  /** `addonUpgrade` or `addonStatic`; both when omitted. */
  type: z.enum(["addonUpgrade", "addonStatic"]).optional(),
  taskId: resourceId.optional(),
  addonInstanceId: resourceId.optional(),
  ...cceLocationShape,
});
/** Arguments of `getAddonPrecheckTasks`. */
export type GetAddonPrecheckTasksArgs = z.input<typeof getAddonPrecheckTasksArgs>;

/** Result of `getAddonPrecheckTasks`. */
export interface GetAddonPrecheckTasksResult {
  /** The CCE cluster id. */
  readonly clusterId: string;
  /** Every matching task, newest first. */
  readonly tasks: CceAddonCheckResult[];
  /** Of the newest task per add-on instance and type: the worst present risk. */
  readonly worstSeverity: WorstSeverity;
  /** Of the newest task per add-on instance and type: present findings per severity. */
  readonly findingCounts: FindingCounts;
}

/** CCE ListAddonPrecheckTasks: the cluster's add-on check tasks and their risks. */
export const getAddonPrecheckTasks: DataFunction<GetAddonPrecheckTasksArgs, GetAddonPrecheckTasksResult> =
  cloudFunction("CCE", "cce.getAddonPrecheckTasks", getAddonPrecheckTasksArgs, async (cce, a) => {
    const { items } = await cce.listAddonPrecheckTasks({
      clusterId: a.clusterId,
      ...(a.type === undefined ? {} : { type: a.type }),
      ...(a.taskId === undefined ? {} : { taskId: a.taskId }),
      ...(a.addonInstanceId === undefined ? {} : { addonInstanceId: a.addonInstanceId }),
    });
    const tasks = newestFirst(items, (task) => task.metadata.createTimeStamp);
    const { worstSeverity, findingCounts } = findingsOutputs(
      latestAddonChecks(tasks).flatMap(cceAddonFindings),
    );
    return { clusterId: a.clusterId, tasks: tasks.map(addonCheckResult), worstSeverity, findingCounts };
  });

/** Arguments of `getPrecheck`. */
export const getPrecheckArgs = z.strictObject({
  clusterId: resourceId,
  taskId: resourceId,
  ...cceLocationShape,
});
/** Arguments of `getPrecheck`. */
export type GetPrecheckArgs = z.input<typeof getPrecheckArgs>;

/** CCE ShowPreCheck: one cluster pre-upgrade check with its findings. */
export const getPrecheck: DataFunction<GetPrecheckArgs, CcePrecheckResult> = cloudFunction(
  "CCE",
  "cce.getPrecheck",
  getPrecheckArgs,
  async (cce, a) =>
    precheckResult(a.clusterId, await cce.showPreCheck({ clusterId: a.clusterId, taskId: a.taskId })),
);

/** Arguments of `getLatestPrecheck`. */
export const getLatestPrecheckArgs = z.strictObject({
  clusterId: resourceId,
  /** The target version; a check made for `v1.30` serves `v1.30.4-r0` and the other way round. */
  targetVersion: kubernetesVersion,
  /** Only finished checks (default false: a running check is the latest). */
  finishedOnly: z.boolean().optional(),
  ...cceLocationShape,
});
/** Arguments of `getLatestPrecheck`. */
export type GetLatestPrecheckArgs = z.input<typeof getLatestPrecheckArgs>;

/** Result of `getLatestPrecheck`. */
export interface GetLatestPrecheckResult {
  /** The CCE cluster id. */
  readonly clusterId: string;
  /** The target looked for (the argument). */
  readonly targetVersion: string;
  /** Absent when the cluster has no precheck for the target. */
  readonly precheck?: CcePrecheckResult;
  /** Still usable now: not expired (vendor expiry) and not older than the default maximum age. */
  readonly fresh: boolean;
}

/** The newest CCE precheck for a target (ListPreCheckTasks, sorted by creation time). */
export const getLatestPrecheck: DataFunction<GetLatestPrecheckArgs, GetLatestPrecheckResult> = cloudFunction(
  "CCE",
  "cce.getLatestPrecheck",
  getLatestPrecheckArgs,
  async (cce, a) => {
    const { items } = await cce.listPreCheckTasks({ clusterId: a.clusterId });
    const found =
      a.finishedOnly === true
        ? items.filter((task) => ccePrecheckState(task.status.phase) !== "pending")
        : items;
    const latest = latestCcePrecheck(found, a.targetVersion);
    const base = { clusterId: a.clusterId, targetVersion: a.targetVersion };
    if (latest === undefined) return { ...base, fresh: false };
    return {
      ...base,
      precheck: precheckResult(a.clusterId, latest),
      fresh: freshNow(ccePrecheckCheckRef(latest)),
    };
  },
);

/** Arguments of `getUpgradeWorkflow`. */
export const getUpgradeWorkflowArgs = z.strictObject({
  clusterId: resourceId,
  workflowId: resourceId,
  ...cceLocationShape,
});
/** Arguments of `getUpgradeWorkflow`. */
export type GetUpgradeWorkflowArgs = z.input<typeof getUpgradeWorkflowArgs>;

/** CCE ShowUpgradeWorkFlow: one upgrade workflow with its point statuses. */
export const getUpgradeWorkflow: DataFunction<GetUpgradeWorkflowArgs, CceWorkflowResult> = cloudFunction(
  "CCE",
  "cce.getUpgradeWorkflow",
  getUpgradeWorkflowArgs,
  async (cce, { clusterId, workflowId }) =>
    workflowResult(clusterId, await cce.showUpgradeWorkFlow({ clusterId, upgradeWorkflowId: workflowId })),
);

/** Arguments of `getUpgradeWorkflows`. */
export const getUpgradeWorkflowsArgs = z.strictObject({
  clusterId: resourceId,
  /** Only workflows for this target. */
  targetVersion: kubernetesVersion.optional(),
  ...cceLocationShape,
});
/** Arguments of `getUpgradeWorkflows`. */
export type GetUpgradeWorkflowsArgs = z.input<typeof getUpgradeWorkflowsArgs>;

/** Result of `getUpgradeWorkflows`. */
export interface GetUpgradeWorkflowsResult {
  /** The CCE cluster id. */
  readonly clusterId: string;
  /** Newest first. */
  readonly workflows: CceWorkflowResult[];
}

/** CCE ListUpgradeWorkFlows: the cluster's upgrade workflows, newest first. */
export const getUpgradeWorkflows: DataFunction<GetUpgradeWorkflowsArgs, GetUpgradeWorkflowsResult> =
  cloudFunction("CCE", "cce.getUpgradeWorkflows", getUpgradeWorkflowsArgs, async (cce, a) => {
    const { items } = await cce.listUpgradeWorkFlows({ clusterId: a.clusterId });
    const wanted = items.filter((workflow) => {
      const target = workflow.spec?.targetVersion;
      return (
        a.targetVersion === undefined || (target !== undefined && targetMatches(a.targetVersion, target))
      );
    });
    return {
      clusterId: a.clusterId,
      workflows: newestFirst(wanted, (workflow) => workflow.metadata.creationTimestamp).map((workflow) =>
        workflowResult(a.clusterId, workflow),
      ),
    };
  });
