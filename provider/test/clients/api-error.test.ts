/**
 * The error mapping table: each body shape and status the clouds send becomes ONE `ApiError` with
 * cloud, operation, HTTP status, vendor code, request id and category. Driven through the real
 * clients (MockAgent) so the whole path from the wire to the thrown error is covered.
 */
import { type MockAgent } from "undici";
import { parseVendorError } from "../../src/clients/common/api-error";
import {
  ApiError,
  type ApiErrorCategory,
  authRefusal,
  categorize,
  UpgradeGuardError,
} from "../../src/errors";
import {
  ACK_CLUSTER_ID,
  ACK_ORIGIN,
  CCE_CLUSTER_PATH,
  CCE_ORIGIN,
  CLUSTER_ID,
  ackTestClient,
  cceTestClient,
  fixtureText,
  mockAgentPerTest,
  pathIs,
  rejectionOf,
} from "./helpers";

let agent: MockAgent;
mockAgentPerTest((created) => (agent = created));

interface Case {
  readonly name: string;
  readonly status: number;
  readonly body: string;
  readonly headers?: Record<string, string>;
  readonly category: ApiErrorCategory;
  readonly code: string;
  readonly vendorCode: string | undefined;
  readonly requestId: string | undefined;
  /** A fragment the vendor message must contain. */
  readonly says?: string;
}

const JSON_TYPE = { "content-type": "application/json" };

const CCE_CASES: Case[] = [
  {
    name: "CCE {errorCode, errorMessage, message}, request id from X-Request-Id",
    status: 404,
    body: fixtureText("cce", "error.cce.json"),
    headers: { ...JSON_TYPE, "x-request-id": "hdr-req-1" },
    category: "notFound",
    code: "API_NOT_FOUND",
    vendorCode: "CCE.01404001",
    requestId: "hdr-req-1",
    says: "Resource not found (cluster b4b9e60f not found)",
  },
  {
    name: "API gateway {error_code, error_msg, request_id} throttling, request id from the body",
    status: 429,
    body: fixtureText("cce", "error.apigw.json"),
    headers: JSON_TYPE,
    category: "throttled",
    code: "API_THROTTLED",
    vendorCode: "APIGW.0308",
    requestId: "f5a3b0c2e1d4a1b2c3d4e5f6a7b8c9d0",
    says: "throttling threshold",
  },
  {
    name: "API gateway bad signature",
    status: 401,
    body: JSON.stringify({
      error_code: "APIGW.0301",
      error_msg: "Incorrect IAM authentication information: verify aksk signature fail",
      request_id: "r-401",
    }),
    headers: JSON_TYPE,
    category: "auth",
    code: "API_AUTH",
    vendorCode: "APIGW.0301",
    requestId: "r-401",
  },
  {
    name: "CCE invalid request",
    status: 400,
    body: JSON.stringify({ errorCode: "CCE.01400001", errorMessage: "Invalid request." }),
    category: "invalid",
    code: "API_INVALID",
    vendorCode: "CCE.01400001",
    requestId: undefined,
  },
  {
    name: "Kubernetes-Status-like body with errorCode and a numeric code",
    status: 409,
    body: JSON.stringify({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "upgrade task already exists",
      reason: "Conflict",
      code: 409,
      errorCode: "CCE.01409001",
    }),
    category: "conflict",
    code: "API_CONFLICT",
    vendorCode: "CCE.01409001",
    requestId: undefined,
    says: "upgrade task already exists",
  },
  {
    name: "CCE code names its own status when the HTTP status is vaguer",
    status: 400,
    body: JSON.stringify({ errorCode: "CCE.01404002", errorMessage: "precheck task not found" }),
    category: "notFound",
    code: "API_NOT_FOUND",
    vendorCode: "CCE.01404002",
    requestId: undefined,
  },
  {
    name: "HTML from a proxy",
    status: 502,
    body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
    headers: { "content-type": "text/html" },
    category: "server",
    code: "API_SERVER",
    vendorCode: undefined,
    requestId: undefined,
    says: "502 Bad Gateway",
  },
];

const ACK_CASES: Case[] = [
  {
    name: "CS {code, message, requestId}, the x-acs-request-id header wins",
    status: 404,
    body: fixtureText("ack", "error.cs.json"),
    headers: { ...JSON_TYPE, "x-acs-request-id": "hdr-ack-1" },
    category: "notFound",
    code: "API_NOT_FOUND",
    vendorCode: "ErrorClusterNotFound",
    requestId: "hdr-ack-1",
    says: "not found in our records",
  },
  {
    name: "POP {Code, Message, RequestId} throttling sent with HTTP 400",
    status: 400,
    body: fixtureText("ack", "error.pop.json"),
    category: "throttled",
    code: "API_THROTTLED",
    vendorCode: "Throttling.User",
    requestId: "7E2A1B3C-1111-4B4B-8C8C-0123456789AB",
  },
  {
    name: "POP unknown access key sent with HTTP 404 is auth, not notFound",
    status: 404,
    body: JSON.stringify({
      Code: "InvalidAccessKeyId.NotFound",
      Message: "Specified access key is not found.",
      RequestId: "r-ak",
    }),
    category: "auth",
    code: "API_AUTH",
    vendorCode: "InvalidAccessKeyId.NotFound",
    requestId: "r-ak",
  },
  {
    name: "POP RAM denial",
    status: 403,
    body: JSON.stringify({
      Code: "Forbidden.RAM",
      Message: "User not authorized to operate on the specified resource.",
      RequestId: "r-ram",
    }),
    category: "auth",
    code: "API_AUTH",
    vendorCode: "Forbidden.RAM",
    requestId: "r-ram",
  },
  {
    name: "CS wrong cluster state is a conflict",
    status: 400,
    body: JSON.stringify({
      code: "ErrorClusterState",
      message: "cluster is upgrading",
      requestId: "r-state",
    }),
    category: "conflict",
    code: "API_CONFLICT",
    vendorCode: "ErrorClusterState",
    requestId: "r-state",
  },
  {
    name: "CS wrong task state is a conflict",
    status: 400,
    body: JSON.stringify({ code: "ErrorTaskState", message: "task is finished", requestId: "r-task" }),
    category: "conflict",
    code: "API_CONFLICT",
    vendorCode: "ErrorTaskState",
    requestId: "r-task",
  },
  {
    name: "XML error body",
    status: 503,
    body: "<?xml version='1.0' encoding='UTF-8'?><Error><RequestId>r-xml</RequestId><Code>ServiceUnavailable</Code><Message>The request has failed due to a temporary failure of the server.</Message></Error>",
    headers: { "content-type": "text/xml;charset=utf-8" },
    category: "server",
    code: "API_SERVER",
    vendorCode: "ServiceUnavailable",
    requestId: "r-xml",
  },
  {
    name: "empty body",
    status: 500,
    body: "",
    category: "server",
    code: "API_SERVER",
    vendorCode: undefined,
    requestId: undefined,
  },
  {
    name: "unknown code falls back to the status",
    status: 403,
    body: JSON.stringify({ code: "SomethingNew", message: "nope" }),
    category: "auth",
    code: "API_AUTH",
    vendorCode: "SomethingNew",
    requestId: undefined,
  },
];

function expectApiError(error: unknown, expected: Case, cloud: "cce" | "ack", operation: string): void {
  expect(UpgradeGuardError.isInstance(error)).toBe(true);
  expect(error).toBeInstanceOf(ApiError);
  const apiError = error as ApiError;
  expect({
    cloud: apiError.cloud,
    operation: apiError.operation,
    httpStatus: apiError.httpStatus,
    vendorCode: apiError.vendorCode,
    requestId: apiError.requestId,
    category: apiError.category,
    code: apiError.code,
  }).toEqual({
    cloud,
    operation,
    httpStatus: expected.status,
    vendorCode: expected.vendorCode,
    requestId: expected.requestId,
    category: expected.category,
    code: expected.code,
  });
  if (expected.says !== undefined) expect(apiError.vendorMessage).toContain(expected.says);
  expect(apiError.message).toContain(
    `${cloud.toUpperCase()} ${operation} failed with HTTP ${expected.status}`,
  );
}

describe("CCE error answers", () => {
  it.each(CCE_CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const client = cceTestClient(agent, { transport: { retry: { maxAttempts: 1 } } });
    agent
      .get(CCE_ORIGIN)
      .intercept({ method: "GET", path: pathIs(`${CCE_CLUSTER_PATH}/operation/precheck/tasks/t-1`) })
      .reply(c.status, c.body, { headers: c.headers ?? JSON_TYPE });
    const error = await rejectionOf(client.showPreCheck({ clusterId: CLUSTER_ID, taskId: "t-1" }));
    expectApiError(error, c, "cce", "ShowPreCheck");
    await client.close();
  });
});

describe("ACK error answers", () => {
  it.each(ACK_CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const client = ackTestClient(agent, { transport: { retry: { maxAttempts: 1 } } });
    agent
      .get(ACK_ORIGIN)
      .intercept({ method: "GET", path: pathIs(`/clusters/${ACK_CLUSTER_ID}/checks/chk-1`) })
      .reply(c.status, c.body, { headers: c.headers ?? JSON_TYPE });
    const error = await rejectionOf(client.getClusterCheck({ clusterId: ACK_CLUSTER_ID, checkId: "chk-1" }));
    expectApiError(error, c, "ack", "GetClusterCheck");
    await client.close();
  });
});

describe("the category table on its own", () => {
  it.each([
    [401, undefined, "auth"],
    [403, undefined, "auth"],
    [404, undefined, "notFound"],
    [409, undefined, "conflict"],
    [429, undefined, "throttled"],
    [400, undefined, "invalid"],
    [422, undefined, "invalid"],
    [500, undefined, "server"],
    [504, undefined, "server"],
    [400, "Throttling", "throttled"],
    [400, "Rejected.Throttling", "throttled"],
    [400, "InvalidTimeStamp.Expired", "auth"],
    [404, "InvalidApi.NotFound", "notFound"],
    [400, "ErrorNodePoolNotFound", "notFound"],
    [500, "APIGW.0308", "throttled"],
    [404, "APIG.0101", "notFound"],
  ] as const)("HTTP %d with code %s → %s", (status, code, category) => {
    expect(categorize(status, code)).toBe(category);
  });

  // Which hint an auth answer gets (clients/common/operations.ts): the code decides, else 403 is a permission.
  it.each([
    [401, undefined, "credentials"],
    [403, undefined, "permission"],
    [401, "APIGW.0301", "credentials"],
    [403, "APIGW.0302", "permission"],
    [403, "CCE.01403001", "permission"],
    [403, "CCE.01401001", "credentials"],
    [403, "Forbidden.RAM", "permission"],
    [403, "ErrorCheckAcl", "permission"],
    [403, "NoPermission", "permission"],
    [403, "SignatureDoesNotMatch", "credentials"],
    [404, "InvalidAccessKeyId.NotFound", "credentials"],
    [400, "InvalidTimeStamp.Expired", "credentials"],
    [400, "InvalidSecurityToken.Expired", "credentials"],
    [403, "Forbidden.AccessKeyDisabled", "credentials"],
  ] as const)("an auth answer: HTTP %d with code %s refused the %s", (status, code, refusal) => {
    expect(categorize(status, code)).toBe("auth");
    expect(authRefusal(status, code)).toBe(refusal);
  });

  it("an absent body, on an error path, is no fields rather than a TypeError", () => {
    expect(parseVendorError(undefined as never)).toEqual({
      code: undefined,
      message: undefined,
      requestId: undefined,
    });
  });

  it("a nested {error: {code, message}} body is read too", () => {
    expect(
      parseVendorError(JSON.stringify({ error: { code: "APIGW.0201", message: "bad request" } })),
    ).toEqual({
      code: "APIGW.0201",
      message: "bad request",
      requestId: undefined,
    });
  });
});
