import {
  ApiError,
  buildCceSnapshot,
  ConfigError,
  summarizeReadiness,
  type CceAddonCheckTask,
  type CcePrecheckTask,
} from "@upgrade-guard/provider";
import { clusterUpgradeRequiresCleanPrecheck } from "../../src/policies/cluster-policy";
import { TYPE_TOKENS } from "@upgrade-guard/sdk";
import { UNKNOWN, validateDirect } from "@upgrade-guard/harness";
import {
  ackCheck,
  ackSnapshot,
  ccePrecheck,
  cceSnapshot,
  FakeLookup,
  liveCceCluster,
  lookupWithPrecheck,
  minutesAgo,
  minutesFromNow,
  NOW,
} from "./fakes";

const CCE_UPGRADE = TYPE_TOKENS.cce.ClusterUpgrade;
const ACK_UPGRADE = TYPE_TOKENS.ack.ClusterUpgrade;
const MANAGED = "alicloud:cs/managedKubernetes:ManagedKubernetes";
const HW_CLUSTER = "huaweicloud:Cce/cluster:Cluster";

const cceCluster = liveCceCluster("c-cce-1", "prod-cce");
const ackCluster = {
  cloud: "ack" as const,
  clusterId: "c-ack-1",
  clusterName: "prod-ack",
  region: "cn-hangzhou",
  currentVersion: "1.31.1-aliyun.1",
  nextVersion: "1.32.1-aliyun.1",
};

function readiness(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    checkId: "pc-1",
    worstSeverity: "warning",
    verdict: "ready",
    observedAt: minutesAgo(2),
    expiresAt: minutesFromNow(50),
    digest: `sha256:${"0".repeat(64)}`,
    ...overrides,
  };
}

function upgradeProps(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    clusterId: cceCluster.clusterId,
    currentVersion: "v1.29.5-r0",
    targetVersion: "v1.30",
    // A summary the fakes' facts do not match (its digest is made up): tests that need the claims
    // to agree pass summarizeReadiness(snapshot) instead.
    readiness: readiness(),
    __provider: "exports.handler = ...",
    ...overrides,
  };
}

const fatalPrecheck = ccePrecheck({
  id: "pc-1",
  target: "v1.30",
  phase: "Failed",
  items: [
    { name: "DeprecatedApiCheck", level: "Fatal", message: "extensions/v1beta1 Ingress still in use" },
    { name: "NodeDiskPressure", level: "Warning", kind: "Risk", message: "node disk above 80%" },
  ],
});

const cleanPrecheck = ccePrecheck({
  id: "pc-1",
  target: "v1.30",
  phase: "Success",
  items: [{ name: "NodeDiskPressure", level: "Warning", kind: "Risk", message: "node disk above 80%" }],
});

function policy(lookup: FakeLookup, config: Record<string, unknown> = {}) {
  return clusterUpgradeRequiresCleanPrecheck({ lookup, now: () => NOW, config });
}

describe("cluster-upgrade-requires-clean-precheck, called directly", () => {
  it("declines resources it does not judge, naming the types it does", async () => {
    const result = await validateDirect(policy(new FakeLookup([])), {
      type: "aws:s3/bucket:Bucket",
      props: {},
    });
    expect(result.violations).toEqual([]);
    expect(result.notApplicable).toContain(MANAGED);
    expect(result.notApplicable).toContain(CCE_UPGRADE);
  });

  it("a claimed unchanged version does not skip the lookup: the cloud's version decides", async () => {
    const lookup = lookupWithPrecheck(cceCluster, fatalPrecheck);
    const result = await validateDirect(policy(lookup), {
      type: CCE_UPGRADE,
      props: upgradeProps({ currentVersion: "v1.30" }),
    });
    expect(lookup.calls).toEqual(["findCluster c-cce-1", "clusterSnapshot c-cce-1 v1.30"]);
    expect(result.violations).toHaveLength(1);
    const message = result.violations[0]!.message;
    expect(message).toContain('currentVersion is "v1.30", but the cloud reports v1.29.5-r0');
    expect(message).toContain("DeprecatedApiCheck [Fatal/Exception]");
    // On the target already, per the cloud: nothing to judge, whatever the claims say.
    const done = new FakeLookup([{ cluster: { ...cceCluster, currentVersion: "v1.30.4-r0" } }]);
    const unchanged = await validateDirect(policy(done), {
      type: CCE_UPGRADE,
      props: upgradeProps({ currentVersion: "v1.29.5-r0", readiness: readiness({ verdict: "blocked" }) }),
    });
    expect(unchanged.violations).toEqual([]);
    expect(done.calls).toEqual(["findCluster c-cce-1"]);
  });

  it("lets honest claims onto a clean cluster through, with one lookup of its facts", async () => {
    const snapshot = cceSnapshot(cceCluster, "v1.30", cleanPrecheck);
    const lookup = new FakeLookup([{ cluster: cceCluster, snapshot: () => snapshot }]);
    const result = await validateDirect(policy(lookup), {
      type: CCE_UPGRADE,
      props: upgradeProps({ readiness: summarizeReadiness(snapshot) }),
    });
    expect(result.violations).toEqual([]);
    expect(lookup.calls).toEqual(["findCluster c-cce-1", "clusterSnapshot c-cce-1 v1.30"]);
  });

  it("decides on the live facts with the policy's own blocking severities", async () => {
    const snapshot = cceSnapshot(cceCluster, "v1.30", cleanPrecheck);
    const lookup = new FakeLookup([{ cluster: cceCluster, snapshot: () => snapshot }]);
    const result = await validateDirect(
      policy(lookup, { blockingSeverities: ["fatal", "warning", "unknown"] }),
      { type: CCE_UPGRADE, props: upgradeProps({ readiness: summarizeReadiness(snapshot) }) },
    );
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]!.enforcementLevel).toBeUndefined(); // the policy's own level: mandatory
    expect(result.violations[0]!.message).toContain("BLOCKED");
    expect(result.violations[0]!.message).toContain("NodeDiskPressure [Warning/Risk]");
  });

  it("names each blocking finding from the live check", async () => {
    const snapshot = cceSnapshot(cceCluster, "v1.30", fatalPrecheck);
    const lookup = new FakeLookup([{ cluster: cceCluster, snapshot: () => snapshot }]);
    const result = await validateDirect(policy(lookup), {
      type: CCE_UPGRADE,
      name: "upgrade-prod",
      props: upgradeProps({ readiness: summarizeReadiness(snapshot) }),
    });
    expect(lookup.calls).toEqual(["findCluster c-cce-1", "clusterSnapshot c-cce-1 v1.30"]);
    expect(result.violations).toHaveLength(1);
    const message = result.violations[0]!.message;
    expect(message).toContain('upgrade-guard cce.ClusterUpgrade "upgrade-prod"');
    expect(message).toContain("CCE cluster prod-cce (c-cce-1) from v1.29.5-r0 to v1.30 is BLOCKED");
    expect(message).toMatch(/Check: cce-cluster-precheck pc-1 \(Failed, created .*, 5 min old, expires .*\)/);
    expect(message).toContain(
      "DeprecatedApiCheck [Fatal/Exception] (MasterCheck): extensions/v1beta1 Ingress still in use",
    );
    expect(message).not.toContain("NodeDiskPressure [Warning/Risk] (MasterCheck)"); // not blocking
    expect(message).toContain("cannot be waived");
    // Honest claims: nothing about out-of-date readiness.
    expect(message).not.toContain("out of date");
  });

  it("names the precheck the verdict rests on even when an add-on check is newer", async () => {
    const addonCheck = {
      metadata: {
        type: "addonUpgrade",
        taskID: "addon-t1",
        addonTemplateName: "coredns",
        addonInstanceID: "inst-1",
        createTimeStamp: minutesAgo(1),
      },
      spec: { addonTargetVersion: "1.30.1" },
      status: { status: "Success", riskList: [] },
    } as unknown as CceAddonCheckTask;
    const snapshot = buildCceSnapshot({
      cluster: { id: "c-cce-1", name: "prod-cce", region: cceCluster.region, currentVersion: "v1.29.5-r0" },
      targetVersion: "v1.30",
      precheck: fatalPrecheck,
      addonChecks: [addonCheck],
      now: NOW,
    });
    expect(snapshot.checks.map((check) => check.kind)).toContain("cce-addon-check");
    const lookup = new FakeLookup([{ cluster: cceCluster, snapshot: () => snapshot }]);
    const result = await validateDirect(policy(lookup), {
      type: CCE_UPGRADE,
      props: upgradeProps({ readiness: summarizeReadiness(snapshot) }),
    });
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]!.message).toMatch(
      /Check: cce-cluster-precheck pc-1 \(Failed, created .*, 5 min old/,
    );
    expect(summarizeReadiness(snapshot).checkId).toBe("pc-1");
  });

  it("blocks when the facts cannot be read, whatever the summary says", async () => {
    const lookup = new FakeLookup([{ cluster: cceCluster, error: new Error("connection refused") }]);
    const result = await validateDirect(policy(lookup), { type: CCE_UPGRADE, props: upgradeProps() });
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]!.message).toContain("cannot verify the change of CCE cluster c-cce-1");
    expect(result.violations[0]!.message).toContain("connection refused");
  });

  it("judges the live check's age against maxAgeMinutes, whatever creation time the summary claims", async () => {
    const oldCheck = ccePrecheck({
      id: "pc-1",
      target: "v1.30",
      createdMinutesAgo: 45,
      expiresInMinutes: 15,
    });
    const snapshot = cceSnapshot(cceCluster, "v1.30", oldCheck);
    const lookup = new FakeLookup([{ cluster: cceCluster, snapshot: () => snapshot }]);
    const result = await validateDirect(policy(lookup, { maxAgeMinutes: 30 }), {
      type: CCE_UPGRADE,
      props: upgradeProps({ readiness: { ...summarizeReadiness(snapshot), checkCreatedAt: minutesAgo(10) } }),
    });
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]!.message).toContain("verdict stale");
    expect(result.violations[0]!.message).toContain("older than the maximum age of 30 min");
  });

  it.each([
    ["the target version", { targetVersion: UNKNOWN }, "targetVersion"],
    ["the current version", { currentVersion: UNKNOWN }, "currentVersion"],
    ["the readiness", { readiness: UNKNOWN }, "readiness"],
    ["a field inside the readiness", { readiness: readiness({ verdict: UNKNOWN }) }, "readiness.verdict"],
  ])("blocks (mandatory) when %s is unknown during preview", async (_name, overrides, path) => {
    const result = await validateDirect(policy(new FakeLookup([])), {
      type: CCE_UPGRADE,
      props: upgradeProps(overrides),
    });
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]!.enforcementLevel).toBeUndefined();
    expect(result.violations[0]!.message).toContain(`${path} is unknown`);
    expect(result.violations[0]!.message).toContain('"allowUnknownInPreview": true');
  });

  it("only notes an unknown (advisory) when allowUnknownInPreview is set", async () => {
    const result = await validateDirect(policy(new FakeLookup([]), { allowUnknownInPreview: true }), {
      type: CCE_UPGRADE,
      props: upgradeProps({ targetVersion: UNKNOWN }),
    });
    expect(result.violations).toEqual([
      expect.objectContaining({
        enforcementLevel: "advisory",
        message: expect.stringContaining("NOT verified"),
      }),
    ]);
  });

  it("blocks on a configuration it cannot use, naming the bad keys", async () => {
    const result = await validateDirect(policy(new FakeLookup([])), {
      type: CCE_UPGRADE,
      props: upgradeProps(),
      config: { blockingSeverity: ["fatal"] },
    });
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]!.message).toContain(
      "configuration of cluster-upgrade-requires-clean-precheck is invalid",
    );
    expect(result.violations[0]!.message).toContain("blockingSeverity");
  });

  it("blocks an upgrade resource that does not say which cluster it upgrades", async () => {
    const result = await validateDirect(policy(new FakeLookup([])), {
      type: ACK_UPGRADE,
      props: upgradeProps({ clusterId: undefined }),
    });
    expect(result.violations[0]!.message).toContain("missing or invalid clusterId");
  });

  it.each([
    ["no current version", { currentVersion: undefined }],
    ["no readiness", { readiness: undefined }],
    ["no claims at all", { currentVersion: undefined, readiness: undefined }],
  ])("judges the live facts when the resource carries %s (cce.UpgradeWorkflow)", async (_name, overrides) => {
    const snapshot = cceSnapshot(cceCluster, "v1.30", fatalPrecheck);
    const lookup = new FakeLookup([{ cluster: cceCluster, snapshot: () => snapshot }]);
    const honest = { readiness: summarizeReadiness(snapshot) };
    const result = await validateDirect(policy(lookup), {
      type: TYPE_TOKENS.cce.UpgradeWorkflow,
      props: upgradeProps({ ...honest, ...overrides }),
    });
    expect(lookup.calls).toEqual(["findCluster c-cce-1", "clusterSnapshot c-cce-1 v1.30"]);
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]!.message).toContain("DeprecatedApiCheck [Fatal/Exception]");
    expect(result.violations[0]!.message).not.toContain("out of date");
  });

  it("judges nothing when the live cluster is already on the target", async () => {
    const lookup = new FakeLookup([{ cluster: { ...cceCluster, currentVersion: "v1.30.2-r0" } }]);
    const result = await validateDirect(policy(lookup), {
      type: TYPE_TOKENS.cce.UpgradeWorkflow,
      props: upgradeProps({ currentVersion: undefined, readiness: undefined }),
    });
    expect(result.violations).toEqual([]);
    expect(lookup.calls).toEqual(["findCluster c-cce-1"]);
  });
});

describe("third-party cluster resources (live lookup)", () => {
  /** A lookup whose ACK cluster's latest check failed with one error item. */
  const failedCheckLookup = () => {
    const failed = ackCheck({
      id: "chk-9",
      status: "Failed",
      items: [{ name: "Deprecated API", level: "error", message: "apps/v1beta2 Deployment in use" }],
    });
    return new FakeLookup([{ cluster: ackCluster, snapshot: (t) => ackSnapshot(ackCluster, t, failed) }]);
  };

  // Every @pulumi/alicloud cluster type whose `version` input upgrades the cluster in place.
  it.each([
    MANAGED,
    "alicloud:cs/kubernetes:Kubernetes",
    "alicloud:cs/serverlessKubernetes:ServerlessKubernetes",
    "alicloud:cs/edgeKubernetes:EdgeKubernetes",
  ])("%s: a version change is judged against the cloud's check, found by name", async (type) => {
    const lookup = failedCheckLookup();
    const result = await validateDirect(policy(lookup), {
      type,
      props: { name: "prod-ack", version: "1.32.1-aliyun.1" },
    });
    expect(lookup.calls).toEqual(["findCluster name=prod-ack", "clusterSnapshot c-ack-1 1.32.1-aliyun.1"]);
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]!.message).toContain("is BLOCKED");
  });

  it("does nothing when the program pins no version", async () => {
    const lookup = new FakeLookup([{ cluster: ackCluster }]);
    const result = await validateDirect(policy(lookup), { type: MANAGED, props: { name: "prod-ack" } });
    expect(result).toEqual({ violations: [] });
    expect(lookup.calls).toEqual([]);
  });

  it("treats a cluster name nobody has yet as a cluster being created", async () => {
    const lookup = new FakeLookup([{ cluster: ackCluster }]);
    const result = await validateDirect(policy(lookup), {
      type: MANAGED,
      props: { name: "brand-new", version: "1.32.1-aliyun.1" },
    });
    expect(result.violations).toEqual([]);
    expect(lookup.calls).toEqual(["findCluster name=brand-new"]);
  });

  it("reads the current version and stops when it already is the target", async () => {
    const lookup = new FakeLookup([{ cluster: ackCluster }]);
    const result = await validateDirect(policy(lookup), {
      type: MANAGED,
      props: { name: "prod-ack", version: "1.31.1-aliyun.1" },
    });
    expect(result.violations).toEqual([]);
    expect(lookup.calls).toEqual(["findCluster name=prod-ack"]);
  });

  it("blocks a version change whose latest check failed, with the finding's name and message", async () => {
    const lookup = failedCheckLookup();
    const result = await validateDirect(policy(lookup), {
      type: MANAGED,
      name: "prod",
      props: { name: "prod-ack", version: "1.32.1-aliyun.1" },
    });
    expect(result.violations).toHaveLength(1);
    const message = result.violations[0]!.message;
    expect(message).toContain(
      "ACK cluster prod-ack (c-ack-1) from 1.31.1-aliyun.1 to 1.32.1-aliyun.1 is BLOCKED",
    );
    expect(message).toContain("ack-cluster-check chk-9 (Failed");
    expect(message).toContain("Deprecated API [error]");
    expect(message).toContain("apps/v1beta2 Deployment in use");
  });

  it.each([
    [
      "an unauthorized answer",
      new ApiError({
        cloud: "ack",
        operation: "DescribeClustersV1",
        httpStatus: 401,
        vendorCode: "InvalidAccessKeyId.NotFound",
        vendorMessage: "Specified access key is not found.",
        requestId: "req-1",
        category: "auth",
      }),
      ["InvalidAccessKeyId.NotFound", "refused the credentials", "ALIBABA_CLOUD_ACCESS_KEY_ID"],
    ],
    [
      "a server error",
      new ApiError({
        cloud: "ack",
        operation: "DescribeClustersV1",
        httpStatus: 500,
        vendorCode: "InternalError",
        vendorMessage: "oops",
        requestId: "req-2",
        category: "server",
      }),
      ["HTTP 500", "run the preview again"],
    ],
    [
      "missing credentials",
      new ConfigError("CONFIG_MISSING", "no Alibaba Cloud access key", ["ALIBABA_CLOUD_ACCESS_KEY_ID"]),
      ["no Alibaba Cloud access key", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"],
    ],
  ])("blocks when the lookup fails with %s, saying what to do", async (_name, error, expected) => {
    const lookup = new FakeLookup([{ cluster: ackCluster, error }]);
    const result = await validateDirect(policy(lookup), {
      type: MANAGED,
      props: { name: "prod-ack", version: "1.32.1-aliyun.1" },
    });
    expect(result.violations).toHaveLength(1);
    const message = result.violations[0]!.message;
    expect(message).toContain('cannot verify the change of ACK cluster named "prod-ack" to 1.32.1-aliyun.1');
    for (const text of expected) expect(message).toContain(text);
  });

  it("blocks when the cluster's name is unknown during preview", async () => {
    const result = await validateDirect(policy(new FakeLookup([])), {
      type: HW_CLUSTER,
      props: { name: UNKNOWN, clusterVersion: "v1.30" },
    });
    expect(result.violations[0]!.message).toContain("name is unknown");
  });

  it.each([
    [
      "its own region input",
      HW_CLUSTER,
      { name: "prod-cce", clusterVersion: "v1.30", region: UNKNOWN },
      "region",
    ],
    ["an upgrade-guard resource's region input", CCE_UPGRADE, upgradeProps({ region: UNKNOWN }), "region"],
  ])(
    "blocks (mandatory) when %s is unknown during preview, without looking anything up",
    async (_n, type, props, path) => {
      const lookup = new FakeLookup([{ cluster: cceCluster }]);
      const result = await validateDirect(policy(lookup), { type, props });
      expect(result.violations).toHaveLength(1);
      expect(result.violations[0]!.enforcementLevel).toBeUndefined();
      expect(result.violations[0]!.message).toContain(`${path} is unknown`);
      expect(lookup.calls).toEqual([]);
    },
  );

  it("only notes an unknown region (advisory) when allowUnknownInPreview is set", async () => {
    const result = await validateDirect(policy(new FakeLookup([]), { allowUnknownInPreview: true }), {
      type: HW_CLUSTER,
      props: { name: "prod-cce", clusterVersion: "v1.30", region: UNKNOWN },
    });
    expect(result.violations).toEqual([
      expect.objectContaining({
        enforcementLevel: "advisory",
        message: expect.stringContaining("region is unknown"),
      }),
    ]);
  });

  it.each([
    [MANAGED, { name: "prod-ack", version: { major: 1, minor: 32 } }, "version"],
    [HW_CLUSTER, { name: "prod-cce", clusterVersion: true }, "clusterVersion"],
    [
      "huaweicloud:Cce/clusterUpgrade:ClusterUpgrade",
      { clusterId: "c-cce-1", targetVersion: ["v1.30"] },
      "targetVersion",
    ],
  ])("%s: a version of the wrong type says the property must be a string", async (type, props, path) => {
    const lookup = new FakeLookup([{ cluster: cceCluster }, { cluster: ackCluster }]);
    const result = await validateDirect(policy(lookup), { type, props });
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]!.message).toContain(`the \`${path}\` property must be a string`);
    expect(result.violations[0]!.message).not.toContain("cannot tell which cluster");
    expect(lookup.calls).toEqual([]);
  });

  it("a version written as a number (YAML `version: 1.30` sends 1.3) is refused, saying to quote it", async () => {
    const lookup = new FakeLookup([{ cluster: ackCluster }]);
    const result = await validateDirect(policy(lookup), {
      type: MANAGED,
      props: { name: "prod-ack", version: 1.3 },
    });
    expect(result.violations).toHaveLength(1);
    const message = result.violations[0]!.message;
    expect(message).toContain("the `version` property must be a string");
    expect(message).toContain("got the number 1.3");
    expect(message).toContain("write the version in quotes");
    // Not judged as version "1.3" of some cluster.
    expect(lookup.calls).toEqual([]);
  });

  it("uses the resource's region for the lookup", async () => {
    const seen: unknown[] = [];
    const lookup = new FakeLookup([{ cluster: cceCluster }]);
    const original = lookup.findCluster.bind(lookup);
    lookup.findCluster = async (ref) => {
      seen.push(ref);
      return original(ref);
    };
    await validateDirect(policy(lookup), {
      type: HW_CLUSTER,
      props: { name: "prod-cce", clusterVersion: "v1.29.5-r0", region: "ap-southeast-1" },
    });
    expect(seen).toEqual([{ cloud: "cce", clusterName: "prod-cce", region: "ap-southeast-1" }]);
  });
});

describe("waivers", () => {
  const warningPrecheck = ccePrecheck({
    id: "pc-2",
    target: "v1.30",
    items: [
      { name: "NodeDiskPressure", level: "Warning", kind: "Risk", message: "node disk above 80%" },
      { name: "DeprecatedApiCheck", level: "Fatal", message: "extensions/v1beta1 Ingress still in use" },
    ],
  });
  // Only a Warning/Risk finding: passes under the default severities, blocks when warnings block.
  const onlyWarnings = ccePrecheck({
    id: "pc-3",
    target: "v1.30",
    items: [{ name: "NodeDiskPressure", level: "Warning", kind: "Risk" }],
  });
  const lookupWith = (precheck: CcePrecheckTask) => lookupWithPrecheck(cceCluster, precheck);
  const lookup = () => lookupWith(warningPrecheck);
  const waiver = (checkName: string, expires: string) => ({
    checkName,
    clusterId: cceCluster.clusterId,
    reason: "accepted for the maintenance window",
    owner: "platform-team",
    expires,
  });
  const props = { name: "prod-cce", clusterVersion: "v1.30" };

  it("applies a valid waiver and prints it as an advisory note", async () => {
    const fake = lookupWith(onlyWarnings);
    const result = await validateDirect(
      policy(fake, {
        blockingSeverities: ["fatal", "warning"],
        waivers: [waiver("NodeDiskPressure", minutesFromNow(60 * 24))],
      }),
      { type: HW_CLUSTER, props },
    );
    expect(result.violations).toEqual([
      {
        enforcementLevel: "advisory",
        message: expect.stringMatching(
          /proceeds only because of waivers \(verdict ready\):\n {2}- NodeDiskPressure \[Warning\/Risk\].*waived by platform-team/,
        ),
      },
    ]);
  });

  it("refuses a waiver for a finding the vendor says must be fixed", async () => {
    const result = await validateDirect(
      policy(lookup(), { waivers: [waiver("DeprecatedApiCheck", minutesFromNow(60))] }),
      {
        type: HW_CLUSTER,
        props,
      },
    );
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]!.message).toMatch(
      /Waivers refused or ignored:\n {2}- DeprecatedApiCheck \(owner platform-team\): .*not waivable/,
    );
  });

  it("refuses a waiver for a CCE Exception item even at Warning level (the vendor's must-fix kind)", async () => {
    const exceptionAtWarning = ccePrecheck({
      id: "pc-4",
      target: "v1.30",
      items: [{ name: "CoreDNSConfig", level: "Warning", kind: "Exception", message: "Corefile edited" }],
    });
    const fake = lookupWith(exceptionAtWarning);
    const result = await validateDirect(
      policy(fake, { waivers: [waiver("CoreDNSConfig", minutesFromNow(60))] }),
      { type: HW_CLUSTER, props },
    );
    // Default severities (fatal, unknown) block it, at the policy's own level (no override):
    // an Exception is fatal whatever its level.
    expect(result.violations).toEqual([{ message: expect.stringContaining("verdict blocked") }]);
    const message = result.violations[0]!.message;
    expect(message).toContain("CoreDNSConfig [Warning/Exception]");
    expect(message).toContain("Corefile edited");
    expect(message).toMatch(
      /Waivers refused or ignored:\n {2}- CoreDNSConfig \(owner platform-team\): .*not waivable/,
    );
  });

  it("ignores an expired waiver, saying so", async () => {
    const fake = lookupWith(onlyWarnings);
    const result = await validateDirect(
      policy(fake, {
        blockingSeverities: ["fatal", "warning"],
        waivers: [waiver("NodeDiskPressure", minutesAgo(1))],
      }),
      { type: HW_CLUSTER, props },
    );
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]!.enforcementLevel).toBeUndefined();
    expect(result.violations[0]!.message).toContain("expired");
    expect(result.violations[0]!.message).toContain('"waivers":[{"checkName":"NodeDiskPressure"');
  });

  it("reports an expired waiver as ignored (advisory) even when the upgrade passes without it", async () => {
    const fake = lookupWith(onlyWarnings);
    const result = await validateDirect(
      // Default severities: the warning does not block, so evaluate never looks at this waiver.
      policy(fake, { waivers: [waiver("NodeDiskPressure", minutesAgo(1)), waiver("Other", minutesAgo(5))] }),
      { type: HW_CLUSTER, props },
    );
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]!.enforcementLevel).toBe("advisory");
    const message = result.violations[0]!.message;
    expect(message).toContain("may proceed (verdict ready), but configured waivers were not applied");
    expect(message).toContain(
      `waiver for NodeDiskPressure (owner platform-team): it expired at ${minutesAgo(1)}`,
    );
    expect(message).toContain(`waiver for Other (owner platform-team): it expired at ${minutesAgo(5)}`);
    expect(message).toContain("ignored");
  });

  it("says nothing about waivers for other clusters, or valid ones that were not needed", async () => {
    const fake = lookupWith(onlyWarnings);
    const result = await validateDirect(
      policy(fake, {
        waivers: [
          { ...waiver("NodeDiskPressure", minutesAgo(1)), clusterId: "another-cluster" },
          waiver("NodeDiskPressure", minutesFromNow(60)),
        ],
      }),
      { type: HW_CLUSTER, props },
    );
    expect(result.violations).toEqual([]);
  });

  it("lists an expired waiver next to the applied ones when another waiver lets the upgrade through", async () => {
    const result = await validateDirect(
      policy(lookupWith(onlyWarnings), {
        blockingSeverities: ["fatal", "warning"],
        waivers: [waiver("NodeDiskPressure", minutesFromNow(60)), waiver("OldFinding", minutesAgo(30))],
      }),
      { type: HW_CLUSTER, props },
    );
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]!.enforcementLevel).toBe("advisory");
    expect(result.violations[0]!.message).toMatch(
      /proceeds only because of waivers[\s\S]*Waivers not applied:\n {2}- waiver for OldFinding .*expired/,
    );
  });

  it("refuses a waiver on a non-waivable finding even when that finding does not block", async () => {
    const result = await validateDirect(
      policy(lookup(), {
        // Only unknown levels block here, so the Fatal finding passes and evaluate never sees the waiver.
        blockingSeverities: ["unknown"],
        waivers: [waiver("DeprecatedApiCheck", minutesFromNow(60))],
      }),
      { type: HW_CLUSTER, props },
    );
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]!.enforcementLevel).toBe("advisory");
    expect(result.violations[0]!.message).toContain(
      "waiver for DeprecatedApiCheck (owner platform-team): DeprecatedApiCheck [Fatal] is not waivable",
    );
  });

  it("adds the expired waivers evaluate did not see to a blocked upgrade's message", async () => {
    const result = await validateDirect(
      policy(lookup(), { waivers: [waiver("NodeDiskPressure", minutesAgo(1))] }),
      { type: HW_CLUSTER, props },
    );
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]!.enforcementLevel).toBeUndefined();
    expect(result.violations[0]!.message).toMatch(
      /Waivers refused or ignored:\n {2}- NodeDiskPressure \(owner platform-team\): it expired at .*ignored/,
    );
  });
});
