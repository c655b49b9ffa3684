/**
 * The in-memory state, partitioned the way the clouds partition it: CCE objects by project (which
 * fixes account and region), ACK objects by account with a region on each cluster. Records are
 * plain objects (see types.ts) indexed by id and by cluster.
 *
 * Unfinished tasks sit in an "active" set. `settle(now)` finishes those whose virtual time is up and
 * applies their effects (a finished upgrade changes the cluster version); the server calls it before
 * every request and after every clock advance, so state is right even for objects nobody polls.
 */
import { settleClock, observeClock } from "./progress";
import {
  type AckCheckRecord,
  type AckNodePoolRecord,
  type AckTaskRecord,
  type CceAddonCheckRecord,
  type CcePostcheckRecord,
  type CceSnapshotRecord,
  type CcePrecheckRecord,
  type CceUpgradeTaskRecord,
  type CceWorkflowRecord,
  type ClusterRecord,
  type StateData,
  type TaskClock,
  type TokenRecord,
} from "./types";
import { targetsAfter } from "./versions";

/** Records of one kind, by id and by cluster, in creation order. */
export class Table<T extends { readonly id: string; readonly clusterId: string }> {
  private readonly byId = new Map<string, T>();
  private readonly byCluster = new Map<string, T[]>();

  constructor(records: readonly T[] = []) {
    for (const record of records) this.add(record);
  }

  add(record: T): T {
    this.byId.set(record.id, record);
    const list = this.byCluster.get(record.clusterId);
    if (list === undefined) this.byCluster.set(record.clusterId, [record]);
    else list.push(record);
    return record;
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  ofCluster(clusterId: string): readonly T[] {
    return this.byCluster.get(clusterId) ?? [];
  }

  all(): T[] {
    return [...this.byId.values()];
  }

  get size(): number {
    return this.byId.size;
  }
}

type ActiveTask =
  | { kind: "ccePrecheck"; record: CcePrecheckRecord }
  | { kind: "cceAddonCheck"; record: CceAddonCheckRecord }
  | { kind: "cceUpgrade"; record: CceUpgradeTaskRecord }
  | { kind: "cceSnapshot"; record: CceSnapshotRecord }
  | { kind: "ackCheck"; record: AckCheckRecord }
  | { kind: "ackTask"; record: AckTaskRecord };

export class Store {
  private readonly clusters = new Map<string, ClusterRecord>();
  readonly ccePrechecks: Table<CcePrecheckRecord>;
  readonly cceAddonChecks: Table<CceAddonCheckRecord>;
  readonly cceWorkflows: Table<CceWorkflowRecord>;
  readonly cceUpgradeTasks: Table<CceUpgradeTaskRecord>;
  readonly ccePostchecks: Table<CcePostcheckRecord>;
  readonly cceSnapshots: Table<CceSnapshotRecord>;
  readonly ackChecks: Table<AckCheckRecord>;
  readonly ackTasks: Table<AckTaskRecord>;
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly active = new Set<ActiveTask>();
  private changeListener: (() => void) | undefined;

  constructor(data: StateData) {
    for (const cluster of data.clusters) this.clusters.set(cluster.id, cluster);
    this.ccePrechecks = new Table(data.ccePrechecks);
    this.cceAddonChecks = new Table(data.cceAddonChecks);
    this.cceWorkflows = new Table(data.cceWorkflows);
    this.cceUpgradeTasks = new Table(data.cceUpgradeTasks);
    this.ccePostchecks = new Table(data.ccePostchecks);
    // State files written before snapshots existed have no such table.
    this.cceSnapshots = new Table(data.cceSnapshots ?? []);
    this.ackChecks = new Table(data.ackChecks);
    this.ackTasks = new Table(data.ackTasks);
    for (const token of data.tokens) this.tokens.set(token.token, token);
    for (const record of data.ccePrechecks) this.track({ kind: "ccePrecheck", record });
    for (const record of data.cceAddonChecks) this.track({ kind: "cceAddonCheck", record });
    for (const record of data.cceUpgradeTasks) this.track({ kind: "cceUpgrade", record });
    for (const record of this.cceSnapshots.all()) this.track({ kind: "cceSnapshot", record });
    for (const record of data.ackChecks) this.track({ kind: "ackCheck", record });
    for (const record of data.ackTasks) this.track({ kind: "ackTask", record });
  }

  static empty(): Store {
    return new Store({
      clusters: [],
      ccePrechecks: [],
      cceAddonChecks: [],
      cceWorkflows: [],
      cceUpgradeTasks: [],
      ccePostchecks: [],
      cceSnapshots: [],
      ackChecks: [],
      ackTasks: [],
      tokens: [],
    });
  }

  /** A JSON-ready copy of the references (records are serialised as they are). */
  toData(): StateData {
    return {
      clusters: [...this.clusters.values()],
      ccePrechecks: this.ccePrechecks.all(),
      cceAddonChecks: this.cceAddonChecks.all(),
      cceWorkflows: this.cceWorkflows.all(),
      cceUpgradeTasks: this.cceUpgradeTasks.all(),
      ccePostchecks: this.ccePostchecks.all(),
      cceSnapshots: this.cceSnapshots.all(),
      ackChecks: this.ackChecks.all(),
      ackTasks: this.ackTasks.all(),
      tokens: [...this.tokens.values()],
    };
  }

  onChange(listener: (() => void) | undefined): void {
    this.changeListener = listener;
  }

  /** Every mutation ends here, so persistence knows to write. */
  changed(): void {
    this.changeListener?.();
  }

  // --- clusters ----------------------------------------------------------------------------------

  addCluster(cluster: ClusterRecord): void {
    this.clusters.set(cluster.id, cluster);
    this.changed();
  }

  cluster(id: string): ClusterRecord | undefined {
    return this.clusters.get(id);
  }

  allClusters(): ClusterRecord[] {
    return [...this.clusters.values()];
  }

  // --- tasks -------------------------------------------------------------------------------------

  addCcePrecheck(record: CcePrecheckRecord): CcePrecheckRecord {
    this.ccePrechecks.add(record);
    this.track({ kind: "ccePrecheck", record });
    this.changed();
    return record;
  }

  addCceAddonCheck(record: CceAddonCheckRecord): CceAddonCheckRecord {
    this.cceAddonChecks.add(record);
    this.track({ kind: "cceAddonCheck", record });
    this.changed();
    return record;
  }

  addCceUpgradeTask(record: CceUpgradeTaskRecord, now: number): CceUpgradeTaskRecord {
    this.cceUpgradeTasks.add(record);
    const cluster = this.clusters.get(record.clusterId);
    if (cluster !== undefined && record.clock.finishedAt === undefined) {
      cluster.phase = "Upgrading";
      cluster.updatedAt = now;
    }
    this.track({ kind: "cceUpgrade", record });
    this.changed();
    return record;
  }

  addCceWorkflow(record: CceWorkflowRecord): CceWorkflowRecord {
    this.cceWorkflows.add(record);
    this.changed();
    return record;
  }

  addCcePostcheck(record: CcePostcheckRecord): CcePostcheckRecord {
    this.ccePostchecks.add(record);
    this.changed();
    return record;
  }

  addCceSnapshot(record: CceSnapshotRecord): CceSnapshotRecord {
    this.cceSnapshots.add(record);
    this.track({ kind: "cceSnapshot", record });
    this.changed();
    return record;
  }

  addAckCheck(record: AckCheckRecord): AckCheckRecord {
    this.ackChecks.add(record);
    this.track({ kind: "ackCheck", record });
    this.changed();
    return record;
  }

  addAckTask(record: AckTaskRecord, now: number): AckTaskRecord {
    this.ackTasks.add(record);
    const cluster = this.clusters.get(record.clusterId);
    const pool = nodePoolOf(cluster, record);
    if (record.clock.finishedAt === undefined) {
      // A node pool upgrade updates the pool; the cluster stays running.
      if (pool !== undefined) {
        pool.state = "updating";
        pool.updatedAt = now;
      } else if (cluster !== undefined) {
        cluster.phase = "upgrading";
        cluster.updatedAt = now;
      }
    }
    this.track({ kind: "ackTask", record });
    this.changed();
    return record;
  }

  /** A client read a task: counts as a poll, may finish it. */
  observe(clock: TaskClock, now: number): void {
    observeClock(clock, now);
    // The effect (if it finished) is applied by the settle that follows in the same call.
    this.settle(now);
    this.changed();
  }

  /** Finishes tasks whose time is up and applies their effects. */
  settle(now: number): void {
    if (this.active.size === 0) return;
    let changed = false;
    for (const task of this.active) {
      settleClock(task.record.clock, now);
      if (task.record.clock.finishedAt === undefined) continue;
      this.active.delete(task);
      this.applyFinish(task, now);
      changed = true;
    }
    if (changed) this.changed();
  }

  /** Cancels a running ACK task (CancelTask). */
  cancelAckTask(task: AckTaskRecord, now: number): void {
    task.cancelledAt = now;
    task.clock.finishedAt = now;
    for (const entry of this.active) if (entry.record === task) this.active.delete(entry);
    task.applied = true;
    const cluster = this.clusters.get(task.clusterId);
    const pool = nodePoolOf(cluster, task);
    if (pool !== undefined) {
      pool.state = "active";
      pool.updatedAt = now;
    } else if (cluster !== undefined) {
      cluster.phase = "running";
      cluster.updatedAt = now;
    }
    this.changed();
  }

  // --- IAM tokens --------------------------------------------------------------------------------

  addToken(token: TokenRecord): void {
    this.tokens.set(token.token, token);
    // Expired tokens are dropped when new ones are issued, so the table stays small.
    for (const [key, record] of this.tokens) if (record.expiresAt < token.issuedAt) this.tokens.delete(key);
    this.changed();
  }

  token(value: string): TokenRecord | undefined {
    return this.tokens.get(value);
  }

  private track(task: ActiveTask): void {
    if (task.record.clock.finishedAt === undefined) this.active.add(task);
    else if (task.kind === "cceUpgrade" || task.kind === "ackTask") {
      // Scenario history can hold finished upgrades whose effect was never applied.
      if (!task.record.applied) this.applyFinish(task, task.record.clock.finishedAt);
    }
  }

  private applyFinish(task: ActiveTask, now: number): void {
    if (task.kind !== "cceUpgrade" && task.kind !== "ackTask") return;
    const record = task.record;
    if (record.applied) return;
    record.applied = true;
    const cluster = this.clusters.get(record.clusterId);
    if (cluster === undefined) return;
    const cancelled = task.kind === "ackTask" && task.record.cancelledAt !== undefined;
    const pool = task.kind === "ackTask" ? nodePoolOf(cluster, task.record) : undefined;
    if (pool !== undefined) {
      if (record.outcome.result === "Success" && !cancelled) pool.version = record.targetVersion;
      pool.state = "active";
      pool.updatedAt = now;
      return;
    }
    if (record.outcome.result === "Success" && !cancelled) {
      const newVersion = task.kind === "cceUpgrade" ? task.record.resultVersion : task.record.targetVersion;
      cluster.version = newVersion;
      cluster.targetVersions = targetsAfter(newVersion, cluster.targetVersions);
    }
    cluster.phase = cluster.cloud === "cce" ? "Available" : "running";
    cluster.updatedAt = now;
  }
}

/** The node pool a node pool upgrade task upgrades (`undefined` for a cluster upgrade). */
function nodePoolOf(cluster: ClusterRecord | undefined, task: AckTaskRecord): AckNodePoolRecord | undefined {
  if (task.nodePoolId === undefined) return undefined;
  return cluster?.nodePools?.find((pool) => pool.id === task.nodePoolId);
}
