/**
 * `cluster-upgrade-requires-clean-precheck` (mandatory by default): a cluster version change is
 * blocked unless the latest vendor pre-upgrade check for the target says it is safe. The verdict is
 * `evaluate`'s (provider/src/readiness/evaluate.ts), with the policy's configuration as options; this
 * module only gathers the facts and frames the answer.
 *
 * Facts come from one of two places (the type table says which):
 * - upgrade-guard's own upgrade resources carry `clusterId`, `currentVersion`, `targetVersion` and a
 *   readiness summary in their inputs, so the common case needs no API call. When the summary does
 *   not allow the upgrade, the policy reads the check's real findings from the cloud (to name them
 *   and let waivers match); if that read fails, the summary's block stands.
 * - third-party cluster resources (@pulumi/alicloud, Huawei Cloud's package) only say which version
 *   they want; the policy finds the cluster (by id, else by name), reads its current version and the
 *   latest check for the target itself, one lookup per cluster per process.
 *
 * Fail closed: unknown inputs in preview, missing inputs, API errors, unreadable answers and
 * invalid configuration all block, each with a message saying what to do.
 */
import {
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type ReportViolation,
} from "@pulumi/policy";
import { type EnforcementLevel } from "@pulumi/policy";
import { evaluate, type EvaluableSnapshot, isVersionChange } from "@upgrade-guard/provider";
import {
  type ClusterPolicyConfig,
  type ClusterPolicyConfigInput,
  clusterPolicyConfigSchema,
  minutesToMs,
  parsePolicyConfig,
  toPolicyConfigSchema,
} from "./config";
import { defaultLookup } from "./cloud-lookup";
import { type InputRead, readPlain, readString, readVersion } from "./inputs";
import { type ClusterRef, type ReadinessLookup } from "./lookup";
import { type Framing } from "./messages";
import { type ReadinessSummary, readinessSummarySchema, snapshotFromSummary } from "./readiness-summary";
import { describeError, POLICY_NAMES } from "./report";
import { coveredType, typesOf } from "./resource-types";
import {
  configErrorMessage,
  evaluateOptions,
  lookupFailedMessage,
  lookupFailureHint,
  type PolicyFactoryOptions,
  readRegion,
  regionProperty,
  reportEvaluation,
  reportUnknown,
  resourceLabel,
  type ResourceContext,
} from "./shared";

export interface ClusterPolicyOptions extends PolicyFactoryOptions {
  /** Default `mandatory`. The `--policy-pack-config` file can still change it. */
  readonly enforcementLevel?: EnforcementLevel;
  /**
   * Configuration defaults for this policy, also published as the defaults of its `configSchema` (the
   * CLI fills those in); values in the `--policy-pack-config` file win.
   */
  readonly config?: ClusterPolicyConfigInput;
}

const NOT_APPLICABLE = `applies only to cluster version changes of: ${typesOf("cluster")
  .map((entry) => entry.type)
  .join(", ")}`;

/**
 * The policy factory. Compose it into your own pack:
 *
 * ```typescript
 * import { PolicyPack } from "@pulumi/policy";
 * import { clusterUpgradeRequiresCleanPrecheck } from "@upgrade-guard/sdk";
 * new PolicyPack("my-pack", {
 *   policies: [clusterUpgradeRequiresCleanPrecheck({ config: { blockingSeverities: ["fatal", "warning", "unknown"] } })],
 * });
 * ```
 */
export function clusterUpgradeRequiresCleanPrecheck(
  options: ClusterPolicyOptions = {},
): ResourceValidationPolicy {
  return {
    name: POLICY_NAMES.cluster,
    description:
      "A CCE or ACK cluster version change needs a fresh vendor pre-upgrade check for the target version " +
      "without blocking findings (upgrade-guard).",
    enforcementLevel: options.enforcementLevel ?? "mandatory",
    severity: "critical",
    remediationSteps:
      "Run the vendor pre-upgrade check for the target version (CCE CreatePreCheck, ACK RunClusterCheck), fix " +
      "what it reports, and preview again; waive only findings the vendor allows to skip.",
    configSchema: toPolicyConfigSchema(clusterPolicyConfigSchema, options.config),
    validateResource: (args, report) => validateClusterUpgrade(args, report, options),
  };
}

async function validateClusterUpgrade(
  args: ResourceValidationArgs,
  report: ReportViolation,
  options: ClusterPolicyOptions,
): Promise<void> {
  const entry = coveredType(args.type);
  if (entry === undefined || entry.policy !== "cluster") return args.notApplicable(NOT_APPLICABLE);
  const context: ResourceContext = {
    args,
    report,
    entry,
    policyName: POLICY_NAMES.cluster,
    resource: resourceLabel(entry, args.name),
    now: (options.now ?? Date.now)(),
  };
  const read = parsePolicyConfig(clusterPolicyConfigSchema, args.getConfig(), options.config);
  if (!read.ok) return report(configErrorMessage(POLICY_NAMES.cluster, read.problems));
  try {
    if (entry.facts === "inputs") await judgeFromInputs(context, read.config, options.lookup);
    else await judgeByLookup(context, read.config, options.lookup ?? defaultLookup());
  } catch (error) {
    // Never let an exception escape: the engine would fail the whole preview with an opaque error.
    report(
      `${context.resource}: upgrade-guard could not evaluate this resource, so it blocks it: ${describeError(error)}`,
    );
  }
}

/** Collects the paths of unknown reads, and the paths of absent or invalid ones. */
function classify(reads: Record<string, InputRead<unknown>>): { unknown: string[]; missing: string[] } {
  const unknown: string[] = [];
  const missing: string[] = [];
  for (const [name, read] of Object.entries(reads)) {
    if (read.state === "unknown") unknown.push(read.path);
    else if (read.state === "absent") missing.push(name);
    else if (read.state === "invalid") missing.push(`${read.path} (${read.problem})`);
  }
  return { unknown, missing };
}

async function judgeFromInputs(
  context: ResourceContext,
  config: ClusterPolicyConfig,
  lookup: ReadinessLookup | undefined,
): Promise<void> {
  const { args, entry } = context;
  const target = readVersion(args.props, [entry.targetVersion]);
  const current = readVersion(args.props, [entry.currentVersion ?? "currentVersion"]);
  const clusterId = readString(args.props, [entry.clusterId ?? "clusterId"]);
  // An unchanged version needs nothing else, even when the readiness is unknown.
  if (
    target.state === "known" &&
    current.state === "known" &&
    !isVersionChange(current.value, target.value)
  ) {
    return;
  }
  const { unknown, missing } = classify({
    [entry.targetVersion]: target,
    [entry.clusterId ?? "clusterId"]: clusterId,
  });
  if (current.state === "unknown") unknown.push(current.path);
  if (current.state === "invalid") missing.push(`${current.path} (${current.problem})`);
  const readiness = readPlain(args.props, ["readiness"]);
  if (readiness.state === "unknown") unknown.push(readiness.path);
  const regionRead = readRegion(args, entry);
  if (regionRead.state === "unknown") unknown.push(regionRead.path);
  if (missing.length > 0) {
    return context.report(
      `${context.resource}: cannot verify the version change: missing or invalid ${missing.join(", ")}. ` +
        `upgrade-guard's upgrade resources must carry clusterId and targetVersion as strings ` +
        `(and currentVersion, when given, as a string).`,
    );
  }
  if (unknown.length > 0) return reportUnknown(context, unknown, config.allowUnknownInPreview);
  if (target.state !== "known" || clusterId.state !== "known") return;
  const region = regionRead.state === "known" ? regionRead.value : undefined;
  // Without a current version or a readiness summary in the inputs, read both from the cloud.
  if (current.state !== "known" || readiness.state !== "known") {
    const lacking = current.state !== "known" ? "currentVersion" : "readiness";
    return judgeLive(
      context,
      config,
      lookup ?? defaultLookup(),
      { cloud: entry.cloud, clusterId: clusterId.value, ...(region === undefined ? {} : { region }) },
      target.value,
      `the resource carries no ${lacking}`,
    );
  }

  const parsed = readinessSummarySchema.safeParse(readiness.value);
  const summary: ReadinessSummary = parsed.success ? parsed.data : {};
  const snapshot = snapshotFromSummary(
    {
      cloud: entry.cloud,
      clusterId: clusterId.value,
      currentVersion: current.value,
      targetVersion: target.value,
      ...(region === undefined ? {} : { region }),
    },
    summary,
    new Date(context.now).toISOString(),
  );
  const options = evaluateOptions(config, context.now);
  const evaluation = evaluate(snapshot, options);
  const maxAgeMs = minutesToMs(config.maxAgeMinutes);
  const framing = (source: string, notes: readonly string[] = []): Framing => ({
    resource: context.resource,
    source,
    policyName: context.policyName,
    now: context.now,
    ...(maxAgeMs === undefined ? {} : { maxAgeMs }),
    notes: parsed.success ? notes : [...notes, "The readiness input is malformed and was read as empty."],
  });
  // A maximum age needs the check's creation time; a summary without it cannot prove the age.
  const ageUnproven =
    config.maxAgeMinutes !== undefined &&
    summary.checkId !== undefined &&
    summary.checkCreatedAt === undefined;
  if (evaluation.allowed && !ageUnproven) {
    return reportEvaluation(context, snapshot, evaluation, framing("the resource inputs"), config.waivers);
  }

  // Read the live check: to name the findings and let waivers match when the summary blocks, or to
  // learn the check's age.
  const why = evaluation.allowed
    ? "the readiness in the inputs does not say when its check was created, and maxAgeMinutes is set"
    : "the readiness in the inputs did not allow it either";
  const notes: string[] = [];
  const live = lookup ?? safeDefaultLookup(notes);
  if (live !== undefined) {
    const ref: ClusterRef = { cloud: entry.cloud, clusterId: clusterId.value, ...regionRef(snapshot) };
    try {
      const cluster = await live.findCluster(ref);
      if (cluster !== undefined) {
        const liveSnapshot = await live.clusterSnapshot(cluster, target.value);
        const liveEvaluation = evaluate(liveSnapshot, options);
        const source = `a live ${entry.cloud.toUpperCase()} lookup (${why})`;
        return reportEvaluation(context, liveSnapshot, liveEvaluation, framing(source), config.waivers);
      }
    } catch (error) {
      if (evaluation.allowed) {
        return context.report(
          `${context.resource}: cannot verify the age of check ${summary.checkId ?? "?"} for the upgrade of ` +
            `${entry.cloud.toUpperCase()} cluster ${clusterId.value} from ${current.value} to ${target.value}: ` +
            `maxAgeMinutes is ${config.maxAgeMinutes ?? "?"}, the inputs do not say when the check was created, and ` +
            `reading it failed: ${describeError(error)}. upgrade-guard blocks what it cannot verify. ` +
            lookupFailureHint(entry.cloud, error),
        );
      }
      notes.push(
        `The findings behind the readiness summary could not be read from the ${entry.cloud.toUpperCase()} API ` +
          `(${describeError(error)}), so the decision rests on the summary alone.`,
      );
    }
  }
  const source = evaluation.allowed ? "the resource inputs" : "the resource inputs (readiness summary)";
  reportEvaluation(context, snapshot, evaluation, framing(source, notes), config.waivers);
}

function regionRef(snapshot: EvaluableSnapshot): { region?: string } {
  return snapshot.region.startsWith("(") ? {} : { region: snapshot.region };
}

function safeDefaultLookup(notes: string[]): ReadinessLookup | undefined {
  try {
    return defaultLookup();
  } catch (error) {
    notes.push(`No cloud lookup is available (${describeError(error)}).`);
    return undefined;
  }
}

async function judgeByLookup(
  context: ResourceContext,
  config: ClusterPolicyConfig,
  lookup: ReadinessLookup,
): Promise<void> {
  const { args, entry } = context;
  const target = readVersion(args.props, [entry.targetVersion]);
  // No version in the inputs: the program does not pin one, so it asks for no version change.
  if (target.state === "absent") return;
  const refRead =
    entry.clusterId !== undefined
      ? { key: "clusterId" as const, read: readString(args.props, [entry.clusterId]) }
      : { key: "clusterName" as const, read: readString(args.props, [entry.clusterName ?? "name"]) };
  const refName = entry.clusterId ?? entry.clusterName ?? "name";
  const { unknown, missing } = classify({ [entry.targetVersion]: target, [refName]: refRead.read });
  const regionRead = readRegion(args, entry);
  if (regionRead.state === "unknown") unknown.push(regionRead.path);
  if (unknown.length > 0) return reportUnknown(context, unknown, config.allowUnknownInPreview);
  if (target.state === "invalid") {
    return context.report(
      `${context.resource}: cannot verify the version change: the \`${target.path}\` property must be a string ` +
        `(a Kubernetes version such as "v1.30" or "1.32.1-aliyun.1"), but ${target.problem.replace(/^expected a string, /, "")}. ` +
        `upgrade-guard blocks what it cannot verify. Set \`${target.path}\` to the version as a string.`,
    );
  }
  if (missing.length > 0 || target.state !== "known" || refRead.read.state !== "known") {
    return context.report(
      `${context.resource}: cannot tell which cluster this version (${target.state === "known" ? target.value : "?"}) ` +
        `applies to: missing or invalid ${missing.join(", ")}. upgrade-guard blocks what it cannot verify. ` +
        `Set ${refName} explicitly in the resource, as a string.`,
    );
  }
  const ref: ClusterRef = {
    cloud: entry.cloud,
    [refRead.key]: refRead.read.value,
    ...regionProperty(regionRead),
  };
  return judgeLive(context, config, lookup, ref, target.value);
}

/** Finds the cluster, reads its current version and latest check for the target, and judges. */
async function judgeLive(
  context: ResourceContext,
  config: ClusterPolicyConfig,
  lookup: ReadinessLookup,
  ref: ClusterRef,
  targetVersion: string,
  why?: string,
): Promise<void> {
  let snapshot: EvaluableSnapshot;
  try {
    const cluster = await lookup.findCluster(ref);
    // Looked up by name and not found: the resource creates the cluster, nothing is upgraded.
    if (cluster === undefined) return;
    if (!isVersionChange(cluster.currentVersion, targetVersion)) return;
    snapshot = await lookup.clusterSnapshot(cluster, targetVersion);
  } catch (error) {
    return context.report(lookupFailedMessage(context, ref, targetVersion, error, lookup));
  }
  const evaluation = evaluate(snapshot, evaluateOptions(config, context.now));
  const maxAgeMs = minutesToMs(config.maxAgeMinutes);
  const framing: Framing = {
    resource: context.resource,
    source: `a live ${ref.cloud.toUpperCase()} lookup in ${snapshot.region}${why === undefined ? "" : ` (${why})`}`,
    policyName: context.policyName,
    now: context.now,
    ...(maxAgeMs === undefined ? {} : { maxAgeMs }),
  };
  reportEvaluation(context, snapshot, evaluation, framing, config.waivers);
}
