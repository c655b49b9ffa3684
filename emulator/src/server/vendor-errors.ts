/**
 * Errors in each vendor's own wire format. A handler throws `VendorError`; the server renders it with
 * the request id, so every failure looks like the real cloud's (docs/wire-formats.md#huawei-errors, #alibaba-errors).
 *
 * Formats:
 * - `apigw`: Huawei API gateway `{error_code, error_msg, request_id}` (auth, throttling, unknown API);
 * - `cce`: CCE service `{errorCode, errorMessage}`;
 * - `iam`: Huawei IAM `{error: {code, message, title}}`;
 * - `pop`: Alibaba gateway `{RequestId, HostId, Code, Message, Recommend}` (auth, throttling);
 * - `cs`: Alibaba Container Service `{code, message, requestId}`.
 */
export type ErrorFormat = "apigw" | "cce" | "iam" | "pop" | "cs";

export class VendorError extends Error {
  readonly status: number;
  readonly format: ErrorFormat;
  readonly code: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    format: ErrorFormat,
    code: string,
    message: string,
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.status = status;
    this.format = format;
    this.code = code;
    this.headers = headers;
  }
}

const TITLES: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Payload Too Large",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** The JSON body of a vendor error. */
export function vendorErrorBody(error: VendorError, requestId: string): Record<string, unknown> {
  switch (error.format) {
    case "apigw":
      return { error_code: error.code, error_msg: error.message, request_id: requestId };
    case "cce":
      return { errorCode: error.code, errorMessage: error.message };
    case "iam":
      return { error: { code: error.code, message: error.message, title: TITLES[error.status] ?? "Error" } };
    case "pop":
      return {
        RequestId: requestId,
        HostId: "cs.aliyuncs.com",
        Code: error.code,
        Message: error.message,
        Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=CS&requestId=${requestId}`,
      };
    case "cs":
      return { code: error.code, message: error.message, requestId };
  }
}

// --- Huawei -------------------------------------------------------------------------------------

export const huaweiAuthError = (message: string): VendorError =>
  new VendorError(401, "apigw", "APIGW.0301", `Incorrect IAM authentication information: ${message}`);

export const huaweiForbidden = (message: string): VendorError =>
  new VendorError(403, "apigw", "APIGW.0302", `The IAM user is not authorized to access the API: ${message}`);

export const huaweiApiNotFound = (): VendorError =>
  new VendorError(
    404,
    "apigw",
    "APIGW.0101",
    "The API does not exist or has not been published in the environment",
  );

export const huaweiThrottled = (limit: number): VendorError =>
  new VendorError(
    429,
    "apigw",
    "APIGW.0308",
    `The throttling threshold has been reached: policy user over ratelimit,limit:${limit},time:1 second`,
  );

export const huaweiTooLarge = (): VendorError =>
  new VendorError(413, "apigw", "APIGW.0201", "Request entity too large");

export const huaweiBadRequest = (message: string): VendorError =>
  new VendorError(400, "apigw", "APIGW.0201", `Bad request: ${message}`);

/** CCE service error; code pattern `CCE.01<status><seq>` (docs/wire-formats.md#huawei-errors; non-400 codes inferred). */
export const cceError = (status: number, seq: number, message: string): VendorError =>
  new VendorError(status, "cce", `CCE.01${status}${String(seq).padStart(3, "0")}`, message);

export const cceInvalid = (message: string): VendorError => cceError(400, 1, message);
export const cceClusterNotFound = (clusterId: string): VendorError =>
  cceError(404, 1, `Cluster ${clusterId} not found`);
export const cceResourceNotFound = (what: string, id: string): VendorError =>
  cceError(404, 2, `${what} ${id} not found`);
export const cceConflict = (message: string): VendorError => cceError(409, 1, message);

// --- Alibaba ------------------------------------------------------------------------------------

export const popError = (status: number, code: string, message: string): VendorError =>
  new VendorError(status, "pop", code, message);

export const aliSignatureMismatch = (detail: string): VendorError =>
  popError(400, "SignatureDoesNotMatch", `Specified signature does not match our calculation. ${detail}`);

export const aliIncompleteSignature = (detail: string): VendorError =>
  popError(
    400,
    "IncompleteSignature",
    `The request signature does not conform to Aliyun standards. ${detail}`,
  );

export const aliUnknownAccessKey = (): VendorError =>
  popError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");

export const aliTimestampExpired = (value: string): VendorError =>
  popError(400, "InvalidTimeStamp.Expired", `Specified time stamp or date value is expired. (${value})`);

export const aliTimestampFormat = (value: string): VendorError =>
  popError(
    400,
    "InvalidTimeStamp.Format",
    `Specified time stamp or date value is not well formatted. (${value})`,
  );

export const aliNonceUsed = (): VendorError =>
  popError(400, "SignatureNonceUsed", "Specified signature nonce was used already.");

export const aliApiNotFound = (): VendorError =>
  popError(404, "InvalidApi.NotFound", "Specified api is not found, please check your url and method.");

export const aliThrottled = (status = 400): VendorError =>
  popError(status, "Throttling.User", "Request was denied due to user flow control.");

export const aliTooLarge = (): VendorError =>
  popError(413, "RequestEntityTooLarge", "The request body exceeds the allowed size of 1 MiB.");

export const csError = (status: number, code: string, message: string): VendorError =>
  new VendorError(status, "cs", code, message);

export const ackClusterNotFound = (clusterId: string): VendorError =>
  csError(404, "ErrorClusterNotFound", `cluster (${clusterId}) not found in our records`);

export const ackInvalid = (message: string): VendorError => csError(400, "InvalidParameter", message);

/** Huawei's error for an injected fault: an explicit code picks its format, else the default per status. */
export function huaweiFaultError(status: number, code?: string, message?: string): VendorError {
  if (code !== undefined) {
    const format: ErrorFormat = /^APIGW?\./.test(code) ? "apigw" : "cce";
    return new VendorError(status, format, code, message ?? `injected fault ${code}`);
  }
  if (status === 429) return huaweiThrottled(1);
  if (status === 503) return new VendorError(503, "apigw", "APIGW.0203", message ?? "Backend unavailable");
  if (status === 504) return new VendorError(504, "apigw", "APIGW.0202", message ?? "Backend timeout");
  return cceError(status, 1, message ?? (status >= 500 ? "Internal server error" : "Injected fault"));
}

const POP_CODES =
  /^(Throttling|ServiceUnavailable|InternalError|SignatureDoesNotMatch|InvalidAccessKeyId|IncompleteSignature|InvalidTimeStamp|SignatureNonceUsed|InvalidApi|Forbidden)/;

/** Alibaba's error for an injected fault: an explicit code picks its format, else the default per status. */
export function alibabaFaultError(status: number, code?: string, message?: string): VendorError {
  if (code !== undefined) {
    return new VendorError(
      status,
      POP_CODES.test(code) ? "pop" : "cs",
      code,
      message ?? `injected fault ${code}`,
    );
  }
  if (status === 429) return aliThrottled(429);
  if (status === 503)
    return popError(
      503,
      "ServiceUnavailable",
      message ?? "The request has failed due to a temporary failure of the server.",
    );
  if (status >= 500)
    return popError(
      status,
      "InternalError",
      message ?? "The request processing has failed due to some unknown error, exception or failure.",
    );
  return csError(status, "InjectedFault", message ?? "Injected fault");
}
