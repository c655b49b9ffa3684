/**
 * Turns any error answer of CCE, the Huawei API gateway, ACK or the Alibaba POP gateway into ONE
 * `ApiError`. The body shapes (docs/wire-formats.md#huawei-errors, #alibaba-errors):
 * - CCE `{errorCode, errorMessage}`, sometimes Kubernetes-Status-like with `message` as well;
 * - Huawei API gateway `{error_code, error_msg, request_id}`;
 * - ACK (CS) `{code, message, requestId}`;
 * - Alibaba POP gateway `{Code, Message, RequestId, HostId, Recommend}`;
 * - XML `<Error><Code>…</Code>…</Error>`, HTML or plain text from proxies and load balancers.
 *
 * The category comes from a table of vendor codes first, then code patterns, then the HTTP status:
 * the code is more precise (Alibaba throttles with HTTP 400, reports a wrong access key with 404).
 */
import { ApiError, type ApiErrorCategory, type Cloud } from "../../errors";
import { redactedExcerpt } from "../../internal/redact";
import { isRecord } from "../../internal/validate";
import { type HttpResponse } from "../../transport/types";

/** Exact vendor codes whose category the HTTP status alone would get wrong or leave vague. */
export const VENDOR_CODE_CATEGORIES: Readonly<Record<string, ApiErrorCategory>> = {
  // Huawei API gateway (`APIGW.` cloud-service gateway, `APIG.` user gateway; same numbers).
  "APIGW.0101": "notFound",
  "APIG.0101": "notFound",
  "APIGW.0201": "invalid",
  "APIG.0201": "invalid",
  "APIGW.0301": "auth",
  "APIG.0301": "auth",
  "APIGW.0308": "throttled",
  "APIG.0308": "throttled",
  // CCE codes confirmed by the error-code table.
  "CCE.01400001": "invalid",
  // ACK (CS).
  ErrorClusterNotFound: "notFound",
  ErrorNodePoolNotFound: "notFound",
  AddonNotFound: "notFound",
  ErrorCheckAcl: "auth",
  // Wrong cluster state for the operation (e.g. an upgrade already running): HTTP 400 but a conflict.
  ErrorClusterState: "conflict",
  // Wrong task state (cancelling a finished task): same reasoning. The code is the emulator's choice
  // for a case the vendor does not document (emulator/LIMITATIONS.md).
  ErrorTaskState: "conflict",
  // Alibaba POP gateway. A bad access key is sent as 404 or 400: it is an auth problem either way.
  "InvalidAccessKeyId.NotFound": "auth",
  "InvalidAccessKeyId.Inactive": "auth",
  SignatureDoesNotMatch: "auth",
  IncompleteSignature: "auth",
  "InvalidTimeStamp.Format": "auth",
  "InvalidTimeStamp.Expired": "auth",
  SignatureNonceUsed: "auth",
  "InvalidSecurityToken.Expired": "auth",
  "InvalidSecurityToken.Malformed": "auth",
  "Forbidden.RAM": "auth",
  "InvalidApi.NotFound": "notFound",
  Throttling: "throttled",
  "Throttling.User": "throttled",
  "Throttling.Api": "throttled",
  "Rejected.Throttling": "throttled",
  ServiceUnavailable: "server",
  InternalError: "server",
};

/** Patterns for codes not in the table. The first match wins. */
const VENDOR_CODE_PATTERNS: ReadonlyArray<readonly [RegExp, ApiErrorCategory]> = [
  [/throttl/i, "throttled"],
  [/^Forbidden/, "auth"],
  [/^(InvalidAccessKey|InvalidSecurityToken|Signature)/, "auth"],
  [/NotFound$|\.NotFound\b/, "notFound"],
];

/** CCE codes are `CCE.01<HTTP status><3-digit sequence>` (inferred from the documented table). */
const CCE_CODE = /^CCE\.01(\d{3})\d{3}$/;

/** The category a bare HTTP status implies. */
export function categoryOfStatus(status: number): ApiErrorCategory {
  if (status === 401 || status === 403) return "auth";
  if (status === 404 || status === 410) return "notFound";
  if (status === 409 || status === 412) return "conflict";
  if (status === 429) return "throttled";
  if (status >= 400 && status < 500) return "invalid";
  return "server";
}

/** The category of an error answer: vendor code table, then code patterns, then HTTP status. */
export function categorize(httpStatus: number, vendorCode: string | undefined): ApiErrorCategory {
  if (vendorCode !== undefined) {
    const exact = VENDOR_CODE_CATEGORIES[vendorCode];
    if (exact !== undefined) return exact;
    for (const [pattern, category] of VENDOR_CODE_PATTERNS) if (pattern.test(vendorCode)) return category;
    const cce = CCE_CODE.exec(vendorCode);
    if (cce?.[1] !== undefined) {
      const embedded = Number(cce[1]);
      if (embedded >= 400 && embedded <= 599) return categoryOfStatus(embedded);
    }
  }
  return categoryOfStatus(httpStatus);
}

export interface VendorErrorFields {
  readonly code: string | undefined;
  readonly message: string | undefined;
  readonly requestId: string | undefined;
}

function firstString(record: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === "string" && value.trim() !== "") return value.trim();
  }
  return undefined;
}

function fromJson(record: Record<string, unknown>): VendorErrorFields {
  // Some gateways nest the fields: `{"error": {"code": ..., "message": ...}}`.
  const nested = record["error"];
  const inner = isRecord(nested) ? nested : undefined;
  const code =
    firstString(record, ["error_code", "errorCode", "Code", "code"]) ??
    (inner && firstString(inner, ["code", "error_code", "Code"])) ??
    // A Kubernetes Status carries a numeric `code` (the HTTP status) and a word in `reason`.
    firstString(record, ["reason"]);
  const primary = firstString(record, ["error_msg", "errorMessage", "Message"]);
  const secondary =
    firstString(record, ["message"]) ?? (inner && firstString(inner, ["message", "error_msg"]));
  // The CCE SDK appends `message` when it differs from `errorMessage`.
  const message =
    primary !== undefined && secondary !== undefined && primary !== secondary
      ? `${primary} (${secondary})`
      : (primary ?? secondary);
  const requestId = firstString(record, ["request_id", "requestId", "RequestId", "requestid"]);
  return { code, message, requestId };
}

function xmlElement(body: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(body);
  const text = match?.[1]?.trim();
  return text === undefined || text === "" ? undefined : text;
}

/** Reads code, message and request id from any error body; nothing is guessed from a bare text. */
export function parseVendorError(body: string): VendorErrorFields {
  // A body is text; anything else (an untyped caller's undefined) carries no vendor fields.
  const trimmed = typeof body === "string" ? body.trim() : "";
  if (trimmed.startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (isRecord(parsed)) return fromJson(parsed);
    } catch {
      // not JSON after all: fall through to the text handling
    }
  }
  if (trimmed.startsWith("<") && /<Code>/.test(trimmed)) {
    return {
      code: xmlElement(trimmed, "Code"),
      message: xmlElement(trimmed, "Message"),
      requestId: xmlElement(trimmed, "RequestId"),
    };
  }
  return {
    code: undefined,
    message: trimmed === "" ? undefined : redactedExcerpt(trimmed.replace(/\s+/g, " "), 200),
    requestId: undefined,
  };
}

/** The `ApiError` for a non-2xx answer. The request id header wins over one in the body. */
export function toApiError(cloud: Cloud, operation: string, response: HttpResponse): ApiError {
  const fields = parseVendorError(response.body);
  return new ApiError({
    cloud,
    operation,
    httpStatus: response.status,
    vendorCode: fields.code,
    vendorMessage: fields.message,
    requestId: response.requestId ?? fields.requestId,
    category: categorize(response.status, fields.code),
  });
}
