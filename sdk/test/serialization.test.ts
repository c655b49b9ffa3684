// The serialization round trip of every dynamic provider: serializeFunction exactly as
// pulumi.dynamic.Resource does, load the text with require-from-string from the example directory
// exactly as the dynamic-provider plugin does, and drive the whole lifecycle against the emulator.
// The providers take their credentials from `configure` (stack config) only; secrets planted in the
// configuration and the environment must appear nowhere: not in the text, outputs or logs.
import * as pulumi from "@pulumi/pulumi";
import {
  ackClusterCheckProvider,
  ackClusterUpgradeProvider,
  cce,
  cceAddonPrecheckProvider,
  cceClusterPrecheckProvider,
  cceClusterUpgradeProvider,
  cceUpgradeWorkflowProvider,
} from "@upgrade-guard/sdk";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import requireFromString from "require-from-string";
import { clientEnvironment, startEmulator, type RunningEmulator } from "../../emulator/src";
import {
  collectProviderLogs,
  EMULATOR_ACCOUNTS,
  EXAMPLE_DIR,
  emulatorConfig,
  restoreOuterEnv,
  setEnvs,
} from "./helpers/engine";

/** The budget the issue sets for a serialized provider. */
const MAX_PROVIDER_BYTES = 1536;
/** Secrets the providers must never carry or print; the first two are the emulator's real ones. */
const PLANTED = [
  EMULATOR_ACCOUNTS.huawei.sk,
  EMULATOR_ACCOUNTS.alibaba.sk,
  "pw-planted-7c1d",
  "sts-planted-91ab",
  "token-planted-42fe",
];

let emulator: RunningEmulator;
let logs: ReturnType<typeof collectProviderLogs>;
const cluster = (name: string): string => emulator.control.clusters().find((c) => c.name === name)!.id;

beforeAll(async () => {
  emulator = await startEmulator({ onInternalError: () => undefined });
  // The program side (data functions in this test) has full credentials; the providers get only
  // the endpoint and secrets they must NOT use: their credentials come from configure.
  setEnvs(clientEnvironment(emulator.url, { pollIntervalMs: 5 }), {
    UPGRADE_GUARD_ENDPOINT: emulator.url,
    UPGRADE_GUARD_POLL_INTERVAL_MS: "5",
    HW_USER_PASSWORD: "pw-planted-7c1d",
    ALIBABA_CLOUD_SECURITY_TOKEN: "sts-planted-91ab",
  });
  logs = collectProviderLogs();
});
afterAll(async () => {
  logs.stop();
  await emulator.close();
  restoreOuterEnv();
});

const config = { ...emulatorConfig(), "upgrade-guard:authToken": "token-planted-42fe" };
const configureRequest = {
  config: {
    get: (key: string) => (config as Record<string, string>)[key],
    require: (key: string) => (config as Record<string, string>)[key]!,
  },
};

async function serialize(
  provider: pulumi.dynamic.ResourceProvider,
): Promise<{ text: string; containsSecrets: boolean }> {
  // A local const, as inside pulumi.dynamic.Resource: `() => sdk.x` would capture the module object.
  const local = provider;
  return pulumi.runtime.serializeFunction(() => local, { allowSecrets: true });
}

function load(text: string): Required<pulumi.dynamic.ResourceProvider> {
  return (
    requireFromString(text, path.join(EXAMPLE_DIR, "__provider_under_test__.js")) as {
      handler(): Required<pulumi.dynamic.ResourceProvider>;
    }
  ).handler();
}

function assertClean(what: string, text: string): void {
  for (const secret of PLANTED) {
    if (text.includes(secret)) throw new Error(`${what} contains the planted secret ${secret}`);
  }
}

const cases: [
  string,
  pulumi.dynamic.ResourceProvider,
  () => Promise<Record<string, unknown>>,
  Record<string, unknown>,
][] = [
  [
    "cce.ClusterPrecheck",
    cceClusterPrecheckProvider,
    async () => ({ clusterId: cluster("cce-blocked"), targetVersion: "v1.30" }),
    { waitTimeoutMinutes: 7 },
  ],
  [
    "cce.AddonPrecheck",
    cceAddonPrecheckProvider,
    async () => {
      const clusterId = cluster("cce-blocked");
      const { tasks } = await cce.getAddonPrecheckTasks({ clusterId });
      const coredns = tasks.find((t) => t.addonTemplateName === "coredns")!;
      return {
        clusterId,
        addons: [
          { addonTemplateName: "coredns", addonInstanceId: coredns.addonInstanceId, targetVersion: "1.30.1" },
        ],
      };
    },
    { waitTimeoutMinutes: 7 },
  ],
  [
    "cce.UpgradeWorkflow",
    cceUpgradeWorkflowProvider,
    async () => ({ clusterId: cluster("cce-unchecked"), targetVersion: "v1.30" }),
    {},
  ],
  [
    "cce.ClusterUpgrade",
    cceClusterUpgradeProvider,
    async () => ({ clusterId: cluster("cce-ready"), targetVersion: "v1.30" }),
    { waitTimeoutMinutes: 90 },
  ],
  [
    "ack.ClusterCheck",
    ackClusterCheckProvider,
    async () => ({ clusterId: cluster("ack-blocked"), targetVersion: "1.32.1-aliyun.1" }),
    { waitTimeoutMinutes: 7 },
  ],
  [
    "ack.ClusterUpgrade",
    ackClusterUpgradeProvider,
    async () => ({ clusterId: cluster("ack-ready"), targetVersion: "1.32.1-aliyun.1" }),
    { waitTimeoutMinutes: 90 },
  ],
];

describe.each(cases)("%s", (name, provider, makeInputs, inPlaceChange) => {
  it("serializes to a small text that captures only the implementation's name", async () => {
    const { text, containsSecrets } = await serialize(provider);
    expect(text.length).toBeLessThanOrEqual(MAX_PROVIDER_BYTES);
    expect(containsSecrets).toBe(false);
    expect(text).toContain('"@upgrade-guard/sdk/impl"');
    expect(text).not.toMatch(/\/work\/|node_modules|zod|undici/);
    assertClean(`the serialized ${name}`, text);
  });

  it("runs configure, check, create, diff, update, read and delete after deserialization", async () => {
    const { text } = await serialize(provider);
    const loaded = load(text);
    await loaded.configure(configureRequest);
    const inputs = await makeInputs();

    const bad = await loaded.check({}, { ...inputs, clusterId: "" });
    expect(bad.failures?.map((f) => f.property)).toContain("clusterId");
    const checked = await loaded.check({}, { ...inputs, __provider: text });
    expect(checked.failures).toBeUndefined();

    const created = await loaded.create({ ...checked.inputs, __provider: text });
    expect(typeof created.id).toBe("string");
    expect(created.id.length).toBeGreaterThan(0);
    const outs = { ...created.outs, __provider: text };

    expect(await loaded.diff(created.id, outs, { ...checked.inputs, __provider: text })).toMatchObject({
      changes: false,
    });
    const news = { ...checked.inputs, ...inPlaceChange, __provider: text };
    const diff = await loaded.diff(created.id, outs, news);
    expect(diff.replaces).toEqual([]);
    expect(diff.changes).toBe(Object.keys(inPlaceChange).length > 0);

    const updated = await loaded.update(created.id, outs, news);
    expect(updated.outs).toMatchObject(inPlaceChange);
    expect(Object.keys(updated.outs ?? {})).toEqual(expect.arrayContaining(Object.keys(created.outs ?? {})));

    const read = await loaded.read(created.id, outs);
    expect(read.id).toBe(created.id);
    await loaded.delete(created.id, outs);

    assertClean(`the outputs of ${name}`, JSON.stringify([created, updated, read]));
  });
});

it("the providers printed progress, and nothing secret", () => {
  expect(logs.lines.some((line) => /waiting for .* elapsed of .* allowed/.test(line))).toBe(true);
  assertClean("the provider log", logs.lines.join("\n"));
});

it("sizes hold in a fresh Node process too (no jest transform, no coverage counters)", () => {
  const script = `
    const pulumi = require("@pulumi/pulumi");
    const sdk = require("@upgrade-guard/sdk");
    const names = ["cceClusterPrecheckProvider", "cceAddonPrecheckProvider", "cceUpgradeWorkflowProvider",
      "cceClusterUpgradeProvider", "ackClusterCheckProvider", "ackClusterUpgradeProvider"];
    (async () => {
      const sizes = {};
      for (const name of names) {
        const provider = sdk[name];
        sizes[name] = (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text.length;
      }
      process.stdout.write(JSON.stringify(sizes));
    })();`;
  const out = execFileSync(process.execPath, ["-e", script], {
    cwd: EXAMPLE_DIR,
    timeout: 60_000,
  }).toString();
  const sizes = JSON.parse(out) as Record<string, number>;
  expect(Object.keys(sizes)).toHaveLength(6);
  for (const size of Object.values(sizes)) expect(size).toBeLessThanOrEqual(MAX_PROVIDER_BYTES);
});
