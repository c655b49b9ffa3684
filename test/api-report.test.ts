// The API check fails on an unreviewed change: against a copy of the provider's report with one
// export removed, `node api/check.js` exits 1 and names the report and how to accept the change.
// Reads the compiled declarations (run `npm run build` first).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "..");

function check(reports: string) {
  return spawnSync(process.execPath, ["api/check.js", "--only", "provider", "--reports", reports], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
  });
}

it("passes against the committed reports and fails, naming the report, when one differs", () => {
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), "ug-api-"));
  try {
    for (const file of fs.readdirSync(path.join(root, "api")).filter((f) => f.endsWith(".api.md"))) {
      fs.copyFileSync(path.join(root, "api", file), path.join(reports, file));
    }
    const same = check(reports);
    expect(same.status).toBe(0);
    expect(same.stdout).toContain("provider (index) matches");

    const report = path.join(reports, "provider.api.md");
    const lines = fs.readFileSync(report, "utf8").split("\n");
    const exported = lines.findIndex((line) => line.startsWith("export function evaluate("));
    expect(exported).toBeGreaterThan(-1);
    fs.writeFileSync(report, lines.filter((_, i) => i !== exported).join("\n"));
    const changed = check(reports);
    expect(changed.status).toBe(1);
    expect(changed.stderr).toContain("the public API of provider (index) changed");
    expect(changed.stderr).toContain("npm run api -- --update");
  } finally {
    fs.rmSync(reports, { recursive: true, force: true });
  }
}, 90_000);
