/**
 * One test per CCE method: the request sent (method, path, query, body, auth headers) and the
 * parsed, normalized result, against an undici MockAgent that refuses real network.
 */
import { type MockAgent } from "undici";
import { type CceClient } from "../../src/clients/cce/client";
import {
  CCE_CLUSTER_PATH,
  CCE_ORIGIN,
  CLUSTER_ID,
  JSON_HEADERS,
  PROJECT_ID,
  SECRETS,
  cceTestClient,
  fixtureText,
  newMockAgent,
  pathIs,
  recordedCalls,
} from "./helpers";

let agent: MockAgent;
let client: CceClient;

beforeEach(() => {
  agent = newMockAgent();
  client = cceTestClient(agent);
});

afterEach(async () => {
  await client.close();
  await agent.close();
});

function reply(method: string, path: string, fixtureName: string, status = 200): void {
  agent
    .get(CCE_ORIGIN)
    .intercept({ method, path: pathIs(path) })
    .reply(status, fixtureText("cce", fixtureName), {
      headers: { ...JSON_HEADERS, "x-request-id": "req-1" },
    });
}

function onlyCall() {
  const calls = recordedCalls(agent);
  expect(calls).toHaveLength(1);
  return calls[0]!;
}

describe("CCE client requests and results", () => {
  it("listAddonPrecheckTasks: GET with the three filters as query", async () => {
    reply("GET", `${CCE_CLUSTER_PATH}/addons/precheck/tasks`, "list-addon-precheck-tasks.seed.json");
    const result = await client.listAddonPrecheckTasks({
      clusterId: CLUSTER_ID,
      type: "addonUpgrade",
      taskId: "8ca259cc-553b-11e9-926f-0255ac101a31",
      addonInstanceId: "1d43577d-4b50-4723-b05b-2121f47cb219",
    });
    const call = onlyCall();
    expect(call.method).toBe("GET");
    expect(call.query).toEqual({
      type: "addonUpgrade",
      task_id: "8ca259cc-553b-11e9-926f-0255ac101a31",
      addon_instance_id: "1d43577d-4b50-4723-b05b-2121f47cb219",
    });
    expect(call.body).toBeUndefined();
    expect(result.items[0]?.status.riskList.map((risk) => risk.level)).toEqual(["Warning", "Fatal"]);
  });

  it("listAddonPrecheckTasks: no filters, no query string", async () => {
    reply("GET", `${CCE_CLUSTER_PATH}/addons/precheck/tasks`, "list-addon-precheck-tasks.items-array.json");
    const result = await client.listAddonPrecheckTasks({ clusterId: CLUSTER_ID });
    expect(onlyCall().query).toEqual({});
    expect(result.items).toHaveLength(2);
  });

  it("every request is AK/SK-signed with the project header and JSON content type", async () => {
    reply("GET", `${CCE_CLUSTER_PATH}/operation/precheck/tasks`, "list-pre-check-tasks.json");
    await client.listPreCheckTasks({ clusterId: CLUSTER_ID });
    const { headers } = onlyCall();
    expect(headers["authorization"]).toMatch(
      new RegExp(
        `^SDK-HMAC-SHA256 Access=${SECRETS.cceAccessKey}, SignedHeaders=[a-z;-]+, Signature=[0-9a-f]{64}$`,
      ),
    );
    expect(headers["x-project-id"]).toBe(PROJECT_ID);
    expect(headers["x-sdk-date"]).toBe("20250805T091044Z");
    expect(headers["x-security-token"]).toBe(SECRETS.cceSecurityToken);
    expect(headers["content-type"]).toBe("application/json");
  });

  it("batchCreateAddonPrecheck: POST AddonCheck body with vendor field names", async () => {
    reply("POST", `${CCE_CLUSTER_PATH}/addons/precheck`, "batch-create-addon-precheck.json");
    const result = await client.batchCreateAddonPrecheck({
      clusterId: CLUSTER_ID,
      addonList: [
        {
          addonTemplateName: "coredns",
          addonInstanceId: "1d43577d-4b50-4723-b05b-2121f47cb219",
          targetVersion: "3.0.4",
          type: "addonUpgrade",
        },
      ],
    });
    const call = onlyCall();
    expect(call.method).toBe("POST");
    expect(call.body).toEqual({
      kind: "AddonCheck",
      apiVersion: "v3",
      spec: {
        clusterID: CLUSTER_ID,
        addonList: [
          {
            addonTemplateName: "coredns",
            addonInstanceID: "1d43577d-4b50-4723-b05b-2121f47cb219",
            type: "addonUpgrade",
            targetVersion: "3.0.4",
          },
        ],
      },
    });
    expect(result.status?.items?.[0]?.metadata.taskID).toBe("8ca259cc-553b-11e9-926f-0255ac101a31");
    expect(result.recovered).toBeUndefined();
  });

  it("createPreCheck: POST PreCheckTask body, task id in metadata.uid", async () => {
    reply("POST", `${CCE_CLUSTER_PATH}/operation/precheck`, "create-pre-check.json");
    const result = await client.createPreCheck({
      clusterId: CLUSTER_ID,
      clusterVersion: "v1.28.3-r0",
      targetVersion: "v1.29",
      skippedCheckItemList: [
        { name: "NodeKubeletConfig", resourceSelector: { key: "node.uid", values: ["n-1"], operator: "In" } },
      ],
    });
    const call = onlyCall();
    expect(call.method).toBe("POST");
    expect(call.body).toEqual({
      apiVersion: "v3",
      kind: "PreCheckTask",
      spec: {
        clusterID: CLUSTER_ID,
        clusterVersion: "v1.28.3-r0",
        targetVersion: "v1.29",
        skippedCheckItemList: [
          {
            name: "NodeKubeletConfig",
            resourceSelector: { key: "node.uid", values: ["n-1"], operator: "In" },
          },
        ],
      },
    });
    expect(result.metadata.uid).toBe("f61e008c-1600-41c0-9bde-121de5a30660");
    expect(result.status?.phase).toBe("Init");
  });

  it("showPreCheck: GET the task by id (percent-encoded)", async () => {
    reply("GET", `${CCE_CLUSTER_PATH}/operation/precheck/tasks/task%2F1%20x`, "show-pre-check.json");
    const result = await client.showPreCheck({ clusterId: CLUSTER_ID, taskId: "task/1 x" });
    expect(onlyCall().path).toBe(`${CCE_CLUSTER_PATH}/operation/precheck/tasks/task%2F1%20x`);
    expect(result.status.phase).toBe("Failed");
    expect(result.status.clusterCheckStatus?.itemsStatus?.[0]?.level).toBe("Fatal");
    expect(result.metadata.creationTimestamp).toBe("2025-08-05T09:10:44.648Z");
  });

  it("listPreCheckTasks: GET, items as an array", async () => {
    reply("GET", `${CCE_CLUSTER_PATH}/operation/precheck/tasks`, "list-pre-check-tasks.json");
    const result = await client.listPreCheckTasks({ clusterId: CLUSTER_ID });
    expect(onlyCall().method).toBe("GET");
    expect(result.items.map((task) => task.spec?.targetVersion)).toEqual(["v1.29.5-r0", "v1.29"]);
  });

  it("createUpgradeWorkFlow: POST WorkFlowTask body, accepts HTTP 201", async () => {
    reply("POST", `${CCE_CLUSTER_PATH}/operation/upgradeworkflows`, "create-upgrade-workflow.json", 201);
    const result = await client.createUpgradeWorkFlow({
      clusterId: CLUSTER_ID,
      clusterVersion: "v1.28.3-r0",
      targetVersion: "v1.29",
    });
    expect(onlyCall().body).toEqual({
      kind: "WorkFlowTask",
      apiVersion: "v3",
      spec: { clusterID: CLUSTER_ID, clusterVersion: "v1.28.3-r0", targetVersion: "v1.29" },
    });
    expect(result.metadata.uid).toBe("c271e39e-1a6e-4d3d-8fa8-2a36329c68d1");
    expect(result.status?.lineStatuses?.[0]?.critical).toBe(true);
  });

  it("listUpgradeWorkFlows: GET, a single-object items becomes an array", async () => {
    reply(
      "GET",
      `${CCE_CLUSTER_PATH}/operation/upgradeworkflows`,
      "list-upgrade-workflows.items-object.json",
    );
    const result = await client.listUpgradeWorkFlows({ clusterId: CLUSTER_ID });
    expect(onlyCall().method).toBe("GET");
    expect(result.items).toHaveLength(1);
  });

  it("showUpgradeWorkFlow: GET by workflow id", async () => {
    const id = "c271e39e-1a6e-4d3d-8fa8-2a36329c68d1";
    reply("GET", `${CCE_CLUSTER_PATH}/operation/upgradeworkflows/${id}`, "show-upgrade-workflow.seed.json");
    const result = await client.showUpgradeWorkFlow({ clusterId: CLUSTER_ID, upgradeWorkflowId: id });
    expect(onlyCall().path).toBe(`${CCE_CLUSTER_PATH}/operation/upgradeworkflows/${id}`);
    expect(result.status?.phase).toBe("Pending");
  });

  it("upgradeWorkFlowUpdate: PATCH with the cancel body", async () => {
    const id = "c271e39e-1a6e-4d3d-8fa8-2a36329c68d1";
    reply("PATCH", `${CCE_CLUSTER_PATH}/operation/upgradeworkflows/${id}`, "upgrade-workflow-update.json");
    const result = await client.upgradeWorkFlowUpdate({ clusterId: CLUSTER_ID, upgradeWorkflowId: id });
    const call = onlyCall();
    expect(call.method).toBe("PATCH");
    expect(call.body).toEqual({ status: { phase: "Cancel" } });
    expect(result.status?.phase).toBe("Cancel");
  });

  it("showCluster: GET the cluster root with optional query", async () => {
    reply("GET", CCE_CLUSTER_PATH, "show-cluster.json");
    const result = await client.showCluster({ clusterId: CLUSTER_ID, detail: true });
    const call = onlyCall();
    expect(call.path).toBe(CCE_CLUSTER_PATH);
    expect(call.query).toEqual({ detail: "true" });
    expect(result.spec.version).toBe("v1.28.3-r0");
    expect(result.status?.phase).toBe("Available");
    expect(result.metadata.creationTimestamp).toBe("2023-11-20T03:12:45.123Z");
  });

  it("listClusters: GET /clusters of the project, callable with no arguments", async () => {
    reply("GET", `/api/v3/projects/${PROJECT_ID}/clusters`, "list-clusters.json");
    const result = await client.listClusters();
    const call = onlyCall();
    expect(call.path).toBe(`/api/v3/projects/${PROJECT_ID}/clusters`);
    expect(call.query).toEqual({});
    expect(result.items.map((cluster) => cluster.metadata.name)).toEqual(["prod-a", "staging"]);
  });

  it("showClusterUpgradeInfo: GET /upgradeinfo", async () => {
    reply("GET", `${CCE_CLUSTER_PATH}/upgradeinfo`, "show-cluster-upgrade-info.json");
    const result = await client.showClusterUpgradeInfo({ clusterId: CLUSTER_ID });
    expect(onlyCall().method).toBe("GET");
    expect(result.spec.versionInfo?.targetVersions).toEqual(["v1.29", "v1.30"]);
    expect(result.spec.lastUpgradeInfo?.completionTime).toBe("2024-03-02T10:00:00.000Z");
  });

  it("upgradeCluster: POST UpgradeTask body with kind/apiVersion inside metadata", async () => {
    reply("POST", `${CCE_CLUSTER_PATH}/operation/upgrade`, "upgrade-cluster.json");
    const result = await client.upgradeCluster({
      clusterId: CLUSTER_ID,
      targetVersion: "v1.29.5-r0",
      strategy: { type: "inPlaceRollingUpdate", inPlaceRollingUpdate: { userDefinedStep: 20 } },
      isOnlyUpgrade: true,
    });
    expect(onlyCall().body).toEqual({
      metadata: { kind: "UpgradeTask", apiVersion: "v3" },
      spec: {
        clusterUpgradeAction: {
          targetVersion: "v1.29.5-r0",
          strategy: { type: "inPlaceRollingUpdate", inPlaceRollingUpdate: { userDefinedStep: 20 } },
          isOnlyUpgrade: true,
        },
      },
    });
    expect(result.metadata.uid).toBe("6d799ff6-3afe-4242-80b4-6f0a0fa746cb");
  });

  it("showUpgradeClusterTask: GET the upgrade task", async () => {
    const id = "6d799ff6-3afe-4242-80b4-6f0a0fa746cb";
    reply("GET", `${CCE_CLUSTER_PATH}/operation/upgrade/tasks/${id}`, "show-upgrade-cluster-task.json");
    const result = await client.showUpgradeClusterTask({ clusterId: CLUSTER_ID, taskId: id });
    expect(onlyCall().method).toBe("GET");
    expect(result.status).toEqual({ phase: "Running", progress: "40" });
  });

  it("listUpgradeClusterTasks: GET the upgrade tasks", async () => {
    reply("GET", `${CCE_CLUSTER_PATH}/operation/upgrade/tasks`, "list-upgrade-cluster-tasks.json");
    const result = await client.listUpgradeClusterTasks({ clusterId: CLUSTER_ID });
    expect(onlyCall().method).toBe("GET");
    expect(result.items[0]?.metadata.creationTimestamp).toBe("2025-08-05T09:20:00.000Z");
  });
});
