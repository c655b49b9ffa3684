// Every output format of one report, read back by a parser of that format and checked for
// structure (not byte snapshots): the CLI in process against the embedded emulator, real HTTP.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import Ajv from "ajv";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { parse as parseYaml } from "yaml";
import { EXIT, OUTPUT_FORMATS, render, reportJsonSchema, reportSchema, run, type Report } from "../src/index";

/**
 * The SARIF 2.1.0 JSON Schema (draft-04) as Microsoft publishes it, from @microsoft/jest-sarif (whose
 * matcher itself cannot load: it needs tslib and does not declare it). Validated the way it does.
 */
function sarifValidator(): Ajv.ValidateFunction {
  const ajv = new Ajv({ schemaId: "auto", allErrors: true, validateSchema: false });
  const json = (module: string) => JSON.parse(readFileSync(require.resolve(module), "utf8")) as object;
  ajv.addMetaSchema(json("ajv/lib/refs/json-schema-draft-04.json"));
  return ajv.compile(json("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"));
}

const BARE_ENV: NodeJS.ProcessEnv = { PATH: process.env.PATH };
const NOW = new Date("2026-12-03T12:00:00.000Z");
const SCHEMA_FILE = path.join(__dirname, "..", "schema", "report.schema.json");

async function output(format: string, extra: string[] = []): Promise<{ code: number; text: string }> {
  let text = "";
  const code = await run(["report", "-o", format, "-q", ...extra], {
    env: BARE_ENV,
    stdout: { write: (chunk: string) => (text += chunk) },
    stderr: { write: () => true },
    now: () => NOW,
  });
  return { code, text };
}

let report: Report;
beforeAll(async () => {
  const { code, text } = await output("json");
  expect(code).toBe(EXIT.ready);
  report = reportSchema.parse(JSON.parse(text));
});

describe("the report schema", () => {
  it("is published as a JSON Schema file that matches the zod schema (UPDATE_SCHEMA=1 rewrites it)", () => {
    const generated = `${JSON.stringify(reportJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA === "1") writeFileSync(SCHEMA_FILE, generated);
    expect(readFileSync(SCHEMA_FILE, "utf8")).toBe(generated);
  });

  it("validates the JSON output, and rejects a report with a wrong outcome", () => {
    const ajv = new Ajv({ allErrors: true });
    ajv.addFormat("date-time", (value: string) => !Number.isNaN(Date.parse(value)));
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as object);
    expect(validate(report)).toBe(true);
    const broken = { ...report, clusters: [{ ...report.clusters[0], outcome: "fine" }] };
    expect(validate(broken)).toBe(false);
  });

  it("counts the clusters: every outcome and verdict adds up, and the gate code follows", () => {
    const { summary, clusters } = report;
    expect(report.schemaVersion).toBe("upgrade-guard.report/v1");
    expect(report.generatedAt).toBe(NOW.toISOString());
    expect(summary.total).toBe(clusters.length);
    expect(summary.safe + summary.blocked + summary.undecided).toBe(summary.total);
    expect(Object.values(summary.verdicts).reduce((a, b) => a + b, 0)).toBe(summary.total);
    expect(summary.blocked).toBeGreaterThan(0);
    expect(summary.undecided).toBeGreaterThan(0); // cce-unchecked
    expect(summary.gateExitCode).toBe(3);
  });
});

describe("every output format", () => {
  it("has a renderer, and every one exits 0 for a report", async () => {
    for (const format of OUTPUT_FORMATS) expect((await output(format)).code).toBe(EXIT.ready);
  });

  it("yaml is the same object as json", async () => {
    // The same report object, both ways (another run would read other timestamps).
    const yaml = render(report, "yaml", { color: false });
    expect(parseYaml(yaml)).toEqual(JSON.parse(render(report, "json", { color: false })));
    // And the CLI's own YAML is a valid report of the same clusters.
    const fromCli = reportSchema.parse(parseYaml((await output("yaml")).text));
    expect(fromCli.clusters.map((c) => [c.clusterId, c.outcome])).toEqual(
      report.clusters.map((c) => [c.clusterId, c.outcome]),
    );
  });

  it("table and wide have a row per cluster; wide adds ids, regions and counts", async () => {
    const table = (await output("table")).text.split("\n");
    const wide = (await output("wide")).text.split("\n");
    expect(table[0]).toMatch(/^CLOUD\s+CLUSTER\s+CURRENT\s+TARGET\s+VERDICT\s+WORST\s+CHECK$/);
    expect(wide[0]).toMatch(
      /^CLOUD\s+CLUSTER\s+ID\s+REGION\s+STATE\s+CURRENT\s+TARGET\s+VERDICT\s+WORST\s+BLOCKING\s+WARNINGS\s+CHECK\s+OBSERVED$/,
    );
    for (const [index, cluster] of report.clusters.entries()) {
      expect(table[index + 1]).toMatch(new RegExp(`^${cluster.cloud}\\s+${cluster.cluster}\\s`));
      const cells = (wide[index + 1] ?? "").split(/\s{2,}/);
      expect(cells[2]).toBe(cluster.clusterId);
      expect(cells[3]).toBe(cluster.readiness?.region);
      expect(cells[9]).toBe(String(cluster.readiness?.blocking.length));
    }
  });

  it("markdown: a table row per cluster and a section per cluster not safe", async () => {
    const text = (await output("markdown")).text;
    const rows = text.split("\n").filter((line) => /^\| (✅|⛔|⚠️) \|/.test(line));
    expect(rows).toHaveLength(report.clusters.length);
    const sections = text.split("\n").filter((line) => line.startsWith("## "));
    expect(sections).toHaveLength(report.clusters.filter((c) => c.outcome !== "safe").length);
    expect(text).toContain("## cce cce-blocked: blocked");
    expect(text).toContain("## cce cce-unchecked: undecided");
  });

  it("junit: well-formed, one test case per cluster, failures carry the blocking findings", async () => {
    const xml = (await output("junit")).text;
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "",
      isArray: (name) => ["testsuite", "testcase"].includes(name),
    }).parse(xml) as {
      testsuites: {
        tests: string;
        failures: string;
        errors: string;
        testsuite: {
          name: string;
          testcase: {
            name: string;
            failure?: { message: string; "#text": string };
            error?: { message: string };
          }[];
        }[];
      };
    };
    const suites = parsed.testsuites;
    expect(Number(suites.tests)).toBe(report.summary.total);
    expect(Number(suites.failures)).toBe(report.summary.blocked);
    expect(Number(suites.errors)).toBe(report.summary.undecided);
    const cases = suites.testsuite.flatMap((suite) => suite.testcase);
    expect(cases).toHaveLength(report.clusters.length);
    const blocked = cases.find((c) => c.name.startsWith("cce-blocked "));
    const fatal = report.clusters.find((c) => c.cluster === "cce-blocked")?.readiness?.blocking ?? [];
    expect(fatal.length).toBeGreaterThan(0);
    for (const finding of fatal) expect(blocked?.failure?.message).toContain(finding.checkName);
    expect(blocked?.failure?.["#text"]).toContain("Blocking:");
    expect(cases.find((c) => c.name.startsWith("cce-unchecked "))?.error?.message).toContain(
      "could not decide",
    );
    expect(cases.find((c) => c.name.startsWith("cce-ready "))?.failure).toBeUndefined();
  });

  it("sarif: a valid SARIF 2.1.0 log (Microsoft's schema), one error result per blocking finding", async () => {
    const sarif = JSON.parse((await output("sarif")).text) as {
      version: string;
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        results: { ruleId: string; level: string; locations: { logicalLocations: { name: string }[] }[] }[];
      }[];
    };
    const validate = sarifValidator();
    expect(validate(sarif) ? [] : validate.errors).toEqual([]);
    expect(validate({ ...sarif, version: "2.0.0" })).toBe(false);
    expect(sarif.version).toBe("2.1.0");
    const [runLog] = sarif.runs;
    const ruleIds = new Set(runLog?.tool.driver.rules.map((rule) => rule.id));
    for (const result of runLog?.results ?? []) expect(ruleIds.has(result.ruleId)).toBe(true);
    const blockingFindings = report.clusters.flatMap((c) => c.readiness?.blocking ?? []).length;
    const errorsForFindings = (runLog?.results ?? []).filter(
      (r) => r.level === "error" && !r.ruleId.startsWith("upgrade-guard/"),
    );
    expect(errorsForFindings).toHaveLength(blockingFindings);
    const unchecked = (runLog?.results ?? []).find(
      (r) => r.locations[0]?.logicalLocations[0]?.name === "cce-unchecked",
    );
    expect(unchecked?.ruleId).toBe("upgrade-guard/unknown");
  });

  it("sarif: --source points each result at the line naming its cluster; a missing --source is bad usage", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ug-sarif-"));
    const source = path.join(dir, "clusters.ts");
    const declared = report.clusters.find((c) => c.cluster === "cce-blocked");
    expect(declared).toBeDefined();
    writeFileSync(source, `// fleet\nconst a = 1;\nnew Cluster("${declared?.cluster ?? ""}", {});\n`);
    type Location = {
      physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } };
      logicalLocations: { name: string }[];
    };
    const sarif = JSON.parse((await output("sarif", ["--source", source])).text) as {
      runs: { results: { locations: Location[] }[] }[];
    };
    const locations = (sarif.runs[0]?.results ?? []).map((r) => r.locations[0] as Location);
    expect(sarifValidator()(sarif)).toBe(true);
    for (const location of locations) expect(location.physicalLocation.artifactLocation.uri).toBe(source);
    const lines = locations.map((l) => [l.logicalLocations[0]?.name, l.physicalLocation.region?.startLine]);
    expect(lines).toContainEqual(["cce-blocked", 3]);
    // A cluster the file does not name has no line, and the default file is Pulumi.yaml.
    expect(lines.filter(([name]) => name !== "cce-blocked").every(([, line]) => line === undefined)).toBe(
      true,
    );
    const missing = await output("sarif", ["--source", path.join(dir, "nope.ts")]);
    expect(missing.code).toBe(EXIT.usage);
  });

  it("html: one self-contained page with no address outside it", async () => {
    const html = (await output("html")).text;
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("default-src 'none'");
    // No src/href to another origin: the only absolute URL is the SVG namespace.
    expect(html.match(/(?:src|href)="(?!#)[^"]*"/g) ?? []).toEqual([]);
  });
});
