// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}
// @API CCE GET /api/v3/projects/{project_id}/clusters
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/precheck/tasks
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/addons/precheck/tasks
// @API ACK GET /clusters/{cluster_id}
// @API ACK GET /api/v1/clusters
// @API ACK GET /clusters/{cluster_id}/checks
// @API ACK GET /clusters/{cluster_id}/checks/{check_id}
/**
 * The policies' window on the clouds: finds a cluster (by id, or by name through the list APIs),
 * reads its current version and its checks through the provider's typed clients, and builds the
 * readiness snapshot with the provider's builders. Credentials, region and endpoints come from the
 * environment of the analyzer process (the Pulumi CLI passes its own environment on), exactly as the
 * clients read them when given no settings; a resource's own region (or its provider's) overrides
 * the region. Messages and cache keys use the region the client resolved (`client.region`), so a
 * cluster is named with its real region, and a resource that names the region shares the lookup of
 * one that relies on the environment's when both come to the same region.
 *
 * Finding an ACK cluster by name reads every page of DescribeClustersV1 (at most
 * MAX_ACK_LIST_PAGES) before concluding that none has that name.
 *
 * Every answer is cached per process (lookup-cache.ts): one cluster costs one set of calls however
 * many resources point at it, and concurrent Analyze calls share the calls in flight.
 *
 * Every step (find a cluster, all pages included; list its checks; read a check) runs under one
 * deadline (`deadlineMs`, default 120 s), so a hung or throttling API fails the step, and the policy
 * blocks with "run the preview again", instead of holding the preview for many per-call deadlines.
 */
import {
  type AckClusterCheck,
  type AckClusterCheckSummary,
  type AckClusterDetail,
  buildAckSnapshot,
  buildCceSnapshot,
  type CceAddonCheckTask,
  type CceCluster,
  type CcePrecheckTask,
  type CallOptions,
  createAckClient,
  createCceClient,
  type EvaluableSnapshot,
  formatDuration,
  selectLatestCheck,
  targetMatches,
  UpgradeGuardError,
} from "@upgrade-guard/provider";
import { LookupCache, type LookupCacheOptions } from "./lookup-cache";
import { type ClusterRef, type LiveCluster, type ReadinessLookup } from "./lookup";
import { type CloudName } from "./resource-types";

type CceClient = ReturnType<typeof createCceClient>;
type AckClient = ReturnType<typeof createAckClient>;

export interface CloudLookupOptions extends LookupCacheOptions {
  /** Environment the clients read credentials, region and endpoints from; `process.env` by default. */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Extra options for both clients: cloud-neutral ones only (e.g. `transport`), since each client
   * refuses keys it does not know. Cloud-specific ones go in `cceClientOptions` / `ackClientOptions`.
   */
  readonly clientOptions?: Readonly<Record<string, unknown>>;
  /** Extra options of the CCE client only (e.g. `projectId`); applied over `clientOptions`. */
  readonly cceClientOptions?: Readonly<Record<string, unknown>>;
  /** Extra options of the ACK client only (e.g. `accessKeyId`); applied over `clientOptions`. */
  readonly ackClientOptions?: Readonly<Record<string, unknown>>;
  /** Page size of DescribeClustersV1 when finding an ACK cluster by name (1-100, default 100). */
  readonly ackPageSize?: number;
  /**
   * Deadline of each lookup step (finding a cluster, with every page of a by-name search; listing its
   * checks; reading one check), retries and rate-limit waits included. Past it the step fails with
   * `DEADLINE_EXCEEDED` and the policy blocks, so a hung API cannot hold `pulumi preview` for longer.
   * Default {@link DEFAULT_LOOKUP_DEADLINE_MS}.
   */
  readonly deadlineMs?: number;
}

/** Default deadline of one lookup step: the transport's own per-call deadline. */
export const DEFAULT_LOOKUP_DEADLINE_MS = 120_000;

/**
 * At most this many pages of DescribeClustersV1 are read to find a cluster by name (5,000 clusters
 * at the default page size); past that the lookup fails rather than answer "no such cluster".
 */
export const MAX_ACK_LIST_PAGES = 50;

/** ACK check types that look at a cluster (control-plane) upgrade. */
const ACK_UPGRADE_CHECK_TYPES: ReadonlySet<string> = new Set(["ClusterUpgrade", "MasterUpgrade"]);

export class CloudReadinessLookup implements ReadinessLookup {
  private readonly clusters: LookupCache<LiveCluster | undefined>;
  private readonly cceChecks: LookupCache<readonly CcePrecheckTask[]>;
  private readonly ackChecks: LookupCache<readonly AckClusterCheckSummary[]>;
  private readonly ackCheckDetails: LookupCache<AckClusterCheck>;
  private readonly addonTasks: LookupCache<readonly CceAddonCheckTask[]>;
  /** ListClusters answers per region: one call serves every CCE cluster looked up by name. */
  private readonly cceClusterLists: LookupCache<readonly CceCluster[]>;
  private readonly cceClients = new Map<string, CceClient>();
  private readonly ackClients = new Map<string, AckClient>();

  private readonly deadlineMs: number;

  constructor(private readonly options: CloudLookupOptions = {}) {
    const deadlineMs = options.deadlineMs ?? DEFAULT_LOOKUP_DEADLINE_MS;
    if (!Number.isFinite(deadlineMs) || deadlineMs <= 0) {
      throw new UpgradeGuardError(
        "CONFIG_INVALID",
        `CloudReadinessLookup: deadlineMs must be a positive number of milliseconds, got ${String(deadlineMs)}`,
      );
    }
    this.deadlineMs = deadlineMs;
    this.clusters = new LookupCache(options);
    this.cceChecks = new LookupCache(options);
    this.ackChecks = new LookupCache(options);
    this.ackCheckDetails = new LookupCache(options);
    this.addonTasks = new LookupCache(options);
    this.cceClusterLists = new LookupCache(options);
  }

  /** Cache misses so far (each is one set of API calls), for tests and the benchmark. */
  get loads(): number {
    return (
      this.clusters.loads +
      this.cceChecks.loads +
      this.ackChecks.loads +
      this.ackCheckDetails.loads +
      this.addonTasks.loads +
      this.cceClusterLists.loads
    );
  }

  /**
   * The region a lookup for `region` (a resource's, or `undefined` for the environment's) calls, as
   * the client resolved it; `undefined` when the configuration cannot be resolved (the lookup then
   * fails with the client's `ConfigError`).
   */
  regionOf(cloud: CloudName, region?: string): string | undefined {
    try {
      return this.resolvedRegion(cloud, region);
    } catch {
      return undefined;
    }
  }

  async findCluster(ref: ClusterRef): Promise<LiveCluster | undefined> {
    // No region, credentials or project: this rejects before anything is asked or cached.
    const region = this.resolvedRegion(ref.cloud, ref.region);
    const key =
      ref.clusterId !== undefined
        ? `${ref.cloud}|${region}|id:${ref.clusterId}`
        : `${ref.cloud}|${region}|name:${ref.clusterName ?? ""}`;
    const what =
      ref.clusterId !== undefined
        ? `finding ${ref.cloud.toUpperCase()} cluster ${ref.clusterId}`
        : `finding the ${ref.cloud.toUpperCase()} cluster named "${ref.clusterName ?? ""}"`;
    return this.clusters.get(key, async () => {
      const cluster = await this.bounded(what, (call) =>
        ref.cloud === "cce" ? this.findCceCluster(ref, region, call) : this.findAckCluster(ref, region, call),
      );
      // A cluster found by name is the same cluster as the one with its id.
      if (cluster !== undefined && ref.clusterId === undefined) {
        this.clusters.set(`${ref.cloud}|${region}|id:${cluster.clusterId}`, cluster);
      }
      return cluster;
    });
  }

  async clusterSnapshot(cluster: LiveCluster, targetVersion: string): Promise<EvaluableSnapshot> {
    const now = Date.now();
    const facts = {
      id: cluster.clusterId,
      ...(cluster.clusterName === undefined ? {} : { name: cluster.clusterName }),
      region: cluster.region,
      currentVersion: cluster.currentVersion,
    };
    if (cluster.cloud === "cce") {
      const tasks = await this.cceChecks.get(this.clusterKey(cluster), () =>
        this.bounded(`listing the prechecks of CCE cluster ${cluster.clusterId}`, async (call) => {
          const list = await this.cce(cluster.requestRegion).listPreCheckTasks(
            { clusterId: cluster.clusterId },
            call,
          );
          return list.items;
        }),
      );
      const precheck = selectLatestCheck(tasks, {
        targetVersion,
        createdAt: (task) => task.metadata.creationTimestamp,
        targetOf: (task) => task.spec?.targetVersion,
      });
      return buildCceSnapshot({
        cluster: facts,
        targetVersion,
        ...(precheck === undefined ? {} : { precheck }),
        now,
      });
    }
    const summaries = await this.ackChecks.get(this.clusterKey(cluster), () =>
      this.bounded(`listing the checks of ACK cluster ${cluster.clusterId}`, async (call) => {
        const list = await this.ack(cluster.requestRegion).listClusterChecks(
          { clusterId: cluster.clusterId },
          call,
        );
        return list.checks;
      }),
    );
    // ACK lists do not say which version a check was for. A ClusterUpgrade check targets the
    // cluster's next version, so it can serve only a target that matches that version.
    const servesTarget =
      cluster.nextVersion !== undefined && targetMatches(targetVersion, cluster.nextVersion);
    const latest = servesTarget
      ? selectLatestCheck(
          summaries.filter((check) => check.type === undefined || ACK_UPGRADE_CHECK_TYPES.has(check.type)),
          {
            targetVersion,
            createdAt: (check) => check.created_at,
            targetOf: () => undefined,
            acceptUnknownTarget: true,
          },
        )
      : undefined;
    const check =
      latest === undefined
        ? undefined
        : await this.ackCheckDetails.get(`${this.clusterKey(cluster)}|${latest.check_id}`, () =>
            this.bounded(`reading check ${latest.check_id} of ACK cluster ${cluster.clusterId}`, (call) =>
              this.ack(cluster.requestRegion).getClusterCheck(
                { clusterId: cluster.clusterId, checkId: latest.check_id },
                call,
              ),
            ),
          );
    return buildAckSnapshot({
      cluster: facts,
      targetVersion,
      ...(check === undefined ? {} : { check }),
      ...(check === undefined || cluster.nextVersion === undefined
        ? {}
        : { checkTargetVersion: cluster.nextVersion }),
      now,
    });
  }

  async addonChecks(cluster: {
    readonly clusterId: string;
    readonly region?: string;
  }): Promise<readonly CceAddonCheckTask[]> {
    const region = this.resolvedRegion("cce", cluster.region);
    return this.addonTasks.get(`cce|${region}|${cluster.clusterId}`, () =>
      this.bounded(`listing the add-on checks of CCE cluster ${cluster.clusterId}`, async (call) => {
        const list = await this.cce(cluster.region).listAddonPrecheckTasks(
          { clusterId: cluster.clusterId, type: "addonUpgrade" },
          call,
        );
        return list.items;
      }),
    );
  }

  /**
   * Runs one lookup step under the lookup deadline: its requests get an abort signal that fires at
   * the deadline, and a step cut off that way fails as `DEADLINE_EXCEEDED`, naming what it was doing.
   */
  private async bounded<T>(what: string, step: (call: CallOptions) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.deadlineMs);
    try {
      return await step({ signal: controller.signal });
    } catch (error) {
      // ABORTED without our signal firing: a step shared through a cache (a region's CCE cluster
      // list) that an earlier caller's deadline cut off.
      const cutOff =
        controller.signal.aborted || (UpgradeGuardError.isInstance(error) && error.code === "ABORTED");
      if (!cutOff) throw error;
      throw new UpgradeGuardError(
        "DEADLINE_EXCEEDED",
        `${what} did not finish within the lookup deadline of ${formatDuration(this.deadlineMs)}`,
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /** The region of every cache key: one cluster is one entry however its region was given. */
  private clusterKey(cluster: LiveCluster): string {
    return `${cluster.cloud}|${cluster.region}|${cluster.clusterId}`;
  }

  /** The region the client for `region` resolved; throws its `ConfigError` (or `InputError`). */
  private resolvedRegion(cloud: CloudName, region: string | undefined): string {
    return cloud === "cce" ? this.cce(region).region : this.ack(region).region;
  }

  private cce(region: string | undefined): CceClient {
    const key = region ?? "";
    let client = this.cceClients.get(key);
    if (client === undefined) {
      client = createCceClient({
        ...this.options.clientOptions,
        ...this.options.cceClientOptions,
        ...(this.options.env === undefined ? {} : { env: this.options.env }),
        ...(region === undefined ? {} : { region }),
      });
      this.cceClients.set(key, client);
    }
    return client;
  }

  private ack(region: string | undefined): AckClient {
    const key = region ?? "";
    let client = this.ackClients.get(key);
    if (client === undefined) {
      client = createAckClient({
        ...this.options.clientOptions,
        ...this.options.ackClientOptions,
        ...(this.options.env === undefined ? {} : { env: this.options.env }),
        ...(region === undefined ? {} : { region }),
      });
      this.ackClients.set(key, client);
    }
    return client;
  }

  private async findCceCluster(
    ref: ClusterRef,
    region: string,
    call: CallOptions,
  ): Promise<LiveCluster | undefined> {
    const client = this.cce(ref.region);
    let cluster: CceCluster | undefined;
    if (ref.clusterId !== undefined) {
      cluster = await client.showCluster({ clusterId: ref.clusterId }, call);
    } else {
      const clusters = await this.cceClusterLists.get(
        region,
        async () => (await client.listClusters({}, call)).items,
      );
      cluster = onlyMatch(
        clusters.filter((item) => item.metadata.name === ref.clusterName),
        `CCE clusters named "${ref.clusterName ?? ""}"`,
      );
      if (cluster === undefined) return undefined;
    }
    return {
      cloud: "cce",
      clusterId: cluster.metadata.uid,
      ...(cluster.metadata.name === undefined ? {} : { clusterName: cluster.metadata.name }),
      region,
      ...(ref.region === undefined ? {} : { requestRegion: ref.region }),
      currentVersion: cluster.spec.version,
    };
  }

  private async findAckCluster(
    ref: ClusterRef,
    region: string,
    call: CallOptions,
  ): Promise<LiveCluster | undefined> {
    const client = this.ack(ref.region);
    let cluster: AckClusterDetail | undefined;
    if (ref.clusterId !== undefined) {
      cluster = await client.describeClusterDetail({ clusterId: ref.clusterId }, call);
    } else {
      cluster = onlyMatch(
        await ackClustersNamed(client, ref.clusterName ?? "", this.options.ackPageSize ?? 100, call),
        `ACK clusters named "${ref.clusterName ?? ""}"`,
      );
      if (cluster === undefined) return undefined;
    }
    return {
      cloud: "ack",
      clusterId: cluster.cluster_id,
      ...(cluster.name === undefined ? {} : { clusterName: cluster.name }),
      region,
      ...(ref.region === undefined ? {} : { requestRegion: ref.region }),
      currentVersion: cluster.current_version,
      ...(cluster.next_version === undefined ? {} : { nextVersion: cluster.next_version }),
    };
  }
}

/**
 * Every ACK cluster with exactly this name. The API's `name` filter is a fuzzy match, so the exact
 * one may be on any page: all pages are read (bounded) before concluding there is none.
 */
async function ackClustersNamed(
  client: AckClient,
  name: string,
  pageSize: number,
  call: CallOptions,
): Promise<AckClusterDetail[]> {
  const matches: AckClusterDetail[] = [];
  let seen = 0;
  for (let pageNumber = 1; pageNumber <= MAX_ACK_LIST_PAGES; pageNumber++) {
    const page = await client.describeClustersV1({ name, pageSize, pageNumber }, call);
    matches.push(...page.clusters.filter((item) => item.name === name));
    seen += page.clusters.length;
    const total = page.page_info?.total_count;
    const lastPage = page.clusters.length < pageSize || (total !== undefined && seen >= total);
    if (lastPage) return matches;
  }
  throw new Error(
    `more than ${MAX_ACK_LIST_PAGES} pages of ACK clusters match the name "${name}", so upgrade-guard cannot ` +
      `tell whether one is named exactly that; give the resource's cluster a more distinctive name`,
  );
}

function onlyMatch<T>(matches: readonly T[], what: string): T | undefined {
  if (matches.length > 1) {
    throw new Error(`${matches.length} ${what} exist; give the resource a cluster id or a unique name`);
  }
  return matches[0];
}

let shared: CloudReadinessLookup | undefined;

/**
 * The process-wide lookup every policy shares by default (one cache for the cluster, add-on and
 * freshness policies). Created at first use, so a stack without covered resources never reads
 * credentials.
 */
export function defaultLookup(): CloudReadinessLookup {
  shared ??= new CloudReadinessLookup();
  return shared;
}

/** Test hook: forget the shared lookup (and its cache). */
export function resetDefaultLookup(): void {
  shared = undefined;
}
