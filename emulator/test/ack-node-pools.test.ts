/**
 * ACK node pools in the emulator, driven by the official Alibaba SDK (`@alicloud/cs20151215`, ACS3
 * signing): DescribeClusterNodePools, DescribeClusterNodePoolDetail, NodePoolUpgrade checks whose
 * outcome the scenario sets per pool, and UpgradeClusterNodepool tracked with DescribeTaskInfo until
 * the pool's kubelet runs the new version.
 */
import { startEmulator, type RunningEmulator, type ScenarioInput } from "../src";
import { ackClient, aliFailure, cs, noRetry } from "./helpers/official-sdks";

const CONTROL_PLANE = "1.32.1-aliyun.1";

const SCENARIO: ScenarioInput = {
  name: "node-pools",
  defaults: { checkProgress: { polls: 2 }, upgradeProgress: { polls: 2 } },
  clusters: [
    {
      cloud: "ack",
      name: "ack-pools",
      version: CONTROL_PLANE,
      nodePools: [
        { name: "clean", version: "1.31.1-aliyun.1", nodes: 2 },
        {
          name: "risky",
          version: "1.31.1-aliyun.1",
          check: {
            items: [
              {
                name: "NodeKernelVersion",
                group: "NodePool",
                level: "error",
                message: "the nodes' kernel is too old for kubelet 1.32",
                targets: ["cn-hangzhou.192.168.0.12"],
              },
            ],
          },
          upgrade: { result: "Failed", message: "node cn-hangzhou.192.168.0.12 failed to drain" },
        },
      ],
      history: { ack: { checks: [{ type: "NodePoolUpgrade", target: "risky", createdAgo: "3m" }] } },
    },
  ],
};

let emulator: RunningEmulator;
let clusterId: string;

beforeEach(async () => {
  emulator = await startEmulator({ scenario: SCENARIO, freezeClock: true });
  clusterId = emulator.control.clusters()[0]!.id;
});

afterEach(async () => {
  await emulator.close();
});

async function poolIds(): Promise<Record<string, string>> {
  const list = await ackClient(emulator.url).describeClusterNodePoolsWithOptions(
    clusterId,
    new cs.DescribeClusterNodePoolsRequest({}),
    {},
    noRetry(),
  );
  return Object.fromEntries(
    (list.body?.nodepools ?? []).map((p) => [p.nodepoolInfo!.name!, p.nodepoolInfo!.nodepoolId!]),
  );
}

describe("ACK node pools", () => {
  it("DescribeClusterNodePools lists the scenario's pools, NodepoolName filters, Detail reads one with its kubelet", async () => {
    const client = ackClient(emulator.url);
    const ids = await poolIds();
    expect(Object.keys(ids).sort()).toEqual(["clean", "risky"]);
    expect(ids["clean"]).toMatch(/^np[0-9a-f]{32}$/);
    const named = await client.describeClusterNodePoolsWithOptions(
      clusterId,
      new cs.DescribeClusterNodePoolsRequest({ nodepoolName: "risky" }),
      {},
      noRetry(),
    );
    expect(named.body?.nodepools?.map((p) => p.nodepoolInfo?.name)).toEqual(["risky"]);
    const detail = await client.describeClusterNodePoolDetailWithOptions(
      clusterId,
      ids["clean"]!,
      {},
      noRetry(),
    );
    expect(detail.body?.nodepoolInfo).toMatchObject({ nodepoolId: ids["clean"], name: "clean" });
    expect(detail.body?.status).toMatchObject({ state: "active", totalNodes: 2 });
    expect(detail.body?.nodeComponents?.find((c) => c.name === "kubelet")?.version).toBe("1.31.1-aliyun.1");
  });

  it("an unknown pool is ErrorNodePoolNotFound (404), for reads, checks and upgrades", async () => {
    const client = ackClient(emulator.url);
    const read = await aliFailure(
      client.describeClusterNodePoolDetailWithOptions(clusterId, "np-nope", {}, noRetry()),
    );
    expect(read).toMatchObject({ statusCode: 404, code: "ErrorNodePoolNotFound" });
    const check = await aliFailure(
      client.runClusterCheckWithOptions(
        clusterId,
        new cs.RunClusterCheckRequest({ type: "NodePoolUpgrade", target: "np-nope" }),
        {},
        noRetry(),
      ),
    );
    expect(check).toMatchObject({ statusCode: 404, code: "ErrorNodePoolNotFound" });
  });

  it("NodePoolUpgrade checks report the pool's scenario outcome: risky Failed with its error item, clean Succeeded", async () => {
    const client = ackClient(emulator.url);
    const ids = await poolIds();
    const seeded = await client.listClusterChecksWithOptions(
      clusterId,
      new cs.ListClusterChecksRequest({ type: "NodePoolUpgrade", target: ids["risky"] }),
      {},
      noRetry(),
    );
    expect(seeded.body?.checks).toHaveLength(1);
    const risky = await client.getClusterCheckWithOptions(
      clusterId,
      seeded.body!.checks![0]!.checkId!,
      {},
      noRetry(),
    );
    expect(risky.body?.status).toBe("Failed");
    const item = risky.body?.checkItems?.["NodeKernelVersion"]?.[0] as { Level: Record<string, unknown> };
    expect(Object.keys(item.Level)).toEqual(["error"]);

    const started = await client.runClusterCheckWithOptions(
      clusterId,
      new cs.RunClusterCheckRequest({ type: "NodePoolUpgrade", target: ids["clean"] }),
      {},
      noRetry(),
    );
    const seen: string[] = [];
    for (let poll = 0; poll < 4 && seen.at(-1) !== "Succeeded"; poll++) {
      const check = await client.getClusterCheckWithOptions(clusterId, started.body!.checkId!, {}, noRetry());
      seen.push(check.body!.status!);
    }
    expect(seen).toEqual(["Running", "Succeeded"]);
    // Listed by target, each pool sees only its own checks.
    const clean = await client.listClusterChecksWithOptions(
      clusterId,
      new cs.ListClusterChecksRequest({ type: "NodePoolUpgrade", target: ids["clean"] }),
      {},
      noRetry(),
    );
    expect(clean.body?.checks?.map((c) => c.checkId)).toEqual([started.body!.checkId]);
  });

  it("UpgradeClusterNodepool → DescribeTaskInfo running then success → the pool's kubelet runs the target", async () => {
    const client = ackClient(emulator.url);
    const ids = await poolIds();
    const upgrade = await client.upgradeClusterNodepoolWithOptions(
      clusterId,
      ids["clean"]!,
      new cs.UpgradeClusterNodepoolRequest({ kubernetesVersion: CONTROL_PLANE }),
      {},
      noRetry(),
    );
    const taskId = upgrade.body!.taskId!;
    expect(taskId).toMatch(/^T-/);
    const during = await client.describeClusterNodePoolDetailWithOptions(
      clusterId,
      ids["clean"]!,
      {},
      noRetry(),
    );
    expect(during.body?.status?.state).toBe("updating");
    const states: string[] = [];
    let info: cs.DescribeTaskInfoResponseBody | undefined;
    for (let poll = 0; poll < 5 && states.at(-1) !== "success"; poll++) {
      info = (await client.describeTaskInfoWithOptions(taskId, {}, noRetry())).body;
      states.push(info!.state!);
    }
    expect(states).toEqual(["running", "success"]);
    expect(info).toMatchObject({
      taskType: "nodepool_upgrade",
      target: { id: ids["clean"], type: "nodepool" },
    });
    const after = await client.describeClusterNodePoolDetailWithOptions(
      clusterId,
      ids["clean"]!,
      {},
      noRetry(),
    );
    expect(after.body?.status?.state).toBe("active");
    expect(after.body?.nodeComponents?.find((c) => c.name === "kubelet")?.version).toBe(CONTROL_PLANE);
    // The control plane did not move.
    const cluster = await client.describeClusterDetailWithOptions(clusterId, {}, noRetry());
    expect(cluster.body).toMatchObject({ currentVersion: CONTROL_PLANE, state: "running" });
  });

  it("a pool upgrade that fails leaves the pool on its version; one past the control plane is refused", async () => {
    const client = ackClient(emulator.url);
    const ids = await poolIds();
    const newer = await aliFailure(
      client.upgradeClusterNodepoolWithOptions(
        clusterId,
        ids["clean"]!,
        new cs.UpgradeClusterNodepoolRequest({ kubernetesVersion: "1.33.1-aliyun.1" }),
        {},
        noRetry(),
      ),
    );
    expect(newer).toMatchObject({ statusCode: 400, code: "InvalidParameter" });
    expect(newer.message).toMatch(/newer than the cluster's control plane \(1\.32\.1-aliyun\.1\)/);

    const upgrade = await client.upgradeClusterNodepoolWithOptions(
      clusterId,
      ids["risky"]!,
      new cs.UpgradeClusterNodepoolRequest({}),
      {},
      noRetry(),
    );
    const second = await aliFailure(
      client.upgradeClusterNodepoolWithOptions(
        clusterId,
        ids["risky"]!,
        new cs.UpgradeClusterNodepoolRequest({}),
        {},
        noRetry(),
      ),
    );
    expect(second).toMatchObject({ statusCode: 400, code: "ErrorNodePoolState" });
    let state = "";
    for (let poll = 0; poll < 5 && state !== "fail"; poll++) {
      state = (await client.describeTaskInfoWithOptions(upgrade.body!.taskId!, {}, noRetry())).body!.state!;
    }
    expect(state).toBe("fail");
    const after = await client.describeClusterNodePoolDetailWithOptions(
      clusterId,
      ids["risky"]!,
      {},
      noRetry(),
    );
    expect(after.body?.nodeComponents?.find((c) => c.name === "kubelet")?.version).toBe("1.31.1-aliyun.1");
    expect(after.body?.status?.state).toBe("active");
  });
});
