/** The control API over HTTP (`/__emulator/*`) and the typed `control` object it mirrors. */
import { networkInterfaces } from "node:os";
import * as path from "node:path";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { startEmulator, type ClusterSummary, type RequestLogEntry, type RunningEmulator } from "../src";
import { alibaba, control, huawei, HW_CREDS, send } from "./helpers/http";

let emulator: RunningEmulator;
const START = Date.UTC(2025, 7, 5, 9, 0, 0);

beforeEach(async () => {
  emulator = await startEmulator({ freezeClock: true, startTime: START, requestLogLimit: 50 });
});

afterEach(async () => {
  await emulator.close();
});

it("GET /__emulator/clusters lists {cloud, id, name, region, projectId?, version, nextVersion}", async () => {
  const { status, body } = await control<ClusterSummary[]>(emulator.url, "GET", "clusters");
  expect(status).toBe(200);
  expect(body.map((c) => c.name)).toEqual([
    "cce-blocked",
    "cce-ready",
    "cce-unchecked",
    "ack-ready",
    "ack-blocked",
    "ack-upgrading",
  ]);
  expect(body[0]).toEqual({
    cloud: "cce",
    id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    name: "cce-blocked",
    region: "cn-north-4",
    projectId: HW_CREDS.projectId,
    version: "v1.29.5-r0",
    nextVersion: "v1.30",
  });
  expect(Object.keys(body[3]!).sort()).toEqual(["cloud", "id", "name", "nextVersion", "region", "version"]);
  expect(body[3]).toMatchObject({
    cloud: "ack",
    region: "cn-hangzhou",
    version: "1.31.1-aliyun.1",
    nextVersion: "1.32.1-aliyun.1",
  });
  expect(body).toEqual(emulator.control.clusters());
});

it("the clock advances only when told, by ms or by duration text", async () => {
  expect(
    (await control<{ nowMs: number; frozen: boolean }>(emulator.url, "GET", "clock")).body,
  ).toMatchObject({ nowMs: START, frozen: true });
  expect(
    (await control<{ nowMs: number }>(emulator.url, "POST", "clock", { advanceMs: 1500 })).body.nowMs,
  ).toBe(START + 1500);
  expect((await control<{ now: string }>(emulator.url, "POST", "clock", { advance: "2h" })).body.now).toBe(
    new Date(START + 1500 + 7_200_000).toISOString(),
  );
  expect((await control(emulator.url, "POST", "clock", { advanceMs: -5 })).status).toBe(400);
  expect(emulator.control.clock().nowMs).toBe(START + 1500 + 7_200_000);
});

it("faults are added, listed with counters and removed", async () => {
  const added = await control<{ id: string }>(emulator.url, "POST", "faults", {
    operation: "ShowCluster",
    error: { status: 500 },
  });
  expect(added.status).toBe(201);
  const { body: list } = await control<Array<{ id: string; matched: number }>>(emulator.url, "GET", "faults");
  expect(list).toEqual([
    expect.objectContaining({ id: added.body.id, operation: "ShowCluster", matched: 0 }),
  ]);
  expect((await control(emulator.url, "DELETE", `faults/${added.body.id}`)).status).toBe(204);
  expect((await control(emulator.url, "DELETE", `faults/${added.body.id}`)).status).toBe(404);
  const invalid = await control<{ error: string }>(emulator.url, "POST", "faults", {
    operation: "X",
    error: { status: 200 },
  });
  expect(invalid.status).toBe(400);
  expect(invalid.body.error).toMatch(/error\.status/);
  const twoActions = await control<{ error: string }>(emulator.url, "POST", "faults", {
    reset: true,
    malformedBody: true,
  });
  expect(twoActions.body.error).toMatch(/at most one/);
  expect(() => emulator.control.setFault({ latencyMs: { min: 5, max: 1 } })).toThrow(/min must not exceed/);
  expect((await control(emulator.url, "DELETE", "faults/%zz")).status).toBe(400);
});

it("refuses fault matchers that could never match, naming the field and the choices", async () => {
  const misspelt = await control<{ error: string }>(emulator.url, "POST", "faults", {
    operation: "GetClustercheck",
    error: { status: 500 },
  });
  expect(misspelt.status).toBe(400);
  expect(misspelt.body.error).toMatch(
    /operation: unknown operation GetClustercheck; one of .*GetClusterCheck/,
  );
  expect(() =>
    emulator.control.setFault({ service: "cce", operation: "GetClusterCheck", latencyMs: 1 }),
  ).toThrow(/operation: GetClusterCheck is not an operation of service cce/);
  expect(() => emulator.control.setFault({ method: "DELETE", error: { status: 500 } })).toThrow(
    /method: no route answers DELETE; one of GET, PATCH, POST/,
  );
  expect(emulator.control.faults()).toEqual([]);
  // Lower-case methods and service-qualified operations are fine.
  const ok = emulator.control.setFault({
    service: "ack",
    operation: "GetClusterCheck",
    method: "get",
    latencyMs: 1,
  });
  expect(emulator.control.clearFaults(ok.id)).toBe(true);
});

it("the request log records each API call (not control calls), filters, and is capped", async () => {
  const small = await startEmulator({ requestLogLimit: 3, freezeClock: true });
  try {
    const id = small.control.clusters()[0]!.id;
    for (let i = 0; i < 5; i++)
      await huawei(small.url, "GET", `/api/v3/projects/${HW_CREDS.projectId}/clusters/${id}`);
    await control(small.url, "GET", "clusters");
    const { body } = await control<RequestLogEntry[]>(small.url, "GET", "requests");
    expect(body.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(body[2]).toMatchObject({
      method: "GET",
      service: "cce",
      operation: "ShowCluster",
      status: 200,
      account: "default",
      auth: "SDK-HMAC-SHA256",
    });
    expect(
      (await control<RequestLogEntry[]>(small.url, "GET", "requests?limit=1")).body.map((e) => e.seq),
    ).toEqual([5]);
    expect(
      (await control<RequestLogEntry[]>(small.url, "GET", "requests?operation=ListClusters")).body,
    ).toEqual([]);
    expect((await control(small.url, "DELETE", "requests")).status).toBe(204);
    expect(small.control.requests()).toEqual([]);
  } finally {
    await small.close();
  }
});

it("loads built-in scenarios, files and objects; rejects unknown ones with the list of built-ins", async () => {
  expect(
    (await control<{ clusters: number }>(emulator.url, "POST", "scenario", { name: "empty" })).body,
  ).toEqual({ scenario: "empty", clusters: 0 });
  const unknown = await control<{ error: string }>(emulator.url, "POST", "scenario", {
    name: "no-such-thing",
  });
  expect(unknown.status).toBe(400);
  expect(unknown.body.error).toMatch(/default.*empty|empty.*default/);
  const inline = { name: "inline", clusters: [{ cloud: "ack", name: "one", version: "1.30.1-aliyun.1" }] };
  expect(
    (await control<{ clusters: number }>(emulator.url, "POST", "scenario", { scenario: inline })).body
      .clusters,
  ).toBe(1);
  const dir = mkdtempSync(path.join(tmpdir(), "ugemu-scenario-"));
  const file = path.join(dir, "two.json");
  writeFileSync(
    file,
    JSON.stringify({ name: "two", clusters: [inline.clusters[0], { ...inline.clusters[0], name: "two" }] }),
  );
  expect(
    (await control<{ scenario: string; clusters: number }>(emulator.url, "POST", "scenario", { file })).body,
  ).toEqual({ scenario: "two", clusters: 2 });
  const invalid = await control<{ error: string }>(emulator.url, "POST", "scenario", {
    scenario: { name: "bad", clusters: [{ cloud: "gke" }] },
  });
  expect(invalid.status).toBe(400);
  expect(invalid.body.error).toMatch(/clusters\.0\.cloud/);
  // A failed load leaves the previous state alone.
  expect(emulator.control.scenarioName()).toBe("two");
});

it("reset restores the scenario, clock, faults, log and docQuirks", async () => {
  const ack = emulator.control.clusters().find((c) => c.name === "ack-ready")!;
  await alibaba(emulator.url, "POST", `/api/v2/clusters/${ack.id}/upgrade`, {
    action: "UpgradeCluster",
    body: { next_version: "1.32.1-aliyun.1" },
  });
  emulator.control.advanceClock(3_600_000);
  expect(emulator.control.clusters().find((c) => c.name === "ack-ready")?.version).toBe("1.32.1-aliyun.1");
  emulator.control.setFault({ operation: "ShowCluster", error: { status: 503 } });
  await control(emulator.url, "POST", "config", { docQuirks: true });
  expect((await control(emulator.url, "POST", "reset")).status).toBe(200);
  expect(emulator.control.clusters().find((c) => c.name === "ack-ready")?.version).toBe("1.31.1-aliyun.1");
  expect(emulator.control.clock().nowMs).toBe(START);
  expect(emulator.control.faults()).toEqual([]);
  expect(emulator.control.requests()).toEqual([]);
  expect((await control(emulator.url, "GET", "config")).body).toEqual({ docQuirks: false });
});

it("answers unknown control operations with 404 and bad JSON with 400; health reports the scenario", async () => {
  expect((await control(emulator.url, "GET", "nope")).status).toBe(404);
  expect(
    (await send(emulator.url, "POST", "/__emulator/clock", { "content-type": "application/json" }, "{nope"))
      .status,
  ).toBe(400);
  expect((await control(emulator.url, "GET", "health")).body).toEqual({ status: "ok", scenario: "default" });
  expect((await control(emulator.url, "GET", "accounts")).body).toMatchObject({
    huawei: [
      {
        accessKey: "UGEMU-HW-AK",
        userName: "ugemu-user",
        password: "ugemu-password",
        domainName: "ugemu-domain",
      },
    ],
    alibaba: [{ accessKeyId: "UGEMU-ALI-AK", accessKeySecret: "ugemu-ali-sk", region: "cn-hangzhou" }],
  });
});

const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((i) => i !== undefined && i.family === "IPv4" && !i.internal)?.address;

// Calling from a non-loopback address needs one; a machine without a LAN interface cannot run this.
(externalAddress === undefined ? it.skip : it)(
  externalAddress === undefined
    ? "refuses control calls from non-loopback addresses (skipped: this machine has no non-loopback IPv4 address to call from)"
    : "refuses control calls from non-loopback addresses",
  async () => {
    const open = await startEmulator({ host: "0.0.0.0" });
    try {
      const viaLan = `http://${externalAddress!}:${open.port}`;
      expect((await control(viaLan, "GET", "clusters")).status).toBe(403);
      expect((await control(`http://127.0.0.1:${open.port}`, "GET", "clusters")).status).toBe(200);
    } finally {
      await open.close();
    }
  },
);

it("refuses browser-driven calls: a foreign Host (DNS rebinding) or a foreign Origin (cross-site posts)", async () => {
  const reset = (headers: Record<string, string>): Promise<number> =>
    send(emulator.url, "POST", "/__emulator/reset", headers).then((a) => a.status);
  const port = emulator.port;
  expect(await reset({ host: `rebind.example:${port}` })).toBe(403);
  expect(await reset({ origin: "http://evil.example" })).toBe(403);
  expect(await reset({ origin: "null" })).toBe(403);
  const denied = await send(emulator.url, "GET", "/__emulator/accounts", { host: "rebind.example" });
  expect(denied.status).toBe(403);
  expect(denied.text).not.toMatch(/ugemu-hw-sk|ugemu-ali-sk/);
  expect(await reset({ host: `localhost:${port}` })).toBe(200);
  expect(await reset({ host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` })).toBe(200);
  expect(await reset({ host: `[::1]:${port}`, origin: `http://localhost:${port}` })).toBe(200);
});

it("a scenario file that does not parse is named with the position, never with its text", async () => {
  const folder = mkdtempSync(path.join(tmpdir(), "ugemu-ctl-"));
  const yamlFile = path.join(folder, "secret.yaml");
  writeFileSync(yamlFile, "token: s3cr3t-value\nlist: [unclosed\n");
  const jsonFile = path.join(folder, "secret.json");
  writeFileSync(jsonFile, '{"token": "s3cr3t-value", oops}');
  for (const file of [yamlFile, jsonFile]) {
    const answer = await control<{ error: string }>(emulator.url, "POST", "scenario", { file });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatch(/cannot parse (YAML|JSON)/);
    expect(answer.body.error).toMatch(/line|position/);
    expect(answer.body.error).not.toMatch(/s3cr3t|unclosed|oops/);
  }
});

it("GET /__emulator/stats reports clusters, request-log and nonce-cache fill, and memory", async () => {
  await huawei(emulator.url, "GET", `/api/v3/projects/${HW_CREDS.projectId}/clusters`);
  const { status, body } = await control<{
    clusters: number;
    requestLog: { size: number; capacity: number };
    nonceCache: { size: number; capacity: number };
    memory: { heapUsed: number };
  }>(emulator.url, "GET", "stats?gc=true");
  expect(status).toBe(200);
  expect(body.clusters).toBe(emulator.control.clusters().length);
  expect(body.requestLog).toEqual({ size: emulator.control.requests().length, capacity: 50 }); // this file starts it with requestLogLimit 50
  expect(body.nonceCache.capacity).toBe(200_000);
  expect(body.memory.heapUsed).toBeGreaterThan(0);
});
