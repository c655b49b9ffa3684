// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/nodes
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/nodepools
/**
 * The emulated CCE ListNodes and ListNodePools, enough to say which pool a node is in: the
 * scenario's `nodePools` (each with its nodes by name), and a default pool holding every other
 * node the cluster's prechecks name (the node a precheck item names in `node`, or the emulator's
 * default node). A node's uid is the one the precheck's `nodeInfo` and `NodeID` carry; its
 * `kubernetes.io/node-pool.id` annotation holds its pool's uid, or for a default-pool node the
 * synthetic `az#flavor#os` CCE writes there (docs/cce.md#node-pools).
 */
import { type Store } from "../../state/store";
import { type ClusterRecord, type PrecheckItemOutcome } from "../../state/types";
import { uuid } from "../../util/ids";

/** The node a precheck item is checked on when the scenario names none. */
export const DEFAULT_PRECHECK_NODE = "192.168.0.100";

/** The annotation naming a node's pool (written here from the vendor's pages, not the client's). */
const NODE_POOL_ANNOTATION = "kubernetes.io/node-pool.id";
const FLAVOR = "c7.large.2";
const OS = "EulerOS 2.9";

/** The node name a node-scoped precheck item is reported on. */
export function precheckNodeOf(item: PrecheckItemOutcome): string {
  return item.node ?? DEFAULT_PRECHECK_NODE;
}

/** The uid of a cluster's node, the same in ListNodes and in a precheck's `nodeInfo`/`NodeID`. */
export function nodeUid(clusterId: string, name: string): string {
  return uuid(`node:${clusterId}:${name}`);
}

/** Nodes of the default pool: the default node and every node a precheck names, outside custom pools. */
function defaultPoolNodes(cluster: ClusterRecord, store: Store): string[] {
  const pooled = new Set((cluster.cceNodePools ?? []).flatMap((pool) => pool.nodeNames));
  const named = new Set<string>([DEFAULT_PRECHECK_NODE]);
  const outcomes = [
    ...Object.values(cluster.outcomes).map((outcome) => outcome.precheck),
    ...store.ccePrechecks.ofCluster(cluster.id).map((record) => record.outcome),
  ];
  for (const outcome of outcomes)
    for (const item of outcome?.items ?? []) if (item.group === "NodeCheck") named.add(precheckNodeOf(item));
  return [...named].filter((name) => !pooled.has(name)).sort();
}

function renderNode(cluster: ClusterRecord, name: string, poolId: string): Record<string, unknown> {
  return {
    kind: "Node",
    apiVersion: "v3",
    metadata: {
      name,
      uid: nodeUid(cluster.id, name),
      annotations: { [NODE_POOL_ANNOTATION]: poolId },
    },
    spec: { flavor: FLAVOR, az: `${cluster.region}a`, os: OS },
    status: { phase: "Active" },
  };
}

export function renderNodeList(cluster: ClusterRecord, store: Store): Record<string, unknown> {
  const defaultPoolId = `${cluster.region}a#${FLAVOR}#${OS}`;
  const items = [
    ...(cluster.cceNodePools ?? []).flatMap((pool) =>
      pool.nodeNames.map((name) => renderNode(cluster, name, pool.id)),
    ),
    ...defaultPoolNodes(cluster, store).map((name) => renderNode(cluster, name, defaultPoolId)),
  ];
  return { kind: "List", apiVersion: "v3", items };
}

export function renderNodePoolList(cluster: ClusterRecord): Record<string, unknown> {
  return {
    kind: "List",
    apiVersion: "v3",
    items: (cluster.cceNodePools ?? []).map((pool) => ({
      kind: "NodePool",
      apiVersion: "v3",
      metadata: { name: pool.name, uid: pool.id },
      spec: { type: "vm", initialNodeCount: pool.nodeNames.length },
      status: { currentNode: pool.nodeNames.length, phase: "" },
    })),
  };
}
