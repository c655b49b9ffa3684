/** The emulator a test file talks to: one per test, on a frozen clock, closed after the test. */
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../src";

export interface EmulatorPerTest {
  /** Starts this test's emulator; the clock is frozen (tests move virtual time themselves). */
  start(options?: EmulatorOptions): Promise<RunningEmulator>;
  /**
   * A cluster's id by name, read from the running emulator each time (so a scenario loaded during
   * the test counts). An unknown name throws: it is a typo in the test, not an answer to assert on.
   */
  id(name: string): string;
}

/** Call at the top of a test file (it registers the `afterEach` that closes the emulator). */
export function emulatorPerTest(): EmulatorPerTest {
  let current: RunningEmulator | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    async start(options = {}) {
      current = await startEmulator({ freezeClock: true, ...options });
      return current;
    },
    id(name) {
      const ids = new Map(current?.control.clusters().map((cluster) => [cluster.name, cluster.id]));
      const found = ids.get(name);
      if (found === undefined) throw new Error(`no cluster ${name}`);
      return found;
    },
  };
}
