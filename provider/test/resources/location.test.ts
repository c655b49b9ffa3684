// A resource stays where it was created: refresh, update and delete go to the recorded location
// even when the configuration has moved on, and diff compares places, not spellings. Against the
// emulator over real HTTP; its Huawei account here has two projects in one region.
import { clientEnvironment, type ScenarioInput, TWO_PROJECT_HUAWEI_ACCOUNT } from "../../../emulator/src";
import { functions, resources } from "../../src/impl";
import { PartialCreateError } from "../../src/pulumi/shared/errors";
import { UNKNOWN } from "../../src/pulumi/shared/types";
import { served, setEnv, testCloudFor } from "./helpers";

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
    { cloud: "ack", name: "ack", version: "1.31.1-aliyun.1", targetVersions: ["1.32.1-aliyun.1"] },
  ],
};

const cloud = testCloudFor("each");

/** Points the clients at the emulator, with the two-project account in project `projectId`. */
function useProject(projectId: string, overrides: Record<string, string> = {}): void {
  setEnv(
    clientEnvironment(cloud.url, {
      pollIntervalMs: 5,
      overrides: {
        HUAWEICLOUD_SDK_AK: ACCOUNT.accessKey,
        HUAWEICLOUD_SDK_SK: ACCOUNT.secretKey,
        HUAWEICLOUD_SDK_PROJECT_ID: projectId,
        ...overrides,
      },
    }),
  );
}

beforeEach(async () => {
  await cloud.emulator.control.loadScenario(SCENARIO);
  useProject(HOME);
});

describe("CCE: the configured project moved after create", () => {
  it("refresh and delete of a workflow go to the project it was created in", async () => {
    const clusterId = cloud.clusterId("home");
    const workflow = resources.cceUpgradeWorkflow;
    const created = await workflow.create({ clusterId, targetVersion: "v1.30" });
    expect(created.outs).toMatchObject({ location: { region: REGION, projectId: HOME } });
    expect(created.outs).not.toHaveProperty("projectId");

    useProject(OTHER);
    const read = await workflow.read(created.id, created.outs);
    expect(read).toMatchObject({ id: created.id, props: { workflowId: created.id, phase: "Init" } });
    // The outputs keep the inputs as the program gave them: no projectId input appears.
    expect(read.props).not.toHaveProperty("projectId");
    expect(read.props?.["location"]).toEqual({ region: REGION, projectId: HOME });

    await workflow.delete(created.id, read.props!);
    expect(served(cloud, "UpgradeWorkFlowUpdate")).toBe(1);
    const after = await functions.getUpgradeWorkflow({ clusterId, workflowId: created.id, projectId: HOME });
    expect(after.phase).toBe("Cancel");
  });

  it("refresh of a precheck reads it in its project, and its snapshot keeps that region", async () => {
    const clusterId = cloud.clusterId("home");
    const precheck = resources.cceClusterPrecheck;
    const created = await precheck.create({ clusterId, targetVersion: "v1.30" });
    useProject(OTHER);
    const read = await precheck.read(created.id, created.outs);
    expect(read.id).toBe(created.id);
    expect(read.props).toMatchObject({ taskId: created.id, location: { region: REGION, projectId: HOME } });
  });

  it("refresh of an upgrade reads its task and cluster in its project", async () => {
    const clusterId = cloud.clusterId("home");
    const upgrade = resources.cceClusterUpgrade;
    const created = await upgrade.create({ clusterId, targetVersion: "v1.30" });
    useProject(OTHER);
    const read = await upgrade.read(created.id, created.outs);
    expect(read.id).toBe(created.id);
    expect(read.props).toMatchObject({ phase: "Success", location: { projectId: HOME } });
  });

  it("diff: a program now placed in another project replaces; the same project spelled out updates in place", async () => {
    const clusterId = cloud.clusterId("home");
    const workflow = resources.cceUpgradeWorkflow;
    const created = await workflow.create({ clusterId, targetVersion: "v1.30" });
    const same = { clusterId, targetVersion: "v1.30" };
    expect(await workflow.diff(created.id, created.outs, same)).toMatchObject({ changes: false });
    expect(
      await workflow.diff(created.id, created.outs, { ...same, projectId: HOME, region: REGION }),
    ).toMatchObject({ changes: true, replaces: [] });
    expect(await workflow.diff(created.id, created.outs, { ...same, projectId: OTHER })).toMatchObject({
      changes: true,
      replaces: ["projectId"],
    });
    useProject(OTHER);
    expect(await workflow.diff(created.id, created.outs, same)).toMatchObject({
      changes: true,
      replaces: ["projectId"],
    });
    expect(await workflow.diff(created.id, created.outs, { ...same, projectId: HOME })).toMatchObject({
      changes: true,
      replaces: [],
    });
  });

  it("diff: an unknown region (preview) replaces for the region only", async () => {
    const clusterId = cloud.clusterId("home");
    const workflow = resources.cceUpgradeWorkflow;
    const created = await workflow.create({ clusterId, targetVersion: "v1.30" });
    const news = { clusterId, targetVersion: "v1.30", region: UNKNOWN };
    expect(await workflow.diff(created.id, created.outs, news)).toMatchObject({
      changes: true,
      replaces: ["region"],
    });
  });

  it("diff without a resolvable configuration compares the inputs as they are", async () => {
    const clusterId = cloud.clusterId("home");
    const created = await resources.cceUpgradeWorkflow.create({ clusterId, targetVersion: "v1.30" });
    setEnv({});
    const diff = await resources.cceUpgradeWorkflow.diff(created.id, created.outs, {
      clusterId,
      targetVersion: "v1.30",
    });
    expect(diff).toMatchObject({ changes: false });
  });

  it("diff without a resolvable configuration: a place the inputs spell out in full is still a place", async () => {
    const clusterId = cloud.clusterId("home");
    const created = await resources.cceUpgradeWorkflow.create({ clusterId, targetVersion: "v1.30" });
    setEnv({});
    const same = { clusterId, targetVersion: "v1.30" };
    // A preview without credentials says what the `up` with them does: an update, not a replacement.
    expect(
      await resources.cceUpgradeWorkflow.diff(created.id, created.outs, {
        ...same,
        region: REGION,
        projectId: HOME,
      }),
    ).toMatchObject({ changes: true, replaces: [] });
    expect(
      await resources.cceUpgradeWorkflow.diff(created.id, created.outs, {
        ...same,
        region: REGION,
        projectId: OTHER,
      }),
    ).toMatchObject({ changes: true, replaces: ["projectId"] });
    // Half spelled out, the rest would come from the configuration: the inputs as they are.
    expect(
      await resources.cceUpgradeWorkflow.diff(created.id, created.outs, { ...same, projectId: HOME }),
    ).toMatchObject({ changes: true, replaces: ["projectId"] });
  });

  it("an interrupted create records its location, and the resumed wait goes there", async () => {
    const clusterId = cloud.clusterId("home-slow");
    const precheck = resources.cceClusterPrecheck;
    const inputs = { clusterId, targetVersion: "v1.30", waitTimeoutMinutes: 0.005 };
    const error = await precheck.create(inputs).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartialCreateError);
    const partial = error as PartialCreateError;
    expect(partial.properties).toMatchObject({ location: { region: REGION, projectId: HOME } });
    expect(partial.properties).not.toHaveProperty("projectId");

    useProject(OTHER);
    const resumed = await precheck.update(partial.id, partial.properties, inputs).catch((e: unknown) => e);
    // Still running in the home project: the wait times out again (in the other project it would
    // be a 403 for a task CCE has never seen there).
    expect(resumed).toBeInstanceOf(PartialCreateError);
    expect((resumed as PartialCreateError).properties).toMatchObject({ location: { projectId: HOME } });
    expect((resumed as PartialCreateError).properties).not.toHaveProperty("projectId");
  });

  it("state recorded without a location goes where the configuration says and records it", async () => {
    const clusterId = cloud.clusterId("home");
    const created = await resources.cceUpgradeWorkflow.create({ clusterId, targetVersion: "v1.30" });
    const { location: _location, ...old } = created.outs;
    const read = await resources.cceUpgradeWorkflow.read(created.id, old);
    expect(read.props?.["location"]).toEqual({ region: REGION, projectId: HOME });
  });
});

describe("ACK: the configured region moved after create", () => {
  it("refresh reads the check where it ran; diff replaces for the new region, not for the same one spelled out", async () => {
    const clusterId = cloud.clusterId("ack");
    const check = resources.ackClusterCheck;
    const created = await check.create({ clusterId, targetVersion: "1.32.1-aliyun.1" });
    const home = process.env["ALIBABA_CLOUD_REGION_ID"]!;
    expect(created.outs["location"]).toEqual({ region: home });

    useProject(HOME, { ALIBABA_CLOUD_REGION_ID: "cn-shanghai" });
    const read = await check.read(created.id, created.outs);
    expect(read.props).toMatchObject({ location: { region: home }, snapshot: { region: home } });
    expect(read.props).not.toHaveProperty("region");

    const same = (await check.check({}, { clusterId, targetVersion: "1.32.1-aliyun.1" })).inputs!;
    expect(await check.diff(created.id, created.outs, same)).toMatchObject({
      changes: true,
      replaces: ["region"],
    });
    const spelled = { ...same, region: home };
    expect(await check.diff(created.id, created.outs, spelled)).toMatchObject({
      changes: true,
      replaces: [],
    });
    // Without any configuration, the region spelled out is still the recorded place.
    setEnv({});
    expect(await check.diff(created.id, created.outs, spelled)).toMatchObject({
      changes: true,
      replaces: [],
    });
    useProject(HOME, { ALIBABA_CLOUD_REGION_ID: "cn-shanghai" });
    const updated = await check.update(created.id, created.outs, spelled);
    expect(updated.outs).toMatchObject({ region: home, location: { region: home } });
  });
});
