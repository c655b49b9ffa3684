/**
 * The configuration of each upgrade-guard policy: ONE zod schema per policy, from which both the
 * `configSchema` CrossGuard shows and validates (JSON Schema, draft-07, input side) and the parsing
 * in code are derived.
 *
 * The policy SDK does not apply schema defaults (`getConfig()` returns `{}` when nothing was
 * configured, e.g. in tests or a harness that skips `Configure`), so every policy parses
 * `getConfig()` with the same schema and the defaults come from code in every setting.
 *
 * Parsing is strict: an unknown key (a typo such as `maxAgeMinute`) is a configuration error that
 * the policy reports, because a silently ignored setting is how a guard ends up not guarding.
 */
import { type PolicyConfigSchema } from "@pulumi/policy";
import {
  ackCredentialSourceSchema,
  blockingSeveritiesSchema as providerBlockingSeverities,
  cceCredentialSourceSchema,
  endOfSupportNoticeDaysSchema,
  MAX_CHECK_AGE_MS,
  waiverSchema,
} from "@upgrade-guard/provider";
import { z } from "zod";

/** Upper bound for every age or window setting: the provider's largest check age (30 days). */
const MAX_MINUTES = MAX_CHECK_AGE_MS / 60_000;

const blockingSeveritiesSchema = providerBlockingSeverities
  .default(["fatal", "unknown"])
  .describe(
    'Normalized severities of present findings that block: "fatal" (CCE Fatal, ACK error), "warning", ' +
      '"info", "unknown" (a level upgrade-guard could not read). Default ["fatal", "unknown"].',
  );

const allowUnknownInPreviewSchema = z
  .boolean()
  .default(false)
  .describe(
    "When true, a version, cluster or readiness input that is unknown during preview lets the resource " +
      "pass the preview (the policy runs again at update, when inputs are known). Default false: an " +
      "unknown blocks, because an unchecked upgrade must not slip through a preview.",
  );

const waiversSchema = z
  .array(waiverSchema)
  .default([])
  .describe(
    "Findings accepted on purpose: { checkName, clusterId, reason, owner, expires (ISO 8601 date-time) }. " +
      "A waiver is refused for a finding the vendor says must be fixed (CCE Fatal or Exception items, " +
      "add-on Fatal risks) and ignored after it expires; both cases are reported, and every applied waiver " +
      "is printed.",
  );

const maxAgeMinutesSchema = z
  .number()
  .int()
  .min(1)
  .max(MAX_MINUTES)
  .optional()
  .describe(
    "Maximum age of a check, in minutes from its creation. Applies on top of the vendor's own expiry " +
      "(CCE expireTimeStamp). Unset: the vendor expiry, or 60 minutes when the vendor states none (ACK).",
  );

const accountMatch = {
  name: z
    .string()
    .min(1)
    .describe("A name for the account, used in messages (e.g. tenant-b). Never a secret."),
  provider: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Resources whose provider has this name (the provider resource's name, e.g. tenant-b) or URN use this " +
        "account.",
    ),
  region: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Resources in this region (their own, their provider's, or the environment's) use this account.",
    ),
};

const accountsSchema = z
  .array(
    z.discriminatedUnion("cloud", [
      z.strictObject({
        cloud: z.literal("cce"),
        ...accountMatch,
        credentials: cceCredentialSourceSchema,
        projectId: z
          .string()
          .min(1)
          .optional()
          .describe(
            "The project of this account in the region, when the credential source does not name one.",
          ),
      }),
      z.strictObject({ cloud: z.literal("ack"), ...accountMatch, credentials: ackCredentialSourceSchema }),
    ]),
  )
  .default([])
  .superRefine((accounts, ctx) => {
    accounts.forEach((account, index) => {
      if (account.provider === undefined && account.region === undefined)
        ctx.addIssue({
          code: "custom",
          path: [index],
          message: 'needs "provider" or "region" (or both): which resources use this account',
        });
    });
  })
  .describe(
    "Cloud accounts other than the one the environment's credentials reach: which resources use each " +
      "(by provider name or URN, and/or region; the first match wins) and where its credentials come from " +
      "(names of environment variables, or a vendor CLI profile; never the secrets themselves). A resource " +
      "whose provider sets its own credentials and matches no entry is looked up in no account at all: " +
      "a cluster upgrade-guard cannot find there blocks instead of passing as new.",
  );
export type PolicyAccount = z.output<typeof accountsSchema>[number];

export const clusterPolicyConfigSchema = z.strictObject({
  blockingSeverities: blockingSeveritiesSchema,
  missingCheckBlocks: z
    .boolean()
    .default(true)
    .describe("Whether a version change without any pre-upgrade check for the target blocks. Default true."),
  maxAgeMinutes: maxAgeMinutesSchema,
  endOfSupportNoticeDays: endOfSupportNoticeDaysSchema
    .optional()
    .describe(
      "Days before the current Kubernetes version's end of support (as the cloud publishes it; ACK) from " +
        "which a passing upgrade also gets an advisory notice to plan the next one. 0 = only once it has " +
        "passed. Default 90. Never blocks.",
    ),
  allowUnknownInPreview: allowUnknownInPreviewSchema,
  waivers: waiversSchema,
  accounts: accountsSchema,
});
export type ClusterPolicyConfig = z.output<typeof clusterPolicyConfigSchema>;
export type ClusterPolicyConfigInput = z.input<typeof clusterPolicyConfigSchema>;

export const addonPolicyConfigSchema = z.strictObject({
  blockingSeverities: blockingSeveritiesSchema,
  missingCheckBlocks: z
    .boolean()
    .default(true)
    .describe(
      "Whether an add-on version change (the installed version, read from the cloud, differs) without any " +
        "add-on check for the new version blocks. Default true. Set false only where the vendor has no " +
        "upgrade check for an add-on, or its changes are verified another way: they then pass unchecked.",
    ),
  allowUnknownInPreview: allowUnknownInPreviewSchema,
  waivers: waiversSchema,
  accounts: accountsSchema,
});
export type AddonPolicyConfig = z.output<typeof addonPolicyConfigSchema>;
export type AddonPolicyConfigInput = z.input<typeof addonPolicyConfigSchema>;

export const freshnessPolicyConfigSchema = z.strictObject({
  warnWithinMinutes: z
    .number()
    .int()
    .min(1)
    .max(MAX_MINUTES)
    .default(30)
    .describe("Warn when the readiness an upgrade rests on expires within this many minutes. Default 30."),
  maxAgeMinutes: maxAgeMinutesSchema,
  accounts: accountsSchema,
});
export type FreshnessPolicyConfig = z.output<typeof freshnessPolicyConfigSchema>;
export type FreshnessPolicyConfigInput = z.input<typeof freshnessPolicyConfigSchema>;

/**
 * The `configSchema` CrossGuard wants, from a zod object schema. Only `properties` and `required`
 * are transmitted by the policy SDK, so only those are returned; input mode keeps defaulted fields
 * optional, draft-07 is what the engine validates with.
 *
 * `factoryConfig` (what a factory such as `clusterUpgradeRequiresCleanPrecheck({ config })` was
 * given) is published as the schema's defaults: the Pulumi CLI fills every schema default into the
 * configuration it sends with Configure, so publishing the library defaults would make the engine's
 * values overwrite the factory's. A `--policy-pack-config` file still wins over these defaults. An
 * invalid factory configuration is not published (the policy reports it at every resource).
 */
export function toPolicyConfigSchema<S extends z.ZodObject>(
  schema: S,
  factoryConfig: Partial<z.input<S>> = {},
): PolicyConfigSchema {
  const json = z.toJSONSchema(schema, { io: "input", target: "draft-07" }) as {
    properties?: PolicyConfigSchema["properties"];
    required?: string[];
  };
  const properties: PolicyConfigSchema["properties"] = { ...json.properties };
  const parsed = schema.safeParse(factoryConfig);
  if (parsed.success) {
    const values = parsed.data as Record<string, unknown>;
    for (const key of Object.keys(factoryConfig)) {
      const property = properties[key];
      if (property === undefined || values[key] === undefined) continue;
      properties[key] = { ...property, default: values[key] } as PolicyConfigSchema["properties"][string];
    }
  }
  return {
    properties,
    ...(json.required === undefined || json.required.length === 0 ? {} : { required: json.required }),
  };
}

export type ConfigRead<T> =
  { readonly ok: true; readonly config: T } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Parses what `getConfig()` returned (plus factory overrides, which the engine's values replace) with
 * the policy's schema, applying its defaults. Under the CLI the engine's values already hold the
 * factory's, as published schema defaults (see `toPolicyConfigSchema`); without Configure (tests,
 * harnesses) the overrides supply them. Never throws: a bad configuration is reported by the
 * caller as a violation naming every bad key.
 */
export function parsePolicyConfig<S extends z.ZodObject>(
  schema: S,
  fromEngine: unknown,
  overrides: Partial<z.input<S>> = {},
): ConfigRead<z.output<S>> {
  const engine = fromEngine !== null && typeof fromEngine === "object" ? fromEngine : {};
  const parsed = schema.safeParse({ ...overrides, ...engine });
  if (parsed.success) return { ok: true, config: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => {
      const path = issue.path.map(String).join(".");
      return `${path === "" ? "(top level)" : path}: ${issue.message}`;
    }),
  };
}

export function minutesToMs(minutes: number | undefined): number | undefined {
  return minutes === undefined ? undefined : minutes * 60_000;
}
