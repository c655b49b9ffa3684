"use strict";
/**
 * Pins a bench's processes to separate cores with Linux `taskset` when there is one and at least two
 * cores: the measured client on one, the emulator answering it on another. Unpinned, the scheduler
 * moves both across the cores and a case's CPU per call wandered by 10-20% between runs on the
 * 2-core CI host; pinned, repeats agree within a few percent. Without `taskset` (macOS, a minimal
 * image) the command runs as given and the table says so.
 */
const { execFileSync } = require("node:child_process");
const os = require("node:os");

let available;
function pinningAvailable() {
  if (available === undefined) {
    available = false;
    if (process.platform === "linux" && os.availableParallelism() >= 2) {
      try {
        execFileSync("taskset", ["-c", "0", "true"], { stdio: "ignore", timeout: 5_000 });
        available = true;
      } catch {
        // no taskset, or not allowed: run unpinned
      }
    }
  }
  return available;
}

/** `[command, args]` running `argv` on core `cpu` (0 or 1) when pinning is available. */
function pinned(cpu, argv) {
  const [command, ...rest] = argv;
  return pinningAvailable() ? ["taskset", ["-c", String(cpu), command, ...rest]] : [command, rest];
}

/** Moves this process (every thread) to core `cpu` when pinning is available; says whether it did. */
function pinSelf(cpu) {
  if (!pinningAvailable()) return false;
  execFileSync("taskset", ["-a", "-p", "-c", String(cpu), String(process.pid)], {
    stdio: "ignore",
    timeout: 5_000,
  });
  return true;
}

module.exports = { pinned, pinSelf, pinningAvailable };
