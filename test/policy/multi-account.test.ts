/**
 * Every account and region: two Alibaba Cloud accounts in the emulator, each with a cluster named
 * "shop". A `cs.ManagedKubernetes` whose provider targets the second account is judged in that account
 * only once the policy configuration maps its provider to a credential source (environment variable
 * NAMES); until then it blocks, because a search with the environment's credentials (the first
 * account) would find the wrong "shop" (already on the target) and pass it. Real HTTP throughout,
 * through the policy SDK's own Analyze handler.
 */
import { InProcessAnalyzer, type ProviderUnderTest } from "@upgrade-guard/harness";
import {
  clientEnvironment,
  type RunningEmulator,
  type ScenarioInput,
  startEmulator,
} from "@upgrade-guard/emulator";
import { CloudReadinessLookup } from "../../policy-pack/src/policies/cloud-lookup";
import { upgradeGuardPolicies } from "../../policy-pack/src/policies";
import { TYPE_TOKENS } from "../../sdk/src/tokens";
import { INSTANT_CLOCK } from "./fixtures";

const FROM = "1.30.1-aliyun.1";
const TO = "1.31.1-aliyun.1";
const TENANT_B = { accessKeyId: "UGEMU-ALI-AK-B", accessKeySecret: "ugemu-ali-sk-b", region: "cn-beijing" };
const POLICY = "cluster-upgrade-requires-clean-precheck";
const MANAGED = "alicloud:cs/managedKubernetes:ManagedKubernetes";

const SCENARIO: ScenarioInput = {
  name: "two-alibaba-accounts",
  accounts: { alibaba: [{ name: "tenant-b", ...TENANT_B }] },
  clusters: [
    // The environment's account: clusters of the same names, already on the target.
    { cloud: "ack", name: "shop", version: TO, targetVersions: ["1.32.1-aliyun.1"] },
    { cloud: "ack", name: "shop-clean", version: TO, targetVersions: ["1.32.1-aliyun.1"] },
    // The second account: one minor older; the latest check of "shop" is Fatal, of "shop-clean" clean.
    {
      cloud: "ack",
      name: "shop",
      account: "tenant-b",
      version: FROM,
      targetVersions: [TO],
      outcomes: {
        [TO]: {
          check: {
            items: [
              {
                name: "DeprecatedAPI",
                group: "ClusterComponent",
                level: "error",
                message: "deprecated API policy/v1beta1 PodSecurityPolicy is still in use",
              },
            ],
          },
        },
      },
      history: { ack: { checks: [{ type: "ClusterUpgrade", targetVersion: TO, createdAgo: "5m" }] } },
    },
    {
      cloud: "ack",
      name: "shop-clean",
      account: "tenant-b",
      version: FROM,
      targetVersions: [TO],
      history: { ack: { checks: [{ type: "ClusterUpgrade", targetVersion: TO, createdAgo: "5m" }] } },
    },
  ],
};

/** The provider of the second account, as the engine sends it (its keys are secrets the policy never reads). */
const TENANT_B_PROVIDER: ProviderUnderTest = {
  type: "pulumi:providers:alicloud",
  name: "tenant-b",
  props: { region: TENANT_B.region, accessKey: TENANT_B.accessKeyId, secretKey: TENANT_B.accessKeySecret },
};

const MAPPING = {
  cloud: "ack",
  name: "tenant-b",
  provider: "tenant-b",
  credentials: { accessKeyIdEnv: "TENANT_B_AK", accessKeySecretEnv: "TENANT_B_SK" },
};

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ scenario: SCENARIO });
});
afterAll(async () => {
  await emulator?.close();
});

/** Only the first account's credentials in the environment, plus `extra`. */
function analyzer(config: Record<string, unknown>, extra: Record<string, string> = {}): InProcessAnalyzer {
  const lookup = new CloudReadinessLookup({
    env: clientEnvironment(emulator.url, { overrides: extra }),
    clientOptions: { transport: { clock: INSTANT_CLOCK } },
  });
  return new InProcessAnalyzer(upgradeGuardPolicies({ lookup, cluster: { config } }));
}

async function judge(
  a: InProcessAnalyzer,
  name: string,
  provider: ProviderUnderTest = TENANT_B_PROVIDER,
): Promise<{ enforcementLevel: string; message: string }[]> {
  const result = await a.analyze(MANAGED, `r-${name}`, { name, version: TO }, provider);
  return result.diagnostics.filter((d) => d.policyName === POLICY);
}

const B_ENV = { TENANT_B_AK: TENANT_B.accessKeyId, TENANT_B_SK: TENANT_B.accessKeySecret };

describe("only the first account's credentials are configured", () => {
  it.each(["shop", "shop-clean", "shop-not-created-yet"])(
    "%s blocks, naming what was searched and what to configure",
    async (name) => {
      const diagnostics = await judge(analyzer({}), name);
      expect(diagnostics).toHaveLength(1);
      const [diagnostic] = diagnostics;
      expect(diagnostic!.enforcementLevel).toBe("mandatory");
      expect(diagnostic!.message).toContain(`the ACK cluster named "${name}"`);
      expect(diagnostic!.message).toContain(
        "provider tenant-b sets an account of its own (accessKey, secretKey)",
      );
      expect(diagnostic!.message).toContain("with the environment's credentials in cn-beijing");
      expect(diagnostic!.message).toContain(
        '"accounts":[{"cloud":"ack","name":"tenant-b","provider":"tenant-b"',
      );
      // Secrets the engine sent in the provider's inputs are never repeated.
      expect(diagnostic!.message).not.toContain(TENANT_B.accessKeySecret);
      expect(diagnostic!.message).not.toContain(TENANT_B.accessKeyId);
    },
  );

  it("a provider that picks no account of its own is judged with the environment's (the first account)", async () => {
    const own: ProviderUnderTest = { type: "pulumi:providers:alicloud", name: "default_3_70_0", props: {} };
    // The first account's "shop" is already on the target: nothing changes there.
    expect(await judge(analyzer({}), "shop", own)).toEqual([]);
  });
});

describe("the second account mapped to environment variable names", () => {
  it("judges its Fatal cluster correctly: blocked, naming the finding", async () => {
    const diagnostics = await judge(analyzer({ accounts: [MAPPING] }, B_ENV), "shop");
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.enforcementLevel).toBe("mandatory");
    expect(diagnostics[0]!.message).toContain(`from ${FROM} to ${TO} is BLOCKED (verdict blocked`);
    expect(diagnostics[0]!.message).toContain("PodSecurityPolicy is still in use");
    expect(diagnostics[0]!.message).toContain("readiness from a live ACK lookup in cn-beijing");
  });

  it("lets its clean cluster through, and passes a name nobody has there as a cluster being created", async () => {
    const mapped = analyzer({ accounts: [MAPPING] }, B_ENV);
    expect(await judge(mapped, "shop-clean")).toEqual([]);
    expect(await judge(mapped, "shop-not-created-yet")).toEqual([]);
  });

  it("a mapping by region serves too", async () => {
    const byRegion = { ...MAPPING, provider: undefined, region: "cn-beijing" };
    const diagnostics = await judge(analyzer({ accounts: [byRegion] }, B_ENV), "shop");
    expect(diagnostics[0]!.message).toContain("PodSecurityPolicy is still in use");
  });

  it("blocks, naming the variable, when the mapped variables are not set", async () => {
    const diagnostics = await judge(analyzer({ accounts: [MAPPING] }), "shop");
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.message).toContain("TENANT_B_AK");
    expect(diagnostics[0]!.message).toContain('(account "tenant-b")');
    expect(diagnostics[0]!.message).toContain('The credentials of account "tenant-b" come from');
  });

  it("refuses a secret pasted into the configuration, without repeating it", async () => {
    const pasted = {
      ...MAPPING,
      credentials: { accessKeyIdEnv: "TENANT_B_AK", accessKeySecretEnv: "ugemu-ali-sk-b1234567" },
    };
    const diagnostics = await judge(analyzer({ accounts: [pasted] }, B_ENV), "shop");
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.message).toContain(
      "configuration of cluster-upgrade-requires-clean-precheck is invalid",
    );
    expect(diagnostics[0]!.message).toContain("accounts.0.credentials");
    expect(diagnostics[0]!.message).not.toContain("ugemu-ali-sk-b1234567");
  });
});

describe("upgrade-guard's own upgrade resources in the second account", () => {
  const own = () => {
    const shop = emulator.control.clusters().find((c) => c.name === "shop" && c.version === FROM);
    return {
      clusterId: shop!.id,
      targetVersion: TO,
      region: TENANT_B.region,
      __provider: "exports.handler = () => ({})",
    };
  };

  it("are looked up in the account their region maps to", async () => {
    const byRegion = { ...MAPPING, provider: undefined, region: TENANT_B.region };
    const result = await analyzer({ accounts: [byRegion] }, B_ENV).analyze(
      TYPE_TOKENS.ack.ClusterUpgrade,
      "up",
      own(),
    );
    const mine = result.diagnostics.filter((d) => d.policyName === POLICY);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.message).toContain("PodSecurityPolicy is still in use");
  });

  it("without the mapping the environment's account cannot see the cluster: blocked, saying to map it", async () => {
    const result = await analyzer({}).analyze(TYPE_TOKENS.ack.ClusterUpgrade, "up", own());
    const mine = result.diagnostics.filter((d) => d.policyName === POLICY);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.message).toContain("cannot verify the change");
    expect(mine[0]!.message).toContain("map its provider or region in `accounts`");
  });
});
