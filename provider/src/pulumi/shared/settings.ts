/**
 * Stack configuration of upgrade-guard (`upgrade-guard:*` keys) and how it reaches the clients.
 *
 * Pulumi gives the dynamic providers the stack configuration in `configure(req)` (all namespaces,
 * secrets decrypted, values as strings), and gives programs `new pulumi.Config("upgrade-guard")`.
 * Both paths turn the same keys into the `pulumiConfig` settings of the clients through
 * `settingsFromConfig`, and every key comes from the clients' field tables (auth/config.ts). The clients resolve each setting as:
 * explicit resource input (only region and projectId exist as inputs), then this configuration,
 * then the environment (`HUAWEICLOUD_SDK_AK`, `ALIBABA_CLOUD_ACCESS_KEY_ID`, `UPGRADE_GUARD_ENDPOINT`...),
 * read at call time.
 *
 * The configuration lives in module state of the implementation and nowhere else: never in a
 * serialized provider, never in resource inputs or outputs, so it never reaches Pulumi state.
 */
import {
  ACK_ENV,
  type AckSettings,
  CCE_ENV,
  type CceSettings,
  type FieldSpec,
  PULUMI_CONFIG_NAMESPACE,
  SHARED_ENDPOINT_KEY,
  SHARED_RATE_LIMIT_KEY,
} from "../../auth/fields";
import { registerSecret } from "../../internal/redact";

/** The Pulumi configuration namespace: `pulumi config set upgrade-guard:region cn-north-4`. */
export const CONFIG_NAMESPACE = PULUMI_CONFIG_NAMESPACE;

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

type Fields<S> = Readonly<Record<keyof S & string, FieldSpec>>;

function keysOf<S>(cloud: "cce" | "ack", fields: Fields<S>): ConfigKey[] {
  return Object.entries<FieldSpec>(fields).map(([field, spec]) => ({
    key: spec.pulumiKey ?? field,
    cloud,
    secret: spec.secret === true,
    description: spec.description,
  }));
}

/** Aliases: a fallback key of one field only ("Alias of ..."); the shared endpoint is its own row. */
function aliasesOf<S>(cloud: "cce" | "ack", fields: Fields<S>): ConfigKey[] {
  return Object.entries<FieldSpec>(fields).flatMap(([field, spec]) =>
    (spec.pulumiFallbacks ?? [])
      .filter((key) => key !== SHARED_ENDPOINT_KEY && key !== SHARED_RATE_LIMIT_KEY)
      .map((key) => ({
        key,
        cloud,
        secret: spec.secret === true,
        description: `Alias of ${spec.pulumiKey ?? field}.`,
      })),
  );
}

/**
 * Every configuration key upgrade-guard reads, derived from the clients' field tables (CCE_ENV,
 * ACK_ENV in auth/config.ts): each field's own key, its aliases, the shared endpoint and rate.
 */
export const CONFIG_KEYS: readonly ConfigKey[] = [
  ...keysOf<CceSettings>("cce", CCE_ENV),
  ...keysOf<AckSettings>("ack", ACK_ENV),
  ...aliasesOf<CceSettings>("cce", CCE_ENV),
  ...aliasesOf<AckSettings>("ack", ACK_ENV),
  {
    key: SHARED_ENDPOINT_KEY,
    cloud: "both",
    secret: false,
    description: "One base URL for every cloud API (CCE, IAM and ACK), e.g. the local emulator.",
  },
  {
    key: SHARED_RATE_LIMIT_KEY,
    cloud: "both",
    secret: false,
    description: "Requests per second per endpoint and account for both clouds (docs/rate-limits.md).",
  },
];

/** Raw configuration values keyed by the key WITHOUT namespace (`{ region: "cn-north-4" }`). */
export type RawConfig = Readonly<Record<string, string | undefined>>;

/** The configuration as settings of both clients. */
export interface PulumiSettings {
  readonly cce: CceSettings;
  readonly ack: AckSettings;
}

/** A field's value: its own key, else the first fallback that is set; empty counts as unset. */
function fieldsFrom<S>(raw: RawConfig, fields: Fields<S>): Partial<Record<keyof S & string, string>> {
  const out: Partial<Record<string, string>> = {};
  for (const [field, spec] of Object.entries<FieldSpec>(fields)) {
    const value = [spec.pulumiKey ?? field, ...(spec.pulumiFallbacks ?? [])]
      .map((key) => raw[key])
      .find((candidate) => candidate !== undefined && candidate !== "");
    if (value !== undefined) out[field] = value;
  }
  return out as Partial<Record<keyof S & string, string>>;
}

/**
 * Maps raw `upgrade-guard:*` values to client settings. `endpoint` serves every cloud unless a
 * cloud-specific endpoint is set. Secret values are registered with `redact` here, so they are
 * masked in every later message even before a client sees them. An invalid signature algorithm is
 * passed through as-is so the resolver reports it as CONFIG_INVALID.
 */
export function settingsFromConfig(raw: RawConfig): PulumiSettings {
  for (const { key, secret } of CONFIG_KEYS) if (secret) registerSecret(raw[key]);
  return {
    cce: fieldsFrom<CceSettings>(raw, CCE_ENV),
    ack: fieldsFrom<AckSettings>(raw, ACK_ENV) as AckSettings,
  };
}

/** The part of Pulumi's `ConfigureRequest` we use (`req.config.get("upgrade-guard:region")`). */
export interface ConfigureRequestLike {
  readonly config: { get(key: string): string | undefined };
}

// Module state of the implementation: what the dynamic provider's configure() saw, per process.
let configured: PulumiSettings = { cce: {}, ack: {} };

/** Stores the stack configuration for every later call of this process. Called by `configure`. */
export function configureFromRequest(req: ConfigureRequestLike): void {
  const raw: Record<string, string | undefined> = {};
  for (const { key } of CONFIG_KEYS) raw[key] = req.config.get(`${CONFIG_NAMESPACE}:${key}`);
  configured = settingsFromConfig(raw);
}

/** The settings of the last `configure` (empty before any). */
export function configuredSettings(): PulumiSettings {
  return configured;
}

/** Test hook: forget the configuration. */
export function resetConfiguredSettings(): void {
  configured = { cce: {}, ack: {} };
}
