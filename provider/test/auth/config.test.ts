import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveAckConfig, resolveCceConfig } from "../../src/auth/config";
import { clearRegisteredSecrets, redact } from "../../src/internal/redact";
import { configError } from "./helpers";

const CCE_ENV_AKSK = {
  HW_REGION_NAME: "cn-north-4",
  HUAWEICLOUD_SDK_PROJECT_ID: "0123456789abcdef0123456789abcdef",
  HUAWEICLOUD_SDK_AK: "AK-FROM-ENV",
  HUAWEICLOUD_SDK_SK: "SK-FROM-ENV-secret",
};
const ACK_ENV_AK = {
  ALIBABA_CLOUD_REGION_ID: "cn-hangzhou",
  ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAI-FROM-ENV",
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: "ali-secret-from-env",
};

afterEach(() => clearRegisteredSecrets());

describe("resolveCceConfig: resolution order", () => {
  it.each([
    [
      "explicit wins over Pulumi and env",
      { region: "ap-southeast-1" },
      { region: "ap-southeast-2" },
      "ap-southeast-1",
    ],
    ["Pulumi wins over env", undefined, { region: "ap-southeast-2" }, "ap-southeast-2"],
    ["env when neither is set", undefined, undefined, "cn-north-4"],
    ["explicit undefined falls through", { region: undefined }, { region: "la-south-2" }, "la-south-2"],
  ])("%s", (_name, explicit, fromPulumi, expected) => {
    const config = resolveCceConfig(explicit as never, fromPulumi as never, CCE_ENV_AKSK);
    expect(config.region).toBe(expected);
  });

  it("resolves each field on its own (the key pair from one layer)", () => {
    const config = resolveCceConfig(
      { accessKey: "AK-EXPLICIT", secretKey: "SK-EXPLICIT-secret" },
      { projectId: "pulumi-project" },
      CCE_ENV_AKSK,
    );
    expect(config.projectId).toBe("pulumi-project");
    expect(config.credentials).toEqual({
      kind: "aksk",
      accessKey: "AK-EXPLICIT",
      secretKey: "SK-EXPLICIT-secret",
    });
  });

  it("reads the environment at call time, from process.env by default", () => {
    const touched = Object.keys(CCE_ENV_AKSK);
    const saved = touched.map((key) => [key, process.env[key]] as const);
    try {
      Object.assign(process.env, CCE_ENV_AKSK, { HW_REGION_NAME: "cn-east-3" });
      expect(resolveCceConfig().region).toBe("cn-east-3");
      process.env["HW_REGION_NAME"] = "cn-south-1";
      expect(resolveCceConfig().region).toBe("cn-south-1");
    } finally {
      for (const [key, value] of saved) {
        if (value === undefined) Reflect.deleteProperty(process.env, key);
        else process.env[key] = value;
      }
    }
  });

  it("trims values and treats empty environment variables as unset", () => {
    const config = resolveCceConfig(undefined, undefined, {
      ...CCE_ENV_AKSK,
      HW_REGION_NAME: "",
      HUAWEICLOUD_SDK_REGION: " cn-north-9 \n",
    });
    expect(config.region).toBe("cn-north-9");
  });

  it("rejects an explicitly empty setting", () => {
    const error = configError(() => resolveCceConfig({ region: "  " }, undefined, CCE_ENV_AKSK));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain("region (from setting region) is empty");
  });
});

describe("resolveCceConfig: environment aliases", () => {
  const base = { HW_REGION_NAME: "cn-north-4", HW_PROJECT_ID: "p1" };
  it.each([
    [
      "HUAWEICLOUD_SDK_AK/SK",
      { HUAWEICLOUD_SDK_AK: "ak1", HUAWEICLOUD_SDK_SK: "sk1-secret" },
      "ak1",
      "sk1-secret",
    ],
    [
      "HW_ACCESS_KEY/HW_SECRET_KEY",
      { HW_ACCESS_KEY: "ak2", HW_SECRET_KEY: "sk2-secret" },
      "ak2",
      "sk2-secret",
    ],
    [
      "SDK names before Terraform names",
      {
        HUAWEICLOUD_SDK_AK: "ak1",
        HUAWEICLOUD_SDK_SK: "sk1-secret",
        HW_ACCESS_KEY: "ak2",
        HW_SECRET_KEY: "sk2-secret",
      },
      "ak1",
      "sk1-secret",
    ],
  ])("%s", (_name, env, accessKey, secretKey) => {
    expect(resolveCceConfig(undefined, undefined, { ...base, ...env }).credentials).toEqual({
      kind: "aksk",
      accessKey,
      secretKey,
    });
  });

  it.each([
    [
      "HUAWEICLOUD_SDK_PROJECT_ID",
      { HUAWEICLOUD_SDK_PROJECT_ID: "sdk-project", HW_PROJECT_ID: "tf-project" },
      "sdk-project",
    ],
    ["HW_PROJECT_ID", { HW_PROJECT_ID: "tf-project" }, "tf-project"],
  ])("project id from %s", (_name, env, expected) => {
    const config = resolveCceConfig(undefined, undefined, {
      HW_REGION_NAME: "cn-north-4",
      HW_AUTH_TOKEN: "tok-abcdef",
      ...env,
    });
    expect(config.projectId).toBe(expected);
  });

  it.each([
    ["HW_REGION_NAME", { HW_REGION_NAME: "cn-north-4", HUAWEICLOUD_SDK_REGION: "cn-east-3" }, "cn-north-4"],
    ["HUAWEICLOUD_SDK_REGION", { HUAWEICLOUD_SDK_REGION: "cn-east-3" }, "cn-east-3"],
  ])("region from %s", (_name, env, expected) => {
    expect(
      resolveCceConfig(undefined, undefined, { HW_PROJECT_ID: "p", HW_AUTH_TOKEN: "tok-abcdef", ...env })
        .region,
    ).toBe(expected);
  });

  it.each([
    [
      "HUAWEICLOUD_SDK_SECURITY_TOKEN",
      { HUAWEICLOUD_SDK_SECURITY_TOKEN: "sts-1-abcdef", HW_SECURITY_TOKEN: "sts-2-abcdef" },
      "sts-1-abcdef",
    ],
    ["HW_SECURITY_TOKEN", { HW_SECURITY_TOKEN: "sts-2-abcdef" }, "sts-2-abcdef"],
  ])("security token from %s", (_name, env, expected) => {
    const config = resolveCceConfig(undefined, undefined, { ...CCE_ENV_AKSK, ...env });
    expect(config.credentials).toMatchObject({ kind: "aksk", securityToken: expected });
  });

  it("takes a ready token from HW_AUTH_TOKEN", () => {
    expect(
      resolveCceConfig(undefined, undefined, { ...base, HW_AUTH_TOKEN: "MIIready-token" }).credentials,
    ).toEqual({
      kind: "token",
      token: "MIIready-token",
    });
  });

  it("takes a password login from HW_USER_NAME, HW_USER_PASSWORD and HW_DOMAIN_NAME", () => {
    const config = resolveCceConfig(undefined, undefined, {
      ...base,
      HW_USER_NAME: "ops",
      HW_USER_PASSWORD: "pw-secret-1",
      HW_DOMAIN_NAME: "acme",
    });
    expect(config.credentials).toEqual({
      kind: "password",
      userName: "ops",
      password: "pw-secret-1",
      domainName: "acme",
    });
  });
});

describe("resolveCceConfig: credential kinds", () => {
  const base = { region: "cn-north-4", projectId: "p1" };
  it("prefers AK/SK over a token over a password", () => {
    const all = {
      ...base,
      accessKey: "ak",
      secretKey: "sk-secret",
      authToken: "tok-abcdef",
      userName: "u",
      password: "pw-secret",
      domainName: "d",
    };
    expect(resolveCceConfig(all).credentials.kind).toBe("aksk");
    const { accessKey: _a, secretKey: _s, ...noAkSk } = all;
    expect(resolveCceConfig(noAkSk).credentials.kind).toBe("token");
    const { authToken: _t, ...passwordOnly } = noAkSk;
    expect(resolveCceConfig(passwordOnly).credentials.kind).toBe("password");
  });

  it("rejects an access key without its secret key, naming the missing half", () => {
    const error = configError(() =>
      resolveCceConfig({ ...base, accessKey: "ak", authToken: "tok-abcdef" }, undefined, {}),
    );
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain("secretKey");
    expect(error.message).toContain("HUAWEICLOUD_SDK_SK or HW_SECRET_KEY");
    expect(error.message).toContain("upgrade-guard:secretKey");
    expect(error.settings).toEqual(
      expect.arrayContaining(["HUAWEICLOUD_SDK_SK", "HW_SECRET_KEY", "upgrade-guard:secretKey"]),
    );
  });

  it("rejects a secret key without its access key", () => {
    const error = configError(() => resolveCceConfig(base, undefined, { HW_SECRET_KEY: "sk-only-secret" }));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain("HW_SECRET_KEY is set but its other half is not: set accessKey");
  });

  it("rejects a partial password login, naming what is missing", () => {
    const error = configError(() => resolveCceConfig({ ...base, userName: "ops" }, undefined, {}));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain("password (environment variable HW_USER_PASSWORD");
    expect(error.message).toContain("domainName (environment variable HW_DOMAIN_NAME");
  });

  it("pairs a security token only with the access key of the same layer", () => {
    const config = resolveCceConfig(
      { ...base, accessKey: "ak-long-term", secretKey: "sk-long-term" },
      undefined,
      {
        HUAWEICLOUD_SDK_SECURITY_TOKEN: "stray-sts-token",
      },
    );
    expect(config.credentials).toEqual({
      kind: "aksk",
      accessKey: "ak-long-term",
      secretKey: "sk-long-term",
    });
  });
});

describe("resolveCceConfig: endpoints", () => {
  const env = { ...CCE_ENV_AKSK };
  it("defaults to the regional CCE and IAM endpoints", () => {
    const config = resolveCceConfig(undefined, undefined, env);
    expect(config.endpoint).toBe("https://cce.cn-north-4.myhuaweicloud.com");
    expect(config.iamEndpoint).toBe("https://iam.cn-north-4.myhuaweicloud.com");
  });

  it("uses the .eu domain for eu-west-101", () => {
    const config = resolveCceConfig({ region: "eu-west-101" }, undefined, env);
    expect(config.endpoint).toBe("https://cce.eu-west-101.myhuaweicloud.eu");
    expect(config.iamEndpoint).toBe("https://iam.eu-west-101.myhuaweicloud.eu");
  });

  it.each([
    [
      "explicit beats everything",
      { endpoint: "https://explicit.example.com/", iamEndpoint: "https://iam-explicit.example.com" },
      { UPGRADE_GUARD_CCE_ENDPOINT: "http://127.0.0.1:1", UPGRADE_GUARD_ENDPOINT: "http://127.0.0.1:2" },
      "https://explicit.example.com",
      "https://iam-explicit.example.com",
    ],
    [
      "per-cloud variables beat UPGRADE_GUARD_ENDPOINT",
      {},
      {
        UPGRADE_GUARD_CCE_ENDPOINT: "http://127.0.0.1:1",
        UPGRADE_GUARD_IAM_ENDPOINT: "http://127.0.0.1:3",
        UPGRADE_GUARD_ENDPOINT: "http://127.0.0.1:2",
      },
      "http://127.0.0.1:1",
      "http://127.0.0.1:3",
    ],
    [
      "UPGRADE_GUARD_ENDPOINT sends every cloud to one address",
      {},
      {
        UPGRADE_GUARD_ENDPOINT: "http://127.0.0.1:8080/",
        HUAWEICLOUD_SDK_IAM_ENDPOINT: "https://iam.myhuaweicloud.com",
      },
      "http://127.0.0.1:8080",
      "http://127.0.0.1:8080",
    ],
    [
      "HUAWEICLOUD_SDK_IAM_ENDPOINT overrides the IAM default",
      {},
      { HUAWEICLOUD_SDK_IAM_ENDPOINT: "https://iam.myhuaweicloud.com" },
      "https://cce.cn-north-4.myhuaweicloud.com",
      "https://iam.myhuaweicloud.com",
    ],
  ])("%s", (_name, explicit, extraEnv, endpoint, iamEndpoint) => {
    const config = resolveCceConfig(explicit, undefined, { ...env, ...extraEnv });
    expect(config.endpoint).toBe(endpoint);
    expect(config.iamEndpoint).toBe(iamEndpoint);
  });

  it.each([
    ["ftp://host", "must be an http:// or https:// base URL"],
    ["not a url", "is not a URL"],
    ["https://host/?x=1", "without query or fragment"],
  ])("rejects endpoint %s", (endpoint, message) => {
    const error = configError(() => resolveCceConfig({ endpoint }, undefined, env));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain("endpoint");
    expect(error.message).toContain(message);
  });

  // A pasted URL can carry a password or a token: the message must not repeat them.
  it.each([
    ["https://admin:hunter2-pass@host/?q=1", "must not carry user info"],
    ["ftp://admin:hunter2-pass@host", "must not carry user info"],
    ["https://admin:hunter2-pass@ho st", "is not a URL"],
    ["ftp://host/?token=hunter2-pass", "must be an http:// or https:// base URL"],
  ])("rejects endpoint %s without repeating its credentials", (endpoint, message) => {
    const error = configError(() => resolveCceConfig({ endpoint }, undefined, env));
    expect(error.message).toContain(message);
    expect(error.message).not.toContain("hunter2-pass");
  });

  it("names the variable a bad endpoint came from", () => {
    const error = configError(() =>
      resolveCceConfig(undefined, undefined, { ...env, UPGRADE_GUARD_ENDPOINT: "localhost:8080" }),
    );
    expect(error.message).toContain("UPGRADE_GUARD_ENDPOINT");
  });

  it.each(["CN-NORTH-4", "cn_north_4", "-cn"])("rejects region %s", (region) => {
    const error = configError(() => resolveCceConfig({ region }, undefined, env));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain("is not a region id");
  });
});

describe("resolveCceConfig: errors", () => {
  it("lists everything missing at once, with env names and Pulumi keys", () => {
    const error = configError(() => resolveCceConfig(undefined, undefined, {}));
    expect(error.code).toBe("CONFIG_MISSING");
    for (const name of [
      "HW_REGION_NAME",
      "HUAWEICLOUD_SDK_REGION",
      "upgrade-guard:region",
      "HUAWEICLOUD_SDK_PROJECT_ID",
      "HW_PROJECT_ID",
      "upgrade-guard:projectId",
      "HUAWEICLOUD_SDK_AK",
      "HW_ACCESS_KEY",
      "upgrade-guard:accessKey",
      "HUAWEICLOUD_SDK_SK",
      "HW_SECRET_KEY",
      "upgrade-guard:secretKey",
      "HW_AUTH_TOKEN",
      "upgrade-guard:authToken",
      "HW_USER_NAME",
      "HW_USER_PASSWORD",
      "HW_DOMAIN_NAME",
    ]) {
      expect(error.message).toContain(name);
      expect(error.settings).toContain(name);
    }
  });

  it("keeps its own guidance readable (no false redaction)", () => {
    const messages = [
      configError(() => resolveCceConfig(undefined, undefined, {})).message,
      configError(() => resolveAckConfig(undefined, undefined, {})).message,
      configError(() => resolveCceConfig({ userName: "u" }, undefined, {})).message,
    ];
    for (const message of messages) expect(message).not.toContain("[REDACTED]");
    expect(messages[0]).toContain(
      "(HUAWEICLOUD_SDK_AK or HW_ACCESS_KEY) + (HUAWEICLOUD_SDK_SK or HW_SECRET_KEY), or Pulumi config upgrade-guard:accessKey + upgrade-guard:secretKey",
    );
  });

  it("reports invalid and missing settings together", () => {
    const error = configError(() => resolveCceConfig({ region: "Bad Region" }, undefined, {}));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain("Invalid settings");
    expect(error.message).toContain("Missing settings");
    expect(error.message).toContain("HW_PROJECT_ID");
  });

  it("never puts a secret value in a ConfigError message", () => {
    const secrets = {
      secretKey: "SK-NEVER-PRINT-1",
      securityToken: "STS-NEVER-PRINT-2",
      authToken: "TOKEN-NEVER-PRINT-3",
      password: "PW-NEVER-PRINT-4",
    };
    const messages = [
      configError(() =>
        resolveCceConfig(
          { secretKey: secrets.secretKey, securityToken: secrets.securityToken },
          undefined,
          {},
        ),
      ),
      configError(() => resolveCceConfig({ authToken: secrets.authToken, region: "x y" }, undefined, {})),
      configError(() => resolveCceConfig({ password: secrets.password }, undefined, {})),
      configError(() =>
        resolveCceConfig(undefined, undefined, {
          HW_SECRET_KEY: secrets.secretKey,
          HW_USER_PASSWORD: secrets.password,
        }),
      ),
    ].map((e) => `${e.message} ${e.settings.join(" ")}`);
    for (const message of messages) {
      for (const secret of Object.values(secrets)) expect(message).not.toContain(secret);
    }
  });

  it("registers every resolved secret so redact masks it afterwards", () => {
    resolveCceConfig(
      { securityToken: "sts-registered-1", authToken: "tok-registered-2", password: "pw-registered-3" },
      undefined,
      CCE_ENV_AKSK,
    );
    const text = redact(
      "SK-FROM-ENV-secret sts-registered-1 tok-registered-2 pw-registered-3 AK-FROM-ENV region-x",
    );
    // The access key id is masked too: no AK or SK in any message.
    expect(text).not.toMatch(
      /SK-FROM-ENV-secret|sts-registered-1|tok-registered-2|pw-registered-3|AK-FROM-ENV/,
    );
    expect(text).toContain("region-x");
  });
});

describe("resolveAckConfig", () => {
  it.each([
    ["explicit", { region: "cn-beijing" }, { region: "cn-shanghai" }, "cn-beijing"],
    ["Pulumi", undefined, { region: "cn-shanghai" }, "cn-shanghai"],
    ["env", undefined, undefined, "cn-hangzhou"],
  ])("takes the region from %s first", (_name, explicit, fromPulumi, expected) => {
    expect(resolveAckConfig(explicit, fromPulumi, ACK_ENV_AK).region).toBe(expected);
  });

  it("reads the Alibaba SDK variables and defaults to ACS3 and the regional endpoint", () => {
    expect(resolveAckConfig(undefined, undefined, ACK_ENV_AK)).toEqual({
      region: "cn-hangzhou",
      endpoint: "https://cs.cn-hangzhou.aliyuncs.com",
      credentials: { accessKeyId: "LTAI-FROM-ENV", accessKeySecret: "ali-secret-from-env" },
      signatureAlgorithm: "ACS3-HMAC-SHA256",
      // Where they came from, never what they are: for the hint of a refused credential.
      credentialSources: ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"],
    });
  });

  it("reads the Terraform variables, after the SDK ones", () => {
    const tf = {
      ALICLOUD_REGION: "cn-shenzhen",
      ALICLOUD_ACCESS_KEY: "LTAI-TF",
      ALICLOUD_SECRET_KEY: "tf-secret",
      ALICLOUD_SECURITY_TOKEN: "tf-sts-token",
    };
    expect(resolveAckConfig(undefined, undefined, tf)).toMatchObject({
      region: "cn-shenzhen",
      credentials: { accessKeyId: "LTAI-TF", accessKeySecret: "tf-secret", securityToken: "tf-sts-token" },
    });
    expect(
      resolveAckConfig(undefined, undefined, {
        ...tf,
        ...ACK_ENV_AK,
        ALIBABA_CLOUD_SECURITY_TOKEN: "sdk-sts",
      }),
    ).toMatchObject({
      region: "cn-hangzhou",
      credentials: {
        accessKeyId: "LTAI-FROM-ENV",
        accessKeySecret: "ali-secret-from-env",
        securityToken: "sdk-sts",
      },
    });
  });

  it.each([
    [
      "explicit",
      { endpoint: "https://cs.example.com" },
      { UPGRADE_GUARD_ACK_ENDPOINT: "http://127.0.0.1:1" },
      "https://cs.example.com",
    ],
    [
      "UPGRADE_GUARD_ACK_ENDPOINT",
      {},
      { UPGRADE_GUARD_ACK_ENDPOINT: "http://127.0.0.1:1", UPGRADE_GUARD_ENDPOINT: "http://127.0.0.1:2" },
      "http://127.0.0.1:1",
    ],
    ["UPGRADE_GUARD_ENDPOINT", {}, { UPGRADE_GUARD_ENDPOINT: "http://127.0.0.1:2" }, "http://127.0.0.1:2"],
  ])("endpoint override: %s", (_name, explicit, env, expected) => {
    expect(resolveAckConfig(explicit, undefined, { ...ACK_ENV_AK, ...env }).endpoint).toBe(expected);
  });

  it("accepts the legacy signature algorithm and rejects unknown ones", () => {
    expect(
      resolveAckConfig({ signatureAlgorithm: "HMAC-SHA1" }, undefined, ACK_ENV_AK).signatureAlgorithm,
    ).toBe("HMAC-SHA1");
    const error = configError(() =>
      resolveAckConfig(undefined, { signatureAlgorithm: "v2" as never }, ACK_ENV_AK),
    );
    expect(error.code).toBe("CONFIG_INVALID");
    // The SDK reads ACK keys with an `alibaba` prefix (one namespace serves both clouds).
    expect(error.message).toContain("upgrade-guard:alibabaSignatureAlgorithm");
  });

  it("lists everything missing at once", () => {
    const error = configError(() => resolveAckConfig(undefined, undefined, {}));
    expect(error.code).toBe("CONFIG_MISSING");
    for (const name of [
      "ALIBABA_CLOUD_REGION_ID",
      "ALICLOUD_REGION",
      "upgrade-guard:alibabaRegion",
      "ALIBABA_CLOUD_ACCESS_KEY_ID",
      "ALICLOUD_ACCESS_KEY",
      "upgrade-guard:alibabaAccessKeyId",
      "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
      "ALICLOUD_SECRET_KEY",
      "upgrade-guard:alibabaAccessKeySecret",
    ]) {
      expect(error.message).toContain(name);
      expect(error.settings).toContain(name);
    }
  });

  it("rejects half a key pair and keeps the secret out of the message", () => {
    const error = configError(() =>
      resolveAckConfig({ region: "cn-hangzhou", accessKeySecret: "lonely-secret-value" }, undefined, {}),
    );
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain("set accessKeyId");
    expect(error.message).toContain("ALIBABA_CLOUD_ACCESS_KEY_ID");
    expect(error.message).not.toContain("lonely-secret-value");
  });

  it("registers the secret and the STS token", () => {
    resolveAckConfig(undefined, undefined, {
      ...ACK_ENV_AK,
      ALIBABA_CLOUD_SECURITY_TOKEN: "ali-sts-registered",
    });
    expect(redact("ali-secret-from-env ali-sts-registered")).not.toMatch(
      /ali-secret-from-env|ali-sts-registered/,
    );
  });
});

describe("rateLimit: the account's request rate", () => {
  it("is read per cloud, then from the shared variable and the Pulumi keys", () => {
    expect(resolveCceConfig(undefined, undefined, CCE_ENV_AKSK).rateLimit).toBeUndefined();
    expect(
      resolveCceConfig(undefined, undefined, { ...CCE_ENV_AKSK, UPGRADE_GUARD_RATE_LIMIT: "30" }).rateLimit,
    ).toBe(30);
    const both = { ...ACK_ENV_AK, UPGRADE_GUARD_RATE_LIMIT: "30", UPGRADE_GUARD_ACK_RATE_LIMIT: "12.5" };
    expect(resolveAckConfig(undefined, undefined, both).rateLimit).toBe(12.5);
    expect(resolveAckConfig(undefined, { rateLimit: "7" }, ACK_ENV_AK).rateLimit).toBe(7);
  });

  it("must be a positive number, and the error names where it came from", () => {
    const error = configError(() =>
      resolveCceConfig(undefined, undefined, { ...CCE_ENV_AKSK, UPGRADE_GUARD_CCE_RATE_LIMIT: "fast" }),
    );
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain(
      'rateLimit "fast" (from UPGRADE_GUARD_CCE_RATE_LIMIT) must be a positive number of requests per second',
    );
  });
});

describe("key pairs come from one layer", () => {
  it("ACK: an explicit accessKeyId is not signed with the environment's secret", () => {
    const error = configError(() =>
      resolveAckConfig({ accessKeyId: "LTAI-EXPLICIT" }, undefined, { HOME: "/nonexistent", ...ACK_ENV_AK }),
    );
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain("accessKeyId is set in");
    expect(error.message).toContain("but accessKeySecret is not");
    expect(error.message).not.toContain("ali-secret-from-env");
  });

  it("CCE: an explicit accessKey is not signed with the environment's secret key", () => {
    const error = configError(() =>
      resolveCceConfig({ accessKey: "AK-EXPLICIT" }, undefined, { HOME: "/nonexistent", ...CCE_ENV_AKSK }),
    );
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain("accessKey is set in");
    expect(error.message).toContain("but secretKey is not");
  });

  it("CCE: the sources list only the token actually used", () => {
    const config = resolveCceConfig(
      { accessKey: "AK-EXPLICIT", secretKey: "SK-EXPLICIT-secret" },
      undefined,
      {
        HOME: "/nonexistent",
        ...CCE_ENV_AKSK,
        HW_SECURITY_TOKEN: "stale-token",
      },
    );
    expect(config.credentials).not.toHaveProperty("securityToken");
    expect((config.credentialSources ?? []).join(" ")).not.toContain("HW_SECURITY_TOKEN");
  });
});

describe("ACK: an ECS role from the environment comes after the CLI profile", () => {
  it("uses the aliyun CLI current profile over ALIBABA_CLOUD_ECS_METADATA", () => {
    const home = mkdtempSync(join(tmpdir(), "ug-ecs-"));
    mkdirSync(`${home}/.aliyun`);
    writeFileSync(
      `${home}/.aliyun/config.json`,
      JSON.stringify({
        current: "ops",
        profiles: [
          { name: "ops", mode: "AK", access_key_id: "LTAI-OPS", access_key_secret: "ops-secret-000" },
        ],
      }),
    );
    const config = resolveAckConfig(undefined, undefined, {
      HOME: home,
      ALIBABA_CLOUD_REGION_ID: "cn-hangzhou",
      ALIBABA_CLOUD_ECS_METADATA: "ci-role",
    });
    expect(config.credentialPlan).toBeUndefined();
    expect(config.credentials).toMatchObject({ accessKeyId: "LTAI-OPS" });
  });
});
