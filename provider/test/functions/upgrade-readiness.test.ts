// getUpgradeReadiness against the emulator: the verdict of every default cluster, decided by evaluate.
import { clientEnvironment, DEFAULT_ALIBABA_ACCOUNT } from "../../../emulator/src";
import { functions } from "../../src/impl";
import { evaluate } from "../../src/readiness/evaluate";
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
