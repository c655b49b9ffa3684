// The rules every resource shares: check failures and unknowns, explicit diffs, configuration
// mapping, wait timing and the arity-based dispatch of the SDK shims.
import { z } from "zod";
import { dispatch, resources } from "../../src/impl";
import { redact } from "../../src/internal/redact";
import { ACK_ENV, CCE_ENV } from "../../src/auth/fields";
import { compact, waitTiming } from "../../src/pulumi/shared/common";
import {
  checkInputs,
  diffProperties,
  isUnknownAt,
  parseInputs,
  propertyPath,
} from "../../src/pulumi/resources/lifecycle";
import {
  CONFIG_KEYS,
  configuredSettings,
  resetConfiguredSettings,
  settingsFromConfig,
} from "../../src/pulumi/shared/settings";
import { UNKNOWN } from "../../src/pulumi/shared/types";

const schema = z.strictObject({
  clusterId: z.string().min(1),
  targetVersion: z.string().regex(/^v?\d+\.\d+/, { message: "is not a version" }),
  addons: z.array(z.strictObject({ name: z.string().min(1), version: z.string().min(1) })).optional(),
  waitTimeoutMinutes: z.number().positive().optional(),
});

describe("checkInputs", () => {
  it("returns the parsed inputs without __provider when everything is valid", () => {
    const result = checkInputs(schema, { __provider: "text", clusterId: "c1", targetVersion: "v1.30" });
    expect(result.failures).toBeUndefined();
    expect(result.inputs).toEqual({ clusterId: "c1", targetVersion: "v1.30" });
  });

  it("names every bad property, in Pulumi property-path notation", () => {
    const result = checkInputs(schema, {
      clusterId: "",
      targetVersion: "latest",
      addons: [{ name: "coredns", version: "" }],
      waitTimeoutMinutes: -1,
      typo: true,
    });
    const properties = (result.failures ?? []).map((f) => f.property).sort();
    expect(properties).toEqual([
      "addons[0].version",
      "clusterId",
      "targetVersion",
      "typo",
      "waitTimeoutMinutes",
    ]);
    expect(result.failures?.find((f) => f.property === "targetVersion")?.reason).toBe("is not a version");
    expect(result.failures?.find((f) => f.property === "typo")?.reason).toBe(
      "is not an input of this resource",
    );
  });

  it("names a misspelt key, also nested, and suggests the nearest valid property", () => {
    const result = checkInputs(schema, {
      clusterID: "c1",
      targetVersion: "v1.30",
      addons: [{ name: "coredns", version: "1", verison: "2" }],
    });
    const byProperty = Object.fromEntries((result.failures ?? []).map((f) => [f.property, f.reason]));
    expect(byProperty).toEqual({
      "addons[0].verison": 'is not an input of this resource; did you mean "addons[0].version"?',
      clusterID: 'is not an input of this resource; did you mean "clusterId"?',
      clusterId: expect.stringMatching(/expected string/),
    });
  });

  it("names a misspelt key of a refined resource schema and the waiver field with what it expects", async () => {
    const result = await resources.cceClusterUpgrade.check(
      {},
      {
        clusterId: "c1",
        targetVerison: "v1.30",
        waivers: [{ checkName: "NodeOSVersion", clusterId: "c1", reason: "", owner: "ops", expires: "soon" }],
      },
    );
    const byProperty = Object.fromEntries((result.failures ?? []).map((f) => [f.property, f.reason]));
    expect(byProperty["targetVerison"]).toMatch(/did you mean "targetVersion"\?/);
    expect(byProperty["waivers[0].reason"]).toBe("must be a non-empty reason");
    expect(byProperty["waivers[0].expires"]).toMatch(/must be an ISO 8601 timestamp .*2030-01-31T00:00:00Z/);
    expect(byProperty[""]).toBeUndefined();
  });

  it.each([
    ["a top-level unknown", { clusterId: "c1", targetVersion: UNKNOWN }],
    ["an unknown array", { clusterId: "c1", targetVersion: "v1.30", addons: UNKNOWN }],
    [
      "an unknown inside an array element",
      { clusterId: "c1", targetVersion: "v1.30", addons: [{ name: "x", version: UNKNOWN }] },
    ],
    ["an unknown number", { clusterId: "c1", targetVersion: "v1.30", waitTimeoutMinutes: UNKNOWN }],
  ])("accepts %s during preview and passes the inputs through", (_case, news) => {
    const result = checkInputs(schema, news);
    expect(result.failures).toBeUndefined();
    expect(result.inputs).toEqual(news);
  });

  it("still reports known problems next to unknown values", () => {
    const result = checkInputs(schema, { clusterId: "", targetVersion: UNKNOWN });
    expect(result.failures).toEqual([{ property: "clusterId", reason: expect.any(String) }]);
  });
});

describe("defaults next to unknowns (preview)", () => {
  it("ack.ClusterCheck: a defaulted type is not a replacement when only the timeout is unknown", async () => {
    const check = resources.ackClusterCheck;
    const given = { clusterId: "c1", targetVersion: "1.31.1-aliyun.1" };
    const olds = (await check.check({}, { ...given, waitTimeoutMinutes: 5 })).inputs ?? {};
    expect(olds.type).toBe("ClusterUpgrade");
    const news = (await check.check(olds, { ...given, waitTimeoutMinutes: UNKNOWN })).inputs ?? {};
    expect(news).toMatchObject({ type: "ClusterUpgrade", waitTimeoutMinutes: UNKNOWN });
    expect(await check.diff("id", olds, news)).toMatchObject({ changes: true, replaces: [] });
    // An unknown identity field is still a replacement.
    const unknownCluster = (await check.check(olds, { ...given, clusterId: UNKNOWN })).inputs ?? {};
    expect((await check.diff("id", olds, unknownCluster)).replaces).toEqual(["clusterId"]);
  });

  it("cce.AddonPrecheck: defaulted add-on types are not a replacement when only the timeout is unknown", async () => {
    const precheck = resources.cceAddonPrecheck;
    const addons = [{ addonTemplateName: "coredns", addonInstanceId: "a1", targetVersion: "1.30.1" }];
    const olds = (await precheck.check({}, { clusterId: "c1", addons, waitTimeoutMinutes: 5 })).inputs ?? {};
    const news =
      (await precheck.check(olds, { clusterId: "c1", addons, waitTimeoutMinutes: UNKNOWN })).inputs ?? {};
    expect(news.addons).toEqual([{ ...addons[0], type: "addonUpgrade" }]);
    expect(await precheck.diff("id", olds, news)).toMatchObject({ changes: true, replaces: [] });
  });
});

describe("paths", () => {
  it("formats Pulumi property paths", () => {
    expect(propertyPath(["addons", 0, "targetVersion"])).toBe("addons[0].targetVersion");
    expect(propertyPath([])).toBe("");
  });

  it("finds the unknown sentinel on the way to a path", () => {
    expect(isUnknownAt({ a: UNKNOWN }, ["a", "b", 3])).toBe(true);
    expect(isUnknownAt({ a: { b: "x" } }, ["a", "b"])).toBe(false);
  });
});

describe("diffProperties", () => {
  const spec = { replaceOn: ["clusterId", "targetVersion"], updateOn: ["waitTimeoutMinutes"] };
  const olds = {
    clusterId: "c1",
    targetVersion: "v1.30",
    waitTimeoutMinutes: 5,
    readiness: { digest: "a" },
    __provider: "p1",
  };

  it("reports no change when only informational inputs differ", () => {
    const diff = diffProperties(olds, { ...olds, readiness: { digest: "b" } }, spec);
    expect(diff).toMatchObject({ changes: false, replaces: [] });
  });

  it("replaces on identity fields and updates on behaviour fields", () => {
    expect(diffProperties(olds, { ...olds, targetVersion: "v1.31" }, spec)).toMatchObject({
      changes: true,
      replaces: ["targetVersion"],
      deleteBeforeReplace: false,
    });
    expect(diffProperties(olds, { ...olds, waitTimeoutMinutes: 9 }, spec)).toMatchObject({
      changes: true,
      replaces: [],
    });
  });

  it("counts an unknown as a change, and an unknown identity as a replacement", () => {
    expect(diffProperties(olds, { ...olds, clusterId: UNKNOWN }, spec)).toMatchObject({
      changes: true,
      replaces: ["clusterId"],
    });
    expect(diffProperties(olds, { ...olds, waitTimeoutMinutes: UNKNOWN }, spec)).toMatchObject({
      changes: true,
      replaces: [],
    });
  });

  it("updates in place when only the serialized provider changed, and ignores an unknown one", () => {
    expect(diffProperties(olds, { ...olds, __provider: "p2" }, spec)).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect(diffProperties(olds, { ...olds, __provider: UNKNOWN }, spec)).toMatchObject({ changes: false });
  });

  it("updates in place for a record of unfinished work, and still replaces on identity fields", () => {
    expect(diffProperties(olds, olds, spec, true)).toMatchObject({ changes: true, replaces: [] });
    expect(diffProperties(olds, { ...olds, clusterId: "c2" }, spec, true)).toMatchObject({
      changes: true,
      replaces: ["clusterId"],
    });
    expect(diffProperties(olds, olds, spec)).toMatchObject({ changes: false });
  });

  it("treats a missing optional input and an absent one alike, whatever the key order", () => {
    const a = { clusterId: "c1", targetVersion: "v1.30", waitTimeoutMinutes: undefined };
    const b = { targetVersion: "v1.30", clusterId: "c1" };
    expect(diffProperties(a, b, spec).changes).toBe(false);
  });

  it("asks for delete-before-replace only when the spec says so and something is replaced", () => {
    const strict = { ...spec, deleteBeforeReplace: true };
    expect(diffProperties(olds, { ...olds, clusterId: "c2" }, strict).deleteBeforeReplace).toBe(true);
    expect(diffProperties(olds, { ...olds, waitTimeoutMinutes: 1 }, strict).deleteBeforeReplace).toBe(false);
  });
});

describe("parseInputs", () => {
  it("ignores computed outputs stored next to the inputs", () => {
    expect(
      parseInputs(schema, { clusterId: "c1", targetVersion: "v1.30", taskId: "t", __provider: "p" }, "x"),
    ).toEqual({
      clusterId: "c1",
      targetVersion: "v1.30",
    });
  });

  it("throws an InputError listing the problems", () => {
    expect(() => parseInputs(schema, { clusterId: "", targetVersion: "x" }, "cce.Thing")).toThrow(
      /cce\.Thing: invalid arguments[\s\S]*clusterId[\s\S]*targetVersion/,
    );
  });
});

describe("configuration", () => {
  afterEach(() => resetConfiguredSettings());

  it("maps upgrade-guard:* keys to client settings, the shared endpoint serving every cloud", () => {
    const settings = settingsFromConfig({
      region: "cn-north-4",
      projectId: "p1",
      accessKey: "AK",
      secretKey: "SK-planted-0001",
      alibabaRegion: "cn-hangzhou",
      alibabaAccessKeyId: "LTAI",
      alibabaAccessKeySecret: "ALI-planted-0002",
      endpoint: "http://127.0.0.1:9",
      ackEndpoint: "http://127.0.0.1:10",
    });
    expect(settings.cce).toEqual({
      region: "cn-north-4",
      projectId: "p1",
      accessKey: "AK",
      secretKey: "SK-planted-0001",
      endpoint: "http://127.0.0.1:9",
      iamEndpoint: "http://127.0.0.1:9",
      // The shared endpoint (the emulator) also serves the metadata service, as it serves IAM.
      metadataEndpoint: "http://127.0.0.1:9",
    });
    expect(settings.ack).toEqual({
      region: "cn-hangzhou",
      accessKeyId: "LTAI",
      accessKeySecret: "ALI-planted-0002",
      endpoint: "http://127.0.0.1:10",
      stsEndpoint: "http://127.0.0.1:9",
      metadataEndpoint: "http://127.0.0.1:9",
    });
  });

  it("registers every secret key with redact as soon as it is read", () => {
    const secrets = CONFIG_KEYS.filter((k) => k.secret).map(
      (k) => [k.key, `planted-${k.key}-value`] as const,
    );
    settingsFromConfig(Object.fromEntries(secrets));
    for (const [, value] of secrets) expect(redact(`leak ${value} here`)).not.toContain(value);
  });

  it("every field of the clients' tables has a key, and each key reaches its field", () => {
    const fields = [...Object.keys(CCE_ENV), ...Object.keys(ACK_ENV)].length;
    // Each field's own key, two aliases, the shared endpoint and the shared rate limit.
    expect(CONFIG_KEYS).toHaveLength(fields + 4);
    expect(new Set(CONFIG_KEYS.map((k) => k.key)).size).toBe(CONFIG_KEYS.length);
    for (const [cloud, table] of [
      ["cce", CCE_ENV],
      ["ack", ACK_ENV],
    ] as const) {
      for (const [field, spec] of Object.entries(table)) {
        const key = spec.pulumiKey ?? field;
        const settings = settingsFromConfig({ [key]: `value-of-${key}` }) as unknown as Record<
          string,
          Record<string, string>
        >;
        expect(settings[cloud]?.[field]).toBe(`value-of-${key}`);
        expect(CONFIG_KEYS.find((k) => k.key === key)).toMatchObject({ secret: spec.secret === true });
      }
    }
  });

  it("accepts accessKeyId/accessKeySecret as aliases of the Alibaba keys", () => {
    expect(settingsFromConfig({ accessKeyId: "id", accessKeySecret: "secret-x" }).ack).toMatchObject({
      accessKeyId: "id",
      accessKeySecret: "secret-x",
    });
  });

  it("keeps what configure received, read through the namespaced keys", async () => {
    const seen: string[] = [];
    const config = {
      get: (key: string) => {
        seen.push(key);
        return key === "upgrade-guard:region"
          ? "ap-southeast-1"
          : key === "other:region"
            ? "wrong"
            : undefined;
      },
    };
    await dispatch("cceClusterPrecheck", "setUp", [{ config }]);
    expect(configuredSettings().cce).toEqual({ region: "ap-southeast-1" });
    expect(seen.every((key) => key.startsWith("upgrade-guard:"))).toBe(true);
  });
});

describe("dispatch", () => {
  it("routes by arity: two arguments to check, three to diff, one to create", async () => {
    const check = (await dispatch("cceUpgradeWorkflow", "setUp", [{}, { clusterId: "" }])) as {
      failures: { property: string }[];
    };
    expect(check.failures.map((f) => f.property).sort()).toEqual(["clusterId", "targetVersion"]);
    const diff = await dispatch("cceUpgradeWorkflow", "inspect", [
      "wf",
      { clusterId: "c1", targetVersion: "v1.30" },
      { clusterId: "c1", targetVersion: "v1.31" },
    ]);
    expect(diff).toMatchObject({ changes: true, replaces: ["targetVersion"] });
    await expect(dispatch("cceUpgradeWorkflow", "setUp", [{ clusterId: "" }])).rejects.toThrow(/clusterId/);
  });

  it("rejects an unknown resource name", async () => {
    await expect(dispatch("nope" as "cceClusterPrecheck", "setUp", [{}])).rejects.toThrow(/unknown resource/);
  });
});

describe("helpers", () => {
  it("drops undefined members at any depth", () => {
    expect(compact({ a: 1, b: undefined, c: [{ d: undefined, e: 2 }] })).toEqual({ a: 1, c: [{ e: 2 }] });
  });

  it("derives the deadline from the timeout and fixes the interval only when asked", () => {
    expect(waitTiming(undefined, 30, {})).toEqual({ deadlineMs: 1_800_000 });
    expect(waitTiming(0.5, 30, { UPGRADE_GUARD_POLL_INTERVAL_MS: "25" })).toEqual({
      deadlineMs: 30_000,
      initialIntervalMs: 25,
      maxIntervalMs: 25,
    });
    expect(waitTiming(1, 30, { UPGRADE_GUARD_POLL_INTERVAL_MS: "soon" })).toEqual({ deadlineMs: 60_000 });
  });
});
