// @API ACK GET /api/v1/metadata/versions
/**
 * The emulated ACK DescribeKubernetesVersionMetadata: the Kubernetes versions the caller's clusters
 * run or may upgrade to, each with its release and expiration (end of support) dates. A scenario sets
 * a version's window on a cluster (`versionSupport`); other versions were released 210 days before
 * the caller's oldest cluster in the region was created and are supported until 395 days after it
 * (365 days after seeding, for the default cluster age of 30 days): stable across requests, so
 * snapshots read at different times keep their digest, and far from their end.
 */
import { type ClusterRecord, type VersionSupportWindow } from "../../state/types";
import { compareVersions, matchesTarget } from "../../state/versions";
import { type Reply, type RouteRequest, type ServiceContext } from "../../server/router";
import { ackInvalid } from "../../server/vendor-errors";

const DAY_MS = 86_400_000;

/** ACK writes these dates as UTC seconds: `2026-01-30T00:00:00Z`. */
function utcSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function windowOf(version: string, clusters: readonly ClusterRecord[], now: number): VersionSupportWindow {
  for (const cluster of clusters) {
    const window = cluster.versionSupport?.[version];
    if (window !== undefined) return window;
  }
  const anchor = Math.min(now, ...clusters.map((c) => c.createdAt));
  return { releasedAt: anchor - 210 * DAY_MS, expiresAt: anchor + 395 * DAY_MS, creatable: true };
}

/** Versions a cluster on `version` may move to, as the caller's clusters on it say. */
function upgradableFrom(version: string, clusters: readonly ClusterRecord[]): string[] {
  const targets = new Set<string>();
  for (const cluster of clusters)
    if (matchesTarget(version, cluster.version)) for (const t of cluster.targetVersions) targets.add(t);
  return [...targets].sort(compareVersions);
}

export function describeKubernetesVersionMetadata(request: RouteRequest, context: ServiceContext): Reply {
  const q = request.query;
  const region = q.get("Region");
  const clusterType = q.get("ClusterType");
  if (region === null || region === "") throw ackInvalid("Region is required");
  if (clusterType === null || clusterType === "") throw ackInvalid("ClusterType is required");
  const account = request.principal.cloud === "alibaba" ? request.principal.account.name : "";
  const clusters = context.store
    .allClusters()
    .filter((c) => c.cloud === "ack" && c.account === account && c.region === region);
  const asked = q.get("KubernetesVersion");
  const mode = q.get("Mode") ?? "creatable";
  const withUpgradable = q.get("QueryUpgradableVersion") === "true";
  let versions: string[];
  if (asked !== null && asked !== "") {
    versions = [asked];
  } else {
    const known = new Set<string>();
    for (const c of clusters) for (const v of [c.version, ...c.targetVersions]) known.add(v);
    versions = [...known].sort(compareVersions);
  }
  const body = versions
    .map((version) => ({ version, window: windowOf(version, clusters, context.now) }))
    .filter(({ window }) =>
      asked !== null && asked !== ""
        ? true
        : mode === "supported"
          ? window.expiresAt > context.now
          : window.creatable,
    )
    .map(({ version, window }) => ({
      version,
      release_date: utcSeconds(window.releasedAt),
      expiration_date: utcSeconds(window.expiresAt),
      creatable: window.creatable,
      ...(withUpgradable ? { upgradable_versions: upgradableFrom(version, clusters) } : {}),
      capabilities: {},
      images: [],
      meta_data: {},
      runtimes: [{ name: "containerd", version: "1.6.28" }],
    }));
  return { status: 200, body };
}
