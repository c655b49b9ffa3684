// cce.UpgradeWorkflow against the emulator over real HTTP.
import { functions, resources } from "../../src/impl";
import { served, testCloudFor } from "./helpers";

const workflow = resources.cceUpgradeWorkflow;
const cloud = testCloudFor("each");

it("creates a workflow, and a second create adopts the open one", async () => {
  const clusterId = cloud.clusterId("cce-ready");
  const first = await workflow.create({ clusterId, targetVersion: "v1.30" });
  expect(first.outs).toMatchObject({
    workflowId: first.id,
    phase: "Init",
    clusterId,
    targetVersion: "v1.30",
  });
  const second = await workflow.create({ clusterId, targetVersion: "v1.30" });
  expect(second.id).toBe(first.id);
  expect(served(cloud, "CreateUpgradeWorkFlow")).toBe(1);
  expect(cloud.log.join("\n")).toMatch(new RegExp(`adopting open upgrade workflow ${first.id}`));
});

it("delete cancels a workflow CCE allows to cancel", async () => {
  const clusterId = cloud.clusterId("cce-ready");
  const { id, outs } = await workflow.create({ clusterId, targetVersion: "v1.30" });
  await workflow.delete(id, outs);
  expect(served(cloud, "UpgradeWorkFlowUpdate")).toBe(1);
  const after = await functions.getUpgradeWorkflow({ clusterId, workflowId: id });
  expect(after.phase).toBe("Cancel");
  expect(cloud.log.join("\n")).toMatch(`cancelled workflow ${id}`);
});

it("delete leaves a finished workflow in place and says why", async () => {
  const clusterId = cloud.clusterId("cce-ready");
  const upgrade = await resources.cceClusterUpgrade.create({ clusterId, targetVersion: "v1.30" });
  const workflowId = upgrade.outs.workflowId as string;
  const shown = await workflow.read(workflowId, { clusterId, targetVersion: "v1.30" });
  expect(shown.props).toMatchObject({ workflowId });
  cloud.clearLog();
  cloud.emulator.control.clearRequests();
  await workflow.delete(workflowId, { clusterId, targetVersion: "v1.30" });
  const phase = (await functions.getUpgradeWorkflow({ clusterId, workflowId })).phase;
  // After the upgrade the workflow has run tasks: CCE refuses a cancel, so none is sent.
  expect(["Running", "Success"]).toContain(phase);
  expect(served(cloud, "UpgradeWorkFlowUpdate")).toBe(0);
  expect(cloud.log.join("\n")).toMatch(
    new RegExp(
      `workflow ${workflowId} is left in CCE, not cancelled: CCE allows no cancel while its phase is ${phase}`,
    ),
  );
});

it("refresh of a vanished workflow removes the resource; diff replaces on a new target", async () => {
  const clusterId = cloud.clusterId("cce-ready");
  const { id, outs } = await workflow.create({ clusterId, targetVersion: "v1.30" });
  await cloud.emulator.control.reset();
  expect(await workflow.read(id, outs)).toEqual({ id: "" });
  expect(await workflow.diff(id, outs, { clusterId, targetVersion: "v1.31" })).toMatchObject({
    changes: true,
    replaces: ["targetVersion"],
  });
  expect(
    await workflow.diff(id, outs, { clusterId, targetVersion: "v1.30", currentVersion: "v1.29.5-r0" }),
  ).toMatchObject({
    changes: false,
  });
});

it("the region spelled out is the same place: an in-place update that records the input, the workflow untouched", async () => {
  const clusterId = cloud.clusterId("cce-ready");
  const old = await workflow.create({ clusterId, targetVersion: "v1.30" });
  expect(old.outs["location"]).toEqual({
    region: process.env.HW_REGION_NAME,
    projectId: process.env.HUAWEICLOUD_SDK_PROJECT_ID,
  });
  const news = { clusterId, targetVersion: "v1.30", region: process.env.HW_REGION_NAME };
  const diff = await workflow.diff(old.id, old.outs, news);
  expect(diff).toMatchObject({ changes: true, replaces: [] });
  const updated = await workflow.update(old.id, old.outs, news);
  expect(updated.outs).toMatchObject({ region: process.env.HW_REGION_NAME, workflowId: old.id });
  const after = await workflow.read(old.id, updated.outs);
  expect(after.props?.phase).not.toBe("Cancel");
});

it("a replace that names the same workflow (region spelled out, state without a location) leaves the replacement's workflow open", async () => {
  const clusterId = cloud.clusterId("cce-ready");
  const created = await workflow.create({ clusterId, targetVersion: "v1.30" });
  // State written before the location was recorded: only the inputs can be compared.
  const { location: _location, ...outs } = created.outs;
  const old = { id: created.id, outs };
  const news = { clusterId, targetVersion: "v1.30", region: process.env.HW_REGION_NAME };
  const diff = await workflow.diff(old.id, old.outs, news);
  expect(diff.replaces).toEqual(["region"]);
  // The engine's order: delete first only when the diff asks for it, else create the replacement first.
  let replacement: { id: string; outs: Record<string, unknown> };
  if (diff.deleteBeforeReplace === true) {
    await workflow.delete(old.id, old.outs);
    replacement = await workflow.create(news);
  } else {
    replacement = await workflow.create(news);
    await workflow.delete(old.id, old.outs);
  }
  const after = await workflow.read(replacement.id, replacement.outs);
  expect(after.props?.phase).not.toBe("Cancel");
});
