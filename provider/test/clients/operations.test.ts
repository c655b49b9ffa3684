/**
 * The operation tables: each row's retry mode, and that the mode is what the transport gets (a
 * cancel is resent after a lost answer, a create is not).
 */
import { type MockAgent } from "undici";
import { ACK_OPERATIONS } from "../../src/clients/ack/client";
import { ACK_ROUTES } from "../../src/clients/ack/routes";
import { CCE_OPERATIONS } from "../../src/clients/cce/client";
import { CCE_ROUTES } from "../../src/clients/cce/routes";
import { TransportError } from "../../src/errors";
import {
  CCE_CLUSTER_PATH,
  CCE_ORIGIN,
  ACK_ORIGIN,
  CLUSTER_ID,
  JSON_HEADERS,
  ackTestClient,
  cceTestClient,
  codedError,
  fixtureText,
  mockAgentPerTest,
  pathIs,
  rejectionOf,
  requestLog,
} from "./helpers";

type Table = Record<string, { readonly retryMode: string }>;
type Routes = Record<string, { readonly method: string }>;

/** `"METHOD Operation"` → retry mode, for the rows whose method is (or is not) GET. */
function modes(table: Table, routes: Routes, gets: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, row] of Object.entries(table)) {
    // Rows are keyed by client method; the route by the vendor operation (`createPreCheck` → `CreatePreCheck`).
    const operation = name.charAt(0).toUpperCase() + name.slice(1);
    const method = routes[operation]?.method;
    if ((method === "GET") === gets) out[`${method} ${operation}`] = row.retryMode;
  }
  return out;
}

describe("retry modes", () => {
  it("every GET is idempotent", () => {
    for (const [table, routes] of [
      [CCE_OPERATIONS, CCE_ROUTES],
      [ACK_OPERATIONS, ACK_ROUTES],
    ] as const) {
      const reads = Object.values(modes(table, routes, true));
      expect(reads.length).toBeGreaterThan(0);
      expect(new Set(reads)).toEqual(new Set(["idempotent"]));
    }
  });

  it("CCE: the five POSTs that start tasks are creates; the PATCH (a cancel) and CreatePostCheck (answered at once) are idempotent", () => {
    expect(modes(CCE_OPERATIONS, CCE_ROUTES, false)).toEqual({
      "POST BatchCreateAddonPrecheck": "create",
      "POST CreatePreCheck": "create",
      "POST CreateUpgradeWorkFlow": "create",
      "PATCH UpgradeWorkFlowUpdate": "idempotent",
      "POST UpgradeCluster": "create",
      "POST CreatePostCheck": "idempotent",
      "POST CreateClusterMasterSnapshot": "create",
    });
  });

  it("ACK: RunClusterCheck, UpgradeCluster and UpgradeClusterNodepool start tasks (create); CancelTask only stops one (idempotent)", () => {
    expect(modes(ACK_OPERATIONS, ACK_ROUTES, false)).toEqual({
      "POST RunClusterCheck": "create",
      "POST UpgradeCluster": "create",
      "POST CancelTask": "idempotent",
      "POST UpgradeClusterNodepool": "create",
    });
  });
});

describe("the transport follows the row's mode after a lost answer", () => {
  let agent: MockAgent;
  mockAgentPerTest((created) => (agent = created));

  function resetOnce(origin: string, method: string, path: string): void {
    agent
      .get(origin)
      .intercept({ method, path: pathIs(path) })
      .replyWithError(codedError("ECONNRESET", "socket hang up"));
  }

  it("ACK cancelTask is sent again", async () => {
    const client = ackTestClient(agent);
    resetOnce(ACK_ORIGIN, "POST", "/tasks/T-1/cancel");
    agent.get(ACK_ORIGIN).intercept({ method: "POST", path: "/tasks/T-1/cancel" }).reply(200, "");
    expect(await client.cancelTask({ taskId: "T-1" })).toEqual({});
    expect(requestLog(agent)).toEqual(["POST /tasks/T-1/cancel", "POST /tasks/T-1/cancel"]);
    await client.close();
  });

  it("CCE upgradeWorkFlowUpdate is sent again", async () => {
    const client = cceTestClient(agent);
    const path = `${CCE_CLUSTER_PATH}/operation/upgradeworkflows/wf-1`;
    resetOnce(CCE_ORIGIN, "PATCH", path);
    agent
      .get(CCE_ORIGIN)
      .intercept({ method: "PATCH", path })
      .reply(200, fixtureText("cce", "upgrade-workflow-update.json"), { headers: JSON_HEADERS });
    const result = await client.upgradeWorkFlowUpdate({ clusterId: CLUSTER_ID, upgradeWorkflowId: "wf-1" });
    expect(result.status?.phase).toBe("Cancel");
    expect(requestLog(agent)).toEqual([`PATCH ${path}`, `PATCH ${path}`]);
    await client.close();
  });

  it("ACK runClusterCheck is not: one POST, then the lookup", async () => {
    const client = ackTestClient(agent);
    const path = "/clusters/c-1/checks";
    resetOnce(ACK_ORIGIN, "POST", path);
    agent
      .get(ACK_ORIGIN)
      .intercept({ method: "GET", path: pathIs(path) })
      .reply(200, JSON.stringify({ checks: [] }), { headers: JSON_HEADERS });
    const error = await rejectionOf(client.runClusterCheck({ clusterId: "c-1", type: "ClusterUpgrade" }));
    expect(error).toBeInstanceOf(TransportError);
    expect(requestLog(agent)).toEqual([`POST ${path}`, `GET ${path}`]);
    await client.close();
  });
});
