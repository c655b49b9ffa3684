/**
 * The second line of defence of the upgrade resources: right before starting an upgrade they read
 * the facts with the one facts gatherer (readiness/facts.ts, the same reads the data functions and
 * the policy make), evaluate them (with `evaluate`, the one place verdicts are decided) and refuse
 * to start when they block. The policy pack is the first line, at preview.
 */
import { z } from "zod";
import { type AckClient } from "../../clients/ack/client";
import { type CceClient } from "../../clients/cce/client";
import { UpgradeGuardError } from "../../errors";
import { mustBe } from "../../internal/validate";
import {
  blockingSeveritiesSchema,
  type Evaluation,
  evaluate,
  evaluateOptionsSchema,
  waiverSchema,
} from "../../readiness/evaluate";
import { readAckReadiness, readCceReadiness, type ReadinessRequest } from "../../readiness/facts";
import { type ReadinessSnapshot, type severitySchema } from "../../readiness/model";
import { type ReadinessSummary, readinessSummarySchema } from "../../readiness/summary";
import { compact, kubernetesVersion, nowMs } from "../shared/common";
import { log } from "../shared/log";

/** Inputs of the upgrade resources that record what the program saw: policies read them, never a diff. */
export const programViewShape = {
  /** The cluster's version as the program saw it (for policies; filled in by the SDK). */
  currentVersion: kubernetesVersion.optional(),
  /**
   * The readiness the program saw (for policies; filled in by the SDK). Lenient: it may come from a
   * stack written by another SDK version, and the gate decides on live data anyway.
   */
  readiness: z.looseObject(readinessSummarySchema.shape).optional(),
};

/** Inputs of the upgrade resources that tune the gate. */
export const gateShape = {
  /** Waivers for waivable findings, as the policy takes them; never apply to must-fix findings. */
  waivers: z.array(waiverSchema, mustBe("a list of waivers")).optional(),
  /**
   * Severities that block (default fatal and unknown). Fatal always blocks in addition: a
   * resource's own gate is never weaker than the vendor's must-fix findings.
   */
  blockingSeverities: blockingSeveritiesSchema.optional(),
};

/** What the gate decided on, as the upgrade resources record it in their `gate` output. */
export const gateOutputSchema = z.looseObject({
  /** The verdict the gate decided on. */
  verdict: z.string(),
  /** The worst severity among the present findings. */
  worstSeverity: z.string(),
  /** Digest of the readiness snapshot the gate evaluated. */
  digest: z.string(),
  /** When that snapshot was read (ISO 8601). */
  observedAt: z.string(),
  /** Check names of findings a waiver let through. */
  waived: z.array(z.string()),
});
/** The `gate` output of the upgrade resources. */
export type GateOutput = z.output<typeof gateOutputSchema>;

/**
 * The computed outputs both upgrade resources record (each adds its own task ids). Optional: a
 * create interrupted after the vendor accepted the upgrade records only what it knew.
 */
export const upgradeOutputsShape = {
  /** The vendor's task phase or state, `AlreadyAtTarget`, or `FailedAndCleared` (see cluster-upgrade.ts). */
  phase: z.string().optional(),
  /** The cluster version before the upgrade. */
  fromVersion: z.string().optional(),
  /** The cluster version after the upgrade (or as refreshed); absent until the upgrade finished. */
  clusterVersion: z.string().optional(),
  /** What the gate decided on. */
  gate: gateOutputSchema.optional(),
  /** When the vendor created the upgrade task (ISO 8601). */
  startedAt: z.string().optional(),
  /** When the upgrade task finished (ISO 8601). */
  completedAt: z.string().optional(),
  /** Set by refresh when the cluster moved off the upgrade's version outside Pulumi. */
  outOfBand: z.string().optional(),
};

/**
 * Severities a resource's gate blocks on whatever its inputs say: `evaluate`'s defaults (fatal, and
 * unknown: a finding whose level could not be read), so an input can only add to them.
 */
const ALWAYS_BLOCKING = evaluateOptionsSchema.shape.blockingSeverities.parse(undefined);

/**
 * The blocking severities asked for, plus the defaults and the severity of every present must-fix
 * (non-waivable) finding: inputs may make the gate stricter, never weaker than the defaults or the vendor.
 */
export function effectiveBlockingSeverities(
  asked: GateOptions["blockingSeverities"],
  snapshot: ReadinessSnapshot,
): z.output<typeof severitySchema>[] | undefined {
  if (asked === undefined) return undefined;
  const mustFix = snapshot.findings
    .filter((finding) => finding.state === "present" && !finding.waivable)
    .map((finding) => finding.severity);
  return [...new Set([...ALWAYS_BLOCKING, ...mustFix, ...asked])];
}

/** The gate inputs of an upgrade resource. */
export type GateOptions = Readonly<z.output<z.ZodObject<typeof gateShape>>>;

/** The upgrade was not started because the latest check for the target blocks it. */
export class UpgradeBlockedError extends UpgradeGuardError {
  /** The evaluation that blocked: verdict, blocking findings, waivers applied and refused, reasons. */
  readonly evaluation: Evaluation;

  constructor(what: string, evaluation: Evaluation) {
    super(
      "UPGRADE_BLOCKED",
      `${what}: refusing to start the upgrade (verdict ${evaluation.verdict}).\n` +
        evaluation.reasons.map((reason) => `  - ${reason}`).join("\n"),
    );
    this.evaluation = evaluation;
  }
}

/**
 * Evaluates `snapshot` with the resource's gate options and throws `UpgradeBlockedError` when it
 * blocks. Notes when the readiness the program saw differs from what is true now.
 */
export function assertUpgradeAllowed(
  what: string,
  snapshot: ReadinessSnapshot,
  options: GateOptions,
  seenByProgram: ReadinessSummary | undefined,
): Evaluation {
  const evaluation = evaluate(snapshot, {
    ...(options.waivers === undefined ? {} : { waivers: options.waivers }),
    ...(options.blockingSeverities === undefined
      ? {}
      : { blockingSeverities: effectiveBlockingSeverities(options.blockingSeverities, snapshot) }),
    now: snapshot.observedAt,
  });
  if (seenByProgram !== undefined && seenByProgram.digest !== snapshot.digest) {
    log(
      "info",
      `${what}: the checks changed since the program read them (verdict then ${seenByProgram.verdict}, ` +
        `now ${evaluation.verdict}); deciding on the current ones`,
    );
  }
  if (!evaluation.allowed) throw new UpgradeBlockedError(what, evaluation);
  return evaluation;
}

/** What the gate of an upgrade resource judges: the cluster, the target and the gate inputs. */
export interface GateRequest extends GateOptions {
  readonly clusterId: string;
  readonly targetVersion: string;
  /** The readiness the program saw (an input), only to note that the facts changed since. */
  readonly readiness?: ReadinessSummary | undefined;
}

/** What the gate decided on, when it let the upgrade start. */
export interface GateDecision {
  readonly snapshot: ReadinessSnapshot;
  readonly evaluation: Evaluation;
}

/** The `gate` output for what the gate decided on. */
export function gateRecord({ snapshot, evaluation }: GateDecision): GateOutput {
  return compact({
    verdict: evaluation.verdict,
    worstSeverity: snapshot.worstSeverity,
    digest: snapshot.digest,
    observedAt: snapshot.observedAt,
    waived: evaluation.waiversApplied.map((applied) => applied.finding.checkName),
  });
}

/** Reads the facts with `read` (one of the gatherers) and judges them with the gate options. */
async function gate(
  what: string,
  request: GateRequest,
  read: (facts: ReadinessRequest<never>) => Promise<ReadinessSnapshot>,
): Promise<GateDecision> {
  const snapshot = await read({
    clusterId: request.clusterId,
    targetVersion: request.targetVersion,
    now: nowMs,
  });
  return { snapshot, evaluation: assertUpgradeAllowed(what, snapshot, request, request.readiness) };
}

/**
 * THE gate of `cce.ClusterUpgrade`: the facts of the cloud now, judged with the resource's gate
 * options. Throws `UpgradeBlockedError` when they block.
 */
export function gateCceUpgrade(cce: CceClient, what: string, request: GateRequest): Promise<GateDecision> {
  return gate(what, request, (facts) => readCceReadiness(cce, facts));
}

/** THE gate of `ack.ClusterUpgrade`; see `gateCceUpgrade`. */
export function gateAckUpgrade(ack: AckClient, what: string, request: GateRequest): Promise<GateDecision> {
  return gate(what, request, (facts) => readAckReadiness(ack, facts));
}
