/**
 * Shared by the reliability suite: child processes with deadlines, polling with a deadline, and a
 * fixed, printed seed. Every wait here ends: a promise that does not settle in time rejects naming
 * what it waited for.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { request } from "node:http";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "../..");

/** Rejects with `what` when `promise` has not settled within `ms`. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`deadline of ${ms} ms passed waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `condition` every `everyMs` until it holds; rejects after `ms`. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
  everyMs = 5,
): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > end) throw new Error(`deadline of ${ms} ms passed waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export interface Child {
  readonly process: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Resolves with the exit code or signal once it has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The first stdout line matching `pattern`, within `ms`. */
  line(pattern: RegExp, ms: number): Promise<RegExpMatchArray>;
  /** SIGKILL, then waits (with a deadline) for the exit. */
  kill9(): Promise<void>;
}

/** Starts `node <args>` with `env` (nothing inherited but PATH and HOME). */
export function startNode(args: readonly string[], env: Record<string, string>, cwd = ROOT): Child {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const result: Child = {
    process: child,
    output: () => out,
    exited,
    async line(pattern, ms) {
      let found: RegExpMatchArray | null = null;
      await waitUntil(
        () => {
          found = out.match(pattern);
          return found !== null || child.exitCode !== null;
        },
        ms,
        `a line matching ${pattern} from node ${args.join(" ")}`,
      );
      if (found === null) throw new Error(`node ${args.join(" ")} exited before ${pattern}:\n${out}`);
      return found;
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await withDeadline(exited, 10_000, "the killed child to exit");
    },
  };
  return result;
}

/** The suite's fixed seed: `RELIABILITY_SEED` to reproduce another run, printed by each user. */
export const SEED = Number(process.env.RELIABILITY_SEED ?? 20261203);

/** The tables of records by cluster that `GET /__emulator/state` serves (`ccePrechecks`, `ackTasks`, ...). */
export type EmulatorTables = Record<string, { id: string; clusterId: string }[]>;

/** The emulator's whole state, as `GET /__emulator/state` serves it to any tool. */
export function emulatorState(url: string): Promise<EmulatorTables> {
  return new Promise((resolve, reject) => {
    const req = request(new URL("/__emulator/state", url), { agent: false, timeout: 10_000 }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        try {
          resolve((JSON.parse(text) as { state: EmulatorTables }).state);
        } catch (error) {
          reject(error as Error);
        }
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("GET /__emulator/state timed out")));
    req.on("error", reject);
    req.end();
  });
}
