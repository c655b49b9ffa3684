/**
 * CCE ListAddonInstances over real HTTP: the client against the emulator (what it sends, the parsed
 * add-on versions, the vendor errors, project isolation, retries) and against a loopback server
 * for the answers the emulator never gives (a single-object `items`, `null`s, a missing version).
 */
import { DEFAULT_HUAWEI_ACCOUNT, startEmulator, type RunningEmulator } from "../../../emulator/src";
import { createCceClient, type CceClient, type CceClientOptions } from "../../src/clients/cce/client";
import { ApiError, InputError, ResponseShapeError } from "../../src/errors";
import { startServer, type TestServer } from "../transport/loopback-server";
import { frozenClock, rejectionOf } from "./helpers";

/** The emulator's default Huawei account (emulator README "Accounts"). */
const DEFAULT = {
  accessKey: DEFAULT_HUAWEI_ACCOUNT.accessKey,
  secretKey: DEFAULT_HUAWEI_ACCOUNT.secretKey,
  projectId: DEFAULT_HUAWEI_ACCOUNT.projects[0]!.id,
};
/** The second tenant of the `multi-account` scenario. */
const TENANT_B = {
  accessKey: "UGEMU-HW-AK-B",
  secretKey: "ugemu-hw-sk-b",
  north: "ugemuprojectb000000000000000000b",
};

let emulator: RunningEmulator;
const running: RunningEmulator[] = [];
const clients: CceClient[] = [];

/** A client at `url`; `settings` replace the default account's AK/SK and project. */
function client(url: string, settings: Partial<CceClientOptions> = DEFAULT): CceClient {
  const created = createCceClient({
    region: "cn-north-4",
    endpoint: url,
    env: {},
    clock: frozenClock(Date.now()),
    ...settings,
  });
  clients.push(created);
  return created;
}

async function start(scenario = "default"): Promise<Record<string, string>> {
  emulator = await startEmulator({ scenario, freezeClock: true });
  running.push(emulator);
  return Object.fromEntries(emulator.control.clusters().map((c) => [c.name, c.id]));
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(running.splice(0).map((e) => e.close()));
});

describe("listAddonInstances against the emulator", () => {
  it("reads cce-blocked's add-ons with their installed versions (GET /api/v3/addons?cluster_id=, signed)", async () => {
    const ids = await start();
    const cce = client(emulator.url);
    const clusterId = ids["cce-blocked"]!;
    const list = await cce.listAddonInstances({ clusterId });
    expect(list).toMatchObject({ kind: "Addon", apiVersion: "v3" });
    expect(list.items.map((item) => [item.spec.addonTemplateName, item.spec.version])).toEqual([
      ["coredns", "1.29.4"],
      ["everest", "2.4.52"],
    ]);
    const coredns = list.items[0]!;
    expect(coredns.metadata.name).toBe("cceaddon-coredns");
    expect(coredns.spec.clusterID).toBe(clusterId);
    expect(coredns.status?.status).toBe("running");
    expect(coredns.status?.currentVersion?.version).toBe("1.29.4");
    // Normalized like every other CCE time.
    expect(coredns.metadata.creationTimestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    // The instance id is the one the add-on checks name, and it is stable from call to call.
    const checks = await cce.listAddonPrecheckTasks({ clusterId });
    expect(checks.items[0]?.metadata.addonInstanceID).toBe(coredns.metadata.uid);
    expect((await cce.listAddonInstances({ clusterId })).items.map((i) => i.metadata.uid)).toEqual(
      list.items.map((i) => i.metadata.uid),
    );
    const [logged] = emulator.control.requests({ operation: "ListAddonInstances", limit: 1 });
    expect(logged).toMatchObject({
      method: "GET",
      path: "/api/v3/addons",
      query: `cluster_id=${clusterId}`,
      status: 200,
      auth: "SDK-HMAC-SHA256",
      account: "default",
    });
  });

  it("an IAM token (password credentials) works as well: the project comes from the token's scope", async () => {
    const ids = await start();
    const cce = client(emulator.url, {
      projectId: DEFAULT.projectId,
      iamEndpoint: emulator.url,
      userName: "ugemu-user",
      password: "ugemu-password",
      domainName: "ugemu-domain",
    });
    const list = await cce.listAddonInstances({ clusterId: ids["cce-ready"]! });
    expect(list.items.map((item) => `${item.spec.addonTemplateName}@${item.spec.version}`)).toEqual([
      "coredns@1.29.4",
    ]);
    expect(emulator.control.requests({ operation: "ListAddonInstances", limit: 1 })[0]?.auth).toBe("token");
  });

  it("an unknown cluster is ApiError notFound with the CCE code, not retried", async () => {
    await start();
    const error = await rejectionOf(
      client(emulator.url).listAddonInstances({ clusterId: "00000000-0000-0000-0000-000000000000" }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      cloud: "cce",
      operation: "ListAddonInstances",
      httpStatus: 404,
      vendorCode: "CCE.01404001",
      category: "notFound",
    });
    expect((error as ApiError).requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(emulator.control.requests({ operation: "ListAddonInstances" })).toHaveLength(1);
  });

  it("another account's cluster, and the same account's cluster in another project, are not found", async () => {
    const ids = await start("multi-account");
    const tenantB = client(emulator.url, {
      accessKey: TENANT_B.accessKey,
      secretKey: TENANT_B.secretKey,
      projectId: TENANT_B.north,
    });
    // Tenant B sees its own north cluster (no add-ons in that scenario) ...
    await expect(tenantB.listAddonInstances({ clusterId: ids["cce-b-north"]! })).resolves.toMatchObject({
      items: [],
    });
    // ... but neither the default account's cluster nor its own south cluster from the north project.
    for (const name of ["cce-a", "cce-b-south"]) {
      const error = await rejectionOf(tenantB.listAddonInstances({ clusterId: ids[name]! }));
      expect(error).toMatchObject({ httpStatus: 404, vendorCode: "CCE.01404001", category: "notFound" });
    }
    // The default account still reads its own cluster.
    await expect(
      client(emulator.url).listAddonInstances({ clusterId: ids["cce-a"]! }),
    ).resolves.toMatchObject({ kind: "Addon" });
  });

  it("is retried like the other reads: a 503 and then the answer", async () => {
    const ids = await start();
    emulator.control.setFault({ operation: "ListAddonInstances", error: { status: 503 }, times: 1 });
    const list = await client(emulator.url).listAddonInstances({ clusterId: ids["cce-blocked"]! });
    expect(list.items).toHaveLength(2);
    expect(emulator.control.requests({ operation: "ListAddonInstances" }).map((r) => r.status)).toEqual([
      503, 200,
    ]);
  });

  it("a bad clusterId is an InputError and nothing is sent", async () => {
    await start();
    const cce = client(emulator.url);
    const error = await rejectionOf(
      // @ts-expect-error -- a typo must be reported, not ignored
      cce.listAddonInstances({ clusterId: "", clusterID: "x" }),
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).issues.map((issue) => issue.path).sort()).toEqual(["", "clusterId"]);
    expect(emulator.control.requests({ operation: "ListAddonInstances" })).toEqual([]);
  });
});

describe("listAddonInstances response shapes (loopback server)", () => {
  let server: TestServer;
  let body: string;
  const headers: Record<string, string | string[] | undefined>[] = [];

  beforeEach(async () => {
    headers.length = 0;
    server = await startServer((req, res) => {
      headers.push(req.headers);
      req.resume();
      res.writeHead(200, { "content-type": "application/json", "x-request-id": "req-addons-1" });
      res.end(body);
    });
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server.close();
  });

  const item = (template: string, version: unknown, extra: Record<string, unknown> = {}) => ({
    kind: "Addon",
    apiVersion: "v3",
    metadata: { uid: `uid-${template}`, name: template, creationTimestamp: "2019-04-02T11:36:26Z" },
    spec: { clusterID: "c-1", addonTemplateName: template, version, values: null },
    status: { status: "running", Reason: "Install complete", message: "", currentVersion: null },
    ...extra,
  });

  it("a single object as `items` becomes a one-element list; `null` members are absent", async () => {
    body = JSON.stringify({ kind: "Addon", apiVersion: "v3", items: item("coredns", "1.29.4") });
    const cce = client(server.url, { ...DEFAULT, projectId: "0123456789abcdef0123456789abcdef" });
    const list = await cce.listAddonInstances({ clusterId: "c-1" });
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      metadata: { uid: "uid-coredns", creationTimestamp: "2019-04-02T11:36:26.000Z" },
      spec: { addonTemplateName: "coredns", version: "1.29.4" },
      status: { status: "running", Reason: "Install complete" },
    });
    expect(list.items[0]?.spec.values).toBeUndefined();
    expect(list.items[0]?.status?.currentVersion).toBeUndefined();
    expect(server.received).toEqual(["GET /api/v3/addons?cluster_id=c-1"]);
    // No project in the path: it travels in the signed X-Project-Id header.
    expect(headers[0]?.["x-project-id"]).toBe("0123456789abcdef0123456789abcdef");
    expect(String(headers[0]?.["authorization"])).toMatch(/SignedHeaders=[^,]*x-project-id/);
  });

  it("an item without spec.version is a ResponseShapeError naming the field", async () => {
    body = JSON.stringify({ kind: "Addon", items: [item("coredns", "1.29.4"), item("everest", undefined)] });
    const error = await rejectionOf(client(server.url).listAddonInstances({ clusterId: "c-1" }));
    expect(error).toBeInstanceOf(ResponseShapeError);
    const shape = error as ResponseShapeError;
    expect(shape.operation).toBe("ListAddonInstances");
    expect(shape.issues.map((issue) => issue.path)).toEqual(["items.1.spec.version"]);
    expect(shape.requestId).toBe("req-addons-1");
    expect(shape.message).toContain("items.1.spec.version");
    // Never retried: one request.
    expect(server.received).toHaveLength(1);
  });

  it("an item without metadata.uid or spec.addonTemplateName is a ResponseShapeError too", async () => {
    const broken = item("coredns", "1.29.4");
    body = JSON.stringify({
      items: [{ ...broken, metadata: { name: "x" }, spec: { version: "1.29.4" } }],
    });
    const error = await rejectionOf(client(server.url).listAddonInstances({ clusterId: "c-1" }));
    expect((error as ResponseShapeError).issues.map((issue) => issue.path).sort()).toEqual([
      "items.0.metadata.uid",
      "items.0.spec.addonTemplateName",
    ]);
  });
});
