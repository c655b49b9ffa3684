// Where a resource lives, through the REAL `cmd/dynamic-provider` process as the engine drives it:
// each `pulumi` run is a new plugin process configured with the stack configuration of that run, so
// a refresh, update or delete after `upgrade-guard:projectId` changed runs in a plugin configured for
// the other project. The emulator's account here has two projects in one region.
import * as pulumi from "@pulumi/pulumi";
import {
  cceClusterPrecheckProvider,
  cceClusterUpgradeProvider,
  cceUpgradeWorkflowProvider,
  TYPE_TOKENS,
} from "@upgrade-guard/sdk";
import * as path from "node:path";
import {
  DEFAULT_HUAWEI_ACCOUNT,
  startEmulator,
  TWO_PROJECT_HUAWEI_ACCOUNT,
  type RunningEmulator,
  type ScenarioInput,
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
const ACCOUNT = TWO_PROJECT_HUAWEI_ACCOUNT;
const [HOME, OTHER] = ACCOUNT.projects.map((project) => project.id) as [string, string];
const REGION = ACCOUNT.projects[0]!.region;
const SCENARIO: ScenarioInput = {
  name: "two-cce-projects",
  accounts: { huawei: [ACCOUNT] },
  clusters: [
    {
      cloud: "cce",
      name: "home",
      account: ACCOUNT.name,
      projectId: HOME,
      version: "v1.29.5-r0",
      targetVersions: ["v1.30"],
    },
    {
      cloud: "cce",
      name: "home-slow",
      account: ACCOUNT.name,
      projectId: HOME,
      version: "v1.29.5-r0",
      targetVersions: ["v1.30"],
      checkProgress: { duration: "1h" },
    },
  ],
};

let emulator: RunningEmulator;
const plugins: PluginProcess[] = [];
const clusterId = (name: string) => emulator.control.clusters().find((c) => c.name === name)!.id;

/** A plugin as one `pulumi` run starts it: configured with that run's stack configuration. */
async function run(config: Record<string, string>): Promise<PluginProcess> {
  const plugin = await startDynamicProvider({
    cwd: EXAMPLE_DIR,
    env: {
      PULUMI_NODEJS_PROJECT: PROJECT,
      UPGRADE_GUARD_ENDPOINT: emulator.url,
      UPGRADE_GUARD_POLL_INTERVAL_MS: "5",
      HUAWEICLOUD_SDK_AK: "",
      HUAWEICLOUD_SDK_PROJECT_ID: "",
      HW_REGION_NAME: "",
    },
    startTimeoutMs: 30_000,
  });
  plugins.push(plugin);
  const configure = new providerPb.ConfigureRequest();
  configure.setArgs(toStruct(config));
  await plugin.call("configure", configure);
  return plugin;
}

const stack = (projectId: string): Record<string, string> => ({
  "upgrade-guard:region": REGION,
  "upgrade-guard:projectId": projectId,
  "upgrade-guard:accessKey": ACCOUNT.accessKey,
  "upgrade-guard:secretKey": ACCOUNT.secretKey,
});

beforeAll(async () => {
  emulator = await startEmulator({ onInternalError: () => undefined });
}, 60_000);

beforeEach(async () => {
  await emulator.control.loadScenario(SCENARIO);
});

afterAll(async () => {
  for (const plugin of plugins) await plugin.stop();
  await emulator?.close();
});

type Props = Record<string, unknown>;
const urn = (type: string) => `urn:pulumi:dev::${PROJECT}::${type}::r`;

async function serialized(provider: pulumi.dynamic.ResourceProvider): Promise<string> {
  const local = provider;
  return (await pulumi.runtime.serializeFunction(() => local, { allowSecrets: true })).text;
}

async function check(plugin: PluginProcess, type: string, news: Props): Promise<Props> {
  const request = new providerPb.CheckRequest();
  request.setUrn(urn(type));
  request.setOlds(toStruct({}));
  request.setNews(toStruct(news));
  const response = await plugin.call("check", request);
  expect(response.getFailuresList()).toEqual([]);
  return response.getInputs().toJavaScript() as Props;
}

async function create(plugin: PluginProcess, type: string, properties: Props) {
  const request = new providerPb.CreateRequest();
  request.setUrn(urn(type));
  request.setProperties(toStruct(properties));
  const response = await plugin.call("create", request);
  return { id: response.getId() as string, outs: response.getProperties().toJavaScript() as Props };
}

const DIFF_NONE = 1;
const DIFF_SOME = 2;

async function diff(plugin: PluginProcess, type: string, id: string, olds: Props, news: Props) {
  const request = new providerPb.DiffRequest();
  request.setId(id);
  request.setUrn(urn(type));
  request.setOlds(toStruct(olds));
  request.setNews(toStruct(news));
  const response = await plugin.call("diff", request);
  return { changes: response.getChanges() as number, replaces: response.getReplacesList() as string[] };
}

async function update(plugin: PluginProcess, type: string, id: string, olds: Props, news: Props) {
  const request = new providerPb.UpdateRequest();
  request.setId(id);
  request.setUrn(urn(type));
  request.setOlds(toStruct(olds));
  request.setNews(toStruct(news));
  const response = await plugin.call("update", request);
  return response.getProperties().toJavaScript() as Props;
}

async function read(plugin: PluginProcess, type: string, id: string, properties: Props) {
  const request = new providerPb.ReadRequest();
  request.setId(id);
  request.setUrn(urn(type));
  request.setProperties(toStruct(properties));
  request.setInputs(toStruct({}));
  const response = await plugin.call("read", request);
  return { id: response.getId() as string, props: response.getProperties()?.toJavaScript() as Props };
}

async function remove(plugin: PluginProcess, type: string, id: string, properties: Props) {
  const request = new providerPb.DeleteRequest();
  request.setId(id);
  request.setUrn(urn(type));
  request.setProperties(toStruct(properties));
  await plugin.call("delete", request);
}

function initFailed(error: unknown): { id: string; properties: Props } {
  const e = error as { metadata: { get(key: string): unknown[] } };
  const [bin] = e.metadata.get("grpc-status-details-bin") as Buffer[];
  const status = statusPb.Status.deserializeBinary(new Uint8Array(bin!));
  const detail = status
    .getDetailsList()[0]
    .unpack(providerPb.ErrorResourceInitFailed.deserializeBinary, "pulumirpc.ErrorResourceInitFailed");
  return { id: detail.getId() as string, properties: detail.getProperties().toJavaScript() as Props };
}

it("a workflow created with projectId HOME: a later run configured for OTHER refreshes, diffs and deletes it in HOME", async () => {
  const type = TYPE_TOKENS.cce.UpgradeWorkflow;
  const text = await serialized(cceUpgradeWorkflowProvider);
  const first = await run(stack(HOME));
  const inputs = await check(first, type, {
    clusterId: clusterId("home"),
    targetVersion: "v1.30",
    __provider: text,
  });
  const created = await create(first, type, inputs);
  expect(created.outs).toMatchObject({ location: { region: REGION, projectId: HOME } });
  expect(created.outs).not.toHaveProperty("projectId");
  expect(JSON.stringify(created.outs)).not.toContain(ACCOUNT.secretKey);

  const later = await run(stack(OTHER));
  const refreshed = await read(later, type, created.id, created.outs);
  expect(refreshed.id).toBe(created.id);
  expect(refreshed.props).toMatchObject({ workflowId: created.id, location: { projectId: HOME } });
  expect(refreshed.props).not.toHaveProperty("projectId");

  const moved = await diff(later, type, created.id, refreshed.props, inputs);
  expect(moved).toEqual({ changes: DIFF_SOME, replaces: ["projectId"] });
  const spelled = await check(later, type, { ...inputs, projectId: HOME });
  expect(await diff(later, type, created.id, refreshed.props, spelled)).toEqual({
    changes: DIFF_SOME,
    replaces: [],
  });
  const preview = { ...inputs, projectId: UNKNOWN };
  expect(await diff(later, type, created.id, refreshed.props, preview)).toMatchObject({
    replaces: ["projectId"],
  });
  // Configured for HOME again: nothing to do.
  const again = await run(stack(HOME));
  expect(await diff(again, type, created.id, refreshed.props, inputs)).toEqual({
    changes: DIFF_NONE,
    replaces: [],
  });

  await remove(later, type, created.id, refreshed.props);
  const cancelled = emulator.control.requests().filter((r) => r.operation === "UpgradeWorkFlowUpdate");
  expect(cancelled).toHaveLength(1);
}, 60_000);

it("a partial create through the plugin records its location, and the resumed wait in a run for OTHER goes to HOME", async () => {
  const type = TYPE_TOKENS.cce.ClusterPrecheck;
  const text = await serialized(cceClusterPrecheckProvider);
  const first = await run(stack(HOME));
  const inputs = await check(first, type, {
    clusterId: clusterId("home-slow"),
    targetVersion: "v1.30",
    waitTimeoutMinutes: 0.005,
    __provider: text,
  });
  const partial = initFailed(await create(first, type, inputs).catch((e: unknown) => e));
  expect(partial.properties).toMatchObject({
    taskId: partial.id,
    location: { region: REGION, projectId: HOME },
  });
  expect(partial.properties).not.toHaveProperty("projectId");

  const later = await run(stack(OTHER));
  const refreshed = await read(later, type, partial.id, partial.properties);
  expect(refreshed.props).toMatchObject({ location: { projectId: HOME } });
  const spelled = await check(later, type, { ...inputs, projectId: HOME });
  const resumed = initFailed(
    await update(later, type, partial.id, refreshed.props, spelled).catch((e: unknown) => e),
  );
  expect(resumed.properties).toMatchObject({ projectId: HOME, location: { projectId: HOME } });
}, 60_000);

it("an upgrade created in HOME: refresh and a spelled-out update in a run for OTHER read HOME", async () => {
  const type = TYPE_TOKENS.cce.ClusterUpgrade;
  const text = await serialized(cceClusterUpgradeProvider);
  const first = await run(stack(HOME));
  const id = clusterId("home");
  const inputs = await check(first, type, {
    clusterId: id,
    targetVersion: "v1.30",
    currentVersion: "v1.29.5-r0",
    __provider: text,
  });
  const created = await create(first, type, inputs);
  expect(created.outs).toMatchObject({ phase: "Success", location: { projectId: HOME } });
  const later = await run(stack(OTHER));
  const refreshed = await read(later, type, created.id, created.outs);
  expect(refreshed.props).toMatchObject({ phase: "Success", location: { projectId: HOME } });
  const spelled = await check(later, type, { ...inputs, projectId: HOME, waitTimeoutMinutes: 5 });
  expect(await diff(later, type, created.id, refreshed.props, spelled)).toEqual({
    changes: DIFF_SOME,
    replaces: [],
  });
  const updated = await update(later, type, created.id, refreshed.props, spelled);
  expect(updated).toMatchObject({ projectId: HOME, waitTimeoutMinutes: 5, location: { projectId: HOME } });
}, 90_000);

it("a refresh or delete refused where the resource was created says where the call went and what to do", async () => {
  const type = TYPE_TOKENS.cce.UpgradeWorkflow;
  const text = await serialized(cceUpgradeWorkflowProvider);
  const first = await run(stack(HOME));
  const inputs = await check(first, type, {
    clusterId: clusterId("home"),
    targetVersion: "v1.30",
    __provider: text,
  });
  const created = await create(first, type, inputs);
  // Another account's credentials and project: CCE refuses HOME to them, and says only that.
  const project = DEFAULT_HUAWEI_ACCOUNT.projects[0]!.id;
  const later = await run({
    "upgrade-guard:region": REGION,
    "upgrade-guard:projectId": project,
    "upgrade-guard:accessKey": DEFAULT_HUAWEI_ACCOUNT.accessKey,
    "upgrade-guard:secretKey": DEFAULT_HUAWEI_ACCOUNT.secretKey,
  });
  const where =
    `its \`location\`: region ${REGION}, project ${HOME}), not where the configuration now points ` +
    `(region ${REGION}, project ${project})`;
  for (const refused of [
    await read(later, type, created.id, created.outs).catch((e: unknown) => e),
    await remove(later, type, created.id, created.outs).catch((e: unknown) => e),
  ]) {
    const details = (refused as { details: string }).details;
    expect(details).toContain("HTTP 403");
    expect(details).toContain(where);
    expect(details).toContain("pulumi state delete");
    expect(details).not.toContain(DEFAULT_HUAWEI_ACCOUNT.secretKey);
  }
}, 60_000);
