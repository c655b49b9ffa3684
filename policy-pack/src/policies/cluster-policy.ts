/**
 * `cluster-upgrade-requires-clean-precheck` (mandatory by default): a cluster version change is
 * blocked unless the latest vendor pre-upgrade check for the target says it is safe. The verdict is
 * `evaluate`'s (provider/src/readiness/evaluate.ts), with the policy's configuration as options; this
 * module only gathers the facts and frames the answer.
 *
 * The facts always come from the cloud: the policy finds the cluster (by id, else by name), and the
 * provider's facts gatherer reads its current version, latest checks for the target and upgrades in
 * flight (one gathering per cluster and target per process, shared by concurrent Analyze calls).
 * upgrade-guard's own upgrade resources also carry what the program saw (`currentVersion` and a
 * readiness summary); those are claims, checked against the facts (claims.ts): when they disagree,
 * the change is blocked as planned on out-of-date readiness. A claim never passes a change.
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
import { evaluate, isVersionChange, type ReadinessSnapshot } from "@upgrade-guard/provider";
import {
  type ClusterPolicyConfig,
  type ClusterPolicyConfigInput,
  clusterPolicyConfigSchema,
  minutesToMs,
} from "./config";
import { defaultLookup } from "./cloud-lookup";
import { type InputRead, readPlain, readString, readVersion } from "./inputs";
import { type ClusterRef, type LiveCluster, type ReadinessLookup } from "./lookup";
import { claimDisagreements, type ProgramClaims } from "./claims";
import { type Framing, outOfDateMessage } from "./messages";
import { coveredType, inputPath, typesOf } from "./resource-types";
import {
  chooseAccount,
  configuredPolicy,
  judgeCovered,
  evaluateOptions,
  lookupFailedMessage,
  type PolicyFactoryOptions,
  readRegion,
  regionProperty,
  reportEvaluation,
  reportUnknown,
  type ResourceContext,
  uncoveredAccountMessage,
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

const NOT_APPLICABLE = `applies only to cluster and node pool version changes of: ${[
  ...typesOf("cluster"),
  ...typesOf("nodePool"),
]
  .map((entry) => entry.type)
  .join(", ")}`;

/**
 * The policy factory. Compose it into your own pack:
 *
 * ```typescript
 * import { PolicyPack } from "@pulumi/policy";
 * import { clusterUpgradeRequiresCleanPrecheck } from "@upgrade-guard/policy-pack/policies";
 * new PolicyPack("my-pack", {
 *   policies: [clusterUpgradeRequiresCleanPrecheck({ config: { blockingSeverities: ["fatal", "warning", "unknown"] } })],
 * });
 * ```
 */
export function clusterUpgradeRequiresCleanPrecheck(
  options: ClusterPolicyOptions = {},
): ResourceValidationPolicy {
  return configuredPolicy("cluster", clusterPolicyConfigSchema, options, (args, report) =>
    validateClusterUpgrade(args, report, options),
  );
}

async function validateClusterUpgrade(
  args: ResourceValidationArgs,
  report: ReportViolation,
  options: ClusterPolicyOptions,
): Promise<void> {
  const entry = coveredType(args.type);
  if (entry === undefined || (entry.policy !== "cluster" && entry.policy !== "nodePool"))
    return args.notApplicable(NOT_APPLICABLE);
  return judgeCovered(
    args,
    report,
    entry,
    "cluster",
    clusterPolicyConfigSchema,
    options,
    (context, config) => {
      if (entry.policy === "nodePool")
        return judgeNodePool(context, config, options.lookup ?? defaultLookup());
      if (entry.facts === "inputs") return judgeFromInputs(context, config, options.lookup);
      return judgeByLookup(context, config, options.lookup ?? defaultLookup());
    },
  );
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
  // The project the resource acts in is where its cluster is read (CCE ids are per project).
  const projectId = entry.projectId === undefined ? undefined : readString(args.props, [entry.projectId]);
  if (projectId?.state === "unknown") unknown.push(projectId.path);
  if (projectId?.state === "invalid") missing.push(`${projectId.path} (${projectId.problem})`);
  if (missing.length > 0) {
    return context.report(
      `${context.resource}: cannot verify the version change: missing or invalid ${missing.join(", ")}. ` +
        `upgrade-guard's upgrade resources must carry clusterId and targetVersion as strings ` +
        `(and currentVersion and projectId, when given, as strings).`,
    );
  }
  if (unknown.length > 0) return reportUnknown(context, unknown, config.allowUnknownInPreview);
  if (target.state !== "known" || clusterId.state !== "known") return;
  // The program's currentVersion and readiness are claims: the facts are read from the cloud, and
  // the claims are only checked against them (claims.ts).
  const claims: ProgramClaims = {
    ...(current.state === "known" ? { currentVersion: current.value } : {}),
    ...(readiness.state === "known" ? { readiness: readiness.value } : {}),
  };
  const region = regionRead.state === "known" ? regionRead.value : undefined;
  const live = lookup ?? defaultLookup();
  const { account } = chooseAccount(args, entry.cloud, config.accounts, region, live);
  const ref: ClusterRef = {
    cloud: entry.cloud,
    clusterId: clusterId.value,
    ...(region === undefined ? {} : { region }),
    ...(account === undefined ? {} : { account }),
    ...(projectId?.state === "known" ? { projectId: projectId.value } : {}),
  };
  return judgeLive(context, config, live, ref, target.value, claims);
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
  const region = regionRead.state === "known" ? regionRead.value : undefined;
  const choice = chooseAccount(args, entry.cloud, config.accounts, region, lookup);
  const ref: ClusterRef = {
    cloud: entry.cloud,
    [refRead.key]: refRead.read.value,
    ...regionProperty(regionRead),
    ...(choice.account === undefined ? {} : { account: choice.account }),
  };
  // Found by NAME, a cluster proves nothing unless the search covered the provider's own account (an
  // id is unique: looked up with other credentials it is either found, and it, or an error).
  if (refRead.key === "clusterName" && choice.account === undefined && choice.uncovered.length > 0) {
    return context.report(
      uncoveredAccountMessage(context, ref, choice, choice.searchedRegion, context.policyName),
    );
  }
  return judgeLive(context, config, lookup, ref, target.value);
}

/**
 * A node pool version change (`upgradePolicy.kubernetesVersion` of `alicloud:cs/nodePool:NodePool`):
 * judged from the cloud's facts about the pool, its control plane and the pool's NodePoolUpgrade
 * check. A pool with no id yet (unknown on create) is being created: nothing is upgraded.
 */
async function judgeNodePool(
  context: ResourceContext,
  config: ClusterPolicyConfig,
  lookup: ReadinessLookup,
): Promise<void> {
  const { args, entry } = context;
  const target = readVersion(args.props, inputPath(entry.targetVersion));
  // No version in the inputs: the program does not pin one, so it asks for no version change.
  if (target.state === "absent") return;
  const poolName = entry.nodePoolId ?? "nodePoolId";
  const pool = readString(args.props, [poolName]);
  // Unknown on create: a pool being created is not an upgrade.
  if (pool.state === "unknown") return;
  if (pool.state === "absent") {
    return context.report(
      `${context.resource}: cannot tell which node pool this version (${target.state === "known" ? target.value : "?"}) ` +
        `applies to: \`${poolName}\` is missing (it is known from the state on update, unknown on create). ` +
        `upgrade-guard blocks what it cannot verify; preview the change against a stack whose state holds the pool.`,
    );
  }
  const clusterName = entry.clusterId ?? "clusterId";
  const clusterId = readString(args.props, [clusterName]);
  const { unknown, missing } = classify({
    [entry.targetVersion]: target,
    [clusterName]: clusterId,
    [poolName]: pool,
  });
  const regionRead = readRegion(args, entry);
  if (regionRead.state === "unknown") unknown.push(regionRead.path);
  if (unknown.length > 0) return reportUnknown(context, unknown, config.allowUnknownInPreview);
  if (
    missing.length > 0 ||
    target.state !== "known" ||
    clusterId.state !== "known" ||
    pool.state !== "known"
  ) {
    return context.report(
      `${context.resource}: cannot verify the node pool version change: missing or invalid ${missing.join(", ")}. ` +
        `upgrade-guard blocks what it cannot verify. Set \`${clusterName}\` and \`${entry.targetVersion}\` as strings ` +
        `(a Kubernetes version such as "1.32.1-aliyun.1").`,
    );
  }
  const region = regionRead.state === "known" ? regionRead.value : undefined;
  const { account } = chooseAccount(args, entry.cloud, config.accounts, region, lookup);
  const ref: ClusterRef = {
    cloud: entry.cloud,
    clusterId: clusterId.value,
    ...regionProperty(regionRead),
    ...(account === undefined ? {} : { account }),
  };
  return judgeLive(context, config, lookup, ref, target.value, {}, pool.value);
}

/**
 * Finds the cluster, reads its readiness facts for the target with the provider's facts gatherer
 * (for one of its node pools when `nodePoolId` is given), and judges them; the program's claims,
 * when it made any, must agree with those facts.
 */
async function judgeLive(
  context: ResourceContext,
  config: ClusterPolicyConfig,
  lookup: ReadinessLookup,
  ref: ClusterRef,
  targetVersion: string,
  claims: ProgramClaims = {},
  nodePoolId?: string,
): Promise<void> {
  let snapshot: ReadinessSnapshot;
  let cluster: LiveCluster | undefined;
  try {
    cluster = await lookup.findCluster(ref);
    // Looked up by name and not found: the resource creates the cluster, nothing is upgraded.
    if (cluster === undefined) return;
    if (nodePoolId !== undefined) {
      if (lookup.nodePoolSnapshot === undefined)
        throw new Error(
          "the configured readiness lookup cannot read node pools (it has no nodePoolSnapshot)",
        );
      snapshot = await lookup.nodePoolSnapshot(cluster, nodePoolId, targetVersion);
      // The cloud says the pool already runs the target: nothing changes.
      if (!isVersionChange(snapshot.currentVersion, targetVersion)) return;
    } else {
      // The cloud says the cluster already satisfies the target: nothing changes, whatever was claimed.
      if (!isVersionChange(cluster.currentVersion, targetVersion)) return;
      snapshot = await lookup.clusterSnapshot(cluster, targetVersion);
    }
  } catch (error) {
    return context.report(lookupFailedMessage(context, ref, targetVersion, error, lookup));
  }
  const evaluation = evaluate(snapshot, evaluateOptions(config, context.now));
  const maxAgeMs = minutesToMs(config.maxAgeMinutes);
  const framing: Framing = {
    resource: context.resource,
    // Where the lookup searched (the client's region), which is what the user configures.
    source: `a live ${ref.cloud.toUpperCase()} lookup in ${cluster.region}`,
    policyName: context.policyName,
    now: context.now,
    ...(maxAgeMs === undefined ? {} : { maxAgeMs }),
  };
  const disagreements = claimDisagreements(claims, snapshot);
  if (disagreements.length > 0) {
    return context.report(outOfDateMessage(snapshot, evaluation, framing, disagreements));
  }
  reportEvaluation(context, snapshot, evaluation, framing, config.waivers);
}
