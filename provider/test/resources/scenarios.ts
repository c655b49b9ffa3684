/** Emulator scenarios the resource tests need beyond the built-in default. */
import { type ScenarioInput } from "../../../emulator/src";

/**
 * Tasks that take an hour of virtual time: a wait with a short deadline times out, and advancing
 * the emulator's clock finishes them, so interrupted creates can be resumed without sleeping.
 */
export const SLOW: ScenarioInput = {
  name: "slow",
  defaults: { checkProgress: { duration: "1h" }, upgradeProgress: { duration: "1h" } },
  clusters: [
    {
      cloud: "cce",
      name: "cce-slow",
      version: "v1.29.5-r0",
      targetVersions: ["v1.30"],
      addons: [{ template: "coredns", version: "1.29.4" }],
      history: { cce: { addonChecks: [{ addon: "coredns", targetVersion: "1.30.1", createdAgo: "4m" }] } },
    },
    { cloud: "ack", name: "ack-slow", version: "1.31.1-aliyun.1", targetVersions: ["1.32.1-aliyun.1"] },
  ],
};

/** Upgrades that fail on their first read. */
export const FAILING: ScenarioInput = {
  name: "failing",
  defaults: { checkProgress: { polls: 1 }, upgradeProgress: { polls: 1 } },
  clusters: [
    {
      cloud: "cce",
      name: "cce-fails",
      version: "v1.29.5-r0",
      targetVersions: ["v1.30"],
      outcomes: { "v1.30": { upgrade: { result: "Failed", message: "etcd health check timed out" } } },
    },
    {
      cloud: "ack",
      name: "ack-fails",
      version: "1.31.1-aliyun.1",
      targetVersions: ["1.32.1-aliyun.1"],
      outcomes: { "1.32.1-aliyun.1": { upgrade: { result: "Failed", message: "kube-apiserver not ready" } } },
    },
  ],
};

/** Checks finish on their first read; upgrades take an hour of virtual time. */
export const SLOW_UPGRADE: ScenarioInput = {
  name: "slow-upgrade",
  defaults: { checkProgress: { polls: 1 }, upgradeProgress: { duration: "1h" } },
  clusters: [
    { cloud: "cce", name: "cce-slow", version: "v1.29.5-r0", targetVersions: ["v1.30"] },
    { cloud: "ack", name: "ack-slow", version: "1.31.1-aliyun.1", targetVersions: ["1.32.1-aliyun.1"] },
  ],
};

/** CCE safeguards: one cluster whose master snapshot fails, one whose post-upgrade check fails. */
export const SAFEGUARDS: ScenarioInput = {
  name: "safeguards",
  defaults: { checkProgress: { polls: 1 }, upgradeProgress: { polls: 1 } },
  clusters: [
    {
      cloud: "cce",
      name: "cce-snapshot-fails",
      version: "v1.29.5-r0",
      targetVersions: ["v1.30"],
      outcomes: {
        "v1.30": { snapshot: { result: "Failed", message: "EVS quota exceeded for the master backup" } },
      },
    },
    {
      cloud: "cce",
      name: "cce-postcheck-fails",
      version: "v1.29.5-r0",
      targetVersions: ["v1.30"],
      outcomes: {
        "v1.30": { postcheck: { phase: "Failed", message: "coredns is not ready after the upgrade" } },
      },
    },
    { cloud: "cce", name: "cce-healthy", version: "v1.29.5-r0", targetVersions: ["v1.30"] },
  ],
};

/** An ACK upgrade that takes an hour of virtual time and then fails (checks finish at once). */
export const SLOW_FAILING: ScenarioInput = {
  name: "slow-failing",
  defaults: { checkProgress: { polls: 1 }, upgradeProgress: { duration: "1h" } },
  clusters: [
    {
      cloud: "ack",
      name: "ack-slow-fails",
      version: "1.31.1-aliyun.1",
      targetVersions: ["1.32.1-aliyun.1"],
      outcomes: { "1.32.1-aliyun.1": { upgrade: { result: "Failed", message: "kube-apiserver not ready" } } },
    },
  ],
};

/**
 * `SLOW_FAILING` once the cause is fixed: the same cluster (its id comes from cloud and name), whose
 * checks and upgrades now succeed at once.
 */
export const SLOW_FAILING_FIXED: ScenarioInput = {
  name: "slow-failing-fixed",
  defaults: { checkProgress: { polls: 1 }, upgradeProgress: { polls: 1 } },
  clusters: [
    { cloud: "ack", name: "ack-slow-fails", version: "1.31.1-aliyun.1", targetVersions: ["1.32.1-aliyun.1"] },
  ],
};
