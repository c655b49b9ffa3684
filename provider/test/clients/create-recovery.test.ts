/**
 * Duplicate-avoiding recovery of task-creating POSTs: after an ambiguous network failure the client
 * looks for the task it may have created and returns it (`recovered: true`), or rethrows the
 * original error. Either way the POST is sent exactly once.
 */
import { type MockAgent } from "undici";
import { TransportError, UpgradeGuardError } from "../../src/errors";
import {
  ACK_CLUSTER_ID,
  ACK_ORIGIN,
  CCE_CLUSTER_PATH,
  CCE_ORIGIN,
  CLUSTER_ID,
  JSON_HEADERS,
  NOW,
  PROJECT_ID,
  ackTestClient,
  cceTestClient,
  codedError,
  fixtureText,
  frozenClock,
  mockAgentPerTest,
  pathIs,
  rejectionOf,
  requestLog,
} from "./helpers";

let agent: MockAgent;
mockAgentPerTest((created) => (agent = created));

const HOUR = 3_600_000;

function resetOn(origin: string, method: string, path: string, code = "ECONNRESET"): void {
  agent
    .get(origin)
    .intercept({ method, path: pathIs(path) })
    .replyWithError(codedError(code, "socket hang up"));
}

function answer(origin: string, method: string, path: string, body: string, status = 200): void {
  agent
    .get(origin)
    .intercept({ method, path: pathIs(path) })
    .reply(status, body, { headers: JSON_HEADERS });
}

function posts(): string[] {
  return requestLog(agent).filter((line) => line.startsWith("POST "));
}

function expectAmbiguousTransportError(error: unknown): void {
  expect(UpgradeGuardError.isInstance(error)).toBe(true);
  expect(error).toBeInstanceOf(TransportError);
  expect((error as TransportError).ambiguous).toBe(true);
  expect((error as TransportError).operation).toMatch(
    /^(CreatePreCheck|CreateUpgradeWorkFlow|BatchCreateAddonPrecheck|UpgradeCluster|RunClusterCheck|CreateClusterMasterSnapshot)$/,
  );
}

/** A create whose POST is reset after it was sent, and the lookups (GET path, body) that follow. */
interface LostCreate {
  readonly origin: string;
  readonly post: string;
  readonly lookups: readonly (readonly [path: string, body: string])[];
}

function loseCreate({ origin, post, lookups }: LostCreate): void {
  resetOn(origin, "POST", post);
  for (const [path, body] of lookups) answer(origin, "GET", path, body);
}

/** The requests of a lost create: its one POST, then its lookups. */
function sentFor({ post, lookups }: LostCreate): string[] {
  return [`POST ${post}`, ...lookups.map(([path]) => `GET ${path}`)];
}

const precheckPath = `${CCE_CLUSTER_PATH}/operation/precheck`;
const precheckArgs = { clusterId: CLUSTER_ID, clusterVersion: "v1.28.3-r0", targetVersion: "v1.29" };
const workflowsPath = `${CCE_CLUSTER_PATH}/operation/upgradeworkflows`;
const addonPrecheckPath = `${CCE_CLUSTER_PATH}/addons/precheck`;
const cceUpgradePath = `${CCE_CLUSTER_PATH}/operation/upgrade`;
const checksPath = `/clusters/${ACK_CLUSTER_ID}/checks`;
const ackUpgradePath = `/api/v2/clusters/${ACK_CLUSTER_ID}/upgrade`;
const ackTasksPath = `/clusters/${ACK_CLUSTER_ID}/tasks`;
const newTaskPath = "/tasks/T-6a1b2c3d4e5f600000000001";

const LOST = {
  precheck: {
    origin: CCE_ORIGIN,
    post: precheckPath,
    lookups: [[`${precheckPath}/tasks`, fixtureText("cce", "list-pre-check-tasks.json")]],
  },
  workflow: {
    origin: CCE_ORIGIN,
    post: workflowsPath,
    lookups: [[workflowsPath, fixtureText("cce", "list-upgrade-workflows.items-object.json")]],
  },
  addonPrecheck: {
    origin: CCE_ORIGIN,
    post: addonPrecheckPath,
    lookups: [
      [`${addonPrecheckPath}/tasks`, fixtureText("cce", "list-addon-precheck-tasks.items-array.json")],
    ],
  },
  cceUpgrade: {
    origin: CCE_ORIGIN,
    post: cceUpgradePath,
    lookups: [[`${cceUpgradePath}/tasks`, fixtureText("cce", "list-upgrade-cluster-tasks.json")]],
  },
  ackCheck: {
    origin: ACK_ORIGIN,
    post: checksPath,
    lookups: [[checksPath, fixtureText("ack", "list-cluster-checks.json")]],
  },
  /** The cluster's new upgrade task records `nextVersion`. */
  ackUpgrade: (nextVersion: string): LostCreate => ({
    origin: ACK_ORIGIN,
    post: ackUpgradePath,
    lookups: [
      [ackTasksPath, fixtureText("ack", "describe-cluster-tasks.json")],
      [
        newTaskPath,
        JSON.stringify({
          task_id: "T-6a1b2c3d4e5f600000000001",
          cluster_id: ACK_CLUSTER_ID,
          task_type: "cluster_upgrade",
          state: "running",
          created: "2025-08-05T17:10:44+08:00",
          parameters: { next_version: nextVersion, master_only: false },
        }),
      ],
    ],
  }),
} as const satisfies Record<string, LostCreate | ((nextVersion: string) => LostCreate)>;

const addonArgs = (targetVersion: string) => ({
  clusterId: CLUSTER_ID,
  addonList: [
    {
      addonTemplateName: "coredns",
      addonInstanceId: "1d43577d-4b50-4723-b05b-2121f47cb219",
      targetVersion,
      type: "addonUpgrade" as const,
    },
  ],
});

/** A create to attempt with a fresh client: the client (to close) and the attempt's result. */
type Attempt = () => { client: { close(): Promise<void> }; result: Promise<unknown> };
const withClient = <C extends { close(): Promise<void> }>(
  client: C,
  call: (client: C) => Promise<unknown>,
) => ({
  client,
  result: call(client),
});

// Each lookup finds no task of this call's: the create's own error, after exactly one POST.
it.each<[string, string, () => LostCreate, Attempt]>([
  [
    "createPreCheck: no task for that target",
    "CreatePreCheck",
    () => LOST.precheck,
    () =>
      withClient(cceTestClient(agent), (c) => c.createPreCheck({ ...precheckArgs, targetVersion: "v1.30" })),
  ],
  [
    "createPreCheck: a matching task created before the call (beyond the skew allowance) is not ours",
    "CreatePreCheck",
    () => LOST.precheck,
    () =>
      withClient(cceTestClient(agent, { clock: frozenClock(NOW + HOUR) }), (c) =>
        c.createPreCheck(precheckArgs),
      ),
  ],
  [
    "createUpgradeWorkFlow: not found for another target",
    "CreateUpgradeWorkFlow",
    () => LOST.workflow,
    () =>
      withClient(cceTestClient(agent), (c) =>
        c.createUpgradeWorkFlow({ clusterId: CLUSTER_ID, targetVersion: "v1.31" }),
      ),
  ],
  [
    "batchCreateAddonPrecheck: no task for that add-on version",
    "BatchCreateAddonPrecheck",
    () => LOST.addonPrecheck,
    () => withClient(cceTestClient(agent), (c) => c.batchCreateAddonPrecheck(addonArgs("3.1.0"))),
  ],
  [
    "upgradeCluster (CCE): a different patch target is not a match",
    "UpgradeCluster",
    () => LOST.cceUpgrade,
    () =>
      withClient(cceTestClient(agent), (c) =>
        c.upgradeCluster({ clusterId: CLUSTER_ID, targetVersion: "v1.29.6-r0" }),
      ),
  ],
  [
    "runClusterCheck: only older checks",
    "RunClusterCheck",
    () => LOST.ackCheck,
    () =>
      withClient(ackTestClient(agent, { clock: frozenClock(NOW + HOUR) }), (c) =>
        c.runClusterCheck({ clusterId: ACK_CLUSTER_ID, type: "ClusterUpgrade" }),
      ),
  ],
  [
    "upgradeCluster (ACK): a new task recording another version",
    "UpgradeCluster",
    () => LOST.ackUpgrade("1.31.9-aliyun.1"),
    () =>
      withClient(ackTestClient(agent), (c) =>
        c.upgradeCluster({ clusterId: ACK_CLUSTER_ID, nextVersion: "1.32.1-aliyun.1" }),
      ),
  ],
])("%s → the original error, one POST", async (_case, operation, lost, attempt) => {
  loseCreate(lost());
  const { client, result } = attempt();
  const error = await rejectionOf(result);
  expectAmbiguousTransportError(error);
  expect((error as TransportError).operation).toBe(operation);
  expect(posts()).toHaveLength(1);
  expect(requestLog(agent)).toEqual(sentFor(lost()));
  await client.close();
});

describe("CCE recovery", () => {
  it("createPreCheck: a new task for the same target is returned, marked recovered", async () => {
    const client = cceTestClient(agent);
    loseCreate(LOST.precheck);
    const result = await client.createPreCheck(precheckArgs);
    expect(result.recovered).toBe(true);
    // the v1.29.5-r0 task created at 09:10:44.648Z, not the older v1.29 one from the day before
    expect(result.metadata.uid).toBe("f61e008c-1600-41c0-9bde-121de5a30660");
    expect(requestLog(agent)).toEqual([`POST ${precheckPath}`, `GET ${precheckPath}/tasks`]);
    await client.close();
  });

  it("createPreCheck: a failing lookup rethrows the create's own error", async () => {
    const client = cceTestClient(agent, { transport: { retry: { maxAttempts: 1 } } });
    resetOn(CCE_ORIGIN, "POST", precheckPath);
    answer(CCE_ORIGIN, "GET", `${precheckPath}/tasks`, JSON.stringify({ errorCode: "CCE.01500001" }), 500);
    expectAmbiguousTransportError(await rejectionOf(client.createPreCheck(precheckArgs)));
    expect(posts()).toHaveLength(1);
    await client.close();
  });

  it("createPreCheck: a failure that certainly did not reach the server is not looked up", async () => {
    const client = cceTestClient(agent, { transport: { retry: { maxAttempts: 1 } } });
    resetOn(CCE_ORIGIN, "POST", precheckPath, "ECONNREFUSED");
    const error = await rejectionOf(client.createPreCheck(precheckArgs));
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).ambiguous).toBe(false);
    expect(requestLog(agent)).toEqual([`POST ${precheckPath}`]);
    await client.close();
  });

  it("createClusterMasterSnapshot: the newest snapshot task since the call is returned; an older one is not ours", async () => {
    const path = `/api/v3.1/projects/${PROJECT_ID}/clusters/${CLUSTER_ID}/operation/snapshot`;
    const task = (uid: string, created: string) => ({
      kind: "SnapshotTask",
      apiVersion: "v3.1",
      metadata: { uid, creationTimestamp: created },
      status: { phase: "Running" },
    });
    const listing = JSON.stringify({
      apiVersion: "v3.1",
      kind: "List",
      items: [
        task("older", "2025-08-04 09:10:44.000000 +0000 UTC"),
        task("ours", "2025-08-05 09:10:45.000000 +0000 UTC"),
      ],
    });
    const lost: LostCreate = { origin: CCE_ORIGIN, post: path, lookups: [[`${path}/tasks`, listing]] };
    const client = cceTestClient(agent);
    loseCreate(lost);
    const result = await client.createClusterMasterSnapshot({ clusterId: CLUSTER_ID });
    expect(result).toEqual({ uid: "ours", recovered: true });
    expect(requestLog(agent)).toEqual(sentFor(lost));

    const later = cceTestClient(agent, { clock: frozenClock(NOW + HOUR) });
    loseCreate(lost);
    expectAmbiguousTransportError(
      await rejectionOf(later.createClusterMasterSnapshot({ clusterId: CLUSTER_ID })),
    );
    expect(posts()).toHaveLength(2);
    await client.close();
    await later.close();
  });

  it("createUpgradeWorkFlow: found via ListUpgradeWorkFlows", async () => {
    const client = cceTestClient(agent);
    loseCreate(LOST.workflow);
    const result = await client.createUpgradeWorkFlow({ clusterId: CLUSTER_ID, targetVersion: "v1.29" });
    expect(result.recovered).toBe(true);
    expect(result.metadata.uid).toBe("c271e39e-1a6e-4d3d-8fa8-2a36329c68d1");
    expect(requestLog(agent)).toEqual([`POST ${workflowsPath}`, `GET ${workflowsPath}`]);
    await client.close();
  });

  it("batchCreateAddonPrecheck: the new task of each add-on is returned in status.items", async () => {
    const client = cceTestClient(agent);
    loseCreate(LOST.addonPrecheck);
    const result = await client.batchCreateAddonPrecheck(addonArgs("3.0.4"));
    expect(result.recovered).toBe(true);
    expect(result.status?.items?.map((task) => task.metadata.taskID)).toEqual([
      "8ca259cc-553b-11e9-926f-0255ac101a31",
    ]);
    expect(posts()).toHaveLength(1);
    await client.close();
  });

  it("upgradeCluster: found via ListUpgradeClusterTasks, task id in metadata.uid", async () => {
    const client = cceTestClient(agent);
    loseCreate(LOST.cceUpgrade);
    const result = await client.upgradeCluster({ clusterId: CLUSTER_ID, targetVersion: "v1.29" });
    expect(result.recovered).toBe(true);
    expect(result.metadata.uid).toBe("6d799ff6-3afe-4242-80b4-6f0a0fa746cb");
    expect(result.spec?.clusterUpgradeAction?.targetVersion).toBe("v1.29.5-r0");
    expect(posts()).toHaveLength(1);
    await client.close();
  });
});

describe("ACK recovery", () => {
  it("runClusterCheck: a new check of the same type is returned, marked recovered", async () => {
    const client = ackTestClient(agent);
    loseCreate(LOST.ackCheck);
    const result = await client.runClusterCheck({
      clusterId: ACK_CLUSTER_ID,
      type: "ClusterUpgrade",
      options: { next_version: "1.32.1-aliyun.1" },
    });
    expect(result).toEqual({
      check_id: `1754385044648000000-${ACK_CLUSTER_ID}-clustercheck-abcde`,
      recovered: true,
    });
    expect(requestLog(agent)).toEqual([`POST ${checksPath}`, `GET ${checksPath}`]);
    await client.close();
  });

  it("upgradeCluster: the new cluster-upgrade task is found via DescribeClusterTasks + DescribeTaskInfo", async () => {
    const client = ackTestClient(agent);
    loseCreate(LOST.ackUpgrade("1.32.1-aliyun.1"));
    const result = await client.upgradeCluster({ clusterId: ACK_CLUSTER_ID, nextVersion: "1.32.1-aliyun.1" });
    expect(result).toEqual({
      cluster_id: ACK_CLUSTER_ID,
      task_id: "T-6a1b2c3d4e5f600000000001",
      recovered: true,
    });
    expect(requestLog(agent)).toEqual([
      `POST ${ackUpgradePath}`,
      `GET ${ackTasksPath}`,
      `GET ${newTaskPath}`,
    ]);
    await client.close();
  });
});
