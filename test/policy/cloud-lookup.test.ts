/**
 * The policies' cloud lookup against the emulator (real HTTP, real clients and builders): finding
 * clusters by id and by name, one set of calls per cluster whatever the number of callers, and how
 * failures are cached.
 */

import * as http from "node:http";
import { type AddressInfo } from "node:net";
import { InProcessAnalyzer } from "@upgrade-guard/harness";
import { clientEnvironment, type RunningEmulator, startEmulator } from "@upgrade-guard/emulator";
import { upgradeGuardPolicies } from "../../policy-pack/src/policies";
import { CloudReadinessLookup, MAX_ACK_LIST_PAGES } from "../../policy-pack/src/policies/cloud-lookup";
import {
  ACK_FROM,
  ACK_TO,
  CCE_FROM,
  CCE_TO,
  cceUpgradeProps,
  INSTANT_CLOCK,
  startMatrixEmulator,
} from "./fixtures";

let emulator: RunningEmulator;
const ids = new Map<string, string>();

beforeAll(async () => {
  emulator = await startMatrixEmulator(ids);
});

afterAll(async () => {
  await emulator?.close();
});

beforeEach(() => {
  emulator.control.clearRequests();
  emulator.control.clearFaults();
});

function lookup(options: { now?: () => number; errorTtlMs?: number } = {}): CloudReadinessLookup {
  return new CloudReadinessLookup({
    env: clientEnvironment(emulator.url),
    clientOptions: { transport: { clock: INSTANT_CLOCK } },
    ...options,
  });
}

const operations = (): string[] =>
  emulator.control.requests({ limit: 1000 }).map((r) => r.operation ?? r.path);

// The facts gatherer's reads of one cluster for a target, each cloud's.
const CCE_GATHERING = [
  "ShowCluster",
  "ShowClusterUpgradeInfo",
  "ListPreCheckTasks",
  "ListAddonPrecheckTasks",
  "ListUpgradeClusterTasks",
  "ListUpgradeWorkFlows",
];
const ACK_GATHERING = [
  "DescribeClusterDetail",
  "ListClusterChecks",
  "DescribeClusterTasks",
  "DescribeKubernetesVersionMetadata",
  "GetClusterCheck",
];
// A matrix precheck names a node: its node pool is read once too.
const CCE_NODE_READS = ["ListNodes", "ListNodePools"];

describe("CloudReadinessLookup against the emulator", () => {
  it("finds CCE and ACK clusters by id and by name, with their current versions", async () => {
    const l = lookup();
    await expect(l.findCluster({ cloud: "cce", clusterId: ids.get("m-cce-fatal")! })).resolves.toMatchObject({
      clusterId: ids.get("m-cce-fatal"),
      clusterName: "m-cce-fatal",
      currentVersion: CCE_FROM,
    });
    await expect(l.findCluster({ cloud: "cce", clusterName: "m-cce-warning" })).resolves.toMatchObject({
      clusterId: ids.get("m-cce-warning"),
    });
    await expect(l.findCluster({ cloud: "ack", clusterName: "m-ack-fatal" })).resolves.toMatchObject({
      clusterId: ids.get("m-ack-fatal"),
      currentVersion: ACK_FROM,
      nextVersion: ACK_TO,
      region: "cn-hangzhou",
    });
    await expect(
      l.findCluster({ cloud: "ack", clusterId: ids.get("m-ack-warning")! }),
    ).resolves.toMatchObject({
      clusterName: "m-ack-warning",
    });
  });

  it("passes cloud-specific client options to that cloud's client only", async () => {
    const env = clientEnvironment(emulator.url);
    const projectId = env["HUAWEICLOUD_SDK_PROJECT_ID"]!;
    const perCloud = new CloudReadinessLookup({
      env: { ...env, HUAWEICLOUD_SDK_PROJECT_ID: "" },
      clientOptions: { transport: { clock: INSTANT_CLOCK } },
      cceClientOptions: { projectId },
    });
    // The ACK client would refuse `projectId` as an unknown option: both lookups succeeding shows it
    // reached the CCE client only (which needs it, since the environment's project id is blank).
    await expect(perCloud.findCluster({ cloud: "cce", clusterName: "m-cce-fatal" })).resolves.toMatchObject({
      clusterId: ids.get("m-cce-fatal"),
    });
    await expect(perCloud.findCluster({ cloud: "ack", clusterName: "m-ack-fatal" })).resolves.toMatchObject({
      clusterId: ids.get("m-ack-fatal"),
    });
    const shared = new CloudReadinessLookup({
      env,
      clientOptions: { transport: { clock: INSTANT_CLOCK }, projectId },
    });
    await expect(shared.findCluster({ cloud: "ack", clusterName: "m-ack-fatal" })).rejects.toThrow(
      /projectId/,
    );
  });

  it("says 'no such cluster' for an unknown NAME, but fails for an unknown ID", async () => {
    const l = lookup();
    await expect(l.findCluster({ cloud: "cce", clusterName: "not-created-yet" })).resolves.toBeUndefined();
    await expect(l.findCluster({ cloud: "ack", clusterName: "not-created-yet" })).resolves.toBeUndefined();
    await expect(
      l.findCluster({ cloud: "cce", clusterId: "00000000-0000-4000-8000-000000000000" }),
    ).rejects.toMatchObject({ code: "API_NOT_FOUND" });
  });

  it("lists CCE clusters once for every name looked up in a region", async () => {
    const l = lookup();
    for (const name of ["m-cce-fatal", "m-cce-warning", "m-cce-nocheck", "not-there"]) {
      await l.findCluster({ cloud: "cce", clusterName: name });
    }
    expect(operations()).toEqual(["ListClusters"]);
  });

  it("makes one gathering of facts per cluster and target for any number of concurrent callers", async () => {
    const l = lookup();
    const work = Array.from({ length: 20 }, async (_, i) => {
      const cloud = i % 2 === 0 ? "cce" : "ack";
      const cluster = await l.findCluster({ cloud, clusterName: `m-${cloud}-warning` });
      return l.clusterSnapshot(cluster!, cloud === "cce" ? CCE_TO : ACK_TO);
    });
    const snapshots = await Promise.all(work);
    expect(new Set(snapshots.map((s) => s.clusterId)).size).toBe(2);
    // Found by name (a list), then the facts gatherer's reads: each exactly once.
    expect(operations().sort()).toEqual(
      ["DescribeClustersV1", "ListClusters", ...CCE_GATHERING, ...CCE_NODE_READS, ...ACK_GATHERING].sort(),
    );
    expect(l.gatherings).toBe(2);
  });

  it("builds the snapshot of the latest matching check, or none for a target the check was not for", async () => {
    const l = lookup();
    const cce = await l.findCluster({ cloud: "cce", clusterName: "m-cce-fatal" });
    const snapshot = await l.clusterSnapshot(cce!, CCE_TO);
    // The same facts getUpgradeReadiness reads: the precheck and the add-on checks.
    expect(snapshot.checks).toEqual([
      expect.objectContaining({ kind: "cce-cluster-precheck", state: "failed" }),
      expect.objectContaining({ kind: "cce-addon-check" }),
    ]);
    expect(
      snapshot.findings.some((f) => f.checkName === "AddonCompatibility" && f.severity === "fatal"),
    ).toBe(true);
    const ack = await l.findCluster({ cloud: "ack", clusterName: "m-ack-fatal" });
    // ACK checks target the cluster's next version; another target has no check.
    expect((await l.clusterSnapshot(ack!, "1.33.0-aliyun.1")).checks).toEqual([]);
    expect((await l.clusterSnapshot(ack!, ACK_TO)).checks).toHaveLength(1);
  });

  it("serves a failure from the cache for errorTtlMs, then asks again", async () => {
    let now = 0;
    const l = lookup({ now: () => now, errorTtlMs: 30_000 });
    emulator.control.setFault({ operation: "ShowCluster", error: { status: 403 }, times: 1 });
    const ref = { cloud: "cce" as const, clusterId: ids.get("m-cce-nocheck")! };
    await expect(l.findCluster(ref)).rejects.toMatchObject({ code: "API_AUTH" });
    await expect(l.findCluster(ref)).rejects.toMatchObject({ code: "API_AUTH" });
    expect(operations()).toEqual(["ShowCluster"]);
    now += 30_000;
    await expect(l.findCluster(ref)).resolves.toMatchObject({ clusterName: "m-cce-nocheck" });
    expect(operations()).toEqual(["ShowCluster", "ShowCluster"]);
  });

  it("reads every add-on upgrade check of a CCE cluster once", async () => {
    const l = lookup();
    const first = await l.addonChecks({ clusterId: ids.get("m-cce-fatal")! });
    await l.addonChecks({ clusterId: ids.get("m-cce-fatal")! });
    expect(Array.isArray(first)).toBe(true);
    expect(operations()).toEqual(["ListAddonPrecheckTasks"]);
    expect(emulator.control.requests({ limit: 1 })[0]!.query).toContain("type=addonUpgrade");
  });
});

describe("the resolved region: messages name it, and the cache keys on it", () => {
  const policyMessages = async (
    l: CloudReadinessLookup,
    type: string,
    props: Record<string, unknown>,
  ): Promise<string[]> => {
    const analyzer = new InProcessAnalyzer(upgradeGuardPolicies({ lookup: l }));
    const result = await analyzer.analyze(type, "up", props);
    return result.diagnostics
      .filter((d) => d.policyName === "cluster-upgrade-requires-clean-precheck")
      .map((d) => d.message);
  };

  it("a cluster found without a region in the resource carries the environment's region", async () => {
    const l = lookup();
    await expect(l.findCluster({ cloud: "cce", clusterName: "m-cce-fatal" })).resolves.toMatchObject({
      region: "cn-north-4",
    });
    await expect(l.findCluster({ cloud: "ack", clusterId: ids.get("m-ack-fatal")! })).resolves.toMatchObject({
      region: "cn-hangzhou",
    });
    expect(l.regionOf("cce")).toBe("cn-north-4");
    expect(l.regionOf("cce", "cn-east-3")).toBe("cn-east-3");
    expect(l.regionOf("ack")).toBe("cn-hangzhou");
  });

  it("a CCE block names the environment's real region (HW_REGION_NAME), not a placeholder", async () => {
    const l = new CloudReadinessLookup({
      env: clientEnvironment(emulator.url, { overrides: { HW_REGION_NAME: "ap-southeast-3" } }),
      clientOptions: { transport: { clock: INSTANT_CLOCK } },
    });
    const [message, ...others] = await policyMessages(
      l,
      "huaweicloud:Cce/clusterUpgrade:ClusterUpgrade",
      cceUpgradeProps(ids.get("m-cce-fatal")),
    );
    expect(others).toEqual([]);
    expect(message).toContain("BLOCKED");
    expect(message).toContain("readiness from a live CCE lookup in ap-southeast-3");
    expect(message).not.toContain("environment's region");
  });

  it("an ACK block names the environment's region (ALIBABA_CLOUD_REGION_ID)", async () => {
    const l = new CloudReadinessLookup({
      env: clientEnvironment(emulator.url, { overrides: { ALIBABA_CLOUD_REGION_ID: "cn-shanghai" } }),
      clientOptions: { transport: { clock: INSTANT_CLOCK } },
    });
    const [message] = await policyMessages(l, "alicloud:cs/managedKubernetes:ManagedKubernetes", {
      name: "m-ack-fatal",
      version: ACK_TO,
    });
    expect(message).toContain("readiness from a live ACK lookup in cn-shanghai");
  });

  it("a failed lookup names the environment's region too", async () => {
    const l = lookup();
    const missing = "00000000-0000-4000-8000-000000000000";
    const [message] = await policyMessages(l, "huaweicloud:Cce/clusterUpgrade:ClusterUpgrade", {
      clusterId: missing,
      targetVersion: CCE_TO,
    });
    expect(message).toContain(
      `cannot verify the change of CCE cluster ${missing} in cn-north-4 to ${CCE_TO}`,
    );
  });

  it("one lookup serves a resource naming the region and one relying on the environment's", async () => {
    const l = lookup();
    const cceId = ids.get("m-cce-fatal")!;
    const ackId = ids.get("m-ack-fatal")!;
    const [cceEnv, cceNamed] = await Promise.all([
      l.findCluster({ cloud: "cce", clusterId: cceId }),
      l.findCluster({ cloud: "cce", clusterId: cceId, region: "cn-north-4" }),
    ]);
    const [ackEnv, ackNamed] = await Promise.all([
      l.findCluster({ cloud: "ack", clusterId: ackId }),
      l.findCluster({ cloud: "ack", clusterId: ackId, region: "cn-hangzhou" }),
    ]);
    await l.clusterSnapshot(cceEnv!, CCE_TO);
    await l.clusterSnapshot(cceNamed!, CCE_TO);
    await l.clusterSnapshot(ackEnv!, ACK_TO);
    await l.clusterSnapshot(ackNamed!, ACK_TO);
    await l.addonChecks({ clusterId: cceId });
    await l.addonChecks({ clusterId: cceId, region: "cn-north-4" });
    // By name: one ListClusters for the region, however it was given.
    await l.findCluster({ cloud: "cce", clusterName: "m-cce-warning" });
    await l.findCluster({ cloud: "cce", clusterName: "m-cce-nocheck", region: "cn-north-4" });
    // One gathering per cluster (the gatherer lists the add-on checks too; the add-on policy's own
    // list of every add-on check is its second reader).
    expect(operations().sort()).toEqual(
      [
        ...CCE_GATHERING,
        ...ACK_GATHERING,
        "ListAddonPrecheckTasks",
        "ListClusters",
        ...CCE_NODE_READS,
      ].sort(),
    );
  });

  it("the policies share it too: two resources, one naming the region, cost one set of calls", async () => {
    const analyzer = new InProcessAnalyzer(upgradeGuardPolicies({ lookup: lookup() }));
    const props = cceUpgradeProps(ids.get("m-cce-warning"));
    await analyzer.analyze("huaweicloud:Cce/clusterUpgrade:ClusterUpgrade", "env", props);
    await analyzer.analyze("huaweicloud:Cce/clusterUpgrade:ClusterUpgrade", "named", {
      ...props,
      region: "cn-north-4",
    });
    expect(operations().sort()).toEqual([...CCE_GATHERING, ...CCE_NODE_READS].sort());
  });

  it("another region is another lookup", async () => {
    const l = lookup();
    const id = ids.get("m-cce-nocheck")!;
    await l.findCluster({ cloud: "cce", clusterId: id });
    await l.findCluster({ cloud: "cce", clusterId: id, region: "cn-east-3" });
    expect(operations()).toEqual(["ShowCluster", "ShowCluster"]);
  });

  it("no region anywhere: the lookup fails with the client's ConfigError, and sends nothing", async () => {
    const l = new CloudReadinessLookup({
      env: clientEnvironment(emulator.url, { overrides: { HW_REGION_NAME: "" } }),
      clientOptions: { transport: { clock: INSTANT_CLOCK } },
    });
    expect(l.regionOf("cce")).toBeUndefined();
    await expect(l.findCluster({ cloud: "cce", clusterName: "m-cce-fatal" })).rejects.toMatchObject({
      code: "CONFIG_MISSING",
      message: expect.stringContaining("HW_REGION_NAME"),
    });
    await expect(l.addonChecks({ clusterId: ids.get("m-cce-fatal")! })).rejects.toMatchObject({
      code: "CONFIG_MISSING",
    });
    // The resource's own region is enough.
    await expect(
      l.findCluster({ cloud: "cce", clusterName: "m-cce-fatal", region: "cn-north-4" }),
    ).resolves.toMatchObject({ region: "cn-north-4" });
    expect(operations()).toEqual(["ListClusters"]);
  });
});

describe("the lookup deadline: an API that does not answer cannot hold the preview", () => {
  // The emulator holds these answers far longer than the deadline; its close() ends the held requests.
  const HELD_MS = 120_000;
  const bounded = (deadlineMs: number) =>
    new CloudReadinessLookup({
      env: clientEnvironment(emulator.url),
      clientOptions: { transport: { clock: INSTANT_CLOCK } },
      deadlineMs,
    });

  it("cuts off finding a cluster, as DEADLINE_EXCEEDED naming the step", async () => {
    emulator.control.setFault({ operation: "ShowCluster", latencyMs: HELD_MS });
    const id = ids.get("m-cce-warning")!;
    await expect(bounded(300).findCluster({ cloud: "cce", clusterId: id })).rejects.toMatchObject({
      code: "DEADLINE_EXCEEDED",
      message: `finding CCE cluster ${id} did not finish within the lookup deadline of 300 ms`,
    });
  });

  it("cuts off listing a cluster's checks once the cluster is found", async () => {
    emulator.control.setFault({ operation: "ListClusterChecks", latencyMs: HELD_MS });
    const l = bounded(300);
    const cluster = await l.findCluster({ cloud: "ack", clusterName: "m-ack-warning" });
    expect(cluster).toMatchObject({ clusterName: "m-ack-warning" });
    await expect(l.clusterSnapshot(cluster!, ACK_TO)).rejects.toMatchObject({
      code: "DEADLINE_EXCEEDED",
      message: expect.stringContaining(
        `reading the readiness of ACK cluster ${ids.get("m-ack-warning")} for ${ACK_TO}`,
      ),
    });
  });

  it("the policy blocks (mandatory) such a resource and says to run the preview again", async () => {
    emulator.control.setFault({ operation: "ListPreCheckTasks", latencyMs: HELD_MS });
    const analyzer = new InProcessAnalyzer(upgradeGuardPolicies({ lookup: bounded(300) }));
    const result = await analyzer.analyze(
      "huaweicloud:Cce/clusterUpgrade:ClusterUpgrade",
      "up",
      cceUpgradeProps(ids.get("m-cce-warning")),
    );
    const mine = result.diagnostics.filter((d) => d.policyName === "cluster-upgrade-requires-clean-precheck");
    expect(mine).toEqual([expect.objectContaining({ enforcementLevel: "mandatory" })]);
    expect(mine[0]!.message).toContain("did not finish within the lookup deadline of 300 ms");
    expect(mine[0]!.message).toContain("run the preview again");
  });

  it("refuses a deadline that is not a positive number of milliseconds", () => {
    for (const deadlineMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new CloudReadinessLookup({ deadlineMs })).toThrow(
        "CloudReadinessLookup: deadlineMs must be a positive number of milliseconds",
      );
    }
    // A longer timer fires at once in Node; the boundary itself is a wait Node keeps.
    expect(() => new CloudReadinessLookup({ deadlineMs: 2 ** 31 })).toThrow(
      "CloudReadinessLookup: deadlineMs must be at most 2147483647 ms",
    );
    expect(() => new CloudReadinessLookup({ deadlineMs: 2 ** 31 - 1 })).not.toThrow();
  });
});

describe("finding an ACK cluster by name through the pages of DescribeClustersV1", () => {
  let paged: RunningEmulator;
  // The API's name filter is fuzzy: "team" matches all of these, and the exact "team" comes last.
  // 55 + 1 clusters: 6 pages of 10, and more than MAX_ACK_LIST_PAGES pages of 1.
  const others = Array.from({ length: 55 }, (_, i) => `team-${String(i + 1).padStart(2, "0")}`);
  const ackCluster = (name: string) => ({
    cloud: "ack" as const,
    name,
    version: ACK_FROM,
    targetVersions: [ACK_TO],
  });

  beforeAll(async () => {
    paged = await startEmulator({
      scenario: { name: "paged", clusters: [...others, "team"].map(ackCluster) },
    });
  });

  afterAll(async () => {
    await paged?.close();
  });

  const pagedLookup = (ackPageSize: number) =>
    new CloudReadinessLookup({
      env: clientEnvironment(paged.url),
      clientOptions: { transport: { clock: INSTANT_CLOCK } },
      ackPageSize,
    });
  const listCalls = () =>
    paged.control.requests({ limit: 1000 }).filter((r) => r.operation === "DescribeClustersV1");

  it("finds a cluster that is on the last page, reading each page once", async () => {
    paged.control.clearRequests();
    const found = await pagedLookup(10).findCluster({ cloud: "ack", clusterName: "team" });
    expect(found).toMatchObject({ clusterName: "team", currentVersion: ACK_FROM });
    expect(listCalls().map((r) => new URLSearchParams(r.query).get("page_number"))).toEqual([
      "1",
      "2",
      "3",
      "4",
      "5",
      "6",
    ]);
  });

  it("reads every page before saying no cluster has the name", async () => {
    paged.control.clearRequests();
    await expect(pagedLookup(10).findCluster({ cloud: "ack", clusterName: "tea" })).resolves.toBeUndefined();
    expect(listCalls()).toHaveLength(6);
  });

  it("does not take a page shorter than asked for the last one while the total says more exist", async () => {
    // No real part serves short pages (the emulator fills each one), so a proxy in front of the real
    // emulator passes every request through unchanged and keeps the first half of each page's
    // clusters, leaving page_info.total_count as it was: a listing that falls short of its total.
    const proxy = http.createServer((request, response) => {
      const forwarded = http.request(
        `${paged.url}${request.url ?? "/"}`,
        { method: request.method, headers: request.headers },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => chunks.push(chunk));
          answer.on("end", () => {
            let body = Buffer.concat(chunks).toString("utf8");
            const parsed = JSON.parse(body) as { clusters?: unknown[] };
            if (Array.isArray(parsed.clusters)) {
              parsed.clusters = parsed.clusters.slice(0, Math.ceil(parsed.clusters.length / 2));
              body = JSON.stringify(parsed);
            }
            const headers = { ...answer.headers, "content-length": String(Buffer.byteLength(body)) };
            response.writeHead(answer.statusCode ?? 502, headers).end(body);
          });
        },
      );
      request.pipe(forwarded);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = proxy.address() as AddressInfo;
      const lookup = new CloudReadinessLookup({
        env: clientEnvironment(`http://127.0.0.1:${port}`),
        clientOptions: { transport: { clock: INSTANT_CLOCK } },
        ackPageSize: 10,
      });
      // "team" is the 56th cluster, on the part of page 6 the proxy leaves out: not found is not an answer.
      await expect(lookup.findCluster({ cloud: "ack", clusterName: "team" })).rejects.toThrow(
        /DescribeClustersV1 listed 28 of the 56 ACK clusters matching the name "team" and then an empty page/,
      );
    } finally {
      // The lookup's clients keep their connections alive: end them, or close would wait for them.
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });

  it(`fails instead of answering "not found" after ${MAX_ACK_LIST_PAGES} pages`, async () => {
    paged.control.clearRequests();
    await expect(pagedLookup(1).findCluster({ cloud: "ack", clusterName: "team" })).rejects.toThrow(
      `more than ${MAX_ACK_LIST_PAGES} pages of ACK clusters match the name "team"`,
    );
    expect(listCalls()).toHaveLength(MAX_ACK_LIST_PAGES);
  });
});
