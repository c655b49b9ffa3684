/**
 * The emulator's state: plain JSON-serialisable records (persisted as they are by `--state-file`).
 * Everything a task will produce (its "outcome") is copied from the scenario when the task is created,
 * so reloading a scenario never changes a task already running.
 */

export type CloudKind = "cce" | "ack";

/** How a task moves Init → Running → terminal (moto-style: by polls and/or virtual time). */
export interface Progression {
  /** Terminal on the Nth read of the task (0 = at once). */
  readonly polls?: number;
  /** Terminal once this much virtual time has passed since creation. */
  readonly durationMs?: number;
}

export interface TaskClock {
  readonly createdAt: number;
  polls: number;
  readonly progression: Progression;
  finishedAt?: number;
}

// --- outcomes (from the scenario) ----------------------------------------------------------------

export type PrecheckItemLevel = "Info" | "Warning" | "Fatal";
export type PrecheckItemGroup =
  "LimitCheck" | "MasterCheck" | "NodeCheck" | "AddonCheck" | "ExecuteException";

export interface PrecheckItemOutcome {
  readonly name: string;
  readonly group: PrecheckItemGroup;
  readonly level: PrecheckItemLevel;
  readonly kind: "Exception" | "Risk";
  readonly phase: "Success" | "Failed";
  readonly message: string;
  /** Node name, for `NodeCheck` items. */
  readonly node?: string;
  readonly riskSource?: Readonly<Record<string, unknown>>;
  readonly errorCodes?: readonly string[];
}

export interface PrecheckOutcome {
  readonly phase?: "Success" | "Failed" | "Error";
  readonly message?: string;
  readonly items: readonly PrecheckItemOutcome[];
}

export interface AddonRiskOutcome {
  readonly riskName: string;
  readonly level: "Warning" | "Fatal";
  readonly status: "Failed" | "Success";
  readonly message?: string;
}

export interface UpgradeOutcome {
  readonly result: "Success" | "Failed";
  readonly message?: string;
  /** The version the cluster ends on; default derived from the target. */
  readonly resultVersion?: string;
}

export type AckItemLevel = "normal" | "warning" | "error";

/** How a cluster master snapshot (CreateClusterMasterSnapshot) ends; default success. */
export interface SnapshotOutcome {
  readonly result: "Success" | "Failed";
  readonly message?: string;
  /** How long it takes; default the cluster's check progression. */
  readonly progress?: Progression;
}

/** What a post-upgrade check (CreatePostCheck) answers; default success. */
export interface PostcheckOutcome {
  readonly phase: "Success" | "Failed" | "Error";
  readonly message?: string;
}

export interface AckCheckItemOutcome {
  readonly name: string;
  readonly group: string;
  readonly level: AckItemLevel;
  readonly message: string;
  readonly targets: readonly string[];
}

export interface AckCheckOutcome {
  readonly status?: "Succeeded" | "Failed";
  readonly message?: string;
  readonly items: readonly AckCheckItemOutcome[];
}

export interface TargetOutcome {
  readonly precheck?: PrecheckOutcome;
  readonly upgrade?: UpgradeOutcome;
  readonly check?: AckCheckOutcome;
  /** CCE: the snapshot taken before an upgrade to this target (the open workflow's). */
  readonly snapshot?: SnapshotOutcome;
  /** CCE: the post-upgrade check of an upgrade to this target. */
  readonly postcheck?: PostcheckOutcome;
  readonly checkProgress?: Progression;
  readonly upgradeProgress?: Progression;
}

export interface ClusterDefaults {
  readonly checkProgress: Progression;
  readonly upgradeProgress: Progression;
  readonly precheckValidityMs: number;
}

// --- clusters ------------------------------------------------------------------------------------

export interface AddonInstance {
  readonly id: string;
  readonly templateName: string;
  readonly instanceName: string;
  version: string;
  readonly risks: readonly AddonRiskOutcome[];
}

/** An ACK node pool (DescribeClusterNodePoolDetail), with what its checks and upgrades produce. */
export interface AckNodePoolRecord {
  /** `np` + 32 hex digits, like the vendor's. */
  readonly id: string;
  readonly name: string;
  /** The pool's kubelet version (its `kubelet` node component). */
  version: string;
  /** `active`, or `updating` while an upgrade task runs. */
  state: string;
  readonly nodes: number;
  readonly createdAt: number;
  updatedAt: number;
  /** What every NodePoolUpgrade check of this pool reports (over the baseline items). */
  readonly check?: AckCheckOutcome;
  /** What an UpgradeClusterNodepool task of this pool ends with; default success. */
  readonly upgrade?: UpgradeOutcome;
  readonly checkProgress?: Progression;
  readonly upgradeProgress?: Progression;
}

/** A CCE node pool: its uid (what its nodes' `kubernetes.io/node-pool.id` holds) and its nodes. */
export interface CceNodePoolRecord {
  readonly id: string;
  readonly name: string;
  readonly nodeNames: readonly string[];
}

export interface ClusterRecord {
  readonly cloud: CloudKind;
  readonly id: string;
  readonly name: string;
  /** Account name (see AccountBook). */
  readonly account: string;
  readonly region: string;
  /** CCE only. */
  readonly projectId?: string;
  version: string;
  readonly initVersion: string;
  targetVersions: string[];
  /** CCE `status.phase` (Available, Upgrading, ...) or ACK `state` (running, upgrading, ...). */
  phase: string;
  readonly createdAt: number;
  updatedAt: number;
  readonly addons: AddonInstance[];
  /** Keyed by target version, or `*` for any. */
  readonly outcomes: Readonly<Record<string, TargetOutcome>>;
  readonly defaults: ClusterDefaults;
  /** ACK: support windows by version (see the scenario's `versionSupport`); absent when none were set. */
  readonly versionSupport?: Readonly<Record<string, VersionSupportWindow>>;
  /** ACK only; absent in state written before node pools were emulated. */
  readonly nodePools?: AckNodePoolRecord[];
  /** CCE only: the custom node pools (nodes outside them are in the default pool). */
  readonly cceNodePools?: readonly CceNodePoolRecord[];
}

/** When ACK released a Kubernetes version and when its support ends (virtual epoch ms). */
export interface VersionSupportWindow {
  readonly releasedAt: number;
  readonly expiresAt: number;
  readonly creatable: boolean;
}

// --- CCE tasks -----------------------------------------------------------------------------------

export interface CcePrecheckRecord {
  readonly id: string;
  readonly clusterId: string;
  readonly clusterVersion: string;
  readonly targetVersion: string;
  readonly skippedCheckItemList: readonly Readonly<Record<string, unknown>>[];
  readonly clock: TaskClock;
  readonly outcome: PrecheckOutcome;
  readonly validityMs: number;
}

export interface CceAddonCheckRecord {
  readonly id: string;
  readonly clusterId: string;
  readonly type: "addonUpgrade" | "addonStatic";
  readonly addonInstanceId: string;
  readonly addonTemplateName: string;
  readonly addonInstanceName: string;
  readonly targetVersion?: string;
  readonly clock: TaskClock;
  readonly risks: readonly AddonRiskOutcome[];
  readonly validityMs: number;
}

export interface CceWorkflowRecord {
  readonly id: string;
  readonly clusterId: string;
  readonly clusterVersion: string;
  readonly targetVersion: string;
  readonly createdAt: number;
  updatedAt: number;
  cancelled: boolean;
  precheckId?: string;
  upgradeTaskId?: string;
  postcheckId?: string;
  snapshotId?: string;
}

export interface CceUpgradeTaskRecord {
  readonly id: string;
  readonly clusterId: string;
  readonly fromVersion: string;
  readonly targetVersion: string;
  readonly resultVersion: string;
  readonly clock: TaskClock;
  readonly outcome: UpgradeOutcome;
  /** The request's `clusterUpgradeAction.strategy`, echoed back. */
  readonly strategy?: Readonly<Record<string, unknown>>;
  /** Whether the terminal effect (version change) was applied. */
  applied: boolean;
}

export interface CcePostcheckRecord {
  readonly id: string;
  readonly clusterId: string;
  readonly clusterVersion: string;
  readonly targetVersion: string;
  readonly createdAt: number;
  /** Absent in state files written before post-check outcomes existed: `Success`. */
  readonly phase?: PostcheckOutcome["phase"];
  readonly message?: string;
}

/** A cluster master snapshot task (v3.1 `operation/snapshot`). */
export interface CceSnapshotRecord {
  readonly id: string;
  readonly clusterId: string;
  readonly clock: TaskClock;
  readonly outcome: SnapshotOutcome;
}

// --- ACK tasks -----------------------------------------------------------------------------------

export type AckCheckType = "ClusterUpgrade" | "MasterUpgrade" | "NodePoolUpgrade" | "ClusterMigrate";

export interface AckCheckRecord {
  readonly id: string;
  readonly clusterId: string;
  readonly type: AckCheckType;
  readonly target?: string;
  readonly options: Readonly<Record<string, string>>;
  readonly clock: TaskClock;
  readonly outcome: AckCheckOutcome;
}

export interface AckTaskRecord {
  readonly id: string;
  readonly clusterId: string;
  readonly taskType: "cluster_upgrade" | "nodepool_upgrade";
  /** The node pool a `nodepool_upgrade` task upgrades. */
  readonly nodePoolId?: string;
  readonly fromVersion: string;
  readonly targetVersion: string;
  readonly masterOnly: boolean;
  readonly clock: TaskClock;
  readonly outcome: UpgradeOutcome;
  cancelledAt?: number;
  applied: boolean;
}

// --- IAM -----------------------------------------------------------------------------------------

export interface TokenRecord {
  readonly token: string;
  /** Huawei account name. */
  readonly account: string;
  /** Project scope; undefined for a domain-scoped token. */
  readonly projectId?: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/** Everything `--state-file` keeps. */
export interface StateData {
  clusters: ClusterRecord[];
  ccePrechecks: CcePrecheckRecord[];
  cceAddonChecks: CceAddonCheckRecord[];
  cceWorkflows: CceWorkflowRecord[];
  cceUpgradeTasks: CceUpgradeTaskRecord[];
  ccePostchecks: CcePostcheckRecord[];
  /** Absent in state files written before snapshots existed. */
  cceSnapshots?: CceSnapshotRecord[];
  ackChecks: AckCheckRecord[];
  ackTasks: AckTaskRecord[];
  tokens: TokenRecord[];
}
