/**
 * Test doubles for the policies' cloud lookup: snapshots built with the provider's REAL builders from
 * vendor-shaped check results (so the mapping and `evaluate` are the production ones), served from
 * memory with a log of every call.
 *
 * Why a fake lookup here: these are unit tests of the policies' branching (which inputs lead to which
 * lookup, unknowns, failures, waivers) and of their message formatting, where a fake makes each case
 * one line and shows exactly which calls were made. The real lookup (`CloudReadinessLookup`: the
 * provider's clients over HTTP, finding clusters by id and by name, paging, caching) is covered
 * against the emulator in test/policy/cloud-lookup.test.ts, and the policies with the real lookup in
 * test/policy/fail-closed-matrix.test.ts and the analyzer-process tests.
 */
import {
  buildAckSnapshot,
  buildCceSnapshot,
  type AckClusterCheck,
  type CceAddonCheckTask,
  type CcePrecheckTask,
  type CceAddonInstance,
  type ReadinessSnapshot,
} from "@upgrade-guard/provider";
import { type ClusterRef, type LiveCluster, type ReadinessLookup } from "../../src/policies/lookup";

export const NOW = Date.parse("2030-01-15T12:00:00.000Z");
export const minutesAgo = (minutes: number): string => new Date(NOW - minutes * 60_000).toISOString();
export const minutesFromNow = (minutes: number): string => new Date(NOW + minutes * 60_000).toISOString();

/** A CCE cluster on v1.29.5-r0 in cn-north-4: the one most policy tests judge, under their own id. */
export function liveCceCluster(clusterId: string, clusterName = "prod"): LiveCluster {
  return { cloud: "cce", clusterId, clusterName, region: "cn-north-4", currentVersion: "v1.29.5-r0" };
}

export interface PrecheckItem {
  readonly name: string;
  readonly level: "Info" | "Warning" | "Fatal";
  readonly kind?: "Exception" | "Risk";
  readonly phase?: "Success" | "Failed";
  readonly message?: string;
}

/** A CCE precheck task as ShowPreCheck returns it (after the client's normalization). */
export function ccePrecheck(options: {
  readonly id: string;
  readonly target: string;
  readonly phase?: string;
  readonly createdMinutesAgo?: number;
  readonly expiresInMinutes?: number;
  readonly items?: readonly PrecheckItem[];
}): CcePrecheckTask {
  const created = options.createdMinutesAgo ?? 5;
  return {
    metadata: {
      uid: options.id,
      creationTimestamp: minutesAgo(created),
      updateTimestamp: minutesAgo(created - 1),
    },
    spec: { targetVersion: options.target },
    status: {
      phase: options.phase ?? "Success",
      expireTimeStamp: minutesFromNow(options.expiresInMinutes ?? 55),
      clusterCheckStatus: {
        phase: options.phase ?? "Success",
        itemsStatus: (options.items ?? []).map((item) => ({
          name: item.name,
          level: item.level,
          kind: item.kind ?? (item.level === "Fatal" ? "Exception" : "Risk"),
          group: "MasterCheck",
          phase: item.phase ?? "Failed",
          message: item.message ?? `${item.name} needs attention`,
        })),
      },
    },
  } as CcePrecheckTask;
}

/** An ACK cluster check as GetClusterCheck returns it. */
export function ackCheck(options: {
  readonly id: string;
  readonly status?: string;
  readonly createdMinutesAgo?: number;
  readonly items?: readonly { name: string; level: string; message?: string }[];
}): AckClusterCheck {
  return {
    check_id: options.id,
    type: "ClusterUpgrade",
    status: options.status ?? "Succeeded",
    created_at: minutesAgo(options.createdMinutesAgo ?? 5),
    finished_at: minutesAgo((options.createdMinutesAgo ?? 5) - 1),
    check_items: {
      ClusterComponents: (options.items ?? []).map((item) => ({
        name: item.name,
        level: item.level,
        message: item.message ?? `${item.name} needs attention`,
      })),
    },
  } as AckClusterCheck;
}

/** The cluster as both clouds' snapshot builders take it. */
function snapshotCluster(cluster: LiveCluster) {
  return {
    id: cluster.clusterId,
    name: cluster.clusterName ?? cluster.clusterId,
    region: cluster.region,
    currentVersion: cluster.currentVersion,
  };
}

export function cceSnapshot(
  cluster: LiveCluster,
  target: string,
  precheck?: CcePrecheckTask,
): ReadinessSnapshot {
  return buildCceSnapshot({
    cluster: snapshotCluster(cluster),
    targetVersion: target,
    ...(precheck === undefined ? {} : { precheck }),
    now: NOW,
  });
}

export function ackSnapshot(
  cluster: LiveCluster,
  target: string,
  check?: AckClusterCheck,
): ReadinessSnapshot {
  return buildAckSnapshot({
    cluster: snapshotCluster(cluster),
    targetVersion: target,
    ...(check === undefined ? {} : { check, checkTargetVersion: target }),
    now: NOW,
  });
}

export interface FakeCluster {
  readonly cluster: LiveCluster;
  /** The snapshot for a target; absent = "no check". */
  readonly snapshot?: (target: string) => ReadinessSnapshot;
  readonly addonTasks?: readonly CceAddonCheckTask[];
  /** Installed add-ons (ListAddonInstances): template name and version. */
  readonly addons?: readonly { readonly template: string; readonly version: string }[];
  /** Make every call about this cluster fail with this error. */
  readonly error?: Error;
}

export class FakeLookup implements ReadinessLookup {
  readonly calls: string[] = [];

  constructor(private readonly clusters: readonly FakeCluster[]) {}

  private byRef(ref: ClusterRef): FakeCluster | undefined {
    return this.clusters.find(
      (c) =>
        c.cluster.cloud === ref.cloud &&
        (ref.clusterId !== undefined
          ? c.cluster.clusterId === ref.clusterId
          : c.cluster.clusterName === ref.clusterName),
    );
  }

  async findCluster(ref: ClusterRef): Promise<LiveCluster | undefined> {
    this.calls.push(`findCluster ${ref.clusterId ?? `name=${ref.clusterName ?? ""}`}`);
    const found = this.byRef(ref);
    if (found?.error !== undefined) throw found.error;
    if (found === undefined && ref.clusterId !== undefined) throw new Error(`no cluster ${ref.clusterId}`);
    return found?.cluster;
  }

  async clusterSnapshot(cluster: LiveCluster, target: string): Promise<ReadinessSnapshot> {
    this.calls.push(`clusterSnapshot ${cluster.clusterId} ${target}`);
    const found = this.byRef({ cloud: cluster.cloud, clusterId: cluster.clusterId });
    if (found?.error !== undefined) throw found.error;
    const build = cluster.cloud === "cce" ? cceSnapshot : ackSnapshot;
    return found?.snapshot?.(target) ?? build(cluster, target);
  }

  async addonChecks(cluster: { clusterId: string }): Promise<readonly CceAddonCheckTask[]> {
    this.calls.push(`addonChecks ${cluster.clusterId}`);
    const found = this.byRef({ cloud: "cce", clusterId: cluster.clusterId });
    if (found?.error !== undefined) throw found.error;
    return found?.addonTasks ?? [];
  }

  async addonInstances(cluster: { clusterId: string }): Promise<readonly CceAddonInstance[]> {
    this.calls.push(`addonInstances ${cluster.clusterId}`);
    const found = this.byRef({ cloud: "cce", clusterId: cluster.clusterId });
    if (found?.error !== undefined) throw found.error;
    return (found?.addons ?? []).map((addon, i) => ({
      metadata: { uid: `inst-${i + 1}` },
      spec: { addonTemplateName: addon.template, version: addon.version },
    }));
  }
}

/** A lookup that knows one cluster, whose latest check for any target is this precheck. */
export function lookupWithPrecheck(cluster: LiveCluster, precheck: CcePrecheckTask): FakeLookup {
  return new FakeLookup([{ cluster, snapshot: (target) => cceSnapshot(cluster, target, precheck) }]);
}
