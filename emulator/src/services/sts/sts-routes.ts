// @API STS POST /?Action=AssumeRole
/**
 * Alibaba Cloud STS `AssumeRole` (https://help.aliyun.com/zh/ram/developer-reference/api-sts-2015-04-01-assumerole),
 * RPC style: `POST /` signed with ACS3-HMAC-SHA256 (`x-acs-action: AssumeRole`,
 * `x-acs-version: 2015-04-01`), the parameters in the query or a form body. The emulator has no RAM
 * model: a caller may assume any role of its own account (`acs:ram::<its uid>:role/<name>`); another
 * account's role is `403 NoPermission`. The temporary keys act as the caller's account until they
 * expire (virtual time).
 */
import {
  type Reply,
  type RouteDefinition,
  type RouteRequest,
  type ServiceContext,
} from "../../server/router";
import { popError } from "../../server/vendor-errors";

export const DEFAULT_ASSUME_ROLE_SECONDS = 3600;
const ROLE_ARN = /^acs:ram::(\d+):role\/([A-Za-z0-9.@_-]{1,64})$/;
const SESSION_NAME = /^[A-Za-z0-9.@_-]{2,64}$/;

/** Query parameters, then those of a form body (the SDKs send either). */
function params(request: RouteRequest): URLSearchParams {
  const merged = new URLSearchParams(request.query);
  const type = request.headers["content-type"];
  if (typeof type === "string" && type.startsWith("application/x-www-form-urlencoded")) {
    for (const [key, value] of new URLSearchParams(request.body.toString("utf8"))) merged.set(key, value);
  }
  return merged;
}

function assumeRole(request: RouteRequest, context: ServiceContext): Reply {
  const principal = request.principal;
  if (principal.cloud !== "alibaba") throw popError(400, "IncompleteSignature", "A signature is required.");
  const query = params(request);
  const roleArn = query.get("RoleArn") ?? "";
  const sessionName = query.get("RoleSessionName") ?? "";
  const duration = Number(query.get("DurationSeconds") ?? DEFAULT_ASSUME_ROLE_SECONDS);
  if (roleArn === "") throw popError(400, "MissingRoleArn", "RoleArn is mandatory for this action.");
  const arn = ROLE_ARN.exec(roleArn);
  if (arn === null) throw popError(400, "InvalidParameter.RoleArn", "The parameter RoleArn is invalid.");
  if (sessionName === "") {
    throw popError(400, "MissingRoleSessionName", "RoleSessionName is mandatory for this action.");
  }
  if (!SESSION_NAME.test(sessionName)) {
    throw popError(400, "InvalidParameter.RoleSessionName", "The parameter RoleSessionName is invalid.");
  }
  if (!Number.isInteger(duration) || duration < 900 || duration > 43_200) {
    throw popError(400, "InvalidParameter.DurationSeconds", "The parameter DurationSeconds is invalid.");
  }
  if (arn[1] !== principal.account.uid) {
    throw popError(
      403,
      "NoPermission",
      "You are not authorized to do this action. You should be authorized by RAM.",
    );
  }
  const key = context.temporaryKeys.issueAlibaba(principal.account, roleArn, context.now, duration * 1000);
  return {
    status: 200,
    body: {
      RequestId: request.requestId,
      AssumedRoleUser: {
        Arn: `${roleArn}/${sessionName}`,
        AssumedRoleId: `3${principal.account.uid.slice(1)}:${sessionName}`,
      },
      Credentials: {
        AccessKeyId: key.accessKey,
        AccessKeySecret: key.secret,
        SecurityToken: key.securityToken,
        Expiration: new Date(key.expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
      },
    },
  };
}

export const STS_ROUTES: readonly RouteDefinition[] = [
  {
    service: "sts",
    operation: "AssumeRole",
    apiVersion: "2015-04-01",
    method: "POST",
    path: "/",
    auth: "alibaba",
    handler: assumeRole,
  },
];
