/**
 * CCE behaviour over raw signed HTTP: task progression by polls and by virtual time, precheck expiry,
 * workflows, the vendor errors for bad bodies, wrong state and unknown objects, and the doc-quirk
 * variants.
 */
import { type EmulatorOptions, type RunningEmulator } from "../src";
import { emulatorPerTest } from "./helpers/emulator";
import { HW_CREDS, huawei, send, type HttpAnswer } from "./helpers/http";
import { sha256 } from "./helpers/signers";

type Json = Record<string, unknown>;
const at = (value: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>(
    (v, k) => (v === null || typeof v !== "object" ? undefined : (v as Record<string | number, unknown>)[k]),
    value,
  );

/** `2023-11-25 06:32:34.923 +0000 UTC` → epoch ms. */
const goTime = (text: unknown): number =>
  Date.parse(String(text).replace(" +0000 UTC", "Z").replace(" ", "T"));

const perTest = emulatorPerTest();
let emulator: RunningEmulator;
async function start(scenario = "default", options: EmulatorOptions = {}): Promise<void> {
  emulator = await perTest.start({ scenario, ...options });
}

const base = (name: string): string => `/api/v3/projects/${HW_CREDS.projectId}/clusters/${perTest.id(name)}`;

const createPrecheck = (name: string, spec: Json = {}): Promise<HttpAnswer> =>
  huawei(emulator.url, "POST", `${base(name)}/operation/precheck`, {
    body: { apiVersion: "v3", kind: "PreCheckTask", spec: { targetVersion: "v1.30", ...spec } },
  });

const upgrade = (name: string, targetVersion = "v1.30"): Promise<HttpAnswer> =>
  huawei(emulator.url, "POST", `${base(name)}/operation/upgrade`, {
    body: {
      metadata: { kind: "UpgradeTask", apiVersion: "v3" },
      spec: { clusterUpgradeAction: { targetVersion } },
    },
  });

describe("task progression", () => {
  beforeEach(() => start());

  it("a precheck is Init when created, Running on the first read and terminal on the second", async () => {
    const created = await createPrecheck("cce-unchecked");
    expect(created.status).toBe(200);
    expect(at(created.json(), "status", "phase")).toBe("Init");
    const uid = at(created.json(), "metadata", "uid") as string;
    const phases: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      phases.push(
        at(
          (
            await huawei(emulator.url, "GET", `${base("cce-unchecked")}/operation/precheck/tasks/${uid}`)
          ).json(),
          "status",
          "phase",
        ),
      );
    }
    expect(phases).toEqual(["Running", "Success", "Success"]);
  });

  it("without any read, a precheck finishes once its virtual duration has passed", async () => {
    const created = await createPrecheck("cce-unchecked");
    const uid = at(created.json(), "metadata", "uid") as string;
    emulator.control.advanceClock(61_000);
    // This read is the first poll (it alone would only make the task Running): time finished it.
    const shown = (
      await huawei(emulator.url, "GET", `${base("cce-unchecked")}/operation/precheck/tasks/${uid}`)
    ).json();
    expect(at(shown, "status", "phase")).toBe("Success");
    // Finished at creation + 60 s (the default duration), not at the time of the read.
    const created_ = goTime(at(shown, "metadata", "creationTimestamp"));
    expect(goTime(at(shown, "metadata", "updateTimestamp")) - created_).toBe(60_000);
    expect(goTime(at(shown, "status", "expireTimeStamp")) - created_).toBe(60_000 + 3_600_000);
  });

  it("a finished upgrade changes the cluster's version and its upgrade targets", async () => {
    const answer = await upgrade("cce-blocked");
    expect(answer.status).toBe(200);
    emulator.control.advanceClock(10 * 60_000);
    const cluster = (await huawei(emulator.url, "GET", base("cce-blocked"))).json();
    expect(at(cluster, "spec", "version")).toBe("v1.30.0-r0");
    expect(emulator.control.clusters().find((c) => c.name === "cce-blocked")).toMatchObject({
      version: "v1.30.0-r0",
      nextVersion: null,
    });
  });

  it("a scenario-defined upgrade failure leaves the version and shows Failed", async () => {
    await emulator.close();
    await start("upgrade-failures");
    const task = at((await upgrade("cce-upgrade-fails")).json(), "metadata", "uid") as string;
    const shown = (
      await huawei(emulator.url, "GET", `${base("cce-upgrade-fails")}/operation/upgrade/tasks/${task}`)
    ).json();
    expect(at(shown, "status", "phase")).toBe("Failed");
    expect(at((await huawei(emulator.url, "GET", base("cce-upgrade-fails"))).json(), "spec", "version")).toBe(
      "v1.29.5-r0",
    );
    const precheck = at((await createPrecheck("cce-precheck-errors")).json(), "metadata", "uid") as string;
    const errored = (
      await huawei(emulator.url, "GET", `${base("cce-precheck-errors")}/operation/precheck/tasks/${precheck}`)
    ).json();
    expect(at(errored, "status")).toMatchObject({
      phase: "Error",
      message: expect.stringContaining("node agent unreachable"),
    });
  });
});

describe("expiry and history", () => {
  it("default-scenario checks are fresh: finished minutes ago, valid for an hour", async () => {
    await start();
    const now = emulator.control.clock().nowMs;
    const list = (
      await huawei(emulator.url, "GET", `${base("cce-blocked")}/operation/precheck/tasks`)
    ).json();
    const precheck = at(list, "items", 0) as Json;
    const created = goTime(at(precheck, "metadata", "creationTimestamp"));
    expect(now - created).toBe(5 * 60_000);
    expect(goTime(at(precheck, "status", "expireTimeStamp"))).toBeGreaterThan(now + 50 * 60_000);
    emulator.control.advanceClock(2 * 3_600_000);
    const later = (
      await huawei(emulator.url, "GET", `${base("cce-blocked")}/operation/precheck/tasks`)
    ).json();
    expect(goTime(at(later, "items", 0, "status", "expireTimeStamp"))).toBeLessThan(
      emulator.control.clock().nowMs,
    );
  });

  it("the expired-prechecks scenario has results past their expiry", async () => {
    await start("expired-prechecks");
    const now = emulator.control.clock().nowMs;
    const prechecks = (
      await huawei(emulator.url, "GET", `${base("cce-expired")}/operation/precheck/tasks`)
    ).json();
    expect(goTime(at(prechecks, "items", 0, "status", "expireTimeStamp"))).toBeLessThan(now);
    const addons = (await huawei(emulator.url, "GET", `${base("cce-expired")}/addons/precheck/tasks`)).json();
    expect(Date.parse(String(at(addons, "items", 0, "metadata", "expireTimeStamp")))).toBeLessThan(now);
    const two = (
      await huawei(emulator.url, "GET", `${base("cce-expired-then-fresh")}/operation/precheck/tasks`)
    ).json();
    const expiries = (two["items"] as Json[]).map((p) => goTime(at(p, "status", "expireTimeStamp")) > now);
    expect(expiries).toEqual([false, true]);
  });

  it("the workflow-failed scenario shows a Pending workflow with a Failed Cluster point", async () => {
    await start("workflow-failed");
    const list = (
      await huawei(emulator.url, "GET", `${base("cce-workflow-failed")}/operation/upgradeworkflows`)
    ).json();
    const workflow = at(list, "items", 0) as Json;
    expect(at(workflow, "status", "phase")).toBe("Pending");
    const points = at(workflow, "status", "pointStatuses") as Json[];
    expect(points.map((p) => [p["taskType"], p["status"]])).toEqual([
      ["PreCheck", "Success"],
      ["Snapshot", undefined],
      ["Cluster", "Failed"],
      ["PostCheck", undefined],
    ]);
    const task = (
      await huawei(
        emulator.url,
        "GET",
        `${base("cce-workflow-failed")}/operation/upgrade/tasks/${points[2]!["taskID"] as string}`,
      )
    ).json();
    expect(at(task, "status", "phase")).toBe("Failed");
    // A Pending workflow may be cancelled; a Running one may not.
    const cancel = await huawei(
      emulator.url,
      "PATCH",
      `${base("cce-workflow-failed")}/operation/upgradeworkflows/${at(workflow, "metadata", "uid") as string}`,
      {
        body: { status: { phase: "Cancel" } },
      },
    );
    expect(at(cancel.json(), "status", "phase")).toBe("Cancel");
    const running = at(
      (
        await huawei(emulator.url, "GET", `${base("cce-workflow-running")}/operation/upgradeworkflows`)
      ).json(),
      "items",
      0,
    ) as Json;
    expect(at(running, "status", "phase")).toBe("Running");
    const refused = await huawei(
      emulator.url,
      "PATCH",
      `${base("cce-workflow-running")}/operation/upgradeworkflows/${at(running, "metadata", "uid") as string}`,
      {
        body: { status: { phase: "Cancel" } },
      },
    );
    expect([refused.status, refused.json()["errorCode"]]).toEqual([409, "CCE.01409001"]);
  });
});

describe("workflows follow their tasks", () => {
  beforeEach(() => start());

  it("precheck, upgrade and postcheck attach to the open workflow, which ends Success", async () => {
    const wf = await huawei(emulator.url, "POST", `${base("cce-ready")}/operation/upgradeworkflows`, {
      body: { kind: "WorkFlowTask", apiVersion: "v3", spec: { targetVersion: "v1.30" } },
    });
    const uid = at(wf.json(), "metadata", "uid") as string;
    await createPrecheck("cce-ready", { targetVersion: "v1.30.0-r0" });
    emulator.control.advanceClock(60_000);
    await upgrade("cce-ready", "v1.30.0-r0");
    emulator.control.advanceClock(600_000);
    const post = await huawei(emulator.url, "POST", `${base("cce-ready")}/operation/postcheck`, {
      body: {
        apiVersion: "v3",
        kind: "PostCheckTask",
        spec: { clusterID: perTest.id("cce-ready"), targetVersion: "v1.30.0-r0" },
      },
    });
    expect(at(post.json(), "status", "phase")).toBe("Success");
    const shown = (
      await huawei(emulator.url, "GET", `${base("cce-ready")}/operation/upgradeworkflows/${uid}`)
    ).json();
    expect(at(shown, "status", "phase")).toBe("Success");
    expect((at(shown, "status", "pointStatuses") as Json[]).map((p) => p["status"])).toEqual([
      "Success",
      undefined,
      "Success",
      "Success",
    ]);
  });
});

describe("vendor errors", () => {
  beforeEach(() => start());

  it("bad bodies are 400 CCE.01400001 naming the field", async () => {
    const notJson = await huawei(emulator.url, "POST", `${base("cce-ready")}/operation/precheck`, {
      body: undefined,
      extraHeaders: {},
    });
    expect([notJson.status, notJson.json()["errorCode"]]).toEqual([400, "CCE.01400001"]);
    const missing = await huawei(emulator.url, "POST", `${base("cce-ready")}/operation/precheck`, {
      body: { apiVersion: "v3", kind: "PreCheckTask", spec: {} },
    });
    expect(missing.status).toBe(400);
    expect(missing.json()["errorMessage"]).toMatch(/spec\.targetVersion/);
    const wrongKind = await huawei(emulator.url, "POST", `${base("cce-ready")}/operation/precheck`, {
      body: { apiVersion: "v3", kind: "Precheck", spec: { targetVersion: "v1.30" } },
    });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.json()["errorMessage"]).toMatch(/kind: must be "PreCheckTask"/);
    const notTarget = await createPrecheck("cce-unchecked", { targetVersion: "v1.31" });
    expect([notTarget.status, notTarget.json()["errorCode"]]).toEqual([400, "CCE.01400001"]);
    expect(notTarget.json()["errorMessage"]).toMatch(/allowed: v1\.30/);
    const wrongVersion = await createPrecheck("cce-unchecked", { clusterVersion: "v1.28.1-r0" });
    expect(wrongVersion.json()["errorMessage"]).toMatch(/does not match/);
    const badStep = await huawei(emulator.url, "POST", `${base("cce-ready")}/operation/upgrade`, {
      body: {
        metadata: { kind: "UpgradeTask", apiVersion: "v3" },
        spec: {
          clusterUpgradeAction: {
            targetVersion: "v1.30",
            strategy: { type: "inPlaceRollingUpdate", inPlaceRollingUpdate: { userDefinedStep: 99 } },
          },
        },
      },
    });
    expect(badStep.status).toBe(400);
    expect(badStep.json()["errorMessage"]).toMatch(/userDefinedStep/);
  });

  it("wrong cluster state is 409 CCE.01409001", async () => {
    expect((await createPrecheck("cce-unchecked")).status).toBe(200);
    const second = await createPrecheck("cce-unchecked");
    expect([second.status, second.json()["errorCode"]]).toEqual([409, "CCE.01409001"]);
    expect((await upgrade("cce-ready")).status).toBe(200);
    const again = await upgrade("cce-ready");
    expect([again.status, again.json()["errorCode"]]).toEqual([409, "CCE.01409001"]);
    const precheckDuringUpgrade = await createPrecheck("cce-ready");
    expect(precheckDuringUpgrade.status).toBe(409);
  });

  it("unknown routes are the gateway's APIGW.0101; bodies over 1 MiB are 413 APIGW.0201", async () => {
    const unknown = await huawei(emulator.url, "GET", `${base("cce-ready")}/operation/hibernate`);
    expect([unknown.status, unknown.json()["error_code"]]).toEqual([404, "APIGW.0101"]);
    expect(unknown.json()["request_id"]).toBe(unknown.headers["x-request-id"]);
    const wrongMethod = await huawei(emulator.url, "DELETE", `${base("cce-ready")}/operation/precheck`);
    expect(wrongMethod.status).toBe(404);
    const big = await huawei(emulator.url, "POST", `${base("cce-ready")}/operation/precheck`, {
      body: {
        apiVersion: "v3",
        kind: "PreCheckTask",
        spec: { targetVersion: "v1.30", padding: "x".repeat(1024 * 1024) },
      },
    });
    expect([big.status, big.json()["error_code"]]).toEqual([413, "APIGW.0201"]);
    // The connection is still usable.
    expect((await huawei(emulator.url, "GET", base("cce-ready"))).status).toBe(200);
  });

  it("X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD leaves the body unsigned; any other value must be the body's hash", async () => {
    const body = { apiVersion: "v3", kind: "PreCheckTask", spec: { targetVersion: "v1.30" } };
    const text = JSON.stringify(body);
    const changed = (r: { body: string }): void => {
      r.body = JSON.stringify({
        ...body,
        spec: { ...body.spec, skippedCheckItemList: [{ name: "NodeOSVersion" }] },
      });
    };
    const post = (name: string, hash: string, tamper?: (r: { body: string }) => void): Promise<HttpAnswer> =>
      huawei(emulator.url, "POST", `${base(name)}/operation/precheck`, {
        body,
        extraHeaders: { "x-sdk-content-sha256": hash },
        ...(tamper === undefined ? {} : { tamper }),
      });
    const forged = await post("cce-ready", sha256(text), changed);
    expect(forged.status).toBe(401);
    expect(forged.json()).toMatchObject({
      error_code: "APIGW.0301",
      error_msg: expect.stringMatching(/X-Sdk-Content-Sha256 does not match the request body/),
    });
    expect((await post("cce-ready", sha256(text).toUpperCase())).status).toBe(200);
    // UNSIGNED-PAYLOAD: the signature covers no body, so a changed one is accepted, as documented.
    expect((await post("cce-unchecked", "UNSIGNED-PAYLOAD", changed)).status).toBe(200);
  });

  it("every answer carries X-Request-Id, errors included", async () => {
    const answers = [
      await huawei(emulator.url, "GET", base("cce-ready")),
      await huawei(emulator.url, "GET", `${base("cce-ready")}/operation/precheck/tasks/nope`),
      await send(emulator.url, "GET", base("cce-ready")),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 404, 401]);
    for (const a of answers) expect(a.headers["x-request-id"]).toMatch(/^[0-9a-f]{32}$/);
    expect(answers[2]!.json()).toMatchObject({ error_code: "APIGW.0301" });
  });

  it("skipping a Risk item drops it; a Fatal Exception item cannot be skipped", async () => {
    const created = await createPrecheck("cce-blocked", {
      skippedCheckItemList: [{ name: "NodeOSVersion" }, { name: "AddonCompatibility" }],
    });
    const uid = at(created.json(), "metadata", "uid") as string;
    emulator.control.advanceClock(60_000);
    const shown = (
      await huawei(emulator.url, "GET", `${base("cce-blocked")}/operation/precheck/tasks/${uid}`)
    ).json();
    expect(at(shown, "status", "phase")).toBe("Failed");
    expect(at(shown, "status", "nodeCheckStatus", "nodeStageStatus")).toEqual([]);
    expect(at(shown, "status", "addonCheckStatus", "itemsStatus", 0, "name")).toBe("AddonCompatibility");
    expect(at(shown, "spec", "skippedCheckItemList")).toEqual([
      { name: "NodeOSVersion" },
      { name: "AddonCompatibility" },
    ]);
  });
});

describe("docQuirks", () => {
  it("emits the documented variants: items as one object, createTimestamp, riskList beside status", async () => {
    await start("default", { docQuirks: true });
    const list = (await huawei(emulator.url, "GET", `${base("cce-blocked")}/addons/precheck/tasks`)).json();
    const item = list["items"] as Json;
    expect(Array.isArray(item)).toBe(false);
    expect(at(item, "metadata", "createTimestamp")).toEqual(expect.any(String));
    expect(at(item, "metadata", "createTimeStamp")).toBeUndefined();
    expect(at(item, "metadata", "expireTimeStamp")).toBeUndefined();
    expect(at(item, "status", "riskList")).toBeUndefined();
    expect((item["riskList"] as Json[]).map((r) => r["level"])).toEqual(["Warning", "Fatal"]);
    await huawei(emulator.url, "POST", `${base("cce-ready")}/operation/upgradeworkflows`, {
      body: { kind: "WorkFlowTask", apiVersion: "v3", spec: { targetVersion: "v1.30" } },
    });
    const workflows = (
      await huawei(emulator.url, "GET", `${base("cce-ready")}/operation/upgradeworkflows`)
    ).json();
    expect(Array.isArray(workflows["items"])).toBe(false);
    // Switched off at run time, the same emulator answers vendor-correct shapes.
    emulator.control.setDocQuirks(false);
    const correct = (
      await huawei(emulator.url, "GET", `${base("cce-blocked")}/addons/precheck/tasks`)
    ).json();
    expect(Array.isArray(correct["items"])).toBe(true);
    expect(at(correct, "items", 0, "status", "riskList")).toHaveLength(2);
  });
});

describe("other reads", () => {
  beforeEach(() => start());

  it("ShowClusterUpgradeInfo and ListClusterUpgradePaths describe the versions", async () => {
    const info = (await huawei(emulator.url, "GET", `${base("cce-blocked")}/upgradeinfo`)).json();
    expect(at(info, "spec", "versionInfo")).toEqual({
      release: "v1.29.5",
      patch: "r0",
      suggestPatch: "r0",
      targetVersions: ["v1.30"],
    });
    expect(info["status"]).toBeUndefined();
    const paths = (await huawei(emulator.url, "GET", "/api/v3/clusterupgradepaths")).json();
    expect(paths["upgradePaths"]).toEqual([
      { version: "v1.29.5-r0", platformVersion: "cce.17.0", targetVersions: ["v1.30"] },
    ]);
  });

  it("ListClusters filters by status", async () => {
    await upgrade("cce-ready");
    const upgrading = (
      await huawei(emulator.url, "GET", `/api/v3/projects/${HW_CREDS.projectId}/clusters`, {
        query: [["status", "Upgrading"]],
      })
    ).json();
    expect((upgrading["items"] as Json[]).map((c) => at(c, "metadata", "name"))).toEqual(["cce-ready"]);
  });
});
