"use strict";
/**
 * Pins a bench's processes to separate cores with Linux `taskset` when there is one and at least two
 * cores: the measured client on one, the emulator answering it on another. Unpinned, the scheduler
 * moves both across the cores and a case's CPU per call wandered by 10-20% between runs on the
 * 2-core CI host; pinned, seven repeats of a case spread about 6% (a slow spell of the shared host
 * still shows, which is why the tables use medians). Without `taskset` (macOS, a minimal
 * image) the command runs as given and the table says so. `startServer` spawns a bench's servers.
 */
const { execFileSync, spawn } = require("node:child_process");
const os = require("node:os");
const readline = require("node:readline");

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

/**
 * Spawns a node server (`argv` after node's path) on core `cpu` when pinning is available and waits,
 * at most 20 s, for its first line `listening on http://127.0.0.1:<port>` (the emulator's CLI and
 * lib/bare-server.js both print it). Resolves `{ child, url, port }`.
 */
function startServer(label, cpu, argv) {
  const [command, rest] = pinned(cpu, [process.execPath, ...argv]);
  const child = spawn(command, rest, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${label} did not start within 20 s`));
    }, 20_000);
    readline.createInterface({ input: child.stdout }).once("line", (line) => {
      clearTimeout(timer);
      const match = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
      if (!match) reject(new Error(`${label}: unexpected first line: ${line}`));
      else resolve({ child, url: match[1], port: Number(match[2]) });
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited (${code})`));
    });
  });
}

module.exports = { pinned, pinSelf, pinningAvailable, startServer };
