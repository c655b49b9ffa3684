/**
 * The one lifecycle of the check resources that run a vendor check and wait for it
 * (`cce.ClusterPrecheck`, `ack.ClusterCheck`, `cce.AddonPrecheck`). Each module supplies a
 * `CheckCloud`: how to start (or adopt) its check, wait for it, read it and turn it into outputs.
 *
 * - create: adopts a check for the same target that is still running (a retried create) when it
 *   checks what this resource asks for (the same skipped items or options), otherwise starts one; waits; outputs the check and its readiness. A check that FOUND problems is a
 *   successful create: the findings are the result. If the wait fails after the vendor accepted
 *   the check, the resource is recorded with its id and the next `up` resumes the wait.
 * - read (refresh): re-reads the check and the cluster; a vanished check or cluster removes the
 *   resource; a cluster whose version moved since the check is reported and the verdict recomputed
 *   (a check that records no cluster version reads no cluster).
 * - update: resumes the wait of a check that did not finish; otherwise only inputs change.
 * - diff: a check that did not finish is an update (also after a refresh read it still running), so
 *   the next `up` resumes it.
 * - delete: neither cloud has an API to delete a check; it stays in the cloud and leaves the state.
 */
import { type z } from "zod";
import {
  afterAccepted,
  compact,
  isNotFound,
  isPendingPhase,
  type WaitTiming,
  type CceLocation,
  type VendorClients,
  waitTiming,
  withVendor,
} from "../shared/common";
import { log } from "../shared/log";
import { type PropertyMap, type ResourceLifecycle } from "../shared/types";
import { lifecycleOf, type DiffSpec, inPlaceOutputs, parseInputs, readOutputs } from "./lifecycle";

/** Default deadline of every check wait (also the upgrades' fresh checks), in minutes. */
export const DEFAULT_CHECK_TIMEOUT_MINUTES = 30;

/** The inputs every check resource has. */
export interface CheckInputs extends CceLocation {
  readonly clusterId: string;
  readonly waitTimeoutMinutes?: number | undefined;
}

/** One cloud's part of the check lifecycle. */
export interface CheckCloud<V extends keyof VendorClients, Inputs extends CheckInputs, Check, Cluster> {
  /** `cce.ClusterPrecheck`. */
  readonly resource: string;
  readonly vendor: V;
  /** What the vendor calls the check (`precheck`, `check`), in log lines. */
  readonly noun: string;
  /** Also parses the inputs of every step (`parseInputs`). */
  readonly inputsSchema: z.ZodType<Inputs>;
  readonly outputsSchema: z.ZodObject;
  readonly diff: DiffSpec;
  /** Output key of the check's vendor status, and the status of a just-started check. */
  readonly statusKey: string;
  readonly startedStatus: string;
  /** The outputs that record the check id (the resource id), e.g. `{ taskId: id }`. */
  idOutputs(id: string): PropertyMap;
  /** The vendor's final statuses; any other means the check is still running. */
  readonly finalStatuses: readonly string[];
  /** Output key that only a finished check records (its readiness). */
  readonly finishedKey: string;
  label(inputs: Inputs): string;
  readCluster(client: VendorClients[V], inputs: Inputs): Promise<Cluster>;
  clusterVersion(cluster: Cluster): string | undefined;
  /** Adopts a running check for the same target or starts one; logs which; returns its id. */
  start(client: VendorClients[V], inputs: Inputs, what: string): Promise<{ id: string; cluster?: Cluster }>;
  wait(
    client: VendorClients[V],
    inputs: Inputs,
    id: string,
    timing: WaitTiming,
    what: string,
  ): Promise<Check>;
  /** The check now; `undefined` (or a `notFound` error) when it no longer exists. */
  readCheck(client: VendorClients[V], inputs: Inputs, id: string): Promise<Check | undefined>;
  statusOf(check: Check): string;
  /** The outputs of a finished (or refreshed) check, the inputs echoed. */
  outputs(inputs: Inputs, cluster: Cluster, region: string, check: Check, what: string): PropertyMap;
}

/** The `ResourceLifecycle` of one check resource. */
export function checkLifecycle<V extends keyof VendorClients, Inputs extends CheckInputs, Check, Cluster>(
  cloud: CheckCloud<V, Inputs, Check, Cluster>,
): ResourceLifecycle {
  const parse = (props: PropertyMap): Inputs => parseInputs(cloud.inputsSchema, props, cloud.resource);
  /** A record whose check `update` still waits for: never finished, or last seen running. */
  const unfinished = (recorded: Record<string, unknown>): boolean =>
    recorded[cloud.finishedKey] === undefined ||
    isPendingPhase(recorded[cloud.statusKey], cloud.finalStatuses);

  /** Waits for the check and returns its outputs; `cluster` is read after the wait unless given. */
  function finish(
    client: VendorClients[V],
    region: string,
    inputs: Inputs,
    id: string,
    cluster?: Cluster,
  ): Promise<PropertyMap> {
    const what = cloud.label(inputs);
    const timing = waitTiming(inputs.waitTimeoutMinutes, DEFAULT_CHECK_TIMEOUT_MINUTES);
    let lastStatus = cloud.startedStatus;
    return afterAccepted(
      id,
      () => ({ ...inputs, ...cloud.idOutputs(id), [cloud.statusKey]: lastStatus }),
      "run `pulumi up` again to resume waiting for it, or `pulumi refresh` to read its result.",
      async () => {
        const check = await cloud.wait(client, inputs, id, timing, what);
        lastStatus = cloud.statusOf(check);
        const seen = cluster ?? (await cloud.readCluster(client, inputs));
        return cloud.outputs(inputs, seen, region, check, what);
      },
    );
  }

  async function create(props: PropertyMap): Promise<{ id: string; outs: PropertyMap }> {
    const inputs = parse(props);
    return withVendor(cloud.vendor, inputs, async (client, { region }) => {
      const { id, cluster } = await cloud.start(client, inputs, cloud.label(inputs));
      return { id, outs: await finish(client, region, inputs, id, cluster) };
    });
  }

  async function read(id: string, props?: PropertyMap): Promise<{ id: string; props?: PropertyMap }> {
    const inputs = parse(props ?? {});
    const recorded = readOutputs(cloud.outputsSchema, props, cloud.resource) as { clusterVersion?: unknown };
    const what = cloud.label(inputs);
    return withVendor(cloud.vendor, inputs, async (client, { region }) => {
      let found: { check: Check; cluster: Cluster } | undefined;
      try {
        const check = await cloud.readCheck(client, inputs, id);
        if (check !== undefined) found = { check, cluster: await cloud.readCluster(client, inputs) };
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      if (found === undefined) {
        log(
          "warn",
          `${what}: ${cloud.noun} ${id} or its cluster no longer exists in ${cloud.vendor}; removing it from the state`,
        );
        return { id: "" };
      }
      const { check, cluster } = found;
      const live = cloud.clusterVersion(cluster);
      if (
        typeof recorded.clusterVersion === "string" &&
        live !== undefined &&
        recorded.clusterVersion !== live
      ) {
        log(
          "warn",
          `${what}: cluster ${inputs.clusterId} is now on ${live}, not ${recorded.clusterVersion} as when ` +
            `${cloud.noun} ${id} ran; its verdict was recomputed`,
        );
      }
      return { id, props: cloud.outputs(inputs, cluster, region, check, what) };
    });
  }

  async function update(id: string, olds: PropertyMap, news: PropertyMap): Promise<{ outs: PropertyMap }> {
    const inputs = parse(news);
    const recorded = readOutputs(cloud.outputsSchema, olds, cloud.resource) as Record<string, unknown>;
    if (!unfinished(recorded)) {
      return { outs: compact(inPlaceOutputs(cloud.inputsSchema, olds, inputs as unknown as PropertyMap)) };
    }
    // The create was interrupted after the vendor accepted the check: resume the wait, never start another.
    return withVendor(cloud.vendor, inputs, async (client, { region }) => {
      log(
        "info",
        `${cloud.label(inputs)}: resuming the wait for ${cloud.noun} ${id} (last ${cloud.statusKey} ${String(recorded[cloud.statusKey])})`,
      );
      return { outs: await finish(client, region, inputs, id) };
    });
  }

  async function remove(id: string, props: PropertyMap): Promise<void> {
    const cluster = typeof props["clusterId"] === "string" ? props["clusterId"] : "?";
    log(
      "info",
      `${cloud.resource}: ${cloud.noun} ${id} of cluster ${cluster} stays in ${cloud.vendor} ` +
        "(there is no API to delete it); removed from the state",
    );
  }

  return lifecycleOf(
    cloud.vendor,
    cloud.inputsSchema,
    cloud.diff,
    { create, read, update, delete: remove },
    { outputs: cloud.outputsSchema, unfinished },
  );
}
