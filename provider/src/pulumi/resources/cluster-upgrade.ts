/**
 * The one lifecycle of the cluster upgrade resources (`cce.ClusterUpgrade`, `ack.ClusterUpgrade`).
 * The order of steps, the resume rules and what each step records are the same on both clouds, so
 * they are written once here; each cloud's module supplies an `UpgradeCloud`: its calls, its task
 * words and the steps only it has (the CCE upgrade workflow, the ACK cancel on failure).
 *
 * - create: a cluster that already satisfies the target starts nothing (`AlreadyAtTarget`); a
 *   target older than the cluster is refused before any vendor call; an upgrade task already
 *   running for the target (a retried create) is adopted. Otherwise: the cloud's preparation
 *   (fresh check, workflow), then the gate (the one facts gatherer and `evaluate`; it REFUSES to
 *   start when the facts block), then the cloud's last step before the upgrade (the CCE master
 *   snapshot; its failure stops the create with nothing upgraded), then the upgrade, the wait and
 *   the post-check (a failed one is recorded and re-run by the next `up`). Once the vendor
 *   accepted the task, any failure records the resource with the task id and the next `up`
 *   resumes the wait: nothing is started twice.
 * - read: re-reads the task and the cluster; a cluster moved off the version this upgrade left it
 *   on is reported in `outOfBand` and the log; a vanished cluster removes the resource. It never
 *   marks an unfinished upgrade finished (no `clusterVersion`, no success phase): the post-check
 *   runs only in `update`.
 * - update: resumes an upgrade that did not finish (a finished one records the cluster version of
 *   its post-check); otherwise only inputs change, without effect on an upgrade that already ran.
 *   When the vendor no longer has the recorded task (not-found), nothing can be resumed: the
 *   cluster is judged as create judges it (on the target: recorded `AlreadyAtTarget`; otherwise a
 *   new upgrade through the gate, whose task id the outputs then record). Refresh keeps such a
 *   record and says what the next `up` does.
 * - diff: an upgrade that did not finish is an update (also after a refresh), so `up` resumes it.
 * - delete: an upgrade cannot be undone; the resource leaves the state, a running task is left
 *   running, and the log says so.
 */
import { type z } from "zod";
import { isVersionChange, targetMatches } from "../../internal/versions";
import { primaryCheckOf } from "../../readiness/summary";
import { waitFor } from "../../readiness/waiter";
import {
  afterAccepted,
  compact,
  NothingToRecord,
  unlessNotFound,
  refuseDowngrade,
  type CceLocation,
  type VendorClients,
  waitTiming,
  withVendor,
} from "../shared/common";
import { PartialCreateError } from "../shared/errors";
import { log, logStarted, progressPrinter } from "../shared/log";
import { type PropertyMap, type ResourceLifecycle } from "../shared/types";
import {
  computedOf,
  lifecycleOf,
  type DiffSpec,
  inPlaceOutputs,
  parseInputs,
  readOutputs,
  readOutputsForDelete,
  withoutProvider,
} from "./lifecycle";
import { type GateDecision, gateRecord, type GateRequest, type upgradeOutputsShape } from "./upgrade-gate";

/** Default deadline of the upgrade wait on both clouds, in minutes. */
export const DEFAULT_UPGRADE_TIMEOUT_MINUTES = 180;

/** Phase recorded when the cluster already satisfied the target and nothing was started. */
export const ALREADY_AT_TARGET = "AlreadyAtTarget";

/**
 * Phase recorded when a resumed upgrade's task failed and nothing of it is left running (ACK
 * cancelled it): the next `update` starts a new upgrade through the gate, as the next `up` after
 * such a failed create does.
 */
export const FAILED_AND_CLEARED = "FailedAndCleared";

/** A cluster as the lifecycle needs it. */
export interface ClusterView {
  readonly version: string;
  /** CCE `status.phase`, ACK `state` (`upgrading` while an upgrade runs). */
  readonly state?: string | undefined;
}

/** An upgrade task as the lifecycle needs it. */
export interface TaskView {
  /** The vendor's word for where the task is (CCE `status.phase`, ACK `state`). */
  readonly phase: string;
  readonly startedAt?: string | undefined;
  readonly completedAt?: string | undefined;
}

/** The inputs both upgrade resources share. */
export interface UpgradeInputs extends GateRequest, CceLocation {
  readonly waitTimeoutMinutes?: number | undefined;
}

/** The outputs both upgrade resources record (each adds its own ids through its `UpgradeCloud`). */
type Recorded = z.output<z.ZodObject<typeof upgradeOutputsShape>> & Record<string, unknown>;

/** One cloud's part of the upgrade lifecycle; `Cluster` may carry more than the view needs. */
export interface UpgradeCloud<
  V extends keyof VendorClients,
  Inputs extends UpgradeInputs,
  Cluster extends ClusterView = ClusterView,
> {
  /** `cce.ClusterUpgrade`. */
  readonly resource: string;
  readonly vendor: V;
  /** Also parses the inputs of every step (`parseInputs`). */
  readonly inputsSchema: z.ZodType<Inputs>;
  readonly outputsSchema: z.ZodObject;
  readonly diff: DiffSpec;
  /** Output keys of the upgrade task id and of the check the gate decided on. */
  readonly keys: { readonly task: string; readonly check: string };
  /** What the vendor calls a task's status, and the words it uses. */
  readonly words: {
    readonly status: "phase" | "state";
    readonly unknown: string;
    readonly running: string;
    readonly started: string;
    readonly check: string;
  };
  /** What to do when the wait did not end (appended to the recorded-create error). */
  readonly resumeHint: string;
  readCluster(client: VendorClients[V], clusterId: string): Promise<Cluster>;
  readTask(client: VendorClients[V], inputs: Inputs, taskId: string, signal?: AbortSignal): Promise<TaskView>;
  taskState(phase: string): "success" | "failure" | "pending";
  /** An upgrade task already running for the target, if any. */
  findRunning(
    client: VendorClients[V],
    inputs: Inputs,
    cluster: Cluster,
  ): Promise<{ readonly id: string; readonly phase: string; readonly fromVersion?: string } | undefined>;
  /** The cloud's steps before the gate (a fresh check, the workflow); returns what they record. */
  prepare(client: VendorClients[V], inputs: Inputs, cluster: Cluster, what: string): Promise<PropertyMap>;
  // NoInfer: `Inputs` comes from the inputs schema, not from a gate that takes fewer inputs.
  gate(client: VendorClients[V], what: string, inputs: NoInfer<Inputs>): Promise<GateDecision>;
  /** Starts the upgrade; `recovered`: found after the answer was lost (create recovery). */
  start(
    client: VendorClients[V],
    inputs: Inputs,
  ): Promise<{ readonly id: string; readonly recovered?: boolean | undefined }>;
  /**
   * After the gate allowed the upgrade and before it starts (the CCE master snapshot); returns what
   * it records. Throwing stops the create with nothing started.
   */
  beforeStart?(client: VendorClients[V], inputs: Inputs, what: string): Promise<PropertyMap>;
  /**
   * Called when the task failed (the wait saw it fail, or a resumed one found it failed); may clean
   * up. Returns what it did when nothing is left running (e.g. the task was cancelled), so the next
   * `up` may start afresh; `undefined` keeps the failed task recorded (`failedMessage`).
   */
  onTaskFailed?(
    client: VendorClients[V],
    inputs: Inputs,
    taskId: string,
    what: string,
  ): Promise<string | undefined>;
  /**
   * After success: whether the cluster counts as upgraded, what the post-check records, and, when
   * the vendor's own post-check failed, the error to stop with (recorded, so `up` checks again).
   */
  postCheck(
    client: VendorClients[V],
    inputs: Inputs,
    cluster: ClusterView,
    fromVersion: string,
    what: string,
  ): Promise<{ readonly reached: boolean; readonly record?: PropertyMap; readonly failure?: string }>;
  /** Whether `version` satisfies the upgrade's target, for refresh (ACK `masterOnly`: always). */
  satisfiesTarget(inputs: Inputs, version: string): boolean;
  /** What the cluster adds to the outputs on every read (ACK: `clusterState`). */
  clusterRecord(cluster: ClusterView): PropertyMap;
  /** The error text of `update` for a task that failed in the vendor. */
  failedMessage(what: string, taskId: string, phase: string): string;
}

/** The `ResourceLifecycle` of one cloud's upgrade resource. */
export function upgradeLifecycle<
  V extends keyof VendorClients,
  Inputs extends UpgradeInputs,
  Cluster extends ClusterView,
>(cloud: UpgradeCloud<V, Inputs, Cluster>): ResourceLifecycle {
  const parse = (props: PropertyMap): Inputs => parseInputs(cloud.inputsSchema, props, cloud.resource);
  const label = (inputs: Inputs): string =>
    `${cloud.resource} ${inputs.clusterId} -> ${inputs.targetVersion}`;
  const settled = (phase: string): boolean =>
    phase === ALREADY_AT_TARGET || phase === FAILED_AND_CLEARED || cloud.taskState(phase) !== "pending";

  /**
   * The one failure path of a task that failed, for create and update alike: the cloud's clean-up,
   * then an error whose advice holds. Nothing left running: a create records nothing and an update
   * records `FAILED_AND_CLEARED`, so either way the next `up` starts a new upgrade through the gate.
   * Otherwise it returns: the failed task stays recorded and the caller's error (the wait's, with
   * the vendor's words; or `failedMessage`) says what to do.
   */
  async function taskFailed(
    client: VendorClients[V],
    inputs: Inputs,
    taskId: string,
    known: Recorded | undefined,
  ): Promise<void> {
    const what = label(inputs);
    const cleared = await cloud.onTaskFailed?.(client, inputs, taskId, what);
    if (cleared === undefined) return;
    const error = new Error(
      `${what}: ${cleared}, so nothing is left running. Fix the cause, then run \`pulumi up\` again: ` +
        "it starts a new upgrade through the gate.",
    );
    // NothingToRecord rethrows its error as it is: a create records nothing; an update records the
    // task as cleared (a partial update), so its next `update` starts afresh instead of failing again.
    if (known === undefined) throw new NothingToRecord(error);
    throw new NothingToRecord(
      new PartialCreateError(
        taskId,
        compact({ ...inputs, ...known, [cloud.keys.task]: taskId, phase: FAILED_AND_CLEARED }),
        error,
        "it is recorded as `FailedAndCleared`.",
      ),
    );
  }

  /**
   * Nothing left for `update` to resume: no task, nothing to upgrade, or success recorded with the
   * cluster version, which only `finish` writes, after the post-check. Without it the post-check (or
   * the wait) never completed, whatever phase an older record says.
   */
  const finished = (recorded: Recorded): boolean => {
    const { phase } = recorded;
    if (typeof recorded[cloud.keys.task] !== "string" || phase === ALREADY_AT_TARGET) return true;
    return (
      phase !== undefined && cloud.taskState(phase) === "success" && recorded.clusterVersion !== undefined
    );
  };

  /** Waits for the task, then post-checks; returns the outputs. `progress` carries what is known. */
  async function finish(
    client: VendorClients[V],
    inputs: Inputs,
    taskId: string,
    progress: Recorded,
    resumed = false,
  ): Promise<PropertyMap> {
    const what = label(inputs);
    const timing = waitTiming(inputs.waitTimeoutMinutes, DEFAULT_UPGRADE_TIMEOUT_MINUTES);
    const known = { ...progress, [cloud.keys.task]: taskId };
    // One printer for the whole wait: it remembers when it last printed (the heartbeat).
    const printProgress = progressPrinter(what, timing.deadlineMs);
    return afterAccepted(
      taskId,
      () => ({ ...inputs, ...known }),
      cloud.resumeHint,
      async () => {
        let task: TaskView;
        try {
          const outcome = await waitFor({
            poll: (signal) => cloud.readTask(client, inputs, taskId, signal),
            classify: (view) => ({ state: cloud.taskState(view.phase), phase: view.phase }),
            task: `${cloud.vendor} upgrade task ${taskId} of cluster ${inputs.clusterId} to ${inputs.targetVersion}`,
            ...timing,
            onProgress: (event) => {
              // Success is recorded only after the post-check passed (below), so an interruption
              // in between leaves a record that `update` resumes instead of skipping.
              if (event.phase !== undefined && cloud.taskState(event.phase) !== "success")
                known.phase = event.phase;
              printProgress(event);
            },
          });
          task = outcome.value;
        } catch (error) {
          if ((error as { code?: string }).code === "WAIT_FAILED")
            await taskFailed(client, inputs, taskId, resumed ? known : undefined);
          throw error;
        }
        const cluster = await cloud.readCluster(client, inputs.clusterId);
        const check = await cloud.postCheck(
          client,
          inputs,
          cluster,
          known.fromVersion ?? cluster.version,
          what,
        );
        if (check.failure !== undefined) {
          // Recorded with the task (not as success), so the next `up` runs the post-check again.
          Object.assign(known, check.record);
          throw new Error(check.failure);
        }
        if (!check.reached) {
          throw new Error(
            `${what}: upgrade task ${taskId} succeeded but the cluster reports version ${cluster.version}`,
          );
        }
        log("info", `${what}: upgrade task ${taskId} finished; cluster on ${cluster.version}`);
        return compact({
          ...inputs,
          ...known,
          phase: task.phase,
          clusterVersion: cluster.version,
          ...cloud.clusterRecord(cluster),
          startedAt: task.startedAt,
          completedAt: task.completedAt,
          ...check.record,
        });
      },
    );
  }

  async function create(props: PropertyMap): Promise<{ id: string; outs: PropertyMap }> {
    const inputs = parse(props);
    return withVendor(cloud.vendor, inputs, async (client) =>
      upgradeFrom(client, inputs, await cloud.readCluster(client, inputs.clusterId)),
    );
  }

  /**
   * Create's steps once the cluster is read: nothing when it is on the target, else adopt or start
   * (through the gate) and wait. Also `update`'s when the recorded task vanished (`fromVersion`:
   * the version the first task started from).
   */
  async function upgradeFrom(
    client: VendorClients[V],
    inputs: Inputs,
    cluster: Cluster,
    fromVersion?: string,
  ): Promise<{ id: string; outs: PropertyMap }> {
    const what = label(inputs);
    const { clusterId, targetVersion } = inputs;
    if (!isVersionChange(cluster.version, targetVersion)) {
      log("info", `${what}: cluster is already on ${cluster.version}; nothing to upgrade`);
      const outputs: Recorded = {
        phase: ALREADY_AT_TARGET,
        fromVersion: fromVersion ?? cluster.version,
        clusterVersion: cluster.version,
      };
      return { id: `${clusterId}@${targetVersion}`, outs: compact({ ...inputs, ...outputs }) };
    }
    refuseDowngrade(what, cluster.version, targetVersion);
    const running = await cloud.findRunning(client, inputs, cluster);
    if (running !== undefined) {
      log("info", `${what}: adopting upgrade task ${running.id} already running for this target`);
      const progress: Recorded = {
        phase: running.phase,
        fromVersion: running.fromVersion ?? cluster.version,
      };
      return { id: running.id, outs: await finish(client, inputs, running.id, progress) };
    }
    if ((cluster.state ?? "").toLowerCase() === "upgrading") {
      throw new Error(
        `${what}: the cluster is already upgrading (no upgrade task for this target was found); ` +
          "not starting a second upgrade",
      );
    }

    const prepared = await cloud.prepare(client, inputs, cluster, what);
    // The gate reads the facts itself (a fresh check is the newest for the target by now).
    const decision = await cloud.gate(client, what, inputs);
    const check = primaryCheckOf(decision.snapshot);
    const guarded = (await cloud.beforeStart?.(client, inputs, what)) ?? {};
    const started = await cloud.start(client, inputs);
    logStarted(
      what,
      `started upgrade task ${started.id} (${cloud.words.check} ${check?.id ?? "none"})`,
      started.recovered,
    );
    const progress: Recorded = {
      ...prepared,
      ...guarded,
      ...(check === undefined ? {} : { [cloud.keys.check]: check.id }),
      fromVersion: cluster.version,
      gate: gateRecord(decision),
      phase: cloud.words.started,
    };
    return { id: started.id, outs: await finish(client, inputs, started.id, progress) };
  }

  async function read(id: string, props?: PropertyMap): Promise<{ id: string; props?: PropertyMap }> {
    const olds = withoutProvider(props);
    const inputs = parse(olds);
    const recorded = readOutputs(cloud.outputsSchema, olds, cloud.resource) as Recorded;
    const what = label(inputs);
    return withVendor(cloud.vendor, inputs, async (client) => {
      const cluster: ClusterView | undefined = await unlessNotFound(
        cloud.readCluster(client, inputs.clusterId),
      );
      if (cluster === undefined) {
        log(
          "warn",
          `${what}: cluster ${inputs.clusterId} no longer exists; removing the upgrade from the state`,
        );
        return { id: "" };
      }
      const done = finished(recorded);
      let phase = recorded.phase ?? cloud.words.unknown;
      const taskId = recorded[cloud.keys.task];
      if (typeof taskId === "string") {
        const task = await unlessNotFound(cloud.readTask(client, inputs, taskId));
        // A cleared failure stays one: the vendor's failed state would read as "resume it".
        if (task !== undefined && phase !== FAILED_AND_CLEARED) phase = task.phase;
        else
          log(
            "warn",
            `${what}: upgrade task ${taskId} no longer exists in ${cloud.vendor}; keeping its last ` +
              `${cloud.words.status} ${phase}` +
              (done
                ? ""
                : " (the upgrade did not finish: the next `pulumi up` records it done if the cluster " +
                  "is on the target, otherwise starts a new upgrade through the gate)"),
          );
      }
      const live = cluster.version;
      const leftOn = done ? recorded.clusterVersion : undefined;
      let outOfBand: string | undefined;
      if (settled(phase) && !cloud.satisfiesTarget(inputs, live)) {
        outOfBand = `the cluster is on ${live}, which does not satisfy the target ${inputs.targetVersion}`;
      } else if (settled(phase) && leftOn !== undefined && leftOn !== live && !targetMatches(leftOn, live)) {
        outOfBand = `the cluster moved from ${leftOn} to ${live} outside this resource`;
      }
      if (outOfBand !== undefined) log("warn", `${what}: ${outOfBand}`);
      const { outOfBand: _previous, clusterVersion: _leftOn, ...rest } = olds;
      // Unfinished: the vendor's success is not this upgrade's (the post-check has not passed), so
      // it is recorded as `finish` would, and neither success nor `clusterVersion` reaches the state.
      const succeeded = !done && cloud.taskState(phase) === "success";
      if (succeeded)
        log(
          "info",
          `${what}: upgrade task ${String(taskId)} succeeded in ${cloud.vendor}; the next \`pulumi up\` ` +
            "finishes this upgrade (post-check)",
        );
      return {
        id,
        props: compact({
          ...rest,
          phase: succeeded ? cloud.words.running : phase,
          clusterVersion: done ? live : undefined,
          ...cloud.clusterRecord(cluster),
          outOfBand,
        }),
      };
    });
  }

  async function update(_id: string, olds: PropertyMap, news: PropertyMap): Promise<{ outs: PropertyMap }> {
    const inputs = parse(news);
    const recorded = readOutputs(cloud.outputsSchema, olds, cloud.resource) as Recorded;
    const taskId = recorded[cloud.keys.task];
    if (typeof taskId !== "string" || finished(recorded)) {
      return { outs: compact(inPlaceOutputs(cloud.inputsSchema, olds, inputs as PropertyMap)) };
    }
    const what = label(inputs);
    return withVendor(cloud.vendor, inputs, async (client) => {
      if (recorded.phase === FAILED_AND_CLEARED) {
        log(
          "info",
          `${what}: upgrade task ${taskId} failed and nothing of it is left running; starting a new ` +
            "upgrade through the gate",
        );
        const cluster = await cloud.readCluster(client, inputs.clusterId);
        return { outs: (await upgradeFrom(client, inputs, cluster, recorded.fromVersion)).outs };
      }
      const task = await unlessNotFound(cloud.readTask(client, inputs, taskId));
      if (task === undefined) {
        // Vendors drop tasks (or one was deleted): nothing to resume. Judge the cluster as create
        // would: on the target it is done; otherwise a new upgrade, through the gate.
        const cluster = await cloud.readCluster(client, inputs.clusterId);
        const next = isVersionChange(cluster.version, inputs.targetVersion)
          ? `it is on ${cluster.version}, not the target: starting a new upgrade through the gate`
          : `it is on ${cluster.version}, which satisfies the target: recording the upgrade done`;
        log(
          "warn",
          `${what}: the recorded upgrade task ${taskId} no longer exists in ${cloud.vendor}, so there is ` +
            `nothing to resume; ${next}`,
        );
        const { outs } = await upgradeFrom(client, inputs, cluster, recorded.fromVersion);
        return { outs };
      }
      const state = cloud.taskState(task.phase);
      if (state === "failure") {
        // The same failure path as a wait that sees the task fail (create's), here before any wait.
        try {
          await taskFailed(client, inputs, taskId, recorded);
        } catch (error) {
          throw error instanceof NothingToRecord ? error.error : error;
        }
        throw new Error(cloud.failedMessage(what, taskId, task.phase));
      }
      log(
        "info",
        `${what}: resuming the wait for upgrade task ${taskId} (${cloud.words.status} ${task.phase})`,
      );
      const { outOfBand: _outOfBand, clusterVersion: _clusterVersion, ...progress } = recorded;
      // Success only once the post-check passed (`finish` records it).
      const resumed: Recorded = {
        ...progress,
        phase: state === "success" ? cloud.words.running : task.phase,
      };
      return {
        outs: await finish(client, inputs, taskId, computedOf(cloud.inputsSchema, resumed) as Recorded, true),
      };
    });
  }

  async function remove(id: string, props: PropertyMap): Promise<void> {
    const recorded = readOutputsForDelete(cloud.outputsSchema, props, cloud.resource, (message) =>
      log("warn", message),
    ) as Partial<Recorded>;
    const phase = recorded.phase ?? cloud.words.unknown;
    const version = recorded.clusterVersion ?? "its current version";
    const running = !settled(phase);
    log(
      running ? "warn" : "info",
      `${cloud.resource} ${id}: an upgrade cannot be undone; the cluster stays on ${version}` +
        (running
          ? ` and upgrade task ${id} (${cloud.words.status} ${phase}) is left running in ${cloud.vendor}`
          : "") +
        "; removed from the state",
    );
  }

  return lifecycleOf(
    cloud.vendor,
    cloud.inputsSchema,
    cloud.diff,
    { create, read, update, delete: remove },
    { outputs: cloud.outputsSchema, unfinished: (recorded) => !finished(recorded as Recorded) },
  );
}
