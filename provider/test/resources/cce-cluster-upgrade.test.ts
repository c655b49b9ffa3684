// cce.ClusterUpgrade against the emulator over real HTTP: the flow, the gate, interruptions.
import { createCceClient, type CceClient } from "../../src/clients";
import { functions, resources } from "../../src/impl";
import { PartialCreateError } from "../../src/pulumi/shared/errors";
import { UpgradeBlockedError } from "../../src/pulumi/resources/upgrade-gate";
import { served, testCloudFor } from "./helpers";
import { FAILING, SAFEGUARDS, SLOW, SLOW_UPGRADE } from "./scenarios";

const upgrade = resources.cceClusterUpgrade;
const cloud = testCloudFor("each");

it("upgrades a ready cluster: workflow, fresh precheck, gate, upgrade, post-check", async () => {
  const clusterId = cloud.clusterId("cce-ready");
  const { id, outs } = await upgrade.create({ clusterId, targetVersion: "v1.30" });
  expect(outs).toMatchObject({
    upgradeTaskId: id,
    phase: "Success",
    fromVersion: "v1.29.5-r0",
    clusterVersion: expect.stringMatching(/^v1\.30/),
    gate: { verdict: "ready", worstSeverity: "warning" },
    postCheckResult: { reachedTarget: true },
  });
  expect(typeof outs.workflowId).toBe("string");
  expect(typeof outs.precheckTaskId).toBe("string");
  const order = cloud.emulator.control
    .requests()
    .map((r) => r.operation)
    .filter((op) => op === "CreateUpgradeWorkFlow" || op === "CreatePreCheck" || op === "UpgradeCluster");
  expect(order).toEqual(["CreateUpgradeWorkFlow", "CreatePreCheck", "UpgradeCluster"]);
  expect(cloud.version("cce-ready")).toMatch(/^v1\.30/);
});

it("refuses to start when the latest check blocks, naming each blocking finding", async () => {
  const clusterId = cloud.clusterId("cce-blocked");
  const error = (await upgrade
    .create({ clusterId, targetVersion: "v1.30" })
    .catch((e: unknown) => e)) as UpgradeBlockedError;
  expect(error).toBeInstanceOf(UpgradeBlockedError);
  expect(error.code).toBe("UPGRADE_BLOCKED");
  expect(error.message).toMatch(/refusing to start the upgrade \(verdict blocked\)/);
  expect(error.message).toMatch(/AddonCompatibility \[Fatal/);
  expect(error.message).toMatch(/AddonValidate \[Fatal\]/);
  expect(error.evaluation.allowed).toBe(false);
  expect(served(cloud, "UpgradeCluster")).toBe(0);
  expect(cloud.version("cce-blocked")).toBe("v1.29.5-r0");
});

it("inputs cannot switch the gate off: must-fix findings block whatever blockingSeverities says", async () => {
  const clusterId = cloud.clusterId("cce-blocked");
  const error = (await upgrade
    .create({ clusterId, targetVersion: "v1.30", blockingSeverities: ["unknown"] })
    .catch((e: unknown) => e)) as UpgradeBlockedError;
  expect(error).toBeInstanceOf(UpgradeBlockedError);
  expect(error.evaluation.blocking.map((f) => f.checkName)).toEqual(
    expect.arrayContaining(["AddonCompatibility", "AddonValidate"]),
  );
  expect(served(cloud, "UpgradeCluster")).toBe(0);
  expect(cloud.version("cce-blocked")).toBe("v1.29.5-r0");
});

it("refuses a waiver for a must-fix finding", async () => {
  const clusterId = cloud.clusterId("cce-blocked");
  const waiver = {
    checkName: "AddonValidate",
    clusterId,
    reason: "known",
    owner: "ops",
    expires: "2999-01-01T00:00:00Z",
  };
  const error = (await upgrade
    .create({ clusterId, targetVersion: "v1.30", waivers: [waiver] })
    .catch((e: unknown) => e)) as UpgradeBlockedError;
  expect(error).toBeInstanceOf(UpgradeBlockedError);
  expect(error.evaluation.waiversRefused.map((r) => r.reason).join(" ")).toMatch(/not waivable/);
  expect(served(cloud, "UpgradeCluster")).toBe(0);
});

it("stricter blocking severities block on warnings, and a waiver for a waivable finding lets it through", async () => {
  const clusterId = cloud.clusterId("cce-ready");
  const strict = { clusterId, targetVersion: "v1.30", blockingSeverities: ["fatal", "unknown", "warning"] };
  const error = (await upgrade.create(strict).catch((e: unknown) => e)) as UpgradeBlockedError;
  expect(error).toBeInstanceOf(UpgradeBlockedError);
  expect(error.message).toMatch(/Blocking: NodeOSVersion \[Warning\/Risk\]/);
  expect(served(cloud, "UpgradeCluster")).toBe(0);

  const waiver = {
    checkName: "NodeOSVersion",
    clusterId,
    reason: "kernel upgrade planned",
    owner: "ops",
    expires: "2999-01-01T00:00:00Z",
  };
  const { outs } = await upgrade.create({ ...strict, waivers: [waiver] });
  expect(outs).toMatchObject({ phase: "Success", gate: { waived: ["NodeOSVersion"] } });
  expect(served(cloud, "UpgradeCluster")).toBe(1);
});

it("without a fresh precheck it decides on the latest one, and no check at all blocks", async () => {
  const unchecked = cloud.clusterId("cce-unchecked");
  const error = (await upgrade
    .create({ clusterId: unchecked, targetVersion: "v1.30", runPrecheck: false })
    .catch((e: unknown) => e)) as UpgradeBlockedError;
  expect(error).toBeInstanceOf(UpgradeBlockedError);
  expect(error.evaluation.verdict).toBe("unknown");
  expect(served(cloud, "CreatePreCheck")).toBe(0);
  expect(served(cloud, "UpgradeCluster")).toBe(0);
});

it("refuses a target older than the cluster before any vendor call that changes something", async () => {
  const clusterId = cloud.clusterId("cce-ready");
  for (const targetVersion of ["v1.28", "v1.29.4-r0"]) {
    await expect(upgrade.create({ clusterId, targetVersion })).rejects.toThrow(
      new RegExp(
        `targetVersion ${targetVersion.replace(/\./g, "\\.")} is older than the cluster's version v1\\.29\\.5-r0, and a cluster cannot be downgraded; set targetVersion to v1\\.29\\.5-r0 or newer`,
      ),
    );
  }
  expect(
    served(cloud, "CreateUpgradeWorkFlow") +
      served(cloud, "CreatePreCheck") +
      served(cloud, "UpgradeCluster"),
  ).toBe(0);
});

it("does nothing when the cluster already satisfies the target", async () => {
  const clusterId = cloud.clusterId("cce-ready");
  await upgrade.create({ clusterId, targetVersion: "v1.30" });
  cloud.emulator.control.clearRequests();
  const again = await upgrade.create({ clusterId, targetVersion: "v1.30" });
  expect(again.id).toBe(`${clusterId}@v1.30`);
  expect(again.outs).toMatchObject({
    phase: "AlreadyAtTarget",
    clusterVersion: expect.stringMatching(/^v1\.30/),
  });
  expect(served(cloud, "UpgradeCluster") + served(cloud, "CreatePreCheck")).toBe(0);
});

it("prints the upgrade wait's first poll and phase changes, not every poll", async () => {
  await cloud.emulator.control.loadScenario({
    name: "many-polls",
    defaults: { checkProgress: { polls: 1 }, upgradeProgress: { polls: 6 } },
    clusters: [{ cloud: "cce", name: "cce-polled", version: "v1.29.5-r0", targetVersions: ["v1.30"] }],
  });
  await upgrade.create({ clusterId: cloud.clusterId("cce-polled"), targetVersion: "v1.30" });
  const polls = served(cloud, "ShowUpgradeClusterTask");
  const printed = cloud.log.filter((line) => /waiting for CCE upgrade task/.test(line));
  const phases = new Set(printed.map((line) => /phase (?:\S+ -> )?(\S+),/.exec(line)?.[1]));
  expect(polls).toBeGreaterThanOrEqual(6);
  // Within the one-minute heartbeat, a line per phase seen: the first poll's and each change.
  expect(printed.length).toBe(phases.size);
  expect(printed.length).toBeLessThan(polls);
});

describe("interruptions", () => {
  it("does not adopt a running precheck that skips items as its fresh precheck", async () => {
    await cloud.emulator.control.loadScenario(SLOW);
    const clusterId = cloud.clusterId("cce-slow");
    const skipping = (await resources.cceClusterPrecheck
      .create({
        clusterId,
        targetVersion: "v1.30",
        skippedCheckItems: [{ name: "NodeDiskRisk" }],
        waitTimeoutMinutes: 0.002,
      })
      .catch((e: unknown) => e)) as PartialCreateError;
    expect(skipping).toBeInstanceOf(PartialCreateError);
    await expect(upgrade.create({ clusterId, targetVersion: "v1.30" })).rejects.toThrow(
      new RegExp(`precheck ${skipping.id} is already running for this target, but it skips NodeDiskRisk`),
    );
    expect(cloud.log.join("\n")).not.toContain("adopting precheck");
    expect(served(cloud, "UpgradeCluster")).toBe(0);
  });

  it("records the accepted upgrade, adopts it on retry and resumes it on update: one upgrade only", async () => {
    await cloud.emulator.control.loadScenario(SLOW_UPGRADE);
    const clusterId = cloud.clusterId("cce-slow");
    const inputs = { clusterId, targetVersion: "v1.30", waitTimeoutMinutes: 0.005 };
    const error = (await upgrade.create(inputs).catch((e: unknown) => e)) as PartialCreateError;
    expect(error).toBeInstanceOf(PartialCreateError);
    expect(error.message).toMatch(new RegExp(`CCE upgrade task ${error.id} .* did not finish`));
    expect(error.message).toMatch(/did not finish within [^(]+\(\d+ polls, last phase [^)]+\)/);
    expect(error.properties).toMatchObject({ upgradeTaskId: error.id, fromVersion: "v1.29.5-r0" });

    const retried = (await upgrade.create(inputs).catch((e: unknown) => e)) as PartialCreateError;
    expect(retried.id).toBe(error.id);
    expect(cloud.log.join("\n")).toMatch(new RegExp(`adopting upgrade task ${error.id}`));

    cloud.emulator.control.advanceClock(2 * 60 * 60 * 1000);
    const { outs } = await upgrade.update(error.id, error.properties, { ...inputs, waitTimeoutMinutes: 1 });
    expect(outs).toMatchObject({
      upgradeTaskId: error.id,
      phase: "Success",
      clusterVersion: expect.stringMatching(/^v1\.30/),
    });
    expect(served(cloud, "UpgradeCluster")).toBe(1);
  });

  it("interrupted after the task succeeded but before the post-check: the retried update post-checks", async () => {
    await cloud.emulator.control.loadScenario(SLOW_UPGRADE);
    const clusterId = cloud.clusterId("cce-slow");
    const inputs = { clusterId, targetVersion: "v1.30", waitTimeoutMinutes: 0.005 };
    const first = (await upgrade.create(inputs).catch((e: unknown) => e)) as PartialCreateError;
    expect(first).toBeInstanceOf(PartialCreateError);
    cloud.emulator.control.advanceClock(2 * 60 * 60 * 1000);
    // The task is done now; the cluster read of the post-check fails once.
    cloud.emulator.control.setFault({ operation: "ShowCluster", error: { status: 403 }, times: 1 });
    const interrupted = (await upgrade
      .update(first.id, first.properties, { ...inputs, waitTimeoutMinutes: 1 })
      .catch((e: unknown) => e)) as PartialCreateError;
    expect(interrupted).toBeInstanceOf(PartialCreateError);
    expect(interrupted.properties.phase).not.toBe("Success");
    expect(interrupted.properties.postCheckResult).toBeUndefined();

    const { outs } = await upgrade.update(first.id, interrupted.properties, {
      ...inputs,
      waitTimeoutMinutes: 1,
    });
    expect(outs).toMatchObject({
      phase: "Success",
      clusterVersion: expect.stringMatching(/^v1\.30/),
      postCheckResult: { reachedTarget: true },
    });
    expect(served(cloud, "UpgradeCluster")).toBe(1);
  });

  it("a failed task is recorded, and update explains instead of retrying", async () => {
    await cloud.emulator.control.loadScenario(FAILING);
    const clusterId = cloud.clusterId("cce-fails");
    const error = (await upgrade
      .create({ clusterId, targetVersion: "v1.30" })
      .catch((e: unknown) => e)) as PartialCreateError;
    expect(error).toBeInstanceOf(PartialCreateError);
    expect(error.code).toBe("WAIT_FAILED");
    expect(error.properties).toMatchObject({ phase: "Failed" });
    await expect(
      upgrade.update(error.id, error.properties, { clusterId, targetVersion: "v1.30" }),
    ).rejects.toThrow(/failed in CCE\. Retry or roll it back/);
    expect(served(cloud, "UpgradeCluster")).toBe(1);
  });
});

describe("master snapshot and post-upgrade check (the steps of Huawei's Terraform resource)", () => {
  let cce: CceClient;
  beforeEach(async () => {
    await cloud.emulator.control.loadScenario(SAFEGUARDS);
    cce = createCceClient();
  });
  afterEach(async () => {
    await cce.close();
  });

  it("snapshot: true backs up the control plane after the gate and before the upgrade, recording both checks", async () => {
    const clusterId = cloud.clusterId("cce-healthy");
    const { outs } = await upgrade.create({ clusterId, targetVersion: "v1.30", snapshot: true });
    const operations = cloud.emulator.control.requests().map((r) => r.operation);
    const snapshotAt = operations.indexOf("CreateClusterMasterSnapshot");
    expect(snapshotAt).toBeGreaterThan(operations.lastIndexOf("ShowPreCheck"));
    expect(snapshotAt).toBeLessThan(operations.indexOf("UpgradeCluster"));
    expect(operations.indexOf("CreatePostCheck")).toBeGreaterThan(operations.indexOf("UpgradeCluster"));
    const { items } = await cce.listClusterMasterSnapshotTasks({ clusterId });
    expect(items).toHaveLength(1);
    expect(outs).toMatchObject({
      phase: "Success",
      snapshotResult: { taskId: items[0]?.metadata.uid, phase: "Success" },
      postCheckResult: { reachedTarget: true, phase: "Success", taskId: expect.any(String) },
    });
  });

  it("without snapshot: true no snapshot is taken (the vendor's default)", async () => {
    const clusterId = cloud.clusterId("cce-healthy");
    const { outs } = await upgrade.create({ clusterId, targetVersion: "v1.30" });
    expect(served(cloud, "CreateClusterMasterSnapshot")).toBe(0);
    expect(outs.snapshotResult).toBeUndefined();
  });

  it("a failed snapshot stops the create before UpgradeCluster, naming the task, CCE's message and the fix", async () => {
    const clusterId = cloud.clusterId("cce-snapshot-fails");
    const error = (await upgrade
      .create({ clusterId, targetVersion: "v1.30", snapshot: true })
      .catch((e: unknown) => e)) as Error;
    expect(error).not.toBeInstanceOf(PartialCreateError);
    expect(error.message).toMatch(
      /master snapshot [0-9a-f-]{36} ended Failed \(EVS quota exceeded for the master backup\); the upgrade was not started/,
    );
    expect(error.message).toMatch(/set `snapshot: false`/);
    expect(served(cloud, "UpgradeCluster")).toBe(0);
    expect((await cce.listUpgradeClusterTasks({ clusterId })).items).toHaveLength(0);
    expect(cloud.version("cce-snapshot-fails")).toBe("v1.29.5-r0");
  });

  it("a snapshot an interrupted run left running is adopted, not started twice", async () => {
    await cloud.emulator.control.loadScenario({
      ...SAFEGUARDS,
      defaults: { checkProgress: { polls: 3 }, upgradeProgress: { polls: 1 } },
    });
    const clusterId = cloud.clusterId("cce-healthy");
    // What an `up` killed right after CCE accepted its snapshot leaves behind.
    const left = await cce.createClusterMasterSnapshot({ clusterId });
    const { outs } = await upgrade.create({ clusterId, targetVersion: "v1.30", snapshot: true });
    expect(outs).toMatchObject({ phase: "Success", snapshotResult: { taskId: left.uid, phase: "Success" } });
    expect(served(cloud, "CreateClusterMasterSnapshot")).toBe(1);
    expect(cloud.log.join("\n")).toMatch(new RegExp(`adopting master snapshot ${left.uid} already running`));
  });

  it("a failed post-upgrade check stops the up with the upgrade recorded; the next up checks again", async () => {
    const clusterId = cloud.clusterId("cce-postcheck-fails");
    const inputs = { clusterId, targetVersion: "v1.30" };
    const error = (await upgrade.create(inputs).catch((e: unknown) => e)) as PartialCreateError;
    expect(error).toBeInstanceOf(PartialCreateError);
    expect(error.message).toMatch(
      /the upgrade finished and the cluster runs v1\.30\S*, but CCE's post-upgrade check [0-9a-f-]{36} answered Failed: coredns is not ready after the upgrade/,
    );
    expect(error.message).toMatch(/run `pulumi up` to check again; or set `postCheck: false`/);
    expect(error.properties).toMatchObject({
      upgradeTaskId: error.id,
      postCheckResult: {
        reachedTarget: true,
        phase: "Failed",
        message: "coredns is not ready after the upgrade",
      },
    });
    expect(error.properties.clusterVersion).toBeUndefined();

    // The same failure again: still recorded, still not success.
    await expect(upgrade.update(error.id, error.properties, inputs)).rejects.toThrow(/answered Failed/);
    // Accepting the upgrade without CCE's check records it as finished; nothing is upgraded twice.
    const { outs } = await upgrade.update(error.id, error.properties, { ...inputs, postCheck: false });
    expect(outs).toMatchObject({ phase: "Success", clusterVersion: expect.stringMatching(/^v1\.30/) });
    expect(served(cloud, "UpgradeCluster")).toBe(1);
    expect(served(cloud, "CreatePostCheck")).toBe(2);
  });
});

describe("refresh, update, delete", () => {
  it("reports a cluster moved off its version outside this resource", async () => {
    const clusterId = cloud.clusterId("cce-ready");
    const { id } = await upgrade.create({ clusterId, targetVersion: "v1.30" });
    // State as an earlier upgrade to v1.29 would have left it; the cluster is now on v1.30.
    const earlier = {
      clusterId,
      targetVersion: "v1.29",
      upgradeTaskId: id,
      phase: "Success",
      clusterVersion: "v1.29.5-r0",
    };
    const read = await upgrade.read(id, earlier);
    expect(read.props?.outOfBand).toMatch(/which does not satisfy the target v1\.29/);
    expect(read.props?.clusterVersion).toMatch(/^v1\.30/);
    expect(cloud.log.join("\n")).toMatch(/does not satisfy the target v1\.29/);
  });

  it("a refresh that finds everything as left reports nothing out of band", async () => {
    const clusterId = cloud.clusterId("cce-ready");
    const { id, outs } = await upgrade.create({ clusterId, targetVersion: "v1.30" });
    const read = await upgrade.read(id, outs);
    expect(read.props).toMatchObject({ phase: "Success", upgradeTaskId: id });
    expect(read.props?.outOfBand).toBeUndefined();
  });

  it("diff ignores what a policy reads and replaces on a new target", async () => {
    const olds = {
      clusterId: "c",
      targetVersion: "v1.30",
      currentVersion: "v1.29.5-r0",
      readiness: { digest: "a" },
    };
    expect(
      await upgrade.diff("t", olds, { ...olds, currentVersion: "v1.30.0-r0", readiness: { digest: "b" } }),
    ).toMatchObject({
      changes: false,
    });
    expect(await upgrade.diff("t", olds, { ...olds, targetVersion: "v1.31" })).toMatchObject({
      replaces: ["targetVersion"],
    });
    expect(await upgrade.diff("t", olds, { ...olds, waitTimeoutMinutes: 9 })).toMatchObject({
      changes: true,
      replaces: [],
    });
  });

  it("delete cannot undo an upgrade: the cluster keeps its version", async () => {
    const clusterId = cloud.clusterId("cce-ready");
    const { id, outs } = await upgrade.create({ clusterId, targetVersion: "v1.30" });
    cloud.emulator.control.clearRequests();
    await upgrade.delete(id, outs);
    expect(cloud.emulator.control.requests()).toHaveLength(0);
    expect(cloud.log.join("\n")).toMatch(/an upgrade cannot be undone; the cluster stays on v1\.30/);
    expect(
      (await functions.getUpgradeReadiness({ cloud: "cce", clusterId, targetVersion: "v1.30" }))
        .currentVersion,
    ).toMatch(/^v1\.30/);
  });
});

describe("an upgrade already in flight", () => {
  it("a workflow left open for another target makes the gate refuse with verdict upgrading", async () => {
    await cloud.restart({
      name: "open-workflow",
      clusters: [
        {
          cloud: "cce",
          name: "cce-open-workflow",
          version: "v1.28.3-r0",
          targetVersions: ["v1.29", "v1.30"],
          history: { cce: { workflows: [{ targetVersion: "v1.29", createdAgo: "2h", precheck: "done" }] } },
        },
      ],
    });
    const clusterId = cloud.clusterId("cce-open-workflow");
    const error = await upgrade.create({ clusterId, targetVersion: "v1.30" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpgradeBlockedError);
    expect((error as UpgradeBlockedError).evaluation.verdict).toBe("upgrading");
    expect((error as Error).message).toMatch(/CCE upgrade workflow \S+ \(Running, to v1\.29/);
    expect(served(cloud, "UpgradeCluster")).toBe(0);
  });
});
