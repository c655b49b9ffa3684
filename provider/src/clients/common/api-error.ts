/**
 * Turns any error answer of CCE, the Huawei API gateway, ACK or the Alibaba POP gateway into ONE
 * `ApiError`. The body shapes (docs/wire-formats.md#huawei-errors, #alibaba-errors):
 * - CCE `{errorCode, errorMessage}`, sometimes Kubernetes-Status-like with `message` as well;
 * - Huawei API gateway `{error_code, error_msg, request_id}`;
 * - ACK (CS) `{code, message, requestId}`;
 * - Alibaba POP gateway `{Code, Message, RequestId, HostId, Recommend}`;
 * - XML `<Error><Code>…</Code>…</Error>`, HTML or plain text from proxies and load balancers.
 *
 * The category comes from `categorize` (errors.ts): vendor codes first, then the HTTP status.
 */
import { ApiError, categorize, type Cloud } from "../../errors";
import { redactedExcerpt } from "../../internal/redact";
import { isRecord, jsonOrUndefined } from "../../internal/validate";
import { type HttpResponse } from "../../transport/types";

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
  // A body that is not JSON after all falls through to the text handling.
  const parsed = trimmed.startsWith("{") ? jsonOrUndefined(trimmed) : undefined;
  if (isRecord(parsed)) return fromJson(parsed);
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
