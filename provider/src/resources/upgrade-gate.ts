/**
 * The second line of defence of the upgrade resources: right before starting an upgrade they
 * evaluate the latest check for the target (with `evaluate`, the one place verdicts are decided)
 * and refuse to start when it blocks. The policy pack is the first line, at preview.
 */
import { z } from "zod";
import { UpgradeGuardError } from "../errors";
import { type Evaluation, evaluate, waiverSchema } from "../readiness/evaluate";
import { type ReadinessSnapshot, severitySchema } from "../readiness/model";
import { type ReadinessSummary } from "../functions/readiness-summary";
import { log } from "./log";

/** Inputs of the upgrade resources that tune the gate. */
export const gateShape = {
  /** Waivers for waivable findings, as the policy takes them; never apply to must-fix findings. */
  waivers: z.array(waiverSchema).optional(),
  /** Severities that block (default fatal and unknown). */
  blockingSeverities: z.array(severitySchema).min(1).optional(),
};

/** The gate inputs of an upgrade resource. */
export interface GateOptions {
  readonly waivers?: z.output<typeof waiverSchema>[] | undefined;
  readonly blockingSeverities?: z.output<typeof severitySchema>[] | undefined;
}

/** The upgrade was not started because the latest check for the target blocks it. */
export class UpgradeBlockedError extends UpgradeGuardError {
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
    ...(options.blockingSeverities === undefined ? {} : { blockingSeverities: options.blockingSeverities }),
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
