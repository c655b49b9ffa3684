// cce.AddonPrecheck against the emulator over real HTTP.
import { functions, resources } from "../../src/impl";
import { PartialCreateError } from "../../src/pulumi/shared/errors";
import { served, testCloudFor } from "./helpers";
import { SLOW } from "./scenarios";

const addonPrecheck = resources.cceAddonPrecheck;
const cloud = testCloudFor("each");

/** The coredns instance id of a cluster, from its earlier add-on checks. */
async function corednsInstance(clusterId: string): Promise<string> {
  const { tasks } = await functions.getAddonPrecheckTasks({ clusterId });
  const id = tasks.find((task) => task.addonTemplateName === "coredns")?.addonInstanceId;
  if (id === undefined) throw new Error("the scenario has no coredns add-on check");
  return id;
}

it("check requires a target version for addonUpgrade checks and rejects duplicates", async () => {
  const addon = { addonTemplateName: "coredns", addonInstanceId: "i-1" };
  const result = await addonPrecheck.check(
    {},
    { clusterId: "c", addons: [addon, { ...addon, targetVersion: "1.30.1" }] },
  );
  expect(result.failures).toEqual([
    { property: "addons[0].targetVersion", reason: "is required when type is addonUpgrade" },
    { property: "addons[1].addonInstanceId", reason: "is listed twice for the same type" },
  ]);
  expect((await addonPrecheck.check({}, { clusterId: "c", addons: [] })).failures?.[0]?.property).toBe(
    "addons",
  );
});

it("checks coredns on a blocked cluster and outputs each risk", async () => {
  const clusterId = cloud.clusterId("cce-blocked");
  const addonInstanceId = await corednsInstance(clusterId);
  cloud.emulator.control.clearRequests();
  const { id, outs } = await addonPrecheck.create({
    clusterId,
    addons: [{ addonTemplateName: "coredns", addonInstanceId, targetVersion: "1.30.1" }],
  });
  expect(served(cloud, "BatchCreateAddonPrecheck")).toBe(1);
  expect(outs).toMatchObject({ taskIds: [id], phase: "Failed", worstSeverity: "fatal" });
  const results = outs.results as { risks: { riskName: string; level: string }[] }[];
  expect(results[0]!.risks.map((r) => `${r.riskName}/${r.level}`).sort()).toEqual([
    "AddonStatus/Warning",
    "AddonValidate/Fatal",
  ]);
  expect(outs.findingCounts).toEqual({ fatal: 1, warning: 1, info: 0, unknown: 0 });
});

it("a clean add-on check succeeds with no findings present", async () => {
  const clusterId = cloud.clusterId("cce-ready");
  const addonInstanceId = await corednsInstance(clusterId);
  const { outs } = await addonPrecheck.create({
    clusterId,
    addons: [{ addonTemplateName: "coredns", addonInstanceId, targetVersion: "1.30.1" }],
  });
  expect(outs).toMatchObject({ phase: "Success", worstSeverity: "none" });
});

it("an interrupted create is recorded with its task ids and resumed by update", async () => {
  await cloud.emulator.control.loadScenario(SLOW);
  const clusterId = cloud.clusterId("cce-slow");
  const addonInstanceId = await corednsInstance(clusterId);
  const inputs = {
    clusterId,
    addons: [{ addonTemplateName: "coredns", addonInstanceId, targetVersion: "1.30.1" }],
    waitTimeoutMinutes: 0.005,
  };
  const error = (await addonPrecheck.create(inputs).catch((e: unknown) => e)) as PartialCreateError;
  expect(error).toBeInstanceOf(PartialCreateError);
  expect(error.properties).toMatchObject({ taskIds: [error.id] });
  // The deadline error names what it waited for, how long, and the last phase seen.
  expect(error.message).toMatch(/did not finish within [^(]+\(\d+ polls, last phase [^)]+\)/);
  expect(error.message).toContain(error.id);

  // A retry adopts the running task instead of starting another.
  const again = (await addonPrecheck.create(inputs).catch((e: unknown) => e)) as PartialCreateError;
  expect(again.id).toBe(error.id);

  cloud.emulator.control.advanceClock(2 * 60 * 60 * 1000);
  const { outs } = await addonPrecheck.update(error.id, error.properties, {
    ...inputs,
    waitTimeoutMinutes: 1,
  });
  expect(outs).toMatchObject({ taskIds: [error.id], phase: "Success" });
  expect(served(cloud, "BatchCreateAddonPrecheck")).toBe(1);
});

it("refresh removes the resource when CCE no longer has its tasks; delete only leaves the state", async () => {
  const clusterId = cloud.clusterId("cce-ready");
  const addonInstanceId = await corednsInstance(clusterId);
  const { id, outs } = await addonPrecheck.create({
    clusterId,
    addons: [{ addonTemplateName: "coredns", addonInstanceId, targetVersion: "1.30.1" }],
  });
  expect((await addonPrecheck.read(id, outs)).props).toMatchObject({ taskIds: [id], phase: "Success" });
  cloud.emulator.control.clearRequests();
  await addonPrecheck.delete(id, outs);
  expect(served(cloud, "BatchCreateAddonPrecheck") + served(cloud, "ListAddonPrecheckTasks")).toBe(0);
  await cloud.emulator.control.reset();
  expect(await addonPrecheck.read(id, outs)).toEqual({ id: "" });
});

it("refresh removes the resource when SOME of its tasks vanished: a checked risk never disappears", async () => {
  // Two add-on checks left running (adopted by the create); the coredns one finds a Fatal risk.
  const cluster = {
    cloud: "cce" as const,
    name: "cce-addons",
    version: "v1.29.5-r0",
    targetVersions: ["v1.30"],
    // Every read of a running task counts; three keep them running until the create adopted them.
    checkProgress: { polls: 3 },
    addons: [
      { template: "everest", id: "addon-everest", version: "2.4.1" },
      {
        template: "coredns",
        id: "addon-coredns",
        version: "1.29.4",
        risks: [{ riskName: "AddonValidate", level: "Fatal" as const }],
      },
    ],
  };
  const running = [
    { addon: "everest", targetVersion: "2.5.0", createdAgo: "1s", running: true },
    { addon: "coredns", targetVersion: "1.30.1", createdAgo: "1s", running: true },
  ];
  await cloud.restart({
    name: "two-addons",
    clusters: [{ ...cluster, history: { cce: { addonChecks: running } } }],
  });
  const clusterId = cloud.clusterId("cce-addons");
  const { id, outs } = await addonPrecheck.create({
    clusterId,
    addons: [
      { addonTemplateName: "everest", addonInstanceId: "addon-everest", targetVersion: "2.5.0" },
      { addonTemplateName: "coredns", addonInstanceId: "addon-coredns", targetVersion: "1.30.1" },
    ],
  });
  expect(served(cloud, "BatchCreateAddonPrecheck")).toBe(0);
  expect(outs).toMatchObject({ worstSeverity: "fatal", findingCounts: { fatal: 1 } });
  const [everestTask, corednsTask] = id.split(",");

  // The same state without the coredns task (history tasks keep their ids by position).
  await cloud.emulator.control.loadScenario({
    name: "one-vanished",
    clusters: [{ ...cluster, history: { cce: { addonChecks: [{ ...running[0]!, running: false }] } } }],
  });
  const left = (await functions.getAddonPrecheckTasks({ clusterId })).tasks.map((t) => t.taskId);
  expect(left).toEqual([everestTask]);

  cloud.clearLog();
  expect(await addonPrecheck.read(id, outs)).toEqual({ id: "" });
  expect(cloud.log.join("\n")).toContain(`add-on checks ${corednsTask} no longer exist in CCE`);
});
