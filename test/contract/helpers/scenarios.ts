/** Scenarios for the contract tests, built on the emulator's own built-in default scenario. */
import { dirname, join } from "node:path";
import { loadScenarioFile, type Scenario, type ScenarioInput } from "@upgrade-guard/emulator";

const EMULATOR_DIR = dirname(require.resolve("@upgrade-guard/emulator/package.json"));

/** The built-in `default` scenario as shipped (clusters cce-blocked ... ack-upgrading). */
export function defaultScenario(): Scenario {
  return loadScenarioFile(join(EMULATOR_DIR, "scenarios", "default.yaml"));
}

/**
 * The default scenario plus the cases its clusters do not hold but the doc quirks touch: a CCE
 * cluster with one upgrade workflow (whose list the docs show as one object) and an ACK cluster
 * with a failed upgrade task (whose state the docs spell `failed`).
 */
export function defaultWithQuirkCases(): ScenarioInput {
  const base = defaultScenario();
  return {
    ...base,
    name: "default-with-quirk-cases",
    clusters: [
      ...base.clusters,
      {
        cloud: "cce",
        name: "cce-workflow-failed",
        version: "v1.29.5-r0",
        targetVersions: ["v1.30"],
        outcomes: { "v1.30": { upgrade: { result: "Failed", message: "etcd health check timed out" } } },
        history: {
          cce: {
            workflows: [{ targetVersion: "v1.30", createdAgo: "2h", precheck: "done", upgrade: "Failed" }],
          },
        },
      },
      {
        cloud: "ack",
        name: "ack-upgrade-failed",
        version: "1.31.1-aliyun.1",
        targetVersions: ["1.32.1-aliyun.1"],
        outcomes: {
          "1.32.1-aliyun.1": { upgrade: { result: "Failed", message: "kube-apiserver not ready" } },
        },
        history: {
          ack: { upgrades: [{ targetVersion: "1.32.1-aliyun.1", createdAgo: "1h", result: "fail" }] },
        },
      },
    ],
  };
}

/**
 * The default clusters with tasks that finish only when virtual time says so (never by being
 * polled): checks after 90 s, upgrades after 10 min. Lifecycle tests then prove that advancing the
 * emulator's clock, not the number of polls, is what ends a task.
 */
export function defaultDrivenByClock(): ScenarioInput {
  return {
    ...defaultScenario(),
    name: "default-driven-by-clock",
    defaults: { checkProgress: { duration: "90s" }, upgradeProgress: { duration: "10m" } },
  };
}
