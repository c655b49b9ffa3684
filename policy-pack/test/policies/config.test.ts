import {
  addonPolicyConfigSchema,
  clusterPolicyConfigSchema,
  freshnessPolicyConfigSchema,
  parsePolicyConfig,
  toPolicyConfigSchema,
} from "../../src/policies/config";
import { clusterUpgradeRequiresCleanPrecheck } from "../../src/policies/cluster-policy";
import { addonUpgradeRequiresCleanAddonPrecheck } from "../../src/policies/addon-policy";
import { upgradePrecheckFreshness } from "../../src/policies/freshness-policy";
import { cliPolicyConfig, UNKNOWN, validateDirect } from "@upgrade-guard/harness";
import { ccePrecheck, liveCceCluster, lookupWithPrecheck, NOW } from "./fakes";

describe("configSchema derived from the zod schemas", () => {
  it.each([
    [
      "cluster",
      clusterPolicyConfigSchema,
      [
        "blockingSeverities",
        "missingCheckBlocks",
        "maxAgeMinutes",
        "endOfSupportNoticeDays",
        "allowUnknownInPreview",
        "waivers",
        "accounts",
      ],
    ],
    [
      "addon",
      addonPolicyConfigSchema,
      ["blockingSeverities", "missingCheckBlocks", "allowUnknownInPreview", "waivers", "accounts"],
    ],
    ["freshness", freshnessPolicyConfigSchema, ["warnWithinMinutes", "maxAgeMinutes", "accounts"]],
  ])(
    "%s: every setting is optional (defaults come from code) and none is enforcementLevel",
    (_n, schema, keys) => {
      const json = toPolicyConfigSchema(schema);
      expect(Object.keys(json.properties).sort()).toEqual([...keys].sort());
      expect(json.required).toBeUndefined();
      expect(json.properties).not.toHaveProperty("enforcementLevel");
    },
  );

  it("shows the defaults, the allowed severities and the waiver shape", () => {
    const json = toPolicyConfigSchema(clusterPolicyConfigSchema);
    expect(json.properties["blockingSeverities"]).toMatchObject({
      type: "array",
      default: ["fatal", "unknown"],
      items: { enum: ["fatal", "warning", "info", "unknown"] },
    });
    expect(json.properties["missingCheckBlocks"]).toMatchObject({ type: "boolean", default: true });
    expect(json.properties["allowUnknownInPreview"]).toMatchObject({ type: "boolean", default: false });
    expect(json.properties["waivers"]).toMatchObject({
      type: "array",
      items: { required: ["checkName", "clusterId", "reason", "owner", "expires"] },
    });
    // Only properties/required are transmitted by the SDK; nothing may point at dropped definitions.
    expect(JSON.stringify(json)).not.toContain("$ref");
  });
});

describe("parsePolicyConfig", () => {
  it("applies the defaults to an empty config (what getConfig() returns without Configure)", () => {
    expect(parsePolicyConfig(clusterPolicyConfigSchema, {})).toEqual({
      ok: true,
      config: {
        blockingSeverities: ["fatal", "unknown"],
        missingCheckBlocks: true,
        allowUnknownInPreview: false,
        waivers: [],
        accounts: [],
      },
    });
    expect(parsePolicyConfig(addonPolicyConfigSchema, undefined)).toMatchObject({
      ok: true,
      config: { missingCheckBlocks: true },
    });
    expect(parsePolicyConfig(freshnessPolicyConfigSchema, {})).toMatchObject({
      ok: true,
      config: { warnWithinMinutes: 30 },
    });
  });

  it("lets the engine's values win over the factory's", () => {
    const read = parsePolicyConfig(
      clusterPolicyConfigSchema,
      { maxAgeMinutes: 90 },
      { maxAgeMinutes: 30, missingCheckBlocks: false },
    );
    expect(read).toMatchObject({ ok: true, config: { maxAgeMinutes: 90, missingCheckBlocks: false } });
  });

  it("names every bad key, including a typo", () => {
    const read = parsePolicyConfig(clusterPolicyConfigSchema, {
      blockingSeverities: ["Fatal"],
      maxAgeMinute: 10,
      waivers: [{ checkName: "x", clusterId: "c", reason: "r", owner: "o", expires: "next week" }],
    });
    expect(read.ok).toBe(false);
    const problems = read.ok ? [] : read.problems.join("\n");
    expect(problems).toContain("blockingSeverities.0");
    expect(problems).toContain("maxAgeMinute");
    expect(problems).toContain("waivers.0.expires");
  });
});

describe("factory configuration under the Pulumi CLI (which fills every schema default into Configure)", () => {
  const factoryConfig = {
    blockingSeverities: ["fatal", "warning", "unknown"] as ("fatal" | "warning" | "unknown")[],
    allowUnknownInPreview: true,
    maxAgeMinutes: 15,
  };
  const warningsOnly = ccePrecheck({
    id: "pc-1",
    target: "v1.30",
    items: [{ name: "NodeDiskPressure", level: "Warning", kind: "Risk" }],
  });
  const lookup = lookupWithPrecheck(liveCceCluster("c-1"), warningsOnly);
  const policy = clusterUpgradeRequiresCleanPrecheck({ lookup, now: () => NOW, config: factoryConfig });
  const resource = {
    type: "huaweicloud:Cce/cluster:Cluster",
    props: { name: "prod", clusterVersion: "v1.30" },
  };

  it("publishes the factory's values as the schema defaults, the library's for the rest", () => {
    const properties = policy.configSchema!.properties;
    expect(properties["blockingSeverities"]).toMatchObject({ default: factoryConfig.blockingSeverities });
    expect(properties["allowUnknownInPreview"]).toMatchObject({ default: true });
    expect(properties["maxAgeMinutes"]).toMatchObject({ default: 15, type: "integer" });
    expect(properties["missingCheckBlocks"]).toMatchObject({ default: true });
    expect(properties["waivers"]).toMatchObject({ default: [] });
    // The library's own schema is untouched.
    expect(toPolicyConfigSchema(clusterPolicyConfigSchema).properties["blockingSeverities"]).toMatchObject({
      default: ["fatal", "unknown"],
    });
  });

  it("judges with the factory's values when Configure carries the CLI-filled defaults", async () => {
    const blocked = await validateDirect(policy, { ...resource, config: cliPolicyConfig(policy) });
    expect(blocked.violations).toHaveLength(1);
    expect(blocked.violations[0]!.enforcementLevel).toBeUndefined();
    expect(blocked.violations[0]!.message).toContain("NodeDiskPressure [Warning/Risk]");
    const unknown = await validateDirect(policy, {
      type: resource.type,
      props: { name: "prod", clusterVersion: UNKNOWN },
      config: cliPolicyConfig(policy),
    });
    expect(unknown.violations).toEqual([
      expect.objectContaining({
        enforcementLevel: "advisory",
        message: expect.stringContaining("NOT verified"),
      }),
    ]);
  });

  it("lets the --policy-pack-config file's values win over the factory's", async () => {
    const config = cliPolicyConfig(policy, { blockingSeverities: ["fatal"], allowUnknownInPreview: false });
    expect(await validateDirect(policy, { ...resource, config })).toEqual({ violations: [] });
    const unknown = await validateDirect(policy, {
      type: resource.type,
      props: { name: "prod", clusterVersion: UNKNOWN },
      config,
    });
    expect(unknown.violations).toHaveLength(1);
    expect(unknown.violations[0]!.enforcementLevel).toBeUndefined();
  });

  it("publishes the add-on and freshness factories' values too", () => {
    const addon = addonUpgradeRequiresCleanAddonPrecheck({ config: { missingCheckBlocks: false } });
    expect(cliPolicyConfig(addon)).toMatchObject({ missingCheckBlocks: false });
    const freshness = upgradePrecheckFreshness({ config: { warnWithinMinutes: 90 } });
    expect(cliPolicyConfig(freshness)).toEqual({ warnWithinMinutes: 90, accounts: [] });
  });

  it("does not publish an invalid factory configuration (the policy reports it instead)", async () => {
    const bad = clusterUpgradeRequiresCleanPrecheck({
      lookup,
      now: () => NOW,
      config: { maxAgeMinutes: -5, allowUnknownInPreview: true },
    });
    expect(bad.configSchema!.properties["maxAgeMinutes"]).not.toHaveProperty("default");
    expect(bad.configSchema!.properties["allowUnknownInPreview"]).toMatchObject({ default: false });
    const result = await validateDirect(bad, { ...resource, config: cliPolicyConfig(bad) });
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]!.message).toContain("maxAgeMinutes");
  });
});
