// The `npm start -- ...` commands of the examples' READMEs work as written. They are read from the
// READMEs' ```sh blocks and must equal the list below (so a README edit shows up here), then run
// in README order through the CLI's `run`, in process: `npm start` is `npm run build --silent &&
// node scripts/start.js` at the repository root (asserted below), which hands any arguments and the
// environment to `run` (without arguments it runs the demo, tested in test/demo.test.ts). Each README gets its own empty backend and an environment
// with no cloud configured, as a newcomer's shell: the CLI then starts its embedded emulator.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
// The CLI's source (cli/src/index.ts, @upgrade-guard/cli's main): jest's swc transform turns its
// `import("@upgrade-guard/harness")` into a require, which the compiled dist keeps native and
// jest cannot run without --experimental-vm-modules.
import { run } from "../../cli/src/index";

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, "../..");
const UP_READINESS = "npm start -- up --cwd examples/readiness --stack dev --yes";
const PREVIEW_CONSUMER = "npm start -- preview --cwd examples/consumer --stack dev";
const previewOf = (example: string, stack: string): string =>
  `npm start -- preview --cwd examples/${example} --stack ${stack} --policy-pack policy-pack`;

/** The commands of each example's README, in order: mirrored from the READMEs, checked below. */
const COMMANDS: Record<string, readonly string[]> = {
  readiness: [UP_READINESS],
  consumer: [UP_READINESS, PREVIEW_CONSUMER],
  "guarded-upgrade": [previewOf("guarded-upgrade", "blocked"), previewOf("guarded-upgrade", "ready")],
  "third-party": [previewOf("third-party", "blocked"), previewOf("third-party", "ready")],
};
/** What each command must print and exit with (the READMEs say the same in words). */
const EXPECTED: Record<string, { code: number; prints: RegExp[] }> = {
  [UP_READINESS]: {
    code: 0,
    prints: [/Updating \(readiness\/dev\):/, /readiness: \{"ack-blocked":\{"allowed":false/],
  },
  [PREVIEW_CONSUMER]: {
    code: 0,
    prints: [
      /Previewing update \(consumer\/dev\):/,
      /accepted: \{"ack-blocked":\{"allowed":false.*"cce-ready":\{"allowed":true/,
      /refused: \{\}/,
    ],
  },
  [previewOf("guarded-upgrade", "blocked")]: {
    code: 1,
    prints: [
      /\[mandatory\]\s+cluster-upgrade-requires-clean-precheck\s+\(cce-upgrade\)/,
      /\(ack-upgrade\)/,
      /AddonValidate \[Fatal\]/,
    ],
  },
  [previewOf("guarded-upgrade", "ready")]: { code: 0, prints: [/\+ 3 to create/] },
  [previewOf("third-party", "blocked")]: {
    code: 1,
    prints: [/\[mandatory\]\s+cluster-upgrade-requires-clean-precheck\s+\(ack-cluster\)/, /\(cce-cluster\)/],
  },
  [previewOf("third-party", "ready")]: { code: 0, prints: [/no alicloud provider plugin here/] },
};
/** Variables whose presence would point the CLI at a cloud instead of its embedded emulator. */
const CLOUD_VARIABLES = /^(UPGRADE_GUARD_|HUAWEICLOUD_SDK_|HW_|ALIBABA_CLOUD_|ALICLOUD_)/;

function npmStartCommands(readme: string): string[] {
  const text = fs.readFileSync(readme, "utf8");
  const blocks = [...text.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? "");
  return blocks
    .flatMap((block) => block.split("\n"))
    .map((line) => line.trim())
    .filter((line) => line.startsWith("npm start"));
}

/** `npm start -- ARGS` at the root is `run(ARGS)` with the root as working directory. */
function argvOf(command: string): string[] {
  expect(command).toMatch(/^npm start -- [^'"`$\\]+$/); // plain words only: split on spaces
  const argv = command.slice("npm start -- ".length).split(/\s+/);
  const cwd = argv.indexOf("--cwd");
  if (cwd !== -1) argv[cwd + 1] = path.resolve(ROOT, argv[cwd + 1] ?? "");
  return argv;
}

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

it("npm start runs the built CLI at the repository root", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  expect(pkg.scripts.start).toBe("npm run build --silent && node scripts/start.js");
  const start = fs.readFileSync(path.join(ROOT, "scripts/start.js"), "utf8");
  expect(start).toContain(
    "const context = { env: process.env, stdout: process.stdout, stderr: process.stderr };",
  );
  expect(start).toContain("(args.length === 0 ? demo() : run(args, context))");
});

it("every example README's npm start commands are the ones this test runs", () => {
  const examples = fs
    .readdirSync(path.join(ROOT, "examples"), { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && fs.existsSync(path.join(ROOT, "examples", entry.name, "README.md")),
    )
    .map((entry) => entry.name)
    .sort();
  expect(examples).toEqual(Object.keys(COMMANDS).sort());
  for (const example of examples)
    expect([example, npmStartCommands(path.join(ROOT, "examples", example, "README.md"))]).toEqual([
      example,
      COMMANDS[example],
    ]);
});

describe.each(Object.entries(COMMANDS))("examples/%s/README.md", (_example, commands) => {
  it("runs each command as written, against the embedded emulator", async () => {
    const backend = fs.mkdtempSync(path.join(os.tmpdir(), "ug-readme-backend-"));
    temporary.push(backend);
    const outer = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !CLOUD_VARIABLES.test(name)),
    );
    const env = { ...outer, PULUMI_BACKEND_URL: `file://${backend}` };
    for (const command of commands) {
      let stdout = "";
      let stderr = "";
      const code = await run(argvOf(command), {
        env,
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
      });
      const expected = EXPECTED[command];
      expect({ command, code, stderr: stderr.replace(/http:\/\/127\.0\.0\.1:\d+/, "URL") }).toEqual({
        command,
        code: expected?.code,
        stderr:
          "upgrade-guard: using the embedded emulator at URL (no cloud endpoint or credentials are configured); nothing leaves this machine.\n",
      });
      for (const pattern of expected?.prints ?? []) expect(stdout).toMatch(pattern);
    }
  });
});
