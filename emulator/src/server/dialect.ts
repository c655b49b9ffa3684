/**
 * Everything the request pipeline does differently per cloud, in one object per cloud: how a request
 * is recognised before it is routed, the request-id shape and headers, the gateway errors of the
 * early stages, the shapes of injected faults and of an internal error, and how the caller is
 * authenticated. IAM is a Huawei service and speaks the Huawei dialect. The pipeline itself
 * (server/pipeline.ts) never asks which cloud it serves.
 */
import { type IncomingHttpHeaders } from "node:http";
import { type AuthDependencies, authenticateAlibaba, authenticateHuawei } from "../auth/authenticate";
import { type SignedRequestView } from "../auth/canonical";
import { type FaultAction } from "../faults/faults";
import { alibabaRequestId, huaweiRequestId } from "../util/ids";
import { type Cloud, type Principal, type RouteDefinition, type Service } from "./router";
import {
  type VendorError,
  aliApiNotFound,
  aliThrottled,
  aliTooLarge,
  ackInvalid,
  alibabaFaultError,
  huaweiApiNotFound,
  huaweiBadRequest,
  huaweiFaultError,
  huaweiThrottled,
  huaweiTooLarge,
} from "./vendor-errors";

type ThrottleAction = Extract<FaultAction, { kind: "throttle" }>;

export interface Dialect {
  readonly cloud: Cloud;
  /** The request carries this cloud's signature or headers (checked before the path). */
  claims(headers: IncomingHttpHeaders): boolean;
  /** A fresh request id in this cloud's shape. */
  requestId(): string;
  /** The header that carries the request id on every answer. */
  readonly requestIdHeader: string;
  /** The headers of every answer: content type (when there is a body) and the request id(s); a fresh object per call. */
  responseHeaders(requestId: string, hasBody: boolean): Record<string, string>;
  /** The gateway's answer to a body over the limit. */
  tooLarge(): VendorError;
  /** The answer to a path that is not valid percent-encoding. */
  badRequest(message: string): VendorError;
  /** The gateway's answer to a method and path no route has. */
  apiNotFound(): VendorError;
  /** The throttle error of an exhausted rate-limit fault. */
  throttled(action: ThrottleAction): VendorError;
  /** The error of an `error` fault: an explicit code picks its format, else the default per status. */
  faultError(status: number, code?: string, message?: string): VendorError;
  /** Where an `error` fault's `retryAfterSeconds` goes. */
  readonly retryAfterHeader: string;
  /** That header's value for a wait of `seconds`, in the unit the cloud's clients read it in. */
  retryAfterValue(seconds: number): string;
  /** What an unexpected failure (an emulator bug) answers. */
  internalError(): VendorError;
  /** The caller of a signed route, or the gateway's error. */
  authenticate(view: SignedRequestView, deps: AuthDependencies, route: RouteDefinition): Principal;
}

const HUAWEI: Dialect = {
  cloud: "huawei",
  claims: (headers) =>
    headers["authorization"]?.startsWith("SDK-HMAC") === true ||
    headers["x-sdk-date"] !== undefined ||
    headers["x-auth-token"] !== undefined,
  requestId: huaweiRequestId,
  requestIdHeader: "X-Request-Id",
  responseHeaders: (requestId, hasBody) =>
    hasBody
      ? { "Content-Type": "application/json", "X-Request-Id": requestId }
      : { "X-Request-Id": requestId },
  tooLarge: huaweiTooLarge,
  badRequest: huaweiBadRequest,
  apiNotFound: huaweiApiNotFound,
  throttled: (action) => huaweiThrottled(action.limit),
  faultError: huaweiFaultError,
  // Huawei's gateway is not documented to send one: the standard header is assumed (LIMITATIONS.md).
  retryAfterHeader: "retry-after",
  retryAfterValue: (seconds) => String(seconds),
  internalError: () => huaweiFaultError(500, "CCE.01500001", "Internal server error"),
  authenticate: (view, deps) => authenticateHuawei(view, deps),
};

const ALIBABA: Dialect = {
  cloud: "alibaba",
  claims: (headers) => {
    const auth = headers["authorization"];
    return (
      (auth !== undefined && (auth.startsWith("ACS3-") || auth.startsWith("acs "))) ||
      headers["x-acs-action"] !== undefined ||
      headers["x-acs-date"] !== undefined
    );
  },
  requestId: alibabaRequestId,
  requestIdHeader: "x-acs-request-id",
  responseHeaders: (requestId, hasBody) => {
    const traceId = requestId.replace(/-/g, "").toLowerCase();
    return hasBody
      ? {
          "Content-Type": "application/json;charset=utf-8",
          "x-acs-request-id": requestId,
          "x-acs-trace-id": traceId,
        }
      : { "x-acs-request-id": requestId, "x-acs-trace-id": traceId };
  },
  tooLarge: aliTooLarge,
  badRequest: ackInvalid,
  apiNotFound: aliApiNotFound,
  throttled: (action) => aliThrottled(action.alibabaStatus),
  faultError: alibabaFaultError,
  // Alibaba's SDK reads x-acs-retry-after as milliseconds (openapi-core getThrottlingTimeLeft, then
  // darabonba getBackoffDelay and sleep(ms); docs/wire-formats.md#throttling-and-retry-hints).
  retryAfterHeader: "x-acs-retry-after",
  retryAfterValue: (seconds) => String(seconds * 1000),
  internalError: () =>
    alibabaFaultError(500, "InternalError", "The request processing has failed due to some unknown error."),
  authenticate: (view, deps, route) => {
    const principal = authenticateAlibaba(view, deps);
    checkAcsOperation(view.headers, route);
    return principal;
  },
};

/** Both dialects, Huawei first (the order of the request-id headers on an unparseable request). */
export const DIALECTS: readonly Dialect[] = [HUAWEI, ALIBABA];

const BY_CLOUD: Readonly<Record<Cloud, Dialect>> = { huawei: HUAWEI, alibaba: ALIBABA };
const BY_SERVICE: Readonly<Record<Service, Dialect>> = {
  cce: HUAWEI,
  iam: HUAWEI,
  ack: ALIBABA,
  sts: ALIBABA,
  "alibaba-metadata": ALIBABA,
  "huawei-metadata": HUAWEI,
};

export const dialectOfCloud = (cloud: Cloud): Dialect => BY_CLOUD[cloud];

/** The dialect of a routed request: its service's cloud. */
export const dialectOfService = (service: Service): Dialect => BY_SERVICE[service];

const ALIBABA_PATH = /^\/(clusters|tasks|api\/v1|api\/v2)(\/|$)/;

/**
 * Whose format an answer takes before the route is known (unknown routes, 413, malformed paths): the
 * signature or headers first (Alibaba's before Huawei's), then the path; Huawei by default.
 */
export function detectDialect(rawPath: string, headers: IncomingHttpHeaders): Dialect {
  if (ALIBABA.claims(headers)) return ALIBABA;
  if (HUAWEI.claims(headers)) return HUAWEI;
  return ALIBABA_PATH.test(rawPath) ? ALIBABA : HUAWEI;
}

/** The signed `x-acs-action`/`x-acs-version` must name the route's operation, as the POP gateway routes by them. */
function checkAcsOperation(headers: IncomingHttpHeaders, route: RouteDefinition): void {
  const action = headers["x-acs-action"];
  const version = headers["x-acs-version"];
  if (
    (action !== undefined && action !== route.operation) ||
    (version !== undefined && version !== (route.apiVersion ?? "2015-12-15"))
  ) {
    throw aliApiNotFound();
  }
}
