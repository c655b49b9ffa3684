/**
 * The readiness summary upgrade-guard's own upgrade resources carry in their inputs
 * (`readiness: { checkId, worstSeverity, verdict, observedAt, expiresAt, digest }`, filled at program
 * time by `getUpgradeReadiness`), and how the policy turns it into something `evaluate` can judge.
 *
 * The summary is not a verdict the policy trusts: it was computed with the program's options, while
 * the policy has its own (blocking severities, maximum age, waivers). So the summary is restated as
 * a snapshot (one check, and one finding standing for the worst present severity) and `evaluate`
 * decides again with the policy's options. When that says "blocked", the policy asks the cloud for
 * the check's real findings (to name them and to let waivers match); see cluster-policy.ts.
 */
import {
  type EvaluableSnapshot,
  type Finding,
  PRIMARY_CHECK_KIND,
  parseTimestamp,
  type ReadinessCloud,
} from "@upgrade-guard/provider";
import { z } from "zod";

const text = z.string().trim().min(1);

/** Lenient on purpose: the policy must read summaries written by older or newer SDK versions. */
export const readinessSummarySchema = z.looseObject({
  checkId: text.optional(),
  /** `fatal` | `warning` | `info` | `unknown` | `none`. */
  worstSeverity: text.optional(),
  /** `ready` | `blocked` | `pending` | `stale` | `unknown`. */
  verdict: text.optional(),
  observedAt: text.optional(),
  expiresAt: text.optional(),
  /** When the check was created, if the SDK provides it (ages are measured from it). */
  checkCreatedAt: text.optional(),
  digest: text.optional(),
});
export type ReadinessSummary = z.output<typeof readinessSummarySchema>;

/** Name of the finding that stands for "the worst present severity" of a summarised check. */
export function summaryFindingName(checkId: string | undefined): string {
  return checkId === undefined ? "(readiness summary)" : `(worst finding of check ${checkId})`;
}

/** True for the stand-in finding built from a summary (it has no vendor name to show or waive). */
export function isSummaryFinding(finding: Finding): boolean {
  return finding.checkName.startsWith("(") && finding.raw === SUMMARY_MARK;
}

const SUMMARY_MARK = "upgrade-guard:readiness-summary";

const SEVERITIES = new Set(["fatal", "warning", "info", "unknown"]);

export interface SummarySubject {
  readonly cloud: ReadinessCloud;
  readonly clusterId: string;
  readonly region?: string;
  readonly currentVersion: string;
  readonly targetVersion: string;
}

/**
 * Restates a summary as a snapshot. Rules (each a plain restatement, never a decision):
 * - no `checkId` → no check (evaluate then says "no check for the target");
 * - verdict `pending` → the check is pending;
 * - a worst severity other than `none` → one present finding of that severity (`unknown` for a
 *   value this version does not know); `none` → no finding;
 * - the check was created at `checkCreatedAt`, else at `observedAt` (the age then counts from when
 *   readiness was observed, which is the best the summary allows);
 * - verdict `stale` → the summary already found the check past its expiry or age, so the expiry is
 *   set no later than the observation (a later re-evaluation must not make it fresh again);
 * - verdict `blocked` with no present finding → the check ended in error.
 */
export function snapshotFromSummary(
  subject: SummarySubject,
  summary: ReadinessSummary,
  observedAtFallback: string,
): EvaluableSnapshot {
  const observedAt = isoOr(summary.observedAt, observedAtFallback);
  const kind = PRIMARY_CHECK_KIND[subject.cloud];
  const worst = summary.worstSeverity?.toLowerCase();
  const severity =
    worst === undefined || worst === "none" ? undefined : SEVERITIES.has(worst) ? worst : "unknown";
  const verdict = summary.verdict?.toLowerCase();
  const base = {
    cloud: subject.cloud,
    clusterId: subject.clusterId,
    region: subject.region ?? "(from resource inputs)",
    currentVersion: subject.currentVersion,
    targetVersion: subject.targetVersion,
    observedAt,
    worstSeverity: (severity ?? "none") as EvaluableSnapshot["worstSeverity"],
  };
  if (summary.checkId === undefined) return { ...base, checks: [], findings: [] };

  const createdAt = isoOr(summary.checkCreatedAt, observedAt);
  let expiresAt = summary.expiresAt === undefined ? undefined : isoOr(summary.expiresAt, undefined);
  if (verdict === "stale" && (expiresAt === undefined || Date.parse(expiresAt) > Date.parse(observedAt))) {
    expiresAt = observedAt;
  }
  const pending = verdict === "pending";
  const state = pending
    ? "pending"
    : severity === undefined && verdict === "blocked"
      ? "error"
      : severity === "fatal" || severity === "unknown"
        ? "failed"
        : "passed";
  const findings: Finding[] =
    severity === undefined || pending
      ? []
      : [
          {
            source: kind,
            checkId: summary.checkId,
            checkName: summaryFindingName(summary.checkId),
            severity: severity as Finding["severity"],
            // Not waivable: without the real finding nobody can tell what is being waived.
            waivable: false,
            state: "present",
            message: `the readiness summary in the resource inputs reports a worst severity of ${severity}`,
            affected: {},
            raw: SUMMARY_MARK,
          },
        ];
  return {
    ...base,
    checks: [
      {
        id: summary.checkId,
        kind,
        status: `summary:${verdict ?? "unknown"}`,
        state,
        createdAt,
        ...(expiresAt === undefined ? {} : { expiresAt }),
        targetVersion: subject.targetVersion,
      },
    ],
    findings,
  };
}

function isoOr<T extends string | undefined>(value: string | undefined, fallback: T): string | T {
  if (value === undefined) return fallback;
  const ms = parseTimestamp(value);
  return ms === undefined ? fallback : new Date(ms).toISOString();
}
