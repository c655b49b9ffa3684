/**
 * How long to wait before the next attempt: exponential backoff with full jitter, unless the server
 * said how long (`Retry-After`, `x-acs-retry-after`). Pure functions; randomness and time come in.
 */
import { type RetryOptions } from "./types";

/**
 * Full jitter: uniform in [0, min(maxDelay, base * 2^(attempt-1))). `attempt` is the 1-based number
 * of the attempt that just failed, so the first retry waits at most `baseDelayMs`.
 */
export function backoffDelayMs(
  attempt: number,
  options: Pick<RetryOptions, "baseDelayMs" | "maxDelayMs">,
  random: () => number,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

const NUMBER = /^\d+(?:\.\d+)?$/;

/** A wait the server asked for: how long, and which header said so (for messages). */
export interface RetryHint {
  readonly ms: number;
  readonly header: "retry-after" | "x-acs-retry-after";
}

/**
 * The wait the server asked for, or `undefined` when it did not say (or said nonsense).
 * - `Retry-After`: delta-seconds or an HTTP date (RFC 9110 §10.2.3);
 * - `x-acs-retry-after`: milliseconds, as the Alibaba SDK reads it: openapi-core `getThrottlingTimeLeft`
 *   hands the number to darabonba's `getBackoffDelay`, whose result goes to `sleep(ms)`
 *   (docs/wire-formats.md#throttling-and-retry-hints).
 */
export function serverRetryHint(
  headers: Readonly<Record<string, string>>,
  nowMs: number,
): RetryHint | undefined {
  const standard = headers["retry-after"]?.trim();
  if (standard !== undefined && standard !== "") {
    if (NUMBER.test(standard)) return { ms: Math.round(Number(standard) * 1000), header: "retry-after" };
    const date = Date.parse(standard);
    if (!Number.isNaN(date)) return { ms: Math.max(0, date - nowMs), header: "retry-after" };
  }
  const alibaba = headers["x-acs-retry-after"]?.trim();
  if (alibaba !== undefined && NUMBER.test(alibaba))
    return { ms: Math.round(Number(alibaba)), header: "x-acs-retry-after" };
  return undefined;
}

/** {@link serverRetryHint} in ms only. */
export function serverRetryAfterMs(
  headers: Readonly<Record<string, string>>,
  nowMs: number,
): number | undefined {
  return serverRetryHint(headers, nowMs)?.ms;
}

/** The wait before the next attempt, and the server's hint when that is what set it. */
export interface RetryDelay {
  readonly ms: number;
  readonly hint: RetryHint | undefined;
}

/**
 * The wait before the next attempt: the server's hint if any, else jittered backoff. Both are capped
 * at `maxDelayMs` (20 s by default): a hint longer than that (a gateway's quota window of a minute or
 * an hour, or a unit misread) would hold a `pulumi preview` for its whole deadline for one call, and
 * the Alibaba SDK caps a hint too (darabonba `getBackoffDelay`, at 120 s). Retrying sooner than asked
 * costs at most another throttled answer, which halves the rate and brings its own hint, within the
 * throttled attempts' budget. Whether the wait fits in the deadline is the transport's call.
 */
export function retryDelay(
  attempt: number,
  headers: Readonly<Record<string, string>> | undefined,
  options: Pick<RetryOptions, "baseDelayMs" | "maxDelayMs">,
  clock: { now(): number; random(): number },
): RetryDelay {
  const hint = headers === undefined ? undefined : serverRetryHint(headers, clock.now());
  if (hint !== undefined) return { ms: Math.min(hint.ms, options.maxDelayMs), hint };
  return { ms: backoffDelayMs(attempt, options, () => clock.random()), hint: undefined };
}

/** {@link retryDelay} in ms only. */
export function retryDelayMs(
  attempt: number,
  headers: Readonly<Record<string, string>> | undefined,
  options: Pick<RetryOptions, "baseDelayMs" | "maxDelayMs">,
  clock: { now(): number; random(): number },
): number {
  return retryDelay(attempt, headers, options, clock).ms;
}
