/**
 * Waiting on emulated tasks with the provider's own waiter, in virtual time: the waiter's clock is
 * the emulator's clock and its sleeps advance it through the control API. No test sleeps for real.
 */
import {
  waitFor,
  type CheckState,
  type PollState,
  type WaiterClock,
  type WaitSuccess,
} from "@upgrade-guard/provider";
import { type ContractHarness } from "./harness";

/** A waiter clock on the emulator's virtual time (start the emulator with `freezeClock: true`). */
export function emulatorWaiterClock(h: ContractHarness): WaiterClock & { readonly advancedMs: number } {
  let advancedMs = 0;
  return {
    now: () => h.emulator.control.clock().nowMs,
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      await h.control.advanceClock(ms);
      advancedMs += ms;
    },
    get advancedMs() {
      return advancedMs;
    },
  };
}

export function pollStateOf(state: CheckState): PollState {
  if (state === "passed") return "success";
  if (state === "failed" || state === "error") return "failure";
  return "pending";
}

/** Polls `read` until `stateOf` says done, moving virtual time between polls; 2 h deadline. */
export function waitInVirtualTime<T>(
  h: ContractHarness,
  task: string,
  read: () => Promise<T>,
  stateOf: (value: T) => { state: PollState; phase: string },
  clock: WaiterClock = emulatorWaiterClock(h),
): Promise<WaitSuccess<T>> {
  return waitFor({ task, poll: read, classify: stateOf, deadlineMs: 2 * 3_600_000, clock });
}
