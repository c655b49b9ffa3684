/**
 * Every way the clients authenticate, verified by the emulator from the bytes it received: Huawei
 * AK/SK signatures, IAM password login (token sent as X-Auth-Token) and a ready token; Alibaba
 * ACS3-HMAC-SHA256 and ROA HMAC-SHA1. Wrong credentials give an `ApiError` of category `auth` with
 * the vendor's code and no secret in it. The documented environment variables alone are enough to
 * reach the emulator.
 */
import { createAckClient, createCceClient, ApiError } from "@upgrade-guard/provider";
import { summarize } from "./helpers/control-client";
import { ALIBABA, HUAWEI, HUAWEI_PASSWORD, issueIamToken, rejectionOf, useEmulator } from "./helpers/harness";

const h = useEmulator({ freezeClock: true });

/** Everything a caller could see of an error: no secret may appear in any of it. */
function visibleText(error: unknown): string {
  const record = error as Record<string, unknown>;
  return [String(error), (error as Error).stack ?? "", JSON.stringify({ ...record })].join("\n");
}

describe("Huawei", () => {
  it("AK/SK: requests are signed SDK-HMAC-SHA256 and accepted", async () => {
    const cce = h.cce();
    const cluster = await cce.showCluster({ clusterId: h.clusterId("cce-ready") });
    expect(cluster.metadata.uid).toBe(h.clusterId("cce-ready"));
    await cce.createPreCheck({
      clusterId: h.clusterId("cce-unchecked"),
      clusterVersion: "v1.29.5-r0",
      targetVersion: "v1.30",
    });
    const log = await h.control.requests();
    expect(log.map((e) => [e.operation, e.status, e.auth, e.account])).toEqual([
      ["ShowCluster", 200, "SDK-HMAC-SHA256", "default"],
      ["CreatePreCheck", 200, "SDK-HMAC-SHA256", "default"],
    ]);
  });

  it("IAM password: one token is fetched, then sent as X-Auth-Token on every CCE call", async () => {
    const cce = h.cce({}, HUAWEI_PASSWORD);
    await cce.showCluster({ clusterId: h.clusterId("cce-ready") });
    await cce.listPreCheckTasks({ clusterId: h.clusterId("cce-blocked") });
    const log = await h.control.requests();
    expect(log.map((e) => [e.service, e.operation, e.status, e.auth])).toEqual([
      ["iam", "KeystoneCreateUserTokenByPassword", 201, undefined],
      ["cce", "ShowCluster", 200, "token"],
      ["cce", "ListPreCheckTasks", 200, "token"],
    ]);
  });

  it("IAM password: a token the emulator expired (virtual time +25 h) is refreshed once after the 401", async () => {
    const cce = h.cce({}, HUAWEI_PASSWORD);
    const clusterId = h.clusterId("cce-ready");
    await cce.showCluster({ clusterId });
    // The client still holds a token it believes valid; the emulator's clock says it expired.
    await h.control.advanceClock(25 * 3_600_000);
    const cluster = await cce.showCluster({ clusterId });
    expect(cluster.metadata.uid).toBe(clusterId);
    expect(summarize(await h.control.requests())).toEqual([
      "POST KeystoneCreateUserTokenByPassword 201",
      "GET ShowCluster 200",
      "GET ShowCluster 401",
      "POST KeystoneCreateUserTokenByPassword 201",
      "GET ShowCluster 200",
    ]);
  });

  it("a ready IAM token is used as is: no IAM call from the client", async () => {
    const token = await issueIamToken(h.url);
    await h.control.clearRequests();
    const cce = h.cce({}, { authToken: token });
    const list = await cce.listClusters();
    expect(list.items).toHaveLength(3);
    expect(summarize(await h.control.requests())).toEqual(["GET ListClusters 200"]);
    expect((await h.control.requests())[0]?.auth).toBe("token");
  });

  it.each([
    [
      "wrong secret key",
      { accessKey: HUAWEI.accessKey, secretKey: "wrong-hw-secret-key-0001" },
      "wrong-hw-secret-key-0001",
    ],
    [
      "unknown access key",
      { accessKey: "UNKNOWN-HW-AK-0001", secretKey: "unknown-hw-secret-0001" },
      "unknown-hw-secret-0001",
    ],
    [
      "token the cloud never issued",
      { authToken: "MIIforged-token-value-0001" },
      "MIIforged-token-value-0001",
    ],
  ])("%s: ApiError auth APIGW.0301, not retried, no secret in it", async (_case, credentials, secret) => {
    const cce = h.cce({}, credentials);
    const error = await rejectionOf(cce.showCluster({ clusterId: h.clusterId("cce-ready") }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      cloud: "cce",
      operation: "ShowCluster",
      category: "auth",
      code: "API_AUTH",
      httpStatus: 401,
      vendorCode: "APIGW.0301",
      requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(visibleText(error)).not.toContain(secret);
    expect(visibleText(error)).not.toContain(HUAWEI.secretKey);
    const log = await h.control.requests();
    expect(log.map((e) => [e.status, e.errorCode, e.requestId])).toEqual([
      [401, "APIGW.0301", (error as ApiError).requestId],
    ]);
  });

  it("wrong IAM password: ApiError auth from IAM, no password in it, no CCE call made", async () => {
    const cce = h.cce({}, { ...HUAWEI_PASSWORD, password: "wrong-password-value-0001" });
    const error = await rejectionOf(cce.showCluster({ clusterId: h.clusterId("cce-ready") }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ cloud: "iam", category: "auth", httpStatus: 401, vendorCode: "IAM.0101" });
    expect(visibleText(error)).not.toContain("wrong-password-value-0001");
    expect(summarize(await h.control.requests())).toEqual(["POST KeystoneCreateUserTokenByPassword 401"]);
  });
});

describe("Alibaba", () => {
  it.each([
    ["ACS3-HMAC-SHA256", {}],
    ["HMAC-SHA1", { signatureAlgorithm: "HMAC-SHA1" as const }],
  ])("%s: a GET and a POST with a body are accepted", async (algorithm, options) => {
    const ack = h.ack(options);
    const clusterId = h.clusterId("ack-ready");
    expect((await ack.describeClusterDetail({ clusterId })).cluster_id).toBe(clusterId);
    const run = await ack.runClusterCheck({
      clusterId,
      type: "ClusterUpgrade",
      options: { next_version: "1.32.1-aliyun.1" },
    });
    expect(run.check_id).toContain(clusterId);
    const log = await h.control.requests();
    expect(log.map((e) => [e.operation, e.status, e.auth, e.account])).toEqual([
      ["DescribeClusterDetail", 200, algorithm, "default"],
      ["RunClusterCheck", 200, algorithm, "default"],
    ]);
  });

  it.each([
    ["ACS3-HMAC-SHA256", "wrong secret", 400, "SignatureDoesNotMatch", ALIBABA.accessKeyId],
    ["HMAC-SHA1", "wrong secret", 400, "SignatureDoesNotMatch", ALIBABA.accessKeyId],
    ["ACS3-HMAC-SHA256", "unknown access key", 404, "InvalidAccessKeyId.NotFound", "LTAIunknownKey0001"],
    ["HMAC-SHA1", "unknown access key", 404, "InvalidAccessKeyId.NotFound", "LTAIunknownKey0001"],
  ] as const)(
    "%s, %s: ApiError auth, HTTP %i %s, no secret in it",
    async (algorithm, _case, status, code, accessKeyId) => {
      const secret = `wrong-ali-secret-${algorithm}`;
      const ack = h.ack({ signatureAlgorithm: algorithm }, { accessKeyId, accessKeySecret: secret });
      const error = await rejectionOf(ack.describeClusterDetail({ clusterId: h.clusterId("ack-ready") }));
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({
        cloud: "ack",
        operation: "DescribeClusterDetail",
        category: "auth",
        httpStatus: status,
        vendorCode: code,
        requestId: expect.any(String),
      });
      expect(visibleText(error)).not.toContain(secret);
      expect(visibleText(error)).not.toContain(ALIBABA.accessKeySecret);
      const log = await h.control.requests();
      expect(log.map((e) => [e.status, e.errorCode])).toEqual([[status, code]]);
    },
  );
});

describe("configuration purely from the environment", () => {
  it.each([
    [
      "Huawei SDK names, AK/SK",
      (url: string) => ({
        UPGRADE_GUARD_ENDPOINT: url,
        HUAWEICLOUD_SDK_AK: HUAWEI.accessKey,
        HUAWEICLOUD_SDK_SK: HUAWEI.secretKey,
        HUAWEICLOUD_SDK_PROJECT_ID: HUAWEI.projectId,
        HUAWEICLOUD_SDK_REGION: HUAWEI.region,
      }),
      "SDK-HMAC-SHA256",
    ],
    [
      "Terraform names and the CCE-only endpoint",
      (url: string) => ({
        UPGRADE_GUARD_CCE_ENDPOINT: url,
        HW_ACCESS_KEY: HUAWEI.accessKey,
        HW_SECRET_KEY: HUAWEI.secretKey,
        HW_PROJECT_ID: HUAWEI.projectId,
        HW_REGION_NAME: HUAWEI.region,
      }),
      "SDK-HMAC-SHA256",
    ],
    [
      "password login, IAM reached through UPGRADE_GUARD_ENDPOINT",
      (url: string) => ({
        UPGRADE_GUARD_ENDPOINT: url,
        HW_USER_NAME: HUAWEI.userName,
        HW_USER_PASSWORD: HUAWEI.password,
        HW_DOMAIN_NAME: HUAWEI.domainName,
        HW_PROJECT_ID: HUAWEI.projectId,
        HW_REGION_NAME: HUAWEI.region,
      }),
      "token",
    ],
  ])("CCE: %s", async (_case, envOf, auth) => {
    const cce = h.track(createCceClient({ env: envOf(h.url), transport: { clock: h.clock } }));
    const cluster = await cce.showCluster({ clusterId: h.clusterId("cce-blocked") });
    expect(cluster.spec.version).toBe("v1.29.5-r0");
    const log = await h.control.requests({ service: "cce" });
    expect(log.map((e) => [e.operation, e.status, e.auth])).toEqual([["ShowCluster", 200, auth]]);
  });

  it("CCE: a ready token from HW_AUTH_TOKEN", async () => {
    const token = await issueIamToken(h.url);
    const env = {
      UPGRADE_GUARD_ENDPOINT: h.url,
      HW_AUTH_TOKEN: token,
      HW_PROJECT_ID: HUAWEI.projectId,
      HW_REGION_NAME: HUAWEI.region,
    };
    const cce = h.track(createCceClient({ env, transport: { clock: h.clock } }));
    await cce.listUpgradeWorkFlows({ clusterId: h.clusterId("cce-ready") });
    const log = await h.control.requests({ service: "cce" });
    expect(log.map((e) => [e.operation, e.status, e.auth])).toEqual([["ListUpgradeWorkFlows", 200, "token"]]);
  });

  it.each([
    [
      "Alibaba SDK names",
      (url: string) => ({
        UPGRADE_GUARD_ENDPOINT: url,
        ALIBABA_CLOUD_ACCESS_KEY_ID: ALIBABA.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: ALIBABA.accessKeySecret,
        ALIBABA_CLOUD_REGION_ID: ALIBABA.region,
      }),
    ],
    [
      "Terraform names and the ACK-only endpoint",
      (url: string) => ({
        UPGRADE_GUARD_ACK_ENDPOINT: url,
        ALICLOUD_ACCESS_KEY: ALIBABA.accessKeyId,
        ALICLOUD_SECRET_KEY: ALIBABA.accessKeySecret,
        ALICLOUD_REGION: ALIBABA.region,
      }),
    ],
  ])("ACK: %s", async (_case, envOf) => {
    const ack = h.track(createAckClient({ env: envOf(h.url), transport: { clock: h.clock } }));
    const detail = await ack.describeClusterDetail({ clusterId: h.clusterId("ack-blocked") });
    expect(detail.current_version).toBe("1.31.1-aliyun.1");
    const log = await h.control.requests({ service: "ack" });
    expect(log.map((e) => [e.operation, e.status, e.auth])).toEqual([
      ["DescribeClusterDetail", 200, "ACS3-HMAC-SHA256"],
    ]);
  });
});
