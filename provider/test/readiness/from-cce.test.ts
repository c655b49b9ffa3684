import {
  type CcePreCheckItemStatus,
  cceAddonCheckTaskListSchema,
  cceAddonCheckTaskSchema,
  cceNodeListSchema,
  cceNodePoolListSchema,
  ccePrecheckTaskSchema,
} from "../../src/clients/cce/schemas";
import {
  cceAddonCheckRef,
  cceAddonFindings,
  cceAddonTaskState,
  ccePrecheckCheckRef,
  ccePrecheckFindings,
  cceNodePoolIndex,
  ccePrecheckState,
  latestAddonChecks,
  mapCceAddonRisk,
  mapCcePrecheckItem,
} from "../../src/readiness/from-cce";
import { UNKNOWN_CREATION_TIME } from "../../src/readiness/model";

/** A ShowPreCheck body as CCE sends it (timestamps in Go format, as in the workflow seed). */
const precheckBody = {
  apiVersion: "v3",
  kind: "PreCheckTask",
  metadata: {
    uid: "pc-7",
    creationTimestamp: "2025-08-05 09:40:00.123456 +0000 UTC",
    updateTimestamp: "2025-08-05 09:45:00.5 +0000 UTC",
  },
  spec: { clusterID: "c-1", clusterVersion: "v1.29.5-r0", targetVersion: "v1.30" },
  status: {
    phase: "Failed",
    expireTimeStamp: "2025-08-05 10:45:00 +0000 UTC",
    message: "",
    clusterCheckStatus: {
      phase: "Failed",
      itemsStatus: [
        {
          name: "DeprecatedAPICheck",
          kind: "Risk",
          group: "LimitCheck",
          level: "Warning",
          phase: "Failed",
          message: "deprecated APIs in use",
          riskSource: {
            deprecatedAPIRisks: [
              { url: "/apis/policy/v1beta1/podsecuritypolicies", userAgent: "kubectl/v1.24" },
              { url: "/apis/batch/v1beta1/cronjobs" },
            ],
          },
        },
        {
          name: "MasterHealth",
          kind: "Risk",
          group: "MasterCheck",
          level: "Fatal",
          phase: "Success",
          message: "",
        },
        {
          name: "KubeletConfig",
          kind: "Risk",
          group: "LimitCheck",
          level: "Info",
          phase: "Failed",
          riskSource: {
            configurationRisks: [
              {
                package: "kubelet",
                sourceFile: "/opt/cloud/cce/kubernetes/kubelet/kubelet",
                field: "max-pods",
                operation: "modify",
                originalValue: "110",
                value: "256",
              },
            ],
          },
        },
      ],
    },
    addonCheckStatus: {
      phase: "Success",
      itemsStatus: [
        {
          name: "AddonCompatibility",
          kind: "Risk",
          group: "AddonCheck",
          level: "Warning",
          riskSource: {
            addonRisks: [{ addonTemplateName: "coredns", alias: "CoreDNS" }, { alias: "everest" }],
          },
        },
      ],
    },
    nodeCheckStatus: {
      phase: "Failed",
      nodeStageStatus: [
        {
          nodeInfo: { uid: "node-uid-1", name: "node-a", status: "Active", nodeType: "VirtualMachine" },
          itemsStatus: [
            {
              name: "NodeKernelCheck",
              kind: "Exception",
              group: "NodeCheck",
              level: "Warning",
              phase: "Failed",
              message: "kernel 3.10 is not supported",
              riskSource: { nodeRisks: [{ NodeID: "node-uid-1" }, { NodeID: "node-uid-9" }] },
            },
          ],
        },
        {
          nodeInfo: { uid: "node-uid-2" },
          itemsStatus: [{ name: "NodeDisk", kind: "Risk", level: "Fatal", phase: "Running" }],
        },
      ],
    },
  },
};

describe("CCE precheck item mapping", () => {
  // The three independent parts of the mapping, each spelled out.
  const severityAndWaivable: Array<[string | undefined, string | undefined, string, boolean]> = [
    // level, kind -> severity, waivable
    ["Info", "Risk", "info", true],
    ["Warning", "Risk", "warning", true],
    ["Fatal", "Risk", "fatal", false],
    ["Critical", "Risk", "unknown", true],
    [undefined, "Risk", "unknown", true],
    ["Info", "Exception", "fatal", false],
    ["Warning", "Exception", "fatal", false],
    ["Fatal", "Exception", "fatal", false],
    ["Critical", "Exception", "fatal", false],
    [undefined, "Exception", "fatal", false],
    ["Info", undefined, "info", true],
    ["Warning", undefined, "warning", true],
    ["Fatal", undefined, "fatal", false],
    ["fatal", "exception", "fatal", false],
    ["warning", undefined, "warning", true],
  ];
  const stateOfPhase: Array<[string | undefined, string]> = [
    ["Failed", "present"],
    ["Success", "passed"],
    ["Init", "pending"],
    ["Running", "pending"],
    ["Skipped", "present"],
    [undefined, "present"],
  ];
  const combinations = severityAndWaivable.flatMap(([level, kind, severity, waivable]) =>
    stateOfPhase.map(([phase, state]) => ({ level, kind, phase, severity, waivable, state })),
  );

  it.each(combinations)(
    "level $level, kind $kind, phase $phase -> $severity, $state, waivable $waivable",
    ({ level, kind, phase, severity, waivable, state }) => {
      const item: CcePreCheckItemStatus = {
        name: "SomeCheck",
        ...(level === undefined ? {} : { level }),
        ...(kind === undefined ? {} : { kind }),
        ...(phase === undefined ? {} : { phase }),
      };
      const finding = mapCcePrecheckItem(item, { checkId: "pc-1" });
      expect(finding).toMatchObject({
        severity,
        state,
        waivable,
        checkName: "SomeCheck",
        source: "cce-cluster-precheck",
      });
      expect(finding.vendorLevel).toBe(level);
      expect(finding.vendorKind).toBe(kind);
      expect(finding.raw).toBe(item);
    },
  );

  it("a Fatal item that passed is not present (docs/cce.md#open-questions Q2, assumed)", () => {
    const finding = mapCcePrecheckItem(
      { name: "MasterHealth", level: "Fatal", kind: "Risk", phase: "Success" },
      { checkId: "pc-1" },
    );
    expect(finding.state).toBe("passed");
  });

  it.each([
    ["Success", "passed"],
    ["Failed", "present"],
    ["Running", "pending"],
    [undefined, "present"],
  ])("an item without phase takes its group's phase %s -> %s", (groupPhase, state) => {
    const finding = mapCcePrecheckItem(
      { name: "X", level: "Warning" },
      { checkId: "pc-1", ...(groupPhase === undefined ? {} : { groupPhase }) },
    );
    expect(finding.state).toBe(state);
  });
});

describe("CCE precheck task mapping", () => {
  const task = ccePrecheckTaskSchema.parse(precheckBody);

  it("reads items from the cluster, add-on and node sections with what they affect", () => {
    const findings = ccePrecheckFindings(task);
    expect(findings.map((f) => [f.checkName, f.group, f.severity, f.state, f.waivable])).toEqual([
      ["DeprecatedAPICheck", "LimitCheck", "warning", "present", true],
      ["MasterHealth", "MasterCheck", "fatal", "passed", false],
      ["KubeletConfig", "LimitCheck", "info", "present", true],
      ["AddonCompatibility", "AddonCheck", "warning", "passed", true],
      ["NodeKernelCheck", "NodeCheck", "fatal", "present", false],
      ["NodeDisk", undefined, "fatal", "pending", false],
    ]);
    expect(findings.every((f) => f.checkId === "pc-7")).toBe(true);
    expect(findings[0]!.affected).toEqual({
      deprecatedApis: [
        "/apis/policy/v1beta1/podsecuritypolicies (used by kubectl/v1.24)",
        "/apis/batch/v1beta1/cronjobs",
      ],
    });
    expect(findings[2]!.affected.configurations).toEqual([
      {
        package: "kubelet",
        sourceFile: "/opt/cloud/cce/kubernetes/kubelet/kubelet",
        field: "max-pods",
        operation: "modify",
        originalValue: "110",
        value: "256",
      },
    ]);
    expect(findings[3]!.affected).toEqual({ addons: ["coredns", "everest"] });
    expect(findings[4]!.affected).toEqual({ nodes: ["node-a", "node-uid-1", "node-uid-9"] });
    expect(findings[5]!.affected).toEqual({ nodes: ["node-uid-2"] });
  });

  it("names the node pool of each node a finding concerns, by uid or name, DefaultPool outside custom pools", () => {
    // As ListNodes / ListNodePools send them: node-uid-1 is in the custom pool "gpu-pool"; node-uid-2
    // carries the synthetic az#flavor#os id CCE writes for nodes outside custom pools; node-uid-9 is
    // not listed (a node removed since the check), so it has no pool to name.
    const nodes = cceNodeListSchema.parse({
      kind: "List",
      items: [
        {
          metadata: {
            uid: "node-uid-1",
            name: "node-a",
            annotations: { "kubernetes.io/node-pool.id": "pool-1" },
          },
        },
        {
          metadata: {
            uid: "node-uid-2",
            name: "node-b",
            annotations: { "kubernetes.io/node-pool.id": "cn-north-4a#c7.large.2#EulerOS 2.9" },
          },
        },
        { metadata: { uid: "node-uid-3", name: "node-c" } },
      ],
    }).items;
    const pools = cceNodePoolListSchema.parse({
      items: [{ kind: "NodePool", metadata: { uid: "pool-1", name: "gpu-pool" } }],
    }).items;
    const index = cceNodePoolIndex(nodes, pools);
    expect([...index]).toEqual([
      ["node-uid-1", "gpu-pool"],
      ["node-a", "gpu-pool"],
      ["node-uid-2", "DefaultPool"],
      ["node-b", "DefaultPool"],
    ]);
    const findings = ccePrecheckFindings(task, index);
    expect(findings[4]!.affected).toEqual({
      nodes: ["node-a", "node-uid-1", "node-uid-9"],
      nodePools: ["gpu-pool"],
    });
    expect(findings[5]!.affected).toEqual({ nodes: ["node-uid-2"], nodePools: ["DefaultPool"] });
    // Findings about no node get no pools.
    expect(findings[0]!.affected.nodePools).toBeUndefined();
  });

  it("builds the check reference with normalized times", () => {
    expect(ccePrecheckCheckRef(task)).toEqual({
      id: "pc-7",
      kind: "cce-cluster-precheck",
      status: "Failed",
      state: "failed",
      createdAt: "2025-08-05T09:40:00.123Z",
      finishedAt: "2025-08-05T09:45:00.500Z",
      expiresAt: "2025-08-05T10:45:00.000Z",
      targetVersion: "v1.30",
      message: "",
    });
  });

  it.each([
    ["Success", "passed"],
    ["Failed", "failed"],
    ["Error", "error"],
    ["Init", "pending"],
    ["Running", "pending"],
    ["Paused", "pending"],
  ])("precheck phase %s -> check state %s", (phase, state) => {
    expect(ccePrecheckState(phase)).toBe(state);
  });

  it("has no finish time while running, and an ancient creation time when CCE sends none", () => {
    const running = ccePrecheckTaskSchema.parse({
      metadata: { uid: "pc-8", updateTimestamp: "2025-08-05T09:41:00Z" },
      status: { phase: "Running" },
    });
    const ref = ccePrecheckCheckRef(running);
    expect(ref.finishedAt).toBeUndefined();
    expect(ref.createdAt).toBe(UNKNOWN_CREATION_TIME);
    expect(ref.targetVersion).toBeUndefined();
    expect(ccePrecheckFindings(running)).toEqual([]);
  });
});

describe("CCE add-on check mapping", () => {
  // The seed example as published: `items` an object, `createTimestamp`, `riskList` beside `status`.
  const seedList = cceAddonCheckTaskListSchema.parse({
    kind: "AddonCheck",
    apiVersion: "v3",
    pageInfo: { currentCount: 1 },
    items: {
      metadata: {
        type: "addonUpgrade",
        taskID: "8ca259cc-553b-11e9-926f-0255ac101a31",
        addonTemplateName: "coredns",
        addonInstanceName: "cceaddon-coredns",
        addonInstanceID: "1d43577d-4b50-4723-b05b-2121f47cb219",
        createTimestamp: "2025-08-05T17:10:44.648388+08:00",
      },
      spec: { addonTargetVersion: "3.0.4" },
      status: { status: "Failed", message: "Addon task check finish" },
      riskList: [
        {
          riskName: "AddonStatus",
          status: "Failed",
          level: "Warning",
          message: "addon status(abnormal) is not running",
        },
        {
          riskName: "AddonValidate",
          status: "Failed",
          level: "Fatal",
          message: "configmap coredns had been modified",
        },
      ],
    },
  });
  const task = seedList.items[0]!;

  it("maps the seed example: a Failed task finished with one Warning and one Fatal risk", () => {
    expect(cceAddonCheckRef(task)).toEqual({
      id: "8ca259cc-553b-11e9-926f-0255ac101a31",
      kind: "cce-addon-check",
      status: "Failed",
      state: "failed",
      createdAt: "2025-08-05T09:10:44.648Z",
      message: "Addon task check finish",
    });
    const findings = cceAddonFindings(task);
    expect(findings.map((f) => [f.checkName, f.severity, f.state, f.waivable, f.group])).toEqual([
      ["AddonStatus", "warning", "present", true, "coredns"],
      ["AddonValidate", "fatal", "present", false, "coredns"],
    ]);
    expect(findings[1]).toMatchObject({
      source: "cce-addon-check",
      checkId: "8ca259cc-553b-11e9-926f-0255ac101a31",
      vendorLevel: "Fatal",
      message: "configmap coredns had been modified",
      affected: { addons: ["coredns"] },
      raw: {
        riskName: "AddonValidate",
        status: "Failed",
        level: "Fatal",
        message: "configmap coredns had been modified",
      },
    });
  });

  it.each([
    ["Warning", "Failed", "warning", "present", true],
    ["Warning", "Success", "warning", "passed", true],
    ["Warning", "Init", "warning", "pending", true],
    ["Warning", "Running", "warning", "pending", true],
    ["Fatal", "Failed", "fatal", "present", false],
    ["Fatal", "Success", "fatal", "passed", false],
    ["Fatal", "Running", "fatal", "pending", false],
    ["Fatal", "Whatever", "fatal", "present", false],
    ["Severe", "Failed", "unknown", "present", true],
    ["", "Failed", "unknown", "present", true],
  ])("risk level %s, status %s -> %s, %s, waivable %s", (level, status, severity, state, waivable) => {
    const finding = mapCceAddonRisk({ riskName: "R", level, status }, task);
    expect(finding).toMatchObject({ severity, state, waivable });
  });

  it.each([
    ["Init", "pending"],
    ["Running", "pending"],
    ["Success", "passed"],
    ["Failed", "failed"],
    ["Queued", "pending"],
  ])("task status %s -> check state %s", (status, state) => {
    expect(cceAddonTaskState(status)).toBe(state);
  });

  it("keeps the newest task per add-on instance and type, and the expiry of terminal tasks", () => {
    const make = (taskID: string, instance: string, type: string, created: string) =>
      cceAddonCheckTaskSchema.parse({
        metadata: {
          type,
          taskID,
          addonTemplateName: instance.split("-")[0],
          addonInstanceID: instance,
          createTimeStamp: created,
          expireTimeStamp: "2025-08-05T11:00:00Z",
        },
        status: { status: "Success", message: "ok" },
      });
    const tasks = [
      make("t1", "coredns-1", "addonUpgrade", "2025-08-05T09:00:00Z"),
      make("t2", "coredns-1", "addonUpgrade", "2025-08-05T09:30:00Z"),
      make("t3", "coredns-1", "addonStatic", "2025-08-05T09:45:00Z"),
      make("t4", "everest-1", "addonUpgrade", "2025-08-05T08:00:00Z"),
    ];
    expect(latestAddonChecks(tasks).map((t) => t.metadata.taskID)).toEqual(["t2", "t3", "t4"]);
    expect(cceAddonCheckRef(tasks[1]!).expiresAt).toBe("2025-08-05T11:00:00.000Z");
    expect(cceAddonFindings(tasks[1]!)).toEqual([]);
  });
});
