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
 */
import { type z } from "zod";
import { resolveAckConfig, type AckSettings } from "../../auth/config";
import { createAckRequestAuth } from "../../auth/request-auth";
import { parseTimestamp } from "../../internal/timestamps";
import { parseArgs } from "../../internal/validate";
import { targetMatches } from "../../internal/versions";
import { createTransport } from "../../transport/transport";
import { type HttpRequest, type RetryMode } from "../../transport/types";
import { type CallOptions } from "../common/arg-schemas";
import { callApi } from "../common/call";
import {
  definedSettings,
  memoizeSuccess,
  nowOf,
  transportOptionsOf,
  validateClientOptions,
  type CommonClientOptions,
} from "../common/client-options";
import { createdSince, createWithRecovery, newest, type MaybeRecovered } from "../common/create-recovery";
import { buildUrl, type QueryValue } from "../common/routes";
import {
  clusterArgs,
  describeClustersV1Args,
  describeClusterTasksArgs,
  getClusterCheckArgs,
  listClusterChecksArgs,
  runClusterCheckArgs,
  taskArgs,
  upgradeClusterArgs,
  type ClusterArgs,
  type DescribeClustersV1Args,
  type DescribeClusterTasksArgs,
  type GetClusterCheckArgs,
  type ListClusterChecksArgs,
  type RunClusterCheckArgs,
  type TaskArgs,
  type UpgradeClusterArgs,
} from "./args";
import { type AckRunClusterCheckRequest, type AckUpgradeClusterRequest } from "./request-bodies";
import { ACK_API_VERSION, ACK_ROUTES, type AckOperation } from "./routes";
import {
  ackClusterCheckListSchema,
  ackClusterCheckSchema,
  ackClusterDetailSchema,
  ackClusterListSchema,
  ackClusterTaskListSchema,
  ackEmptyResultSchema,
  ackRunClusterCheckResultSchema,
  ackTaskInfoSchema,
  ackUpgradeClusterResultSchema,
  ackUpgradeStatusSchema,
  type AckClusterCheck,
  type AckClusterCheckList,
  type AckClusterDetail,
  type AckClusterList,
  type AckClusterTask,
  type AckClusterTaskList,
  type AckEmptyResult,
  type AckRunClusterCheckResult,
  type AckTaskInfo,
  type AckUpgradeClusterResult,
  type AckUpgradeStatus,
} from "./schemas";

const ACK_SETTING_KEYS = [
  "region",
  "accessKeyId",
  "accessKeySecret",
  "securityToken",
  "endpoint",
  "signatureAlgorithm",
] as const satisfies readonly (keyof AckSettings)[];

/** Parameter names under which an upgrade task may record its target version. */
const TASK_VERSION_PARAMETERS = ["next_version", "nextVersion", "target_version", "targetVersion", "version"];

/**
 * Options of `createAckClient`. Settings given here win over `pulumiConfig`, which wins over the
 * environment (`ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_REGION_ID`, ...; see auth/config.ts).
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
 * normalized body.
 *
 * Errors: `InputError` (bad arguments, every bad field listed), `ConfigError` (missing region or
 * credentials, at the first call), `ApiError` (the cloud answered with an error), `TransportError`
 * (no answer), `ResponseShapeError` (an answer we do not understand).
 *
 * Task-creating methods (`runClusterCheck`, `upgradeCluster`) never send their POST twice. When
 * the answer is lost in a way that leaves it unknown whether ACK received the request
 * (`TransportError` with `ambiguous: true`), the client lists the cluster's checks or tasks and
 * returns one it may have created (same type or target version where ACK records it, created no
 * earlier than the call's start minus `CLOCK_SKEW_ALLOWANCE_MS`, 60 s), marked `recovered: true`;
 * when there is none it rethrows the original error.
 */
export interface AckClient {
  /**
   * The region this client calls: `options.region`, else `pulumiConfig.region`
   * (`upgrade-guard:alibabaRegion`), else the environment (`ALIBABA_CLOUD_REGION_ID`,
   * `ALICLOUD_REGION`). Reading it resolves the configuration as the first call does (no request is
   * sent), so an incomplete configuration throws the same `ConfigError`. Read-only and not
   * enumerable: `Object.keys(client)` lists only the operations and `close`.
   */
  readonly region: string;
  /**
   * RunClusterCheck: starts a cluster check; resolves to its `check_id`. Recovery after an
   * ambiguous failure uses ListClusterChecks (same `type`, created since the call started; when
   * a listed check records `options.next_version`, it must match too).
   */
  runClusterCheck(
    args: RunClusterCheckArgs,
    options?: CallOptions,
  ): Promise<MaybeRecovered<AckRunClusterCheckResult>>;
  /** ListClusterChecks: the cluster's checks, optionally filtered by type and target. */
  listClusterChecks(args: ListClusterChecksArgs, options?: CallOptions): Promise<AckClusterCheckList>;
  /** GetClusterCheck: one check with its items. */
  getClusterCheck(args: GetClusterCheckArgs, options?: CallOptions): Promise<AckClusterCheck>;
  /** DescribeClusterDetail: the cluster, with `current_version` and `next_version`. */
  describeClusterDetail(args: ClusterArgs, options?: CallOptions): Promise<AckClusterDetail>;
  /** DescribeClustersV1: clusters, e.g. to find one by `name`. */
  describeClustersV1(args?: DescribeClustersV1Args, options?: CallOptions): Promise<AckClusterList>;
  /**
   * GetUpgradeStatus: the cluster's upgrade progress.
   *
   * @deprecated The vendor deprecated this operation; track the task of `upgradeCluster` with
   * `describeTaskInfo` instead. Kept for clusters upgraded by older tools.
   */
  getUpgradeStatus(args: ClusterArgs, options?: CallOptions): Promise<AckUpgradeStatus>;
  /** DescribeTaskInfo: one task (e.g. the one `upgradeCluster` started). */
  describeTaskInfo(args: TaskArgs, options?: CallOptions): Promise<AckTaskInfo>;
  /**
   * UpgradeCluster: starts the upgrade; resolves to its `task_id`. Recovery after an ambiguous
   * failure uses DescribeClusterTasks: a cluster upgrade task created since the call started whose
   * recorded target version (DescribeTaskInfo `parameters`), if any, matches.
   */
  upgradeCluster(
    args: UpgradeClusterArgs,
    options?: CallOptions,
  ): Promise<MaybeRecovered<AckUpgradeClusterResult>>;
  /** CancelTask: cancels a running task. ACK answers without a body (resolves to `{}`). */
  cancelTask(args: TaskArgs, options?: CallOptions): Promise<AckEmptyResult>;
  /** DescribeClusterTasks: the cluster's tasks, one page. */
  describeClusterTasks(args: DescribeClusterTasksArgs, options?: CallOptions): Promise<AckClusterTaskList>;
  /** Closes the HTTP connections the client opened (not an injected dispatcher). */
  close(): Promise<void>;
}

interface CallSpec<S extends z.ZodType> {
  readonly pathParams?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, QueryValue>>;
  readonly body?: unknown;
  readonly schema: S;
}

function isUpgradeTask(task: AckClusterTask): boolean {
  return task.task_type !== undefined && /upgrade/i.test(task.task_type) && !/nodepool/i.test(task.task_type);
}

/** Newest first; a task without a readable creation time sorts last. */
function createdAtMs(task: AckClusterTask): number {
  return task.created === undefined ? -Infinity : (parseTimestamp(task.created) ?? -Infinity);
}

function recordedVersion(parameters: Readonly<Record<string, unknown>> | undefined): string | undefined {
  if (parameters === undefined) return undefined;
  for (const key of TASK_VERSION_PARAMETERS) {
    const value = parameters[key];
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

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
  validateClientOptions(options, "createAckClient", [...ACK_SETTING_KEYS, "nonce"]);
  const transport = createTransport(transportOptionsOf(options));
  const now = nowOf(options);
  const explicit = definedSettings<AckSettings>(options, ACK_SETTING_KEYS);

  const resolved = memoizeSuccess(() => {
    const config = resolveAckConfig(explicit, options.pulumiConfig, options.env ?? process.env);
    const auth = createAckRequestAuth(config, {
      now,
      ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
    });
    return { config, auth };
  });

  async function call<S extends z.ZodType>(
    operation: AckOperation,
    spec: CallSpec<S>,
    signal: AbortSignal | undefined,
  ): Promise<z.output<S>> {
    const { config, auth } = resolved();
    const route = ACK_ROUTES[operation];
    const retryMode: RetryMode =
      operation === "RunClusterCheck" || operation === "UpgradeCluster" ? "create" : "idempotent";
    return callApi(
      { transport, sign: (request: HttpRequest) => auth(request) },
      {
        cloud: "ack",
        operation,
        method: route.method,
        url: buildUrl(config.endpoint, route, spec.pathParams ?? {}, spec.query),
        headers: {
          accept: "application/json",
          "x-acs-action": operation,
          "x-acs-version": ACK_API_VERSION,
          ...(spec.body === undefined ? {} : { "content-type": "application/json; charset=utf-8" }),
        },
        ...(spec.body === undefined ? {} : { body: spec.body }),
        retryMode,
        schema: spec.schema,
      },
      signal,
    );
  }

  const client: Omit<AckClient, "region"> = {
    async runClusterCheck(args, callOptions) {
      const a = parseArgs(runClusterCheckArgs, args, "ACK runClusterCheck");
      const body: AckRunClusterCheckRequest = {
        type: a.type,
        ...(a.target === undefined ? {} : { target: a.target }),
        ...(a.options === undefined ? {} : { options: a.options }),
      };
      const wantedVersion = a.options?.["next_version"];
      return createWithRecovery(
        now,
        () =>
          call(
            "RunClusterCheck",
            { pathParams: { cluster_id: a.clusterId }, body, schema: ackRunClusterCheckResultSchema },
            callOptions?.signal,
          ),
        async (startedAtMs) => {
          const { checks } = await client.listClusterChecks(
            { clusterId: a.clusterId, type: a.type, ...(a.target === undefined ? {} : { target: a.target }) },
            callOptions,
          );
          const candidates = checks.filter((check) => {
            if (check.type !== undefined && check.type !== a.type) return false;
            if (!createdSince(check.created_at, startedAtMs)) return false;
            const options = check["options"];
            const listedVersion =
              typeof options === "object" && options !== null
                ? (options as Record<string, unknown>)["next_version"]
                : undefined;
            // ACK's check listing does not document the options; compare them only when present.
            return (
              wantedVersion === undefined ||
              typeof listedVersion !== "string" ||
              targetMatches(wantedVersion, listedVersion)
            );
          });
          const check = newest(candidates, (candidate) => candidate.created_at);
          if (check === undefined) return undefined;
          const result: AckRunClusterCheckResult = { check_id: check.check_id };
          return result;
        },
      );
    },

    async listClusterChecks(args, callOptions) {
      const a = parseArgs(listClusterChecksArgs, args, "ACK listClusterChecks");
      return call(
        "ListClusterChecks",
        {
          pathParams: { cluster_id: a.clusterId },
          query: { type: a.type, target: a.target },
          schema: ackClusterCheckListSchema,
        },
        callOptions?.signal,
      );
    },

    async getClusterCheck(args, callOptions) {
      const a = parseArgs(getClusterCheckArgs, args, "ACK getClusterCheck");
      return call(
        "GetClusterCheck",
        { pathParams: { cluster_id: a.clusterId, check_id: a.checkId }, schema: ackClusterCheckSchema },
        callOptions?.signal,
      );
    },

    async describeClusterDetail(args, callOptions) {
      const a = parseArgs(clusterArgs, args, "ACK describeClusterDetail");
      return call(
        "DescribeClusterDetail",
        { pathParams: { cluster_id: a.clusterId }, schema: ackClusterDetailSchema },
        callOptions?.signal,
      );
    },

    async describeClustersV1(args = {}, callOptions) {
      const a = parseArgs(describeClustersV1Args, args, "ACK describeClustersV1");
      return call(
        "DescribeClustersV1",
        {
          query: {
            name: a.name,
            cluster_type: a.clusterType,
            region_id: a.regionId,
            page_size: a.pageSize,
            page_number: a.pageNumber,
          },
          schema: ackClusterListSchema,
        },
        callOptions?.signal,
      );
    },

    async getUpgradeStatus(args, callOptions) {
      const a = parseArgs(clusterArgs, args, "ACK getUpgradeStatus");
      return call(
        "GetUpgradeStatus",
        { pathParams: { cluster_id: a.clusterId }, schema: ackUpgradeStatusSchema },
        callOptions?.signal,
      );
    },

    async describeTaskInfo(args, callOptions) {
      const a = parseArgs(taskArgs, args, "ACK describeTaskInfo");
      return call(
        "DescribeTaskInfo",
        { pathParams: { task_id: a.taskId }, schema: ackTaskInfoSchema },
        callOptions?.signal,
      );
    },

    async upgradeCluster(args, callOptions) {
      const a = parseArgs(upgradeClusterArgs, args, "ACK upgradeCluster");
      const body: AckUpgradeClusterRequest = {
        next_version: a.nextVersion,
        ...(a.masterOnly === undefined ? {} : { master_only: a.masterOnly }),
      };
      return createWithRecovery(
        now,
        () =>
          call(
            "UpgradeCluster",
            { pathParams: { cluster_id: a.clusterId }, body, schema: ackUpgradeClusterResultSchema },
            callOptions?.signal,
          ),
        async (startedAtMs) => {
          const { tasks } = await client.describeClusterTasks({ clusterId: a.clusterId }, callOptions);
          const candidates = tasks
            .filter((task) => isUpgradeTask(task) && createdSince(task.created, startedAtMs))
            .sort((x, y) => createdAtMs(y) - createdAtMs(x) || 0);
          for (const candidate of candidates) {
            const info = await client.describeTaskInfo({ taskId: candidate.task_id }, callOptions);
            const version = recordedVersion(info.parameters);
            // ACK runs one cluster upgrade at a time, so a new upgrade task with no recorded
            // version can only be ours; a recorded version must agree.
            if (version === undefined || targetMatches(a.nextVersion, version)) {
              const result: AckUpgradeClusterResult = {
                cluster_id: info.cluster_id ?? a.clusterId,
                task_id: candidate.task_id,
              };
              return result;
            }
          }
          return undefined;
        },
      );
    },

    async cancelTask(args, callOptions) {
      const a = parseArgs(taskArgs, args, "ACK cancelTask");
      return call(
        "CancelTask",
        { pathParams: { task_id: a.taskId }, schema: ackEmptyResultSchema },
        callOptions?.signal,
      );
    },

    async describeClusterTasks(args, callOptions) {
      const a = parseArgs(describeClusterTasksArgs, args, "ACK describeClusterTasks");
      return call(
        "DescribeClusterTasks",
        {
          pathParams: { cluster_id: a.clusterId },
          query: {
            page_number: a.pageNumber,
            page_size: a.pageSize,
            max_results: a.maxResults,
            next_token: a.nextToken,
          },
          schema: ackClusterTaskListSchema,
        },
        callOptions?.signal,
      );
    },

    close: () => transport.close(),
  };
  // A getter, not a data property: the configuration resolves at first use, not at creation.
  return Object.defineProperties(client, {
    region: { get: () => resolved().config.region, enumerable: false },
  }) as AckClient;
}
