// Each resource's outputs have one schema, next to its input schema, and the lifecycles read the state
// back through it: state written by the previous version (the shapes the other tests record) reads,
// a malformed field is an error naming it, and everything a create writes is a key of the schemas.
import { type z } from "zod";
import {
  ackClusterCheckInputsSchema,
  ackClusterCheckOutputsSchema,
  ackClusterUpgradeInputsSchema,
  ackClusterUpgradeOutputsSchema,
  cceAddonPrecheckInputsSchema,
  cceAddonPrecheckOutputsSchema,
  cceClusterPrecheckInputsSchema,
  cceClusterPrecheckOutputsSchema,
  cceClusterUpgradeInputsSchema,
  cceClusterUpgradeOutputsSchema,
  cceUpgradeWorkflowInputsSchema,
  cceUpgradeWorkflowOutputsSchema,
  functions,
  resources,
  type ResourceName,
} from "../../src/impl";
import { readOutputs } from "../../src/pulumi/resources/lifecycle";
import { PartialCreateError, StateError } from "../../src/pulumi/shared/errors";
import { setLogSink } from "../../src/pulumi/shared/log";
import { type PropertyMap } from "../../src/pulumi/shared/types";
import { testCloudFor } from "./helpers";
import { SLOW } from "./scenarios";

const GATE = {
  verdict: "ready",
  worstSeverity: "warning",
  digest: `sha256:${"a".repeat(64)}`,
  observedAt: "2025-08-05T09:10:44.648Z",
  waived: [],
};
/** One add-on's result as `cce.AddonPrecheck` records it. */
const RESULT = {
  taskId: "t1",
  addonTemplateName: "coredns",
  addonInstanceId: "i-1",
  type: "addonUpgrade",
  targetVersion: "1.30.1",
  status: "Failed",
  createdAt: "2025-08-05T09:10:44.648Z",
  risks: [{ riskName: "AddonValidate", level: "Fatal", status: "Failed" }],
};
const ADDONS = [{ addonTemplateName: "coredns", addonInstanceId: "i-1", targetVersion: "1.30.1" }];

interface Case {
  readonly resource: string;
  readonly inputs: z.ZodObject;
  readonly outputs: z.ZodObject;
  /** States the previous version wrote: a refreshed or finished record, an interrupted create. */
  readonly states: readonly PropertyMap[];
  /** A field of the first state set to a value of the wrong type, and the path the error must name. */
  readonly malformed: readonly [PropertyMap, string][];
}

const cases: Record<ResourceName, Case> = {
  cceClusterPrecheck: {
    resource: "cce.ClusterPrecheck",
    inputs: cceClusterPrecheckInputsSchema,
    outputs: cceClusterPrecheckOutputsSchema,
    states: [
      { clusterId: "c", targetVersion: "v1.30", taskId: "t", phase: "Running" },
      { clusterId: "c", targetVersion: "v1.30", currentVersion: "v1.29.5-r0", taskId: "t" },
    ],
    malformed: [
      [{ phase: 3 }, "phase"],
      [{ findingCounts: { fatal: "0", warning: 0, info: 0, unknown: 0 } }, "findingCounts.fatal"],
      [{ snapshot: "sha256:..." }, "snapshot"],
    ],
  },
  cceAddonPrecheck: {
    resource: "cce.AddonPrecheck",
    inputs: cceAddonPrecheckInputsSchema,
    outputs: cceAddonPrecheckOutputsSchema,
    states: [
      { clusterId: "c", addons: ADDONS, taskIds: ["t1"], phase: "Running" },
      {
        clusterId: "c",
        addons: ADDONS,
        taskIds: ["t1"],
        phase: "Failed",
        results: [RESULT],
        worstSeverity: "fatal",
      },
    ],
    malformed: [
      [{ taskIds: ["t1", 2] }, "taskIds[1]"],
      [{ results: [{ ...RESULT, risks: [{ ...RESULT.risks[0], level: 2 }] }] }, "results[0].risks[0].level"],
    ],
  },
  cceUpgradeWorkflow: {
    resource: "cce.UpgradeWorkflow",
    inputs: cceUpgradeWorkflowInputsSchema,
    outputs: cceUpgradeWorkflowOutputsSchema,
    states: [
      { clusterId: "c", targetVersion: "v1.30" },
      { clusterId: "c", targetVersion: "v1.30", workflowId: "w", phase: "Init", pointStatuses: [] },
    ],
    malformed: [
      [{ workflowId: ["w"] }, "workflowId"],
      [{ pointStatuses: [{ status: "Init" }] }, "pointStatuses[0].taskType"],
    ],
  },
  cceClusterUpgrade: {
    resource: "cce.ClusterUpgrade",
    inputs: cceClusterUpgradeInputsSchema,
    outputs: cceClusterUpgradeOutputsSchema,
    states: [
      {
        clusterId: "c",
        targetVersion: "v1.29",
        upgradeTaskId: "t",
        phase: "Success",
        clusterVersion: "v1.29.5-r0",
      },
      {
        clusterId: "c",
        targetVersion: "v1.30",
        waitTimeoutMinutes: 0.005,
        workflowId: "w",
        precheckTaskId: "p",
        fromVersion: "v1.29.5-r0",
        gate: GATE,
        phase: "Running",
        upgradeTaskId: "t",
      },
      {
        clusterId: "c",
        targetVersion: "v1.30",
        phase: "AlreadyAtTarget",
        fromVersion: "v1.30.1-r0",
        clusterVersion: "v1.30.1-r0",
      },
    ],
    malformed: [
      [{ phase: 42 }, "phase"],
      [{ clusterVersion: { version: "v1.29" } }, "clusterVersion"],
      [{ gate: { ...GATE, verdict: 7 } }, "gate.verdict"],
      [
        { postCheckResult: { clusterVersion: "v1.30", reachedTarget: "yes" } },
        "postCheckResult.reachedTarget",
      ],
    ],
  },
  ackClusterCheck: {
    resource: "ack.ClusterCheck",
    inputs: ackClusterCheckInputsSchema,
    outputs: ackClusterCheckOutputsSchema,
    states: [{ clusterId: "c", targetVersion: "1.32.1-aliyun.1", checkId: "k", status: "Running" }],
    malformed: [
      [{ status: false }, "status"],
      [{ worstSeverity: "catastrophic" }, "worstSeverity"],
      [{ findings: ["finding"] }, "findings[0]"],
    ],
  },
  ackClusterUpgrade: {
    resource: "ack.ClusterUpgrade",
    inputs: ackClusterUpgradeInputsSchema,
    outputs: ackClusterUpgradeOutputsSchema,
    states: [
      {
        clusterId: "c",
        targetVersion: "1.31.1-aliyun.1",
        taskId: "T-1",
        phase: "success",
        clusterVersion: "1.31.1-aliyun.1",
      },
      {
        clusterId: "c",
        targetVersion: "1.32.1-aliyun.1",
        checkId: "k",
        gate: GATE,
        phase: "running",
        taskId: "T-1",
      },
    ],
    malformed: [
      [{ taskId: 1 }, "taskId"],
      [{ gate: { ...GATE, waived: "none" } }, "gate.waived"],
    ],
  },
};

const table = Object.entries(cases) as [ResourceName, Case][];
const keysOf = (schema: z.ZodObject) => Object.keys(schema.shape);
/** The computed outputs of a state: everything that is not an input. */
const computed = (c: Case, state: PropertyMap) =>
  Object.fromEntries(Object.entries(state).filter(([key]) => !keysOf(c.inputs).includes(key)));

describe.each(table)("%s", (name, c) => {
  it("has one input and one output schema, sharing no key", () => {
    expect(keysOf(c.inputs).filter((key) => keysOf(c.outputs).includes(key))).toEqual([]);
    expect(keysOf(c.outputs).length).toBeGreaterThan(0);
  });

  it("reads the state the previous version wrote, and keys another version wrote", () => {
    for (const state of c.states) {
      const written = { ...state, __provider: "provider text", writtenByAnotherVersion: { any: 1 } };
      const read = readOutputs(c.outputs, written, c.resource);
      expect(read).toMatchObject(computed(c, state));
      expect(read).not.toHaveProperty("__provider");
    }
  });

  it.each(c.malformed)("a malformed state names the field: %j", (field, path) => {
    const state = { ...c.states[0], ...field };
    const error = (() => {
      try {
        readOutputs(c.outputs, state, c.resource);
      } catch (thrown) {
        return thrown;
      }
      throw new Error("the malformed state was read");
    })() as StateError;
    expect(error).toBeInstanceOf(StateError);
    expect(error.code).toBe("INPUT_INVALID");
    expect(error.issues.map((issue) => issue.path)).toEqual([path]);
    expect(error.message).toContain(`${c.resource}: the outputs recorded in the Pulumi state are malformed`);
    expect(error.message).toContain(`  - ${path}: `);
  });

  it("update and refresh refuse a malformed state before any vendor call, naming the field", async () => {
    const lifecycle = resources[name];
    const [field, path] = c.malformed[0]!;
    const state = { ...c.states[0], ...field };
    const inputs = Object.fromEntries(
      Object.entries(state).filter(([key]) => keysOf(c.inputs).includes(key)),
    );
    // No emulator runs here: reaching the cloud would fail with a configuration error instead.
    await expect(lifecycle.update("id", state, inputs)).rejects.toThrow(namesField(path));
    if (name !== "cceUpgradeWorkflow")
      await expect(lifecycle.read("id", state)).rejects.toThrow(namesField(path));
  });
});

/** The line of a `StateError` message that names the field at `path`. */
function namesField(path: string): RegExp {
  return new RegExp(`\\n  - ${path.replace(/[.[\]]/g, "\\$&")}: `);
}

describe("delete of an upgrade", () => {
  const lines: string[] = [];
  beforeEach(() => setLogSink((level, line) => lines.push(`${level}: ${line}`)));
  afterEach(() => {
    setLogSink(undefined);
    lines.splice(0, lines.length);
  });

  it.each([
    ["cceClusterUpgrade", cases.cceClusterUpgrade],
    ["ackClusterUpgrade", cases.ackClusterUpgrade],
  ] as const)(
    "%s: reads the previous version's state; a malformed one is removed anyway, the log naming the field",
    async (name, c) => {
      const lifecycle = resources[name];
      for (const state of c.states) await expect(lifecycle.delete("id", state)).resolves.toBeUndefined();
      // What each state recorded reaches the log: the version it left, or the task still running.
      expect(lines).toEqual(
        c.states.map((state) =>
          state.clusterVersion === undefined
            ? expect.stringMatching(
                `^warn: .*stays on its current version and upgrade task id \\(\\w+ ${String(state.phase)}\\) is left running`,
              )
            : expect.stringMatching(
                `^info: .*stays on ${String(state.clusterVersion)}; removed from the state`,
              ),
        ),
      );
      // A delete is never stuck on a damaged state: an upgrade cannot be undone, delete only reports.
      const [field, path] = c.malformed[0]!;
      lines.splice(0, lines.length);
      await expect(lifecycle.delete("id", { ...c.states[0], ...field })).resolves.toBeUndefined();
      expect(lines[0]).toContain(`warn: upgrade-guard: ${c.resource}: the recorded state could not be read`);
      expect(lines[0]).toContain(`(${path})`);
    },
  );
});

describe("what a create writes", () => {
  const cloud = testCloudFor("each");

  const creates: [ResourceName, () => Promise<PropertyMap>][] = [
    [
      "cceClusterPrecheck",
      async () => ({ clusterId: cloud.clusterId("cce-blocked"), targetVersion: "v1.30" }),
    ],
    [
      "cceAddonPrecheck",
      async () => {
        const clusterId = cloud.clusterId("cce-blocked");
        const { tasks } = await functions.getAddonPrecheckTasks({ clusterId });
        const addonInstanceId = tasks.find((task) => task.addonTemplateName === "coredns")!.addonInstanceId!;
        return {
          clusterId,
          addons: [{ addonTemplateName: "coredns", addonInstanceId, targetVersion: "1.30.1" }],
        };
      },
    ],
    ["cceUpgradeWorkflow", async () => ({ clusterId: cloud.clusterId("cce-ready"), targetVersion: "v1.30" })],
    ["cceClusterUpgrade", async () => ({ clusterId: cloud.clusterId("cce-ready"), targetVersion: "v1.30" })],
    [
      "ackClusterCheck",
      async () => ({
        clusterId: cloud.clusterId("ack-ready"),
        type: "NodePoolUpgrade",
        nodePoolId: "np-default",
      }),
    ],
    [
      "ackClusterUpgrade",
      async () => ({ clusterId: cloud.clusterId("ack-ready"), targetVersion: "1.32.1-aliyun.1" }),
    ],
  ];

  it.each(creates)("%s: every key is in the schemas, and the outputs read back", async (name, make) => {
    const c = cases[name];
    const { outs } = await resources[name].create(await make());
    const known = [...keysOf(c.inputs), ...keysOf(c.outputs)];
    expect(Object.keys(outs).filter((key) => !known.includes(key))).toEqual([]);
    expect(readOutputs(c.outputs, outs, c.resource)).toMatchObject(computed(c, outs));
  });

  it("an interrupted create records only keys of the schemas", async () => {
    await cloud.emulator.control.loadScenario(SLOW);
    const c = cases.cceClusterPrecheck;
    const inputs = {
      clusterId: cloud.clusterId("cce-slow"),
      targetVersion: "v1.30",
      waitTimeoutMinutes: 0.005,
    };
    const error = (await resources.cceClusterPrecheck
      .create(inputs)
      .catch((e: unknown) => e)) as PartialCreateError;
    expect(error).toBeInstanceOf(PartialCreateError);
    const known = [...keysOf(c.inputs), ...keysOf(c.outputs)];
    expect(Object.keys(error.properties).filter((key) => !known.includes(key))).toEqual([]);
    expect(readOutputs(c.outputs, error.properties, c.resource)).toMatchObject({ taskId: error.id });
  });
});
