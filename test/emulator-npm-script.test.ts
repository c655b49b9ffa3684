// The documented way to start the emulator is `npm run emulator -- --port <n>`, and its first stdout
// line must be exactly `listening on http://127.0.0.1:<port>` (tools parse it). npm prints a banner on
// stdout unless the repository's .npmrc keeps it silent: this runs the real npm to prove it does.
import { spawn } from "node:child_process";
import * as path from "node:path";

const root = path.resolve(__dirname, "..");

it("npm run emulator -- --port 0 prints the listening line first, then the accounts", async () => {
  const env = { ...process.env };
  delete env.npm_config_loglevel; // CI raises npm's level for its own log; a user's shell does not
  const child = spawn("npm", ["run", "emulator", "--", "--port", "0"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so the emulator npm started is stopped with npm.
    detached: true,
  });
  let out = "";
  try {
    const firstLines = await new Promise<string[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no output within 20 s:\n${out}`)), 20_000);
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const lines = out.split("\n");
        if (lines.length >= 4) {
          clearTimeout(timer);
          resolve(lines.slice(0, 3));
        }
      });
      child.on("exit", (code) => reject(new Error(`npm exited with ${code}:\n${out}`)));
    });
    expect(firstLines[0]).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    expect(firstLines[1]).toContain("UGEMU-HW-AK");
    expect(firstLines[2]).toContain("UGEMU-ALI-AK");
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid!, "SIGTERM");
    await exited;
  }
});
