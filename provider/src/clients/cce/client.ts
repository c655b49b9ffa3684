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
 * @API CCE POST /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/postcheck
 * @API CCE POST /api/v3.1/projects/{project_id}/clusters/{cluster_id}/operation/snapshot
 * @API CCE GET /api/v3.1/projects/{project_id}/clusters/{cluster_id}/operation/snapshot/tasks
 */
import { type z } from "zod";
import { resolveCceConfig } from "../../auth/config";
import { CCE_ENV, type CceSettings } from "../../auth/fields";
import { createCceRequestAuth, type CceRequestAuth } from "../../auth/request-auth";
import { type CceConfig } from "../../auth/types";
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
import { buildUrl } from "../common/routes";
import {
  type addonCheckTargetArgs,
  batchCreateAddonPrecheckArgs,
  clusterArgs,
  createPostCheckArgs,
  createPreCheckArgs,
  createUpgradeWorkFlowArgs,
  listAddonPrecheckTasksArgs,
  listClustersArgs,
  showClusterArgs,
  showPreCheckArgs,
  showUpgradeClusterTaskArgs,
  upgradeClusterArgs,
  upgradeWorkflowArgs,
} from "./args";
import {
  type CceAddonCheckRequest,
  type CceCreateUpgradeWorkflowRequest,
  type CcePostCheckRequest,
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
  cceNodeListSchema,
  cceNodePoolListSchema,
  ccePostCheckResultSchema,
  ccePrecheckCreatedSchema,
  ccePrecheckTaskListSchema,
  ccePrecheckTaskSchema,
  cceSnapshotCreatedSchema,
  cceSnapshotTaskListSchema,
  cceUpgradeClusterResultSchema,
  cceUpgradeInfoSchema,
  cceUpgradeTaskListSchema,
  cceUpgradeTaskSchema,
  cceUpgradeWorkflowListSchema,
  cceUpgradeWorkflowSchema,
  type CceAddonCheckCreated,
  type CceAddonCheckTask,
  type CceSnapshotCreated,
  type CceUpgradeClusterResult,
} from "./schemas";

/** The settings `createCceClient` takes, one per field of the configuration table. */
const CCE_SETTING_KEYS = Object.keys(CCE_ENV) as Array<keyof CceSettings>;

/** The options `createCceClient` accepts (see `clientOptionsSchema`). */
const CCE_OPTIONS_SCHEMA = clientOptionsSchema(CCE_SETTING_KEYS);

/**
 * Options of `createCceClient`. Settings given here win over `pulumiConfig`, which wins over the
 * environment (`HUAWEICLOUD_SDK_AK`, `HW_REGION_NAME`, ...; see auth/fields.ts).
 */
export interface CceClientOptions extends CceSettings, CommonClientOptions {
  /** Values handed in by the Pulumi layer (`upgrade-guard:*` config). */
  readonly pulumiConfig?: CceSettings;
}

/**
 * The CCE upgrade-check client. Methods are named after the vendor operations; each takes one
 * arguments object (lowerCamelCase of the vendor's parameter names) and resolves to the parsed,
 * normalized body. The methods are the rows of `CCE_OPERATIONS`, each documented there.
 *
 * Errors: `InputError` (bad arguments, every bad field listed), `ConfigError` (missing region,
 * project or credentials, at the first call), `ApiError` (the cloud answered with an error),
 * `TransportError` (no answer), `ResponseShapeError` (an answer we do not understand).
 *
 * Task-creating methods (`batchCreateAddonPrecheck`, `createPreCheck`, `createUpgradeWorkFlow`,
 * `upgradeCluster`, `createClusterMasterSnapshot`) never send their POST twice. When the answer is lost in a way that leaves it
 * unknown whether CCE received the request (`TransportError` with `ambiguous: true`), the client
 * lists the cluster's tasks and returns one with the same target created no earlier than the
 * call's start minus `CLOCK_SKEW_ALLOWANCE_MS` (60 s), marked `recovered: true`; when there is none
 * it rethrows the original error.
 */
export interface CceClient extends MethodsOf<typeof CCE_OPERATIONS> {
  /**
   * The region this client calls: `options.region`, else `pulumiConfig.region`, else the environment
   * (`HW_REGION_NAME`, `HUAWEICLOUD_SDK_REGION`). Reading it resolves the configuration as the first
   * call does (no request is sent), so an incomplete configuration throws the same `ConfigError`.
   * Read-only and not enumerable: `Object.keys(client)` lists only the operations and `close`.
   */
  readonly region: string;
  /** The project id in the request paths, resolved like {@link CceClient.region} (not a secret). */
  readonly projectId: string;
  /** Closes the HTTP connections the client opened (not an injected dispatcher). */
  close(): Promise<void>;
}

/** Whether a task recorded a target version, and it is the one asked for (`v1.29` matches `v1.29.5-r0`). */
function sameTarget(wanted: string, recorded: string | undefined): boolean {
  return recorded !== undefined && targetMatches(wanted, recorded);
}

/** The add-on checks a BatchCreateAddonPrecheck asks for; also the `spec` of a recovered result. */
function addonCheckSpec(args: z.output<typeof batchCreateAddonPrecheckArgs>): CceAddonCheckRequest["spec"] {
  return {
    clusterID: args.clusterId,
    addonList: args.addonList.map((addon) => ({
      addonTemplateName: addon.addonTemplateName,
      addonInstanceID: addon.addonInstanceId,
      type: addon.type,
      ...(addon.targetVersion === undefined ? {} : { targetVersion: addon.targetVersion }),
      ...(addon.values === undefined ? {} : { values: addon.values }),
    })),
  };
}

/** Whether an add-on check task is of the requested add-on (by instance, else template), type and target. */
function isCheckOf(task: CceAddonCheckTask, addon: z.output<typeof addonCheckTargetArgs>): boolean {
  const sameAddon =
    task.metadata.addonInstanceID === undefined
      ? task.metadata.addonTemplateName === addon.addonTemplateName
      : task.metadata.addonInstanceID === addon.addonInstanceId;
  return (
    sameAddon &&
    task.metadata.type === addon.type &&
    (addon.targetVersion === undefined || sameTarget(addon.targetVersion, task.spec?.addonTargetVersion))
  );
}

/**
 * The CCE operations, one row per `CceClient` method. Every GET is `idempotent`. Of the others, the
 * five POSTs that start a task are `create`s; the PATCH (UpgradeWorkFlowUpdate) only cancels a
 * workflow and CreatePostCheck only checks and answers at once, so sending either again changes
 * nothing and both are `idempotent`.
 */
// The rows recovery lists with (`run(listPreCheckTasks, ...)`), named before the table that holds them.
const listAddonPrecheckTasks = idempotent({
  args: listAddonPrecheckTasksArgs,
  request: (a) => ({
    pathParams: { cluster_id: a.clusterId },
    query: { type: a.type, task_id: a.taskId, addon_instance_id: a.addonInstanceId },
  }),
  response: cceAddonCheckTaskListSchema,
});
const listPreCheckTasks = clusterRead(ccePrecheckTaskListSchema);
const listUpgradeWorkFlows = clusterRead(cceUpgradeWorkflowListSchema);
const listUpgradeClusterTasks = clusterRead(cceUpgradeTaskListSchema);
const listClusterMasterSnapshotTasks = clusterRead(cceSnapshotTaskListSchema);

export const CCE_OPERATIONS = {
  /** ListAddonPrecheckTasks: the cluster's add-on check tasks, optionally filtered. */
  listAddonPrecheckTasks,
  /**
   * BatchCreateAddonPrecheck: starts add-on checks. Recovery after an ambiguous failure looks for
   * one new task per requested add-on (same instance, type and target version) with
   * ListAddonPrecheckTasks and returns them in `status.items`.
   */
  batchCreateAddonPrecheck: create({
    args: batchCreateAddonPrecheckArgs,
    request: (a) => ({
      pathParams: { cluster_id: a.clusterId },
      body: { kind: "AddonCheck", apiVersion: "v3", spec: addonCheckSpec(a) } satisfies CceAddonCheckRequest,
    }),
    response: cceAddonCheckCreatedSchema,
    recovery: {
      // One task per add-on.
      targets: (a) => a.addonList,
      list: async (run, a, options) =>
        (await run(listAddonPrecheckTasks, { clusterId: a.clusterId }, options)).items,
      createdAt: (task) => task.metadata.createTimeStamp,
      match: (task, addon) => (isCheckOf(task, addon) ? task : undefined),
      toResult: (tasks, a): CceAddonCheckCreated => ({
        kind: "AddonCheck",
        apiVersion: "v3",
        spec: addonCheckSpec(a),
        status: { items: [...tasks] },
      }),
    },
  }),
  /**
   * CreatePreCheck: starts a cluster pre-upgrade check; `metadata.uid` is its task id. Recovery
   * after an ambiguous failure uses ListPreCheckTasks.
   */
  createPreCheck: create({
    args: createPreCheckArgs,
    request: (a) => ({
      pathParams: { cluster_id: a.clusterId },
      body: {
        apiVersion: "v3",
        kind: "PreCheckTask",
        spec: {
          clusterID: a.clusterId,
          clusterVersion: a.clusterVersion,
          targetVersion: a.targetVersion,
          skippedCheckItemList: a.skippedCheckItemList,
        },
      } satisfies CcePrecheckRequest,
    }),
    response: ccePrecheckCreatedSchema,
    recovery: {
      targets: (a) => [a],
      list: async (run, a, options) =>
        (await run(listPreCheckTasks, { clusterId: a.clusterId }, options)).items,
      createdAt: (task) => task.metadata.creationTimestamp,
      match: (task, a) => (sameTarget(a.targetVersion, task.spec?.targetVersion) ? task : undefined),
      toResult: ([task]) => task,
    },
  }),
  /** ShowPreCheck: one cluster pre-upgrade check task. */
  showPreCheck: idempotent({
    args: showPreCheckArgs,
    request: (a) => ({ pathParams: { cluster_id: a.clusterId, task_id: a.taskId } }),
    response: ccePrecheckTaskSchema,
  }),
  /** ListPreCheckTasks: every pre-upgrade check task of the cluster (no ordering guarantee). */
  listPreCheckTasks,
  /**
   * CreateUpgradeWorkFlow: creates an upgrade workflow (HTTP 201). Recovery after an ambiguous
   * failure uses ListUpgradeWorkFlows.
   */
  createUpgradeWorkFlow: create({
    args: createUpgradeWorkFlowArgs,
    request: (a) => ({
      pathParams: { cluster_id: a.clusterId },
      body: {
        kind: "WorkFlowTask",
        apiVersion: "v3",
        spec: { clusterID: a.clusterId, clusterVersion: a.clusterVersion, targetVersion: a.targetVersion },
      } satisfies CceCreateUpgradeWorkflowRequest,
    }),
    response: cceUpgradeWorkflowSchema,
    recovery: {
      targets: (a) => [a],
      list: async (run, a, options) =>
        (await run(listUpgradeWorkFlows, { clusterId: a.clusterId }, options)).items,
      createdAt: (workflow) => workflow.metadata.creationTimestamp,
      match: (workflow, a) =>
        sameTarget(a.targetVersion, workflow.spec?.targetVersion) ? workflow : undefined,
      toResult: ([workflow]) => workflow,
    },
  }),
  /** ListUpgradeWorkFlows: the cluster's upgrade workflows. */
  listUpgradeWorkFlows,
  /** ShowUpgradeWorkFlow: one upgrade workflow. */
  showUpgradeWorkFlow: idempotent({
    args: upgradeWorkflowArgs,
    request: (a) => ({ pathParams: { cluster_id: a.clusterId, upgrade_workflow_id: a.upgradeWorkflowId } }),
    response: cceUpgradeWorkflowSchema,
  }),
  // A cancel: sent twice, the workflow is still just cancelled (the second answer may be a conflict).
  /** UpgradeWorkFlowUpdate: cancels the workflow (the only update CCE supports). */
  upgradeWorkFlowUpdate: idempotent({
    args: upgradeWorkflowArgs,
    request: (a) => ({
      pathParams: { cluster_id: a.clusterId, upgrade_workflow_id: a.upgradeWorkflowId },
      body: { status: { phase: "Cancel" } } satisfies CceUpgradeWorkflowUpdateRequest,
    }),
    response: cceUpgradeWorkflowSchema,
  }),
  /** ShowCluster: the cluster, with its current version in `spec.version`. */
  showCluster: idempotent({
    args: showClusterArgs,
    request: (a) => ({
      pathParams: { cluster_id: a.clusterId },
      query: { detail: a.detail, errorStatus: a.errorStatus },
    }),
    response: cceClusterSchema,
  }),
  /** ListClusters: the project's clusters in the configured region. */
  listClusters: idempotent({
    // Called without arguments: no filters.
    args: listClustersArgs.prefault({}),
    request: (a) => ({ query: { detail: a.detail, status: a.status, type: a.type, version: a.version } }),
    response: cceClusterListSchema,
  }),
  /** ShowClusterUpgradeInfo: the versions the cluster can be upgraded to and the last upgrade. */
  showClusterUpgradeInfo: clusterRead(cceUpgradeInfoSchema),
  /**
   * UpgradeCluster: starts the upgrade; `metadata.uid` is the upgrade task id. Recovery after an
   * ambiguous failure uses ListUpgradeClusterTasks.
   */
  upgradeCluster: create({
    args: upgradeClusterArgs,
    request: (a) => ({
      pathParams: { cluster_id: a.clusterId },
      body: {
        metadata: { kind: "UpgradeTask", apiVersion: "v3" },
        spec: {
          clusterUpgradeAction: {
            targetVersion: a.targetVersion,
            strategy: a.strategy,
            addons: a.addons,
            nodeOrder: a.nodeOrder,
            nodePoolOrder: a.nodePoolOrder,
            isOnlyUpgrade: a.isOnlyUpgrade,
          },
        },
      } satisfies CceUpgradeClusterRequest,
    }),
    response: cceUpgradeClusterResultSchema,
    recovery: {
      targets: (a) => [a],
      list: async (run, a, options) =>
        (await run(listUpgradeClusterTasks, { clusterId: a.clusterId }, options)).items,
      createdAt: (task) => task.metadata.creationTimestamp,
      match: (task, a) => (sameTarget(a.targetVersion, task.spec?.targetVersion) ? task : undefined),
      toResult: ([task]): CceUpgradeClusterResult => ({
        metadata: task.metadata,
        spec: {
          clusterUpgradeAction: {
            ...(task.spec?.version === undefined ? {} : { version: task.spec.version }),
            ...(task.spec?.targetVersion === undefined ? {} : { targetVersion: task.spec.targetVersion }),
          },
        },
      }),
    },
  }),
  /** ShowUpgradeClusterTask: one upgrade task. */
  showUpgradeClusterTask: idempotent({
    args: showUpgradeClusterTaskArgs,
    request: (a) => ({ pathParams: { cluster_id: a.clusterId, task_id: a.taskId } }),
    response: cceUpgradeTaskSchema,
  }),
  /** ListUpgradeClusterTasks: the cluster's upgrade tasks. */
  listUpgradeClusterTasks,
  /**
   * ListAddonInstances: the add-ons installed in the cluster, each with its installed version in
   * `spec.version` and its instance id in `metadata.uid`. `GET /api/v3/addons?cluster_id=`: no
   * project in the path; the project goes in the signed `X-Project-Id` header (AK/SK) or the token.
   */
  listAddonInstances: idempotent({
    args: clusterArgs,
    request: (a) => ({ query: { cluster_id: a.clusterId } }),
    response: cceAddonInstanceListSchema,
  }),
  /** ListNodes: the cluster's nodes, each naming its node pool in `kubernetes.io/node-pool.id`. */
  listNodes: clusterRead(cceNodeListSchema),
  /** ListNodePools: the cluster's custom node pools (`metadata.uid` and `name`). */
  listNodePools: clusterRead(cceNodePoolListSchema),
  /**
   * CreatePostCheck: the post-upgrade check; the verdict is in the answer's `status.phase`
   * (`Success`, `Failed`, `Error`), nothing to wait for.
   */
  createPostCheck: idempotent({
    args: createPostCheckArgs,
    request: (a) => ({
      pathParams: { cluster_id: a.clusterId },
      body: {
        apiVersion: "v3",
        kind: "PostCheckTask",
        spec: { clusterID: a.clusterId, clusterVersion: a.clusterVersion, targetVersion: a.targetVersion },
      } satisfies CcePostCheckRequest,
    }),
    response: ccePostCheckResultSchema,
  }),
  /**
   * CreateClusterMasterSnapshot (API v3.1): backs up the control plane, sent without a body; the
   * task id is the answer's top-level `uid`. Recovery after an ambiguous failure takes the newest
   * snapshot task ListClusterMasterSnapshotTasks lists since the call started (a snapshot has no
   * target to match).
   */
  createClusterMasterSnapshot: create({
    args: clusterArgs,
    request: (a) => ({ pathParams: { cluster_id: a.clusterId } }),
    response: cceSnapshotCreatedSchema,
    recovery: {
      targets: (a) => [a],
      list: async (run, a, options) =>
        (await run(listClusterMasterSnapshotTasks, { clusterId: a.clusterId }, options)).items,
      createdAt: (task) => task.metadata.creationTimestamp,
      match: (task) => task,
      toResult: ([task]): CceSnapshotCreated => ({ uid: task.metadata.uid }),
    },
  }),
  /** ListClusterMasterSnapshotTasks (API v3.1): the cluster's snapshot tasks, each with `status.phase`. */
  listClusterMasterSnapshotTasks,
} satisfies Record<Uncapitalize<CceOperation>, Operation<never, unknown>>;

/** The identity behind a CCE client's requests: its credentials and project. */
function cceAccount(config: CceConfig): string {
  const { credentials } = config;
  const who =
    credentials.kind === "aksk"
      ? credentials.accessKey
      : credentials.kind === "token"
        ? credentials.token
        : `${credentials.domainName}/${credentials.userName}`;
  return accountKey("huawei", credentials.kind, who, config.projectId);
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
  const { transport, now, explicit } = clientBasics<CceSettings>(
    options,
    "createCceClient",
    CCE_OPTIONS_SCHEMA,
    CCE_SETTING_KEYS,
  );
  return assembleClient<CceOperation, CceClient, { config: CceConfig; auth: CceRequestAuth }>({
    cloud: "CCE",
    operations: CCE_OPERATIONS,
    routes: CCE_ROUTES,
    transport,
    now,
    resolve: () => {
      const config = resolveCceConfig(explicit, options.pulumiConfig, options.env ?? process.env);
      return { config, auth: createCceRequestAuth(config, { transport, clock: { now } }) };
    },
    deps: ({ config, auth }) => ({
      sign: auth,
      account: cceAccount(config),
      ...(config.rateLimit === undefined ? {} : { rateLimit: config.rateLimit }),
      // Only an IAM token fetched with a password can be refreshed; AK/SK and fixed tokens cannot.
      onUnauthorized: () => {
        if (config.credentials.kind !== "password") return false;
        auth.invalidate();
        return true;
      },
    }),
    target: ({ config }, _operation, route, request) => ({
      url: buildUrl(
        config.endpoint,
        route,
        { project_id: config.projectId, ...request.pathParams },
        request.query,
      ),
      // CCE declares Content-Type mandatory on every operation, GET included.
      headers: { "content-type": "application/json" },
    }),
    credentialSources: ({ config }) => config.credentialSources,
    // IAM grants CCE permissions per project, and another account's project is refused the same way.
    permissionScope: ({ config }) => `project ${config.projectId}`,
    getters: { region: ({ config }) => config.region, projectId: ({ config }) => config.projectId },
  });
}
