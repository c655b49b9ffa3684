/**
 * `--state-file`: keeps state across restarts. Writes are asynchronous (never on the request path),
 * coalesced (one write in flight, at most one queued) and atomic: the JSON goes to a temporary file in
 * the same directory, is fsynced, and then renamed over the target, so a crash leaves either the old
 * file or the new one, never half of one.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { open, readdir, rename, unlink } from "node:fs/promises";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { type StateData } from "../state/types";
import { type Scenario } from "../scenario/schema";

export const STATE_FORMAT = "upgrade-guard-emulator-state";
export const STATE_VERSION = 1;

export interface PersistedState {
  readonly format: typeof STATE_FORMAT;
  readonly version: typeof STATE_VERSION;
  readonly savedAt: string;
  /** Virtual time minus real time when saved. */
  readonly clockOffsetMs: number;
  readonly docQuirks: boolean;
  /** The scenario the state grew from (reset returns to it). */
  readonly scenario: Scenario;
  readonly state: StateData;
}

/**
 * The state file cannot be used. The message names the `stateFile` option; `problem` is the same text
 * without it, so the CLI can name its `--state-file` flag instead.
 */
export class StateFileError extends Error {
  override readonly name = "StateFileError";
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`stateFile ${file}: ${problem}`);
  }
}

/** Reads a state file at start-up; undefined when there is none yet. */
export function readStateFile(file: string): PersistedState | undefined {
  if (!existsSync(file)) return undefined;
  if (statSync(file).isDirectory())
    throw new StateFileError(
      file,
      `is a directory, not a file; give a file path such as ${path.join(file, "state.json")}`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new StateFileError(
      file,
      `is not valid JSON (${(error as Error).message}); delete it to start from the scenario`,
    );
  }
  const candidate = parsed as Partial<PersistedState> | null;
  if (
    candidate === null ||
    typeof candidate !== "object" ||
    candidate.format !== STATE_FORMAT ||
    candidate.version !== STATE_VERSION ||
    typeof candidate.state !== "object" ||
    typeof candidate.scenario !== "object"
  ) {
    throw new StateFileError(
      file,
      `is not an ${STATE_FORMAT} v${STATE_VERSION} file; delete it to start from the scenario`,
    );
  }
  if (!Number.isFinite(candidate.clockOffsetMs))
    throw new StateFileError(file, "has no valid clockOffsetMs; delete it to start from the scenario");
  const problem = stateProblem(candidate as PersistedState);
  if (problem !== undefined)
    throw new StateFileError(file, `is damaged: ${problem}; delete it to start from the scenario`);
  return candidate as PersistedState;
}

const TASK_TABLES = [
  "ccePrechecks",
  "cceAddonChecks",
  "cceWorkflows",
  "cceUpgradeTasks",
  "ccePostchecks",
  "ackChecks",
  "ackTasks",
] as const;

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * What the emulator relies on when it serves a saved state, checked once at start-up so a hand-edited
 * or damaged file is refused with the path of the first bad field instead of failing later requests.
 * (The saved scenario is validated by the caller with the scenario schema.)
 */
function stateProblem(saved: PersistedState): string | undefined {
  if (typeof saved.docQuirks !== "boolean") return "docQuirks must be true or false";
  const state = saved.state as unknown as Record<string, unknown>;
  const clusters = state["clusters"];
  if (!Array.isArray(clusters)) return "state.clusters must be an array";
  const ids = new Set<string>();
  for (const [i, cluster] of clusters.entries()) {
    const at = `state.clusters[${i}]`;
    if (!isObject(cluster)) return `${at} must be an object`;
    if (cluster["cloud"] !== "cce" && cluster["cloud"] !== "ack") return `${at}.cloud must be cce or ack`;
    for (const key of ["id", "name", "account", "region", "version", "initVersion", "phase"])
      if (typeof cluster[key] !== "string") return `${at}.${key} must be a string`;
    for (const key of ["createdAt", "updatedAt"])
      if (!Number.isFinite(cluster[key])) return `${at}.${key} must be a number`;
    const targets = cluster["targetVersions"];
    if (!Array.isArray(targets) || !targets.every((t) => typeof t === "string"))
      return `${at}.targetVersions must be an array of strings`;
    if (!Array.isArray(cluster["addons"]) || !cluster["addons"].every(isObject))
      return `${at}.addons must be an array of objects`;
    for (const key of ["outcomes", "defaults"])
      if (!isObject(cluster[key])) return `${at}.${key} must be an object`;
    if (ids.has(cluster["id"] as string)) return `${at}.id ${String(cluster["id"])} is used twice`;
    ids.add(cluster["id"] as string);
  }
  for (const table of TASK_TABLES) {
    const records = state[table];
    if (!Array.isArray(records)) return `state.${table} must be an array`;
    for (const [i, record] of records.entries()) {
      const at = `state.${table}[${i}]`;
      if (!isObject(record)) return `${at} must be an object`;
      if (typeof record["id"] !== "string") return `${at}.id must be a string`;
      if (typeof record["clusterId"] !== "string" || !ids.has(record["clusterId"]))
        return `${at}.clusterId must name a cluster of state.clusters`;
      const clock = record["clock"];
      if (table !== "cceWorkflows" && table !== "ccePostchecks") {
        if (!isObject(clock) || !Number.isFinite(clock["createdAt"]) || !Number.isFinite(clock["polls"]))
          return `${at}.clock must be an object with numeric createdAt and polls`;
        if (!isObject(clock["progression"])) return `${at}.clock.progression must be an object`;
      } else if (!Number.isFinite(record["createdAt"])) return `${at}.createdAt must be a number`;
    }
  }
  const tokens = state["tokens"];
  if (!Array.isArray(tokens)) return "state.tokens must be an array";
  for (const [i, token] of tokens.entries()) {
    const at = `state.tokens[${i}]`;
    if (!isObject(token) || typeof token["token"] !== "string" || typeof token["account"] !== "string")
      return `${at} must be an object with string token and account`;
    if (!Number.isFinite(token["expiresAt"])) return `${at}.expiresAt must be a number`;
  }
  return undefined;
}

export class StateFileWriter {
  private chain: Promise<void> = Promise.resolve();
  /** A write is queued but has not taken its snapshot yet. */
  private queued = false;
  private timer: NodeJS.Timeout | undefined;
  private lastError: Error | undefined;

  constructor(
    readonly file: string,
    private readonly snapshot: () => PersistedState,
    private readonly delayMs = 20,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  /** Something changed: write soon. */
  schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.write();
    }, this.delayMs);
    this.timer.unref();
  }

  /** Writes now and resolves once a snapshot taken after this call is on disk. */
  async flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.write();
    if (this.lastError !== undefined) throw this.lastError;
  }

  private write(): Promise<void> {
    // A queued write has not snapshotted yet, so it will include this change too.
    if (this.queued) return this.chain;
    this.queued = true;
    this.chain = this.chain.then(async () => {
      this.queued = false;
      // Taken synchronously: the file holds one consistent moment.
      const text = JSON.stringify(this.snapshot());
      await this.writeAtomically(text);
    });
    return this.chain;
  }

  /**
   * The first write, before the server listens: a path that cannot be written fails start-up with a
   * message saying why, instead of failing on every later change.
   */
  async initialize(): Promise<void> {
    await this.removeStaleTemporaries();
    try {
      await this.writeFile(JSON.stringify(this.snapshot()));
    } catch (error) {
      throw new StateFileError(this.file, cannotWrite(this.file, error as NodeJS.ErrnoException));
    }
  }

  private async writeAtomically(text: string): Promise<void> {
    try {
      await this.writeFile(text);
      this.lastError = undefined;
    } catch (error) {
      // Report a failure once, not on every change while it persists.
      const repeated = this.lastError?.message === (error as Error).message;
      this.lastError = error as Error;
      if (!repeated) this.onError(error as Error);
    }
  }

  /**
   * A process killed between writing its temporary file and renaming it leaves the temporary behind
   * (the state file itself is intact). Remove those of processes that no longer run.
   */
  private async removeStaleTemporaries(): Promise<void> {
    const dir = path.dirname(this.file);
    const prefix = `.${path.basename(this.file)}.`;
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.startsWith(prefix) || !name.endsWith(".tmp")) continue;
      const pid = Number(name.slice(prefix.length).split(".")[0]);
      if (!Number.isInteger(pid) || pid <= 0 || processRuns(pid)) continue;
      await unlink(path.join(dir, name)).catch(() => undefined);
    }
  }

  private async writeFile(text: string): Promise<void> {
    const temp = path.join(
      path.dirname(this.file),
      `.${path.basename(this.file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
    );
    try {
      const handle = await open(temp, "w", 0o600);
      try {
        await handle.writeFile(text, "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function cannotWrite(file: string, error: NodeJS.ErrnoException): string {
  const dir = path.dirname(file);
  if (error.code === "ENOENT")
    return `cannot be written: directory ${dir} does not exist; create it or choose another path`;
  if (error.code === "EISDIR")
    return `is a directory, not a file; give a file path such as ${path.join(file, "state.json")}`;
  if (error.code === "EACCES" || error.code === "EPERM" || error.code === "EROFS")
    return `cannot be written (${error.code}): make ${dir} writable or choose another path`;
  if (error.code === "ENOTDIR")
    return `cannot be written: a part of ${dir} is not a directory; choose another path`;
  return `cannot be written (${error.message}); choose another path`;
}
