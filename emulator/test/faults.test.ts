/**
 * Injected faults: vendor error statuses and codes, connection resets before and after processing,
 * truncated and malformed bodies, fail-N-times-then-succeed, latency and the rate-limit mode.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../src";
import { FaultTable } from "../src/faults/faults";
import { alibaba, huawei, HW_CREDS } from "./helpers/http";
import { ackClient, aliFailure, cs, noRetry } from "./helpers/official-sdks";

let emulator: RunningEmulator;
let cce: string;
let ack: string;

beforeEach(async () => {
  emulator = await startEmulator({ freezeClock: true });
  const clusters = emulator.control.clusters();
  cce = `/api/v3/projects/${HW_CREDS.projectId}/clusters/${clusters.find((c) => c.name === "cce-unchecked")!.id}`;
  ack = clusters.find((c) => c.name === "ack-ready")!.id;
});

afterEach(async () => {
  await emulator.close();
});

const showCluster = () => huawei(emulator.url, "GET", cce);
const describeCluster = () =>
  alibaba(emulator.url, "GET", `/clusters/${ack}`, { action: "DescribeClusterDetail" });

describe("error statuses in each vendor's format", () => {
  it.each([
    [500, "cce", { errorCode: "CCE.01500001" }],
    [503, "apigw", { error_code: "APIGW.0203" }],
    [429, "apigw", { error_code: "APIGW.0308" }],
  ])("Huawei %i answers %s format", async (status, _format, body) => {
    emulator.control.setFault({ operation: "ShowCluster", error: { status } });
    const answer = await showCluster();
    expect(answer.status).toBe(status);
    expect(answer.json()).toMatchObject(body);
    expect(answer.headers["x-request-id"]).toMatch(/^[0-9a-f]{32}$/);
  });

  it.each([
    [500, "InternalError"],
    [503, "ServiceUnavailable"],
    [429, "Throttling.User"],
  ])("Alibaba %i answers %s in the gateway format", async (status, code) => {
    emulator.control.setFault({ service: "ack", error: { status } });
    const answer = await describeCluster();
    expect(answer.status).toBe(status);
    expect(answer.json()).toMatchObject({ Code: code, RequestId: answer.headers["x-acs-request-id"] });
  });

  it("an explicit vendor code picks the matching format", async () => {
    emulator.control.setFault({
      operation: "ShowCluster",
      error: { status: 429, code: "APIGW.0308", message: "slow down" },
    });
    emulator.control.setFault({
      operation: "DescribeClusterDetail",
      error: { status: 400, code: "Throttling.User" },
    });
    expect((await showCluster()).json()).toEqual({
      error_code: "APIGW.0308",
      error_msg: "slow down",
      request_id: expect.any(String),
    });
    const failure = await aliFailure(
      ackClient(emulator.url).describeClusterDetailWithOptions(ack, {}, noRetry()),
    );
    // The official SDK classifies it as throttling from the code.
    expect(failure).toMatchObject({ statusCode: 400, code: "Throttling.User" });
    expect((failure as { name?: string }).name).toBe("ThrottlingError");
  });
});

describe("fail N times then succeed", () => {
  it("`times` bounds the rule, `skip` lets requests through first, and counters show both", async () => {
    const rule = emulator.control.setFault({
      operation: "ShowCluster",
      error: { status: 503 },
      times: 2,
      skip: 1,
    });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await showCluster()).status);
    expect(statuses).toEqual([200, 503, 503, 200, 200]);
    expect(emulator.control.faults()).toEqual([
      expect.objectContaining({ id: rule.id, matched: 5, applied: 2 }),
    ]);
    expect(emulator.control.requests().map((r) => r.faults)).toEqual([[], [rule.id], [rule.id], [], []]);
  });

  it("rules match by path glob and method", async () => {
    emulator.control.setFault({
      path: "/api/v3/projects/*/clusters/*/operation/**",
      method: "post",
      error: { status: 500 },
    });
    expect((await showCluster()).status).toBe(200);
    const precheck = await huawei(emulator.url, "POST", `${cce}/operation/precheck`, {
      body: { apiVersion: "v3", kind: "PreCheckTask", spec: { targetVersion: "v1.30" } },
    });
    expect(precheck.status).toBe(500);
    expect((await huawei(emulator.url, "GET", `${cce}/operation/precheck/tasks`)).status).toBe(200);
  });
});

describe("broken connections and bodies", () => {
  const createPrecheck = () =>
    huawei(emulator.url, "POST", `${cce}/operation/precheck`, {
      body: { apiVersion: "v3", kind: "PreCheckTask", spec: { targetVersion: "v1.30" } },
    });
  const precheckCount = async (): Promise<number> =>
    ((await huawei(emulator.url, "GET", `${cce}/operation/precheck/tasks`)).json()["items"] as unknown[])
      .length;

  it("a reset before processing changes nothing; a reset after processing did the work (ambiguous)", async () => {
    emulator.control.setFault({ operation: "CreatePreCheck", reset: "before", times: 1 });
    await expect(createPrecheck()).rejects.toThrow(/ECONNRESET|socket hang up/);
    expect(await precheckCount()).toBe(0);
    emulator.control.setFault({ operation: "CreatePreCheck", reset: "after", times: 1 });
    await expect(createPrecheck()).rejects.toThrow(/ECONNRESET|socket hang up/);
    expect(await precheckCount()).toBe(1);
  });

  it("an error after processing did the work (a gateway 504 after the backend acted); before, it did not", async () => {
    emulator.control.setFault({ operation: "CreatePreCheck", error: { status: 504 }, times: 1 });
    expect((await createPrecheck()).status).toBe(504);
    expect(await precheckCount()).toBe(0);
    emulator.control.setFault({
      operation: "CreatePreCheck",
      error: { status: 504, afterProcessing: true },
      times: 1,
    });
    const answer = await createPrecheck();
    expect(answer.status).toBe(504);
    expect(answer.json()).toMatchObject({ error_code: "APIGW.0202" });
    expect(await precheckCount()).toBe(1);
  });

  it("a truncated body ends the connection mid-answer", async () => {
    emulator.control.setFault({ operation: "ListPreCheckTasks", truncateBody: true, times: 1 });
    await expect(huawei(emulator.url, "GET", `${cce}/operation/precheck/tasks`)).rejects.toThrow(
      /aborted|ECONNRESET|socket hang up/,
    );
    expect((await huawei(emulator.url, "GET", `${cce}/operation/precheck/tasks`)).status).toBe(200);
  });

  it("a malformed body keeps status 200 and a consistent length but is not JSON", async () => {
    emulator.control.setFault({ operation: "GetClusterCheck", malformedBody: true });
    const list = (
      await alibaba(emulator.url, "GET", `/clusters/${ack}/checks`, { action: "ListClusterChecks" })
    ).json();
    const checkId = (list["checks"] as Array<{ check_id: string }>)[0]!.check_id;
    const answer = await alibaba(emulator.url, "GET", `/clusters/${ack}/checks/${checkId}`, {
      action: "GetClusterCheck",
    });
    expect(answer.status).toBe(200);
    expect(Number(answer.headers["content-length"])).toBe(Buffer.byteLength(answer.text));
    expect(() => JSON.parse(answer.text)).toThrow();
    await expect(
      ackClient(emulator.url).getClusterCheckWithOptions(ack, checkId, {}, noRetry()),
    ).rejects.toThrow();
  });

  it("latency delays without changing the answer", async () => {
    const rule = emulator.control.setFault({ operation: "ShowCluster", latencyMs: 30 });
    const answer = await showCluster();
    expect(answer.status).toBe(200);
    expect(emulator.control.requests({ limit: 1 })[0]?.faults).toEqual([rule.id]);
  });
});

describe("rate-limit mode (token bucket on virtual time)", () => {
  it("answers the vendor throttle error past the rate until time refills the bucket", async () => {
    emulator.control.setFault({ rateLimit: { perSecond: 2 } });
    const statuses = [(await showCluster()).status, (await describeCluster()).status];
    const huaweiOver = await showCluster();
    const alibabaOver = await describeCluster();
    expect(statuses).toEqual([200, 200]);
    expect([huaweiOver.status, huaweiOver.json()["error_code"]]).toEqual([429, "APIGW.0308"]);
    expect(huaweiOver.json()["error_msg"]).toMatch(/limit:2,time:1 second/);
    expect([alibabaOver.status, alibabaOver.json()["Code"]]).toEqual([400, "Throttling.User"]);
    emulator.control.advanceClock(500);
    expect((await showCluster()).status).toBe(200);
    expect((await showCluster()).status).toBe(429);
  });

  it("can answer Alibaba throttling with 429", async () => {
    emulator.control.setFault({ service: "ack", rateLimit: { perSecond: 1, alibabaStatus: 429 } });
    const client = ackClient(emulator.url);
    await client.describeClusterDetailWithOptions(ack, {}, noRetry());
    const failure = await aliFailure(
      client.listClusterChecksWithOptions(ack, new cs.ListClusterChecksRequest({}), {}, noRetry()),
    );
    expect(failure).toMatchObject({ statusCode: 429, code: "Throttling.User" });
    expect((await showCluster()).status).toBe(200);
  });
});

describe("FaultTable", () => {
  it("draws random latency between min and max from the injected source", () => {
    const table = new FaultTable();
    table.add({ latencyMs: { min: 100, max: 300 } }, 0);
    const facts = { service: "cce" as const, operation: "ShowCluster", method: "GET", path: "/x" };
    expect(table.decide(facts, 0, () => 0).latencyMs).toBe(100);
    expect(table.decide(facts, 0, () => 0.5).latencyMs).toBe(200);
    expect(table.decide(facts, 0, () => 0.999).latencyMs).toBeCloseTo(299.8);
  });
});

it("every fault example in the README is a rule the emulator accepts", () => {
  const readme = readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
  const block = /### Faults[\s\S]*?```jsonc\n([\s\S]*?)\n```/.exec(readme)?.[1];
  expect(block).toBeDefined();
  const rules = block!
    .split("\n")
    .map((line) => line.replace(/\s*\/\/.*$/, "").trim())
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(rules.length).toBeGreaterThanOrEqual(9);
  for (const rule of rules) expect(() => emulator.control.setFault(rule)).not.toThrow();
  expect(emulator.control.faults()).toHaveLength(rules.length);
});
