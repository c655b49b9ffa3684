/**
 * The pack as the Pulumi CLI runs it: the REAL `@pulumi/pulumi/cmd/run-policy-pack` process, started
 * ONCE for this file with policy-pack/ as its directory (so it loads the compiled dist/: run
 * `npm run build` first), driven over gRPC: GetAnalyzerInfo, Configure with the values of a
 * `--policy-pack-config` file, ConfigureStack, Analyze and AnalyzeStack. The emulator answers the
 * pack's lookups, configured through the environment the process inherits, as the CLI's would be.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  analyzeRequest,
  analyzeStackRequest,
  analyzerPb,
  emptyPb,
  type PluginProcess,
  readAnalyzeResponse,
  startPolicyPack,
  structPb,
  UNKNOWN,
} from "@upgrade-guard/harness";
import { clientEnvironment, type RunningEmulator } from "@upgrade-guard/emulator";
import { PACK_DESCRIPTION, PACK_NAME, upgradeGuardPolicies } from "../../policy-pack/src/policies";
import { PACK_DISPLAY_NAME } from "../../policy-pack/src/policies/metadata";
import { ACK_TO, CCE_FROM, CCE_TO, cceUpgradeProps, startMatrixEmulator } from "./fixtures";

const PACK_DIR = path.resolve(__dirname, "../../policy-pack");
const CLUSTER = "cluster-upgrade-requires-clean-precheck";
const ADDON = "addon-upgrade-requires-clean-addon-precheck";
const FRESHNESS = "upgrade-precheck-freshness";
const LEVEL_NUMBERS = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 } as const;
type Level = keyof typeof LEVEL_NUMBERS;

let emulator: RunningEmulator;
let pack: PluginProcess;
const ids = new Map<string, string>();

beforeAll(async () => {
  emulator = await startMatrixEmulator(ids);
  emulator.control.setFault({ path: `**/clusters/${ids.get("m-cce-apierror")}/**`, error: { status: 500 } });
  pack = await startPolicyPack(PACK_DIR, { env: clientEnvironment(emulator.url), startTimeoutMs: 30_000 });
}, 60_000);

afterAll(async () => {
  await pack?.stop();
  await emulator?.close();
});

async function analyze(type: string, name: string, props: Record<string, unknown>) {
  return readAnalyzeResponse(await pack.call("analyze", analyzeRequest(type, name, props)));
}

const hwUpgrade = (cluster: string, target = CCE_TO) => cceUpgradeProps(ids.get(cluster), target);

/** What the CLI sends to Configure for a config file: each policy's schema defaults, then the file. */
function configureRequestFor(
  file: string,
  policies: { name: string; level: Level; defaults: Record<string, unknown> }[],
) {
  const values = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  const request = new analyzerPb.ConfigureAnalyzerRequest();
  for (const policy of policies) {
    const entry = values[policy.name];
    const fromFile = typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>) : {};
    const { enforcementLevel, ...properties } = fromFile;
    const level =
      (typeof entry === "string" ? entry : (enforcementLevel as Level | undefined)) ?? policy.level;
    const config = new analyzerPb.PolicyConfig();
    config.setEnforcementlevel(LEVEL_NUMBERS[level as Level]);
    config.setProperties(structPb.Struct.fromJavaScript({ ...policy.defaults, ...properties }));
    request.getPolicyconfigMap().set(policy.name, config);
  }
  return request;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- protobuf messages of the analyzer protocol */
type AnalyzerInfoMessage = any;

/** Every field of an AnalyzerInfo the policy SDK sets, as plain values (schemas as JSON). */
function readAnalyzerInfo(info: AnalyzerInfoMessage) {
  return {
    name: info.getName(),
    version: info.getVersion(),
    displayName: info.getDisplayname(),
    description: info.getDescription(),
    supportsConfig: info.getSupportsconfig(),
    readme: info.getReadme(),
    provider: info.getProvider(),
    repository: info.getRepository(),
    tags: info.getTagsList(),
    initialConfig: info.getInitialconfigMap().toObject(),
    policies: info.getPoliciesList().map((p: any) => ({
      type: p.getPolicyType(),
      name: p.getName(),
      displayName: p.getDisplayname(),
      description: p.getDescription(),
      enforcementLevel: p.getEnforcementlevel(),
      severity: p.getSeverity(),
      remediationSteps: p.getRemediationSteps(),
      url: p.getUrl(),
      tags: p.getTagsList(),
      framework: p.getFramework()?.toObject(),
      properties: p.getConfigschema()?.getProperties()?.toJavaScript(),
      required: p.getConfigschema()?.getRequiredList(),
    })),
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

interface PolicyInfo {
  readonly name: string;
  readonly level: Level;
  readonly schema: Record<string, { default?: unknown }>;
  readonly required: string[];
}

describe("the real analyzer process", () => {
  let policies: PolicyInfo[] = [];

  it("GetAnalyzerInfo: the pack's name and version, its three policies with their levels and schemas", async () => {
    const info = await pack.call("getAnalyzerInfo", new emptyPb.Empty());
    const packageJson = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8"));
    expect(info.getName()).toBe("upgrade-guard");
    expect(info.getVersion()).toBe(packageJson.version);
    expect(info.getSupportsconfig()).toBe(true);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    policies = info.getPoliciesList().map((p: any) => ({
      name: p.getName(),
      level: (Object.keys(LEVEL_NUMBERS) as Level[])[p.getEnforcementlevel()],
      schema: p.getConfigschema()?.getProperties()?.toJavaScript() ?? {},
      required: p.getConfigschema()?.getRequiredList() ?? [],
    }));
    expect(Object.fromEntries(policies.map((p) => [p.name, p.level]))).toEqual({
      [CLUSTER]: "mandatory",
      [ADDON]: "mandatory",
      [FRESHNESS]: "advisory",
    });
    const cluster = policies.find((p) => p.name === CLUSTER)!;
    expect(Object.keys(cluster.schema).sort()).toEqual([
      "accounts",
      "allowUnknownInPreview",
      "blockingSeverities",
      "endOfSupportNoticeDays",
      "maxAgeMinutes",
      "missingCheckBlocks",
      "waivers",
    ]);
    expect(cluster.schema["blockingSeverities"]).toMatchObject({ default: ["fatal", "unknown"] });
    expect(cluster.required).toEqual([]);
  });

  it("GetAnalyzerInfo: exactly what @pulumi/policy would answer for the library's policies (the lazy entry is indistinguishable)", async () => {
    // The policy SDK's own conversion (internal, untyped) of the library's default composition.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { makeAnalyzerInfo } = require("@pulumi/policy/protoutil") as {
      makeAnalyzerInfo: (name: string, version: string, level: string, args: object) => AnalyzerInfoMessage;
    };
    const version = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")).version;
    const expected = makeAnalyzerInfo(PACK_NAME, version, "advisory", {
      description: PACK_DESCRIPTION,
      displayName: PACK_DISPLAY_NAME,
      policies: upgradeGuardPolicies(),
    });
    const served = (await pack.call("getAnalyzerInfo", new emptyPb.Empty())) as AnalyzerInfoMessage;
    expect(readAnalyzerInfo(served)).toEqual(readAnalyzerInfo(expected));
    // And in plain terms, for the library's own objects (the schemas are the library's, not a copy).
    const library = upgradeGuardPolicies();
    expect(readAnalyzerInfo(served).policies).toEqual(
      library.map((policy) =>
        expect.objectContaining({
          name: policy.name,
          description: policy.description,
          properties: policy.configSchema?.properties,
          required: policy.configSchema?.required ?? [],
          remediationSteps: policy.remediationSteps,
        }),
      ),
    );
  });

  it("Analyze: blocks (mandatory) a CCE upgrade whose latest precheck has a Fatal item", async () => {
    const result = await analyze(
      "huaweicloud:Cce/clusterUpgrade:ClusterUpgrade",
      "up",
      hwUpgrade("m-cce-fatal"),
    );
    const mine = result.diagnostics.filter((d) => d.policyName === CLUSTER);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.enforcementLevel).toBe("mandatory");
    expect(mine[0]!.message).toContain(
      `CCE cluster m-cce-fatal (${ids.get("m-cce-fatal")}) from ${CCE_FROM} to ${CCE_TO} is BLOCKED`,
    );
    expect(mine[0]!.message).toContain("AddonCompatibility [Fatal/Exception]");
  });

  it("Analyze: lets a check with only warnings through, and says nothing about an unchanged version", async () => {
    const ready = await analyze(
      "huaweicloud:Cce/clusterUpgrade:ClusterUpgrade",
      "up",
      hwUpgrade("m-cce-warning"),
    );
    expect(ready.diagnostics.filter((d) => d.enforcementLevel === "mandatory")).toEqual([]);
    const same = await analyze(
      "huaweicloud:Cce/clusterUpgrade:ClusterUpgrade",
      "same",
      hwUpgrade("m-cce-fatal", CCE_FROM),
    );
    expect(same.diagnostics).toEqual([]);
  });

  it("Analyze: a target that skips a minor is blocked (mandatory), naming the valid targets", async () => {
    // m-cce-warning's precheck is clean, so only the upgrade path can block a jump to v1.31.
    const result = await analyze(
      "huaweicloud:Cce/clusterUpgrade:ClusterUpgrade",
      "skip",
      hwUpgrade("m-cce-warning", "v1.31"),
    );
    const mine = result.diagnostics.filter((d) => d.policyName === CLUSTER);
    expect(mine).toEqual([expect.objectContaining({ enforcementLevel: "mandatory" })]);
    expect(mine[0]!.message).toContain("Target v1.31 is not an upgrade the cloud offers from v1.29.5-r0");
    expect(mine[0]!.message).toContain("It skips minor version 1.30");
    expect(mine[0]!.message).toContain(`Valid targets: ${CCE_TO} (suggested: ${CCE_TO})`);
  });

  it("Analyze: an unknown target is MANDATORY here, not the SDK's advisory 'can't run during preview'", async () => {
    const result = await analyze("alicloud:cs/managedKubernetes:ManagedKubernetes", "k", {
      name: "m-ack-fatal",
      version: UNKNOWN,
    });
    const mine = result.diagnostics.filter((d) => d.policyName === CLUSTER);
    expect(mine).toEqual([expect.objectContaining({ enforcementLevel: "mandatory" })]);
    expect(mine[0]!.message).toContain("version is unknown");
    expect(result.diagnostics.some((d) => d.message.includes("can't run policy"))).toBe(false);
  });

  it("Analyze: an API error blocks, naming the error and what to do", async () => {
    const result = await analyze(
      "huaweicloud:Cce/clusterUpgrade:ClusterUpgrade",
      "up",
      hwUpgrade("m-cce-apierror"),
    );
    const mine = result.diagnostics.filter((d) => d.policyName === CLUSTER);
    expect(mine).toEqual([expect.objectContaining({ enforcementLevel: "mandatory" })]);
    expect(mine[0]!.message).toContain("HTTP 500");
  });

  it("Analyze: other resources are not applicable to any policy", async () => {
    const result = await analyze("random:index/randomPet:RandomPet", "pet", { length: 2 });
    expect(result.diagnostics).toEqual([]);
    expect(result.notApplicable.map((n) => n.policyName).sort()).toEqual([ADDON, CLUSTER, FRESHNESS]);
  });

  it("Configure with a config file's values: stricter age, waivers printed as advisory, a level changed", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ug-policy-config-"));
    const file = path.join(dir, "policy-config.json");
    fs.writeFileSync(
      file,
      JSON.stringify({
        [CLUSTER]: {
          maxAgeMinutes: 10,
          blockingSeverities: ["fatal", "warning", "unknown"],
          waivers: [
            {
              checkName: "NodeOSVersion",
              clusterId: ids.get("m-cce-warning"),
              reason: "kernel upgrade is planned with the nodes",
              owner: "platform-team",
              expires: new Date(Date.now() + 86_400_000).toISOString(),
            },
          ],
        },
        [FRESHNESS]: { enforcementLevel: "mandatory", warnWithinMinutes: 60 },
        [ADDON]: "disabled",
      }),
    );
    const withDefaults = policies.map((policy) => ({
      name: policy.name,
      level: policy.level,
      defaults: Object.fromEntries(
        Object.entries(policy.schema).flatMap(([key, property]) =>
          property.default === undefined ? [] : [[key, property.default]],
        ),
      ),
    }));
    await pack.call("configure", configureRequestFor(file, withDefaults));

    // The file's maximum age makes a 20-minute-old check stale.
    const old = await analyze("huaweicloud:Cce/clusterUpgrade:ClusterUpgrade", "old", hwUpgrade("m-cce-old"));
    const oldMine = old.diagnostics.filter((d) => d.policyName === CLUSTER);
    expect(oldMine).toEqual([expect.objectContaining({ enforcementLevel: "mandatory" })]);
    expect(oldMine[0]!.message).toContain("older than the maximum age of 10 min");

    // Warnings block now; the waived one passes, printed as an advisory note even though the policy is mandatory.
    const waived = await analyze(
      "huaweicloud:Cce/clusterUpgrade:ClusterUpgrade",
      "waived",
      hwUpgrade("m-cce-warning"),
    );
    const waivedMine = waived.diagnostics.filter((d) => d.policyName === CLUSTER);
    expect(waivedMine).toEqual([expect.objectContaining({ enforcementLevel: "advisory" })]);
    expect(waivedMine[0]!.message).toContain("NodeOSVersion");
    expect(waivedMine[0]!.message).toContain("waived by platform-team");

    // The freshness policy now runs at the level the file gave it, with its wider window.
    const fresh = waived.diagnostics.filter((d) => d.policyName === FRESHNESS);
    expect(fresh).toEqual([expect.objectContaining({ enforcementLevel: "mandatory" })]);
    expect(fresh[0]!.message).toContain("expires in");

    // A disabled policy is not run at all.
    const addon = await analyze("huaweicloud:Cce/addon:Addon", "coredns", {
      clusterId: ids.get("m-cce-fatal"),
      templateName: "coredns",
      version: "1.30.1",
    });
    expect(addon.diagnostics.filter((d) => d.policyName === ADDON)).toEqual([]);
    expect(addon.notApplicable.map((n) => n.policyName)).not.toContain(ADDON);
  });

  it("Configure: a typo in the file blocks with a message naming it", async () => {
    const request = new analyzerPb.ConfigureAnalyzerRequest();
    const config = new analyzerPb.PolicyConfig();
    config.setEnforcementlevel(LEVEL_NUMBERS.mandatory);
    config.setProperties(structPb.Struct.fromJavaScript({ maxAgeMinute: 5 }));
    request.getPolicyconfigMap().set(CLUSTER, config);
    await pack.call("configure", request);
    const result = await analyze("alicloud:cs/managedKubernetes:ManagedKubernetes", "k", {
      name: "m-ack-warning",
      version: ACK_TO,
    });
    const mine = result.diagnostics.filter((d) => d.policyName === CLUSTER);
    expect(mine).toEqual([expect.objectContaining({ enforcementLevel: "mandatory" })]);
    expect(mine[0]!.message).toContain('Unrecognized key: "maxAgeMinute"');
    await pack.call("configure", new analyzerPb.ConfigureAnalyzerRequest());
  });

  it("ConfigureStack and AnalyzeStack: stack analysis is deliberately empty; the same resources block through Analyze", async () => {
    const stack = new analyzerPb.AnalyzerStackConfigureRequest();
    stack.setStack("dev");
    stack.setProject("proj");
    stack.setDryRun(true);
    await pack.call("configureStack", stack);
    const resources = [
      { type: "huaweicloud:Cce/clusterUpgrade:ClusterUpgrade", name: "up", props: hwUpgrade("m-cce-fatal") },
      {
        type: "alicloud:cs/managedKubernetes:ManagedKubernetes",
        name: "k",
        props: { name: "m-ack-fatal", version: ACK_TO },
      },
    ];
    // Through Analyze (per resource), each of them is blocked...
    for (const resource of resources) {
      const perResource = await analyze(resource.type, resource.name, resource.props);
      expect(perResource.diagnostics.filter((d) => d.policyName === CLUSTER)).toEqual([
        expect.objectContaining({
          enforcementLevel: "mandatory",
          message: expect.stringContaining("verdict blocked"),
        }),
      ]);
    }
    // ...while AnalyzeStack answers without a diagnostic: the pack has resource policies only, so the
    // verdicts are given once, per resource, and never twice.
    const result = readAnalyzeResponse(await pack.call("analyzeStack", analyzeStackRequest(resources)));
    expect(result.diagnostics).toEqual([]);
  });

  it("printed nothing unexpected (no crash, no stack traces) and no secret of its environment", () => {
    expect(pack.output()).not.toMatch(/Error validating resource|TypeError|ReferenceError/);
    const env = clientEnvironment(emulator.url);
    for (const secret of [env["HUAWEICLOUD_SDK_SK"]!, env["ALIBABA_CLOUD_ACCESS_KEY_SECRET"]!]) {
      expect(pack.output()).not.toContain(secret);
    }
  });
});
