/**
 * ACK (CS API 2015-12-15) response bodies: snake_case, shaped after the SDK response models and the
 * vendor examples (docs/ack.md). `check_items` maps each check item's name to a list of property objects
 * `{Group, Level: {<level>: {Message, Targets}}}` — the shape of the vendor console example; the schema
 * itself is undocumented (LIMITATIONS.md).
 */
import { percentDone, stageOf } from "../../state/progress";
import { type Store } from "../../state/store";
import {
  type AckCheckRecord,
  type AckNodePoolRecord,
  type AckTaskRecord,
  type ClusterRecord,
} from "../../state/types";
import { hexId } from "../../util/ids";
import { epochMillisString, plainDateTime, rfc3339NanoUtc, rfc3339Seconds } from "../../util/time-format";

type Json = Record<string, unknown>;

export function renderClusterDetail(cluster: ClusterRecord): Json {
  const suffix = hexId(`ack-net:${cluster.id}`);
  return {
    cluster_id: cluster.id,
    name: cluster.name,
    alias_name: cluster.name,
    region_id: cluster.region,
    zone_id: `${cluster.region}-k`,
    cluster_type: "ManagedKubernetes",
    profile: "Default",
    cluster_spec: "ack.pro.small",
    current_version: cluster.version,
    init_version: cluster.initVersion,
    next_version: cluster.targetVersions[0] ?? "",
    state: cluster.phase,
    created: rfc3339Seconds(cluster.createdAt),
    updated: rfc3339Seconds(cluster.updatedAt),
    size: 3,
    vpc_id: `vpc-${suffix.slice(0, 20)}`,
    vswitch_ids: [`vsw-${suffix.slice(0, 20)}`],
    security_group_id: `sg-${suffix.slice(0, 20)}`,
    resource_group_id: `rg-${suffix.slice(0, 15)}`,
    network_mode: "vpc",
    container_cidr: "172.20.0.0/16",
    service_cidr: "172.21.0.0/20",
    proxy_mode: "ipvs",
    ip_stack: "ipv4",
    timezone: "Asia/Shanghai",
    deletion_protection: false,
    cluster_domain: "cluster.local",
    tags: [],
    meta_data: JSON.stringify({ KubernetesVersion: cluster.version, Capabilities: {} }),
    operation_policy: { cluster_auto_upgrade: { enabled: false, channel: "stable" } },
    maintenance_window: { enable: false, maintenance_time: "", duration: "3h", weekly_period: "Thursday" },
  };
}

// --- node pools ----------------------------------------------------------------------------------

/**
 * One node pool as DescribeClusterNodePoolDetail answers it (and DescribeClusterNodePools lists it),
 * shaped after the SDK's `DescribeClusterNodePoolDetailResponseBody`: the pool's Kubernetes version
 * is its `kubelet` node component's.
 */
export function renderNodePool(cluster: ClusterRecord, pool: AckNodePoolRecord): Json {
  const suffix = hexId(`ack-pool:${pool.id}`);
  return {
    nodepool_info: {
      nodepool_id: pool.id,
      name: pool.name,
      type: "ess",
      is_default: false,
      region_id: cluster.region,
      resource_group_id: `rg-${suffix.slice(0, 15)}`,
      created: rfc3339Seconds(pool.createdAt),
      updated: rfc3339Seconds(pool.updatedAt),
    },
    status: {
      state: pool.state,
      total_nodes: pool.nodes,
      healthy_nodes: pool.nodes,
      serving_nodes: pool.nodes,
      initial_nodes: 0,
      failed_nodes: 0,
      offline_nodes: 0,
      removing_nodes: 0,
    },
    kubernetes_config: {
      runtime: "containerd",
      runtime_version: "1.6.28",
      cms_enabled: false,
      cpu_policy: "none",
      unschedulable: false,
      labels: [],
      taints: [],
    },
    node_components: [{ name: "kubelet", version: pool.version, config: {} }],
    scaling_group: {
      vswitch_ids: [`vsw-${suffix.slice(0, 20)}`],
      instance_types: ["ecs.g7.xlarge"],
      desired_size: pool.nodes,
      image_type: "AliyunLinux3",
    },
    management: { enable: true, auto_upgrade: false },
  };
}

// --- checks --------------------------------------------------------------------------------------

export function checkStatus(check: AckCheckRecord, now: number): string {
  // The vendor documents only the terminal values; `Running` before that is inferred.
  if (stageOf(check.clock, now) !== "done") return "Running";
  return check.outcome.status ?? "Succeeded";
}

function checkSummary(check: AckCheckRecord, now: number): Json {
  const status = checkStatus(check, now);
  return {
    check_id: check.id,
    type: check.type,
    status,
    message: status === "Running" ? "task running" : (check.outcome.message ?? ""),
    created_at: rfc3339NanoUtc(check.clock.createdAt),
    ...(check.clock.finishedAt === undefined ? {} : { finished_at: rfc3339NanoUtc(check.clock.finishedAt) }),
  };
}

export function renderCheck(check: AckCheckRecord, now: number): Json {
  const summary = checkSummary(check, now);
  if (check.clock.finishedAt === undefined) return summary;
  const items: Record<string, Json[]> = {};
  for (const item of check.outcome.items) {
    (items[item.name] ??= []).push({
      Group: item.group,
      Level: { [item.level]: { Message: item.message, Targets: [...item.targets] } },
    });
  }
  return { ...summary, check_items: items };
}

export function renderCheckList(checks: readonly AckCheckRecord[], now: number): Json {
  return { checks: checks.map((c) => checkSummary(c, now)) };
}

// --- tasks ---------------------------------------------------------------------------------------

export type AckTaskState = "running" | "success" | "fail" | "failed" | "canceled";

export function taskState(task: AckTaskRecord, now: number, docQuirks: boolean): AckTaskState {
  if (task.cancelledAt !== undefined) return "canceled";
  if (stageOf(task.clock, now) !== "done") return "running";
  if (task.outcome.result === "Success") return "success";
  // The SDK says `fail`; the doc page says `failed`.
  return docQuirks ? "failed" : "fail";
}

const STAGES = ["PreCheck", "UpgradeMaster", "UpgradeComponents"] as const;

function currentStageIndex(task: AckTaskRecord, now: number): number {
  const percent = percentDone(task.clock, now);
  return percent < 20 ? 0 : percent < 80 ? 1 : 2;
}

export function renderTask(task: AckTaskRecord, now: number, docQuirks: boolean): Json {
  const state = taskState(task, now, docQuirks);
  const finished = task.clock.finishedAt;
  const running = state === "running";
  const stageIndex = running ? currentStageIndex(task, now) : STAGES.length - 1;
  const span = Math.max(1, (finished ?? now) - task.clock.createdAt);
  const stages = STAGES.slice(0, stageIndex + 1).map((name, i) => {
    const start = task.clock.createdAt + (span * i) / STAGES.length;
    const last = i === stageIndex;
    const stageState = last
      ? running
        ? "running"
        : state === "success"
          ? "success"
          : state === "canceled"
            ? "canceled"
            : "failed"
      : "success";
    return {
      state: stageState,
      start_time: plainDateTime(start),
      ...(last && running
        ? {}
        : { end_time: plainDateTime(last ? (finished ?? now) : start + span / STAGES.length) }),
      message:
        last && !running && state !== "success"
          ? (task.outcome.message ?? `${name} did not complete`)
          : `${name} ${last && running ? "in progress" : "done"}`,
      outputs: {},
    };
  });
  const pool = task.nodePoolId;
  // Event reasons of a node pool upgrade are `NodePoolUpgrade*` (the vendor's example names NodePoolUpgradeStart).
  const subject = pool === undefined ? "Cluster" : "NodePool";
  const what = pool === undefined ? `cluster ${task.clusterId}` : `node pool ${pool}`;
  const events: Json[] = [
    {
      action: "start",
      level: "Normal",
      message: `start to upgrade ${what} to ${task.targetVersion}`,
      reason: `${subject}UpgradeStart`,
      source: "ACK",
      timestamp: epochMillisString(task.clock.createdAt),
    },
  ];
  if (finished !== undefined) {
    events.push({
      action: state === "success" ? "finish" : state === "canceled" ? "cancel" : "fail",
      level: state === "success" ? "Normal" : "Warning",
      message:
        state === "success"
          ? `${pool === undefined ? "cluster" : "node pool"} upgraded to ${task.targetVersion}`
          : (task.outcome.message ?? `upgrade ${state}`),
      reason:
        state === "success"
          ? `${subject}UpgradeSuccess`
          : state === "canceled"
            ? `${subject}UpgradeCanceled`
            : `${subject}UpgradeFailed`,
      source: "ACK",
      timestamp: epochMillisString(finished),
    });
  }
  const failed = state === "fail" || state === "failed";
  return {
    task_id: task.id,
    cluster_id: task.clusterId,
    task_type: task.taskType,
    state,
    created: rfc3339Seconds(task.clock.createdAt),
    updated: rfc3339Seconds(finished ?? task.clock.createdAt),
    current_stage: STAGES[stageIndex],
    target: pool === undefined ? { id: task.clusterId, type: "cluster" } : { id: pool, type: "nodepool" },
    parameters:
      pool === undefined
        ? { next_version: task.targetVersion, master_only: task.masterOnly }
        : { kubernetes_version: task.targetVersion, nodepool_id: pool },
    stages,
    events,
    task_result: [
      {
        data: pool ?? task.clusterId,
        status: running ? "initial" : state === "success" ? "success" : "failed",
      },
    ],
    ...(failed ? { error: { code: "400", message: task.outcome.message ?? `${what} upgrade failed` } } : {}),
    outputs: {},
  };
}

export function renderTaskSummary(task: AckTaskRecord, now: number, docQuirks: boolean): Json {
  const state = taskState(task, now, docQuirks);
  return {
    task_id: task.id,
    task_type: task.taskType,
    state,
    created: rfc3339Seconds(task.clock.createdAt),
    updated: rfc3339Seconds(task.clock.finishedAt ?? task.clock.createdAt),
    ...(state === "fail" || state === "failed"
      ? { error: { code: "400", message: task.outcome.message ?? "cluster upgrade failed" } }
      : {}),
  };
}

/** GetUpgradeStatus (deprecated API), derived from the cluster's latest upgrade task. */
export function renderUpgradeStatus(cluster: ClusterRecord, store: Store, now: number): Json {
  const tasks = store.ackTasks.ofCluster(cluster.id).filter((t) => t.nodePoolId === undefined);
  const task = tasks[tasks.length - 1];
  const checks = store.ackChecks.ofCluster(cluster.id).filter((c) => c.type === "ClusterUpgrade");
  const report = checks[checks.length - 1]?.id ?? "";
  if (task === undefined) {
    return {
      error_message: "",
      precheck_report_id: report,
      status: "",
      upgrade_step: "not_start",
      upgrade_task: { status: "", message: "" },
    };
  }
  const state = taskState(task, now, false);
  if (state === "running") {
    const prechecking = currentStageIndex(task, now) === 0;
    return {
      error_message: "",
      precheck_report_id: report,
      status: "running",
      upgrade_step: prechecking ? "prechecking" : "upgrading",
      upgrade_task: { status: "running", message: prechecking ? "prechecking" : "upgrading" },
    };
  }
  if (state === "success") {
    return {
      error_message: "",
      precheck_report_id: report,
      status: "success",
      upgrade_step: "success",
      upgrade_task: { status: "Success", message: "upgrade succeeded" },
    };
  }
  const message =
    state === "canceled"
      ? "the upgrade task was canceled"
      : (task.outcome.message ?? "cluster upgrade failed");
  return {
    error_message: message,
    precheck_report_id: report,
    status: "fail",
    upgrade_step: "upgrading",
    upgrade_task: { status: "Failed", message },
  };
}
