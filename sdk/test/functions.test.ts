// The SDK's data functions: plain async functions in the program process, configured from the
// stack's upgrade-guard:* configuration, each with an Output twin. No invokes are involved.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import * as path from "node:path";
import { inspect } from "node:util";
import {
  ack,
  cce,
  getUpgradePath,
  getUpgradePathOutput,
  getUpgradeReadiness,
  getUpgradeReadinessOutput,
  readStackConfig,
  SECRET_CONFIG_KEYS as SECRET_KEYS,
} from "@upgrade-guard/sdk";
import * as sdkRoot from "@upgrade-guard/sdk";
import { ApiError } from "@upgrade-guard/provider";
// The snapshot's one schema, read from source: the package does not export it.
import { readinessSnapshotSchema } from "../../provider/src/readiness/model";
import { configure as configureImpl, resources } from "@upgrade-guard/provider/impl";
import { emulatorConfig, programAgainstEmulator, valueOf } from "./helpers/engine";

const program = programAgainstEmulator({ dryRun: true });
const { id } = program;

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
  expect(program.engine.calls).toEqual([]);
});

it("each Output twin takes Inputs, keeps secretness and waits for its arguments", async () => {
  const clusterId = pulumi.secret(id("ack-ready"));
  const readiness = getUpgradeReadinessOutput({ cloud: "ack", clusterId });
  expect(await valueOf(readiness.apply((r) => r.verdict))).toBe("ready");
  expect(await pulumi.isSecret(readiness)).toBe(true);
  const latest = ack.getLatestClusterCheckOutput({ clusterId: pulumi.output(id("ack-blocked")) });
  expect(await valueOf(latest.apply((l) => l.check?.status))).toBe("Failed");
});

it("getUpgradePath names the targets the cloud offers, from stack configuration only", async () => {
  const path = await getUpgradePath({ cloud: "cce", clusterId: id("cce-ready") });
  expect(path).toMatchObject({ currentVersion: "v1.29.5-r0", offered: ["v1.30"], suggested: "v1.30" });
  expect(program.engine.calls).toEqual([]);
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
  await program.emulator.control.loadScenario("workflow-failed");
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
    await program.emulator.control.loadScenario("default");
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

/** The rejection of an Output (its internal promise; the other internals' rejections handled). */
async function rejectionOf(output: pulumi.Output<unknown>): Promise<unknown> {
  const internals = output as unknown as {
    promise(): Promise<unknown>;
    isKnown: Promise<boolean>;
    isSecret: Promise<boolean>;
    allResources(): Promise<unknown>;
  };
  for (const other of [internals.isKnown, internals.isSecret, internals.allResources()])
    other.catch(() => undefined);
  return internals.promise().then(
    () => undefined,
    (error: unknown) => error,
  );
}

it("a secret argument of an Output twin stays out of its error: message, stack and fields", async () => {
  const secretCluster = "0d4e2f1a-9c3b-4d5e-8f7a-5ec2e7c1a5b0";
  const secretTask = "T-secret-upgrade-task-4711";
  const failures = [
    await rejectionOf(
      cce.getPrecheckOutput({ clusterId: pulumi.secret(secretCluster), taskId: "plain-task" }),
    ),
    await rejectionOf(ack.getTaskInfoOutput({ taskId: pulumi.secret(secretTask) })),
    await rejectionOf(
      getUpgradeReadinessOutput({ cloud: "ack", clusterId: pulumi.output(pulumi.secret(secretCluster)) }),
    ),
  ];
  for (const error of failures) {
    // Still the error it was (class, code and the vendor's words), with the secret masked.
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe("API_NOT_FOUND");
    expect((error as ApiError).message).toContain("[secret]");
    const printed = inspect(error, { depth: 5 });
    expect(printed).not.toContain(secretCluster);
    expect(printed).not.toContain(secretTask);
  }
  // A plain argument is not masked: it says which task was not found.
  expect((failures[0] as ApiError).message).toMatch(/ShowPreCheck failed with HTTP 404/);
  expect(program.engine.calls).toEqual([]);
});

describe("every data function has an Output twin", () => {
  // Ids the table needs, made through the implementations themselves (configured like a provider).
  let workflowId = "";
  let ackTaskId = "";
  let precheckTaskId = "";
  let ackCheckId = "";
  beforeAll(async () => {
    const config = emulatorConfig() as Record<string, string>;
    await configureImpl({ config: { get: (key: string) => config[key] } });
    workflowId = (
      await resources.cceUpgradeWorkflow.create({
        clusterId: id("cce-unchecked"),
        targetVersion: "v1.30",
      })
    ).id;
    // Adopts the task the scenario has running, then gives up waiting at once: a live task id.
    const running = (await resources.ackClusterUpgrade
      .create({ clusterId: id("ack-upgrading"), targetVersion: "1.32.1-aliyun.1", waitTimeoutMinutes: 0.002 })
      .catch((error: unknown) => error)) as { id?: string };
    ackTaskId = running.id ?? "";
    precheckTaskId = (await cce.getLatestPrecheck({ clusterId: id("cce-blocked"), targetVersion: "v1.30" }))
      .precheck!.taskId;
    ackCheckId = (await ack.getClusterChecks({ clusterId: id("ack-blocked") })).checks[0]!.checkId;
  });

  /** The results minus when they were read (`observedAt` is the time of each call). */
  const withoutObservationTime = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(value), (key, member: unknown) => (key === "observedAt" ? undefined : member));

  type AnyFunction = (args: Record<string, unknown>) => Promise<unknown>;
  type AnyTwin = (args: Record<string, pulumi.Input<unknown>>) => pulumi.Output<unknown>;
  type TwinCase = [string, AnyFunction, AnyTwin, () => Record<string, unknown>, string];
  /** One row: the function, its Output twin, its arguments and the argument made unknown. */
  const twin = (
    name: string,
    fn: unknown,
    output: unknown,
    args: () => Record<string, unknown>,
    unknownKey: string,
  ): TwinCase => [name, fn as AnyFunction, output as AnyTwin, args, unknownKey];
  const twins: TwinCase[] = [
    twin(
      "getUpgradePath",
      getUpgradePath,
      getUpgradePathOutput,
      () => ({ cloud: "ack", clusterId: id("ack-ready") }),
      "clusterId",
    ),
    twin(
      "getUpgradeReadiness",
      getUpgradeReadiness,
      getUpgradeReadinessOutput,
      () => ({ cloud: "cce", clusterId: id("cce-blocked"), targetVersion: "v1.30" }),
      "clusterId",
    ),
    twin(
      "cce.getAddonPrecheckTasks",
      cce.getAddonPrecheckTasks,
      cce.getAddonPrecheckTasksOutput,
      () => ({ clusterId: id("cce-blocked") }),
      "clusterId",
    ),
    twin(
      "cce.getPrecheck",
      cce.getPrecheck,
      cce.getPrecheckOutput,
      () => ({ clusterId: id("cce-blocked"), taskId: precheckTaskId }),
      "taskId",
    ),
    twin(
      "cce.getLatestPrecheck",
      cce.getLatestPrecheck,
      cce.getLatestPrecheckOutput,
      () => ({ clusterId: id("cce-blocked"), targetVersion: "v1.30" }),
      "targetVersion",
    ),
    twin(
      "cce.getUpgradeWorkflow",
      cce.getUpgradeWorkflow,
      cce.getUpgradeWorkflowOutput,
      () => ({ clusterId: id("cce-unchecked"), workflowId }),
      "workflowId",
    ),
    twin(
      "cce.getUpgradeWorkflows",
      cce.getUpgradeWorkflows,
      cce.getUpgradeWorkflowsOutput,
      () => ({ clusterId: id("cce-unchecked") }),
      "clusterId",
    ),
    twin(
      "ack.getClusterCheck",
      ack.getClusterCheck,
      ack.getClusterCheckOutput,
      () => ({ clusterId: id("ack-blocked"), checkId: ackCheckId }),
      "checkId",
    ),
    twin(
      "ack.getClusterChecks",
      ack.getClusterChecks,
      ack.getClusterChecksOutput,
      () => ({ clusterId: id("ack-blocked"), type: "ClusterUpgrade" }),
      "clusterId",
    ),
    twin(
      "ack.getLatestClusterCheck",
      ack.getLatestClusterCheck,
      ack.getLatestClusterCheckOutput,
      () => ({ clusterId: id("ack-ready") }),
      "clusterId",
    ),
    twin(
      "ack.getUpgradeStatus",
      ack.getUpgradeStatus,
      ack.getUpgradeStatusOutput,
      () => ({ clusterId: id("ack-upgrading") }),
      "clusterId",
    ),
    twin("ack.getTaskInfo", ack.getTaskInfo, ack.getTaskInfoOutput, () => ({ taskId: ackTaskId }), "taskId"),
  ];

  it("covers every data function the SDK exports", () => {
    const exported = [
      ...Object.keys(cce).map((name) => `cce.${name}`),
      ...Object.keys(ack).map((name) => `ack.${name}`),
      ...Object.keys(sdkRoot),
    ].filter((name) => /(^|\.)get[A-Z]\w*$/.test(name) && !name.endsWith("Output"));
    expect(twins.map(([name]) => name).sort()).toEqual(exported.sort());
  });

  it.each(twins)(
    "%s: the twin takes Inputs and returns what the function returns",
    async (_n, plain, twin, args) => {
      const warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
      try {
        const inputs = Object.fromEntries(
          Object.entries(args()).map(([key, value]) => [key, pulumi.output(value)]),
        );
        const viaTwin = await valueOf(twin(inputs));
        expect(withoutObservationTime(viaTwin)).toEqual(withoutObservationTime(await plain(args())));
      } finally {
        warn.mockRestore();
      }
    },
  );

  it.each(twins)(
    "%s: in preview an unknown argument gives an unknown result and no cloud call",
    async (_n, _plain, twin, args, unknownArg) => {
      program.emulator.control.clearRequests();
      const result = twin({ ...args(), [unknownArg]: pulumi.output(pulumi.unknown as unknown as string) });
      const isKnown = await (result as unknown as { isKnown: Promise<boolean> }).isKnown;
      expect(isKnown).toBe(false);
      expect(program.emulator.control.requests()).toEqual([]);
    },
  );

  it("getUpgradeStatusOutput warns of the deprecation like getUpgradeStatus", async () => {
    const warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
    try {
      const status = await valueOf(
        ack.getUpgradeStatusOutput({ clusterId: pulumi.output(id("ack-upgrading")) }),
      );
      expect(status.clusterId).toBe(id("ack-upgrading"));
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/deprecated/));
    } finally {
      warn.mockRestore();
    }
  });
});

it("the README's getUpgradeReadiness section names every field of the result", async () => {
  // The snapshot's fields from its one schema (optional ones included), plus what a real call adds.
  const readiness = await getUpgradeReadiness({ cloud: "ack", clusterId: id("ack-ready") });
  const fields = new Set([...Object.keys(readinessSnapshotSchema.shape), ...Object.keys(readiness)]);
  const readme = fs.readFileSync(path.join(__dirname, "../README.md"), "utf8");
  const section = readme.slice(
    readme.indexOf("### `getUpgradeReadiness`"),
    readme.indexOf("### `cce.getPrecheck`"),
  );
  expect([...fields].filter((field) => !section.includes(`\`${field}\``))).toEqual([]);
});
