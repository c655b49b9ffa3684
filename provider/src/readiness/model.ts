/**
 * The readiness model: ONE zod schema for "is this cluster upgrade safe", shared by both clouds.
 * Every TypeScript type here is derived from the schema (never a hand-written twin), and the JSON
 * Schema for the docs is generated from it too.
 *
 * The schema uses plain `z.object` (unknown keys are stripped, not rejected): snapshots are read
 * back from Pulumi state written by other versions of this package, and an added field there must
 * not make an older reader fail.
 */
import { z } from "zod";

/** The cloud a snapshot was read from: Huawei Cloud CCE or Alibaba Cloud ACK. */
export const cloudSchema = z.enum(["cce", "ack"]);
/** `cce` or `ack`; decides which vendor check is the primary one (see `PRIMARY_CHECK_KIND`). */
export type ReadinessCloud = z.output<typeof cloudSchema>;

/** Which vendor check a check or finding comes from. */
export const checkKindSchema = z.enum(["cce-cluster-precheck", "cce-addon-check", "ack-cluster-check"]);
/** The vendor check behind a check or finding, so a reader knows where to look it up and re-run it. */
export type CheckKind = z.output<typeof checkKindSchema>;

/**
 * A check's normalized state: `failed` = finished and found problems (CCE add-on `Failed`, ACK
 * `Failed`); `error` = the check itself did not complete (CCE precheck `Error`), so it says nothing.
 */
export const checkStateSchema = z.enum(["pending", "passed", "failed", "error"]);
/** A check's normalized state, the same words for both clouds whatever the vendor status. */
export type CheckState = z.output<typeof checkStateSchema>;

/**
 * How bad a finding is, mapped from the vendor's level: `fatal` must be fixed, `warning` should be
 * looked at, `info` is for the record, `unknown` means upgrade-guard could not read the level (it
 * blocks by default, since it may be as bad as `fatal`).
 */
export const severitySchema = z.enum(["fatal", "warning", "info", "unknown"]);
/** A finding's severity; see `severitySchema`. */
export type Severity = z.output<typeof severitySchema>;

/** The worst severity among a snapshot's present findings, `none` when there is none. */
export const worstSeveritySchema = z.enum(["fatal", "warning", "info", "unknown", "none"]);
/** A snapshot's worst present severity; see `worstSeveritySchema` and `worstSeverityOf`. */
export type WorstSeverity = z.output<typeof worstSeveritySchema>;

/**
 * The answer to "may this upgrade go ahead": `ready`; `upgrading` while an upgrade of the cluster is
 * already in flight (a second one cannot start); `blocked` by a finding or a broken check; `pending`
 * while a check is still running; `stale` when the check cannot be trusted now (too old, expired,
 * undated or dated in the future); `unknown` when there is no check for the target at all. Only
 * `ready` is safe; see `evaluate`.
 */
export const verdictSchema = z.enum(["ready", "upgrading", "blocked", "pending", "stale", "unknown"]);
/** The verdict of an evaluation; see `verdictSchema`. */
export type Verdict = z.output<typeof verdictSchema>;

/** `present`: the problem exists now; `passed`: checked and fine; `pending`: not checked yet. */
export const findingStateSchema = z.enum(["present", "passed", "pending"]);
/** Whether a finding's problem exists now; only `present` findings can block. */
export type FindingState = z.output<typeof findingStateSchema>;

/**
 * Stands in for a creation time the vendor did not send: the check then reads as ancient, hence
 * stale, and can never pass for fresh.
 */
export const UNKNOWN_CREATION_TIME = "1970-01-01T00:00:00.000Z";

/** An ISO 8601 timestamp with a time zone; `error` is the message when a value is not one. */
export function isoTimestampField(error?: string) {
  return z.iso.datetime(error === undefined ? { offset: true } : { offset: true, error });
}

/** ISO 8601 UTC as produced by `normalizeTimestamp` (`2025-08-05T09:10:44.648Z`). */
export const isoTimestamp = isoTimestampField();

/** One changed configuration value (CCE `riskSource.configurationRisks[]`, vendor names kept). */
export const configurationRiskSchema = z.object({
  /** The component whose configuration changes (CCE `package`, e.g. `kubelet`). */
  package: z.string().optional(),
  /** The configuration file the value lives in. */
  sourceFile: z.string().optional(),
  /** The vendor's note about the nodes concerned. */
  nodeMsg: z.string().optional(),
  /** The configuration key that changes. */
  field: z.string().optional(),
  /** What the upgrade does to it (vendor word, e.g. `modify`, `delete`). */
  operation: z.string().optional(),
  /** The value before the upgrade. */
  originalValue: z.string().optional(),
  /** The value the upgrade would set. */
  value: z.string().optional(),
});
/** One configuration value an upgrade would change; see `configurationRiskSchema`. */
export type ConfigurationRisk = z.output<typeof configurationRiskSchema>;

/** What a finding concerns, so the reader knows what to fix; every list is optional. */
export const affectedSchema = z.object({
  /** Node ids or names. */
  nodes: z.array(z.string()).optional(),
  /**
   * The node pools of those nodes, by name (CCE: read with ListNodes and ListNodePools when a
   * precheck has node-scoped items; `DefaultPool` for nodes outside any custom pool).
   */
  nodePools: z.array(z.string()).optional(),
  /** Add-on template names (`coredns`). */
  addons: z.array(z.string()).optional(),
  /** Deprecated API urls or names still in use. */
  deprecatedApis: z.array(z.string()).optional(),
  /** Configuration values the upgrade would change (CCE configuration risks). */
  configurations: z.array(configurationRiskSchema).optional(),
});
/** What a finding concerns; see `affectedSchema`. */
export type Affected = z.output<typeof affectedSchema>;

/**
 * One item a vendor check reported, normalized across clouds: the unit that blocks an upgrade, is
 * shown to the user, and can be waived. Vendor words are kept beside the normalized ones.
 */
export const findingSchema = z.object({
  /** The kind of vendor check that reported it. */
  source: checkKindSchema,
  /** Id of the check this finding came from; waivers match on `checkName`, not on this. */
  checkId: z.string().optional(),
  /** The vendor's item or risk name verbatim (`AddonValidate`, `Deprecated API`). */
  checkName: z.string().min(1),
  /** CCE item group (`NodeCheck`) or ACK check_items category. */
  group: z.string().optional(),
  /** The normalized severity, which `evaluate` compares with its blocking severities. */
  severity: severitySchema,
  /** The vendor's level verbatim (`Fatal`), absent when the vendor has none (ACK). */
  vendorLevel: z.string().optional(),
  /** CCE item kind verbatim (`Exception` | `Risk`). */
  vendorKind: z.string().optional(),
  /** False for what the vendor says must be fixed (CCE `Fatal`, CCE `Exception`): no waiver applies. */
  waivable: z.boolean(),
  /** Whether the problem exists now; only `present` findings block. */
  state: findingStateSchema,
  /** The vendor's explanation or advice, verbatim. */
  message: z.string().optional(),
  /** What the finding concerns (nodes, add-ons, deprecated APIs, configuration). */
  affected: affectedSchema,
  /** The vendor item as received, for humans and for mappings we may refine later. */
  raw: z.unknown(),
});
/** One normalized vendor check item; see `findingSchema`. */
export type Finding = z.output<typeof findingSchema>;

/**
 * One vendor check run (a CCE precheck or add-on check, an ACK cluster check): whether it finished,
 * for which target and when, which is what decides if its findings can be trusted.
 */
export const checkRefSchema = z.object({
  /** The vendor's id of the check run, to look it up in the console or API. */
  id: z.string().min(1),
  /** Which vendor check it is. */
  kind: checkKindSchema,
  /** The vendor phase or status verbatim (`Success`, `Failed`, `Succeeded`, `Running`). */
  status: z.string(),
  /** The normalized state, the same words for both clouds. */
  state: checkStateSchema,
  /** When the check was started (ISO 8601 UTC); its age decides freshness. */
  createdAt: isoTimestamp,
  /** When it finished, if it has. */
  finishedAt: isoTimestamp.optional(),
  /** Vendor expiry of the result (CCE `expireTimeStamp`). */
  expiresAt: isoTimestamp.optional(),
  /** The cluster version the check was made for; absent for add-on checks. */
  targetVersion: z.string().optional(),
  /** The vendor's message about the check as a whole (an execution error, `task succeed`). */
  message: z.string().optional(),
});
/** One vendor check run; see `checkRefSchema`. */
export type CheckRef = z.output<typeof checkRefSchema>;

/**
 * What an upgrade already in flight on the cluster is: a running upgrade task (CCE UpgradeCluster,
 * ACK UpgradeCluster), an upgrade workflow left open for another target (CCE), or a cluster whose
 * own state says it is upgrading while no task could be named.
 */
export const inFlightKindSchema = z.enum([
  "cce-upgrade-task",
  "cce-upgrade-workflow",
  "ack-upgrade-task",
  "cluster-state",
]);
/** The kind of an upgrade in flight; see `inFlightKindSchema`. */
export type InFlightKind = z.output<typeof inFlightKindSchema>;

/** One upgrade in flight on the cluster: while there is one, no other upgrade may start. */
export const upgradeInFlightSchema = z.object({
  /** What is in flight. */
  kind: inFlightKindSchema,
  /** The task or workflow id (the cluster id for `cluster-state`), to look it up or cancel it. */
  id: z.string().min(1),
  /** The vendor status verbatim (`Running`, `running`, `Pending`, `upgrading`). */
  status: z.string(),
  /** The version it upgrades to, when the vendor says. */
  targetVersion: z.string().optional(),
  /** When it started (ISO 8601 UTC), when the vendor says. */
  startedAt: isoTimestamp.optional(),
});
/** One upgrade in flight; see `upgradeInFlightSchema`. */
export type UpgradeInFlight = z.output<typeof upgradeInFlightSchema>;

/**
 * Where the cluster may go from its current version, as the cloud says: CCE `ShowClusterUpgradeInfo`
 * (`versionInfo.targetVersions`, `suggestPatch`), ACK `DescribeClusterDetail` (`next_version`, the
 * only version ACK upgrades a cluster to). A target outside `offered` is not an upgrade the cloud
 * would run (a skipped minor, a version it does not offer), so `evaluate` blocks it.
 */
export const upgradePathSchema = z.object({
  /** Which vendor answer the path was read from. */
  source: z.enum(["cce-upgrade-info", "ack-cluster-detail"]),
  /** The targets the cloud offers from the current version (CCE minors like `v1.30`; ACK full versions). */
  offered: z.array(z.string().min(1)),
  /** The target the vendor suggests, when it names one (CCE `suggestPatch` of the newest; ACK `next_version`). */
  suggested: z.string().min(1).optional(),
  /**
   * Offered targets that are not versions upgrade-guard can read (e.g. `v1.31-beta`): left out of
   * `offered` so the rest can still be judged, and named in the reasons. Absent when there is none.
   */
  unreadable: z.array(z.string().min(1)).optional(),
});
/** The cloud's offered upgrade targets; see `upgradePathSchema`. */
export type UpgradePath = z.output<typeof upgradePathSchema>;

/**
 * A check the facts gatherer read but did not judge, and why: an ACK check that records no target
 * version while the time of the cluster's last upgrade is unknown (it may predate that upgrade).
 * `evaluate` names each in the reasons, so the explanation survives every re-evaluation (the
 * policy pack's, the gate's).
 */
export const setAsideCheckSchema = z.object({
  /** The check's id. */
  id: z.string().min(1),
  /** Which vendor check it is. */
  kind: checkKindSchema,
  /** Why it was not judged, as a clause: "it records no target version, and ...". */
  because: z.string().min(1),
});
/** A check read but not judged; see `setAsideCheckSchema`. */
export type SetAsideCheck = z.output<typeof setAsideCheckSchema>;

/**
 * How long the cluster's current Kubernetes version stays supported, as the cloud publishes it (ACK
 * DescribeKubernetesVersionMetadata `expiration_date`). CCE publishes its support dates only on its
 * web pages, not through an API, so CCE snapshots carry none. Advisory: `evaluate` notes a version
 * past or near its end of support, and never blocks on it.
 */
export const versionSupportSchema = z.object({
  /** Which vendor answer it was read from. */
  source: z.enum(["ack-version-metadata"]),
  /** The version it describes (the cluster's current one). */
  version: z.string().min(1),
  /** When the vendor released the version. */
  releasedAt: isoTimestamp.optional(),
  /** When the vendor's support for it ends (or ended). */
  endOfSupport: isoTimestamp.optional(),
  /**
   * Why the support window could not be read (the operation and the vendor's error code), when it
   * could not; the rest of the snapshot does not depend on it.
   */
  unreadable: z.string().min(1).optional(),
});
/** The support window of the current version; see `versionSupportSchema`. */
export type VersionSupport = z.output<typeof versionSupportSchema>;

/**
 * The node pool a snapshot judges, when it judges one (ACK node pool upgrades): then the snapshot's
 * `currentVersion` and `targetVersion` are the pool's Kubernetes (kubelet) versions, and the pool's
 * target is also held against the control plane's version (Kubernetes version skew policy).
 */
export const nodePoolFactsSchema = z.object({
  /** The vendor's node pool id (ACK `nodepool_info.nodepool_id`). */
  id: z.string().min(1),
  /** The node pool's display name, for messages. */
  name: z.string().optional(),
  /** The cluster's control-plane version now (ACK `current_version`). */
  controlPlaneVersion: z.string().min(1),
});
/** The node pool of a node pool snapshot; see `nodePoolFactsSchema`. */
export type NodePoolFacts = z.output<typeof nodePoolFactsSchema>;

/**
 * Everything upgrade-guard knows about one planned upgrade of one cluster at one instant: the vendor
 * checks, their findings and the verdict. It is what data sources return, what resources keep in
 * state and what the policy pack judges, so every consumer decides from the same facts.
 */
export const readinessSnapshotSchema = z.object({
  /** The cloud the cluster runs on. */
  cloud: cloudSchema,
  /** The vendor's cluster id, which waivers must name. */
  clusterId: z.string().min(1),
  /** The cluster's display name, for messages. */
  clusterName: z.string().optional(),
  /** The vendor region of the cluster (`cn-north-4`, `cn-hangzhou`). */
  region: z.string().min(1),
  /** The Kubernetes version the cluster runs now, as the vendor reports it. */
  currentVersion: z.string().min(1),
  /** The version the upgrade would go to. */
  targetVersion: z.string().min(1),
  /** The vendor check runs the snapshot was built from (CCE precheck and add-on checks, ACK check). */
  checks: z.array(checkRefSchema),
  /** The items those checks reported. */
  findings: z.array(findingSchema),
  /**
   * Upgrades already in flight on the cluster. Absent when there are none (so snapshots of idle
   * clusters keep the digest they had before this field existed).
   */
  upgradesInFlight: z.array(upgradeInFlightSchema).min(1).optional(),
  /**
   * The upgrade targets the cloud offers. Absent when they were not read (snapshots built from check
   * results alone, and those written before this field existed, keep their digest).
   */
  upgradePath: upgradePathSchema.optional(),
  /** The support window of the current version (ACK); absent when not read (CCE, older snapshots). */
  versionSupport: versionSupportSchema.optional(),
  /** Checks read but not judged, with why; absent when none (older snapshots keep their digest). */
  setAside: z.array(setAsideCheckSchema).min(1).optional(),
  /**
   * The node pool whose upgrade the snapshot judges; absent for a cluster (control-plane) upgrade, so
   * cluster snapshots keep the digest they had before this field existed.
   */
  nodePool: nodePoolFactsSchema.optional(),
  /** The worst severity among present findings (before waivers). */
  worstSeverity: worstSeveritySchema,
  /** The verdict `evaluate` gave when the snapshot was built. */
  verdict: verdictSchema,
  /** Plain-language explanation of the verdict, one sentence each. */
  reasons: z.array(z.string()),
  /** When the facts were read from the cloud (ISO 8601 UTC); evaluation's default "now". */
  observedAt: isoTimestamp,
  /** `sha256:<hex>` over the canonical JSON of the facts (everything but observedAt, verdict, reasons). */
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
});
/** A parsed readiness snapshot; see `readinessSnapshotSchema`. */
export type ReadinessSnapshot = z.output<typeof readinessSnapshotSchema>;
/** What a snapshot looks like before it is parsed (e.g. read back from Pulumi state). */
export type ReadinessSnapshotInput = z.input<typeof readinessSnapshotSchema>;

const draft07 = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: "input", target: "draft-07" }) as Record<string, unknown>;

/** JSON Schema (draft-07) of the readiness snapshot, for the docs and for policy configuration. */
export function readinessSnapshotJsonSchema(): Record<string, unknown> {
  return draft07(readinessSnapshotSchema);
}

/** JSON Schema (draft-07) of one finding. */
export function findingJsonSchema(): Record<string, unknown> {
  return draft07(findingSchema);
}

const SEVERITY_RANK: Record<WorstSeverity, number> = { none: 0, info: 1, warning: 2, unknown: 3, fatal: 4 };

/**
 * The worst severity among the findings that are present. `unknown` ranks above `warning` and
 * below `fatal`: something we could not read may be as bad as a fatal, but is not known to be.
 */
export function worstSeverityOf(findings: readonly Finding[]): WorstSeverity {
  let worst: WorstSeverity = "none";
  for (const finding of findings) {
    if (finding.state === "present" && SEVERITY_RANK[finding.severity] > SEVERITY_RANK[worst])
      worst = finding.severity;
  }
  return worst;
}

/** Orders severities worst first, for sorting findings. */
export function severityRank(severity: WorstSeverity): number {
  return SEVERITY_RANK[severity];
}
