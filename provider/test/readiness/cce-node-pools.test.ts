// Node-scoped CCE precheck items named by their node pools, over real HTTP to the emulator: the facts
// gatherer reads ListNodes and ListNodePools only when the precheck has node items, names each
// finding's pools (custom pools by name, the rest as CCE's DefaultPool), and goes on without pools
// when either read fails.
import { clientEnvironment, type ScenarioInput } from "../../../emulator/src";
import { createCceClient } from "../../src/clients/cce/client";
import { evaluate } from "../../src/readiness/evaluate";
import { readCceReadiness } from "../../src/readiness/facts";
import { startTestCloud, type TestCloud } from "../resources/helpers";

const TARGET = "v1.30";
const nodeItem = (name: string, node: string) => ({
  name,
  group: "NodeCheck" as const,
  level: "Fatal" as const,
  node,
  message: `${name} failed on ${node}`,
});

const SCENARIO: ScenarioInput = {
  name: "cce-node-pools",
  clusters: [
    {
      cloud: "cce",
      name: "pooled",
      version: "v1.29.5-r0",
      targetVersions: [TARGET],
      nodePools: [
        { name: "gpu-pool", nodeNames: ["10.0.0.11", "10.0.0.12"] },
        { name: "batch", nodes: 2 },
      ],
      outcomes: {
        [TARGET]: {
          precheck: {
            items: [
              nodeItem("NodeKernel", "10.0.0.11"),
              nodeItem("NodeDisk", "batch-2"),
              nodeItem("NodeRuntime", "10.0.0.99"),
              { name: "MasterHealth", group: "MasterCheck", level: "Warning" },
            ],
          },
        },
      },
      history: { cce: { prechecks: [{ targetVersion: TARGET, createdAgo: "5m" }] } },
    },
    {
      cloud: "cce",
      name: "no-node-items",
      version: "v1.29.5-r0",
      targetVersions: [TARGET],
      nodePools: [{ name: "workers", nodes: 1 }],
      outcomes: { [TARGET]: { precheck: { items: [{ name: "MasterHealth", level: "Warning" }] } } },
      history: { cce: { prechecks: [{ targetVersion: TARGET, createdAgo: "5m" }] } },
    },
  ],
};

let cloud: TestCloud;
let cce: ReturnType<typeof createCceClient>;
beforeAll(async () => {
  cloud = await startTestCloud(SCENARIO);
  cce = createCceClient({ env: clientEnvironment(cloud.url) });
});
afterAll(async () => {
  await cce.close();
  await cloud.close();
});
afterEach(() => cloud.emulator.control.clearFaults());

const operations = (clusterId: string): string[] =>
  cloud.emulator.control
    .requests({})
    .filter((entry) => entry.path.includes(clusterId))
    .map((entry) => entry.operation ?? entry.path);

const byName = (snapshot: Awaited<ReturnType<typeof readCceReadiness>>, name: string) =>
  snapshot.findings.find((finding) => finding.checkName === name)?.affected;

describe("node pools of node-scoped precheck findings", () => {
  it("names each node's pool: custom pools by name, nodes outside them as DefaultPool", async () => {
    const snapshot = await readCceReadiness(cce, {
      clusterId: cloud.clusterId("pooled"),
      targetVersion: TARGET,
    });
    expect(byName(snapshot, "NodeKernel")).toEqual({
      nodes: ["10.0.0.11", expect.any(String)],
      nodePools: ["gpu-pool"],
    });
    expect(byName(snapshot, "NodeDisk")?.nodePools).toEqual(["batch"]);
    expect(byName(snapshot, "NodeRuntime")?.nodePools).toEqual(["DefaultPool"]);
    expect(byName(snapshot, "MasterHealth")?.nodePools).toBeUndefined();
    // The verdict's reasons say where to look.
    expect(evaluate(snapshot).reasons.join("\n")).toMatch(
      /NodeKernel .* Affected: nodes 10\.0\.0\.11, .* \(node pools gpu-pool\)/,
    );
    expect(snapshot.verdict).toBe("blocked");
  });

  it("reads nodes and pools only when the precheck has node items", async () => {
    const id = cloud.clusterId("no-node-items");
    cloud.emulator.control.clearRequests();
    await readCceReadiness(cce, { clusterId: id, targetVersion: TARGET });
    const seen = operations(id);
    expect(seen).toContain("ListPreCheckTasks");
    expect(seen).not.toContain("ListNodes");
    expect(seen).not.toContain("ListNodePools");
  });

  it("a failing ListNodes leaves the findings without pools, and the verdict as it was", async () => {
    const id = cloud.clusterId("pooled");
    const before = await readCceReadiness(cce, { clusterId: id, targetVersion: TARGET });
    cloud.emulator.control.setFault({
      operation: "ListNodes",
      error: { status: 403, code: "CCE.01403001", message: "no" },
    });
    const snapshot = await readCceReadiness(cce, { clusterId: id, targetVersion: TARGET });
    expect(byName(snapshot, "NodeKernel")?.nodePools).toBeUndefined();
    expect(byName(snapshot, "NodeKernel")?.nodes).toEqual(byName(before, "NodeKernel")?.nodes);
    expect(snapshot.verdict).toBe(before.verdict);
    expect(snapshot.reasons.filter((r) => !/node pools/.test(r)).length).toBeGreaterThan(0);
  });
});
