/**
 * SARIF 2.1.0 for code-scanning UIs: one result per blocking finding (level error), per warning that
 * does not block (level warning), and per cluster blocked or undecided without a finding to name (a
 * missing or stale check, an upgrade in flight, an API error). Clusters are not files: each result
 * names its cluster as a logical location and points at the file that manages the clusters (`--source`,
 * default the Pulumi project file `Pulumi.yaml`), so code-scanning UIs that require a file accept it;
 * when that file's text is at hand, at the first line naming the cluster's id (else its name) as a
 * whole token, so the annotation lands on the cluster's declaration.
 */
import { createHash } from "node:crypto";
import { type Finding } from "@upgrade-guard/provider";
import { type ClusterReport, type Report } from "../report-schema";
import { nameOf, reasonsOf, versionsOf } from "./common";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
/** The file each result points at by default (see the module comment). */
export const SARIF_ARTIFACT = "Pulumi.yaml";

/** The file results point at: its path as the report should show it, and its text when it was read. */
export interface SarifSource {
  readonly uri: string;
  readonly text?: string;
}

// What a cluster name or id is made of: `cce-blocked` is not named by a line naming `cce-blocked-old`.
const TOKEN_CHAR = /[\p{L}\p{N}_.-]/u;

/** Whether `line` names `needle` as a whole token, not as part of a longer name or id. */
function namesToken(line: string, needle: string): boolean {
  for (let at = line.indexOf(needle); at >= 0; at = line.indexOf(needle, at + 1)) {
    const before = at === 0 ? "" : (line[at - 1] ?? "");
    const after = line[at + needle.length] ?? "";
    if (!TOKEN_CHAR.test(before) && !TOKEN_CHAR.test(after)) return true;
  }
  return false;
}

/** The 1-based line of the first whole-token occurrence of each needle in `text` (not found: absent). */
function firstLines(text: string | undefined, needles: readonly string[]): Map<string, number> {
  const found = new Map<string, number>();
  if (text === undefined) return found;
  const lines = text.split(/\r?\n/);
  for (const needle of needles) {
    if (needle === "" || found.has(needle)) continue;
    const at = lines.findIndex((line) => namesToken(line, needle));
    if (at >= 0) found.set(needle, at + 1);
  }
  return found;
}

interface Rule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: { readonly text: string };
  readonly properties: { readonly tags: readonly string[] };
}

type Level = "error" | "warning";

function ruleOfFinding(finding: Finding): Rule {
  return {
    id: `${finding.source}/${finding.checkName}`,
    name: finding.checkName,
    shortDescription: {
      text: `${finding.checkName} (${finding.source}${finding.group === undefined ? "" : `, ${finding.group}`})`,
    },
    properties: { tags: [finding.source, finding.severity] },
  };
}

const VERDICT_RULE_TEXT: Readonly<Record<string, string>> = {
  blocked: "The upgrade is blocked by a broken check or a version that cannot be reached",
  upgrading: "An upgrade is already in flight on the cluster",
  pending: "The check for the target has not finished",
  stale: "The check for the target cannot be trusted now: too old, expired, undated or dated in the future",
  unknown: "There is no check for the target",
  error: "The cluster's readiness could not be read",
};

function ruleOfVerdict(verdict: string): Rule {
  return {
    id: `upgrade-guard/${verdict}`,
    name: `readiness-${verdict}`,
    shortDescription: { text: VERDICT_RULE_TEXT[verdict] ?? `Verdict ${verdict}` },
    properties: { tags: ["readiness", verdict] },
  };
}

function location(row: ClusterReport, source: SarifSource, lines: Map<string, number>): unknown {
  const line = lines.get(row.clusterId) ?? lines.get(nameOf(row));
  return {
    physicalLocation: {
      artifactLocation: { uri: source.uri },
      ...(line === undefined ? {} : { region: { startLine: line } }),
    },
    logicalLocations: [
      {
        name: nameOf(row),
        fullyQualifiedName: `${row.cloud}/${row.readiness?.region ?? "-"}/${row.clusterId}`,
        kind: "resource",
      },
    ],
  };
}

/**
 * What tells one finding from another of the same rule on the same cluster: its group and what it
 * concerns (add-ons, nodes, APIs, configuration keys). Not its check id or message, which change from
 * run to run while the problem stays the same.
 */
function findingIdentity(finding: Finding): string {
  const { nodes, nodePools, addons, deprecatedApis, configurations } = finding.affected;
  const sorted = (list: readonly string[] | undefined) => [...(list ?? [])].sort();
  return JSON.stringify([
    finding.group ?? "",
    sorted(addons),
    sorted(nodes),
    sorted(nodePools),
    sorted(deprecatedApis),
    sorted((configurations ?? []).map((c) => [c.package, c.sourceFile, c.field, c.operation].join("/"))),
  ]);
}

function fingerprint(row: ClusterReport, ruleId: string, identity: string): string {
  const { target } = versionsOf(row);
  return createHash("sha256")
    .update(`${row.cloud}|${row.clusterId}|${target}|${ruleId}|${identity}`)
    .digest("hex");
}

export function renderSarif(
  report: Report,
  source: SarifSource = { uri: SARIF_ARTIFACT },
): Record<string, unknown> {
  const lines = firstLines(
    source.text,
    report.clusters.flatMap((row) => [row.clusterId, nameOf(row)]),
  );
  const rules = new Map<string, Rule>();
  const results: unknown[] = [];
  // Findings the vendor reports alike (same rule, group and affected lists) are told apart by their
  // order: the nth such finding keeps the nth fingerprint, so each is its own alert.
  const seen = new Map<string, number>();
  const add = (row: ClusterReport, rule: Rule, level: Level, text: string, identity = ""): void => {
    rules.set(rule.id, rule);
    const { current, target } = versionsOf(row);
    const key = JSON.stringify([row.cloud, row.clusterId, target, rule.id, identity]);
    const nth = seen.get(key) ?? 0;
    seen.set(key, nth + 1);
    results.push({
      ruleId: rule.id,
      level,
      message: { text },
      locations: [location(row, source, lines)],
      partialFingerprints: {
        "upgradeGuard/v2": fingerprint(row, rule.id, nth === 0 ? identity : `${identity}#${nth}`),
      },
      properties: {
        cloud: row.cloud,
        clusterId: row.clusterId,
        currentVersion: current,
        targetVersion: target,
        outcome: row.outcome,
      },
    });
  };
  for (const row of report.clusters) {
    const { target } = versionsOf(row);
    const where = `${row.cloud} cluster ${nameOf(row)} (upgrade to ${target})`;
    const describe = (finding: Finding) =>
      `${where}: ${finding.checkName} [${finding.vendorLevel ?? finding.severity}]${finding.message === undefined ? "" : `: ${finding.message}`}`;
    for (const finding of row.readiness?.blocking ?? [])
      add(row, ruleOfFinding(finding), "error", describe(finding), findingIdentity(finding));
    for (const finding of row.readiness?.warnings ?? [])
      add(row, ruleOfFinding(finding), "warning", describe(finding), findingIdentity(finding));
    const blockedWithoutFinding = row.outcome !== "safe" && (row.readiness?.blocking.length ?? 0) === 0;
    if (blockedWithoutFinding) {
      add(
        row,
        ruleOfVerdict(row.readiness?.verdict ?? "error"),
        "error",
        `${where}: ${reasonsOf(row).join(" ")}`,
      );
    }
  }
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "upgrade-guard", version: report.tool.version, rules: [...rules.values()] } },
        results,
        properties: {
          schemaVersion: report.schemaVersion,
          generatedAt: report.generatedAt,
          summary: report.summary,
        },
      },
    ],
  };
}
