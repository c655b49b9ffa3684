/**
 * Credential sources: where the keys of one cloud account come from, written in a configuration file
 * that must never hold a secret itself (the policy pack's config is a JSON file users commit and
 * CrossGuard prints). Two forms, per cloud:
 *
 * - names of environment variables (`{ "accessKeyIdEnv": "TENANT_B_AK", ... }`), read at call time;
 * - a profile of the vendor CLI (`{ "profile": "tenant-b", "file"?: "/path/config.json" }`): the
 *   aliyun CLI's `~/.aliyun/config.json` for ACK, KooCLI's (`hcloud`) `~/.hcloud/config.json` for CCE.
 *
 * Resolving one gives the credential fields of `CceSettings` / `AckSettings` (plus region and project
 * id when a profile carries them), to hand to `resolveCceConfig` / `resolveAckConfig` as explicit
 * settings. Every secret read is registered with `redact`; no message names a value, only variables,
 * profiles, files and fields.
 *
 * KooCLI's file format is not formally documented. What is implemented follows KooCLI's own
 * `hcloud configure show` output in its user guide (`name`, `mode: "AKSK"`, `accessKeyId`,
 * `secretAccessKey`, `securityToken`, `region`, `projectId`) and config files seen in public
 * repositories (`{ current, profiles: [...] }`). KooCLI encrypts the keys at rest by default (a
 * top-level `crypter`/`nonce`, or `authEncrypt: "true"` in newer versions); such files cannot be
 * read here and are refused with a pointer to the environment-variable form.
 */
import { homedir } from "node:os";
import { isAbsolute } from "node:path";
import { z } from "zod";
import { ConfigError } from "../errors";
import { registerSecret } from "../internal/redact";
import { bulletList, isRecord } from "../internal/validate";
import { expandHome, readText } from "./credential-files";
import { type AckSettings, type CceSettings } from "./fields";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Shared by both refusals below. It never quotes the value: whatever does not look like a name may
 * be a secret pasted in.
 */
const NOT_A_NAME =
  "must be the name of an environment variable (letters, digits and _, not starting with a digit), " +
  "not a value. Put the secret in an environment variable and give that variable's name here";

/**
 * Access keys are letters and digits, so they pass `ENV_NAME`: catch the usual shapes too. Alibaba
 * key ids start with `LTAI`; Huawei AKs (20 characters) and SKs (40) and Alibaba secrets (30) are
 * long runs of letters and digits without `_`, which a variable name almost never is.
 */
function looksLikeKey(value: string): boolean {
  if (/^LTAI[A-Za-z0-9]{8,}$/.test(value)) return true;
  return value.length >= 16 && !value.includes("_") && /\d/.test(value) && /[A-Za-z]/.test(value);
}

function envNameSchema(holds: string) {
  // No `abort` on the regex: a non-fatal issue lets the union report this field, not "Invalid input".
  // The refinement only judges values that passed the regex, so one bad value gives one issue.
  return z
    .string()
    .regex(ENV_NAME, { error: NOT_A_NAME })
    .refine((value) => !ENV_NAME.test(value) || !looksLikeKey(value), { error: NOT_A_NAME })
    .describe(`Name of the environment variable that holds ${holds}. The value itself never goes here.`);
}

function profileFormSchema(cli: string, defaultFile: string) {
  return z
    .strictObject({
      profile: z.string().min(1).describe(`Name of the ${cli} profile to read the keys from.`),
      file: z
        .string()
        .refine((path) => path.startsWith("~/") || isAbsolute(path), {
          error:
            "must be an absolute path or start with ~/ (a relative path would depend on where Pulumi runs)",
        })
        .optional()
        .describe(`The ${cli} configuration file. Default ${defaultFile}.`),
    })
    .describe(`A profile of the ${cli} configuration file.`);
}

/**
 * A union whose "Invalid input" (no form fits) is replaced by the problems of the form the input
 * was meant to be: the profile form when it has a `profile` or `file` key, else the env form.
 */
function sourceSchema<E extends z.ZodObject, P extends z.ZodObject>(env: E, profile: P, description: string) {
  const forms = `either {${Object.keys(env.shape).join(", ")}} naming environment variables, or {profile, file} naming a CLI profile`;
  return z
    .union([env, profile], {
      error: (issue) => {
        if (issue.code !== "invalid_union") return undefined;
        const input = issue.input;
        if (!isRecord(input)) {
          return `a credential source must be an object: ${forms}`;
        }
        const meant = "profile" in input || "file" in input ? 1 : 0;
        const problems = (issue.errors[meant] ?? [])
          .map((i) => `${i.path.length > 0 ? `${i.path.map(String).join(".")} ` : ""}— ${i.message}`)
          .join("; ");
        return `a credential source is ${forms}; ${problems}`;
      },
    })
    .describe(description);
}

export const ackCredentialSourceSchema = sourceSchema(
  z
    .strictObject({
      accessKeyIdEnv: envNameSchema("the AccessKey ID"),
      accessKeySecretEnv: envNameSchema("the AccessKey secret"),
      securityTokenEnv: envNameSchema("the STS token (temporary keys only)").optional(),
    })
    .describe("Alibaba Cloud keys from environment variables, read when the account is used."),
  profileFormSchema("aliyun CLI", "~/.aliyun/config.json"),
  "Where the Alibaba Cloud keys of an account come from: names of environment variables, or an aliyun CLI " +
    "profile (mode AK, StsToken, RamRoleArn or EcsRamRole). Never the keys themselves.",
);
export type AckCredentialSource = z.input<typeof ackCredentialSourceSchema>;

export const cceCredentialSourceSchema = sourceSchema(
  z
    .strictObject({
      accessKeyEnv: envNameSchema("the access key (AK)"),
      secretKeyEnv: envNameSchema("the secret key (SK)"),
      securityTokenEnv: envNameSchema("the security token (temporary AK/SK only)").optional(),
      projectIdEnv: envNameSchema("the project id").optional(),
    })
    .describe("Huawei Cloud keys from environment variables, read when the account is used."),
  profileFormSchema("KooCLI (hcloud)", "~/.hcloud/config.json"),
  "Where the Huawei Cloud keys of an account come from: names of environment variables, or a KooCLI " +
    "(hcloud) profile (mode AKSK, stored unencrypted). Never the keys themselves.",
);
export type CceCredentialSource = z.input<typeof cceCredentialSourceSchema>;

export interface CredentialSourceOptions {
  /** The home directory for the default profile files and `~/` paths. Default `os.homedir()`. */
  readonly homeDir?: string;
}

function parseSource<S extends z.ZodType>(schema: S, source: unknown, cloud: string): z.output<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) =>
    i.path.length > 0 ? `${i.path.map(String).join(".")} — ${i.message}` : i.message,
  );
  throw new ConfigError("CONFIG_INVALID", `${cloud} credential source is invalid:\n${bulletList(lines)}`);
}

/** One field of an environment-variable source: the setting it fills and what the variable holds. */
interface EnvField<S> {
  readonly setting: keyof S & string;
  /** For the fix: "the AccessKey secret". */
  readonly holds: string;
  /** Registered with `redact` (all but the project id). */
  readonly secret: boolean;
}

const ACK_ENV_FIELDS: Readonly<Record<string, EnvField<AckSettings>>> = {
  accessKeyIdEnv: { setting: "accessKeyId", holds: "the AccessKey ID", secret: true },
  accessKeySecretEnv: { setting: "accessKeySecret", holds: "the AccessKey secret", secret: true },
  securityTokenEnv: { setting: "securityToken", holds: "the STS token", secret: true },
};

const CCE_ENV_FIELDS: Readonly<Record<string, EnvField<CceSettings>>> = {
  accessKeyEnv: { setting: "accessKey", holds: "the access key (AK)", secret: true },
  secretKeyEnv: { setting: "secretKey", holds: "the secret key (SK)", secret: true },
  securityTokenEnv: { setting: "securityToken", holds: "the security token", secret: true },
  projectIdEnv: { setting: "projectId", holds: "the project id", secret: false },
};

/**
 * The settings the named variables hold, or one error naming every variable that is unset or
 * empty. Optional fields the source leaves out fill nothing.
 */
function readEnv<S>(
  cloud: string,
  source: Readonly<Record<string, string | undefined>>,
  fields: Readonly<Record<string, EnvField<S>>>,
  env: NodeJS.ProcessEnv,
): S {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  const names: string[] = [];
  for (const [field, { setting, secret, holds }] of Object.entries(fields)) {
    const name = source[field];
    if (name === undefined) continue;
    const value = env[name]?.trim();
    if (secret) registerSecret(value);
    if (value === undefined || value === "") {
      problems.push(
        `environment variable ${name} (named by ${field}) is ${value === undefined ? "not set" : "empty"} — ` +
          `set it to ${holds}, or change ${field} to the variable that holds it`,
      );
      names.push(name);
    } else {
      values[setting] = value;
    }
  }
  if (problems.length > 0) {
    throw new ConfigError("CONFIG_MISSING", `${cloud} credential source:\n${bulletList(problems)}`, names);
  }
  return values as S;
}

/** A CLI's config.json parsed, or an error naming the file and the fix. */
export function parseCliConfig(cli: string, path: string, text: string, fix: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the text around the error, and the text holds keys.
    throw new ConfigError(
      "CONFIG_INVALID",
      `${cli} configuration file ${path} is not valid JSON — repair it or recreate the profile with \`${fix}\``,
      [path],
    );
  }
}

interface ProfileFile {
  readonly path: string;
  readonly doc: Record<string, unknown>;
}

export function readProfileFile(
  cli: string,
  file: string | undefined,
  defaultFile: string,
  fix: string,
  options: CredentialSourceOptions,
): ProfileFile {
  const path = expandHome(file ?? defaultFile, options.homeDir ?? homedir());
  const what = `${cli} configuration file`;
  const text = readText(
    path,
    true,
    what,
    `create the profile with \`${fix}\`, or set "file" to where the file is`,
  );
  const doc = parseCliConfig(cli, path, text as string, fix);
  if (!isRecord(doc) || !Array.isArray(doc["profiles"])) {
    throw new ConfigError(
      "CONFIG_INVALID",
      `${cli} configuration file ${path} has no "profiles" list — is it the ${cli} configuration file?`,
      [path],
    );
  }
  return { path, doc };
}

export function findProfile(cli: string, { path, doc }: ProfileFile, name: string, fix: string) {
  const profiles = (doc["profiles"] as unknown[]).filter(isRecord);
  const profile = profiles.find((p) => p["name"] === name);
  if (profile === undefined) {
    const known = profiles.map((p) => p["name"]).filter((n): n is string => typeof n === "string");
    throw new ConfigError(
      "CONFIG_MISSING",
      `${cli} profile "${name}" is not in ${path}` +
        (known.length > 0 ? ` (it has ${known.map((n) => `"${n}"`).join(", ")})` : " (it has no profiles)") +
        ` — create it with \`${fix}\`, or name an existing profile`,
      [path],
    );
  }
  return profile;
}

/** A string field of a profile, trimmed; empty and absent are the same. */
function field(profile: Record<string, unknown>, key: string, where: string): string | undefined {
  const value = profile[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") {
    throw new ConfigError("CONFIG_INVALID", `${where}: its ${key} is not a string — repair the file`);
  }
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

/** Throws naming the profile's empty key fields, if any. */
function requireKeys(where: string, path: string, present: Record<string, string | undefined>, fix: string) {
  const lacking = Object.entries(present)
    .filter(([, value]) => value === undefined)
    .map(([key]) => key);
  if (lacking.length > 0) {
    throw new ConfigError(
      "CONFIG_MISSING",
      `${where} has no ${lacking.join(", ")} — set it with \`${fix}\``,
      [path],
    );
  }
}

/**
 * The key fields of a profile (each secret registered with `redact` at once), once its mode is one
 * upgrade-guard reads.
 */
function profileKeys<K extends string>(
  where: string,
  path: string,
  profile: Record<string, unknown>,
  keys: readonly K[],
  modes: readonly string[],
): { keys: Record<K, string | undefined>; mode: string } {
  const values = Object.fromEntries(keys.map((key) => [key, field(profile, key, where)]));
  for (const secret of Object.values(values)) registerSecret(secret);
  const mode = field(profile, "mode", where);
  if (mode === undefined || !modes.includes(mode)) {
    throw new ConfigError(
      "CONFIG_INVALID",
      `${where} has mode ${mode === undefined ? "(none)" : `"${mode}"`}; upgrade-guard reads only ` +
        `${modes.length > 1 ? `${modes.slice(0, -1).join(", ")} and ${modes[modes.length - 1] ?? ""}` : modes.join("")} profiles — use such a profile, or name environment variables instead`,
      [path],
    );
  }
  return { keys: values as Record<K, string | undefined>, mode };
}

/**
 * The Alibaba Cloud credential settings (and region, when a profile has one) of a credential source,
 * or a `ConfigError` naming the variable, profile or file to fix. `env` defaults to `process.env`.
 */
export function resolveAckCredentialSource(
  source: unknown,
  env: NodeJS.ProcessEnv = process.env,
  options: CredentialSourceOptions = {},
): AckSettings {
  const parsed = parseSource(ackCredentialSourceSchema, source, "ACK");
  if (!("profile" in parsed)) return readEnv("ACK", parsed, ACK_ENV_FIELDS, env);

  const settings = aliyunCliProfileSettings(parsed.profile, parsed.file, options);
  if (settings.ecsRoleName === "") {
    throw new ConfigError(
      "CONFIG_INVALID",
      `aliyun CLI profile "${parsed.profile}" is an EcsRamRole profile without ram_role_name — name the role with \`aliyun configure --profile ${parsed.profile} --mode EcsRamRole\``,
    );
  }
  return settings;
}

/**
 * The settings of one aliyun CLI profile; `ecsRoleName: ""` for an EcsRamRole profile that names
 * no role (the metadata service's one role is then used, as the CLI does).
 */
export function aliyunCliProfileSettings(
  name: string,
  file: string | undefined,
  options: CredentialSourceOptions,
): AckSettings {
  const cli = "aliyun CLI";
  const fix = (mode: string) => `aliyun configure --profile ${name} --mode ${mode}`;
  const read = readProfileFile(cli, file, "~/.aliyun/config.json", fix("AK"), options);
  const profile = findProfile(cli, read, name, fix("AK"));
  const path = read.path;
  const where = `${cli} profile "${name}" in ${path}`;
  const region = field(profile, "region_id", where);
  const regionSetting = region === undefined ? {} : { region };
  // The modes the aliyun CLI and @alicloud/credentials read the same way: keys (AK, StsToken), a RAM
  // role assumed with the profile's keys (RamRoleArn), the ECS instance role (EcsRamRole).
  const { keys, mode } = profileKeys(
    where,
    path,
    profile,
    ["access_key_id", "access_key_secret", "sts_token"],
    ["AK", "StsToken", "RamRoleArn", "EcsRamRole"],
  );
  if (mode === "EcsRamRole") {
    const roleName = field(profile, "ram_role_name", where);
    return {
      ...(roleName === undefined ? { ecsRoleName: "" } : { ecsRoleName: roleName }),
      ...regionSetting,
    };
  }
  const { sts_token: stsToken, ...pair } = keys;
  requireKeys(where, path, mode === "StsToken" ? keys : pair, fix(mode));
  const role: AckSettings = {};
  if (mode === "RamRoleArn") {
    const roleArn = field(profile, "ram_role_arn", where);
    requireKeys(where, path, { ram_role_arn: roleArn }, fix(mode));
    const sessionName = field(profile, "ram_session_name", where);
    const stsEndpoint = field(profile, "sts_endpoint", where);
    Object.assign(role, {
      roleArn,
      ...(sessionName === undefined ? {} : { roleSessionName: sessionName }),
      ...(stsEndpoint === undefined
        ? {}
        : { stsEndpoint: stsEndpoint.includes("://") ? stsEndpoint : `https://${stsEndpoint}` }),
    });
  }
  return {
    accessKeyId: keys.access_key_id as string,
    accessKeySecret: keys.access_key_secret as string,
    // An AK profile's leftover sts_token is ignored, as the aliyun CLI ignores it.
    ...(mode === "StsToken" ? { securityToken: stsToken as string } : {}),
    ...role,
    ...regionSetting,
  };
}

/**
 * KooCLI encrypts keys at rest: newer versions say so with `authEncrypt`, older ones only carry the
 * key material (`crypter`) next to ciphertext values. An explicit `authEncrypt` decides.
 */
function kooCliEncrypted(doc: Record<string, unknown>): boolean {
  const flag = doc["authEncrypt"];
  if (flag !== undefined) return flag === true || flag === "true";
  return doc["crypter"] !== undefined;
}

/**
 * The Huawei Cloud credential settings (and region and project id, when a profile has them) of a
 * credential source, or a `ConfigError` naming the variable, profile or file to fix. `env` defaults
 * to `process.env`.
 */
export function resolveCceCredentialSource(
  source: unknown,
  env: NodeJS.ProcessEnv = process.env,
  options: CredentialSourceOptions = {},
): CceSettings {
  const parsed = parseSource(cceCredentialSourceSchema, source, "CCE");
  if (!("profile" in parsed)) return readEnv("CCE", parsed, CCE_ENV_FIELDS, env);

  const cli = "KooCLI";
  const fix = `hcloud configure set --cli-profile=${parsed.profile}`;
  const file = readProfileFile(cli, parsed.file, "~/.hcloud/config.json", fix, options);
  if (kooCliEncrypted(file.doc)) {
    throw new ConfigError(
      "CONFIG_INVALID",
      `${cli} configuration file ${file.path} stores its keys encrypted, which upgrade-guard cannot read — ` +
        `name environment variables instead (accessKeyEnv, secretKeyEnv)`,
      [file.path],
    );
  }
  const profile = findProfile(cli, file, parsed.profile, fix);
  const where = `${cli} profile "${parsed.profile}" in ${file.path}`;
  const { keys } = profileKeys(
    where,
    file.path,
    profile,
    ["accessKeyId", "secretAccessKey", "securityToken"],
    ["AKSK"],
  );
  const { securityToken, ...pair } = keys;
  requireKeys(where, file.path, pair, fix);
  const region = field(profile, "region", where);
  const projectId = field(profile, "projectId", where);
  return {
    accessKey: keys.accessKeyId as string,
    secretKey: keys.secretAccessKey as string,
    ...(securityToken === undefined ? {} : { securityToken }),
    ...(region === undefined ? {} : { region }),
    ...(projectId === undefined ? {} : { projectId }),
  };
}
