/**
 * Every fixture parsed with the schema of its operation, asserting the normalizations of
 * docs/cce.md#docs-versus-sdk and docs/ack.md#docs-versus-sdk: the seed examples (verbatim from the vendor pages) and one fixture per documented
 * inconsistency.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { type z } from "zod";
import * as ack from "../../src/clients/ack/schemas";
import * as cce from "../../src/clients/cce/schemas";
import { fixture } from "./helpers";

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function parse<S extends z.ZodType>(schema: S, cloud: "cce" | "ack", name: string): z.output<S> {
  return schema.parse(fixture(cloud, name));
}

/** Every string under a key ending in `timestamp`/`time`/`_at`/`created`/`updated`. */
function timestampValues(value: unknown, key = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => timestampValues(item, key));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => timestampValues(v, k));
  }
  // Case matters: `runtime` (a node pool's container runtime) is not a time.
  return typeof value === "string" && /(?:[Tt]ime[Ss]tamp|[a-z]Time|_time|_at|^created$|^updated$)$/.test(key)
    ? [value]
    : [];
}

describe("CCE seed fixtures", () => {
  it("ListAddonPrecheckTasks seed: items object → array, createTimestamp → createTimeStamp, riskList → status.riskList", () => {
    const list = parse(cce.cceAddonCheckTaskListSchema, "cce", "list-addon-precheck-tasks.seed.json");
    expect(Array.isArray(list.items)).toBe(true);
    expect(list.items).toHaveLength(1);
    const task = list.items[0]!;
    expect(task.metadata.taskID).toBe("8ca259cc-553b-11e9-926f-0255ac101a31");
    // 2025-08-05T17:10:44.648388+08:00 in UTC
    expect(task.metadata.createTimeStamp).toBe("2025-08-05T09:10:44.648Z");
    expect(task.metadata).not.toHaveProperty("createTimestamp");
    expect(task.status.riskList.map((risk) => [risk.riskName, risk.level])).toEqual([
      ["AddonStatus", "Warning"],
      ["AddonValidate", "Fatal"],
    ]);
    expect(task).not.toHaveProperty("riskList");
    expect(list.pageInfo?.currentCount).toBe(1);
  });

  it("ShowUpgradeWorkFlow seed: Go time strings → ISO, not-yet-run points kept with only taskType", () => {
    const workflow = parse(cce.cceUpgradeWorkflowSchema, "cce", "show-upgrade-workflow.seed.json");
    expect(workflow.metadata.uid).toBe("c271e39e-1a6e-4d3d-8fa8-2a36329c68d1");
    expect(workflow.metadata.creationTimestamp).toBe("2023-11-25T06:32:34.923Z");
    expect(workflow.metadata.updateTimestamp).toBe("2023-11-25T07:49:30.281Z");
    expect(workflow.status?.phase).toBe("Pending");
    const points = workflow.status?.pointStatuses ?? [];
    expect(points.map((point) => point.taskType)).toEqual(["PreCheck", "Snapshot", "Cluster", "PostCheck"]);
    expect(points[0]).toMatchObject({
      taskID: "f61e008c-1600-41c0-9bde-121de5a30660",
      status: "Success",
      startTimeStamp: "2023-11-25T07:20:04.592Z",
      expireTimeStamp: "2023-11-25T08:21:05.518Z",
    });
    expect(points[1]).toEqual({ taskType: "Snapshot" });
    expect(workflow.status?.lineStatuses?.[0]?.critical).toBeUndefined();
    expect(workflow.spec?.targetVersion).toBe("v1.19.16-r80");
  });
});

describe("ACK seed fixtures", () => {
  it("GetClusterCheck seed: nanosecond RFC 3339 → ISO, check_items kept", () => {
    const check = parse(ack.ackClusterCheckSchema, "ack", "get-cluster-check.seed.json");
    expect(check.status).toBe("Succeeded");
    expect(check.created_at).toBe("2023-10-16T08:31:20.292Z");
    expect(check.finished_at).toBe("2023-10-16T08:35:20.292Z");
    expect(check.check_items["key"]).toEqual([{ test: "test", test2: 1 }]);
  });

  it("GetUpgradeStatus seed parses", () => {
    const status = parse(ack.ackUpgradeStatusSchema, "ack", "get-upgrade-status.seed.json");
    expect(status).toMatchObject({
      status: "running",
      upgrade_step: "prechecking",
      precheck_report_id: "be4c8eb72de94d459ea7ace7c811d119",
      upgrade_task: { status: "running" },
    });
  });

  it("DescribeTaskInfo seed: every documented oddity normalized", () => {
    const task = parse(ack.ackTaskInfoSchema, "ack", "describe-task-info.seed.json");
    expect(task.created).toBe("2020-11-10T08:02:04.000Z");
    expect(task.target?.id).toBe("c78592bfe92244365b3c3ad47f1de****");
    // zone-less stage time read as UTC+8
    expect(task.stages?.[0]?.start_time).toBe("2022-12-15T15:00:00.000Z");
    expect(task.events?.[0]?.timestamp).toBe(new Date(1669706229286).toISOString());
    expect(task.error?.code).toBe("400");
    expect(task.parameters).toEqual({ test: "test", test2: 1 });
  });
});

describe("docs-versus-SDK inconsistencies (docs/cce.md, docs/ack.md), one fixture each", () => {
  it("A8: a node pool's version is its kubelet component's; a pool naming none has no version", () => {
    const pool = parse(ack.ackNodePoolSchema, "ack", "describe-cluster-node-pool-detail.json");
    expect(ack.ackNodePoolVersion(pool)).toBe("1.33.3-aliyun.1");
    expect(pool.nodepool_info.created).toBe("2020-09-27T11:14:09.156Z");
    const list = parse(ack.ackNodePoolListSchema, "ack", "describe-cluster-node-pools.json");
    expect(list.nodepools.map((p) => ack.ackNodePoolVersion(p))).toEqual(["1.32.1-aliyun.1", undefined]);
  });

  it("items as an array (SDK) and as a single object (docs) give the same shape", () => {
    const asArray = parse(
      cce.cceAddonCheckTaskListSchema,
      "cce",
      "list-addon-precheck-tasks.items-array.json",
    );
    const asObject = parse(
      cce.cceAddonCheckTaskListSchema,
      "cce",
      "list-addon-precheck-tasks.items-object.json",
    );
    expect(asArray.items).toHaveLength(2);
    expect(asObject.items).toHaveLength(1);
    expect(asObject.items[0]).toEqual(asArray.items[0]);
    // a task without risks gets an empty riskList, never undefined
    expect(asArray.items[1]?.status.riskList).toEqual([]);
  });

  it("ListUpgradeWorkFlows items as a single object becomes an array; critical 'true' becomes a boolean", () => {
    const list = parse(cce.cceUpgradeWorkflowListSchema, "cce", "list-upgrade-workflows.items-object.json");
    expect(Array.isArray(list.items)).toBe(true);
    expect(list.items[0]?.metadata.uid).toBe("c271e39e-1a6e-4d3d-8fa8-2a36329c68d1");
    expect(list.items[0]?.status?.lineStatuses?.map((line) => line.critical)).toEqual([true, false]);
  });

  it("createTimestamp (lower-case s) is read as createTimeStamp", () => {
    const list = parse(
      cce.cceAddonCheckTaskListSchema,
      "cce",
      "list-addon-precheck-tasks.create-timestamp-lowercase.json",
    );
    expect(list.items[0]?.metadata.createTimeStamp).toBe("2025-08-05T09:10:44.648Z");
    expect(list.items[0]?.metadata).not.toHaveProperty("createTimestamp");
  });

  it("riskList beside status is moved into status.riskList", () => {
    const list = parse(
      cce.cceAddonCheckTaskListSchema,
      "cce",
      "list-addon-precheck-tasks.risklist-beside-status.json",
    );
    const task = list.items[0]!;
    expect(task.status.riskList.map((risk) => risk.level)).toEqual(["Warning", "Fatal"]);
    expect(task).not.toHaveProperty("riskList");
  });

  it.each([
    ["describe-task-info.state-failed.json", "fail"],
    ["describe-task-info.state-fail.json", "fail"],
    ["describe-task-info.seed.json", "running"],
  ])("task state in %s is read as %s", (name, state) => {
    expect(parse(ack.ackTaskInfoSchema, "ack", name).state).toBe(state);
  });

  it("Go time strings on a precheck task become ISO", () => {
    const task = parse(cce.ccePrecheckTaskSchema, "cce", "show-pre-check.json");
    expect(task.metadata.creationTimestamp).toBe("2025-08-05T09:10:44.648Z");
    expect(task.status.expireTimeStamp).toBe("2025-08-05T10:12:01.104Z");
  });

  it("epoch-millisecond strings become ISO", () => {
    const task = parse(ack.ackTaskInfoSchema, "ack", "describe-task-info.epoch-ms-events.json");
    expect(task.events?.map((event) => event.timestamp)).toEqual([
      "2025-08-05T09:10:44.648Z",
      "2025-08-05T09:11:44.000Z",
    ]);
  });

  it("naive stage times are read as UTC+8", () => {
    const task = parse(ack.ackTaskInfoSchema, "ack", "describe-task-info.naive-stage-times.json");
    expect(task.stages?.[0]?.start_time).toBe("2025-08-05T09:10:45.000Z");
    expect(task.stages?.[0]?.end_time).toBe("2025-08-05T09:39:59.000Z");
    expect(task.created).toBe("2025-08-05T09:10:44.000Z");
  });

  it("target.id with a trailing newline is trimmed", () => {
    const task = parse(ack.ackTaskInfoSchema, "ack", "describe-task-info.target-id-newline.json");
    expect(task.target?.id).toBe("c106f377e16f34eb1808d6b9362c9abcd");
  });

  it.each([
    ["describe-task-info.error-code-string.json", "400"],
    ["describe-task-info.error-code-number.json", "500"],
  ])("error.code in %s is the string %s", (name, code) => {
    const task = parse(ack.ackTaskInfoSchema, "ack", name);
    expect(task.error?.code).toBe(code);
  });

  it("undocumented fields are kept (outputs)", () => {
    const task = parse(ack.ackTaskInfoSchema, "ack", "describe-task-info.error-code-string.json");
    expect(task.outputs).toEqual({ failed_nodes: ["i-abc"] });
  });
});

describe("operation fixtures", () => {
  const cases: Array<[string, "cce" | "ack", z.ZodType]> = [
    ["batch-create-addon-precheck.json", "cce", cce.cceAddonCheckCreatedSchema],
    ["create-pre-check.json", "cce", cce.ccePrecheckCreatedSchema],
    ["show-pre-check.json", "cce", cce.ccePrecheckTaskSchema],
    ["list-pre-check-tasks.json", "cce", cce.ccePrecheckTaskListSchema],
    ["create-upgrade-workflow.json", "cce", cce.cceUpgradeWorkflowSchema],
    ["upgrade-workflow-update.json", "cce", cce.cceUpgradeWorkflowSchema],
    ["show-cluster.json", "cce", cce.cceClusterSchema],
    ["list-clusters.json", "cce", cce.cceClusterListSchema],
    ["show-cluster-upgrade-info.json", "cce", cce.cceUpgradeInfoSchema],
    ["upgrade-cluster.json", "cce", cce.cceUpgradeClusterResultSchema],
    ["show-upgrade-cluster-task.json", "cce", cce.cceUpgradeTaskSchema],
    ["list-upgrade-cluster-tasks.json", "cce", cce.cceUpgradeTaskListSchema],
    ["run-cluster-check.json", "ack", ack.ackRunClusterCheckResultSchema],
    ["list-cluster-checks.json", "ack", ack.ackClusterCheckListSchema],
    ["get-cluster-check.items.json", "ack", ack.ackClusterCheckSchema],
    ["describe-cluster-detail.json", "ack", ack.ackClusterDetailSchema],
    ["describe-clusters-v1.json", "ack", ack.ackClusterListSchema],
    ["upgrade-cluster.json", "ack", ack.ackUpgradeClusterResultSchema],
    ["describe-cluster-tasks.json", "ack", ack.ackClusterTaskListSchema],
    ["describe-cluster-node-pool-detail.json", "ack", ack.ackNodePoolSchema],
    ["describe-cluster-node-pools.json", "ack", ack.ackNodePoolListSchema],
    ["upgrade-cluster-nodepool.json", "ack", ack.ackUpgradeClusterNodepoolResultSchema],
  ];

  it.each(cases)("%s (%s) parses and every timestamp in it comes out ISO 8601 UTC", (name, cloud, schema) => {
    const raw = fixture(cloud, name);
    const parsed = schema.parse(raw);
    const stamps = timestampValues(parsed);
    // none lost on the way (empty strings mean "not yet" and are dropped)
    expect(stamps).toHaveLength(timestampValues(raw).filter((stamp) => stamp !== "").length);
    for (const stamp of stamps) expect(stamp).toMatch(ISO_UTC);
  });

  it("every fixture file is covered by a test in this file", () => {
    const named = new Set([
      ...cases.map(([name, cloud]) => `${cloud}/${name}`),
      // seeds and inconsistency fixtures above, error bodies in api-error.test.ts
      ...[
        "list-addon-precheck-tasks.seed.json",
        "show-upgrade-workflow.seed.json",
        "list-addon-precheck-tasks.items-array.json",
        "list-addon-precheck-tasks.items-object.json",
        "list-addon-precheck-tasks.create-timestamp-lowercase.json",
        "list-addon-precheck-tasks.risklist-beside-status.json",
        "list-upgrade-workflows.items-object.json",
        "error.cce.json",
        "error.apigw.json",
      ].map((name) => `cce/${name}`),
      ...[
        "get-cluster-check.seed.json",
        "get-upgrade-status.seed.json",
        "describe-task-info.seed.json",
        "describe-task-info.state-failed.json",
        "describe-task-info.state-fail.json",
        "describe-task-info.epoch-ms-events.json",
        "describe-task-info.naive-stage-times.json",
        "describe-task-info.target-id-newline.json",
        "describe-task-info.error-code-string.json",
        "describe-task-info.error-code-number.json",
        "error.cs.json",
        "error.pop.json",
      ].map((name) => `ack/${name}`),
    ]);
    const onDisk = (["cce", "ack"] as const).flatMap((cloud) =>
      readdirSync(join(__dirname, "..", "fixtures", cloud))
        .filter((file) => file.endsWith(".json"))
        .map((file) => `${cloud}/${file}`),
    );
    expect(onDisk.filter((file) => !named.has(file))).toEqual([]);
  });

  it("the precheck fixture keeps every check group and the vendor's capitalised NodeID", () => {
    const task = parse(cce.ccePrecheckTaskSchema, "cce", "show-pre-check.json");
    expect(task.status.clusterCheckStatus?.itemsStatus?.map((item) => item.level)).toEqual(["Fatal", "Info"]);
    expect(
      task.status.addonCheckStatus?.itemsStatus?.[0]?.riskSource?.addonRisks?.[0]?.addonTemplateName,
    ).toBe("coredns");
    const node = task.status.nodeCheckStatus?.nodeStageStatus?.[0];
    expect(node?.nodeInfo?.name).toBe("192.168.0.12");
    expect(node?.itemsStatus?.[0]?.riskSource?.nodeRisks?.[0]?.NodeID).toBe(
      "5ecfddfe-87db-11ec-b5e5-0255ac101514",
    );
  });

  it("an empty completionTime is read as absent", () => {
    const task = parse(cce.cceUpgradeTaskSchema, "cce", "show-upgrade-cluster-task.json");
    expect(task.status.completionTime).toBeUndefined();
    expect(task.status.phase).toBe("Running");
  });

  it("a timestamp in no known format is a parse error, not a silent pass-through", () => {
    const result = ack.ackTaskInfoSchema.safeParse({
      task_id: "T-1",
      state: "running",
      created: "yesterday",
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["created"]);
  });
});
