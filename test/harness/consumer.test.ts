// A producer and a consumer stack, both run for real: `up` of examples/readiness (stack dev) and
// `preview` of examples/consumer (stack dev) through @upgrade-guard/harness, i.e. Pulumi's own
// language host (`@pulumi/pulumi/cmd/run`) against an emulator started here, with the state in a
// temporary local backend (PULUMI_BACKEND_URL=file://DIR). The consumer's StackReference is served
// from that backend, so what it accepts is what the producer's `up` stored; to make the stored
// readiness stale or forged, the tests rewrite the state file, as time or an intruder would.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { preview, up, type DeploymentResult } from "@upgrade-guard/harness";
import { clientEnvironment, type RunningEmulator, startEmulator } from "@upgrade-guard/emulator";

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, "../..");
const PRODUCER_DIR = path.join(ROOT, "examples/readiness");
const CONSUMER_DIR = path.join(ROOT, "examples/consumer");
const CLUSTERS = ["ack-blocked", "ack-ready", "cce-blocked", "cce-ready"];
/** Variables that point clients at a cloud: none may leak in from the outer environment. */
const CLOUD_VARIABLES = /^(UPGRADE_GUARD_|HUAWEICLOUD_SDK_|HW_|ALIBABA_CLOUD_|ALICLOUD_)/;

let emulator: RunningEmulator;
let backend: string;
let env: NodeJS.ProcessEnv;
let produced: DeploymentResult;
let stateFile: string;
let storedState: string;
const temporary: string[] = [];

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

beforeAll(async () => {
  emulator = await startEmulator();
  backend = tempDir("ug-consumer-backend-");
  const outer = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !CLOUD_VARIABLES.test(name)),
  );
  env = { ...outer, ...clientEnvironment(emulator.url), PULUMI_BACKEND_URL: `file://${backend}` };
  produced = await up({ cwd: PRODUCER_DIR, stack: "dev", env });
  stateFile = path.join(backend, ".upgrade-guard/stacks/readiness/dev.json");
  storedState = fs.readFileSync(stateFile, "utf8");
});
afterEach(() => fs.writeFileSync(stateFile, storedState));
afterAll(async () => {
  await emulator?.close();
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

type Entry = Record<string, unknown> & { summary: Record<string, unknown> };

/** Rewrites the producer's stored readiness output (the state file holds it in plain JSON: no secrets). */
function tamper(change: (readiness: Record<string, Entry>) => void): void {
  const state = JSON.parse(storedState) as { outputs: { readiness: Record<string, Entry> } };
  change(state.outputs.readiness);
  fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
}

const consumer = (cwd = CONSUMER_DIR, stack = "dev") => preview({ cwd, stack, env });

it("the producer's up stores the readiness of the four default-scenario clusters", () => {
  expect(produced).toMatchObject({ kind: "up", project: "readiness", stack: "dev", exitCode: 0 });
  expect(produced.error).toBeUndefined();
  const readiness = produced.outputs["readiness"] as Record<string, Entry>;
  expect(Object.keys(readiness).sort()).toEqual(CLUSTERS);
  expect(readiness["cce-ready"]).toMatchObject({ allowed: true, verdict: "ready" });
  expect(readiness["ack-blocked"]).toMatchObject({ allowed: false, verdict: "blocked" });
  expect(JSON.parse(storedState).outputs.readiness).toEqual(readiness);
});

it("the consumer's preview accepts the producer's readiness, entry for entry", async () => {
  const result = await consumer();
  expect(result).toMatchObject({ kind: "preview", project: "consumer", stack: "dev", exitCode: 0 });
  expect(result.error).toBeUndefined();
  expect(result.steps).toContainEqual(
    expect.objectContaining({ op: "read", type: "pulumi:pulumi:StackReference", name: "readiness/dev" }),
  );
  expect(result.outputs["accepted"]).toEqual(produced.outputs["readiness"]);
  expect(result.outputs["refused"]).toEqual({});
  expect(result.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
});

it("readiness that has grown stale in the backend is refused with the reason, the rest accepted", async () => {
  const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60_000).toISOString();
  tamper((readiness) => {
    readiness["cce-ready"]!.summary["observedAt"] = twoHoursAgo;
  });
  const result = await consumer();
  expect(result.exitCode).toBe(0);
  const accepted = result.outputs["accepted"] as Record<string, unknown>;
  expect(Object.keys(accepted).sort()).toEqual(["ack-blocked", "ack-ready", "cce-blocked"]);
  expect(result.outputs["refused"]).toEqual({
    "cce-ready": expect.stringMatching(
      new RegExp(`^stale: observed at ${twoHoursAgo}, 2 h ago, older than the maximum age of 1 h$`),
    ),
  });
  expect(result.diagnostics).toContainEqual(
    expect.objectContaining({
      severity: "warning",
      message: expect.stringContaining("readiness of cce-ready from stack readiness/dev refused: stale:"),
    }),
  );
});

it("expired, forged or inconsistent entries are refused, each with what is wrong", async () => {
  tamper((readiness) => {
    readiness["cce-ready"]!.summary["expiresAt"] = new Date(Date.now() - 60_000).toISOString();
    readiness["ack-ready"]!.summary["digest"] = "sha256:trust-me";
    readiness["ack-blocked"]!["allowed"] = true; // flipped without touching the verdict
    readiness["cce-blocked"]!.summary["verdict"] = "ready"; // the summary now disagrees with its entry
  });
  const result = await consumer();
  expect(result.exitCode).toBe(0);
  expect(result.outputs["accepted"]).toEqual({});
  expect(result.outputs["refused"]).toEqual({
    "cce-ready": expect.stringMatching(/^expired: its check expired at \S+$/),
    "ack-ready": 'summary digest "sha256:trust-me" is not sha256:<64 hex digits>',
    "ack-blocked": "verdict blocked always blocks but allowed is true",
    "cce-blocked": "summary verdict ready differs from the entry's blocked",
  });
});

it("consumer:maxAgeMinutes is applied: 60 ms refuses a reading made seconds ago", async () => {
  // A copy of the example with another stack file, outside the repository; node_modules links back
  // to the repository's so @pulumi/pulumi and @upgrade-guard/sdk resolve as they do in place.
  const dir = tempDir("ug-consumer-copy-");
  for (const file of ["Pulumi.yaml", "package.json", "index.ts"])
    fs.copyFileSync(path.join(CONSUMER_DIR, file), path.join(dir, file));
  const tsconfig = JSON.parse(fs.readFileSync(path.join(CONSUMER_DIR, "tsconfig.json"), "utf8"));
  tsconfig.extends = path.join(ROOT, "tsconfig.base.json");
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  fs.writeFileSync(
    path.join(dir, "Pulumi.tiny.yaml"),
    "config:\n  consumer:producer: readiness/dev\n  consumer:maxAgeMinutes: 0.001\n",
  );

  const result = await consumer(dir, "tiny");
  expect(result.exitCode).toBe(0);
  expect(result.error).toBeUndefined();
  expect(result.outputs["accepted"]).toEqual({});
  const refused = result.outputs["refused"] as Record<string, string>;
  expect(Object.keys(refused).sort()).toEqual(CLUSTERS);
  for (const reason of Object.values(refused))
    expect(reason).toMatch(
      /^stale: observed at \S+, \d+ (ms|s|min) ago, older than the maximum age of 60 ms$/,
    );
});

// Slow (about 40 s on Node 20.20.2): Pulumi's language host formats a failed program's error with
// util.inspect(err, { colors: true }), which in Node versions carrying nodejs/node#59446 (20.19.6
// has it) loops on frames like `node_modules/@pulumi/output.ts` until the string is too long
// (nodejs/node#64011, fixed by nodejs/node#64022); the host then falls back to the plain message.
it("a producer stack never deployed to this backend fails the consumer's preview, saying what to run", async () => {
  const empty = tempDir("ug-consumer-empty-");
  const result = await preview({
    cwd: CONSUMER_DIR,
    stack: "dev",
    env: { ...env, PULUMI_BACKEND_URL: `file://${empty}` },
  });
  expect(result.exitCode).toBe(3);
  expect(result.error).toMatch(
    /StackReference readiness\/dev: no stack readiness\/dev in .*run `up` on it first/,
  );
}, 120_000);
