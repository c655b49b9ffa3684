// @API ACK POST /clusters/{cluster_id}/checks
// @API ACK GET /clusters/{cluster_id}/checks
// @API ACK GET /clusters/{cluster_id}/checks/{check_id}
// @API ACK GET /clusters/{ClusterId}
// @API ACK GET /api/v1/clusters
// @API ACK POST /api/v2/clusters/{ClusterId}/upgrade
// @API ACK GET /api/v2/clusters/{ClusterId}/upgrade/status
// @API ACK POST /api/v2/clusters/{ClusterId}/upgrade/cancel
// @API ACK GET /tasks/{task_id}
// @API ACK POST /tasks/{task_id}/cancel
// @API ACK GET /clusters/{cluster_id}/tasks
// @API ACK GET /api/v1/metadata/versions
// @API ACK GET /clusters/{ClusterId}/nodepools
// @API ACK GET /clusters/{ClusterId}/nodepools/{NodepoolId}
// @API ACK POST /clusters/{ClusterId}/nodepools/{NodepoolId}/upgrade
/**
 * The emulated ACK (Container Service, ROA) API: route table and handlers. Clusters, checks and tasks
 * are visible only to the account that owns them; others get the vendor's 404.
 */
import { z } from "zod";
import {
  ackCheckOutcomeFor,
  checkProgressFor,
  upgradeOutcomeFor,
  upgradeProgressFor,
} from "../../state/outcomes";
import { newTaskClock } from "../../state/progress";
import {
  type AckCheckRecord,
  type AckNodePoolRecord,
  type AckTaskRecord,
  type ClusterRecord,
} from "../../state/types";
import { compareVersions, findTarget, matchesTarget } from "../../state/versions";
import { ackCheckId, ackTaskId } from "../../util/ids";
import { validateBody } from "../../server/json-body";
import {
  type Reply,
  type RouteDefinition,
  type RouteRequest,
  type ServiceContext,
} from "../../server/router";
import { ackClusterNotFound, ackInvalid, csError } from "../../server/vendor-errors";
import {
  renderCheck,
  renderCheckList,
  renderClusterDetail,
  renderNodePool,
  renderTask,
  renderTaskSummary,
  renderUpgradeStatus,
} from "./ack-render";
import { describeKubernetesVersionMetadata } from "./ack-versions";

function accountName(request: RouteRequest): string {
  return request.principal.cloud === "alibaba" ? request.principal.account.name : "";
}

function findCluster(request: RouteRequest, context: ServiceContext, param = "cluster_id"): ClusterRecord {
  const clusterId = request.params[param] ?? "";
  const cluster = context.store.cluster(clusterId);
  if (cluster === undefined || cluster.cloud !== "ack" || cluster.account !== accountName(request)) {
    throw ackClusterNotFound(clusterId);
  }
  return cluster;
}

function findTask(request: RouteRequest, context: ServiceContext): AckTaskRecord {
  const taskId = request.params["task_id"] ?? "";
  const task = context.store.ackTasks.get(taskId);
  const cluster = task === undefined ? undefined : context.store.cluster(task.clusterId);
  if (task === undefined || cluster === undefined || cluster.account !== accountName(request)) {
    throw csError(404, "ErrorTaskNotFound", `task (${taskId}) not found in our records`);
  }
  return task;
}

function findNodePool(cluster: ClusterRecord, nodePoolId: string): AckNodePoolRecord {
  const pool = cluster.nodePools?.find((p) => p.id === nodePoolId);
  if (pool === undefined)
    throw csError(404, "ErrorNodePoolNotFound", `node pool (${nodePoolId}) not found in our records`);
  return pool;
}

function runningTask(cluster: ClusterRecord, context: ServiceContext): AckTaskRecord | undefined {
  return context.store.ackTasks.ofCluster(cluster.id).find((t) => t.clock.finishedAt === undefined);
}

const checkTypes = ["ClusterUpgrade", "MasterUpgrade", "NodePoolUpgrade", "ClusterMigrate"] as const;

const runCheckBody = z.looseObject({
  type: z.enum(checkTypes),
  target: z.string().optional(),
  options: z.record(z.string(), z.string()).optional(),
});

const upgradeNodepoolBody = z.looseObject({
  kubernetes_version: z.string().min(1).optional(),
  ignore_warning_check: z.boolean().optional(),
  use_replace: z.boolean().optional(),
  node_names: z.array(z.string()).optional(),
  image_id: z.string().optional(),
  runtime_type: z.string().optional(),
  runtime_version: z.string().optional(),
  rolling_policy: z.looseObject({}).optional(),
});

const upgradeBody = z.looseObject({
  next_version: z.string().optional(),
  version: z.string().optional(),
  master_only: z.boolean().optional(),
  component_name: z.string().optional(),
  rolling_policy: z.looseObject({ max_parallelism: z.number().int().min(1).optional() }).optional(),
});

// --- clusters ------------------------------------------------------------------------------------

function describeClusterDetail(request: RouteRequest, context: ServiceContext): Reply {
  return { status: 200, body: renderClusterDetail(findCluster(request, context, "ClusterId")) };
}

function positiveInt(value: string | null, name: string, fallback: number, max: number): number {
  if (value === null || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw ackInvalid(`${name} must be an integer between 1 and ${max}`);
  return n;
}

function describeClustersV1(request: RouteRequest, context: ServiceContext): Reply {
  const q = request.query;
  const pageSize = positiveInt(q.get("page_size"), "page_size", 10, 100);
  const pageNumber = positiveInt(q.get("page_number"), "page_number", 1, 1_000_000);
  const name = q.get("name");
  const filters: Array<[string | null, (c: ClusterRecord) => boolean]> = [
    [name, (c) => c.name.includes(name ?? "")],
    [q.get("cluster_id"), (c) => c.id === q.get("cluster_id")],
    [q.get("region_id"), (c) => c.region === q.get("region_id")],
    [q.get("cluster_type"), () => q.get("cluster_type") === "ManagedKubernetes"],
    [q.get("cluster_spec"), () => q.get("cluster_spec") === "ack.pro.small"],
    [q.get("profile"), () => q.get("profile") === "Default"],
  ];
  const all = context.store
    .allClusters()
    .filter((c) => c.cloud === "ack" && c.account === accountName(request))
    .filter((c) => filters.every(([value, test]) => value === null || value === "" || test(c)));
  const page = all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return {
    status: 200,
    body: {
      clusters: page.map(renderClusterDetail),
      page_info: { page_number: pageNumber, page_size: pageSize, total_count: all.length },
    },
  };
}

// --- checks --------------------------------------------------------------------------------------

function runClusterCheck(request: RouteRequest, context: ServiceContext): Reply {
  const cluster = findCluster(request, context);
  const body = validateBody(runCheckBody, request.body, ackInvalid);
  if (body.type === "NodePoolUpgrade" && (body.target === undefined || body.target === "")) {
    throw ackInvalid("target (the node pool id) is required when type is NodePoolUpgrade");
  }
  const pool = body.type === "NodePoolUpgrade" ? findNodePool(cluster, body.target ?? "") : undefined;
  const options = { ...(body.options ?? {}) };
  let target: string | undefined;
  if (body.type === "ClusterUpgrade" || body.type === "MasterUpgrade") {
    const requested = options["next_version"];
    if (requested !== undefined) {
      target = findTarget(requested, cluster.targetVersions);
      if (target === undefined) {
        throw ackInvalid(
          `next_version ${requested} is not an upgrade target of version ${cluster.version}; ` +
            `allowed: ${cluster.targetVersions.join(", ") || "none"}`,
        );
      }
    } else {
      target = cluster.targetVersions[0];
      if (target !== undefined) options["next_version"] = target;
    }
  }
  if (runningTask(cluster, context) !== undefined) {
    throw csError(
      400,
      "ErrorClusterState",
      `cluster (${cluster.id}) is ${cluster.phase}; checks cannot run now`,
    );
  }
  const check = context.store.addAckCheck({
    id: ackCheckId(cluster.id, context.now),
    clusterId: cluster.id,
    type: body.type,
    ...(body.target === undefined ? {} : { target: body.target }),
    options,
    clock: newTaskClock(context.now, pool?.checkProgress ?? checkProgressFor(cluster, target)),
    outcome: ackCheckOutcomeFor(cluster, body.type, target, pool?.check),
  });
  return { status: 200, body: { check_id: check.id, request_id: request.requestId } };
}

function listClusterChecks(request: RouteRequest, context: ServiceContext): Reply {
  const cluster = findCluster(request, context);
  const type = request.query.get("type");
  const target = request.query.get("target");
  const checks = context.store.ackChecks
    .ofCluster(cluster.id)
    .filter(
      (c) =>
        (type === null || type === "" || c.type === type) &&
        (target === null || target === "" || c.target === target),
    );
  for (const c of checks) if (c.clock.finishedAt === undefined) context.store.observe(c.clock, context.now);
  return { status: 200, body: renderCheckList(checks, context.now) };
}

function getClusterCheck(request: RouteRequest, context: ServiceContext): Reply {
  const cluster = findCluster(request, context);
  const checkId = request.params["check_id"] ?? "";
  const check = context.store.ackChecks.get(checkId);
  if (check === undefined || check.clusterId !== cluster.id) {
    throw csError(404, "ErrorCheckNotFound", `check (${checkId}) not found in our records`);
  }
  if (check.clock.finishedAt === undefined) context.store.observe(check.clock, context.now);
  // Asked again: the observation above may have finished it.
  if (check.clock.finishedAt === undefined) return { status: 200, body: renderCheck(check, context.now) };
  // A finished check never changes (its record is immutable and `finishedAt` is never unset), and
  // clients poll it over and over: render it once.
  let text = finishedCheckText.get(check);
  if (text === undefined) {
    text = JSON.stringify(renderCheck(check, context.now));
    finishedCheckText.set(check, text);
  }
  return { status: 200, text };
}

/** Rendered answers of finished checks, dropped with their records (a reset or a new scenario). */
const finishedCheckText = new WeakMap<AckCheckRecord, string>();

// --- node pools ----------------------------------------------------------------------------------

function describeClusterNodePools(request: RouteRequest, context: ServiceContext): Reply {
  const cluster = findCluster(request, context, "ClusterId");
  const name = request.query.get("NodepoolName");
  const pools = (cluster.nodePools ?? []).filter((p) => name === null || name === "" || p.name === name);
  return { status: 200, body: { nodepools: pools.map((p) => renderNodePool(cluster, p)) } };
}

function describeClusterNodePoolDetail(request: RouteRequest, context: ServiceContext): Reply {
  const cluster = findCluster(request, context, "ClusterId");
  const pool = findNodePool(cluster, request.params["NodepoolId"] ?? "");
  return { status: 200, body: renderNodePool(cluster, pool) };
}

/**
 * UpgradeClusterNodepool: upgrades the pool's kubelet, by default to the control plane's version; a
 * pool is never upgraded past the control plane (ACK's rule, and Kubernetes' version skew policy).
 */
function upgradeClusterNodepool(request: RouteRequest, context: ServiceContext): Reply {
  const cluster = findCluster(request, context, "ClusterId");
  const pool = findNodePool(cluster, request.params["NodepoolId"] ?? "");
  const body = validateBody(upgradeNodepoolBody, request.body, ackInvalid);
  const target = body.kubernetes_version ?? cluster.version;
  if (!/^\d+\.\d+\.\d+(-aliyun\.\d+)?$/.test(target))
    throw ackInvalid(`kubernetes_version ${target} is not a version like 1.32.1-aliyun.1`);
  if (compareVersions(target, cluster.version) > 0 && !matchesTarget(target, cluster.version)) {
    throw ackInvalid(
      `kubernetes_version ${target} is newer than the cluster's control plane (${cluster.version}); ` +
        `upgrade the cluster first`,
    );
  }
  if (compareVersions(target, pool.version) < 0)
    throw ackInvalid(`kubernetes_version ${target} is older than the node pool's ${pool.version}`);
  // The cluster's own upgrade, or this pool's, is in the way; another pool's upgrade is not.
  const running = context.store.ackTasks
    .ofCluster(cluster.id)
    .find(
      (t) => t.clock.finishedAt === undefined && (t.nodePoolId === undefined || t.nodePoolId === pool.id),
    );
  if (running !== undefined || cluster.phase !== "running" || pool.state !== "active") {
    throw csError(
      400,
      "ErrorNodePoolState",
      `node pool (${pool.id}) is ${pool.state} in cluster (${cluster.id}) ${cluster.phase}` +
        `${running === undefined ? "" : ` with task ${running.id} running`}; both must be idle to upgrade`,
    );
  }
  const task = context.store.addAckTask(
    {
      id: ackTaskId(),
      clusterId: cluster.id,
      taskType: "nodepool_upgrade",
      nodePoolId: pool.id,
      fromVersion: pool.version,
      targetVersion: target,
      masterOnly: false,
      clock: newTaskClock(context.now, pool.upgradeProgress ?? cluster.defaults.upgradeProgress),
      outcome: pool.upgrade ?? { result: "Success" },
      applied: false,
    },
    context.now,
  );
  return { status: 200, body: { task_id: task.id, RequestId: request.requestId } };
}

// --- upgrade and tasks ---------------------------------------------------------------------------

function upgradeCluster(request: RouteRequest, context: ServiceContext): Reply {
  const cluster = findCluster(request, context, "ClusterId");
  const body = validateBody(upgradeBody, request.body, ackInvalid);
  const requested = body.next_version ?? body.version;
  if (requested === undefined || requested === "") throw ackInvalid("next_version is required");
  const target = findTarget(requested, cluster.targetVersions);
  if (target === undefined) {
    throw ackInvalid(
      `next_version ${requested} is not an upgrade target of version ${cluster.version}; ` +
        `allowed: ${cluster.targetVersions.join(", ") || "none"}`,
    );
  }
  const running = runningTask(cluster, context);
  if (running !== undefined || cluster.phase !== "running") {
    throw csError(
      400,
      "ErrorClusterState",
      `cluster (${cluster.id}) is ${cluster.phase}${running === undefined ? "" : ` with task ${running.id} running`}; it must be running to upgrade`,
    );
  }
  const task = context.store.addAckTask(
    {
      id: ackTaskId(),
      clusterId: cluster.id,
      taskType: "cluster_upgrade",
      fromVersion: cluster.version,
      targetVersion: target,
      masterOnly: body.master_only ?? false,
      clock: newTaskClock(context.now, upgradeProgressFor(cluster, target)),
      outcome: upgradeOutcomeFor(cluster, target),
      applied: false,
    },
    context.now,
  );
  return { status: 200, body: { cluster_id: cluster.id, task_id: task.id, request_id: request.requestId } };
}

function getUpgradeStatus(request: RouteRequest, context: ServiceContext): Reply {
  const cluster = findCluster(request, context, "ClusterId");
  const tasks = context.store.ackTasks.ofCluster(cluster.id);
  const latest = tasks[tasks.length - 1];
  if (latest !== undefined && latest.clock.finishedAt === undefined)
    context.store.observe(latest.clock, context.now);
  return { status: 200, body: renderUpgradeStatus(cluster, context.store, context.now) };
}

function cancel(task: AckTaskRecord, context: ServiceContext): Reply {
  if (task.clock.finishedAt !== undefined) {
    throw csError(400, "ErrorTaskState", `task (${task.id}) has finished and cannot be canceled`);
  }
  context.store.cancelAckTask(task, context.now);
  // bodyType "none" in the SDK: the service answers without a body.
  return { status: 200 };
}

function cancelClusterUpgrade(request: RouteRequest, context: ServiceContext): Reply {
  const cluster = findCluster(request, context, "ClusterId");
  const task = runningTask(cluster, context);
  if (task === undefined)
    throw csError(400, "ErrorClusterState", `cluster (${cluster.id}) has no upgrade in progress`);
  return cancel(task, context);
}

function describeTaskInfo(request: RouteRequest, context: ServiceContext): Reply {
  const task = findTask(request, context);
  if (task.clock.finishedAt === undefined) context.store.observe(task.clock, context.now);
  return { status: 200, body: renderTask(task, context.now, context.docQuirks) };
}

function cancelTask(request: RouteRequest, context: ServiceContext): Reply {
  return cancel(findTask(request, context), context);
}

function describeClusterTasks(request: RouteRequest, context: ServiceContext): Reply {
  const cluster = findCluster(request, context);
  const pageSize = positiveInt(request.query.get("page_size"), "page_size", 10, 100);
  const pageNumber = positiveInt(request.query.get("page_number"), "page_number", 1, 1_000_000);
  // Oldest first, on purpose: ACK documents no order, and this one puts the newest tasks on the
  // last page, so a client that reads only the first page misses them (LIMITATIONS.md).
  const tasks = [...context.store.ackTasks.ofCluster(cluster.id)].sort(
    (a, b) => a.clock.createdAt - b.clock.createdAt,
  );
  const page = tasks.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return {
    status: 200,
    body: {
      page_info: { page_number: pageNumber, page_size: pageSize, total_count: tasks.length },
      tasks: page.map((t) => renderTaskSummary(t, context.now, context.docQuirks)),
      requestId: request.requestId,
    },
  };
}

const route = (
  operation: string,
  method: string,
  path: string,
  handler: RouteDefinition["handler"],
): RouteDefinition => ({ service: "ack", operation, method, path, auth: "alibaba", handler });

export const ACK_ROUTES: readonly RouteDefinition[] = [
  route("RunClusterCheck", "POST", "/clusters/{cluster_id}/checks", runClusterCheck),
  route("ListClusterChecks", "GET", "/clusters/{cluster_id}/checks", listClusterChecks),
  route("GetClusterCheck", "GET", "/clusters/{cluster_id}/checks/{check_id}", getClusterCheck),
  route("DescribeClusterDetail", "GET", "/clusters/{ClusterId}", describeClusterDetail),
  route("DescribeClustersV1", "GET", "/api/v1/clusters", describeClustersV1),
  route("UpgradeCluster", "POST", "/api/v2/clusters/{ClusterId}/upgrade", upgradeCluster),
  route("GetUpgradeStatus", "GET", "/api/v2/clusters/{ClusterId}/upgrade/status", getUpgradeStatus),
  route("CancelClusterUpgrade", "POST", "/api/v2/clusters/{ClusterId}/upgrade/cancel", cancelClusterUpgrade),
  route("DescribeTaskInfo", "GET", "/tasks/{task_id}", describeTaskInfo),
  route("CancelTask", "POST", "/tasks/{task_id}/cancel", cancelTask),
  route("DescribeClusterTasks", "GET", "/clusters/{cluster_id}/tasks", describeClusterTasks),
  route(
    "DescribeKubernetesVersionMetadata",
    "GET",
    "/api/v1/metadata/versions",
    describeKubernetesVersionMetadata,
  ),
  route("DescribeClusterNodePools", "GET", "/clusters/{ClusterId}/nodepools", describeClusterNodePools),
  route(
    "DescribeClusterNodePoolDetail",
    "GET",
    "/clusters/{ClusterId}/nodepools/{NodepoolId}",
    describeClusterNodePoolDetail,
  ),
  route(
    "UpgradeClusterNodepool",
    "POST",
    "/clusters/{ClusterId}/nodepools/{NodepoolId}/upgrade",
    upgradeClusterNodepool,
  ),
];
