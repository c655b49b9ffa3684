/**
 * The vendors' credential chains, each source resolved by `resolveAckConfig` / `resolveCceConfig`
 * from files in a temporary HOME and the environment, and used over real HTTP against the emulator:
 * STS AssumeRole, the Alibaba and Huawei metadata services. Temporary keys are cached and refreshed
 * before they expire (the refresh clock simulated); a broken source is an error naming the source
 * and the fix, and no error carries a key.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DEFAULT_ALIBABA_ACCOUNT,
  DEFAULT_HUAWEI_ACCOUNT,
  startEmulator,
  type RunningEmulator,
} from "@upgrade-guard/emulator";
import { resolveAckConfig, resolveCceConfig } from "../../src/auth/config";
import { resolveAckCredentialSource } from "../../src/auth/credential-source";
import { createAckRequestAuth, createCceRequestAuth } from "../../src/auth/request-auth";
import { createAckClient, createCceClient } from "../../src/clients";
import { ApiError, ConfigError } from "../../src/errors";
import { createTransport } from "../../src/transport/transport";
import { type Transport } from "../../src/transport/types";
import { rejectionOf } from "../clients/helpers";

const ALI = DEFAULT_ALIBABA_ACCOUNT;
const HW = DEFAULT_HUAWEI_ACCOUNT;
const HW_PROJECT = HW.projects[0]!.id;
const ROLE_ARN = `acs:ram::${ALI.uid}:role/upgrade-guard`;
const FOREIGN_ROLE_ARN = "acs:ram::1999999999999999:role/upgrade-guard";

let emulator: RunningEmulator;
let home: string;
let transport: Transport;

beforeAll(async () => {
  emulator = await startEmulator({ scenario: "default", freezeClock: true });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.control.reset();
  home = mkdtempSync(join(tmpdir(), "ug-chain-"));
  transport = createTransport();
});
afterEach(async () => {
  await transport.close();
  rmSync(home, { recursive: true, force: true });
});

function write(relative: string, text: string): string {
  const path = join(home, relative);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** An environment with this test's HOME and every endpoint (CS, STS, metadata) at the emulator. */
function aliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { HOME: home, UPGRADE_GUARD_ENDPOINT: emulator.url, ALIBABA_CLOUD_REGION_ID: ALI.region, ...extra };
}

function hwEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    HOME: home,
    UPGRADE_GUARD_ENDPOINT: emulator.url,
    HW_REGION_NAME: HW.projects[0]!.region,
    HUAWEICLOUD_SDK_PROJECT_ID: HW_PROJECT,
    ...extra,
  };
}

const KEYS = {
  ALIBABA_CLOUD_ACCESS_KEY_ID: ALI.accessKeyId,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: ALI.accessKeySecret,
};

/** Calls ACK (DescribeClustersV1) with a client on `env`; returns the operations the emulator saw. */
async function ackCall(env: NodeJS.ProcessEnv): Promise<string[]> {
  const ack = createAckClient({ env });
  try {
    const listed = await ack.describeClustersV1({});
    expect(listed.clusters?.length).toBeGreaterThan(0);
  } finally {
    await ack.close();
  }
  return emulator.control.requests({}).map((e) => `${e.operation ?? e.path} ${e.status}`);
}

async function cceCall(env: NodeJS.ProcessEnv): Promise<string[]> {
  const cce = createCceClient({ env });
  try {
    const listed = await cce.listClusters({});
    expect(listed.items.length).toBeGreaterThan(0);
  } finally {
    await cce.close();
  }
  return emulator.control.requests({}).map((e) => `${e.operation ?? e.path} ${e.status}`);
}

/** Everything a caller could see of an error. */
function visible(error: unknown): string {
  const record = error as Record<string, unknown>;
  return [String(error), JSON.stringify({ ...record })].join("\n");
}

function expectNoSecret(error: unknown): void {
  const text = visible(error);
  for (const secret of [ALI.accessKeySecret, HW.secretKey, "ugemu-ali-sts-", "ugemu-hw-sts-"]) {
    expect(text).not.toContain(secret);
  }
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("Alibaba: each source resolves and is used", () => {
  it("environment keys + ALIBABA_CLOUD_ROLE_ARN: the role is assumed through STS and its keys sign", async () => {
    const env = aliEnv({
      ...KEYS,
      ALIBABA_CLOUD_ROLE_ARN: ROLE_ARN,
      ALIBABA_CLOUD_ROLE_SESSION_NAME: "ci-run",
    });
    const config = resolveAckConfig(undefined, undefined, env);
    expect(config.credentialPlan).toMatchObject({
      kind: "assumeRole",
      roleArn: ROLE_ARN,
      roleSessionName: "ci-run",
    });
    expect(config.credentialSources).toEqual([
      `RAM role ${ROLE_ARN} (ALIBABA_CLOUD_ROLE_ARN), assumed with ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET`,
    ]);
    expect(await ackCall(env)).toEqual(["AssumeRole 200", "DescribeClustersV1 200"]);
  });

  it("credentials file [default], type access_key", async () => {
    const path = write(
      ".alibabacloud/credentials",
      `[default]\ntype = access_key\naccess_key_id = ${ALI.accessKeyId}\naccess_key_secret = ${ALI.accessKeySecret}\n`,
    );
    const config = resolveAckConfig(undefined, undefined, aliEnv());
    expect(config.credentialSources).toEqual([`the credentials file ${path}, profile [default]`]);
    expect(config.credentialPlan).toBeUndefined();
    expect(await ackCall(aliEnv())).toEqual(["DescribeClustersV1 200"]);
  });

  it("credentials file named by ALIBABA_CLOUD_CREDENTIALS_FILE, profile by ALIBABA_CLOUD_PROFILE, type ram_role_arn", async () => {
    const path = write(
      "elsewhere/creds.ini",
      `# comment\n[default]\ntype = ecs_ram_role\nrole_name = nope\n\n[ci]\ntype = ram_role_arn\naccess_key_id = ${ALI.accessKeyId}\n` +
        `access_key_secret = ${ALI.accessKeySecret}\nrole_arn = ${ROLE_ARN}\nrole_session_name = from-file\n`,
    );
    const env = aliEnv({ ALIBABA_CLOUD_CREDENTIALS_FILE: path, ALIBABA_CLOUD_PROFILE: "ci" });
    const config = resolveAckConfig(undefined, undefined, env);
    expect(config.credentialPlan).toMatchObject({ kind: "assumeRole", roleSessionName: "from-file" });
    expect(config.credentialSources?.[0]).toContain(
      `the credentials file ${path}, profile [ci] (ALIBABA_CLOUD_PROFILE)`,
    );
    expect(await ackCall(env)).toEqual(["AssumeRole 200", "DescribeClustersV1 200"]);
  });

  it("credentials file, type ecs_ram_role: the instance role from the metadata service (session token first)", async () => {
    write(".alibabacloud/credentials", "[default]\ntype = ecs_ram_role\nrole_name = ugemu-ecs-role\n");
    expect(await ackCall(aliEnv())).toEqual([
      "EcsMetadataToken 200",
      "EcsMetadataRoleCredentials 200",
      "DescribeClustersV1 200",
    ]);
  });

  it("aliyun CLI config.json: the current profile (mode AK) wins over the credentials file", async () => {
    write(".alibabacloud/credentials", "[default]\ntype = ecs_ram_role\nrole_name = ugemu-ecs-role\n");
    const cli = write(
      ".aliyun/config.json",
      JSON.stringify({
        current: "work",
        profiles: [
          { name: "default", mode: "EcsRamRole" },
          {
            name: "work",
            mode: "AK",
            access_key_id: ALI.accessKeyId,
            access_key_secret: ALI.accessKeySecret,
          },
        ],
      }),
    );
    const config = resolveAckConfig(undefined, undefined, aliEnv());
    expect(config.credentialSources).toEqual([`aliyun CLI profile "work" in ${cli} ("current" of ${cli})`]);
    expect(await ackCall(aliEnv())).toEqual(["DescribeClustersV1 200"]);
  });

  it("aliyun CLI profiles in RamRoleArn and EcsRamRole (no role name: the one the instance lists) modes", async () => {
    write(
      ".aliyun/config.json",
      JSON.stringify({
        current: "default",
        profiles: [
          {
            name: "role",
            mode: "RamRoleArn",
            access_key_id: ALI.accessKeyId,
            access_key_secret: ALI.accessKeySecret,
            ram_role_arn: ROLE_ARN,
            ram_session_name: "cli",
          },
          { name: "ecs", mode: "EcsRamRole" },
        ],
      }),
    );
    expect(await ackCall(aliEnv({ ALIBABA_CLOUD_PROFILE: "role" }))).toEqual([
      "AssumeRole 200",
      "DescribeClustersV1 200",
    ]);
    emulator.control.reset();
    expect(await ackCall(aliEnv({ ALIBABA_CLOUD_PROFILE: "ecs" }))).toEqual([
      "EcsMetadataToken 200",
      "EcsMetadataRoles 200",
      "EcsMetadataRoleCredentials 200",
      "DescribeClustersV1 200",
    ]);
  });

  it("ALIBABA_CLOUD_ECS_METADATA names the instance role; UPGRADE_GUARD_ALIBABA_METADATA_ENDPOINT moves the service", async () => {
    const env = aliEnv({
      ALIBABA_CLOUD_ECS_METADATA: "ugemu-ecs-role",
      UPGRADE_GUARD_ALIBABA_METADATA_ENDPOINT: emulator.url,
    });
    const config = resolveAckConfig(undefined, undefined, env);
    expect(config.credentialSources).toEqual([
      `the ECS instance RAM role "ugemu-ecs-role" (ALIBABA_CLOUD_ECS_METADATA) from the metadata service ${emulator.url}`,
    ]);
    expect(await ackCall(env)).toEqual([
      "EcsMetadataToken 200",
      "EcsMetadataRoleCredentials 200",
      "DescribeClustersV1 200",
    ]);
  });
});

describe("Alibaba: precedence", () => {
  it("explicit keys beat the environment's ECS role and every file; environment keys beat the files", () => {
    write(".alibabacloud/credentials", "[default]\ntype = ecs_ram_role\nrole_name = x\n");
    const env = aliEnv({ ...KEYS, ALIBABA_CLOUD_ECS_METADATA: "ugemu-ecs-role" });
    expect(resolveAckConfig(undefined, undefined, env).credentialPlan).toBeUndefined();
    expect(resolveAckConfig(undefined, undefined, aliEnv(KEYS)).credentialSources).toEqual([
      "ALIBABA_CLOUD_ACCESS_KEY_ID",
      "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    ]);
  });

  it("a profile or ECS role given explicitly (the policy pack's account) beats keys in the environment", () => {
    const config = resolveAckConfig({ ecsRoleName: "ugemu-ecs-role" }, undefined, aliEnv(KEYS));
    expect(config.credentialPlan).toMatchObject({ kind: "ecsRamRole", roleName: "ugemu-ecs-role" });
  });

  it("a role in the environment does not apply to explicitly configured keys (the keys' layer only)", () => {
    const config = resolveAckConfig(
      { accessKeyId: ALI.accessKeyId, accessKeySecret: ALI.accessKeySecret },
      undefined,
      aliEnv({ ALIBABA_CLOUD_ROLE_ARN: ROLE_ARN }),
    );
    expect(config.credentialPlan).toBeUndefined();
  });

  it("a policy-pack account naming an aliyun CLI RamRoleArn profile resolves through the same chain", async () => {
    const cli = write(
      ".aliyun/config.json",
      JSON.stringify({
        current: "default",
        profiles: [
          {
            name: "tenant-b",
            mode: "RamRoleArn",
            access_key_id: ALI.accessKeyId,
            access_key_secret: ALI.accessKeySecret,
            ram_role_arn: ROLE_ARN,
            ram_session_name: "pack",
          },
        ],
      }),
    );
    const settings = resolveAckCredentialSource({ profile: "tenant-b", file: cli }, {}, { homeDir: home });
    const config = resolveAckConfig(settings, undefined, aliEnv(KEYS));
    expect(config.credentialPlan).toMatchObject({
      kind: "assumeRole",
      roleArn: ROLE_ARN,
      roleSessionName: "pack",
    });
    const ack = createAckClient({ ...settings, env: aliEnv() });
    await ack.describeClustersV1({});
    await ack.close();
    expect(emulator.control.requests({}).map((e) => e.operation)).toEqual([
      "AssumeRole",
      "DescribeClustersV1",
    ]);
  });

  it("ALIBABA_CLOUD_ECS_METADATA_DISABLED=true turns the ECS role off, saying so", () => {
    const error = thrown(() =>
      resolveAckConfig(
        undefined,
        undefined,
        aliEnv({ ALIBABA_CLOUD_ECS_METADATA: "r", ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true" }),
      ),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain("is turned off by ALIBABA_CLOUD_ECS_METADATA_DISABLED=true");
  });

  it("nothing anywhere: one ConfigError naming keys, profiles and the ECS role", () => {
    const error = thrown(() => resolveAckConfig(undefined, undefined, aliEnv()));
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of [
      "ALIBABA_CLOUD_ACCESS_KEY_ID",
      "ALIBABA_CLOUD_PROFILE",
      "~/.aliyun/config.json",
      "ALIBABA_CLOUD_ECS_METADATA",
    ]) {
      expect(message).toContain(name);
    }
  });
});

describe("Huawei: each source resolves and is used", () => {
  it("UPGRADE_GUARD_HUAWEI_METADATA_CREDENTIALS=true: the agency's keys from /openstack/latest/securitykey sign", async () => {
    const env = hwEnv({ UPGRADE_GUARD_HUAWEI_METADATA_CREDENTIALS: "true" });
    const config = resolveCceConfig(undefined, undefined, env);
    expect(config.credentialSources?.[0]).toContain(`from the metadata service ${emulator.url}`);
    expect(await cceCall(env)).toEqual(["MetadataToken 200", "MetadataSecurityKey 200", "ListClusters 200"]);
  });

  it("~/.huaweicloud/credentials [basic], its project_id used when no setting gives one", async () => {
    const path = write(
      ".huaweicloud/credentials",
      `[basic]\nak = ${HW.accessKey}\nsk = ${HW.secretKey}\nproject_id = ${HW_PROJECT}\n`,
    );
    const env = hwEnv();
    delete env["HUAWEICLOUD_SDK_PROJECT_ID"];
    const config = resolveCceConfig(undefined, undefined, env);
    expect(config.projectId).toBe(HW_PROJECT);
    expect(config.credentialSources).toEqual([`the credentials file ${path}, section [basic]`]);
    expect(await cceCall(env)).toEqual(["ListClusters 200"]);
  });

  it("environment keys beat the credentials file", () => {
    write(".huaweicloud/credentials", "[basic]\nak = A\nsk = B\n");
    const config = resolveCceConfig(
      undefined,
      undefined,
      hwEnv({ HUAWEICLOUD_SDK_AK: HW.accessKey, HUAWEICLOUD_SDK_SK: HW.secretKey }),
    );
    expect(config.credentialSources).toEqual(["HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK"]);
  });
});

describe("temporary keys are cached and refreshed before they expire", () => {
  /** Sends DescribeClustersV1 through `transport` signed by `auth`. */
  async function describe(auth: ReturnType<typeof createAckRequestAuth>): Promise<number> {
    const response = await transport.send(
      {
        method: "GET",
        url: `${emulator.url}/api/v1/clusters`,
        headers: {
          accept: "application/json",
          "x-acs-action": "DescribeClustersV1",
          "x-acs-version": "2015-12-15",
        },
      },
      { cloud: "ack", operation: "DescribeClustersV1", retryMode: "idempotent", sign: (r) => auth(r) },
    );
    return response.status;
  }

  const count = (operation: string) => emulator.control.requests({ operation }).length;

  it("STS: one AssumeRole for many calls, concurrent ones included; a new one when less than 3 minutes are left", async () => {
    let offset = 0;
    const credentialClock = { now: () => Date.now() + offset };
    const config = resolveAckConfig(
      undefined,
      undefined,
      aliEnv({ ...KEYS, ALIBABA_CLOUD_ROLE_ARN: ROLE_ARN }),
    );
    const auth = createAckRequestAuth(config, { transport, credentialClock });
    expect(await Promise.all([describe(auth), describe(auth), describe(auth), describe(auth)])).toEqual([
      200, 200, 200, 200,
    ]);
    expect(count("AssumeRole")).toBe(1);
    // 50 minutes on (10 left of the hour): still cached.
    offset = 50 * 60_000;
    emulator.control.advanceClock(50 * 60_000);
    expect(await describe(auth)).toBe(200);
    expect(count("AssumeRole")).toBe(1);
    // 58 minutes on: 2 left, refreshed before the old keys expire.
    offset = 58 * 60_000;
    emulator.control.advanceClock(8 * 60_000);
    expect(await Promise.all([describe(auth), describe(auth)])).toEqual([200, 200]);
    expect(count("AssumeRole")).toBe(2);
    // Past the first keys' expiry the emulator would refuse them: the refreshed ones still work.
    emulator.control.advanceClock(5 * 60_000);
    offset = 63 * 60_000;
    expect(await describe(auth)).toBe(200);
    expect(count("AssumeRole")).toBe(2);
  });

  it("Huawei metadata: refreshed when less than 3 minutes are left", async () => {
    let offset = 0;
    const credentialClock = { now: () => Date.now() + offset };
    const config = resolveCceConfig(
      undefined,
      undefined,
      hwEnv({ UPGRADE_GUARD_HUAWEI_METADATA_CREDENTIALS: "true" }),
    );
    const auth = createCceRequestAuth(config, { transport, credentialClock });
    const list = async () =>
      (
        await transport.send(
          {
            method: "GET",
            url: `${emulator.url}/api/v3/projects/${HW_PROJECT}/clusters`,
            headers: { "content-type": "application/json" },
          },
          { cloud: "cce", operation: "ListClusters", retryMode: "idempotent", sign: (r) => auth(r) },
        )
      ).status;
    expect(await Promise.all([list(), list(), list()])).toEqual([200, 200, 200]);
    expect(count("MetadataSecurityKey")).toBe(1);
    offset = 58 * 60_000;
    emulator.control.advanceClock(58 * 60_000);
    expect(await list()).toBe(200);
    expect(count("MetadataSecurityKey")).toBe(2);
  });

  it("without a refresh the emulator refuses expired STS keys (the check the refresh avoids)", async () => {
    const config = resolveAckConfig(
      undefined,
      undefined,
      aliEnv({ ...KEYS, ALIBABA_CLOUD_ROLE_ARN: ROLE_ARN }),
    );
    // The refresh clock stands still, so the client keeps its first keys.
    const auth = createAckRequestAuth(config, { transport, credentialClock: { now: () => 0 } });
    expect(await describe(auth)).toBe(200);
    emulator.control.advanceClock(61 * 60_000);
    expect(await describe(auth)).toBe(400);
    expect(emulator.control.requests({ operation: "DescribeClustersV1" }).at(-1)?.errorCode).toBe(
      "InvalidSecurityToken.Expired",
    );
  });
});

describe("a broken source names itself and the fix, never a key", () => {
  it("STS refuses the role (another account's): an auth ApiError whose hint names the role ARN", async () => {
    const error = await rejectionOf(ackCall(aliEnv({ ...KEYS, ALIBABA_CLOUD_ROLE_ARN: FOREIGN_ROLE_ARN })));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).category).toBe("auth");
    expect((error as ApiError).vendorCode).toBe("NoPermission");
    expect((error as ApiError).hint).toContain(`RAM role ${FOREIGN_ROLE_ARN}`);
    expectNoSecret(error);
  });

  it("the metadata service is unreachable: a ConfigError naming it and the fix", async () => {
    const port = await closedPort();
    const error = await rejectionOf(
      ackCall(
        aliEnv({
          ALIBABA_CLOUD_ECS_METADATA: "r",
          UPGRADE_GUARD_ALIBABA_METADATA_ENDPOINT: `http://127.0.0.1:${port}`,
        }),
      ),
    );
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(`the metadata service at http://127.0.0.1:${port} did not answer`);
    expect(message).toContain("ALIBABA_CLOUD_ECS_METADATA_DISABLED=true");
  });

  it("a metadata service slower than the deadline (3 s) counts as unreachable", async () => {
    emulator.control.setFault({ operation: "MetadataSecurityKey", latencyMs: 10_000 });
    const started = Date.now();
    const error = await rejectionOf(cceCall(hwEnv({ UPGRADE_GUARD_HUAWEI_METADATA_CREDENTIALS: "true" })));
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/metadata service at .* did not answer within 3000 ms/);
    expect((error as Error).message).toContain("UPGRADE_GUARD_HUAWEI_METADATA_ENDPOINT");
  });

  it("an unknown role at the metadata service names the role", async () => {
    const error = await rejectionOf(ackCall(aliEnv({ ALIBABA_CLOUD_ECS_METADATA: "not-attached" })));
    expect((error as Error).message).toContain('has no RAM role "not-attached"');
  });

  it("a malformed INI file names the file and the line, not its text", () => {
    const path = write(".alibabacloud/credentials", `[default]\ntype = access_key\n${ALI.accessKeySecret}\n`);
    const error = thrown(() => resolveAckConfig(undefined, undefined, aliEnv()));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(`credentials file ${path} is not valid INI at line 3`);
    expectNoSecret(error);
  });

  it("ALIBABA_CLOUD_CREDENTIALS_FILE naming a missing file", () => {
    const error = thrown(() =>
      resolveAckConfig(
        undefined,
        undefined,
        aliEnv({ ALIBABA_CLOUD_CREDENTIALS_FILE: join(home, "missing") }),
      ),
    );
    expect((error as Error).message).toContain(`${join(home, "missing")} does not exist`);
  });

  it("an unknown profile names both files it looked in", () => {
    write(
      ".alibabacloud/credentials",
      "[default]\ntype = access_key\naccess_key_id = a\naccess_key_secret = b\n",
    );
    const error = thrown(() =>
      resolveAckConfig(undefined, undefined, aliEnv({ ALIBABA_CLOUD_PROFILE: "nope" })),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain("has no profile [nope] (it has [default])");
  });

  it("a profile of an unknown type, a malformed config.json, a Huawei file without [basic]", () => {
    write(".alibabacloud/credentials", "[default]\ntype = rsa_key_pair\n");
    expect((thrown(() => resolveAckConfig(undefined, undefined, aliEnv())) as Error).message).toContain(
      'has type "rsa_key_pair"; upgrade-guard reads access_key, sts, ram_role_arn, ecs_ram_role',
    );
    write(".aliyun/config.json", `{"current": "x", ${ALI.accessKeySecret}`);
    const json = thrown(() => resolveAckConfig(undefined, undefined, aliEnv()));
    expect((json as Error).message).toContain("config.json is not valid JSON");
    expectNoSecret(json);
    write(".huaweicloud/credentials", "[global]\nak = a\nsk = b\n");
    expect((thrown(() => resolveCceConfig(undefined, undefined, hwEnv())) as Error).message).toContain(
      "has no [basic] section",
    );
  });

  it("temporary keys and tokens never appear in errors: a refused call after STS keys were issued", async () => {
    const config = resolveAckConfig(
      undefined,
      undefined,
      aliEnv({ ...KEYS, ALIBABA_CLOUD_ROLE_ARN: ROLE_ARN }),
    );
    const auth = createAckRequestAuth(config, { transport, credentialClock: { now: () => 0 } });
    const signed = await auth({ method: "GET", url: `${emulator.url}/api/v1/clusters`, headers: {} });
    const token = signed.headers["x-acs-security-token"];
    expect(token).toMatch(/^ugemu-ali-sts-/);
    expect(visible(new ConfigError("CONFIG_INVALID", `echo ${token ?? ""}`))).not.toContain(token);
  });
});
