/**
 * Which failures are worth another attempt. Plain tables plus small predicates that read them, so
 * the policy can be reviewed (and tested) without reading the retry loop.
 *
 * Two questions per failure:
 * - is it transient (worth retrying a safe call)?
 * - was the request certainly NOT processed (safe to resend even a task-creating POST)?
 */
import { isRecord, jsonOrUndefined } from "../internal/validate";

/** Huawei API-gateway throttling ("policy user over ratelimit"); `APIG.` is the user-gateway twin. */
export const HUAWEI_THROTTLING_CODES: ReadonlySet<string> = new Set(["APIGW.0308", "APIG.0308"]);

/** Alibaba `Throttling`, `Throttling.User`, `Throttling.Api`, ... */
export const ALIBABA_THROTTLING_CODE_PREFIX = "Throttling";
/** Exact throttling codes that do not start with the prefix (seen by the vendor Terraform provider). */
export const ALIBABA_THROTTLING_CODES: ReadonlySet<string> = new Set(["Rejected.Throttling"]);
/** Alibaba throttles with 400 historically and 429 on newer products. */
export const ALIBABA_THROTTLING_STATUSES: ReadonlySet<number> = new Set([400, 429]);

/** Codes meaning the service refused the call before doing anything. */
export const UNAVAILABLE_CODES: ReadonlySet<string> = new Set(["ServiceUnavailable"]);

/** Statuses that mean "not processed, come back later" for every API. */
export const NOT_PROCESSED_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** Failures before any byte of the request left: safe to resend, even a create. */
export const NOT_SENT_ERROR_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "EAI_AGAIN",
]);

/** Failures that may have happened after the server received the request: retry only safe calls. */
export const AMBIGUOUS_ERROR_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ECONNABORTED",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_RES_CONTENT_LENGTH_MISMATCH",
]);

/** Permanent failures before sending (bad host name, request undici refuses to build). */
export const FATAL_NOT_SENT_ERROR_CODES: ReadonlySet<string> = new Set([
  "ENOTFOUND",
  "UND_ERR_INVALID_ARG",
  "UND_ERR_NOT_SUPPORTED",
]);

export const TIMEOUT_ERROR_CODES: ReadonlySet<string> = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "ETIMEDOUT",
]);

export interface ResponseVerdict {
  readonly retryable: boolean;
  /** True when the status or code says the server did not process the request. */
  readonly notProcessed: boolean;
  /** True when the server said "too many requests" (429 or a vendor throttling code): the rate adapts. */
  readonly throttled: boolean;
  /** Short reason for logs. */
  readonly reason: string;
}

/** Error codes from a body: Huawei `error_code`, Alibaba `Code` (gateway) or `code` (CS). */
export function vendorCodesOf(body: string): string[] {
  const trimmed = body.trimStart();
  const parsed = trimmed.startsWith("{") ? jsonOrUndefined(trimmed) : undefined;
  if (!isRecord(parsed)) return [];
  return ["error_code", "Code", "code"]
    .map((key) => parsed[key])
    .filter((value): value is string => typeof value === "string");
}

/** Classifies an HTTP answer. 2xx/3xx are never retried; neither is 400/401/403/404 unless throttling. */
export function classifyResponse(status: number, body: string): ResponseVerdict {
  if (status < 400) return { retryable: false, notProcessed: false, throttled: false, reason: "ok" };
  const codes = vendorCodesOf(body);
  const throttledBy = codes.find(
    (code) =>
      (HUAWEI_THROTTLING_CODES.has(code) && status >= 400 && status < 500) ||
      ((code.startsWith(ALIBABA_THROTTLING_CODE_PREFIX) || ALIBABA_THROTTLING_CODES.has(code)) &&
        ALIBABA_THROTTLING_STATUSES.has(status)),
  );
  if (throttledBy !== undefined)
    return { retryable: true, notProcessed: true, throttled: true, reason: throttledBy };
  const unavailableBy = codes.find((code) => UNAVAILABLE_CODES.has(code));
  if (unavailableBy !== undefined)
    return { retryable: true, notProcessed: true, throttled: false, reason: unavailableBy };
  if (NOT_PROCESSED_STATUSES.has(status))
    return { retryable: true, notProcessed: true, throttled: status === 429, reason: `HTTP ${status}` };
  if (status >= 500 && status <= 599)
    return { retryable: true, notProcessed: false, throttled: false, reason: `HTTP ${status}` };
  return { retryable: false, notProcessed: false, throttled: false, reason: `HTTP ${status}` };
}

export interface NetworkVerdict {
  readonly retryable: boolean;
  /** The request may have reached the server. */
  readonly ambiguous: boolean;
  readonly timeout: boolean;
  /** The first recognised code in the cause chain, or the outermost code, for messages. */
  readonly code: string | undefined;
}

/** Every `code` in the error, its `cause` chain and any AggregateError members (Happy Eyeballs). */
export function errorCodesOf(error: unknown): string[] {
  const codes: string[] = [];
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 16) {
    const current = queue.shift();
    if (typeof current !== "object" || current === null || seen.has(current)) continue;
    seen.add(current);
    const record = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof record.code === "string") codes.push(record.code);
    if (record.cause !== undefined) queue.push(record.cause);
    if (Array.isArray(record.errors)) queue.push(...(record.errors as unknown[]));
  }
  return codes;
}

/**
 * Classifies an error that produced no HTTP answer. Unknown errors are not retried and are treated
 * as ambiguous: claiming "not sent" without evidence could duplicate a task.
 */
export function classifyNetworkError(error: unknown): NetworkVerdict {
  const codes = errorCodesOf(error);
  const timeout = codes.some((code) => TIMEOUT_ERROR_CODES.has(code));
  const ambiguousCode = codes.find((code) => AMBIGUOUS_ERROR_CODES.has(code));
  const notSentCode = codes.find((code) => NOT_SENT_ERROR_CODES.has(code));
  const fatalCode = codes.find((code) => FATAL_NOT_SENT_ERROR_CODES.has(code));
  // A reset that wraps a refused connect is still ambiguous: the reset is what the caller saw last.
  if (ambiguousCode !== undefined) return { retryable: true, ambiguous: true, timeout, code: ambiguousCode };
  if (notSentCode !== undefined) return { retryable: true, ambiguous: false, timeout, code: notSentCode };
  if (fatalCode !== undefined) return { retryable: false, ambiguous: false, timeout, code: fatalCode };
  return { retryable: false, ambiguous: true, timeout, code: codes[0] };
}
