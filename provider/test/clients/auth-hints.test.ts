/**
 * The hint of an `auth` error, over real HTTP to the emulator: credentials the cloud did not accept
 * (a wrong secret, an unknown key, a bad signature) name where they came from; credentials accepted
 * but denied one operation (Alibaba RAM, Huawei IAM) name the operation and where to grant it, not
 * "a wrong or expired key", since the same keys just worked for another operation.
 */
import { DEFAULT_ALIBABA_ACCOUNT, DEFAULT_HUAWEI_ACCOUNT, clientEnvironment } from "@upgrade-guard/emulator";
import { createAckClient, createCceClient } from "../../src/clients";
import { ApiError } from "../../src/errors";
import { defaultEmulatorPerFile, rejectionOf } from "./helpers";

const file = defaultEmulatorPerFile({ freezeClock: true });
const clusterId = (name: string): string => file.clusterId(name);

const PROJECT = DEFAULT_HUAWEI_ACCOUNT.projects[0]!.id;
const SECRETS = [DEFAULT_HUAWEI_ACCOUNT.secretKey, DEFAULT_ALIBABA_ACCOUNT.accessKeySecret];
const CREDENTIALS_REFUSED = "credentials were refused";
const WRONG_KEY = "a wrong or expired key";

function env(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return clientEnvironment(file.emulator.url, { overrides });
}

async function authError(call: () => Promise<unknown>): Promise<ApiError> {
  const error = await rejectionOf(call());
  expect(error).toBeInstanceOf(ApiError);
  const api = error as ApiError;
  expect([api.code, api.category]).toEqual(["API_AUTH", "auth"]);
  const visible = `${api.message}\n${api.hint ?? ""}`;
  for (const secret of SECRETS) expect(visible).not.toContain(secret);
  return api;
}

describe("ACK: a permission RAM denies", () => {
  it.each([
    ["Forbidden.RAM", "Forbidden.RAM"],
    ["ErrorCheckAcl", "ErrorCheckAcl"],
    ["a bare 403", undefined],
  ])("%s names the operation and the RAM action, not a wrong key", async (_label, code) => {
    const ack = createAckClient({ env: env() });
    const id = clusterId("ack-ready");
    try {
      // The same keys work for another operation.
      await ack.describeClusterDetail({ clusterId: id });
      file.emulator.control.setFault({
        operation: "ListClusterChecks",
        error: { status: 403, ...(code === undefined ? {} : { code }), message: "not authorized" },
      });
      const error = await authError(() => ack.listClusterChecks({ clusterId: id }));
      expect(error.httpStatus).toBe(403);
      expect(error.hint).toBe(
        "the ACK credentials (from ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET) were accepted " +
          "but are not allowed to call ListClusterChecks: grant the RAM user or role behind them the RAM action " +
          "cs:ListClusterChecks in a RAM policy, or use credentials that have it",
      );
      expect(error.hint).not.toContain(WRONG_KEY);
    } finally {
      await ack.close();
    }
  });
});

describe("ACK: credentials the gateway does not accept keep the credentials hint", () => {
  it("a wrong secret (SignatureDoesNotMatch, the emulator's real check)", async () => {
    const ack = createAckClient({ env: env({ ALIBABA_CLOUD_ACCESS_KEY_SECRET: "not-the-secret" }) });
    try {
      const error = await authError(() => ack.describeClustersV1({}));
      expect(error.vendorCode).toBe("SignatureDoesNotMatch");
      expect(error.hint).toBe(
        `the ACK ${CREDENTIALS_REFUSED}: check ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET (${WRONG_KEY}, or one of another account)`,
      );
      expect(JSON.stringify({ ...error, message: error.message })).not.toContain("not-the-secret");
    } finally {
      await ack.close();
    }
  });

  it("an unknown access key (InvalidAccessKeyId.NotFound, the emulator's real check)", async () => {
    const ack = createAckClient({ env: env({ ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAINOSUCHKEY00000000" }) });
    try {
      const error = await authError(() => ack.describeClustersV1({}));
      expect(error.vendorCode).toBe("InvalidAccessKeyId.NotFound");
      expect(error.hint).toContain(`the ACK ${CREDENTIALS_REFUSED}`);
    } finally {
      await ack.close();
    }
  });

  // Sent with 403 by one of the vendor's tables: the code, not the status, says what was refused.
  it.each(["SignatureDoesNotMatch", "InvalidSecurityToken.Expired", "Forbidden.AccessKeyDisabled"])(
    "%s with HTTP 403",
    async (code) => {
      file.emulator.control.setFault({ operation: "DescribeClustersV1", error: { status: 403, code } });
      const ack = createAckClient({ env: env() });
      try {
        const error = await authError(() => ack.describeClustersV1({}));
        expect(error.vendorCode).toBe(code);
        expect(error.hint).toContain(`the ACK ${CREDENTIALS_REFUSED}`);
      } finally {
        await ack.close();
      }
    },
  );
});

describe("CCE: a permission IAM denies", () => {
  it.each([
    ["APIGW.0302", "APIGW.0302"],
    ["APIG.0302", "APIG.0302"],
    ["a bare 403 (CCE.01403001)", undefined],
  ])("%s names the operation, the project and IAM, not a wrong key", async (_label, code) => {
    const cce = createCceClient({ env: env() });
    const id = clusterId("cce-ready");
    try {
      await cce.showCluster({ clusterId: id });
      file.emulator.control.setFault({
        operation: "ListPreCheckTasks",
        error: { status: 403, ...(code === undefined ? {} : { code }) },
      });
      const error = await authError(() => cce.listPreCheckTasks({ clusterId: id }));
      expect(error.httpStatus).toBe(403);
      expect(error.hint).toBe(
        `the CCE credentials (from HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK) were accepted but are not allowed to ` +
          `call ListPreCheckTasks in project ${PROJECT}: grant the IAM user or agency behind them a permission ` +
          `that allows ListPreCheckTasks in IAM for that project (and check that the project is one of their ` +
          `account's), or use credentials that have it`,
      );
      expect(error.hint).not.toContain(WRONG_KEY);
    } finally {
      await cce.close();
    }
  });

  it("another account's project (the gateway's real 403 APIGW.0302) names that project", async () => {
    const foreign = "0123456789abcdef0123456789abcdef";
    const cce = createCceClient({ env: env({ HUAWEICLOUD_SDK_PROJECT_ID: foreign }) });
    try {
      const error = await authError(() => cce.listClusters({}));
      expect(error.vendorCode).toBe("APIGW.0302");
      expect(error.hint).toContain(`not allowed to call ListClusters in project ${foreign}`);
      expect(error.hint).toContain("check that the project is one of their account's");
      expect(error.hint).not.toContain(WRONG_KEY);
    } finally {
      await cce.close();
    }
  });
});

describe("CCE: credentials the gateway does not accept keep the credentials hint", () => {
  it("a wrong secret key (APIGW.0301, the emulator's real signature check)", async () => {
    const cce = createCceClient({ env: env({ HUAWEICLOUD_SDK_SK: "not-the-secret-key" }) });
    try {
      const error = await authError(() => cce.listClusters({}));
      expect([error.httpStatus, error.vendorCode]).toEqual([401, "APIGW.0301"]);
      expect(error.hint).toBe(
        `the CCE ${CREDENTIALS_REFUSED}: check HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK (${WRONG_KEY}, or one of another account)`,
      );
      expect(JSON.stringify({ ...error, message: error.message })).not.toContain("not-the-secret-key");
    } finally {
      await cce.close();
    }
  });

  it("APIGW.0301 even with HTTP 403", async () => {
    file.emulator.control.setFault({ operation: "ListClusters", error: { status: 403, code: "APIGW.0301" } });
    const cce = createCceClient({ env: env() });
    try {
      const error = await authError(() => cce.listClusters({}));
      expect(error.hint).toContain(`the CCE ${CREDENTIALS_REFUSED}`);
    } finally {
      await cce.close();
    }
  });
});
