/**
 * The CCE route table (docs/cce.md#operations): operation name → method + path template.
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
 * @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/nodes
 * @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/nodepools
 * @API CCE POST /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/postcheck
 * @API CCE POST /api/v3.1/projects/{project_id}/clusters/{cluster_id}/operation/snapshot
 * @API CCE GET /api/v3.1/projects/{project_id}/clusters/{cluster_id}/operation/snapshot/tasks
 */
import { type Route } from "../common/routes";

const CLUSTER = "/api/v3/projects/{project_id}/clusters/{cluster_id}";
/** The master snapshot operations are API v3.1 (docs/cce.md#snapshot-and-post-check). */
const CLUSTER_V31 = "/api/v3.1/projects/{project_id}/clusters/{cluster_id}";

export const CCE_ROUTES = {
  ListAddonPrecheckTasks: { method: "GET", path: `${CLUSTER}/addons/precheck/tasks` },
  BatchCreateAddonPrecheck: { method: "POST", path: `${CLUSTER}/addons/precheck` },
  CreatePreCheck: { method: "POST", path: `${CLUSTER}/operation/precheck` },
  ShowPreCheck: { method: "GET", path: `${CLUSTER}/operation/precheck/tasks/{task_id}` },
  ListPreCheckTasks: { method: "GET", path: `${CLUSTER}/operation/precheck/tasks` },
  CreateUpgradeWorkFlow: { method: "POST", path: `${CLUSTER}/operation/upgradeworkflows` },
  ListUpgradeWorkFlows: { method: "GET", path: `${CLUSTER}/operation/upgradeworkflows` },
  ShowUpgradeWorkFlow: { method: "GET", path: `${CLUSTER}/operation/upgradeworkflows/{upgrade_workflow_id}` },
  UpgradeWorkFlowUpdate: {
    method: "PATCH",
    path: `${CLUSTER}/operation/upgradeworkflows/{upgrade_workflow_id}`,
  },
  ShowCluster: { method: "GET", path: CLUSTER },
  ListClusters: { method: "GET", path: "/api/v3/projects/{project_id}/clusters" },
  ShowClusterUpgradeInfo: { method: "GET", path: `${CLUSTER}/upgradeinfo` },
  UpgradeCluster: { method: "POST", path: `${CLUSTER}/operation/upgrade` },
  ShowUpgradeClusterTask: { method: "GET", path: `${CLUSTER}/operation/upgrade/tasks/{task_id}` },
  ListUpgradeClusterTasks: { method: "GET", path: `${CLUSTER}/operation/upgrade/tasks` },
  // Add-on management has no project in the path (`?cluster_id=` instead): the project travels in
  // the signed `X-Project-Id` header (AK/SK) or the token's scope. Huawei Go SDK `cce_meta.go`
  // GenReqDefForListAddonInstances; https://support.huaweicloud.com/intl/en-us/api-cce/cce_02_0326.html
  ListAddonInstances: { method: "GET", path: "/api/v3/addons" },
  ListNodes: { method: "GET", path: `${CLUSTER}/nodes` },
  ListNodePools: { method: "GET", path: `${CLUSTER}/nodepools` },
  CreatePostCheck: { method: "POST", path: `${CLUSTER}/operation/postcheck` },
  CreateClusterMasterSnapshot: { method: "POST", path: `${CLUSTER_V31}/operation/snapshot` },
  ListClusterMasterSnapshotTasks: { method: "GET", path: `${CLUSTER_V31}/operation/snapshot/tasks` },
} as const satisfies Record<string, Route>;

export type CceOperation = keyof typeof CCE_ROUTES;
