// The in-process tiers against small policies written here: what validateDirect and
// InProcessAnalyzer report for a violation, a declined resource and an unknown value, and the
// configuration cliPolicyConfig computes. upgrade-guard's own policies run through them in
// policy-pack/test and test/policy.
import { type ResourceValidationPolicy, UnknownValueError } from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import { cliPolicyConfig, InProcessAnalyzer, UNKNOWN, urnOf, validateDirect } from "../src";

const TYPE = "test:index:Cluster";

/** Blocks `version: "bad"`, declines resources without a version, reads `version` (unknown in preview). */
const versionPolicy: ResourceValidationPolicy = {
  name: "no-bad-version",
  description: "blocks the bad version",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowed: { type: "array", default: ["good"] },
      limit: { type: "number", default: 3 },
      note: { type: "string" },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.props.skip === true) args.notApplicable("told to skip");
    if (args.props.version === "bad") reportViolation("version bad is blocked");
    if (args.props.version === "advisory") {
      reportViolation({ message: "only advice", enforcementLevel: "advisory" } as never);
    }
  },
};

it("UNKNOWN is the engine's sentinel, as @pulumi/pulumi exports it", () => {
  expect(UNKNOWN).toBe(pulumi.runtime.unknownValue);
});

describe("validateDirect", () => {
  it("collects violations in both forms, and the reason of a declined resource", async () => {
    await expect(validateDirect(versionPolicy, { type: TYPE, props: { version: "bad" } })).resolves.toEqual({
      violations: [{ message: "version bad is blocked" }],
    });
    await expect(
      validateDirect(versionPolicy, { type: TYPE, props: { version: "advisory" } }),
    ).resolves.toEqual({ violations: [{ message: "only advice", enforcementLevel: "advisory" }] });
    await expect(validateDirect(versionPolicy, { type: TYPE, props: { skip: true } })).resolves.toEqual({
      violations: [],
      notApplicable: "told to skip",
    });
  });

  it("lets the SDK's UnknownValueError through when the policy touches an unknown", async () => {
    await expect(
      validateDirect(versionPolicy, { type: TYPE, props: { version: UNKNOWN } }),
    ).rejects.toBeInstanceOf(UnknownValueError);
  });

  it("gives the policy the resource's name, urn and configuration", async () => {
    const seen: unknown[] = [];
    const policy: ResourceValidationPolicy = {
      name: "spy",
      description: "records its arguments",
      validateResource: (args) => void seen.push([args.name, args.urn, args.getConfig()]),
    };
    await validateDirect(policy, { type: TYPE, props: {}, name: "c1", config: { limit: 1 } });
    expect(seen).toEqual([["c1", urnOf(TYPE, "c1"), { limit: 1 }]]);
  });
});

describe("cliPolicyConfig", () => {
  it("starts from the schema's defaults; the file's values replace them whole; the level is no property", () => {
    expect(cliPolicyConfig(versionPolicy)).toEqual({ allowed: ["good"], limit: 3 });
    expect(
      cliPolicyConfig(versionPolicy, { enforcementLevel: "advisory", allowed: ["other"], note: "n" }),
    ).toEqual({ allowed: ["other"], limit: 3, note: "n" });
  });

  it("copies the defaults, so a policy that changes its configuration cannot change the schema", () => {
    const config = cliPolicyConfig(versionPolicy);
    (config.allowed as string[]).push("changed");
    expect(cliPolicyConfig(versionPolicy).allowed).toEqual(["good"]);
  });
});

describe("InProcessAnalyzer", () => {
  const analyzer = new InProcessAnalyzer([versionPolicy]);

  it("reports a violation at the policy's level", async () => {
    const result = await analyzer.analyze(TYPE, "c1", { version: "bad" });
    expect(result.diagnostics).toEqual([
      {
        policyName: "no-bad-version",
        enforcementLevel: "mandatory",
        message: expect.stringContaining("version bad is blocked"),
        // Set only when a policy passes one to reportViolation: the engine knows which resource it asked about.
        urn: "",
      },
    ]);
    expect(result.notApplicable).toEqual([]);
  });

  it("reports a declined resource as not applicable, with its reason", async () => {
    const result = await analyzer.analyze(TYPE, "c1", { skip: true });
    expect(result.diagnostics).toEqual([]);
    expect(result.notApplicable).toEqual([{ policyName: "no-bad-version", reason: "told to skip" }]);
  });

  it("turns an unknown the policy touches into the SDK's advisory, as in a preview", async () => {
    const result = await analyzer.analyze(TYPE, "c1", { version: UNKNOWN });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ enforcementLevel: "advisory", message: expect.stringMatching(/can't run/) }),
    ]);
  });
});
