// getUpgradePath against the emulator: the targets the cloud offers, the same the readiness carries.
import { InputError } from "../../src/errors";
import { functions } from "../../src/impl";
import { testCloudFor } from "../resources/helpers";

const cloud = testCloudFor("all");

it.each([
  ["cce", "cce-ready", "v1.29.5-r0", "cce-upgrade-info", ["v1.30"]],
  ["ack", "ack-ready", "1.31.1-aliyun.1", "ack-cluster-detail", ["1.32.1-aliyun.1"]],
] as const)(
  "%s %s: the offered targets and the suggested one",
  async (kind, name, current, source, offered) => {
    const clusterId = cloud.clusterId(name);
    const path = await functions.getUpgradePath({ cloud: kind, clusterId });
    expect(path).toEqual({
      cloud: kind,
      clusterId,
      clusterName: name,
      currentVersion: current,
      source,
      offered,
      suggested: offered.at(-1),
    });
    // One rule: the readiness snapshot carries the same path, and its default target is the suggestion.
    const readiness = await functions.getUpgradeReadiness({ cloud: kind, clusterId });
    expect(readiness.upgradePath).toEqual({ source, offered, suggested: offered.at(-1) });
    expect(readiness.targetVersion).toBe(path.suggested);
  },
);

it("rejects bad arguments, naming the field", async () => {
  const error = await functions.getUpgradePath({ cloud: "ack", clusterId: "c1", projectId: "p" }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  expect((error as Error).message).toContain("projectId");
});
