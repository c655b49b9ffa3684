// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}
// @API CCE GET /api/v3/projects/{project_id}/clusters
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/addons/precheck/tasks
// @API CCE GET /api/v3/addons
// @API ACK GET /clusters/{cluster_id}
// @API ACK GET /api/v1/clusters
// @API ACK GET /clusters/{cluster_id}/nodepools/{nodepool_id}
/**
 * The policies' window on the clouds: finds a cluster (by id, or by name through the list APIs) and
 * reads its readiness facts for a target with the provider's ONE facts gatherer
 * (`readCceReadiness` / `readAckReadiness`, the same reads `getUpgradeReadiness` and the upgrade
 * resources' gate make), so the policy judges exactly what the program and the gate see.
 * Credentials, region and endpoints come from the environment of the analyzer process (the Pulumi CLI
 * passes its own environment on), exactly as the clients read them when given no settings, or from
 * the credential source of a configured account (environment variable names or a vendor CLI
 * profile); a resource's own region (or its provider's) overrides the region. Messages and cache keys use the region the client resolved (`client.region`), so a
 * cluster is named with its real region, and a resource that names the region shares the lookup of
 * one that relies on the environment's when both come to the same region.
 *
 * Finding an ACK cluster by name reads every page of DescribeClustersV1 (at most
 * MAX_ACK_LIST_PAGES) before concluding that none has that name.
 *
 * Every answer is cached per process (lookup-cache.ts): one cluster and target cost one gathering
 * however many resources point at them, and concurrent Analyze calls share the calls in flight.
 *
 * Every step (find a cluster, all pages included; gather its facts for a target) runs under one
 * deadline (`deadlineMs`, default 120 s), so a hung or throttling API fails the step, and the policy
 * blocks with "run the preview again", instead of holding the preview for many per-call deadlines.
 */
import {
  type AckClusterDetail,
  type CallOptions,
  type CceAddonCheckTask,
  type CceAddonInstance,
  type CceCluster,
  canonicalJson,
  createAckClient,
  createCceClient,
  formatDuration,
  MAX_TIMER_MS,
  readAckReadiness,
  readAllPages,
  readCceReadiness,
  type ReadinessSnapshot,
  resolveAckCredentialSource,
  resolveCceCredentialSource,
  UpgradeGuardError,
} from "@upgrade-guard/provider";
import { LookupCache, type LookupCacheOptions } from "./lookup-cache";
import {
  type AccountSelection,
  type AddonClusterRef,
  type ClusterRef,
  type LiveCluster,
  type ReadinessLookup,
} from "./lookup";
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
   * Deadline of each lookup step (finding a cluster, with every page of a by-name search; gathering
   * its facts for a target), retries and rate-limit waits included. Past it the step fails with
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

/** A cluster found by id, with the vendor's object the facts gatherer can reuse. */
interface FoundCluster {
  readonly live: LiveCluster;
  readonly detail?: CceCluster | AckClusterDetail;
}

export class CloudReadinessLookup implements ReadinessLookup {
  private readonly clusters: LookupCache<FoundCluster | undefined>;
  private readonly snapshots: LookupCache<ReadinessSnapshot>;
  private readonly addonTasks: LookupCache<readonly CceAddonCheckTask[]>;
  private readonly addons: LookupCache<readonly CceAddonInstance[]>;
  /** ListClusters answers per account and region: one call serves every CCE cluster looked up by name. */
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
    // Node fires a longer timer after 1 ms: every lookup would fail at once as past its deadline.
    if (deadlineMs > MAX_TIMER_MS) {
      throw new UpgradeGuardError(
        "CONFIG_INVALID",
        `CloudReadinessLookup: deadlineMs must be at most ${MAX_TIMER_MS} ms (about 24.8 days), got ${String(deadlineMs)}`,
      );
    }
    this.deadlineMs = deadlineMs;
    this.clusters = new LookupCache(options);
    this.snapshots = new LookupCache(options);
    this.addonTasks = new LookupCache(options);
    this.addons = new LookupCache(options);
    this.cceClusterLists = new LookupCache(options);
  }

  /** Cache misses so far (each is one set of API calls), for tests and the benchmark. */
  get loads(): number {
    return (
      this.clusters.loads +
      this.snapshots.loads +
      this.addonTasks.loads +
      this.addons.loads +
      this.cceClusterLists.loads
    );
  }

  /** How many times the facts gatherer ran: one per distinct cluster and target, for the benchmark. */
  get gatherings(): number {
    return this.snapshots.loads;
  }

  /**
   * The region a lookup for `region` (a resource's, or `undefined` for the environment's or the
   * account's) calls, as the client resolved it; `undefined` when the configuration cannot be
   * resolved (the lookup then fails with the client's `ConfigError`).
   */
  regionOf(cloud: CloudName, region?: string, account?: AccountSelection): string | undefined {
    try {
      return this.resolvedRegion(cloud, region, account);
    } catch {
      return undefined;
    }
  }

  async findCluster(ref: ClusterRef): Promise<LiveCluster | undefined> {
    // No region, credentials or project: this rejects before anything is asked or cached.
    const region = this.resolvedRegion(ref.cloud, ref.region, ref.account, ref.projectId);
    const scope = `${ref.cloud}|${accountKey(ref.account, ref.projectId)}|${region}`;
    const key =
      ref.clusterId !== undefined ? `${scope}|id:${ref.clusterId}` : `${scope}|name:${ref.clusterName ?? ""}`;
    const what =
      ref.clusterId !== undefined
        ? `finding ${ref.cloud.toUpperCase()} cluster ${ref.clusterId}`
        : `finding the ${ref.cloud.toUpperCase()} cluster named "${ref.clusterName ?? ""}"`;
    const found = await this.clusters.get(key, async () => {
      const cluster = await this.bounded(what, (call) =>
        ref.cloud === "cce" ? this.findCceCluster(ref, region, call) : this.findAckCluster(ref, region, call),
      );
      // A cluster found by name is the same cluster as the one with its id.
      if (cluster !== undefined && ref.clusterId === undefined) {
        this.clusters.set(`${scope}|id:${cluster.live.clusterId}`, cluster);
      }
      return cluster;
    });
    return found?.live;
  }

  async clusterSnapshot(cluster: LiveCluster, targetVersion: string): Promise<ReadinessSnapshot> {
    const key = `${this.clusterKey(cluster)}|${targetVersion}`;
    return this.snapshots.get(key, async () => {
      const scope = `${cluster.cloud}|${accountKey(cluster.account, cluster.requestProjectId)}|${cluster.region}`;
      // The object read by id, when there is one: the gatherer need not read the cluster again.
      const found = await this.clusters.peek(`${scope}|id:${cluster.clusterId}`)?.catch(() => undefined);
      const detail = found?.detail;
      const what = `reading the readiness of ${cluster.cloud.toUpperCase()} cluster ${cluster.clusterId} for ${targetVersion}`;
      return this.bounded(what, (call) =>
        cluster.cloud === "cce"
          ? readCceReadiness(this.cce(cluster.requestRegion, cluster.account, cluster.requestProjectId), {
              clusterId: cluster.clusterId,
              targetVersion,
              ...(detail === undefined ? {} : { cluster: detail as CceCluster }),
              call,
            })
          : readAckReadiness(this.ack(cluster.requestRegion, cluster.account), {
              clusterId: cluster.clusterId,
              targetVersion,
              ...(detail === undefined ? {} : { cluster: detail as AckClusterDetail }),
              call,
            }),
      );
    });
  }

  async nodePoolSnapshot(
    cluster: LiveCluster,
    nodePoolId: string,
    targetVersion: string,
  ): Promise<ReadinessSnapshot> {
    if (cluster.cloud !== "ack") {
      throw new UpgradeGuardError(
        "CONFIG_INVALID",
        `node pool readiness is read for ACK clusters only, not ${cluster.cloud.toUpperCase()} cluster ${cluster.clusterId}`,
      );
    }
    const key = `${this.clusterKey(cluster)}|pool:${nodePoolId}|${targetVersion}`;
    return this.snapshots.get(key, async () => {
      const scope = `${cluster.cloud}|${accountKey(cluster.account)}|${cluster.region}`;
      const found = await this.clusters.peek(`${scope}|id:${cluster.clusterId}`)?.catch(() => undefined);
      const detail = found?.detail as AckClusterDetail | undefined;
      const what = `reading the readiness of node pool ${nodePoolId} of ACK cluster ${cluster.clusterId} for ${targetVersion}`;
      return this.bounded(what, (call) =>
        readAckReadiness(this.ack(cluster.requestRegion, cluster.account), {
          clusterId: cluster.clusterId,
          nodePoolId,
          targetVersion,
          ...(detail === undefined ? {} : { cluster: detail }),
          call,
        }),
      );
    });
  }

  async addonChecks(cluster: AddonClusterRef): Promise<readonly CceAddonCheckTask[]> {
    const region = this.resolvedRegion("cce", cluster.region, cluster.account);
    return this.addonTasks.get(`cce|${accountKey(cluster.account)}|${region}|${cluster.clusterId}`, () =>
      this.bounded(`listing the add-on checks of CCE cluster ${cluster.clusterId}`, async (call) => {
        const list = await this.cce(cluster.region, cluster.account).listAddonPrecheckTasks(
          { clusterId: cluster.clusterId, type: "addonUpgrade" },
          call,
        );
        return list.items;
      }),
    );
  }

  async addonInstances(cluster: AddonClusterRef): Promise<readonly CceAddonInstance[]> {
    const region = this.resolvedRegion("cce", cluster.region, cluster.account);
    return this.addons.get(`cce|${accountKey(cluster.account)}|${region}|${cluster.clusterId}`, () =>
      this.bounded(`listing the add-ons of CCE cluster ${cluster.clusterId}`, async (call) => {
        const list = await this.cce(cluster.region, cluster.account).listAddonInstances(
          { clusterId: cluster.clusterId },
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

  /** The account and region of every cache key: one cluster is one entry however its region was given. */
  private clusterKey(cluster: LiveCluster): string {
    return `${cluster.cloud}|${accountKey(cluster.account, cluster.requestProjectId)}|${cluster.region}|${cluster.clusterId}`;
  }

  /** The region the client for `region` resolved; throws its `ConfigError` (or `InputError`). */
  private resolvedRegion(
    cloud: CloudName,
    region: string | undefined,
    account: AccountSelection | undefined,
    projectId?: string,
  ): string {
    return cloud === "cce" ? this.cce(region, account, projectId).region : this.ack(region, account).region;
  }

  /** A CCE client for the region, account and project (`undefined`: the environment's or account's). */
  private cce(
    region: string | undefined,
    account: AccountSelection | undefined,
    projectId?: string,
  ): CceClient {
    const key = `${accountKey(account, projectId)}|${region ?? ""}`;
    let client = this.cceClients.get(key);
    if (client === undefined) {
      const env = this.options.env ?? process.env;
      const credentials =
        account === undefined
          ? {}
          : {
              ...(account.projectId === undefined ? {} : { projectId: account.projectId }),
              ...resolveCceCredentialSource(account.credentials, env),
            };
      client = createCceClient({
        ...this.options.clientOptions,
        ...this.options.cceClientOptions,
        ...credentials,
        ...(this.options.env === undefined ? {} : { env: this.options.env }),
        ...(region === undefined ? {} : { region }),
        ...(projectId === undefined ? {} : { projectId }),
      });
      this.cceClients.set(key, client);
    }
    return client;
  }

  private ack(region: string | undefined, account: AccountSelection | undefined): AckClient {
    const key = `${accountKey(account)}|${region ?? ""}`;
    let client = this.ackClients.get(key);
    if (client === undefined) {
      const env = this.options.env ?? process.env;
      const credentials = account === undefined ? {} : resolveAckCredentialSource(account.credentials, env);
      client = createAckClient({
        ...this.options.clientOptions,
        ...this.options.ackClientOptions,
        ...credentials,
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
  ): Promise<FoundCluster | undefined> {
    const client = this.cce(ref.region, ref.account, ref.projectId);
    let cluster: CceCluster | undefined;
    if (ref.clusterId !== undefined) {
      cluster = await client.showCluster({ clusterId: ref.clusterId }, call);
    } else {
      const clusters = await this.cceClusterLists.get(
        `${accountKey(ref.account, ref.projectId)}|${region}`,
        async () => (await client.listClusters({}, call)).items,
      );
      cluster = onlyMatch(
        clusters.filter((item) => item.metadata.name === ref.clusterName),
        `CCE clusters named "${ref.clusterName ?? ""}"`,
      );
      if (cluster === undefined) return undefined;
    }
    const live: LiveCluster = {
      cloud: "cce",
      clusterId: cluster.metadata.uid,
      ...(cluster.metadata.name === undefined ? {} : { clusterName: cluster.metadata.name }),
      region,
      ...(ref.region === undefined ? {} : { requestRegion: ref.region }),
      ...(ref.account === undefined ? {} : { account: ref.account }),
      ...(ref.projectId === undefined ? {} : { requestProjectId: ref.projectId }),
      currentVersion: cluster.spec.version,
    };
    // Only an object read by id is handed to the gatherer: it reads what it needs itself otherwise.
    return ref.clusterId === undefined ? { live } : { live, detail: cluster };
  }

  private async findAckCluster(
    ref: ClusterRef,
    region: string,
    call: CallOptions,
  ): Promise<FoundCluster | undefined> {
    const client = this.ack(ref.region, ref.account);
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
    const live: LiveCluster = {
      cloud: "ack",
      clusterId: cluster.cluster_id,
      ...(cluster.name === undefined ? {} : { clusterName: cluster.name }),
      region,
      ...(ref.region === undefined ? {} : { requestRegion: ref.region }),
      ...(ref.account === undefined ? {} : { account: ref.account }),
      currentVersion: cluster.current_version,
      ...(cluster.next_version === undefined ? {} : { nextVersion: cluster.next_version }),
    };
    // A list entry may lack fields the gatherer's rules use (next_version): only a detail is reused.
    return ref.clusterId === undefined ? { live } : { live, detail: cluster };
  }
}

/**
 * The part of every key that says whose credentials: the environment's, or one account's source;
 * and, when a resource names one, the CCE project (the same cluster id in another project is another
 * answer).
 */
function accountKey(account: AccountSelection | undefined, projectId?: string): string {
  const whose =
    account === undefined
      ? "env"
      : `account:${account.name}:${canonicalJson(account.credentials)}:${account.projectId ?? ""}`;
  return projectId === undefined ? whose : `${whose}|project:${projectId}`;
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
  const listing = await readAllPages(
    async (pageNumber) => {
      const page = await client.describeClustersV1({ name, pageSize, pageNumber }, call);
      return { items: page.clusters, total: page.page_info?.total_count };
    },
    { pageSize, maxPages: MAX_ACK_LIST_PAGES, keyOf: (cluster) => cluster.cluster_id },
  );
  if (listing.stoppedBy === "empty-page") {
    throw new Error(
      `DescribeClustersV1 listed ${listing.items.length} of the ${listing.total ?? "?"} ACK clusters matching the name "${name}" and then ` +
        `an empty page, so upgrade-guard cannot tell whether one is named exactly that; run the preview again, ` +
        `or give the resource's cluster a more distinctive name`,
    );
  }
  if (listing.stoppedBy === "page-limit") {
    throw new Error(
      `more than ${MAX_ACK_LIST_PAGES} pages of ACK clusters match the name "${name}", so upgrade-guard cannot ` +
        `tell whether one is named exactly that; give the resource's cluster a more distinctive name`,
    );
  }
  return listing.items.filter((item) => item.name === name);
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
