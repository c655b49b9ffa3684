/**
 * The fixture data the policy tests share: the emulator scenario with one cluster per row of the
 * fail-closed matrix, for both clouds (so every row is a real HTTP conversation with the emulator),
 * its versions, and a clock for the clients. The clients' environment is the emulator's own
 * `clientEnvironment`; the ways to run the policies are in @upgrade-guard/harness.
 */
import { type RunningEmulator, type ScenarioInput, startEmulator } from "@upgrade-guard/emulator";

type ClusterInput = NonNullable<ScenarioInput["clusters"]>[number];
type CceHistory = NonNullable<NonNullable<ClusterInput["history"]>["cce"]>;
type AckHistory = NonNullable<NonNullable<ClusterInput["history"]>["ack"]>;

export const CCE_FROM = "v1.29.5-r0";
export const CCE_TO = "v1.30";
export const ACK_FROM = "1.31.1-aliyun.1";
export const ACK_TO = "1.32.1-aliyun.1";

/** A running check stays running for an hour of virtual time, however often it is read. */
const STAYS_RUNNING = { duration: "1h" };

const ccePrecheckItems = {
  fatal: [
    {
      name: "ClusterStatus",
      group: "MasterCheck" as const,
      level: "Info" as const,
      phase: "Success" as const,
      message: "the cluster is available",
    },
    {
      name: "AddonCompatibility",
      group: "AddonCheck" as const,
      level: "Fatal" as const,
      message: "coredns configuration was modified manually and cannot be upgraded safely",
    },
    {
      name: "NodeOSVersion",
      group: "NodeCheck" as const,
      level: "Warning" as const,
      node: "192.168.0.11",
      message: "the node OS kernel will be upgraded with the node",
    },
  ],
  warning: [
    {
      name: "ClusterStatus",
      group: "MasterCheck" as const,
      level: "Info" as const,
      message: "three masters; upgraded one at a time",
    },
    {
      name: "NodeOSVersion",
      group: "NodeCheck" as const,
      level: "Warning" as const,
      node: "192.168.0.21",
      message: "the node OS kernel will be upgraded with the node",
    },
  ],
};

const ackCheckItems = {
  fatal: [
    {
      name: "DeprecatedAPI",
      group: "ClusterComponent",
      level: "error" as const,
      message: "deprecated API flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema is still in use",
      targets: ["flowcontrol.apiserver.k8s.io/v1beta3/flowschemas"],
    },
  ],
  warning: [
    {
      name: "VSwitchIPs",
      group: "ClusterResource",
      level: "warning" as const,
      message: "fewer than 10 free IPs in vsw-1",
    },
    { name: "APIServerSLB", group: "ClusterResource", level: "normal" as const, message: "" },
  ],
};

/** The coredns add-on, with the risks every check of it reports (the vendor's example for `fatal`). */
const coredns = {
  fatal: [
    { riskName: "AddonStatus", level: "Warning" as const, message: "addon status(abnormal) is not running" },
    {
      riskName: "AddonValidate",
      level: "Fatal" as const,
      message: "configmap coredns had been modified, failed to ensure the consistency of corefile",
    },
  ],
  warning: [],
};
export const ADDON_TO = "1.30.1";

function cce(
  name: string,
  options: {
    items?: keyof typeof ccePrecheckItems;
    prechecks?: CceHistory["prechecks"];
    running?: boolean;
  } = {},
): ClusterInput {
  return {
    cloud: "cce" as const,
    name,
    version: CCE_FROM,
    targetVersions: [CCE_TO],
    ...(options.running ? { checkProgress: STAYS_RUNNING } : {}),
    addons: [{ template: "coredns", version: "1.29.4", risks: coredns[options.items ?? "warning"] }],
    outcomes: { [CCE_TO]: { precheck: { items: ccePrecheckItems[options.items ?? "warning"] } } },
    history: {
      cce: {
        prechecks: options.prechecks ?? [],
        // Clusters with a precheck also ran the add-on check of coredns for its next version.
        addonChecks:
          (options.prechecks ?? []).length > 0
            ? [{ addon: "coredns", type: "addonUpgrade", targetVersion: ADDON_TO, createdAgo: "4m" }]
            : [],
      },
    },
  };
}

function ack(
  name: string,
  options: { items?: keyof typeof ackCheckItems; checks?: AckHistory["checks"]; running?: boolean } = {},
): ClusterInput {
  return {
    cloud: "ack" as const,
    name,
    version: ACK_FROM,
    targetVersions: [ACK_TO],
    ...(options.running ? { checkProgress: STAYS_RUNNING } : {}),
    outcomes: { [ACK_TO]: { check: { items: ackCheckItems[options.items ?? "warning"] } } },
    history: { ack: { checks: options.checks ?? [] } },
  };
}

const ccePrecheck = (createdAgo: string, running = false) => ({ targetVersion: CCE_TO, createdAgo, running });
const ackClusterCheck = (createdAgo: string, running = false) => ({
  type: "ClusterUpgrade" as const,
  targetVersion: ACK_TO,
  createdAgo,
  running,
});

/** Cluster names by matrix row; the same row name exists for both clouds (`m-cce-<row>`, `m-ack-<row>`). */
export const MATRIX_SCENARIO: ScenarioInput = {
  name: "policy-matrix",
  description: "One cluster per row of the policy pack's fail-closed matrix, for both clouds.",
  clusters: [
    // An older check for the same target too: its real id is what a stale summary would name.
    cce("m-cce-fatal", { items: "fatal", prechecks: [ccePrecheck("30m"), ccePrecheck("5m")] }),
    cce("m-cce-warning", { items: "warning", prechecks: [ccePrecheck("5m")] }),
    cce("m-cce-nocheck"),
    cce("m-cce-pending", { running: true, prechecks: [ccePrecheck("1m", true)] }),
    // CCE results expire one hour after the check (the scenario default validity).
    cce("m-cce-expired", { prechecks: [ccePrecheck("2h")] }),
    cce("m-cce-old", { prechecks: [ccePrecheck("20m")] }),
    cce("m-cce-apierror", { prechecks: [ccePrecheck("5m")] }),
    ack("m-ack-fatal", { items: "fatal", checks: [ackClusterCheck("30m"), ackClusterCheck("5m")] }),
    ack("m-ack-warning", { items: "warning", checks: [ackClusterCheck("5m")] }),
    ack("m-ack-nocheck"),
    ack("m-ack-pending", { running: true, checks: [ackClusterCheck("1m", true)] }),
    // ACK states no expiry: a check counts for 60 minutes (DEFAULT_MAX_CHECK_AGE_MS).
    ack("m-ack-expired", { checks: [ackClusterCheck("2h")] }),
    ack("m-ack-old", { checks: [ackClusterCheck("20m")] }),
    ack("m-ack-apierror", { checks: [ackClusterCheck("5m")] }),
  ],
};

/**
 * The matrix scenario's emulator, with `ids` filled with its clusters' ids by name (a map the test
 * files keep as a const, for their helpers to close over).
 */
export async function startMatrixEmulator(ids: Map<string, string>): Promise<RunningEmulator> {
  const emulator = await startEmulator({ scenario: MATRIX_SCENARIO });
  for (const cluster of emulator.control.clusters()) ids.set(cluster.name, cluster.id);
  return emulator;
}

/** The props of a `huaweicloud:Cce/clusterUpgrade:ClusterUpgrade` of that cluster (in place, rolling). */
export const cceUpgradeProps = (clusterId: string | undefined, targetVersion = CCE_TO) => ({
  clusterId,
  targetVersion,
  strategy: { type: "inPlaceRollingUpdate" },
});

/** Retries stay real (the transport's logic runs) but take no time. */
export const INSTANT_CLOCK = {
  now: () => Date.now(),
  sleep: async () => undefined,
  random: () => 0.5,
};

/** The control plane of the node pool scenario, and the node pools' ids (vendor-shaped, fixed). */
export const POOL_CONTROL_PLANE = "1.32.1-aliyun.1";
export const POOL_FROM = "1.31.1-aliyun.1";
export const POOL_IDS = {
  fatal: "np0f000000000000000000000000000001",
  clean: "np0c000000000000000000000000000002",
  old: "np0a000000000000000000000000000003",
  unchecked: "np0e000000000000000000000000000004",
} as const;

/**
 * One ACK cluster (control plane 1.32) with four node pools, each judged by its own NodePoolUpgrade
 * check: `fatal` (an error item), `clean`, `old` (kubelet 1.27, five minors behind) and `unchecked`.
 */
export const NODE_POOL_SCENARIO: ScenarioInput = {
  name: "node-pools",
  clusters: [
    {
      cloud: "ack",
      name: "np-cluster",
      version: POOL_CONTROL_PLANE,
      nodePools: [
        {
          name: "fatal-pool",
          id: POOL_IDS.fatal,
          version: POOL_FROM,
          check: {
            items: [
              {
                name: "NodeDiskPressure",
                group: "NodePool",
                level: "error",
                message:
                  "node cn-hangzhou.192.168.0.31 has less than 10% free disk; kubelet 1.32 cannot be installed",
                targets: ["cn-hangzhou.192.168.0.31"],
              },
            ],
          },
        },
        { name: "clean-pool", id: POOL_IDS.clean, version: POOL_FROM },
        { name: "old-pool", id: POOL_IDS.old, version: "1.27.3-aliyun.1" },
        { name: "unchecked-pool", id: POOL_IDS.unchecked, version: POOL_FROM },
      ],
      history: {
        ack: {
          checks: [
            { type: "NodePoolUpgrade", target: "fatal-pool", createdAgo: "4m" },
            { type: "NodePoolUpgrade", target: "clean-pool", createdAgo: "4m" },
            { type: "NodePoolUpgrade", target: "old-pool", createdAgo: "4m" },
          ],
        },
      },
    },
  ],
};
