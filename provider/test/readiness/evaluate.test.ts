import { InputError } from "../../src/errors";
import { type EvaluateOptions, type Waiver, evaluate } from "../../src/readiness/evaluate";
import { formatDuration } from "../../src/readiness/format";
import { type ReadinessSnapshot } from "../../src/readiness/model";
import { OBSERVED_AT, finding, precheck, snapshot } from "./fixtures";

const waiver = (overrides: Partial<Waiver> = {}): Waiver => ({
  checkName: "AddonStatus",
  clusterId: "c-1",
  reason: "coredns restarts are expected during the maintenance window",
  owner: "alice@example.com",
  expires: "2025-08-06T00:00:00Z",
  ...overrides,
});

const addonWarning = finding({
  source: "cce-addon-check",
  checkId: "addon-task-1",
  checkName: "AddonStatus",
  group: undefined,
  severity: "warning",
  vendorLevel: "Warning",
  vendorKind: undefined,
  waivable: true,
  message: "addon status(abnormal) is not running",
  affected: { addons: ["coredns"] },
});
const waivableUnknown = finding({
  source: "ack-cluster-check",
  checkId: "chk-1",
  checkName: "AddonStatus",
  group: "ClusterComponents",
  severity: "unknown",
  vendorLevel: undefined,
  vendorKind: undefined,
  waivable: true,
  message: "result unreadable",
  affected: {},
});
const ackCheck = precheck({
  id: "chk-1",
  kind: "ack-cluster-check",
  status: "Succeeded",
  expiresAt: undefined,
  targetVersion: "1.32.1-aliyun.1",
});
const ackSnapshot = (overrides: Partial<ReadinessSnapshot> = {}): ReadinessSnapshot =>
  snapshot({
    cloud: "ack",
    region: "cn-hangzhou",
    currentVersion: "1.31.1-aliyun.1",
    targetVersion: "1.32.1-aliyun.1",
    checks: [ackCheck],
    ...overrides,
  });

interface Case {
  snapshot: ReadinessSnapshot;
  options?: EvaluateOptions;
  allowed: boolean;
  verdict: ReadinessSnapshot["verdict"];
  blocking?: string[];
  warnings?: string[];
  applied?: string[];
  refused?: RegExp[];
  reasons?: RegExp[];
  /** Reasons that must not be there. */
  absentReasons?: RegExp[];
  /** Whether the target itself is refused (the fix is another target), when the case says. */
  targetRefused?: boolean;
}

const cases: Record<string, Case> = {
  "no version change (minor target, cluster inside it): allowed without any check": {
    snapshot: snapshot({
      currentVersion: "v1.30.4-r0",
      targetVersion: "v1.30",
      checks: [],
      findings: [finding()],
    }),
    allowed: true,
    verdict: "ready",
    reasons: [/already on v1\.30\.4-r0, which satisfies target v1\.30: no version change/],
  },
  "no check at all: unknown, blocked": {
    snapshot: snapshot({ checks: [] }),
    allowed: false,
    verdict: "unknown",
    reasons: [
      /may not proceed: its readiness is unknown, since no check was found for the target \(verdict unknown\)/,
      /No cce-cluster-precheck for v1\.30 .*cluster prod \(c-1\)/,
      /CreatePreCheck/,
    ],
  },
  "no check, missingCheckBlocks off: unknown, allowed": {
    snapshot: snapshot({ checks: [] }),
    options: { missingCheckBlocks: false },
    allowed: true,
    verdict: "unknown",
    reasons: [/may proceed \(verdict unknown\)/, /missingCheckBlocks is false/],
  },
  "only an add-on check, no cluster precheck: unknown": {
    snapshot: snapshot({
      checks: [precheck({ id: "addon-task-1", kind: "cce-addon-check", targetVersion: undefined })],
    }),
    allowed: false,
    verdict: "unknown",
  },
  "ACK without a check: tells how to run one": {
    snapshot: ackSnapshot({ checks: [] }),
    allowed: false,
    verdict: "unknown",
    reasons: [/RunClusterCheck, type ClusterUpgrade/],
  },
  "a check for another target is ignored, so the check is missing": {
    snapshot: snapshot({ checks: [precheck({ targetVersion: "v1.29" })], findings: [finding()] }),
    allowed: false,
    verdict: "unknown",
    blocking: [],
    reasons: [/Ignored cce-cluster-precheck pc-1: it was made for v1\.29, not v1\.30/],
  },
  "a patch-level check serves a minor target": {
    snapshot: snapshot({ checks: [precheck({ targetVersion: "v1.30.4-r0" })] }),
    allowed: true,
    verdict: "ready",
  },
  "check still running: pending, blocked": {
    snapshot: snapshot({
      checks: [
        precheck({ status: "Running", state: "pending", finishedAt: undefined, expiresAt: undefined }),
      ],
    }),
    allowed: false,
    verdict: "pending",
    reasons: [
      /cce-cluster-precheck pc-1 \(Running, created 2025-08-05T09:50:00.000Z, 10 min old\) has not finished/,
    ],
  },
  "check still running, pendingBlocks off: pending, allowed": {
    snapshot: snapshot({ checks: [precheck({ status: "Running", state: "pending", expiresAt: undefined })] }),
    options: { pendingBlocks: false },
    allowed: true,
    verdict: "pending",
    reasons: [/pendingBlocks is false/],
  },
  "pendingBlocks off does not hide a fatal finding": {
    snapshot: snapshot({
      checks: [
        precheck(),
        precheck({ id: "addon-task-2", kind: "cce-addon-check", state: "pending", status: "Running" }),
      ],
      findings: [finding()],
    }),
    options: { pendingBlocks: false },
    allowed: false,
    verdict: "blocked",
    blocking: ["NodeKernelCheck"],
  },
  "a finished check with an item still pending: pending": {
    snapshot: snapshot({ findings: [finding({ state: "pending", checkName: "MasterCheck" })] }),
    allowed: false,
    verdict: "pending",
    reasons: [/Check item MasterCheck from cce-cluster-precheck pc-1 has no result yet/],
  },
  "vendor expiry passed: stale": {
    snapshot: snapshot({ checks: [precheck({ expiresAt: "2025-08-05T09:59:59.000Z" })] }),
    allowed: false,
    verdict: "stale",
    reasons: [/is stale: its result expired at 2025-08-05T09:59:59.000Z\. Run the check again/],
  },
  "ACK check (no vendor expiry) older than the default hour: stale": {
    snapshot: ackSnapshot({ checks: [precheck({ ...ackCheck, createdAt: "2025-08-05T08:59:00.000Z" })] }),
    allowed: false,
    verdict: "stale",
    reasons: [/1 h 1 min old\) is stale: it is older than the maximum age of 1 h/],
  },
  "ACK check younger than an hour: ready": {
    snapshot: ackSnapshot(),
    allowed: true,
    verdict: "ready",
    reasons: [
      /may proceed \(verdict ready\): ack-cluster-check chk-1 \(Succeeded, .* 10 min old\) found nothing that blocks/,
    ],
  },
  "explicit maxAgeMs is stricter than the vendor expiry: stale": {
    snapshot: snapshot(),
    options: { maxAgeMs: 5 * 60_000 },
    allowed: false,
    verdict: "stale",
    reasons: [/older than the maximum age of 5 min/],
  },
  "check ended in error: blocked": {
    snapshot: snapshot({
      checks: [precheck({ status: "Error", state: "error", message: "internal error: etcd timeout" })],
    }),
    allowed: false,
    verdict: "blocked",
    reasons: [/ended in error without a result: internal error: etcd timeout\. Run it again/],
  },
  "check failed without readable findings: blocked": {
    snapshot: ackSnapshot({ checks: [precheck({ ...ackCheck, status: "Failed", state: "failed" })] }),
    allowed: false,
    verdict: "blocked",
    reasons: [/failed but reported no problem upgrade-guard could read/],
  },
  "check failed with only an info finding: blocked, an info item does not explain the failure": {
    snapshot: snapshot({
      checks: [precheck({ status: "Failed", state: "failed" })],
      findings: [
        finding({ checkName: "ClusterVersionNotice", severity: "info", vendorLevel: "Info", waivable: true }),
      ],
    }),
    allowed: false,
    verdict: "blocked",
    blocking: [],
    reasons: [
      /failed but reported no problem upgrade-guard could read \(its only readable items are informational: ClusterVersionNotice\)\. Inspect it in the console, fix what made it fail and run it again/,
    ],
  },
  "check failed with a warning finding: the warning explains it, ready with the warning": {
    snapshot: snapshot({
      checks: [precheck({ status: "Failed", state: "failed" })],
      findings: [finding({ severity: "warning", vendorLevel: "Warning", waivable: true })],
    }),
    allowed: true,
    verdict: "ready",
    warnings: ["NodeKernelCheck"],
    absentReasons: [/reported no problem/],
  },
  "fatal finding: blocked, named with level, message and affected nodes, not waivable": {
    snapshot: snapshot({ checks: [precheck({ status: "Failed", state: "failed" })], findings: [finding()] }),
    allowed: false,
    verdict: "blocked",
    blocking: ["NodeKernelCheck"],
    reasons: [
      /Blocking: NodeKernelCheck \[Fatal\/Risk\] in NodeCheck from cce-cluster-precheck pc-1: kernel 3\.10 unsupported\. Affected: nodes node-a\./,
      /cannot be waived/,
    ],
  },
  "warning finding: ready, listed as a warning": {
    snapshot: snapshot({ findings: [addonWarning] }),
    allowed: true,
    verdict: "ready",
    warnings: ["AddonStatus"],
    reasons: [
      /Warning \(does not block\): AddonStatus \[Warning\] from cce-addon-check addon-task-1: addon status\(abnormal\) is not running\. Affected: add-ons coredns\./,
    ],
  },
  "info finding: ready, not even a warning": {
    snapshot: snapshot({ findings: [finding({ severity: "info", vendorLevel: "Info", waivable: true })] }),
    allowed: true,
    verdict: "ready",
    warnings: [],
  },
  "a passed fatal-level item does not block": {
    snapshot: snapshot({ findings: [finding({ state: "passed" })] }),
    allowed: true,
    verdict: "ready",
    blocking: [],
  },
  "unknown severity blocks by default": {
    snapshot: ackSnapshot({ findings: [waivableUnknown] }),
    allowed: false,
    verdict: "blocked",
    blocking: ["AddonStatus"],
    reasons: [/or waive it with \{ checkName: "AddonStatus", clusterId: "c-1", reason, owner, expires \}/],
  },
  "blockingSeverities without unknown: unknown becomes a warning": {
    snapshot: ackSnapshot({ findings: [waivableUnknown] }),
    options: { blockingSeverities: ["fatal"] },
    allowed: true,
    verdict: "ready",
    warnings: ["AddonStatus"],
  },
  "blockingSeverities with warning: a warning blocks": {
    snapshot: snapshot({ findings: [addonWarning] }),
    options: { blockingSeverities: ["fatal", "warning", "unknown"] },
    allowed: false,
    verdict: "blocked",
    blocking: ["AddonStatus"],
  },
  "valid waiver on a waivable finding: allowed": {
    snapshot: ackSnapshot({ findings: [waivableUnknown] }),
    options: { waivers: [waiver()] },
    allowed: true,
    verdict: "ready",
    blocking: [],
    applied: ["AddonStatus"],
    reasons: [/Waived by alice@example\.com until 2025-08-06T00:00:00Z \(coredns restarts/],
  },
  "expired waiver: refused with a note, still blocked": {
    snapshot: ackSnapshot({ findings: [waivableUnknown] }),
    options: { waivers: [waiver({ expires: "2025-08-05T09:00:00Z" })] },
    allowed: false,
    verdict: "blocked",
    blocking: ["AddonStatus"],
    refused: [/expired at 2025-08-05T09:00:00Z/],
  },
  "waiver on a non-waivable (vendor Fatal) finding: refused": {
    snapshot: snapshot({ findings: [finding()] }),
    options: { waivers: [waiver({ checkName: "NodeKernelCheck" })] },
    allowed: false,
    verdict: "blocked",
    blocking: ["NodeKernelCheck"],
    refused: [/NodeKernelCheck \[Fatal\] is not waivable/],
  },
  "waiver for another cluster: refused": {
    snapshot: ackSnapshot({ findings: [waivableUnknown] }),
    options: { waivers: [waiver({ clusterId: "c-2" })] },
    allowed: false,
    verdict: "blocked",
    refused: [/it is for cluster c-2, not c-1/],
  },
  "waiver for another check name: neither applied nor refused": {
    snapshot: ackSnapshot({ findings: [waivableUnknown] }),
    options: { waivers: [waiver({ checkName: "Kubelet" })] },
    allowed: false,
    verdict: "blocked",
    applied: [],
    refused: [],
  },
  "one waiver covers the same item on several nodes, refusals are not repeated": {
    snapshot: ackSnapshot({
      findings: [waivableUnknown, { ...waivableUnknown, affected: { nodes: ["n2"] } }],
    }),
    options: { waivers: [waiver(), waiver({ clusterId: "c-9" })] },
    allowed: true,
    verdict: "ready",
    applied: ["AddonStatus", "AddonStatus"],
    refused: [/cluster c-9/],
  },
  "stale wins over blocked": {
    snapshot: snapshot({
      checks: [precheck({ expiresAt: "2025-08-05T09:55:00.000Z" })],
      findings: [finding()],
    }),
    allowed: false,
    verdict: "stale",
    blocking: ["NodeKernelCheck"],
  },
  "unknown wins over pending": {
    snapshot: snapshot({
      checks: [precheck({ id: "addon-1", kind: "cce-addon-check", state: "pending", status: "Running" })],
    }),
    allowed: false,
    verdict: "unknown",
  },
  "findings of an ignored check are ignored": {
    snapshot: snapshot({
      checks: [precheck(), precheck({ id: "pc-old", targetVersion: "v1.29" })],
      findings: [finding({ checkId: "pc-old" })],
    }),
    allowed: true,
    verdict: "ready",
    blocking: [],
  },
  "downgrade: blocked, whatever the checks say (neither cloud downgrades)": {
    snapshot: snapshot({
      currentVersion: "v1.30.4-r0",
      targetVersion: "v1.29",
      checks: [precheck({ targetVersion: "v1.29" })],
    }),
    allowed: false,
    verdict: "blocked",
    reasons: [
      /Target v1\.29 is older than the current v1\.30\.4-r0.*Choose a target at or above v1\.30\.4-r0/,
    ],
  },
  "a target the cloud offers: the upgrade path does not block": {
    snapshot: snapshot({
      upgradePath: { source: "cce-upgrade-info", offered: ["v1.30"], suggested: "v1.30" },
    }),
    allowed: true,
    verdict: "ready",
  },
  "a skipped minor: blocked, naming the valid targets and the suggested one": {
    snapshot: snapshot({
      targetVersion: "v1.31",
      checks: [precheck({ targetVersion: "v1.31" })],
      upgradePath: { source: "cce-upgrade-info", offered: ["v1.30"], suggested: "v1.30" },
    }),
    allowed: false,
    verdict: "blocked",
    reasons: [
      /Target v1\.31 is not an upgrade the cloud offers from v1\.29\.5-r0\. It skips minor version 1\.30: Kubernetes upgrades go one minor at a time\. Valid targets: v1\.30 \(suggested: v1\.30\), from CCE ShowClusterUpgradeInfo/,
    ],
  },
  "an offered target that is no readable version: named in the not-offered reason": {
    snapshot: snapshot({
      targetVersion: "v1.31",
      checks: [precheck({ targetVersion: "v1.31" })],
      upgradePath: {
        source: "cce-upgrade-info",
        offered: ["v1.30"],
        suggested: "v1.30",
        unreadable: ["v1.31-beta"],
      },
    }),
    allowed: false,
    verdict: "blocked",
    targetRefused: true,
    reasons: [
      /Choose one of them\. The cloud also lists v1\.31-beta, which is not a version upgrade-guard can read, so it is left out\./,
    ],
  },
  "a target that is no readable version, checked by a precheck for that text: refused, naming it": {
    snapshot: snapshot({
      targetVersion: "v1.31-beta",
      checks: [precheck({ targetVersion: "v1.31-beta" })],
      upgradePath: {
        source: "cce-upgrade-info",
        offered: ["v1.30"],
        suggested: "v1.30",
        unreadable: ["v1.31-beta"],
      },
    }),
    allowed: false,
    verdict: "blocked",
    targetRefused: true,
    reasons: [/Target v1\.31-beta is not a Kubernetes version upgrade-guard can read/],
    absentReasons: [/not an upgrade the cloud offers/],
  },
  "two skipped minors are named as a range": {
    snapshot: ackSnapshot({
      targetVersion: "1.34.1-aliyun.1",
      checks: [{ ...ackCheck, targetVersion: "1.34.1-aliyun.1" }],
      upgradePath: {
        source: "ack-cluster-detail",
        offered: ["1.32.1-aliyun.1"],
        suggested: "1.32.1-aliyun.1",
      },
    }),
    allowed: false,
    verdict: "blocked",
    reasons: [
      /skips minor versions 1\.32-1\.33.*Valid targets: 1\.32\.1-aliyun\.1 \(suggested: 1\.32\.1-aliyun\.1\), from ACK next_version/,
    ],
  },
  "a version the cloud does not offer in the next minor (another patch)": {
    snapshot: ackSnapshot({
      targetVersion: "1.32.7-aliyun.1",
      checks: [{ ...ackCheck, targetVersion: "1.32.7-aliyun.1" }],
      upgradePath: { source: "ack-cluster-detail", offered: ["1.32.1-aliyun.1"] },
    }),
    allowed: false,
    verdict: "blocked",
    reasons: [
      /Target 1\.32\.7-aliyun\.1 is not an upgrade the cloud offers from 1\.31\.1-aliyun\.1\. Valid targets: 1\.32\.1-aliyun\.1, from/,
    ],
  },
  "nothing offered now: blocked, saying so": {
    snapshot: ackSnapshot({ upgradePath: { source: "ack-cluster-detail", offered: [] } }),
    allowed: false,
    verdict: "blocked",
    reasons: [/it offers none from 1\.31\.1-aliyun\.1 now \(ACK next_version\)/],
  },
  "a downgrade is said once, not also as not offered": {
    snapshot: snapshot({
      currentVersion: "v1.30.4-r0",
      targetVersion: "v1.29",
      checks: [precheck({ targetVersion: "v1.29" })],
      upgradePath: { source: "cce-upgrade-info", offered: ["v1.31"] },
    }),
    allowed: false,
    verdict: "blocked",
    reasons: [/older than the current/],
    absentReasons: [/not an upgrade the cloud offers/],
  },
  // A check for a target the cloud refuses cannot fix anything: the missing-check reason must not
  // send the user to check it (the verdict stays blocked either way).
  "a downgrade with no check: blocked, and the missing check's fix does not ask to check that target": {
    snapshot: snapshot({ currentVersion: "v1.29.5-r0", targetVersion: "v1.28", checks: [] }),
    allowed: false,
    verdict: "blocked",
    targetRefused: true,
    reasons: [
      /Choose a target at or above v1\.29\.5-r0\./,
      /No cce-cluster-precheck for v1\.28 was found .* To fix: choose a valid target first \(above\), then run a CCE pre-upgrade check \(CreatePreCheck\) for that target and preview again\./,
    ],
    absentReasons: [/for v1\.28 and preview again/, /\(CreatePreCheck\) for v1\.28/],
  },
  "a skipped minor with no check: blocked, and the missing check's fix does not ask to check that target": {
    snapshot: snapshot({
      targetVersion: "v1.32",
      checks: [],
      upgradePath: { source: "cce-upgrade-info", offered: ["v1.30"], suggested: "v1.30" },
    }),
    allowed: false,
    verdict: "blocked",
    targetRefused: true,
    reasons: [/Valid targets: v1\.30/, /To fix: choose a valid target first \(above\)/],
    absentReasons: [/\(CreatePreCheck\) for v1\.32/],
  },
  "a node pool target the skew policy refuses, with no check: the fix is another target": {
    snapshot: ackSnapshot({
      currentVersion: "1.31.1-aliyun.1",
      targetVersion: "1.32.1-aliyun.1",
      nodePool: { id: "np1", controlPlaneVersion: "1.31.1-aliyun.1" },
      checks: [],
    }),
    allowed: false,
    verdict: "blocked",
    targetRefused: true,
    reasons: [/newer than the control plane/, /To fix: choose a valid target first \(above\)/],
    absentReasons: [/target np1\) for 1\.32\.1-aliyun\.1/],
  },
  // A check's own trouble (pending, stale, error) for a refused target: checking again cannot help.
  "a downgrade whose check is stale, pending and in error: each says to choose a valid target, not to check again":
    {
      snapshot: snapshot({
        currentVersion: "v1.29.5-r0",
        targetVersion: "v1.28",
        checks: [
          precheck({ targetVersion: "v1.28", expiresAt: "2025-08-05T09:59:59.000Z" }),
          precheck({ id: "pc-2", targetVersion: "v1.28", status: "Running", state: "pending" }),
          precheck({ id: "pc-3", targetVersion: "v1.28", status: "Error", state: "error" }),
        ],
      }),
      allowed: false,
      verdict: "blocked",
      targetRefused: true,
      reasons: [
        /pc-1 .* is stale: its result expired at 2025-08-05T09:59:59\.000Z\. No check can make this target possible: choose a valid target first \(above\)\./,
        /pc-2 .* has not finished\. No check can make this target possible/,
        /pc-3 .* ended in error without a result\. No check can make this target possible/,
      ],
      absentReasons: [/Run the check again/, /Run it again/, /Wait for it/],
    },
  "an offered target with no check: the fix is still to check that target": {
    snapshot: snapshot({
      checks: [],
      upgradePath: { source: "cce-upgrade-info", offered: ["v1.30"], suggested: "v1.30" },
    }),
    allowed: false,
    verdict: "unknown",
    targetRefused: false,
    reasons: [/To fix: run a CCE pre-upgrade check \(CreatePreCheck\) for v1\.30 and preview again\./],
    absentReasons: [/choose a valid target/],
  },
  "a check dated beyond the clock skew allowance: stale, and the headline says future, not too old": {
    snapshot: ackSnapshot({ checks: [precheck({ ...ackCheck, createdAt: "2025-08-05T11:00:00.000Z" })] }),
    allowed: false,
    verdict: "stale",
    reasons: [
      /may not proceed: the check for the target is dated in the future; check the clocks of this machine and the cloud \(verdict stale\)/,
      /creation time 2025-08-05T11:00:00\.000Z is in the future/,
    ],
    absentReasons: [/too old to trust/],
  },
  "a check with no creation time: stale, and the headline says its age is unknown": {
    snapshot: ackSnapshot({ checks: [precheck({ ...ackCheck, createdAt: "1970-01-01T00:00:00.000Z" })] }),
    allowed: false,
    verdict: "stale",
    reasons: [
      /may not proceed: the check for the target has no creation time, so its age is unknown \(verdict stale\)/,
    ],
    absentReasons: [/too old to trust/],
  },
  "the `now` option overrides observedAt": {
    snapshot: snapshot(),
    options: { now: "2025-08-05T11:00:00Z" },
    allowed: false,
    verdict: "stale",
  },
  "`now` as epoch milliseconds": {
    snapshot: snapshot(),
    options: { now: Date.parse("2025-08-05T10:52:00Z") },
    allowed: false,
    verdict: "stale",
  },
};

describe("evaluate", () => {
  it.each(Object.entries(cases))("%s", (_name, c) => {
    const result = evaluate(c.snapshot, c.options);
    expect(result.allowed).toBe(c.allowed);
    expect(result.verdict).toBe(c.verdict);
    if (c.blocking) expect(result.blocking.map((f) => f.checkName)).toEqual(c.blocking);
    if (c.warnings) expect(result.warnings.map((f) => f.checkName)).toEqual(c.warnings);
    if (c.targetRefused !== undefined) expect(result.targetRefused).toBe(c.targetRefused);
    if (c.applied) expect(result.waiversApplied.map((w) => w.finding.checkName)).toEqual(c.applied);
    if (c.refused) {
      expect(result.waiversRefused).toHaveLength(c.refused.length);
      c.refused.forEach((pattern, i) => expect(result.waiversRefused[i]!.reason).toMatch(pattern));
    }
    for (const pattern of c.reasons ?? []) {
      expect(result.reasons.join("\n")).toMatch(pattern);
    }
    for (const pattern of c.absentReasons ?? []) {
      expect(result.reasons.join("\n")).not.toMatch(pattern);
    }
    // The first reason always states the outcome, in the words of its verdict.
    expect(result.reasons[0]).toMatch(
      result.allowed
        ? /may proceed|no version change/
        : new RegExp(`may not proceed: .* \\(verdict ${result.verdict}\\)`),
    );
  });

  it("is pure: the same input gives the same answer, and the stored verdict is not trusted", () => {
    const input = snapshot({ findings: [finding()], verdict: "ready", reasons: ["all good"] });
    const copy = structuredClone(input);
    const first = evaluate(input);
    expect(evaluate(input)).toEqual(first);
    expect(first.verdict).toBe("blocked");
    expect(input).toEqual(copy);
  });

  it("defaults now to the snapshot's observedAt, not the wall clock", () => {
    const atObservation = evaluate(snapshot({ observedAt: OBSERVED_AT }));
    const later = evaluate(snapshot({ observedAt: "2025-08-05T10:53:00.000Z" }));
    expect(atObservation.verdict).toBe("ready");
    expect(later.verdict).toBe("stale");
  });

  it("rejects malformed options, listing every bad field", () => {
    try {
      evaluate(snapshot(), {
        blockingSeverities: ["critical" as "fatal"],
        waivers: [waiver({ expires: "tomorrow" })],
        ...({ pendingBlock: false } as object),
      });
      throw new Error("expected an InputError");
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).issues.map((i) => i.path).sort()).toEqual([
        "",
        "blockingSeverities.0",
        "waivers.0.expires",
      ]);
    }
  });

  it("rejects dates that do not exist instead of reading them as another day", () => {
    // An unreadable `now` must not silently fall back to observedAt.
    try {
      evaluate(snapshot(), {
        now: "2025-02-30T00:00:00Z",
        waivers: [waiver({ expires: "2025-13-01T00:00:00Z" })],
      });
      throw new Error("expected an InputError");
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).issues.map((i) => i.path).sort()).toEqual(["now", "waivers.0.expires"]);
    }
    expect(() => evaluate(snapshot({ observedAt: "2025-04-31T10:00:00.000Z" }))).toThrow(
      /observedAt: Invalid ISO datetime/,
    );
  });

  it("rejects a malformed snapshot", () => {
    expect(() => evaluate({ ...snapshot(), cloud: "gcp" as "cce" })).toThrow(InputError);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0 s"],
    [250, "250 ms"],
    [999, "999 ms"],
    [1_000, "1 s"],
    [59_999, "59 s"],
    [60_000, "1 min"],
    [3_600_000, "1 h"],
    [3_660_000, "1 h 1 min"],
    [86_400_000, "1 d"],
    [90_000_000, "1 d 1 h"],
    [Number.POSITIVE_INFINITY, "an unknown time"],
  ])("%i ms is %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
