// The --policy-pack-config file as the Pulumi CLI reads it: every problem named with its key and
// the fix, at once, before any pack starts.
import { parsePolicyPackConfig } from "../src/pack-config";

describe("parsePolicyPackConfig", () => {
  it("reads levels, objects with a level and properties, and all", () => {
    const config = parsePolicyPackConfig(
      { all: "advisory", gate: { enforcementLevel: "mandatory", maxAgeMinutes: 30 }, other: { limit: 2 } },
      "c.json",
    );
    expect(config.get("all")).toEqual({ enforcementLevel: "advisory", properties: {} });
    expect(config.get("gate")).toEqual({ enforcementLevel: "mandatory", properties: { maxAgeMinutes: 30 } });
    expect(config.get("other")).toEqual({ properties: { limit: 2 } });
  });

  it("names every bad key and the levels to use, in one error", () => {
    const read = () =>
      parsePolicyPackConfig(
        { gate: "mandatry", all: { enforcementLevel: 1 }, other: 42, fine: "disabled" },
        "c3.json",
      );
    expect(read).toThrow(/^--policy-pack-config c3\.json:\n/);
    expect(read).toThrow(
      /gate: "mandatry" is not an enforcement level; use advisory, mandatory, remediate or disabled/,
    );
    expect(read).toThrow(/all\.enforcementLevel: 1 is not an enforcement level/);
    expect(read).toThrow(
      /other: 42 is neither an enforcement level .* nor an object of the policy's properties/,
    );
    expect(read).not.toThrow(/fine/);
  });

  it("refuses a file that is not an object of policy names", () => {
    for (const content of [[], "mandatory", null]) {
      expect(() => parsePolicyPackConfig(content, "c.json")).toThrow(
        /c\.json: must be a JSON object whose keys are policy names \(or "all"\)/,
      );
    }
  });
});
