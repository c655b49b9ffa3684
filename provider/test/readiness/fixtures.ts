/** Small builders for hand-made readiness snapshots in tests, and shared emulator cluster specs. */
import { type ScenarioInput } from "../../../emulator/src";
import { snapshotDigest } from "../../src/readiness/digest";
import {
  type CheckRef,
  type Finding,
  type ReadinessSnapshot,
  worstSeverityOf,
} from "../../src/readiness/model";

export const OBSERVED_AT = "2025-08-05T10:00:00.000Z";
/** Ten minutes before OBSERVED_AT. */
export const TEN_MINUTES_AGO = "2025-08-05T09:50:00.000Z";

export function precheck(overrides: Partial<CheckRef> = {}): CheckRef {
  return {
    id: "pc-1",
    kind: "cce-cluster-precheck",
    status: "Success",
    state: "passed",
    createdAt: TEN_MINUTES_AGO,
    finishedAt: "2025-08-05T09:52:00.000Z",
    expiresAt: "2025-08-05T10:52:00.000Z",
    targetVersion: "v1.30",
    ...overrides,
  };
}

export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    source: "cce-cluster-precheck",
    checkId: "pc-1",
    checkName: "NodeKernelCheck",
    group: "NodeCheck",
    severity: "fatal",
    vendorLevel: "Fatal",
    vendorKind: "Risk",
    waivable: false,
    state: "present",
    message: "kernel 3.10 unsupported",
    affected: { nodes: ["node-a"] },
    raw: { name: "NodeKernelCheck" },
    ...overrides,
  };
}

export function snapshot(overrides: Partial<ReadinessSnapshot> = {}): ReadinessSnapshot {
  const base = {
    cloud: "cce" as const,
    clusterId: "c-1",
    clusterName: "prod",
    region: "cn-north-4",
    currentVersion: "v1.29.5-r0",
    targetVersion: "v1.30",
    checks: [precheck()],
    findings: [] as Finding[],
    observedAt: OBSERVED_AT,
    ...overrides,
  };
  const worstSeverity = overrides.worstSeverity ?? worstSeverityOf(base.findings);
  const withFacts = { ...base, worstSeverity };
  return {
    ...withFacts,
    verdict: overrides.verdict ?? "unknown",
    reasons: overrides.reasons ?? [],
    digest: overrides.digest ?? snapshotDigest(withFacts),
  };
}

/**
 * An ACK cluster whose ClusterUpgrade check records no target (as ACK may) and was made `checkedAgo`
 * ago, and whose upgrade to its current version 1.31 finished two hours ago; 1.32 is next.
 */
export function ackCheckedAroundUpgrade(
  name: string,
  checkedAgo: string,
): NonNullable<ScenarioInput["clusters"]>[number] {
  return {
    cloud: "ack",
    name,
    version: "1.31.1-aliyun.1",
    targetVersions: ["1.32.1-aliyun.1"],
    history: {
      ack: {
        checks: [{ type: "ClusterUpgrade", targetRecorded: false, createdAgo: checkedAgo }],
        upgrades: [{ targetVersion: "1.31.1-aliyun.1", createdAgo: "2h" }],
      },
    },
  };
}
