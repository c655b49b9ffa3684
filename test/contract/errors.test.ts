/**
 * Error answers of the real emulator, through the real clients: each becomes one `ApiError` with the
 * right category, the vendor's code and the request id the emulator logged, and none is retried.
 */
import { randomUUID } from "node:crypto";
import { ApiError, InputError, type ApiErrorCategory } from "@upgrade-guard/provider";
import { summarize } from "./helpers/control-client";
import { rejectionOf, useEmulator } from "./helpers/harness";

const h = useEmulator({ freezeClock: true });

const ACK_TO = "1.32.1-aliyun.1";

/**
 * Runs `call` (a function, so the log can be read first), expects an ApiError, and checks it against
 * the one request (no retry) the emulator logged for it.
 */
async function expectApiError(
  call: () => Promise<unknown>,
  expected: { category: ApiErrorCategory; httpStatus: number; vendorCode: string; operation: string },
): Promise<ApiError> {
  const before = (await h.control.requests({ operation: expected.operation })).length;
  const error = await rejectionOf(call());
  expect(error).toBeInstanceOf(ApiError);
  const apiError = error as ApiError;
  expect(apiError).toMatchObject(expected);
  const log = await h.control.requests({ operation: expected.operation });
  expect(log.slice(before).map((e) => [e.status, e.errorCode, e.requestId])).toEqual([
    [expected.httpStatus, expected.vendorCode, apiError.requestId],
  ]);
  return apiError;
}

describe("not found", () => {
  it("CCE: unknown cluster, unknown precheck task, unknown add-on instance", async () => {
    const cce = h.cce();
    const missing = randomUUID();
    const error = await expectApiError(() => cce.showCluster({ clusterId: missing }), {
      operation: "ShowCluster",
      category: "notFound",
      httpStatus: 404,
      vendorCode: "CCE.01404001",
    });
    expect(error.message).toContain(missing);
    await expectApiError(() => cce.showPreCheck({ clusterId: h.clusterId("cce-ready"), taskId: missing }), {
      operation: "ShowPreCheck",
      category: "notFound",
      httpStatus: 404,
      vendorCode: "CCE.01404002",
    });
    await expectApiError(
      () =>
        cce.batchCreateAddonPrecheck({
          clusterId: h.clusterId("cce-ready"),
          addonList: [{ addonTemplateName: "coredns", addonInstanceId: missing, type: "addonStatic" }],
        }),
      {
        operation: "BatchCreateAddonPrecheck",
        category: "notFound",
        httpStatus: 404,
        vendorCode: "CCE.01404002",
      },
    );
  });

  it("CCE: another tenant's project is refused by the gateway", async () => {
    const cce = h.cce({ projectId: "0123456789abcdef0123456789abcdef" });
    await expectApiError(() => cce.listClusters(), {
      operation: "ListClusters",
      category: "auth",
      httpStatus: 403,
      vendorCode: "APIGW.0302",
    });
  });

  it("ACK: unknown cluster, check and task", async () => {
    const ack = h.ack();
    const error = await expectApiError(
      () => ack.describeClusterDetail({ clusterId: "c0000000000000000000000000000000" }),
      {
        operation: "DescribeClusterDetail",
        category: "notFound",
        httpStatus: 404,
        vendorCode: "ErrorClusterNotFound",
      },
    );
    expect(error.vendorMessage).toContain("c0000000000000000000000000000000");
    await expectApiError(
      () => ack.getClusterCheck({ clusterId: h.clusterId("ack-ready"), checkId: "no-such-check" }),
      {
        operation: "GetClusterCheck",
        category: "notFound",
        httpStatus: 404,
        vendorCode: "ErrorCheckNotFound",
      },
    );
    await expectApiError(() => ack.describeTaskInfo({ taskId: "T-000000000000000000000000" }), {
      operation: "DescribeTaskInfo",
      category: "notFound",
      httpStatus: 404,
      vendorCode: "ErrorTaskNotFound",
    });
  });
});

describe("conflict: an upgrade is already running", () => {
  it("CCE: a second UpgradeCluster, a precheck and a workflow are refused while the first upgrade runs", async () => {
    const cce = h.cce();
    const clusterId = h.clusterId("cce-ready");
    const first = await cce.upgradeCluster({ clusterId, targetVersion: "v1.30" });
    const error = await expectApiError(() => cce.upgradeCluster({ clusterId, targetVersion: "v1.30" }), {
      operation: "UpgradeCluster",
      category: "conflict",
      httpStatus: 409,
      vendorCode: "CCE.01409001",
    });
    expect(error.vendorMessage).toContain(first.metadata.uid);
    await expectApiError(
      () => cce.createPreCheck({ clusterId, clusterVersion: "v1.29.5-r0", targetVersion: "v1.30" }),
      {
        operation: "CreatePreCheck",
        category: "conflict",
        httpStatus: 409,
        vendorCode: "CCE.01409001",
      },
    );
    await expectApiError(() => cce.createUpgradeWorkFlow({ clusterId, targetVersion: "v1.30" }), {
      operation: "CreateUpgradeWorkFlow",
      category: "conflict",
      httpStatus: 409,
      vendorCode: "CCE.01409001",
    });
    // Still exactly one upgrade task.
    expect((await cce.listUpgradeClusterTasks({ clusterId })).items.map((t) => t.metadata.uid)).toEqual([
      first.metadata.uid,
    ]);
  });

  it("ACK: UpgradeCluster and RunClusterCheck on ack-upgrading answer ErrorClusterState (HTTP 400, a conflict)", async () => {
    const ack = h.ack();
    const clusterId = h.clusterId("ack-upgrading");
    await expectApiError(() => ack.upgradeCluster({ clusterId, nextVersion: ACK_TO }), {
      operation: "UpgradeCluster",
      category: "conflict",
      httpStatus: 400,
      vendorCode: "ErrorClusterState",
    });
    await expectApiError(
      () => ack.runClusterCheck({ clusterId, type: "ClusterUpgrade", options: { next_version: ACK_TO } }),
      {
        operation: "RunClusterCheck",
        category: "conflict",
        httpStatus: 400,
        vendorCode: "ErrorClusterState",
      },
    );
    expect((await ack.describeClusterTasks({ clusterId })).tasks).toHaveLength(1);
  });
});

describe("invalid requests", () => {
  it("CCE: a target the cluster cannot reach, and a clusterVersion that is not the cluster's", async () => {
    const cce = h.cce();
    const clusterId = h.clusterId("cce-unchecked");
    const error = await expectApiError(
      () => cce.createPreCheck({ clusterId, clusterVersion: "v1.29.5-r0", targetVersion: "v1.99" }),
      {
        operation: "CreatePreCheck",
        category: "invalid",
        httpStatus: 400,
        vendorCode: "CCE.01400001",
      },
    );
    expect(error.vendorMessage).toContain("v1.99");
    await h.control.clearRequests();
    await expectApiError(
      () => cce.createPreCheck({ clusterId, clusterVersion: "v1.28.3-r0", targetVersion: "v1.30" }),
      {
        operation: "CreatePreCheck",
        category: "invalid",
        httpStatus: 400,
        vendorCode: "CCE.01400001",
      },
    );
    expect((await cce.listPreCheckTasks({ clusterId })).items).toEqual([]);
  });

  it("ACK: an unreachable next_version for UpgradeCluster and RunClusterCheck", async () => {
    const ack = h.ack();
    const clusterId = h.clusterId("ack-ready");
    await expectApiError(() => ack.upgradeCluster({ clusterId, nextVersion: "1.99.1-aliyun.1" }), {
      operation: "UpgradeCluster",
      category: "invalid",
      httpStatus: 400,
      vendorCode: "InvalidParameter",
    });
    await expectApiError(
      () =>
        ack.runClusterCheck({
          clusterId,
          type: "ClusterUpgrade",
          options: { next_version: "1.99.1-aliyun.1" },
        }),
      { operation: "RunClusterCheck", category: "invalid", httpStatus: 400, vendorCode: "InvalidParameter" },
    );
    expect((await ack.describeClusterDetail({ clusterId })).state).toBe("running");
  });

  it("arguments the client itself rejects never reach the emulator", async () => {
    const cce = h.cce();
    const ack = h.ack();
    const local = await rejectionOf(
      cce.createPreCheck({ clusterId: " ", clusterVersion: "latest", targetVersion: "v1.30" }),
    );
    expect(local).toBeInstanceOf(InputError);
    expect((local as InputError).issues.map((i) => i.path).sort()).toEqual(["clusterId", "clusterVersion"]);
    expect(
      await rejectionOf(ack.upgradeCluster({ clusterId: h.clusterId("ack-ready"), nextVersion: "newest" })),
    ).toBeInstanceOf(InputError);
    expect(summarize(await h.control.requests())).toEqual([]);
  });
});
