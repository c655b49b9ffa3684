/**
 * Finds, parses and validates scenarios. A scenario is a built-in name (a file in the package's
 * `scenarios/` folder), a path to a JSON or YAML file, or an object. Loading happens at start-up or on
 * a control call, never on the request path, so synchronous file reads are fine here.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { type z } from "zod";
import { ScenarioError } from "./errors";
import { expandClusters } from "./seed";
import { targetsAfter } from "../state/versions";
import { scenarioSchema, type ClusterSpec, type Scenario, type ScenarioInput } from "./schema";

/** The package's `scenarios/` folder (same depth from src/ and dist/). */
export const BUILTIN_SCENARIO_DIR = path.resolve(__dirname, "..", "..", "scenarios");

export const DEFAULT_SCENARIO = "default";

export function builtinScenarioNames(): string[] {
  if (!existsSync(BUILTIN_SCENARIO_DIR)) return [];
  return readdirSync(BUILTIN_SCENARIO_DIR)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .map((f) => f.replace(/\.(ya?ml|json)$/, ""))
    .sort();
}

function builtinFile(name: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) return undefined;
  for (const ext of [".yaml", ".yml", ".json"]) {
    const file = path.join(BUILTIN_SCENARIO_DIR, `${name}${ext}`);
    if (existsSync(file)) return file;
  }
  return undefined;
}

function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const where = issue.path.length === 0 ? "(root)" : issue.path.map(String).join(".");
      return `  - ${where}: ${issue.message}`;
    })
    .join("\n");
}

/** The most clusters one scenario may hold, `generate` included. */
export const MAX_SCENARIO_CLUSTERS = 20_000;
/** The most add-ons and history records (checks, tasks, workflows) one scenario may create. */
export const MAX_SCENARIO_RECORDS = 200_000;

function scenarioSize(scenario: Scenario): { clusters: number; records: number } {
  const records = (c: ClusterSpec): number =>
    c.addons.length +
    (c.history.cce === undefined
      ? 0
      : c.history.cce.prechecks.length +
        c.history.cce.addonChecks.length +
        c.history.cce.upgrades.length +
        c.history.cce.workflows.length) +
    (c.history.ack === undefined ? 0 : c.history.ack.checks.length + c.history.ack.upgrades.length);
  let clusters = scenario.clusters.length;
  let total = scenario.clusters.reduce((sum, c) => sum + records(c), 0);
  for (const g of scenario.generate) {
    clusters += g.count;
    total += g.count * records(g.template);
  }
  return { clusters, records: total };
}

/** Validates an object; throws ScenarioError listing every problem. */
export function validateScenario(input: unknown, source = "scenario"): Scenario {
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) throw new ScenarioError(`${source} is invalid:\n${formatIssues(parsed.error.issues)}`);
  const scenario = parsed.data;
  const size = scenarioSize(scenario);
  if (size.clusters > MAX_SCENARIO_CLUSTERS || size.records > MAX_SCENARIO_RECORDS)
    // Checked before anything is expanded: `generate` multiplies, and one request must not exhaust memory.
    throw new ScenarioError(
      `${source} is too large: ${size.clusters} clusters with ${size.records} add-ons and history records in all ` +
        `(generate counts included); at most ${MAX_SCENARIO_CLUSTERS} clusters and ${MAX_SCENARIO_RECORDS} records`,
    );
  const problems: string[] = [];
  const seen = new Map<string, number>();
  expandClusters(scenario).forEach((cluster, index) => {
    const key = `${cluster.cloud}/${cluster.account}/${cluster.name}`;
    const first = seen.get(key);
    if (first !== undefined)
      problems.push(
        `  - clusters: "${cluster.name}" (${cluster.cloud}) is defined twice (#${first} and #${index})`,
      );
    seen.set(key, index);
    const versionPattern =
      cluster.cloud === "cce" ? /^v\d+\.\d+(\.\d+)?(-r\d+)?$/ : /^\d+\.\d+(\.\d+)?(-aliyun\.\d+)?$/;
    const example = cluster.cloud === "cce" ? "v1.29.5-r0 or v1.30" : "1.31.1-aliyun.1";
    for (const v of [cluster.version, ...cluster.targetVersions]) {
      if (!versionPattern.test(v))
        problems.push(
          `  - ${cluster.name}: version "${v}" is not a ${cluster.cloud.toUpperCase()} version (like ${example})`,
        );
    }
    // A target at or below the current version would let the emulator "upgrade" a cluster backwards.
    const stale = cluster.targetVersions.filter((t) => targetsAfter(cluster.version, [t]).length === 0);
    if (stale.length > 0)
      problems.push(
        `  - ${cluster.name}: targetVersions ${stale.map((t) => `"${t}"`).join(", ")} not newer than its version "${cluster.version}"`,
      );
    if (cluster.cloud === "ack" && cluster.addons.length > 0)
      problems.push(`  - ${cluster.name}: addons are only for CCE clusters`);
  });
  const names = [...scenario.accounts.huawei, ...scenario.accounts.alibaba].map((a) => a.name);
  if (names.includes("default"))
    problems.push(`  - accounts: "default" is reserved for the built-in account`);
  if (problems.length > 0) throw new ScenarioError(`${source} is invalid:\n${problems.join("\n")}`);
  return scenario;
}

function parseText(text: string, file: string): unknown {
  const ext = path.extname(file).toLowerCase();
  try {
    if (ext === ".json") return JSON.parse(text);
    return parseYaml(text);
  } catch (error) {
    throw new ScenarioError(
      `${file}: cannot parse ${ext === ".json" ? "JSON" : "YAML"}: ${parseProblem(error as Error, ext === ".json")}`,
    );
  }
}

/**
 * The parser's complaint without the file's text: V8's JSON errors quote a piece of the input and the
 * YAML parser prints the offending line, and a scenario path can be any file the emulator may read
 * (the control API loads files too), so only the position is kept.
 */
function parseProblem(error: Error, json: boolean): string {
  if (json) {
    const position = /at position \d+( \(line \d+ column \d+\))?/.exec(error.message)?.[0];
    const end = /Unexpected end of JSON input/.test(error.message);
    return end ? "unexpected end of input" : `not valid JSON${position === undefined ? "" : ` ${position}`}`;
  }
  const first = (error.message.split("\n")[0] ?? "").replace(/:$/, "");
  return first;
}

export function loadScenarioFile(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ScenarioError(`cannot read scenario file ${file}: ${(error as Error).message}`);
  }
  return validateScenario(parseText(text, file), file);
}

/** A built-in name, a file path, or a scenario object. */
export function resolveScenario(source: string | ScenarioInput): Scenario {
  if (typeof source !== "string") return validateScenario(source);
  const builtin = builtinFile(source);
  if (builtin !== undefined) return loadScenarioFile(builtin);
  const file = path.resolve(source);
  if (existsSync(file)) return loadScenarioFile(file);
  const names = builtinScenarioNames();
  throw new ScenarioError(
    `unknown scenario "${source}": not a built-in (${names.join(", ") || "none found"}) and no such file`,
  );
}
