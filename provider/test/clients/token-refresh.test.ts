/**
 * With IAM password credentials, a 401 from CCE means the cached token was revoked before its
 * expiry: the client drops it, fetches a new one and sends the request once more. With AK/SK there is
 * nothing to refresh and the 401 is reported as it is.
 */
import { type MockAgent } from "undici";
import { createCceClient } from "../../src/clients/cce/client";
import { ApiError } from "../../src/errors";
import {
  CCE_CLUSTER_PATH,
  CCE_ORIGIN,
  CLUSTER_ID,
  JSON_HEADERS,
  PROJECT_ID,
  cceTestClient,
  fixtureText,
  frozenClock,
  mockAgentPerTest,
  pathIs,
  recordedCalls,
  rejectionOf,
  requestLog,
} from "./helpers";

const IAM_ORIGIN = "https://iam.cn-north-4.myhuaweicloud.com";
const TASK_PATH = `${CCE_CLUSTER_PATH}/operation/precheck/tasks/t-1`;

let agent: MockAgent;
mockAgentPerTest((created) => (agent = created));

function issueToken(token: string): void {
  agent
    .get(IAM_ORIGIN)
    .intercept({ method: "POST", path: pathIs("/v3/auth/tokens") })
    .reply(
      201,
      JSON.stringify({
        token: { expires_at: "2025-08-06T09:10:44.000000Z", issued_at: "2025-08-05T09:10:44.000000Z" },
      }),
      { headers: { ...JSON_HEADERS, "x-subject-token": token } },
    );
}

const unauthorized = JSON.stringify({
  error_code: "APIGW.0301",
  error_msg: "token expired",
  request_id: "r-1",
});

it("password credentials: a 401 refreshes the token and the request is sent once more", async () => {
  const client = createCceClient({
    region: "cn-north-4",
    projectId: PROJECT_ID,
    userName: "upgrade-bot",
    password: "pw-must-not-leak-0001",
    domainName: "example-account",
    env: {},
    dispatcher: agent,
    clock: frozenClock(),
  });
  issueToken("token-one-0001");
  issueToken("token-two-0002");
  agent
    .get(CCE_ORIGIN)
    .intercept({ method: "GET", path: pathIs(TASK_PATH) })
    .reply(401, unauthorized, { headers: JSON_HEADERS });
  agent
    .get(CCE_ORIGIN)
    .intercept({ method: "GET", path: pathIs(TASK_PATH) })
    .reply(200, fixtureText("cce", "show-pre-check.json"), { headers: JSON_HEADERS });

  const task = await client.showPreCheck({ clusterId: CLUSTER_ID, taskId: "t-1" });

  expect(task.metadata.uid).toBe("f61e008c-1600-41c0-9bde-121de5a30660");
  expect(requestLog(agent)).toEqual([
    "POST /v3/auth/tokens",
    `GET ${TASK_PATH}`,
    "POST /v3/auth/tokens",
    `GET ${TASK_PATH}`,
  ]);
  const cceCalls = recordedCalls(agent).filter((call) => call.path === TASK_PATH);
  expect(cceCalls.map((call) => call.headers["x-auth-token"])).toEqual(["token-one-0001", "token-two-0002"]);
  await client.close();
});

it("AK/SK credentials: a 401 is an auth ApiError, sent once", async () => {
  const client = cceTestClient(agent);
  agent
    .get(CCE_ORIGIN)
    .intercept({ method: "GET", path: pathIs(TASK_PATH) })
    .reply(401, unauthorized, { headers: JSON_HEADERS });
  const error = await rejectionOf(client.showPreCheck({ clusterId: CLUSTER_ID, taskId: "t-1" }));
  expect(error).toBeInstanceOf(ApiError);
  expect((error as ApiError).category).toBe("auth");
  expect(requestLog(agent)).toEqual([`GET ${TASK_PATH}`]);
  await client.close();
});
