/**
 * `waitFor`: the ONE waiter for every long-running task (CCE prechecks and upgrades, ACK checks and
 * tasks). Callers supply how to poll and how to read a result; the waiter owns timing, deadlines,
 * cancellation, progress events and what to do about poll errors.
 *
 * Schedule. Poll k starts at t_k (time since the wait began); the next starts at
 *   t_{k+1} = t_k + clamp(rate(t_k) * t_k, initialIntervalMs, maxIntervalMs)
 * where rate is WARMUP_RATIO (2.5) during the first WARMUP_MS (30 s) and GROWTH_RATIO (0.1) after,
 * with initialIntervalMs = 2.5 s and maxIntervalMs = 30 s by default. So: a first look at t = 0, a
 * quick second look at 2.5 s, then 8.75 s and 30.6 s, then intervals of 10 % of the elapsed time,
 * capped at 30 s. (Setting initialIntervalMs = maxIntervalMs gives a fixed interval.)
 *
 * Why this shape. The requirement: for tasks that finish after 2 s, 30 s and 300 s, notice within
 * max(1 s, 10 % of the elapsed time) while polling no more often than a fixed 10-second poller
 * (t = 0, 10 s, 20 s, ...) would. That poller needs 2 polls for a 2 s task, 4 for 30 s and 31 for
 * 300 s; this schedule needs 2, 4 and 28, noticing after 2.5 s, 30.6 s and 301.6 s. No fixed
 * schedule can notice EVERY short task within 1 s in 2 polls (that needs a poll each second), so the
 * first 30 s are spent sparingly: the cloud tasks this waiter serves (prechecks, checks, upgrades)
 * run for minutes to hours, and a quick look at 2.5 s catches the ones that are already done.
 *
 * Guarantees (tested with a simulated clock): for every task of 30 s or more, completion is noticed
 * within 10 % of its duration (proof: after 30 s each interval is at most 10 % of the time it starts
 * at, which is before the task ended); for every task of 5 minutes or more, no more polls than the
 * fixed 10-second poller; a one-hour upgrade costs 138 polls instead of 361.
 *
 * Poll errors. Transient ones are retried at the next scheduled poll until the deadline: throttling
 * (`API_THROTTLED`), server errors (`API_SERVER`) and transport failures (`NETWORK`, `TIMEOUT`,
 * `DEADLINE_EXCEEDED`). Everything else (auth, not found, invalid, response shape, bugs) is
 * rethrown unchanged at once: waiting cannot fix it, and its own code and request id are more
 * useful to the caller than a wrapper. A timeout after transient errors carries the last one as
 * `cause`.
 */
import { z } from "zod";
import { InputError, UpgradeGuardError, WaitError } from "../errors";
import { MAX_TIMER_MS } from "../internal/timestamps";
import { aFunction, hasMethods, parseArgs } from "../internal/validate";
import { systemClock, untilAborted } from "../transport/clock";
import { formatDuration } from "./format";

/** Share of the elapsed time used as the next interval after the warm-up. */
export const GROWTH_RATIO = 0.1;
/** Share of the elapsed time used as the next interval during the warm-up. */
export const WARMUP_RATIO = 2.5;
/** Length of the warm-up: the first 30 s of a wait. */
export const WARMUP_MS = 30_000;
export const DEFAULT_INITIAL_INTERVAL_MS = 2_500;
export const DEFAULT_MAX_INTERVAL_MS = 30_000;

/** Error codes a poll may fail with and still be worth another try. */
export const TRANSIENT_POLL_ERROR_CODES: ReadonlySet<string> = new Set([
  "API_THROTTLED",
  "API_SERVER",
  "NETWORK",
  "TIMEOUT",
  "DEADLINE_EXCEEDED",
]);

export interface WaiterClock {
  /** Epoch milliseconds (or any monotonic origin). */
  now(): number;
  /** Resolves after `ms`; rejects when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export type PollState = "success" | "failure" | "pending";

export interface Classification {
  readonly state: PollState;
  /** The vendor's phase verbatim, for messages and progress. */
  readonly phase?: string;
}

export interface WaitProgress {
  readonly task: string;
  /** 1-based number of this poll. */
  readonly poll: number;
  /** Milliseconds since the wait began, at the end of this poll. */
  readonly elapsedMs: number;
  /** `error` when the poll failed with a transient error that will be retried. */
  readonly state: PollState | "error";
  readonly phase?: string;
  readonly previousPhase?: string;
  readonly phaseChanged: boolean;
  /** When the next poll is due, for pending and error polls. */
  readonly nextPollInMs?: number;
  /** Message of the transient error, for `error` polls. */
  readonly error?: string;
}

export interface WaitOptions<T> {
  readonly poll: (signal: AbortSignal) => Promise<T>;
  readonly classify: (value: T) => Classification;
  /** Names the task in messages: `CCE precheck 5f3a… of cluster prod`. */
  readonly task: string;
  /** Give up (WaitError `timeout`) this long after the wait began. */
  readonly deadlineMs: number;
  readonly initialIntervalMs?: number;
  readonly maxIntervalMs?: number;
  readonly signal?: AbortSignal;
  /** Called after every poll; an exception it throws is ignored (the wait goes on). */
  readonly onProgress?: (event: WaitProgress) => void;
  readonly clock?: WaiterClock;
}

export interface WaitSuccess<T> {
  readonly state: "success";
  readonly value: T;
  readonly polls: number;
  readonly elapsedMs: number;
}

// Not strict: callers build these options by spreading helper objects; TypeScript checks the keys.
const waitOptionsSchema = z
  .object({
    poll: aFunction,
    classify: aFunction,
    task: z.string().min(1),
    deadlineMs: z.number().positive(),
    initialIntervalMs: z.number().positive().optional(),
    maxIntervalMs: z.number().positive().optional(),
    signal: z.custom<unknown>((v) => v instanceof AbortSignal, "must be an AbortSignal").optional(),
    onProgress: aFunction.optional(),
    clock: z
      .custom<unknown>((v) => hasMethods(v, ["now", "sleep"]), "must have now() and sleep()")
      .optional(),
  })
  .refine(
    (o) =>
      (o.maxIntervalMs ?? DEFAULT_MAX_INTERVAL_MS) >= (o.initialIntervalMs ?? DEFAULT_INITIAL_INTERVAL_MS),
    {
      message: "maxIntervalMs must be at least initialIntervalMs",
      path: ["maxIntervalMs"],
    },
  );

/** The pause after a poll that started `elapsedMs` into the wait. */
export function nextPollInterval(
  elapsedMs: number,
  initialIntervalMs: number,
  maxIntervalMs: number,
): number {
  // A NaN here would become a NaN sleep, i.e. polling as fast as the loop can go.
  const bad = Object.entries({ elapsedMs, initialIntervalMs, maxIntervalMs }).filter(
    ([, value]) => typeof value !== "number" || Number.isNaN(value),
  );
  if (bad.length > 0)
    throw new InputError(
      "nextPollInterval",
      bad.map(([path]) => ({ path, message: "must be a number of milliseconds" })),
    );
  const rate = elapsedMs < WARMUP_MS ? WARMUP_RATIO : GROWTH_RATIO;
  return Math.min(maxIntervalMs, Math.max(initialIntervalMs, rate * elapsedMs));
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Polls until `classify` says success (resolves), failure (throws `WaitError` "failure"), the
 * deadline passes (throws "timeout") or `signal` aborts (throws "aborted"). See the module comment
 * for the schedule and the error policy.
 */
export async function waitFor<T>(options: WaitOptions<T>): Promise<WaitSuccess<T>> {
  parseArgs(waitOptionsSchema, options, "waitFor");
  const clock = options.clock ?? systemClock;
  const initialIntervalMs = options.initialIntervalMs ?? DEFAULT_INITIAL_INTERVAL_MS;
  const maxIntervalMs = options.maxIntervalMs ?? DEFAULT_MAX_INTERVAL_MS;
  const { task, deadlineMs } = options;
  const startedAt = clock.now();
  const elapsed = (): number => clock.now() - startedAt;

  // The poll gets its own signal so an abort reaches a request in flight.
  const controller = new AbortController();
  const forwardAbort = (): void => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) forwardAbort();
  else options.signal?.addEventListener("abort", forwardAbort, { once: true });

  let polls = 0;
  let phase: string | undefined;
  let lastTransientError: unknown;

  // Progress is for people watching: a failing logger must not end a three-hour upgrade wait.
  const reportProgress = (event: WaitProgress): void => {
    try {
      options.onProgress?.(event);
    } catch {
      // ignored on purpose, as the transport ignores a failing `log`
    }
  };

  const aborted = (): WaitError =>
    new WaitError(
      "aborted",
      `Stopped waiting for ${task} after ${formatDuration(elapsed())} and ${polls} polls: aborted` +
        (phase === undefined ? "." : ` (last phase ${phase}).`),
      { task, lastPhase: phase, elapsedMs: elapsed(), cause: options.signal?.reason },
    );

  try {
    for (;;) {
      if (controller.signal.aborted) throw aborted();
      const pollStartedMs = elapsed();
      polls += 1;
      let outcome: { value: T; classification: Classification } | { error: unknown };
      // A poll in flight is cut off at the deadline: the deadline bounds the whole wait, not only the
      // pauses between polls. Real time, like the poll itself (a simulated clock's polls return at once).
      const pollDeadline = AbortSignal.timeout(
        Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(deadlineMs - pollStartedMs))),
      );
      const pollSignal = AbortSignal.any([controller.signal, pollDeadline]);
      try {
        // A poll that ignores its signal is left behind, not awaited.
        const value = await untilAborted(options.poll(pollSignal), pollSignal, () => pollSignal.reason);
        outcome = { value, classification: options.classify(value) };
      } catch (error) {
        if (controller.signal.aborted) throw aborted();
        if (pollDeadline.aborted) {
          throw new WaitError(
            "timeout",
            `${task} did not finish within ${formatDuration(deadlineMs)}: the poll in flight was stopped at ` +
              `the deadline (${polls} polls, last phase ${phase ?? "never observed"}). It may still be running; ` +
              `look it up before starting another.`,
            { task, lastPhase: phase, elapsedMs: elapsed(), cause: lastTransientError },
          );
        }
        if (!UpgradeGuardError.isInstance(error) || !TRANSIENT_POLL_ERROR_CODES.has(error.code)) throw error;
        outcome = { error };
      }

      const previousPhase = phase;
      if ("classification" in outcome && outcome.classification.phase !== undefined) {
        phase = outcome.classification.phase;
      }
      const state = "classification" in outcome ? outcome.classification.state : "error";
      const nowMs = elapsed();
      const dueAtMs = Math.min(
        pollStartedMs + nextPollInterval(pollStartedMs, initialIntervalMs, maxIntervalMs),
        deadlineMs,
      );
      const willPollAgain = (state === "pending" || state === "error") && nowMs < deadlineMs;
      reportProgress({
        task,
        poll: polls,
        elapsedMs: nowMs,
        state,
        ...(phase === undefined ? {} : { phase }),
        ...(previousPhase === undefined ? {} : { previousPhase }),
        phaseChanged: phase !== previousPhase,
        ...(willPollAgain ? { nextPollInMs: Math.max(0, dueAtMs - nowMs) } : {}),
        ...("error" in outcome ? { error: errorMessage(outcome.error) } : {}),
      });

      if ("classification" in outcome) {
        if (state === "success") return { state: "success", value: outcome.value, polls, elapsedMs: nowMs };
        if (state === "failure") {
          throw new WaitError(
            "failure",
            `${task} failed` +
              (phase === undefined ? "" : ` (phase ${phase})`) +
              ` after ${formatDuration(nowMs)}.`,
            { task, lastPhase: phase, elapsedMs: nowMs },
          );
        }
      } else {
        lastTransientError = outcome.error;
      }

      if (!willPollAgain) {
        const lastError =
          lastTransientError === undefined
            ? ""
            : ` The last poll error was: ${errorMessage(lastTransientError)}`;
        throw new WaitError(
          "timeout",
          `${task} did not finish within ${formatDuration(deadlineMs)} (${polls} polls, last phase ` +
            `${phase ?? "never observed"}). It may still be running; look it up before starting another.${lastError}`,
          { task, lastPhase: phase, elapsedMs: nowMs, cause: lastTransientError },
        );
      }
      // Clear a transient error once a poll answers, so a timeout reports only a current problem.
      if (state !== "error") lastTransientError = undefined;
      try {
        await clock.sleep(Math.max(0, dueAtMs - nowMs), controller.signal);
      } catch (error) {
        if (controller.signal.aborted) throw aborted();
        throw error;
      }
    }
  } finally {
    options.signal?.removeEventListener("abort", forwardAbort);
  }
}
