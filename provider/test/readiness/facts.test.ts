// The facts gatherer against the emulator over real HTTP: what it reads, which checks it selects,
// and how an upgrade already in flight becomes its own reason (verdict `upgrading`).
import { clientEnvironment, type ScenarioInput } from "../../../emulator/src";
import { createAckClient } from "../../src/clients/ack/client";
import { createCceClient } from "../../src/clients/cce/client";
import { evaluate } from "../../src/readiness/evaluate";
import { readAckReadiness, readCceReadiness } from "../../src/readiness/facts";
import { startTestCloud, type TestCloud } from "../resources/helpers";
import { ackCheckedAroundUpgrade } from "./fixtures";

/** Upgrades in flight on both clouds, a workflow left open for another target, and idle twins. */
const IN_FLIGHT: ScenarioInput = {
  name: "in-flight",
  clusters: [
    {
      cloud: "cce",
      name: "cce-upgrading",
      version: "v1.29.5-r0",
      targetVersions: ["v1.30"],
      upgradeProgress: { duration: "1h" },
      history: {
        cce: {
          prechecks: [{ targetVersion: "v1.30", createdAgo: "10m" }],
          workflows: [{ targetVersion: "v1.30", createdAgo: "20m", precheck: "done", upgrade: "running" }],
        },
      },
    },
    {
      // A workflow for v1.29 was started (its precheck ran) and never finished; v1.30 is asked now.
      cloud: "cce",
      name: "cce-open-workflow",
      version: "v1.28.3-r0",
      targetVersions: ["v1.29", "v1.30"],
      history: {
        cce: {
          prechecks: [{ targetVersion: "v1.30", createdAgo: "5m" }],
          workflows: [{ targetVersion: "v1.29", createdAgo: "2h", precheck: "done" }],
        },
      },
    },
    {
      // The workflow of the very upgrade being judged: it guides it, it does not block it.
      cloud: "cce",
      name: "cce-own-workflow",
      version: "v1.29.5-r0",
      targetVersions: ["v1.30"],
      history: {
        cce: {
          prechecks: [{ targetVersion: "v1.30", createdAgo: "5m" }],
          workflows: [{ targetVersion: "v1.30", createdAgo: "6m", precheck: "done" }],
        },
      },
    },
    {
      cloud: "ack",
      name: "ack-upgrading",
      version: "1.31.1-aliyun.1",
      targetVersions: ["1.32.1-aliyun.1"],
      history: {
        ack: {
          checks: [{ type: "ClusterUpgrade", targetVersion: "1.32.1-aliyun.1", createdAgo: "10m" }],
          upgrades: [
            {
              targetVersion: "1.32.1-aliyun.1",
              createdAgo: "2m",
              running: true,
              progress: { duration: "30m" },
            },
          ],
        },
      },
    },
    // ACK records no target on these checks; the cluster was upgraded (to 1.31) after the first was
    // made, so it was that upgrade's check, not one for 1.32.
    {
      // A clean precheck, then a newer failing one (the test strips the newer one's creation time).
      cloud: "cce",
      name: "cce-two-prechecks",
      version: "v1.29.5-r0",
      targetVersions: ["v1.30"],
      history: {
        cce: {
          prechecks: [
            { targetVersion: "v1.30", createdAgo: "30m" },
            {
              targetVersion: "v1.30",
              createdAgo: "5m",
              outcome: {
                items: [{ name: "AddonCompatibility", level: "Fatal", message: "coredns modified" }],
              },
            },
          ],
        },
      },
    },
    {
      // Two clean prechecks; a gatherer whose clock is 2 h behind sees the newer one as future.
      cloud: "cce",
      name: "cce-checked-twice",
      version: "v1.29.5-r0",
      targetVersions: ["v1.30"],
      history: {
        cce: {
          prechecks: [
            { targetVersion: "v1.30", createdAgo: "150m" },
            { targetVersion: "v1.30", createdAgo: "10m" },
          ],
        },
      },
    },
    {
      cloud: "ack",
      name: "ack-checked-twice",
      version: "1.31.1-aliyun.1",
      targetVersions: ["1.32.1-aliyun.1"],
      history: {
        ack: {
          checks: [
            { type: "ClusterUpgrade", targetVersion: "1.32.1-aliyun.1", createdAgo: "150m" },
            { type: "ClusterUpgrade", targetVersion: "1.32.1-aliyun.1", createdAgo: "10m" },
          ],
        },
      },
    },
    ackCheckedAroundUpgrade("ack-checked-before-upgrade", "3h"),
    ackCheckedAroundUpgrade("ack-checked-after-upgrade", "10m"),
    {
      cloud: "ack",
      name: "ack-master-only",
      version: "1.31.1-aliyun.1",
      targetVersions: ["1.32.1-aliyun.1"],
      history: {
        ack: { checks: [{ type: "MasterUpgrade", targetVersion: "1.32.1-aliyun.1", createdAgo: "5m" }] },
      },
    },
  ],
};

let cloud: TestCloud;
let cce: ReturnType<typeof createCceClient>;
let ack: ReturnType<typeof createAckClient>;
beforeAll(async () => {
  cloud = await startTestCloud(IN_FLIGHT);
  const env = clientEnvironment(cloud.url);
  cce = createCceClient({ env });
  ack = createAckClient({ env });
});
afterAll(async () => {
  await cce.close();
  await ack.close();
  await cloud.close();
});

describe("upgrades in flight", () => {
  it("CCE: a running upgrade task is the reason, named with its id and target", async () => {
    const snapshot = await readCceReadiness(cce, {
      clusterId: cloud.clusterId("cce-upgrading"),
      targetVersion: "v1.30",
    });
    expect(snapshot.verdict).toBe("upgrading");
    expect(snapshot.upgradesInFlight).toEqual([
      expect.objectContaining({ kind: "cce-upgrade-task", targetVersion: expect.stringMatching(/^v1\.30/) }),
    ]);
    const task = snapshot.upgradesInFlight?.[0];
    expect(snapshot.reasons.join("\n")).toContain(
      `CCE upgrade task ${task?.id} (${task?.status}, to ${task?.targetVersion}, started ${task?.startedAt})`,
    );
    // The precheck is clean: only the running upgrade blocks, and no waiver can change that.
    const again = evaluate(snapshot, { blockingSeverities: ["fatal"], missingCheckBlocks: false });
    expect(again).toMatchObject({ allowed: false, verdict: "upgrading" });
  });

  it("CCE: a workflow left open for another target blocks; the workflow of this target does not", async () => {
    const open = await readCceReadiness(cce, {
      clusterId: cloud.clusterId("cce-open-workflow"),
      targetVersion: "v1.30",
    });
    expect(open.verdict).toBe("upgrading");
    expect(open.upgradesInFlight).toEqual([
      expect.objectContaining({ kind: "cce-upgrade-workflow", status: "Running", targetVersion: "v1.29" }),
    ]);
    expect(open.reasons.join("\n")).toMatch(/cancel it \(UpgradeWorkFlowUpdate with status\.phase Cancel\)/);

    const own = await readCceReadiness(cce, {
      clusterId: cloud.clusterId("cce-own-workflow"),
      targetVersion: "v1.30",
    });
    expect(own.upgradesInFlight).toBeUndefined();
    expect(own.verdict).toBe("ready");
  });

  it("ACK: a running upgrade task is the reason, with the target DescribeTaskInfo names", async () => {
    const snapshot = await readAckReadiness(ack, { clusterId: cloud.clusterId("ack-upgrading") });
    expect(snapshot.targetVersion).toBe("1.32.1-aliyun.1");
    expect(snapshot.verdict).toBe("upgrading");
    expect(snapshot.upgradesInFlight).toEqual([
      expect.objectContaining({
        kind: "ack-upgrade-task",
        status: "running",
        targetVersion: "1.32.1-aliyun.1",
      }),
    ]);
    expect(snapshot.upgradesInFlight?.[0]?.id).toMatch(/^T-/);
  });

  it("an idle cluster's snapshot has no in-flight field, so its digest is what it was before the field", async () => {
    const snapshot = await readAckReadiness(ack, { clusterId: cloud.clusterId("ack-master-only") });
    expect("upgradesInFlight" in snapshot).toBe(false);
  });
});

/** `client` with some operations replaced (its getters, e.g. `region`, kept). */
function overriding<C extends object>(client: C, methods: Partial<C>): C {
  return Object.assign(Object.create(client) as C, methods);
}

describe("selection rules", () => {
  it("ACK: with no ClusterUpgrade check for the target, the MasterUpgrade check counts", async () => {
    const snapshot = await readAckReadiness(ack, {
      clusterId: cloud.clusterId("ack-master-only"),
      targetVersion: "1.32.1-aliyun.1",
    });
    expect(snapshot.checks).toHaveLength(1);
    expect(snapshot.checks[0]).toMatchObject({ kind: "ack-cluster-check", targetVersion: "1.32.1-aliyun.1" });
    expect(snapshot.verdict).toBe("ready");
  });

  it("ACK: a check without a recorded target counts for next_version only when made after the last upgrade", async () => {
    const before = await readAckReadiness(ack, {
      clusterId: cloud.clusterId("ack-checked-before-upgrade"),
      targetVersion: "1.32.1-aliyun.1",
    });
    expect(before.checks).toEqual([]);
    expect(evaluate(before)).toMatchObject({ allowed: false });
    const after = await readAckReadiness(ack, {
      clusterId: cloud.clusterId("ack-checked-after-upgrade"),
      targetVersion: "1.32.1-aliyun.1",
    });
    expect(after.checks).toHaveLength(1);
    expect(after.verdict).toBe("ready");
  });

  it("CCE: a matching precheck the cloud lists without a creation time is chosen over an older one, and blocks", async () => {
    const clusterId = cloud.clusterId("cce-two-prechecks");
    const dated = await readCceReadiness(cce, { clusterId, targetVersion: "v1.30" });
    expect(dated.verdict).toBe("blocked");
    const newest = dated.checks[0]!.id;
    // The same answer, with the newest precheck's creationTimestamp missing (it is optional).
    const undated = overriding(cce, {
      listPreCheckTasks: async (args, call) => {
        const list = await cce.listPreCheckTasks(args, call);
        return {
          ...list,
          items: list.items.map((task) => {
            if (task.metadata.uid !== newest) return task;
            const { creationTimestamp: _dropped, ...metadata } = task.metadata;
            return { ...task, metadata };
          }),
        };
      },
    });
    const snapshot = await readCceReadiness(undated, { clusterId, targetVersion: "v1.30" });
    expect(snapshot.checks.map((check) => check.id)).toEqual([newest]);
    expect(snapshot.verdict).toBe("stale");
    expect(snapshot.reasons.join("\n")).toMatch(
      /creation time not sent by the cloud\) is stale: the cloud sent no creation time for it, so its age is unknown/,
    );
    // Running the check again would not help (the undated one is still chosen): the advice says so.
    expect(snapshot.reasons.join("\n")).toMatch(/A new check does not replace it .* report the check id/);
    expect(snapshot.reasons.join("\n")).not.toMatch(/stale: [^\n]*\. Run the check again\./);
  });

  it("ACK: an upgrade task listed without a time makes the last upgrade unknown: an unrecorded-target check does not count", async () => {
    const clusterId = cloud.clusterId("ack-checked-before-upgrade");
    const undated = overriding(ack, {
      describeClusterTasks: async (args, call) => {
        const list = await ack.describeClusterTasks(args, call);
        return {
          ...list,
          tasks: list.tasks.map(({ created: _c, updated: _u, ...task }) => task),
        };
      },
    });
    const snapshot = await readAckReadiness(undated, { clusterId, targetVersion: "1.32.1-aliyun.1" });
    expect(snapshot.checks).toEqual([]);
    expect(snapshot.verdict).toBe("unknown");
    const setAside =
      /Ignored ack-cluster-check \S+: this ClusterUpgrade check records no target version, and DescribeClusterTasks listed upgrade task \S+ with no readable created or updated time/;
    expect(snapshot.reasons.join("\n")).toMatch(setAside);
    // Judged again (as the policy pack and the gate do), the reason is still there.
    expect(evaluate(snapshot).reasons.join("\n")).toMatch(setAside);
  });

  it("one clock: the gatherer's now decides which creation times are believable, not the wall clock", async () => {
    // Two hours behind the cloud: the check made 10 min ago is dated in the future, the one made
    // 150 min ago is 30 min old. The gatherer picks by its own clock, so it judges a believable check.
    const now = (): number => cloud.emulator.control.clock().nowMs - 2 * 3_600_000;
    const cceSnapshot = await readCceReadiness(cce, {
      clusterId: cloud.clusterId("cce-checked-twice"),
      targetVersion: "v1.30",
      now,
    });
    expect(cceSnapshot.checks).toHaveLength(1);
    expect(cceSnapshot.verdict).toBe("ready");
    const ackSnapshot = await readAckReadiness(ack, {
      clusterId: cloud.clusterId("ack-checked-twice"),
      targetVersion: "1.32.1-aliyun.1",
      now,
    });
    expect(ackSnapshot.checks).toHaveLength(1);
    expect(ackSnapshot.verdict).toBe("ready");
  });

  it("CCE: an offered target that is no readable version is left out and named; the others are judged", async () => {
    // The emulator offers only versions; the answer gets a vendor pre-release label added.
    const clusterId = cloud.clusterId("cce-own-workflow");
    const cce2 = overriding(cce, {
      showClusterUpgradeInfo: async (args, call) => {
        const info = await cce.showClusterUpgradeInfo(args, call);
        const versionInfo = { ...info.spec.versionInfo, targetVersions: ["v1.31-beta", "v1.30"] };
        return { ...info, spec: { ...info.spec, versionInfo } };
      },
    });
    const snapshot = await readCceReadiness(cce2, { clusterId, targetVersion: "v1.30" });
    expect(snapshot.upgradePath).toEqual({
      source: "cce-upgrade-info",
      offered: ["v1.30"],
      suggested: "v1.30",
      unreadable: ["v1.31-beta"],
    });
    expect(snapshot.verdict).toBe("ready");
    expect((await readCceReadiness(cce2, { clusterId })).targetVersion).toBe("v1.30");
    const beta = await readCceReadiness(cce2, { clusterId, targetVersion: "v1.31-beta" });
    const verdict = evaluate(beta);
    expect(verdict).toMatchObject({ allowed: false, verdict: "blocked", targetRefused: true });
    expect(verdict.reasons.join("\n")).toMatch(
      /Target v1\.31-beta is not a Kubernetes version upgrade-guard can read \(like v1\.30 or v1\.30\.4-r0\).*The cloud lists it \(CCE ShowClusterUpgradeInfo\), but upgrade-guard cannot judge it\. Valid targets: v1\.30, from CCE ShowClusterUpgradeInfo\. Choose one of them\./,
    );
  });

  it("ACK: a next_version that is no readable version is not offered, and a target naming it is refused", async () => {
    const clusterId = cloud.clusterId("ack-master-only");
    const ack2 = overriding(ack, {
      describeClusterDetail: async (args, call) => ({
        ...(await ack.describeClusterDetail(args, call)),
        next_version: "1.32-beta",
      }),
    });
    const beta = await readAckReadiness(ack2, { clusterId, targetVersion: "1.32-beta" });
    expect(beta.upgradePath).toEqual({
      source: "ack-cluster-detail",
      offered: [],
      unreadable: ["1.32-beta"],
    });
    expect(beta.verdict).toBe("blocked");
    expect(beta.reasons.join("\n")).toMatch(
      /Target 1\.32-beta is not a Kubernetes version upgrade-guard can read \(like 1\.32\.1-aliyun\.1\).*The cloud offers no readable target from 1\.31\.1-aliyun\.1 now/,
    );
  });

  it("CCE: the default target is the newest version the cloud offers", async () => {
    const snapshot = await readCceReadiness(cce, { clusterId: cloud.clusterId("cce-open-workflow") });
    expect(snapshot.targetVersion).toBe("v1.30");
    expect(snapshot.checks.map((check) => check.kind)).toEqual(["cce-cluster-precheck"]);
  });

  it("reads the cluster once when it is handed over, and every list at most once", async () => {
    const clusterId = cloud.clusterId("cce-own-workflow");
    const cluster = await cce.showCluster({ clusterId });
    cloud.emulator.control.clearRequests();
    await readCceReadiness(cce, { clusterId, targetVersion: "v1.30", cluster });
    const operations = cloud.emulator.control
      .requests()
      .map((request) => request.operation)
      .sort();
    // The upgrade path is read whatever the target (evaluate blocks a target the cloud does not offer).
    expect(operations).toEqual([
      "ListAddonPrecheckTasks",
      "ListPreCheckTasks",
      "ListUpgradeClusterTasks",
      "ListUpgradeWorkFlows",
      "ShowClusterUpgradeInfo",
    ]);
  });

  it("one clock: observedAt is the injected instant", async () => {
    const at = Date.parse("2030-01-01T00:00:00.000Z");
    const snapshot = await readAckReadiness(ack, {
      clusterId: cloud.clusterId("ack-master-only"),
      now: () => at,
    });
    expect(snapshot.observedAt).toBe("2030-01-01T00:00:00.000Z");
  });
});
