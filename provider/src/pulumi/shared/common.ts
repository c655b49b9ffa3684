/**
 * What the resource implementations share: input schema pieces, client construction with the
 * Pulumi configuration, wait timing, outputs helpers and the "record what the vendor accepted"
 * wrapper.
 */
import { z } from "zod";
import { resolveAckConfig, resolveCceConfig } from "../../auth/config";
import { type AckClient, createAckClient } from "../../clients/ack/client";
import { type CceClient, createCceClient } from "../../clients/cce/client";
import { type ClientPool } from "../../clients/pool";
import { kubernetesVersion, nonEmpty, resourceId } from "../../clients/common/arg-schemas";
import { type ApiError, UpgradeGuardError } from "../../errors";
import { compareVersions, isVersionChange, parseVersion } from "../../internal/versions";
import {
  type Finding,
  type ReadinessSnapshot,
  verdictSchema,
  worstSeverityOf,
  worstSeveritySchema,
} from "../../readiness/model";
import { PartialCreateError } from "./errors";
import { configuredSettings, type PulumiSettings } from "./settings";
import { type PropertyMap } from "./types";

export { kubernetesVersion, nonEmpty, resourceId };

/** Minutes to wait for a task before giving up (fractions allowed; at most a day). */
export const waitTimeoutMinutes = z
  .number({ error: "must be a number of minutes" })
  .positive({ error: "must be more than 0 minutes" })
  .max(24 * 60, { error: "must be at most 1440 minutes (a day)" });

/** Where a CCE resource lives, when it differs from the stack configuration. */
export const cceLocationShape = {
  /** Huawei Cloud region; default `upgrade-guard:region`, then `HW_REGION_NAME`. */
  region: nonEmpty.optional(),
  /** Project id; default `upgrade-guard:projectId`, then `HUAWEICLOUD_SDK_PROJECT_ID`. */
  projectId: nonEmpty.optional(),
};

/** Where an ACK resource lives, when it differs from the stack configuration. */
export const ackLocationShape = {
  /** Alibaba Cloud region; default `upgrade-guard:alibabaRegion`, then `ALIBABA_CLOUD_REGION_ID`. */
  region: nonEmpty.optional(),
};

/** Region (and for CCE project) of a call, when they differ from the configuration; ACK has no project. */
export type CceLocation = Readonly<z.output<z.ZodObject<typeof cceLocationShape>>>;

/** The client of each vendor. */
export interface VendorClients {
  readonly CCE: CceClient;
  readonly ACK: AckClient;
}

/** Where a client's settings come from besides its location. */
export interface ClientSources {
  /** The `upgrade-guard:*` configuration as settings; by default what `configure` stored. */
  readonly settings?: PulumiSettings;
  /** Environment to read; `process.env` (at call time) by default. */
  readonly env?: NodeJS.ProcessEnv;
  /** The run's client pool: its client is used (and left open) instead of a client of its own. */
  readonly clients?: ClientPool;
}

/** Where a call goes once resolved, and where a resource was created (its `location` output). */
export interface ResolvedLocation {
  /** The region. */
  readonly region: string;
  /** The project (CCE only). */
  readonly projectId?: string | undefined;
}

/** Reads a recorded `location` output. */
export const resolvedLocationSchema = z.object({
  region: z.string(),
  projectId: z.string().optional(),
}) satisfies z.ZodType<ResolvedLocation>;

/**
 * The output every resource records: where it was created (see resources/location.ts). Optional:
 * state written before it existed reads, and the first refresh or update records it.
 */
export const locationOutputShape = {
  /** Where the resource was created: read, update and delete go there. */
  location: resolvedLocationSchema.optional(),
};

/** The location's explicit settings: what the caller set, without the unset ones. */
function explicitSettings(
  vendor: keyof VendorClients,
  location: CceLocation,
): { region?: string; projectId?: string } {
  return {
    ...(location.region === undefined ? {} : { region: location.region }),
    ...(vendor === "CCE" && location.projectId !== undefined ? { projectId: location.projectId } : {}),
  };
}

/**
 * Where a call of `vendor` with `location` goes: the explicit region and project, else the Pulumi
 * configuration, else the environment (the clients' own resolver, so the answer is the one the
 * client uses). A missing or wrong setting is a `ConfigError` naming what to set.
 */
export function resolveLocation(
  vendor: keyof VendorClients,
  location: CceLocation,
  { settings = configuredSettings(), env = process.env }: Omit<ClientSources, "clients"> = {},
): ResolvedLocation {
  const explicit = explicitSettings(vendor, location);
  if (vendor === "ACK") return { region: resolveAckConfig(explicit, settings.ack, env).region };
  const { region, projectId } = resolveCceConfig(explicit, settings.cce, env);
  return { region, projectId };
}

/**
 * Runs `use` with a client of `vendor` configured from the location (the resource's or function's
 * region and project), the Pulumi configuration and the environment, and where the calls go (for
 * snapshots and the recorded location); closes the client afterwards (a pooled one stays open for
 * the rest of the run). A missing setting surfaces here as a `ConfigError` naming what to set.
 */
export async function withVendor<V extends keyof VendorClients, T>(
  vendor: V,
  location: CceLocation,
  use: (client: VendorClients[V], where: ResolvedLocation) => Promise<T>,
  { settings = configuredSettings(), env = process.env, clients }: ClientSources = {},
): Promise<T> {
  // Resolved first: a missing setting fails before any client exists.
  const where = resolveLocation(vendor, location, { settings, env });
  const cce = vendor === "CCE";
  const options = {
    ...explicitSettings(vendor, location),
    pulumiConfig: cce ? settings.cce : settings.ack,
    env,
  };
  if (clients !== undefined) {
    const pooled = cce ? clients.cce(options) : clients.ack(options);
    return use(pooled as VendorClients[V], where);
  }
  const client = cce ? createCceClient(options) : createAckClient(options);
  try {
    return await use(client as VendorClients[V], where);
  } finally {
    await client.close();
  }
}

/** Environment variable fixing the poll interval (milliseconds), for emulators and tests. */
export const POLL_INTERVAL_ENV = "UPGRADE_GUARD_POLL_INTERVAL_MS";

/** Deadline and poll intervals of one wait. */
export interface WaitTiming {
  readonly deadlineMs: number;
  readonly initialIntervalMs?: number;
  readonly maxIntervalMs?: number;
}

/**
 * Deadline from the resource's `waitTimeoutMinutes` (or the default), and the waiter's adaptive
 * schedule unless `UPGRADE_GUARD_POLL_INTERVAL_MS` fixes the interval.
 */
export function waitTiming(
  timeoutMinutes: number | undefined,
  defaultMinutes: number,
  env: NodeJS.ProcessEnv = process.env,
): WaitTiming {
  const deadlineMs = Math.round((timeoutMinutes ?? defaultMinutes) * 60_000);
  const fixed = Number(env[POLL_INTERVAL_ENV]);
  if (env[POLL_INTERVAL_ENV] === undefined || !Number.isFinite(fixed) || fixed <= 0) return { deadlineMs };
  return { deadlineMs, initialIntervalMs: fixed, maxIntervalMs: fixed };
}

/** True for an `ApiError` of category `notFound` (from any copy of the errors module). */
export function isNotFound(error: unknown): boolean {
  return UpgradeGuardError.isInstance(error) && (error as Partial<ApiError>).category === "notFound";
}

/** What `read` gives, or `undefined` when the vendor answers that it does not exist (`notFound`). */
export async function unlessNotFound<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Counts of the findings that are present now, per severity. */
export interface FindingCounts {
  /** Present findings of severity `fatal`. */
  readonly fatal: number;
  /** Present findings of severity `warning`. */
  readonly warning: number;
  /** Present findings of severity `info`. */
  readonly info: number;
  /** Present findings whose severity could not be read (`unknown`). */
  readonly unknown: number;
}

/** Counts the present findings per severity. */
export function countFindings(findings: readonly Finding[]): FindingCounts {
  const counts = { fatal: 0, warning: 0, info: 0, unknown: 0 };
  for (const finding of findings) if (finding.state === "present") counts[finding.severity] += 1;
  return counts;
}

/** Findings with their worst severity and counts per severity, as results and outputs carry them. */
export function findingsOutputs(findings: Finding[]) {
  return { findings, worstSeverity: worstSeverityOf(findings), findingCounts: countFindings(findings) };
}

/**
 * An output of the readiness model (a snapshot, a finding) kept in state for the program and the
 * policy: checked to be an object, typed as `T`. The lifecycles never read inside it and refresh
 * rebuilds it from the cloud, so one written by another version of the model must not make the
 * state unreadable (the model's own schema is strict about timestamps and digests).
 */
export function storedObject<T extends object>() {
  return z.custom<T>((value) => typeof value === "object" && value !== null && !Array.isArray(value), {
    error: "must be an object",
  });
}

/** Present findings per severity, as `countFindings` writes them (extra keys are dropped on read). */
export const findingCountsSchema = z.object({
  fatal: z.number(),
  warning: z.number(),
  info: z.number(),
  unknown: z.number(),
}) satisfies z.ZodType<FindingCounts>;

/**
 * The readiness outputs every check resource shares (see `readinessOutputs`). Optional: a create
 * interrupted before the check finished records none of them.
 */
export const readinessOutputsShape = {
  /** The normalized readiness snapshot. */
  snapshot: storedObject<ReadinessSnapshot>().optional(),
  /** The verdict of `evaluate` on the snapshot. */
  verdict: verdictSchema.optional(),
  /** The worst severity among the present findings. */
  worstSeverity: worstSeveritySchema.optional(),
  /** Present findings per severity. */
  findingCounts: findingCountsSchema.optional(),
};

/** The readiness outputs every check resource shares. */
export function readinessOutputs(snapshot: ReadinessSnapshot) {
  return {
    snapshot,
    verdict: snapshot.verdict,
    worstSeverity: snapshot.worstSeverity,
    findingCounts: countFindings(snapshot.findings),
  };
}

/** Keys whose type admits `undefined` (but not `unknown`, which stays as it is). */
type UndefinedKeys<T> = {
  [K in keyof T]-?: undefined extends T[K] ? (unknown extends T[K] ? never : K) : never;
}[keyof T];

/** `T` with every member that may be `undefined` made optional instead, at any depth. */
export type Compacted<T> = T extends readonly (infer U)[]
  ? Compacted<U>[]
  : T extends object
    ? { [K in Exclude<keyof T, UndefinedKeys<T>>]: Compacted<T[K]> } & {
        [K in UndefinedKeys<T>]?: Compacted<Exclude<T[K], undefined>>;
      }
    : T;

/**
 * A copy without `undefined` members at any depth: the engine's protobuf Struct has no undefined,
 * and an absent member is what an optional output should be.
 */
export function compact<T>(value: T): Compacted<T> {
  if (Array.isArray(value)) return value.map((item) => compact(item)) as Compacted<T>;
  if (value === null || typeof value !== "object") return value as Compacted<T>;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) if (member !== undefined) out[key] = compact(member);
  return out as Compacted<T>;
}

/**
 * Thrown inside `afterAccepted` work when the task ended in a way that leaves nothing to record
 * (e.g. a failed task that was cancelled): the wrapped error is rethrown as it is, so the engine
 * records nothing and the next `pulumi up` starts afresh.
 */
export class NothingToRecord extends Error {
  constructor(readonly error: unknown) {
    super(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Runs the part of a create that comes after the vendor accepted a task. Any failure there becomes
 * a `PartialCreateError` carrying the task id and what is known, so the engine records the
 * resource (no orphan) and the next `pulumi up` resumes it through `update` (no duplicate).
 */
export async function afterAccepted<T>(
  id: string,
  known: () => PropertyMap,
  hint: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof NothingToRecord) throw error.error;
    throw new PartialCreateError(id, compact(known()), error, hint);
  }
}

/** `Init`, `Running` and other non-final phases of a task the resource still has to wait for. */
export function isPendingPhase(phase: unknown, finalPhases: readonly string[]): boolean {
  return typeof phase !== "string" || !finalPhases.some((p) => p.toLowerCase() === phase.toLowerCase());
}

/** The items newest first by their creation time (ISO 8601 UTC); items without one come last. */
export function newestFirst<T>(items: readonly T[], createdAt: (item: T) => string | undefined): T[] {
  return [...items].sort((x, y) => (createdAt(y) ?? "").localeCompare(createdAt(x) ?? ""));
}

/** Milliseconds since the epoch of "now" (one place, so snapshots and logs agree). */
export function nowMs(): number {
  return Date.now();
}

/**
 * Refuses, before any vendor call, a target older than the cluster's live version: a Kubernetes
 * cluster cannot be downgraded, and the vendors would only answer with a generic 400. Versions that
 * do not parse are left to the vendor to judge.
 */
export function refuseDowngrade(what: string, liveVersion: string, targetVersion: string): void {
  if (parseVersion(liveVersion) === undefined || parseVersion(targetVersion) === undefined) return;
  if (!isVersionChange(liveVersion, targetVersion) || compareVersions(targetVersion, liveVersion) >= 0)
    return;
  throw new Error(
    `${what}: targetVersion ${targetVersion} is older than the cluster's version ${liveVersion}, and a ` +
      `cluster cannot be downgraded; set targetVersion to ${liveVersion} or newer, or remove this resource.`,
  );
}
