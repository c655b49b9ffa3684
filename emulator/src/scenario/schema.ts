/**
 * The scenario format (README "Scenarios"). Scenarios are user input, so every object is strict: a
 * misspelt key is an error naming its path, not a silently ignored setting.
 */
import { z } from "zod";
import { parseDuration } from "../util/time-format";

export const durationSchema = z
  .union([z.number(), z.string()])
  .refine((v) => parseDuration(v) !== undefined, {
    message: 'expected a duration: milliseconds or a string like "250ms", "90s", "5m", "2h", "1d"',
  });

export const progressionSchema = z.strictObject({
  /** Terminal on the Nth read of the task. */
  polls: z.number().int().min(0).optional(),
  /** Terminal after this much virtual time. */
  duration: durationSchema.optional(),
});

const precheckItemSchema = z.strictObject({
  name: z.string().min(1),
  group: z
    .enum(["LimitCheck", "MasterCheck", "NodeCheck", "AddonCheck", "ExecuteException"])
    .default("MasterCheck"),
  level: z.enum(["Info", "Warning", "Fatal"]),
  /** Default: `Exception` for Fatal items, `Risk` otherwise. */
  kind: z.enum(["Exception", "Risk"]).optional(),
  phase: z.enum(["Success", "Failed"]).default("Failed"),
  message: z.string().default(""),
  node: z.string().optional(),
  riskSource: z.record(z.string(), z.unknown()).optional(),
  errorCodes: z.array(z.string()).optional(),
});

const precheckOutcomeSchema = z.strictObject({
  /** Default: `Failed` when a Fatal item failed, else `Success`. */
  phase: z.enum(["Success", "Failed", "Error"]).optional(),
  message: z.string().optional(),
  items: z.array(precheckItemSchema).default([]),
});

const addonRiskSchema = z.strictObject({
  riskName: z.string().min(1),
  level: z.enum(["Warning", "Fatal"]),
  status: z.enum(["Failed", "Success"]).default("Failed"),
  message: z.string().optional(),
});

const addonSchema = z.strictObject({
  template: z.string().min(1),
  id: z.string().optional(),
  instanceName: z.string().optional(),
  version: z.string().min(1),
  /** What every check of this add-on reports. */
  risks: z.array(addonRiskSchema).default([]),
});

const upgradeOutcomeSchema = z.strictObject({
  result: z.enum(["Success", "Failed"]).default("Success"),
  message: z.string().optional(),
  resultVersion: z.string().optional(),
});

const ackItemSchema = z.strictObject({
  name: z.string().min(1),
  group: z.string().default("ClusterResource"),
  level: z.enum(["normal", "warning", "error"]).default("normal"),
  message: z.string().default(""),
  targets: z.array(z.string()).default([]),
});

const ackCheckOutcomeSchema = z.strictObject({
  /** Default: `Failed` when an item is `error`, else `Succeeded`. */
  status: z.enum(["Succeeded", "Failed"]).optional(),
  message: z.string().optional(),
  items: z.array(ackItemSchema).default([]),
});

/** CCE: how the master snapshot before an upgrade to this target ends. */
const snapshotOutcomeSchema = z.strictObject({
  result: z.enum(["Success", "Failed"]).default("Success"),
  message: z.string().optional(),
  /** How long it takes; default the cluster's `checkProgress`. */
  progress: progressionSchema.optional(),
});

/** CCE: what the post-upgrade check of an upgrade to this target answers. */
const postcheckOutcomeSchema = z.strictObject({
  phase: z.enum(["Success", "Failed", "Error"]).default("Success"),
  message: z.string().optional(),
});

const outcomeSchema = z.strictObject({
  precheck: precheckOutcomeSchema.optional(),
  upgrade: upgradeOutcomeSchema.optional(),
  check: ackCheckOutcomeSchema.optional(),
  snapshot: snapshotOutcomeSchema.optional(),
  postcheck: postcheckOutcomeSchema.optional(),
  checkProgress: progressionSchema.optional(),
  upgradeProgress: progressionSchema.optional(),
});

/**
 * A node pool. ACK: its kubelet version and what its checks and upgrades produce. CCE: its nodes, by
 * name (the names precheck items give in `node`), for ListNodes and ListNodePools.
 */
const nodePoolSchema = z.strictObject({
  name: z.string().min(1),
  /** Default: derived from the cluster and the name (`np` + 32 hex digits). */
  id: z.string().min(1).optional(),
  /** The pool's Kubernetes (kubelet) version; default the cluster's. */
  version: z.string().min(1).optional(),
  nodes: z.number().int().min(0).default(3),
  /** CCE: the names of the pool's nodes; default `<pool>-1` ... `<pool>-<nodes>`. */
  nodeNames: z.array(z.string().min(1)).min(1).optional(),
  /** What every NodePoolUpgrade check of the pool reports (over the baseline items). */
  check: ackCheckOutcomeSchema.optional(),
  /** How an UpgradeClusterNodepool task of the pool ends; default success. */
  upgrade: upgradeOutcomeSchema.optional(),
  checkProgress: progressionSchema.optional(),
  upgradeProgress: progressionSchema.optional(),
});

const ago = durationSchema.default("5m");

/** Tasks of a cluster's seeded history: each created `createdAgo` before seeding, finished unless `running`. */
function pastTasks<Shape extends z.ZodRawShape>(shape: Shape) {
  return z
    .array(z.strictObject({ ...shape, createdAgo: ago, running: z.boolean().default(false) }))
    .default([]);
}

const cceHistorySchema = z.strictObject({
  prechecks: pastTasks({
    targetVersion: z.string().min(1),
    outcome: precheckOutcomeSchema.optional(),
  }),
  addonChecks: pastTasks({
    addon: z.string().min(1),
    type: z.enum(["addonUpgrade", "addonStatic"]).default("addonUpgrade"),
    targetVersion: z.string().optional(),
  }),
  upgrades: pastTasks({
    targetVersion: z.string().min(1),
    result: z.enum(["Success", "Failed"]).optional(),
  }),
  workflows: z
    .array(
      z.strictObject({
        targetVersion: z.string().min(1),
        createdAgo: ago,
        precheck: z.enum(["none", "running", "done"]).default("none"),
        upgrade: z.enum(["none", "running", "Success", "Failed"]).default("none"),
        postcheck: z.boolean().default(false),
        cancelled: z.boolean().default(false),
      }),
    )
    .default([]),
});

const ackHistorySchema = z.strictObject({
  checks: pastTasks({
    type: z
      .enum(["ClusterUpgrade", "MasterUpgrade", "NodePoolUpgrade", "ClusterMigrate"])
      .default("ClusterUpgrade"),
    targetVersion: z.string().optional(),
    /** NodePoolUpgrade: the node pool's name (or id). */
    target: z.string().optional(),
    outcome: ackCheckOutcomeSchema.optional(),
    /** false: the check keeps no `options.next_version`, as ACK, which documents no check options, may. */
    targetRecorded: z.boolean().default(true),
  }),
  upgrades: pastTasks({
    targetVersion: z.string().min(1),
    result: z.enum(["success", "fail", "canceled"]).optional(),
    progress: progressionSchema.optional(),
    /** A node pool upgrade (UpgradeClusterNodepool) of the pool with this name, not a cluster upgrade. */
    nodePool: z.string().min(1).optional(),
  }),
});

const versionSupportSchema = z
  .strictObject({
    releasedAgo: durationSchema.default("180d"),
    /** Support ends this long after seeding. */
    endsIn: durationSchema.optional(),
    /** Support ended this long before seeding. */
    endedAgo: durationSchema.optional(),
    /** Whether clusters can still be created on it (default: while supported). */
    creatable: z.boolean().optional(),
  })
  .refine((window) => window.endsIn === undefined || window.endedAgo === undefined, {
    message: "give endsIn or endedAgo, not both",
  });

export const clusterSchema = z.strictObject({
  cloud: z.enum(["cce", "ack"]),
  name: z.string().min(1),
  /** Default: derived from cloud and name, stable across restarts. */
  id: z.string().min(1).optional(),
  account: z.string().default("default"),
  /** Default: the account's (first project's) region. */
  region: z.string().optional(),
  /** CCE: default the account's project for the region. */
  projectId: z.string().optional(),
  version: z.string().min(1),
  /** Versions the cluster may move to (CCE minors like `v1.30`, ACK full versions). */
  targetVersions: z.array(z.string().min(1)).default([]),
  /** CCE `status.phase` / ACK `state`. Default `Available` / `running`. */
  phase: z.string().optional(),
  createdAgo: durationSchema.default("30d"),
  addons: z.array(addonSchema).default([]),
  /** Node pools (ACK: versions, checks, upgrades; CCE: which nodes each holds). */
  nodePools: z.array(nodePoolSchema).default([]),
  /** Keyed by target version (or `*`). */
  outcomes: z.record(z.string(), outcomeSchema).default({}),
  checkProgress: progressionSchema.optional(),
  upgradeProgress: progressionSchema.optional(),
  precheckValidity: durationSchema.optional(),
  /**
   * ACK: the support window DescribeKubernetesVersionMetadata reports, per version (the cluster's own
   * or a target). Times are relative to the emulator clock at seeding; a version not listed was
   * released 180 days ago and is supported for 365 days more.
   */
  versionSupport: z.record(z.string().min(1), versionSupportSchema).default({}),
  history: z
    .strictObject({
      cce: cceHistorySchema.optional(),
      ack: ackHistorySchema.optional(),
    })
    .default({}),
});

const huaweiAccountSchema = z.strictObject({
  name: z.string().min(1),
  accessKey: z.string().min(1),
  secretKey: z.string().min(1),
  projects: z
    .array(z.strictObject({ id: z.string().regex(/^[0-9a-zA-Z]{1,64}$/), region: z.string().min(1) }))
    .min(1),
  domainName: z.string().min(1),
  userName: z.string().min(1),
  password: z.string().min(1),
});

const alibabaAccountSchema = z.strictObject({
  name: z.string().min(1),
  accessKeyId: z.string().min(1),
  accessKeySecret: z.string().min(1),
  region: z.string().min(1),
  uid: z.string().default("1000000000000002"),
});

export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  /** Emit the variants the vendor docs show instead of the vendor-correct shapes. */
  docQuirks: z.boolean().optional(),
  defaults: z
    .strictObject({
      checkProgress: progressionSchema.optional(),
      upgradeProgress: progressionSchema.optional(),
      precheckValidity: durationSchema.optional(),
    })
    .default({}),
  /** Extra accounts besides the two defaults. */
  accounts: z
    .strictObject({
      huawei: z.array(huaweiAccountSchema).default([]),
      alibaba: z.array(alibabaAccountSchema).default([]),
    })
    .default({ huawei: [], alibaba: [] }),
  clusters: z.array(clusterSchema).default([]),
  /** Many similar clusters: `{i}` in the template's name is replaced by 1..count. */
  generate: z
    .array(
      z.strictObject({
        count: z.number().int().min(1).max(20_000),
        template: clusterSchema,
      }),
    )
    .default([]),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
export type ClusterSpec = z.output<typeof clusterSchema>;
/** A Huawei account as a scenario lists it (`accounts.huawei`); its ids are derived from the names. */
export type HuaweiAccountInput = z.input<typeof huaweiAccountSchema>;

/**
 * A Huawei account with two projects in cn-north-4, for scenarios in which the project matters (which
 * project a resource, a policy or a client reads). Not built in: a scenario lists it under
 * `accounts.huawei`, and its clusters name it with `account` and one of its `projects` as `projectId`.
 */
export const TWO_PROJECT_HUAWEI_ACCOUNT: HuaweiAccountInput = {
  name: "two-projects",
  accessKey: "UGEMU-HW-AK-P",
  secretKey: "ugemu-hw-sk-p",
  projects: [
    { id: "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a", region: "cn-north-4" },
    { id: "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", region: "cn-north-4" },
  ],
  domainName: "ugemu-domain-p",
  userName: "ugemu-user-p",
  password: "ugemu-password-p",
};
