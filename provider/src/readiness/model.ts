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
import { requireShapes } from "../internal/validate";

export const cloudSchema = z.enum(["cce", "ack"]);
export type ReadinessCloud = z.output<typeof cloudSchema>;

/** Which vendor check a check or finding comes from. */
export const checkKindSchema = z.enum(["cce-cluster-precheck", "cce-addon-check", "ack-cluster-check"]);
export type CheckKind = z.output<typeof checkKindSchema>;

/**
 * A check's normalized state: `failed` = finished and found problems (CCE add-on `Failed`, ACK
 * `Failed`); `error` = the check itself did not complete (CCE precheck `Error`), so it says nothing.
 */
export const checkStateSchema = z.enum(["pending", "passed", "failed", "error"]);
export type CheckState = z.output<typeof checkStateSchema>;

export const severitySchema = z.enum(["fatal", "warning", "info", "unknown"]);
export type Severity = z.output<typeof severitySchema>;

export const worstSeveritySchema = z.enum(["fatal", "warning", "info", "unknown", "none"]);
export type WorstSeverity = z.output<typeof worstSeveritySchema>;

export const verdictSchema = z.enum(["ready", "blocked", "pending", "stale", "unknown"]);
export type Verdict = z.output<typeof verdictSchema>;

/** `present`: the problem exists now; `passed`: checked and fine; `pending`: not checked yet. */
export const findingStateSchema = z.enum(["present", "passed", "pending"]);
export type FindingState = z.output<typeof findingStateSchema>;

/**
 * Stands in for a creation time the vendor did not send: the check then reads as ancient, hence
 * stale, and can never pass for fresh.
 */
export const UNKNOWN_CREATION_TIME = "1970-01-01T00:00:00.000Z";

/** ISO 8601 UTC as produced by `normalizeTimestamp` (`2025-08-05T09:10:44.648Z`). */
const isoTimestamp = z.iso.datetime({ offset: true });

/** One changed configuration value (CCE `riskSource.configurationRisks[]`, vendor names kept). */
export const configurationRiskSchema = z.object({
  package: z.string().optional(),
  sourceFile: z.string().optional(),
  nodeMsg: z.string().optional(),
  field: z.string().optional(),
  operation: z.string().optional(),
  originalValue: z.string().optional(),
  value: z.string().optional(),
});
export type ConfigurationRisk = z.output<typeof configurationRiskSchema>;

export const affectedSchema = z.object({
  /** Node ids or names. */
  nodes: z.array(z.string()).optional(),
  /** Add-on template names (`coredns`). */
  addons: z.array(z.string()).optional(),
  /** Deprecated API urls or names still in use. */
  deprecatedApis: z.array(z.string()).optional(),
  configurations: z.array(configurationRiskSchema).optional(),
});
export type Affected = z.output<typeof affectedSchema>;

export const findingSchema = z.object({
  source: checkKindSchema,
  /** Id of the check this finding came from; waivers match on `checkName`, not on this. */
  checkId: z.string().optional(),
  /** The vendor's item or risk name verbatim (`AddonValidate`, `Deprecated API`). */
  checkName: z.string().min(1),
  /** CCE item group (`NodeCheck`) or ACK check_items category. */
  group: z.string().optional(),
  severity: severitySchema,
  /** The vendor's level verbatim (`Fatal`), absent when the vendor has none (ACK). */
  vendorLevel: z.string().optional(),
  /** CCE item kind verbatim (`Exception` | `Risk`). */
  vendorKind: z.string().optional(),
  /** False for what the vendor says must be fixed (CCE `Fatal`, CCE `Exception`): no waiver applies. */
  waivable: z.boolean(),
  state: findingStateSchema,
  message: z.string().optional(),
  affected: affectedSchema,
  /** The vendor item as received, for humans and for mappings we may refine later. */
  raw: z.unknown(),
});
export type Finding = z.output<typeof findingSchema>;

export const checkRefSchema = z.object({
  id: z.string().min(1),
  kind: checkKindSchema,
  /** The vendor phase or status verbatim (`Success`, `Failed`, `Succeeded`, `Running`). */
  status: z.string(),
  state: checkStateSchema,
  createdAt: isoTimestamp,
  finishedAt: isoTimestamp.optional(),
  /** Vendor expiry of the result (CCE `expireTimeStamp`). */
  expiresAt: isoTimestamp.optional(),
  /** The cluster version the check was made for; absent for add-on checks. */
  targetVersion: z.string().optional(),
  /** The vendor's message about the check as a whole (an execution error, `task succeed`). */
  message: z.string().optional(),
});
export type CheckRef = z.output<typeof checkRefSchema>;

export const readinessSnapshotSchema = z.object({
  cloud: cloudSchema,
  clusterId: z.string().min(1),
  clusterName: z.string().optional(),
  region: z.string().min(1),
  currentVersion: z.string().min(1),
  targetVersion: z.string().min(1),
  checks: z.array(checkRefSchema),
  findings: z.array(findingSchema),
  worstSeverity: worstSeveritySchema,
  verdict: verdictSchema,
  /** Plain-language explanation of the verdict, one sentence each. */
  reasons: z.array(z.string()),
  observedAt: isoTimestamp,
  /** `sha256:<hex>` over the canonical JSON of the facts (everything but observedAt, verdict, reasons). */
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
});
export type ReadinessSnapshot = z.output<typeof readinessSnapshotSchema>;
/** What a snapshot looks like before it is parsed (e.g. read back from Pulumi state). */
export type ReadinessSnapshotInput = z.input<typeof readinessSnapshotSchema>;

/** JSON Schema (draft-07) of the readiness snapshot, for the docs and for policy configuration. */
export function readinessSnapshotJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(readinessSnapshotSchema, { io: "input", target: "draft-07" }) as Record<
    string,
    unknown
  >;
}

/** JSON Schema (draft-07) of one finding. */
export function findingJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(findingSchema, { io: "input", target: "draft-07" }) as Record<string, unknown>;
}

const SEVERITY_RANK: Record<WorstSeverity, number> = { none: 0, info: 1, warning: 2, unknown: 3, fatal: 4 };

/**
 * The worst severity among the findings that are present. `unknown` ranks above `warning` and
 * below `fatal`: something we could not read may be as bad as a fatal, but is not known to be.
 */
export function worstSeverityOf(findings: readonly Finding[]): WorstSeverity {
  requireShapes("worstSeverityOf", { findings: [findings, "array"] });
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
