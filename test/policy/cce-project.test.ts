/**
 * A CCE cluster id belongs to one project. upgrade-guard's own CCE upgrade resources take a
 * `projectId` input that overrides the configured project, and act in that project; the policy reads
 * their cluster in the same project, not the environment's. The emulator's account here has two
 * projects in one region; the environment points at the first, the clusters live in the second.
 * Real HTTP throughout, through the policy SDK's own Analyze handler.
 */
import { InProcessAnalyzer } from "@upgrade-guard/harness";
import {
  clientEnvironment,
  type RunningEmulator,
  type ScenarioInput,
  startEmulator,
  TWO_PROJECT_HUAWEI_ACCOUNT,
} from "@upgrade-guard/emulator";
import { CloudReadinessLookup } from "../../policy-pack/src/policies/cloud-lookup";
import { upgradeGuardPolicies } from "../../policy-pack/src/policies";
import { TYPE_TOKENS } from "../../sdk/src/tokens";
import { INSTANT_CLOCK } from "./fixtures";

const POLICY = "cluster-upgrade-requires-clean-precheck";
const FROM = "v1.29.5-r0";
const TO = "v1.30";
const ACCOUNT = TWO_PROJECT_HUAWEI_ACCOUNT;
const [HOME_PROJECT, OTHER_PROJECT] = ACCOUNT.projects.map((project) => project.id) as [string, string];

const inOtherProject = (name: string, fatal: boolean) => ({
  cloud: "cce" as const,
  name,
  account: ACCOUNT.name,
  projectId: OTHER_PROJECT,
  version: FROM,
  targetVersions: [TO],
  outcomes: {
    [TO]: {
      precheck: {
        items: fatal
          ? [
              {
                name: "NodeKernel",
                group: "MasterCheck" as const,
                level: "Fatal" as const,
                message: "kernel 3.10 is not supported by v1.30",
              },
            ]
          : [],
      },
    },
  },
  history: { cce: { prechecks: [{ targetVersion: TO, createdAgo: "5m" }] } },
});

const SCENARIO: ScenarioInput = {
  name: "two-cce-projects",
  accounts: { huawei: [ACCOUNT] },
  clusters: [inOtherProject("p-fatal", true), inOtherProject("p-clean", false)],
};

let emulator: RunningEmulator;
let analyzer: InProcessAnalyzer;
beforeAll(async () => {
  emulator = await startEmulator({ scenario: SCENARIO });
  const lookup = new CloudReadinessLookup({
    // The environment's credentials and project: the account's first project.
    env: clientEnvironment(emulator.url, {
      overrides: {
        HUAWEICLOUD_SDK_AK: ACCOUNT.accessKey,
        HUAWEICLOUD_SDK_SK: ACCOUNT.secretKey,
        HUAWEICLOUD_SDK_PROJECT_ID: HOME_PROJECT,
      },
    }),
    clientOptions: { transport: { clock: INSTANT_CLOCK } },
  });
  analyzer = new InProcessAnalyzer(upgradeGuardPolicies({ lookup }));
});
afterAll(async () => {
  await emulator?.close();
});

async function judge(name: string, inputs: Record<string, unknown>): Promise<string[]> {
  const cluster = emulator.control.clusters().find((c) => c.name === name);
  const result = await analyzer.analyze(TYPE_TOKENS.cce.ClusterUpgrade, `up-${name}`, {
    clusterId: cluster!.id,
    targetVersion: TO,
    __provider: "exports.handler = () => ({})",
    ...inputs,
  });
  return result.diagnostics.filter((d) => d.policyName === POLICY).map((d) => d.message);
}

it("reads the cluster in the project the resource names: a clean precheck there passes", async () => {
  expect(await judge("p-clean", { projectId: OTHER_PROJECT })).toEqual([]);
});

it("reads the cluster in the project the resource names: its Fatal finding blocks, named", async () => {
  const messages = await judge("p-fatal", { projectId: OTHER_PROJECT });
  expect(messages).toHaveLength(1);
  expect(messages[0]).toContain(`from ${FROM} to ${TO} is BLOCKED (verdict blocked`);
  expect(messages[0]).toContain("kernel 3.10 is not supported");
});

it("without the input the environment's project is searched: not found there, blocked, naming the region", async () => {
  const messages = await judge("p-clean", {});
  expect(messages).toHaveLength(1);
  expect(messages[0]).toContain("cannot verify the change of CCE cluster");
  expect(messages[0]).toContain("in cn-north-4 to");
  expect(messages[0]).not.toContain("project ");
});

it("a project the credentials cannot reach blocks, naming the project", async () => {
  const messages = await judge("p-clean", { projectId: "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c" });
  expect(messages).toHaveLength(1);
  expect(messages[0]).toContain("in cn-north-4, project 0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c to");
});

it("a projectId that is not a string blocks, naming the input", async () => {
  const messages = await judge("p-clean", { projectId: { id: OTHER_PROJECT } });
  expect(messages).toHaveLength(1);
  expect(messages[0]).toContain("missing or invalid projectId");
});
