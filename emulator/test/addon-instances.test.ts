/**
 * CCE ListAddonInstances (`GET /api/v3/addons?cluster_id=`) over raw signed HTTP: the add-ons a
 * scenario declares, in the vendor's shape; the project taken from `X-Project-Id` or the token; the
 * vendor errors for a missing or unknown cluster and for foreign projects.
 */
import { cceAddonInstanceListSchema } from "@upgrade-guard/provider/schemas";
import { type RunningEmulator } from "../src";
import { emulatorPerTest } from "./helpers/emulator";
import { HW_CREDS, huawei, issueToken, send, type HttpAnswer } from "./helpers/http";
import { queryString, sdkDate, signHuawei, type RawRequest } from "./helpers/signers";

type Json = Record<string, unknown>;

const TENANT_B = {
  ak: "UGEMU-HW-AK-B",
  sk: "ugemu-hw-sk-b",
  north: "ugemuprojectb000000000000000000b",
  south: "ugemuprojectb000000000000000000c",
};
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const perTest = emulatorPerTest();
let emulator: RunningEmulator;
async function start(scenario = "default"): Promise<void> {
  emulator = await perTest.start({ scenario });
}
const id = perTest.id;

/** ListAddonInstances signed like the Node SDK (with the default account's X-Project-Id). */
const listAddons = (
  query: Array<[string, string]>,
  options: Parameters<typeof huawei>[3] = {},
): Promise<HttpAnswer> => huawei(emulator.url, "GET", "/api/v3/addons", { ...options, query });

/** An AK/SK request that carries no X-Project-Id at all (signed without it). */
function withoutProjectHeader(query: Array<[string, string]>): Promise<HttpAnswer> {
  const request: RawRequest = {
    method: "GET",
    path: "/api/v3/addons",
    query,
    headers: {
      "content-type": "application/json",
      host: new URL(emulator.url).host,
      "x-sdk-date": sdkDate(Date.now()),
    },
    body: "",
  };
  request.headers["authorization"] = signHuawei(request, HW_CREDS.ak, HW_CREDS.sk, [
    "content-type",
    "host",
    "x-sdk-date",
  ]);
  return send(emulator.url, "GET", `${request.path}?${queryString(query)}`, request.headers);
}

const token = (scope: Json): Promise<string> => issueToken(emulator.url, scope);

const errorOf = (answer: HttpAnswer): unknown[] => {
  const body = answer.json();
  return [answer.status, body["errorCode"] ?? body["error_code"]];
};

describe("ListAddonInstances: the scenario's add-ons", () => {
  beforeEach(() => start());

  it("cce-blocked: coredns 1.29.4 and everest 2.4.52, vendor-shaped, parsed by the provider's schema", async () => {
    const answer = await listAddons([["cluster_id", id("cce-blocked")]]);
    expect(answer.status).toBe(200);
    expect(answer.headers["x-request-id"]).toMatch(/^[0-9a-f]{32}$/);
    const body = answer.json<{ kind: string; apiVersion: string; items: Json[] }>();
    expect(body).toMatchObject({ kind: "Addon", apiVersion: "v3" });
    expect(Array.isArray(body.items)).toBe(true);
    expect(body.items.map((item) => item["spec"])).toEqual([
      expect.objectContaining({
        clusterID: id("cce-blocked"),
        addonTemplateName: "coredns",
        version: "1.29.4",
      }),
      expect.objectContaining({
        clusterID: id("cce-blocked"),
        addonTemplateName: "everest",
        version: "2.4.52",
      }),
    ]);
    const coredns = body.items[0]!;
    expect(coredns).toMatchObject({
      kind: "Addon",
      apiVersion: "v3",
      metadata: { name: "cceaddon-coredns", uid: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      status: { status: "running", currentVersion: { version: "1.29.4" } },
    });
    expect((coredns["metadata"] as Json)["creationTimestamp"]).toMatch(RFC3339_UTC);
    expect((coredns["metadata"] as Json)["updateTimestamp"]).toMatch(RFC3339_UTC);
    // The vendor capitalises Reason.
    expect(coredns["status"]).toHaveProperty("Reason");
    expect(cceAddonInstanceListSchema.safeParse(body).success).toBe(true);
  });

  it("each instance's uid is stable and is the addonInstanceID the add-on checks name", async () => {
    const first = (await listAddons([["cluster_id", id("cce-blocked")]])).json<{ items: Json[] }>();
    const again = (await listAddons([["cluster_id", id("cce-blocked")]])).json<{ items: Json[] }>();
    const uids = (list: { items: Json[] }) => list.items.map((item) => (item["metadata"] as Json)["uid"]);
    expect(uids(again)).toEqual(uids(first));
    expect(new Set(uids(first)).size).toBe(2);
    const checks = (
      await huawei(
        emulator.url,
        "GET",
        `/api/v3/projects/${HW_CREDS.projectId}/clusters/${id("cce-blocked")}/addons/precheck/tasks`,
      )
    ).json<{ items: Array<{ metadata: Json }> }>();
    expect(checks.items[0]?.metadata["addonInstanceID"]).toBe(uids(first)[0]);
    // Other clusters' instances have other ids.
    const ready = (await listAddons([["cluster_id", id("cce-ready")]])).json<{ items: Json[] }>();
    expect(uids(ready)).toHaveLength(1);
    expect(uids(first)).not.toContain(uids(ready)[0]);
  });

  it("addon_template_name filters by template", async () => {
    const answer = await listAddons([
      ["cluster_id", id("cce-blocked")],
      ["addon_template_name", "everest"],
    ]);
    const items = answer.json<{ items: Json[] }>().items;
    expect(items.map((item) => (item["spec"] as Json)["addonTemplateName"])).toEqual(["everest"]);
    const none = await listAddons([
      ["cluster_id", id("cce-blocked")],
      ["addon_template_name", "nope"],
    ]);
    expect(none.json()).toMatchObject({ kind: "Addon", items: [] });
  });

  it("a cluster without add-ons answers an empty list; the route is served to AK/SK and tokens", async () => {
    await emulator.control.loadScenario({
      name: "bare",
      clusters: [{ cloud: "cce", name: "cce-bare", version: "v1.29.5-r0", targetVersions: ["v1.30"] }],
    });
    expect((await listAddons([["cluster_id", id("cce-bare")]])).json()).toEqual({
      kind: "Addon",
      apiVersion: "v3",
      items: [],
    });
    const value = await token({ project: { name: "cn-north-4" } });
    const viaToken = await send(emulator.url, "GET", `/api/v3/addons?cluster_id=${id("cce-bare")}`, {
      "x-auth-token": value,
      "content-type": "application/json",
    });
    expect(viaToken.status).toBe(200);
  });

  it("serves the versions the state holds (a scenario's versions, not fixed ones)", async () => {
    await emulator.control.loadScenario({
      name: "versions",
      clusters: [
        {
          cloud: "cce",
          name: "cce-x",
          version: "v1.29.5-r0",
          targetVersions: ["v1.30"],
          addons: [
            { template: "coredns", version: "1.30.1", id: "7a3c5a8e-0000-4000-8000-000000000001" },
            { template: "autoscaler", version: "1.29.17", instanceName: "my-autoscaler" },
          ],
        },
      ],
    });
    const items = (await listAddons([["cluster_id", id("cce-x")]])).json<{ items: Json[] }>().items;
    expect(
      items.map((item) => [
        (item["metadata"] as Json)["uid"],
        (item["metadata"] as Json)["name"],
        (item["spec"] as Json)["version"],
      ]),
    ).toEqual([
      ["7a3c5a8e-0000-4000-8000-000000000001", "cceaddon-coredns", "1.30.1"],
      [expect.any(String), "my-autoscaler", "1.29.17"],
    ]);
  });
});

describe("ListAddonInstances: vendor errors", () => {
  beforeEach(() => start());

  it("no cluster_id, or an empty one, is 400 CCE.01400001 in the CCE error format", async () => {
    for (const query of [[], [["cluster_id", ""]]] as Array<Array<[string, string]>>) {
      const answer = await listAddons(query);
      expect(answer.status).toBe(400);
      expect(answer.json()).toEqual({
        errorCode: "CCE.01400001",
        errorMessage: expect.stringContaining("cluster_id"),
      });
    }
  });

  it("an unknown cluster, or an ACK cluster's id, is 404 CCE.01404001", async () => {
    for (const clusterId of ["00000000-0000-0000-0000-000000000000", id("ack-ready")]) {
      const answer = await listAddons([["cluster_id", clusterId]]);
      expect(errorOf(answer)).toEqual([404, "CCE.01404001"]);
      expect(answer.json()["errorMessage"]).toContain(clusterId);
    }
  });

  it("AK/SK without X-Project-Id, or with a project of another account, is 403 APIGW.0302", async () => {
    const bare = await withoutProjectHeader([["cluster_id", id("cce-blocked")]]);
    expect(errorOf(bare)).toEqual([403, "APIGW.0302"]);
    expect(bare.json()["error_msg"]).toContain("X-Project-Id is required");
    await emulator.control.loadScenario("multi-account");
    const foreign = await listAddons([["cluster_id", id("cce-b-north")]], {
      extraHeaders: { "x-project-id": TENANT_B.north },
    });
    expect(errorOf(foreign)).toEqual([403, "APIGW.0302"]);
  });

  it("a domain-scoped token is 403; a bad signature is 401", async () => {
    const value = await token({ domain: { name: "ugemu-domain" } });
    const answer = await send(emulator.url, "GET", `/api/v3/addons?cluster_id=${id("cce-blocked")}`, {
      "x-auth-token": value,
    });
    expect(errorOf(answer)).toEqual([403, "APIGW.0302"]);
    const tampered = await listAddons([["cluster_id", id("cce-blocked")]], {
      tamper: (request) => {
        request.query = [["cluster_id", id("cce-ready")]];
      },
    });
    expect(errorOf(tampered)).toEqual([401, "APIGW.0301"]);
  });
});

describe("ListAddonInstances: projects", () => {
  beforeEach(() => start("multi-account"));

  it("a cluster is visible only in its own account and project", async () => {
    const southCluster = id("cce-b-south");
    const asB = (projectId: string) =>
      listAddons([["cluster_id", southCluster]], {
        ak: TENANT_B.ak,
        sk: TENANT_B.sk,
        extraHeaders: { "x-project-id": projectId },
      });
    // Account B, own project: found.
    const own = await asB(TENANT_B.south);
    expect(own.status).toBe(200);
    expect(own.json()).toMatchObject({ kind: "Addon", items: [] });
    // Account B, its other project: not found.
    expect(errorOf(await asB(TENANT_B.north))).toEqual([404, "CCE.01404001"]);
    // The default account (its own project): not found.
    expect(errorOf(await listAddons([["cluster_id", southCluster]]))).toEqual([404, "CCE.01404001"]);
    // And account B cannot see the default account's cluster.
    const cross = await listAddons([["cluster_id", id("cce-a")]], {
      ak: TENANT_B.ak,
      sk: TENANT_B.sk,
      extraHeaders: { "x-project-id": TENANT_B.north },
    });
    expect(errorOf(cross)).toEqual([404, "CCE.01404001"]);
  });

  it("a token's project must match X-Project-Id when both are given", async () => {
    const value = await token({ project: { name: "cn-north-4" } });
    const answer = await send(emulator.url, "GET", `/api/v3/addons?cluster_id=${id("cce-a")}`, {
      "x-auth-token": value,
      "x-project-id": TENANT_B.north,
    });
    expect(errorOf(answer)).toEqual([403, "APIGW.0302"]);
  });
});
