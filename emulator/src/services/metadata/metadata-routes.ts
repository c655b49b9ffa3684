// @API ECS-METADATA PUT /latest/api/token
// @API ECS-METADATA GET /latest/meta-data/ram/security-credentials/{role}
// @API HUAWEI-METADATA PUT /meta-data/latest/api/token
// @API HUAWEI-METADATA GET /openstack/latest/securitykey
/**
 * The instance metadata services, as an ECS instance of the default accounts sees them:
 *
 * - Alibaba (https://help.aliyun.com/zh/ecs/user-guide/attach-an-instance-ram-role-to-an-ecs-instance):
 *   `PUT /latest/api/token` (header `X-aliyun-ecs-metadata-token-ttl-seconds`, 1 to 21600) gives a
 *   session token; `GET /latest/meta-data/ram/security-credentials/` lists the instance's RAM role
 *   (`ugemu-ecs-role`) and `GET .../security-credentials/<role>` gives its temporary keys.
 * - Huawei (https://support.huaweicloud.com/intl/en-us/usermanual-ecs/ecs_03_0166.html):
 *   `PUT /meta-data/latest/api/token` (header `X-Metadata-Token-Ttl-Seconds`) gives a session token;
 *   `GET /openstack/latest/securitykey` gives the temporary AK/SK and security token of the
 *   instance's agency.
 *
 * Both demand the session token (the hardened mode; stricter than a service that also answers
 * without one). The keys act as the cloud's first account, are valid for `METADATA_KEY_VALIDITY_MS`
 * of virtual time, and a new pair is issued on each read. No signature: the services are reached
 * only from the instance.
 */
import {
  type Reply,
  type RouteDefinition,
  type RouteRequest,
  type ServiceContext,
} from "../../server/router";
import { VendorError } from "../../server/vendor-errors";

export const ECS_ROLE_NAME = "ugemu-ecs-role";
export const METADATA_KEY_VALIDITY_MS = 3_600_000;
const MAX_SESSION_SECONDS = 21_600;

function header(request: RouteRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === "string" ? value : undefined;
}

const text = (status: number, body: string): Reply => ({
  status,
  text: body,
  headers: { "Content-Type": "text/plain" },
});

function openSession(request: RouteRequest, context: ServiceContext, ttlHeader: string): Reply {
  const seconds = Number(header(request, ttlHeader));
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_SESSION_SECONDS) {
    return text(400, `${ttlHeader} must be an integer from 1 to ${MAX_SESSION_SECONDS}`);
  }
  return text(200, context.temporaryKeys.openSession(context.now, seconds * 1000));
}

function requireSession(
  request: RouteRequest,
  context: ServiceContext,
  tokenHeader: string,
): Reply | undefined {
  return context.temporaryKeys.sessionValid(header(request, tokenHeader), context.now)
    ? undefined
    : text(401, "Unauthorized: a valid metadata session token is required");
}

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function alibabaRoles(request: RouteRequest, context: ServiceContext): Reply {
  return requireSession(request, context, "x-aliyun-ecs-metadata-token") ?? text(200, ECS_ROLE_NAME);
}

function alibabaRoleKeys(request: RouteRequest, context: ServiceContext): Reply {
  const refused = requireSession(request, context, "x-aliyun-ecs-metadata-token");
  if (refused !== undefined) return refused;
  const account = context.accounts.alibaba[0];
  if (request.params["role"] !== ECS_ROLE_NAME || account === undefined) return text(404, "Not Found");
  const key = context.temporaryKeys.issueAlibaba(
    account,
    `acs:ram::${account.uid}:role/${ECS_ROLE_NAME}`,
    context.now,
    METADATA_KEY_VALIDITY_MS,
  );
  return {
    status: 200,
    body: {
      AccessKeyId: key.accessKey,
      AccessKeySecret: key.secret,
      Expiration: isoSeconds(key.expiresAt),
      SecurityToken: key.securityToken,
      LastUpdated: isoSeconds(context.now),
      Code: "Success",
    },
  };
}

function huaweiSecurityKey(request: RouteRequest, context: ServiceContext): Reply {
  const refused = requireSession(request, context, "x-metadata-token");
  if (refused !== undefined) return refused;
  const account = context.accounts.huawei[0];
  if (account === undefined) throw new VendorError(404, "apigw", "APIGW.0101", "no agency");
  const key = context.temporaryKeys.issueHuawei(account, context.now, METADATA_KEY_VALIDITY_MS);
  return {
    status: 200,
    body: {
      credential: {
        access: key.accessKey,
        secret: key.secret,
        securitytoken: key.securityToken,
        expires_at: new Date(key.expiresAt).toISOString().replace("Z", "000Z"),
      },
    },
  };
}

export const METADATA_ROUTES: readonly RouteDefinition[] = [
  {
    service: "alibaba-metadata",
    operation: "EcsMetadataToken",
    method: "PUT",
    path: "/latest/api/token",
    auth: "none",
    handler: (request, context) => openSession(request, context, "x-aliyun-ecs-metadata-token-ttl-seconds"),
  },
  {
    service: "alibaba-metadata",
    operation: "EcsMetadataRoles",
    method: "GET",
    path: "/latest/meta-data/ram/security-credentials/",
    auth: "none",
    handler: alibabaRoles,
  },
  {
    service: "alibaba-metadata",
    operation: "EcsMetadataRoleCredentials",
    method: "GET",
    path: "/latest/meta-data/ram/security-credentials/{role}",
    auth: "none",
    handler: alibabaRoleKeys,
  },
  {
    service: "huawei-metadata",
    operation: "MetadataToken",
    method: "PUT",
    path: "/meta-data/latest/api/token",
    auth: "none",
    handler: (request, context) => openSession(request, context, "x-metadata-token-ttl-seconds"),
  },
  {
    service: "huawei-metadata",
    operation: "MetadataSecurityKey",
    method: "GET",
    path: "/openstack/latest/securitykey",
    auth: "none",
    handler: huaweiSecurityKey,
  },
];
