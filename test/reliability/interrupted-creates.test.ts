/**
 * Reliability 4: a process killed right after the vendor accepted its task. For every resource that
 * starts one, a child process runs the resource's `create` (the provider implementation the SDK's
 * dynamic providers load, `@upgrade-guard/provider/impl`) against an emulator in this process, over
 * real HTTP; once the emulator's request log shows the create call answered, the child gets SIGKILL,
 * so nothing recorded what it started. A second, fresh process runs the same create: it must adopt
 * the task the first one started, and the emulator must hold exactly one task of that kind.
 */
import {
  clientEnvironment,
  startEmulator,
  type RunningEmulator,
  type ScenarioInput,
} from "@upgrade-guard/emulator";
import { emulatorState, ROOT, startNode, waitUntil, withDeadline, type EmulatorTables } from "./helpers";

jest.setTimeout(60_000);

/** Tasks that take an hour of virtual time on a frozen clock: they are still running at the rerun. */
const SCENARIO: ScenarioInput = {
  name: "interrupted-creates",
  defaults: { checkProgress: { duration: "1h" }, upgradeProgress: { duration: "1h" } },
  clusters: [
    {
      cloud: "cce",
      name: "cce-slow",
      version: "v1.29.5-r0",
      targetVersions: ["v1.30"],
      addons: [{ template: "coredns", version: "1.29.4" }],
    },
    { cloud: "ack", name: "ack-slow", version: "1.31.1-aliyun.1", targetVersions: ["1.32.1-aliyun.1"] },
    // The upgrades' own prechecks finish on their first read, so the upgrade is what gets interrupted.
    {
      cloud: "cce",
      name: "cce-upgrade",
      version: "v1.29.5-r0",
      targetVersions: ["v1.30"],
      checkProgress: { polls: 1 },
    },
    // The snapshot before the upgrade takes the hour: it is what gets interrupted.
    {
      cloud: "cce",
      name: "cce-snapshot",
      version: "v1.29.5-r0",
      targetVersions: ["v1.30"],
      checkProgress: { polls: 1 },
      outcomes: { "v1.30": { snapshot: { progress: { duration: "1h" } } } },
      // A finished precheck to decide on (runPrecheck: false), so the rerun starts nothing new.
      history: { cce: { prechecks: [{ targetVersion: "v1.30", createdAgo: "1m" }] } },
    },
    {
      cloud: "ack",
      name: "ack-upgrade",
      version: "1.31.1-aliyun.1",
      targetVersions: ["1.32.1-aliyun.1"],
      checkProgress: { polls: 1 },
    },
  ],
};

/**
 * The child: one resource create through the implementation, its outcome on stdout. It reports to
 * nobody else; the engine that would have recorded the result is what the kill takes away.
 */
const CHILD = `
const { resources } = require(${JSON.stringify(require.resolve("@upgrade-guard/provider/impl", { paths: [ROOT] }))});
const [name, inputs] = process.argv.slice(1);
resources[name].create(JSON.parse(inputs)).then(
  (result) => console.log("outcome created " + result.id),
  (error) => console.log("outcome " + (error.id === undefined ? "failed " + error.message : "partial " + error.id)),
);
`;

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ scenario: SCENARIO, freezeClock: true, onInternalError: () => undefined });
});
afterAll(async () => {
  await emulator?.close();
});
beforeEach(async () => {
  await emulator.control.reset();
});

const clusterId = (name: string): string => emulator.control.clusters().find((c) => c.name === name)!.id;

const state = (): Promise<EmulatorTables> => emulatorState(emulator.url);

async function addonInstanceOf(cluster: string): Promise<string> {
  // The add-on instance id is the scenario's (`metadata.uid` of ListAddonInstances), read from the state.
  const tables = (await state()) as unknown as { clusters: { id: string; addons: { id: string }[] }[] };
  return tables.clusters.find((c) => c.id === cluster)!.addons[0]!.id;
}

interface Case {
  readonly resource: string;
  /** The vendor operation that starts the task, and the state table its task lands in. */
  readonly createOperation: string;
  readonly table: string;
  readonly cluster: string;
  inputs(cluster: string): Promise<Record<string, unknown>>;
  /**
   * The task is one a create runs before it has a resource to record (the master snapshot): the
   * rerun adopts it and, when its short wait ends, fails with nothing recorded.
   */
  readonly beforeRecord?: true;
  /**
   * ack.ClusterCheck: ACK does not list the options a check ran with (docs/ack.md#cluster-checks),
   * so the rerun cannot show the running check is its own and starts one of its own (a check
   * changes nothing in the cluster; the first one is left to finish).
   */
  readonly ownCheck?: true;
}

const CASES: Case[] = [
  {
    resource: "cceClusterPrecheck",
    createOperation: "CreatePreCheck",
    table: "ccePrechecks",
    cluster: "cce-slow",
    inputs: async (id) => ({ clusterId: id, targetVersion: "v1.30" }),
  },
  {
    resource: "cceAddonPrecheck",
    createOperation: "BatchCreateAddonPrecheck",
    table: "cceAddonChecks",
    cluster: "cce-slow",
    inputs: async (id) => ({
      clusterId: id,
      addons: [
        { addonTemplateName: "coredns", addonInstanceId: await addonInstanceOf(id), targetVersion: "1.30.1" },
      ],
    }),
  },
  {
    resource: "cceUpgradeWorkflow",
    createOperation: "CreateUpgradeWorkFlow",
    table: "cceWorkflows",
    cluster: "cce-slow",
    inputs: async (id) => ({ clusterId: id, targetVersion: "v1.30" }),
  },
  {
    resource: "cceClusterUpgrade",
    createOperation: "UpgradeCluster",
    table: "cceUpgradeTasks",
    cluster: "cce-upgrade",
    inputs: async (id) => ({ clusterId: id, targetVersion: "v1.30" }),
  },
  {
    resource: "cceClusterUpgrade",
    createOperation: "CreateClusterMasterSnapshot",
    table: "cceSnapshots",
    cluster: "cce-snapshot",
    inputs: async (id) => ({
      clusterId: id,
      targetVersion: "v1.30",
      snapshot: true,
      snapshotTimeoutMinutes: 0.01,
      runPrecheck: false,
    }),
    beforeRecord: true,
  },
  {
    resource: "ackClusterCheck",
    createOperation: "RunClusterCheck",
    table: "ackChecks",
    cluster: "ack-slow",
    inputs: async (id) => ({ clusterId: id, targetVersion: "1.32.1-aliyun.1" }),
    ownCheck: true,
  },
  {
    resource: "ackClusterUpgrade",
    createOperation: "UpgradeCluster",
    table: "ackTasks",
    cluster: "ack-upgrade",
    inputs: async (id) => ({ clusterId: id, targetVersion: "1.32.1-aliyun.1" }),
  },
];

const CREATE_OPERATIONS = [
  "CreatePreCheck",
  "BatchCreateAddonPrecheck",
  "CreateUpgradeWorkFlow",
  "UpgradeCluster",
  "RunClusterCheck",
  "CreateClusterMasterSnapshot",
];

const answered = (operation: string): number =>
  emulator.control.requests().filter((r) => r.operation === operation && r.status >= 200 && r.status < 300)
    .length;

describe.each(CASES)(
  "$resource",
  ({ resource, createOperation, table, cluster, inputs, beforeRecord, ownCheck }) => {
    it(`killed right after ${createOperation} was answered: the rerun ${ownCheck === true ? "starts its own check, the first left running" : "adopts that task, one task in all"}`, async () => {
      const id = clusterId(cluster);
      const args = await inputs(id);
      const env = clientEnvironment(emulator.url, { pollIntervalMs: 5 });

      const first = startNode(["-e", CHILD, resource, JSON.stringify(args)], env);
      try {
        await waitUntil(() => answered(createOperation) >= 1, 30_000, `${createOperation} to be answered`);
      } finally {
        await first.kill9();
      }
      const tasks = (await state())[table]!.filter((t) => t.clusterId === id);
      expect(tasks).toHaveLength(1);
      const started = tasks[0]!.id;
      const creates = (): string => CREATE_OPERATIONS.map((op) => `${op} ${answered(op)}`).join(", ");
      const before = creates();
      console.log(
        `${resource}: first process killed ${/^outcome/m.test(first.output()) ? "after" : "before"} its create returned; creates answered: ${creates()}`,
      );

      // A fresh process, as the engine's next run: short wait, so it reports which task it holds.
      const rerun = startNode(
        ["-e", CHILD, resource, JSON.stringify({ ...args, waitTimeoutMinutes: 0.01 })],
        env,
      );
      const exit = await withDeadline(rerun.exited, 30_000, `the rerun of ${resource}`);
      const [, outcome, held] = rerun.output().match(/^outcome (\w+) (\S+)/m) ?? [];
      if (ownCheck === true) {
        expect({ exit: exit.code, outcome }).toEqual({ exit: 0, outcome: "partial" });
        expect(held).not.toBe(started);
        expect(rerun.output()).toContain(
          `check ${started} is running for this target, but ACK does not show`,
        );
        expect(answered(createOperation)).toBe(2);
        expect((await state())[table]!.filter((t) => t.clusterId === id).map((t) => t.id)).toEqual([
          started,
          held,
        ]);
        return;
      }
      if (beforeRecord === true) {
        expect({ exit: exit.code, outcome }).toEqual({ exit: 0, outcome: "failed" });
        expect(rerun.output()).toMatch(
          new RegExp(`master snapshot ${started} of cluster \\S+ did not finish`),
        );
      } else {
        expect({ exit: exit.code, outcome }).toEqual({
          exit: 0,
          outcome: expect.stringMatching(/^(created|partial)$/),
        });
        expect(held).toBe(started);
      }
      expect(rerun.output()).toMatch(new RegExp(`adopting [^\\n]*${started}`));
      expect(answered(createOperation)).toBe(1);
      // Nothing else was started again either (an upgrade's workflow and precheck, ACK's check).
      expect(creates()).toBe(before);
      expect((await state())[table]!.filter((t) => t.clusterId === id).map((t) => t.id)).toEqual([started]);
    });
  },
);
