/**
 * `upgrade-precheck-freshness` (advisory by default): warns when the readiness a cluster version
 * change rests on expires soon, so the `pulumi up` that follows a clean preview is not refused by
 * the mandatory policy half-way.
 *
 * "Expires" is when the check stops counting for the mandatory policy: the vendor's expiry (CCE
 * `expireTimeStamp`), and/or its creation plus the maximum age (`maxAgeMinutes`, default 60 minutes
 * when the vendor states no expiry), whichever comes first: the rule of `checkFreshness`, as
 * `checkExpiresAt` gives it.
 *
 * This policy never blocks and never reports what it cannot see: unknown inputs, failed lookups and
 * missing checks are the mandatory policy's business.
 */
import {
  type EnforcementLevel,
  type ReportViolation,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
} from "@pulumi/policy";
import { checkExpiresAt, type CheckRef, isVersionChange, primaryCheckOf } from "@upgrade-guard/provider";
import {
  type FreshnessPolicyConfig,
  type FreshnessPolicyConfigInput,
  freshnessPolicyConfigSchema,
  minutesToMs,
  parsePolicyConfig,
} from "./config";
import { defaultLookup } from "./cloud-lookup";
import { readString, readVersion } from "./inputs";
import { type ReadinessLookup } from "./lookup";
import { clusterLabel, formatDuration } from "./messages";
import { POLICY_NAMES } from "./metadata";
import { coveredType, type CoveredResourceType, typesOf } from "./resource-types";
import {
  chooseAccount,
  configuredPolicy,
  configErrorMessage,
  type PolicyFactoryOptions,
  readRegion,
  regionProperty,
  resourceLabel,
} from "./shared";

export interface FreshnessPolicyOptions extends PolicyFactoryOptions {
  /** Default `advisory`. */
  readonly enforcementLevel?: EnforcementLevel;
  /**
   * Configuration defaults for this policy, also published as the defaults of its `configSchema` (the
   * CLI fills those in); values in the `--policy-pack-config` file win.
   */
  readonly config?: FreshnessPolicyConfigInput;
}

const NOT_APPLICABLE = `applies only to cluster version changes of: ${typesOf("cluster")
  .map((entry) => entry.type)
  .join(", ")}`;

/** The policy factory; see `clusterUpgradeRequiresCleanPrecheck` for composing packs. */
export function upgradePrecheckFreshness(options: FreshnessPolicyOptions = {}): ResourceValidationPolicy {
  return configuredPolicy("freshness", freshnessPolicyConfigSchema, options, (args, report) =>
    validateFreshness(args, report, options),
  );
}

interface Subject {
  readonly cluster: string;
  readonly currentVersion: string;
  readonly targetVersion: string;
  readonly check: Pick<CheckRef, "id" | "createdAt" | "expiresAt">;
}

async function validateFreshness(
  args: ResourceValidationArgs,
  report: ReportViolation,
  options: FreshnessPolicyOptions,
): Promise<void> {
  const entry = coveredType(args.type);
  if (entry === undefined || entry.policy !== "cluster") return args.notApplicable(NOT_APPLICABLE);
  const read = parsePolicyConfig(freshnessPolicyConfigSchema, args.getConfig(), options.config);
  if (!read.ok) return report(configErrorMessage(POLICY_NAMES.freshness, read.problems));
  const now = (options.now ?? Date.now)();
  let subject: Subject | undefined;
  try {
    // Like the mandatory policy, it reads the check from the cloud (the same cached lookup), never
    // from the program's readiness claim.
    subject = await subjectFromLookup(args, entry, options.lookup ?? defaultLookup(), read.config);
  } catch {
    // Unknowns, missing checks and failed lookups are the mandatory policy's to report.
    return;
  }
  if (subject === undefined) return;
  const message = freshnessMessage(subject, read.config, now, resourceLabel(entry, args.name));
  if (message !== undefined) report(message);
}

function freshnessMessage(
  subject: Subject,
  config: FreshnessPolicyConfig,
  now: number,
  resource: string,
): string | undefined {
  const expiry = checkExpiresAt(subject.check, minutesToMs(config.maxAgeMinutes));
  if (expiry === undefined) return undefined;
  const left = expiry - now;
  const when = new Date(expiry).toISOString();
  const what = `${resource}: the readiness of the upgrade of ${subject.cluster} from ${subject.currentVersion} to ${subject.targetVersion} (check ${subject.check.id})`;
  if (left <= 0) {
    return `${what} expired at ${when}, ${formatDuration(-left)} ago: the mandatory policy refuses it until the check is run again for ${subject.targetVersion}.`;
  }
  if (left > config.warnWithinMinutes * 60_000) return undefined;
  return (
    `${what} expires in ${formatDuration(left)}, at ${when}. Run \`pulumi up\` before then, or run the check ` +
    `again for ${subject.targetVersion}; after that the mandatory policy refuses the upgrade.`
  );
}

async function subjectFromLookup(
  args: ResourceValidationArgs,
  entry: CoveredResourceType,
  lookup: ReadinessLookup,
  config: FreshnessPolicyConfig,
): Promise<Subject | undefined> {
  const target = readVersion(args.props, [entry.targetVersion]);
  const ref =
    entry.clusterId !== undefined
      ? { clusterId: readString(args.props, [entry.clusterId]) }
      : { clusterName: readString(args.props, [entry.clusterName ?? "name"]) };
  const refRead = "clusterId" in ref ? ref.clusterId : ref.clusterName;
  if (target.state !== "known" || refRead === undefined || refRead.state !== "known") return undefined;
  const region = readRegion(args, entry);
  // An unknown region is the mandatory policy's to report.
  if (region.state === "unknown") return undefined;
  const choice = chooseAccount(
    args,
    entry.cloud,
    config.accounts,
    region.state === "known" ? region.value : undefined,
    lookup,
  );
  // A name searched outside the provider's own account proves nothing (the mandatory policy says so).
  if (!("clusterId" in ref) && choice.account === undefined && choice.uncovered.length > 0) return undefined;
  const cluster = await lookup.findCluster({
    cloud: entry.cloud,
    ...("clusterId" in ref ? { clusterId: refRead.value } : { clusterName: refRead.value }),
    ...regionProperty(region),
    ...(choice.account === undefined ? {} : { account: choice.account }),
  });
  if (cluster === undefined || !isVersionChange(cluster.currentVersion, target.value)) return undefined;
  const snapshot = await lookup.clusterSnapshot(cluster, target.value);
  const check = primaryCheckOf(snapshot);
  if (check === undefined || check.state === "pending") return undefined;
  return {
    cluster: clusterLabel(snapshot),
    currentVersion: snapshot.currentVersion,
    targetVersion: snapshot.targetVersion,
    check,
  };
}
