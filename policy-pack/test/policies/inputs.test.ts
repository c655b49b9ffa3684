import { unknownCheckingProxy } from "@pulumi/policy";
import { UNKNOWN } from "@upgrade-guard/harness";
import { isUnknownSentinel, readInput, readPlain, readString, readVersion } from "../../src/policies/inputs";

function proxied(props: Record<string, unknown>): Record<string, unknown> {
  return unknownCheckingProxy(props) as Record<string, unknown>;
}

describe("reading inputs through the policy SDK's unknown-checking proxy", () => {
  const props = proxied({
    targetVersion: " v1.30 ",
    blank: "   ",
    count: 3,
    flag: true,
    unknownTarget: UNKNOWN,
    readiness: { checkId: "c1", worstSeverity: "fatal", nested: { deep: UNKNOWN } },
    list: ["a", UNKNOWN],
    okList: ["a", "b"],
  });

  it.each([
    ["a known string, trimmed", ["targetVersion"], { state: "known", value: "v1.30" }],
    ["a blank string counts as absent", ["blank"], { state: "absent" }],
    ["a number reads as its text", ["count"], { state: "known", value: "3" }],
    ["a missing key", ["nope"], { state: "absent" }],
    ["an unknown value", ["unknownTarget"], { state: "unknown", path: "unknownTarget" }],
    ["a nested known value", ["readiness", "checkId"], { state: "known", value: "c1" }],
    [
      "a nested unknown value",
      ["readiness", "nested", "deep"],
      { state: "unknown", path: "readiness.nested.deep" },
    ],
    ["below an absent object", ["missing", "x"], { state: "absent" }],
  ])("readString: %s", (_name, path, expected) => {
    expect(readString(props, path)).toEqual(expected);
  });

  it("reports a value of the wrong type as invalid, naming the path", () => {
    expect(readString(props, ["flag"])).toEqual({
      state: "invalid",
      path: "flag",
      problem: "expected a string, got boolean",
    });
    expect(readInput(props, ["targetVersion", "x"])).toMatchObject({
      state: "invalid",
      path: "targetVersion.x",
    });
  });

  it("readVersion: a number is invalid (1.30 would read as 1.3), anything else as readString", () => {
    expect(readVersion(proxied({ v: 1.3 }), ["v"])).toEqual({
      state: "invalid",
      path: "v",
      problem: expect.stringContaining("got the number 1.3"),
    });
    expect(readVersion(props, ["targetVersion"])).toEqual({ state: "known", value: "v1.30" });
    expect(readVersion(props, ["unknownTarget"])).toEqual({ state: "unknown", path: "unknownTarget" });
    expect(readVersion(props, ["nope"])).toEqual({ state: "absent" });
  });

  it("copies a whole object out of the proxy, or says where it is unknown", () => {
    expect(readPlain(props, ["okList"])).toEqual({ state: "known", value: ["a", "b"] });
    expect(readPlain(props, ["readiness"])).toEqual({ state: "unknown", path: "readiness.nested.deep" });
    expect(readPlain(props, ["list"])).toEqual({ state: "unknown", path: "list.1" });
    const copied = readPlain(proxied({ r: { a: 1, b: ["x"] } }), ["r"]);
    expect(copied).toEqual({ state: "known", value: { a: 1, b: ["x"] } });
  });

  it("recognises the raw sentinels in props that did not come through the proxy", () => {
    const raw = { targetVersion: UNKNOWN, readiness: { checkId: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff" } };
    expect(readString(raw, ["targetVersion"])).toEqual({ state: "unknown", path: "targetVersion" });
    expect(readPlain(raw, ["readiness"])).toEqual({ state: "unknown", path: "readiness.checkId" });
    expect(isUnknownSentinel("v1.30")).toBe(false);
  });

  it("rethrows errors that are not about unknown values", () => {
    const exploding = new Proxy(
      {},
      {
        get() {
          throw new TypeError("boom");
        },
      },
    );
    expect(() => readString(exploding, ["x"])).toThrow("boom");
  });
});
