import { ackClusterCheckSchema } from "../../src/clients/ack/schemas";
import { cceAddonCheckTaskSchema, ccePrecheckTaskSchema } from "../../src/clients/cce/schemas";
import { InputError } from "../../src/errors";
import { buildAckSnapshot, buildCceAddonSnapshot, buildCceSnapshot } from "../../src/readiness/build";
import { snapshotDigest } from "../../src/readiness/digest";
import { evaluate } from "../../src/readiness/evaluate";
import { readinessSnapshotSchema } from "../../src/readiness/model";

const NOW = "2025-08-05T10:00:00.000Z";
const cceCluster = { id: "c-1", name: "prod", region: "cn-north-4", currentVersion: "v1.29.5-r0" };
const ackCluster = { id: "c0123", region: "cn-hangzhou", currentVersion: "1.31.1-aliyun.1" };

type Item = Record<string, unknown>;

function precheck(items: Item[], phase = "Success", target = "v1.30") {
  return ccePrecheckTaskSchema.parse({
    metadata: {
      uid: "pc-1",
      creationTimestamp: "2025-08-05T09:40:00Z",
      updateTimestamp: "2025-08-05T09:45:00Z",
    },
    spec: { clusterID: "c-1", clusterVersion: "v1.29.5-r0", targetVersion: target },
    status: {
      phase,
      expireTimeStamp: "2025-08-05T10:45:00Z",
      clusterCheckStatus: { phase, itemsStatus: items },
    },
  });
}

function addonTask(risks: Item[], status = "Failed") {
  return cceAddonCheckTaskSchema.parse({
    metadata: {
      type: "addonUpgrade",
      taskID: "addon-1",
      addonTemplateName: "coredns",
      addonInstanceID: "inst-1",
      createTimeStamp: "2025-08-05T09:41:00Z",
      expireTimeStamp: "2025-08-05T10:41:00Z",
    },
    status: { status, message: "Addon task check finish", riskList: risks },
  });
}

function ackCheck(items: Record<string, Item[]>, status = "Succeeded", type = "ClusterUpgrade") {
  return ackClusterCheckSchema.parse({
    check_id: "chk-1",
    type,
    status,
    created_at: "2025-08-05T09:50:00.123456789Z",
    finished_at: "2025-08-05T09:54:00Z",
    check_items: items,
  });
}

const warningItem = {
  name: "DeprecatedAPICheck",
  kind: "Risk",
  level: "Warning",
  phase: "Failed",
  group: "LimitCheck",
};
const fatalItem = {
  name: "NodeKernelCheck",
  kind: "Risk",
  level: "Fatal",
  phase: "Failed",
  group: "NodeCheck",
  message: "kernel too old",
};
const passedItem = {
  name: "MasterHealth",
  kind: "Risk",
  level: "Fatal",
  phase: "Success",
  group: "MasterCheck",
};

describe("buildCceSnapshot", () => {
  it("assembles a valid snapshot whose verdict is evaluate's", () => {
    const snapshot = buildCceSnapshot({
      cluster: cceCluster,
      targetVersion: "v1.30",
      precheck: precheck([warningItem, passedItem]),
      addonChecks: [addonTask([{ riskName: "AddonStatus", level: "Warning", status: "Failed" }])],
      now: NOW,
    });
    expect(readinessSnapshotSchema.parse(snapshot)).toEqual(snapshot);
    expect(snapshot).toMatchObject({
      cloud: "cce",
      clusterId: "c-1",
      clusterName: "prod",
      region: "cn-north-4",
      currentVersion: "v1.29.5-r0",
      targetVersion: "v1.30",
      worstSeverity: "warning",
      verdict: "ready",
      observedAt: NOW,
    });
    expect(snapshot.checks.map((c) => [c.id, c.kind, c.state])).toEqual([
      ["pc-1", "cce-cluster-precheck", "passed"],
      ["addon-1", "cce-addon-check", "failed"],
    ]);
    const evaluation = evaluate(snapshot);
    expect(snapshot.verdict).toBe(evaluation.verdict);
    expect(snapshot.reasons).toEqual(evaluation.reasons);
    expect(evaluation.warnings.map((f) => f.checkName)).toEqual(["AddonStatus", "DeprecatedAPICheck"]);
    expect(snapshot.digest).toBe(snapshotDigest(snapshot));
  });

  it("orders findings worst first, whatever order CCE listed them in", () => {
    const a = buildCceSnapshot({
      cluster: cceCluster,
      targetVersion: "v1.30",
      precheck: precheck([passedItem, warningItem, fatalItem], "Failed"),
      now: NOW,
    });
    const b = buildCceSnapshot({
      cluster: cceCluster,
      targetVersion: "v1.30",
      precheck: precheck([fatalItem, passedItem, warningItem], "Failed"),
      now: NOW,
    });
    expect(a.findings.map((f) => f.checkName)).toEqual([
      "NodeKernelCheck",
      "DeprecatedAPICheck",
      "MasterHealth",
    ]);
    expect(b.digest).toBe(a.digest);
  });

  it("gives the same digest for the same facts observed later, and another for other facts", () => {
    const args = { cluster: cceCluster, targetVersion: "v1.30", precheck: precheck([warningItem]) };
    const first = buildCceSnapshot({ ...args, now: NOW });
    const later = buildCceSnapshot({ ...args, now: "2025-08-05T10:30:00Z" });
    const other = buildCceSnapshot({
      ...args,
      precheck: precheck([{ ...warningItem, message: "new" }]),
      now: NOW,
    });
    expect(later.digest).toBe(first.digest);
    expect(later.observedAt).not.toBe(first.observedAt);
    expect(other.digest).not.toBe(first.digest);
  });

  it("blocks on a Fatal precheck item and names it", () => {
    const snapshot = buildCceSnapshot({
      cluster: cceCluster,
      targetVersion: "v1.30",
      precheck: precheck([fatalItem], "Failed"),
      now: NOW,
    });
    expect(snapshot.verdict).toBe("blocked");
    expect(snapshot.worstSeverity).toBe("fatal");
    expect(snapshot.reasons.join("\n")).toMatch(
      /Blocking: NodeKernelCheck \[Fatal\/Risk\] in NodeCheck from cce-cluster-precheck pc-1: kernel too old/,
    );
  });

  it("blocks on a Failed precheck whose only readable item is Info", () => {
    const info = {
      name: "ClusterVersionNotice",
      group: "MasterCheck",
      kind: "Risk",
      level: "Info",
      phase: "Failed",
    };
    const snapshot = buildCceSnapshot({
      cluster: cceCluster,
      targetVersion: "v1.30",
      precheck: precheck([info], "Failed"),
      now: NOW,
    });
    expect(snapshot.verdict).toBe("blocked");
    expect(snapshot.reasons.join("\n")).toMatch(
      /pc-1 \(Failed, .*\) failed but reported no problem upgrade-guard could read \(its only readable items are informational: ClusterVersionNotice\)/,
    );
  });

  it("blocks on a Fatal add-on risk", () => {
    const snapshot = buildCceSnapshot({
      cluster: cceCluster,
      targetVersion: "v1.30",
      precheck: precheck([]),
      addonChecks: [
        addonTask([
          { riskName: "AddonValidate", level: "Fatal", status: "Failed", message: "corefile modified" },
        ]),
      ],
      now: NOW,
    });
    expect(snapshot.verdict).toBe("blocked");
    expect(snapshot.reasons.join("\n")).toMatch(
      /AddonValidate \[Fatal\] in coredns from cce-addon-check addon-1: corefile modified/,
    );
  });

  it("is unknown without a precheck, and uses the evaluate options it is given", () => {
    expect(buildCceSnapshot({ cluster: cceCluster, targetVersion: "v1.30", now: NOW }).verdict).toBe(
      "unknown",
    );
    const relaxed = buildCceSnapshot({
      cluster: cceCluster,
      targetVersion: "v1.30",
      now: NOW,
      evaluateOptions: { missingCheckBlocks: false },
    });
    expect(relaxed.reasons[0]).toMatch(/may proceed \(verdict unknown\)/);
  });

  it("is ready with no version change, whatever the checks say", () => {
    const snapshot = buildCceSnapshot({
      cluster: { ...cceCluster, currentVersion: "v1.30.4-r0" },
      targetVersion: "v1.30",
      precheck: precheck([fatalItem], "Failed"),
      now: NOW,
    });
    expect(snapshot.verdict).toBe("ready");
    expect(snapshot.reasons.join("\n")).toMatch(/no version change/);
  });

  it("accepts epoch milliseconds for now and rejects bad arguments", () => {
    expect(
      buildCceSnapshot({ cluster: cceCluster, targetVersion: "v1.30", now: Date.parse(NOW) }).observedAt,
    ).toBe(NOW);
    expect(() =>
      buildCceSnapshot({ cluster: { ...cceCluster, region: "" }, targetVersion: "", now: "soon" }),
    ).toThrow(InputError);
  });

  it("validates the vendor tasks with the clients' schemas, naming each bad field", () => {
    const base = { cluster: cceCluster, targetVersion: "v1.30", now: NOW };
    expect(() => buildCceSnapshot({ ...base, precheck: { metadata: {}, status: {} } as never })).toThrow(
      /buildCceSnapshot[\s\S]*precheck\.metadata\.uid: Invalid input: expected string, received undefined/,
    );
    // A precheck id of another type would give findings a bad check id: refused instead.
    expect(() =>
      buildCceSnapshot({ ...base, precheck: { metadata: { uid: 7 }, status: { phase: "Failed" } } as never }),
    ).toThrow(/precheck\.metadata\.uid: Invalid input: expected string, received number/);
    const task = addonTask([{ riskName: "AddonStatus", level: "Warning", status: "Failed" }]);
    let caught: unknown;
    try {
      buildCceSnapshot({
        ...base,
        addonChecks: [task, { ...task, status: { status: "Failed", riskList: [null] } }, "t-3"] as never,
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).issues).toEqual([
      { path: "addonChecks.1.status.riskList.0", message: "Invalid input: expected object, received null" },
      { path: "addonChecks.2", message: "Invalid input: expected object, received string" },
    ]);
  });

  it("normalizes a task as the vendor sent it exactly as the client does", () => {
    const body = {
      metadata: { uid: "pc-1", creationTimestamp: "2025-08-05 09:40:00 +0000 UTC" },
      spec: { targetVersion: "v1.30" },
      status: { phase: "Failed", clusterCheckStatus: { phase: "Failed", itemsStatus: fatalItem } },
    };
    const base = { cluster: cceCluster, targetVersion: "v1.30", now: NOW };
    const fromBody = buildCceSnapshot({ ...base, precheck: body as never });
    expect(fromBody).toEqual(buildCceSnapshot({ ...base, precheck: ccePrecheckTaskSchema.parse(body) }));
    expect(fromBody.checks[0]?.createdAt).toBe("2025-08-05T09:40:00.000Z");
    expect(fromBody.findings.map((f) => [f.checkName, f.state, f.severity])).toEqual([
      ["NodeKernelCheck", "present", "fatal"],
    ]);
  });
});

describe("buildAckSnapshot", () => {
  it("is ready when every item is normal", () => {
    const snapshot = buildAckSnapshot({
      cluster: ackCluster,
      targetVersion: "1.32.1-aliyun.1",
      check: ackCheck({ "Cluster Resources": [{ name: "VPC", status: "normal" }] }),
      checkTargetVersion: "1.32.1-aliyun.1",
      now: NOW,
    });
    expect(snapshot).toMatchObject({ cloud: "ack", verdict: "ready", worstSeverity: "none" });
    expect(snapshot.checks[0]).toMatchObject({
      id: "chk-1",
      targetVersion: "1.32.1-aliyun.1",
      createdAt: "2025-08-05T09:50:00.123Z",
    });
    expect(readinessSnapshotSchema.parse(snapshot)).toEqual(snapshot);
  });

  it("blocks on a failed item, and on an unreadable one", () => {
    const failed = buildAckSnapshot({
      cluster: ackCluster,
      targetVersion: "1.32.1-aliyun.1",
      check: ackCheck(
        { "Cluster Components": [{ name: "Kubelet", status: "failed", message: "version skew" }] },
        "Failed",
      ),
      now: NOW,
    });
    expect(failed.verdict).toBe("blocked");
    expect(failed.reasons.join("\n")).toMatch(
      /Blocking: Kubelet \[fatal\] in Cluster Components from ack-cluster-check chk-1: version skew/,
    );
    const unreadable = buildAckSnapshot({
      cluster: ackCluster,
      targetVersion: "1.32.1-aliyun.1",
      check: ackCheck({ key: [{ test: "test" }] }),
      now: NOW,
    });
    expect(unreadable.verdict).toBe("blocked");
    expect(unreadable.worstSeverity).toBe("unknown");
  });

  it("blocks on a Failed check whose only readable item is a tip", () => {
    const snapshot = buildAckSnapshot({
      cluster: ackCluster,
      targetVersion: "1.32.1-aliyun.1",
      check: ackCheck({ ClusterConfig: [{ name: "Tip", level: "tip" }] }, "Failed"),
      checkTargetVersion: "1.32.1-aliyun.1",
      now: NOW,
    });
    expect(snapshot.verdict).toBe("blocked");
    expect(snapshot.reasons.join("\n")).toMatch(/only readable items are informational: Tip/);
  });

  it("ignores a check made for another target", () => {
    const snapshot = buildAckSnapshot({
      cluster: ackCluster,
      targetVersion: "1.32.1-aliyun.1",
      check: ackCheck({}),
      checkTargetVersion: "1.31.2-aliyun.1",
      now: NOW,
    });
    expect(snapshot.verdict).toBe("unknown");
  });

  it("is unknown without a check, pending while it runs, stale after an hour", () => {
    const base = { cluster: ackCluster, targetVersion: "1.32.1-aliyun.1" };
    expect(buildAckSnapshot({ ...base, now: NOW }).verdict).toBe("unknown");
    expect(buildAckSnapshot({ ...base, check: ackCheck({}, "Running"), now: NOW }).verdict).toBe("pending");
    expect(buildAckSnapshot({ ...base, check: ackCheck({}), now: "2025-08-05T10:51:00Z" }).verdict).toBe(
      "stale",
    );
  });

  it("refuses a check that is not about a cluster upgrade", () => {
    expect(() =>
      buildAckSnapshot({
        cluster: ackCluster,
        targetVersion: "1.32.1-aliyun.1",
        check: ackCheck({}, "Succeeded", "ClusterMigrate"),
        now: NOW,
      }),
    ).toThrow(/chk-1 is a ClusterMigrate check/);
  });

  it("validates the check with the client's schema, naming every bad field", () => {
    let caught: unknown;
    try {
      buildAckSnapshot({
        cluster: ackCluster,
        targetVersion: "1.32.1-aliyun.1",
        check: { check_id: 42, status: null, created_at: "yesterday", check_items: [] } as never,
        now: NOW,
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).message).toContain("buildAckSnapshot");
    expect((caught as InputError).issues).toEqual([
      { path: "check.check_id", message: "Invalid input: expected string, received number" },
      { path: "check.status", message: "Invalid input: expected string, received null" },
      { path: "check.created_at", message: 'not a timestamp: "yesterday"' },
      { path: "check.check_items", message: "Invalid input: expected record, received array" },
    ]);
  });
});

describe("buildCceAddonSnapshot", () => {
  const base = {
    clusterId: "c-1",
    region: "cn-north-4",
    addonTemplateName: "coredns",
    installedVersion: "1.29.4",
    targetVersion: "1.30.1",
    now: NOW,
  };
  const risks = [
    { riskName: "AddonStatus", level: "Warning", status: "Failed", message: "addon status is not running" },
    { riskName: "AddonValidate", level: "Fatal", status: "Failed", message: "configmap coredns modified" },
  ];

  it("judges the add-on version change by its add-on check alone", () => {
    const snapshot = buildCceAddonSnapshot({ ...base, check: addonTask(risks) });
    expect(snapshot).toMatchObject({
      cloud: "cce",
      clusterId: "c-1",
      region: "cn-north-4",
      currentVersion: "coredns 1.29.4",
      targetVersion: "coredns 1.30.1",
      worstSeverity: "fatal",
      verdict: "blocked",
      observedAt: NOW,
    });
    expect(snapshot.checks).toEqual([
      {
        id: "addon-1",
        kind: "cce-addon-check",
        status: "Failed",
        state: "failed",
        createdAt: "2025-08-05T09:41:00.000Z",
        expiresAt: "2025-08-05T10:41:00.000Z",
        message: "Addon task check finish",
      },
    ]);
    expect(snapshot.findings.map((f) => [f.checkName, f.severity, f.state, f.waivable, f.group])).toEqual([
      ["AddonValidate", "fatal", "present", false, "coredns"],
      ["AddonStatus", "warning", "present", true, "coredns"],
    ]);
    expect(readinessSnapshotSchema.parse(snapshot)).toEqual(snapshot);
    expect(snapshot.digest).toBe(snapshotDigest(snapshot));
    expect(evaluate(snapshot, { missingCheckBlocks: false }).verdict).toBe(snapshot.verdict);
  });

  it("allows a clean check: no cluster precheck blocks an add-on snapshot unless asked to", () => {
    const clean = buildCceAddonSnapshot({ ...base, check: addonTask([], "Success") });
    expect(clean.worstSeverity).toBe("none");
    // evaluate's verdict for a snapshot without a cluster precheck, which does not block here.
    expect(clean.verdict).toBe("unknown");
    expect(clean.reasons.join("\n")).toMatch(/does not block because missingCheckBlocks is false/);
    expect(evaluate(clean, { missingCheckBlocks: false }).allowed).toBe(true);
    const strict = buildCceAddonSnapshot({
      ...base,
      check: addonTask([], "Success"),
      evaluateOptions: { missingCheckBlocks: true },
    });
    expect(strict.verdict).toBe("unknown");
    expect(strict.reasons.join("\n")).not.toMatch(/does not block/);
  });

  it("is pending while the check runs, and stale once it expired", () => {
    expect(buildCceAddonSnapshot({ ...base, check: addonTask([], "Running") }).verdict).toBe("pending");
    expect(
      buildCceAddonSnapshot({ ...base, check: addonTask([], "Success"), now: "2025-08-05T10:42:00Z" })
        .verdict,
    ).toBe("stale");
  });

  it("refuses a check of another add-on, and names every bad argument", () => {
    expect(() =>
      buildCceAddonSnapshot({ ...base, addonTemplateName: "everest", check: addonTask([]) }),
    ).toThrow(
      /buildCceAddonSnapshot[\s\S]*check\.metadata\.addonTemplateName: check addon-1 is for the coredns add-on, not everest/,
    );
    let caught: unknown;
    try {
      buildCceAddonSnapshot({ ...base, installedVersion: "", check: { metadata: {}, status: {} } } as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).issues.map((issue) => issue.path)).toEqual([
      "installedVersion",
      "check.metadata.type",
      "check.metadata.taskID",
      "check.metadata.addonTemplateName",
      "check.metadata.createTimeStamp",
      "check.status.status",
    ]);
  });
});
