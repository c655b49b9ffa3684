/** Huawei IAM tokens (issue, use, expiry) and project isolation between accounts and regions. */
import { startEmulator, type RunningEmulator } from "../src";
import { HW_CREDS, huawei, issueToken, requestToken, send } from "./helpers/http";

type Json = Record<string, unknown>;

let emulator: RunningEmulator;

afterEach(async () => {
  await emulator.close();
});

// A charset in the content type, as the official SDKs send it.
const token = (scope?: Json): Promise<string> =>
  issueToken(emulator.url, scope, { contentType: "application/json;charset=UTF-8" });

describe("IAM tokens", () => {
  beforeEach(async () => {
    emulator = await startEmulator({ freezeClock: true });
  });

  it("POST /v3/auth/tokens answers 201 with the token in X-Subject-Token, valid 24 h", async () => {
    const answer = await requestToken(emulator.url);
    expect(answer.status).toBe(201);
    expect(answer.headers["x-subject-token"]).toMatch(/^MII/);
    expect(answer.headers["x-request-id"]).toMatch(/^[0-9a-f]{32}$/);
    const body = answer.json<{ token: Json }>().token;
    expect(body["project"]).toMatchObject({ id: HW_CREDS.projectId, name: "cn-north-4" });
    expect(Date.parse(String(body["expires_at"])) - Date.parse(String(body["issued_at"]))).toBe(
      24 * 3_600_000,
    );
  });

  it("a wrong password is 401", async () => {
    const answer = await requestToken(emulator.url, undefined, { password: "wrong" });
    expect(answer.status).toBe(401);
    expect(answer.json()).toMatchObject({ error: { code: "IAM.0101", title: "Unauthorized" } });
  });

  it("the token authenticates CCE calls until it expires (virtual time)", async () => {
    const value = await token();
    const path = `/api/v3/projects/${HW_CREDS.projectId}/clusters`;
    const ok = await send(emulator.url, "GET", path, {
      "x-auth-token": value,
      "content-type": "application/json",
    });
    expect(ok.status).toBe(200);
    expect(emulator.control.requests({ limit: 1 })[0]).toMatchObject({ auth: "token", account: "default" });
    emulator.control.advanceClock(24 * 3_600_000);
    const expired = await send(emulator.url, "GET", path, { "x-auth-token": value });
    expect([expired.status, expired.json()["error_code"]]).toEqual([401, "APIGW.0301"]);
    expect(expired.json()["error_msg"]).toMatch(/expired/);
    const bogus = await send(emulator.url, "GET", path, { "x-auth-token": "MIInotatoken" });
    expect(bogus.status).toBe(401);
  });

  it("a domain-scoped token cannot call project APIs", async () => {
    const value = await token({ domain: { name: "ugemu-domain" } });
    const answer = await send(emulator.url, "GET", `/api/v3/projects/${HW_CREDS.projectId}/clusters`, {
      "x-auth-token": value,
    });
    expect([answer.status, answer.json()["error_code"]]).toEqual([403, "APIGW.0302"]);
  });
});

describe("projects", () => {
  beforeEach(async () => {
    emulator = await startEmulator({ scenario: "multi-account", freezeClock: true });
  });

  it("clusters are found only in their own project; X-Project-Id must match the path", async () => {
    const ids = Object.fromEntries(emulator.control.clusters().map((c) => [c.name, c]));
    const south = ids["cce-b-south"]!;
    expect(south).toMatchObject({ region: "cn-south-1", projectId: "ugemuprojectb000000000000000000c" });
    const creds = { ak: "UGEMU-HW-AK-B", sk: "ugemu-hw-sk-b" };
    // Account B in its north project does not see its south cluster.
    const wrongProject = await huawei(
      emulator.url,
      "GET",
      `/api/v3/projects/ugemuprojectb000000000000000000b/clusters/${south.id}`,
      {
        ...creds,
        extraHeaders: { "x-project-id": "ugemuprojectb000000000000000000b" },
      },
    );
    expect([wrongProject.status, wrongProject.json()["errorCode"]]).toEqual([404, "CCE.01404001"]);
    const right = await huawei(
      emulator.url,
      "GET",
      `/api/v3/projects/${south.projectId!}/clusters/${south.id}`,
      {
        ...creds,
        extraHeaders: { "x-project-id": south.projectId! },
      },
    );
    expect(right.status).toBe(200);
    const mismatch = await huawei(
      emulator.url,
      "GET",
      `/api/v3/projects/${south.projectId!}/clusters/${south.id}`,
      creds,
    );
    expect([mismatch.status, mismatch.json()["error_code"]]).toEqual([403, "APIGW.0302"]);
    // The default account cannot use account B's project at all.
    const foreign = await huawei(emulator.url, "GET", `/api/v3/projects/${south.projectId!}/clusters`, {
      extraHeaders: { "x-project-id": south.projectId! },
    });
    expect(foreign.status).toBe(403);
  });
});
