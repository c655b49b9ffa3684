/**
 * What the policies need from the clouds, as an interface: the cluster (to read its current version)
 * and the facts about its checks for a target. The default implementation (cloud-lookup.ts) calls the
 * provider's clients with credentials and endpoints from the environment and caches per cluster;
 * tests may pass their own.
 */
import { type CceAddonCheckTask, type EvaluableSnapshot } from "@upgrade-guard/provider";
import { type CloudName } from "./resource-types";

/** How a resource points at its cluster. */
export interface ClusterRef {
  readonly cloud: CloudName;
  readonly clusterId?: string;
  /** Used when there is no id: the cluster is found by name through the list APIs. */
  readonly clusterName?: string;
  /** From the resource or its provider; otherwise the environment's region applies. */
  readonly region?: string;
}

/** A cluster as the cloud reports it now. */
export interface LiveCluster {
  readonly cloud: CloudName;
  readonly clusterId: string;
  readonly clusterName?: string;
  /**
   * The region the cluster was read in, as the client resolved it (the one asked for, else the
   * environment's, e.g. `HW_REGION_NAME`): messages name it, and the cache keys on it.
   */
  readonly region: string;
  /** The region the lookup's client was created for; `undefined` = the environment's. */
  readonly requestRegion?: string;
  readonly currentVersion: string;
  /** ACK `next_version`: the version the cluster can move to. */
  readonly nextVersion?: string;
}

export interface ReadinessLookup {
  /**
   * Optional: the region a lookup for `region` (`undefined`: the environment's) calls, or
   * `undefined` when it cannot be resolved. Messages about a failed lookup use it to name the real
   * region of a resource that names none.
   */
  regionOf?(cloud: CloudName, region?: string): string | undefined;
  /**
   * The cluster `ref` points at. Resolves `undefined` only when it was looked up by NAME and no
   * cluster has that name (a cluster about to be created: nothing to upgrade). A cluster id that does
   * not exist rejects with the API's not-found error.
   */
  findCluster(ref: ClusterRef): Promise<LiveCluster | undefined>;
  /**
   * The readiness facts for moving `cluster` to `targetVersion`: the latest matching check with its
   * findings, as a snapshot for `evaluate`.
   */
  clusterSnapshot(cluster: LiveCluster, targetVersion: string): Promise<EvaluableSnapshot>;
  /** Every add-on upgrade check (`addonUpgrade`) of a CCE cluster. */
  addonChecks(
    cluster: Pick<ClusterRef, "clusterId" | "region"> & { readonly clusterId: string },
  ): Promise<readonly CceAddonCheckTask[]>;
}
