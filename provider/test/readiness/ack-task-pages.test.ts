// ACK DescribeClusterTasks is paged and its order undocumented: the gatherer must read every page
// to know when the cluster was last upgraded, and fail closed when it cannot. Against the emulator
// over real HTTP; its listing is oldest first (emulator LIMITATIONS.md), and each scenario puts the
// last upgrade task past the first page in either order.
import { clientEnvironment, type ScenarioInput } from "../../../emulator/src";
import { createAckClient } from "../../src/clients/ack/client";
import { ACK_TASK_MAX_PAGES, ACK_TASK_PAGE_SIZE } from "../../src/clients/ack/task-pages";
import { getLatestClusterCheck } from "../../src/pulumi/functions/ack";
import { evaluate } from "../../src/readiness/evaluate";
import { readAckReadiness } from "../../src/readiness/facts";
import { startTestCloud, type TestCloud } from "../resources/helpers";

const CURRENT = "1.32.1-aliyun.1";
const NEXT = "1.33.1-aliyun.1";
const POOLS: Record<string, string> = {
  paged: "np1p000000000000000000000000000001",
  huge: "np1h000000000000000000000000000002",
};

/** `count` finished node pool upgrades (not cluster upgrades), created `fromMinutes` ago and older. */
function poolTasks(count: number, fromMinutes: number) {
  return Array.from({ length: count }, (_, i) => ({
    nodePool: "pool",
    targetVersion: CURRENT,
    createdAgo: `${fromMinutes + i}m`,
  }));
}

/**
 * A cluster upgraded to CURRENT 30 minutes ago, with a passing ClusterUpgrade check from 40
 * minutes ago that records no target (it was for CURRENT): `before` pool tasks older than both and
 * `after` newer ones.
 */
function upgradedCluster(
  name: string,
  before: number,
  after: number,
): NonNullable<ScenarioInput["clusters"]>[number] {
  return {
    cloud: "ack",
    name,
    version: CURRENT,
    targetVersions: [NEXT],
    nodePools: [{ name: "pool", id: POOLS[name]!, version: CURRENT }],
    history: {
      ack: {
        checks: [
          { type: "ClusterUpgrade", targetVersion: CURRENT, targetRecorded: false, createdAgo: "40m" },
        ],
        upgrades: [
          ...poolTasks(before, 24 * 60),
          { targetVersion: CURRENT, createdAgo: "30m" },
          ...poolTasks(after, 1),
        ],
      },
    },
  };
}

const SCENARIO: ScenarioInput = {
  name: "task-pages",
  clusters: [
    // 201 tasks: the upgrade is the 101st, on page 2 whichever way the list is ordered.
    upgradedCluster("paged", ACK_TASK_PAGE_SIZE, ACK_TASK_PAGE_SIZE),
    // Past the page bound: the upgrade sits behind ACK_TASK_MAX_PAGES full pages either way.
    upgradedCluster("huge", ACK_TASK_PAGE_SIZE * ACK_TASK_MAX_PAGES, ACK_TASK_PAGE_SIZE * ACK_TASK_MAX_PAGES),
  ],
};

let cloud: TestCloud;
let ack: ReturnType<typeof createAckClient>;
beforeAll(async () => {
  cloud = await startTestCloud(SCENARIO);
  ack = createAckClient({ env: clientEnvironment(cloud.url) });
}, 60_000);
afterAll(async () => {
  await ack.close();
  await cloud.close();
});

const taskPages = () =>
  cloud.emulator.control.requests().filter((r) => r.operation === "DescribeClusterTasks");

describe("ACK tasks on more than one page", () => {
  beforeEach(() => cloud.emulator.control.clearRequests());

  it("an unrecorded-target check made before the last upgrade (listed on page 2) does not count for the next version", async () => {
    const clusterId = cloud.clusterId("paged");
    const snapshot = await readAckReadiness(ack, { clusterId });
    expect(snapshot.targetVersion).toBe(NEXT);
    expect(snapshot.checks).toEqual([]);
    expect(snapshot.verdict).toBe("unknown");
    expect(snapshot.reasons.join("\n")).toContain(`No ack-cluster-check for ${NEXT} was found`);
    const latest = await getLatestClusterCheck({ clusterId });
    expect(latest.check).toBeUndefined();
  });

  it("past the page bound the last upgrade time is unknown: the unrecorded-target check does not count, and the reason says why", async () => {
    const clusterId = cloud.clusterId("huge");
    const snapshot = await readAckReadiness(ack, { clusterId });
    expect(snapshot.checks).toEqual([]);
    expect(snapshot.verdict).toBe("unknown");
    const why = snapshot.reasons.join("\n");
    expect(why).toMatch(/Ignored ack-cluster-check \S+: this ClusterUpgrade check records no target version/);
    expect(why).toContain(
      `${ACK_TASK_MAX_PAGES} page(s), at most ${ACK_TASK_MAX_PAGES} of ${ACK_TASK_PAGE_SIZE}`,
    );
    expect(why).toContain("To fix: run a new ClusterUpgrade check for the target");
    // A fact of the snapshot, so judging it again (the policy pack, the gate) keeps the reason.
    expect(snapshot.setAside).toHaveLength(1);
    const again = evaluate(snapshot, { maxAgeMs: 3_600_000 }).reasons.join("\n");
    expect(again).toMatch(
      /Ignored ack-cluster-check \S+: this ClusterUpgrade check records no target version/,
    );
    // The bound holds: no more than ACK_TASK_MAX_PAGES pages were asked for.
    expect(taskPages()).toHaveLength(ACK_TASK_MAX_PAGES);
    const latest = await getLatestClusterCheck({ clusterId });
    expect(latest.check).toBeUndefined();
  });
});
