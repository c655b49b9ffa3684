// The CLI in process against the embedded emulator (real HTTP on loopback, no mocks).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { EXIT, parseCommandLine, run } from "../src/index";

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
    expect(stdout).toMatch(/cce-unchecked\s+\S+\s+\S+\s+unknown/);
    expect(stdout).toMatch(/ack-ready\s+1\.31\.1-aliyun\.1\s+1\.32\.1-aliyun\.1\s+ready/);
  });

  it("reports a cluster with an upgrade in flight as not ready, naming the task", async () => {
    const { stdout } = await cli(["report", "--cloud", "ack"]);
    expect(stdout).toMatch(/ack-upgrading\s+1\.31\.1-aliyun\.1\s+1\.32\.1-aliyun\.1\s+upgrading/);
    expect(stdout).toMatch(
      /\nack ack-upgrading:\n(?: {2}- .*\n)* {2}- An upgrade is already in flight on the cluster ack-upgrading \(\S+\): ACK upgrade task T-\S+ \(running, to 1\.32\.1-aliyun\.1/,
    );
    expect(stdout).not.toMatch(/\nack ack-ready:/);
    const json = await cli(["report", "--cloud", "ack", "--json"]);
    const rows = JSON.parse(json.stdout) as {
      cluster: string;
      clusterState?: string;
      upgradeInProgress?: boolean;
    }[];
    expect(rows.find((r) => r.cluster === "ack-upgrading")).toMatchObject({
      upgradeInProgress: true,
      clusterState: "upgrading",
    });
    expect(rows.find((r) => r.cluster === "ack-ready")?.upgradeInProgress).toBeUndefined();
  });

  it.each([
    ["cce", "cce-blocked", "v1.30", EXIT.blocked],
    ["cce", "cce-ready", "v1.30", EXIT.ready],
    ["cce", "cce-unchecked", "v1.30", EXIT.blocked],
    ["ack", "ack-ready", "1.32.1-aliyun.1", EXIT.ready],
    ["ack", "ack-blocked", "1.32.1-aliyun.1", EXIT.blocked],
    ["ack", "ack-upgrading", "1.32.1-aliyun.1", EXIT.blocked],
  ])("check --cloud %s --cluster %s --target %s exits %i", async (cloud, cluster, target, expected) => {
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
    const row = JSON.parse(stdout);
    expect(row.readiness.allowed).toBe(expected === EXIT.ready);
    expect(row.readiness.targetVersion).toBe(target);
  });

  it("check on a cluster with an upgrade in flight exits 1 and says which task, in words and in JSON", async () => {
    const args = ["check", "--cloud", "ack", "--cluster", "ack-upgrading", "--target", "1.32.1-aliyun.1"];
    const text = await cli(args);
    expect(text.code).toBe(EXIT.blocked);
    expect(text.stdout).toMatch(/verdict upgrading/);
    expect(text.stdout).toMatch(/ACK upgrade task T-\S+ \(running, to 1\.32\.1-aliyun\.1/);
    expect(text.stdout).toMatch(/wait for it to finish \(or cancel it with CancelTask\)/);
    const json = JSON.parse((await cli([...args, "--json"])).stdout);
    expect(json.readiness.verdict).toBe("upgrading");
    expect(json.readiness.upgradesInFlight).toEqual([
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
    // With only `unknown` blocking, cce-blocked's Fatal findings no longer block.
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
  });

  it("rejects a policy file with a typo, naming the field", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ug-cli-"));
    const file = path.join(dir, "policy.json");
    writeFileSync(file, JSON.stringify({ blockingSeverity: ["fatal"] }));
    const { code, stderr } = await cli(["report", "--policy", file]);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain("blockingSeverity");
  });

  it("says which cluster it could not find", async () => {
    const { code, stderr } = await cli([
      "check",
      "--cloud",
      "ack",
      "--cluster",
      "nope",
      "--target",
      "1.32.1-aliyun.1",
    ]);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain('"nope"');
  });

  it("does not start the emulator with --no-emulator and reports what to configure", async () => {
    const { code, stderr } = await cli(["report", "--cloud", "cce", "--no-emulator"]);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain("HUAWEICLOUD_SDK_AK");
    expect(stderr).not.toContain("embedded emulator");
  });
});

describe("command-line parsing", () => {
  it.each([
    [["check", "--cloud", "cce"], "--cluster, --target"],
    [["check", "--cloud", "gcp", "--cluster", "a", "--target", "v1"], "--cloud must be cce or ack"],
    [["upgrade"], 'unknown command "upgrade"'],
    [["--emulator", "--no-emulator"], "exclude each other"],
  ])("%j fails with %s", (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(message);
  });
});
