/**
 * upgrade-guard example: one CCE and one ACK control-plane upgrade, each a resource of the SDK.
 * Under `--policy-pack policy-pack` a preview is blocked when the cloud's latest check for the
 * target has blocking findings; the resources also refuse to start such an upgrade themselves.
 *
 * Configuration (`guarded-upgrade:` namespace): `cce` and `ack`, each `{ clusterId, targetVersion }`
 * (CCE also `snapshot: true` to back up the control plane before the upgrade); leave one out to
 * upgrade only the other. Endpoints and credentials come from the `upgrade-guard:*`
 * configuration or the environment (the vendors' variables, or the emulator's).
 */
import * as pulumi from "@pulumi/pulumi";
import { ack, cce } from "@upgrade-guard/sdk";

interface UpgradeTarget {
  clusterId: string;
  targetVersion: string;
}

const config = new pulumi.Config();
const cceTarget = config.getObject<UpgradeTarget & { snapshot?: boolean }>("cce");
const ackTarget = config.getObject<UpgradeTarget>("ack");
if (cceTarget === undefined && ackTarget === undefined) {
  throw new Error(
    `${config.name}: set cce or ack to { clusterId, targetVersion }, e.g. ` +
      "`pulumi config set --path cce.clusterId <id>` and `pulumi config set --path cce.targetVersion v1.30`.",
  );
}

const cceUpgrade = cceTarget === undefined ? undefined : new cce.ClusterUpgrade("cce-upgrade", cceTarget);
const ackUpgrade = ackTarget === undefined ? undefined : new ack.ClusterUpgrade("ack-upgrade", ackTarget);

/** What each upgrade did: the phase or state the vendor reports and the version the cluster is on. */
export const upgrades = {
  ...(cceUpgrade === undefined
    ? {}
    : {
        cce: {
          phase: cceUpgrade.phase,
          clusterVersion: cceUpgrade.clusterVersion,
          // The master snapshot before the upgrade (when asked for) and CCE's post-upgrade check.
          snapshot: cceUpgrade.snapshotResult.apply((result) => result?.phase ?? "not taken"),
          postCheck: cceUpgrade.postCheckResult.apply((result) => result?.phase ?? "not run"),
        },
      }),
  ...(ackUpgrade === undefined
    ? {}
    : { ack: { phase: ackUpgrade.phase, clusterVersion: ackUpgrade.clusterVersion } }),
};
