// The SDK's data functions: plain async functions in the program process, configured from the
// stack's upgrade-guard:* configuration, each with an Output twin. No invokes are involved.
import * as pulumi from "@pulumi/pulumi";
import {
  ack,
  cce,
  getUpgradeReadiness,
  getUpgradeReadinessOutput,
  readStackConfig,
  SECRET_CONFIG_KEYS as SECRET_KEYS,
} from "@upgrade-guard/sdk";
import { startEmulator, type RunningEmulator } from "../../emulator/src";
import {
  emulatorConfig,
  MockEngine,
  restoreOuterEnv,
  SECRET_CONFIG_KEYS,
  setEnvEverywhere,
  valueOf,
} from "./helpers/engine";

let emulator: RunningEmulator;
let engine: MockEngine;
const id = (name: string) => emulator.control.clusters().find((c) => c.name === name)!.id;

beforeAll(async () => {
  emulator = await startEmulator({ onInternalError: () => undefined });
  setEnvEverywhere({ UPGRADE_GUARD_ENDPOINT: emulator.url });
  engine = new MockEngine({ project: "readiness", config: emulatorConfig() });
  await pulumi.runtime.setMocks(engine, "readiness", "dev", true);
  pulumi.runtime.setAllConfig(emulatorConfig(), SECRET_CONFIG_KEYS);
});
afterAll(async () => {
  await emulator.close();
  restoreOuterEnv();
});

it("reads the upgrade-guard:* stack configuration, leaving the secret keys out", () => {
  const config = readStackConfig();
  expect(config).toMatchObject({ region: "cn-north-4", alibabaRegion: "cn-hangzhou" });
  for (const key of SECRET_KEYS) expect(config).not.toHaveProperty(key);
  expect(SECRET_KEYS).toEqual(expect.arrayContaining(["secretKey", "accessKey", "alibabaAccessKeyId"]));
});

it("getUpgradeReadiness works with credentials from stack configuration only", async () => {
  const readiness = await getUpgradeReadiness({
    cloud: "cce",
    clusterId: id("cce-blocked"),
    targetVersion: "v1.30",
  });
  expect(readiness).toMatchObject({ verdict: "blocked", allowed: false, summary: { verdict: "blocked" } });
  expect(engine.calls).toEqual([]);
});

it("each Output twin takes Inputs, keeps secretness and waits for its arguments", async () => {
  const clusterId = pulumi.secret(id("ack-ready"));
  const readiness = getUpgradeReadinessOutput({ cloud: "ack", clusterId });
  expect(await valueOf(readiness.apply((r) => r.verdict))).toBe("ready");
  expect(await pulumi.isSecret(readiness)).toBe(true);
  const latest = ack.getLatestClusterCheckOutput({ clusterId: pulumi.output(id("ack-blocked")) });
  expect(await valueOf(latest.apply((l) => l.check?.status))).toBe("Failed");
});

it("the CCE functions and their twins return the same results", async () => {
  const clusterId = id("cce-blocked");
  const latest = await cce.getLatestPrecheck({ clusterId, targetVersion: "v1.30" });
  const taskId = latest.precheck!.taskId;
  expect(await valueOf(cce.getPrecheckOutput({ clusterId, taskId }))).toEqual(
    await cce.getPrecheck({ clusterId, taskId }),
  );
  expect(await valueOf(cce.getLatestPrecheckOutput({ clusterId, targetVersion: "v1.30" }))).toMatchObject({
    precheck: { taskId },
  });
  const tasks = await valueOf(cce.getAddonPrecheckTasksOutput({ clusterId }));
  expect(tasks.worstSeverity).toBe("fatal");
  const listed = await valueOf(cce.getUpgradeWorkflowsOutput({ clusterId }));
  expect(listed).toEqual(await cce.getUpgradeWorkflows({ clusterId }));
  expect(listed.clusterId).toBe(clusterId);
});

it("getUpgradeWorkflowsOutput and getUpgradeWorkflowOutput read a failed workflow", async () => {
  await emulator.control.loadScenario("workflow-failed");
  try {
    const clusterId = id("cce-workflow-failed");
    const { workflows } = await valueOf(cce.getUpgradeWorkflowsOutput({ clusterId }));
    expect(workflows.map((w) => [w.clusterId, w.targetVersion])).toEqual([[clusterId, "v1.30"]]);
    const workflowId = workflows[0]!.workflowId;
    const workflow = await valueOf(
      cce.getUpgradeWorkflowOutput({ clusterId, workflowId: pulumi.output(workflowId) }),
    );
    expect(workflow).toMatchObject({ workflowId, clusterId, phase: "Pending" });
  } finally {
    await emulator.control.loadScenario("default");
  }
});

it("the ACK functions return checks and tasks; getUpgradeStatus warns that it is deprecated", async () => {
  const clusterId = id("ack-upgrading");
  const { checks } = await valueOf(ack.getClusterChecksOutput({ clusterId }));
  const check = await ack.getClusterCheck({ clusterId, checkId: checks[0]!.checkId });
  expect(check.checkId).toBe(checks[0]!.checkId);
  const warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
  try {
    const status = await ack.getUpgradeStatus({ clusterId });
    expect(status.status).toBe("running");
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/deprecated/));
  } finally {
    warn.mockRestore();
  }
});

it("bad arguments reject with every bad field named", async () => {
  await expect(cce.getPrecheck({ clusterId: "", taskId: "" })).rejects.toThrow(
    /cce\.getPrecheck: invalid arguments[\s\S]*clusterId[\s\S]*taskId/,
  );
});
