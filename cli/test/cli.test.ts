// The CLI in process against the embedded emulator (real HTTP on loopback, no mocks).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { EXIT, parseCommandLine, run, type Report } from "../src/index";
import { PROGRESS_LINES_FROM, startProgress } from "../src/progress";
import { clientEnvironment, startEmulator } from "@upgrade-guard/emulator";

function capture() {
  let text = "";
  return { write: (chunk: string) => (text += chunk), text: () => text };
}

/** An environment with nothing configured: the CLI must choose the embedded emulator. */
const BARE_ENV: NodeJS.ProcessEnv = { PATH: process.env.PATH };

async function cli(args: string[], env: NodeJS.ProcessEnv = BARE_ENV) {
  const stdout = capture();
  const stderr = capture();
  const code = await run(args, { env, stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe("upgrade-guard CLI against the embedded emulator", () => {
  it("reports every cluster of both clouds, offline, when nothing is configured", async () => {
    const { code, stdout, stderr } = await cli([]);
    expect(code).toBe(EXIT.ready);
    expect(stderr).toContain("embedded emulator");
    for (const name of ["cce-blocked", "cce-ready", "cce-unchecked", "ack-ready", "ack-blocked"]) {
      expect(stdout).toContain(name);
    }
    expect(stdout).toMatch(/cce-blocked\s+v1\.29\.5-r0\s+v1\.30\s+blocked\s+fatal/);
    expect(stdout).toMatch(/ack-ready\s+1\.31\.1-aliyun\.1\s+1\.32\.1-aliyun\.1\s+ready/);
    expect(stdout).toMatch(/\d+ of \d+ cluster\(s\) safe to upgrade; \d+ blocked; \d+ undecided\./);
  });

  it("shows no check id for a cluster that has no check for the target (not another target's check)", async () => {
    const { stdout } = await cli(["report", "--cloud", "cce"]);
    // The CHECK column of cce-unchecked is "-": the text says none was found, and the column agrees.
    expect(stdout).toMatch(/cce-unchecked\s+\S+\s+\S+\s+unknown\s+none\s+-\n/);
    const report = JSON.parse((await cli(["report", "--cloud", "cce", "-o", "json"])).stdout) as Report;
    const unchecked = report.clusters.find((c) => c.cluster === "cce-unchecked");
    expect(unchecked?.readiness?.summary.checkId).toBeUndefined();
    const blocked = report.clusters.find((c) => c.cluster === "cce-blocked");
    expect(stdout).toContain(blocked?.readiness?.summary.checkId ?? "no check id");
  });

  it("reports a cluster with an upgrade in flight as not ready, naming the task", async () => {
    const { stdout } = await cli(["report", "--cloud", "ack"]);
    expect(stdout).toMatch(/ack-upgrading\s+1\.31\.1-aliyun\.1\s+1\.32\.1-aliyun\.1\s+upgrading/);
    expect(stdout).toMatch(
      /\nack ack-upgrading:\n(?: {2}- .*\n)* {2}- An upgrade is already in flight on the cluster ack-upgrading \(\S+\): ACK upgrade task T-\S+ \(running, to 1\.32\.1-aliyun\.1/,
    );
    expect(stdout).not.toMatch(/\nack ack-ready:/);
    const report = JSON.parse((await cli(["report", "--cloud", "ack", "--json"])).stdout) as Report;
    expect(report.clusters.find((r) => r.cluster === "ack-upgrading")).toMatchObject({
      upgradeInProgress: true,
      clusterState: "upgrading",
      outcome: "blocked",
    });
    expect(report.clusters.find((r) => r.cluster === "ack-ready")?.upgradeInProgress).toBeUndefined();
  });

  // 0 safe; 1 blocked by a finding or an upgrade in flight; 3 undecided (no check for the target).
  it.each([
    ["cce", "cce-blocked", "v1.30", EXIT.blocked, "blocked"],
    ["cce", "cce-ready", "v1.30", EXIT.ready, "safe"],
    ["cce", "cce-unchecked", "v1.30", EXIT.noVerdict, "undecided"],
    ["ack", "ack-ready", "1.32.1-aliyun.1", EXIT.ready, "safe"],
    ["ack", "ack-blocked", "1.32.1-aliyun.1", EXIT.blocked, "blocked"],
    ["ack", "ack-upgrading", "1.32.1-aliyun.1", EXIT.blocked, "blocked"],
  ])(
    "check --cloud %s --cluster %s --target %s exits %i (%s)",
    async (cloud, cluster, target, expected, outcome) => {
      const { code, stdout } = await cli([
        "check",
        "--cloud",
        cloud,
        "--cluster",
        cluster,
        "--target",
        target,
        "--json",
      ]);
      expect(code).toBe(expected);
      const report = JSON.parse(stdout) as Report;
      expect(report.command).toBe("check");
      expect(report.summary.gateExitCode).toBe(expected);
      expect(report.clusters).toHaveLength(1);
      const [row] = report.clusters;
      expect(row?.outcome).toBe(outcome);
      expect(row?.readiness?.allowed).toBe(expected === EXIT.ready);
      expect(row?.readiness?.targetVersion).toBe(target);
    },
  );

  it("report --exit-error exits as the gate: 3 when any cluster is undecided, 1 when any is blocked", async () => {
    expect((await cli(["report", "--exit-error"])).code).toBe(EXIT.noVerdict); // cce-unchecked: no check
    expect((await cli(["report", "--cloud", "ack", "--exit-error"])).code).toBe(EXIT.blocked);
    const ready = await cli(["report", "--cluster", "cce-ready", "--cluster", "ack-ready", "--exit-error"]);
    expect(ready.code).toBe(EXIT.ready);
    expect((await cli(["report", "--cloud", "ack"])).code).toBe(EXIT.ready); // without it: report written
  });

  it("--fail-on warning makes warnings block (cce-ready has a Warning item)", async () => {
    const args = ["check", "--cloud", "cce", "--cluster", "cce-ready", "--target", "v1.30"];
    expect((await cli(args)).code).toBe(EXIT.ready);
    const strict = await cli([...args, "--fail-on", "warning", "-o", "json"]);
    expect(strict.code).toBe(EXIT.blocked);
    const report = JSON.parse(strict.stdout) as Report;
    expect(report.failOn).toBe("warning");
    expect(report.clusters[0]?.readiness?.blocking.map((f) => f.severity)).toContain("warning");
  });

  it("check on a cluster with an upgrade in flight exits 1 and says which task, in words and in JSON", async () => {
    const args = ["check", "--cloud", "ack", "--cluster", "ack-upgrading", "--target", "1.32.1-aliyun.1"];
    const text = await cli(args);
    expect(text.code).toBe(EXIT.blocked);
    expect(text.stdout).toMatch(/ACK upgrade task T-\S+ \(running, to 1\.32\.1-aliyun\.1/);
    expect(text.stdout).toMatch(/wait for it to finish \(or cancel it with CancelTask\)/);
    const report = JSON.parse((await cli([...args, "--json"])).stdout) as Report;
    expect(report.clusters[0]?.readiness?.verdict).toBe("upgrading");
    expect(report.clusters[0]?.readiness?.upgradesInFlight).toEqual([
      expect.objectContaining({
        kind: "ack-upgrade-task",
        status: "running",
        targetVersion: "1.32.1-aliyun.1",
      }),
    ]);
  });

  it("applies a policy file: with only unknown blocking, Fatal findings no longer block", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ug-cli-"));
    const file = path.join(dir, "policy.json");
    writeFileSync(file, JSON.stringify({ blockingSeverities: ["unknown"] }));
    const { code } = await cli([
      "check",
      "--cloud",
      "cce",
      "--cluster",
      "cce-blocked",
      "--target",
      "v1.30",
      "--policy",
      file,
    ]);
    expect(code).toBe(EXIT.ready);
    const both = await cli(["report", "--policy", file, "--fail-on", "warning"]);
    expect(both.code).toBe(EXIT.usage);
    expect(both.stderr).toContain("--fail-on warning and blockingSeverities");
  });

  it("rejects a policy file with a typo, naming the field", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ug-cli-"));
    const file = path.join(dir, "policy.json");
    writeFileSync(file, JSON.stringify({ blockingSeverity: ["fatal"] }));
    const { code, stderr } = await cli(["report", "--policy", file]);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain("blockingSeverity");
  });

  it("a policy file is checked by evaluate's own schemas: a maxAgeMs evaluate takes reaches the verdict; now, over 30 days, no blocking severity or a bad waiver is a usage error naming the field", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ug-cli-"));
    const policy = (content: object): string => {
      const file = path.join(dir, `policy-${Object.keys(content).join("-")}-${Math.random()}.json`);
      writeFileSync(file, JSON.stringify(content));
      return file;
    };
    const check = (file: string) =>
      cli([
        "check",
        "--cloud",
        "cce",
        "--cluster",
        "cce-ready",
        "--target",
        "v1.30",
        "--policy",
        file,
        "--json",
      ]);
    // Two days: evaluate takes it, and so does every cluster's row (it used to be an error row per cluster).
    const twoDays = await check(policy({ maxAgeMs: 2 * 24 * 60 * 60_000 }));
    expect(twoDays.code).toBe(EXIT.ready);
    expect((JSON.parse(twoDays.stdout) as Report).clusters[0]).toMatchObject({ outcome: "safe" });
    const tooOld = await check(policy({ maxAgeMs: 31 * 24 * 60 * 60_000 }));
    expect(tooOld.code).toBe(EXIT.usage);
    expect(tooOld.stderr).toMatch(/maxAgeMs: must be at most 2592000000 ms \(30 days\)/);
    // `now` was silently dropped: the CLI judges each cluster when it reads it.
    const now = await check(policy({ now: "2020-01-01T00:00:00Z" }));
    expect(now.code).toBe(EXIT.usage);
    expect(now.stderr).toMatch(/now: not a policy setting .*remove it/);
    // An empty blockingSeverities: refused by the file's check, as everywhere, not by every row.
    const nothingBlocks = await check(policy({ blockingSeverities: [] }));
    expect(nothingBlocks.code).toBe(EXIT.usage);
    expect(nothingBlocks.stderr).toMatch(/blockingSeverities: name at least one severity/);
    // A waiver is read by the one waiver schema, whose failures say what each field expects.
    const waiver = { checkName: "NodeOSVersion", clusterId: "c", reason: "planned", expires: "2030-01-31" };
    const badWaiver = await check(policy({ waivers: [waiver] }));
    expect(badWaiver.code).toBe(EXIT.usage);
    expect(badWaiver.stderr).toContain("waivers.0.owner: must be who accepted the finding");
    expect(badWaiver.stderr).toContain("waivers.0.expires: must be an ISO 8601 timestamp with a time zone");
  });

  it("says which cluster it could not find, lists those that exist and suggests the nearest", async () => {
    const { code, stderr } = await cli([
      "check",
      "--cloud",
      "ack",
      "--cluster",
      "ack-redy",
      "--target",
      "1.32.1-aliyun.1",
    ]);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain('no ack cluster has the id or name "ack-redy" (did you mean ack-ready?)');
    for (const name of ["ack-ready", "ack-blocked", "ack-upgrading"])
      expect(stderr).toMatch(new RegExp(`\\n  ack ${name} \\(\\w+\\)`));
    // The README's own CI example names a cluster the emulator does not have: the answer lists them.
    const readme = await cli(["check", "--cloud", "cce", "--cluster", "my-cluster", "--target", "v1.30"]);
    expect(readme.code).toBe(EXIT.usage);
    expect(readme.stderr).toContain("The clusters there are:\n  cce cce-blocked (");
  });

  it("a --target that is not a version is bad usage (2) before anything is read", async () => {
    const { code, stderr } = await cli([
      "check",
      "--cloud",
      "ack",
      "--cluster",
      "ack-ready",
      "--target",
      "banana",
    ]);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain('--target "banana" is not a Kubernetes version');
    expect(stderr).not.toContain("embedded emulator"); // refused at parsing, nothing started
  });

  it.each([
    ["cce", "cce-ready", "v1.31", "minor version 1.30", "Valid targets: v1.30 (suggested: v1.30)"],
    [
      "ack",
      "ack-ready",
      "1.33.1-aliyun.1",
      "minor version 1.32",
      "Valid targets: 1.32.1-aliyun.1 (suggested: 1.32.1-aliyun.1)",
    ],
  ])(
    "check on %s %s to %s (a skipped minor) exits 1, naming the valid targets",
    async (cloud, name, target, skipped, valid) => {
      const { code, stdout } = await cli(["check", "--cloud", cloud, "--cluster", name, "--target", target]);
      expect(code).toBe(EXIT.blocked);
      expect(stdout).toContain(`Target ${target} is not an upgrade the cloud offers`);
      expect(stdout).toContain(`It skips ${skipped}`);
      expect(stdout).toContain(valid);
      const json = await cli(["check", "--cloud", cloud, "--cluster", name, "--target", target, "--json"]);
      const report = JSON.parse(json.stdout) as Report;
      expect(report.clusters[0]?.readiness?.verdict).toBe("blocked");
      expect(report.clusters[0]?.readiness?.upgradePath?.offered).toEqual([valid.split(" ")[2]]);
    },
  );

  it("an unknown --scenario is bad usage (2) naming the built-ins", async () => {
    const { code, stderr } = await cli(["report", "--scenario", "nosuch"]);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain('--scenario: unknown scenario "nosuch"');
    expect(stderr).toContain("many-clusters");
  });

  it("does not start the emulator with --no-emulator and reports what to configure", async () => {
    const { code, stderr } = await cli(["report", "--cloud", "cce", "--no-emulator"]);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain("HUAWEICLOUD_SDK_AK");
    expect(stderr).not.toContain("embedded emulator");
  });

  it("--quiet says nothing on stderr; --output-file writes the file and says so", async () => {
    const quiet = await cli(["report", "--cloud", "ack", "-q"]);
    expect(quiet.stderr).toBe("");
    expect(quiet.stdout).toContain("ack-ready");
    const dir = mkdtempSync(path.join(tmpdir(), "ug-cli-"));
    const file = path.join(dir, "report.json");
    const written = await cli(["report", "--cloud", "ack", "-o", "json", "--output-file", file]);
    expect(written.code).toBe(EXIT.ready);
    expect(written.stdout).toBe("");
    expect(written.stderr).toContain(`wrote json to ${file}`);
    const report = JSON.parse(readFileSync(file, "utf8")) as Report;
    expect(report.clusters.map((c) => c.cluster)).toEqual(
      expect.arrayContaining(["ack-ready", "ack-blocked"]),
    );
  });

  it("--verbose says each cluster's verdict and time on stderr", async () => {
    const { stderr } = await cli(["report", "--cloud", "ack", "--verbose"]);
    expect(stderr).toMatch(/upgrade-guard: ack ack-ready: ready in \d+ ms/);
    expect(stderr).toMatch(/upgrade-guard: ack ack-blocked: blocked in \d+ ms/);
  });
});

describe("command-line conventions", () => {
  it("--version prints the package version", async () => {
    const { code, stdout } = await cli(["--version"]);
    expect(code).toBe(EXIT.ready);
    const { version } = JSON.parse(readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as {
      version: string;
    };
    expect(stdout).toBe(`upgrade-guard ${version}\n`);
  });

  it.each([
    ["help", "check"],
    ["check", "--help"],
    ["check", "-h"],
  ])("%s %s prints check's own help", async (...argv) => {
    const { code, stdout } = await cli(argv);
    expect(code).toBe(EXIT.ready);
    expect(stdout).toMatch(/^Usage: upgrade-guard check --cloud/);
    expect(stdout).toContain("--fail-on <fatal|warning>");
    expect(stdout).toContain("-o, --output <table|wide|json|yaml|markdown|junit|sarif|html>");
    expect(stdout).not.toContain("--policy-pack"); // preview's flags are not check's
    expect(stdout).toContain("3  could not decide");
  });

  it("help lists every command and the exit codes", async () => {
    const { stdout } = await cli(["help"]);
    for (const command of ["report", "check", "preview", "up"])
      expect(stdout).toMatch(new RegExp(`upgrade-guard \\[?${command}`));
    expect(stdout).toContain("Exit codes");
  });

  it.each([
    [["check", "--cloud", "cce"], "check needs --cluster, --target"],
    [
      ["check", "--cloud", "gcp", "--cluster", "a", "--target", "v1.30"],
      '--cloud must be one of cce, ack, not "gcp"',
    ],
    [["upgrade"], 'unknown command "upgrade"'],
    [["reprot"], 'unknown command "reprot" (did you mean report?)'],
    [["report", "--clustr", "a"], "unknown flag --clustr (did you mean --cluster?)"],
    [["report", "--ouput", "json"], "unknown flag --ouput (did you mean --output?)"],
    [
      ["report", "-o", "jsno"],
      '--output must be one of table, wide, json, yaml, markdown, junit, sarif, html, not "jsno" (did you mean json?)',
    ],
    [
      ["report", "--fail-on", "warn"],
      '--fail-on must be one of fatal, warning, not "warn" (did you mean warning?)',
    ],
    [["report", "--cloud"], "--cloud needs a value: --cloud <cce|ack>"],
    [["report", "--json=yes"], "--json takes no value"],
    [["report", "--stack", "dev"], "--stack is for preview and up, not report"],
    [["preview", "--exit-error"], "--exit-error is for report, not preview"],
    [["preview", "-o", "sarif"], "--output is for report and check, not preview"],
    [["up"], "pass --yes"],
    [["report", "--json", "-o", "yaml"], "--json and -o yaml disagree"],
    [["--emulator", "--no-emulator"], "exclude each other"],
    [["-q", "-v"], "--quiet and --verbose exclude each other"],
    [["report", "--concurrency", "0"], '--concurrency must be a whole number from 1 to 64, not "0"'],
    [["report", "--concurrency", "lots"], '--concurrency must be a whole number from 1 to 64, not "lots"'],
    [["report", "--concurrency", "65"], 'not "65" (default 16)'],
    [["preview", "--concurrency", "4"], "--concurrency is for report and check, not preview"],
  ])("%j fails with %s", (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(message);
  });

  it("reads --concurrency (default 16) and gives the same report at any of it", async () => {
    expect(parseCommandLine(["report"])).toMatchObject({ concurrency: 16 });
    expect(parseCommandLine(["report", "--concurrency", "3"])).toMatchObject({ concurrency: 3 });
    const verdicts = async (concurrency: string) => {
      const { code, stdout } = await cli(["report", "--json", "-q", "--concurrency", concurrency]);
      expect(code).toBe(EXIT.ready);
      const report = JSON.parse(stdout) as Report;
      return report.clusters.map((c) => [c.clusterId, c.outcome, c.readiness?.verdict]);
    };
    const one = await verdicts("1");
    expect(one.length).toBeGreaterThan(3);
    expect(await verdicts("64")).toEqual(one);
  });

  it("honours NO_COLOR and --no-color, and colours only a terminal", async () => {
    expect(parseCommandLine(["report"], {})).toMatchObject({ color: true });
    expect(parseCommandLine(["report"], { NO_COLOR: "1" })).toMatchObject({ color: false });
    expect(parseCommandLine(["report", "--no-color"], {})).toMatchObject({ color: false });
    const tty = { ...capture(), isTTY: true };
    const stderr = capture();
    await run(["report", "--cloud", "ack"], { env: BARE_ENV, stdout: tty, stderr });
    expect(tty.text()).toContain("\u001b[31mblocked");
    const plain = await cli(["report", "--cloud", "ack"]); // not a terminal: no escape codes
    expect(plain.stdout).not.toContain("\u001b[");
  });
});

describe("progress on stderr", () => {
  it("redraws one bar in place on a terminal and clears it at the end", () => {
    const out = { ...capture(), isTTY: true };
    const progress = startProgress(4, out, "normal");
    for (let i = 0; i < 4; i += 1) progress.tick();
    progress.done();
    expect(out.text()).not.toContain("\n");
    expect(out.text()).toContain("[######------------------] 1/4 clusters read");
    expect(out.text()).toContain("[########################] 4/4 clusters read");
    expect(out.text().endsWith("\r\u001b[2K")).toBe(true);
  });

  it("writes a line every tenth of the way in a CI log, only for long runs, nothing when quiet", () => {
    const log = capture();
    const long = startProgress(PROGRESS_LINES_FROM * 5, log, "normal");
    for (let i = 0; i < PROGRESS_LINES_FROM * 5; i += 1) long.tick();
    const lines = log.text().trim().split("\n");
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe("upgrade-guard: 10/100 clusters read (10%)");
    expect(lines[9]).toBe("upgrade-guard: 100/100 clusters read (100%)");
    const short = capture();
    const few = startProgress(PROGRESS_LINES_FROM - 1, short, "normal");
    for (let i = 0; i < PROGRESS_LINES_FROM - 1; i += 1) few.tick();
    expect(short.text()).toBe("");
    const quiet = { ...capture(), isTTY: true };
    const silent = startProgress(3, quiet, "quiet");
    silent.tick("detail");
    silent.done();
    expect(quiet.text()).toBe("");
  });

  it("reports a long run's progress from the CLI itself (a 25-cluster scenario)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ug-cli-"));
    const scenario = path.join(dir, "fleet.yaml");
    writeFileSync(
      scenario,
      [
        "name: fleet",
        "generate:",
        "  - count: 25",
        "    template:",
        "      cloud: ack",
        "      name: fleet-{i}",
        "      version: 1.31.1-aliyun.1",
        "      targetVersions: [1.32.1-aliyun.1]",
        "      history:",
        "        ack:",
        "          checks: [{ type: ClusterUpgrade, targetVersion: 1.32.1-aliyun.1, createdAgo: 5m }]",
      ].join("\n"),
    );
    const { code, stderr, stdout } = await cli(["report", "--scenario", scenario, "--exit-error"]);
    expect(code).toBe(EXIT.ready);
    expect(stdout).toContain("25 of 25 cluster(s) safe to upgrade");
    expect(stderr).toContain("upgrade-guard: 25/25 clusters read (100%)");
    expect(stdout).not.toContain("clusters read"); // progress never enters the report
  });
});

describe("a refused credential", () => {
  it("exits 3 and says which variables the refused credentials came from", async () => {
    const emulator = await startEmulator({});
    try {
      const env = {
        PATH: process.env.PATH,
        ...clientEnvironment(emulator.url, {
          overrides: { ALIBABA_CLOUD_ACCESS_KEY_SECRET: "not-the-secret" },
        }),
      };
      const { code, stderr } = await cli(["report", "--cloud", "ack"], env);
      expect(code).toBe(EXIT.noVerdict);
      expect(stderr).toContain("API_AUTH");
      expect(stderr).toContain(
        "the ACK credentials were refused: check ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET",
      );
      expect(stderr).not.toContain("not-the-secret");
    } finally {
      await emulator.close();
    }
  });
});
