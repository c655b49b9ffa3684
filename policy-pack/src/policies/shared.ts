/**
 * Pieces every upgrade-guard policy uses: the per-resource context, fail-closed handling of unknown
 * inputs, configuration errors, lookup failures, and the evaluate options derived from config.
 */
import {
  type EnforcementLevel,
  type ReportViolation,
  type ResourceValidation,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
} from "@pulumi/policy";
import {
  type EvaluableSnapshot,
  type EvaluateOptions,
  type Evaluation,
  UpgradeGuardError,
  type Waiver,
} from "@upgrade-guard/provider";
import { type z } from "zod";
import { minutesToMs, parsePolicyConfig, type PolicyAccount, toPolicyConfigSchema } from "./config";
import { type InputRead, readString } from "./inputs";
import { type AccountSelection, type ClusterRef, type ReadinessLookup } from "./lookup";
import { blockedMessage, type Framing, unreportedWaivers, waiversAppliedMessage } from "./messages";
import { POLICY_METADATA, POLICY_NAMES, type PolicyKey, type PolicyName } from "./metadata";
import { describeError, reportAtLevel } from "./report";
import { type CoveredResourceType } from "./resource-types";

/** Options every policy factory takes. */
export interface PolicyFactoryOptions {
  /** How the clouds are asked (default: the shared lookup, credentials and endpoints from the environment). */
  readonly lookup?: ReadinessLookup;
  /** Clock (epoch ms) for ages and waiver expiry; default `Date.now`. */
  readonly now?: () => number;
}

/** What every factory takes for its own policy: a level and configuration defaults. */
interface ConfiguredPolicyOptions<S extends z.ZodObject> extends PolicyFactoryOptions {
  readonly enforcementLevel?: EnforcementLevel;
  readonly config?: Partial<z.input<S>>;
}

/**
 * The policy a factory returns: its fixed metadata, the factory's level (else the default one) and
 * its configuration schema with the factory's values published as defaults.
 */
export function configuredPolicy<S extends z.ZodObject>(
  key: PolicyKey,
  schema: S,
  options: ConfiguredPolicyOptions<S>,
  validateResource: ResourceValidation,
): ResourceValidationPolicy {
  return {
    ...POLICY_METADATA[key],
    enforcementLevel: options.enforcementLevel ?? POLICY_METADATA[key].enforcementLevel,
    configSchema: toPolicyConfigSchema(schema, options.config),
    validateResource,
  };
}

/**
 * Runs a blocking policy's judgement of a resource it covers, with the resource's context and the
 * parsed configuration: a configuration it cannot use blocks, and so does any exception (escaping,
 * it would fail the whole preview with an opaque error).
 */
export async function judgeCovered<S extends z.ZodObject>(
  args: ResourceValidationArgs,
  report: ReportViolation,
  entry: CoveredResourceType,
  key: PolicyKey,
  schema: S,
  options: ConfiguredPolicyOptions<S>,
  judge: (context: ResourceContext, config: z.output<S>) => Promise<void>,
): Promise<void> {
  const policyName = POLICY_NAMES[key];
  const context: ResourceContext = {
    args,
    report,
    entry,
    policyName,
    resource: resourceLabel(entry, args.name),
    now: (options.now ?? Date.now)(),
  };
  const read = parsePolicyConfig(schema, args.getConfig(), options.config);
  if (!read.ok) return report(configErrorMessage(policyName, read.problems));
  try {
    await judge(context, read.config);
  } catch (error) {
    report(
      `${context.resource}: upgrade-guard could not evaluate this resource, so it blocks it: ${describeError(error)}`,
    );
  }
}

export interface ResourceContext {
  readonly args: ResourceValidationArgs;
  readonly report: ReportViolation;
  readonly entry: CoveredResourceType;
  readonly policyName: PolicyName;
  /** `@pulumi/alicloud cs.ManagedKubernetes "prod"`. */
  readonly resource: string;
  readonly now: number;
}

export function resourceLabel(entry: CoveredResourceType, name: string): string {
  return `${entry.label} "${name}"`;
}

/**
 * Reports inputs that are unknown during preview. Fail closed by default: a mandatory violation
 * (the policy SDK would otherwise downgrade the policy to an advisory "can't run during preview"
 * and the upgrade would pass the preview unchecked). With `allowUnknownInPreview`, an advisory note
 * says plainly that this upgrade was NOT verified in this preview.
 */
export function reportUnknown(
  context: ResourceContext,
  paths: readonly string[],
  allowUnknownInPreview: boolean,
  subject = "the version change",
): void {
  const list = paths.join(", ");
  const verb = paths.length === 1 ? "is" : "are";
  if (allowUnknownInPreview) {
    reportAtLevel(
      context.report,
      context.policyName,
      `${context.resource}: ${list} ${verb} unknown during preview, and allowUnknownInPreview is true, so ` +
        `${subject} was NOT verified in this preview; it will be when the values are known (at update).`,
      "advisory",
    );
    return;
  }
  context.report(
    `${context.resource}: cannot verify ${subject} during preview: ${list} ${verb} unknown until other ` +
      `resources are created. upgrade-guard fails closed, so an unverified version change does not pass. ` +
      `To fix: make the value known at preview (take it from configuration or from a data function such as ` +
      `getUpgradeReadiness, not from another resource's output), or set "allowUnknownInPreview": true for ` +
      `${context.policyName} to accept checking it at update only.`,
  );
}

/** A configuration the policy cannot use: reported (fail closed), naming every bad key. */
export function configErrorMessage(policyName: PolicyName, problems: readonly string[]): string {
  return (
    `The configuration of ${policyName} is invalid, so upgrade-guard cannot judge this resource and blocks it:\n` +
    problems.map((problem) => `  - ${problem}`).join("\n") +
    `\nFix the "${policyName}" entry of the --policy-pack-config file (see the pack's README for the format).`
  );
}

const CREDENTIAL_HINTS: Readonly<Record<ClusterRef["cloud"], string>> = {
  cce:
    "Check the Huawei Cloud credentials and endpoint in the environment of `pulumi preview` " +
    "(HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_PROJECT_ID and a region, or the HW_* names; " +
    "UPGRADE_GUARD_CCE_ENDPOINT or UPGRADE_GUARD_ENDPOINT for a non-default endpoint).",
  ack:
    "Check the Alibaba Cloud credentials and endpoint in the environment of `pulumi preview` " +
    "(ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET and a region, or the ALICLOUD_* names; " +
    "UPGRADE_GUARD_ACK_ENDPOINT or UPGRADE_GUARD_ENDPOINT for a non-default endpoint).",
};

/** The sentence telling what to do about a failed lookup, by the error's stable code. */
export function lookupFailureHint(
  cloud: ClusterRef["cloud"],
  error: unknown,
  account?: AccountSelection,
): string {
  const code = UpgradeGuardError.isInstance(error) ? error.code : undefined;
  const credentials =
    account === undefined
      ? CREDENTIAL_HINTS[cloud]
      : `The credentials of account "${account.name}" come from its "credentials" entry in the policy ` +
        `configuration (${describeSource(account)}); check that source in the environment of \`pulumi preview\`.`;
  switch (code) {
    case "CONFIG_MISSING":
    case "CONFIG_INVALID":
      return credentials;
    case "API_AUTH": {
      // Accepted credentials denied this operation: the client's hint names it and what to grant.
      const { refusal, hint } = error as { refusal?: unknown; hint?: unknown };
      if (refusal === "permission") {
        const what = typeof hint === "string" ? `: ${hint}` : "; grant them the permission for it";
        return `The ${cloud.toUpperCase()} API denied the call to the credentials${what}. Then run the preview again.`;
      }
      return `The ${cloud.toUpperCase()} API refused the credentials. ${credentials}`;
    }
    case "API_NOT_FOUND":
      return (
        "Check that the cluster id and region the resource names are right" +
        (account === undefined
          ? ", and that the environment's credentials reach the account it is in (else map its provider or region in `accounts`)."
          : ` and in account "${account.name}".`)
      );
    case "API_THROTTLED":
    case "API_SERVER":
    case "NETWORK":
    case "TIMEOUT":
    case "DEADLINE_EXCEEDED":
      return "The API failed, throttled or did not answer; run the preview again in a moment.";
    case "RESPONSE_SHAPE":
      return "The API answered in a shape upgrade-guard does not know; please report it with the excerpt above.";
    default:
      return `${credentials} Then run the preview again.`;
  }
}

/** Where an account's keys come from, in words: variable names or a profile, never a value. */
export function describeSource(account: AccountSelection): string {
  const source = account.credentials as Record<string, unknown>;
  if (typeof source["profile"] === "string") {
    return `profile ${source["profile"]}${typeof source["file"] === "string" ? ` of ${source["file"]}` : ""}`;
  }
  const names = Object.entries(source)
    .filter(([key, value]) => key.endsWith("Env") && typeof value === "string")
    .map(([, value]) => String(value));
  return `environment variables ${names.join(", ")}`;
}

/** The message for a lookup that failed: the resource is blocked, because nothing was verified. */
export function lookupFailedMessage(
  context: ResourceContext,
  ref: ClusterRef,
  targetVersion: string,
  error: unknown,
  lookup?: Pick<ReadinessLookup, "regionOf">,
): string {
  const cluster = ref.clusterId ?? (ref.clusterName === undefined ? "?" : `named "${ref.clusterName}"`);
  // A resource that names no region: the one the lookup resolved (the environment's), when known.
  const resolved = ref.region ?? regionOfLookup(lookup, ref.cloud, undefined, ref.account);
  const region = resolved === undefined ? "" : ` in ${resolved}`;
  const account = ref.account === undefined ? "" : ` (account "${ref.account.name}")`;
  const project = ref.projectId === undefined ? "" : `, project ${ref.projectId}`;
  return (
    `${context.resource}: cannot verify the change of ${ref.cloud.toUpperCase()} cluster ${cluster}${region}${project}${account} to ` +
    `${targetVersion}: reading the cluster and its checks failed: ${describeError(error)}. ` +
    `upgrade-guard blocks what it cannot verify. ${lookupFailureHint(ref.cloud, error, ref.account)}`
  );
}

/** The environment's region as `lookup` resolves it; `undefined` when unknown (or it throws). */
export function regionOfLookup(
  lookup: Pick<ReadinessLookup, "regionOf"> | undefined,
  cloud: ClusterRef["cloud"],
  region?: string,
  account?: AccountSelection,
): string | undefined {
  try {
    return lookup?.regionOf?.(cloud, region, account);
  } catch {
    return undefined;
  }
}

/** The options `evaluate` gets from a policy's configuration. */
export function evaluateOptions(
  config: {
    readonly blockingSeverities: EvaluateOptions["blockingSeverities"];
    readonly missingCheckBlocks: boolean;
    readonly waivers: readonly Waiver[];
    readonly maxAgeMinutes?: number | undefined;
    readonly endOfSupportNoticeDays?: number | undefined;
  },
  now: number,
): EvaluateOptions {
  const maxAgeMs = minutesToMs(config.maxAgeMinutes);
  return {
    ...(config.blockingSeverities === undefined ? {} : { blockingSeverities: config.blockingSeverities }),
    missingCheckBlocks: config.missingCheckBlocks,
    ...(config.endOfSupportNoticeDays === undefined
      ? {}
      : { endOfSupportNoticeDays: config.endOfSupportNoticeDays }),
    pendingBlocks: true,
    waivers: [...config.waivers],
    now,
    ...(maxAgeMs === undefined ? {} : { maxAgeMs }),
  };
}

/**
 * The region a resource names: its own `region` input when the type has one, else its provider's
 * `region` (both clouds' bridged providers take one), else absent (the environment's). A region that
 * is unknown during preview is an unknown input like any other: guessing the environment's region
 * instead could judge a different cluster.
 */
export function readRegion(
  args: ResourceValidationArgs,
  entry: CoveredResourceType,
): Exclude<InputRead<string>, { state: "invalid" }> {
  if (entry.region !== undefined) {
    const own = readString(args.props, [entry.region]);
    if (own.state === "known" || own.state === "unknown") return own;
  }
  const provider = args.provider;
  if (provider === undefined) return { state: "absent" };
  try {
    const fromProvider = readString(provider.props, ["region"]);
    if (fromProvider.state === "unknown") return { state: "unknown", path: "provider.region" };
    return fromProvider.state === "known" ? fromProvider : { state: "absent" };
  } catch {
    return { state: "absent" };
  }
}

/** The region when it is known, as an optional property (`{}` for the environment's). */
export function regionProperty(region: InputRead<string>): { region?: string } {
  return region.state === "known" ? { region: region.value } : {};
}

/**
 * Reports what `evaluate` decided: a blocked upgrade at the policy's level (its reasons include any
 * notice); a passing one with an advisory note per notice (end of support), and one when waivers were applied, ignored (expired) or refused (must-fix finding). The
 * waivers `evaluate` does not look at (it sees only those matching a blocking finding) are added
 * here, so every expired or refused waiver for this cluster is reported whatever the verdict.
 */
export function reportEvaluation(
  context: ResourceContext,
  snapshot: EvaluableSnapshot,
  evaluation: Evaluation,
  framing: Framing,
  waivers: readonly Waiver[],
  subject?: { readonly what: string },
): void {
  const unreported = unreportedWaivers(waivers, snapshot, evaluation, context.now);
  const complete: Evaluation = {
    ...evaluation,
    waiversRefused: [...evaluation.waiversRefused, ...unreported],
  };
  if (!complete.allowed) return context.report(blockedMessage(snapshot, complete, framing, subject));
  // End of support never blocks, even in a mandatory policy: an advisory note on the passing upgrade.
  for (const notice of complete.notices)
    reportAtLevel(context.report, context.policyName, `${framing.resource}: ${notice}`, "advisory");
  if (complete.waiversApplied.length === 0 && complete.waiversRefused.length === 0) return;
  reportAtLevel(
    context.report,
    context.policyName,
    waiversAppliedMessage(snapshot, complete, framing),
    "advisory",
  );
}

/**
 * Settings of a resource's provider that pick an account of their own (keys, a profile, a role),
 * per cloud, as the bridged providers name them (pulumi-alicloud and pulumi-huaweicloud provider
 * inputs). Only their presence is read, never their values.
 */
const ACCOUNT_SETTINGS: Readonly<Record<ClusterRef["cloud"], readonly string[]>> = {
  ack: [
    "accessKey",
    "secretKey",
    "securityToken",
    "profile",
    "assumeRole",
    "assumeRoleWithOidc",
    "sharedCredentialsFile",
    "ecsRoleName",
    "credentialsUri",
  ],
  cce: [
    "accessKey",
    "secretKey",
    "securityToken",
    "assumeRole",
    "sharedConfigFile",
    "profile",
    "userName",
    "userId",
    "password",
    "token",
    "domainId",
    "domainName",
    "projectId",
    "projectName",
  ],
};

/** Which account a resource's cluster is searched in, and whether that is the provider's own. */
export interface AccountChoice {
  /** The configured account that matched; absent = the environment's credentials. */
  readonly account?: AccountSelection;
  /** The region the account was chosen for: the resource's, else the lookup's (undefined: unknown). */
  readonly searchedRegion: string | undefined;
  /**
   * The provider's own account settings when no configured account matched them (`[]` when it has
   * none, i.e. it uses the environment's, as the policy does). Non-empty means the search in the
   * environment's account does not cover the provider's own account.
   */
  readonly uncovered: readonly string[];
  /** The provider resource's name, for messages and the config snippet. */
  readonly providerName?: string;
}

/** The provider's settings that pick an account of their own; `["(unknown)"]` when unreadable. */
function providerAccountSettings(args: ResourceValidationArgs, cloud: ClusterRef["cloud"]): string[] {
  const provider = args.provider;
  if (provider === undefined) return [];
  // Only the bridged providers of these clouds take credentials; upgrade-guard's own resources use
  // the environment (and its stack configuration) like the policy does.
  if (!/^pulumi:providers:(alicloud|huaweicloud)$/.test(provider.type)) return [];
  try {
    const props = (provider.props ?? {}) as Record<string, unknown>;
    return ACCOUNT_SETTINGS[cloud].filter((key) => Object.prototype.hasOwnProperty.call(props, key));
  } catch {
    // Unknown during preview (the SDK's proxy throws): it may pick any account.
    return ["(unknown)"];
  }
}

/**
 * The account to search for a resource: the first configured account of its cloud whose `provider`
 * names its provider (by name or URN) and whose `region` is its region, when set. No match: the
 * environment's credentials, which cover the provider's own account only when the provider sets
 * no account of its own.
 */
export function chooseAccount(
  args: ResourceValidationArgs,
  cloud: ClusterRef["cloud"],
  accounts: readonly PolicyAccount[],
  resourceRegion: string | undefined,
  lookup: Pick<ReadinessLookup, "regionOf"> | undefined,
): AccountChoice {
  // A resource that names no region is searched in the one the lookup resolves (the environment's).
  const region = resourceRegion ?? regionOfLookup(lookup, cloud);
  const provider = args.provider;
  const providerName = provider?.name;
  const matched = accounts.find(
    (account) =>
      account.cloud === cloud &&
      (account.provider === undefined ||
        account.provider === providerName ||
        account.provider === provider?.urn) &&
      (account.region === undefined || account.region === region),
  );
  const named = providerName === undefined ? {} : { providerName };
  if (matched !== undefined) {
    const account: AccountSelection = {
      name: matched.name,
      credentials: matched.credentials,
      ...(matched.cloud === "cce" && matched.projectId !== undefined ? { projectId: matched.projectId } : {}),
    };
    return { account, uncovered: [], searchedRegion: region, ...named };
  }
  return { uncovered: providerAccountSettings(args, cloud), searchedRegion: region, ...named };
}

/**
 * The block for a resource found BY NAME whose provider picks an account of its own that no
 * configured account maps: searching the environment's account could find nothing (and pass the
 * cluster as new) or another account's cluster of the same name, so nothing is concluded.
 */
export function uncoveredAccountMessage(
  context: ResourceContext,
  ref: ClusterRef,
  choice: AccountChoice,
  searchedRegion: string | undefined,
  policyName: PolicyName,
): string {
  const cloud = ref.cloud.toUpperCase();
  const provider = choice.providerName ?? "its provider";
  const snippet = JSON.stringify({
    [policyName]: {
      accounts: [
        {
          cloud: ref.cloud,
          name: choice.providerName ?? "<account name>",
          provider: choice.providerName ?? "<provider name>",
          credentials:
            ref.cloud === "ack"
              ? {
                  accessKeyIdEnv: "<VARIABLE WITH THE ACCESSKEY ID>",
                  accessKeySecretEnv: "<VARIABLE WITH THE SECRET>",
                }
              : { accessKeyEnv: "<VARIABLE WITH THE AK>", secretKeyEnv: "<VARIABLE WITH THE SK>" },
        },
      ],
    },
  });
  return (
    `${context.resource}: cannot verify the change of the ${cloud} cluster named "${ref.clusterName ?? "?"}" to ` +
    `its version: provider ${provider} sets an account of its own (${choice.uncovered.join(", ")}), and no entry of ` +
    `\`accounts\` in the policy configuration maps that provider${searchedRegion === undefined ? "" : ` or region ${searchedRegion}`}. ` +
    `upgrade-guard can only search with the environment's credentials${searchedRegion === undefined ? "" : ` in ${searchedRegion}`}, ` +
    `which may be another account: not finding the cluster there would not prove it is new, and finding one would ` +
    `not prove it is this one, so it blocks. To fix: map the provider to a credential source (environment variable ` +
    `names or a CLI profile; never the keys) in the --policy-pack-config file, e.g. ${snippet}, and set those ` +
    `variables in the environment of \`pulumi preview\`.`
  );
}
