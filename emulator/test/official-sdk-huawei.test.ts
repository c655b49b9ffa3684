/**
 * The official Huawei SDK core (`@huaweicloud/huaweicloud-sdk-core`, whose client signs every call)
 * against the emulator: every CCE operation, the IAM project lookup, and tampered, expired and
 * wrongly-keyed requests. ListAddonInstances is called as the Go SDK's request definition has it
 * (GenReqDefForListAddonInstances: `GET /api/v3/addons`, `cluster_id` in the query, no project in
 * the path); the SDK's `BasicCredentials` put the project in a signed `X-Project-Id` header, which
 * is how the emulator finds the caller's project for that route.
 */
import { type RunningEmulator } from "../src";
import { emulatorPerTest } from "./helpers/emulator";
import { HW, callHuawei, huaweiClient, huaweiFailure, type HuaweiResult } from "./helpers/official-sdks";
import { control } from "./helpers/http";
import { startTamperingProxy } from "./helpers/tampering-proxy";

const perTest = emulatorPerTest();
let emulator: RunningEmulator;
beforeEach(async () => {
  emulator = await perTest.start();
});
const id = perTest.id;

const CLUSTER = "/api/v3/projects/{project_id}/clusters/{cluster_id}";
const GO_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)? \+0000 UTC$/;

type Json = Record<string, unknown>;
const at = (value: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>(
    (v, k) => (v === null || typeof v !== "object" ? undefined : (v as Record<string | number, unknown>)[k]),
    value,
  );

function get(
  client: ReturnType<typeof huaweiClient>,
  clusterName: string,
  suffix = "",
  query?: Record<string, string>,
): Promise<HuaweiResult> {
  return callHuawei(client, {
    method: "GET",
    path: `${CLUSTER}${suffix}`,
    pathParams: { cluster_id: id(clusterName) },
    ...(query === undefined ? {} : { query }),
  });
}

async function pollUntil(
  read: () => Promise<HuaweiResult>,
  done: (r: HuaweiResult) => boolean,
  maxPolls = 6,
): Promise<HuaweiResult[]> {
  const seen: HuaweiResult[] = [];
  for (let i = 0; i < maxPolls; i++) {
    const result = await read();
    seen.push(result);
    if (done(result)) return seen;
  }
  throw new Error(`not done after ${maxPolls} polls`);
}

describe("seed operations", () => {
  it("ListAddonPrecheckTasks: cce-blocked's coredns check has the vendor example's Fatal and Warning risks", async () => {
    const client = huaweiClient(emulator.url);
    const result = await get(client, "cce-blocked", "/addons/precheck/tasks", { type: "addonUpgrade" });
    expect(result).toMatchObject({
      httpStatusCode: 200,
      kind: "AddonCheck",
      apiVersion: "v3",
      pageInfo: { currentCount: 1 },
    });
    const items = result["items"] as Json[];
    expect(Array.isArray(items)).toBe(true);
    const task = items[0]!;
    expect(task["metadata"]).toMatchObject({
      type: "addonUpgrade",
      addonTemplateName: "coredns",
      addonInstanceName: "cceaddon-coredns",
    });
    expect(at(task, "metadata", "createTimeStamp")).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+08:00$/,
    );
    expect(at(task, "metadata", "expireTimeStamp")).toEqual(expect.any(String));
    expect(at(task, "status", "status")).toBe("Failed");
    const risks = at(task, "status", "riskList") as Json[];
    expect(risks.map((r) => [r["riskName"], r["level"], r["status"]])).toEqual([
      ["AddonStatus", "Warning", "Failed"],
      ["AddonValidate", "Fatal", "Failed"],
    ]);
    expect(risks[0]?.["message"]).toBe("addon status(abnormal) is not running");
    // The vendor example's message, verbatim (its trailing space too).
    expect(risks[1]?.["message"]).toBe(
      "configmap coredns had been modified, failed to ensure the consistency of corefile between current and " +
        "recorded, the manually modified configuration by user may be lost if upgrade continue: 1. rollback " +
        "current corefile; 2. set parameterSyncStrategy to force to force take over; 3. set " +
        "parameterSyncStrategy to inherit to auto inherit your configuration; ",
    );
    expect(task["riskList"]).toBeUndefined();
  });

  it("ListAddonPrecheckTasks filters by task_id, addon_instance_id and type", async () => {
    const client = huaweiClient(emulator.url);
    const all = await get(client, "cce-ready", "/addons/precheck/tasks");
    const task = (all["items"] as Json[])[0]!;
    const taskId = at(task, "metadata", "taskID") as string;
    const instanceId = at(task, "metadata", "addonInstanceID") as string;
    expect(at(task, "status", "status")).toBe("Success");
    expect(
      ((await get(client, "cce-ready", "/addons/precheck/tasks", { task_id: taskId }))["items"] as Json[])
        .length,
    ).toBe(1);
    expect(
      ((await get(client, "cce-ready", "/addons/precheck/tasks", { task_id: "nope" }))["items"] as Json[])
        .length,
    ).toBe(0);
    expect(
      (
        (await get(client, "cce-ready", "/addons/precheck/tasks", { addon_instance_id: instanceId }))[
          "items"
        ] as Json[]
      ).length,
    ).toBe(1);
    const statics = await get(client, "cce-ready", "/addons/precheck/tasks", { type: "addonStatic" });
    expect(statics).toMatchObject({ items: [], pageInfo: { currentCount: 0 } });
  });

  it("ShowUpgradeWorkFlow follows create workflow → precheck → fresh PreCheck point with expiry", async () => {
    const client = huaweiClient(emulator.url);
    const created = await callHuawei(client, {
      method: "POST",
      path: `${CLUSTER}/operation/upgradeworkflows`,
      pathParams: { cluster_id: id("cce-ready") },
      body: {
        kind: "WorkFlowTask",
        apiVersion: "v3",
        spec: { clusterID: id("cce-ready"), clusterVersion: "v1.29.5-r0", targetVersion: "v1.30" },
      },
    });
    expect(created.httpStatusCode).toBe(201);
    expect(created).toMatchObject({
      kind: "WorkFlowTask",
      spec: { clusterVersion: "v1.29.5-r0", targetVersion: "v1.30.0-r0" },
      status: { phase: "Init" },
    });
    const workflowId = at(created, "metadata", "uid") as string;
    const precheck = await callHuawei(client, {
      method: "POST",
      path: `${CLUSTER}/operation/precheck`,
      pathParams: { cluster_id: id("cce-ready") },
      body: {
        apiVersion: "v3",
        kind: "PreCheckTask",
        spec: { clusterID: id("cce-ready"), clusterVersion: "v1.29.5-r0", targetVersion: "v1.30.0-r0" },
      },
    });
    const precheckId = at(precheck, "metadata", "uid") as string;
    const polls = await pollUntil(
      () => get(client, "cce-ready", `/operation/precheck/tasks/${precheckId}`),
      (r) => at(r, "status", "phase") === "Success",
    );
    expect(polls.map((p) => at(p, "status", "phase"))).toEqual(["Running", "Success"]);
    const warning = at(polls[1], "status", "nodeCheckStatus", "nodeStageStatus", 0, "itemsStatus", 0) as Json;
    expect(warning).toMatchObject({ level: "Warning", phase: "Failed", group: "NodeCheck", kind: "Risk" });
    const workflow = await get(client, "cce-ready", `/operation/upgradeworkflows/${workflowId}`);
    expect(workflow).toMatchObject({ kind: "WorkFlowTask", apiVersion: "v3", status: { phase: "Running" } });
    expect(at(workflow, "metadata", "creationTimestamp")).toMatch(GO_TIME);
    const points = at(workflow, "status", "pointStatuses") as Json[];
    expect(points.map((p) => p["taskType"])).toEqual(["PreCheck", "Snapshot", "Cluster", "PostCheck"]);
    expect(points[0]).toMatchObject({ taskType: "PreCheck", taskID: precheckId, status: "Success" });
    const end = Date.parse(String(points[0]!["endTimeStamp"]).replace(" +0000 UTC", "Z").replace(" ", "T"));
    const expire = Date.parse(
      String(points[0]!["expireTimeStamp"]).replace(" +0000 UTC", "Z").replace(" ", "T"),
    );
    expect(expire - end).toBe(3_600_000);
    expect(points[1]).toEqual({ taskType: "Snapshot" });
    expect(at(workflow, "status", "lineStatuses", 0)).toEqual({
      startPoint: { taskType: "PreCheck" },
      endPoint: { taskType: "Cluster" },
    });
  });
});

describe("the other CCE operations through the SDK", () => {
  it("ShowPreCheck / ListPreCheckTasks: cce-blocked's precheck Failed with a Fatal item; cce-unchecked has none", async () => {
    const client = huaweiClient(emulator.url);
    const list = await get(client, "cce-blocked", "/operation/precheck/tasks");
    const items = list["items"] as Json[];
    expect(items).toHaveLength(1);
    const shown = await get(
      client,
      "cce-blocked",
      `/operation/precheck/tasks/${at(items[0], "metadata", "uid") as string}`,
    );
    expect(at(shown, "status", "phase")).toBe("Failed");
    const fatal = at(shown, "status", "addonCheckStatus", "itemsStatus", 0) as Json;
    expect(fatal).toMatchObject({ level: "Fatal", phase: "Failed", kind: "Exception", group: "AddonCheck" });
    expect(
      ((await get(client, "cce-unchecked", "/operation/precheck/tasks"))["items"] as Json[]).length,
    ).toBe(0);
  });

  it("BatchCreateAddonPrecheck creates a task ListAddonPrecheckTasks finds by id", async () => {
    const client = huaweiClient(emulator.url);
    const existing = (await get(client, "cce-unchecked", "/addons/precheck/tasks"))["items"] as Json[];
    expect(existing).toHaveLength(0);
    const info = await get(client, "cce-unchecked");
    expect(info).toMatchObject({
      kind: "Cluster",
      spec: { version: "v1.29.5-r0" },
      status: { phase: "Available" },
    });
    // The add-on instance id comes from the cluster's add-on list (here: the state dump).
    const { body: state } = await control<{
      state: { clusters: Array<{ id: string; addons: Array<{ id: string }> }> };
    }>(emulator.url, "GET", "state");
    const addonId = state.state.clusters.find((c) => c.id === id("cce-unchecked"))!.addons[0]!.id;
    const created = await callHuawei(client, {
      method: "POST",
      path: `${CLUSTER}/addons/precheck`,
      pathParams: { cluster_id: id("cce-unchecked") },
      body: {
        kind: "AddonCheck",
        apiVersion: "v3",
        spec: {
          clusterID: id("cce-unchecked"),
          addonList: [
            {
              addonTemplateName: "coredns",
              addonInstanceID: addonId,
              targetVersion: "1.30.1",
              type: "addonUpgrade",
              values: {},
            },
          ],
        },
      },
    });
    const taskId = at(created, "status", "items", 0, "metadata", "taskID") as string;
    expect(taskId).toMatch(/^[0-9a-f-]{36}$/);
    const found = await get(client, "cce-unchecked", "/addons/precheck/tasks", { task_id: taskId });
    expect(at(found, "items", 0, "metadata", "taskID")).toBe(taskId);
  });

  it("UpgradeCluster → ShowUpgradeClusterTask Success → ShowCluster and ShowClusterUpgradeInfo show the new version", async () => {
    const client = huaweiClient(emulator.url);
    const upgrade = await callHuawei(client, {
      method: "POST",
      path: `${CLUSTER}/operation/upgrade`,
      pathParams: { cluster_id: id("cce-ready") },
      body: {
        metadata: { kind: "UpgradeTask", apiVersion: "v3" },
        spec: {
          clusterUpgradeAction: {
            targetVersion: "v1.30",
            strategy: { type: "inPlaceRollingUpdate", inPlaceRollingUpdate: { userDefinedStep: 20 } },
          },
        },
      },
    });
    const taskId = at(upgrade, "metadata", "uid") as string;
    expect(at(upgrade, "spec", "clusterUpgradeAction")).toMatchObject({
      version: "v1.29.5-r0",
      targetVersion: "v1.30.0-r0",
    });
    expect(at(await get(client, "cce-ready"), "status", "phase")).toBe("Upgrading");
    const polls = await pollUntil(
      () => get(client, "cce-ready", `/operation/upgrade/tasks/${taskId}`),
      (r) => at(r, "status", "phase") === "Success",
    );
    expect(polls.map((p) => at(p, "status", "phase"))).toEqual(["Running", "Running", "Success"]);
    expect(at(polls[2], "status", "progress")).toBe("100%");
    const cluster = await get(client, "cce-ready");
    expect(cluster).toMatchObject({ spec: { version: "v1.30.0-r0" }, status: { phase: "Available" } });
    const upgradeInfo = await get(client, "cce-ready", "/upgradeinfo");
    expect(at(upgradeInfo, "spec", "versionInfo")).toMatchObject({
      release: "v1.30.0",
      patch: "r0",
      targetVersions: [],
    });
    expect(at(upgradeInfo, "spec", "lastUpgradeInfo", "phase")).toBe("Success");
    const tasks = await get(client, "cce-ready", "/operation/upgrade/tasks");
    expect((tasks["items"] as Json[]).map((t) => at(t, "metadata", "uid"))).toEqual([taskId]);
  });

  it("UpgradeWorkFlowUpdate cancels an Init workflow (PATCH) and ListUpgradeWorkFlows lists it", async () => {
    const client = huaweiClient(emulator.url);
    const created = await callHuawei(client, {
      method: "POST",
      path: `${CLUSTER}/operation/upgradeworkflows`,
      pathParams: { cluster_id: id("cce-unchecked") },
      body: { kind: "WorkFlowTask", apiVersion: "v3", spec: { targetVersion: "v1.30" } },
    });
    const workflowId = at(created, "metadata", "uid") as string;
    const cancelled = await callHuawei(client, {
      method: "PATCH",
      path: `${CLUSTER}/operation/upgradeworkflows/{upgrade_workflow_id}`,
      pathParams: { cluster_id: id("cce-unchecked"), upgrade_workflow_id: workflowId },
      body: { status: { phase: "Cancel" } },
    });
    expect(at(cancelled, "status", "phase")).toBe("Cancel");
    const list = await get(client, "cce-unchecked", "/operation/upgradeworkflows");
    expect(list).toMatchObject({ kind: "List", apiVersion: "v3" });
    expect((list["items"] as Json[]).map((w) => at(w, "status", "phase"))).toEqual(["Cancel"]);
  });

  it("ListClusters lists the project's CCE clusters", async () => {
    const client = huaweiClient(emulator.url);
    const list = await callHuawei(client, { method: "GET", path: "/api/v3/projects/{project_id}/clusters" });
    expect((list["items"] as Json[]).map((c) => at(c, "metadata", "name")).sort()).toEqual([
      "cce-blocked",
      "cce-ready",
      "cce-unchecked",
    ]);
  });

  it("without a project id the SDK finds it through the emulated IAM (GET /v3/projects, signed)", async () => {
    const client = huaweiClient(emulator.url, { projectId: null, region: true });
    const list = await callHuawei(client, { method: "GET", path: "/api/v3/projects/{project_id}/clusters" });
    expect((list["items"] as Json[]).length).toBe(3);
    expect(emulator.control.requests().map((r) => `${r.operation} ${r.status}`)).toEqual([
      "KeystoneListProjects 200",
      "ListClusters 200",
    ]);
  });

  it("unknown clusters and tasks answer 404 with a CCE code and the X-Request-Id", async () => {
    const client = huaweiClient(emulator.url);
    const failure = await huaweiFailure(
      callHuawei(client, {
        method: "GET",
        path: CLUSTER,
        pathParams: { cluster_id: "00000000-0000-4000-8000-000000000000" },
      }),
    );
    expect(failure.httpStatusCode).toBe(404);
    expect(failure.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(emulator.control.requests({ limit: 1 })[0]).toMatchObject({
      errorCode: "CCE.01404001",
      requestId: failure.requestId,
    });
    const task = await huaweiFailure(get(client, "cce-ready", "/operation/precheck/tasks/nope"));
    expect(task.httpStatusCode).toBe(404);
    expect(emulator.control.requests({ limit: 1 })[0]?.errorCode).toBe("CCE.01404002");
  });
});

describe("authentication failures", () => {
  it("a wrong secret key or an unknown access key is APIGW.0301 (401)", async () => {
    const wrong = await huaweiFailure(get(huaweiClient(emulator.url, { sk: "not-the-secret" }), "cce-ready"));
    expect(wrong).toMatchObject({ httpStatusCode: 401, errorCode: "APIGW.0301" });
    expect(wrong.errorMsg).toMatch(/verify aksk signature fail/);
    const unknown = await huaweiFailure(get(huaweiClient(emulator.url, { ak: "NOBODY" }), "cce-ready"));
    expect(unknown).toMatchObject({ httpStatusCode: 401, errorCode: "APIGW.0301" });
  });

  it("an X-Sdk-Date 20 minutes old is refused; virtual time jumps do not matter", async () => {
    const client = huaweiClient(emulator.url);
    const old = new Date(Date.now() - 20 * 60_000)
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "");
    const failure = await huaweiFailure(
      callHuawei(client, {
        method: "GET",
        path: CLUSTER,
        pathParams: { cluster_id: id("cce-ready") },
        headers: { "X-Sdk-Date": old },
      }),
    );
    expect(failure).toMatchObject({ httpStatusCode: 401, errorCode: "APIGW.0301" });
    expect(failure.errorMsg).toMatch(/expired/);
    emulator.control.advanceClock(3 * 3_600_000);
    expect((await get(client, "cce-ready")).httpStatusCode).toBe(200);
  });

  it("a request changed in flight after signing is refused", async () => {
    const proxy = await startTamperingProxy(emulator.url, (r) => {
      r.path = r.path.replace("type=addonUpgrade", "type=addonStatic");
    });
    try {
      const failure = await huaweiFailure(
        get(huaweiClient(proxy.url), "cce-blocked", "/addons/precheck/tasks", { type: "addonUpgrade" }),
      );
      expect(failure).toMatchObject({ httpStatusCode: 401, errorCode: "APIGW.0301" });
    } finally {
      await proxy.close();
    }
  });

  it("another account's project is forbidden", async () => {
    const failure = await huaweiFailure(
      callHuawei(huaweiClient(emulator.url, { projectId: "0123456789abcdef0123456789abcdef" }), {
        method: "GET",
        path: "/api/v3/projects/{project_id}/clusters",
      }),
    );
    expect(failure).toMatchObject({ httpStatusCode: 403, errorCode: "APIGW.0302" });
  });

  it("uses the documented default credentials", () => {
    expect(emulator.control.accounts().huawei[0]).toMatchObject({
      accessKey: HW.ak,
      secretKey: HW.sk,
      projects: [{ id: HW.projectId, region: HW.region }],
    });
  });
});

const listAddons = (client: ReturnType<typeof huaweiClient>, query: Record<string, string>) =>
  callHuawei(client, { method: "GET", path: "/api/v3/addons", query });

describe("ListAddonInstances with the official SDK", () => {
  it("lists cce-blocked's add-ons with their versions; the SDK's signature and X-Project-Id are accepted", async () => {
    const result = await listAddons(huaweiClient(emulator.url), { cluster_id: id("cce-blocked") });
    expect(result).toMatchObject({ httpStatusCode: 200, kind: "Addon", apiVersion: "v3" });
    const items = result["items"] as Json[];
    expect(
      items.map((item) => [(item["spec"] as Json)["addonTemplateName"], (item["spec"] as Json)["version"]]),
    ).toEqual([
      ["coredns", "1.29.4"],
      ["everest", "2.4.52"],
    ]);
    expect(emulator.control.requests({ limit: 1 })[0]).toMatchObject({
      operation: "ListAddonInstances",
      status: 200,
      auth: "SDK-HMAC-SHA256",
      account: "default",
    });
  });

  it("the hidden addon_template_name parameter filters", async () => {
    const result = await listAddons(huaweiClient(emulator.url), {
      cluster_id: id("cce-blocked"),
      addon_template_name: "coredns",
    });
    expect((result["items"] as Json[]).map((item) => (item["metadata"] as Json)["name"])).toEqual([
      "cceaddon-coredns",
    ]);
  });

  it("without a project id the SDK finds it through IAM first, then sends it as X-Project-Id", async () => {
    const client = huaweiClient(emulator.url, { projectId: null, region: true });
    const result = await listAddons(client, { cluster_id: id("cce-ready") });
    expect((result["items"] as Json[]).length).toBe(1);
    // The SDK caches the project it looked up per AK and region for the process: an earlier test of
    // this file may have made the IAM call already, so it is there at most once, and first.
    const served = emulator.control.requests().map((r) => `${r.operation} ${r.status}`);
    expect(served.at(-1)).toBe("ListAddonInstances 200");
    expect(served.slice(0, -1).every((op) => op === "KeystoneListProjects 200")).toBe(true);
    expect(served.length).toBeLessThanOrEqual(2);
  });

  it("an unknown cluster is 404 CCE.01404001; a missing cluster_id is 400 CCE.01400001", async () => {
    const client = huaweiClient(emulator.url);
    const unknown = await huaweiFailure(
      listAddons(client, { cluster_id: "00000000-0000-4000-8000-000000000000" }),
    );
    expect(unknown.httpStatusCode).toBe(404);
    expect(unknown.requestId).toMatch(/^[0-9a-f]{32}$/);
    // The SDK core reads only the gateway's error_code; the CCE code is in the request log.
    expect(emulator.control.requests({ limit: 1 })[0]).toMatchObject({
      errorCode: "CCE.01404001",
      requestId: unknown.requestId,
    });
    const missing = await huaweiFailure(listAddons(client, {}));
    expect(missing.httpStatusCode).toBe(400);
    expect(emulator.control.requests({ limit: 1 })[0]?.errorCode).toBe("CCE.01400001");
  });

  it("another account's project id in the credentials is refused (403 APIGW.0302)", async () => {
    await emulator.control.loadScenario("multi-account");
    const cluster = emulator.control.clusters().find((c) => c.name === "cce-a");
    const failure = await huaweiFailure(
      listAddons(huaweiClient(emulator.url, { projectId: "ugemuprojectb000000000000000000b" }), {
        cluster_id: cluster!.id,
      }),
    );
    expect(failure).toMatchObject({ httpStatusCode: 403, errorCode: "APIGW.0302" });
  });
});
