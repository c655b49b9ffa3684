/**
 * The typed ACK client: one method per operation, arguments validated with zod, every response
 * parsed and normalized by the schemas in `./schemas`, every error answer mapped to `ApiError`.
 *
 * @API ACK POST /clusters/{cluster_id}/checks
 * @API ACK GET /clusters/{cluster_id}/checks
 * @API ACK GET /clusters/{cluster_id}/checks/{check_id}
 * @API ACK GET /clusters/{cluster_id}
 * @API ACK GET /api/v1/clusters
 * @API ACK GET /api/v2/clusters/{cluster_id}/upgrade/status
 * @API ACK GET /tasks/{task_id}
 * @API ACK POST /api/v2/clusters/{cluster_id}/upgrade
 * @API ACK POST /tasks/{task_id}/cancel
 * @API ACK GET /clusters/{cluster_id}/tasks
 * @API ACK GET /api/v1/metadata/versions
 * @API ACK GET /clusters/{cluster_id}/nodepools
 * @API ACK GET /clusters/{cluster_id}/nodepools/{nodepool_id}
 * @API ACK POST /clusters/{cluster_id}/nodepools/{nodepool_id}/upgrade
 */
import { type z } from "zod";
import { resolveAckConfig } from "../../auth/config";
import { ACK_ENV, type AckSettings } from "../../auth/fields";
import { createAckRequestAuth, type AckRequestAuth } from "../../auth/request-auth";
import { type AckConfig } from "../../auth/types";
import { isRecord } from "../../internal/validate";
import { targetMatches } from "../../internal/versions";
import { clientBasics, clientOptionsSchema, type CommonClientOptions } from "../common/client-options";
import {
  assembleClient,
  clusterRead,
  create,
  idempotent,
  type MethodsOf,
  type Operation,
} from "../common/operations";
import { accountKey } from "../common/call";
import { type Recovery } from "../common/create-recovery";
import { buildUrl } from "../common/routes";
import {
  describeClusterNodePoolsArgs,
  describeClustersV1Args,
  describeClusterTasksArgs,
  describeKubernetesVersionMetadataArgs,
  nodePoolArgs,
  upgradeClusterNodepoolArgs,
  getClusterCheckArgs,
  listClusterChecksArgs,
  runClusterCheckArgs,
  taskArgs,
  upgradeClusterArgs,
} from "./args";
import {
  type AckRunClusterCheckRequest,
  type AckUpgradeClusterNodepoolRequest,
  type AckUpgradeClusterRequest,
} from "./request-bodies";
import { ACK_API_VERSION, ACK_ROUTES, type AckOperation } from "./routes";
import { readAllAckClusterTasks } from "./task-pages";
import {
  ackClusterCheckListSchema,
  ackClusterCheckSchema,
  ackClusterDetailSchema,
  ackClusterListSchema,
  ackClusterTaskListSchema,
  ackEmptyResultSchema,
  ackKubernetesVersionMetadataSchema,
  ackNodePoolListSchema,
  ackNodePoolSchema,
  ackRunClusterCheckResultSchema,
  ackTaskInfoSchema,
  ackUpgradeClusterNodepoolResultSchema,
  ackUpgradeClusterResultSchema,
  ackUpgradeStatusSchema,
  type AckClusterCheckSummary,
  type AckClusterTask,
  type AckRunClusterCheckResult,
  type AckTaskInfo,
  type AckUpgradeClusterNodepoolResult,
  type AckUpgradeClusterResult,
} from "./schemas";

/** The settings `createAckClient` takes, one per field of the configuration table. */
const ACK_SETTING_KEYS = Object.keys(ACK_ENV) as Array<keyof AckSettings>;

/** The options `createAckClient` accepts (see `clientOptionsSchema`). */
const ACK_OPTIONS_SCHEMA = clientOptionsSchema([...ACK_SETTING_KEYS, "nonce"]);

/** Parameter names under which an upgrade task may record its target version. */
const TASK_VERSION_PARAMETERS = [
  "next_version",
  "nextVersion",
  "target_version",
  "targetVersion",
  "kubernetes_version",
  "version",
];

/**
 * Options of `createAckClient`. Settings given here win over `pulumiConfig`, which wins over the
 * environment (`ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_REGION_ID`, ...; see auth/fields.ts).
 */
export interface AckClientOptions extends AckSettings, CommonClientOptions {
  /** Values handed in by the Pulumi layer (`upgrade-guard:*` config). */
  readonly pulumiConfig?: AckSettings;
  /** Nonce source for request signing; random by default. Tests pin it. */
  readonly nonce?: () => string;
}

/**
 * The ACK upgrade-check client. Methods are named after the vendor operations; each takes one
 * arguments object (lowerCamelCase of the vendor's parameter names) and resolves to the parsed,
 * normalized body. The methods are the rows of `ACK_OPERATIONS`, each documented there.
 *
 * Errors: `InputError` (bad arguments, every bad field listed), `ConfigError` (missing region or
 * credentials, at the first call), `ApiError` (the cloud answered with an error), `TransportError`
 * (no answer), `ResponseShapeError` (an answer we do not understand).
 *
 * Task-creating methods (`runClusterCheck`, `upgradeCluster`, `upgradeClusterNodepool`) never send their POST twice. When
 * the answer is lost in a way that leaves it unknown whether ACK received the request
 * (`TransportError` with `ambiguous: true`), the client lists the cluster's checks or tasks and
 * returns one it may have created (same type or target version where ACK records it, created no
 * earlier than the call's start minus `CLOCK_SKEW_ALLOWANCE_MS`, 60 s), marked `recovered: true`;
 * when there is none it rethrows the original error.
 */
export interface AckClient extends MethodsOf<typeof ACK_OPERATIONS> {
  /**
   * The region this client calls: `options.region`, else `pulumiConfig.region`
   * (`upgrade-guard:alibabaRegion`), else the environment (`ALIBABA_CLOUD_REGION_ID`,
   * `ALICLOUD_REGION`). Reading it resolves the configuration as the first call does (no request is
   * sent), so an incomplete configuration throws the same `ConfigError`. Read-only and not
   * enumerable: `Object.keys(client)` lists only the operations and `close`.
   */
  readonly region: string;
  /** Closes the HTTP connections the client opened (not an injected dispatcher). */
  close(): Promise<void>;
}

/** The target an ACK upgrade task recorded in its parameters, when ACK says. */
export function ackTaskTarget(task: Pick<AckTaskInfo, "parameters">): string | undefined {
  for (const key of TASK_VERSION_PARAMETERS) {
    const value = task.parameters?.[key];
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

/**
 * The target an ACK check was run for (`options.next_version` of RunClusterCheck), when ACK says
 * (it does not document a check's options).
 */
export function recordedTarget(check: AckClusterCheckSummary): string | undefined {
  const options = check["options"];
  const next = isRecord(options) ? options["next_version"] : undefined;
  return typeof next === "string" ? next : undefined;
}

/**
 * Recovery for an ACK create that starts a cluster task (UpgradeCluster, UpgradeClusterNodepool):
 * DescribeClusterTasks lists the cluster's tasks (every page, see `readAllAckClusterTasks`), a task of the create's `kind` created since the
 * call started is read with DescribeTaskInfo, and `ours` decides from what ACK recorded (target
 * version, node pool) whether it is the one the call started. The listing itself shows neither.
 */
function clusterTaskRecovery<Args extends { readonly clusterId: string }, Result>(spec: {
  readonly kind: (task: AckClusterTask) => boolean;
  readonly ours: (info: AckTaskInfo, args: Args) => boolean;
  readonly toResult: (task: AckClusterTask, info: AckTaskInfo, args: Args) => Result;
}): Recovery<Args, Result, Args, AckClusterTask, { task: AckClusterTask; info: AckTaskInfo }> {
  return {
    targets: (a) => [a],
    // All pages: ACK documents no order, so the new task may be on any of them.
    list: async (run, a, options) =>
      (await readAllAckClusterTasks((args) => run(describeClusterTasks, args, options), a.clusterId)).tasks,
    createdAt: (task) => task.created,
    match: async (task, a, run, options) => {
      if (!spec.kind(task)) return undefined;
      const info = await run(describeTaskInfo, { taskId: task.task_id }, options);
      return spec.ours(info, a) ? { task, info } : undefined;
    },
    toResult: ([{ task, info }], a) => spec.toResult(task, info, a),
  };
}

/**
 * The ACK operations, one row per `AckClient` method. Every GET is `idempotent`. Of the POSTs,
 * RunClusterCheck and UpgradeCluster start a task and are `create`s; CancelTask only stops one, so
 * sending it again creates nothing and it is `idempotent`.
 */
// The rows recovery lists with (`run(listClusterChecks, ...)`), named before the table that holds them.
const listClusterChecks = idempotent({
  args: listClusterChecksArgs,
  request: (a) => ({ pathParams: { cluster_id: a.clusterId }, query: { type: a.type, target: a.target } }),
  response: ackClusterCheckListSchema,
});
const describeTaskInfo = idempotent({
  args: taskArgs,
  request: (a) => ({ pathParams: { task_id: a.taskId } }),
  response: ackTaskInfoSchema,
});
const describeClusterTasks = idempotent({
  args: describeClusterTasksArgs,
  request: (a) => ({
    pathParams: { cluster_id: a.clusterId },
    query: {
      page_number: a.pageNumber,
      page_size: a.pageSize,
      max_results: a.maxResults,
      next_token: a.nextToken,
    },
  }),
  response: ackClusterTaskListSchema,
});

export const ACK_OPERATIONS = {
  /**
   * RunClusterCheck: starts a cluster check; resolves to its `check_id`. Recovery after an
   * ambiguous failure uses ListClusterChecks (same `type`, created since the call started; when
   * a listed check records `options.next_version`, it must match too).
   */
  runClusterCheck: create({
    args: runClusterCheckArgs,
    request: (a) => ({
      pathParams: { cluster_id: a.clusterId },
      body: { type: a.type, target: a.target, options: a.options } satisfies AckRunClusterCheckRequest,
    }),
    response: ackRunClusterCheckResultSchema,
    recovery: {
      targets: (a) => [a],
      list: async (run, a, options) =>
        (await run(listClusterChecks, { clusterId: a.clusterId, type: a.type, target: a.target }, options))
          .checks,
      createdAt: (check) => check.created_at,
      // A listed check that records no type or no target version is not ruled out by it.
      match: (check, a) => {
        const wanted = a.options?.["next_version"];
        const listed = recordedTarget(check);
        const ours =
          (check.type === undefined || check.type === a.type) &&
          (wanted === undefined || listed === undefined || targetMatches(wanted, listed));
        return ours ? check : undefined;
      },
      toResult: ([check]): AckRunClusterCheckResult => ({ check_id: check.check_id }),
    },
  }),
  /** ListClusterChecks: the cluster's checks, optionally filtered by type and target. */
  listClusterChecks,
  /** GetClusterCheck: one check with its items. */
  getClusterCheck: idempotent({
    args: getClusterCheckArgs,
    request: (a) => ({ pathParams: { cluster_id: a.clusterId, check_id: a.checkId } }),
    response: ackClusterCheckSchema,
  }),
  /** DescribeClusterDetail: the cluster, with `current_version` and `next_version`. */
  describeClusterDetail: clusterRead(ackClusterDetailSchema),
  /** DescribeClustersV1: clusters, e.g. to find one by `name`. */
  describeClustersV1: idempotent({
    // Called without arguments: no filters.
    args: describeClustersV1Args.prefault({}),
    request: (a) => ({
      query: {
        name: a.name,
        cluster_type: a.clusterType,
        region_id: a.regionId,
        page_size: a.pageSize,
        page_number: a.pageNumber,
      },
    }),
    response: ackClusterListSchema,
  }),
  /**
   * GetUpgradeStatus: the cluster's upgrade progress.
   *
   * @deprecated The vendor deprecated this operation; track the task of `upgradeCluster` with
   * `describeTaskInfo` instead. Kept for clusters upgraded by older tools.
   */
  getUpgradeStatus: clusterRead(ackUpgradeStatusSchema),
  /** DescribeTaskInfo: one task (e.g. the one `upgradeCluster` started). */
  describeTaskInfo,
  /**
   * UpgradeCluster: starts the upgrade; resolves to its `task_id`. Recovery after an ambiguous
   * failure uses DescribeClusterTasks: a cluster upgrade task created since the call started whose
   * recorded target version (DescribeTaskInfo `parameters`), if any, matches.
   */
  upgradeCluster: create({
    args: upgradeClusterArgs,
    request: (a) => ({
      pathParams: { cluster_id: a.clusterId },
      body: { next_version: a.nextVersion, master_only: a.masterOnly } satisfies AckUpgradeClusterRequest,
    }),
    response: ackUpgradeClusterResultSchema,
    // ACK runs one cluster upgrade at a time, so a new upgrade task with no recorded version can
    // only be ours; a recorded version must agree.
    recovery: clusterTaskRecovery<z.output<typeof upgradeClusterArgs>, AckUpgradeClusterResult>({
      kind: (task) =>
        task.task_type !== undefined && /upgrade/i.test(task.task_type) && !/nodepool/i.test(task.task_type),
      ours: (info, a) => {
        const version = ackTaskTarget(info);
        return version === undefined || targetMatches(a.nextVersion, version);
      },
      toResult: (task, info, a): AckUpgradeClusterResult => ({
        cluster_id: info.cluster_id ?? a.clusterId,
        task_id: task.task_id,
      }),
    }),
  }),
  // Stops a task: sent twice, the task is still just cancelled (the second answer may be an error).
  /** CancelTask: cancels a running task. ACK answers without a body (resolves to `{}`). */
  cancelTask: idempotent({
    args: taskArgs,
    request: (a) => ({ pathParams: { task_id: a.taskId } }),
    response: ackEmptyResultSchema,
  }),
  /** DescribeClusterTasks: one page of the cluster's tasks, in no documented order (all: `readAllAckClusterTasks`). */
  describeClusterTasks,
  /**
   * DescribeKubernetesVersionMetadata: the Kubernetes versions ACK publishes for a region and cluster
   * type, each with its release and expiration (end of support) dates and upgradable versions.
   */
  describeKubernetesVersionMetadata: idempotent({
    args: describeKubernetesVersionMetadataArgs,
    request: (a) => ({
      query: {
        Region: a.region,
        ClusterType: a.clusterType,
        KubernetesVersion: a.kubernetesVersion,
        Profile: a.profile,
        Mode: a.mode,
        QueryUpgradableVersion: a.queryUpgradableVersion,
      },
    }),
    response: ackKubernetesVersionMetadataSchema,
  }),
  /** DescribeClusterNodePools: the cluster's node pools (optionally only the one named `nodepoolName`). */
  describeClusterNodePools: idempotent({
    args: describeClusterNodePoolsArgs,
    request: (a) => ({ pathParams: { cluster_id: a.clusterId }, query: { NodepoolName: a.nodepoolName } }),
    response: ackNodePoolListSchema,
  }),
  /** DescribeClusterNodePoolDetail: one node pool; its Kubernetes version is `ackNodePoolVersion(pool)`. */
  describeClusterNodePoolDetail: idempotent({
    args: nodePoolArgs,
    request: (a) => ({ pathParams: { cluster_id: a.clusterId, nodepool_id: a.nodepoolId } }),
    response: ackNodePoolSchema,
  }),
  /**
   * UpgradeClusterNodepool: starts upgrading a node pool's kubelet to `kubernetesVersion`; resolves
   * to its `task_id` (track it with `describeTaskInfo`). Recovery after an ambiguous failure uses
   * DescribeClusterTasks: a node pool upgrade task created since the call started whose
   * DescribeTaskInfo `target.id` (when ACK records it) is this pool and whose recorded version, if
   * any, matches.
   */
  upgradeClusterNodepool: create({
    args: upgradeClusterNodepoolArgs,
    request: (a) => ({
      pathParams: { cluster_id: a.clusterId, nodepool_id: a.nodepoolId },
      body: {
        kubernetes_version: a.kubernetesVersion,
        ignore_warning_check: a.ignoreWarningCheck,
        use_replace: a.useReplace,
        node_names: a.nodeNames,
      } satisfies AckUpgradeClusterNodepoolRequest,
    }),
    response: ackUpgradeClusterNodepoolResultSchema,
    // The pool (`target.id`) and version, when ACK records them, must be this call's.
    recovery: clusterTaskRecovery<
      z.output<typeof upgradeClusterNodepoolArgs>,
      AckUpgradeClusterNodepoolResult
    >({
      // A node pool upgrade task (`nodepool_upgrade`); an absent type may be one.
      kind: (task) => task.task_type === undefined || /nodepool/i.test(task.task_type),
      ours: (info, a) => {
        const pool = info.target?.id;
        const version = ackTaskTarget(info);
        return (
          (pool === undefined || pool === a.nodepoolId) &&
          (version === undefined || targetMatches(a.kubernetesVersion, version))
        );
      },
      toResult: (task): AckUpgradeClusterNodepoolResult => ({ task_id: task.task_id }),
    }),
  }),
} satisfies Record<Uncapitalize<AckOperation>, Operation<never, unknown>>;

/**
 * Creates an ACK client. Region, credentials and endpoint are resolved at the first call (from
 * `options`, then `options.pulumiConfig`, then the environment), so a missing credential surfaces
 * as a `ConfigError` from that call.
 *
 * @example
 * const ack = createAckClient({ region: "cn-hangzhou" });
 * const check = await ack.getClusterCheck({ clusterId, checkId });
 */
export function createAckClient(options: AckClientOptions = {}): AckClient {
  const { transport, now, explicit } = clientBasics<AckSettings>(
    options,
    "createAckClient",
    ACK_OPTIONS_SCHEMA,
    ACK_SETTING_KEYS,
  );
  return assembleClient<AckOperation, AckClient, { config: AckConfig; auth: AckRequestAuth }>({
    cloud: "ACK",
    operations: ACK_OPERATIONS,
    routes: ACK_ROUTES,
    transport,
    now,
    resolve: () => {
      const config = resolveAckConfig(explicit, options.pulumiConfig, options.env ?? process.env);
      const nonce = options.nonce === undefined ? {} : { nonce: options.nonce };
      return { config, auth: createAckRequestAuth(config, { now, ...nonce }) };
    },
    deps: ({ config, auth }) => ({
      sign: auth,
      account: accountKey("alibaba", config.credentials.accessKeyId),
      ...(config.rateLimit === undefined ? {} : { rateLimit: config.rateLimit }),
    }),
    target: ({ config }, operation, route, request) => ({
      url: buildUrl(config.endpoint, route, request.pathParams ?? {}, request.query),
      headers: {
        accept: "application/json",
        "x-acs-action": operation,
        "x-acs-version": ACK_API_VERSION,
        ...(request.body === undefined ? {} : { "content-type": "application/json; charset=utf-8" }),
      },
    }),
    credentialSources: ({ config }) => config.credentialSources,
    getters: { region: ({ config }) => config.region },
  });
}
