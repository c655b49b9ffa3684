// Recovery of a lost UpgradeCluster answer lists the cluster's tasks: ACK documents no order, so the
// new task may be on any page. Against the emulator over real HTTP, whose listing is oldest first
// (emulator LIMITATIONS.md): with 150 older tasks the new one is on page 2.
import { clientEnvironment, type ScenarioInput } from "../../../emulator/src";
import { createAckClient } from "../../src/clients/ack/client";
import { startTestCloud, type TestCloud } from "../resources/helpers";

const CURRENT = "1.32.1-aliyun.1";
const NEXT = "1.33.1-aliyun.1";

const SCENARIO: ScenarioInput = {
  name: "busy-cluster",
  clusters: [
    {
      cloud: "ack",
      name: "busy",
      version: CURRENT,
      targetVersions: [NEXT],
      nodePools: [{ name: "pool", id: "np1b000000000000000000000000000001", version: CURRENT }],
      history: {
        ack: {
          upgrades: Array.from({ length: 150 }, (_, i) => ({
            nodePool: "pool",
            targetVersion: CURRENT,
            createdAgo: `${60 + i}m`,
          })),
        },
      },
    },
  ],
};

let cloud: TestCloud;
beforeAll(async () => {
  cloud = await startTestCloud(SCENARIO);
});
afterAll(async () => {
  await cloud.close();
});

it("upgradeCluster whose answer was lost finds its task on a later DescribeClusterTasks page, without a second POST", async () => {
  const ack = createAckClient({ env: clientEnvironment(cloud.url) });
  const clusterId = cloud.clusterId("busy");
  cloud.emulator.control.setFault({
    service: "ack",
    operation: "UpgradeCluster",
    method: "POST",
    reset: "after",
    times: 1,
  });
  try {
    const result = await ack.upgradeCluster({ clusterId, nextVersion: NEXT });
    expect(result.recovered).toBe(true);
    const requests = cloud.emulator.control.requests();
    expect(requests.filter((r) => r.operation === "UpgradeCluster")).toHaveLength(1);
    // 151 tasks, oldest first: the new one is the last, on page 2.
    const pages = requests.filter((r) => r.operation === "DescribeClusterTasks").map((r) => r.query);
    expect(pages).toEqual([
      expect.stringContaining("page_number=1"),
      expect.stringContaining("page_number=2"),
    ]);
    const info = await ack.describeTaskInfo({ taskId: result.task_id });
    expect(info).toMatchObject({ task_type: "cluster_upgrade", cluster_id: clusterId });
  } finally {
    await ack.close();
  }
});
