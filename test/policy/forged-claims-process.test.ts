/**
 * The gate judges the cloud's facts, never the program's claims: upgrade-guard's own upgrade
 * resources carry `currentVersion` and a readiness summary, and a program can set both to anything.
 * Every forged or out-of-date claim below, on a cluster whose latest check is Fatal and on one with
 * no check at all, for both clouds, is analyzed by the REAL `cmd/run-policy-pack` process over gRPC
 * (policy-pack/ with its compiled dist/: run `npm run build` first), with the emulator answering the
 * pack's own lookups. All of them block. Honest claims onto a clean cluster pass, and each distinct
 * cluster costs one gathering of facts however many resources point at it.
 */
import * as path from "node:path";
import {
  createAckClient,
  createCceClient,
  getUpgradeReadiness,
  type ReadinessSummary,
} from "@upgrade-guard/provider";
import {
  analyzeRequest,
  type PluginProcess,
  readAnalyzeResponse,
  startPolicyPack,
} from "@upgrade-guard/harness";
import { clientEnvironment, type RunningEmulator } from "@upgrade-guard/emulator";
import { TYPE_TOKENS } from "../../sdk/src/tokens";
import { ACK_FROM, ACK_TO, CCE_FROM, CCE_TO, startMatrixEmulator } from "./fixtures";

type CloudName = "cce" | "ack";
const PACK_DIR = path.resolve(__dirname, "../../policy-pack");
const CLUSTER_POLICY = "cluster-upgrade-requires-clean-precheck";
const FROM: Record<CloudName, string> = { cce: CCE_FROM, ack: ACK_FROM };
const TO: Record<CloudName, string> = { cce: CCE_TO, ack: ACK_TO };
const TYPE: Record<CloudName, string> = {
  cce: TYPE_TOKENS.cce.ClusterUpgrade,
  ack: TYPE_TOKENS.ack.ClusterUpgrade,
};

let emulator: RunningEmulator;
let pack: PluginProcess;
const ids = new Map<string, string>();
const honest = new Map<string, ReadinessSummary>();
/** Per cloud: the id of the older of the Fatal cluster's two checks for the target. */
const olderCheckId: Record<CloudName, string> = { cce: "", ack: "" };

beforeAll(async () => {
  emulator = await startMatrixEmulator(ids);
  const env = clientEnvironment(emulator.url);
  for (const name of [
    "m-cce-fatal",
    "m-cce-nocheck",
    "m-cce-warning",
    "m-ack-fatal",
    "m-ack-nocheck",
    "m-ack-warning",
  ]) {
    const cloud = name.startsWith("m-cce") ? "cce" : "ack";
    const readiness = await getUpgradeReadiness(
      { cloud, clusterId: ids.get(name)!, targetVersion: TO[cloud] },
      { env },
    );
    honest.set(name, readiness.summary);
  }
  const cce = createCceClient({ env });
  const ack = createAckClient({ env });
  try {
    const prechecks = (await cce.listPreCheckTasks({ clusterId: ids.get("m-cce-fatal")! })).items;
    olderCheckId.cce = [...prechecks].sort((a, b) =>
      (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? ""),
    )[0]!.metadata.uid;
    const checks = (await ack.listClusterChecks({ clusterId: ids.get("m-ack-fatal")! })).checks;
    olderCheckId.ack = [...checks].sort((a, b) =>
      (a.created_at ?? "").localeCompare(b.created_at ?? ""),
    )[0]!.check_id;
  } finally {
    await cce.close();
    await ack.close();
  }
  pack = await startPolicyPack(PACK_DIR, { env, startTimeoutMs: 30_000 });
}, 60_000);

afterAll(async () => {
  await pack?.stop();
  await emulator?.close();
});

async function clusterDiagnostics(cloud: CloudName, name: string, props: Record<string, unknown>) {
  const result = readAnalyzeResponse(await pack.call("analyze", analyzeRequest(TYPE[cloud], name, props)));
  return result.diagnostics.filter((d) => d.policyName === CLUSTER_POLICY);
}

function props(cloud: CloudName, cluster: string, claims: { currentVersion: string; readiness: unknown }) {
  return {
    clusterId: ids.get(cluster),
    targetVersion: TO[cloud],
    ...claims,
    __provider: "exports.handler = () => ({})",
  };
}

describe.each(["cce", "ack"] as const)("%s: honest claims", (cloud) => {
  it("onto a clean cluster pass, and two resources on one cluster cost one gathering of its facts", async () => {
    emulator.control.clearRequests();
    const cluster = `m-${cloud}-warning`;
    const claims = { currentVersion: FROM[cloud], readiness: honest.get(cluster) };
    const [first, second] = await Promise.all([
      clusterDiagnostics(cloud, "a", props(cloud, cluster, claims)),
      clusterDiagnostics(cloud, "b", props(cloud, cluster, claims)),
    ]);
    expect(first).toEqual([]);
    expect(second).toEqual([]);
    const listOfChecks = cloud === "cce" ? "ListPreCheckTasks" : "ListClusterChecks";
    const served = emulator.control.requests({ limit: 1000 }).filter((r) => r.operation === listOfChecks);
    expect(served).toHaveLength(1);
    expect(served[0]!.path).toContain(ids.get(cluster));
  });
});

interface Forgery {
  readonly row: string;
  readonly claims: (cloud: CloudName, cluster: string) => { currentVersion: string; readiness: unknown };
  /** Whether the message must say the program's readiness is out of date (a claim disagrees). */
  readonly outOfDate: boolean;
}

const observedNow = () => new Date().toISOString();
const readyForgery = (checkId: string) => ({
  checkId,
  worstSeverity: "none",
  verdict: "ready",
  observedAt: observedNow(),
});

const FORGERIES: readonly Forgery[] = [
  {
    row: "forged currentVersion (equal to the target)",
    claims: (cloud, cluster) => ({ currentVersion: TO[cloud], readiness: honest.get(cluster) }),
    outOfDate: true,
  },
  {
    row: "forged ready summary with an invented check id",
    claims: (cloud) => ({ currentVersion: FROM[cloud], readiness: readyForgery("anything") }),
    outOfDate: true,
  },
  {
    row: "forged ready summary with the real id of an older check",
    claims: (cloud) => ({ currentVersion: FROM[cloud], readiness: readyForgery(olderCheckId[cloud]) }),
    outOfDate: true,
  },
  {
    row: "a summary blocked with a Warning worst severity",
    claims: (cloud, cluster) => ({
      currentVersion: FROM[cloud],
      readiness: { ...honest.get(cluster), verdict: "blocked", worstSeverity: "warning" },
    }),
    outOfDate: true,
  },
  {
    // The summary matches the facts except for its verdict: the policy decides on the facts.
    row: "verdict unknown",
    claims: (cloud, cluster) => ({
      currentVersion: FROM[cloud],
      readiness: { ...honest.get(cluster), verdict: "unknown" },
    }),
    outOfDate: false,
  },
  {
    row: "a digest that does not match",
    claims: (cloud, cluster) => ({
      currentVersion: FROM[cloud],
      readiness: { ...honest.get(cluster), digest: `sha256:${"0".repeat(64)}` },
    }),
    outOfDate: true,
  },
];

describe.each(["cce", "ack"] as const)("%s: forged or out-of-date claims all block", (cloud) => {
  describe.each(["fatal", "nocheck"] as const)("on the %s cluster", (kind) => {
    it.each(FORGERIES.map((forgery) => [forgery.row, forgery] as const))("%s", async (_row, forgery) => {
      const cluster = `m-${cloud}-${kind}`;
      const diagnostics = await clusterDiagnostics(
        cloud,
        `f-${kind}`,
        props(cloud, cluster, forgery.claims(cloud, cluster)),
      );
      expect(diagnostics).toHaveLength(1);
      const [diagnostic] = diagnostics;
      expect(diagnostic!.enforcementLevel).toBe("mandatory");
      const message = diagnostic!.message;
      // The facts come from the cloud: the versions are the cluster's real ones.
      expect(message).toContain(`from ${FROM[cloud]} to ${TO[cloud]}`);
      expect(message).toContain(`readiness from a live ${cloud.toUpperCase()} lookup`);
      if (forgery.outOfDate) {
        expect(message).toContain("the program's readiness for the upgrade of");
        expect(message).toContain("is out of date or does not match the cloud");
        expect(message).toContain("run the preview again");
      }
      // Whatever the claims, the live verdict is there too: Fatal blocks, no check is unknown.
      expect(message).toContain(kind === "fatal" ? "verdict blocked" : "verdict unknown");
    });
  });
});

it("the forged rows name what disagrees", async () => {
  const cluster = "m-cce-fatal";
  const [invented] = await clusterDiagnostics(
    "cce",
    "n1",
    props("cce", cluster, { currentVersion: FROM.cce, readiness: readyForgery("anything") }),
  );
  expect(invented!.message).toMatch(
    /readiness names check anything, which is not the latest check for v1\.30 \(\S+\)/,
  );
  expect(invented!.message).toContain("readiness carries no digest");
  const [forgedVersion] = await clusterDiagnostics(
    "cce",
    "n2",
    props("cce", cluster, { currentVersion: CCE_TO, readiness: honest.get(cluster) }),
  );
  expect(forgedVersion!.message).toContain(
    `currentVersion is "${CCE_TO}", but the cloud reports ${CCE_FROM}`,
  );
  const [older] = await clusterDiagnostics(
    "ack",
    "n3",
    props("ack", "m-ack-fatal", { currentVersion: ACK_FROM, readiness: readyForgery(olderCheckId.ack) }),
  );
  expect(older!.message).toContain(
    `readiness names check ${olderCheckId.ack}, which is not the latest check for ${ACK_TO}`,
  );
});
