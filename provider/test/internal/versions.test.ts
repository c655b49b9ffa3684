import { InputError } from "../../src/errors";
import {
  compareVersions,
  isVersionChange,
  minorOf,
  parseVersion,
  sameMinor,
  targetMatches,
} from "../../src/internal/versions";

describe("parseVersion", () => {
  it.each([
    ["CCE patch", "v1.28.3-r0", { major: 1, minor: 28, patch: 3, vendorSuffix: "r0", revision: 0 }],
    ["CCE minor only", "v1.29", { major: 1, minor: 29 }],
    [
      "CCE old revision",
      "v1.19.16-r80",
      { major: 1, minor: 19, patch: 16, vendorSuffix: "r80", revision: 80 },
    ],
    ["ACK", "1.32.1-aliyun.1", { major: 1, minor: 32, patch: 1, vendorSuffix: "aliyun.1", revision: 1 }],
    ["plain patch", "1.30.4", { major: 1, minor: 30, patch: 4 }],
    ["upper-case V, spaces", "  V1.30 ", { major: 1, minor: 30 }],
    ["suffix without number", "1.30.4-beta", { major: 1, minor: 30, patch: 4, vendorSuffix: "beta" }],
  ])("%s: %s", (_name, text, expected) => {
    const parsed = parseVersion(text);
    expect(parsed).toEqual({ ...expected, raw: text.trim() });
  });

  it.each([
    ["empty", ""],
    ["major only", "v1"],
    ["words", "latest"],
    ["suffix on minor-only", "v1.30-r0"],
    ["trailing dot", "1.30."],
    ["four numbers", "1.30.4.5"],
    ["dash without suffix", "1.30.4-"],
  ])("rejects %s (%s)", (_name, text) => {
    expect(parseVersion(text)).toBeUndefined();
  });
});

describe("compareVersions", () => {
  it.each([
    ["same", "v1.28.3-r0", "v1.28.3-r0", 0],
    ["v prefix ignored", "v1.30", "1.30", 0],
    ["major", "2.0", "1.99.99-r9", 1],
    ["minor", "v1.28.3-r0", "v1.29", -1],
    ["minor numeric, not text", "v1.9", "v1.10", -1],
    ["patch", "v1.28.4-r0", "v1.28.3-r9", 1],
    ["revision numeric", "v1.19.16-r9", "v1.19.16-r80", -1],
    ["ACK revision", "1.32.1-aliyun.2", "1.32.1-aliyun.1", 1],
    ["minor-only sorts before its patches", "v1.30", "v1.30.0", -1],
    ["no suffix sorts before a suffix", "v1.30.0", "v1.30.0-r0", -1],
    ["newer minor-only after older patch", "v1.30", "v1.29.9-r9", 1],
  ])("%s: %s vs %s", (_name, a, b, expected) => {
    expect(Math.sign(compareVersions(a, b))).toBe(expected);
    expect(Math.sign(compareVersions(b, a))).toBe(-expected || 0);
  });

  it("sorts a mixed list", () => {
    const sorted = ["v1.30.4-r0", "v1.29", "v1.19.16-r80", "v1.30", "v1.19.16-r9", "v1.30.4-r10"].sort(
      compareVersions,
    );
    expect(sorted).toEqual(["v1.19.16-r9", "v1.19.16-r80", "v1.29", "v1.30", "v1.30.4-r0", "v1.30.4-r10"]);
  });

  it("accepts parsed versions", () => {
    expect(compareVersions(parseVersion("v1.28")!, "v1.27.1-r0")).toBeGreaterThan(0);
  });

  it("throws InputError naming the bad argument", () => {
    expect(() => compareVersions("v1.28", "latest")).toThrow(InputError);
    try {
      compareVersions("nope", "v1.28");
    } catch (error) {
      expect((error as InputError).issues).toEqual([expect.objectContaining({ path: "a" })]);
    }
    expect.assertions(2);
  });
});

describe("isVersionChange", () => {
  it.each([
    ["identical", "v1.28.3-r0", "v1.28.3-r0", false],
    ["v prefix only", "1.30", "v1.30", false],
    ["minor target, cluster inside that minor", "v1.30.4-r0", "v1.30", false],
    ["patch target without revision, cluster on that patch", "v1.30.4-r0", "v1.30.4", false],
    ["ACK same", "1.32.1-aliyun.1", "1.32.1-aliyun.1", false],
    ["ACK minor target inside", "1.32.1-aliyun.1", "1.32", false],
    ["minor upgrade", "v1.28.3-r0", "v1.29", true],
    ["patch upgrade", "v1.30.4-r0", "v1.30.5-r0", true],
    ["revision upgrade", "v1.19.16-r9", "v1.19.16-r80", true],
    ["cluster reports minor only, target names a patch: cannot prove same", "v1.30", "v1.30.4-r0", true],
    ["downgrade is a change too", "v1.30.4-r0", "v1.29", true],
    ["ACK upgrade", "1.31.1-aliyun.1", "1.32.1-aliyun.1", true],
    ["unparseable, same text", "custom-build", "Custom-Build", false],
    ["unparseable, different text", "custom-build", "v1.30", true],
  ])("%s: %s -> %s", (_name, current, target, expected) => {
    expect(isVersionChange(current, target)).toBe(expected);
  });
});

describe("targetMatches (does a check made for `checked` serve `requested`)", () => {
  it.each([
    ["same minor target", "v1.30", "v1.30", true],
    ["minor check serves a patch request", "v1.30.4-r0", "v1.30", true],
    ["patch check serves a minor request (CCE records the resolved patch)", "v1.30", "v1.30.4-r0", true],
    ["v prefix ignored", "1.30", "v1.30", true],
    ["patch without revision vs with", "v1.30.4", "v1.30.4-r0", true],
    ["different patches", "v1.30.5-r0", "v1.30.4-r0", false],
    ["different revisions", "v1.30.4-r1", "v1.30.4-r0", false],
    ["different minors", "v1.31", "v1.30", false],
    ["different minors, patch request", "v1.31.1-r0", "v1.30", false],
    ["ACK exact", "1.32.1-aliyun.1", "1.32.1-aliyun.1", true],
    ["ACK minor request", "1.32", "1.32.1-aliyun.1", true],
    ["ACK other revision", "1.32.1-aliyun.2", "1.32.1-aliyun.1", false],
    ["unparseable same text", "next", "next", true],
    ["unparseable different", "next", "v1.30", false],
  ])("%s: requested %s, checked %s", (_name, requested, checked, expected) => {
    expect(targetMatches(requested, checked)).toBe(expected);
  });
});

describe("sameMinor and minorOf", () => {
  it.each([
    ["v1.30.4-r0", "v1.30", true],
    ["1.30", "v1.30.9-r3", true],
    ["v1.30", "v1.31", false],
    ["2.30", "1.30", false],
    ["latest", "v1.30", false],
  ])("sameMinor(%s, %s) = %s", (a, b, expected) => {
    expect(sameMinor(a, b)).toBe(expected);
  });

  it.each([
    ["v1.30.4-r0", "1.30"],
    ["1.32.1-aliyun.1", "1.32"],
    ["junk", undefined],
  ])("minorOf(%s) = %s", (text, expected) => {
    expect(minorOf(text)).toBe(expected);
  });
});

describe("versions from untyped callers", () => {
  it.each([[123], [null], [undefined], [{}], [["v1.30"]]])("parseVersion(%p) is not a version", (value) => {
    expect(parseVersion(value as never)).toBeUndefined();
  });

  it.each([[null], [42], [{ major: "1" }]])(
    "compareVersions(%p, …) throws an InputError naming the argument",
    (value) => {
      let caught: unknown;
      try {
        compareVersions(value as never, "v1.30");
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InputError);
      expect((caught as InputError).issues[0]?.path).toBe("a");
    },
  );
});
