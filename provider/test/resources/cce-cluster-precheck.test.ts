// cce.ClusterPrecheck against the emulator over real HTTP.
import { dispatch, resources } from "../../src/impl";
import { PartialCreateError } from "../../src/pulumi/shared/errors";
import { UNKNOWN } from "../../src/pulumi/shared/types";
import { served, testCloudFor } from "./helpers";
import { SLOW } from "./scenarios";

const precheck = resources.cceClusterPrecheck;
const cloud = testCloudFor("each");

describe("check", () => {
  it("names every bad input and the reason", async () => {
    const result = await precheck.check(
      {},
      {
        clusterId: "",
        targetVersion: "latest",
        skippedCheckItems: [{ name: "" }],
        waitTimeoutMinutes: 0,
        extra: 1,
      },
    );
    const byProperty = Object.fromEntries((result.failures ?? []).map((f) => [f.property, f.reason]));
    expect(Object.keys(byProperty).sort()).toEqual([
      "clusterId",
      "extra",
      "skippedCheckItems[0].name",
      "targetVersion",
      "waitTimeoutMinutes",
    ]);
    expect(byProperty.extra).toMatch(/^is not an input of this resource/);
    expect(byProperty.targetVersion).toMatch(/not a version/);
  });

  it("accepts unknown values in preview", async () => {
    const result = await precheck.check({}, { clusterId: UNKNOWN, targetVersion: UNKNOWN, __provider: "p" });
    expect(result.failures).toBeUndefined();
    expect(result.inputs).toEqual({ clusterId: UNKNOWN, targetVersion: UNKNOWN });
  });
});

describe("create", () => {
  it("runs a precheck on a ready cluster and outputs its readiness", async () => {
    const clusterId = cloud.clusterId("cce-ready");
    const { id, outs } = await precheck.create({ clusterId, targetVersion: "v1.30" });
    expect(outs).toMatchObject({
      clusterId,
      targetVersion: "v1.30",
      taskId: id,
      phase: "Success",
      clusterVersion: "v1.29.5-r0",
      verdict: "ready",
      worstSeverity: "warning",
      findingCounts: { fatal: 0, warning: 1, info: 1, unknown: 0 },
    });
    const snapshot = outs.snapshot as { checks: { id: string }[]; digest: string };
    expect(snapshot.checks.map((c) => c.id)).toEqual([id]);
    expect(snapshot.digest).toMatch(/^sha256:/);
    expect(typeof outs.expiresAt).toBe("string");
    expect(served(cloud, "CreatePreCheck")).toBe(1);
    expect(cloud.log.some((line) => line.includes(`started precheck ${id}`))).toBe(true);
    expect(
      cloud.log.some((line) => /waiting for CCE precheck .* phase .*elapsed of 30 min allowed/.test(line)),
    ).toBe(true);
  });

  it("creates successfully when the check finds Fatal items: the findings are the result", async () => {
    const { outs } = await precheck.create({
      clusterId: cloud.clusterId("cce-blocked"),
      targetVersion: "v1.30",
    });
    expect(outs).toMatchObject({ phase: "Failed", verdict: "blocked", worstSeverity: "fatal" });
    expect((outs.findingCounts as { fatal: number }).fatal).toBeGreaterThan(0);
  });

  it("sends the skipped check items to CCE", async () => {
    const { outs } = await precheck.create({
      clusterId: cloud.clusterId("cce-ready"),
      targetVersion: "v1.30",
      skippedCheckItems: [{ name: "NodeOSVersion", nodeUids: ["node-1"] }],
    });
    expect(outs.skippedCheckItems).toEqual([{ name: "NodeOSVersion", nodeUids: ["node-1"] }]);
    expect(served(cloud, "CreatePreCheck")).toBe(1);
  });

  it("fails with an API error naming the cluster when the cluster does not exist", async () => {
    await expect(
      precheck.create({ clusterId: "no-such-cluster", targetVersion: "v1.30" }),
    ).rejects.toMatchObject({
      code: "API_NOT_FOUND",
    });
    expect(served(cloud, "CreatePreCheck")).toBe(0);
  });
});

describe("interrupted create", () => {
  beforeEach(async () => {
    await cloud.emulator.control.loadScenario(SLOW);
  });

  it("records the accepted task in the error, and the next update resumes it without a second precheck", async () => {
    const clusterId = cloud.clusterId("cce-slow");
    const inputs = { clusterId, targetVersion: "v1.30", waitTimeoutMinutes: 0.005 };
    const error = (await precheck.create(inputs).catch((e: unknown) => e)) as PartialCreateError;
    expect(error).toBeInstanceOf(PartialCreateError);
    expect(error.code).toBe("WAIT_TIMEOUT");
    expect(error.message).toMatch(new RegExp(`CCE precheck ${error.id} .*last phase (Init|Running)`));
    expect(error.properties).toMatchObject({
      clusterId,
      taskId: error.id,
      phase: expect.stringMatching(/Init|Running/),
    });
    expect(error.reasons[0]).toContain(error.id);

    cloud.emulator.control.advanceClock(2 * 60 * 60 * 1000);
    const { outs } = await precheck.update(error.id, error.properties, { ...inputs, waitTimeoutMinutes: 5 });
    expect(outs).toMatchObject({ taskId: error.id, phase: "Success", waitTimeoutMinutes: 5 });
    expect(served(cloud, "CreatePreCheck")).toBe(1);
    expect(cloud.log.some((line) => line.includes(`resuming the wait for precheck ${error.id}`))).toBe(true);
  });

  it("through the shim dispatch, the recorded properties keep the serialized provider", async () => {
    const inputs = {
      clusterId: cloud.clusterId("cce-slow"),
      targetVersion: "v1.30",
      waitTimeoutMinutes: 0.002,
    };
    const error = (await dispatch("cceClusterPrecheck", "setUp", [
      { ...inputs, __provider: "provider text" },
    ]).catch((e: unknown) => e)) as PartialCreateError;
    expect(error).toBeInstanceOf(PartialCreateError);
    expect(error.properties.__provider).toBe("provider text");
  });

  it("a retried create adopts the precheck still running for the same target", async () => {
    const clusterId = cloud.clusterId("cce-slow");
    const inputs = { clusterId, targetVersion: "v1.30", waitTimeoutMinutes: 0.005 };
    const first = (await precheck.create(inputs).catch((e: unknown) => e)) as PartialCreateError;
    expect(first).toBeInstanceOf(PartialCreateError);
    // The engine lost the first attempt (say the process was killed): the same create runs again.
    const second = (await precheck.create(inputs).catch((e: unknown) => e)) as PartialCreateError;
    expect(second).toBeInstanceOf(PartialCreateError);
    expect(second.id).toBe(first.id);
    expect(served(cloud, "CreatePreCheck")).toBe(1);
    expect(cloud.log.some((line) => line.includes(`adopting precheck ${first.id}`))).toBe(true);
  });

  it("adopts a running precheck only when it skips the same items; CCE's refusal of a second is explained", async () => {
    const clusterId = cloud.clusterId("cce-slow");
    const skipping = {
      clusterId,
      targetVersion: "v1.30",
      skippedCheckItems: [{ name: "NodeDiskRisk" }, { name: "NodeCheck", nodeUids: ["n-2", "n-1"] }],
      waitTimeoutMinutes: 0.002,
    };
    const first = (await precheck.create(skipping).catch((e: unknown) => e)) as PartialCreateError;
    expect(first).toBeInstanceOf(PartialCreateError);
    // The same skips in another order (and the nodes too): the same check, adopted.
    const same = (await precheck
      .create({
        ...skipping,
        skippedCheckItems: [{ name: "NodeCheck", nodeUids: ["n-1", "n-2"] }, { name: "NodeDiskRisk" }],
      })
      .catch((e: unknown) => e)) as PartialCreateError;
    expect(same.id).toBe(first.id);
    // No skips: the running check skipped items, so it is not this one; CCE runs one at a time.
    cloud.clearLog();
    const full = { clusterId, targetVersion: "v1.30", waitTimeoutMinutes: 0.002 };
    const error = (await precheck.create(full).catch((e: unknown) => e)) as Error;
    expect(error).not.toBeInstanceOf(PartialCreateError);
    expect(error.message).toContain(`precheck ${first.id} is already running for this target`);
    expect(error.message).toContain("skips NodeDiskRisk, NodeCheck (nodes n-2, n-1)");
    expect(error.message).toContain("skippedCheckItems skip no check items");
    expect(error.message).toContain("Wait until it finishes");
    expect(cloud.log.join("\n")).not.toContain("adopting");
    // Once it finished, a precheck of its own runs.
    cloud.emulator.control.advanceClock(2 * 60 * 60 * 1000);
    const own = (await precheck.create(full).catch((e: unknown) => e)) as PartialCreateError;
    expect(own.id).not.toBe(first.id);
    expect(served(cloud, "CreatePreCheck")).toBe(3);
  });
});

describe("read, update, delete", () => {
  it("refresh recomputes the outputs from CCE; a vanished task removes the resource", async () => {
    const clusterId = cloud.clusterId("cce-ready");
    const { id, outs } = await precheck.create({ clusterId, targetVersion: "v1.30" });
    const read = await precheck.read(id, { ...outs, __provider: "p" });
    expect(read.id).toBe(id);
    expect(read.props).toMatchObject({ taskId: id, phase: "Success", verdict: "ready" });

    await cloud.emulator.control.reset();
    cloud.clearLog();
    expect(await precheck.read(id, outs)).toEqual({ id: "" });
    expect(cloud.log.join("\n")).toMatch(/no longer exists in CCE; removing it from the state/);
  });

  it("refresh after the cluster was upgraded elsewhere reports the move and recomputes the verdict", async () => {
    const clusterId = cloud.clusterId("cce-ready");
    const { id, outs } = await precheck.create({ clusterId, targetVersion: "v1.30" });
    expect(outs).toMatchObject({ clusterVersion: "v1.29.5-r0", verdict: "ready" });
    // Out of band for this resource: another resource (or the console) upgrades the cluster.
    await resources.cceClusterUpgrade.create({ clusterId, targetVersion: "v1.30" });
    cloud.clearLog();
    const read = await precheck.read(id, outs);
    expect(read.id).toBe(id);
    // `clusterVersion` stays the version the check ran from; the snapshot has the live one.
    expect(read.props?.clusterVersion).toBe("v1.29.5-r0");
    expect(read.props?.snapshot).toMatchObject({ currentVersion: expect.stringMatching(/^v1\.30/) });
    expect(cloud.log.join("\n")).toMatch(
      new RegExp(
        `is now on v1\\.30\\S*, not v1\\.29\\.5-r0 as when precheck ${id} ran; its verdict was recomputed`,
      ),
    );
  });

  it("an in-place update changes nothing at CCE and returns the full outputs", async () => {
    const clusterId = cloud.clusterId("cce-ready");
    const { id, outs } = await precheck.create({ clusterId, targetVersion: "v1.30" });
    cloud.emulator.control.clearRequests();
    const updated = await precheck.update(id, outs, {
      clusterId,
      targetVersion: "v1.30",
      waitTimeoutMinutes: 9,
    });
    expect(updated.outs).toEqual({ ...outs, waitTimeoutMinutes: 9 });
    expect(cloud.emulator.control.requests()).toHaveLength(0);
  });

  it("diff replaces on a new target and ignores currentVersion", async () => {
    // A finished record: an unfinished one is always an update (the next `up` resumes it).
    const olds = {
      clusterId: "c",
      targetVersion: "v1.30",
      currentVersion: "v1.29.5-r0",
      taskId: "t",
      phase: "Success",
      snapshot: {},
    };
    expect(await precheck.diff("t", olds, { clusterId: "c", targetVersion: "v1.31" })).toMatchObject({
      changes: true,
      replaces: ["targetVersion"],
    });
    expect(
      await precheck.diff("t", olds, {
        clusterId: "c",
        targetVersion: "v1.30",
        currentVersion: "v1.30.0-r0",
      }),
    ).toMatchObject({
      changes: false,
    });
  });

  it("delete leaves the task in CCE and says so", async () => {
    const { id, outs } = await precheck.create({
      clusterId: cloud.clusterId("cce-ready"),
      targetVersion: "v1.30",
    });
    cloud.emulator.control.clearRequests();
    await precheck.delete(id, outs);
    expect(cloud.emulator.control.requests()).toHaveLength(0);
    expect(cloud.log.join("\n")).toMatch(
      new RegExp(`precheck ${id} .* stays in CCE .* removed from the state`),
    );
  });
});
