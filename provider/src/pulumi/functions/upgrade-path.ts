// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}
// @API CCE GET /api/v3/projects/{project_id}/clusters/{cluster_id}/upgradeinfo
// @API ACK GET /clusters/{ClusterId}
/**
 * `getUpgradePath`: where may this cluster go from its current version? The targets the cloud
 * offers (CCE ShowClusterUpgradeInfo, ACK `next_version`), read with the facts gatherer's own rule
 * (readiness/facts.ts), so the targets shown here are exactly those `evaluate` lets through.
 */
import { z } from "zod";
import { ackUpgradePath, cceUpgradePath } from "../../readiness/facts";
import { cloudSchema, type UpgradePath } from "../../readiness/model";
import { nonEmpty, resourceId, withVendor } from "../shared/common";
import { dataFunction, type FunctionContext } from "./context";

/** Arguments of `getUpgradePath`. */
export const getUpgradePathArgs = z
  .strictObject({
    /** `cce` (Huawei Cloud) or `ack` (Alibaba Cloud). */
    cloud: cloudSchema,
    clusterId: resourceId,
    region: nonEmpty.optional(),
    /** CCE only. */
    projectId: nonEmpty.optional(),
  })
  .superRefine((args, ctx) => {
    if (args.cloud === "ack" && args.projectId !== undefined)
      ctx.addIssue({ code: "custom", path: ["projectId"], message: "applies to cloud cce only" });
  });
/** Arguments of `getUpgradePath`. */
export type GetUpgradePathArgs = z.input<typeof getUpgradePathArgs>;

/** The cluster's current version and the upgrade targets its cloud offers from it. */
export interface UpgradePathResult extends UpgradePath {
  readonly cloud: "cce" | "ack";
  readonly clusterId: string;
  /** The cluster's name, when the cloud names it. */
  readonly clusterName?: string;
  /** The version the cluster runs now. */
  readonly currentVersion: string;
}

/**
 * The upgrade targets the cloud offers a cluster. Throws `InputError` for bad arguments,
 * `ConfigError` for missing credentials, `ApiError` when the cloud refuses.
 */
export const getUpgradePath: (
  args: GetUpgradePathArgs,
  context?: FunctionContext,
) => Promise<UpgradePathResult> = dataFunction("getUpgradePath", getUpgradePathArgs, async (a, ctx) => {
  const { clusterId } = a;
  if (a.cloud === "cce") {
    return withVendor(
      "CCE",
      a,
      async (cce) => {
        const [cluster, info] = await Promise.all([
          cce.showCluster({ clusterId }),
          cce.showClusterUpgradeInfo({ clusterId }),
        ]);
        return {
          cloud: "cce" as const,
          clusterId,
          ...(cluster.metadata.name === undefined ? {} : { clusterName: cluster.metadata.name }),
          currentVersion: cluster.spec.version,
          ...cceUpgradePath(info),
        };
      },
      ctx,
    );
  }
  return withVendor(
    "ACK",
    a,
    async (ack) => {
      const cluster = await ack.describeClusterDetail({ clusterId });
      return {
        cloud: "ack" as const,
        clusterId,
        ...(cluster.name === undefined ? {} : { clusterName: cluster.name }),
        currentVersion: cluster.current_version,
        ...ackUpgradePath(cluster),
      };
    },
    ctx,
  );
});
