// Programs under pulumi.runtime.setMocks whose mocks run the REAL serialized providers (see
// helpers/engine.ts) against the emulator: the example program in its three modes, preview, secrets,
// and a second stack reading the first one's readiness through a StackReference.
import * as pulumi from "@pulumi/pulumi";
import { TYPE_TOKENS, type cce as cceNamespace } from "@upgrade-guard/sdk";
import { startEmulator, type RunningEmulator } from "../../emulator/src";
import { type ClusterReadiness, readinessProgram } from "../../examples/readiness/program";
import {
  collectProviderLogs,
  EMULATOR_ACCOUNTS,
  emulatorConfig,
  MockEngine,
  SECRET_CONFIG_KEYS,
  restoreOuterEnv,
  setEnvEverywhere,
  valueOf,
} from "./helpers/engine";

const PROJECT = "readiness";
/** Secrets no output or log may carry; the first two are the emulator's real ones. */
const PLANTED = [EMULATOR_ACCOUNTS.huawei.sk, EMULATOR_ACCOUNTS.alibaba.sk, "planted-password-5e11"];

let emulator: RunningEmulator;
let logs: ReturnType<typeof collectProviderLogs>;
const cluster = (name: string) => emulator.control.clusters().find((c) => c.name === name)!;

beforeEach(async () => {
  emulator = await startEmulator({ onInternalError: () => undefined });
  // Credentials come from stack configuration only; the environment names the emulator.
  setEnvEverywhere({ UPGRADE_GUARD_ENDPOINT: emulator.url, UPGRADE_GUARD_POLL_INTERVAL_MS: "5" });
  logs = collectProviderLogs();
});
afterEach(async () => {
  logs.stop();
  await emulator.close();
  restoreOuterEnv();
});

interface Run {
  engine: MockEngine;
  config: Record<string, string>;
}

/** Sets up mocks and stack configuration for one program run. */
async function prepare(
  programConfig: Record<string, unknown>,
  options: { preview?: boolean; stacks?: Record<string, Record<string, unknown>> } = {},
): Promise<Run> {
  const config: Record<string, string> = {
    ...emulatorConfig(),
    "upgrade-guard:password": "planted-password-5e11",
    ...Object.fromEntries(
      Object.entries(programConfig).map(([key, value]) => [
        `${PROJECT}:${key}`,
        typeof value === "string" ? value : JSON.stringify(value),
      ]),
    ),
  };
  const engine = new MockEngine({
    project: PROJECT,
    config,
    ...(options.stacks === undefined ? {} : { stacks: options.stacks }),
    ...(options.preview === undefined ? {} : { preview: options.preview }),
  });
  await pulumi.runtime.setMocks(engine, PROJECT, "dev", options.preview ?? false);
  pulumi.runtime.setAllConfig(config, [...SECRET_CONFIG_KEYS, "upgrade-guard:password"]);
  return { engine, config };
}

function entries(name: string, cloud: "cce" | "ack", targetVersion?: string) {
  return {
    name,
    cloud,
    clusterId: cluster(name).id,
    ...(targetVersion === undefined ? {} : { targetVersion }),
  };
}

async function resolveAll<T>(outputs: Record<string, pulumi.Output<T>>): Promise<Record<string, T>> {
  const resolved: Record<string, T> = {};
  for (const [key, output] of Object.entries(outputs)) resolved[key] = await valueOf(output);
  return resolved;
}

function operations(): string[] {
  return emulator.control.requests().map((r) => r.operation ?? "");
}

it("report mode reads readiness for every cluster and creates nothing", async () => {
  const { engine } = await prepare({
    clusters: [
      entries("cce-blocked", "cce"),
      entries("cce-ready", "cce"),
      entries("cce-unchecked", "cce"),
      entries("ack-ready", "ack"),
      entries("ack-blocked", "ack"),
    ],
  });
  const outputs = readinessProgram();
  const readiness = await resolveAll(outputs.readiness);
  expect(Object.fromEntries(Object.entries(readiness).map(([name, r]) => [name, r.verdict]))).toEqual({
    "cce-blocked": "blocked",
    "cce-ready": "ready",
    "cce-unchecked": "unknown",
    "ack-ready": "ready",
    "ack-blocked": "blocked",
  });
  expect(readiness["cce-blocked"]!.summary).toMatchObject({
    verdict: "blocked",
    worstSeverity: "fatal",
    checkId: expect.any(String),
  });
  expect(engine.registrations.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"))).toEqual([]);
  expect(engine.calls).toEqual([]);
  expect(
    operations().some((op) => op.startsWith("Create") || op.startsWith("Run") || op.startsWith("Upgrade")),
  ).toBe(false);
});

it("upgrade mode checks and upgrades ready clusters through the real providers", async () => {
  const { engine } = await prepare({
    mode: "upgrade",
    clusters: [entries("cce-ready", "cce", "v1.30"), entries("ack-ready", "ack", "1.32.1-aliyun.1")],
  });
  const outputs = readinessProgram();
  const upgrades = await resolveAll(outputs.upgrades);
  expect(upgrades["cce-ready"]).toMatch(/^v1\.30/);
  expect(upgrades["ack-ready"]).toBe("1.32.1-aliyun.1");
  const checks = await resolveAll(outputs.checks);
  expect(checks["cce-ready"]).toMatchObject({ verdict: "ready" });

  const types = engine.registrations.map((r) => r.type).filter((t) => t.startsWith("pulumi-nodejs"));
  expect(types.sort()).toEqual(
    [
      TYPE_TOKENS.cce.ClusterPrecheck,
      TYPE_TOKENS.cce.ClusterUpgrade,
      TYPE_TOKENS.ack.ClusterCheck,
      TYPE_TOKENS.ack.ClusterUpgrade,
    ].sort(),
  );
  expect(engine.registrations.filter((r) => r.error !== undefined || r.failures !== undefined)).toEqual([]);
  // The policy-facing inputs reached the provider's checked inputs.
  const cceUpgrade = engine.ofType(TYPE_TOKENS.cce.ClusterUpgrade)[0]!;
  expect(cceUpgrade.checked).toMatchObject({ currentVersion: "v1.29.5-r0", readiness: { verdict: "ready" } });
  expect(operations().filter((op) => op === "UpgradeCluster")).toHaveLength(2);
});

it("upgrade mode on a blocked cluster: the provider's own gate refuses, nothing is upgraded", async () => {
  const { engine } = await prepare({ mode: "upgrade", clusters: [entries("cce-blocked", "cce", "v1.30")] });
  readinessProgram();
  const upgrade = await engine.settled(TYPE_TOKENS.cce.ClusterUpgrade);
  expect(upgrade.error).toMatch(/refusing to start the upgrade \(verdict blocked\)/);
  expect(operations()).not.toContain("UpgradeCluster");
  expect(cluster("cce-blocked").version).toBe("v1.29.5-r0");
});

it("in preview nothing is created, yet the upgrade's inputs carry the readiness a policy needs", async () => {
  const { engine } = await prepare(
    {
      mode: "upgrade",
      clusters: [entries("cce-blocked", "cce", "v1.30"), entries("ack-ready", "ack", "1.32.1-aliyun.1")],
    },
    { preview: true },
  );
  readinessProgram();
  const cceUpgrade = await engine.settled(TYPE_TOKENS.cce.ClusterUpgrade);
  const ackUpgrade = await engine.settled(TYPE_TOKENS.ack.ClusterUpgrade);
  expect(cceUpgrade.checked).toMatchObject({
    clusterId: cluster("cce-blocked").id,
    currentVersion: "v1.29.5-r0",
    targetVersion: "v1.30",
    readiness: {
      verdict: "blocked",
      worstSeverity: "fatal",
      checkId: expect.any(String),
      expiresAt: expect.any(String),
    },
  });
  expect(ackUpgrade.checked).toMatchObject({ readiness: { verdict: "ready" } });
  expect(engine.registrations.some((r) => r.id !== undefined)).toBe(false);
  expect(operations().some((op) => /^(Create|Run|Upgrade|Batch)/.test(op))).toBe(false);
});

it("an upgrade without explicit readiness fills it in at program time", async () => {
  const { engine } = await prepare({ clusters: [] }, { preview: true });
  const { cce } = await import("@upgrade-guard/sdk");
  new cce.ClusterUpgrade("guarded", { clusterId: cluster("cce-ready").id, targetVersion: "v1.30" });
  const registration = await engine.settled(TYPE_TOKENS.cce.ClusterUpgrade);
  expect(registration.checked).toMatchObject({
    currentVersion: "v1.29.5-r0",
    readiness: { verdict: "ready", digest: expect.stringMatching(/^sha256:/) },
  });
});

it("a consumer stack reads another stack's readiness through a StackReference", async () => {
  // First stack: the example in report mode; its outputs become the referenced stack's outputs.
  await prepare({ clusters: [entries("cce-ready", "cce", "v1.30")] });
  const producer = await resolveAll(readinessProgram().readiness);

  // Second stack: no cloud lookup of its own, it takes the readiness from the first stack.
  const { engine } = await prepare({}, { stacks: { "acme/readiness/dev": { readiness: producer } } });
  emulator.control.clearRequests();
  const { cce } = await import("@upgrade-guard/sdk");
  const ref = new pulumi.StackReference("acme/readiness/dev");
  const entry = ref
    .getOutput("readiness")
    .apply((r) => (r as Record<string, ClusterReadiness>)["cce-ready"]!);
  const upgrade: cceNamespace.ClusterUpgrade = new cce.ClusterUpgrade("from-reference", {
    clusterId: entry.apply((e) => e.clusterId),
    targetVersion: entry.apply((e) => e.targetVersion),
    currentVersion: entry.apply((e) => e.currentVersion),
    readiness: entry.apply((e) => e.summary),
  });
  expect(await valueOf(upgrade.readiness)).toEqual(producer["cce-ready"]!.summary);
  expect(await valueOf(upgrade.phase)).toBe("Success");
  const registration = engine.ofType(TYPE_TOKENS.cce.ClusterUpgrade)[0]!;
  expect(registration.checked?.readiness).toEqual(producer["cce-ready"]!.summary);
  // The consumer made no readiness lookup: the first calls are the upgrade's own.
  expect(operations()[0]).toBe("ShowCluster");
  // One gathering of facts in all (each reads ShowClusterUpgradeInfo once): the upgrade's own gate
  // before UpgradeCluster; a lookup of the consumer would be a second.
  expect(operations().filter((op) => op === "ShowClusterUpgradeInfo")).toEqual(["ShowClusterUpgradeInfo"]);
});

it("a bad mode fails at once, naming the key and how to set it", async () => {
  await prepare({ mode: "destroy-everything", clusters: [] });
  expect(() => readinessProgram()).toThrow(
    /readiness:mode must be report, check or upgrade, not "destroy-everything"; set it with `pulumi config set mode report`/,
  );
});

it("secrets from the configuration appear in no serialized provider, output or log", async () => {
  // The program's own log (data functions warn through pulumi.log) is collected too.
  const programLog: string[] = [];
  const spies = (["debug", "info", "warn", "error"] as const).map((level) =>
    jest.spyOn(pulumi.log, level).mockImplementation((...args: unknown[]) => {
      programLog.push(`${level}: ${String(args[0])}`);
      return Promise.resolve();
    }),
  );
  try {
    await secretsStayOut(programLog);
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
});

async function secretsStayOut(programLog: string[]): Promise<void> {
  const { engine } = await prepare({
    mode: "check",
    clusters: [entries("cce-blocked", "cce", "v1.30"), entries("ack-blocked", "ack", "1.32.1-aliyun.1")],
  });
  const outputs = readinessProgram();
  const exported = JSON.stringify([await resolveAll(outputs.readiness), await resolveAll(outputs.checks)]);
  const dynamic = engine.registrations.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
  expect(dynamic).toHaveLength(2);
  const everything = [
    exported,
    logs.lines.join("\n"),
    programLog.join("\n"),
    ...dynamic.map((r) => JSON.stringify(r)),
  ].join("\n");
  expect(everything).toContain("__provider");
  expect(logs.lines.length).toBeGreaterThan(0);
  for (const secret of PLANTED) expect(everything).not.toContain(secret);
}
