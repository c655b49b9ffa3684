/**
 * Turns a validated scenario into accounts and a populated store at virtual time `now`. History
 * entries ("a precheck finished five minutes ago") become real task records, so they read exactly
 * like tasks created through the API.
 */
import {
  AccountBook,
  DEFAULT_ALIBABA_ACCOUNT,
  DEFAULT_HUAWEI_ACCOUNT,
  type AlibabaAccount,
  type HuaweiAccount,
} from "../auth/accounts";
import { newTaskClock } from "../state/progress";
import {
  ackCheckOutcomeFor,
  checkProgressFor,
  precheckOutcomeFor,
  upgradeOutcomeFor,
  upgradeProgressFor,
} from "../state/outcomes";
import { Store } from "../state/store";
import {
  type AckCheckOutcome,
  type AckNodePoolRecord,
  type CceNodePoolRecord,
  type ClusterDefaults,
  type ClusterRecord,
  type PrecheckOutcome,
  type Progression,
  type TargetOutcome,
  type TaskClock,
  type VersionSupportWindow,
} from "../state/types";
import { ccePatchVersion, findTarget } from "../state/versions";
import { ackCheckId, ackClusterId, ackTaskId, hexId, uuid } from "../util/ids";
import { parseDuration } from "../util/time-format";
import { type ClusterSpec, type Scenario } from "./schema";
import { ScenarioError } from "./errors";

type ProgressionInput = { polls?: number | undefined; duration?: string | number | undefined };

const ms = (value: string | number): number => parseDuration(value) ?? 0;

function toProgression(input: ProgressionInput | undefined, fallback: Progression): Progression {
  if (input === undefined) return fallback;
  return {
    ...(input.polls === undefined ? {} : { polls: input.polls }),
    ...(input.duration === undefined ? {} : { durationMs: ms(input.duration) }),
  };
}

const DEFAULT_CHECK_PROGRESS: Progression = { polls: 2, durationMs: 60_000 };
const DEFAULT_UPGRADE_PROGRESS: Progression = { polls: 3, durationMs: 600_000 };
const DEFAULT_PRECHECK_VALIDITY_MS = 3_600_000;

type PrecheckOutcomeInput = NonNullable<NonNullable<ClusterSpec["outcomes"][string]>["precheck"]>;
type AckCheckOutcomeInput = NonNullable<NonNullable<ClusterSpec["outcomes"][string]>["check"]>;

function toPrecheckOutcome(input: PrecheckOutcomeInput): PrecheckOutcome {
  return {
    ...(input.phase === undefined ? {} : { phase: input.phase }),
    ...(input.message === undefined ? {} : { message: input.message }),
    items: input.items.map((item) => ({
      name: item.name,
      group: item.group,
      level: item.level,
      kind: item.kind ?? (item.level === "Fatal" ? "Exception" : "Risk"),
      phase: item.phase,
      message: item.message,
      ...(item.node === undefined ? {} : { node: item.node }),
      ...(item.riskSource === undefined ? {} : { riskSource: item.riskSource }),
      ...(item.errorCodes === undefined ? {} : { errorCodes: item.errorCodes }),
    })),
  };
}

function toAckCheckOutcome(input: AckCheckOutcomeInput): AckCheckOutcome {
  return {
    ...(input.status === undefined ? {} : { status: input.status }),
    ...(input.message === undefined ? {} : { message: input.message }),
    items: input.items.map((i) => ({ ...i })),
  };
}

/** Pool fields only ACK emulates, refused on a CCE pool rather than ignored. */
const ACK_ONLY_POOL_FIELDS = ["version", "check", "upgrade", "checkProgress", "upgradeProgress"] as const;

/** The CCE node pools of a cluster spec (uuid ids derived from cluster and name unless given). */
function toCceNodePools(spec: ClusterSpec, clusterId: string): CceNodePoolRecord[] {
  const names = new Set<string>();
  const nodes = new Set<string>();
  return spec.nodePools.map((pool) => {
    if (names.has(pool.name))
      throw new ScenarioError(`duplicate node pool name "${pool.name}" in ${spec.name}`);
    names.add(pool.name);
    const ackOnly = ACK_ONLY_POOL_FIELDS.filter((field) => pool[field] !== undefined);
    if (ackOnly.length > 0)
      throw new ScenarioError(
        `node pool "${pool.name}" of the CCE cluster ${spec.name}: ${ackOnly.join(", ")} ` +
          "are emulated for ACK node pools only; remove them (a CCE pool takes name, id, nodes, nodeNames)",
      );
    const nodeNames = pool.nodeNames ?? Array.from({ length: pool.nodes }, (_, i) => `${pool.name}-${i + 1}`);
    for (const node of nodeNames) {
      if (nodes.has(node)) throw new ScenarioError(`node "${node}" is in two node pools of ${spec.name}`);
      nodes.add(node);
    }
    return { id: pool.id ?? uuid(`nodepool:${clusterId}:${pool.name}`), name: pool.name, nodeNames };
  });
}

/** The ACK node pools of a cluster spec (`np` ids derived from cluster and name unless given). */
function toNodePools(spec: ClusterSpec, clusterId: string, createdAt: number): AckNodePoolRecord[] {
  const names = new Set<string>();
  return spec.nodePools.map((pool) => {
    if (pool.nodeNames !== undefined)
      throw new ScenarioError(
        `node pool "${pool.name}" of the ACK cluster ${spec.name}: nodeNames are emulated for CCE node pools only; use nodes (a count)`,
      );
    if (names.has(pool.name))
      throw new ScenarioError(`duplicate node pool name "${pool.name}" in ${spec.name}`);
    names.add(pool.name);
    return {
      id: pool.id ?? `np${hexId(`nodepool:${clusterId}:${pool.name}`).slice(0, 32)}`,
      name: pool.name,
      version: pool.version ?? spec.version,
      state: "active",
      nodes: pool.nodes,
      createdAt,
      updatedAt: createdAt,
      ...(pool.check === undefined ? {} : { check: toAckCheckOutcome(pool.check) }),
      ...(pool.upgrade === undefined
        ? {}
        : {
            upgrade: {
              result: pool.upgrade.result,
              ...(pool.upgrade.message === undefined ? {} : { message: pool.upgrade.message }),
            },
          }),
      ...(pool.checkProgress === undefined ? {} : { checkProgress: toProgression(pool.checkProgress, {}) }),
      ...(pool.upgradeProgress === undefined
        ? {}
        : { upgradeProgress: toProgression(pool.upgradeProgress, {}) }),
    };
  });
}

/** `base` with the scenario's message, if it gave one (no `message: undefined` in the records). */
function withMessage<T extends object>(base: T, message: string | undefined): T & { message?: string } {
  return message === undefined ? base : { ...base, message };
}

function toOutcomes(spec: ClusterSpec): Record<string, TargetOutcome> {
  const outcomes: Record<string, TargetOutcome> = {};
  for (const [target, o] of Object.entries(spec.outcomes)) {
    outcomes[target] = {
      ...(o.precheck === undefined ? {} : { precheck: toPrecheckOutcome(o.precheck) }),
      ...(o.upgrade === undefined
        ? {}
        : {
            upgrade: {
              result: o.upgrade.result,
              ...(o.upgrade.message === undefined ? {} : { message: o.upgrade.message }),
              ...(o.upgrade.resultVersion === undefined ? {} : { resultVersion: o.upgrade.resultVersion }),
            },
          }),
      ...(o.check === undefined ? {} : { check: toAckCheckOutcome(o.check) }),
      ...(o.snapshot === undefined
        ? {}
        : {
            snapshot: withMessage(
              {
                result: o.snapshot.result,
                ...(o.snapshot.progress === undefined
                  ? {}
                  : { progress: toProgression(o.snapshot.progress, {}) }),
              },
              o.snapshot.message,
            ),
          }),
      ...(o.postcheck === undefined
        ? {}
        : { postcheck: withMessage({ phase: o.postcheck.phase }, o.postcheck.message) }),
      ...(o.checkProgress === undefined ? {} : { checkProgress: toProgression(o.checkProgress, {}) }),
      ...(o.upgradeProgress === undefined ? {} : { upgradeProgress: toProgression(o.upgradeProgress, {}) }),
    };
  }
  return outcomes;
}

/** A finished clock: created `agoMs` ago, done a little later (never in the future). */
function finishedClock(createdAt: number, progression: Progression, now: number): TaskClock {
  const clock = newTaskClock(createdAt, progression);
  clock.finishedAt = Math.min(now, createdAt + Math.min(progression.durationMs ?? 60_000, 60_000));
  return clock;
}

function runningClock(createdAt: number, progression: Progression): TaskClock {
  const clock = newTaskClock(createdAt, progression);
  clock.polls = 1;
  return clock;
}

export interface SeededState {
  readonly accounts: AccountBook;
  readonly store: Store;
}

/** Expands `generate` entries into plain cluster specs. */
export function expandClusters(scenario: Scenario): ClusterSpec[] {
  const generated = scenario.generate.flatMap((g) =>
    Array.from({ length: g.count }, (_, index) => {
      const i = String(index + 1);
      return {
        ...g.template,
        name: g.template.name.includes("{i}")
          ? g.template.name.replace(/\{i\}/g, i)
          : `${g.template.name}-${i}`,
        ...(g.template.id === undefined ? {} : { id: g.template.id.replace(/\{i\}/g, i) }),
      };
    }),
  );
  return [...scenario.clusters, ...generated];
}

export function buildAccounts(scenario: Scenario): AccountBook {
  const huawei: HuaweiAccount[] = [
    DEFAULT_HUAWEI_ACCOUNT,
    ...scenario.accounts.huawei.map((a) => ({
      ...a,
      domainId: hexId(`huawei-domain:${a.domainName}`),
      userId: hexId(`huawei-user:${a.domainName}:${a.userName}`),
    })),
  ];
  const alibaba: AlibabaAccount[] = [DEFAULT_ALIBABA_ACCOUNT, ...scenario.accounts.alibaba];
  return new AccountBook(huawei, alibaba);
}

export function seedState(scenario: Scenario, now: number): SeededState {
  const accounts = buildAccounts(scenario);
  const store = Store.empty();
  const problems: string[] = [];
  const defaults: ClusterDefaults = {
    checkProgress: toProgression(scenario.defaults.checkProgress, DEFAULT_CHECK_PROGRESS),
    upgradeProgress: toProgression(scenario.defaults.upgradeProgress, DEFAULT_UPGRADE_PROGRESS),
    precheckValidityMs:
      scenario.defaults.precheckValidity === undefined
        ? DEFAULT_PRECHECK_VALIDITY_MS
        : ms(scenario.defaults.precheckValidity),
  };
  expandClusters(scenario).forEach((spec, index) => {
    try {
      seedCluster(store, accounts, spec, defaults, now);
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      problems.push(`clusters[${index}] (${spec.name}): ${error.message}`);
    }
  });
  if (problems.length > 0) throw new ScenarioError(problems.join("\n"));
  return { accounts, store };
}

function seedCluster(
  store: Store,
  accounts: AccountBook,
  spec: ClusterSpec,
  scenarioDefaults: ClusterDefaults,
  now: number,
): void {
  let region: string;
  let projectId: string | undefined;
  if (spec.cloud === "cce") {
    const account = accounts.huaweiByName(spec.account);
    if (account === undefined) throw new ScenarioError(`unknown Huawei account "${spec.account}"`);
    const project =
      spec.projectId !== undefined
        ? account.projects.find((p) => p.id === spec.projectId)
        : account.projects.find((p) => spec.region === undefined || p.region === spec.region);
    if (project === undefined) {
      throw new ScenarioError(
        `account "${spec.account}" has no project for ${spec.projectId ?? spec.region ?? "its region"}`,
      );
    }
    region = project.region;
    projectId = project.id;
  } else {
    const account = accounts.alibabaByName(spec.account);
    if (account === undefined) throw new ScenarioError(`unknown Alibaba account "${spec.account}"`);
    region = spec.region ?? account.region;
  }
  const id =
    spec.id ??
    (spec.cloud === "cce"
      ? uuid(`cce:${spec.account}:${spec.name}`)
      : ackClusterId(`ack:${spec.account}:${spec.name}`));
  if (store.cluster(id) !== undefined) throw new ScenarioError(`duplicate cluster id ${id}`);
  const createdAt = now - ms(spec.createdAgo);
  const cluster: ClusterRecord = {
    cloud: spec.cloud,
    id,
    name: spec.name,
    account: spec.account,
    region,
    ...(projectId === undefined ? {} : { projectId }),
    version: spec.version,
    initVersion: spec.version,
    targetVersions: [...spec.targetVersions],
    phase: spec.phase ?? (spec.cloud === "cce" ? "Available" : "running"),
    createdAt,
    updatedAt: createdAt,
    addons: spec.addons.map((a) => ({
      id: a.id ?? uuid(`addon:${id}:${a.template}`),
      templateName: a.template,
      instanceName: a.instanceName ?? `cceaddon-${a.template}`,
      version: a.version,
      risks: a.risks.map((r) => ({
        riskName: r.riskName,
        level: r.level,
        status: r.status,
        ...(r.message === undefined ? {} : { message: r.message }),
      })),
    })),
    outcomes: toOutcomes(spec),
    ...(Object.keys(spec.versionSupport).length === 0
      ? {}
      : { versionSupport: toVersionSupport(spec.versionSupport, now) }),
    ...(spec.cloud === "ack" ? { nodePools: toNodePools(spec, id, createdAt) } : {}),
    ...(spec.cloud === "cce" && spec.nodePools.length > 0 ? { cceNodePools: toCceNodePools(spec, id) } : {}),
    defaults: {
      checkProgress: toProgression(spec.checkProgress, scenarioDefaults.checkProgress),
      upgradeProgress: toProgression(spec.upgradeProgress, scenarioDefaults.upgradeProgress),
      precheckValidityMs:
        spec.precheckValidity === undefined ? scenarioDefaults.precheckValidityMs : ms(spec.precheckValidity),
    },
  };
  store.addCluster(cluster);
  if (spec.cloud === "cce") seedCceHistory(store, cluster, spec, now);
  else seedAckHistory(store, cluster, spec, now);
}

function toVersionSupport(
  windows: ClusterSpec["versionSupport"],
  now: number,
): Record<string, VersionSupportWindow> {
  const result: Record<string, VersionSupportWindow> = {};
  for (const [version, window] of Object.entries(windows)) {
    const expiresAt =
      window.endedAgo !== undefined ? now - ms(window.endedAgo) : now + ms(window.endsIn ?? "365d");
    result[version] = {
      releasedAt: now - ms(window.releasedAgo),
      expiresAt,
      creatable: window.creatable ?? expiresAt > now,
    };
  }
  return result;
}

function seedCceHistory(store: Store, cluster: ClusterRecord, spec: ClusterSpec, now: number): void {
  const history = spec.history.cce;
  if (spec.history.ack !== undefined) throw new ScenarioError("history.ack given for a CCE cluster");
  if (history === undefined) return;
  const seed = (kind: string, i: number): string => `${kind}:${cluster.id}:${i}`;

  const addPrecheck = (
    target: string,
    createdAt: number,
    running: boolean,
    key: string,
    outcome?: PrecheckOutcome,
  ) => {
    const progression = checkProgressFor(cluster, target);
    return store.addCcePrecheck({
      id: uuid(key),
      clusterId: cluster.id,
      clusterVersion: cluster.version,
      targetVersion: target,
      skippedCheckItemList: [],
      clock: running ? runningClock(createdAt, progression) : finishedClock(createdAt, progression, now),
      outcome: outcome ?? precheckOutcomeFor(cluster, target),
      validityMs: cluster.defaults.precheckValidityMs,
    });
  };
  const addUpgrade = (
    target: string,
    createdAt: number,
    running: boolean,
    key: string,
    result?: "Success" | "Failed",
  ) => {
    const progression = upgradeProgressFor(cluster, target);
    const outcome = upgradeOutcomeFor(cluster, target);
    return store.addCceUpgradeTask(
      {
        id: uuid(key),
        clusterId: cluster.id,
        fromVersion: cluster.version,
        targetVersion: target,
        resultVersion: outcome.resultVersion ?? ccePatchVersion(target),
        clock: running ? runningClock(createdAt, progression) : finishedClock(createdAt, progression, now),
        outcome: result === undefined ? outcome : { ...outcome, result },
        // Finished history never moves the cluster: the scenario's `version` is the truth.
        applied: !running,
      },
      now,
    );
  };

  history.prechecks.forEach((p, i) => {
    addPrecheck(
      p.targetVersion,
      now - ms(p.createdAgo),
      p.running,
      seed("precheck", i),
      p.outcome && toPrecheckOutcome(p.outcome),
    );
  });
  history.addonChecks.forEach((c, i) => {
    const addon = cluster.addons.find((a) => a.templateName === c.addon);
    if (addon === undefined)
      throw new ScenarioError(`history.cce.addonChecks[${i}]: no add-on "${c.addon}" on the cluster`);
    const createdAt = now - ms(c.createdAgo);
    const progression = checkProgressFor(cluster, undefined);
    store.addCceAddonCheck({
      id: uuid(seed("addoncheck", i)),
      clusterId: cluster.id,
      type: c.type,
      addonInstanceId: addon.id,
      addonTemplateName: addon.templateName,
      addonInstanceName: addon.instanceName,
      ...(c.targetVersion === undefined ? {} : { targetVersion: c.targetVersion }),
      clock: c.running ? runningClock(createdAt, progression) : finishedClock(createdAt, progression, now),
      risks: addon.risks,
      validityMs: cluster.defaults.precheckValidityMs,
    });
  });
  history.upgrades.forEach((u, i) => {
    addUpgrade(u.targetVersion, now - ms(u.createdAgo), u.running, seed("upgrade", i), u.result);
  });
  history.workflows.forEach((w, i) => {
    const createdAt = now - ms(w.createdAgo);
    const target = findTarget(w.targetVersion, cluster.targetVersions) ?? w.targetVersion;
    const workflow = store.addCceWorkflow({
      id: uuid(seed("workflow", i)),
      clusterId: cluster.id,
      clusterVersion: cluster.version,
      targetVersion: target,
      createdAt,
      updatedAt: createdAt,
      cancelled: w.cancelled,
    });
    // Sub-tasks follow each other inside the workflow's age.
    const age = now - createdAt;
    if (w.precheck !== "none") {
      const precheck = addPrecheck(
        target,
        createdAt + age * 0.1,
        w.precheck === "running",
        seed("workflow-precheck", i),
      );
      workflow.precheckId = precheck.id;
    }
    if (w.upgrade !== "none") {
      const task = addUpgrade(
        target,
        createdAt + age * 0.4,
        w.upgrade === "running",
        seed("workflow-upgrade", i),
        w.upgrade === "running" ? undefined : w.upgrade,
      );
      workflow.upgradeTaskId = task.id;
    }
    if (w.postcheck) {
      const postcheck = store.addCcePostcheck({
        id: uuid(seed("workflow-postcheck", i)),
        clusterId: cluster.id,
        clusterVersion: cluster.version,
        targetVersion: target,
        createdAt: createdAt + age * 0.9,
      });
      workflow.postcheckId = postcheck.id;
    }
    workflow.updatedAt = createdAt + age * 0.9;
  });
}

function seedAckHistory(store: Store, cluster: ClusterRecord, spec: ClusterSpec, now: number): void {
  const history = spec.history.ack;
  if (spec.history.cce !== undefined) throw new ScenarioError("history.cce given for an ACK cluster");
  if (spec.addons.length > 0)
    throw new ScenarioError("addons are a CCE concept; remove them from the ACK cluster");
  if (history === undefined) return;
  const poolNamed = (name: string, what: string): AckNodePoolRecord => {
    const pool = cluster.nodePools?.find((p) => p.name === name || p.id === name);
    if (pool === undefined)
      throw new ScenarioError(`${what} names node pool "${name}", which ${spec.name} does not have`);
    return pool;
  };
  history.checks.forEach((c, i) => {
    const createdAt = now - ms(c.createdAgo);
    const nodePool = c.type === "NodePoolUpgrade";
    const pool = nodePool && c.target !== undefined ? poolNamed(c.target, `history check ${i}`) : undefined;
    const target = nodePool ? c.targetVersion : (c.targetVersion ?? cluster.targetVersions[0]);
    const progression = pool?.checkProgress ?? checkProgressFor(cluster, target);
    const override = c.outcome === undefined ? pool?.check : toAckCheckOutcome(c.outcome);
    store.addAckCheck({
      id: ackCheckId(cluster.id, createdAt, `check:${cluster.id}:${i}`),
      clusterId: cluster.id,
      type: c.type,
      ...(c.target === undefined ? {} : { target: pool?.id ?? c.target }),
      options: target === undefined || !c.targetRecorded ? {} : { next_version: target },
      clock: c.running ? runningClock(createdAt, progression) : finishedClock(createdAt, progression, now),
      outcome: ackCheckOutcomeFor(cluster, c.type, target, override),
    });
  });
  history.upgrades.forEach((u, i) => {
    const createdAt = now - ms(u.createdAgo);
    const pool = u.nodePool === undefined ? undefined : poolNamed(u.nodePool, `history upgrade ${i}`);
    const progression = toProgression(
      u.progress,
      pool?.upgradeProgress ?? upgradeProgressFor(cluster, u.targetVersion),
    );
    const outcome =
      pool === undefined
        ? upgradeOutcomeFor(cluster, u.targetVersion)
        : (pool.upgrade ?? { result: "Success" as const });
    const clock = u.running
      ? runningClock(createdAt, progression)
      : finishedClock(createdAt, progression, now);
    store.addAckTask(
      {
        id: ackTaskId(`task:${cluster.id}:${i}`),
        clusterId: cluster.id,
        ...(pool === undefined
          ? { taskType: "cluster_upgrade" as const, fromVersion: cluster.version }
          : { taskType: "nodepool_upgrade" as const, nodePoolId: pool.id, fromVersion: pool.version }),
        targetVersion: u.targetVersion,
        masterOnly: false,
        clock,
        outcome:
          u.result === undefined
            ? outcome
            : { ...outcome, result: u.result === "success" ? "Success" : "Failed" },
        ...(u.result === "canceled" && clock.finishedAt !== undefined
          ? { cancelledAt: clock.finishedAt }
          : {}),
        applied: !u.running,
      },
      now,
    );
  });
}
