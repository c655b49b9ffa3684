/**
 * Virtual time for transport, limiter and token-source tests. `sleep` never touches real timers:
 * - `auto: true` (default): once the process is otherwise idle (a few event-loop turns), time jumps
 *   to the earliest pending sleep and resolves it, so backoff and rate-limit waits finish at once
 *   while their durations are still recorded;
 * - `auto: false`: time moves only when the test calls `advance`.
 */
import { type TransportClock } from "../../src/transport/types";

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

/** One turn of the event loop: lets pending callbacks and promise chains run. */
export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class FakeClock implements TransportClock {
  private time: number;
  private sequence = 0;
  private timers: Timer[] = [];
  private pumping = false;
  private readonly randomSource: () => number;
  private readonly auto: boolean;
  /** Every duration passed to `sleep`, in call order. */
  readonly sleeps: number[] = [];

  constructor(options: { start?: number; auto?: boolean; random?: () => number } = {}) {
    this.time = options.start ?? 1_754_385_044_000;
    this.auto = options.auto ?? true;
    this.randomSource = options.random ?? (() => 0.5);
  }

  now(): number {
    return this.time;
  }

  random(): number {
    return this.randomSource();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const timer: Timer = {
        at: this.time + Math.max(0, ms),
        seq: this.sequence++,
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.timers.push(timer);
      if (this.auto) void this.pump();
    });
  }

  /** Moves time forward, resolving due sleeps in order. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      const next = this.earliest();
      if (next === undefined || next.at > target) break;
      this.fire(next);
      await turn();
    }
    this.time = target;
  }

  /** Number of sleeps not yet resolved. */
  get pending(): number {
    return this.timers.length;
  }

  private earliest(): Timer | undefined {
    return [...this.timers].sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
  }

  private fire(timer: Timer): void {
    this.timers = this.timers.filter((t) => t !== timer);
    this.time = Math.max(this.time, timer.at);
    timer.resolve();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        // Let in-flight work settle so every sleep that belongs to "now" is registered first.
        for (let i = 0; i < 5; i += 1) await turn();
        const next = this.earliest();
        if (next === undefined) return;
        this.fire(next);
      }
    } finally {
      this.pumping = false;
    }
  }
}
