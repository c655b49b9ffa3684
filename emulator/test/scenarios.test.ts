/** Scenario files: the documented format, validation with clear errors, built-ins, and seeding. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import {
  builtinScenarioNames,
  loadScenarioFile,
  ScenarioError,
  startEmulator,
  validateScenario,
} from "../src";
import { resolveScenario } from "../src/scenario/load";
import { seedState } from "../src/scenario/seed";
import { type StateData } from "../src/state/types";
import { control } from "./helpers/http";

const problems = (input: unknown): string => {
  try {
    validateScenario(input, "test scenario");
  } catch (error) {
    if (error instanceof ScenarioError) return error.message;
    throw error;
  }
  throw new Error("expected the scenario to be rejected");
};

describe("validation", () => {
  it("lists every problem with its path, including misspelt keys", () => {
    const message = problems({
      name: "typos",
      clusters: [
        { cloud: "cce", name: "a", verison: "v1.29.5-r0" },
        { cloud: "ack", name: "b", version: "1.31.1-aliyun.1", checkProgress: { duration: "soon" } },
      ],
    });
    expect(message).toMatch(/^test scenario is invalid:/);
    expect(message).toMatch(/clusters\.0: Unrecognized key: "verison"/);
    expect(message).toMatch(/clusters\.0\.version: /);
    expect(message).toMatch(/clusters\.1\.checkProgress\.duration: expected a duration/);
  });

  it("checks what the schema cannot: versions, duplicate names, reserved account names", () => {
    const message = problems({
      name: "semantics",
      accounts: {
        alibaba: [{ name: "default", accessKeyId: "a", accessKeySecret: "b", region: "cn-hangzhou" }],
      },
      clusters: [
        { cloud: "cce", name: "x", version: "1.29.5" },
        { cloud: "ack", name: "y", version: "1.31.1-aliyun.1", targetVersions: ["v1.32"] },
        { cloud: "ack", name: "y", version: "1.31.1-aliyun.1" },
      ],
    });
    expect(message).toMatch(/x: version "1\.29\.5" is not a CCE version/);
    expect(message).toMatch(/y: version "v1\.32" is not a ACK version/);
    expect(message).toMatch(/"y" \(ack\) is defined twice/);
    expect(message).toMatch(/"default" is reserved/);
  });

  it("refuses a scenario too large to seed before expanding it (generate multiplies)", async () => {
    const template = {
      cloud: "ack" as const,
      name: "g-{i}",
      version: "1.31.1-aliyun.1",
      history: { ack: { checks: Array.from({ length: 100 }, () => ({ createdAgo: "1m" })) } },
    };
    // 1,000 entries of 20,000 clusters each: 20 million clusters, 2 billion checks if expanded.
    const huge = {
      name: "huge",
      generate: Array.from({ length: 1000 }, () => ({ count: 20_000, template })),
    };
    expect(problems(huge)).toMatch(
      /test scenario is too large: 20000000 clusters with 2000000000 add-ons and history records in all .*at most 20000 clusters and 200000 records/,
    );
    const emulator = await startEmulator({ scenario: "empty" });
    try {
      // Small on the wire, 40,000 clusters once expanded.
      const wide = {
        name: "wide",
        generate: [1, 2].map((n) => ({
          count: 20_000,
          template: { ...template, name: `w${n}-{i}`, history: {} },
        })),
      };
      const answer = await control<{ error: string }>(emulator.url, "POST", "scenario", { scenario: wide });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatch(/too large/);
      expect((await control<unknown[]>(emulator.url, "GET", "clusters")).body).toEqual([]);
    } finally {
      await emulator.close();
    }
  });

  it("the README's format example is a valid scenario once its placeholders are filled in", () => {
    const readme = readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
    const block = /### Format\n+```yaml\n([\s\S]*?)\n```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const lines = block!.split("\n");
    // The CCE example cluster shows the ACK history format too; that part belongs to ACK clusters.
    const ackStart = lines.findIndex((l) => /^ {6}ack:/.test(l));
    const ackEnd = lines.findIndex((l, i) => i > ackStart && /^\S/.test(l));
    expect(ackStart).toBeGreaterThan(0);
    const text = [...lines.slice(0, ackStart), ...lines.slice(ackEnd)]
      .join("\n")
      .replace(/, outcome: \{\.\.\.\}/g, "")
      .replace(/\[\.\.\.\]/g, "[x]")
      .replace(/message: \.\.\./g, "message: text")
      .replace(/id: 32hexchars\.\.\./, "id: 0123456789abcdef0123456789abcdef")
      .replace(/projectId: \.\.\./, "projectId: ugemuproject0000000000000000000a")
      .replace(/ id: \.\.\./g, " id: my-id")
      .replace(/name: load-ack-\{i\}/, 'name: "load-ack-{i}"');
    expect(text).not.toMatch(/\.\.\./);
    const scenario = validateScenario(parseYaml(text), "README example");
    const data = seedState(scenario, Date.now()).store.toData();
    expect(data.clusters.map((c) => c.name)).toEqual(
      expect.arrayContaining(["my-cluster", "load-ack-1", "load-ack-500"]),
    );
    // The history precheck, and the one its workflow (precheck: done) ran.
    expect(data.ccePrechecks).toHaveLength(2);
    expect(data.cceWorkflows).toHaveLength(1);
  });

  it("reports seeding problems (unknown accounts, add-ons) per cluster", () => {
    const scenario = validateScenario({
      name: "refs",
      clusters: [
        { cloud: "cce", name: "p", account: "ghost", version: "v1.29.5-r0" },
        {
          cloud: "cce",
          name: "q",
          version: "v1.29.5-r0",
          history: { cce: { addonChecks: [{ addon: "everest" }] } },
        },
      ],
    });
    expect(() => seedState(scenario, Date.now())).toThrow(
      /clusters\[0\] \(p\): unknown Huawei account "ghost"[\s\S]*clusters\[1\] \(q\): .*no add-on "everest"/,
    );
  });

  it("loads JSON and YAML files and names the file on a parse error", () => {
    const folder = mkdtempSync(path.join(tmpdir(), "ugemu-scn-"));
    const yamlFile = path.join(folder, "s.yaml");
    writeFileSync(
      yamlFile,
      "name: from-yaml\nclusters:\n  - { cloud: ack, name: a, version: 1.31.1-aliyun.1 }\n",
    );
    expect(loadScenarioFile(yamlFile).clusters.map((c) => c.name)).toEqual(["a"]);
    const jsonFile = path.join(folder, "s.json");
    writeFileSync(jsonFile, JSON.stringify({ name: "from-json" }));
    expect(loadScenarioFile(jsonFile).name).toBe("from-json");
    const broken = path.join(folder, "broken.yaml");
    writeFileSync(broken, "name: [unclosed\n");
    expect(() => loadScenarioFile(broken)).toThrow(
      new RegExp(`${broken.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: cannot parse YAML`),
    );
    expect(() => resolveScenario(path.join(folder, "missing.yaml"))).toThrow(
      /unknown scenario .* not a built-in \(.*default.*\) and no such file/,
    );
  });
});

describe("built-in scenarios", () => {
  it("every built-in validates and seeds", () => {
    const names = builtinScenarioNames();
    expect(names).toEqual(
      expect.arrayContaining([
        "default",
        "empty",
        "many-clusters",
        "expired-prechecks",
        "workflow-failed",
        "upgrade-failures",
        "multi-account",
      ]),
    );
    for (const name of names) {
      const scenario = resolveScenario(name);
      expect(scenario.name).toBe(name);
      expect(() => seedState(scenario, Date.now())).not.toThrow();
    }
  });

  it("the default scenario holds the six documented clusters with fresh, finished checks", async () => {
    const emulator = await startEmulator({ freezeClock: true });
    try {
      const clusters = emulator.control.clusters();
      expect(clusters.map((c) => [c.name, c.cloud, c.version, c.nextVersion])).toEqual([
        ["cce-blocked", "cce", "v1.29.5-r0", "v1.30"],
        ["cce-ready", "cce", "v1.29.5-r0", "v1.30"],
        ["cce-unchecked", "cce", "v1.29.5-r0", "v1.30"],
        ["ack-ready", "ack", "1.31.1-aliyun.1", "1.32.1-aliyun.1"],
        ["ack-blocked", "ack", "1.31.1-aliyun.1", "1.32.1-aliyun.1"],
        ["ack-upgrading", "ack", "1.31.1-aliyun.1", "1.32.1-aliyun.1"],
      ]);
      const { body } = await control<{ state: StateData }>(emulator.url, "GET", "state");
      const now = emulator.control.clock().nowMs;
      const finished = [
        ...body.state.ccePrechecks,
        ...body.state.cceAddonChecks,
        ...body.state.ackChecks,
      ].map((t) => t.clock);
      expect(finished).toHaveLength(7);
      for (const clock of finished) {
        expect(clock.finishedAt).toBeDefined();
        expect(now - clock.createdAt).toBeLessThanOrEqual(10 * 60_000);
        expect(now - clock.finishedAt!).toBeLessThan(60 * 60_000);
      }
      expect(body.state.ackTasks.map((t) => [t.clusterId, t.clock.finishedAt])).toEqual([
        [clusters[5]!.id, undefined],
      ]);
    } finally {
      await emulator.close();
    }
  });

  it("many-clusters generates 1,000 clusters with stable ids", () => {
    const now = Date.now();
    const a = seedState(resolveScenario("many-clusters"), now).store.allClusters();
    const b = seedState(resolveScenario("many-clusters"), now + 1000).store.allClusters();
    expect(a).toHaveLength(1000);
    expect(a.filter((c) => c.cloud === "cce")).toHaveLength(500);
    expect(a[0]?.name).toBe("load-cce-1");
    expect(a.map((c) => c.id)).toEqual(b.map((c) => c.id));
    expect(new Set(a.map((c) => c.id)).size).toBe(1000);
  });
});
