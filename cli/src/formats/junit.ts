/**
 * JUnit XML, as CI systems render test results: one test suite per cloud, one test case per cluster.
 * A blocked cluster is a `<failure>` carrying its blocking findings; an undecided one is an `<error>`
 * (the test could not be run), so the two read differently in CI, as the exit codes do.
 */
import { type ClusterReport, type Report } from "../report-schema";
import { nameOf, reasonsOf, versionsOf } from "./common";
import { escapeXml as x } from "./xml";

function testCase(row: ClusterReport): string {
  const { current, target } = versionsOf(row);
  const name = `${nameOf(row)} ${current} -> ${target}`;
  const open = `    <testcase classname="upgrade-guard.${row.cloud}" name="${x(name)}" time="0">`;
  const properties = `      <properties><property name="clusterId" value="${x(row.clusterId)}"/>${
    row.readiness === undefined ? "" : `<property name="verdict" value="${x(row.readiness.verdict)}"/>`
  }</properties>`;
  if (row.outcome === "safe") return `${open}\n${properties}\n    </testcase>`;
  const body = reasonsOf(row).join("\n");
  const blocking = row.readiness?.blocking ?? [];
  const message =
    row.outcome === "blocked"
      ? blocking.length > 0
        ? `blocked by ${blocking.length} finding(s): ${blocking.map((f) => f.checkName).join(", ")}`
        : `blocked (verdict ${row.readiness?.verdict ?? "error"})`
      : row.error !== undefined
        ? `could not decide: ${row.error.code}`
        : `could not decide (verdict ${row.readiness?.verdict ?? "error"})`;
  const element = row.outcome === "blocked" ? "failure" : "error";
  return `${open}\n${properties}\n      <${element} type="${row.outcome}" message="${x(message)}">${x(body)}</${element}>\n    </testcase>`;
}

export function renderJunit(report: Report): string {
  const clouds = (["cce", "ack"] as const).filter((cloud) => report.clusters.some((c) => c.cloud === cloud));
  const suites = clouds.map((cloud) => {
    const rows = report.clusters.filter((c) => c.cloud === cloud);
    const failures = rows.filter((c) => c.outcome === "blocked").length;
    const errors = rows.filter((c) => c.outcome === "undecided").length;
    return `  <testsuite name="upgrade-guard ${cloud}" tests="${rows.length}" failures="${failures}" errors="${errors}" skipped="0" time="0" timestamp="${x(report.generatedAt)}">\n${rows.map(testCase).join("\n")}\n  </testsuite>`;
  });
  const { total, blocked, undecided } = report.summary;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="upgrade-guard" tests="${total}" failures="${blocked}" errors="${undecided}" time="0">\n${suites.join("\n")}\n</testsuites>\n`;
}
