/**
 * Stack configuration of upgrade-guard (`upgrade-guard:*` keys) and how it reaches the clients.
 *
 * Pulumi gives the dynamic providers the stack configuration in `configure(req)` (all namespaces,
 * secrets decrypted, values as strings), and gives programs `new pulumi.Config("upgrade-guard")`.
 * Both paths turn the same keys into the `pulumiConfig` settings of the clients through
 * `settingsFromConfig`, so one table below defines every key. The clients resolve each setting as:
 * explicit resource input (only region and projectId exist as inputs), then this configuration,
 * then the environment (`HUAWEICLOUD_SDK_AK`, `ALIBABA_CLOUD_ACCESS_KEY_ID`, `UPGRADE_GUARD_ENDPOINT`...),
 * read at call time.
 *
 * The configuration lives in module state of the implementation and nowhere else: never in a
 * serialized provider, never in resource inputs or outputs, so it never reaches Pulumi state.
 */
import { registerSecret } from "../internal/redact";

/** The Pulumi configuration namespace: `pulumi config set upgrade-guard:region cn-north-4`. */
export const CONFIG_NAMESPACE = "upgrade-guard";

/** One `upgrade-guard:*` configuration key. */
export interface ConfigKey {
  /** The key without namespace, e.g. `accessKey`. */
  readonly key: string;
  /** Which cloud's settings it feeds (`both` for the endpoint that serves every cloud). */
  readonly cloud: "cce" | "ack" | "both";
  /** Set it with `pulumi config set --secret`. The value is registered with `redact`. */
  readonly secret: boolean;
  /** What the key sets, in one sentence. */
  readonly description: string;
}

/** Every configuration key upgrade-guard reads, in the order the README lists them. */
export const CONFIG_KEYS: readonly ConfigKey[] = [
  {
    key: "region",
    cloud: "cce",
    secret: false,
    description: "Huawei Cloud region of the CCE clusters, e.g. cn-north-4.",
  },
  { key: "projectId", cloud: "cce", secret: false, description: "Huawei Cloud project id of that region." },
  { key: "accessKey", cloud: "cce", secret: true, description: "Huawei Cloud access key (AK)." },
  { key: "secretKey", cloud: "cce", secret: true, description: "Huawei Cloud secret key (SK)." },
  {
    key: "securityToken",
    cloud: "cce",
    secret: true,
    description: "Security token of temporary Huawei credentials.",
  },
  {
    key: "authToken",
    cloud: "cce",
    secret: true,
    description: "A ready Huawei IAM token (X-Auth-Token), instead of AK/SK.",
  },
  { key: "userName", cloud: "cce", secret: false, description: "IAM user name for password authentication." },
  {
    key: "password",
    cloud: "cce",
    secret: true,
    description: "IAM user password for password authentication.",
  },
  {
    key: "domainName",
    cloud: "cce",
    secret: false,
    description: "IAM account (domain) name for password authentication.",
  },
  {
    key: "cceEndpoint",
    cloud: "cce",
    secret: false,
    description: "CCE API base URL, overriding the regional default.",
  },
  {
    key: "iamEndpoint",
    cloud: "cce",
    secret: false,
    description: "Huawei IAM base URL, overriding the default.",
  },
  {
    key: "alibabaRegion",
    cloud: "ack",
    secret: false,
    description: "Alibaba Cloud region of the ACK clusters, e.g. cn-hangzhou.",
  },
  { key: "alibabaAccessKeyId", cloud: "ack", secret: true, description: "Alibaba Cloud AccessKey id." },
  {
    key: "alibabaAccessKeySecret",
    cloud: "ack",
    secret: true,
    description: "Alibaba Cloud AccessKey secret.",
  },
  {
    key: "alibabaSecurityToken",
    cloud: "ack",
    secret: true,
    description: "STS security token of temporary Alibaba credentials.",
  },
  {
    key: "alibabaSignatureAlgorithm",
    cloud: "ack",
    secret: false,
    description: "ACS3-HMAC-SHA256 (default) or HMAC-SHA1 (legacy ROA).",
  },
  {
    key: "ackEndpoint",
    cloud: "ack",
    secret: false,
    description: "ACK (CS) API base URL, overriding the regional default.",
  },
  { key: "accessKeyId", cloud: "ack", secret: true, description: "Alias of alibabaAccessKeyId." },
  { key: "accessKeySecret", cloud: "ack", secret: true, description: "Alias of alibabaAccessKeySecret." },
  {
    key: "endpoint",
    cloud: "both",
    secret: false,
    description: "One base URL for every cloud API (CCE, IAM and ACK), e.g. the local emulator.",
  },
];

/** Settings handed to `createCceClient({ pulumiConfig })`: the fields of `CceSettings` we fill. */
export interface CcePulumiSettings {
  region?: string;
  projectId?: string;
  accessKey?: string;
  secretKey?: string;
  securityToken?: string;
  authToken?: string;
  userName?: string;
  password?: string;
  domainName?: string;
  endpoint?: string;
  iamEndpoint?: string;
}

/** Settings handed to `createAckClient({ pulumiConfig })`: the fields of `AckSettings` we fill. */
export interface AckPulumiSettings {
  region?: string;
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
  endpoint?: string;
  signatureAlgorithm?: "ACS3-HMAC-SHA256" | "HMAC-SHA1";
}

/** Raw configuration values keyed by the key WITHOUT namespace (`{ region: "cn-north-4" }`). */
export type RawConfig = Readonly<Record<string, string | undefined>>;

/** The configuration as settings of both clients. */
export interface PulumiSettings {
  readonly cce: CcePulumiSettings;
  readonly ack: AckPulumiSettings;
}

function pick<K extends string>(
  entries: ReadonlyArray<readonly [K, string | undefined]>,
): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const [key, value] of entries) if (value !== undefined && value !== "") out[key] = value;
  return out;
}

/**
 * Maps raw `upgrade-guard:*` values to client settings. `endpoint` serves every cloud unless a
 * cloud-specific endpoint is set. Secret values are registered with `redact` here, so they are
 * masked in every later message even before a client sees them.
 */
export function settingsFromConfig(raw: RawConfig): PulumiSettings {
  for (const { key, secret } of CONFIG_KEYS) if (secret) registerSecret(raw[key]);
  const shared = raw.endpoint;
  const algorithm = raw.alibabaSignatureAlgorithm;
  const cce = pick<keyof CcePulumiSettings>([
    ["region", raw.region],
    ["projectId", raw.projectId],
    ["accessKey", raw.accessKey],
    ["secretKey", raw.secretKey],
    ["securityToken", raw.securityToken],
    ["authToken", raw.authToken],
    ["userName", raw.userName],
    ["password", raw.password],
    ["domainName", raw.domainName],
    ["endpoint", raw.cceEndpoint ?? shared],
    ["iamEndpoint", raw.iamEndpoint ?? shared],
  ]);
  const ack: AckPulumiSettings = {
    ...pick<Exclude<keyof AckPulumiSettings, "signatureAlgorithm">>([
      ["region", raw.alibabaRegion],
      ["accessKeyId", raw.alibabaAccessKeyId ?? raw.accessKeyId],
      ["accessKeySecret", raw.alibabaAccessKeySecret ?? raw.accessKeySecret],
      ["securityToken", raw.alibabaSecurityToken],
      ["endpoint", raw.ackEndpoint ?? shared],
    ]),
    // An invalid algorithm is passed through as-is so the resolver reports it as CONFIG_INVALID.
    ...(algorithm === undefined || algorithm === ""
      ? {}
      : { signatureAlgorithm: algorithm as NonNullable<AckPulumiSettings["signatureAlgorithm"]> }),
  };
  return { cce, ack };
}

/** The part of Pulumi's `ConfigureRequest` we use (`req.config.get("upgrade-guard:region")`). */
export interface ConfigureRequestLike {
  readonly config: { get(key: string): string | undefined };
}

/** Reads every upgrade-guard key from a `ConfigureRequest`'s config. */
export function rawConfigFromRequest(req: ConfigureRequestLike): RawConfig {
  const raw: Record<string, string | undefined> = {};
  for (const { key } of CONFIG_KEYS) raw[key] = req.config.get(`${CONFIG_NAMESPACE}:${key}`);
  return raw;
}

// Module state of the implementation: what the dynamic provider's configure() saw, per process.
let configured: PulumiSettings = { cce: {}, ack: {} };

/** Stores the stack configuration for every later call of this process. Called by `configure`. */
export function configureFromRequest(req: ConfigureRequestLike): void {
  configured = settingsFromConfig(rawConfigFromRequest(req));
}

/** The settings of the last `configure` (empty before any). */
export function configuredSettings(): PulumiSettings {
  return configured;
}

/** Test hook: forget the configuration. */
export function resetConfiguredSettings(): void {
  configured = { cce: {}, ack: {} };
}
