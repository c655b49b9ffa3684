// preview and up through the real Pulumi language host (`@pulumi/pulumi/cmd/run`), the real
// `cmd/dynamic-provider` and the real `cmd/run-policy-pack` running our pack, against the emulator
// over real HTTP: the CLI in process, and the harness API for what the CLI does not show.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXIT, run } from "@upgrade-guard/cli";
import { clientEnvironment, startEmulator, type RunningEmulator } from "@upgrade-guard/emulator";
import { PassphraseCrypter, preview, up } from "@upgrade-guard/harness";

const ROOT = path.resolve(__dirname, "../..");
const GUARDED = path.join(ROOT, "examples/guarded-upgrade");
const THIRD_PARTY = path.join(ROOT, "examples/third-party");
const PACK = path.join(ROOT, "policy-pack");
const PASSPHRASE = "correct horse battery staple";
const SECRET = "s3cr3t-value-planted-for-the-test";

jest.setTimeout(120_000);

let backend: string;
let emulator: RunningEmulator;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  backend = fs.mkdtempSync(path.join(os.tmpdir(), "ug-backend-"));
  env = {
    ...process.env,
    ...clientEnvironment(emulator.url, { pollIntervalMs: 5 }),
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
  };
});
afterEach(() => fs.rmSync(backend, { recursive: true, force: true }));

function capture() {
  let text = "";
  return { write: (chunk: string) => (text += chunk), text: () => text };
}

async function cli(args: string[], environment: NodeJS.ProcessEnv) {
  const stdout = capture();
  const stderr = capture();
  const code = await run(args, { env: environment, stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** A one-file JavaScript project in a temporary folder, with an optional stack file. */
function project(name: string, program: string, stackFile?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ug-${name}-`));
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n`,
  );
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true }));
  // Resolve @pulumi/pulumi and the SDK from the repository, as a project's own node_modules would.
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  fs.writeFileSync(path.join(dir, "index.js"), program);
  if (stackFile !== undefined) fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), stackFile);
  return dir;
}

describe("upgrade-guard preview (the CLI, embedded emulator, nothing configured)", () => {
  const bare = (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, PULUMI_BACKEND_URL: `file://${backend}` });

  it("stack blocked: exits 1 naming the policy, the cluster and the Fatal finding", async () => {
    const args = ["preview", "--cwd", GUARDED, "--stack", "blocked", "--policy-pack", PACK];
    const { code, stdout, stderr } = await cli(args, bare());
    expect(stderr).toContain("embedded emulator");
    expect(code).toBe(EXIT.blocked);
    expect(stdout).toMatch(/Policies:\n\s+x upgrade-guard@v\d/);
    expect(stdout).toMatch(/\[mandatory\]\s+cluster-upgrade-requires-clean-precheck\s+\(cce-upgrade\)/);
    expect(stdout).toMatch(
      /CCE cluster cce-blocked \(7bea3b6f-d9ed-4635-9e13-73250b890ec8\) from v1\.29\.5-r0 to v1\.30 is BLOCKED/,
    );
    expect(stdout).toMatch(/AddonValidate \[Fatal\]/);
    expect(stdout).toMatch(/ACK cluster ack-blocked \(c22339874b79620c333d6ec000b8f8592\).* is BLOCKED/);
    expect(stdout).toContain("error: preview failed: a mandatory policy was violated");
    // A preview writes no state.
    expect(fs.readdirSync(backend)).toEqual([]);
  });

  it("stack ready: exits 0 with both upgrades planned and no violation", async () => {
    const args = ["preview", "--cwd", GUARDED, "--stack", "ready", "--policy-pack", PACK, "--json"];
    const { code, stdout } = await cli(args, bare());
    expect(code).toBe(EXIT.ready);
    const result = JSON.parse(stdout);
    expect(result.policies.filter((v: { level: string }) => v.level === "mandatory")).toEqual([]);
    const steps: string[] = result.steps.map((s: { op: string; name: string }) => `${s.op} ${s.name}`);
    // The stack first; the two upgrades register once their readiness inputs resolve, in either order.
    expect(steps[0]).toBe("create guarded-upgrade-ready");
    expect(steps.slice(1).sort()).toEqual(["create ack-upgrade", "create cce-upgrade"]);
    expect(result.unknownOutputs).toEqual(["upgrades"]);
  });

  it("bad usage exits 2 before anything runs", async () => {
    expect((await cli(["up", "--cwd", GUARDED], bare())).code).toBe(EXIT.usage);
    const missing = await cli(["preview", "--cwd", path.join(backend, "nothing-here")], bare());
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.stderr).toMatch(/no Pulumi\.yaml in .*nothing-here/);
    const notAPack = await cli(
      ["preview", "--cwd", GUARDED, "--stack", "ready", "--policy-pack", backend],
      bare(),
    );
    expect(notAPack.code).toBe(EXIT.usage);
    expect(notAPack.stderr).toMatch(/not a policy pack/);
  });
});

describe("--policy-pack-config and --policy-pack mistakes end the command (a separate process, with a deadline)", () => {
  const CLI = path.join(ROOT, "cli/dist/main.js");
  const bare = (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, PULUMI_BACKEND_URL: `file://${backend}` });

  /** The real command as a user runs it; `timedOut` is true when it had to be killed. */
  function command(args: string[]): Promise<{ code: number | null; stderr: string; timedOut: boolean }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], {
        env: bare(),
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill("SIGKILL");
      }, 60_000);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code, stderr, timedOut });
      });
    });
  }

  it("a mistyped enforcement level exits 2 naming the policy and the levels; before, the command never ended", async () => {
    const file = path.join(backend, "c3.json");
    fs.writeFileSync(file, JSON.stringify({ "cluster-upgrade-requires-clean-precheck": "mandatry" }));
    const args = ["preview", "--cwd", GUARDED, "--stack", "ready", "--policy-pack", PACK];
    const result = await command([...args, "--policy-pack-config", file]);
    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain(
      'cluster-upgrade-requires-clean-precheck: "mandatry" is not an enforcement level; use advisory, mandatory, remediate or disabled',
    );
  });

  it("a pack that started is stopped when another --policy-pack is not a pack; before, the command never ended", async () => {
    const args = ["preview", "--cwd", GUARDED, "--stack", "ready", "--policy-pack", PACK];
    const result = await command([...args, "--policy-pack", backend]);
    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(/not a policy pack/);
  });

  it("a key that names no policy is a warning that lists the pack's policies", async () => {
    const file = path.join(backend, "typo.json");
    fs.writeFileSync(file, JSON.stringify({ "cluster-upgrade-requires-clean-prechek": "advisory" }));
    const result = await preview({
      cwd: GUARDED,
      stack: "ready",
      policyPacks: [PACK],
      policyPackConfig: file,
      env: { ...bare(), ...clientEnvironment(emulator.url, { pollIntervalMs: 5 }) },
    });
    const warnings = result.diagnostics.filter((d) => d.severity === "warning").map((d) => d.message);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^--policy-pack-config: "cluster-upgrade-requires-clean-prechek" is not a policy of upgrade-guard, so it configures nothing \(policies: .*cluster-upgrade-requires-clean-precheck/,
      ),
    ]);
  });
});

describe("third-party clusters (the clouds' own package tokens, no provider plugin here)", () => {
  it("stack blocked: both version bumps are blocked, and the plan says outputs are unknown", async () => {
    const result = await preview({ cwd: THIRD_PARTY, stack: "blocked", policyPacks: [PACK], env });
    expect(result.exitCode).toBe(1);
    const mandatory = result.policies.filter((violation) => violation.level === "mandatory");
    expect(mandatory.map((violation) => violation.urn?.split("::").pop()).sort()).toEqual([
      "ack-cluster",
      "cce-cluster",
    ]);
    expect(mandatory.find((v) => v.urn?.endsWith("ack-cluster"))?.message).toMatch(
      /ACK cluster ack-blocked \(c22339874b79620c333d6ec000b8f8592\) from 1\.31\.1-aliyun\.1 to 1\.32\.1-aliyun\.1 is BLOCKED/,
    );
    expect(mandatory.find((v) => v.urn?.endsWith("cce-cluster"))?.message).toMatch(
      /CCE cluster cce-blocked \(7bea3b6f-d9ed-4635-9e13-73250b890ec8\) from v1\.29\.5-r0 to v1\.30 is BLOCKED/,
    );
    const notes = result.steps.filter((step) => step.note !== undefined).map((step) => step.note);
    expect(notes).toEqual([
      expect.stringMatching(
        /no (alicloud|huaweicloud) provider plugin here: inputs were checked by the policies; outputs are unknown/,
      ),
      expect.stringMatching(/no (alicloud|huaweicloud) provider plugin here/),
    ]);
  });

  it("stack ready: both version bumps pass; up cannot create them and says why (exit 3)", async () => {
    const result = await preview({ cwd: THIRD_PARTY, stack: "ready", policyPacks: [PACK], env });
    expect(result.exitCode).toBe(0);
    expect(result.policies.filter((violation) => violation.level === "mandatory")).toEqual([]);
    const applied = await up({ cwd: THIRD_PARTY, stack: "ready", policyPacks: [PACK], env });
    expect(applied.exitCode).toBe(3);
    expect(applied.error).toMatch(
      /provider plugin is not available to this harness, so `up` cannot create it/,
    );
  });
});

describe("up keeps state; the next preview diffs against it", () => {
  it("up on stack ready upgrades both clusters, records them, and a second preview plans no change", async () => {
    const first = await up({ cwd: GUARDED, stack: "ready", policyPacks: [PACK], env });
    expect(first.error).toBeUndefined();
    expect(first.exitCode).toBe(0);
    expect(first.outputs).toEqual({
      upgrades: {
        cce: {
          phase: "Success",
          clusterVersion: expect.stringMatching(/^v1\.30/),
          snapshot: "Success",
          postCheck: "Success",
        },
        ack: { phase: "success", clusterVersion: "1.32.1-aliyun.1" },
      },
    });
    const stateFile = path.join(backend, ".upgrade-guard/stacks/guarded-upgrade/ready.json");
    const state = JSON.parse(fs.readFileSync(stateFile, "utf8"));
    // Registration order of the two upgrades is the program's (concurrent), so compare as a set.
    const recorded = state.resources.map((r: { name: string; id?: string }) => [r.name, typeof r.id]);
    expect(recorded.sort()).toEqual([
      ["ack-upgrade", "string"],
      ["cce-upgrade", "string"],
      ["guarded-upgrade-ready", "undefined"],
    ]);
    const again = await preview({ cwd: GUARDED, stack: "ready", policyPacks: [PACK], env });
    expect(again.steps.map((step) => step.op)).toEqual(["same", "same", "same"]);
    expect(again.outputs).toEqual(first.outputs);
  });

  it("up on stack blocked refuses both upgrades: exit 1, nothing recorded as created", async () => {
    const result = await up({ cwd: GUARDED, stack: "blocked", policyPacks: [PACK], env });
    expect(result.exitCode).toBe(1);
    expect(result.blocked).toBe(true);
    expect(result.steps.filter((step) => step.op === "create").map((step) => step.name)).not.toContain(
      "cce-upgrade",
    );
    const blockedIds = ["7bea3b6f-d9ed-4635-9e13-73250b890ec8", "c22339874b79620c333d6ec000b8f8592"];
    const upgrades = emulator.control
      .requests()
      .filter((r) => r.operation === "UpgradeCluster" && blockedIds.some((id) => r.path.includes(id)));
    expect(upgrades).toEqual([]);
  });
});

describe("programs, secrets and stack references", () => {
  it("a program error exits 3 with the program's message", async () => {
    const dir = project("broken", 'throw new Error("the program refuses: clusters is not set");\n');
    const result = await preview({ cwd: dir, env });
    expect(result.exitCode).toBe(3);
    expect(result.error).toContain("the program refuses: clusters is not set");
  });

  it("a secret config value never appears in the state file or the output, and a StackReference reads it back as a secret", async () => {
    const crypter = PassphraseCrypter.create(PASSPHRASE);
    const stackFile = `encryptionsalt: ${crypter.saltState}\nconfig:\n  producer:token:\n    secure: ${crypter.encrypt(SECRET)}\n  producer:region: cn-north-4\n`;
    const producer = project(
      "producer",
      [
        'const pulumi = require("@pulumi/pulumi");',
        "const config = new pulumi.Config();",
        "const provider = { async create(inputs) { return { id: 'x1', outs: { ...inputs, length: inputs.token.length } }; } };",
        "const thing = new pulumi.dynamic.Resource(provider, 'thing', { token: config.requireSecret('token'), length: undefined });",
        "pulumi.log.info('created a thing; token is ' + config.get('region'));",
        "exports.token = config.requireSecret('token');",
        "exports.region = config.require('region');",
        "exports.length = thing.length;",
      ].join("\n"),
      stackFile,
    );
    const result = await up({ cwd: producer, env });
    expect(result.error).toBeUndefined();
    expect(result.outputs).toEqual({ token: "[secret]", region: "cn-north-4", length: SECRET.length });
    const stateText = fs.readFileSync(path.join(backend, ".upgrade-guard/stacks/producer/dev.json"), "utf8");
    expect(stateText).not.toContain(SECRET);
    expect(stateText).toContain('"ciphertext": "v1:');
    expect(JSON.stringify(result)).not.toContain(SECRET);

    const consumer = project(
      "consumer",
      [
        'const pulumi = require("@pulumi/pulumi");',
        "const ref = new pulumi.StackReference('producer/dev');",
        "exports.region = ref.getOutput('region');",
        "exports.token = ref.getOutput('token');",
        "exports.tokenLength = ref.getOutput('token').apply((t) => t.length);",
      ].join("\n"),
    );
    const read = await preview({ cwd: consumer, env });
    expect(read.error).toBeUndefined();
    // Secret outputs of the other stack stay secret here (and anything derived from them).
    expect(read.outputs).toEqual({ region: "cn-north-4", token: "[secret]", tokenLength: "[secret]" });
    expect(read.steps.map((step) => `${step.op} ${step.type}`)).toContain(
      "read pulumi:pulumi:StackReference",
    );
    expect(JSON.stringify(read)).not.toContain(SECRET);
  });

  it("a StackReference to a stack that was never deployed fails the run, naming it", async () => {
    const consumer = project(
      "lonely",
      'const pulumi = require("@pulumi/pulumi");\nexports.x = new pulumi.StackReference("nobody/dev").getOutput("x");\n',
    );
    const result = await preview({ cwd: consumer, env });
    expect(result.exitCode).toBe(3);
    expect(result.error).toMatch(/no stack nobody\/dev/);
  });

  it("a wrong passphrase is refused without showing any secret", async () => {
    const crypter = PassphraseCrypter.create(PASSPHRASE);
    const dir = project(
      "locked",
      "exports.ok = true;\n",
      `encryptionsalt: ${crypter.saltState}\nconfig:\n  locked:token:\n    secure: ${crypter.encrypt(SECRET)}\n`,
    );
    await expect(preview({ cwd: dir, env: { ...env, PULUMI_CONFIG_PASSPHRASE: "wrong" } })).rejects.toThrow(
      /PULUMI_CONFIG_PASSPHRASE is not the passphrase/,
    );
  });
});
