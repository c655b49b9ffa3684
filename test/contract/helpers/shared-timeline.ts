/**
 * One timeline for a client's transport and the emulator. The transport's `now()` is the emulator's
 * virtual time (start the emulator with `freezeClock: true`), and a transport `sleep` ends only when
 * virtual time reaches it. Virtual time moves only while nothing is in flight: the pump then moves
 * the emulator's clock to the earliest pending sleep and wakes it. So every request reaches the
 * emulator at exactly the virtual instant the client's limiter released it, and the client's token
 * bucket and the emulator's rate-limit fault judge the same times: no real time, no flakiness.
 */
import { type Dispatcher, type TransportClock } from "@upgrade-guard/provider";
import { type EmulatorControl } from "@upgrade-guard/emulator";
import { observingAgent } from "./observing-agent";

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly wake: () => void;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class SharedTimeline implements TransportClock {
  /** Give this to the client as its `dispatcher`: it tells the timeline what is in flight. */
  readonly dispatcher: Dispatcher & { close(): Promise<void> };
  /** Every duration passed to `sleep`, in call order. */
  readonly sleeps: number[] = [];
  private timers: Timer[] = [];
  private sequence = 0;
  private inFlight = 0;
  private pumping = false;

  constructor(private readonly control: EmulatorControl) {
    this.dispatcher = observingAgent({
      started: () => {
        this.inFlight += 1;
      },
      finished: () => {
        this.inFlight -= 1;
        this.schedule();
      },
    });
  }

  now(): number {
    return this.control.clock().nowMs;
  }

  random(): number {
    return 0.5;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(signal?.reason);
      };
      const timer: Timer = {
        at: this.now() + Math.max(0, ms),
        seq: this.sequence++,
        wake: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.timers.push(timer);
      this.schedule();
    });
  }

  private schedule(): void {
    if (!this.pumping) void this.pump();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      for (;;) {
        // Let the work in progress settle, so a request about to leave is counted before time moves.
        for (let i = 0; i < 5; i += 1) await turn();
        if (this.inFlight > 0) return; // `finished` schedules the next round
        const next = [...this.timers].sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
        if (next === undefined) return;
        this.timers = this.timers.filter((t) => t !== next);
        const ahead = next.at - this.now();
        if (ahead > 0) this.control.advanceClock(ahead);
        next.wake();
      }
    } finally {
      this.pumping = false;
    }
  }
}
