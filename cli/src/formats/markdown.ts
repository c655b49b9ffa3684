/** GitHub-flavoured Markdown: a summary, one table, then the reasons of each cluster not safe (for PR comments and job summaries). */
import { type Report } from "../report-schema";
import { checkIdOf, nameOf, reasonsOf, summaryLine, verdictOf, versionsOf } from "./common";

/** Escapes what would break a table cell or start markup. */
function cell(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|]/g, (c) => `\\${c}`).replace(/\r?\n/g, " ");
}

const MARK = { safe: "✅", blocked: "⛔", undecided: "⚠️" } as const;

export function renderMarkdown(report: Report): string {
  const lines = ["# Upgrade readiness", "", summaryLine(report), ""];
  if (report.clusters.length > 0) {
    lines.push(
      "| | Cloud | Cluster | Current | Target | Verdict | Worst | Check |",
      "|---|---|---|---|---|---|---|---|",
    );
    for (const row of report.clusters) {
      const { current, target } = versionsOf(row);
      lines.push(
        `| ${MARK[row.outcome]} | ${row.cloud} | ${cell(nameOf(row))} | ${cell(current)} | ${cell(target)} | ${verdictOf(row)} | ${row.readiness?.worstSeverity ?? "-"} | ${cell(checkIdOf(row))} |`,
      );
    }
  }
  for (const row of report.clusters.filter((r) => r.outcome !== "safe")) {
    lines.push("", `## ${row.cloud} ${cell(nameOf(row))}: ${row.outcome}`, "");
    for (const reason of reasonsOf(row)) lines.push(`- ${cell(reason)}`);
  }
  lines.push(
    "",
    `<sub>upgrade-guard ${report.tool.version}, ${report.generatedAt}, fail on ${report.failOn}</sub>`,
  );
  return `${lines.join("\n")}\n`;
}
