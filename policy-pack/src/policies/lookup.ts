/**
 * What the policies need from the clouds, as an interface: the cluster (to read its current version)
 * and the readiness facts for a target, read by the provider's one facts gatherer. The default
 * implementation (cloud-lookup.ts) calls the provider's clients with credentials and endpoints from
 * the environment, or from the credential source of a configured account, and caches per cluster and
 * target; tests may pass their own.
 */
import {
  type AckCredentialSource,
  type CceAddonCheckTask,
  type CceAddonInstance,
  type CceCredentialSource,
  type ReadinessSnapshot,
} from "@upgrade-guard/provider";
import { type CloudName } from "./resource-types";

/**
 * A cloud account other than the environment's, as the policy configuration names it: where its
 * credentials come from (environment variable names or a vendor CLI profile, never the secrets).
 */
export interface AccountSelection {
  /** The entry's name in the policy configuration: messages and cache keys use it. */
  readonly name: string;
  /** Where the account's keys come from. */
  readonly credentials: CceCredentialSource | AckCredentialSource;
  /** CCE: the project to use when the credential source does not name one. */
  readonly projectId?: string;
}

/** How a resource points at its cluster. */
export interface ClusterRef {
  readonly cloud: CloudName;
  readonly clusterId?: string;
  /** Used when there is no id: the cluster is found by name through the list APIs. */
  readonly clusterName?: string;
  /** From the resource or its provider; otherwise the environment's (or the account's) region applies. */
  readonly region?: string;
  /** The account to search; absent = the environment's credentials. */
  readonly account?: AccountSelection;
  /**
   * CCE: the project the resource itself names (upgrade-guard's `projectId` input); it wins over the
   * account's and the environment's, as it does for the resource.
   */
  readonly projectId?: string;
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
  /** The account it was read with; `undefined` = the environment's. */
  readonly account?: AccountSelection;
  /** CCE: the project it was read in when the resource named one (see `ClusterRef.projectId`). */
  readonly requestProjectId?: string;
  readonly currentVersion: string;
  /** ACK `next_version`: the version the cluster can move to. */
  readonly nextVersion?: string;
}

/** A CCE cluster by id, for the add-on reads. */
export type AddonClusterRef = Pick<ClusterRef, "region" | "account"> & { readonly clusterId: string };

export interface ReadinessLookup {
  /**
   * Optional: the region a lookup for `region` (`undefined`: the environment's or the account's)
   * calls, or `undefined` when it cannot be resolved. Messages about a failed lookup use it to name
   * the real region of a resource that names none.
   */
  regionOf?(cloud: CloudName, region?: string, account?: AccountSelection): string | undefined;
  /**
   * The cluster `ref` points at. Resolves `undefined` only when it was looked up by NAME and no
   * cluster has that name (a cluster about to be created: nothing to upgrade). A cluster id that does
   * not exist rejects with the API's not-found error.
   */
  findCluster(ref: ClusterRef): Promise<LiveCluster | undefined>;
  /**
   * The readiness facts for moving `cluster` to `targetVersion`, as the provider's facts gatherer
   * reads them (the same reads as `getUpgradeReadiness` and the upgrade resources' gate): latest
   * checks, add-on checks, upgrades in flight, and the digest of it all.
   */
  clusterSnapshot(cluster: LiveCluster, targetVersion: string): Promise<ReadinessSnapshot>;
  /**
   * The readiness facts for moving an ACK node pool of `cluster` to `targetVersion` (the pool's
   * kubelet version), as the provider's facts gatherer reads them with `nodePoolId`: the pool's and
   * the control plane's versions, the pool's latest NodePoolUpgrade check, upgrades in flight.
   * Optional: a lookup without it cannot judge node pools, and the policy blocks them.
   */
  nodePoolSnapshot?(
    cluster: LiveCluster,
    nodePoolId: string,
    targetVersion: string,
  ): Promise<ReadinessSnapshot>;
  /** Every add-on upgrade check (`addonUpgrade`) of a CCE cluster. */
  addonChecks(cluster: AddonClusterRef): Promise<readonly CceAddonCheckTask[]>;
  /** The add-ons installed on a CCE cluster, with their versions (ListAddonInstances). */
  addonInstances(cluster: AddonClusterRef): Promise<readonly CceAddonInstance[]>;
}
