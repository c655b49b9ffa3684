/**
 * Resolves CCE and ACK configuration from three layers, per field: explicit settings (resource
 * or function arguments), then Pulumi config (`upgrade-guard:<key>`), then the environment (read at
 * call time, never at import), with the fields and their environment variables of fields.ts. What
 * is missing is reported all at once, naming the exact variables and config keys to set; every
 * secret is registered with `redact` as soon as it is read.
 *
 * Choices worth knowing:
 * - CCE region: the official SDK reads no region variable, so the Terraform name comes first and
 *   `HUAWEICLOUD_SDK_REGION` is accepted in the SDK's naming style.
 * - IAM endpoint: `UPGRADE_GUARD_ENDPOINT` (everything to the emulator) beats the vendor's
 *   `HUAWEICLOUD_SDK_IAM_ENDPOINT`, so a password is never sent to a real IAM while every other call
 *   goes to the emulator.
 * - Default endpoints: CCE `https://cce.{region}.myhuaweicloud.com`, IAM the regional
 *   `https://iam.{region}.myhuaweicloud.com` (the token is scoped to that region's project anyway;
 *   the global `https://iam.myhuaweicloud.com` is one override away), both `.eu` for eu-west-101;
 *   ACK `https://cs.{region}.aliyuncs.com`.
 * - A security token is taken only from the layer that supplied the access key: a temporary token
 *   is bound to the temporary key it was issued with, so a stray `*_SECURITY_TOKEN` in the shell
 *   must not be paired with an explicitly configured long-term key.
 * - Empty environment variables count as unset; an explicitly empty setting is an error.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../errors";
import { MASK, redact, registerSecret } from "../internal/redact";
import { bulletList, isRecord } from "../internal/validate";
import { expandHome, readAlibabaCredentialsFile, readHuaweiCredentialsFile } from "./credential-files";
import { aliyunCliProfileSettings, parseCliConfig } from "./credential-source";
import {
  ACK_ENV,
  type AckSettings,
  CCE_ENV,
  type CceSettings,
  type FieldSpec,
  PULUMI_CONFIG_NAMESPACE,
} from "./fields";
import {
  type AckConfig,
  type AlibabaCredentialPlan,
  type AlibabaCredentials,
  type HuaweiCredentialPlan,
  type AlibabaSignatureAlgorithm,
  type CceConfig,
  type HuaweiCredentials,
} from "./types";

type Layer = "explicit" | "pulumi" | "env";

interface Resolved {
  readonly value: string;
  readonly layer: Layer;
  /** Where it came from, for messages: `setting region`, `upgrade-guard:region`, `HW_REGION_NAME`. */
  readonly origin: string;
}

/** Collects problems so that one error can list them all. */
class Problems {
  readonly missing: string[] = [];
  readonly invalid: string[] = [];
  readonly settings = new Set<string>();

  /** `what` is missing; `how` overrides the generated "set X or Y, or Pulumi config Z". */
  need(what: string, settings: readonly string[], how?: string): void {
    // An em dash, not a colon: "secret: x" would be masked by the shape rules of `redact`.
    this.missing.push(`${what} — ${how ?? `set ${describeSettings(settings)}`}`);
    for (const s of settings) this.settings.add(s);
  }

  reject(message: string, settings: readonly string[] = []): void {
    this.invalid.push(message);
    for (const s of settings) this.settings.add(s);
  }

  throwIfAny(cloud: string): void {
    if (this.invalid.length === 0 && this.missing.length === 0) return;
    const sections: string[] = [];
    if (this.invalid.length > 0) sections.push(`Invalid settings:\n${bulletList(this.invalid)}`);
    if (this.missing.length > 0) sections.push(`Missing settings:\n${bulletList(this.missing)}`);
    throw new ConfigError(
      this.invalid.length > 0 ? "CONFIG_INVALID" : "CONFIG_MISSING",
      `${cloud} configuration is incomplete.\n${sections.join("\n")}`,
      [...this.settings],
    );
  }
}

function pulumiKey(field: string, spec?: FieldSpec): string {
  return `${PULUMI_CONFIG_NAMESPACE}:${spec?.pulumiKey ?? field}`;
}

/** `A or B (environment), or Pulumi config upgrade-guard:x`. */
function describeSettings(settings: readonly string[]): string {
  const env = settings.filter((s) => !s.includes(":"));
  const config = settings.filter((s) => s.includes(":"));
  const parts: string[] = [];
  if (env.length > 0) parts.push(`environment variable ${env.join(" or ")}`);
  if (config.length > 0) parts.push(`Pulumi config ${config.join(" or ")}`);
  return parts.join(", or ");
}

function settingsFor(field: string, spec: FieldSpec): string[] {
  return [...spec.env, pulumiKey(field, spec)];
}

/** What the resolvers of both clouds read their fields with. */
interface Resolver<F extends string> {
  /** A field's value from the first layer that has it (only from `onlyLayer` when given). */
  pick(field: F, onlyLayer?: Layer): Resolved | undefined;
  /** The environment variables and Pulumi key that set a field, for messages. */
  settings(field: F): string[];
  readonly problems: Problems;
}

function makeResolver<S extends object>(
  specs: Readonly<Record<keyof S & string, FieldSpec>>,
  explicit: S | undefined,
  fromPulumi: S | undefined,
  env: NodeJS.ProcessEnv,
): Resolver<keyof S & string> {
  const problems = new Problems();
  const layers: ReadonlyArray<[Layer, S | undefined]> = [
    ["explicit", explicit],
    ["pulumi", fromPulumi],
  ];
  // Register every secret on offer, used or not (an unused password is still a password).
  for (const [field, spec] of Object.entries(specs) as Array<[string, FieldSpec]>) {
    if (spec.secret !== true) continue;
    const candidates = [
      ...layers.map(([, settings]) => (settings as Record<string, unknown> | undefined)?.[field]),
      ...spec.env.map((name) => env[name]),
    ];
    for (const candidate of candidates) if (typeof candidate === "string") registerSecret(candidate.trim());
  }
  // The other cloud's secrets in the environment too: vendor text this cloud writes can quote them
  // (a node's config holding both clouds' keys), and it is shown before the other resolver runs.
  for (const spec of [...Object.values(CCE_ENV), ...Object.values(ACK_ENV)] as FieldSpec[])
    if (spec.secret === true) for (const name of spec.env) registerSecret(env[name]?.trim());
  const pick = (field: keyof S & string, onlyLayer?: Layer): Resolved | undefined => {
    const spec = specs[field];
    for (const [layer, settings] of layers) {
      if (onlyLayer !== undefined && onlyLayer !== layer) continue;
      const raw = (settings as Record<string, unknown> | undefined)?.[field];
      if (raw === undefined || raw === null) continue;
      const origin = layer === "explicit" ? `setting ${field}` : pulumiKey(field, spec);
      if (typeof raw !== "string") {
        problems.reject(`${field} (from ${origin}) must be a string`, settingsFor(field, spec));
        return undefined;
      }
      const value = raw.trim();
      if (value === "") {
        problems.reject(`${field} (from ${origin}) is empty: give it a value or leave it unset`, [origin]);
        return undefined;
      }
      if (spec.secret === true) registerSecret(value);
      return { value, layer, origin };
    }
    if (onlyLayer !== undefined && onlyLayer !== "env") return undefined;
    for (const name of spec.env) {
      const value = env[name]?.trim();
      if (value === undefined || value === "") continue;
      if (spec.secret === true) registerSecret(value);
      return { value, layer: "env", origin: name };
    }
    return undefined;
  };
  return { pick, settings: (field) => settingsFor(field, specs[field]), problems };
}

const REGION = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const PROJECT_ID = /^[A-Za-z0-9_-]+$/;

function checkRegion<F extends string>(
  { pick, settings, problems }: Resolver<F | "region">,
  example: string,
) {
  const region = pick("region");
  if (region === undefined) {
    problems.need(`region (e.g. ${example})`, settings("region"));
    return undefined;
  }
  if (!REGION.test(region.value)) {
    problems.reject(
      `region "${region.value}" (from ${region.origin}) is not a region id: use lower-case letters, digits and dashes, e.g. ${example}`,
      settings("region"),
    );
    return undefined;
  }
  return region.value;
}

/**
 * Where the set fields among `fields` came from (variable or setting names), in order. With
 * `sameLayer`, the rest come from the first field's layer only, as `keyPair` uses them.
 */
function sourcesOf<F extends string>(
  { pick }: Resolver<F>,
  fields: readonly F[],
  sameLayer = false,
): string[] {
  const first = fields[0] === undefined ? undefined : pick(fields[0]);
  return fields.flatMap((field, i) => {
    const picked = i === 0 ? first : pick(field, sameLayer ? first?.layer : undefined);
    return picked === undefined ? [] : [picked.origin];
  });
}

/** The configured request rate (requests per second), when one is set: a positive number. */
function checkRate<F extends string>({
  pick,
  settings,
  problems,
}: Resolver<F | "rateLimit">): { rateLimit?: number } {
  const rate = pick("rateLimit");
  if (rate === undefined) return {};
  const value = Number(rate.value);
  if (!Number.isFinite(value) || value <= 0) {
    problems.reject(
      `rateLimit "${rate.value}" (from ${rate.origin}) must be a positive number of requests per second, e.g. 20`,
      settings("rateLimit"),
    );
    return {};
  }
  return { rateLimit: value };
}

/**
 * The endpoint as messages may show it: user info (`https://user:password@host`) masked, and the
 * rest through `redact` (a `?token=` in a pasted URL).
 */
function shownEndpoint(value: string): string {
  return redact(value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/i, `$1${MASK}@`));
}

/**
 * The endpoint setting as an http(s) base URL without a trailing slash, query or fragment, else
 * `fallback` (the regional default) when it is not set.
 */
function checkEndpoint<F extends string>(
  { pick, settings, problems }: Resolver<F>,
  field: F,
  fallback: string | undefined,
): string | undefined {
  const endpoint = pick(field);
  if (endpoint === undefined) return fallback;
  let url: URL;
  try {
    url = new URL(endpoint.value);
  } catch {
    problems.reject(
      `${field} "${shownEndpoint(endpoint.value)}" (from ${endpoint.origin}) is not a URL: use e.g. https://host or http://127.0.0.1:8080`,
      settings(field),
    );
    return undefined;
  }
  if (url.username !== "" || url.password !== "") {
    problems.reject(`${field} (from ${endpoint.origin}) must not carry user info`, settings(field));
    return undefined;
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.search !== "" || url.hash !== "") {
    problems.reject(
      `${field} "${shownEndpoint(endpoint.value)}" (from ${endpoint.origin}) must be an http:// or https:// base URL without query or fragment`,
      settings(field),
    );
    return undefined;
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

function huaweiDomain(region: string): string {
  return region === "eu-west-101" ? "myhuaweicloud.eu" : "myhuaweicloud.com";
}

export function defaultCceEndpoint(region: string): string {
  return `https://cce.${region}.${huaweiDomain(region)}`;
}

export function defaultIamEndpoint(region: string): string {
  return `https://iam.${region}.${huaweiDomain(region)}`;
}

/**
 * Regions whose ACK API is the central `cs.aliyuncs.com`, not `cs.{region}.aliyuncs.com`: the
 * special and internal regions of the vendor SDK's fixed endpoint map (docs/ack.md#conventions;
 * a test holds this list to the map of the installed `@alicloud/cs20151215`).
 */
const ACK_CENTRAL_ENDPOINT_REGIONS: ReadonlySet<string> = new Set([
  "ap-northeast-2-pop",
  "cn-beijing-finance-pop",
  "cn-beijing-gov-1",
  "cn-beijing-nu16-b01",
  "cn-edge-1",
  "cn-fujian",
  "cn-haidian-cm12-c01",
  "cn-hangzhou-bj-b01",
  "cn-hangzhou-internal-prod-1",
  "cn-hangzhou-internal-test-1",
  "cn-hangzhou-internal-test-2",
  "cn-hangzhou-internal-test-3",
  "cn-hangzhou-test-306",
  "cn-hongkong-finance-pop",
  "cn-qingdao-nebula",
  "cn-shanghai-et15-b01",
  "cn-shanghai-et2-b01",
  "cn-shanghai-inner",
  "cn-shanghai-internal-test-1",
  "cn-shenzhen-inner",
  "cn-shenzhen-st4-d01",
  "cn-shenzhen-su18-b01",
  "cn-wuhan",
  "cn-yushanfang",
  "cn-zhangbei",
  "cn-zhangbei-na61-b01",
  "cn-zhangjiakou-na62-a01",
  "cn-zhengzhou-nebula-1",
  "eu-west-1-oxs",
  "rus-west-1-pop",
]);

export function defaultAckEndpoint(region: string): string {
  return ACK_CENTRAL_ENDPOINT_REGIONS.has(region)
    ? "https://cs.aliyuncs.com"
    : `https://cs.${region}.aliyuncs.com`;
}

/**
 * An access key and its secret, keyed by their field names (`absent` when neither is set); one
 * without the other is an error naming the missing half. The secret and the security token come
 * from the access key's layer only: a secret from another layer belongs to another account.
 */
function keyPair<F extends string, Id extends F, Secret extends F, Token extends F>(
  { pick, settings, problems }: Resolver<F>,
  idField: Id,
  secretField: Secret,
  tokenField: Token,
): ({ [K in Id | Secret]: string } & { [K in Token]?: string }) | "absent" | undefined {
  const id = pick(idField);
  const secret = id === undefined ? pick(secretField) : pick(secretField, id.layer);
  if (id === undefined && secret === undefined) return "absent";
  if (id === undefined) {
    problems.reject(
      `${(secret as Resolved).origin} is set but its other half is not: set ${idField} with ${describeSettings(settings(idField))}`,
      settings(idField),
    );
    return undefined;
  }
  if (secret === undefined) {
    problems.reject(
      `${idField} is set in ${id.origin} but ${secretField} is not: set ${secretField} in the same place (${describeSettings(settings(secretField))}, whichever matches): a secret from another layer belongs to another key`,
      [...settings(idField), ...settings(secretField)],
    );
    return undefined;
  }
  const token = pick(tokenField, id.layer);
  return {
    [idField]: id.value,
    [secretField]: secret.value,
    ...(token === undefined ? {} : { [tokenField]: token.value }),
  } as { [K in Id | Secret]: string } & { [K in Token]?: string };
}

interface ChosenHuawei {
  readonly credentials: HuaweiCredentials;
  readonly plan?: HuaweiCredentialPlan;
  /** Where they came from, when not from the resolver's own fields. */
  readonly sources?: string[];
  /** The project id the credentials file gives, used when no setting gives one. */
  readonly projectId?: string;
}

function resolveHuaweiCredentials(
  resolver: Resolver<keyof CceSettings & string>,
  env: NodeJS.ProcessEnv,
): ChosenHuawei | undefined {
  const { pick, settings: s, problems } = resolver;
  const aksk = keyPair(resolver, "accessKey", "secretKey", "securityToken");
  if (aksk !== "absent") return aksk && { credentials: { kind: "aksk", ...aksk } };
  const authToken = pick("authToken");
  if (authToken !== undefined) return { credentials: { kind: "token", token: authToken.value } };

  const userName = pick("userName");
  const password = pick("password");
  const domainName = pick("domainName");
  const passwordParts = { userName, password, domainName };
  if (userName && password && domainName) {
    return {
      credentials: {
        kind: "password",
        userName: userName.value,
        password: password.value,
        domainName: domainName.value,
      },
    };
  }
  if (userName || password || domainName) {
    const lacking = (Object.keys(passwordParts) as Array<keyof typeof passwordParts>).filter(
      (key) => passwordParts[key] === undefined,
    );
    problems.reject(
      `password authentication needs userName, password and domainName together; also set ${lacking
        .map((key) => `${key} (${describeSettings(s(key))})`)
        .join("; ")}`,
      lacking.flatMap(s),
    );
    return undefined;
  }
  // Then the vendor SDK's chain: its credentials file, then (when asked for) the metadata service.
  const metadata = pick("metadataCredentials");
  if (metadata !== undefined && !["true", "false"].includes(metadata.value.toLowerCase())) {
    problems.reject(
      `metadataCredentials (from ${metadata.origin}) must be true or false`,
      s("metadataCredentials"),
    );
    return undefined;
  }
  if (metadata !== undefined && metadata.value.toLowerCase() === "true") {
    const metadataEndpoint = checkEndpoint(resolver, "metadataEndpoint", DEFAULT_HUAWEI_METADATA_ENDPOINT);
    if (metadataEndpoint === undefined) return undefined;
    const source = `temporary keys of the ECS instance's agency from the metadata service ${metadataEndpoint} (${metadata.origin})`;
    return {
      credentials: { kind: "aksk", accessKey: `temporary credentials from ${source}`, secretKey: "" },
      plan: { kind: "metadata", metadataEndpoint, source },
      sources: [source],
    };
  }
  const fileSetting = pick("credentialsFile");
  const home = homeOf(env);
  const filePath = credentialsFilePath(fileSetting?.value, home, ".huaweicloud");
  if (filePath !== undefined) {
    const settings = readHuaweiCredentialsFile(filePath, fileSetting !== undefined);
    if (settings !== undefined) {
      const { projectId, ...keys } = settings;
      return {
        credentials: { kind: "aksk", ...keys },
        sources: [`the credentials file ${filePath}, section [basic]`],
        ...(projectId === undefined ? {} : { projectId }),
      };
    }
  }
  const joined = (fields: Array<keyof CceSettings & string>) => {
    const env = fields
      .map((field) => CCE_ENV[field].env)
      .map((names) => (names.length > 1 ? `(${names.join(" or ")})` : names.join("")))
      .join(" + ");
    return `${env}, or Pulumi config ${fields.map((field) => pulumiKey(field, CCE_ENV[field])).join(" + ")}`;
  };
  problems.need(
    "credentials",
    (["accessKey", "secretKey", "authToken", "userName", "password", "domainName"] as const).flatMap(s),
    "set one of: an AK/SK pair (" +
      joined(["accessKey", "secretKey"]) +
      "); a ready IAM token (" +
      joined(["authToken"]) +
      "); or a password login (" +
      joined(["userName", "password", "domainName"]) +
      "); or a credentials file ~/.huaweicloud/credentials ([basic] ak, sk); or, on ECS, " +
      "UPGRADE_GUARD_HUAWEI_METADATA_CREDENTIALS=true for the instance agency's temporary keys",
  );
  return undefined;
}

/**
 * The CCE configuration, or a `ConfigError` listing everything missing (`CONFIG_MISSING`) or
 * wrong (`CONFIG_INVALID`).
 */
export function resolveCceConfig(
  explicit?: CceSettings,
  fromPulumi?: CceSettings,
  env: NodeJS.ProcessEnv = process.env,
): CceConfig {
  const resolver = makeResolver<CceSettings>(CCE_ENV, explicit, fromPulumi, env);
  const { pick, settings: s, problems } = resolver;

  const region = checkRegion(resolver, "cn-north-4");
  const chosen = resolveHuaweiCredentials(resolver, env);
  const fileProjectId = chosen?.projectId;
  const projectIdSetting =
    pick("projectId") ??
    (fileProjectId === undefined
      ? undefined
      : { value: fileProjectId, layer: "env" as const, origin: "project_id of the credentials file" });
  let projectId: string | undefined;
  if (projectIdSetting === undefined) {
    problems.need("project id (the CCE paths need it; see My Credentials > API Credentials)", s("projectId"));
  } else if (!PROJECT_ID.test(projectIdSetting.value)) {
    problems.reject(
      `projectId (from ${projectIdSetting.origin}) may contain only letters, digits, "-" and "_"`,
      s("projectId"),
    );
  } else {
    projectId = projectIdSetting.value;
  }
  const endpoint = checkEndpoint(resolver, "endpoint", region && defaultCceEndpoint(region));
  const iamEndpoint = checkEndpoint(resolver, "iamEndpoint", region && defaultIamEndpoint(region));

  const rateLimit = checkRate(resolver);

  problems.throwIfAny("CCE");
  if (!region || !projectId || !chosen || !endpoint || !iamEndpoint) {
    // Unreachable: every undefined above recorded a problem.
    throw new ConfigError("CONFIG_INVALID", "CCE configuration could not be resolved");
  }
  const credentialFields = {
    aksk: ["accessKey", "secretKey", "securityToken"],
    token: ["authToken"],
    password: ["userName", "password", "domainName"],
  } as const;
  const { credentials, plan } = chosen;
  const credentialSources =
    chosen.sources ?? sourcesOf(resolver, credentialFields[credentials.kind], credentials.kind === "aksk");
  return {
    region,
    projectId,
    endpoint,
    iamEndpoint,
    credentials,
    ...(plan === undefined ? {} : { credentialPlan: plan }),
    credentialSources,
    ...rateLimit,
  };
}

const SIGNATURE_ALGORITHMS: readonly AlibabaSignatureAlgorithm[] = ["ACS3-HMAC-SHA256", "HMAC-SHA1"];

/**
 * The ACK configuration, or a `ConfigError` listing everything missing (`CONFIG_MISSING`) or
 * wrong (`CONFIG_INVALID`).
 */
export function resolveAckConfig(
  explicit?: AckSettings,
  fromPulumi?: AckSettings,
  env: NodeJS.ProcessEnv = process.env,
): AckConfig {
  const resolver = makeResolver<AckSettings>(ACK_ENV, explicit, fromPulumi, env);
  const { pick, problems } = resolver;

  const region = checkRegion(resolver, "cn-hangzhou");

  const chosen = resolveAlibabaCredentials(resolver, env);

  const algorithmSetting = pick("signatureAlgorithm");
  let signatureAlgorithm: AlibabaSignatureAlgorithm = "ACS3-HMAC-SHA256";
  if (algorithmSetting !== undefined) {
    const known = SIGNATURE_ALGORITHMS.find((a) => a === algorithmSetting.value);
    if (known === undefined) {
      problems.reject(
        `signatureAlgorithm "${algorithmSetting.value}" (from ${algorithmSetting.origin}) must be ${SIGNATURE_ALGORITHMS.join(" or ")}`,
        [pulumiKey("signatureAlgorithm", ACK_ENV.signatureAlgorithm)],
      );
    } else {
      signatureAlgorithm = known;
    }
  }
  const endpoint = checkEndpoint(resolver, "endpoint", region && defaultAckEndpoint(region));
  const rateLimit = checkRate(resolver);

  problems.throwIfAny("ACK");
  if (!region || !chosen || !endpoint) {
    throw new ConfigError("CONFIG_INVALID", "ACK configuration could not be resolved");
  }
  const { credentials, plan, sources: credentialSources } = chosen;
  return {
    region,
    endpoint,
    credentials,
    ...(plan === undefined ? {} : { credentialPlan: plan }),
    signatureAlgorithm,
    credentialSources,
    ...rateLimit,
  };
}

/**
 * The home directory the vendors' files are under: `HOME` (or `USERPROFILE`) of the environment
 * being resolved, so a test's environment brings its own home; the process's home only when the
 * environment is the process's.
 */
function homeOf(env: NodeJS.ProcessEnv): string | undefined {
  const home = env["HOME"] ?? env["USERPROFILE"];
  if (home !== undefined && home !== "") return home;
  return env === process.env ? homedir() : undefined;
}

const LAYER_RANK: Readonly<Record<Layer, number>> = { explicit: 0, pulumi: 1, env: 2 };
const NO_LAYER = 9;
const rankOf = (resolved: Resolved | undefined): number =>
  resolved === undefined ? NO_LAYER : LAYER_RANK[resolved.layer];

export const DEFAULT_STS_ENDPOINT = "https://sts.aliyuncs.com";
export const DEFAULT_ALIBABA_METADATA_ENDPOINT = "http://100.100.100.200";
export const DEFAULT_HUAWEI_METADATA_ENDPOINT = "http://169.254.169.254";
const ASSUME_ROLE_SECONDS = 3600;
const SESSION_NAME = /^[A-Za-z0-9.@_-]{2,64}$/;

interface ChosenAlibaba {
  readonly credentials: AlibabaCredentials;
  readonly plan?: AlibabaCredentialPlan;
  readonly sources: string[];
}

/** What a credential plan's config carries as `credentials`: the source's name, no key. */
function standIn(source: string): AlibabaCredentials {
  return { accessKeyId: `temporary credentials from ${source}`, accessKeySecret: "" };
}

/**
 * The Alibaba credentials, in the order of the vendor's default chain (docs/credentials.md): keys
 * (explicit, Pulumi config, environment; a RAM role assumed with them when `roleArn` is set), else
 * a profile (named, else the aliyun CLI's `current`, else `[default]` of the credentials file),
 * else the ECS instance RAM role named by `ALIBABA_CLOUD_ECS_METADATA`. A higher layer wins: a
 * profile or ECS role given explicitly beats keys in the environment.
 */
function resolveAlibabaCredentials(
  resolver: Resolver<keyof AckSettings & string>,
  env: NodeJS.ProcessEnv,
): ChosenAlibaba | undefined {
  const { pick, settings: s, problems } = resolver;
  const keys = keyPair(resolver, "accessKeyId", "accessKeySecret", "securityToken");
  if (keys === undefined) return undefined;
  const keyRank = keys === "absent" ? NO_LAYER : rankOf(pick("accessKeyId"));
  const profile = pick("profile");
  const ecs = pick("ecsRoleName");
  const best = Math.min(keyRank, rankOf(profile), rankOf(ecs));
  const home = homeOf(env);

  if (keys !== "absent" && keyRank === best) {
    const sources = sourcesOf(resolver, ["accessKeyId", "accessKeySecret", "securityToken"], true);
    // Like the STS token, the role comes from the keys' layer only: a stray ALIBABA_CLOUD_ROLE_ARN in
    // the shell must not turn an explicitly configured account's keys into another role.
    const keyLayer = pick("accessKeyId")?.layer;
    const roleArn = pick("roleArn", keyLayer);
    if (roleArn === undefined) return { credentials: keys, sources };
    return assumeRole(resolver, keys, roleArn.value, pick("roleSessionName")?.value, {
      role: `RAM role ${roleArn.value} (${roleArn.origin})`,
      keys: sources.join(", "),
    });
  }
  if (profile !== undefined && rankOf(profile) === best) {
    return fromProfile(resolver, profile.value, profile.origin, home, env);
  }
  // Neither keys nor a profile beat it: an explicitly configured role is the best layer's. One
  // only from the environment comes after the CLI profile and the credentials file, as in the
  // vendor's default chain (docs/credentials.md).
  const ecsSource = ecs && `the ECS instance RAM role "${ecs.value}" (${ecs.origin})`;
  if (ecs !== undefined && ecs.layer !== "env") return ecsRole(resolver, ecs.value, ecsSource as string, env);
  // Nothing set: the files the vendor's tools write, when they exist.
  const cliPath = home === undefined ? undefined : join(home, ".aliyun", "config.json");
  const current = cliPath === undefined ? undefined : cliCurrentProfile(cliPath);
  if (current !== undefined) return fromProfile(resolver, current, `"current" of ${cliPath}`, home, env);
  const fileSetting = pick("credentialsFile");
  const filePath = credentialsFilePath(fileSetting?.value, home, ".alibabacloud");
  if (filePath !== undefined) {
    const settings = readAlibabaCredentialsFile(filePath, "default", {
      mustExist: fileSetting !== undefined,
      profileNamed: false,
      settings: s("credentialsFile"),
    });
    if (settings !== undefined) {
      return fromSettings(resolver, settings, `the credentials file ${filePath}, profile [default]`, env);
    }
  }
  if (ecs !== undefined) return ecsRole(resolver, ecs.value, ecsSource as string, env);
  problems.need(
    "credentials",
    [...s("accessKeyId"), ...s("accessKeySecret")],
    `set ${describeSettings(s("accessKeyId"))} and ${describeSettings(s("accessKeySecret"))}; ` +
      `or a profile (${describeSettings(s("profile"))}) of ~/.aliyun/config.json or ~/.alibabacloud/credentials; ` +
      `or, on ECS, the instance RAM role (${describeSettings(s("ecsRoleName"))})`,
  );
  return undefined;
}

/** The credentials file setting with `~/` expanded, else `credentials` in the vendor's folder of home. */
function credentialsFilePath(setting: string | undefined, home: string | undefined, dir: string) {
  if (setting !== undefined) return expandHome(setting, home);
  return home === undefined ? undefined : join(home, dir, "credentials");
}

/** The `current` profile of the aliyun CLI's config.json, when the file exists and names one. */
function cliCurrentProfile(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const doc = parseCliConfig("aliyun CLI", path, readFileSync(path, "utf8"), "aliyun configure");
  const current = isRecord(doc) ? doc["current"] : undefined;
  return typeof current === "string" && current !== "" ? current : undefined;
}

/**
 * A named profile: the aliyun CLI's config.json first, then the credentials file (the vendor's
 * chain reads them in this order); one that is in neither is an error naming both files.
 */
function fromProfile(
  resolver: Resolver<keyof AckSettings & string>,
  name: string,
  origin: string,
  home: string | undefined,
  env: NodeJS.ProcessEnv,
): ChosenAlibaba | undefined {
  const { pick, settings: s, problems } = resolver;
  const cliPath = home === undefined ? undefined : join(home, ".aliyun", "config.json");
  if (cliPath !== undefined && existsSync(cliPath) && cliHasProfile(cliPath, name)) {
    const settings = aliyunCliProfileSettings(name, cliPath, home === undefined ? {} : { homeDir: home });
    return fromSettings(resolver, settings, `aliyun CLI profile "${name}" in ${cliPath} (${origin})`, env);
  }
  const fileSetting = pick("credentialsFile");
  const filePath = credentialsFilePath(fileSetting?.value, home, ".alibabacloud");
  if (filePath !== undefined && (fileSetting !== undefined || existsSync(filePath))) {
    const settings = readAlibabaCredentialsFile(filePath, name, {
      mustExist: fileSetting !== undefined,
      profileNamed: true,
      settings: s("profile"),
    });
    if (settings !== undefined) {
      return fromSettings(
        resolver,
        settings,
        `the credentials file ${filePath}, profile [${name}] (${origin})`,
        env,
      );
    }
  }
  problems.reject(
    `profile "${name}" (from ${origin}) is in neither ${cliPath ?? "~/.aliyun/config.json"} nor ${filePath ?? "~/.alibabacloud/credentials"} — ` +
      `create it with \`aliyun configure --profile ${name}\`, or name an existing profile`,
    s("profile"),
  );
  return undefined;
}

function cliHasProfile(path: string, name: string): boolean {
  try {
    const doc = JSON.parse(readFileSync(path, "utf8")) as { profiles?: unknown };
    return Array.isArray(doc.profiles) && doc.profiles.some((p) => (p as { name?: unknown })?.name === name);
  } catch {
    // aliyunCliProfileSettings reports the malformed file.
    return true;
  }
}

/** The credentials a profile's settings describe: keys, a role to assume with them, or the ECS role. */
function fromSettings(
  resolver: Resolver<keyof AckSettings & string>,
  settings: AckSettings,
  source: string,
  env: NodeJS.ProcessEnv,
): ChosenAlibaba | undefined {
  if (settings.ecsRoleName !== undefined) {
    const named = settings.ecsRoleName === "" ? "the one role the instance has" : `"${settings.ecsRoleName}"`;
    return ecsRole(resolver, settings.ecsRoleName, `the ECS instance RAM role ${named} (${source})`, env);
  }
  const keys: AlibabaCredentials = {
    accessKeyId: settings.accessKeyId as string,
    accessKeySecret: settings.accessKeySecret as string,
    ...(settings.securityToken === undefined ? {} : { securityToken: settings.securityToken }),
  };
  if (settings.roleArn === undefined) return { credentials: keys, sources: [source] };
  return assumeRole(resolver, keys, settings.roleArn, settings.roleSessionName, {
    role: `RAM role ${settings.roleArn}`,
    keys: source,
    ...(settings.stsEndpoint === undefined ? {} : { stsEndpoint: settings.stsEndpoint }),
  });
}

function assumeRole(
  resolver: Resolver<keyof AckSettings & string>,
  base: AlibabaCredentials,
  roleArn: string,
  sessionName: string | undefined,
  where: { role: string; keys: string; stsEndpoint?: string },
): ChosenAlibaba | undefined {
  const { settings: s, problems } = resolver;
  const roleSessionName = sessionName ?? "upgrade-guard";
  if (!/^acs:ram::\d+:role\/[^\s]+$/.test(roleArn)) {
    problems.reject(
      `${where.role} is not a RAM role ARN: use acs:ram::<account id>:role/<role name>`,
      s("roleArn"),
    );
    return undefined;
  }
  if (!SESSION_NAME.test(roleSessionName)) {
    problems.reject(
      `roleSessionName "${roleSessionName}" must be 2 to 64 letters, digits or . @ - _`,
      s("roleSessionName"),
    );
    return undefined;
  }
  const stsEndpoint =
    resolver.pick("stsEndpoint") === undefined && where.stsEndpoint !== undefined
      ? where.stsEndpoint.replace(/\/+$/, "")
      : checkEndpoint(resolver, "stsEndpoint", DEFAULT_STS_ENDPOINT);
  if (stsEndpoint === undefined) return undefined;
  const source = `${where.role}, assumed with ${where.keys}`;
  return {
    credentials: standIn(source),
    plan: {
      kind: "assumeRole",
      base,
      roleArn,
      roleSessionName,
      durationSeconds: ASSUME_ROLE_SECONDS,
      stsEndpoint,
      source,
    },
    sources: [source],
  };
}

function ecsRole(
  resolver: Resolver<keyof AckSettings & string>,
  roleName: string,
  source: string,
  env: NodeJS.ProcessEnv,
): ChosenAlibaba | undefined {
  if (env["ALIBABA_CLOUD_ECS_METADATA_DISABLED"]?.trim().toLowerCase() === "true") {
    resolver.problems.reject(
      `${source} is turned off by ALIBABA_CLOUD_ECS_METADATA_DISABLED=true — unset that variable, or give keys instead`,
      ["ALIBABA_CLOUD_ECS_METADATA_DISABLED", ...resolver.settings("accessKeyId")],
    );
    return undefined;
  }
  const metadataEndpoint = checkEndpoint(resolver, "metadataEndpoint", DEFAULT_ALIBABA_METADATA_ENDPOINT);
  if (metadataEndpoint === undefined) return undefined;
  const full = `${source} from the metadata service ${metadataEndpoint}`;
  return {
    credentials: standIn(full),
    plan: {
      kind: "ecsRamRole",
      ...(roleName === "" ? {} : { roleName }),
      metadataEndpoint,
      source: full,
    },
    sources: [full],
  };
}
