import { evaluate } from "@upgrade-guard/provider";
import { isSummaryFinding, snapshotFromSummary } from "../../src/policies/readiness-summary";
import { minutesAgo, minutesFromNow, NOW } from "./fakes";

const subject = {
  cloud: "ack" as const,
  clusterId: "c1",
  currentVersion: "1.31.1-aliyun.1",
  targetVersion: "1.32.1-aliyun.1",
};
const nowIso = new Date(NOW).toISOString();

function decide(summary: Record<string, string>, options: Parameters<typeof evaluate>[1] = {}) {
  return evaluate(snapshotFromSummary(subject, summary, nowIso), { now: NOW, ...options });
}

describe("a readiness summary restated for evaluate", () => {
  const fresh = { checkId: "chk-1", observedAt: minutesAgo(2), expiresAt: minutesFromNow(40) };

  it.each([
    ["no check id", { observedAt: minutesAgo(2) }, {}, false, "unknown"],
    [
      "no check id, missing checks allowed",
      { observedAt: minutesAgo(2) },
      { missingCheckBlocks: false },
      true,
      "unknown",
    ],
    ["clean", { ...fresh, worstSeverity: "none", verdict: "ready" }, {}, true, "ready"],
    ["warnings only", { ...fresh, worstSeverity: "warning", verdict: "ready" }, {}, true, "ready"],
    [
      "warnings, when warnings block",
      { ...fresh, worstSeverity: "warning", verdict: "ready" },
      { blockingSeverities: ["fatal", "warning"] as ("fatal" | "warning")[] },
      false,
      "blocked",
    ],
    ["fatal", { ...fresh, worstSeverity: "fatal", verdict: "blocked" }, {}, false, "blocked"],
    [
      "fatal, when only warnings would block",
      { ...fresh, worstSeverity: "fatal", verdict: "blocked" },
      { blockingSeverities: ["warning"] as "warning"[] },
      true,
      "ready",
    ],
    [
      "a severity this version does not know",
      { ...fresh, worstSeverity: "catastrophic" },
      {},
      false,
      "blocked",
    ],
    ["pending", { ...fresh, worstSeverity: "none", verdict: "pending" }, {}, false, "pending"],
    [
      "expired",
      {
        checkId: "chk-1",
        observedAt: minutesAgo(2),
        expiresAt: minutesAgo(1),
        worstSeverity: "none",
        verdict: "ready",
      },
      {},
      false,
      "stale",
    ],
    [
      "stale by age when observed, though the expiry is later",
      { ...fresh, worstSeverity: "none", verdict: "stale" },
      {},
      false,
      "stale",
    ],
    [
      "too old for the policy's maximum age",
      { ...fresh, checkCreatedAt: minutesAgo(50), worstSeverity: "none" },
      { maxAgeMs: 30 * 60_000 },
      false,
      "stale",
    ],
    [
      "blocked without any finding (the check ended in error)",
      { ...fresh, worstSeverity: "none", verdict: "blocked" },
      {},
      false,
      "blocked",
    ],
  ])("%s", (_name, summary, options, allowed, verdict) => {
    const evaluation = decide(summary, options);
    expect({ allowed: evaluation.allowed, verdict: evaluation.verdict }).toEqual({ allowed, verdict });
  });

  it("stands in for the findings with one non-waivable finding the messages can recognise", () => {
    const snapshot = snapshotFromSummary(subject, { ...fresh, worstSeverity: "fatal" }, nowIso);
    expect(snapshot.findings).toHaveLength(1);
    expect(isSummaryFinding(snapshot.findings[0]!)).toBe(true);
    expect(snapshot.findings[0]).toMatchObject({ severity: "fatal", waivable: false, checkId: "chk-1" });
    const waiver = {
      checkName: snapshot.findings[0]!.checkName,
      clusterId: "c1",
      reason: "r",
      owner: "o",
      expires: minutesFromNow(60),
    };
    const evaluation = evaluate(snapshot, { now: NOW, waivers: [waiver] });
    expect(evaluation.allowed).toBe(false);
  });
});
