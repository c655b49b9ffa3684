/**
 * Builders: vendor check results in, one `ReadinessSnapshot` out. They map (from-cce.ts,
 * from-ack.ts), order the findings so equal facts give equal digests, and let `evaluate` fill
 * `verdict` and `reasons`, so a snapshot's verdict can never disagree with `evaluate`.
 *
 * The caller chooses WHICH checks to pass (see latest.ts); the builders trust that choice, except
 * that `evaluate` still ignores a check whose recorded target does not match `targetVersion`.
 *
 * The builders are the public door to the mappings, so they validate what they are given with the
 * vendor schemas the clients parse responses with (a task read by a client passes unchanged; a
 * hand-made or untyped one gets an `InputError` naming each bad field, e.g. `precheck.metadata.uid`).
 * The mappings behind them trust their input.
 */
import { z } from "zod";
import { type AckClusterCheck, ackClusterCheckSchema } from "../clients/ack/schemas";
import {
  type CceAddonCheckTask,
  cceAddonCheckTaskSchema,
  type CceNode,
  type CceNodePool,
  cceNodePoolSchema,
  cceNodeSchema,
  type CcePrecheckTask,
  ccePrecheckTaskSchema,
} from "../clients/cce/schemas";
import { InputError } from "../errors";
import { redactDeep } from "../internal/redact";
import { normalizeTimestamp } from "../internal/timestamps";
import { parseArgs } from "../internal/validate";
import { canonicalJson, factsDigest } from "./digest";
import { type EvaluateOptions, evaluate } from "./evaluate";
import { ackCheckFindings, ackCheckRef } from "./from-ack";
import {
  cceAddonCheckRef,
  cceAddonFindings,
  ccePrecheckCheckRef,
  ccePrecheckFindings,
  cceNodePoolIndex,
  latestAddonChecks,
} from "./from-cce";
import {
  type CheckRef,
  type Finding,
  type NodePoolFacts,
  nodePoolFactsSchema,
  type ReadinessCloud,
  type ReadinessSnapshot,
  setAsideCheckSchema,
  severityRank,
  type UpgradeInFlight,
  upgradeInFlightSchema,
  type UpgradePath,
  type VersionSupport,
  upgradePathSchema,
  versionSupportSchema,
  worstSeverityOf,
} from "./model";

const clusterFactsSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1).optional(),
  region: z.string().min(1),
  /** As the cloud reports it: CCE `spec.version`, ACK `current_version`. */
  currentVersion: z.string().min(1),
});
export type ClusterFacts = z.input<typeof clusterFactsSchema>;

/** ISO 8601 or epoch milliseconds: when the facts were read. */
const nowSchema = z.union([z.string(), z.number().finite()]);

const commonArgsSchema = z.object({
  cluster: clusterFactsSchema,
  targetVersion: z.string().trim().min(1),
  upgradesInFlight: z.array(upgradeInFlightSchema).optional(),
  upgradePath: upgradePathSchema.optional(),
  versionSupport: versionSupportSchema.optional(),
  setAside: z.array(setAsideCheckSchema).optional(),
  now: nowSchema,
});

const cceArgsSchema = commonArgsSchema.extend({
  precheck: ccePrecheckTaskSchema.optional(),
  addonChecks: z.array(cceAddonCheckTaskSchema).optional(),
  nodes: z.array(cceNodeSchema).optional(),
  nodePools: z.array(cceNodePoolSchema).optional(),
});

const ackArgsSchema = commonArgsSchema.extend({
  check: ackClusterCheckSchema.optional(),
  checkTargetVersion: z.string().optional(),
  nodePool: z.strictObject(nodePoolFactsSchema.shape).optional(),
});

const cceAddonArgsSchema = z.object({
  clusterId: z.string().min(1),
  region: z.string().min(1),
  addonTemplateName: z.string().min(1),
  installedVersion: z.string().min(1),
  targetVersion: z.string().min(1),
  check: cceAddonCheckTaskSchema,
  now: nowSchema,
});

/** Options for the verdict stored in the snapshot; `now` is always the builder's `now`. */
export type SnapshotEvaluateOptions = Omit<EvaluateOptions, "now">;

export interface BuildCceSnapshotArgs {
  readonly cluster: ClusterFacts;
  readonly targetVersion: string;
  /** The latest cluster precheck for the target (CCE ShowPreCheck), if any. */
  readonly precheck?: CcePrecheckTask;
  /** Add-on check tasks (ListAddonPrecheckTasks); only the newest per add-on instance and type counts. */
  readonly addonChecks?: readonly CceAddonCheckTask[];
  /** Upgrades already running on the cluster (see facts.ts); none when absent or empty. */
  readonly upgradesInFlight?: readonly UpgradeInFlight[];
  /** The targets the cloud offers (see facts.ts); `evaluate` blocks a target outside them. */
  readonly upgradePath?: UpgradePath;
  /**
   * The cluster's nodes (ListNodes) and custom node pools (ListNodePools): with both, each
   * node-scoped precheck finding names its nodes' pools in `affected.nodePools`.
   */
  readonly nodes?: readonly CceNode[];
  readonly nodePools?: readonly CceNodePool[];
  readonly now: string | number;
  readonly evaluateOptions?: SnapshotEvaluateOptions;
}

export interface BuildAckSnapshotArgs {
  readonly cluster: ClusterFacts;
  readonly targetVersion: string;
  /** The latest cluster check (ACK GetClusterCheck), if any. */
  readonly check?: AckClusterCheck;
  /**
   * The version the check was run for (`options.next_version` of RunClusterCheck); ACK does not
   * echo it. Leave it out only when the caller knows the check was made for `targetVersion`.
   */
  readonly checkTargetVersion?: string;
  /** Upgrades already running on the cluster (see facts.ts); none when absent or empty. */
  readonly upgradesInFlight?: readonly UpgradeInFlight[];
  /** The targets the cloud offers (see facts.ts); `evaluate` blocks a target outside them. */
  readonly upgradePath?: UpgradePath;
  /** The current version's support window (see facts.ts); advisory. */
  readonly versionSupport?: VersionSupport;
  /**
   * A node pool upgrade: the pool, with the control plane's version. Then `cluster.currentVersion`
   * and `targetVersion` are the pool's versions and `check` must be a `NodePoolUpgrade` check.
   */
  readonly nodePool?: NodePoolFacts;
  readonly now: string | number;
  readonly evaluateOptions?: SnapshotEvaluateOptions;
}

export interface BuildCceAddonSnapshotArgs {
  /** The cluster the add-on runs on. */
  readonly clusterId: string;
  /** The cluster's region (`cn-north-4`). */
  readonly region: string;
  /** The add-on (`coredns`), as in the check's `metadata.addonTemplateName`. */
  readonly addonTemplateName: string;
  /** The add-on version installed now. */
  readonly installedVersion: string;
  /** The add-on version the change goes to. */
  readonly targetVersion: string;
  /** The add-on check for that version (ListAddonPrecheckTasks, type `addonUpgrade`; see `latestAddonCheck`). */
  readonly check: CceAddonCheckTask;
  /** ISO 8601 or epoch milliseconds: when the facts were read. */
  readonly now: string | number;
  /** `missingCheckBlocks` is false unless given: an add-on snapshot never has a cluster precheck. */
  readonly evaluateOptions?: SnapshotEvaluateOptions;
}

/** ACK check types that look at a cluster (control-plane) upgrade; others say nothing about one. */
const ACK_UPGRADE_CHECK_TYPES: ReadonlySet<string> = new Set(["ClusterUpgrade", "MasterUpgrade"]);

const STATE_ORDER: Readonly<Record<Finding["state"], number>> = { present: 0, pending: 1, passed: 2 };

/**
 * Worst first (present before pending before passed, then by severity), then by name; the raw
 * item breaks the remaining ties, so vendor list order never changes the digest.
 */
function compareFindings(a: Finding, b: Finding): number {
  const key = (f: Finding) => [
    f.source,
    f.checkName,
    f.group ?? "",
    f.message ?? "",
    canonicalJson(f.affected),
    canonicalJson(f.raw),
  ];
  const byRank =
    STATE_ORDER[a.state] - STATE_ORDER[b.state] || severityRank(b.severity) - severityRank(a.severity);
  if (byRank !== 0) return byRank;
  const [keyA, keyB] = [key(a), key(b)];
  for (let i = 0; i < keyA.length; i++) {
    const left = keyA[i] ?? "";
    const right = keyB[i] ?? "";
    if (left !== right) return left < right ? -1 : 1;
  }
  return 0;
}

/** By kind, then id: vendor list order never changes the digest. */
function compareInFlight(a: UpgradeInFlight, b: UpgradeInFlight): number {
  const left = `${a.kind}|${a.id}`;
  const right = `${b.kind}|${b.id}`;
  return left < right ? -1 : left > right ? 1 : 0;
}

function assemble(
  cloud: ReadinessCloud,
  args: Omit<z.output<typeof commonArgsSchema>, "upgradesInFlight"> & {
    nodePool?: NodePoolFacts | undefined;
  },
  checks: CheckRef[],
  findings: Finding[],
  upgradesInFlight: readonly UpgradeInFlight[] | undefined,
  evaluateOptions: SnapshotEvaluateOptions | undefined,
  where: string,
): ReadinessSnapshot {
  const observedAt = normalizeTimestamp(args.now);
  if (observedAt === undefined) throw new InputError(where, [{ path: "now", message: "not a timestamp" }]);
  // What the cloud wrote (a vendor message can quote a key) is redacted once here, so every reader
  // of the snapshot (reports, policy messages, Pulumi state, the digest) gets the same clean text.
  const sorted = redactDeep(findings).sort(compareFindings);
  const facts = {
    cloud,
    clusterId: args.cluster.id,
    ...(args.cluster.name === undefined ? {} : { clusterName: args.cluster.name }),
    region: args.cluster.region,
    currentVersion: args.cluster.currentVersion,
    targetVersion: args.targetVersion,
    checks: redactDeep(checks),
    findings: sorted,
    ...(upgradesInFlight === undefined || upgradesInFlight.length === 0
      ? {}
      : { upgradesInFlight: [...redactDeep(upgradesInFlight)].sort(compareInFlight) }),
    ...(args.upgradePath === undefined ? {} : { upgradePath: args.upgradePath }),
    ...(args.versionSupport === undefined ? {} : { versionSupport: args.versionSupport }),
    ...(args.nodePool === undefined ? {} : { nodePool: args.nodePool }),
    ...(args.setAside === undefined || args.setAside.length === 0
      ? {}
      : { setAside: redactDeep(args.setAside) }),
    worstSeverity: worstSeverityOf(sorted),
  };
  const digest = factsDigest(facts);
  const { verdict, reasons } = evaluate({ ...facts, observedAt }, { ...evaluateOptions, now: observedAt });
  return { ...facts, verdict, reasons, observedAt, digest };
}

/** A CCE readiness snapshot from the cluster precheck and add-on checks. */
export function buildCceSnapshot(args: BuildCceSnapshotArgs): ReadinessSnapshot {
  const where = "buildCceSnapshot";
  const { precheck, addonChecks, upgradesInFlight, nodes, nodePools, ...common } = parseArgs(
    cceArgsSchema,
    args,
    where,
  );
  const poolOf =
    nodes === undefined || nodePools === undefined ? undefined : cceNodePoolIndex(nodes, nodePools);
  const addonTasks = latestAddonChecks(addonChecks ?? []);
  const checks: CheckRef[] = [
    ...(precheck === undefined ? [] : [ccePrecheckCheckRef(precheck)]),
    ...addonTasks.map(cceAddonCheckRef),
  ];
  const findings = [
    ...(precheck === undefined ? [] : ccePrecheckFindings(precheck, poolOf)),
    ...addonTasks.flatMap(cceAddonFindings),
  ];
  return assemble("cce", common, checks, findings, upgradesInFlight, args.evaluateOptions, where);
}

/**
 * The snapshot of one CCE add-on version change, judged by its add-on check: the "versions" are the
 * add-on's (`coredns 1.29.4` to `coredns 1.30.1`), the one check is the add-on check and the findings
 * are its risks. For the add-on policy and anyone gating an add-on upgrade; `evaluate` it with
 * `missingCheckBlocks: false` like the builder does (a check still running or expired, or a
 * blocking risk, blocks). Such a snapshot never has a cluster precheck, so a clean one is allowed
 * with verdict `unknown` and a reason saying the missing precheck does not block.
 */
export function buildCceAddonSnapshot(args: BuildCceAddonSnapshotArgs): ReadinessSnapshot {
  const where = "buildCceAddonSnapshot";
  const { check, addonTemplateName, ...parsed } = parseArgs(cceAddonArgsSchema, args, where);
  if (check.metadata.addonTemplateName !== addonTemplateName) {
    throw new InputError(where, [
      {
        path: "check.metadata.addonTemplateName",
        message: `check ${check.metadata.taskID} is for the ${check.metadata.addonTemplateName} add-on, not ${addonTemplateName}`,
      },
    ]);
  }
  const common = {
    cluster: {
      id: parsed.clusterId,
      region: parsed.region,
      currentVersion: `${addonTemplateName} ${parsed.installedVersion}`,
    },
    targetVersion: `${addonTemplateName} ${parsed.targetVersion}`,
    now: parsed.now,
  };
  const evaluateOptions = {
    ...args.evaluateOptions,
    missingCheckBlocks: args.evaluateOptions?.missingCheckBlocks ?? false,
  };
  return assemble(
    "cce",
    common,
    [cceAddonCheckRef(check)],
    cceAddonFindings(check),
    undefined,
    evaluateOptions,
    where,
  );
}

/**
 * An ACK readiness snapshot from one cluster check. Throws `InputError` for a non-upgrade check (with
 * `nodePool`: for a check that is not a `NodePoolUpgrade` one).
 */
export function buildAckSnapshot(args: BuildAckSnapshotArgs): ReadinessSnapshot {
  const where = "buildAckSnapshot";
  const { check, checkTargetVersion, upgradesInFlight, ...common } = parseArgs(ackArgsSchema, args, where);
  const nodePool = common.nodePool !== undefined;
  const fits = (type: string) => (nodePool ? type === "NodePoolUpgrade" : ACK_UPGRADE_CHECK_TYPES.has(type));
  if (check?.type !== undefined && !fits(check.type)) {
    throw new InputError(where, [
      {
        path: "check.type",
        message: nodePool
          ? `check ${check.check_id} is a ${check.type} check; a node pool upgrade takes a NodePoolUpgrade check`
          : `check ${check.check_id} is a ${check.type} check; pass a ClusterUpgrade or MasterUpgrade check`,
      },
    ]);
  }
  const checks = check === undefined ? [] : [ackCheckRef(check, checkTargetVersion)];
  const findings = check === undefined ? [] : ackCheckFindings(check);
  return assemble("ack", common, checks, findings, upgradesInFlight, args.evaluateOptions, where);
}
