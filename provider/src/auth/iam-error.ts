/**
 * Maps an IAM error answer to `ApiError` (cloud "iam"). IAM speaks two dialects:
 * Keystone `{"error":{"code":401,"message":"...","title":"Unauthorized"}}` and the API-gateway
 * `{"error_code":"APIGW.0301","error_msg":"..."}`; a few answers use plain `{code, message}`.
 * Kept here rather than in clients/ because the token source (auth layer) needs it.
 */
import { ApiError, categorize } from "../errors";
import { isRecord, jsonOrUndefined } from "../internal/validate";
import { type HttpResponse } from "../transport/types";

interface IamErrorFields {
  readonly code: string | undefined;
  readonly message: string | undefined;
}

function text(value: unknown): string | undefined {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

/** The vendor code and message of an IAM error body, whichever dialect it is in. */
export function parseIamErrorBody(body: string): IamErrorFields {
  const record = jsonOrUndefined(body);
  if (!isRecord(record)) return { code: undefined, message: undefined };
  const nested = record["error"];
  if (typeof nested === "object" && nested !== null) {
    const error = nested as Record<string, unknown>;
    // Keystone puts the HTTP status in `code`; its `title` names the error better.
    const code =
      typeof error["code"] === "number" ? (text(error["title"]) ?? text(error["code"])) : text(error["code"]);
    return { code, message: text(error["message"]) };
  }
  return {
    code: text(record["error_code"]) ?? text(record["code"]),
    message: text(record["error_msg"]) ?? text(record["message"]),
  };
}

export function iamApiError(response: HttpResponse, operation: string): ApiError {
  const { code, message } = parseIamErrorBody(response.body);
  return new ApiError({
    cloud: "iam",
    operation,
    httpStatus: response.status,
    vendorCode: code,
    vendorMessage: message,
    requestId: response.requestId,
    category: categorize(response.status, code),
  });
}
