// @API CCE POST /api/v3.1/projects/{project_id}/clusters/{cluster_id}/operation/snapshot
// @API CCE GET /api/v3.1/projects/{project_id}/clusters/{cluster_id}/operation/snapshot/tasks
// @API CCE POST /api/v3/projects/{project_id}/clusters/{cluster_id}/operation/postcheck
/**
 * The two steps around a CCE upgrade that Huawei's own Terraform resource offers
 * (docs/cce.md#snapshot-and-post-check): a master snapshot before UpgradeCluster and the vendor's
 * post-upgrade check after it. Each returns what `cce.ClusterUpgrade` records, or throws an error
 * that names the task, what CCE said and what to do.
 */
import { z } from "zod";
import { type CceClient } from "../../clients/cce/client";
import { type CceSnapshotTask } from "../../clients/cce/schemas";
import { isPendingPhase, newestFirst, type WaitTiming } from "../shared/common";
import { log, logStarted, waitWithProgress } from "../shared/log";

/** Default deadline of the snapshot wait, in minutes. */
export const DEFAULT_SNAPSHOT_TIMEOUT_MINUTES = 30;

/** `snapshotResult`: the master snapshot taken before the upgrade. */
export const snapshotResultSchema = z.object({
  taskId: z.string(),
  phase: z.string(),
  completedAt: z.string().optional(),
});
export type SnapshotResult = z.output<typeof snapshotResultSchema>;

/** `postCheckResult`: the cluster after the upgrade and, when it ran, CCE's post-upgrade check. */
export const postCheckResultSchema = z.object({
  clusterVersion: z.string(),
  clusterPhase: z.string().optional(),
  reachedTarget: z.boolean(),
  taskId: z.string().optional(),
  phase: z.string().optional(),
  message: z.string().optional(),
});

const SNAPSHOT_FINAL = ["Success", "Failed"];

/** A failed sub-task's message (`spec.items[].message`), else the task's phase. */
function failureOf(task: CceSnapshotTask | undefined): string {
  const item = task?.spec?.items.find((i) => i.message !== undefined && i.message !== "");
  return item?.message ?? `phase ${task?.status?.phase ?? "unknown"}`;
}

/**
 * Takes a master snapshot and waits for it. A snapshot still running for the cluster (one an
 * interrupted `up` started) is adopted instead of starting a second, which CCE would refuse.
 * Throws, before anything is upgraded, when the snapshot fails or the wait ends.
 */
export async function takeMasterSnapshot(
  cce: CceClient,
  clusterId: string,
  timing: WaitTiming,
  what: string,
): Promise<SnapshotResult> {
  const { items } = await cce.listClusterMasterSnapshotTasks({ clusterId });
  const running = newestFirst(items, (t) => t.metadata.creationTimestamp).find((t) =>
    isPendingPhase(t.status?.phase, SNAPSHOT_FINAL),
  );
  let taskId: string;
  if (running !== undefined) {
    taskId = running.metadata.uid;
    log("info", `${what}: adopting master snapshot ${taskId} already running`);
  } else {
    const created = await cce.createClusterMasterSnapshot({ clusterId });
    taskId = created.uid;
    logStarted(what, `started master snapshot ${taskId} before the upgrade`, created.recovered);
  }
  const task = await waitWithProgress(what, timing, {
    poll: async (signal) =>
      (await cce.listClusterMasterSnapshotTasks({ clusterId }, { signal })).items.find(
        (t) => t.metadata.uid === taskId,
      ),
    // Both final phases end the wait; the failure is reported below with CCE's message.
    classify: (task) => {
      const phase = task?.status?.phase;
      return {
        state: isPendingPhase(phase, SNAPSHOT_FINAL) ? "pending" : "success",
        ...(phase === undefined ? {} : { phase }),
      };
    },
    task: `CCE master snapshot ${taskId} of cluster ${clusterId}`,
  });
  const phase = task?.status?.phase ?? "Unknown";
  if (phase.toLowerCase() !== "success") {
    throw new Error(
      `${what}: master snapshot ${taskId} ended ${phase} (${failureOf(task)}); the upgrade was not ` +
        "started. Fix the cause in CCE (the snapshot backs up the control plane to EVS: check the EVS " +
        "quota and the cluster's state), then run `pulumi up` again; or set `snapshot: false` to " +
        "upgrade without a backup.",
    );
  }
  const completedAt = task?.status?.completionTime;
  log("info", `${what}: master snapshot ${taskId} succeeded`);
  return { taskId, phase, ...(completedAt === undefined ? {} : { completedAt }) };
}

/**
 * CCE's post-upgrade check (CreatePostCheck, answered at once). A phase other than `Success`
 * (`Failed`, `Error`, or one this code does not know) fails the check.
 */
export async function runPostCheck(
  cce: CceClient,
  args: { readonly clusterId: string; readonly fromVersion: string; readonly targetVersion: string },
) {
  const answer = await cce.createPostCheck({
    clusterId: args.clusterId,
    clusterVersion: args.fromVersion,
    targetVersion: args.targetVersion,
  });
  const taskId = answer.metadata?.uid;
  const message = answer.status.message;
  return {
    passed: answer.status.phase.toLowerCase() === "success",
    phase: answer.status.phase,
    ...(taskId === undefined ? {} : { taskId }),
    ...(message === undefined || message === "" ? {} : { message }),
  };
}
