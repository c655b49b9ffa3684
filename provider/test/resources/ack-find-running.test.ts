// ack.ClusterUpgrade adopts an upgrade already running for its target instead of starting a second
// one. ACK lists a cluster's tasks in pages, in an order it does not document (the emulator lists
// oldest first), so the running task may sit on any page. Against the emulator over real HTTP.
import { type ScenarioInput } from "../../../emulator/src";
import { ACK_TASK_PAGE_SIZE } from "../../src/clients/ack/task-pages";
import { resources } from "../../src/impl";
import { PartialCreateError } from "../../src/pulumi/shared/errors";
import { served, startTestCloud, type TestCloud } from "./helpers";

const upgrade = resources.ackClusterUpgrade;
const CURRENT = "1.31.1-aliyun.1";
const TARGET = "1.32.1-aliyun.1";
const OTHER = "1.32.2-aliyun.1";

/** A cluster on CURRENT with a page and a half of old node pool upgrades, then `running` upgrades. */
function busyCluster(
  name: string,
  poolId: string,
  running: readonly { targetVersion: string; nodePool?: string }[],
): NonNullable<ScenarioInput["clusters"]>[number] {
  return {
    cloud: "ack",
    name,
    version: CURRENT,
    targetVersions: [TARGET, OTHER],
    nodePools: [{ name: "pool", id: poolId, version: CURRENT }],
    history: {
      ack: {
        upgrades: [
          ...Array.from({ length: ACK_TASK_PAGE_SIZE * 1.5 }, (_, i) => ({
            nodePool: "pool",
            targetVersion: CURRENT,
            createdAgo: `${24 * 60 + i}m`,
          })),
          ...running.map((task) => ({ ...task, createdAgo: "1m", running: true })),
        ],
      },
    },
  };
}

const SCENARIO: ScenarioInput = {
  name: "find-running",
  clusters: [
    busyCluster("late-page", "np1a000000000000000000000000000001", [{ targetVersion: TARGET }]),
    busyCluster("other-target", "np1b000000000000000000000000000002", [{ targetVersion: OTHER }]),
    busyCluster("pool-only", "np1c000000000000000000000000000003", [
      { targetVersion: CURRENT, nodePool: "pool" },
    ]),
  ],
};

let cloud: TestCloud;
beforeEach(async () => {
  cloud = await startTestCloud(SCENARIO);
}, 60_000);
afterEach(async () => cloud.close());

it("adopts the running upgrade for the target when it is listed after the first page", async () => {
  const clusterId = cloud.clusterId("late-page");
  const { id, outs } = await upgrade.create({ clusterId, targetVersion: TARGET });
  expect(cloud.log.join("\n")).toContain(`adopting upgrade task ${id}`);
  expect(outs).toMatchObject({ taskId: id, phase: "success", clusterVersion: TARGET });
  // The running task is newest, so (oldest first) it is only on the second page.
  expect(served(cloud, "DescribeClusterTasks")).toBeGreaterThanOrEqual(2);
  expect(served(cloud, "UpgradeCluster")).toBe(0);
  expect(served(cloud, "RunClusterCheck")).toBe(0);
});

it("does not adopt a running upgrade to another version, and starts nothing beside it", async () => {
  const clusterId = cloud.clusterId("other-target");
  const error = await upgrade.create({ clusterId, targetVersion: TARGET }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  expect(error).not.toBeInstanceOf(PartialCreateError);
  expect(String(error)).toMatch(/already upgrading .*not starting a second upgrade/);
  expect(cloud.log.join("\n")).not.toContain("adopting");
  expect(served(cloud, "UpgradeCluster")).toBe(0);
});

it("does not take a running node pool upgrade for the cluster's own upgrade", async () => {
  const clusterId = cloud.clusterId("pool-only");
  // ACK refuses the check while the pool upgrades (the pack blocks it earlier, as an upgrade in flight).
  const error = await upgrade.create({ clusterId, targetVersion: TARGET }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  expect(cloud.log.join("\n")).not.toContain("adopting");
  expect(served(cloud, "UpgradeCluster")).toBe(0);
});
