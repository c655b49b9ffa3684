// Removing an optional input is an in-place update whose outputs no longer carry the old value, so
// the next diff is clean (keeping it would report the same change on every later preview). Every
// resource, against the emulator over real HTTP.
import { functions, resources } from "../../src/impl";
import { type PropertyMap, type ResourceLifecycle } from "../../src/pulumi/shared/types";
import { testCloudFor } from "./helpers";

const cloud = testCloudFor("each");

const cases: [string, ResourceLifecycle, () => Promise<PropertyMap>, string][] = [
  [
    "cce.ClusterPrecheck",
    resources.cceClusterPrecheck,
    async () => ({ clusterId: cloud.clusterId("cce-ready"), targetVersion: "v1.30", waitTimeoutMinutes: 12 }),
    "waitTimeoutMinutes",
  ],
  [
    "cce.AddonPrecheck",
    resources.cceAddonPrecheck,
    async () => {
      const clusterId = cloud.clusterId("cce-ready");
      const { tasks } = await functions.getAddonPrecheckTasks({ clusterId });
      const addonInstanceId = tasks.find((task) => task.addonTemplateName === "coredns")!.addonInstanceId!;
      return {
        clusterId,
        addons: [{ addonTemplateName: "coredns", addonInstanceId, targetVersion: "1.30.1" }],
        waitTimeoutMinutes: 12,
      };
    },
    "waitTimeoutMinutes",
  ],
  [
    "cce.UpgradeWorkflow",
    resources.cceUpgradeWorkflow,
    async () => ({
      clusterId: cloud.clusterId("cce-ready"),
      targetVersion: "v1.30",
      currentVersion: "v1.29.5-r0",
    }),
    "currentVersion",
  ],
  [
    "cce.ClusterUpgrade",
    resources.cceClusterUpgrade,
    async () => ({ clusterId: cloud.clusterId("cce-ready"), targetVersion: "v1.30", waitTimeoutMinutes: 99 }),
    "waitTimeoutMinutes",
  ],
  [
    "ack.ClusterCheck",
    resources.ackClusterCheck,
    async () => ({
      clusterId: cloud.clusterId("ack-ready"),
      targetVersion: "1.32.1-aliyun.1",
      waitTimeoutMinutes: 12,
    }),
    "waitTimeoutMinutes",
  ],
  [
    "ack.ClusterUpgrade",
    resources.ackClusterUpgrade,
    async () => ({
      clusterId: cloud.clusterId("ack-ready"),
      targetVersion: "1.32.1-aliyun.1",
      cancelOnFailure: false,
    }),
    "cancelOnFailure",
  ],
];

it.each(cases)(
  "%s: a removed optional input leaves the outputs and the next diff is clean",
  async (_n, r, make, key) => {
    const inputs = await make();
    const { id, outs } = await r.create(inputs);
    expect(outs[key]).toEqual(inputs[key]);
    const { [key]: _removed, ...rest } = inputs;
    const checked = (await r.check({}, rest)).inputs!;
    const before = cloud.emulator.control.requests().length;
    const { outs: updated } = await r.update(id, outs, checked);
    // Nothing at the vendor: the update only records the inputs.
    expect(cloud.emulator.control.requests()).toHaveLength(before);
    expect(updated).not.toHaveProperty(key);
    // Every computed output survives the update.
    for (const output of Object.keys(outs).filter((k) => !(k in inputs)))
      expect(updated).toHaveProperty(output);
    expect(await r.diff(id, updated, checked)).toMatchObject({ changes: false, replaces: [] });
  },
);
