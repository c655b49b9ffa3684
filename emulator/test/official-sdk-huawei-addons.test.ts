/**
 * ListAddonInstances through the official Huawei SDK core (`@huaweicloud/huaweicloud-sdk-core`),
 * called as the Go SDK's request definition has it (GenReqDefForListAddonInstances: `GET
 * /api/v3/addons`, `cluster_id` in the query, no project in the path). The SDK's `BasicCredentials`
 * put the project in a signed `X-Project-Id` header, which is how the emulator finds the caller's
 * project for this route.
 */
import { startEmulator, type RunningEmulator } from "../src";
import { callHuawei, huaweiClient, huaweiFailure } from "./helpers/official-sdks";

type Json = Record<string, unknown>;

let emulator: RunningEmulator;
let ids: Record<string, string>;

beforeEach(async () => {
  emulator = await startEmulator({ freezeClock: true });
  ids = Object.fromEntries(emulator.control.clusters().map((c) => [c.name, c.id]));
});

afterEach(async () => {
  await emulator.close();
});

const id = (name: string): string => {
  const value = ids[name];
  if (value === undefined) throw new Error(`no cluster ${name}`);
  return value;
};

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
    expect(emulator.control.requests().map((r) => `${r.operation} ${r.status}`)).toEqual([
      "KeystoneListProjects 200",
      "ListAddonInstances 200",
    ]);
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
