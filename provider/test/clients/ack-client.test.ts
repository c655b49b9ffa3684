/**
 * One test per ACK method: the request sent (method, path, query, body, ROA headers) and the
 * parsed, normalized result, against an undici MockAgent that refuses real network.
 */
import { type MockAgent } from "undici";
import { type AckClient } from "../../src/clients/ack/client";
import { ackNodePoolVersion } from "../../src/clients/ack/schemas";
import {
  ACK_CLUSTER_ID,
  ACK_ORIGIN,
  JSON_HEADERS,
  SECRETS,
  ackTestClient,
  fixtureText,
  newMockAgent,
  pathIs,
  recordedCalls,
} from "./helpers";

let agent: MockAgent;
let client: AckClient;

beforeEach(() => {
  agent = newMockAgent();
  client = ackTestClient(agent);
});

afterEach(async () => {
  await client.close();
  await agent.close();
});

function reply(method: string, path: string, body: string, status = 200): void {
  agent
    .get(ACK_ORIGIN)
    .intercept({ method, path: pathIs(path) })
    .reply(status, body, { headers: { ...JSON_HEADERS, "x-acs-request-id": "req-ack-1" } });
}

function replyFixture(method: string, path: string, fixtureName: string): void {
  reply(method, path, fixtureText("ack", fixtureName));
}

function onlyCall() {
  const calls = recordedCalls(agent);
  expect(calls).toHaveLength(1);
  return calls[0]!;
}

const CLUSTER_PATH = `/clusters/${ACK_CLUSTER_ID}`;

describe("ACK client requests and results", () => {
  it("every request names its action and version and is ACS3-signed with the STS token", async () => {
    replyFixture("GET", `${CLUSTER_PATH}/checks/chk-1`, "get-cluster-check.seed.json");
    await client.getClusterCheck({ clusterId: ACK_CLUSTER_ID, checkId: "chk-1" });
    const { headers } = onlyCall();
    expect(headers["x-acs-action"]).toBe("GetClusterCheck");
    expect(headers["x-acs-version"]).toBe("2015-12-15");
    expect(headers["x-acs-date"]).toBe("2025-08-05T09:10:44Z");
    expect(headers["x-acs-security-token"]).toBe(SECRETS.ackSecurityToken);
    expect(headers["authorization"]).toMatch(
      new RegExp(
        `^ACS3-HMAC-SHA256 Credential=${SECRETS.ackAccessKeyId},SignedHeaders=[a-z0-9;-]+,Signature=[0-9a-f]{64}$`,
      ),
    );
  });

  it("runClusterCheck: POST type + options, JSON content type", async () => {
    replyFixture("POST", `${CLUSTER_PATH}/checks`, "run-cluster-check.json");
    const result = await client.runClusterCheck({
      clusterId: ACK_CLUSTER_ID,
      type: "ClusterUpgrade",
      options: { next_version: "1.32.1-aliyun.1" },
    });
    const call = onlyCall();
    expect(call.method).toBe("POST");
    expect(call.body).toEqual({ type: "ClusterUpgrade", options: { next_version: "1.32.1-aliyun.1" } });
    expect(call.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(call.headers["x-acs-action"]).toBe("RunClusterCheck");
    expect(result.check_id).toMatch(/-clustercheck-abcde$/);
    expect(result.recovered).toBeUndefined();
  });

  it("listClusterChecks: GET with type and target filters", async () => {
    replyFixture("GET", `${CLUSTER_PATH}/checks`, "list-cluster-checks.json");
    const result = await client.listClusterChecks({
      clusterId: ACK_CLUSTER_ID,
      type: "NodePoolUpgrade",
      target: "np-1",
    });
    const call = onlyCall();
    expect(call.method).toBe("GET");
    expect(call.query).toEqual({ type: "NodePoolUpgrade", target: "np-1" });
    expect(call.body).toBeUndefined();
    expect(result.checks.map((check) => check.status)).toEqual(["Failed", "Succeeded"]);
    expect(result.checks[0]?.created_at).toBe("2025-08-05T09:10:44.648Z");
  });

  it("getClusterCheck: GET by check id, items grouped by category", async () => {
    replyFixture("GET", `${CLUSTER_PATH}/checks/chk-1`, "get-cluster-check.items.json");
    const result = await client.getClusterCheck({ clusterId: ACK_CLUSTER_ID, checkId: "chk-1" });
    expect(onlyCall().path).toBe(`${CLUSTER_PATH}/checks/chk-1`);
    expect(Object.keys(result.check_items)).toEqual(["Cluster Components", "Cluster Resources"]);
    // Items are kept exactly as sent (their schema is undocumented).
    expect(result.check_items["Cluster Components"]?.[0]).toMatchObject({ name: "Deprecated API" });
  });

  it("describeClusterDetail: GET /clusters/{id}", async () => {
    replyFixture("GET", CLUSTER_PATH, "describe-cluster-detail.json");
    const result = await client.describeClusterDetail({ clusterId: ACK_CLUSTER_ID });
    expect(onlyCall().headers["x-acs-action"]).toBe("DescribeClusterDetail");
    expect(result).toMatchObject({
      current_version: "1.31.1-aliyun.1",
      next_version: "1.32.1-aliyun.1",
      state: "running",
    });
    expect(result.created).toBe("2025-04-07T01:57:26.000Z");
    expect(result["vpc_id"]).toBe("vpc-bp1");
  });

  it("describeClustersV1: GET /api/v1/clusters with name, page_size, page_number", async () => {
    replyFixture("GET", "/api/v1/clusters", "describe-clusters-v1.json");
    const result = await client.describeClustersV1({ name: "prod hz", pageSize: 10, pageNumber: 1 });
    const call = onlyCall();
    expect(call.path).toBe("/api/v1/clusters");
    expect(call.query).toEqual({ name: "prod hz", page_size: "10", page_number: "1" });
    expect(result.clusters[0]?.name).toBe("prod-hz");
    expect(result.page_info?.total_count).toBe(1);
  });

  it("getUpgradeStatus (deprecated): GET /api/v2/clusters/{id}/upgrade/status", async () => {
    replyFixture("GET", `/api/v2${CLUSTER_PATH}/upgrade/status`, "get-upgrade-status.seed.json");
    const result = await client.getUpgradeStatus({ clusterId: ACK_CLUSTER_ID });
    expect(onlyCall().method).toBe("GET");
    expect(result.upgrade_step).toBe("prechecking");
  });

  it("describeTaskInfo: GET /tasks/{id}", async () => {
    replyFixture("GET", "/tasks/T-5faa48fb31b6b8078d000006", "describe-task-info.state-failed.json");
    const result = await client.describeTaskInfo({ taskId: "T-5faa48fb31b6b8078d000006" });
    expect(onlyCall().path).toBe("/tasks/T-5faa48fb31b6b8078d000006");
    expect(result.state).toBe("fail");
    expect(result.error?.code).toBe("400");
  });

  it("upgradeCluster: POST next_version and master_only", async () => {
    replyFixture("POST", `/api/v2${CLUSTER_PATH}/upgrade`, "upgrade-cluster.json");
    const result = await client.upgradeCluster({
      clusterId: ACK_CLUSTER_ID,
      nextVersion: "1.32.1-aliyun.1",
      masterOnly: true,
    });
    const call = onlyCall();
    expect(call.method).toBe("POST");
    expect(call.body).toEqual({ next_version: "1.32.1-aliyun.1", master_only: true });
    expect(result.task_id).toBe("T-6a1b2c3d4e5f600000000001");
  });

  it("cancelTask: POST /tasks/{id}/cancel with no body; an empty answer resolves to {}", async () => {
    reply("POST", "/tasks/T-1/cancel", "");
    const result = await client.cancelTask({ taskId: "T-1" });
    const call = onlyCall();
    expect(call.method).toBe("POST");
    expect(call.body).toBeUndefined();
    expect(result).toEqual({});
  });

  it("describeClusterTasks: GET with paging query", async () => {
    replyFixture("GET", `${CLUSTER_PATH}/tasks`, "describe-cluster-tasks.json");
    const result = await client.describeClusterTasks({
      clusterId: ACK_CLUSTER_ID,
      pageNumber: 2,
      pageSize: 20,
    });
    expect(onlyCall().query).toEqual({ page_number: "2", page_size: "20" });
    expect(result.tasks.map((task) => task.state)).toEqual(["running", "fail"]);
  });

  // Bodies shaped after the SDK's DescribeClusterNodePoolDetailResponseBody (docs/ack.md#node-pools).
  const POOL = {
    nodepool_info: { nodepool_id: "np-1", name: "workers", created: "2025-04-07T09:57:26+08:00" },
    status: { state: "active", total_nodes: 3 },
    kubernetes_config: { runtime: "containerd", runtime_version: "1.6.28" },
    node_components: [{ name: "kubelet", version: "1.31.1-aliyun.1", config: {} }],
  };

  it("describeClusterNodePools: GET /clusters/{id}/nodepools with NodepoolName", async () => {
    reply("GET", `${CLUSTER_PATH}/nodepools`, JSON.stringify({ nodepools: [POOL] }));
    const result = await client.describeClusterNodePools({
      clusterId: ACK_CLUSTER_ID,
      nodepoolName: "workers",
    });
    const call = onlyCall();
    expect(call.headers["x-acs-action"]).toBe("DescribeClusterNodePools");
    expect(call.query).toEqual({ NodepoolName: "workers" });
    expect(result.nodepools[0]?.nodepool_info.created).toBe("2025-04-07T01:57:26.000Z");
  });

  it("describeClusterNodePoolDetail: GET /clusters/{id}/nodepools/{pool}; the kubelet component is the pool's version", async () => {
    reply("GET", `${CLUSTER_PATH}/nodepools/np-1`, JSON.stringify(POOL));
    const result = await client.describeClusterNodePoolDetail({
      clusterId: ACK_CLUSTER_ID,
      nodepoolId: "np-1",
    });
    expect(onlyCall().headers["x-acs-action"]).toBe("DescribeClusterNodePoolDetail");
    expect(ackNodePoolVersion(result)).toBe("1.31.1-aliyun.1");
    expect(
      ackNodePoolVersion({ node_components: [{ name: "kube-proxy", version: "1.31.1" }] }),
    ).toBeUndefined();
  });

  it("upgradeClusterNodepool: POST kubernetes_version (and the options given) to .../nodepools/{pool}/upgrade", async () => {
    reply(
      "POST",
      `${CLUSTER_PATH}/nodepools/np-1/upgrade`,
      JSON.stringify({ task_id: "T-5fd211e924e1d0078700", RequestId: "2D69A58F" }),
    );
    const result = await client.upgradeClusterNodepool({
      clusterId: ACK_CLUSTER_ID,
      nodepoolId: "np-1",
      kubernetesVersion: "1.32.1-aliyun.1",
      ignoreWarningCheck: false,
    });
    const call = onlyCall();
    expect(call.headers["x-acs-action"]).toBe("UpgradeClusterNodepool");
    expect(call.body).toEqual({ kubernetes_version: "1.32.1-aliyun.1", ignore_warning_check: false });
    expect(result.task_id).toBe("T-5fd211e924e1d0078700");
  });

  it("the legacy HMAC-SHA1 signature is used when configured", async () => {
    await client.close();
    client = ackTestClient(agent, { signatureAlgorithm: "HMAC-SHA1" });
    replyFixture("GET", CLUSTER_PATH, "describe-cluster-detail.json");
    await client.describeClusterDetail({ clusterId: ACK_CLUSTER_ID });
    expect(onlyCall().headers["authorization"]).toMatch(
      new RegExp(`^acs ${SECRETS.ackAccessKeyId}:[A-Za-z0-9+/=]+$`),
    );
  });
});
