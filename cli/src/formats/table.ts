/** The terminal formats: `table` (the default) and `wide`, then the reasons of every cluster not safe. */
import { type ClusterReport, type Report } from "../report-schema";
import { checkIdOf, nameOf, reasonsOf, showControls, summaryLine, verdictOf, versionsOf } from "./common";

const ANSI = {
  red: "\u001b[31m",
  green: "\u001b[32m",
  yellow: "\u001b[33m",
  bold: "\u001b[1m",
  reset: "\u001b[0m",
};

function paint(text: string, color: keyof typeof ANSI, on: boolean): string {
  return on ? `${ANSI[color]}${text}${ANSI.reset}` : text;
}

const OUTCOME_COLOR = { safe: "green", blocked: "red", undecided: "yellow" } as const;

function grid(
  rows: readonly (readonly string[])[],
  paintCell: (row: number, column: number, cell: string) => string,
): string {
  const widths = (rows[0] ?? []).map((_, column) => Math.max(...rows.map((r) => (r[column] ?? "").length)));
  return rows
    .map((r, rowIndex) =>
      r
        // Pad before painting: escape codes have no width on screen.
        .map((cell, i) => paintCell(rowIndex, i, cell.padEnd(widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function count(row: ClusterReport, list: "blocking" | "warnings"): string {
  return row.readiness === undefined ? "-" : String(row.readiness[list].length);
}

/** One reason as a list item; a vendor message's own line breaks stay, indented under the item. */
function bullet(line: string): string {
  return `  - ${showControls(line, { keepNewlines: true }).replace(/\n/g, "\n    ")}`;
}

export function renderTable(report: Report, options: { color: boolean; wide: boolean }): string {
  if (report.clusters.length === 0) return summaryLine(report);
  const header = options.wide
    ? [
        "CLOUD",
        "CLUSTER",
        "ID",
        "REGION",
        "STATE",
        "CURRENT",
        "TARGET",
        "VERDICT",
        "WORST",
        "BLOCKING",
        "WARNINGS",
        "CHECK",
        "OBSERVED",
      ]
    : ["CLOUD", "CLUSTER", "CURRENT", "TARGET", "VERDICT", "WORST", "CHECK"];
  const verdictColumn = header.indexOf("VERDICT");
  const body = report.clusters.map((row) => {
    const { current, target } = versionsOf(row);
    const worst = row.readiness?.worstSeverity ?? "-";
    const cells = options.wide
      ? [
          row.cloud,
          nameOf(row),
          row.clusterId,
          row.readiness?.region ?? "-",
          row.clusterState ?? "-",
          current,
          target,
          verdictOf(row),
          worst,
          count(row, "blocking"),
          count(row, "warnings"),
          checkIdOf(row),
          row.readiness?.observedAt ?? "-",
        ]
      : [row.cloud, nameOf(row), current, target, verdictOf(row), worst, checkIdOf(row)];
    // Every cell may hold vendor text (names, ids, states); escaped before padding so widths hold.
    return cells.map((cell) => showControls(cell));
  });
  const table = grid([header, ...body], (rowIndex, column, cell) => {
    if (rowIndex === 0) return paint(cell, "bold", options.color);
    const row = report.clusters[rowIndex - 1];
    return column === verdictColumn && row !== undefined
      ? paint(cell, OUTCOME_COLOR[row.outcome], options.color)
      : cell;
  });
  // A running upgrade needs no note of its own: `evaluate` names it as the reason (verdict upgrading).
  // A safe row has nothing to explain but its notices (end of support), which are worth seeing.
  const details = report.clusters
    .map((row) => ({ row, lines: row.outcome !== "safe" ? reasonsOf(row) : (row.readiness?.notices ?? []) }))
    .filter(({ lines }) => lines.length > 0)
    .map(
      ({ row, lines }) =>
        `\n${showControls(`${row.cloud} ${nameOf(row)}`)}:\n${lines.map(bullet).join("\n")}`,
    );
  return [table, ...details, `\n${summaryLine(report)}`].join("\n");
}
