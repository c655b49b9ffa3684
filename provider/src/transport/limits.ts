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

  /** A release function when a slot is free now and nobody queues for one; otherwise undefined. */
  tryAcquire(): (() => void) | undefined {
    if (this.available <= 0 || this.queue.length > 0) return undefined;
    this.available -= 1;
    return this.releaser();
  }

  /** Resolves with a release function once a slot is free. */
  async acquire(context: WaitContext): Promise<() => void> {
    if (context.signal?.aborted) throw new LimitWaitError("aborted");
    const free = this.tryAcquire();
    if (free !== undefined) return free;
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

/** After a decrease, further throttling answers within this window do not decrease again. */
export const DECREASE_COOLDOWN_MS = 1_000;
/** The rate never adapts below this (requests per second). */
export const MIN_ADAPTIVE_RATE = 1;

/**
 * Token bucket with reservations: each caller takes a token now, possibly driving the balance
 * negative, and sleeps until its token would have been refilled. Callers are therefore served in
 * arrival order and the spacing is exact: `burst` at once, then one per `1000 / rate` ms.
 *
 * The rate adapts to the server's answers (additive increase, multiplicative decrease, as TCP and
 * the AWS SDKs' adaptive retry mode do): a throttling answer halves it (once per cooldown, so one
 * burst of throttled answers counts once) and empties the burst; every answer that is not
 * throttled raises it again by `ceiling / 10` per second since the last change, up to the
 * configured rate. A fleet read therefore runs at the configured rate until the cloud pushes back,
 * then settles just under the cloud's own limit instead of retrying into it.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number | undefined;
  private rate: number;
  private adjustedAt: number | undefined;
  private decreasedAt = Number.NEGATIVE_INFINITY;
  /** Throttling answers seen, and how many of them lowered the rate. */
  readonly stats = { throttled: 0, decreases: 0 };

  private readonly recoveryPerSecond: number;

  constructor(
    /** The configured rate: the start (unless `startPerSecond`) and the ceiling of the adaptive rate. */
    readonly ceilingPerSecond: number,
    readonly burst: number,
    options: {
      readonly startPerSecond?: number;
      /** Rate regained per second without throttling; default a tenth of the ceiling. */
      readonly recoveryPerSecond?: number;
      readonly startTokens?: number;
    } = {},
  ) {
    this.tokens = options.startTokens ?? burst;
    this.rate = Math.min(ceilingPerSecond, options.startPerSecond ?? ceilingPerSecond);
    this.recoveryPerSecond = options.recoveryPerSecond ?? ceilingPerSecond / 10;
  }

  /** The rate now, requests per second. */
  get ratePerSecond(): number {
    return this.rate;
  }

  /**
   * Takes a token if one is there now, without waiting (true), or takes nothing (false): the
   * transport's path for a call that needs no wait, which then pays no promise for it.
   */
  tryTake(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  async take(context: WaitContext): Promise<void> {
    if (context.signal?.aborted) throw new LimitWaitError("aborted");
    const now = context.clock.now();
    this.refill(now);
    const waitMs = this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.rate) * 1000);
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

  /** A decrease happened at `now` (set from outside): the cooldown and the recovery start there. */
  markDecrease(now: number): void {
    this.refill(now);
    this.decreasedAt = now;
    this.adjustedAt = now;
  }

  /** The server said "too many requests": halve the rate (once per cooldown) and stop the burst. */
  throttled(now: number): void {
    this.stats.throttled += 1;
    if (now - this.decreasedAt < DECREASE_COOLDOWN_MS) return;
    this.markDecrease(now);
    this.stats.decreases += 1;
    this.rate = Math.max(MIN_ADAPTIVE_RATE, Math.min(this.rate, this.ceilingPerSecond) / 2);
    this.tokens = Math.min(this.tokens, 0);
  }

  /** An answer that was not throttling: recover towards the ceiling. */
  answered(now: number): void {
    if (this.rate >= this.ceilingPerSecond) return;
    this.refill(now);
    const since = Math.max(0, now - (this.adjustedAt ?? now));
    this.adjustedAt = now;
    this.rate = Math.min(this.ceilingPerSecond, this.rate + (since / 1000) * this.recoveryPerSecond);
  }

  private refill(now: number): void {
    if (this.updatedAt !== undefined && now > this.updatedAt) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.rate);
    }
    this.updatedAt = Math.max(now, this.updatedAt ?? now);
  }
}

/** Successful answers are counted over this window to measure the rate an account is served at. */
export const MEASURE_WINDOW_MS = 1_000;

/**
 * The account's share of the limits, over all its operations. Both clouds document their quotas per
 * API and account, so normally only the operations' own buckets pace requests and this limits
 * nothing. An account-wide cap shows itself as throttling answers to two different operations within
 * one cooldown: from then on every request of the account also takes a token here, starting just
 * under (0.9x) the rate the account was served at over the last second (measured, not guessed, so the
 * first decrease already lands near the cap), halved on further throttling as the operations'
 * buckets are, and recovering slowly: a twentieth of the configured rate per second.
 */
export class AccountLimiter {
  private bucket: TokenBucket | undefined;
  private lastThrottle: { readonly operation: string; readonly at: number } | undefined;
  /**
   * Times of the successful answers, oldest first; those before `oldest` have left the window. A
   * queue with a moving head: dropping the oldest answer is O(1), not a copy of the whole window on
   * every answer (thousands of entries at a fleet's request rate).
   */
  private answeredAt: number[] = [];
  private oldest = 0;

  constructor(
    /** The configured per-operation rate: the account bucket's recovery step is a twentieth of it. */
    private readonly ratePerSecond: number,
    private readonly burst: number,
  ) {}

  /** Whether an account-wide cap has been seen (tests and diagnostics). */
  get capped(): boolean {
    return this.bucket !== undefined;
  }

  /** The account-wide rate now, or undefined while none applies. */
  get capPerSecond(): number | undefined {
    return this.bucket?.ratePerSecond;
  }

  /** As `TokenBucket.tryTake`; true at once while no account-wide cap applies. */
  tryTake(now: number): boolean {
    return this.bucket === undefined || this.bucket.tryTake(now);
  }

  async take(context: WaitContext): Promise<void> {
    if (this.bucket !== undefined) await this.bucket.take(context);
  }

  answered(now: number): void {
    this.answeredAt.push(now);
    this.forgetBefore(now - MEASURE_WINDOW_MS);
    this.bucket?.answered(now);
  }

  throttled(operation: string, now: number): void {
    if (this.bucket !== undefined) {
      this.bucket.throttled(now);
      return;
    }
    const previous = this.lastThrottle;
    this.lastThrottle = { operation, at: now };
    if (previous === undefined || previous.operation === operation) return;
    if (now - previous.at >= DECREASE_COOLDOWN_MS) return;
    this.forgetBefore(now - MEASURE_WINDOW_MS);
    const served = Math.max(
      MIN_ADAPTIVE_RATE,
      0.9 * (this.answeredAt.length - this.oldest) * (1000 / MEASURE_WINDOW_MS),
    );
    // Ceiling: no account-wide limit above the sum of generous per-operation rates is useful.
    this.bucket = new TokenBucket(this.ratePerSecond * ACCOUNT_CEILING_FACTOR, this.burst, {
      startPerSecond: served,
      recoveryPerSecond: this.ratePerSecond / 20,
      startTokens: 0,
    });
    this.bucket.markDecrease(now);
  }

  private forgetBefore(time: number): void {
    const times = this.answeredAt;
    while (this.oldest < times.length && (times[this.oldest] as number) < time) this.oldest += 1;
    // Compacted once the dropped part is the larger half: amortized O(1) per answer.
    if (this.oldest > 64 && this.oldest * 2 > times.length) {
      this.answeredAt = times.slice(this.oldest);
      this.oldest = 0;
    }
  }
}

/** An account-wide bucket never limits above this many times the per-operation rate. */
export const ACCOUNT_CEILING_FACTOR = 8;

export interface OriginLimiter {
  readonly concurrency: ConcurrencyLimiter;
  /** The operation's bucket. */
  readonly bucket: TokenBucket;
  /** The account's, shared by all its operations on this endpoint. */
  readonly account: AccountLimiter;
}

/**
 * Limiters shared by every transport of this process that runs on the system clock: each resource and
 * data function builds its own client, and a stack reading 500 clusters must still send one
 * endpoint's requests through one bucket. Keyed by cloud, origin and account (the transport's
 * `accountKey`), then by operation, and by the limit values, so differently configured transports do
 * not share.
 */
const processWide = new Map<string, OriginLimiter>();
const processWideAccounts = new Map<string, AccountLimiter>();

export function createOriginLimits(
  options: LimitOptions,
  scope: "process" | "transport" = "transport",
): (accountKey: string, operation: string, overrides?: Partial<LimitOptions>) => OriginLimiter {
  const byKey = scope === "process" ? processWide : new Map<string, OriginLimiter>();
  const accounts = scope === "process" ? processWideAccounts : new Map<string, AccountLimiter>();
  return (accountKey, operation, overrides) => {
    const limits = overrides === undefined ? options : { ...options, ...overrides };
    const values = `${limits.concurrency}|${limits.ratePerSecond}|${limits.burst}`;
    const key = `${accountKey}|${operation}|${values}`;
    let limiter = byKey.get(key);
    if (limiter === undefined) {
      const accountId = `${accountKey}|${values}`;
      let account = accounts.get(accountId);
      if (account === undefined) {
        account = new AccountLimiter(limits.ratePerSecond, limits.burst);
        accounts.set(accountId, account);
      }
      limiter = {
        concurrency: new ConcurrencyLimiter(limits.concurrency),
        bucket: new TokenBucket(limits.ratePerSecond, limits.burst),
        account,
      };
      byKey.set(key, limiter);
    }
    return limiter;
  };
}
