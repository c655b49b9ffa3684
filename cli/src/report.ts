// @API CCE GET /api/v3/projects/{project_id}/clusters
// @API ACK GET /api/v1/clusters
/**
 * Finds the clusters to report on and computes each one's readiness through `getUpgradeReadiness`
 * (the one facts gatherer reads the cloud, and `evaluate`, the one verdict function, decides; an
 * upgrade in flight is one of its reasons).
 */
import {
  type ClientPool,
  ConfigError,
  getUpgradeReadiness,
  redact,
  UpgradeGuardError,
  verdictSchema,
  type SnapshotEvaluateOptions,
  type UpgradeReadiness,
  upgradeReadinessPolicyArgs,
} from "@upgrade-guard/provider";
import { nearest } from "./suggest";
import {
  type ClusterReport,
  type Outcome,
  OUTCOME_EXIT,
  type Report,
  REPORT_SCHEMA_VERSION,
  reportSchema,
} from "./report-schema";

export interface ClusterRef {
  readonly cloud: "cce" | "ack";
  readonly id: string;
  readonly name?: string;
  /** The vendor's cluster state as listed (CCE `status.phase`, ACK `state`). */
  readonly state?: string;
}

/** Both clouds call a cluster whose upgrade is running `upgrading` (CCE capitalizes it). */
export function isUpgrading(state: string | undefined): boolean {
  return state?.toLowerCase() === "upgrading";
}

const ACK_PAGE_SIZE = 100;
/** A bound on ACK pagination, so a misbehaving endpoint cannot keep us paging forever. */
const ACK_MAX_PAGES = 100;

async function listCce(clients: ClientPool, env: NodeJS.ProcessEnv): Promise<ClusterRef[]> {
  const { items } = await clients.cce({ env }).listClusters();
  return items.map((c) => ({
    cloud: "cce" as const,
    id: c.metadata.uid,
    ...(c.metadata.name === undefined ? {} : { name: c.metadata.name }),
    ...(c.status?.phase === undefined ? {} : { state: c.status.phase }),
  }));
}

async function listAck(clients: ClientPool, env: NodeJS.ProcessEnv, name?: string): Promise<ClusterRef[]> {
  const ack = clients.ack({ env });
  const found: ClusterRef[] = [];
  for (let page = 1; page <= ACK_MAX_PAGES; page += 1) {
    const { clusters } = await ack.describeClustersV1({
      pageSize: ACK_PAGE_SIZE,
      pageNumber: page,
      ...(name === undefined ? {} : { name }),
    });
    found.push(
      ...clusters.map((c) => ({
        cloud: "ack" as const,
        id: c.cluster_id,
        ...(c.name === undefined ? {} : { name: c.name }),
        ...(c.state === undefined ? {} : { state: c.state }),
      })),
    );
    if (clusters.length < ACK_PAGE_SIZE) break;
  }
  return found;
}

function list(cloud: "cce" | "ack", clients: ClientPool, env: NodeJS.ProcessEnv): Promise<ClusterRef[]> {
  return cloud === "cce" ? listCce(clients, env) : listAck(clients, env);
}

/**
 * Every cluster of the requested clouds. Without `--cloud`, a cloud that is not configured at all is
 * skipped (a team may use only one); with `--cloud` its configuration error is reported.
 */
export async function discoverClusters(
  cloud: "cce" | "ack" | undefined,
  clients: ClientPool,
  env: NodeJS.ProcessEnv,
): Promise<{ clusters: ClusterRef[]; skipped: string[] }> {
  const clouds = cloud === undefined ? (["cce", "ack"] as const) : [cloud];
  const clusters: ClusterRef[] = [];
  const skipped: string[] = [];
  for (const c of clouds) {
    try {
      clusters.push(...(await list(c, clients, env)));
    } catch (error) {
      if (cloud === undefined && error instanceof ConfigError && error.code === "CONFIG_MISSING") {
        skipped.push(`${c}: ${error.message.split("\n")[0]}`);
      } else throw error;
    }
  }
  return { clusters, skipped };
}

/** How many clusters a "not found" message lists before it says how many more there are. */
const LISTED_CLUSTERS = 20;

function notFoundMessage(
  cloud: "cce" | "ack" | undefined,
  idOrName: string,
  clusters: readonly ClusterRef[],
): string {
  const what = `no ${cloud ?? "CCE or ACK"} cluster has the id or name "${idOrName}"`;
  if (clusters.length === 0) return `${what}: the account lists no ${cloud ?? "CCE or ACK"} clusters at all`;
  const names = clusters.map((c) => c.name ?? c.id);
  const close = nearest(idOrName, names);
  const shown = clusters
    .slice(0, LISTED_CLUSTERS)
    .map((c) => `  ${c.cloud} ${c.name ?? "-"} (${c.id})`)
    .join("\n");
  const more =
    clusters.length > LISTED_CLUSTERS ? `\n  ... and ${clusters.length - LISTED_CLUSTERS} more` : "";
  return `${what}${close === undefined ? "" : ` (did you mean ${close}?)`}. The clusters there are:\n${shown}${more}`;
}

/** Finds a cluster by id or by name; a name that matches two clusters is an error. */
export async function resolveCluster(
  cloud: "cce" | "ack" | undefined,
  idOrName: string,
  clients: ClientPool,
  env: NodeJS.ProcessEnv,
): Promise<ClusterRef> {
  const { clusters } = await discoverClusters(cloud, clients, env);
  const byId = clusters.filter((c) => c.id === idOrName);
  const matches = byId.length > 0 ? byId : clusters.filter((c) => c.name === idOrName);
  const [only, ...others] = matches;
  if (only !== undefined && others.length === 0) return only;
  if (only === undefined) throw new LookupError(notFoundMessage(cloud, idOrName, clusters));
  throw new LookupError(
    `"${idOrName}" names ${matches.length} clusters (${matches.map((m) => `${m.cloud} ${m.id}`).join(", ")}); use the id`,
  );
}

export class LookupError extends Error {}

/** The code, redacted message and hint of an error, for a report row. */
export function errorOf(error: unknown): ClusterReport["error"] & object {
  if (UpgradeGuardError.isInstance(error)) {
    // Read by shape, as isInstance does: another copy of the provider's ApiError has it too.
    const hint = (error as { hint?: unknown }).hint;
    return { code: error.code, message: error.message, ...(typeof hint === "string" ? { hint } : {}) };
  }
  return { code: "UNEXPECTED", message: redact(error instanceof Error ? error.message : String(error)) };
}

/** `safe`, `blocked` (a finding, a broken check, an upgrade in flight, a downgrade) or `undecided`. */
export function outcomeOf(readiness: UpgradeReadiness | undefined): Outcome {
  if (readiness === undefined) return "undecided";
  if (readiness.allowed) return "safe";
  if (readiness.blocking.length > 0 || readiness.verdict === "blocked" || readiness.verdict === "upgrading")
    return "blocked";
  return "undecided";
}

/** The evaluate options `--fail-on warning` adds: warnings block too. */
export function blockingSeveritiesFor(
  failOn: "fatal" | "warning" | undefined,
): SnapshotEvaluateOptions["blockingSeverities"] {
  return failOn === "warning" ? ["fatal", "unknown", "warning"] : undefined;
}

export interface ReadOptions {
  readonly target: string | undefined;
  readonly policy: SnapshotEvaluateOptions;
  readonly env: NodeJS.ProcessEnv;
  /** Where the readiness functions' warnings go (stderr, unless quiet). */
  readonly warn: (message: string) => void;
  /** The run's clients: one per cloud and account for the whole report. */
  readonly clients: ClientPool;
}

/** What the reasons tell a CLI user to do once a problem is fixed. */
export const CLI_RERUN = "run upgrade-guard again";

/** Readiness of one cluster; an error becomes an undecided row, never a crash. */
export async function readinessRow(cluster: ClusterRef, options: ReadOptions): Promise<ClusterReport> {
  const { target, policy } = options;
  const base = {
    cloud: cluster.cloud,
    cluster: cluster.name ?? cluster.id,
    clusterId: cluster.id,
    ...(cluster.state === undefined ? {} : { clusterState: cluster.state }),
  };
  try {
    const readiness = await getUpgradeReadiness(
      {
        cloud: cluster.cloud,
        clusterId: cluster.id,
        ...(target === undefined ? {} : { targetVersion: target }),
        ...upgradeReadinessPolicyArgs(policy),
      },
      { env: options.env, warn: options.warn, clients: options.clients, rerun: CLI_RERUN },
    );
    return {
      ...base,
      ...(readiness.upgradesInFlight === undefined ? {} : { upgradeInProgress: true as const }),
      outcome: outcomeOf(readiness),
      readiness,
    };
  } catch (error) {
    return {
      ...base,
      ...(isUpgrading(cluster.state) ? { upgradeInProgress: true as const } : {}),
      ...(target === undefined ? {} : { targetVersion: target }),
      outcome: "undecided",
      error: errorOf(error),
    };
  }
}

/** The report object of a run: the rows, their counts and the gate's exit code. */
export function buildReport(
  command: "report" | "check",
  clusters: readonly ClusterReport[],
  meta: { readonly failOn: "fatal" | "warning"; readonly version: string; readonly now: Date },
): Report {
  const count = (outcome: Outcome) => clusters.filter((c) => c.outcome === outcome).length;
  const verdicts: Record<string, number> = Object.fromEntries(
    [...verdictSchema.options, "error"].map((verdict) => [verdict, 0]),
  );
  for (const c of clusters) {
    const verdict = c.readiness?.verdict ?? "error";
    verdicts[verdict] = (verdicts[verdict] ?? 0) + 1;
  }
  const undecided = count("undecided");
  const blocked = count("blocked");
  return reportSchema.parse({
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: meta.now.toISOString(),
    tool: { name: "upgrade-guard", version: meta.version },
    command,
    failOn: meta.failOn,
    summary: {
      total: clusters.length,
      safe: count("safe"),
      blocked,
      undecided,
      verdicts,
      gateExitCode:
        undecided > 0 ? OUTCOME_EXIT.undecided : blocked > 0 ? OUTCOME_EXIT.blocked : OUTCOME_EXIT.safe,
    },
    clusters,
  });
}
