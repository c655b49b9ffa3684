// Smoke test of the fleet benchmark (bench/fleet.js), so it cannot rot: a tiny run against the built
// code prints every row of its table with numbers, and the request counts. No timing is asserted (a
// benchmark reports; it is not a test of speed). Run `npm run build` first.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "..");
const RESULTS = path.join(root, "bench", "results", "fleet.json");

function runBench(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bench/fleet.js", ...args], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 50_000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const mtime = (file: string): number | undefined =>
  fs.existsSync(file) ? fs.statSync(file).mtimeMs : undefined;

it("node bench/fleet.js --clusters 10 prints the table rows with numbers and writes nothing with --no-write", async () => {
  const before = mtime(RESULTS);
  const { code, stdout, stderr } = await runBench([
    "--clusters",
    "10",
    "--latency",
    "1",
    "--skip-large",
    "--repeat",
    "1",
    "--no-write",
  ]);
  expect({ code, stderr: code === 0 ? "" : stderr }).toEqual({ code: 0, stderr: "" });
  const row = (label: string): string => {
    const line = stdout.split("\n").find((l) => l.startsWith(`| ${label}`));
    if (line === undefined) throw new Error(`no row "${label}" in:\n${stdout}`);
    return line;
  };
  const seconds = /\d+\.\d{2} s \(min \d+\.\d{2} s\)/;
  expect(row("10 clusters vs official-SDK loop")).toMatch(seconds);
  expect(row("10 clusters vs official-SDK loop")).toMatch(/\d+\.\d{2}x faster/);
  expect(row("10 clusters vs concurrency bound")).toMatch(/\d+\.\d{2}x the bound/);
  expect(row("1,000 clusters vs 10 x 100")).toContain("skipped");
  expect(row("10 clusters throttled (50/s per cloud)")).toMatch(
    /throttled \d+\/\d+ = \d+\.\d%; error rows 0/,
  );
  // Both sides made the gatherer's reads for every cluster (5 CCE, 5 ACK) and listed the clusters.
  expect(stdout).toMatch(/requests: ours \d+ \(per cluster: CCE \d+(\.\d+)?, ACK \d+(\.\d+)?; listing \d+\)/);
  expect(stdout).toMatch(/official loop decided 5 CCE \+ 5 ACK clusters/);
  expect(stdout).toContain('"error":0');
  expect(mtime(RESULTS)).toBe(before);
}, 55_000);
