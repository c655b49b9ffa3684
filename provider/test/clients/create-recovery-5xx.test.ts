/**
 * A task-creating POST answered 502/504 (or another 5xx that does not say the request was refused)
 * may have started the task: the client looks for it before anything else, on both clouds, over real
 * HTTP to the file.emulator. A 503 says the request was not processed: no lookup, the error is reported.
 */
import { clientEnvironment } from "@upgrade-guard/emulator";
import { createAckClient, createCceClient } from "../../src/clients";
import { ApiError } from "../../src/errors";
import { defaultEmulatorPerFile, rejectionOf } from "./helpers";

const file = defaultEmulatorPerFile();
const clusterId = (name: string): string => file.clusterId(name);

function calls(operation: string): number {
  return file.emulator.control.requests().filter((r) => r.operation === operation).length;
}

const env = () => clientEnvironment(file.emulator.url);

describe("CCE UpgradeCluster", () => {
  it.each([502, 504, 500])(
    "answered %i after the upgrade started: the task is found and returned, one POST",
    async (status) => {
      const cce = createCceClient({ env: env() });
      try {
        file.emulator.control.setFault({
          operation: "UpgradeCluster",
          error: { status, afterProcessing: true },
          times: 1,
        });
        const result = await cce.upgradeCluster({
          clusterId: clusterId("cce-ready"),
          targetVersion: "v1.30",
        });
        expect(result.recovered).toBe(true);
        expect(result.metadata.uid).toEqual(expect.any(String));
        expect(calls("UpgradeCluster")).toBe(1);
      } finally {
        await cce.close();
      }
    },
  );

  it("answered 504 with nothing started: looked up, not found, the 504 is reported", async () => {
    const cce = createCceClient({ env: env() });
    try {
      file.emulator.control.setFault({ operation: "UpgradeCluster", error: { status: 504 }, times: 1 });
      const error = await rejectionOf(
        cce.upgradeCluster({ clusterId: clusterId("cce-ready"), targetVersion: "v1.30" }),
      );
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ httpStatus: 504, vendorCode: "APIGW.0202" });
      expect(calls("UpgradeCluster")).toBe(1);
      expect(calls("ListUpgradeClusterTasks")).toBe(1);
    } finally {
      await cce.close();
    }
  });

  it("answered 503 (not processed): no lookup, the 503 is reported", async () => {
    const cce = createCceClient({ env: env(), transport: { retry: { maxAttempts: 1 } } });
    try {
      file.emulator.control.setFault({ operation: "UpgradeCluster", error: { status: 503 }, times: 1 });
      const error = await rejectionOf(
        cce.upgradeCluster({ clusterId: clusterId("cce-ready"), targetVersion: "v1.30" }),
      );
      expect(error).toMatchObject({ httpStatus: 503 });
      expect(calls("ListUpgradeClusterTasks")).toBe(0);
    } finally {
      await cce.close();
    }
  });
});

describe("ACK UpgradeCluster", () => {
  it.each([502, 504, 500])(
    "answered %i after the upgrade started: the task is found and returned, one POST",
    async (status) => {
      const ack = createAckClient({ env: env() });
      try {
        file.emulator.control.setFault({
          operation: "UpgradeCluster",
          error: { status, afterProcessing: true },
          times: 1,
        });
        const result = await ack.upgradeCluster({
          clusterId: clusterId("ack-ready"),
          nextVersion: "1.32.1-aliyun.1",
        });
        expect(result.recovered).toBe(true);
        expect(result.task_id).toEqual(expect.any(String));
        expect(calls("UpgradeCluster")).toBe(1);
      } finally {
        await ack.close();
      }
    },
  );

  it("ServiceUnavailable with 500 (refused before processing): no lookup", async () => {
    const ack = createAckClient({ env: env(), transport: { retry: { maxAttempts: 1 } } });
    try {
      file.emulator.control.setFault({
        operation: "UpgradeCluster",
        error: { status: 500, code: "ServiceUnavailable" },
        times: 1,
      });
      const error = await rejectionOf(
        ack.upgradeCluster({ clusterId: clusterId("ack-ready"), nextVersion: "1.32.1-aliyun.1" }),
      );
      expect(error).toMatchObject({ httpStatus: 500, vendorCode: "ServiceUnavailable" });
      expect(calls("DescribeClusterTasks")).toBe(0);
    } finally {
      await ack.close();
    }
  });
});
