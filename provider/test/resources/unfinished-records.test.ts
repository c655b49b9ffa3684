// Records of work that did not finish (an interrupted create, a failed post-check, a check still
// running) must stay resumable: through the shim dispatch, after a refresh and in the next diff.
// Every resource, against the emulator over real HTTP.
import { dispatch, functions, resources, type ResourceName } from "../../src/impl";
import { PartialCreateError } from "../../src/pulumi/shared/errors";
import { type PropertyMap } from "../../src/pulumi/shared/types";
import { served, testCloudFor } from "./helpers";
import { SAFEGUARDS, SLOW, SLOW_UPGRADE } from "./scenarios";
import { type ScenarioInput } from "../../../emulator/src";

const cloud = testCloudFor("each");

/** What the SDK's shim serializes into `__provider` (its text does not matter here). */
const PROVIDER = 'exports.handler = require("@upgrade-guard/sdk/impl").shim("test");';
const TWO_HOURS = 2 * 60 * 60 * 1000;
const TINY = 0.005;

async function corednsInstance(clusterId: string): Promise<string> {
  const { tasks } = await functions.getAddonPrecheckTasks({ clusterId });
  const id = tasks.find((task) => task.addonTemplateName === "coredns")?.addonInstanceId;
  if (id === undefined) throw new Error("the scenario has no coredns add-on check");
  return id;
}

interface Case {
  readonly resource: ResourceName;
  readonly scenario: ScenarioInput;
  /** The operation that starts the vendor task: it must be served once in all. */
  readonly starts: string;
  inputs(): Promise<PropertyMap>;
}

const CASES: Record<string, Case> = {
  "cce.ClusterPrecheck": {
    resource: "cceClusterPrecheck",
    scenario: SLOW,
    starts: "CreatePreCheck",
    inputs: async () => ({ clusterId: cloud.clusterId("cce-slow"), targetVersion: "v1.30" }),
  },
  "cce.AddonPrecheck": {
    resource: "cceAddonPrecheck",
    scenario: SLOW,
    starts: "BatchCreateAddonPrecheck",
    inputs: async () => {
      const clusterId = cloud.clusterId("cce-slow");
      const addonInstanceId = await corednsInstance(clusterId);
      return {
        clusterId,
        addons: [{ addonTemplateName: "coredns", addonInstanceId, targetVersion: "1.30.1" }],
      };
    },
  },
  "ack.ClusterCheck": {
    resource: "ackClusterCheck",
    scenario: SLOW,
    starts: "RunClusterCheck",
    inputs: async () => ({ clusterId: cloud.clusterId("ack-slow"), targetVersion: "1.32.1-aliyun.1" }),
  },
  "cce.ClusterUpgrade": {
    resource: "cceClusterUpgrade",
    scenario: SLOW_UPGRADE,
    starts: "UpgradeCluster",
    inputs: async () => ({ clusterId: cloud.clusterId("cce-slow"), targetVersion: "v1.30" }),
  },
  "ack.ClusterUpgrade": {
    resource: "ackClusterUpgrade",
    scenario: SLOW_UPGRADE,
    starts: "UpgradeCluster",
    inputs: async () => ({ clusterId: cloud.clusterId("ack-slow"), targetVersion: "1.32.1-aliyun.1" }),
  },
};
const cases = Object.entries(CASES);

/** A create through the shim that times out after the vendor accepted the task. */
async function interruptedCreate(resource: ResourceName, inputs: PropertyMap): Promise<PartialCreateError> {
  const error = await dispatch(resource, "setUp", [{ ...inputs, __provider: PROVIDER }]).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PartialCreateError);
  return error as PartialCreateError;
}

async function checked(resource: ResourceName, inputs: PropertyMap): Promise<PropertyMap> {
  const result = await resources[resource].check({}, inputs);
  expect(result.failures).toBeUndefined();
  return result.inputs!;
}

describe("a resume inside update that fails again keeps the serialized provider", () => {
  it.each(cases)("%s", async (_name, c) => {
    await cloud.emulator.control.loadScenario(c.scenario);
    const inputs = { ...(await c.inputs()), waitTimeoutMinutes: TINY };
    const created = await interruptedCreate(c.resource, inputs);
    expect(created.properties.__provider).toBe(PROVIDER);

    // The task is still running: the resumed wait times out again.
    const news = { ...(await checked(c.resource, inputs)), __provider: PROVIDER };
    const resumed = await dispatch(c.resource, "change", [created.id, created.properties, news]).catch(
      (e: unknown) => e,
    );
    expect(resumed).toBeInstanceOf(PartialCreateError);
    // The engine stores these as the outputs; refresh and delete load the provider from them.
    expect((resumed as PartialCreateError).properties.__provider).toBe(PROVIDER);
    expect(cloud.log.join("\n")).toMatch(/resuming the wait/);
    expect(served(cloud, c.starts)).toBe(1);
  });

  it("falls back to the recorded provider when the new inputs carry none", async () => {
    const c = CASES["cce.ClusterPrecheck"]!;
    await cloud.emulator.control.loadScenario(c.scenario);
    const inputs = { ...(await c.inputs()), waitTimeoutMinutes: TINY };
    const created = await interruptedCreate(c.resource, inputs);
    const resumed = await dispatch(c.resource, "change", [
      created.id,
      created.properties,
      await checked(c.resource, inputs),
    ]).catch((e: unknown) => e);
    expect((resumed as PartialCreateError).properties.__provider).toBe(PROVIDER);
  });
});

describe("a refresh of a record that did not finish leaves it resumable", () => {
  it.each(cases)("%s: still running at refresh, finished by the next up", async (_name, c) => {
    await cloud.emulator.control.loadScenario(c.scenario);
    const inputs = { ...(await c.inputs()), waitTimeoutMinutes: TINY };
    const created = await interruptedCreate(c.resource, inputs);
    const r = resources[c.resource];
    const read = await r.read(created.id, created.properties);
    expect(read.id).toBe(created.id);

    // The same inputs: the refresh cleared the engine's init error, so only the diff can bring
    // the next `up` to update.
    const same = await checked(c.resource, inputs);
    expect(await r.diff(created.id, read.props!, same)).toMatchObject({ changes: true, replaces: [] });

    cloud.emulator.control.advanceClock(TWO_HOURS);
    const news = await checked(c.resource, { ...inputs, waitTimeoutMinutes: 1 });
    const { outs } = await r.update(created.id, read.props!, news);
    expect(cloud.log.join("\n")).toMatch(/resuming the wait/);
    expect(served(cloud, c.starts)).toBe(1);
    // Finished now: the next diff is clean.
    expect(await r.diff(created.id, outs, news)).toMatchObject({ changes: false, replaces: [] });
  });

  it.each([
    ["cce.ClusterUpgrade", "cceClusterUpgrade", "cce-slow", "v1.30", /^v1\.30/],
    ["ack.ClusterUpgrade", "ackClusterUpgrade", "ack-slow", "1.32.1-aliyun.1", /^1\.32\.1-aliyun\.1$/],
  ] as const)(
    "%s: a task that succeeded before the refresh is not taken as finished; the next up completes it",
    async (_name, resource, cluster, targetVersion, reached) => {
      await cloud.emulator.control.loadScenario(SLOW_UPGRADE);
      const inputs = { clusterId: cloud.clusterId(cluster), targetVersion, waitTimeoutMinutes: TINY };
      const created = await interruptedCreate(resource, inputs);
      cloud.emulator.control.advanceClock(TWO_HOURS);

      const r = resources[resource];
      const read = await r.read(created.id, created.properties);
      // Nothing after the wait ran, so nothing may say the upgrade is done.
      expect(read.props?.clusterVersion).toBeUndefined();
      const same = await checked(resource, inputs);
      expect(await r.diff(created.id, read.props!, same)).toMatchObject({ changes: true, replaces: [] });
      const news = await checked(resource, { ...inputs, waitTimeoutMinutes: 1 });

      cloud.emulator.control.clearRequests();
      const { outs } = await r.update(created.id, read.props!, news);
      expect(outs.clusterVersion).toMatch(reached);
      if (resource === "cceClusterUpgrade") {
        expect(served(cloud, "CreatePostCheck")).toBe(1);
        expect(outs).toMatchObject({ phase: "Success", postCheckResult: { phase: "Success" } });
      }
      expect(served(cloud, "UpgradeCluster")).toBe(0);
    },
  );

  it("cce.ClusterUpgrade: a failed post-check stays unfinished after a refresh; the next up checks again", async () => {
    await cloud.emulator.control.loadScenario(SAFEGUARDS);
    const r = resources.cceClusterUpgrade;
    const inputs = { clusterId: cloud.clusterId("cce-postcheck-fails"), targetVersion: "v1.30" };
    const error = (await r.create(inputs).catch((e: unknown) => e)) as PartialCreateError;
    expect(error).toBeInstanceOf(PartialCreateError);
    expect(served(cloud, "CreatePostCheck")).toBe(1);

    const read = await r.read(error.id, error.properties);
    expect(read.props?.clusterVersion).toBeUndefined();
    expect(read.props?.phase).not.toBe("Success");
    expect(read.props?.postCheckResult).toMatchObject({ phase: "Failed" });
    const news = await checked("cceClusterUpgrade", inputs);
    expect(await r.diff(error.id, read.props!, news)).toMatchObject({ changes: true, replaces: [] });

    await expect(r.update(error.id, read.props!, news)).rejects.toThrow(/answered Failed/);
    expect(served(cloud, "CreatePostCheck")).toBe(2);
    expect(served(cloud, "UpgradeCluster")).toBe(1);
  });

  it("a finished upgrade stays finished after a refresh: no change, no vendor call", async () => {
    const r = resources.cceClusterUpgrade;
    const inputs = { clusterId: cloud.clusterId("cce-ready"), targetVersion: "v1.30" };
    const { id, outs } = await r.create(inputs);
    const read = await r.read(id, outs);
    expect(read.props).toMatchObject({ phase: "Success", clusterVersion: outs.clusterVersion });
    const news = await checked("cceClusterUpgrade", inputs);
    expect(await r.diff(id, read.props!, news)).toMatchObject({ changes: false });
  });

  it("cce.UpgradeWorkflow: a record without its workflow is updated (read from CCE), then clean", async () => {
    const r = resources.cceUpgradeWorkflow;
    const inputs = { clusterId: cloud.clusterId("cce-ready"), targetVersion: "v1.30" };
    const { id } = await r.create(inputs);
    const news = await checked("cceUpgradeWorkflow", inputs);
    // What an interrupted create of an earlier version recorded: the inputs only.
    expect(await r.diff(id, news, news)).toMatchObject({ changes: true, replaces: [] });
    const { outs } = await r.update(id, news, news);
    expect(outs.workflowId).toBe(id);
    expect(await r.diff(id, outs, news)).toMatchObject({ changes: false });
    // A refresh records the workflow: nothing is left to resume.
    const read = await r.read(id, news);
    expect(await r.diff(id, read.props!, news)).toMatchObject({ changes: false });
  });
});

describe("an unfinished upgrade whose vendor task vanished is recoverable by the next up", () => {
  const upgrades = [
    {
      name: "cce.ClusterUpgrade",
      resource: "cceClusterUpgrade" as const,
      cluster: "cce-ready",
      target: "v1.30",
      task: "upgradeTaskId",
      running: "Running",
      missing: "0b9d2c61-3a44-4f0e-9a55-000000000000",
    },
    {
      name: "ack.ClusterUpgrade",
      resource: "ackClusterUpgrade" as const,
      cluster: "ack-ready",
      target: "1.32.1-aliyun.1",
      task: "taskId",
      running: "running",
      missing: "T-000000000000000000000000",
    },
  ];
  /** A record of an upgrade whose wait did not finish, naming a task the vendor does not have. */
  const vanished = (u: (typeof upgrades)[number], clusterId: string, fromVersion: string): PropertyMap => ({
    clusterId,
    targetVersion: u.target,
    [u.task]: u.missing,
    phase: u.running,
    fromVersion,
  });

  it.each(upgrades.map((u) => [u.name, u] as const))(
    "%s: cluster not on the target: says so, refresh keeps it, and up starts a new upgrade through the gate",
    async (_name, u) => {
      const clusterId = cloud.clusterId(u.cluster);
      const olds = vanished(u, clusterId, cloud.version(u.cluster));
      const inputs = { clusterId, targetVersion: u.target };
      const read = await resources[u.resource].read(u.missing, olds);
      expect(read.id).toBe(u.missing);
      expect(cloud.log.join("\n")).toContain(
        `upgrade task ${u.missing} no longer exists in ${u.name.slice(0, 3).toUpperCase()}; keeping its last`,
      );
      expect(cloud.log.join("\n")).toContain("starts a new upgrade through the gate");
      expect((await resources[u.resource].diff(u.missing, read.props!, inputs)).changes).toBe(true);
      cloud.clearLog();
      const { outs } = await resources[u.resource].update(u.missing, read.props!, inputs);
      expect(cloud.log.join("\n")).toContain(
        `the recorded upgrade task ${u.missing} no longer exists in ${u.name.slice(0, 3).toUpperCase()}, so there is nothing to resume`,
      );
      expect(outs[u.task]).not.toBe(u.missing);
      expect(outs).toMatchObject({ clusterVersion: expect.stringContaining(u.target.slice(0, 4)) });
      expect((outs.gate as { verdict: string }).verdict).toBe("ready");
      expect(served(cloud, "UpgradeCluster")).toBe(1);
      // Done: the next diff is clean.
      expect((await resources[u.resource].diff(u.missing, outs, inputs)).changes).toBe(false);
    },
  );

  it.each(upgrades.map((u) => [u.name, u] as const))(
    "%s: cluster already on the target: the upgrade is recorded done, nothing started",
    async (_name, u) => {
      const clusterId = cloud.clusterId(u.cluster);
      const from = cloud.version(u.cluster);
      const inputs = { clusterId, targetVersion: u.target };
      await resources[u.resource].create(inputs);
      const upgradesBefore = served(cloud, "UpgradeCluster");
      const { outs } = await resources[u.resource].update(u.missing, vanished(u, clusterId, from), inputs);
      expect(outs).toMatchObject({ phase: "AlreadyAtTarget", fromVersion: from });
      expect(served(cloud, "UpgradeCluster")).toBe(upgradesBefore);
      expect(cloud.log.join("\n")).toContain("which satisfies the target: recording the upgrade done");
      expect((await resources[u.resource].diff(u.missing, outs, inputs)).changes).toBe(false);
    },
  );
});
