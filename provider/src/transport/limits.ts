/**
 * Per-origin client-side limits: a FIFO semaphore (requests in flight) and a token bucket (request
 * rate). Both are applied to every attempt, so retries count too. Waiting honours an abort signal
 * and the caller's deadline; a wait that cannot finish before the deadline fails at once.
 */
import { type LimitOptions, type TransportClock } from "./types";

/** Why a limiter gave up waiting; the transport turns it into a `TransportError`. */
export class LimitWaitError extends Error {
  constructor(readonly reason: "aborted" | "deadline") {
    super(reason === "aborted" ? "aborted while waiting for a request slot" : "deadline passed while queued");
  }
}

export interface WaitContext {
  readonly clock: TransportClock;
  /** Absolute time (clock ms) after which waiting is pointless. */
  readonly deadline: number;
  readonly signal?: AbortSignal;
}

interface Waiter {
  settled: boolean;
  grant(): void;
}

export class ConcurrencyLimiter {
  private available: number;
  private readonly queue: Waiter[] = [];

  constructor(readonly limit: number) {
    this.available = limit;
  }

  /** Resolves with a release function once a slot is free. */
  async acquire(context: WaitContext): Promise<() => void> {
    if (context.signal?.aborted) throw new LimitWaitError("aborted");
    if (this.available > 0 && this.queue.length === 0) {
      this.available -= 1;
      return this.releaser();
    }
    const remaining = context.deadline - context.clock.now();
    if (remaining <= 0) throw new LimitWaitError("deadline");

    const timerControl = new AbortController();
    let onAbort: (() => void) | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          settled: false,
          grant: () => {
            waiter.settled = true;
            resolve();
          },
        };
        const giveUp = (reason: "aborted" | "deadline"): void => {
          if (waiter.settled) return;
          waiter.settled = true;
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(new LimitWaitError(reason));
        };
        this.queue.push(waiter);
        onAbort = () => giveUp("aborted");
        context.signal?.addEventListener("abort", onAbort, { once: true });
        context.clock.sleep(remaining, timerControl.signal).then(
          () => giveUp("deadline"),
          () => undefined, // cancelled because the slot came first
        );
      });
    } finally {
      timerControl.abort();
      if (onAbort !== undefined) context.signal?.removeEventListener("abort", onAbort);
    }
    return this.releaser();
  }

  /** Slots in use, for tests and diagnostics. */
  get inUse(): number {
    return this.limit - this.available;
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      // The slot passes straight to the next waiter, so a newcomer cannot overtake the queue.
      if (next !== undefined) next.grant();
      else this.available += 1;
    };
  }
}

/**
 * Token bucket with reservations: each caller takes a token now, possibly driving the balance
 * negative, and sleeps until its token would have been refilled. Callers are therefore served in
 * arrival order and the spacing is exact: `burst` at once, then one per `1000 / ratePerSecond` ms.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number | undefined;

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
  ) {
    this.tokens = burst;
  }

  async take(context: WaitContext): Promise<void> {
    if (context.signal?.aborted) throw new LimitWaitError("aborted");
    const now = context.clock.now();
    this.refill(now);
    const waitMs = this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
    if (waitMs > 0 && now + waitMs > context.deadline) throw new LimitWaitError("deadline");
    this.tokens -= 1;
    if (waitMs === 0) return;
    try {
      await context.clock.sleep(waitMs, context.signal);
    } catch {
      this.tokens += 1; // give the reservation back
      throw new LimitWaitError("aborted");
    }
  }

  private refill(now: number): void {
    if (this.updatedAt !== undefined && now > this.updatedAt) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.ratePerSecond);
    }
    this.updatedAt = Math.max(now, this.updatedAt ?? now);
  }
}

export interface OriginLimiter {
  readonly concurrency: ConcurrencyLimiter;
  readonly bucket: TokenBucket;
}

/** One limiter pair per origin (scheme + host + port), created on first use. */
/**
 * Limiters shared by every transport of this process that runs on the system clock: each resource and
 * data function builds its own client, and a stack reading 500 clusters must still send one origin's
 * requests through one bucket. Keyed by origin and limit values, so differently configured
 * transports do not share.
 */
const processWide = new Map<string, OriginLimiter>();

export function createOriginLimits(
  options: LimitOptions,
  scope: "process" | "transport" = "transport",
): (origin: string) => OriginLimiter {
  const byOrigin = scope === "process" ? processWide : new Map<string, OriginLimiter>();
  const suffix =
    scope === "process" ? `|${options.concurrency}|${options.ratePerSecond}|${options.burst}` : "";
  return (origin) => {
    const key = origin + suffix;
    let limiter = byOrigin.get(key);
    if (limiter === undefined) {
      limiter = {
        concurrency: new ConcurrencyLimiter(options.concurrency),
        bucket: new TokenBucket(options.ratePerSecond, options.burst),
      };
      byOrigin.set(key, limiter);
    }
    return limiter;
  };
}
