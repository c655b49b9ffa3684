// End of support in the CLI, in process against the embedded emulator (real HTTP on loopback): a safe
// cluster whose version is past its end of support shows the notice under the table and in JSON, and
// the gate's exit code does not change.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { EXIT, run, type Report } from "../src/index";

const SCENARIO = `name: eos
clusters:
  - cloud: ack
    name: ack-old
    version: 1.30.1-aliyun.1
    targetVersions: [1.31.1-aliyun.1]
    versionSupport:
      1.30.1-aliyun.1: { endedAgo: 12d }
    history:
      ack:
        checks: [{ type: ClusterUpgrade, targetVersion: 1.31.1-aliyun.1, createdAgo: 5m }]
  - cloud: ack
    name: ack-soon
    version: 1.30.2-aliyun.1
    targetVersions: [1.31.1-aliyun.1]
    versionSupport:
      1.30.2-aliyun.1: { endsIn: 40d }
    history:
      ack:
        checks: [{ type: ClusterUpgrade, targetVersion: 1.31.1-aliyun.1, createdAgo: 5m }]
  - cloud: ack
    name: ack-current
    version: 1.31.1-aliyun.1
    targetVersions: [1.32.1-aliyun.1]
    history:
      ack:
        checks: [{ type: ClusterUpgrade, targetVersion: 1.32.1-aliyun.1, createdAgo: 5m }]
`;

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await run(args, {
    env: { PATH: process.env.PATH },
    stdout: { write: (chunk: string) => void (stdout += chunk) },
    stderr: { write: (chunk: string) => void (stderr += chunk) },
  });
  return { code, stdout, stderr };
}

const file = path.join(mkdtempSync(path.join(tmpdir(), "ug-eos-")), "eos.yaml");
writeFileSync(file, SCENARIO);

describe("end-of-support notices in the CLI", () => {
  it("the table run shows the notice of a safe cluster, and only its", async () => {
    const { code, stdout } = await cli(["report", "--scenario", file]);
    expect(code).toBe(EXIT.ready);
    expect(stdout).toMatch(/ack-old\s+1\.30\.1-aliyun\.1\s+1\.31\.1-aliyun\.1\s+ready/);
    expect(stdout).toMatch(
      /\nack ack-old:\n {2}- Notice \(does not block\): Kubernetes 1\.30\.1-aliyun\.1 on the cluster ack-old .* reached its end of support on \d{4}-\d\d-\d\d \(12 days ago/,
    );
    expect(stdout).not.toMatch(/\nack ack-current:/);
  });

  it("JSON carries the notices and the support window", async () => {
    const report = JSON.parse((await cli(["report", "--scenario", file, "--json"])).stdout) as Report;
    const old = report.clusters.find((row) => row.cluster === "ack-old");
    expect(old?.outcome).toBe("safe");
    expect(old?.readiness?.notices).toEqual([expect.stringContaining("reached its end of support")]);
    expect(old?.readiness?.versionSupport).toMatchObject({ source: "ack-version-metadata" });
    expect(report.clusters.find((row) => row.cluster === "ack-current")?.readiness?.notices).toEqual([]);
  });

  it("a --policy file's endOfSupportNoticeDays moves how early the notice starts", async () => {
    const notices = async (args: string[]) => {
      const report = JSON.parse(
        (await cli(["report", "--scenario", file, "--json", ...args])).stdout,
      ) as Report;
      return report.clusters.find((row) => row.cluster === "ack-soon")?.readiness?.notices;
    };
    expect(await notices([])).toEqual([
      expect.stringMatching(/reaches its end of support on .*, in 40 days/),
    ]);
    const policy = path.join(path.dirname(file), "policy.json");
    writeFileSync(policy, JSON.stringify({ endOfSupportNoticeDays: 30 }));
    expect(await notices(["--policy", policy])).toEqual([]);
  });
});
