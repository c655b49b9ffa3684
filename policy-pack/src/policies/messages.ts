/**
 * The words of the policies. Every blocking message answers, in this order: which resource and
 * cluster, which versions, which check (id, status, age, expiry), what blocks (each finding with its
 * name, vendor level and message), what was waived or refused, and how to fix or waive. The sentences
 * about the verdict come from `evaluate` (the one place that decides, and explains); this module
 * only frames them.
 */
import {
  checkFreshness,
  type CheckRef,
  type EvaluableSnapshot,
  type Evaluation,
  type Finding,
  formatDuration,
  parseTimestamp,
  primaryCheckOf,
  type Waiver,
  type WaiverRefused,
} from "@upgrade-guard/provider";
import { POLICY_NAMES, type PolicyName } from "./metadata";

export interface Framing {
  /** The resource as users know it: `@pulumi/alicloud cs.ManagedKubernetes "prod"`. */
  readonly resource: string;
  /** Where the facts came from, one phrase: `live lookup (ACK, cn-hangzhou)`, `resource inputs`. */
  readonly source: string;
  readonly policyName: PolicyName;
  /** Epoch ms the evaluation used. */
  readonly now: number;
  /** Maximum age the policy applied, if any (ms). */
  readonly maxAgeMs?: number;
  /** Extra sentences to print before the fix hints (e.g. why findings could not be listed). */
  readonly notes?: readonly string[];
  /** Drops sentences of `evaluate` that do not apply to this kind of subject. */
  readonly omitReason?: (reason: string) => boolean;
}

export function clusterLabel(
  snapshot: Pick<EvaluableSnapshot, "cloud" | "clusterId" | "clusterName" | "nodePool">,
): string {
  const cloud = snapshot.cloud.toUpperCase();
  const cluster =
    snapshot.clusterName === undefined || snapshot.clusterName === snapshot.clusterId
      ? `${cloud} cluster ${snapshot.clusterId}`
      : `${cloud} cluster ${snapshot.clusterName} (${snapshot.clusterId})`;
  const pool = snapshot.nodePool;
  if (pool === undefined) return cluster;
  return pool.name === undefined
    ? `node pool ${pool.id} of ${cluster}`
    : `node pool ${pool.name} (${pool.id}) of ${cluster}`;
}

/** The newest check of the snapshot, whatever its kind. */
function newestCheck(checks: readonly CheckRef[]): CheckRef | undefined {
  let best: { check: CheckRef; at: number } | undefined;
  for (const check of checks) {
    const at = parseTimestamp(check.createdAt) ?? Number.NEGATIVE_INFINITY;
    if (best === undefined || at > best.at) best = { check, at };
  }
  return best?.check;
}

/** `ack-cluster-check 1697…-lboto (Failed, created 2025-…Z, 12 min old, expires 2025-…Z)`. */
export function describeCheck(check: CheckRef, now: number, maxAgeMs?: number): string {
  const freshness = checkFreshness(check, { now, ...(maxAgeMs === undefined ? {} : { maxAgeMs }) });
  const expiry = check.expiresAt === undefined ? "" : `, expires ${check.expiresAt}`;
  return `${check.kind} ${check.id} (${check.status}, created ${check.createdAt}, ${formatDuration(freshness.ageMs)} old${expiry})`;
}

/** `AddonValidate [Fatal/Exception]: the corefile was modified`. */
export function describeFinding(finding: Finding): string {
  const level = [finding.vendorLevel ?? finding.severity, finding.vendorKind].filter(Boolean).join("/");
  const group = finding.group === undefined ? "" : ` (${finding.group})`;
  const message = finding.message === undefined || finding.message === "" ? "" : `: ${finding.message}`;
  return `${finding.checkName} [${level}]${group}${message}`;
}

function bullets(lines: readonly string[]): string[] {
  return lines.map((line) => `  - ${line}`);
}

/** The config snippet that would waive `findings`, for the fix hints. */
function waiverSnippet(policyName: PolicyName, clusterId: string, findings: readonly Finding[]): string {
  const waivers = findings.map((finding) => ({
    checkName: finding.checkName,
    clusterId,
    reason: "<why this is acceptable>",
    owner: "<who accepts it>",
    expires: "<ISO 8601, e.g. 2030-01-31T00:00:00Z>",
  }));
  return JSON.stringify({ [policyName]: { waivers } });
}

/** The full violation text for a blocked upgrade. */
export function blockedMessage(
  snapshot: EvaluableSnapshot,
  evaluation: Evaluation,
  framing: Framing,
  subject: { readonly what: string } = { what: "upgrade" },
): string {
  const lines: string[] = [];
  lines.push(
    `${framing.resource}: the ${subject.what} of ${clusterLabel(snapshot)} from ${snapshot.currentVersion} to ` +
      `${snapshot.targetVersion} is BLOCKED (verdict ${evaluation.verdict}; readiness from ${framing.source}).`,
  );
  // The check the verdict rests on (the summary's `checkId`). Only an add-on snapshot, which has no
  // primary check, shows its newest one: a cluster's verdict is never judged by an add-on check.
  const check =
    primaryCheckOf(snapshot) ??
    (framing.policyName === POLICY_NAMES.addon ? newestCheck(snapshot.checks) : undefined);
  lines.push(
    check === undefined
      ? `Check: none found for ${snapshot.targetVersion}.`
      : `Check: ${describeCheck(check, framing.now, framing.maxAgeMs)}.`,
  );
  if (evaluation.blocking.length > 0) {
    lines.push("Blocking findings:", ...bullets(evaluation.blocking.map(describeFinding)));
  }
  if (evaluation.waiversApplied.length > 0) {
    lines.push(
      "Waivers applied:",
      ...bullets(
        evaluation.waiversApplied.map(
          ({ waiver, finding }) =>
            `${finding.checkName} waived by ${waiver.owner} until ${waiver.expires}: ${waiver.reason}`,
        ),
      ),
    );
  }
  if (evaluation.waiversRefused.length > 0) {
    lines.push(
      "Waivers refused or ignored:",
      ...bullets(
        evaluation.waiversRefused.map(
          ({ waiver, reason }) => `${waiver.checkName} (owner ${waiver.owner}): ${reason}`,
        ),
      ),
    );
  }
  // evaluate's own explanation (the first sentence repeats the headline, so it is skipped).
  // evaluate's sentences on each blocking finding repeat the list above; the rest explains the verdict.
  const omit = framing.omitReason ?? (() => false);
  const why = evaluation.reasons
    .slice(1)
    .filter(
      (reason) => !omit(reason) && !(evaluation.blocking.length > 0 && reason.startsWith("Blocking: ")),
    );
  if (why.length > 0) lines.push("Why:", ...bullets(why));
  if (framing.notes !== undefined && framing.notes.length > 0) lines.push(...framing.notes);
  lines.push(...howToProceed(snapshot, evaluation, framing.policyName));
  return lines.join("\n");
}

function howToProceed(snapshot: EvaluableSnapshot, evaluation: Evaluation, policyName: PolicyName): string[] {
  const steps: string[] = [];
  const mustFix = evaluation.blocking.filter((finding) => !finding.waivable);
  const waivable = evaluation.blocking.filter((finding) => finding.waivable);
  if (evaluation.blocking.length > 0) {
    steps.push(
      "To fix: resolve the findings above, run the check again for the target version, then preview again." +
        (mustFix.length > 0
          ? ` ${mustFix.map((f) => f.checkName).join(", ")} cannot be waived: the vendor says it must be fixed.`
          : ""),
    );
  } else if (evaluation.targetRefused) {
    // No check can make a refused target valid: running one for it would fix nothing.
    steps.push(
      `To fix: choose a valid target (Why above says which the cloud accepts) instead of ${snapshot.targetVersion}, ` +
        `run the vendor check for it, then preview again.`,
    );
  } else if (evaluation.verdict === "upgrading" && (snapshot.upgradesInFlight ?? []).length > 0) {
    // Why (evaluate's reasons) names each upgrade in flight and how to end it.
    steps.push("To fix: wait for (or cancel) the upgrade in flight named above, then preview again.");
  } else {
    steps.push(
      `To fix: run the vendor check for ${snapshot.targetVersion} (or wait for the running one), then preview again.`,
    );
  }
  if (waivable.length > 0) {
    steps.push(
      `To waive (only what the vendor allows to skip), add to the --policy-pack-config file: ${waiverSnippet(
        policyName,
        snapshot.clusterId,
        waivable,
      )}`,
    );
  }
  return steps;
}

/**
 * The violation text when a program's claims (its `currentVersion` and readiness summary) disagree
 * with the facts read from the cloud: the change was planned on out-of-date readiness, so it is
 * blocked whatever the facts say now; what the facts say is shown too, so one preview tells the
 * whole story.
 */
export function outOfDateMessage(
  snapshot: EvaluableSnapshot,
  evaluation: Evaluation,
  framing: Framing,
  disagreements: readonly string[],
): string {
  const route = `${clusterLabel(snapshot)} from ${snapshot.currentVersion} to ${snapshot.targetVersion}`;
  const now = evaluation.allowed
    ? `The facts alone would allow it now (verdict ${evaluation.verdict}), but the program planned the change on others.`
    : `The facts block it too:\n${blockedMessage(snapshot, evaluation, framing)}`;
  return [
    `${framing.resource}: the program's readiness for the upgrade of ${route} is out of date or does not ` +
      `match the cloud, so upgrade-guard blocks it (readiness from ${framing.source}):`,
    ...bullets(disagreements),
    "upgrade-guard judges what it reads from the cloud; the program's currentVersion and readiness are " +
      "claims checked against it. To fix: run the preview again, so getUpgradeReadiness reads the current " +
      "facts (the SDK fills currentVersion and readiness when they are omitted); if the program sets them " +
      "itself, remove them, or refresh the stack they come from.",
    now,
  ].join("\n");
}

/**
 * Configured waivers for this cluster that `evaluate` did not report, because it looks only at
 * waivers matching a blocking finding: expired ones (ignored), and ones naming a present finding the
 * vendor says must be fixed (refused). The issue asks that both always be reported, so a stale or
 * useless waiver shows up in every preview, not only in the one where it would have mattered.
 */
export function unreportedWaivers(
  waivers: readonly Waiver[],
  snapshot: Pick<EvaluableSnapshot, "clusterId" | "findings">,
  evaluation: Pick<Evaluation, "waiversApplied" | "waiversRefused">,
  now: number,
): WaiverRefused[] {
  const reported = new Set(
    [...evaluation.waiversApplied, ...evaluation.waiversRefused].map(({ waiver }) => waiverKey(waiver)),
  );
  const out: WaiverRefused[] = [];
  for (const waiver of waivers) {
    if (waiver.clusterId !== snapshot.clusterId || reported.has(waiverKey(waiver))) continue;
    reported.add(waiverKey(waiver));
    const expires = parseTimestamp(waiver.expires) ?? Number.NEGATIVE_INFINITY;
    if (now >= expires) {
      out.push({
        waiver,
        reason: `it expired at ${waiver.expires}, so it was ignored; renew it or remove it`,
      });
      continue;
    }
    const mustFix = snapshot.findings.find(
      (finding) => finding.state === "present" && finding.checkName === waiver.checkName && !finding.waivable,
    );
    if (mustFix !== undefined) {
      out.push({
        waiver,
        reason: `${mustFix.checkName} [${mustFix.vendorLevel ?? mustFix.severity}] is not waivable; the vendor says it must be fixed`,
      });
    }
  }
  return out;
}

function waiverKey(waiver: Waiver): string {
  return JSON.stringify([waiver.checkName, waiver.clusterId, waiver.owner, waiver.expires, waiver.reason]);
}

/**
 * The advisory note printed when an upgrade may proceed but waivers were involved: each applied
 * waiver (the upgrade proceeds only because of it), and each configured waiver that was ignored
 * (expired) or refused (non-waivable finding).
 */
export function waiversAppliedMessage(
  snapshot: EvaluableSnapshot,
  evaluation: Evaluation,
  framing: Framing,
): string {
  const route = `${clusterLabel(snapshot)} from ${snapshot.currentVersion} to ${snapshot.targetVersion}`;
  const lines: string[] = [];
  if (evaluation.waiversApplied.length > 0) {
    lines.push(
      `${framing.resource}: the upgrade of ${route} proceeds only because of waivers (verdict ${evaluation.verdict}):`,
      ...bullets(
        evaluation.waiversApplied.map(
          ({ waiver, finding }) =>
            `${describeFinding(finding)} — waived by ${waiver.owner} until ${waiver.expires}: ${waiver.reason}`,
        ),
      ),
    );
  } else {
    lines.push(
      `${framing.resource}: the upgrade of ${route} may proceed (verdict ${evaluation.verdict}), but configured ` +
        `waivers were not applied:`,
    );
  }
  if (evaluation.waiversRefused.length > 0) {
    if (evaluation.waiversApplied.length > 0) lines.push("Waivers not applied:");
    lines.push(
      ...bullets(
        evaluation.waiversRefused.map(
          ({ waiver, reason }) => `waiver for ${waiver.checkName} (owner ${waiver.owner}): ${reason}`,
        ),
      ),
    );
  }
  return lines.join("\n");
}

/** A duration in words, re-exported for the policies' own sentences. */
export { formatDuration };
