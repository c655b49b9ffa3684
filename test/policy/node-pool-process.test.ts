/**
 * ACK node pool version changes under the REAL analyzer process (`@pulumi/pulumi/cmd/run-policy-pack`
 * with policy-pack/ as its directory, so it loads the compiled dist/: run `npm run build` first),
 * driven over gRPC like the Pulumi CLI drives it. The resource is `@pulumi/alicloud`'s
 * `alicloud:cs/nodePool:NodePool`: its desired version is `upgradePolicy.kubernetesVersion`, the
 * pool is found by its `nodePoolId` (from state on update). The pack reads every fact from the
 * emulator over HTTP: the pool's kubelet version, the control plane's and the pool's latest
 * NodePoolUpgrade check.
 */
import * as path from "node:path";
import {
  analyzeRequest,
  type PluginProcess,
  readAnalyzeResponse,
  startPolicyPack,
  UNKNOWN,
} from "@upgrade-guard/harness";
import { clientEnvironment, type RunningEmulator, startEmulator } from "@upgrade-guard/emulator";
import { NODE_POOL_SCENARIO, POOL_CONTROL_PLANE, POOL_FROM, POOL_IDS } from "./fixtures";

const PACK_DIR = path.resolve(__dirname, "../../policy-pack");
const CLUSTER = "cluster-upgrade-requires-clean-precheck";
const NODE_POOL = "alicloud:cs/nodePool:NodePool";

let emulator: RunningEmulator;
let pack: PluginProcess;
let clusterId: string;

beforeAll(async () => {
  emulator = await startEmulator({ scenario: NODE_POOL_SCENARIO });
  clusterId = emulator.control.clusters()[0]!.id;
  pack = await startPolicyPack(PACK_DIR, { env: clientEnvironment(emulator.url), startTimeoutMs: 30_000 });
}, 60_000);

afterAll(async () => {
  await pack?.stop();
  await emulator?.close();
});

const pool = (nodePoolId: unknown, kubernetesVersion: unknown) => ({
  clusterId,
  name: "workers",
  nodePoolId,
  upgradePolicy: { kubernetesVersion },
});

async function mandatory(name: string, props: Record<string, unknown>) {
  const result = readAnalyzeResponse(await pack.call("analyze", analyzeRequest(NODE_POOL, name, props)));
  return result.diagnostics.filter((d) => d.policyName === CLUSTER && d.enforcementLevel === "mandatory");
}

describe("ACK node pool version changes through the real analyzer process", () => {
  it("BLOCKS a pool version bump whose latest NodePoolUpgrade check failed with an error item", async () => {
    const found = await mandatory("fatal", pool(POOL_IDS.fatal, POOL_CONTROL_PLANE));
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain(
      `the upgrade of node pool fatal-pool (${POOL_IDS.fatal}) of ACK cluster np-cluster (${clusterId}) from ${POOL_FROM} to ${POOL_CONTROL_PLANE} is BLOCKED`,
    );
    expect(found[0]!.message).toContain("BLOCKED");
    expect(found[0]!.message).toContain("NodeDiskPressure");
    expect(found[0]!.message).toContain("less than 10% free disk");
  });

  it("ALLOWS the same bump of a pool whose check is clean, and says nothing", async () => {
    const result = readAnalyzeResponse(
      await pack.call(
        "analyze",
        analyzeRequest(NODE_POOL, "clean", pool(POOL_IDS.clean, POOL_CONTROL_PLANE)),
      ),
    );
    expect(result.diagnostics).toEqual([]);
  });

  it("refuses a pool target newer than the control plane (version skew), whatever the check says", async () => {
    const found = await mandatory("newer", pool(POOL_IDS.clean, "1.33.1-aliyun.1"));
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain(
      `Target 1.33.1-aliyun.1 is newer than the control plane (${POOL_CONTROL_PLANE})`,
    );
    expect(found[0]!.message).toContain("https://kubernetes.io/releases/version-skew-policy/");
  });

  it("refuses a pool target more minors behind the control plane than the skew policy allows (3 from 1.28)", async () => {
    const found = await mandatory("old", pool(POOL_IDS.old, "1.28.15-aliyun.1"));
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain(
      `Target 1.28.15-aliyun.1 is 4 minor versions behind the control plane (${POOL_CONTROL_PLANE}); a kubelet may lag kube-apiserver by at most 3`,
    );
    // 1.29 is three behind: the skew rule allows it. The pool's clean check records no target, so
    // it counts for the control plane's version only, and 1.29 still needs a check of its own.
    const threeBehind = await mandatory("old-ok", pool(POOL_IDS.old, "1.29.3-aliyun.1"));
    expect(threeBehind).toHaveLength(1);
    expect(threeBehind[0]!.message).not.toContain("behind the control plane");
    expect(threeBehind[0]!.message).toContain("verdict unknown");
    // Straight to the control plane's version, the clean check counts: allowed.
    expect(await mandatory("old-to-cp", pool(POOL_IDS.old, POOL_CONTROL_PLANE))).toEqual([]);
  });

  it("blocks a pool with no NodePoolUpgrade check, saying which check to run", async () => {
    const found = await mandatory("unchecked", pool(POOL_IDS.unchecked, POOL_CONTROL_PLANE));
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain(
      `RunClusterCheck, type NodePoolUpgrade, target ${POOL_IDS.unchecked}`,
    );
  });

  it("a new pool (nodePoolId unknown on create), an unpinned version and an unchanged one are not judged", async () => {
    expect(await mandatory("new", pool(UNKNOWN, POOL_CONTROL_PLANE))).toEqual([]);
    expect(await mandatory("unpinned", { clusterId, nodePoolId: POOL_IDS.fatal })).toEqual([]);
    expect(await mandatory("same", pool(POOL_IDS.fatal, POOL_FROM))).toEqual([]);
  });

  it("a pinned version with no nodePoolId at all (neither state nor unknown) blocks: the pool cannot be identified", async () => {
    const found = await mandatory("no-id", {
      clusterId,
      upgradePolicy: { kubernetesVersion: POOL_CONTROL_PLANE },
    });
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain("cannot tell which node pool");
  });

  it("an unknown target of an existing pool blocks (mandatory) during preview", async () => {
    const found = await mandatory("unknown", pool(POOL_IDS.clean, UNKNOWN));
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain("upgradePolicy.kubernetesVersion");
  });
});
