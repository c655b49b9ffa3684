/**
 * The fail-closed matrix, for both clouds, through the policy SDK's own Analyze handler (the code
 * the analyzer process runs: not-applicable handling, enforcement levels, unknown values), with the
 * emulator answering every lookup over real HTTP. Each row states the verdict and the enforcement
 * level it must produce.
 */

import { type Finding, getUpgradeReadiness, type ReadinessSummary } from "@upgrade-guard/provider";
import { type AnalyzeResult, InProcessAnalyzer, UNKNOWN } from "@upgrade-guard/harness";
import { clientEnvironment, type RunningEmulator } from "@upgrade-guard/emulator";
import { CloudReadinessLookup } from "../../policy-pack/src/policies/cloud-lookup";
import { upgradeGuardPolicies } from "../../policy-pack/src/policies";
import { TYPE_TOKENS } from "../../sdk/src/tokens";
import {
  ACK_FROM,
  ACK_TO,
  ADDON_TO,
  CCE_FROM,
  CCE_TO,
  cceUpgradeProps,
  INSTANT_CLOCK,
  startMatrixEmulator,
} from "./fixtures";

type CloudName = "cce" | "ack";

let emulator: RunningEmulator;
let lookup: CloudReadinessLookup;
let badCredentialsLookup: CloudReadinessLookup;
const ids = new Map<string, string>();
/** Per cluster: the readiness summary getUpgradeReadiness returns for the target (honest claims). */
const honestSummaries = new Map<string, ReadinessSummary>();
/** Per cloud: the name of a waivable warning finding and of a non-waivable fatal one, as the live check reports them. */
const findingNames: Record<CloudName, { warning: string; fatal: string }> = {
  cce: { warning: "", fatal: "" },
  ack: { warning: "", fatal: "" },
};

const FROM: Record<CloudName, string> = { cce: CCE_FROM, ack: ACK_FROM };
const TO: Record<CloudName, string> = { cce: CCE_TO, ack: ACK_TO };
const LABEL: Record<CloudName, string> = { cce: "CCE", ack: "ACK" };

function newLookup(env: Record<string, string>): CloudReadinessLookup {
  return new CloudReadinessLookup({ env, clientOptions: { transport: { clock: INSTANT_CLOCK } } });
}

async function liveFinding(
  cloud: CloudName,
  cluster: string,
  pick: (f: Finding) => boolean,
): Promise<string> {
  const live = await lookup.findCluster({ cloud, clusterName: cluster });
  const snapshot = await lookup.clusterSnapshot(live!, TO[cloud]);
  const finding = snapshot.findings.find((f) => f.state === "present" && pick(f));
  // A missing finding fails the rows that need it (with this text), not the whole file.
  return finding?.checkName ?? `(the emulator's ${cluster} reports no such finding)`;
}

beforeAll(async () => {
  emulator = await startMatrixEmulator(ids);
  lookup = newLookup(clientEnvironment(emulator.url));
  badCredentialsLookup = newLookup(
    clientEnvironment(emulator.url, {
      overrides: {
        HUAWEICLOUD_SDK_SK: "not-the-secret",
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: "not-the-secret",
      },
    }),
  );
  for (const cloud of ["cce", "ack"] as const) {
    findingNames[cloud] = {
      warning: await liveFinding(cloud, `m-${cloud}-warning`, (f) => f.severity === "warning" && f.waivable),
      fatal: await liveFinding(cloud, `m-${cloud}-fatal`, (f) => f.severity === "fatal"),
    };
  }
  // What the SDK fills into upgrade-guard's own upgrade resources, read with the real data function
  // before any row runs (the request log is cleared after, so the rows' lookups are counted alone).
  for (const cluster of emulator.control.clusters()) {
    const readiness = await getUpgradeReadiness(
      { cloud: cluster.cloud, clusterId: cluster.id, targetVersion: TO[cluster.cloud] },
      { env: clientEnvironment(emulator.url) },
    );
    honestSummaries.set(cluster.name, readiness.summary);
  }
  emulator.control.clearRequests();
  // Every read of the API-error clusters' checks fails with the vendor's 500.
  for (const cloud of ["cce", "ack"] as const) {
    emulator.control.setFault({
      path: `**/clusters/${ids.get(`m-${cloud}-apierror`)}/**`,
      error: { status: 500 },
    });
  }
});

afterAll(async () => {
  await emulator?.close();
});

interface Expected {
  readonly level: "mandatory" | "advisory" | "none";
  /** `verdict <x>` in the message, or "cannot verify" for failures that have no verdict. */
  readonly verdict?: "ready" | "blocked" | "unknown" | "pending" | "stale" | "cannot verify";
  readonly mentions?: (cloud: CloudName) => string[];
}

interface Row {
  readonly row: string;
  /** The cluster suffix: `m-<cloud>-<cluster>`. */
  readonly cluster: string;
  readonly target?: "unknown" | "current";
  readonly config?: (cloud: CloudName) => Record<string, unknown>;
  readonly badCredentials?: boolean;
  /** Rows about the lookup's own failures, run for third-party resources only. */
  readonly lookupOnly?: boolean;
  readonly expected: Expected;
}

const waiver = (checkName: string, cloud: CloudName, cluster: string, expires: string) => ({
  checkName,
  clusterId: ids.get(`m-${cloud}-${cluster}`) ?? "?",
  reason: "accepted for this maintenance window",
  owner: "platform-team",
  expires,
});
const inADay = () => new Date(Date.now() + 86_400_000).toISOString();
const anHourAgo = () => new Date(Date.now() - 3_600_000).toISOString();
const warningsBlock = { blockingSeverities: ["fatal", "warning", "unknown"] };

const MATRIX: readonly Row[] = [
  {
    row: "Fatal",
    cluster: "fatal",
    expected: {
      level: "mandatory",
      verdict: "blocked",
      mentions: (c) => [findingNames[c].fatal, "Blocking findings:"],
    },
  },
  { row: "Warning only", cluster: "warning", expected: { level: "none" } },
  {
    row: "no check",
    cluster: "nocheck",
    expected: {
      level: "mandatory",
      verdict: "unknown",
      mentions: (c) => [`No ${c === "cce" ? "cce-cluster-precheck" : "ack-cluster-check"} for`],
    },
  },
  {
    row: "pending",
    cluster: "pending",
    expected: { level: "mandatory", verdict: "pending", mentions: () => ["has not finished"] },
  },
  {
    row: "expired",
    cluster: "expired",
    expected: {
      level: "mandatory",
      verdict: "stale",
      mentions: (c) => [
        c === "cce" ? "its result expired at" : "older than the maximum age of 1 h",
        "2 h old",
      ],
    },
  },
  {
    row: "too old",
    cluster: "old",
    config: () => ({ maxAgeMinutes: 10 }),
    expected: {
      level: "mandatory",
      verdict: "stale",
      mentions: () => ["older than the maximum age of 10 min", "20 min old"],
    },
  },
  {
    row: "API error",
    cluster: "apierror",
    lookupOnly: true,
    expected: {
      level: "mandatory",
      verdict: "cannot verify",
      mentions: () => ["HTTP 500", "run the preview again"],
    },
  },
  {
    row: "unauthorized",
    cluster: "warning",
    badCredentials: true,
    lookupOnly: true,
    expected: {
      level: "mandatory",
      verdict: "cannot verify",
      mentions: (c) => [
        "refused the credentials",
        c === "cce" ? "HUAWEICLOUD_SDK_AK" : "ALIBABA_CLOUD_ACCESS_KEY_ID",
      ],
    },
  },
  {
    row: "unknown target",
    cluster: "warning",
    target: "unknown",
    expected: {
      level: "mandatory",
      verdict: "cannot verify",
      mentions: () => ["unknown until other resources are created", "allowUnknownInPreview"],
    },
  },
  { row: "unchanged version", cluster: "fatal", target: "current", expected: { level: "none" } },
  {
    row: "waiver valid",
    cluster: "warning",
    config: (c) => ({ ...warningsBlock, waivers: [waiver(findingNames[c].warning, c, "warning", inADay())] }),
    expected: {
      level: "advisory",
      verdict: "ready",
      mentions: (c) => ["proceeds only because of waivers", findingNames[c].warning, "platform-team"],
    },
  },
  {
    row: "waiver expired, upgrade otherwise passing",
    cluster: "warning",
    // Default severities: the warning does not block, so only the policy layer sees the waiver.
    config: (c) => ({ waivers: [waiver(findingNames[c].warning, c, "warning", anHourAgo())] }),
    expected: {
      level: "advisory",
      verdict: "ready",
      mentions: (c) => [
        `waiver for ${findingNames[c].warning} (owner platform-team): it expired at`,
        "ignored",
      ],
    },
  },
  {
    row: "waiver expired",
    cluster: "warning",
    config: (c) => ({
      ...warningsBlock,
      waivers: [waiver(findingNames[c].warning, c, "warning", anHourAgo())],
    }),
    expected: {
      level: "mandatory",
      verdict: "blocked",
      mentions: (c) => ["Waivers refused or ignored", findingNames[c].warning, "expired"],
    },
  },
  {
    row: "waiver on a non-waivable finding",
    cluster: "fatal",
    config: (c) => ({ waivers: [waiver(findingNames[c].fatal, c, "fatal", inADay())] }),
    expected: {
      level: "mandatory",
      verdict: "blocked",
      mentions: (c) => ["Waivers refused", findingNames[c].fatal, "not waivable"],
    },
  },
];

/** Third-party resources: the policy finds the cluster and its checks itself. */
function thirdPartyResource(
  cloud: CloudName,
  cluster: string,
  target: string,
): { type: string; props: Record<string, unknown> } {
  return cloud === "cce"
    ? {
        type: "huaweicloud:Cce/clusterUpgrade:ClusterUpgrade",
        props: cceUpgradeProps(ids.get(cluster), target),
      }
    : {
        type: "alicloud:cs/managedKubernetes:ManagedKubernetes",
        props: { name: cluster, version: target, workerVswitchIds: [] },
      };
}

/** upgrade-guard's own upgrade resources, with the claims the SDK fills in (getUpgradeReadiness). */
function ownResource(
  cloud: CloudName,
  cluster: string,
  target: string,
): { type: string; props: Record<string, unknown> } {
  return {
    type: cloud === "cce" ? TYPE_TOKENS.cce.ClusterUpgrade : TYPE_TOKENS.ack.ClusterUpgrade,
    props: {
      clusterId: ids.get(cluster),
      currentVersion: FROM[cloud],
      targetVersion: target,
      readiness: target === UNKNOWN ? UNKNOWN : honestSummaries.get(cluster),
      __provider: "exports.handler = () => ({})",
    },
  };
}

function assertOutcome(result: AnalyzeResult, expected: Expected, cloud: CloudName): void {
  const mine = result.diagnostics.filter((d) => d.policyName === "cluster-upgrade-requires-clean-precheck");
  if (expected.level === "none") {
    expect(mine).toEqual([]);
    return;
  }
  expect(mine).toHaveLength(1);
  const [diagnostic] = mine;
  expect(diagnostic!.enforcementLevel).toBe(expected.level);
  if (expected.verdict === "cannot verify") expect(diagnostic!.message).toContain("cannot verify");
  else if (expected.verdict !== undefined)
    expect(diagnostic!.message).toContain(`verdict ${expected.verdict}`);
  for (const text of expected.mentions?.(cloud) ?? []) expect(diagnostic!.message).toContain(text);
}

function analyzerFor(row: Row, cloud: CloudName): InProcessAnalyzer {
  return new InProcessAnalyzer(
    upgradeGuardPolicies({
      lookup: row.badCredentials ? badCredentialsLookup : lookup,
      cluster: { config: row.config?.(cloud) ?? {} },
    }),
  );
}

describe.each(["cce", "ack"] as const)("%s: third-party cluster resource, live lookup", (cloud) => {
  it.each(MATRIX.map((row) => [row.row, row] as const))("%s", async (_name, row) => {
    const cluster = `m-${cloud}-${row.cluster}`;
    const target = row.target === "unknown" ? UNKNOWN : row.target === "current" ? FROM[cloud] : TO[cloud];
    const resource = thirdPartyResource(cloud, cluster, target);
    const result = await analyzerFor(row, cloud).analyze(resource.type, `r-${row.cluster}`, resource.props);
    assertOutcome(result, row.expected, cloud);
    if (row.expected.level !== "none" && row.target !== "unknown") {
      // Messages name the cluster (as the resource points at it), the versions, and the region the
      // lookup resolved from the environment (the resources name none).
      const message = result.diagnostics.find(
        (d) => d.policyName === "cluster-upgrade-requires-clean-precheck",
      )!.message;
      const region = clientEnvironment(emulator.url)[
        cloud === "cce" ? "HW_REGION_NAME" : "ALIBABA_CLOUD_REGION_ID"
      ];
      const named =
        row.expected.verdict !== "cannot verify"
          ? `${LABEL[cloud]} cluster ${cluster} (${ids.get(cluster)}) from ${FROM[cloud]} to ${TO[cloud]}`
          : cloud === "cce"
            ? `CCE cluster ${ids.get(cluster)} in ${region} to ${TO[cloud]}`
            : `ACK cluster named "${cluster}" in ${region} to ${TO[cloud]}`;
      expect(message).toContain(named);
      // A block says where its readiness came from (a waiver's or an advisory's note does not).
      if (message.includes(" is BLOCKED ")) {
        expect(message).toContain(`readiness from a live ${cloud.toUpperCase()} lookup in ${region}`);
      }
    }
  });
});

describe.each(["cce", "ack"] as const)(
  "%s: upgrade-guard ClusterUpgrade, readiness in its inputs",
  (cloud) => {
    it.each(MATRIX.filter((row) => !row.lookupOnly).map((row) => [row.row, row] as const))(
      "%s",
      async (_name, row) => {
        const cluster = `m-${cloud}-${row.cluster}`;
        const target =
          row.target === "unknown" ? UNKNOWN : row.target === "current" ? FROM[cloud] : TO[cloud];
        const resource = ownResource(cloud, cluster, target);
        const result = await analyzerFor(row, cloud).analyze(
          resource.type,
          `u-${row.cluster}`,
          resource.props,
        );
        assertOutcome(result, row.expected, cloud);
      },
    );
  },
);

describe("cce: add-on version changes (huaweicloud cce.Addon), live add-on checks", () => {
  const ADDON_POLICY = "addon-upgrade-requires-clean-addon-precheck";
  const analyzeAddon = async (cluster: string, version: string, config: Record<string, unknown> = {}) => {
    const analyzer = new InProcessAnalyzer(upgradeGuardPolicies({ lookup, addon: { config } }));
    const result = await analyzer.analyze("huaweicloud:Cce/addon:Addon", "coredns", {
      clusterId: ids.get(cluster),
      templateName: "coredns",
      version,
    });
    return result.diagnostics.filter((d) => d.policyName === ADDON_POLICY);
  };

  it("Fatal add-on risk: mandatory, naming the risk and its vendor message", async () => {
    const diagnostics = await analyzeAddon("m-cce-fatal", ADDON_TO);
    expect(diagnostics).toEqual([expect.objectContaining({ enforcementLevel: "mandatory" })]);
    expect(diagnostics[0]!.message).toContain(
      "AddonValidate [Fatal] (coredns): configmap coredns had been modified",
    );
    expect(diagnostics[0]!.message).toMatch(/Check: cce-addon-check \S+ \(Failed, created .*, 4 min old/);
  });

  it("clean add-on check: no violation", async () => {
    expect(await analyzeAddon("m-cce-warning", ADDON_TO)).toEqual([]);
  });

  it("a version change with no add-on check for it: mandatory by default, none with missingCheckBlocks false", async () => {
    // coredns is installed at 1.29.4 (ListAddonInstances): 1.31.0 is a change nobody checked.
    const strict = await analyzeAddon("m-cce-fatal", "1.31.0");
    expect(strict).toEqual([expect.objectContaining({ enforcementLevel: "mandatory" })]);
    expect(strict[0]!.message).toContain("moves from 1.29.4 to 1.31.0");
    expect(await analyzeAddon("m-cce-fatal", "1.31.0", { missingCheckBlocks: false })).toEqual([]);
  });

  it("the installed version itself is no change: no violation, even on a cluster with a Fatal add-on check", async () => {
    expect(await analyzeAddon("m-cce-fatal", "1.29.4")).toEqual([]);
  });

  it("API error: mandatory", async () => {
    const diagnostics = await analyzeAddon("m-cce-apierror", ADDON_TO);
    expect(diagnostics).toEqual([expect.objectContaining({ enforcementLevel: "mandatory" })]);
    expect(diagnostics[0]!.message).toContain("HTTP 500");
  });
});

describe("what the matrix rests on", () => {
  it("the SDK's own handling would only have warned about the unknown target (why we catch it)", async () => {
    const naive = new InProcessAnalyzer([
      {
        name: "naive",
        description: "reads the target without catching",
        enforcementLevel: "mandatory",
        validateResource: (args, report) => {
          if ((args.props as Record<string, string>)["version"] !== "x") report("changed");
        },
      },
    ]);
    const result = await naive.analyze("alicloud:cs/managedKubernetes:ManagedKubernetes", "n", {
      name: "a",
      version: UNKNOWN,
    });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        enforcementLevel: "advisory",
        message: expect.stringContaining("can't run policy"),
      }),
    ]);
  });

  it("one lookup per cluster: the rows above read each cluster's checks once", () => {
    const reads = emulator.control
      .requests({ limit: 1000 })
      .filter((r) => /precheck\/tasks$|\/checks$/.test(r.path) && r.status === 200)
      .map((r) => r.path);
    expect(new Set(reads).size).toBe(reads.length);
  });

  it("resources no policy judges are reported not applicable by every policy", async () => {
    const result = await new InProcessAnalyzer(upgradeGuardPolicies({ lookup })).analyze(
      "aws:s3/bucket:Bucket",
      "b",
      {},
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.notApplicable.map((n) => n.policyName).sort()).toEqual([
      "addon-upgrade-requires-clean-addon-precheck",
      "cluster-upgrade-requires-clean-precheck",
      "upgrade-precheck-freshness",
    ]);
  });
});
