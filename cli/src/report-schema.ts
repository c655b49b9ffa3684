/**
 * The report the CLI writes, as ONE zod schema: the JSON and YAML outputs are this object, the other
 * formats are rendered from it, and `schema/report.schema.json` (published with the package) is
 * generated from it. `schemaVersion` changes only when a field changes meaning or goes away.
 */
import {
  findingSchema,
  readinessSnapshotSchema,
  readinessSummarySchema,
  verdictSchema,
  waiverSchema,
} from "@upgrade-guard/provider";
import { z } from "zod";

export const REPORT_SCHEMA_VERSION = "upgrade-guard.report/v1";

/** `safe` may go ahead (exit 0); `blocked` by a finding or fact (1); `undecided`: no verdict could be trusted (3). */
export const outcomeSchema = z.enum(["safe", "blocked", "undecided"]);
export type Outcome = z.output<typeof outcomeSchema>;

/** The exit code of each outcome, as the exit-code table says. */
export const OUTCOME_EXIT: Readonly<Record<Outcome, 0 | 1 | 3>> = { safe: 0, blocked: 1, undecided: 3 };

/** `getUpgradeReadiness`'s answer: the snapshot and `evaluate`'s decision. */
export const upgradeReadinessSchema = readinessSnapshotSchema.extend({
  allowed: z.boolean(),
  blocking: z.array(findingSchema),
  warnings: z.array(findingSchema),
  waiversApplied: z.array(z.object({ waiver: waiverSchema, finding: findingSchema })),
  waiversRefused: z.array(z.object({ waiver: waiverSchema, reason: z.string() })),
  /** Advisory sentences that never block (end of support); absent in reports written before them. */
  notices: z.array(z.string()).optional(),
  summary: readinessSummarySchema,
});

/** Why a cluster's readiness could not be read: the error code, the redacted message and what to do. */
export const clusterErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  /** What to check or set (e.g. the credential variables the cloud refused). */
  hint: z.string().optional(),
});

export const clusterReportSchema = z.object({
  cloud: z.enum(["cce", "ack"]),
  /** The cluster's name when known, else its id. */
  cluster: z.string(),
  clusterId: z.string(),
  /** The vendor's cluster state as listed (CCE `status.phase`, ACK `state`). */
  clusterState: z.string().optional(),
  /**
   * An upgrade is in flight on the cluster (its readiness names it; or, when readiness could not be
   * read, the listed state says `upgrading`).
   */
  upgradeInProgress: z.literal(true).optional(),
  /** The target asked for (`--target`), when the readiness could not be read. */
  targetVersion: z.string().optional(),
  outcome: outcomeSchema,
  /** Present when readiness could be computed. */
  readiness: upgradeReadinessSchema.optional(),
  /** Present when it could not: the cluster counts as undecided. */
  error: clusterErrorSchema.optional(),
});
export type ClusterReport = z.output<typeof clusterReportSchema>;

/** Clusters per verdict, `error` for those whose readiness could not be read. */
export const verdictCountsSchema = z.record(z.enum([...verdictSchema.options, "error"]), z.number().int());

export const reportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  /** When the report was made (ISO 8601 UTC). */
  generatedAt: z.iso.datetime(),
  tool: z.object({ name: z.literal("upgrade-guard"), version: z.string() }),
  command: z.enum(["report", "check"]),
  /** What blocks: `fatal` (fatal and unknown findings) or `warning` (warnings too). */
  failOn: z.enum(["fatal", "warning"]),
  summary: z.object({
    total: z.number().int(),
    safe: z.number().int(),
    blocked: z.number().int(),
    undecided: z.number().int(),
    verdicts: verdictCountsSchema,
    /** The gate's exit code for this report: 3 when any cluster is undecided, else 1 when any is blocked, else 0. */
    gateExitCode: z.union([z.literal(0), z.literal(1), z.literal(3)]),
  }),
  clusters: z.array(clusterReportSchema),
});
export type Report = z.output<typeof reportSchema>;

/** JSON Schema (draft-07, as the readiness snapshot's) of the report, as published in `schema/report.schema.json`. */
export function reportJsonSchema(): Record<string, unknown> {
  return {
    title: "upgrade-guard report",
    ...(z.toJSONSchema(reportSchema, { target: "draft-07", io: "output" }) as Record<string, unknown>),
  };
}
