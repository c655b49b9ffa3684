// The REAL `@pulumi/pulumi/cmd/dynamic-provider` process, driven over gRPC as the engine drives it,
// through Configure, Check, Create, Diff, Update, Read and Delete for every upgrade-guard resource.
// Its cwd is the example program's directory, so `@upgrade-guard/sdk/impl` must resolve from there.
// Credentials reach it only through Configure (stack config); the emulator serves every call.
import * as pulumi from "@pulumi/pulumi";
import {
  ackClusterCheckProvider,
  ackClusterUpgradeProvider,
  cceAddonPrecheckProvider,
  cceClusterPrecheckProvider,
  cceClusterUpgradeProvider,
  cceUpgradeWorkflowProvider,
  TYPE_TOKENS,
} from "@upgrade-guard/sdk";
import * as path from "node:path";
import {
  clientEnvironment,
  DEFAULT_ALIBABA_ACCOUNT,
  DEFAULT_HUAWEI_ACCOUNT,
  startEmulator,
  type RunningEmulator,
} from "@upgrade-guard/emulator";
import {
  providerPb,
  startDynamicProvider,
  toStruct,
  UNKNOWN,
  type PluginProcess,
} from "@upgrade-guard/harness";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- generated stubs, untyped like the others
const statusPb = require("@pulumi/pulumi/proto/status_pb");

const EXAMPLE_DIR = path.resolve(__dirname, "../../examples/readiness");
const PROJECT = "readiness";
const PLANTED = [
  DEFAULT_HUAWEI_ACCOUNT.secretKey,
  DEFAULT_ALIBABA_ACCOUNT.accessKeySecret,
  "pw-planted-3d9a",
  "sts-planted-a771",
];
/** The emulator's default accounts as stack configuration (what `pulumi config set` would store). */
const STACK_CONFIG = {
  "upgrade-guard:region": DEFAULT_HUAWEI_ACCOUNT.projects[0]!.region,
  "upgrade-guard:projectId": DEFAULT_HUAWEI_ACCOUNT.projects[0]!.id,
  "upgrade-guard:accessKey": DEFAULT_HUAWEI_ACCOUNT.accessKey,
  "upgrade-guard:secretKey": DEFAULT_HUAWEI_ACCOUNT.secretKey,
  "upgrade-guard:alibabaRegion": DEFAULT_ALIBABA_ACCOUNT.region,
  "upgrade-guard:alibabaAccessKeyId": DEFAULT_ALIBABA_ACCOUNT.accessKeyId,
  "upgrade-guard:alibabaAccessKeySecret": DEFAULT_ALIBABA_ACCOUNT.accessKeySecret,
  "upgrade-guard:password": "pw-planted-3d9a",
  "other-project:region": "elsewhere",
};

let emulator: RunningEmulator;
let plugin: PluginProcess;
const clusterId = (name: string) => emulator.control.clusters().find((c) => c.name === name)!.id;
const served = (operation: string) =>
  emulator.control.requests().filter((r) => r.operation === operation).length;

beforeAll(async () => {
  emulator = await startEmulator({ onInternalError: () => undefined });
  plugin = await startDynamicProvider({
    cwd: EXAMPLE_DIR,
    env: {
      PULUMI_NODEJS_PROJECT: PROJECT,
      UPGRADE_GUARD_ENDPOINT: emulator.url,
      UPGRADE_GUARD_POLL_INTERVAL_MS: "5",
      // Present but never to be used or printed: credentials come from Configure.
      HW_USER_PASSWORD: "pw-planted-3d9a",
      ALIBABA_CLOUD_SECURITY_TOKEN: "sts-planted-a771",
      HUAWEICLOUD_SDK_AK: "",
      ALIBABA_CLOUD_ACCESS_KEY_ID: "",
    },
    startTimeoutMs: 30_000,
  });
  const configure = new providerPb.ConfigureRequest();
  configure.setArgs(toStruct(STACK_CONFIG));
  await plugin.call("configure", configure);
}, 60_000);

afterAll(async () => {
  await plugin?.stop();
  await emulator?.close();
});

type Props = Record<string, unknown>;
const urn = (type: string, name: string) => `urn:pulumi:dev::${PROJECT}::${type}::${name}`;

async function serialized(provider: pulumi.dynamic.ResourceProvider): Promise<string> {
  const local = provider;
  return (await pulumi.runtime.serializeFunction(() => local, { allowSecrets: true })).text;
}

async function check(type: string, olds: Props, news: Props) {
  const request = new providerPb.CheckRequest();
  request.setUrn(urn(type, "r"));
  request.setOlds(toStruct(olds));
  request.setNews(toStruct(news));
  const response = await plugin.call("check", request);
  return {
    inputs: response.getInputs().toJavaScript() as Props,
    failures: (response.getFailuresList() as { getProperty(): string; getReason(): string }[]).map((f) => ({
      property: f.getProperty(),
      reason: f.getReason(),
    })),
  };
}

async function create(type: string, properties: Props) {
  const request = new providerPb.CreateRequest();
  request.setUrn(urn(type, "r"));
  request.setProperties(toStruct(properties));
  const response = await plugin.call("create", request);
  return { id: response.getId() as string, outs: response.getProperties().toJavaScript() as Props };
}

const DIFF_NONE = 1;
const DIFF_SOME = 2;

async function diff(type: string, id: string, olds: Props, news: Props) {
  const request = new providerPb.DiffRequest();
  request.setId(id);
  request.setUrn(urn(type, "r"));
  request.setOlds(toStruct(olds));
  request.setNews(toStruct(news));
  const response = await plugin.call("diff", request);
  return {
    changes: response.getChanges() as number,
    replaces: response.getReplacesList() as string[],
    deleteBeforeReplace: response.getDeletebeforereplace() as boolean,
  };
}

async function update(type: string, id: string, olds: Props, news: Props) {
  const request = new providerPb.UpdateRequest();
  request.setId(id);
  request.setUrn(urn(type, "r"));
  request.setOlds(toStruct(olds));
  request.setNews(toStruct(news));
  const response = await plugin.call("update", request);
  return response.getProperties().toJavaScript() as Props;
}

async function read(type: string, id: string, properties: Props, inputs: Props) {
  const request = new providerPb.ReadRequest();
  request.setId(id);
  request.setUrn(urn(type, "r"));
  request.setProperties(toStruct(properties));
  request.setInputs(toStruct(inputs));
  const response = await plugin.call("read", request);
  return { id: response.getId() as string, props: response.getProperties()?.toJavaScript() as Props };
}

async function remove(type: string, id: string, properties: Props) {
  const request = new providerPb.DeleteRequest();
  request.setId(id);
  request.setUrn(urn(type, "r"));
  request.setProperties(toStruct(properties));
  await plugin.call("delete", request);
}

interface Case {
  readonly type: string;
  readonly provider: pulumi.dynamic.ResourceProvider;
  inputs(): Promise<Props>;
  /** An identity change (replacement) and an in-place change. */
  readonly replaceWith: Props;
  readonly inPlace: Props;
  readonly required: string[];
}

const cases: Case[] = [
  {
    type: TYPE_TOKENS.cce.ClusterPrecheck,
    provider: cceClusterPrecheckProvider,
    inputs: async () => ({ clusterId: clusterId("cce-blocked"), targetVersion: "v1.30" }),
    replaceWith: { targetVersion: "v1.31" },
    inPlace: { waitTimeoutMinutes: 12 },
    required: ["clusterId", "targetVersion"],
  },
  {
    type: TYPE_TOKENS.cce.AddonPrecheck,
    provider: cceAddonPrecheckProvider,
    inputs: async () => {
      const { functions } = await import("@upgrade-guard/provider/impl");
      const env = clientEnvironment(emulator.url);
      const id = clusterId("cce-blocked");
      const { tasks } = await functions.getAddonPrecheckTasks({ clusterId: id }, { env });
      const instance = tasks.find((t) => t.addonTemplateName === "coredns")!.addonInstanceId!;
      return {
        clusterId: id,
        addons: [{ addonTemplateName: "coredns", addonInstanceId: instance, targetVersion: "1.30.1" }],
      };
    },
    replaceWith: { clusterId: "another-cluster" },
    inPlace: { waitTimeoutMinutes: 12 },
    required: ["addons", "clusterId"],
  },
  {
    type: TYPE_TOKENS.cce.UpgradeWorkflow,
    provider: cceUpgradeWorkflowProvider,
    inputs: async () => ({ clusterId: clusterId("cce-unchecked"), targetVersion: "v1.30" }),
    replaceWith: { targetVersion: "v1.31" },
    inPlace: {},
    required: ["clusterId", "targetVersion"],
  },
  {
    type: TYPE_TOKENS.cce.ClusterUpgrade,
    provider: cceClusterUpgradeProvider,
    inputs: async () => ({
      clusterId: clusterId("cce-ready"),
      targetVersion: "v1.30",
      currentVersion: "v1.29.5-r0",
    }),
    replaceWith: { targetVersion: "v1.31" },
    inPlace: { waitTimeoutMinutes: 99 },
    required: ["clusterId", "targetVersion"],
  },
  {
    type: TYPE_TOKENS.ack.ClusterCheck,
    provider: ackClusterCheckProvider,
    inputs: async () => ({ clusterId: clusterId("ack-blocked"), targetVersion: "1.32.1-aliyun.1" }),
    replaceWith: { type: "MasterUpgrade" },
    inPlace: { waitTimeoutMinutes: 12 },
    required: ["clusterId", "targetVersion"],
  },
  {
    type: TYPE_TOKENS.ack.ClusterUpgrade,
    provider: ackClusterUpgradeProvider,
    inputs: async () => ({ clusterId: clusterId("ack-ready"), targetVersion: "1.32.1-aliyun.1" }),
    replaceWith: { masterOnly: true },
    inPlace: { waitTimeoutMinutes: 99 },
    required: ["clusterId", "targetVersion"],
  },
];

describe.each(cases)("$type", (c) => {
  it("goes through Check, Create, Diff, Update, Read and Delete in the plugin process", async () => {
    const text = await serialized(c.provider);
    const inputs = await c.inputs();

    // Check: every missing input named; an unknown passes during preview.
    const empty = await check(c.type, {}, { __provider: text });
    expect(empty.failures.map((f) => f.property).sort()).toEqual(expect.arrayContaining(c.required));
    // A wrong type and a misspelt key: each named, with its reason.
    const bad = await check(c.type, {}, { ...inputs, clusterId: 42, regoin: "cn-north-4", __provider: text });
    expect(bad.failures.map((f) => f.property).sort()).toEqual(["clusterId", "regoin"]);
    expect(bad.failures.find((f) => f.property === "regoin")?.reason).toMatch(/did you mean "region"/);
    for (const failure of bad.failures) expect(failure.reason).toMatch(/\w{3}/);
    const preview = await check(c.type, {}, { ...inputs, clusterId: UNKNOWN, __provider: text });
    expect(preview.failures).toEqual([]);
    const checked = await check(c.type, {}, { ...inputs, __provider: text });
    expect(checked.failures).toEqual([]);
    expect(checked.inputs.__provider).toBe(text);

    // Create.
    const created = await create(c.type, checked.inputs);
    expect(created.id.length).toBeGreaterThan(0);
    expect(created.outs.__provider).toBe(text);
    expect(created.outs.clusterId).toBe(inputs.clusterId);

    // Diff: nothing, an identity change, an unknown, an in-place change.
    expect(await diff(c.type, created.id, created.outs, checked.inputs)).toMatchObject({
      changes: DIFF_NONE,
      replaces: [],
    });
    const replaced = await diff(c.type, created.id, created.outs, { ...checked.inputs, ...c.replaceWith });
    expect(replaced).toMatchObject({ changes: DIFF_SOME, replaces: Object.keys(c.replaceWith) });
    const unknown = await diff(c.type, created.id, created.outs, { ...checked.inputs, clusterId: UNKNOWN });
    expect(unknown).toMatchObject({ changes: DIFF_SOME, replaces: ["clusterId"] });
    // A new serialized provider (a new SDK's shim) alone is an in-place update, never a replacement.
    const newShim = await diff(
      c.type,
      created.id,
      { ...created.outs, __provider: `${text}\n// an older shim` },
      checked.inputs,
    );
    expect(newShim).toMatchObject({ changes: DIFF_SOME, replaces: [] });
    const news = { ...checked.inputs, ...c.inPlace };
    const inPlace = await diff(c.type, created.id, created.outs, news);
    expect(inPlace).toMatchObject({
      changes: Object.keys(c.inPlace).length > 0 ? DIFF_SOME : DIFF_NONE,
      replaces: [],
    });

    // Update returns the full outputs.
    const updated = await update(c.type, created.id, created.outs, news);
    expect(updated).toMatchObject({ ...c.inPlace, __provider: text });
    expect(Object.keys(updated)).toEqual(expect.arrayContaining(Object.keys(created.outs)));

    // Read (refresh) keeps the resource and its provider text.
    const refreshed = await read(c.type, created.id, updated, news);
    expect(refreshed.id).toBe(created.id);
    expect(refreshed.props.__provider).toBe(text);

    // Delete.
    await remove(c.type, created.id, updated);

    // No planted secret in anything the engine would store or show.
    const answers = JSON.stringify([empty, preview, checked, created, replaced, updated, refreshed]);
    for (const secret of PLANTED) expect(answers).not.toContain(secret);
  });
});

it("Configure read the upgrade-guard namespace only, and the plugin printed progress but no secret", () => {
  const output = plugin.output();
  expect(output).toMatch(/upgrade-guard: .*waiting for .* elapsed of .* allowed/);
  expect(output).toMatch(/cancelled workflow|is left in CCE/);
  for (const secret of PLANTED) expect(output).not.toContain(secret);
  expect(output).not.toContain("elsewhere");
});

it("a failed create names the task: the engine records it instead of forgetting it", async () => {
  await emulator.control.loadScenario({
    name: "slow",
    defaults: { checkProgress: { duration: "1h" } },
    clusters: [{ cloud: "cce", name: "cce-slow", version: "v1.29.5-r0", targetVersions: ["v1.30"] }],
  });
  emulator.control.clearRequests();
  const text = await serialized(cceClusterPrecheckProvider);
  const inputs = {
    clusterId: clusterId("cce-slow"),
    targetVersion: "v1.30",
    waitTimeoutMinutes: 0.005,
    __provider: text,
  };
  const error = (await create(TYPE_TOKENS.cce.ClusterPrecheck, inputs).catch((e: unknown) => e)) as {
    code: number;
    details: string;
    metadata: { get(key: string): unknown[] };
  };
  expect(error.code).toBe(2);
  expect(error.details).toMatch(/was started and is recorded in the state/);
  // The ErrorResourceInitFailed detail (id, outputs, reasons) travels in grpc-status-details-bin.
  const [bin] = error.metadata.get("grpc-status-details-bin") as Buffer[];
  const status = statusPb.Status.deserializeBinary(new Uint8Array(bin!));
  const detail = status
    .getDetailsList()[0]
    .unpack(providerPb.ErrorResourceInitFailed.deserializeBinary, "pulumirpc.ErrorResourceInitFailed");
  const properties = detail.getProperties().toJavaScript() as Props;
  expect(detail.getId()).toMatch(/\S/);
  expect(properties).toMatchObject({ taskId: detail.getId(), clusterId: inputs.clusterId });
  // Refresh and delete of the recorded resource load the provider from these properties.
  expect(properties.__provider).toBe(text);
  expect(detail.getReasonsList()[0]).toContain(detail.getId());
  expect(served("CreatePreCheck")).toBe(1);
});
