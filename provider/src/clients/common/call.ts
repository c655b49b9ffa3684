/**
 * One API call: send through the transport (signed per attempt), map an error answer to `ApiError`,
 * parse a success body with the operation's zod schema. Shared by both clouds so that the error and
 * shape handling is written once.
 */
import { createHash } from "node:crypto";
import { type z } from "zod";
import { ResponseShapeError, type Cloud } from "../../errors";
import { redactedExcerpt } from "../../internal/redact";
import { parserFor, toIssues } from "../../internal/validate";
import {
  type HttpMethod,
  type HttpRequest,
  type Mutable,
  type RetryMode,
  type SendOptions,
  type Transport,
} from "../../transport/types";
import { toApiError } from "./api-error";
import { mayAnswerEmpty } from "./schema-helpers";

/**
 * A short, non-secret key for the identity behind a client's requests (a digest: neither an access
 * key id nor a token can be read back from it), so the transport limits and shares reads per account.
 */
export function accountKey(...identity: readonly string[]): string {
  return createHash("sha256").update(identity.join("\u0000")).digest("hex").slice(0, 16);
}

export type Signer = (request: HttpRequest, signal?: AbortSignal) => HttpRequest | Promise<HttpRequest>;

export interface CallTarget<S extends z.ZodType> {
  readonly cloud: Cloud;
  readonly operation: string;
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Serialized once: the signer hashes exactly these bytes. */
  readonly body?: unknown;
  readonly retryMode: RetryMode;
  readonly schema: S;
}

export interface CallDeps {
  readonly transport: Transport;
  readonly sign: Signer;
  /** Who calls (see `accountKey`): the transport's limits and shared reads are per account. */
  readonly account?: string;
  /** The account's configured rate (`rateLimit`), when there is one. */
  readonly rateLimit?: number;
  /**
   * Called on an HTTP 401; returning true sends the request once more (a cached IAM token may
   * have been revoked before its expiry).
   */
  readonly onUnauthorized?: () => boolean;
}

/** A declared content type that cannot be the JSON both clouds answer with (a proxy's page, XML). */
const NOT_JSON = /^(text\/(plain|html|xml)|application\/xml)\b/i;

/**
 * Parses a success body, or throws `ResponseShapeError` naming the operation with a redacted
 * excerpt: an empty body (unless the operation answers with none), a declared non-JSON type, a body
 * that is not JSON, or JSON of the wrong shape.
 */
export function parseBody<S extends z.ZodType>(
  operation: string,
  schema: S,
  body: string,
  requestId?: string,
  contentType?: string,
): z.output<S> {
  const refuse = (message: string): never => {
    throw new ResponseShapeError(operation, [{ path: "", message }], redactedExcerpt(body), requestId);
  };
  let json: unknown;
  if (body.trim() === "") {
    if (!mayAnswerEmpty(schema)) refuse("the answer has an empty body where JSON was expected");
    json = {};
  } else {
    if (contentType !== undefined && NOT_JSON.test(contentType.trim()))
      refuse(`the answer is ${contentType.split(";")[0]?.trim()}, not JSON`);
    try {
      json = JSON.parse(body);
    } catch {
      refuse("body is not JSON");
    }
  }
  const result = parserFor(schema).safeParse(json);
  if (!result.success) {
    throw new ResponseShapeError(operation, toIssues(result.error), redactedExcerpt(body), requestId);
  }
  return result.data;
}

/** Sends the request and resolves with the parsed, normalized body. */
export async function callApi<S extends z.ZodType>(
  deps: CallDeps,
  target: CallTarget<S>,
  signal?: AbortSignal,
): Promise<z.output<S>> {
  const request: HttpRequest =
    target.body === undefined
      ? { method: target.method, url: target.url, headers: target.headers }
      : {
          method: target.method,
          url: target.url,
          headers: target.headers,
          body: JSON.stringify(target.body),
        };
  // Assigned member by member rather than spread: this runs on every call.
  const options: Mutable<SendOptions> = {
    cloud: target.cloud,
    operation: target.operation,
    retryMode: target.retryMode,
    sign: deps.sign,
  };
  if (deps.account !== undefined) options.account = deps.account;
  if (deps.rateLimit !== undefined)
    options.limits = { ratePerSecond: deps.rateLimit, burst: Math.max(1, deps.rateLimit) };
  if (signal !== undefined) options.signal = signal;
  let response = await deps.transport.send(request, options);
  // A 401 means the gateway rejected the credentials before doing anything, so even a create is safe to resend.
  if (response.status === 401 && deps.onUnauthorized?.() === true) {
    response = await deps.transport.send(request, options);
  }
  if (response.status < 200 || response.status >= 300)
    throw toApiError(target.cloud, target.operation, response);
  return parseBody(
    target.operation,
    target.schema,
    response.body,
    response.requestId,
    response.headers["content-type"],
  );
}
