import {
  addonPolicyConfigSchema,
  clusterPolicyConfigSchema,
  freshnessPolicyConfigSchema,
  parsePolicyConfig,
  toPolicyConfigSchema,
} from "../../src/policies/config";

describe("configSchema derived from the zod schemas", () => {
  it.each([
    [
      "cluster",
      clusterPolicyConfigSchema,
      ["blockingSeverities", "missingCheckBlocks", "maxAgeMinutes", "allowUnknownInPreview", "waivers"],
    ],
    [
      "addon",
      addonPolicyConfigSchema,
      ["blockingSeverities", "missingCheckBlocks", "allowUnknownInPreview", "waivers"],
    ],
    ["freshness", freshnessPolicyConfigSchema, ["warnWithinMinutes", "maxAgeMinutes"]],
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
      },
    });
    expect(parsePolicyConfig(addonPolicyConfigSchema, undefined)).toMatchObject({
      ok: true,
      config: { missingCheckBlocks: false },
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
