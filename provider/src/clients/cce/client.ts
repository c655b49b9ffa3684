/**
 * The typed CCE client: one method per operation, arguments validated with zod, every response
 * parsed and normalized by the schemas in `./schemas`, every error answer mapped to `ApiError`.
 *
 * @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/addons/precheck/tasks
 * @API CCE POST /api/v3/projects/{project_id}/clusters/{cluster_id}/addons/precheck
 * @API CCE POST /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/precheck
 * @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/precheck/tasks/{task_id}
 * @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/precheck/tasks
 * @API CCE POST /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgradeworkflows
 * @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgradeworkflows
 * @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgradeworkflows/{upgrade_workflow_id}
 * @API CCE PATCH /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgradeworkflows/{upgrade_workflow_id}
 * @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}
 * @API CCE GET /api/v3/projects/{project_id}/clusters
 * @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/upgradeinfo
 * @API CCE POST /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgrade
 * @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgrade/tasks/{task_id}
 * @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/upgrade/tasks
 * @API CCE GET /api/v3/addons
 */
import { type z } from "zod";
import { resolveCceConfig, type CceSettings } from "../../auth/config";
import { createCceRequestAuth } from "../../auth/request-auth";
import { type CceConfig } from "../../auth/types";
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
  batchCreateAddonPrecheckArgs,
  clusterArgs,
  createPreCheckArgs,
  createUpgradeWorkFlowArgs,
  listAddonPrecheckTasksArgs,
  listClustersArgs,
  showClusterArgs,
  showPreCheckArgs,
  showUpgradeClusterTaskArgs,
  upgradeClusterArgs,
  upgradeWorkflowArgs,
  type BatchCreateAddonPrecheckArgs,
  type ClusterArgs,
  type CreatePreCheckArgs,
  type CreateUpgradeWorkFlowArgs,
  type ListAddonPrecheckTasksArgs,
  type ListClustersArgs,
  type ShowClusterArgs,
  type ShowPreCheckArgs,
  type ShowUpgradeClusterTaskArgs,
  type UpgradeClusterArgs,
  type UpgradeWorkflowArgs,
} from "./args";
import {
  type CceAddonCheckRequest,
  type CceCreateUpgradeWorkflowRequest,
  type CcePrecheckRequest,
  type CceUpgradeClusterRequest,
  type CceUpgradeWorkflowUpdateRequest,
} from "./request-bodies";
import { CCE_ROUTES, type CceOperation } from "./routes";
import {
  cceAddonCheckCreatedSchema,
  cceAddonCheckTaskListSchema,
  cceAddonInstanceListSchema,
  cceClusterListSchema,
  cceClusterSchema,
  ccePrecheckCreatedSchema,
  ccePrecheckTaskListSchema,
  ccePrecheckTaskSchema,
  cceUpgradeClusterResultSchema,
  cceUpgradeInfoSchema,
  cceUpgradeTaskListSchema,
  cceUpgradeTaskSchema,
  cceUpgradeWorkflowListSchema,
  cceUpgradeWorkflowSchema,
  type CceAddonCheckCreated,
  type CceAddonCheckTask,
  type CceAddonCheckTaskList,
  type CceAddonInstanceList,
  type CceCluster,
  type CceClusterList,
  type CcePrecheckCreated,
  type CcePrecheckTask,
  type CcePrecheckTaskList,
  type CceUpgradeClusterResult,
  type CceUpgradeInfo,
  type CceUpgradeTask,
  type CceUpgradeTaskList,
  type CceUpgradeWorkflow,
  type CceUpgradeWorkflowList,
} from "./schemas";

const CCE_SETTING_KEYS = [
  "region",
  "projectId",
  "accessKey",
  "secretKey",
  "securityToken",
  "authToken",
  "userName",
  "password",
  "domainName",
  "endpoint",
  "iamEndpoint",
] as const satisfies readonly (keyof CceSettings)[];

/**
 * Options of `createCceClient`. Settings given here win over `pulumiConfig`, which wins over the
 * environment (`HUAWEICLOUD_SDK_AK`, `HW_REGION_NAME`, ...; see auth/config.ts).
 */
export interface CceClientOptions extends CceSettings, CommonClientOptions {
  /** Values handed in by the Pulumi layer (`upgrade-guard:*` config). */
  readonly pulumiConfig?: CceSettings;
}

/**
 * The CCE upgrade-check client. Methods are named after the vendor operations; each takes one
 * arguments object (lowerCamelCase of the vendor's parameter names) and resolves to the parsed,
 * normalized body.
 *
 * Errors: `InputError` (bad arguments, every bad field listed), `ConfigError` (missing region,
 * project or credentials, at the first call), `ApiError` (the cloud answered with an error),
 * `TransportError` (no answer), `ResponseShapeError` (an answer we do not understand).
 *
 * Task-creating methods (`batchCreateAddonPrecheck`, `createPreCheck`, `createUpgradeWorkFlow`,
 * `upgradeCluster`) never send their POST twice. When the answer is lost in a way that leaves it
 * unknown whether CCE received the request (`TransportError` with `ambiguous: true`), the client
 * lists the cluster's tasks and returns one with the same target created no earlier than the
 * call's start minus `CLOCK_SKEW_ALLOWANCE_MS` (60 s), marked `recovered: true`; when there is none
 * it rethrows the original error.
 */
export interface CceClient {
  /**
   * The region this client calls: `options.region`, else `pulumiConfig.region`, else the environment
   * (`HW_REGION_NAME`, `HUAWEICLOUD_SDK_REGION`). Reading it resolves the configuration as the first
   * call does (no request is sent), so an incomplete configuration throws the same `ConfigError`.
   * Read-only and not enumerable: `Object.keys(client)` lists only the operations and `close`.
   */
  readonly region: string;
  /** The project id in the request paths, resolved like {@link CceClient.region} (not a secret). */
  readonly projectId: string;
  /** ListAddonPrecheckTasks: the cluster's add-on check tasks, optionally filtered. */
  listAddonPrecheckTasks(
    args: ListAddonPrecheckTasksArgs,
    options?: CallOptions,
  ): Promise<CceAddonCheckTaskList>;
  /**
   * BatchCreateAddonPrecheck: starts add-on checks. Recovery after an ambiguous failure looks for
   * one new task per requested add-on (same instance, type and target version) with
   * ListAddonPrecheckTasks and returns them in `status.items`.
   */
  batchCreateAddonPrecheck(
    args: BatchCreateAddonPrecheckArgs,
    options?: CallOptions,
  ): Promise<MaybeRecovered<CceAddonCheckCreated>>;
  /**
   * CreatePreCheck: starts a cluster pre-upgrade check; `metadata.uid` is its task id. Recovery
   * after an ambiguous failure uses ListPreCheckTasks.
   */
  createPreCheck(
    args: CreatePreCheckArgs,
    options?: CallOptions,
  ): Promise<MaybeRecovered<CcePrecheckCreated>>;
  /** ShowPreCheck: one cluster pre-upgrade check task. */
  showPreCheck(args: ShowPreCheckArgs, options?: CallOptions): Promise<CcePrecheckTask>;
  /** ListPreCheckTasks: every pre-upgrade check task of the cluster (no ordering guarantee). */
  listPreCheckTasks(args: ClusterArgs, options?: CallOptions): Promise<CcePrecheckTaskList>;
  /**
   * CreateUpgradeWorkFlow: creates an upgrade workflow (HTTP 201). Recovery after an ambiguous
   * failure uses ListUpgradeWorkFlows.
   */
  createUpgradeWorkFlow(
    args: CreateUpgradeWorkFlowArgs,
    options?: CallOptions,
  ): Promise<MaybeRecovered<CceUpgradeWorkflow>>;
  /** ListUpgradeWorkFlows: the cluster's upgrade workflows. */
  listUpgradeWorkFlows(args: ClusterArgs, options?: CallOptions): Promise<CceUpgradeWorkflowList>;
  /** ShowUpgradeWorkFlow: one upgrade workflow. */
  showUpgradeWorkFlow(args: UpgradeWorkflowArgs, options?: CallOptions): Promise<CceUpgradeWorkflow>;
  /** UpgradeWorkFlowUpdate: cancels the workflow (the only update CCE supports). */
  upgradeWorkFlowUpdate(args: UpgradeWorkflowArgs, options?: CallOptions): Promise<CceUpgradeWorkflow>;
  /** ShowCluster: the cluster, with its current version in `spec.version`. */
  showCluster(args: ShowClusterArgs, options?: CallOptions): Promise<CceCluster>;
  /** ListClusters: the project's clusters in the configured region. */
  listClusters(args?: ListClustersArgs, options?: CallOptions): Promise<CceClusterList>;
  /** ShowClusterUpgradeInfo: the versions the cluster can be upgraded to and the last upgrade. */
  showClusterUpgradeInfo(args: ClusterArgs, options?: CallOptions): Promise<CceUpgradeInfo>;
  /**
   * UpgradeCluster: starts the upgrade; `metadata.uid` is the upgrade task id. Recovery after an
   * ambiguous failure uses ListUpgradeClusterTasks.
   */
  upgradeCluster(
    args: UpgradeClusterArgs,
    options?: CallOptions,
  ): Promise<MaybeRecovered<CceUpgradeClusterResult>>;
  /** ShowUpgradeClusterTask: one upgrade task. */
  showUpgradeClusterTask(args: ShowUpgradeClusterTaskArgs, options?: CallOptions): Promise<CceUpgradeTask>;
  /** ListUpgradeClusterTasks: the cluster's upgrade tasks. */
  listUpgradeClusterTasks(args: ClusterArgs, options?: CallOptions): Promise<CceUpgradeTaskList>;
  /**
   * ListAddonInstances: the add-ons installed in the cluster, each with its installed version in
   * `spec.version` and its instance id in `metadata.uid`. `GET /api/v3/addons?cluster_id=`: no
   * project in the path; the project goes in the signed `X-Project-Id` header (AK/SK) or the token.
   */
  listAddonInstances(args: ClusterArgs, options?: CallOptions): Promise<CceAddonInstanceList>;
  /** Closes the HTTP connections the client opened (not an injected dispatcher). */
  close(): Promise<void>;
}

interface CallSpec<S extends z.ZodType> {
  readonly pathParams?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, QueryValue>>;
  readonly body?: unknown;
  readonly schema: S;
}

/**
 * Creates a CCE client. Region, project, credentials and endpoint are resolved at the first call
 * (from `options`, then `options.pulumiConfig`, then the environment), so a missing credential
 * surfaces as a `ConfigError` from that call.
 *
 * @example
 * const cce = createCceClient({ region: "cn-north-4" });
 * const task = await cce.showPreCheck({ clusterId, taskId });
 */
export function createCceClient(options: CceClientOptions = {}): CceClient {
  validateClientOptions(options, "createCceClient", CCE_SETTING_KEYS);
  const transport = createTransport(transportOptionsOf(options));
  const now = nowOf(options);
  const explicit = definedSettings<CceSettings>(options, CCE_SETTING_KEYS);

  const resolved = memoizeSuccess(() => {
    const config: CceConfig = resolveCceConfig(explicit, options.pulumiConfig, options.env ?? process.env);
    const auth = createCceRequestAuth(config, { transport, clock: { now } });
    return { config, auth };
  });

  async function call<S extends z.ZodType>(
    operation: CceOperation,
    spec: CallSpec<S>,
    signal: AbortSignal | undefined,
  ): Promise<z.output<S>> {
    const { config, auth } = resolved();
    const route = CCE_ROUTES[operation];
    const retryMode: RetryMode = route.method === "POST" ? "create" : "idempotent";
    return callApi(
      {
        transport,
        sign: (request: HttpRequest) => auth(request),
        // Only an IAM token fetched with a password can be refreshed; AK/SK and fixed tokens cannot.
        onUnauthorized: () => {
          if (config.credentials.kind !== "password") return false;
          auth.invalidate();
          return true;
        },
      },
      {
        cloud: "cce",
        operation,
        method: route.method,
        url: buildUrl(
          config.endpoint,
          route,
          { project_id: config.projectId, ...spec.pathParams },
          spec.query,
        ),
        // CCE declares Content-Type mandatory on every operation, GET included.
        headers: { "content-type": "application/json" },
        ...(spec.body === undefined ? {} : { body: spec.body }),
        retryMode,
        schema: spec.schema,
      },
      signal,
    );
  }

  const client: Omit<CceClient, "region" | "projectId"> = {
    async listAddonPrecheckTasks(args, callOptions) {
      const a = parseArgs(listAddonPrecheckTasksArgs, args, "CCE listAddonPrecheckTasks");
      return call(
        "ListAddonPrecheckTasks",
        {
          pathParams: { cluster_id: a.clusterId },
          query: { type: a.type, task_id: a.taskId, addon_instance_id: a.addonInstanceId },
          schema: cceAddonCheckTaskListSchema,
        },
        callOptions?.signal,
      );
    },

    async batchCreateAddonPrecheck(args, callOptions) {
      const a = parseArgs(batchCreateAddonPrecheckArgs, args, "CCE batchCreateAddonPrecheck");
      const signal = callOptions?.signal;
      const body: CceAddonCheckRequest = {
        kind: "AddonCheck",
        apiVersion: "v3",
        spec: {
          clusterID: a.clusterId,
          addonList: a.addonList.map((addon) => ({
            addonTemplateName: addon.addonTemplateName,
            addonInstanceID: addon.addonInstanceId,
            type: addon.type,
            ...(addon.targetVersion === undefined ? {} : { targetVersion: addon.targetVersion }),
            ...(addon.values === undefined ? {} : { values: addon.values }),
          })),
        },
      };
      return createWithRecovery(
        now,
        () =>
          call(
            "BatchCreateAddonPrecheck",
            { pathParams: { cluster_id: a.clusterId }, body, schema: cceAddonCheckCreatedSchema },
            signal,
          ),
        async (startedAtMs) => {
          const { items } = await client.listAddonPrecheckTasks({ clusterId: a.clusterId }, callOptions);
          const found: CceAddonCheckTask[] = [];
          for (const addon of a.addonList) {
            const candidates = items.filter(
              (task) =>
                task.metadata.type === addon.type &&
                (task.metadata.addonInstanceID === undefined
                  ? task.metadata.addonTemplateName === addon.addonTemplateName
                  : task.metadata.addonInstanceID === addon.addonInstanceId) &&
                (addon.targetVersion === undefined ||
                  (task.spec?.addonTargetVersion !== undefined &&
                    targetMatches(addon.targetVersion, task.spec.addonTargetVersion))) &&
                createdSince(task.metadata.createTimeStamp, startedAtMs),
            );
            const match = newest(candidates, (task) => task.metadata.createTimeStamp);
            // Every requested add-on must be accounted for; a partial batch is not a recovery.
            if (match === undefined) return undefined;
            found.push(match);
          }
          const recovered: CceAddonCheckCreated = {
            kind: "AddonCheck",
            apiVersion: "v3",
            spec: body.spec,
            status: { items: found },
          };
          return recovered;
        },
      );
    },

    async createPreCheck(args, callOptions) {
      const a = parseArgs(createPreCheckArgs, args, "CCE createPreCheck");
      const body: CcePrecheckRequest = {
        apiVersion: "v3",
        kind: "PreCheckTask",
        spec: {
          clusterID: a.clusterId,
          clusterVersion: a.clusterVersion,
          targetVersion: a.targetVersion,
          ...(a.skippedCheckItemList === undefined ? {} : { skippedCheckItemList: a.skippedCheckItemList }),
        },
      };
      return createWithRecovery(
        now,
        () =>
          call(
            "CreatePreCheck",
            { pathParams: { cluster_id: a.clusterId }, body, schema: ccePrecheckCreatedSchema },
            callOptions?.signal,
          ),
        async (startedAtMs) => {
          const { items } = await client.listPreCheckTasks({ clusterId: a.clusterId }, callOptions);
          const candidates = items.filter(
            (task) =>
              task.spec?.targetVersion !== undefined &&
              targetMatches(a.targetVersion, task.spec.targetVersion) &&
              createdSince(task.metadata.creationTimestamp, startedAtMs),
          );
          return newest(candidates, (task) => task.metadata.creationTimestamp);
        },
      );
    },

    async showPreCheck(args, callOptions) {
      const a = parseArgs(showPreCheckArgs, args, "CCE showPreCheck");
      return call(
        "ShowPreCheck",
        { pathParams: { cluster_id: a.clusterId, task_id: a.taskId }, schema: ccePrecheckTaskSchema },
        callOptions?.signal,
      );
    },

    async listPreCheckTasks(args, callOptions) {
      const a = parseArgs(clusterArgs, args, "CCE listPreCheckTasks");
      return call(
        "ListPreCheckTasks",
        { pathParams: { cluster_id: a.clusterId }, schema: ccePrecheckTaskListSchema },
        callOptions?.signal,
      );
    },

    async createUpgradeWorkFlow(args, callOptions) {
      const a = parseArgs(createUpgradeWorkFlowArgs, args, "CCE createUpgradeWorkFlow");
      const body: CceCreateUpgradeWorkflowRequest = {
        kind: "WorkFlowTask",
        apiVersion: "v3",
        spec: {
          clusterID: a.clusterId,
          ...(a.clusterVersion === undefined ? {} : { clusterVersion: a.clusterVersion }),
          targetVersion: a.targetVersion,
        },
      };
      return createWithRecovery(
        now,
        () =>
          call(
            "CreateUpgradeWorkFlow",
            { pathParams: { cluster_id: a.clusterId }, body, schema: cceUpgradeWorkflowSchema },
            callOptions?.signal,
          ),
        async (startedAtMs) => {
          const { items } = await client.listUpgradeWorkFlows({ clusterId: a.clusterId }, callOptions);
          const candidates = items.filter(
            (workflow) =>
              workflow.spec?.targetVersion !== undefined &&
              targetMatches(a.targetVersion, workflow.spec.targetVersion) &&
              createdSince(workflow.metadata.creationTimestamp, startedAtMs),
          );
          return newest(candidates, (workflow) => workflow.metadata.creationTimestamp);
        },
      );
    },

    async listUpgradeWorkFlows(args, callOptions) {
      const a = parseArgs(clusterArgs, args, "CCE listUpgradeWorkFlows");
      return call(
        "ListUpgradeWorkFlows",
        { pathParams: { cluster_id: a.clusterId }, schema: cceUpgradeWorkflowListSchema },
        callOptions?.signal,
      );
    },

    async showUpgradeWorkFlow(args, callOptions) {
      const a = parseArgs(upgradeWorkflowArgs, args, "CCE showUpgradeWorkFlow");
      return call(
        "ShowUpgradeWorkFlow",
        {
          pathParams: { cluster_id: a.clusterId, upgrade_workflow_id: a.upgradeWorkflowId },
          schema: cceUpgradeWorkflowSchema,
        },
        callOptions?.signal,
      );
    },

    async upgradeWorkFlowUpdate(args, callOptions) {
      const a = parseArgs(upgradeWorkflowArgs, args, "CCE upgradeWorkFlowUpdate");
      const body: CceUpgradeWorkflowUpdateRequest = { status: { phase: "Cancel" } };
      return call(
        "UpgradeWorkFlowUpdate",
        {
          pathParams: { cluster_id: a.clusterId, upgrade_workflow_id: a.upgradeWorkflowId },
          body,
          schema: cceUpgradeWorkflowSchema,
        },
        callOptions?.signal,
      );
    },

    async showCluster(args, callOptions) {
      const a = parseArgs(showClusterArgs, args, "CCE showCluster");
      return call(
        "ShowCluster",
        {
          pathParams: { cluster_id: a.clusterId },
          query: { detail: a.detail, errorStatus: a.errorStatus },
          schema: cceClusterSchema,
        },
        callOptions?.signal,
      );
    },

    async listClusters(args = {}, callOptions) {
      const a = parseArgs(listClustersArgs, args, "CCE listClusters");
      return call(
        "ListClusters",
        {
          query: { detail: a.detail, status: a.status, type: a.type, version: a.version },
          schema: cceClusterListSchema,
        },
        callOptions?.signal,
      );
    },

    async showClusterUpgradeInfo(args, callOptions) {
      const a = parseArgs(clusterArgs, args, "CCE showClusterUpgradeInfo");
      return call(
        "ShowClusterUpgradeInfo",
        { pathParams: { cluster_id: a.clusterId }, schema: cceUpgradeInfoSchema },
        callOptions?.signal,
      );
    },

    async upgradeCluster(args, callOptions) {
      const a = parseArgs(upgradeClusterArgs, args, "CCE upgradeCluster");
      const body: CceUpgradeClusterRequest = {
        metadata: { kind: "UpgradeTask", apiVersion: "v3" },
        spec: {
          clusterUpgradeAction: {
            targetVersion: a.targetVersion,
            ...(a.strategy === undefined ? {} : { strategy: a.strategy }),
            ...(a.addons === undefined ? {} : { addons: a.addons }),
            ...(a.nodeOrder === undefined ? {} : { nodeOrder: a.nodeOrder }),
            ...(a.nodePoolOrder === undefined ? {} : { nodePoolOrder: a.nodePoolOrder }),
            ...(a.isOnlyUpgrade === undefined ? {} : { isOnlyUpgrade: a.isOnlyUpgrade }),
          },
        },
      };
      return createWithRecovery(
        now,
        () =>
          call(
            "UpgradeCluster",
            { pathParams: { cluster_id: a.clusterId }, body, schema: cceUpgradeClusterResultSchema },
            callOptions?.signal,
          ),
        async (startedAtMs) => {
          const { items } = await client.listUpgradeClusterTasks({ clusterId: a.clusterId }, callOptions);
          const candidates = items.filter(
            (task) =>
              task.spec?.targetVersion !== undefined &&
              targetMatches(a.targetVersion, task.spec.targetVersion) &&
              createdSince(task.metadata.creationTimestamp, startedAtMs),
          );
          const task = newest(candidates, (candidate) => candidate.metadata.creationTimestamp);
          if (task === undefined) return undefined;
          const result: CceUpgradeClusterResult = {
            metadata: task.metadata,
            spec: {
              clusterUpgradeAction: {
                ...(task.spec?.version === undefined ? {} : { version: task.spec.version }),
                ...(task.spec?.targetVersion === undefined ? {} : { targetVersion: task.spec.targetVersion }),
              },
            },
          };
          return result;
        },
      );
    },

    async showUpgradeClusterTask(args, callOptions) {
      const a = parseArgs(showUpgradeClusterTaskArgs, args, "CCE showUpgradeClusterTask");
      return call(
        "ShowUpgradeClusterTask",
        { pathParams: { cluster_id: a.clusterId, task_id: a.taskId }, schema: cceUpgradeTaskSchema },
        callOptions?.signal,
      );
    },

    async listUpgradeClusterTasks(args, callOptions) {
      const a = parseArgs(clusterArgs, args, "CCE listUpgradeClusterTasks");
      return call(
        "ListUpgradeClusterTasks",
        { pathParams: { cluster_id: a.clusterId }, schema: cceUpgradeTaskListSchema },
        callOptions?.signal,
      );
    },

    async listAddonInstances(args, callOptions) {
      const a = parseArgs(clusterArgs, args, "CCE listAddonInstances");
      return call(
        "ListAddonInstances",
        { query: { cluster_id: a.clusterId }, schema: cceAddonInstanceListSchema },
        callOptions?.signal,
      );
    },

    close: () => transport.close(),
  };
  // Getters, not data properties: the configuration resolves at first use, not at creation.
  return Object.defineProperties(client, {
    region: { get: () => resolved().config.region, enumerable: false },
    projectId: { get: () => resolved().config.projectId, enumerable: false },
  }) as CceClient;
}
