/**
 * DescribeKubernetesVersionMetadata through the official Alibaba SDK (`@alicloud/cs20151215`): the
 * emulator answers the bare JSON array the SDK expects (`bodyType: array`), with support windows set
 * by the scenario relative to the emulator clock, and refuses a request without its required fields.
 */
import { startEmulator, type RunningEmulator } from "../src";
import { ackClient, aliFailure, cs, noRetry } from "./helpers/official-sdks";

const DAY = 86_400_000;
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({
    freezeClock: true,
    scenario: {
      name: "versions",
      clusters: [
        {
          cloud: "ack",
          name: "old",
          version: "1.30.1-aliyun.1",
          targetVersions: ["1.31.1-aliyun.1"],
          versionSupport: { "1.30.1-aliyun.1": { releasedAgo: "300d", endedAgo: "5d" } },
        },
        { cloud: "ack", name: "new", version: "1.32.1-aliyun.1" },
      ],
    },
  });
});
afterAll(async () => {
  await emulator.close();
});

const describeVersions = (
  request: ConstructorParameters<typeof cs.DescribeKubernetesVersionMetadataRequest>[0],
) =>
  ackClient(emulator.url).describeKubernetesVersionMetadataWithOptions(
    new cs.DescribeKubernetesVersionMetadataRequest(request),
    {},
    noRetry(),
  );

describe("DescribeKubernetesVersionMetadata", () => {
  it("one version: its release and expiration dates from the scenario, and its upgradable versions", async () => {
    const now = emulator.control.clock().nowMs;
    const answer = await describeVersions({
      region: "cn-hangzhou",
      clusterType: "ManagedKubernetes",
      kubernetesVersion: "1.30.1-aliyun.1",
      queryUpgradableVersion: true,
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toHaveLength(1);
    const [entry] = answer.body ?? [];
    expect(entry?.version).toBe("1.30.1-aliyun.1");
    expect(entry?.expirationDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Math.abs(Date.parse(entry?.expirationDate ?? "") - (now - 5 * DAY))).toBeLessThan(1_000);
    expect(Math.abs(Date.parse(entry?.releaseDate ?? "") - (now - 300 * DAY))).toBeLessThan(1_000);
    expect(entry?.creatable).toBe(false);
    expect(entry?.upgradableVersions).toEqual(["1.31.1-aliyun.1"]);
  });

  it("without a version: the creatable versions, or the supported ones with Mode supported", async () => {
    const creatable = await describeVersions({ region: "cn-hangzhou", clusterType: "ManagedKubernetes" });
    expect(creatable.body?.map((v) => v.version)).toEqual(["1.31.1-aliyun.1", "1.32.1-aliyun.1"]);
    const supported = await describeVersions({
      region: "cn-hangzhou",
      clusterType: "ManagedKubernetes",
      mode: "supported",
    });
    expect(supported.body?.map((v) => v.version)).not.toContain("1.30.1-aliyun.1");
  });

  it("Region and ClusterType are required, as ACK documents", async () => {
    const failure = await aliFailure(describeVersions({ clusterType: "ManagedKubernetes" }));
    expect(failure.statusCode).toBe(400);
    expect(failure.message).toMatch(/Region is required/);
    const noType = await aliFailure(describeVersions({ region: "cn-hangzhou" }));
    expect(noType.message).toMatch(/ClusterType is required/);
  });
});
