/**
 * The claims a program makes in the inputs of upgrade-guard's own upgrade resources: `currentVersion`
 * and `readiness` (the summary `getUpgradeReadiness` filled in when the program ran: cluster,
 * versions, latest check id, worst severity, verdict, digest of the snapshot it came from).
 *
 * A claim never decides anything. The policy reads the facts from the cloud itself (the provider's
 * facts gatherer, the same reads the program's data function made) and judges those; a claim can
 * only DISAGREE with them, and a disagreement blocks: the program planned the change on other facts
 * than the ones that hold now, or was told something false. So a stale or forged summary can make a
 * change fail, never pass.
 */
import { type ReadinessSnapshot, summarizeReadiness, targetMatches } from "@upgrade-guard/provider";
import { z } from "zod";

const text = z.string().trim().min(1);

/** Lenient on purpose: summaries written by older or newer SDK versions must still be compared. */
export const readinessClaimSchema = z.looseObject({
  clusterId: text.optional(),
  currentVersion: text.optional(),
  targetVersion: text.optional(),
  checkId: text.optional(),
  worstSeverity: text.optional(),
  verdict: text.optional(),
  observedAt: text.optional(),
  expiresAt: text.optional(),
  checkCreatedAt: text.optional(),
  digest: text.optional(),
});

/** What a program claimed about the upgrade it asks for; each part is optional. */
export interface ProgramClaims {
  /** The resource's `currentVersion` input. */
  readonly currentVersion?: string;
  /** The resource's `readiness` input, as a plain value (not parsed yet). */
  readonly readiness?: unknown;
}

const quote = (value: unknown): string => JSON.stringify(value);

/**
 * Every way the program's claims disagree with the facts read from the cloud, one sentence each;
 * empty when they agree (or there are none). `live` is the gatherer's snapshot for the target the
 * resource asks for.
 */
export function claimDisagreements(claims: ProgramClaims, live: ReadinessSnapshot): string[] {
  const found: string[] = [];
  if (claims.currentVersion !== undefined && claims.currentVersion !== live.currentVersion) {
    found.push(
      `currentVersion is ${quote(claims.currentVersion)}, but the cloud reports ${live.currentVersion}`,
    );
  }
  if (claims.readiness === undefined) return found;
  const parsed = readinessClaimSchema.safeParse(claims.readiness);
  if (!parsed.success) {
    found.push(
      `readiness is not a readiness summary (${parsed.error.issues[0]?.path.join(".") || "the value"}: ` +
        `${parsed.error.issues[0]?.message ?? "invalid"})`,
    );
    return found;
  }
  const summary = parsed.data;
  const expected = summarizeReadiness(live);
  if (summary.clusterId !== undefined && summary.clusterId !== live.clusterId) {
    found.push(`readiness is for cluster ${summary.clusterId}, not ${live.clusterId}`);
  }
  if (summary.currentVersion !== undefined && summary.currentVersion !== live.currentVersion) {
    found.push(
      `readiness was read with the cluster on ${summary.currentVersion}; it is on ${live.currentVersion} now`,
    );
  }
  if (summary.targetVersion !== undefined && !targetMatches(live.targetVersion, summary.targetVersion)) {
    found.push(`readiness judged target ${summary.targetVersion}, not ${live.targetVersion}`);
  }
  if (summary.checkId !== expected.checkId) {
    found.push(
      summary.checkId === undefined
        ? `readiness names no check, but the latest check for ${live.targetVersion} is ${expected.checkId ?? "?"}`
        : expected.checkId === undefined
          ? `readiness names check ${summary.checkId}, but the cloud has no check for ${live.targetVersion}`
          : `readiness names check ${summary.checkId}, which is not the latest check for ${live.targetVersion} (${expected.checkId})`,
    );
  }
  if (summary.worstSeverity !== undefined && summary.worstSeverity !== live.worstSeverity) {
    found.push(
      `readiness says the worst severity is ${summary.worstSeverity}; the checks say ${live.worstSeverity}`,
    );
  }
  if (summary.digest === undefined) {
    found.push("readiness carries no digest, so it cannot be matched with the facts it claims to summarize");
  } else if (summary.digest !== live.digest) {
    found.push(
      `readiness digest ${summary.digest} does not match the live snapshot (${live.digest}): the cluster, its ` +
        `checks or their findings changed since the program read them`,
    );
  }
  return found;
}
