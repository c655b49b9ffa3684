// @API CCE GET /api/v3/projects/{project_id}/clusters
// @API ACK GET /api/v1/clusters
/**
 * Finds the clusters to report on and computes each one's readiness through `getUpgradeReadiness`
 * (the one facts gatherer reads the cloud, and `evaluate`, the one verdict function, decides; an
 * upgrade in flight is one of its reasons).
 */
import {
  ConfigError,
  createAckClient,
  createCceClient,
  getUpgradeReadiness,
  UpgradeGuardError,
  type EvaluateOptions,
} from "@upgrade-guard/provider";
import { type ReportRow } from "./render";

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

async function listCce(env: NodeJS.ProcessEnv): Promise<ClusterRef[]> {
  const cce = createCceClient({ env });
  try {
    const { items } = await cce.listClusters();
    return items.map((c) => ({
      cloud: "cce" as const,
      id: c.metadata.uid,
      ...(c.metadata.name === undefined ? {} : { name: c.metadata.name }),
      ...(c.status?.phase === undefined ? {} : { state: c.status.phase }),
    }));
  } finally {
    await cce.close();
  }
}

async function listAck(env: NodeJS.ProcessEnv, name?: string): Promise<ClusterRef[]> {
  const ack = createAckClient({ env });
  try {
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
  } finally {
    await ack.close();
  }
}

function list(cloud: "cce" | "ack", env: NodeJS.ProcessEnv): Promise<ClusterRef[]> {
  return cloud === "cce" ? listCce(env) : listAck(env);
}

/**
 * Every cluster of the requested clouds. Without `--cloud`, a cloud that is not configured at all is
 * skipped (a team may use only one); with `--cloud` its configuration error is reported.
 */
export async function discoverClusters(
  cloud: "cce" | "ack" | undefined,
  env: NodeJS.ProcessEnv,
): Promise<{ clusters: ClusterRef[]; skipped: string[] }> {
  const clouds = cloud === undefined ? (["cce", "ack"] as const) : [cloud];
  const clusters: ClusterRef[] = [];
  const skipped: string[] = [];
  for (const c of clouds) {
    try {
      clusters.push(...(await list(c, env)));
    } catch (error) {
      if (cloud === undefined && error instanceof ConfigError && error.code === "CONFIG_MISSING") {
        skipped.push(`${c}: ${error.message.split("\n")[0]}`);
      } else throw error;
    }
  }
  return { clusters, skipped };
}

/** Finds a cluster by id or by name; a name that matches two clusters is an error. */
export async function resolveCluster(
  cloud: "cce" | "ack" | undefined,
  idOrName: string,
  env: NodeJS.ProcessEnv,
): Promise<ClusterRef> {
  const { clusters } = await discoverClusters(cloud, env);
  const byId = clusters.filter((c) => c.id === idOrName);
  const matches = byId.length > 0 ? byId : clusters.filter((c) => c.name === idOrName);
  const [only, ...others] = matches;
  if (only !== undefined && others.length === 0) return only;
  if (only === undefined)
    throw new LookupError(`no ${cloud ?? "CCE or ACK"} cluster has the id or name "${idOrName}"`);
  throw new LookupError(
    `"${idOrName}" names ${matches.length} clusters (${matches.map((m) => `${m.cloud} ${m.id}`).join(", ")}); use the id`,
  );
}

export class LookupError extends Error {}

function errorText(error: unknown): string {
  if (UpgradeGuardError.isInstance(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** Readiness of one cluster; an error becomes a row that counts as blocked, never a crash. */
export async function readinessRow(
  cluster: ClusterRef,
  target: string | undefined,
  policy: EvaluateOptions,
  env: NodeJS.ProcessEnv,
): Promise<ReportRow> {
  const state = { ...(cluster.state === undefined ? {} : { clusterState: cluster.state }) };
  try {
    const readiness = await getUpgradeReadiness(
      {
        cloud: cluster.cloud,
        clusterId: cluster.id,
        ...(target === undefined ? {} : { targetVersion: target }),
        ...(policy.blockingSeverities === undefined ? {} : { blockingSeverities: policy.blockingSeverities }),
        ...(policy.maxAgeMs === undefined ? {} : { maxAgeMinutes: policy.maxAgeMs / 60_000 }),
        ...(policy.missingCheckBlocks === undefined ? {} : { missingCheckBlocks: policy.missingCheckBlocks }),
        ...(policy.pendingBlocks === undefined ? {} : { pendingBlocks: policy.pendingBlocks }),
        ...(policy.waivers === undefined ? {} : { waivers: policy.waivers }),
      },
      { env, warn: (message) => process.stderr.write(`warning: ${message}\n`) },
    );
    return {
      cloud: cluster.cloud,
      cluster: cluster.name ?? cluster.id,
      ...state,
      ...(readiness.upgradesInFlight === undefined ? {} : { upgradeInProgress: true as const }),
      readiness,
    };
  } catch (error) {
    return {
      cloud: cluster.cloud,
      cluster: cluster.name ?? cluster.id,
      ...state,
      ...(isUpgrading(cluster.state) ? { upgradeInProgress: true as const } : {}),
      ...(target === undefined ? {} : { targetVersion: target }),
      error: errorText(error),
    };
  }
}
