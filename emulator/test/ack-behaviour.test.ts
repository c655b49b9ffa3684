/**
 * ACK behaviour over raw signed HTTP (ACS3 and ROA V2): progression by virtual time, upgrade effects,
 * vendor errors, account isolation and the documented `failed` task state.
 */
import { type RunningEmulator } from "../src";
import { emulatorPerTest } from "./helpers/emulator";
import { alibaba, send } from "./helpers/http";

type Json = Record<string, unknown>;

const perTest = emulatorPerTest();
let emulator: RunningEmulator;
async function start(scenario = "default"): Promise<void> {
  emulator = await perTest.start({ scenario });
}
const cid = perTest.id;

const taskOf = async (name: string): Promise<string> => {
  const tasks = (
    await alibaba(emulator.url, "GET", `/clusters/${cid(name)}/tasks`, { action: "DescribeClusterTasks" })
  ).json();
  return ((tasks["tasks"] as Json[])[0] as Json)["task_id"] as string;
};

describe("progression", () => {
  beforeEach(() => start());

  it("ack-upgrading stays running however often it is polled, and finishes after 30 virtual minutes", async () => {
    const taskId = await taskOf("ack-upgrading");
    for (let i = 0; i < 5; i++) {
      const info = (
        await alibaba(emulator.url, "GET", `/tasks/${taskId}`, { action: "DescribeTaskInfo" })
      ).json();
      expect(info["state"]).toBe("running");
    }
    emulator.control.advanceClock(28 * 60_000);
    const detail = (
      await alibaba(emulator.url, "GET", `/clusters/${cid("ack-upgrading")}`, {
        action: "DescribeClusterDetail",
      })
    ).json();
    expect(detail).toMatchObject({ current_version: "1.32.1-aliyun.1", state: "running", next_version: "" });
    const status = (
      await alibaba(emulator.url, "GET", `/api/v2/clusters/${cid("ack-upgrading")}/upgrade/status`, {
        action: "GetUpgradeStatus",
      })
    ).json();
    expect(status).toMatchObject({
      status: "success",
      upgrade_step: "success",
      upgrade_task: { status: "Success" },
    });
    const info = (
      await alibaba(emulator.url, "GET", `/tasks/${taskId}`, { action: "DescribeTaskInfo" })
    ).json();
    expect(info).toMatchObject({
      state: "success",
      task_result: [{ data: cid("ack-upgrading"), status: "success" }],
    });
    expect((info["events"] as Json[]).map((e) => e["reason"])).toEqual([
      "ClusterUpgradeStart",
      "ClusterUpgradeSuccess",
    ]);
  });

  it("a cluster check finishes by virtual time without polls", async () => {
    const run = await alibaba(emulator.url, "POST", `/clusters/${cid("ack-blocked")}/checks`, {
      action: "RunClusterCheck",
      body: { type: "ClusterUpgrade", options: { next_version: "1.32.1-aliyun.1" } },
    });
    expect(run.status).toBe(200);
    const checkId = run.json()["check_id"] as string;
    expect(run.json()["request_id"]).toBe(run.headers["x-acs-request-id"]);
    emulator.control.advanceClock(60_000);
    const check = (
      await alibaba(emulator.url, "GET", `/clusters/${cid("ack-blocked")}/checks/${checkId}`, {
        action: "GetClusterCheck",
      })
    ).json();
    expect(check).toMatchObject({ status: "Failed", message: "task failed" });
    expect(check["finished_at"]).toEqual(expect.stringMatching(/Z$/));
  });

  it("a check read while running, then finished, answers its findings; every later read answers the same", async () => {
    // Finished checks are rendered once and kept (ack-routes.ts): this pins that nothing stale is served.
    const run = await alibaba(emulator.url, "POST", `/clusters/${cid("ack-blocked")}/checks`, {
      action: "RunClusterCheck",
      body: { type: "ClusterUpgrade", options: { next_version: "1.32.1-aliyun.1" } },
    });
    const checkId = run.json()["check_id"] as string;
    const read = () =>
      alibaba(emulator.url, "GET", `/clusters/${cid("ack-blocked")}/checks/${checkId}`, {
        action: "GetClusterCheck",
      });
    const running = (await read()).json();
    expect(running["status"]).toBe("Running");
    expect(running["check_items"]).toBeUndefined();
    emulator.control.advanceClock(60_000);
    const first = await read();
    expect(first.json()).toMatchObject({ status: "Failed", check_items: expect.any(Object) });
    emulator.control.advanceClock(60_000);
    const later = await read();
    expect(later.text).toBe(first.text);
    expect(later.headers["x-acs-request-id"]).not.toBe(first.headers["x-acs-request-id"]);
    await emulator.control.reset();
    expect((await read()).status).toBe(404);
  });
});

describe("vendor errors", () => {
  beforeEach(() => start());

  it("bad bodies are 400 InvalidParameter", async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ type: "Everything" }, /type/],
      [{ type: "NodePoolUpgrade" }, /target/],
      [{ type: "ClusterUpgrade", options: { next_version: "1.40.0-aliyun.1" } }, /not an upgrade target/],
    ];
    for (const [body, message] of cases) {
      const answer = await alibaba(emulator.url, "POST", `/clusters/${cid("ack-ready")}/checks`, {
        action: "RunClusterCheck",
        body,
      });
      expect([answer.status, answer.json()["code"]]).toEqual([400, "InvalidParameter"]);
      expect(answer.json()["message"]).toMatch(message);
      expect(answer.json()["requestId"]).toBe(answer.headers["x-acs-request-id"]);
    }
    const page = await alibaba(emulator.url, "GET", "/api/v1/clusters", {
      action: "DescribeClustersV1",
      query: [["page_size", "0"]],
    });
    expect(page.status).toBe(400);
  });

  it("an action header that does not name the route is InvalidApi.NotFound; so is an unknown route", async () => {
    const wrong = await alibaba(emulator.url, "GET", `/clusters/${cid("ack-ready")}`, {
      action: "DeleteCluster",
    });
    expect([wrong.status, wrong.json()["Code"]]).toEqual([404, "InvalidApi.NotFound"]);
    const unknown = await alibaba(emulator.url, "GET", `/clusters/${cid("ack-ready")}/nodes`, {
      action: "DescribeClusterNodes",
    });
    expect([unknown.status, unknown.json()["Code"]]).toEqual([404, "InvalidApi.NotFound"]);
    expect(unknown.json()["RequestId"]).toBe(unknown.headers["x-acs-request-id"]);
  });

  it("bodies over 1 MiB are 413; missing signatures are IncompleteSignature", async () => {
    const big = await alibaba(emulator.url, "POST", `/clusters/${cid("ack-ready")}/checks`, {
      action: "RunClusterCheck",
      body: { type: "ClusterUpgrade", padding: "y".repeat(1024 * 1024 + 10) },
    });
    expect([big.status, big.json()["Code"]]).toEqual([413, "RequestEntityTooLarge"]);
    const unsigned = await send(emulator.url, "GET", `/clusters/${cid("ack-ready")}`, {
      "x-acs-action": "DescribeClusterDetail",
    });
    expect([unsigned.status, unsigned.json()["Code"]]).toEqual([400, "IncompleteSignature"]);
  });

  it("a tampered query and a replayed nonce are refused (raw ACS3 and V2)", async () => {
    const tampered = await alibaba(emulator.url, "GET", `/clusters/${cid("ack-ready")}/checks`, {
      action: "ListClusterChecks",
      query: [["type", "ClusterUpgrade"]],
      tamper: (r) => {
        r.query = [["type", "ClusterMigrate"]];
      },
    });
    expect([tampered.status, tampered.json()["Code"]]).toEqual([400, "SignatureDoesNotMatch"]);
    for (const algorithm of ["ACS3", "V2"] as const) {
      const nonce = `nonce-${algorithm}`;
      const first = await alibaba(emulator.url, "GET", `/clusters/${cid("ack-ready")}`, {
        action: "DescribeClusterDetail",
        nonce,
        algorithm,
      });
      const second = await alibaba(emulator.url, "GET", `/clusters/${cid("ack-ready")}`, {
        action: "DescribeClusterDetail",
        nonce,
        algorithm,
      });
      expect([first.status, second.status, second.json()["Code"]]).toEqual([200, 400, "SignatureNonceUsed"]);
    }
    // A nonce refused for a bad signature was not consumed.
    const bad = await alibaba(emulator.url, "GET", `/clusters/${cid("ack-ready")}`, {
      action: "DescribeClusterDetail",
      nonce: "n-x",
      sk: "wrong",
    });
    expect(bad.json()["Code"]).toBe("SignatureDoesNotMatch");
    const good = await alibaba(emulator.url, "GET", `/clusters/${cid("ack-ready")}`, {
      action: "DescribeClusterDetail",
      nonce: "n-x",
    });
    expect(good.status).toBe(200);
  });

  it("V2 requests dated 20 minutes ago are InvalidTimeStamp.Expired", async () => {
    const old = await alibaba(emulator.url, "GET", `/clusters/${cid("ack-ready")}`, {
      action: "DescribeClusterDetail",
      algorithm: "V2",
      at: Date.now() - 20 * 60_000,
    });
    expect([old.status, old.json()["Code"]]).toEqual([400, "InvalidTimeStamp.Expired"]);
  });
});

describe("docQuirks", () => {
  it("a failed upgrade task reads `fail` (SDK) by default and `failed` (doc) with docQuirks", async () => {
    await start("upgrade-failures");
    const upgrade = await alibaba(
      emulator.url,
      "POST",
      `/api/v2/clusters/${cid("ack-upgrade-fails")}/upgrade`,
      {
        action: "UpgradeCluster",
        body: { next_version: "1.32.1-aliyun.1" },
      },
    );
    const taskId = upgrade.json()["task_id"] as string;
    const info = (
      await alibaba(emulator.url, "GET", `/tasks/${taskId}`, { action: "DescribeTaskInfo" })
    ).json();
    expect(info).toMatchObject({
      state: "fail",
      error: { code: "400", message: expect.stringContaining("kube-apiserver") },
    });
    emulator.control.setDocQuirks(true);
    const quirky = (
      await alibaba(emulator.url, "GET", `/tasks/${taskId}`, { action: "DescribeTaskInfo" })
    ).json();
    expect(quirky["state"]).toBe("failed");
    const status = (
      await alibaba(emulator.url, "GET", `/api/v2/clusters/${cid("ack-upgrade-fails")}/upgrade/status`, {
        action: "GetUpgradeStatus",
      })
    ).json();
    expect(status).toMatchObject({ status: "fail", upgrade_task: { status: "Failed" } });
    const detail = (
      await alibaba(emulator.url, "GET", `/clusters/${cid("ack-upgrade-fails")}`, {
        action: "DescribeClusterDetail",
      })
    ).json();
    expect(detail).toMatchObject({ current_version: "1.31.1-aliyun.1", state: "running" });
  });
});

describe("accounts", () => {
  beforeEach(() => start("multi-account"));

  it("each Alibaba account sees only its own clusters and tasks", async () => {
    const mine = (
      await alibaba(emulator.url, "GET", "/api/v1/clusters", { action: "DescribeClustersV1" })
    ).json();
    expect((mine["clusters"] as Json[]).map((c) => c["name"])).toEqual(["ack-a"]);
    const theirs = (
      await alibaba(emulator.url, "GET", "/api/v1/clusters", {
        action: "DescribeClustersV1",
        ak: "UGEMU-ALI-AK-B",
        sk: "ugemu-ali-sk-b",
      })
    ).json();
    expect((theirs["clusters"] as Json[]).map((c) => [c["name"], c["region_id"]])).toEqual([
      ["ack-b", "cn-beijing"],
    ]);
    const other = await alibaba(emulator.url, "GET", `/clusters/${cid("ack-b")}`, {
      action: "DescribeClusterDetail",
    });
    expect([other.status, other.json()["code"]]).toEqual([404, "ErrorClusterNotFound"]);
  });
});
