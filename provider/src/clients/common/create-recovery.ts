/**
 * Duplicate-avoiding recovery for task-creating POSTs.
 *
 * When a create fails in a way that leaves it unknown whether the server received it (the transport
 * throws `TransportError` with `ambiguous: true`), resending could start a second precheck or, worse,
 * a second upgrade. Instead the client lists the tasks of the cluster and looks for one it may just
 * have created: same target, created no earlier than the call's start minus a clock-skew allowance.
 * If one is found it is returned with `recovered: true`; if not, the ORIGINAL error is rethrown.
 * The POST is never sent again.
 */
import { type TransportError, UpgradeGuardError } from "../../errors";
import { parseTimestamp } from "../../internal/timestamps";

/**
 * How much earlier than our own clock a recovered task's creation time may be. Covers the skew
 * between this machine and the cloud; kept small so an older task for the same target is not
 * mistaken for the one just created.
 */
export const CLOCK_SKEW_ALLOWANCE_MS = 60_000;

/** Present (and `true`) only on a result found by recovery instead of read from the POST's answer. */
export interface RecoveryMark {
  /**
   * `true` when the create's answer was lost (ambiguous network failure) and this result was found
   * by listing the cluster's tasks. Absent on a normal answer.
   */
  readonly recovered?: true;
}

export type MaybeRecovered<T> = T & RecoveryMark;

/** True when a task created at `createdAt` (any supported format) may be the one a call started at `startedAtMs` created. */
export function createdSince(createdAt: string | undefined, startedAtMs: number): boolean {
  if (createdAt === undefined) return false;
  const created = parseTimestamp(createdAt);
  return created !== undefined && created >= startedAtMs - CLOCK_SKEW_ALLOWANCE_MS;
}

/** The newest of `items` by `createdAt`; `undefined` when empty. */
export function newest<T>(items: readonly T[], createdAt: (item: T) => string | undefined): T | undefined {
  let best: T | undefined;
  let bestTime = -Infinity;
  for (const item of items) {
    const time = parseTimestamp(createdAt(item) ?? "") ?? -Infinity;
    if (best === undefined || time > bestTime) {
      best = item;
      bestTime = time;
    }
  }
  return best;
}

function isAmbiguousFailure(error: unknown): error is TransportError {
  return (
    // The brand, not instanceof: two copies of the errors module may be loaded (see errors.ts).
    UpgradeGuardError.isInstance(error) &&
    (error as Partial<TransportError>).ambiguous === true &&
    // An abort is the caller's decision to stop; it must not trigger more calls.
    error.code !== "ABORTED"
  );
}

/**
 * Runs `create`; after an ambiguous failure runs `find(startedAtMs)` and returns its result marked
 * `recovered: true`, or rethrows the original failure when `find` returns nothing or fails itself.
 */
export async function createWithRecovery<T extends object>(
  now: () => number,
  create: () => Promise<T>,
  find: (startedAtMs: number) => Promise<T | undefined>,
): Promise<MaybeRecovered<T>> {
  const startedAtMs = now();
  try {
    return await create();
  } catch (error) {
    if (!isAmbiguousFailure(error)) throw error;
    let found: T | undefined;
    try {
      found = await find(startedAtMs);
    } catch {
      // The lookup failing says nothing about the create; the create's own error is the one to report.
      throw error;
    }
    if (found === undefined) throw error;
    return { ...found, recovered: true as const };
  }
}
