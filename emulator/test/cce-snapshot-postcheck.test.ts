/**
 * The CCE master snapshot (v3.1 CreateClusterMasterSnapshot / ListClusterMasterSnapshotTasks) and
 * the post-upgrade check (CreatePostCheck), driven by the official Huawei SDK core (which signs every
 * call): the snapshot task id in the answer's top-level `uid`, its phase in `status.phase` of the
 * listed task with that `metadata.uid` (what Huawei's Terraform resource waits on), both steps as
 * points of the open upgrade workflow, and the outcomes a scenario sets per target.
 */
import { type RunningEmulator, type ScenarioInput } from "../src";
import { emulatorPerTest } from "./helpers/emulator";
import { callHuawei, huaweiClient, huaweiFailure, type HuaweiResult } from "./helpers/official-sdks";

const V31 = "/api/v3.1/projects/{project_id}/clusters/{cluster_id}";
const V3 = "/api/v3/projects/{project_id}/clusters/{cluster_id}";

const SCENARIO: ScenarioInput = {
  name: "snapshot-postcheck",
  defaults: { checkProgress: { polls: 2 }, upgradeProgress: { polls: 1 } },
  clusters: [
    { cloud: "cce", name: "cce-clean", version: "v1.29.5-r0", targetVersions: ["v1.30"] },
    {
      cloud: "cce",
      name: "cce-broken",
      version: "v1.29.5-r0",
      targetVersions: ["v1.30"],
      outcomes: {
        "v1.30": {
          snapshot: { result: "Failed", message: "EVS quota exceeded for the master backup" },
          postcheck: { phase: "Failed", message: "coredns is not ready after the upgrade" },
        },
      },
    },
  ],
};

const perTest = emulatorPerTest();
let emulator: RunningEmulator;
beforeEach(async () => {
  emulator = await perTest.start({ scenario: SCENARIO });
});

type Json = Record<string, unknown>;
const clusterId = perTest.id;

function call(
  name: string,
  method: "GET" | "POST",
  path: string,
  body?: Record<string, unknown>,
): Promise<HuaweiResult> {
  return callHuawei(huaweiClient(emulator.url), {
    method,
    path,
    pathParams: { cluster_id: clusterId(name) },
    ...(body === undefined ? {} : { body }),
  });
}

async function snapshotTask(name: string, uid: string): Promise<Json | undefined> {
  const list = await call(name, "GET", `${V31}/operation/snapshot/tasks`);
  return (list["items"] as Json[]).find((t) => (t["metadata"] as Json)["uid"] === uid);
}

async function openWorkflow(name: string): Promise<string> {
  const created = await call(name, "POST", `${V3}/operation/upgradeworkflows`, {
    kind: "WorkFlowTask",
    apiVersion: "v3",
    spec: { clusterID: clusterId(name), clusterVersion: "v1.29.5-r0", targetVersion: "v1.30" },
  });
  return (created["metadata"] as Json)["uid"] as string;
}

describe("CreateClusterMasterSnapshot / ListClusterMasterSnapshotTasks", () => {
  it("a snapshot without a body answers its task id in `uid`; the listed task runs, then succeeds", async () => {
    const workflowId = await openWorkflow("cce-clean");
    const created = await call("cce-clean", "POST", `${V31}/operation/snapshot`);
    const uid = created["uid"] as string;
    expect(uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created["metadata"]).toEqual({ apiVersion: "v3.1", kind: "SnapshotTask" });

    const phases: unknown[] = [];
    for (let poll = 0; poll < 4; poll++) {
      const task = await snapshotTask("cce-clean", uid);
      phases.push((task?.["status"] as Json | undefined)?.["phase"]);
      if (phases.at(-1) === "Success") break;
    }
    expect(phases).toEqual(["Running", "Success"]);
    const list = await call("cce-clean", "GET", `${V31}/operation/snapshot/tasks`);
    expect(list["status"]).toHaveProperty("latestBackupTime");

    const workflow = await call("cce-clean", "GET", `${V3}/operation/upgradeworkflows/${workflowId}`);
    const points = (workflow["status"] as Json)["pointStatuses"] as Json[];
    expect(points.find((p) => p["taskType"] === "Snapshot")).toMatchObject({
      taskID: uid,
      status: "Success",
    });
  });

  it("the scenario's snapshot outcome for the workflow's target fails the task with its message", async () => {
    await openWorkflow("cce-broken");
    const uid = (await call("cce-broken", "POST", `${V31}/operation/snapshot`))["uid"] as string;
    await snapshotTask("cce-broken", uid);
    const task = await snapshotTask("cce-broken", uid);
    expect(task?.["status"]).toMatchObject({ phase: "Failed" });
    const [item] = (task?.["spec"] as Json)["items"] as Json[];
    expect(item).toMatchObject({
      type: "master-backup",
      status: "Failed",
      message: "EVS quota exceeded for the master backup",
    });
  });

  it("a second snapshot while one runs is a conflict (409); an unknown cluster is 404", async () => {
    await call("cce-clean", "POST", `${V31}/operation/snapshot`);
    const second = await huaweiFailure(call("cce-clean", "POST", `${V31}/operation/snapshot`));
    expect(second.httpStatusCode).toBe(409);
    // The SDK keeps only `error_code`/`error_msg`; CCE's code is in the emulator's request log.
    expect(emulator.control.requests({ limit: 1 })[0]?.errorCode).toBe("CCE.01409001");
    const unknown = await huaweiFailure(
      callHuawei(huaweiClient(emulator.url), {
        method: "GET",
        path: `${V31}/operation/snapshot/tasks`,
        pathParams: { cluster_id: "0b3f0e9a-0000-4000-8000-000000000000" },
      }),
    );
    expect(unknown.httpStatusCode).toBe(404);
  });
});

describe("CreatePostCheck", () => {
  it("answers Success for a healthy cluster and the scenario's Failed phase with its message", async () => {
    const body = (name: string) => ({
      kind: "PostCheckTask",
      apiVersion: "v3",
      spec: { clusterID: clusterId(name), clusterVersion: "v1.29.5-r0", targetVersion: "v1.30" },
    });
    const clean = await call("cce-clean", "POST", `${V3}/operation/postcheck`, body("cce-clean"));
    expect(clean["status"]).toEqual({ phase: "Success" });
    const broken = await call("cce-broken", "POST", `${V3}/operation/postcheck`, body("cce-broken"));
    expect(broken["status"]).toEqual({ phase: "Failed", message: "coredns is not ready after the upgrade" });
    expect((broken["metadata"] as Json)["uid"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a body of another kind is refused naming the field (400)", async () => {
    const failure = await huaweiFailure(
      call("cce-clean", "POST", `${V3}/operation/postcheck`, {
        kind: "PreCheckTask",
        apiVersion: "v3",
        spec: {},
      }),
    );
    expect(failure.httpStatusCode).toBe(400);
    expect(emulator.control.requests({ limit: 1 })[0]?.errorCode).toBe("CCE.01400001");
  });
});
