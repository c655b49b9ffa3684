import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import {
  ackCredentialSourceSchema,
  cceCredentialSourceSchema,
  resolveAckCredentialSource,
  resolveCceCredentialSource,
} from "../../src/auth/credential-source";
import { type ConfigError } from "../../src/errors";
import { MASK, clearRegisteredSecrets, redact } from "../../src/internal/redact";
import { configError } from "./helpers";

// Made-up values in the shapes of real keys (the pasted-key checks need the shapes), plainly fake.
const ALI_AK = "LTAIEXAMPLEFAKEKEY0001";
const ALI_SK = "FakeAlibabaSecret0123456789xx";
const ALI_STS = "CAIS-sts-token-value-9f8e7d";
const HW_AK = "FAKEHWACCESSKEY00001";
const HW_SK = "FakeHuaweiSecretKey000000000000000000001";
const HW_TOKEN = "fake-hw-security-token-0001";
const SECRETS = [ALI_AK, ALI_SK, ALI_STS, HW_AK, HW_SK, HW_TOKEN];

/**
 * No secret in anything the error shows, and no mask either: the message must never have held a
 * secret in the first place, not merely have had it redacted.
 */
function expectNoSecrets(error: ConfigError, secrets: readonly string[] = SECRETS): void {
  for (const text of [error.message, JSON.stringify(error), String(error), error.stack ?? ""]) {
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain(MASK);
  }
}

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "upgrade-guard-credsrc-"));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  clearRegisteredSecrets();
});

function writeJson(path: string, value: unknown): string {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value, null, 2));
  return path;
}

const aliyunProfile = (over: Record<string, unknown>) => ({
  name: "tenant-b",
  mode: "AK",
  access_key_id: ALI_AK,
  access_key_secret: ALI_SK,
  sts_token: "",
  ram_role_arn: "",
  region_id: "cn-shanghai",
  output_format: "json",
  language: "en",
  ...over,
});

function writeAliyun(profiles: unknown[], path = join(home, ".aliyun", "config.json")): string {
  return writeJson(path, { current: "default", profiles, meta_path: "" });
}

const hcloudProfile = (over: Record<string, unknown>) => ({
  name: "tenant-b",
  mode: "AKSK",
  accessKeyId: HW_AK,
  secretAccessKey: HW_SK,
  securityToken: "",
  region: "ap-southeast-3",
  projectId: "0123456789abcdef0123456789abcdef",
  domainId: "",
  readTimeout: 10,
  connectTimeout: 5,
  retryCount: 0,
  ...over,
});

function writeHcloud(profiles: unknown[], extra: Record<string, unknown> = {}): string {
  return writeJson(join(home, ".hcloud", "config.json"), {
    language: "en",
    current: "tenant-b",
    profiles,
    ...extra,
  });
}

describe("resolveAckCredentialSource: environment variables", () => {
  const env = { TENANT_B_AK: ALI_AK, TENANT_B_SK: ` ${ALI_SK}\n`, TENANT_B_STS: ALI_STS };

  it("reads the named variables, trimmed", () => {
    expect(
      resolveAckCredentialSource({ accessKeyIdEnv: "TENANT_B_AK", accessKeySecretEnv: "TENANT_B_SK" }, env),
    ).toEqual({ accessKeyId: ALI_AK, accessKeySecret: ALI_SK });
  });

  it("adds the security token when one is named", () => {
    const settings = resolveAckCredentialSource(
      { accessKeyIdEnv: "TENANT_B_AK", accessKeySecretEnv: "TENANT_B_SK", securityTokenEnv: "TENANT_B_STS" },
      env,
    );
    expect(settings).toEqual({ accessKeyId: ALI_AK, accessKeySecret: ALI_SK, securityToken: ALI_STS });
  });

  it("registers every value read, so later messages mask it", () => {
    resolveAckCredentialSource(
      { accessKeyIdEnv: "TENANT_B_AK", accessKeySecretEnv: "TENANT_B_SK", securityTokenEnv: "TENANT_B_STS" },
      env,
    );
    expect(redact(`id ${ALI_AK} secret ${ALI_SK} token ${ALI_STS}`)).toBe(
      `id ${MASK} secret ${MASK} token ${MASK}`,
    );
  });

  it("reads process.env at call time by default", () => {
    const saved = process.env["UG_TEST_ACK_SK"];
    try {
      process.env["UG_TEST_ACK_SK"] = "first-secret";
      const source = { accessKeyIdEnv: "UG_TEST_ACK_AK", accessKeySecretEnv: "UG_TEST_ACK_SK" };
      process.env["UG_TEST_ACK_AK"] = "id-1";
      expect(resolveAckCredentialSource(source).accessKeySecret).toBe("first-secret");
      process.env["UG_TEST_ACK_SK"] = "second-secret";
      expect(resolveAckCredentialSource(source).accessKeySecret).toBe("second-secret");
    } finally {
      Reflect.deleteProperty(process.env, "UG_TEST_ACK_AK");
      if (saved === undefined) Reflect.deleteProperty(process.env, "UG_TEST_ACK_SK");
      else process.env["UG_TEST_ACK_SK"] = saved;
    }
  });

  it("names every unset or empty variable at once, with the field and the fix", () => {
    const error = configError(() =>
      resolveAckCredentialSource(
        { accessKeyIdEnv: "TENANT_B_AK", accessKeySecretEnv: "MISSING_SK", securityTokenEnv: "EMPTY_STS" },
        { TENANT_B_AK: ALI_AK, EMPTY_STS: "  " },
      ),
    );
    expect(error.code).toBe("CONFIG_MISSING");
    expect(error.message).toContain(
      "environment variable MISSING_SK (named by accessKeySecretEnv) is not set — set it to the AccessKey secret, " +
        "or change accessKeySecretEnv to the variable that holds it",
    );
    expect(error.message).toContain("environment variable EMPTY_STS (named by securityTokenEnv) is empty");
    expect(error.settings).toEqual(["MISSING_SK", "EMPTY_STS"]);
    expectNoSecrets(error);
  });

  it.each([
    ["a base64 secret", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzz=="],
    ["an Alibaba key id", ALI_AK],
    ["an Alibaba key secret", ALI_SK],
    ["a Huawei secret key", HW_SK],
    ["a secret with a dash", "abc-def-ghi-jkl"],
  ])("refuses %s pasted in place of a name, without echoing it", (_name, pasted) => {
    const error = configError(() =>
      resolveAckCredentialSource({ accessKeyIdEnv: "TENANT_B_AK", accessKeySecretEnv: pasted }, env),
    );
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain("accessKeySecretEnv — must be the name of an environment variable");
    expect(error.message).toContain(
      "Put the secret in an environment variable and give that variable's name here",
    );
    expectNoSecrets(error, [...SECRETS, pasted]);
  });

  it.each(["TENANT_B_SK", "tenant_b_sk", "_SK", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "SK2"])(
    "accepts the variable name %s",
    (name) => {
      expect(
        ackCredentialSourceSchema.safeParse({ accessKeyIdEnv: "A", accessKeySecretEnv: name }).success,
      ).toBe(true);
    },
  );

  it.each([
    [
      "a missing half",
      { accessKeyIdEnv: "TENANT_B_AK" },
      "accessKeySecretEnv — Invalid input: expected string, received undefined",
    ],
    [
      "an unknown key",
      { accessKeyIdEnv: "A", accessKeySecretEnv: "B", regionEnv: "R" },
      'Unrecognized key: "regionEnv"',
    ],
    ["a non-object", "TENANT_B_AK", "a credential source must be an object: either {accessKeyIdEnv"],
    ["an empty object", {}, "accessKeyIdEnv — Invalid input"],
  ])("explains %s", (_name, source, expected) => {
    const error = configError(() => resolveAckCredentialSource(source, env));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain("ACK credential source is invalid");
    expect(error.message).toContain(expected);
    expectNoSecrets(error);
  });
});

describe("resolveAckCredentialSource: aliyun CLI profile", () => {
  it("reads an AK profile from ~/.aliyun/config.json, with its region", () => {
    writeAliyun([aliyunProfile({ name: "default", access_key_id: "other-id" }), aliyunProfile({})]);
    expect(resolveAckCredentialSource({ profile: "tenant-b" }, {}, { homeDir: home })).toEqual({
      accessKeyId: ALI_AK,
      accessKeySecret: ALI_SK,
      region: "cn-shanghai",
    });
  });

  it("ignores a leftover sts_token in an AK profile, as the aliyun CLI does", () => {
    writeAliyun([aliyunProfile({ sts_token: ALI_STS, region_id: "" })]);
    expect(resolveAckCredentialSource({ profile: "tenant-b" }, {}, { homeDir: home })).toEqual({
      accessKeyId: ALI_AK,
      accessKeySecret: ALI_SK,
    });
  });

  it("reads a StsToken profile with its token, and registers all three", () => {
    writeAliyun([aliyunProfile({ mode: "StsToken", sts_token: ALI_STS })]);
    expect(resolveAckCredentialSource({ profile: "tenant-b" }, {}, { homeDir: home })).toEqual({
      accessKeyId: ALI_AK,
      accessKeySecret: ALI_SK,
      securityToken: ALI_STS,
      region: "cn-shanghai",
    });
    expect(redact(`${ALI_AK} ${ALI_SK} ${ALI_STS}`)).toBe(`${MASK} ${MASK} ${MASK}`);
  });

  it("reads the file given, absolute or under ~/", () => {
    const absolute = writeAliyun([aliyunProfile({})], join(home, "elsewhere", "aliyun.json"));
    expect(resolveAckCredentialSource({ profile: "tenant-b", file: absolute }, {}).accessKeyId).toBe(ALI_AK);
    expect(
      resolveAckCredentialSource(
        { profile: "tenant-b", file: "~/elsewhere/aliyun.json" },
        {},
        { homeDir: home },
      ).accessKeySecret,
    ).toBe(ALI_SK);
  });

  it("refuses a relative file path", () => {
    const error = configError(() =>
      resolveAckCredentialSource({ profile: "tenant-b", file: "aliyun.json" }, {}),
    );
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain("file — must be an absolute path or start with ~/");
  });

  it("names the missing file and how to create the profile", () => {
    const error = configError(() =>
      resolveAckCredentialSource({ profile: "tenant-b" }, {}, { homeDir: home }),
    );
    expect(error.code).toBe("CONFIG_MISSING");
    expect(error.message).toContain(
      `aliyun CLI configuration file ${join(home, ".aliyun", "config.json")} does not exist`,
    );
    expect(error.message).toContain("`aliyun configure --profile tenant-b --mode AK`");
    expect(error.message).toContain('or set "file" to where the file is');
  });

  it("names a file it cannot read", () => {
    mkdirSync(join(home, "a-directory"));
    const error = configError(() =>
      resolveAckCredentialSource({ profile: "tenant-b", file: join(home, "a-directory") }, {}),
    );
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain(`${join(home, "a-directory")} cannot be read (EISDIR)`);
  });

  it("reports malformed JSON without quoting the file, which holds the keys", () => {
    writeJson(
      join(home, ".aliyun", "config.json"),
      `{"profiles": [{"name": "tenant-b", "access_key_id": "${ALI_AK}", "access_key_secret": ${ALI_SK}}]}`,
    );
    const error = configError(() =>
      resolveAckCredentialSource({ profile: "tenant-b" }, {}, { homeDir: home }),
    );
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain("is not valid JSON — repair it or recreate the profile with");
    expectNoSecrets(error);
  });

  it("refuses a JSON file that is not an aliyun configuration", () => {
    writeJson(join(home, ".aliyun", "config.json"), { hello: "world" });
    const error = configError(() =>
      resolveAckCredentialSource({ profile: "tenant-b" }, {}, { homeDir: home }),
    );
    expect(error.message).toContain('has no "profiles" list');
  });

  it("names a missing profile and the profiles there are", () => {
    writeAliyun([aliyunProfile({ name: "default" }), aliyunProfile({ name: "prod" })]);
    const error = configError(() =>
      resolveAckCredentialSource({ profile: "tenant-b" }, {}, { homeDir: home }),
    );
    expect(error.code).toBe("CONFIG_MISSING");
    expect(error.message).toContain('aliyun CLI profile "tenant-b" is not in');
    expect(error.message).toContain(
      '(it has "default", "prod") — create it with `aliyun configure --profile tenant-b',
    );
    expectNoSecrets(error);
  });

  it.each(["CloudSSO", "OAuth", undefined])("refuses mode %s, naming the modes it reads", (mode) => {
    writeAliyun([aliyunProfile({ mode, ram_role_arn: "acs:ram::123:role/x" })]);
    const error = configError(() =>
      resolveAckCredentialSource({ profile: "tenant-b" }, {}, { homeDir: home }),
    );
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain(`has mode ${mode === undefined ? "(none)" : `"${mode}"`}`);
    expect(error.message).toContain(
      "upgrade-guard reads only AK, StsToken, RamRoleArn and EcsRamRole profiles",
    );
    expectNoSecrets(error);
  });

  it("names the key fields a profile lacks", () => {
    writeAliyun([aliyunProfile({ access_key_secret: "" })]);
    const error = configError(() =>
      resolveAckCredentialSource({ profile: "tenant-b" }, {}, { homeDir: home }),
    );
    expect(error.code).toBe("CONFIG_MISSING");
    expect(error.message).toContain(
      'aliyun CLI profile "tenant-b" in ' +
        `${join(home, ".aliyun", "config.json")} has no access_key_secret — set it with ` +
        "`aliyun configure --profile tenant-b --mode AK`",
    );
    expectNoSecrets(error);
  });

  it("requires the token of a StsToken profile", () => {
    writeAliyun([aliyunProfile({ mode: "StsToken", access_key_id: "", sts_token: "" })]);
    const error = configError(() =>
      resolveAckCredentialSource({ profile: "tenant-b" }, {}, { homeDir: home }),
    );
    expect(error.message).toContain("has no access_key_id, sts_token — set it with");
    expect(error.message).toContain("--mode StsToken");
    expectNoSecrets(error);
  });

  it("refuses a key field that is not a string, without showing it", () => {
    writeAliyun([aliyunProfile({ access_key_secret: 123456789 })]);
    const error = configError(() =>
      resolveAckCredentialSource({ profile: "tenant-b" }, {}, { homeDir: home }),
    );
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain("its access_key_secret is not a string");
    expect(error.message).not.toContain("123456789");
  });
});

describe("resolveCceCredentialSource: environment variables", () => {
  const env = { B_AK: HW_AK, B_SK: HW_SK, B_TOKEN: HW_TOKEN, B_PROJECT: "proj-0123" };

  it("reads the named variables", () => {
    expect(resolveCceCredentialSource({ accessKeyEnv: "B_AK", secretKeyEnv: "B_SK" }, env)).toEqual({
      accessKey: HW_AK,
      secretKey: HW_SK,
    });
  });

  it("adds the security token and the project id when they are named", () => {
    const settings = resolveCceCredentialSource(
      { accessKeyEnv: "B_AK", secretKeyEnv: "B_SK", securityTokenEnv: "B_TOKEN", projectIdEnv: "B_PROJECT" },
      env,
    );
    expect(settings).toEqual({
      accessKey: HW_AK,
      secretKey: HW_SK,
      securityToken: HW_TOKEN,
      projectId: "proj-0123",
    });
    expect(redact(`${HW_AK} ${HW_SK} ${HW_TOKEN}`)).toBe(`${MASK} ${MASK} ${MASK}`);
    // The project id is not a secret: messages may show it.
    expect(redact("project proj-0123")).toBe("project proj-0123");
  });

  it("names the missing variables, with the field and the fix", () => {
    const error = configError(() =>
      resolveCceCredentialSource(
        { accessKeyEnv: "B_AK", secretKeyEnv: "NO_SK", projectIdEnv: "NO_PROJECT" },
        { B_AK: HW_AK },
      ),
    );
    expect(error.code).toBe("CONFIG_MISSING");
    expect(error.message).toContain(
      "environment variable NO_SK (named by secretKeyEnv) is not set — set it to the secret key (SK)",
    );
    expect(error.message).toContain("environment variable NO_PROJECT (named by projectIdEnv) is not set");
    expectNoSecrets(error);
  });

  it("refuses a secret key pasted in place of a name, without echoing it", () => {
    const error = configError(() =>
      resolveCceCredentialSource({ accessKeyEnv: HW_AK, secretKeyEnv: HW_SK }, env),
    );
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain("accessKeyEnv — must be the name of an environment variable");
    expect(error.message).toContain("secretKeyEnv — must be the name of an environment variable");
    expectNoSecrets(error);
  });

  it("reports the profile form's problems when a profile was meant", () => {
    const error = configError(() =>
      resolveCceCredentialSource({ profile: "tenant-b", accessKeyEnv: "B_AK" }, env),
    );
    expect(error.message).toContain('Unrecognized key: "accessKeyEnv"');
  });
});

describe("resolveCceCredentialSource: KooCLI profile", () => {
  it("reads an AKSK profile from ~/.hcloud/config.json, with its region and project id", () => {
    writeHcloud([hcloudProfile({ name: "default", accessKeyId: "other" }), hcloudProfile({})]);
    expect(resolveCceCredentialSource({ profile: "tenant-b" }, {}, { homeDir: home })).toEqual({
      accessKey: HW_AK,
      secretKey: HW_SK,
      region: "ap-southeast-3",
      projectId: "0123456789abcdef0123456789abcdef",
    });
    expect(redact(`${HW_AK} ${HW_SK}`)).toBe(`${MASK} ${MASK}`);
  });

  it("adds a temporary profile's security token", () => {
    writeHcloud([hcloudProfile({ securityToken: HW_TOKEN, projectId: "" })], { authEncrypt: "false" });
    expect(resolveCceCredentialSource({ profile: "tenant-b" }, {}, { homeDir: home })).toEqual({
      accessKey: HW_AK,
      secretKey: HW_SK,
      securityToken: HW_TOKEN,
      region: "ap-southeast-3",
    });
    expect(redact(HW_TOKEN)).toBe(MASK);
  });

  it.each([
    ['authEncrypt: "true"', { authEncrypt: "true" }],
    ["authEncrypt: true", { authEncrypt: true }],
    ["a crypter (older KooCLI)", { crypter: "ukV7cEW+x7gdBu2Q", nonce: "BFpEvOxq0RkT" }],
  ])("refuses a file whose keys are encrypted (%s)", (_name, extra) => {
    writeHcloud([hcloudProfile({})], extra);
    const error = configError(() =>
      resolveCceCredentialSource({ profile: "tenant-b" }, {}, { homeDir: home }),
    );
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain("stores its keys encrypted, which upgrade-guard cannot read");
    expect(error.message).toContain("name environment variables instead (accessKeyEnv, secretKeyEnv)");
    expectNoSecrets(error);
  });

  it('reads a file whose authEncrypt is "false", whatever else it carries', () => {
    writeHcloud([hcloudProfile({})], { authEncrypt: "false", crypter: "unused" });
    expect(resolveCceCredentialSource({ profile: "tenant-b" }, {}, { homeDir: home }).accessKey).toBe(HW_AK);
  });

  it.each(["SSO", "ecsAgency", "token"])("refuses mode %s, naming the mode it reads", (mode) => {
    writeHcloud([hcloudProfile({ mode })]);
    const error = configError(() =>
      resolveCceCredentialSource({ profile: "tenant-b" }, {}, { homeDir: home }),
    );
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain(`has mode "${mode}"; upgrade-guard reads only AKSK profiles`);
    expectNoSecrets(error);
  });

  it("names the key fields a profile lacks and the command that sets them", () => {
    writeHcloud([hcloudProfile({ accessKeyId: "", secretAccessKey: "" })]);
    const error = configError(() =>
      resolveCceCredentialSource({ profile: "tenant-b" }, {}, { homeDir: home }),
    );
    expect(error.code).toBe("CONFIG_MISSING");
    expect(error.message).toContain(
      "has no accessKeyId, secretAccessKey — set it with `hcloud configure set --cli-profile=tenant-b`",
    );
  });

  it("names a missing profile, file and malformed file", () => {
    expect(
      configError(() => resolveCceCredentialSource({ profile: "tenant-b" }, {}, { homeDir: home })).message,
    ).toContain(`KooCLI configuration file ${join(home, ".hcloud", "config.json")} does not exist`);

    writeHcloud([]);
    expect(
      configError(() => resolveCceCredentialSource({ profile: "tenant-b" }, {}, { homeDir: home })).message,
    ).toContain('KooCLI profile "tenant-b" is not in');

    writeJson(join(home, ".hcloud", "config.json"), `{"profiles": [{"secretAccessKey": "${HW_SK}",`);
    const error = configError(() =>
      resolveCceCredentialSource({ profile: "tenant-b" }, {}, { homeDir: home }),
    );
    expect(error.message).toContain("is not valid JSON");
    expectNoSecrets(error);
  });
});

describe("credential source schemas", () => {
  it.each([
    ["ACK", ackCredentialSourceSchema],
    ["CCE", cceCredentialSourceSchema],
  ])("%s converts to draft-07 JSON Schema inline, with descriptions", (_cloud, schema) => {
    // Embedded twice, as a policy config with several accounts would.
    const config = z.strictObject({
      accounts: z.array(z.strictObject({ name: z.string(), credentials: schema })),
      main: schema,
    });
    for (const target of [schema, config]) {
      const json = z.toJSONSchema(target, { io: "input", target: "draft-07" });
      const text = JSON.stringify(json);
      expect(text).not.toContain("$ref");
      expect(text).not.toContain("definitions");
      expect(text).not.toContain("$defs");
    }
    const json = z.toJSONSchema(schema, { io: "input", target: "draft-07" }) as {
      anyOf: Array<{ properties: Record<string, { description?: string; pattern?: string }> }>;
      description: string;
    };
    expect(json.description).toContain("Never the keys themselves");
    expect(json.anyOf).toHaveLength(2);
    const [envForm, profileForm] = json.anyOf;
    for (const property of Object.values(envForm?.properties ?? {})) {
      expect(property.pattern).toBe("^[A-Za-z_][A-Za-z0-9_]*$");
      expect(property.description).toContain("The value itself never goes here");
    }
    expect(Object.keys(profileForm?.properties ?? {})).toEqual(["profile", "file"]);
  });
});
