// Plain JavaScript and JSON callers can hand the public functions anything. Each one either names
// the bad field in an InputError (validated with zod at the boundary) or, for the redaction helpers
// used on error paths, copes; none may fail with a TypeError from deep inside.
import * as provider from "../src/index";
import { InputError } from "../src/errors";

type Exported = Record<string, (...args: unknown[]) => unknown>;
const api = provider as unknown as Exported;

const cluster = { id: "c-1", region: "cn-north-4", currentVersion: "v1.29.5-r0" };
const cce = { cluster, targetVersion: "v1.30", now: "2025-08-05T10:00:00Z" };
const ack = { cluster: { ...cluster, currentVersion: "1.31.1-aliyun.1" }, targetVersion: "1.32.1", now: 0 };
const addon = {
  clusterId: "c-1",
  region: "cn-north-4",
  addonTemplateName: "coredns",
  installedVersion: "1.29.4",
  targetVersion: "1.30.1",
  now: 0,
};
const addonTask = {
  metadata: { type: "addonUpgrade", taskID: "t-1", addonTemplateName: "coredns", createTimeStamp: 0 },
  status: { status: "Success" },
};

const mustName: ReadonlyArray<[name: string, args: unknown[], path: string]> = [
  ["buildCceSnapshot", [{ ...cce, precheck: null }], "precheck"],
  ["buildCceSnapshot", [{ ...cce, precheck: { metadata: {}, status: {} } }], "precheck.metadata.uid"],
  ["buildCceSnapshot", [{ ...cce, precheck: { metadata: {}, status: {} } }], "precheck.status.phase"],
  ["buildCceSnapshot", [{ ...cce, precheck: { metadata: { uid: "pc-1" } } }], "precheck.status"],
  ["buildCceSnapshot", [{ ...cce, addonChecks: {} }], "addonChecks"],
  ["buildCceSnapshot", [{ ...cce, addonChecks: [null] }], "addonChecks.0"],
  [
    "buildCceSnapshot",
    [{ ...cce, addonChecks: [{ ...addonTask, metadata: {} }] }],
    "addonChecks.0.metadata.taskID",
  ],
  [
    "buildCceSnapshot",
    [{ ...cce, addonChecks: [{ ...addonTask, status: { status: "Failed", riskList: ["none"] } }] }],
    "addonChecks.0.status.riskList.0",
  ],
  ["buildCceSnapshot", [{ ...cce, upgradesInFlight: [{ kind: "x" }] }], "upgradesInFlight.0.kind"],
  ["buildAckSnapshot", [{ ...ack, check: "chk-1" }], "check"],
  ["buildAckSnapshot", [{ ...ack, check: { check_id: "chk-1" } }], "check.status"],
  ["buildAckSnapshot", [{ ...ack, check: { status: "Failed" } }], "check.check_id"],
  [
    "buildAckSnapshot",
    [{ ...ack, check: { check_id: "c", status: "Failed", check_items: "x" } }],
    "check.check_items",
  ],
  ["buildCceAddonSnapshot", [{ ...addon, check: "task-1" }], "check"],
  ["buildCceAddonSnapshot", [{ ...addon, check: { metadata: {}, status: {} } }], "check.metadata.taskID"],
  ["buildCceAddonSnapshot", [{ ...addon, check: { ...addonTask, status: {} } }], "check.status.status"],
  ["buildCceAddonSnapshot", [{ ...addon, installedVersion: 7, check: addonTask }], "installedVersion"],
  [
    "buildCceAddonSnapshot",
    [{ ...addon, addonTemplateName: "everest", check: addonTask }],
    "check.metadata.addonTemplateName",
  ],
  ["evaluate", [{ cloud: "gcp" }], "cloud"],
  ["summarizeReadiness", [null], "snapshot"],
  ["summarizeReadiness", [{ cloud: "cce", targetVersion: "v1.30", checks: null }], "snapshot.checks"],
  ["snapshotDigest", [null], "snapshot"],
  ["snapshotDigest", [{ cloud: "cce", findings: "none" }], "snapshot.findings"],
  ["createTransport", [null], "options"],
  ["createTransport", [{ retry: 3 }], "retry"],
  ["createCceClient", [null], "options"],
  ["createCceClient", [{ transport: { limits: { burst: -1 } } }], "transport.limits.burst"],
  ["createAckClient", [{ clock: 5 }], "clock"],
  ["checkFreshness", [undefined, { now: 0 }], "check"],
  ["checkExpiresAt", [{ createdAt: 7 }], "check.createdAt"],
  ["selectLatestCheck", ["items", {}], "items"],
  ["nextPollInterval", [null, 2_500, 30_000], "elapsedMs"],
  ["nextPollInterval", [1_000, 2_500, Number.NaN], "maxIntervalMs"],
];

describe("public functions called with the wrong shape", () => {
  it.each(mustName)("%s throws an InputError naming the bad field (case %#)", (name, args, path) => {
    const fn = api[name];
    expect(typeof fn).toBe("function");
    let caught: unknown;
    try {
      fn?.(...args);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).message).toContain(name);
    expect((caught as InputError).issues.map((issue) => issue.path)).toContain(path);
  });

  it("the redaction helpers, used on error paths, never throw", () => {
    for (const value of [null, undefined, 42, {}]) {
      expect(typeof provider.redact(value as never)).toBe("string");
      expect(provider.redactHeaders(value as never)).toEqual({});
      expect(() => provider.registerSecret(value as never)).not.toThrow();
    }
  });
});
