/**
 * Default transport settings, the values documented on the option types in `types.ts`.
 */
import { type LimitOptions, type RetryOptions, type TransportTimeouts } from "./types";

export const DEFAULT_TIMEOUTS: TransportTimeouts = { connectMs: 10_000, headersMs: 30_000, bodyMs: 30_000 };

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 20_000,
  deadlineMs: 120_000,
};

/**
 * A throttled answer may be retried this many times `maxAttempts` (12 by default): throttling says the
 * request was not processed, and the adaptive limits pace the retries, so waiting it out is safe.
 */
export const THROTTLED_ATTEMPTS_FACTOR = 3;

/**
 * Neither vendor publishes a rate for these operations as a whole (their limits are per operation
 * and account, shown in each console's quota pages): start high enough not to be the bottleneck of
 * a fleet read and let the adaptive rate find the cloud's limit (docs/rate-limits.md).
 */
export const DEFAULT_LIMITS: LimitOptions = { concurrency: 16, ratePerSecond: 100, burst: 100 };

/** A response body larger than this is an error: no upgrade-check answer comes near it. */
export const MAX_RESPONSE_BODY_BYTES = 10 * 1024 * 1024;

export const DEFAULT_USER_AGENT = `upgrade-guard/0.1 (node ${process.version})`;
