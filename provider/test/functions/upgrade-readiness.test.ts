// getUpgradeReadiness against the emulator: the verdict of every default cluster, decided by evaluate.
import { clientEnvironment, DEFAULT_ALIBABA_ACCOUNT } from "../../../emulator/src";
import { functions } from "../../src/impl";
import { evaluate } from "../../src/readiness/evaluate";
import {
  evaluateOptionsSchema,
  MAX_CHECK_AGE_MS,
  upgradeReadinessPolicyArgs,
  type SnapshotEvaluateOptions,
} from "../../src";
import { testCloudFor } from "../resources/helpers";

const cloud = testCloudFor("all");

it.each([
  ["cce", "cce-ready", "v1.30", "ready", true, "warning"],
  ["cce", "cce-blocked", "v1.30", "blocked", false, "fatal"],
  ["cce", "cce-unchecked", "v1.30", "unknown", false, "none"],
  ["ack", "ack-ready", "1.32.1-aliyun.1", "ready", true, "none"],
  ["ack", "ack-blocked", "1.32.1-aliyun.1", "blocked", false, "fatal"],
] as const)("%s %s to %s: %s", async (kind, name, targetVersion, verdict, allowed, worst) => {
  const readiness = await functions.getUpgradeReadiness({
    cloud: kind,
    clusterId: cloud.clusterId(name),
    targetVersion,
  });
  expect(readiness).toMatchObject({
    cloud: kind,
    clusterName: name,
    targetVersion,
    verdict,
    allowed,
    worstSeverity: worst,
  });
  // The one verdict function agrees with what was returned.
  expect(evaluate(readiness, { now: readiness.observedAt }).verdict).toBe(verdict);
  expect(readiness.summary).toMatchObject({
    verdict,
    worstSeverity: worst,
    observedAt: readiness.observedAt,
    digest: readiness.digest,
  });
  if (verdict === "unknown") expect(readiness.summary.checkId).toBeUndefined();
  else {
    expect(readiness.summary.checkId).toBe(readiness.checks.find((c) => c.kind !== "cce-addon-check")?.id);
    expect(Date.parse(readiness.summary.expiresAt!)).toBeGreaterThan(
      Date.parse(readiness.summary.checkCreatedAt!),
    );
  }
});

it("blocking findings are listed with their names, and reasons explain the verdict", async () => {
  const readiness = await functions.getUpgradeReadiness({
    cloud: "cce",
    clusterId: cloud.clusterId("cce-blocked"),
    targetVersion: "v1.30",
  });
  expect(readiness.blocking.map((f) => f.checkName).sort()).toEqual(["AddonCompatibility", "AddonValidate"]);
  expect(readiness.reasons[0]).toMatch(/is blocked \(verdict blocked\)/);
});

it("defaults the target to the version the cloud offers next", async () => {
  const cce = await functions.getUpgradeReadiness({ cloud: "cce", clusterId: cloud.clusterId("cce-ready") });
  expect(cce.targetVersion).toBe("v1.30");
  const ack = await functions.getUpgradeReadiness({ cloud: "ack", clusterId: cloud.clusterId("ack-ready") });
  expect(ack.targetVersion).toBe("1.32.1-aliyun.1");
});

it("passes the evaluation options to evaluate", async () => {
  const clusterId = cloud.clusterId("cce-unchecked");
  const lenient = await functions.getUpgradeReadiness({
    cloud: "cce",
    clusterId,
    targetVersion: "v1.30",
    missingCheckBlocks: false,
  });
  expect(lenient).toMatchObject({ verdict: "unknown", allowed: true });
  const strict = await functions.getUpgradeReadiness({
    cloud: "cce",
    clusterId: cloud.clusterId("cce-ready"),
    targetVersion: "v1.30",
    blockingSeverities: ["fatal", "warning"],
  });
  expect(strict).toMatchObject({ verdict: "blocked", allowed: false });
  expect(strict.blocking.map((f) => f.checkName)).toEqual(["NodeOSVersion"]);
});

describe("evaluate's options as the function's arguments (upgradeReadinessPolicyArgs, as the CLI's --policy file)", () => {
  // Required: an option added to evaluate without a place here fails to compile.
  const optionsFor = (cceReady: string): Required<SnapshotEvaluateOptions> => ({
    blockingSeverities: ["fatal", "unknown", "warning"],
    maxAgeMs: 2 * 24 * 60 * 60_000,
    missingCheckBlocks: false,
    pendingBlocks: false,
    waivers: [
      {
        checkName: "NodeOSVersion",
        clusterId: cceReady,
        reason: "the kernel upgrade is planned with the nodes",
        owner: "platform team",
        expires: "2099-01-01T00:00:00Z",
      },
    ],
    endOfSupportNoticeDays: 30,
  });

  it("carries every option but now, and the function then decides exactly as evaluate does", async () => {
    const options = optionsFor(cloud.clusterId("cce-ready"));
    const args = upgradeReadinessPolicyArgs(options);
    // One argument per option of evaluate, `now` aside: the function judges when it reads.
    expect(Object.keys(args)).toHaveLength(Object.keys(evaluateOptionsSchema.shape).length - 1);
    const readiness = await functions.getUpgradeReadiness({
      cloud: "cce",
      clusterId: cloud.clusterId("cce-ready"),
      targetVersion: "v1.30",
      ...args,
    });
    const direct = evaluate(readiness, { ...options, now: readiness.observedAt });
    expect(readiness).toMatchObject({
      verdict: direct.verdict,
      allowed: direct.allowed,
      blocking: direct.blocking,
      waiversApplied: direct.waiversApplied,
      waiversRefused: direct.waiversRefused,
      notices: direct.notices,
    });
    // Warnings block under these options, and the waiver lets cce-ready's one Warning through.
    expect(direct.waiversApplied.map((w) => w.finding.checkName)).toEqual(["NodeOSVersion"]);
  });

  it("a check's maximum age has one bound, 30 days, in the function's minutes and evaluate's milliseconds", async () => {
    const args = { cloud: "cce", clusterId: cloud.clusterId("cce-ready"), targetVersion: "v1.30" } as const;
    // Two days: once refused by the function (a bound borrowed from wait timeouts) though evaluate took it.
    await expect(
      functions.getUpgradeReadiness({ ...args, maxAgeMinutes: 2 * 24 * 60 }),
    ).resolves.toMatchObject({ verdict: "ready" });
    await expect(
      functions.getUpgradeReadiness({ ...args, maxAgeMinutes: MAX_CHECK_AGE_MS / 60_000 + 1 }),
    ).rejects.toThrow(/maxAgeMinutes: must be at most 43200 minutes \(30 days\)/);
    const snapshot = await functions.getUpgradeReadiness(args);
    expect(evaluate(snapshot, { maxAgeMs: MAX_CHECK_AGE_MS }).verdict).toBe("ready");
    expect(() => evaluate(snapshot, { maxAgeMs: MAX_CHECK_AGE_MS + 1 })).toThrow(
      /maxAgeMs: must be at most 2592000000 ms \(30 days\)/,
    );
  });

  it("an empty blockingSeverities is refused alike by evaluate and the function (it would let everything through)", async () => {
    const args = { cloud: "cce", clusterId: cloud.clusterId("cce-blocked"), targetVersion: "v1.30" } as const;
    const snapshot = await functions.getUpgradeReadiness(args);
    const message = /blockingSeverities: name at least one severity/;
    expect(() => evaluate(snapshot, { blockingSeverities: [] })).toThrow(message);
    await expect(functions.getUpgradeReadiness({ ...args, blockingSeverities: [] })).rejects.toThrow(message);
  });
});

it("equal facts give the equal digest on every read", async () => {
  const clusterId = cloud.clusterId("ack-blocked");
  const first = await functions.getUpgradeReadiness({ cloud: "ack", clusterId });
  const second = await functions.getUpgradeReadiness({ cloud: "ack", clusterId });
  expect(second.digest).toBe(first.digest);
});

it("rejects bad arguments, listing each", async () => {
  await expect(
    functions.getUpgradeReadiness({
      cloud: "ack",
      clusterId: "",
      targetVersion: "next",
      projectId: "p",
    } as never),
  ).rejects.toThrow(/getUpgradeReadiness: invalid arguments[\s\S]*clusterId[\s\S]*targetVersion/);
  await expect(
    functions.getUpgradeReadiness({ cloud: "ack", clusterId: "c", projectId: "p" }),
  ).rejects.toThrow(/projectId: applies to cloud cce only/);
});

it("names what to set when credentials are missing, without leaking configured secrets", async () => {
  const env = clientEnvironment(cloud.url);
  delete env.HUAWEICLOUD_SDK_AK;
  const error = (await functions
    .getUpgradeReadiness(
      { cloud: "cce", clusterId: cloud.clusterId("cce-ready") },
      { env, config: { secretKey: "planted-secret-0xfeed" } },
    )
    .catch((e: unknown) => e)) as Error & { code: string };
  expect(error.code).toMatch(/^CONFIG_/);
  expect(error.message).toMatch(/HUAWEICLOUD_SDK_AK/);
  expect(error.message).toMatch(/upgrade-guard:accessKey/);
  expect(error.message).not.toContain("planted-secret-0xfeed");
});

it("takes credentials from the upgrade-guard configuration when the environment has none", async () => {
  const env = { UPGRADE_GUARD_ENDPOINT: cloud.url };
  const readiness = await functions.getUpgradeReadiness(
    { cloud: "ack", clusterId: cloud.clusterId("ack-ready") },
    {
      env,
      config: {
        alibabaRegion: DEFAULT_ALIBABA_ACCOUNT.region,
        alibabaAccessKeyId: DEFAULT_ALIBABA_ACCOUNT.accessKeyId,
        alibabaAccessKeySecret: DEFAULT_ALIBABA_ACCOUNT.accessKeySecret,
      },
    },
  );
  expect(readiness.verdict).toBe("ready");
});
