/** What every format says the same way: the row's words, so no two formats disagree. */
import { type ClusterReport, type Report } from "../report-schema";

/** The verdict word of a row: the readiness verdict, or `error` when it could not be read. */
export function verdictOf(row: ClusterReport): string {
  return row.readiness?.verdict ?? "error";
}

/** The sentences that explain a row: evaluate's reasons, or the error and its hint. */
export function reasonsOf(row: ClusterReport): string[] {
  if (row.readiness !== undefined) return [...row.readiness.reasons];
  const error = row.error;
  if (error === undefined) return ["no readiness data"];
  return [`${error.code}: ${error.message}`, ...(error.hint === undefined ? [] : [error.hint])];
}

/** `current -> target`, with `?` where unknown. */
export function versionsOf(row: ClusterReport): { current: string; target: string } {
  return {
    current: row.readiness?.currentVersion ?? "?",
    target: row.readiness?.targetVersion ?? row.targetVersion ?? "?",
  };
}

/** The id of the primary check the verdict rests on (for the target), `-` when there is none. */
export function checkIdOf(row: ClusterReport): string {
  return row.readiness?.summary.checkId ?? "-";
}

/** One line that sums the report up. */
export function summaryLine(report: Report): string {
  const { total, safe, blocked, undecided } = report.summary;
  if (total === 0) return "No clusters found.";
  return `${safe} of ${total} cluster(s) safe to upgrade; ${blocked} blocked; ${undecided} undecided.`;
}

/** Human display name of a row (the readiness' name, else the listed one). */
export function nameOf(row: ClusterReport): string {
  return row.readiness?.clusterName ?? row.cluster;
}
