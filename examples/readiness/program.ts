/**
 * upgrade-guard example program: readiness report, checks and guarded upgrades for CCE and ACK
 * clusters. `index.ts` runs it; tests run it under `pulumi.runtime.setMocks`.
 *
 * Configuration (project namespace `readiness:`, see README.md):
 * - `clusters`: a list of `{ name, cloud: "cce" | "ack", clusterId, targetVersion? }`;
 * - `mode`: `report` (default: read-only, safe in any preview), `check` (also run the checks) or
 *   `upgrade` (also upgrade; the policy pack and the resources' own gate stop unsafe upgrades).
 * Credentials and endpoints come from the `upgrade-guard:*` configuration or the environment.
 */
import * as pulumi from "@pulumi/pulumi";
import { ack, cce, getUpgradeReadinessOutput, type ReadinessSummary } from "@upgrade-guard/sdk";

interface ClusterEntry {
  /** A short name for outputs and resource names. */
  name: string;
  cloud: "cce" | "ack";
  clusterId: string;
  /** Default: the version the cloud offers next. */
  targetVersion?: string;
}

/** The stack outputs of the example. */
export interface ReadinessOutputs {
  /** What another stack can read through a StackReference: one entry per cluster. */
  readiness: Record<string, pulumi.Output<ClusterReadiness>>;
  /** Check results per cluster (mode `check` or `upgrade`). */
  checks: Record<string, pulumi.Output<unknown>>;
  /** Cluster versions after the upgrade (mode `upgrade`). */
  upgrades: Record<string, pulumi.Output<string>>;
}

/** One cluster's entry in the `readiness` output. */
export interface ClusterReadiness {
  cloud: string;
  clusterId: string;
  currentVersion: string;
  targetVersion: string;
  allowed: boolean;
  verdict: string;
  worstSeverity: string;
  reasons: string[];
  summary: ReadinessSummary;
}

/**
 * The program: reads `<project>:clusters` and `<project>:mode` (`readiness:` in this folder,
 * `upgrade-guard:` when run through the repository's root Pulumi.yaml), returns the stack outputs.
 */
export function readinessProgram(): ReadinessOutputs {
  const config = new pulumi.Config();
  const clusters = config.requireObject<ClusterEntry[]>("clusters");
  const mode = config.get("mode") ?? "report";
  if (!["report", "check", "upgrade"].includes(mode)) {
    throw new Error(
      `${config.name}:mode must be report, check or upgrade, not "${mode}"; ` +
        "set it with `pulumi config set mode report` (or check, upgrade).",
    );
  }

  const readiness: Record<string, pulumi.Output<ClusterReadiness>> = Object.fromEntries(
    clusters.map((cluster) => {
      const result = getUpgradeReadinessOutput({
        cloud: cluster.cloud,
        clusterId: cluster.clusterId,
        ...(cluster.targetVersion === undefined ? {} : { targetVersion: cluster.targetVersion }),
      });
      return [
        cluster.name,
        result.apply((r) => ({
          cloud: r.cloud,
          clusterId: r.clusterId,
          currentVersion: r.currentVersion,
          targetVersion: r.targetVersion,
          allowed: r.allowed,
          verdict: r.verdict,
          worstSeverity: r.worstSeverity,
          reasons: r.reasons,
          summary: r.summary,
        })),
      ];
    }),
  );

  const checks: Record<string, pulumi.Output<unknown>> = {};
  const upgrades: Record<string, pulumi.Output<string>> = {};

  for (const cluster of clusters) {
    const facts = readiness[cluster.name];
    if (mode === "report" || facts === undefined) continue;
    const target = facts.apply((r) => r.targetVersion);
    // Handing over what the program already read saves the resource a second lookup.
    const policyFacing = {
      currentVersion: facts.apply((r) => r.currentVersion),
      readiness: facts.apply((r) => r.summary),
    };
    if (cluster.cloud === "cce") {
      const check = new cce.ClusterPrecheck(`${cluster.name}-precheck`, {
        clusterId: cluster.clusterId,
        targetVersion: target,
      });
      checks[cluster.name] = pulumi
        .all([check.taskId, check.verdict, check.worstSeverity])
        .apply(([taskId, verdict, worstSeverity]) => ({ taskId, verdict, worstSeverity }));
      if (mode === "upgrade") {
        const upgrade = new cce.ClusterUpgrade(
          `${cluster.name}-upgrade`,
          { clusterId: cluster.clusterId, targetVersion: target, ...policyFacing },
          { dependsOn: [check] },
        );
        upgrades[cluster.name] = upgrade.clusterVersion;
      }
    } else {
      const check = new ack.ClusterCheck(`${cluster.name}-check`, {
        clusterId: cluster.clusterId,
        targetVersion: target,
      });
      checks[cluster.name] = pulumi
        .all([check.checkId, check.verdict, check.worstSeverity])
        .apply(([checkId, verdict, worstSeverity]) => ({ checkId, verdict, worstSeverity }));
      if (mode === "upgrade") {
        const upgrade = new ack.ClusterUpgrade(
          `${cluster.name}-upgrade`,
          { clusterId: cluster.clusterId, targetVersion: target, ...policyFacing },
          { dependsOn: [check] },
        );
        upgrades[cluster.name] = upgrade.clusterVersion;
      }
    }
  }
  return { readiness, checks, upgrades };
}
