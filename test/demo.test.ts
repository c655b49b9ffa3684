// The main job: `npm start` with no arguments runs scripts/start.js, the demo. Run as a newcomer runs
// it (a child process, nothing configured, the embedded emulator): the fleet report, then the preview
// of examples/guarded-upgrade (stack blocked) stopped by the pack, then what to do next; exit 0.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "..");

function runStart(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "scripts/start.js"), ...args], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the demo did not finish within 90 s:\n${out}`));
    }, 90_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

it("npm start's demo: report, a preview blocked by the pack with its reasons, then next steps", async () => {
  const backend = fs.mkdtempSync(path.join(os.tmpdir(), "ug-demo-"));
  try {
    // Nothing configured, as on a fresh machine (PATH and HOME only, and a backend of its own).
    const env = { PATH: process.env.PATH, HOME: backend, PULUMI_BACKEND_URL: `file://${backend}` };
    const { code, out } = await runStart([], env);
    expect(code).toBe(0);
    expect(out).toContain("embedded emulator");
    expect(out).toMatch(/cce-blocked\s+v1\.29\.5-r0\s+v1\.30\s+blocked\s+fatal/);
    expect(out).toMatch(/\[mandatory\]\s+cluster-upgrade-requires-clean-precheck\s+\(cce-upgrade\)/);
    expect(out).toMatch(/AddonValidate \[Fatal\]/);
    expect(out).toContain("error: preview failed: a mandatory policy was violated");
    expect(out).toMatch(/== 3\/3 {2}What next\n {2}- The pack blocked both upgrades/);
    // The order a newcomer reads: report, then preview, then next steps.
    const [report = -1, preview = -1, next = -1] = ["== 1/3", "== 2/3", "== 3/3"].map((mark) =>
      out.indexOf(mark),
    );
    expect(report).toBeGreaterThanOrEqual(0);
    expect(preview).toBeGreaterThan(report);
    expect(next).toBeGreaterThan(preview);
    // With arguments it is the CLI itself.
    const help = await runStart(["--help"], env);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage:\n {2}upgrade-guard \[report\]/);
  } finally {
    fs.rmSync(backend, { recursive: true, force: true });
  }
}, 120_000);
