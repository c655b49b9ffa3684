/**
 * THE table of resource types the upgrade-guard policies judge. Adding a type is one line here (and
 * one row in policy-pack/README.md); nothing else in the policies names a type token.
 *
 * Third-party tokens and property names were checked against the published packages' generated
 * Node SDKs (the `__pulumiType` and the input property, quoted in `evidence`):
 * - `@pulumi/alicloud`: pulumi/pulumi-alicloud `sdk/nodejs/cs/{managedKubernetes,kubernetes,serverlessKubernetes,edgeKubernetes}.ts`;
 *   `version` is the desired Kubernetes version, raising it upgrades the cluster in place (ACK Edge
 *   included). The package's other `cs/*` clusters (`cs/cluster:Cluster`, `cs/swarm:Swarm`: Swarm) have
 *   no Kubernetes version input; `cs/kubernetesAddon:KubernetesAddon`'s `version` is an ACK add-on's.
 *   `sdk/nodejs/cs/nodePool.ts`: a node pool's desired Kubernetes version is the nested input
 *   `upgradePolicy.kubernetesVersion` (types/input.ts `NodePoolUpgradePolicy`; there is no top-level
 *   version input), the pool is found by its `nodePoolId` output (known from state on update,
 *   unknown on create, when there is no pool to upgrade) within `clusterId`.
 * - Huawei Cloud's `huaweicloud:Cce/nodePool:NodePool` has no Kubernetes version input, so it is not
 *   judged (a CCE pool follows its cluster's upgrade).
 * - Huawei Cloud's Pulumi package: huaweicloud/pulumi-huaweicloud `sdk/nodejs/cce/{cluster,clusterUpgrade,addon}.ts`;
 *   module `Cce` is capitalised in those tokens.
 *
 * Property names are the Pulumi (camelCase) input names, as the policy sees them in `props`.
 */
import { TYPE_TOKENS } from "@upgrade-guard/sdk";

/** `nodePool` rows are judged by the cluster policy too (a node pool version change, against the control plane). */
export type PolicyKind = "cluster" | "addon" | "nodePool";
export type CloudName = "cce" | "ack";

/**
 * How a resource is judged. The facts always come from the cloud; `inputs` = upgrade-guard's own
 * upgrade resources, found by their cluster id, which also carry the program's claims
 * (`currentVersion`, `readiness`) that the policy checks against those facts; `lookup` = third-party
 * resources, found by id or name, which carry no claims.
 */
export type FactsSource = "inputs" | "lookup";

export interface CoveredResourceType {
  /** The Pulumi type token, exactly as the engine sends it. */
  readonly type: string;
  /** The policy that judges it. */
  readonly policy: PolicyKind;
  readonly cloud: CloudName;
  readonly facts: FactsSource;
  /** Input holding the version the program asks for; a dotted path names a nested input. */
  readonly targetVersion: string;
  /** Input holding the current version (only resources that carry it). */
  readonly currentVersion?: string;
  /** Input holding the cluster id, when the resource has one. */
  readonly clusterId?: string;
  /** Input holding the cluster name, used to find the cluster when there is no id input. */
  readonly clusterName?: string;
  /** Input holding the region, when the resource can override the provider's. */
  readonly region?: string;
  /** CCE: input holding the project id, when the resource can override the configuration's. */
  readonly projectId?: string;
  /** Input (or output kept in state) holding the node pool id (node pool resources). */
  readonly nodePoolId?: string;
  /** Input holding the add-on template name (add-on resources). */
  readonly addonName?: string;
  /** How users know the type, for messages and the README. */
  readonly label: string;
  /** Where the token and property names were verified. */
  readonly evidence: string;
}

const ALICLOUD = "pulumi/pulumi-alicloud sdk/nodejs/cs";
const HUAWEICLOUD = "huaweicloud/pulumi-huaweicloud sdk/nodejs/cce";

// One line per type (kept unformatted on purpose, so the table reads as a table).
// prettier-ignore
export const COVERED_RESOURCE_TYPES: readonly CoveredResourceType[] = [
  { type: TYPE_TOKENS.cce.ClusterUpgrade, policy: "cluster", cloud: "cce", facts: "inputs", targetVersion: "targetVersion", currentVersion: "currentVersion", clusterId: "clusterId", region: "region", projectId: "projectId", label: "upgrade-guard cce.ClusterUpgrade", evidence: "sdk/src (this package)" },
  { type: TYPE_TOKENS.cce.UpgradeWorkflow, policy: "cluster", cloud: "cce", facts: "inputs", targetVersion: "targetVersion", currentVersion: "currentVersion", clusterId: "clusterId", region: "region", projectId: "projectId", label: "upgrade-guard cce.UpgradeWorkflow", evidence: "sdk/src (this package)" },
  { type: TYPE_TOKENS.ack.ClusterUpgrade, policy: "cluster", cloud: "ack", facts: "inputs", targetVersion: "targetVersion", currentVersion: "currentVersion", clusterId: "clusterId", region: "region", label: "upgrade-guard ack.ClusterUpgrade", evidence: "sdk/src (this package)" },
  { type: "alicloud:cs/managedKubernetes:ManagedKubernetes", policy: "cluster", cloud: "ack", facts: "lookup", targetVersion: "version", clusterName: "name", label: "@pulumi/alicloud cs.ManagedKubernetes (managed ACK)", evidence: `${ALICLOUD}/managedKubernetes.ts` },
  { type: "alicloud:cs/kubernetes:Kubernetes", policy: "cluster", cloud: "ack", facts: "lookup", targetVersion: "version", clusterName: "name", label: "@pulumi/alicloud cs.Kubernetes (dedicated ACK)", evidence: `${ALICLOUD}/kubernetes.ts` },
  { type: "alicloud:cs/serverlessKubernetes:ServerlessKubernetes", policy: "cluster", cloud: "ack", facts: "lookup", targetVersion: "version", clusterName: "name", label: "@pulumi/alicloud cs.ServerlessKubernetes (ACK Serverless)", evidence: `${ALICLOUD}/serverlessKubernetes.ts` },
  { type: "alicloud:cs/edgeKubernetes:EdgeKubernetes", policy: "cluster", cloud: "ack", facts: "lookup", targetVersion: "version", clusterName: "name", label: "@pulumi/alicloud cs.EdgeKubernetes (ACK Edge)", evidence: `${ALICLOUD}/edgeKubernetes.ts` },
  { type: "huaweicloud:Cce/cluster:Cluster", policy: "cluster", cloud: "cce", facts: "lookup", targetVersion: "clusterVersion", clusterName: "name", region: "region", label: "huaweicloud cce.Cluster", evidence: `${HUAWEICLOUD}/cluster.ts` },
  { type: "huaweicloud:Cce/clusterUpgrade:ClusterUpgrade", policy: "cluster", cloud: "cce", facts: "lookup", targetVersion: "targetVersion", clusterId: "clusterId", region: "region", label: "huaweicloud cce.ClusterUpgrade", evidence: `${HUAWEICLOUD}/clusterUpgrade.ts` },
  { type: "alicloud:cs/nodePool:NodePool", policy: "nodePool", cloud: "ack", facts: "lookup", targetVersion: "upgradePolicy.kubernetesVersion", clusterId: "clusterId", nodePoolId: "nodePoolId", label: "@pulumi/alicloud cs.NodePool (ACK node pool)", evidence: `${ALICLOUD}/nodePool.ts` },
  { type: "huaweicloud:Cce/addon:Addon", policy: "addon", cloud: "cce", facts: "lookup", targetVersion: "version", clusterId: "clusterId", addonName: "templateName", region: "region", label: "huaweicloud cce.Addon", evidence: `${HUAWEICLOUD}/addon.ts` },
];

const BY_TYPE = new Map(COVERED_RESOURCE_TYPES.map((entry) => [entry.type, entry]));

/** The table entry for a type token, or `undefined` when no upgrade-guard policy judges it. */
export function coveredType(type: string): CoveredResourceType | undefined {
  return BY_TYPE.get(type);
}

/** The input path of a table property (`upgradePolicy.kubernetesVersion` → two keys). */
export function inputPath(property: string): readonly string[] {
  return property.split(".");
}

/** The type tokens one policy judges. */
export function typesOf(policy: PolicyKind): readonly CoveredResourceType[] {
  return COVERED_RESOURCE_TYPES.filter((entry) => entry.policy === policy);
}
