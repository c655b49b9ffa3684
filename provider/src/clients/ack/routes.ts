/**
 * The ACK (CS API 2015-12-15, ROA) route table (docs/ack.md#operations): operation name → method + path
 * template. The operation name is also the `x-acs-action` header value.
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
import { type Route } from "../common/routes";

export const ACK_ROUTES = {
  RunClusterCheck: { method: "POST", path: "/clusters/{cluster_id}/checks" },
  ListClusterChecks: { method: "GET", path: "/clusters/{cluster_id}/checks" },
  GetClusterCheck: { method: "GET", path: "/clusters/{cluster_id}/checks/{check_id}" },
  DescribeClusterDetail: { method: "GET", path: "/clusters/{cluster_id}" },
  DescribeClustersV1: { method: "GET", path: "/api/v1/clusters" },
  GetUpgradeStatus: { method: "GET", path: "/api/v2/clusters/{cluster_id}/upgrade/status" },
  DescribeTaskInfo: { method: "GET", path: "/tasks/{task_id}" },
  UpgradeCluster: { method: "POST", path: "/api/v2/clusters/{cluster_id}/upgrade" },
  CancelTask: { method: "POST", path: "/tasks/{task_id}/cancel" },
  DescribeClusterTasks: { method: "GET", path: "/clusters/{cluster_id}/tasks" },
  DescribeKubernetesVersionMetadata: { method: "GET", path: "/api/v1/metadata/versions" },
  DescribeClusterNodePools: { method: "GET", path: "/clusters/{cluster_id}/nodepools" },
  DescribeClusterNodePoolDetail: { method: "GET", path: "/clusters/{cluster_id}/nodepools/{nodepool_id}" },
  UpgradeClusterNodepool: { method: "POST", path: "/clusters/{cluster_id}/nodepools/{nodepool_id}/upgrade" },
} as const satisfies Record<string, Route>;

export type AckOperation = keyof typeof ACK_ROUTES;

/** The CS API version every request names in `x-acs-version`. */
export const ACK_API_VERSION = "2015-12-15";
