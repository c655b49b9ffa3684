// Vendor text that would break an output (terminal escapes, characters XML forbids) and findings that
// only their details tell apart: the CLI in process against the embedded emulator, real HTTP.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { registerSecret } from "@upgrade-guard/provider";
import { EXIT, run } from "../src/index";

const BARE_ENV: NodeJS.ProcessEnv = { PATH: process.env.PATH };
/** What a hostile vendor would send: retitle the window (OSC ... BEL), then clear the screen. */
const EVIL = "\u001b]0;x\u0007\u001b[2J";
/** The tool's own colour codes (table.ts), the only escapes a coloured table may hold. */
// eslint-disable-next-line no-control-regex
const OWN_CODES = /\u001b\[(?:31|32|33|1|0)m/g;

function scenarioFile(scenario: object): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "ug-hostile-")), "scenario.json");
  writeFileSync(file, JSON.stringify(scenario));
  return file;
}

async function cli(
  args: string[],
  options: { tty?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await run(args, {
    env: options.env ?? BARE_ENV,
    stdout: { write: (chunk: string) => (stdout += chunk), isTTY: options.tty === true },
    stderr: { write: (chunk: string) => (stderr += chunk) },
  });
  return { code, stdout, stderr };
}

const cceCheck = { cce: { prechecks: [{ targetVersion: "v1.30", createdAgo: "5m" }] } };

describe("terminal output shows vendor control characters instead of obeying them", () => {
  const scenario = scenarioFile({
    name: "escapes",
    clusters: [
      {
        cloud: "cce",
        name: `evil${EVIL}name`,
        version: "v1.29.5-r0",
        targetVersions: ["v1.30"],
        outcomes: {
          "v1.30": {
            precheck: {
              items: [
                {
                  name: `Chk${EVIL}`,
                  group: "NodeCheck",
                  level: "Fatal",
                  message: `disk full${EVIL}\u0000\u0008 end\nsecond line`,
                },
              ],
            },
          },
        },
        history: cceCheck,
      },
    ],
  });

  it("table and wide: no ESC without colour (also under NO_COLOR), the controls shown as \\x1b", async () => {
    for (const format of ["table", "wide"]) {
      const plain = await cli(["report", "-q", "-o", format, "--scenario", scenario, "--no-color"], {
        tty: true,
      });
      const noColor = await cli(["report", "-q", "-o", format, "--scenario", scenario], {
        tty: true,
        env: { ...BARE_ENV, NO_COLOR: "1" },
      });
      for (const { code, stdout } of [plain, noColor]) {
        expect(code).toBe(EXIT.ready);
        // eslint-disable-next-line no-control-regex
        expect(stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
        expect(stdout).toContain("evil\\x1b]0;x\\x07\\x1b[2Jname");
        expect(stdout).toContain("disk full\\x1b]0;x\\x07\\x1b[2J\\x00\\x08 end");
        // A vendor line break stays, indented under its list item.
        expect(stdout).toMatch(/\n {4}second line/);
      }
    }
  });

  it("with colour on, the only escapes are the tool's own colour codes", async () => {
    for (const format of ["table", "wide"]) {
      const { stdout } = await cli(["report", "-q", "-o", format, "--scenario", scenario], { tty: true });
      expect(stdout.match(OWN_CODES)?.length ?? 0).toBeGreaterThan(0);
      expect(stdout.replace(OWN_CODES, "")).not.toContain("\u001b");
      expect(stdout).toContain("evil\\x1b]0;x\\x07\\x1b[2Jname");
    }
  });

  it("-v progress lines name the cluster with its controls shown", async () => {
    const { stderr } = await cli(["report", "-v", "-o", "json", "--scenario", scenario]);
    expect(stderr).toContain("upgrade-guard: cce evil\\x1b]0;x\\x07\\x1b[2Jname: blocked in ");
    expect(stderr).not.toContain("\u001b");
    expect(stderr).not.toContain("\u0007");
  });
});

type SarifLog = {
  runs: {
    results: {
      ruleId: string;
      message: { text: string };
      partialFingerprints: Record<string, string>;
      locations: {
        physicalLocation: { region?: { startLine: number } };
        logicalLocations: { name: string }[];
      }[];
    }[];
  }[];
};

describe("an unexpected failure", () => {
  it("is reported by run itself: exit 3, said to be a bug, redacted, its controls shown", async () => {
    // A failing stdout is the one unexpected failure a caller can cause from outside.
    registerSecret("planted-hostile-secret");
    let stderr = "";
    const code = await run(["--version"], {
      env: BARE_ENV,
      stdout: {
        write: () => {
          throw new Error(`pipe broke${EVIL} near planted-hostile-secret`);
        },
      },
      stderr: { write: (chunk: string) => (stderr += chunk) },
    });
    expect(code).toBe(EXIT.noVerdict);
    expect(stderr).toMatch(
      /^upgrade-guard: unexpected failure \(a bug in upgrade-guard; please report it\): pipe broke/,
    );
    expect(stderr).toContain("\\x1b]0;x\\x07");
    expect(stderr).not.toContain("\u001b");
    expect(stderr).not.toContain("planted-hostile-secret");
  });
});

describe("sarif", () => {
  // Findings of one rule on one cluster that differ only in what they concern (add-on, node) or, for
  // two items the vendor reports alike, only in their text.
  const scenario = scenarioFile({
    name: "alike",
    clusters: [
      {
        cloud: "cce",
        name: "cce-addons",
        version: "v1.29.5-r0",
        targetVersions: ["v1.30"],
        addons: ["coredns", "everest"].map((template) => ({
          template,
          version: "1.0.0",
          risks: [{ riskName: "AddonStatus", level: "Fatal", message: `addon ${template} is not running` }],
        })),
        outcomes: {
          "v1.30": { precheck: { items: [{ name: "ClusterStatus", group: "MasterCheck", level: "Info" }] } },
        },
        history: {
          cce: {
            prechecks: [{ targetVersion: "v1.30", createdAgo: "5m" }],
            addonChecks: ["coredns", "everest"].map((addon) => ({
              addon,
              type: "addonUpgrade",
              targetVersion: "2.0.0",
              createdAgo: "4m",
            })),
          },
        },
      },
      {
        cloud: "cce",
        name: "cce-nodes",
        version: "v1.29.5-r0",
        targetVersions: ["v1.30"],
        nodePools: [{ name: "workers", nodeNames: ["192.168.0.11", "192.168.0.12"] }],
        outcomes: {
          "v1.30": {
            precheck: {
              items: [
                ...["192.168.0.11", "192.168.0.12"].map((node) => ({
                  name: "NodeDiskSpace",
                  group: "NodeCheck",
                  node,
                  level: "Fatal",
                  message: `disk full on ${node}`,
                })),
                ...["quota A", "quota B"].map((message) => ({
                  name: "ClusterQuota",
                  group: "MasterCheck",
                  level: "Fatal",
                  message,
                })),
              ],
            },
          },
        },
        history: cceCheck,
      },
    ],
  });

  it("gives every finding its own fingerprint, and the same finding the same one on another run", async () => {
    const fingerprints = async () => {
      const { code, stdout } = await cli(["report", "-q", "-o", "sarif", "--scenario", scenario]);
      expect(code).toBe(EXIT.ready);
      const results = (JSON.parse(stdout) as SarifLog).runs[0]?.results ?? [];
      return new Map(results.map((r) => [r.message.text, JSON.stringify(r.partialFingerprints)]));
    };
    const first = await fingerprints();
    expect(
      [...first.keys()].filter((text) => /AddonStatus|NodeDiskSpace|ClusterQuota/.test(text)),
    ).toHaveLength(6);
    expect(new Set(first.values()).size).toBe(first.size);
    // Another run reads new checks (new ids, new times): the same findings keep their fingerprints.
    expect(await fingerprints()).toEqual(first);
  });

  it("--source: a cluster's line is where its name stands as a whole word, not inside a longer name", async () => {
    const source = path.join(mkdtempSync(path.join(tmpdir(), "ug-sarif-")), "Pulumi.yaml");
    writeFileSync(
      source,
      [
        "name: fleet",
        "resources:",
        "  legacy:",
        "    properties:",
        "      clusterName: cce-addons-old",
        "  main:",
        "    properties:",
        "      clusterName: cce-addons",
        "  nodes:",
        '    properties: { clusterName: "cce-nodes" }',
      ].join("\n"),
    );
    const { stdout } = await cli(["report", "-q", "-o", "sarif", "--scenario", scenario, "--source", source]);
    const lines = new Map(
      ((JSON.parse(stdout) as SarifLog).runs[0]?.results ?? []).map((r) => [
        r.locations[0]?.logicalLocations[0]?.name,
        r.locations[0]?.physicalLocation.region?.startLine,
      ]),
    );
    expect(lines.get("cce-addons")).toBe(8);
    expect(lines.get("cce-nodes")).toBe(10);
  });
});

describe("junit", () => {
  it("is well-formed XML when vendor text holds U+FFFE, U+FFFF or a lone surrogate", async () => {
    const scenario = scenarioFile({
      name: "nonchar",
      clusters: [
        {
          cloud: "ack",
          name: "ack-nc",
          version: "1.31.1-aliyun.1",
          targetVersions: ["1.32.1-aliyun.1"],
          outcomes: {
            "1.32.1-aliyun.1": {
              check: {
                items: [
                  {
                    name: "DeprecatedAPI",
                    group: "ClusterComponent",
                    level: "error",
                    message: "truncated \uFFFE\uFFFF\uD800 vendor \uD83D\uDE00 text",
                    targets: ["x"],
                  },
                ],
              },
            },
          },
          history: {
            ack: { checks: [{ type: "ClusterUpgrade", targetVersion: "1.32.1-aliyun.1", createdAgo: "5m" }] },
          },
        },
      ],
    });
    const { stdout } = await cli(["report", "-q", "-o", "junit", "--scenario", scenario]);
    expect(XMLValidator.validate(stdout)).toBe(true);
    // The node XML parsers at hand do not check XML 1.0's Char production, so check it here.
    expect(stdout).not.toMatch(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u);
    // What is allowed stays, a whole surrogate pair (an emoji) included.
    expect(stdout).toContain("truncated  vendor \uD83D\uDE00 text");
  });
});
