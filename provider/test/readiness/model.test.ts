import { canonicalJson, snapshotDigest } from "../../src/readiness/digest";
import {
  findingJsonSchema,
  findingSchema,
  readinessSnapshotJsonSchema,
  readinessSnapshotSchema,
  worstSeverityOf,
} from "../../src/readiness/model";
import { finding, snapshot } from "./fixtures";

describe("readiness model schema", () => {
  it("accepts a complete snapshot and keeps the raw vendor item", () => {
    const input = snapshot({ findings: [finding({ raw: { name: "NodeKernelCheck", extra: [1, 2] } })] });
    const parsed = readinessSnapshotSchema.parse(input);
    expect(parsed.findings[0]!.raw).toEqual({ name: "NodeKernelCheck", extra: [1, 2] });
  });

  it.each([
    ["unknown cloud", { cloud: "gcp" }, "cloud"],
    ["unknown verdict", { verdict: "maybe" }, "verdict"],
    ["observedAt not a timestamp", { observedAt: "yesterday" }, "observedAt"],
    ["digest not sha256", { digest: "md5:abc" }, "digest"],
    ["empty cluster id", { clusterId: "" }, "clusterId"],
  ])("rejects %s", (_name, patch, path) => {
    const result = readinessSnapshotSchema.safeParse({ ...snapshot(), ...patch });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toContain(path);
  });

  it("rejects a finding with an unknown severity word", () => {
    expect(findingSchema.safeParse({ ...finding(), severity: "critical" }).success).toBe(false);
  });

  it("emits draft-07 JSON Schemas that list the model's fields", () => {
    const schema = readinessSnapshotJsonSchema();
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    const properties = schema.properties as Record<string, { enum?: string[] }>;
    expect(Object.keys(properties)).toEqual(
      expect.arrayContaining(["cloud", "checks", "findings", "verdict", "digest"]),
    );
    expect(properties.verdict?.enum).toEqual([
      "ready",
      "upgrading",
      "blocked",
      "pending",
      "stale",
      "unknown",
    ]);
    expect(schema.required).toEqual(expect.arrayContaining(["clusterId", "verdict", "reasons"]));
    expect(schema.required).not.toContain("clusterName");
    const findingProperties = findingJsonSchema().properties as Record<string, { enum?: string[] }>;
    expect(findingProperties.severity?.enum).toEqual(["fatal", "warning", "info", "unknown"]);
  });
});

describe("worstSeverityOf", () => {
  it.each([
    ["no findings", "none", []],
    ["only passed fatal", "none", [finding({ state: "passed" })]],
    ["info and warning", "warning", [finding({ severity: "info" }), finding({ severity: "warning" })]],
    [
      "unknown outranks warning",
      "unknown",
      [finding({ severity: "warning" }), finding({ severity: "unknown" })],
    ],
    ["fatal outranks unknown", "fatal", [finding({ severity: "unknown" }), finding({ severity: "fatal" })]],
    ["pending fatal does not count", "info", [finding({ state: "pending" }), finding({ severity: "info" })]],
  ])("%s -> %s", (_name, expected, findings) => {
    expect(worstSeverityOf(findings)).toBe(expected);
  });
});

describe("snapshot digest", () => {
  it("is the same for the same facts observed at different times, verdicts and reasons", () => {
    const a = snapshot({
      findings: [finding()],
      observedAt: "2025-08-05T10:00:00.000Z",
      verdict: "blocked",
      reasons: ["x"],
    });
    const b = snapshot({
      findings: [finding()],
      observedAt: "2025-08-06T11:00:00.000Z",
      verdict: "stale",
      reasons: ["y"],
    });
    expect(snapshotDigest(a)).toBe(snapshotDigest(b));
    expect(snapshotDigest(a)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("does not depend on the order keys were written in", () => {
    const a = snapshot({ findings: [finding({ raw: { b: 1, a: { d: 2, c: 3 } } })] });
    const b = snapshot({ findings: [finding({ raw: { a: { c: 3, d: 2 }, b: 1 } })] });
    expect(snapshotDigest(a)).toBe(snapshotDigest(b));
  });

  it.each([
    ["another finding message", { findings: [finding({ message: "kernel 4.18 unsupported" })] }],
    ["another severity", { findings: [finding({ severity: "warning" })] }],
    ["an extra finding", { findings: [finding(), finding({ checkName: "Other" })] }],
    ["another raw item", { findings: [finding({ raw: { name: "NodeKernelCheck", v: 2 } })] }],
    ["another target", { findings: [finding()], targetVersion: "v1.31" }],
    ["another cluster", { findings: [finding()], clusterId: "c-2" }],
  ])("changes with %s", (_name, patch) => {
    const base = snapshot({ findings: [finding()] });
    expect(snapshotDigest(snapshot(patch))).not.toBe(snapshotDigest(base));
  });

  it("canonical JSON sorts keys at every depth and drops undefined members", () => {
    expect(canonicalJson({ b: [{ z: 1, y: undefined, x: null }], a: "s" })).toBe(
      '{"a":"s","b":[{"x":null,"z":1}]}',
    );
    expect(canonicalJson([undefined, 1])).toBe("[null,1]");
  });
});
