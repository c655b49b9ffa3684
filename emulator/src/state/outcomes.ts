/**
 * What a check or upgrade of a cluster produces, looked up from the scenario's outcomes by target
 * version (exact, then matching minor/patch, then `*`), with the defaults a healthy cluster gives.
 */
import {
  type AckCheckItemOutcome,
  type AckCheckOutcome,
  type AckCheckType,
  type ClusterRecord,
  type PostcheckOutcome,
  type PrecheckOutcome,
  type Progression,
  type SnapshotOutcome,
  type TargetOutcome,
  type UpgradeOutcome,
} from "./types";
import { matchesTarget } from "./versions";

export function outcomeFor(cluster: ClusterRecord, target: string | undefined): TargetOutcome {
  if (target !== undefined) {
    const exact = cluster.outcomes[target];
    if (exact !== undefined) return exact;
    for (const [key, outcome] of Object.entries(cluster.outcomes)) {
      if (key !== "*" && matchesTarget(target, key)) return outcome;
    }
  }
  return cluster.outcomes["*"] ?? {};
}

export function precheckOutcomeFor(cluster: ClusterRecord, target: string): PrecheckOutcome {
  return outcomeFor(cluster, target).precheck ?? { items: [] };
}

/** Whether a finished precheck counts as failed: explicit phase, else any failed Fatal item. */
export function precheckPhase(outcome: PrecheckOutcome): "Success" | "Failed" | "Error" {
  if (outcome.phase !== undefined) return outcome.phase;
  return outcome.items.some((i) => i.level === "Fatal" && i.phase === "Failed") ? "Failed" : "Success";
}

export function upgradeOutcomeFor(cluster: ClusterRecord, target: string): UpgradeOutcome {
  return outcomeFor(cluster, target).upgrade ?? { result: "Success" };
}

/** The snapshot before an upgrade to `target` (the cluster's open workflow's; else the `*` outcome). */
export function snapshotOutcomeFor(cluster: ClusterRecord, target: string | undefined): SnapshotOutcome {
  return outcomeFor(cluster, target).snapshot ?? { result: "Success" };
}

export function postcheckOutcomeFor(cluster: ClusterRecord, target: string | undefined): PostcheckOutcome {
  return outcomeFor(cluster, target).postcheck ?? { phase: "Success" };
}

export function checkProgressFor(cluster: ClusterRecord, target: string | undefined): Progression {
  return outcomeFor(cluster, target).checkProgress ?? cluster.defaults.checkProgress;
}

export function upgradeProgressFor(cluster: ClusterRecord, target: string): Progression {
  return outcomeFor(cluster, target).upgradeProgress ?? cluster.defaults.upgradeProgress;
}

/** The items every ACK check reports as normal unless the scenario says otherwise. */
export const ACK_BASELINE_ITEMS: readonly AckCheckItemOutcome[] = [
  { name: "APIServerSLB", group: "ClusterResource", level: "normal", message: "", targets: [] },
  { name: "VSwitchIPs", group: "ClusterResource", level: "normal", message: "", targets: [] },
  { name: "DeprecatedAPI", group: "ClusterComponent", level: "normal", message: "", targets: [] },
  { name: "ComponentVersion", group: "ClusterComponent", level: "normal", message: "", targets: [] },
  { name: "KubeletConfig", group: "ClusterConfiguration", level: "normal", message: "", targets: [] },
];

/** Baseline items overlaid with the scenario's; status derived from the items unless given. */
export function ackCheckOutcomeFor(
  cluster: ClusterRecord,
  type: AckCheckType,
  target: string | undefined,
  override?: AckCheckOutcome,
): AckCheckOutcome {
  const upgradeLike = type === "ClusterUpgrade" || type === "MasterUpgrade";
  const configured = override ??
    (upgradeLike ? outcomeFor(cluster, target).check : undefined) ?? { items: [] };
  const byName = new Map<string, AckCheckItemOutcome>();
  for (const item of ACK_BASELINE_ITEMS) byName.set(item.name, item);
  for (const item of configured.items) byName.set(item.name, item);
  const items = [...byName.values()];
  const status = configured.status ?? (items.some((i) => i.level === "error") ? "Failed" : "Succeeded");
  return {
    status,
    message: configured.message ?? (status === "Succeeded" ? "task succeed" : "task failed"),
    items,
  };
}
