/** Human-readable output of a readiness report: one table row per cluster, then the reasons. */
import { type UpgradeReadiness } from "@upgrade-guard/provider";

export interface ReportRow {
  readonly cloud: "cce" | "ack";
  /** Name when known, else id. */
  readonly cluster: string;
  readonly targetVersion?: string;
  /** The vendor's cluster state when it was listed (CCE `status.phase`, ACK `state`). */
  readonly clusterState?: string;
  /**
   * An upgrade is in flight on the cluster right now (its readiness names it, with verdict
   * `upgrading`; or, when readiness could not be read, the listed state says `upgrading`).
   */
  readonly upgradeInProgress?: true;
  /** Present when readiness could be computed. */
  readonly readiness?: UpgradeReadiness;
  /** Present when it could not (API error, no target version…): the cluster counts as blocked. */
  readonly error?: string;
}

/** Only a computed verdict that allows the upgrade counts: errors fail closed. */
export function rowAllowed(row: ReportRow): boolean {
  return row.readiness?.allowed === true;
}

function table(header: readonly string[], body: readonly (readonly string[])[]): string {
  const rows = [header, ...body];
  const widths = header.map((_, column) => Math.max(...rows.map((r) => (r[column] ?? "").length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function renderReport(rows: readonly ReportRow[]): string {
  if (rows.length === 0) return "No clusters found.";
  const header = ["CLOUD", "CLUSTER", "CURRENT", "TARGET", "VERDICT", "WORST", "CHECK"];
  const body = rows.map((row) => {
    const primary = row.readiness?.checks[0];
    return [
      row.cloud,
      row.readiness?.clusterName ?? row.cluster,
      row.readiness?.currentVersion ?? "?",
      row.readiness?.targetVersion ?? row.targetVersion ?? "?",
      row.readiness?.verdict ?? "error",
      row.readiness?.worstSeverity ?? "-",
      primary === undefined ? "-" : primary.id,
    ];
  });
  // A running upgrade needs no note of its own: `evaluate` names it as the reason (verdict upgrading).
  const details = rows
    .filter((row) => !rowAllowed(row))
    .map((row) => {
      const name = row.readiness?.clusterName ?? row.cluster;
      const lines =
        row.readiness === undefined ? [row.error ?? "no readiness data"] : [...row.readiness.reasons];
      return `\n${row.cloud} ${name}:\n${lines.map((line) => `  - ${line}`).join("\n")}`;
    });
  const blocked = rows.filter((row) => !rowAllowed(row)).length;
  const summary = `\n${rows.length - blocked} of ${rows.length} cluster(s) ready to upgrade; ${blocked} not.`;
  return [table(header, body), ...details, summary].join("\n");
}
