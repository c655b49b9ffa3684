/**
 * Pieces every upgrade-guard policy uses: the per-resource context, fail-closed handling of unknown
 * inputs, configuration errors, lookup failures, and the evaluate options derived from config.
 */
import { type ReportViolation, type ResourceValidationArgs } from "@pulumi/policy";
import {
  type EvaluableSnapshot,
  type EvaluateOptions,
  type Evaluation,
  UpgradeGuardError,
  type Waiver,
} from "@upgrade-guard/provider";
import { minutesToMs } from "./config";
import { type InputRead, readString } from "./inputs";
import { type ClusterRef, type ReadinessLookup } from "./lookup";
import { blockedMessage, type Framing, unreportedWaivers, waiversAppliedMessage } from "./messages";
import { describeError, type PolicyName, reportAtLevel } from "./report";
import { type CoveredResourceType } from "./resource-types";

/** Options every policy factory takes. */
export interface PolicyFactoryOptions {
  /** How the clouds are asked (default: the shared lookup, credentials and endpoints from the environment). */
  readonly lookup?: ReadinessLookup;
  /** Clock (epoch ms) for ages and waiver expiry; default `Date.now`. */
  readonly now?: () => number;
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
export function lookupFailureHint(cloud: ClusterRef["cloud"], error: unknown): string {
  const code = UpgradeGuardError.isInstance(error) ? error.code : undefined;
  switch (code) {
    case "CONFIG_MISSING":
    case "CONFIG_INVALID":
      return CREDENTIAL_HINTS[cloud];
    case "API_AUTH":
      return `The ${cloud.toUpperCase()} API refused the credentials. ${CREDENTIAL_HINTS[cloud]}`;
    case "API_NOT_FOUND":
      return "Check that the cluster id and region the resource names are right.";
    case "API_THROTTLED":
    case "API_SERVER":
    case "NETWORK":
    case "TIMEOUT":
    case "DEADLINE_EXCEEDED":
      return "The API failed, throttled or did not answer; run the preview again in a moment.";
    case "RESPONSE_SHAPE":
      return "The API answered in a shape upgrade-guard does not know; please report it with the excerpt above.";
    default:
      return `${CREDENTIAL_HINTS[cloud]} Then run the preview again.`;
  }
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
  const resolved = ref.region ?? regionOfLookup(lookup, ref.cloud);
  const region = resolved === undefined ? "" : ` in ${resolved}`;
  return (
    `${context.resource}: cannot verify the change of ${ref.cloud.toUpperCase()} cluster ${cluster}${region} to ` +
    `${targetVersion}: reading the cluster and its checks failed: ${describeError(error)}. ` +
    `upgrade-guard blocks what it cannot verify. ${lookupFailureHint(ref.cloud, error)}`
  );
}

/** The environment's region as `lookup` resolves it; `undefined` when unknown (or it throws). */
export function regionOfLookup(
  lookup: Pick<ReadinessLookup, "regionOf"> | undefined,
  cloud: ClusterRef["cloud"],
  region?: string,
): string | undefined {
  try {
    return lookup?.regionOf?.(cloud, region);
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
  },
  now: number,
): EvaluateOptions {
  const maxAgeMs = minutesToMs(config.maxAgeMinutes);
  return {
    ...(config.blockingSeverities === undefined ? {} : { blockingSeverities: config.blockingSeverities }),
    missingCheckBlocks: config.missingCheckBlocks,
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
 * Reports what `evaluate` decided: a blocked upgrade at the policy's level; a passing one with an
 * advisory note when waivers were applied, ignored (expired) or refused (must-fix finding). The
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
  if (complete.waiversApplied.length === 0 && complete.waiversRefused.length === 0) return;
  reportAtLevel(
    context.report,
    context.policyName,
    waiversAppliedMessage(snapshot, complete, framing),
    "advisory",
  );
}
