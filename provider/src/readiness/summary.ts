/**
 * The readiness summary an upgrade resource carries in its inputs: what the program saw when it ran
 * (which cluster, versions and check the verdict rests on, its worst severity, the verdict, when it
 * was observed, until when the check counts, and the digest of the snapshot it came from). For the
 * policy it is a CLAIM: the policy reads the facts from the cloud again and blocks when the summary
 * disagrees with them (another check id, another digest), so a stale or forged summary can only make
 * a change fail, never pass.
 */
import { z } from "zod";
import { parseArgs } from "../internal/validate";
import { PRIMARY_CHECK_KIND } from "./evaluate";
import { checkExpiresAt, selectLatestCheck } from "./latest";
import {
  type CheckRef,
  type ReadinessSnapshot,
  readinessSnapshotSchema,
  verdictSchema,
  worstSeveritySchema,
} from "./model";

const isoTimestamp = z.iso.datetime({ offset: true, error: "must be an ISO 8601 timestamp" });

/** Schema of the `readiness` input of the upgrade resources. */
export const readinessSummarySchema = z.strictObject({
  /** The cluster the snapshot was read for. */
  clusterId: z.string().min(1).optional(),
  /** The cluster's version when the snapshot was read. */
  currentVersion: z.string().min(1).optional(),
  /** The target the snapshot judged. */
  targetVersion: z.string().min(1).optional(),
  /** Id of the latest primary check for the target (CCE precheck, ACK cluster check); absent when none. */
  checkId: z.string().min(1).optional(),
  worstSeverity: worstSeveritySchema,
  verdict: verdictSchema,
  /** When the facts were read. */
  observedAt: isoTimestamp,
  /** When that check was created (ages are measured from it). */
  checkCreatedAt: isoTimestamp.optional(),
  /** Until when the check counts: the vendor expiry, else its creation plus the default maximum age. */
  expiresAt: isoTimestamp.optional(),
  /** `sha256:<hex>` of the snapshot's facts: equal facts, equal digest. */
  digest: z.string().min(1),
});
/** The `readiness` input of the upgrade resources. */
export type ReadinessSummary = z.output<typeof readinessSummarySchema>;

/** The one argument of `summarizeReadiness`: a whole snapshot. */
const snapshotArgSchema = z.object({ snapshot: readinessSnapshotSchema });
/** What `primaryCheckOf` reads of a snapshot (an evaluable one, without its verdict, will do). */
const checksArgSchema = z.object({
  snapshot: readinessSnapshotSchema.pick({ cloud: true, targetVersion: true, checks: true }).loose(),
});
type SnapshotChecks = Pick<ReadinessSnapshot, "cloud" | "targetVersion" | "checks">;

/** The primary check the verdict rests on: the newest one whose target matches. */
export function primaryCheckOf(
  snapshot: Pick<ReadinessSnapshot, "cloud" | "targetVersion" | "checks">,
): CheckRef | undefined {
  return primaryCheck(parseArgs(checksArgSchema, { snapshot }, "primaryCheckOf").snapshot);
}

function primaryCheck(snapshot: SnapshotChecks): CheckRef | undefined {
  const kind = PRIMARY_CHECK_KIND[snapshot.cloud];
  // A check that does not record its target is the snapshot's own (the builders chose it for it).
  return selectLatestCheck(
    snapshot.checks.filter((check) => check.kind === kind),
    {
      targetVersion: snapshot.targetVersion,
      createdAt: (check) => check.createdAt,
      targetOf: (check) => check.targetVersion,
      acceptUnknownTarget: true,
    },
  );
}

/** The summary of a snapshot. */
export function summarizeReadiness(snapshot: ReadinessSnapshot): ReadinessSummary {
  const facts = parseArgs(snapshotArgSchema, { snapshot }, "summarizeReadiness").snapshot;
  const check = primaryCheck(facts);
  // Until when the check counts with no maximum age of the caller's.
  const expiresAt = check === undefined ? undefined : checkExpiresAt(check);
  return {
    clusterId: facts.clusterId,
    currentVersion: facts.currentVersion,
    targetVersion: facts.targetVersion,
    ...(check === undefined ? {} : { checkId: check.id, checkCreatedAt: check.createdAt }),
    worstSeverity: facts.worstSeverity,
    verdict: facts.verdict,
    observedAt: facts.observedAt,
    ...(expiresAt === undefined ? {} : { expiresAt: new Date(expiresAt).toISOString() }),
    digest: facts.digest,
  };
}
