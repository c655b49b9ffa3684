// @API CCE GET /api/v3/projects/{project_id}/clusters
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/upgradeinfo
// @API CCE GET /api/v3/clusterupgradepaths
// @API CCE POST /api/v3/projects/{project_id}/clusters/{cluster_id}/addons/precheck
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/addons/precheck/tasks
// @API CCE POST /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/precheck
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/precheck/tasks
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/precheck/tasks/{task_id}
// @API CCE POST /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgradeworkflows
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgradeworkflows
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgradeworkflows/{upgrade_workflow_id}
// @API CCE PATCH /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgradeworkflows/{upgrade_workflow_id}
// @API CCE POST /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgrade
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgrade/tasks
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgrade/tasks/{task_id}
// @API CCE POST /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/postcheck
// @API CCE POST /api/v3.1/projects/{project_id}/clusters/{cluster_id}/operation/snapshot
// @API CCE GET /api/v3.1/projects/{project_id}/clusters/{cluster_id}/operation/snapshot/tasks
// @API CCE GET /api/v3/addons
/**
 * The emulated CCE service: route table and handlers. Handlers validate like the service (400 with
 * `CCE.01400001`), find objects only inside the caller's project (404 `CCE.01404001`/`...002`) and
 * refuse operations the cluster's state forbids (409 `CCE.01409001`); see LIMITATIONS.md for which
 * codes are inferred.
 */
import { z } from "zod";
import {
  checkProgressFor,
  postcheckOutcomeFor,
  precheckOutcomeFor,
  snapshotOutcomeFor,
  upgradeOutcomeFor,
  upgradeProgressFor,
} from "../../state/outcomes";
import { newTaskClock, stageOf } from "../../state/progress";
import {
  type CceAddonCheckRecord,
  type CcePrecheckRecord,
  type CceUpgradeTaskRecord,
  type CceWorkflowRecord,
  type ClusterRecord,
  type TaskClock,
} from "../../state/types";
import { type Table } from "../../state/store";
import { ccePatchVersion, compareVersions, findTarget, matchesTarget } from "../../state/versions";
import { uuid } from "../../util/ids";
import { goTimeString } from "../../util/time-format";
import { validateBody } from "../../server/json-body";
import {
  type Reply,
  type RouteDefinition,
  type RouteRequest,
  type ServiceContext,
} from "../../server/router";
import {
  cceClusterNotFound,
  cceConflict,
  cceInvalid,
  cceResourceNotFound,
  huaweiForbidden,
} from "../../server/vendor-errors";
import {
  platformVersion,
  renderAddonInstance,
  renderAddonTask,
  renderAddonTaskList,
  renderCluster,
  renderPrecheck,
  renderPrecheckCreated,
  renderSnapshotTask,
  renderUpgradeCreated,
  renderUpgradeInfo,
  renderUpgradeTask,
  renderWorkflow,
  snapshotPhase,
  upgradeTaskPhase,
  workflowPhase,
  workflowPoints,
} from "./cce-render";
import { renderNodeList, renderNodePoolList } from "./cce-nodes";

const PROJECT = "/api/v3/projects/{project_id}";
const CLUSTER = `${PROJECT}/clusters/{cluster_id}`;
/** The master snapshot operations are v3.1 (Huawei's Terraform resource and SDKs call them so). */
const CLUSTER_V31 = "/api/v3.1/projects/{project_id}/clusters/{cluster_id}";

// --- access --------------------------------------------------------------------------------------

/** The project in the path must belong to the caller (and match its token scope / X-Project-Id). */
function authorizeProject(request: RouteRequest, context: ServiceContext): string {
  return authorizeProjectId(request.params["project_id"] ?? "", request, context);
}

/**
 * For the routes without a project in the path (add-on management, `/api/v3/addons`): the project
 * is the `X-Project-Id` header, which the SDKs add to every AK/SK request, or a project-scoped
 * token's project. Without either the call is refused (stricter than guessing a default project).
 */
function authorizeCallerProject(request: RouteRequest, context: ServiceContext): string {
  const principal = request.principal;
  if (principal.cloud !== "huawei") throw huaweiForbidden("no Huawei credentials");
  const header = request.headers["x-project-id"];
  const projectId =
    typeof header === "string" && header !== ""
      ? header
      : principal.via === "token"
        ? principal.projectId
        : undefined;
  if (projectId === undefined) {
    throw huaweiForbidden(
      principal.via === "token"
        ? "the token is not scoped to a project"
        : "X-Project-Id is required on AK/SK calls to APIs without a project in the path",
    );
  }
  return authorizeProjectId(projectId, request, context);
}

function authorizeProjectId(projectId: string, request: RouteRequest, context: ServiceContext): string {
  const principal = request.principal;
  if (principal.cloud !== "huawei") throw huaweiForbidden("no Huawei credentials");
  const owner = context.accounts.huaweiProject(projectId);
  if (owner === undefined || owner.account.accessKey !== principal.account.accessKey) {
    throw huaweiForbidden(`project ${projectId} does not belong to the caller`);
  }
  if (principal.via === "token" && principal.projectId !== projectId) {
    throw huaweiForbidden(`the token is not scoped to project ${projectId}`);
  }
  const header = request.headers["x-project-id"];
  if (typeof header === "string" && header !== projectId) {
    throw huaweiForbidden(`X-Project-Id ${header} does not match the project in the path`);
  }
  return projectId;
}

function findCluster(request: RouteRequest, context: ServiceContext): ClusterRecord {
  const projectId = authorizeProject(request, context);
  const clusterId = request.params["cluster_id"] ?? "";
  const cluster = context.store.cluster(clusterId);
  if (cluster === undefined || cluster.cloud !== "cce" || cluster.projectId !== projectId) {
    throw cceClusterNotFound(clusterId);
  }
  return cluster;
}

function allowedTarget(cluster: ClusterRecord, requested: string): string {
  const target = findTarget(requested, cluster.targetVersions);
  if (target === undefined) {
    throw cceInvalid(
      `target version ${requested} is not an upgrade target of cluster version ${cluster.version}; ` +
        `allowed: ${cluster.targetVersions.join(", ") || "none"}`,
    );
  }
  return target;
}

function runningUpgrade(cluster: ClusterRecord, context: ServiceContext): CceUpgradeTaskRecord | undefined {
  return context.store.cceUpgradeTasks.ofCluster(cluster.id).find((t) => t.clock.finishedAt === undefined);
}

function checkClusterVersion(cluster: ClusterRecord, clusterVersion: string | undefined): void {
  if (clusterVersion !== undefined && clusterVersion !== "" && clusterVersion !== cluster.version) {
    throw cceInvalid(
      `clusterVersion ${clusterVersion} does not match the cluster's version ${cluster.version}`,
    );
  }
}

function checkClusterId(cluster: ClusterRecord, clusterID: string | undefined): void {
  if (clusterID !== undefined && clusterID !== "" && clusterID !== cluster.id) {
    throw cceInvalid(`spec.clusterID ${clusterID} does not match the cluster in the path`);
  }
}

/** The open workflow (not cancelled, not finished) for this target (any, when undefined), newest first. */
function openWorkflow(
  cluster: ClusterRecord,
  target: string | undefined,
  context: ServiceContext,
): CceWorkflowRecord | undefined {
  const workflows = context.store.cceWorkflows.ofCluster(cluster.id);
  for (let i = workflows.length - 1; i >= 0; i--) {
    const workflow = workflows[i];
    if (
      workflow === undefined ||
      workflow.cancelled ||
      (target !== undefined && !matchesTarget(target, workflow.targetVersion))
    )
      continue;
    const phase = workflowPhase(workflow, workflowPoints(workflow, context.store, context.now));
    if (phase !== "Success" && phase !== "Cancel") return workflow;
  }
  return undefined;
}

// --- request bodies ------------------------------------------------------------------------------

const kindAndVersion = (kind: string) => ({
  kind: z.literal(kind, { message: `must be "${kind}"` }),
  apiVersion: z.literal("v3", { message: 'must be "v3"' }),
});

const addonCheckBody = z.looseObject({
  ...kindAndVersion("AddonCheck"),
  spec: z.looseObject({
    clusterID: z.string().optional(),
    addonList: z
      .array(
        z.looseObject({
          addonTemplateName: z.string().min(1),
          addonInstanceID: z.string().min(1),
          targetVersion: z.string().optional(),
          type: z.enum(["addonStatic", "addonUpgrade"]),
          values: z.record(z.string(), z.unknown()).optional(),
        }),
      )
      .min(1),
  }),
});

const precheckBody = z.looseObject({
  ...kindAndVersion("PreCheckTask"),
  spec: z.looseObject({
    clusterID: z.string().optional(),
    clusterVersion: z.string().optional(),
    targetVersion: z.string().min(1),
    skippedCheckItemList: z
      .array(
        z.looseObject({
          name: z.string().min(1),
          resourceSelector: z
            .looseObject({
              key: z.literal("node.uid"),
              values: z.array(z.string()).optional(),
              operator: z.literal("In"),
            })
            .optional(),
        }),
      )
      .optional(),
  }),
});

const workflowBody = z.looseObject({
  ...kindAndVersion("WorkFlowTask"),
  spec: z.looseObject({
    clusterID: z.string().optional(),
    clusterVersion: z.string().optional(),
    targetVersion: z.string().min(1),
  }),
});

const workflowUpdateBody = z.looseObject({
  status: z.looseObject({ phase: z.literal("Cancel", { message: 'only "Cancel" is supported' }) }),
});

const upgradeBody = z.looseObject({
  metadata: z.looseObject(kindAndVersion("UpgradeTask")),
  spec: z.looseObject({
    clusterUpgradeAction: z.looseObject({
      targetVersion: z.string().min(1),
      strategy: z
        .looseObject({
          type: z.literal("inPlaceRollingUpdate"),
          inPlaceRollingUpdate: z
            .looseObject({
              userDefinedStep: z.number().int().min(1).max(40).optional(),
              scope: z.enum(["Cluster", "NodePool"]).optional(),
            })
            .optional(),
        })
        .optional(),
      addons: z
        .array(
          z.looseObject({
            addonTemplateName: z.string().min(1),
            operation: z.literal("patch"),
            version: z.string().min(1),
            values: z.record(z.string(), z.unknown()).optional(),
          }),
        )
        .optional(),
      nodeOrder: z.record(z.string(), z.unknown()).optional(),
      nodePoolOrder: z.record(z.string(), z.unknown()).optional(),
      isOnlyUpgrade: z.boolean().optional(),
    }),
  }),
});

const postcheckBody = z.looseObject({
  ...kindAndVersion("PostCheckTask"),
  spec: z.looseObject({
    clusterID: z.string().optional(),
    clusterVersion: z.string().optional(),
    targetVersion: z.string().optional(),
  }),
});

// --- handlers: clusters --------------------------------------------------------------------------

function listClusters(request: RouteRequest, context: ServiceContext): Reply {
  const projectId = authorizeProject(request, context);
  const status = request.query.get("status");
  const version = request.query.get("version");
  const items = context.store
    .allClusters()
    .filter((c) => c.cloud === "cce" && c.projectId === projectId)
    .filter((c) => (status === null || status === "" ? true : c.phase === status))
    .filter((c) => (version === null || version === "" ? true : c.version === version))
    .map(renderCluster);
  return { status: 200, body: { kind: "Cluster", apiVersion: "v3", items } };
}

function showCluster(request: RouteRequest, context: ServiceContext): Reply {
  return { status: 200, body: renderCluster(findCluster(request, context)) };
}

function showUpgradeInfo(request: RouteRequest, context: ServiceContext): Reply {
  const cluster = findCluster(request, context);
  return { status: 200, body: renderUpgradeInfo(cluster, context.store, context.now) };
}

function listUpgradePaths(request: RouteRequest, context: ServiceContext): Reply {
  if (request.principal.cloud !== "huawei") throw huaweiForbidden("no Huawei credentials");
  const paths = new Map<string, Set<string>>();
  for (const cluster of context.store.allClusters()) {
    if (cluster.cloud !== "cce") continue;
    const set = paths.get(cluster.version) ?? new Set<string>();
    for (const t of cluster.targetVersions) set.add(t);
    paths.set(cluster.version, set);
  }
  const upgradePaths = [...paths]
    .sort(([a], [b]) => compareVersions(a, b))
    .map(([version, targets]) => ({
      version,
      platformVersion: platformVersion(version),
      targetVersions: [...targets].sort(compareVersions),
    }));
  return { status: 200, body: { apiVersion: "v3", kind: "UpgradePath", metadata: {}, upgradePaths } };
}

// --- handlers: add-on instances ------------------------------------------------------------------

/**
 * ListAddonInstances: `GET /api/v3/addons?cluster_id=` (vendor page cce_02_0326; Go SDK
 * GenReqDefForListAddonInstances). `addon_template_name` (a hidden parameter in the SDK) filters by
 * template name.
 */
function listAddonInstances(request: RouteRequest, context: ServiceContext): Reply {
  const projectId = authorizeCallerProject(request, context);
  const clusterId = request.query.get("cluster_id");
  if (clusterId === null || clusterId === "") throw cceInvalid("query parameter cluster_id is required");
  const cluster = context.store.cluster(clusterId);
  if (cluster === undefined || cluster.cloud !== "cce" || cluster.projectId !== projectId) {
    throw cceClusterNotFound(clusterId);
  }
  const template = request.query.get("addon_template_name");
  const items = cluster.addons
    .filter((addon) => template === null || template === "" || addon.templateName === template)
    .map((addon) => renderAddonInstance(cluster, addon));
  return { status: 200, body: { kind: "Addon", apiVersion: "v3", items } };
}

// --- handlers: add-on checks ---------------------------------------------------------------------

function batchCreateAddonPrecheck(request: RouteRequest, context: ServiceContext): Reply {
  const cluster = findCluster(request, context);
  const body = validateBody(addonCheckBody, request.body, cceInvalid);
  checkClusterId(cluster, body.spec.clusterID);
  const problems: string[] = [];
  body.spec.addonList.forEach((addon, i) => {
    if (addon.type === "addonUpgrade" && (addon.targetVersion === undefined || addon.targetVersion === "")) {
      problems.push(`spec.addonList.${i}.targetVersion is required for type addonUpgrade`);
    }
  });
  if (problems.length > 0) throw cceInvalid(`invalid request body: ${problems.join("; ")}`);
  const instances = body.spec.addonList.map((requested) => {
    const instance = cluster.addons.find((a) => a.id === requested.addonInstanceID);
    if (instance === undefined) throw cceResourceNotFound("addon instance", requested.addonInstanceID);
    if (instance.templateName !== requested.addonTemplateName) {
      throw cceInvalid(
        `addon instance ${instance.id} is ${instance.templateName}, not ${requested.addonTemplateName}`,
      );
    }
    return { requested, instance };
  });
  const progression = checkProgressFor(cluster, cluster.targetVersions[0]);
  const tasks = instances.map(({ requested, instance }) =>
    context.store.addCceAddonCheck({
      id: uuid(),
      clusterId: cluster.id,
      type: requested.type,
      addonInstanceId: instance.id,
      addonTemplateName: instance.templateName,
      addonInstanceName: instance.instanceName,
      ...(requested.targetVersion === undefined ? {} : { targetVersion: requested.targetVersion }),
      clock: newTaskClock(context.now, progression),
      risks: instance.risks,
      validityMs: cluster.defaults.precheckValidityMs,
    }),
  );
  // The SDK models carry status.phase/itemsStatus; the doc points at status.items[].metadata.taskID.
  // Both are returned (docs/cce.md#open-questions Q1).
  return {
    status: 200,
    body: {
      kind: "AddonCheck",
      apiVersion: "v3",
      spec: { ...body.spec, clusterID: cluster.id },
      status: {
        phase: tasks.every((t) => stageOf(t.clock, context.now) === "done") ? "Success" : "Init",
        itemsStatus: [],
        items: tasks.map((t) => renderAddonTask(t, context.now, false)),
      },
    },
  };
}

function listAddonPrecheckTasks(request: RouteRequest, context: ServiceContext): Reply {
  const cluster = findCluster(request, context);
  const type = request.query.get("type");
  const taskId = request.query.get("task_id");
  const instanceId = request.query.get("addon_instance_id");
  if (type !== null && type !== "" && type !== "addonStatic" && type !== "addonUpgrade") {
    throw cceInvalid(`type must be addonStatic or addonUpgrade, got ${type}`);
  }
  const matches = (t: CceAddonCheckRecord): boolean =>
    (type === null || type === "" || t.type === type) &&
    (taskId === null || taskId === "" || t.id === taskId) &&
    (instanceId === null || instanceId === "" || t.addonInstanceId === instanceId);
  const tasks = context.store.cceAddonChecks.ofCluster(cluster.id).filter(matches);
  for (const task of tasks)
    if (task.clock.finishedAt === undefined) context.store.observe(task.clock, context.now);
  const items = tasks.map((t) => renderAddonTask(t, context.now, context.docQuirks));
  return { status: 200, body: renderAddonTaskList(items, context.docQuirks) };
}

// --- handlers: prechecks -------------------------------------------------------------------------

function createPreCheck(request: RouteRequest, context: ServiceContext): Reply {
  const cluster = findCluster(request, context);
  const body = validateBody(precheckBody, request.body, cceInvalid);
  checkClusterId(cluster, body.spec.clusterID);
  checkClusterVersion(cluster, body.spec.clusterVersion);
  allowedTarget(cluster, body.spec.targetVersion);
  if (runningUpgrade(cluster, context) !== undefined) {
    throw cceConflict(`cluster ${cluster.id} is upgrading; a precheck cannot run now`);
  }
  const running = context.store.ccePrechecks
    .ofCluster(cluster.id)
    .find((p) => p.clock.finishedAt === undefined);
  if (running !== undefined)
    throw cceConflict(`precheck task ${running.id} of cluster ${cluster.id} is still running`);
  const target = body.spec.targetVersion;
  const record: CcePrecheckRecord = context.store.addCcePrecheck({
    id: uuid(),
    clusterId: cluster.id,
    clusterVersion: cluster.version,
    targetVersion: target,
    skippedCheckItemList: body.spec.skippedCheckItemList ?? [],
    clock: newTaskClock(context.now, checkProgressFor(cluster, target)),
    outcome: precheckOutcomeFor(cluster, target),
    validityMs: cluster.defaults.precheckValidityMs,
  });
  const workflow = openWorkflow(cluster, target, context);
  if (workflow !== undefined) {
    workflow.precheckId = record.id;
    workflow.updatedAt = context.now;
  }
  return { status: 200, body: renderPrecheckCreated(record, context.now) };
}

/** A task of one cluster with a progress clock: prechecks and upgrade tasks are read alike. */
type ClusterTask = { readonly id: string; readonly clusterId: string; readonly clock: TaskClock };

/** The task the path's `task_id` names, if it is the path cluster's; else the vendor's 404. */
function findClusterTask<T extends ClusterTask>(
  request: RouteRequest,
  context: ServiceContext,
  table: Table<T>,
  what: string,
): T {
  const cluster = findCluster(request, context);
  const id = request.params["task_id"] ?? "";
  const task = table.get(id);
  if (task === undefined || task.clusterId !== cluster.id) throw cceResourceNotFound(what, id);
  return task;
}

/** Show: the read counts towards the task's progress. */
function showClusterTask<T extends ClusterTask>(
  task: T,
  context: ServiceContext,
  render: (task: T, now: number) => unknown,
): Reply {
  context.store.observe(task.clock, context.now);
  return { status: 200, body: render(task, context.now) };
}

/** List: every unfinished task listed counts as read. */
function listClusterTasks<T extends ClusterTask>(
  request: RouteRequest,
  context: ServiceContext,
  table: Table<T>,
  render: (task: T, now: number) => unknown,
): Reply {
  const tasks = table.ofCluster(findCluster(request, context).id);
  for (const t of tasks) if (t.clock.finishedAt === undefined) context.store.observe(t.clock, context.now);
  return {
    status: 200,
    body: { apiVersion: "v3", kind: "List", metadata: {}, items: tasks.map((t) => render(t, context.now)) },
  };
}

function showPreCheck(request: RouteRequest, context: ServiceContext): Reply {
  const record = findClusterTask(request, context, context.store.ccePrechecks, "precheck task");
  return showClusterTask(record, context, renderPrecheck);
}

function listPreCheckTasks(request: RouteRequest, context: ServiceContext): Reply {
  return listClusterTasks(request, context, context.store.ccePrechecks, renderPrecheck);
}

// --- handlers: nodes ----------------------------------------------------------------------------

function listNodes(request: RouteRequest, context: ServiceContext): Reply {
  return { status: 200, body: renderNodeList(findCluster(request, context), context.store) };
}

function listNodePools(request: RouteRequest, context: ServiceContext): Reply {
  return { status: 200, body: renderNodePoolList(findCluster(request, context)) };
}

// --- handlers: workflows -------------------------------------------------------------------------

function createUpgradeWorkFlow(request: RouteRequest, context: ServiceContext): Reply {
  const cluster = findCluster(request, context);
  const body = validateBody(workflowBody, request.body, cceInvalid);
  checkClusterId(cluster, body.spec.clusterID);
  checkClusterVersion(cluster, body.spec.clusterVersion);
  const target = allowedTarget(cluster, body.spec.targetVersion);
  if (runningUpgrade(cluster, context) !== undefined) {
    throw cceConflict(`cluster ${cluster.id} is upgrading; an upgrade workflow cannot be created now`);
  }
  // The workflow names the exact patch the upgrade will reach (`v1.19.16-r80` in the vendor example).
  const resolved = upgradeOutcomeFor(cluster, target).resultVersion ?? ccePatchVersion(target);
  const workflow = context.store.addCceWorkflow({
    id: uuid(),
    clusterId: cluster.id,
    clusterVersion: cluster.version,
    targetVersion: resolved,
    createdAt: context.now,
    updatedAt: context.now,
    cancelled: false,
  });
  return { status: 201, body: renderWorkflow(workflow, context.store, context.now) };
}

function findWorkflow(request: RouteRequest, context: ServiceContext): CceWorkflowRecord {
  const cluster = findCluster(request, context);
  const id = request.params["upgrade_workflow_id"] ?? "";
  const workflow = context.store.cceWorkflows.get(id);
  if (workflow === undefined || workflow.clusterId !== cluster.id)
    throw cceResourceNotFound("upgrade workflow", id);
  return workflow;
}

function listUpgradeWorkFlows(request: RouteRequest, context: ServiceContext): Reply {
  const cluster = findCluster(request, context);
  const items = context.store.cceWorkflows
    .ofCluster(cluster.id)
    .map((w) => renderWorkflow(w, context.store, context.now));
  // The doc (and the Go SDK) declare `items` as one object.
  const quirky = context.docQuirks && items.length === 1;
  return { status: 200, body: { kind: "List", apiVersion: "v3", items: quirky ? items[0] : items } };
}

function showUpgradeWorkFlow(request: RouteRequest, context: ServiceContext): Reply {
  return { status: 200, body: renderWorkflow(findWorkflow(request, context), context.store, context.now) };
}

function upgradeWorkFlowUpdate(request: RouteRequest, context: ServiceContext): Reply {
  const workflow = findWorkflow(request, context);
  validateBody(workflowUpdateBody, request.body, cceInvalid);
  const points = workflowPoints(workflow, context.store, context.now);
  const phase = workflowPhase(workflow, points);
  if (phase === "Running" || phase === "Success" || phase === "Cancel") {
    throw cceConflict(`upgrade workflow ${workflow.id} is ${phase} and cannot be cancelled`);
  }
  const busy = points.find((p) => ["Init", "Queuing", "Running", "Pause"].includes(String(p["status"])));
  if (busy !== undefined) {
    throw cceConflict(`upgrade workflow ${workflow.id} has a ${String(busy["taskType"])} task in progress`);
  }
  workflow.cancelled = true;
  workflow.updatedAt = context.now;
  context.store.changed();
  return { status: 200, body: renderWorkflow(workflow, context.store, context.now) };
}

// --- handlers: upgrade ---------------------------------------------------------------------------

function upgradeCluster(request: RouteRequest, context: ServiceContext): Reply {
  const cluster = findCluster(request, context);
  const body = validateBody(upgradeBody, request.body, cceInvalid);
  const action = body.spec.clusterUpgradeAction;
  const target = allowedTarget(cluster, action.targetVersion);
  const running = runningUpgrade(cluster, context);
  if (running !== undefined)
    throw cceConflict(`cluster ${cluster.id} already has upgrade task ${running.id} running`);
  if (cluster.phase !== "Available") {
    throw cceConflict(`cluster ${cluster.id} is ${cluster.phase}; it must be Available to upgrade`);
  }
  const outcome = upgradeOutcomeFor(cluster, target);
  const requestedPatch = /-r\d+$/.test(action.targetVersion) ? action.targetVersion : undefined;
  const task = context.store.addCceUpgradeTask(
    {
      id: uuid(),
      clusterId: cluster.id,
      fromVersion: cluster.version,
      targetVersion: action.targetVersion,
      resultVersion: requestedPatch ?? outcome.resultVersion ?? ccePatchVersion(target),
      clock: newTaskClock(context.now, upgradeProgressFor(cluster, target)),
      outcome,
      ...(action.strategy === undefined ? {} : { strategy: action.strategy }),
      applied: false,
    },
    context.now,
  );
  const workflow = openWorkflow(cluster, action.targetVersion, context);
  if (workflow !== undefined) {
    workflow.upgradeTaskId = task.id;
    workflow.updatedAt = context.now;
  }
  return { status: 200, body: renderUpgradeCreated(task) };
}

function showUpgradeClusterTask(request: RouteRequest, context: ServiceContext): Reply {
  const task = findClusterTask(request, context, context.store.cceUpgradeTasks, "upgrade task");
  return showClusterTask(task, context, renderUpgradeTask);
}

function listUpgradeClusterTasks(request: RouteRequest, context: ServiceContext): Reply {
  return listClusterTasks(request, context, context.store.cceUpgradeTasks, renderUpgradeTask);
}

function createPostCheck(request: RouteRequest, context: ServiceContext): Reply {
  const cluster = findCluster(request, context);
  const body = validateBody(postcheckBody, request.body, cceInvalid);
  checkClusterId(cluster, body.spec.clusterID);
  const workflows = context.store.cceWorkflows.ofCluster(cluster.id);
  const workflow = [...workflows].reverse().find((w) => {
    if (w.cancelled || w.upgradeTaskId === undefined) return false;
    const task = context.store.cceUpgradeTasks.get(w.upgradeTaskId);
    return task !== undefined && upgradeTaskPhase(task, context.now) === "Success";
  });
  const targetVersion = body.spec.targetVersion ?? cluster.version;
  const outcome = postcheckOutcomeFor(cluster, targetVersion);
  const postcheck = context.store.addCcePostcheck({
    id: uuid(),
    clusterId: cluster.id,
    clusterVersion: body.spec.clusterVersion ?? workflow?.clusterVersion ?? cluster.version,
    targetVersion,
    createdAt: context.now,
    phase: outcome.phase,
    ...(outcome.message === undefined ? {} : { message: outcome.message }),
  });
  if (workflow !== undefined) {
    workflow.postcheckId = postcheck.id;
    workflow.updatedAt = context.now;
  }
  return {
    status: 200,
    body: {
      apiVersion: "v3",
      kind: "PostCheckTask",
      metadata: { uid: postcheck.id },
      spec: {
        clusterID: cluster.id,
        clusterVersion: postcheck.clusterVersion,
        targetVersion: postcheck.targetVersion,
      },
      status: {
        phase: outcome.phase,
        ...(outcome.message === undefined ? {} : { message: outcome.message }),
      },
    },
  };
}

// --- handlers: master snapshots ------------------------------------------------------------------

/**
 * CreateClusterMasterSnapshot: backs up the control plane before an upgrade (no request body, as
 * Huawei's Terraform resource sends it); the task id is the answer's top-level `uid`. Refused while
 * an upgrade or another snapshot runs, and unless the cluster is Available. How it ends is the
 * scenario's `snapshot` outcome for the target of the cluster's open upgrade workflow.
 */
function createClusterMasterSnapshot(request: RouteRequest, context: ServiceContext): Reply {
  const cluster = findCluster(request, context);
  const upgrading = runningUpgrade(cluster, context);
  if (upgrading !== undefined)
    throw cceConflict(`cluster ${cluster.id} has upgrade task ${upgrading.id} running`);
  const running = context.store.cceSnapshots
    .ofCluster(cluster.id)
    .find((s) => s.clock.finishedAt === undefined);
  if (running !== undefined)
    throw cceConflict(`cluster ${cluster.id} already has snapshot task ${running.id} running`);
  if (cluster.phase !== "Available")
    throw cceConflict(`cluster ${cluster.id} is ${cluster.phase}; it must be Available to snapshot`);
  const workflow = openWorkflow(cluster, undefined, context);
  const target = workflow?.targetVersion;
  const outcome = snapshotOutcomeFor(cluster, target);
  const snapshot = context.store.addCceSnapshot({
    id: uuid(),
    clusterId: cluster.id,
    clock: newTaskClock(context.now, outcome.progress ?? checkProgressFor(cluster, target)),
    outcome,
  });
  if (workflow !== undefined) {
    workflow.snapshotId = snapshot.id;
    workflow.updatedAt = context.now;
  }
  return { status: 200, body: { uid: snapshot.id, metadata: { apiVersion: "v3.1", kind: "SnapshotTask" } } };
}

/** ListClusterMasterSnapshotTasks: the cluster's snapshot tasks (each read counts as a poll). */
function listClusterMasterSnapshotTasks(request: RouteRequest, context: ServiceContext): Reply {
  const cluster = findCluster(request, context);
  const snapshots = context.store.cceSnapshots.ofCluster(cluster.id);
  for (const s of snapshots)
    if (s.clock.finishedAt === undefined) context.store.observe(s.clock, context.now);
  const succeeded = snapshots.filter((s) => snapshotPhase(s, context.now) === "Success");
  const latest = succeeded.at(-1)?.clock.finishedAt;
  return {
    status: 200,
    body: {
      apiVersion: "v3.1",
      kind: "List",
      metadata: {},
      items: snapshots.map((s) => renderSnapshotTask(s, context.now)),
      status: latest === undefined ? {} : { latestBackupTime: goTimeString(latest) },
    },
  };
}

const route = (
  operation: string,
  method: string,
  path: string,
  handler: RouteDefinition["handler"],
): RouteDefinition => ({ service: "cce", operation, method, path, auth: "huawei", handler });

export const CCE_ROUTES: readonly RouteDefinition[] = [
  route("ListClusters", "GET", `${PROJECT}/clusters`, listClusters),
  route("ShowCluster", "GET", CLUSTER, showCluster),
  route("ShowClusterUpgradeInfo", "GET", `${CLUSTER}/upgradeinfo`, showUpgradeInfo),
  route("ListNodes", "GET", `${CLUSTER}/nodes`, listNodes),
  route("ListNodePools", "GET", `${CLUSTER}/nodepools`, listNodePools),
  route("ListClusterUpgradePaths", "GET", "/api/v3/clusterupgradepaths", listUpgradePaths),
  route("BatchCreateAddonPrecheck", "POST", `${CLUSTER}/addons/precheck`, batchCreateAddonPrecheck),
  route("ListAddonPrecheckTasks", "GET", `${CLUSTER}/addons/precheck/tasks`, listAddonPrecheckTasks),
  route("CreatePreCheck", "POST", `${CLUSTER}/operation/precheck`, createPreCheck),
  route("ListPreCheckTasks", "GET", `${CLUSTER}/operation/precheck/tasks`, listPreCheckTasks),
  route("ShowPreCheck", "GET", `${CLUSTER}/operation/precheck/tasks/{task_id}`, showPreCheck),
  route("CreateUpgradeWorkFlow", "POST", `${CLUSTER}/operation/upgradeworkflows`, createUpgradeWorkFlow),
  route("ListUpgradeWorkFlows", "GET", `${CLUSTER}/operation/upgradeworkflows`, listUpgradeWorkFlows),
  route(
    "ShowUpgradeWorkFlow",
    "GET",
    `${CLUSTER}/operation/upgradeworkflows/{upgrade_workflow_id}`,
    showUpgradeWorkFlow,
  ),
  route(
    "UpgradeWorkFlowUpdate",
    "PATCH",
    `${CLUSTER}/operation/upgradeworkflows/{upgrade_workflow_id}`,
    upgradeWorkFlowUpdate,
  ),
  route("UpgradeCluster", "POST", `${CLUSTER}/operation/upgrade`, upgradeCluster),
  route("ListUpgradeClusterTasks", "GET", `${CLUSTER}/operation/upgrade/tasks`, listUpgradeClusterTasks),
  route(
    "ShowUpgradeClusterTask",
    "GET",
    `${CLUSTER}/operation/upgrade/tasks/{task_id}`,
    showUpgradeClusterTask,
  ),
  route("CreatePostCheck", "POST", `${CLUSTER}/operation/postcheck`, createPostCheck),
  route(
    "CreateClusterMasterSnapshot",
    "POST",
    `${CLUSTER_V31}/operation/snapshot`,
    createClusterMasterSnapshot,
  ),
  route(
    "ListClusterMasterSnapshotTasks",
    "GET",
    `${CLUSTER_V31}/operation/snapshot/tasks`,
    listClusterMasterSnapshotTasks,
  ),
  route("ListAddonInstances", "GET", "/api/v3/addons", listAddonInstances),
];
