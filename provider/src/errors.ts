/**
 * Every error upgrade-guard throws. One branded base class with a stable `code` that callers branch
 * on; cloud-specific detail is data on the error, not more subclasses.
 *
 * The brand is a global symbol rather than `instanceof` alone, because Pulumi's closure
 * serialization and npm workspaces can load two copies of this module in one process.
 * Every message passes through `redact`, so no credential can leak through an error.
 */
import { redact } from "./internal/redact";

const BRAND = Symbol.for("upgrade-guard.error");

export type ErrorCode =
  | "CONFIG_MISSING"
  | "CONFIG_INVALID"
  | "INPUT_INVALID"
  | "NETWORK"
  | "TIMEOUT"
  | "ABORTED"
  | "DEADLINE_EXCEEDED"
  | "API_AUTH"
  | "API_NOT_FOUND"
  | "API_CONFLICT"
  | "API_THROTTLED"
  | "API_INVALID"
  | "API_SERVER"
  | "RESPONSE_SHAPE"
  | "WAIT_FAILED"
  | "WAIT_TIMEOUT"
  | "WAIT_ABORTED"
  // A guard refused to start an upgrade whose latest check has blocking findings (resources/).
  | "UPGRADE_BLOCKED";

export class UpgradeGuardError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(redact(message), options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }

  override get name(): string {
    return this.constructor.name;
  }

  /** True for any upgrade-guard error, even one created by another copy of this module. */
  static isInstance(value: unknown): value is UpgradeGuardError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

/** Configuration or credentials are missing or unusable. Never retried. */
export class ConfigError extends UpgradeGuardError {
  /** The settings that would fix it, e.g. `["HUAWEICLOUD_SDK_AK", "upgrade-guard:accessKey"]`. */
  readonly settings: readonly string[];

  constructor(code: "CONFIG_MISSING" | "CONFIG_INVALID", message: string, settings: readonly string[] = []) {
    super(code, message);
    this.settings = settings;
  }
}

export interface InputIssue {
  /** Dotted path of the bad field, e.g. `clusterId` or `waivers.0.expires`. */
  readonly path: string;
  readonly message: string;
}

/** A public function was called with bad arguments. Lists every bad field. */
export class InputError extends UpgradeGuardError {
  readonly issues: readonly InputIssue[];

  constructor(where: string, issues: readonly InputIssue[]) {
    const list = issues.map((i) => `  - ${i.path || "(arguments)"}: ${i.message}`).join("\n");
    super("INPUT_INVALID", `${where}: invalid arguments\n${list}`);
    this.issues = issues;
  }
}

export type TransportErrorCode = "NETWORK" | "TIMEOUT" | "ABORTED" | "DEADLINE_EXCEEDED";

/** The request did not produce an HTTP answer (network failure, timeout, abort, deadline). */
export class TransportError extends UpgradeGuardError {
  readonly operation: string;
  readonly attempts: number;
  /**
   * True when the request may have reached the server (the body was sent before the failure), so a
   * task-creating call must look for the task it may have created before trying again.
   */
  readonly ambiguous: boolean;

  constructor(
    code: TransportErrorCode,
    message: string,
    details: { operation: string; attempts: number; ambiguous: boolean; cause?: unknown },
  ) {
    super(code, message, { cause: details.cause });
    this.operation = details.operation;
    this.attempts = details.attempts;
    this.ambiguous = details.ambiguous;
  }
}

export type Cloud = "cce" | "ack" | "iam";
export type ApiErrorCategory = "auth" | "notFound" | "conflict" | "throttled" | "invalid" | "server";

const CATEGORY_CODES: Record<ApiErrorCategory, ErrorCode> = {
  auth: "API_AUTH",
  notFound: "API_NOT_FOUND",
  conflict: "API_CONFLICT",
  throttled: "API_THROTTLED",
  invalid: "API_INVALID",
  server: "API_SERVER",
};

/*
 * The category of an error answer, for every cloud (CCE, ACK and IAM alike): a table of vendor codes
 * first, then code patterns, then the HTTP status. The code is more precise (Alibaba throttles with
 * HTTP 400, reports a wrong access key with 404).
 */

/** Exact vendor codes whose category the HTTP status alone would get wrong or leave vague. */
const VENDOR_CODE_CATEGORIES: Readonly<Record<string, ApiErrorCategory>> = {
  // Huawei API gateway (`APIGW.` cloud-service gateway, `APIG.` user gateway; same numbers).
  "APIGW.0101": "notFound",
  "APIG.0101": "notFound",
  "APIGW.0201": "invalid",
  "APIG.0201": "invalid",
  "APIGW.0301": "auth",
  "APIG.0301": "auth",
  "APIGW.0302": "auth",
  "APIG.0302": "auth",
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

/**
 * What an `auth` answer refused: the credentials themselves (a wrong, unknown, disabled or expired
 * key, a bad signature, an expired token), or the operation, for credentials that were accepted but
 * lack the permission (a RAM or IAM policy). The fixes differ: check the key, or grant the permission.
 */
export type AuthRefusal = "credentials" | "permission";

/** Codes of a key, token or signature the cloud did not accept (docs/wire-formats.md). */
const CREDENTIAL_REFUSALS =
  /^(APIGW?\.0301$|InvalidAccessKeyId|InvalidSecurityToken|Signature|IncompleteSignature|InvalidTimeStamp|Forbidden\.AccessKey)/;

/** Codes of accepted credentials denied the operation: Huawei IAM, Alibaba RAM (and STS). */
const PERMISSION_REFUSALS = /^(APIGW?\.0302$|Forbidden|ErrorCheckAcl$|NoPermission)/;

/**
 * Which refusal an `auth` answer is: its code first; else a 403 (HTTP, or embedded in a CCE code) is
 * a denied permission and anything else (401) refused credentials.
 */
export function authRefusal(httpStatus: number, vendorCode: string | undefined): AuthRefusal {
  let status = httpStatus;
  if (vendorCode !== undefined) {
    if (CREDENTIAL_REFUSALS.test(vendorCode)) return "credentials";
    if (PERMISSION_REFUSALS.test(vendorCode)) return "permission";
    const cce = CCE_CODE.exec(vendorCode);
    if (cce?.[1] !== undefined) status = Number(cce[1]);
  }
  return status === 403 ? "permission" : "credentials";
}

export interface ApiErrorDetails {
  readonly cloud: Cloud;
  readonly operation: string;
  readonly httpStatus: number;
  /** The vendor's own error code, verbatim (`CCE.01404001`, `APIGW.0301`, `ErrorClusterNotFound`). */
  readonly vendorCode: string | undefined;
  readonly vendorMessage: string | undefined;
  readonly requestId: string | undefined;
  readonly category: ApiErrorCategory;
  /**
   * What to check or set, when the client knows: for refused credentials, where they came from; for a
   * denied permission, the operation and where to grant it.
   */
  readonly hint?: string;
}

/** The cloud answered with an error. */
export class ApiError extends UpgradeGuardError implements ApiErrorDetails {
  readonly cloud: Cloud;
  readonly operation: string;
  readonly httpStatus: number;
  readonly vendorCode: string | undefined;
  readonly vendorMessage: string | undefined;
  readonly requestId: string | undefined;
  readonly category: ApiErrorCategory;
  readonly hint?: string;
  /** For an `auth` error: whether the credentials were refused or the operation denied to them. */
  readonly refusal?: AuthRefusal;

  constructor(details: ApiErrorDetails) {
    const vendor = details.vendorCode ? ` ${details.vendorCode}` : "";
    const said = details.vendorMessage ? `: ${details.vendorMessage}` : "";
    const rid = details.requestId ? ` (request id ${details.requestId})` : "";
    super(
      CATEGORY_CODES[details.category],
      `${details.cloud.toUpperCase()} ${details.operation} failed with HTTP ${details.httpStatus}${vendor}${said}${rid}`,
    );
    this.cloud = details.cloud;
    this.operation = details.operation;
    this.httpStatus = details.httpStatus;
    this.vendorCode = details.vendorCode;
    this.vendorMessage = details.vendorMessage === undefined ? undefined : redact(details.vendorMessage);
    this.requestId = details.requestId;
    this.category = details.category;
    if (details.hint !== undefined) this.hint = details.hint;
    if (details.category === "auth") this.refusal = authRefusal(details.httpStatus, details.vendorCode);
  }
}

/** A response did not have the shape we need: the API changed or the docs were wrong. Never retried. */
export class ResponseShapeError extends UpgradeGuardError {
  readonly operation: string;
  readonly issues: readonly InputIssue[];
  /** A redacted, length-capped excerpt of the body. */
  readonly excerpt: string;
  readonly requestId: string | undefined;

  constructor(operation: string, issues: readonly InputIssue[], excerpt: string, requestId?: string) {
    const list = issues
      .slice(0, 5)
      .map((i) => `${i.path || "(body)"}: ${i.message}`)
      .join("; ");
    const rid = requestId === undefined ? "" : ` (request id ${requestId})`;
    super(
      "RESPONSE_SHAPE",
      `${operation} returned a response upgrade-guard does not understand${rid} (${list}). Body excerpt: ${excerpt}. ` +
        `Please report it${requestId === undefined ? "" : " with the request id"} so the schema and its fixture can be updated.`,
    );
    this.operation = operation;
    this.issues = issues;
    this.excerpt = excerpt;
    this.requestId = requestId;
  }
}

export type WaitEndState = "failure" | "timeout" | "aborted";

/** A wait for a task ended in anything but success. Names the task and its last phase. */
export class WaitError extends UpgradeGuardError {
  readonly state: WaitEndState;
  readonly task: string;
  readonly lastPhase: string | undefined;
  readonly elapsedMs: number;

  constructor(
    state: WaitEndState,
    message: string,
    details: { task: string; lastPhase: string | undefined; elapsedMs: number; cause?: unknown },
  ) {
    const code = state === "failure" ? "WAIT_FAILED" : state === "timeout" ? "WAIT_TIMEOUT" : "WAIT_ABORTED";
    super(code, message, { cause: details.cause });
    this.state = state;
    this.task = details.task;
    this.lastPhase = details.lastPhase;
    this.elapsedMs = details.elapsedMs;
  }
}
