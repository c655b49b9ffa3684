/**
 * The command line, as a real child process on the built `emulator/dist/cli.js` (run `npm run build`
 * or `npx tsc -b emulator` first): the first stdout line, the credential lines, clean shutdown with
 * the state flushed, and a hard crash never leaving a half-written state file.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { alibaba, control } from "./helpers/http";

const CLI = path.resolve(__dirname, "..", "dist", "cli.js");

interface Started {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: string[];
  readonly url: string;
}

const children: ChildProcessWithoutNullStreams[] = [];

function run(args: string[]): ChildProcessWithoutNullStreams {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx tsc -b emulator)`);
  const child = spawn(process.execPath, [CLI, ...args], { stdio: "pipe" });
  children.push(child);
  return child;
}

// A failed assertion must not leave an emulator process (and jest) running.
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

/** Starts the CLI and resolves once the first three stdout lines arrived (deadline 10 s). */
function start(args: string[]): Promise<Started> {
  const child = run(args);
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no start-up lines within 10 s; got ${JSON.stringify(lines)}`));
    }, 10_000);
    createInterface({ input: child.stdout }).on("line", (line) => {
      lines.push(line);
      if (lines.length === 3) {
        clearTimeout(timer);
        const url = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(lines[0] ?? "")?.[1];
        if (url === undefined) reject(new Error(`unexpected first line ${JSON.stringify(lines[0])}`));
        else resolve({ child, lines, url });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${String(code)} before start-up`));
    });
  });
}

function exit(
  child: ChildProcessWithoutNullStreams,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the CLI did not exit within 10 s")), 10_000);
    child.once("exit", (code, sig) => {
      clearTimeout(timer);
      resolve({ code, signal: sig });
    });
    child.kill(signal);
  });
}

function finished(
  child: ChildProcessWithoutNullStreams,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the CLI did not exit within 10 s")), 10_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

it("prints `listening on http://127.0.0.1:<port>` first, then one line per account, and stops on SIGTERM", async () => {
  const { child, lines, url } = await start(["--port", "0"]);
  expect(lines[0]).toBe(`listening on ${url}`);
  expect(lines[1]).toBe(
    "huawei account default: access_key=UGEMU-HW-AK secret_key=ugemu-hw-sk project_id=ugemuproject0000000000000000000a " +
      "region=cn-north-4 iam_user=ugemu-user iam_password=ugemu-password iam_domain=ugemu-domain",
  );
  expect(lines[2]).toBe(
    "alibaba account default: access_key_id=UGEMU-ALI-AK access_key_secret=ugemu-ali-sk region=cn-hangzhou",
  );
  const clusters = await control<unknown[]>(url, "GET", "clusters");
  expect(clusters.body).toHaveLength(6);
  expect(await exit(child, "SIGTERM")).toEqual({ code: 0, signal: null });
});

it("flushes the state file on SIGTERM and serves it on the next start", async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "ugemu-cli-")), "state.json");
  const first = await start(["--port", "0", "--state-file", file, "--scenario", "multi-account"]);
  const clusters = (await control<Array<{ name: string; id: string }>>(first.url, "GET", "clusters")).body;
  const ack = clusters.find((c) => c.name === "ack-a")!;
  const check = await alibaba(first.url, "POST", `/clusters/${ack.id}/checks`, {
    action: "RunClusterCheck",
    body: { type: "ClusterUpgrade" },
  });
  const checkId = check.json()["check_id"] as string;
  expect(await exit(first.child, "SIGTERM")).toEqual({ code: 0, signal: null });
  const saved = JSON.parse(readFileSync(file, "utf8")) as { state: { ackChecks: Array<{ id: string }> } };
  expect(saved.state.ackChecks.map((c) => c.id)).toContain(checkId);
  const second = await start(["--port", "0", "--state-file", file]);
  try {
    const again = await alibaba(second.url, "GET", `/clusters/${ack.id}/checks/${checkId}`, {
      action: "GetClusterCheck",
    });
    expect(again.status).toBe(200);
  } finally {
    await exit(second.child, "SIGTERM");
  }
});

it("a SIGKILL during a burst of writes leaves a complete state file", async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "ugemu-crash-")), "state.json");
  const { child, url } = await start(["--port", "0", "--state-file", file, "--scenario", "many-clusters"]);
  const clusters = (
    await control<Array<{ name: string; id: string; cloud: string }>>(url, "GET", "clusters")
  ).body.filter((c) => c.cloud === "ack");
  const burst = clusters.slice(0, 150).map((c) =>
    alibaba(url, "POST", `/clusters/${c.id}/checks`, {
      action: "RunClusterCheck",
      body: { type: "ClusterUpgrade" },
    }).catch(() => undefined),
  );
  await Promise.race([Promise.all(burst), new Promise((r) => setTimeout(r, 30))]);
  expect(await exit(child, "SIGKILL")).toEqual({ code: null, signal: "SIGKILL" });
  await Promise.all(burst);
  // The first state write happens before `listening on`, so the file always exists here.
  const saved = JSON.parse(readFileSync(file, "utf8")) as {
    format: string;
    state: { clusters: unknown[] };
  };
  expect(saved.format).toBe("upgrade-guard-emulator-state");
  expect(saved.state.clusters).toHaveLength(1000);
  const again = await start(["--port", "0", "--state-file", file]);
  expect((await control<unknown[]>(again.url, "GET", "clusters")).body).toHaveLength(1000);
  await exit(again.child, "SIGTERM");
});

it("refuses an unwritable --state-file before printing listening, naming the flag and the fix", async () => {
  const folder = mkdtempSync(path.join(tmpdir(), "ugemu-cli-"));
  const missing = await finished(run(["--port", "0", "--state-file", path.join(folder, "nope", "s.json")]));
  expect(missing.code).toBe(1);
  expect(missing.stdout).not.toMatch(/listening on/);
  expect(missing.stderr).toMatch(
    /--state-file .*s\.json: .*does not exist; create it or choose another path/,
  );
  expect(missing.stderr).not.toMatch(/\n\s+at /);
  const directory = await finished(run(["--port", "0", "--state-file", folder]));
  expect(directory.code).toBe(1);
  expect(directory.stdout).not.toMatch(/listening on/);
  expect(directory.stderr).toMatch(/--state-file .*: is a directory/);
  expect(directory.stderr).not.toMatch(/delete/);
});

it("rejects a --request-log beyond its range, naming the range", async () => {
  const huge = await finished(run(["--port", "0", "--request-log", "99999999999"]));
  expect(huge.code).toBe(2);
  expect(huge.stdout).not.toMatch(/listening on/);
  expect(huge.stderr).toMatch(/--request-log must be an integer 0\.\.1000000/);
});

it("explains bad arguments and unknown scenarios on stderr with a non-zero exit", async () => {
  const bad = await finished(run(["--port", "99999"]));
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/--port must be 0\.\.65535[\s\S]*usage:/);
  const unknown = await finished(run(["--port", "0", "--scenario", "no-such-scenario"]));
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toMatch(/unknown scenario "no-such-scenario"/);
});

it("a port in use and an address this machine lacks name the flag and the fix", async () => {
  const first = await start(["--port", "0"]);
  const port = new URL(first.url).port;
  const busy = await finished(run(["--port", port]));
  expect(busy.code).toBe(1);
  expect(busy.stdout).not.toMatch(/listening on/);
  expect(busy.stderr).toMatch(
    new RegExp(`--port ${port}: 127\\.0\\.0\\.1:${port} is already in use; choose another port, or --port 0`),
  );
  // 198.51.100.0/24 is TEST-NET-2 (RFC 5737), documentation only: not an address of this machine.
  const foreign = await finished(run(["--port", "0", "--host", "198.51.100.123"]));
  expect(foreign.code).toBe(1);
  expect(foreign.stderr).toMatch(/--host 198\.51\.100\.123: not an address of this machine/);
  expect((await exit(first.child, "SIGTERM")).code).toBe(0);
});

it("says so when --state-file already holds state and --scenario is therefore ignored", async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "ugemu-cli-")), "state.json");
  const first = await start(["--port", "0", "--scenario", "empty", "--state-file", file]);
  expect((await exit(first.child, "SIGTERM")).code).toBe(0);
  const again = run(["--port", "0", "--scenario", "default", "--state-file", file]);
  const stderr = await new Promise<string>((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error(`no scenario line within 10 s: ${text}`)), 10_000);
    again.stderr.on("data", (c: Buffer) => {
      text += c.toString();
      if (/clusters; control API/.test(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
  expect(stderr).toMatch(
    /--scenario default ignored: --state-file .*state\.json already holds state \(scenario empty\); delete the file/,
  );
  expect(stderr).toMatch(/scenario empty: 0 clusters/);
  expect((await exit(again, "SIGTERM")).code).toBe(0);
});
