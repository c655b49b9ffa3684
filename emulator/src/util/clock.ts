/**
 * The emulator's virtual clock. All emulated time (task progress, timestamps, precheck expiry, token
 * expiry, rate-limit refill) reads it, so tests advance time instead of sleeping.
 *
 * It is the real wall clock plus an offset that only grows (`advance`). Signature freshness checks do
 * NOT use it: clients stamp requests with real time, and a test that jumps two hours ahead must not
 * make every signature look expired. With `frozen`, the clock stands still between advances, so a
 * test sees identical timestamps on every run.
 */
export interface ClockOptions {
  /** Stand still between advances (tests). Default false: virtual time flows with real time. */
  readonly frozen?: boolean;
  /** Initial virtual time; default now. */
  readonly startAt?: number;
  /** The real clock; injectable for tests. */
  readonly realNow?: () => number;
}

/** The largest time a JavaScript Date can hold (+275760-09-13). */
export const MAX_DATE_MS = 8.64e15;
/**
 * Virtual time stays a year short of it: the emulator computes times ahead of now (expiries, task
 * deadlines) and the clock keeps flowing after an advance, and all of them must remain valid Dates.
 */
export const LATEST_VIRTUAL_MS = MAX_DATE_MS - 366 * 86_400_000;

export class VirtualClock {
  private readonly realNow: () => number;
  private readonly frozen: boolean;
  private readonly startAt: number | undefined;
  private anchorReal: number;
  private anchorVirtual: number;

  constructor(options: ClockOptions = {}) {
    this.realNow = options.realNow ?? Date.now;
    this.frozen = options.frozen ?? false;
    this.startAt = options.startAt;
    this.anchorReal = this.realNow();
    this.anchorVirtual = options.startAt ?? this.anchorReal;
  }

  /** Virtual milliseconds since the epoch. */
  now(): number {
    return this.frozen ? this.anchorVirtual : this.anchorVirtual + (this.realNow() - this.anchorReal);
  }

  /** Real milliseconds since the epoch (signature freshness). */
  wallNow(): number {
    return this.realNow();
  }

  /** Moves virtual time forward; never backwards. Returns the new virtual time. */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError("advanceMs must be a finite number >= 0");
    const headroom = LATEST_VIRTUAL_MS - this.now();
    if (ms > headroom)
      throw new RangeError(
        `advanceMs ${ms} would take virtual time past ${new Date(LATEST_VIRTUAL_MS).toISOString()} ` +
          `(a year short of the largest valid Date); at most ${Math.max(0, Math.floor(headroom))} ms is allowed now`,
      );
    this.anchorVirtual += ms;
    return this.now();
  }

  /** How far virtual time is ahead of real time (persisted across restarts). */
  offsetMs(): number {
    return this.now() - this.realNow();
  }

  isFrozen(): boolean {
    return this.frozen;
  }

  /** Back to the start: real time, or the configured start time. */
  reset(): void {
    this.anchorReal = this.realNow();
    this.anchorVirtual = this.startAt ?? this.anchorReal;
  }

  /** Sets virtual time to real time plus `offsetMs` (a state file's offset; 0 on reset). */
  restoreOffset(offsetMs: number): void {
    this.anchorReal = this.realNow();
    this.anchorVirtual = this.anchorReal + offsetMs;
  }
}
