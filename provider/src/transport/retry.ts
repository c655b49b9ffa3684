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

const SECONDS = /^\d+(?:\.\d+)?$/;

/**
 * The wait the server asked for, in ms, or `undefined` when it did not say (or said nonsense).
 * - `Retry-After`: delta-seconds or an HTTP date (RFC 9110 §10.2.3);
 * - `x-acs-retry-after`: read as seconds. Its unit is undocumented (docs/wire-formats.md#throttling-and-retry-hints: the Alibaba
 *   SDK passes the raw number through); seconds is the cautious reading because it waits longer.
 */
export function serverRetryAfterMs(
  headers: Readonly<Record<string, string>>,
  nowMs: number,
): number | undefined {
  const standard = headers["retry-after"]?.trim();
  if (standard !== undefined && standard !== "") {
    if (SECONDS.test(standard)) return Math.round(Number(standard) * 1000);
    const date = Date.parse(standard);
    if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
  }
  const alibaba = headers["x-acs-retry-after"]?.trim();
  if (alibaba !== undefined && SECONDS.test(alibaba)) return Math.round(Number(alibaba) * 1000);
  return undefined;
}

/**
 * The wait before the next attempt: the server's hint if any, else jittered backoff (capped at
 * maxDelayMs). A hint is honoured in full, never shortened: when it would pass the send's deadline
 * the transport returns the throttled answer instead of retrying early.
 */
export function retryDelayMs(
  attempt: number,
  headers: Readonly<Record<string, string>> | undefined,
  options: Pick<RetryOptions, "baseDelayMs" | "maxDelayMs">,
  clock: { now(): number; random(): number },
): number {
  const hinted = headers === undefined ? undefined : serverRetryAfterMs(headers, clock.now());
  if (hinted !== undefined) return hinted;
  return backoffDelayMs(attempt, options, () => clock.random());
}
