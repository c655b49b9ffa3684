/**
 * Reliability 1: a mix of faults on a 200-cluster fleet. The CLI's fleet report (`run` from
 * cli/dist with `clientEnvironment(url)`, as bench/fleet.js runs it, here in a child process that
 * listens for unhandled rejections) reads a fleet from an emulator in this process over real HTTP,
 * first fault-free, then under 5xx answers, throttling with and without a wait header, connection
 * resets before and after the request was processed, truncated and malformed bodies and latency
 * spikes. Every cluster row must then be the fault-free verdict or a typed error (an error code of
 * the provider's), with nothing unhandled. Then the task-starting resources run through the
 * provider's lifecycle code (in this process) with the create call's answer lost after the emulator
 * processed it: one task in the emulator each time, and the log says it was recovered.
 */
import * as path from "node:path";
import { resources, setLogSink } from "@upgrade-guard/provider/impl";
import {
  clientEnvironment,
  startEmulator,
  type FaultRuleInput,
  type RequestLogEntry,
  type RunningEmulator,
  type ScenarioInput,
} from "@upgrade-guard/emulator";
import { emulatorState, ROOT, startNode, withDeadline } from "./helpers";

jest.setTimeout(120_000);

const CLUSTERS = 200;
const TO = { cce: "v1.30", ack: "1.32.1-aliyun.1" };

/** Like emulator/scenarios/many-clusters.yaml and bench/fleet.js: half CCE, half ACK, mixed outcomes. */
function fleet(count: number): ScenarioInput {
  const half = count / 2;
  const cce = (
    suffix: string,
    risks: "fatal" | "warning",
    n: number,
  ): NonNullable<ScenarioInput["generate"]>[number] => ({
    count: n,
    template: {
      cloud: "cce" as const,
      name: `fleet-cce-${suffix}-{i}`,
      version: "v1.29.5-r0",
      targetVersions: [TO.cce],
      addons: [{ template: "coredns", version: "1.29.4" }],
      outcomes: {
        [TO.cce]: {
          precheck: {
            items: [
              {
                name: "NodeOSVersion",
                group: "NodeCheck",
                node: "192.168.0.11",
                level: risks === "fatal" ? ("Fatal" as const) : ("Warning" as const),
                message: "kernel upgrade",
              },
            ],
          },
        },
      },
      history: {
        cce: {
          prechecks: [{ targetVersion: TO.cce, createdAgo: "5m" }],
          addonChecks: [{ addon: "coredns", targetVersion: "1.30.1", createdAgo: "5m" }],
        },
      },
    },
  });
  return {
    name: `reliability-fleet-${count}`,
    clusters: [],
    generate: [
      cce("warn", "warning", half / 2),
      cce("fatal", "fatal", half / 2),
      {
        count: half / 2,
        template: {
          cloud: "ack",
          name: "fleet-ack-checked-{i}",
          version: "1.31.1-aliyun.1",
          targetVersions: [TO.ack],
          history: { ack: { checks: [{ type: "ClusterUpgrade", targetVersion: TO.ack, createdAgo: "5m" }] } },
        },
      },
      {
        count: half / 2,
        template: {
          cloud: "ack",
          name: "fleet-ack-unchecked-{i}",
          version: "1.31.1-aliyun.1",
          targetVersions: [TO.ack],
        },
      },
    ],
  };
}

/** Spread over the run: `skip` lets the listing and the first clusters through, `times` bounds each. */
const FAULTS: FaultRuleInput[] = [
  { service: "cce", method: "GET", skip: 20, times: 12, error: { status: 500 } },
  { service: "ack", method: "GET", skip: 30, times: 12, error: { status: 503 } },
  {
    service: "cce",
    method: "GET",
    skip: 60,
    times: 6,
    error: { status: 429, code: "APIGW.0308", retryAfterSeconds: 1 },
  },
  { service: "ack", method: "GET", skip: 70, times: 6, error: { status: 400, code: "Throttling.User" } },
  {
    service: "ack",
    method: "GET",
    skip: 90,
    times: 4,
    error: { status: 429, code: "Throttling.User", retryAfterSeconds: 1 },
  },
  { service: "cce", method: "GET", skip: 120, times: 10, reset: "after" },
  { service: "ack", method: "GET", skip: 130, times: 10, reset: "before" },
  { service: "cce", method: "GET", skip: 180, times: 4, truncateBody: true },
  { service: "ack", method: "GET", skip: 200, times: 4, malformedBody: true },
  { method: "GET", skip: 40, times: 60, latencyMs: { min: 20, max: 400 } },
  { service: "cce", method: "GET", skip: 300, times: 40, error: { status: 502 } },
];

/** The error codes of provider/src/errors.ts a cluster row may carry. */
const TYPED_CODES = new Set([
  "CONFIG_MISSING",
  "CONFIG_INVALID",
  "INPUT_INVALID",
  "NETWORK",
  "TIMEOUT",
  "ABORTED",
  "DEADLINE_EXCEEDED",
  "API_AUTH",
  "API_NOT_FOUND",
  "API_CONFLICT",
  "API_THROTTLED",
  "API_INVALID",
  "API_SERVER",
  "RESPONSE_SHAPE",
]);

interface Row {
  readonly clusterId: string;
  readonly readiness?: { verdict: string; worstSeverity: string; allowed: boolean };
  readonly error?: { code: string; message: string };
}

/**
 * The CLI's fleet report in a process of its own (`run` from cli/dist, as bench/fleet.js calls it),
 * with listeners for unhandled rejections and uncaught exceptions: jest's environment would hide them
 * from a listener in the test file. It prints the exit code, the report and what the listeners saw.
 */
const CHILD = `
const { run } = require(${JSON.stringify(path.join(ROOT, "cli/dist"))});
const unhandled = [];
process.on("unhandledRejection", (reason) => unhandled.push("unhandledRejection: " + (reason && reason.stack || String(reason))));
process.on("uncaughtException", (error) => unhandled.push("uncaughtException: " + (error && error.stack || String(error))));
let stdout = "";
let stderr = "";
run(["report", "-o", "json", "-q"], {
  env: process.env,
  stdout: { write: (text) => void (stdout += text) },
  stderr: { write: (text) => void (stderr += text) },
}).then(
  (code) => setTimeout(() => process.stdout.write(JSON.stringify({ code, stdout, stderr, unhandled })), 200),
  (error) => process.stdout.write(JSON.stringify({ code: -1, stdout, stderr: String(error && error.stack), unhandled })),
);
`;

let emulator: RunningEmulator;
const internalErrors: unknown[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    scenario: fleet(CLUSTERS),
    freezeClock: true,
    requestLogLimit: 100_000,
    onInternalError: (error) => internalErrors.push(error),
  });
});
afterAll(async () => {
  await emulator?.close();
});

interface Report {
  readonly code: number;
  readonly rows: Row[];
  readonly unhandled: string[];
  readonly log: RequestLogEntry[];
}

async function report(): Promise<Report> {
  emulator.control.clearRequests();
  const child = startNode(["-e", CHILD], clientEnvironment(emulator.url));
  const exit = await withDeadline(child.exited, 90_000, "the fleet report").finally(() => child.kill9());
  const output = child.output();
  let result: { code: number; stdout: string; stderr: string; unhandled: string[] };
  try {
    result = JSON.parse(output) as typeof result;
  } catch {
    throw new Error(`the report process (exit ${exit.code}) printed no result:\n${output.slice(0, 2000)}`);
  }
  let rows: Row[];
  try {
    rows = (JSON.parse(result.stdout) as { clusters: Row[] }).clusters;
  } catch {
    throw new Error(
      `the report (exit ${result.code}) is not JSON:\n${result.stdout.slice(0, 500)}\n${result.stderr.slice(0, 2000)}`,
    );
  }
  const log = emulator.control.requests({ limit: 1_000_000 });
  return { code: result.code, rows, unhandled: result.unhandled, log };
}

function counts(log: readonly RequestLogEntry[]): string {
  const byStatus = new Map<number, number>();
  for (const entry of log) byStatus.set(entry.status, (byStatus.get(entry.status) ?? 0) + 1);
  const statuses = [...byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`);
  return `${log.length} requests (${statuses.join(", ")})`;
}

it(`${CLUSTERS} clusters under a fault mix: every row is the fault-free verdict or a typed error`, async () => {
  const clean = await report();
  expect(clean.rows).toHaveLength(CLUSTERS);
  expect(clean.rows.filter((row) => row.error !== undefined)).toEqual([]);
  const expected = new Map(clean.rows.map((row) => [row.clusterId, row.readiness]));
  // The fleet is mixed, so a wrong verdict could not hide among equal ones.
  expect(new Set(clean.rows.map((row) => row.readiness?.verdict)).size).toBeGreaterThan(1);

  const rules = FAULTS.map((rule) => emulator.control.setFault(rule));
  const faulty = await report();
  const applied = emulator.control.faults();
  emulator.control.clearFaults();

  expect(faulty.rows).toHaveLength(CLUSTERS);
  const wrong: string[] = [];
  let errors = 0;
  for (const row of faulty.rows) {
    if (row.error !== undefined) {
      errors += 1;
      if (!TYPED_CODES.has(row.error.code) || row.error.message === "")
        wrong.push(`${row.clusterId}: untyped error ${JSON.stringify(row.error)}`);
      continue;
    }
    const want = expected.get(row.clusterId);
    if (row.readiness?.verdict !== want?.verdict || row.readiness?.worstSeverity !== want?.worstSeverity)
      wrong.push(`${row.clusterId}: ${row.readiness?.verdict} instead of ${want?.verdict}`);
  }
  const codes = [...new Set(faulty.rows.flatMap((row) => (row.error === undefined ? [] : [row.error.code])))];
  console.log(
    `fault mix: fault-free ${counts(clean.log)}; under faults ${counts(faulty.log)}; ` +
      `${CLUSTERS - errors} verdicts, ${errors} typed errors (${codes.join(", ") || "none"}); ` +
      `rules applied: ${applied.map((r) => `${r.id} ${r.applied}`).join(", ")}`,
  );
  expect(wrong).toEqual([]);
  // Every rule acted: the run met each kind of fault.
  expect(
    applied.filter((rule) => rule.applied === 0).map((rule) => rules.find((r) => r.id === rule.id)),
  ).toEqual([]);
  expect(faulty.log.length).toBeGreaterThan(clean.log.length);
  // The run ended normally, with nothing left unhandled in the process, and the emulator never failed.
  expect([clean.code, faulty.code].every((code) => code === 0 || code === 1)).toBe(true);
  expect([...clean.unhandled, ...faulty.unhandled]).toEqual([]);
  expect(internalErrors).toEqual([]);
});

describe("creates through the provider's lifecycle code, the answer lost after the emulator processed it", () => {
  const saved = { ...process.env };
  const log: string[] = [];
  beforeAll(async () => {
    setLogSink((level, line) => log.push(`${level}: ${line}`));
    await emulator.control.loadScenario("default");
    Object.assign(process.env, clientEnvironment(emulator.url, { pollIntervalMs: 5 }));
  });
  afterAll(() => {
    setLogSink(undefined);
    for (const name of Object.keys(process.env))
      if (!(name in saved)) Reflect.deleteProperty(process.env, name);
    Object.assign(process.env, saved);
  });
  beforeEach(async () => {
    await emulator.control.reset();
    log.length = 0;
  });

  const id = (name: string): string => emulator.control.clusters().find((c) => c.name === name)!.id;
  const cases = [
    { resource: "cceClusterPrecheck", operation: "CreatePreCheck", cluster: "cce-ready", target: TO.cce },
    { resource: "ackClusterCheck", operation: "RunClusterCheck", cluster: "ack-ready", target: TO.ack },
    { resource: "cceClusterUpgrade", operation: "UpgradeCluster", cluster: "cce-ready", target: TO.cce },
    { resource: "ackClusterUpgrade", operation: "UpgradeCluster", cluster: "ack-ready", target: TO.ack },
  ] as const;
  const breakages: [string, FaultRuleInput][] = [
    ["reset after processing", { reset: "after" }],
    ["reset after a latency spike", { reset: "after", latencyMs: 300 }],
    ["body cut off", { truncateBody: true }],
    ["gateway 504 after processing", { error: { status: 504, afterProcessing: true } }],
  ];

  it.each(cases.flatMap((c) => breakages.map(([how, fault]) => [c.resource, how, c, fault] as const)))(
    "%s, %s: the create succeeds with the one task it started",
    async (_name, _how, { resource, operation, cluster, target }, fault) => {
      const clusterId = id(cluster);
      const before = await tasksOf(resource, clusterId);
      emulator.control.setFault({ operation, method: "POST", times: 1, ...fault });
      const lifecycle = resources[resource];
      const { id: created } = await withDeadline(
        lifecycle.create({ clusterId, targetVersion: target, waitTimeoutMinutes: 2 }),
        60_000,
        `${resource} create`,
      );
      const posts = emulator.control.requests().filter((r) => r.method === "POST");
      const starts = posts.filter((r) => r.operation === operation);
      // One create reached the emulator (its answer was lost); nothing was sent twice.
      expect(starts).toHaveLength(1);
      expect(new Set(posts.map((r) => r.operation)).size).toBe(posts.length);
      // The emulator holds one new task, and it is the one the resource recorded.
      const started = (await tasksOf(resource, clusterId)).filter((task) => !before.includes(task));
      expect(started).toEqual([created]);
      expect(log.join("\n")).toMatch(
        new RegExp(`${created}[^\\n]*\\(found after the answer was lost; not started twice\\)`),
      );
    },
  );
});

const TABLE_OF: Record<string, string> = {
  cceClusterPrecheck: "ccePrechecks",
  ackClusterCheck: "ackChecks",
  cceClusterUpgrade: "cceUpgradeTasks",
  ackClusterUpgrade: "ackTasks",
};

/** The ids of the tasks of the kind the resource starts on the cluster, as the emulator holds them. */
async function tasksOf(resource: string, clusterId: string): Promise<string[]> {
  const table = (await emulatorState(emulator.url))[TABLE_OF[resource]!] ?? [];
  return table.filter((task) => task.clusterId === clusterId).map((task) => task.id);
}
