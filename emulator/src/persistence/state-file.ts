/**
 * `--state-file`: keeps state across restarts. Writes are coalesced (one write in flight, at most one
 * queued) and atomic: the JSON goes to a temporary file in the same directory, is fsynced, renamed over
 * the target, and the directory is fsynced, so a crash leaves either the old file or the new one, never
 * half of one. A vendor request that changed the state is answered only once a snapshot taken after
 * the change is on disk (`durable()`, awaited by the request pipeline): whatever the emulator
 * acknowledged survives a `kill -9`. Changes made by the clock alone (a task finishing by virtual
 * time) are written soon after, without anyone waiting.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { open, readdir, rename, unlink } from "node:fs/promises";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { z } from "zod";
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

// What the emulator relies on when it serves a saved state, checked once at start-up so a hand-edited
// or damaged file is refused with the path of the first bad field instead of failing later requests.
// Loose objects: only what is read is checked, and the saved scenario is validated by the caller.
const text = z.string({ error: "must be a string" });
const count = z.number({ error: "must be a number" }).refine(Number.isFinite, "must be a number");
const objectOf = (message: string) => z.looseObject({}, { error: message });

const savedCluster = z.looseObject(
  {
    cloud: z.enum(["cce", "ack"], { error: "must be cce or ack" }),
    id: text,
    name: text,
    account: text,
    region: text,
    version: text,
    initVersion: text,
    phase: text,
    createdAt: count,
    updatedAt: count,
    targetVersions: z.array(z.string(), { error: "must be an array of strings" }),
    addons: z.array(z.looseObject({}), { error: "must be an array of objects" }),
    outcomes: objectOf("must be an object"),
    defaults: objectOf("must be an object"),
  },
  { error: "must be an object" },
);
const clockedRecord = z.looseObject(
  {
    id: text,
    clusterId: text,
    clock: z.looseObject(
      {
        createdAt: count,
        polls: count,
        progression: objectOf("must be an object"),
      },
      { error: "must be an object with numeric createdAt and polls" },
    ),
  },
  { error: "must be an object" },
);
const datedRecord = z.looseObject(
  { id: text, clusterId: text, createdAt: count },
  { error: "must be an object" },
);
const table = <T extends z.ZodType>(record: T) => z.array(record, { error: "must be an array" });
/** The tables of records that belong to a cluster (and must name one). */
const TASK_TABLES = {
  ccePrechecks: table(clockedRecord),
  cceAddonChecks: table(clockedRecord),
  cceUpgradeTasks: table(clockedRecord),
  ackChecks: table(clockedRecord),
  ackTasks: table(clockedRecord),
  cceWorkflows: table(datedRecord),
  ccePostchecks: table(datedRecord),
  // Absent from state files written before snapshots existed.
  cceSnapshots: table(clockedRecord).default([]),
};

const savedStateSchema = z
  .looseObject({
    docQuirks: z.boolean({ error: "must be true or false" }),
    state: z.looseObject({
      clusters: table(savedCluster),
      ...TASK_TABLES,
      tokens: table(
        z.looseObject(
          { token: text, account: text, expiresAt: count },
          { error: "must be an object with string token and account" },
        ),
      ),
    }),
  })
  .superRefine(({ state }, context) => {
    const ids = new Set<string>();
    state.clusters.forEach((cluster, i) => {
      if (ids.has(cluster.id))
        context.addIssue({
          code: "custom",
          path: ["state", "clusters", i, "id"],
          message: `${cluster.id} is used twice`,
        });
      ids.add(cluster.id);
    });
    for (const name of Object.keys(TASK_TABLES) as (keyof typeof TASK_TABLES)[])
      state[name].forEach((record, i) => {
        if (!ids.has(record.clusterId))
          context.addIssue({
            code: "custom",
            path: ["state", name, i, "clusterId"],
            message: "must name a cluster of state.clusters",
          });
      });
  });

/** `state.clusters[0].version must be a string`: the first problem, its path as a reader writes it. */
function stateProblem(saved: PersistedState): string | undefined {
  const parsed = savedStateSchema.safeParse(saved);
  if (parsed.success) return undefined;
  const [first] = parsed.error.issues;
  if (first === undefined) return "is not a valid state";
  const where = first.path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`))
    .join("");
  return `${where} ${first.message}`;
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

  /** Whether a change is waiting for a write that has not taken its snapshot yet. */
  get pending(): boolean {
    return this.timer !== undefined || this.queued;
  }

  /**
   * Resolves once every change made before this call is on disk, after a write shared with every
   * caller waiting at the same time; undefined when nothing is pending (the caller need not wait).
   * Never rejects: a failed write was reported through `onError`, and the change stays in memory.
   */
  durable(): Promise<void> | undefined {
    if (!this.pending) return undefined;
    return this.flush().catch(() => undefined);
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
    await syncDirectory(path.dirname(this.file));
  }
}

/** The rename is durable once the directory is synced (POSIX); where a directory cannot be opened, skipped. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, "r");
  } catch {
    return;
  }
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
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
